import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database } from '../../db/schema.ts';
import { type Actor, systemActor } from '../../domain/access/actor.ts';
import type { Role } from '../../domain/access/roles.ts';
import { SOURCE_CODES } from '../../domain/verification/sources.ts';
import { createCampaign, runCampaign } from '../campaigns/campaigns.service.ts';
import { requestVerification } from '../verification/verification.service.ts';
import { CONNECTOR_SOURCES, PLANTED, type PlantedCase, type PlantedCode } from './demo-departments.ts';
import { DEMO_AS_OF } from './generate-population.ts';
import { type DemoSeedResult, seedDemo } from './seed-demo.ts';

const COUNTY = '440232';
const NOW = new Date('2015-10-08T01:00:00.000Z');

/** Digest of the simulated data per engine: the same seed gives the same departments on both. */
const digests = new Map<string, string>();

async function simDigest(db: Kysely<Database>): Promise<string> {
  const rows = await db
    .selectFrom('sim_dept_record')
    .select([
      'source_code',
      'id_number',
      'name',
      'kind',
      'status',
      'amount_fen',
      'monthly_fen',
      'event_date',
      'exempt',
      'ref',
    ])
    .orderBy('id')
    .execute();
  const hash = createHash('sha256');
  for (const r of rows)
    hash.update(JSON.stringify(Object.values(r).map((v) => (v === null ? null : String(v)))));
  return hash.digest('hex');
}

describe.each(ENGINES)('demo department data (%s)', (engine) => {
  let t: TestDatabase;
  let result: DemoSeedResult;
  const planted = (code: PlantedCode): PlantedCase => {
    const p = result.departments.planted.find((x) => x.code === code);
    if (!p) throw new Error(`planted case ${code} missing`);
    return p;
  };
  const records = (source: string, idNumbers: string[]) =>
    t.db
      .selectFrom('dept_record as r')
      .innerJoin('dept_snapshot as s', 's.id', 'r.snapshot_id')
      .selectAll('r')
      .where('s.status', '=', 'in_force')
      .where('r.source_code', '=', source)
      .where('r.id_number', 'in', idNumbers)
      .execute();
  const person = (id: number) =>
    t.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const household = (id: number) =>
    t.db.selectFrom('household').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const activeEnrolments = (householdId: number) =>
    t.db
      .selectFrom('enrolment')
      .select('program_code')
      .where('household_id', '=', householdId)
      .where('status', '=', 'active')
      .execute();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    result = await seedDemo(t, { seed: 2015, countyCode: COUNTY, now: NOW, history: false });
    const d = result.departments;
    console.log(
      `[${engine}] demo seed with departments: ${d.simRecords} simulated records in ${(result.elapsedMs / 1000).toFixed(1)} s`,
    );
  }, 240_000);

  afterAll(async () => {
    await t?.destroy();
  });

  it('gives every source a snapshot in force, and the live sources a sim: connector as well', async () => {
    const configs = await t.db.selectFrom('dept_source_config').selectAll().execute();
    expect(
      configs
        .filter((c) => c.mode === 'connector')
        .map((c) => [c.source_code, c.connector_url])
        .sort(),
    ).toEqual(CONNECTOR_SOURCES.map((s) => [s, 'sim:']).sort());
    const snapshots = await t.db
      .selectFrom('dept_snapshot')
      .select(['source_code', 'row_count', 'as_of', 'file_format'])
      .where('status', '=', 'in_force')
      .execute();
    const inForce = new Map(snapshots.map((s) => [s.source_code, s]));
    for (const source of SOURCE_CODES) {
      expect(result.departments.bySource[source], source).toBeGreaterThan(0);
      expect(inForce.get(source)?.row_count, source).toBe(result.departments.bySource[source]);
      expect(inForce.get(source)?.as_of).toBe(DEMO_AS_OF);
    }
    expect(new Set(snapshots.map((s) => s.file_format))).toEqual(new Set(['csv', 'xlsx', 'json']));
    const dept = await t.db
      .selectFrom('dept_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(dept.n)).toBe(snapshots.reduce((n, s) => n + s.row_count, 0));
    // 户籍 for everyone, death records only for the registry's dead plus the planted one.
    const persons = await t.db.selectFrom('person').select(['id_number', 'death_date']).execute();
    expect(result.departments.bySource.hukou).toBe(persons.length);
    expect(result.departments.bySource.death).toBe(persons.filter((p) => p.death_date !== null).length + 1);
  });

  it('audits one entry per source and per step of the application, not one per record', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['action'])
      .where((eb) =>
        eb.or([
          eb('action', 'like', 'dept.%'),
          eb('action', 'like', 'intake%'),
          eb('action', '=', 'case.open'),
        ]),
      )
      .execute();
    const byAction = new Map<string, number>();
    for (const r of rows) byAction.set(r.action, (byAction.get(r.action) ?? 0) + 1);
    const members = planted('applicant_assets').personIds.length;
    expect(Object.fromEntries(byAction)).toEqual({
      'dept.source_config': CONNECTOR_SOURCES.length,
      'dept.snapshot_import': SOURCE_CODES.length,
      'intake_request.create': 1,
      'intake_request.authorisation': members,
      'intake_item.accept': 1,
      'case.open': 1,
    });
  });

  it('gives the same department data for the same seed on every engine', async () => {
    const digest = await simDigest(t.db);
    for (const other of digests.values()) expect(digest).toBe(other);
    digests.set(engine, digest);
  });

  it('documents the five planted cases and resolves their ids', () => {
    expect(result.departments.planted.map((p) => p.code).sort()).toEqual(PLANTED.map((p) => p.code).sort());
    for (const p of result.departments.planted) {
      expect(p.householdIds.length).toBeGreaterThan(0);
      expect(p.personIds.length).toBeGreaterThan(0);
    }
  });

  it('plants an applicant family under investigation, all members authorised, with a car and deposits over the limit', async () => {
    const p = planted('applicant_assets');
    const c = await t.db
      .selectFrom('case_file')
      .selectAll()
      .where('id', '=', p.caseId ?? 0)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      state: 'investigating',
      household_id: p.householdIds[0],
      town_code: '440232100',
    });
    expect(await activeEnrolments(c.household_id)).toEqual([]);
    const members = await t.db
      .selectFrom('household_member as m')
      .innerJoin('person as p', 'p.id', 'm.person_id')
      .select(['p.id', 'p.id_number'])
      .where('m.household_id', '=', c.household_id)
      .where('m.valid_to', 'is', null)
      .execute();
    expect(members.map((m) => m.id).sort()).toEqual([...p.personIds].sort());
    const authorised = await t.db
      .selectFrom('verification_authorisation')
      .select('id_number')
      .where(
        'request_id',
        '=',
        (
          await t.db
            .selectFrom('intake_item')
            .select('request_id')
            .where('case_id', '=', c.id)
            .executeTakeFirstOrThrow()
        ).request_id,
      )
      .execute();
    expect(authorised.map((a) => a.id_number).sort()).toEqual(members.map((m) => m.id_number).sort());
    const ids = members.map((m) => m.id_number);
    const sim = await t.db
      .selectFrom('sim_dept_record')
      .selectAll()
      .where('id_number', 'in', ids)
      .where('source_code', 'in', ['vehicle', 'bank_deposit'])
      .execute();
    expect(sim.some((r) => r.source_code === 'vehicle' && r.kind === 'car')).toBe(true);
    const deposits = sim
      .filter((r) => r.source_code === 'bank_deposit')
      .reduce((n, r) => n + Number(r.amount_fen), 0);
    expect(deposits).toBeGreaterThan(24 * 41_000 * members.length);
  });

  it('plants a deceased recipient the registry does not know about, still enrolled', async () => {
    const p = planted('deceased_enrolled');
    const dead = await person(p.personIds[0] as number);
    expect(dead.death_date).toBeNull();
    const [death] = await records('death', [dead.id_number]);
    expect(death?.event_date?.slice(0, 7)).toBe('2015-06');
    const membership = await t.db
      .selectFrom('household_member')
      .select('household_id')
      .where('person_id', '=', dead.id)
      .where('valid_to', 'is', null)
      .executeTakeFirstOrThrow();
    expect(membership.household_id).toBe(p.householdIds[0]);
    expect((await activeEnrolments(membership.household_id)).map((e) => e.program_code)).toEqual([
      'rural_dibao',
    ]);
  });

  it('plants one person twice: same name, birth date and sex, two ID numbers, two enrolled households in two towns', async () => {
    const p = planted('duplicate_person');
    const [a, b] = await Promise.all(p.personIds.map(person));
    expect(a && b).toBeTruthy();
    if (!a || !b) return;
    expect([a.name, a.birth_date, a.sex]).toEqual([b.name, b.birth_date, b.sex]);
    expect(a.id_number).not.toBe(b.id_number);
    const [ha, hb] = await Promise.all(p.householdIds.map(household));
    expect(ha?.town_code).not.toBe(hb?.town_code);
    for (const h of p.householdIds) expect((await activeEnrolments(h)).length).toBeGreaterThan(0);
  });

  it('plants a staff member’s spouse on dibao, married by record, not in the close-relative register', async () => {
    const p = planted('undeclared_staff_relative');
    const [spouse, staffPerson] = await Promise.all(p.personIds.map(person));
    if (!spouse || !staffPerson) throw new Error('planted persons missing');
    const staff = await t.db
      .selectFrom('staff')
      .selectAll()
      .where('id_number', '=', staffPerson.id_number)
      .executeTakeFirstOrThrow();
    const marriages = await records('marriage', [spouse.id_number, staff.id_number]);
    expect(marriages.map((m) => [m.id_number, m.ref]).sort()).toEqual(
      [
        [spouse.id_number, staff.id_number],
        [staff.id_number, spouse.id_number],
      ].sort(),
    );
    const declared = await t.db
      .selectFrom('staff_relative')
      .select('id')
      .where('id_number', '=', spouse.id_number)
      .execute();
    expect(declared).toEqual([]);
    const programs = (await activeEnrolments(p.householdIds[0] as number)).map((e) => e.program_code);
    expect(programs.some((c) => c.endsWith('dibao'))).toBe(true);
  });

  it('plants a low-income family that qualifies but is not enrolled (漏保)', async () => {
    const p = planted('missed_eligible');
    expect(await activeEnrolments(p.householdIds[0] as number)).toEqual([]);
    const ids = (await Promise.all(p.personIds.map(person))).map((x) => x.id_number);
    const lowIncome = await records('low_income', ids);
    expect(lowIncome.length).toBe(ids.length);
    expect(lowIncome.every((r) => Number(r.monthly_fen) < 26_000)).toBe(true);
    const others = await t.db
      .selectFrom('dept_record')
      .select(['monthly_fen'])
      .where('source_code', '=', 'low_income')
      .where('id_number', 'not in', ids)
      .execute();
    expect(others.length).toBeGreaterThan(0);
    // The other low-income families are above the rural standard: 低保边缘 or 刚性支出, not eligible.
    expect(others.every((r) => Number(r.monthly_fen) > 26_000)).toBe(true);
  });

  it('the default campaign over all programs finds exactly the planted cases', async () => {
    const actor = systemActor(COUNTY, 'test');
    const campaign = await t.db
      .transaction()
      .execute((trx) => createCampaign(trx, actor, { title: '演示核查', asOf: DEMO_AS_OF }, NOW));
    await runCampaign(t.db, actor, campaign.id, NOW);
    const findings = await t.db
      .selectFrom('audit_finding')
      .select(['rule_type', 'household_id'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    const expected = result.departments.planted
      .filter((p) => p.ruleType !== null)
      .flatMap((p) => p.householdIds.map((h) => `${p.ruleType}:${h}`));
    expect(findings.map((f) => `${f.rule_type}:${f.household_id}`).sort()).toEqual(expected.sort());
  }, 60_000);

  it('verifying the applicant family finds the car and the deposits', async () => {
    const p = planted('applicant_assets');
    const clerk = await t.db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', 'rucheng_jingban')
      .executeTakeFirstOrThrow();
    const actor: Actor = {
      userId: clerk.id,
      username: clerk.username,
      role: clerk.role as Role,
      countyCode: clerk.county_code,
      areaCode: clerk.area_code,
    };
    const outcome = await requestVerification(t.db, actor, { caseId: p.caseId }, NOW);
    expect(outcome.conclusion).toBe('12');
    const report = await t.db
      .selectFrom('verification_report')
      .select('report_json')
      .where('id', '=', outcome.reportId)
      .executeTakeFirstOrThrow();
    const body = JSON.parse(report.report_json) as {
      assets: { vehicles: { type: string }[]; refusals: { code: string }[] };
      unavailableSources: string[];
    };
    expect(body.assets.vehicles.map((v) => v.type)).toEqual(['car']);
    expect(body.assets.refusals.map((r) => r.code).sort()).toEqual(['financial_assets', 'motor_vehicle']);
    expect(body.unavailableSources).toEqual([]);
  }, 60_000);
});
