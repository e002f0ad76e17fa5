/**
 * 核查 campaigns through the API (DOMAIN §3.5, §4.9, §9, §10, §11): a small county with one planted case per rule
 * and a near miss for each that must not be found (disability vehicle, deposits exactly at the limit, a declared
 * staff relative, a mud-brick house, a husband-and-wife shop, a death within the grace period, a superseded
 * snapshot…), run on both engines; the town clerk sees only the own town's findings and records keep/exit (exit
 * opens the enrolment's change case in review); summary figures and narrative; rules with bad parameters refused;
 * a failed run re-run without duplicates.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf } from '../../src/modules/auth/auth.service.ts';
import {
  createCampaign,
  failInterruptedCampaigns,
  runCampaign,
} from '../../src/modules/campaigns/campaigns.service.ts';
import { insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const NOW = new Date('2015-07-10T02:00:00Z');
const AS_OF = '2015-06-30';
/** 24 months × the urban standard 410 元 × 2 persons (demo policy, DOMAIN §3.5 Guangdong rule). */
const DEPOSIT_LIMIT_2 = 24 * 41_000 * 2;

interface Planted {
  key: string;
  town: string;
  members: { name: string; birth: string; seq: number }[];
  program?: string;
  enrol?: boolean;
  bankAccount?: string;
}

// Sequence numbers: odd = male, even = female (buildResidentId).
const HOUSEHOLDS: Planted[] = [
  {
    key: 'deceased',
    town: DAQIAO,
    program: 'rural_tekun',
    members: [{ name: '王老五', birth: '1938-04-04', seq: 301 }],
  },
  {
    key: 'deathRecent',
    town: RUCHENG,
    members: [
      { name: '周大山', birth: '1950-01-01', seq: 303 },
      { name: '周小河', birth: '1980-01-01', seq: 305 },
    ],
  },
  { key: 'dupA', town: RUCHENG, members: [{ name: '王芳', birth: '1960-01-01', seq: 402 }] },
  { key: 'dupB', town: DAQIAO, members: [{ name: '王芳', birth: '1960-01-01', seq: 404 }] },
  {
    key: 'shareA',
    town: RUCHENG,
    bankAccount: '6230999988887777',
    members: [{ name: '刘一', birth: '1970-02-02', seq: 501 }],
  },
  {
    key: 'shareB',
    town: DAQIAO,
    bankAccount: '6230999988887777',
    members: [{ name: '刘二', birth: '1971-02-02', seq: 503 }],
  },
  {
    key: 'car',
    town: RUCHENG,
    bankAccount: '6230111122223333',
    members: [
      { name: '钱有车', birth: '1975-03-03', seq: 601 },
      { name: '孙小妹', birth: '1977-03-03', seq: 602 },
    ],
  },
  {
    key: 'notEnrolledSameAccount',
    town: RUCHENG,
    enrol: false,
    bankAccount: '6230111122223333',
    members: [{ name: '钱某', birth: '1950-03-03', seq: 603 }],
  },
  { key: 'disabilityVehicle', town: RUCHENG, members: [{ name: '吴残', birth: '1965-05-05', seq: 605 }] },
  { key: 'houses', town: RUCHENG, members: [{ name: '郑两房', birth: '1966-06-06', seq: 701 }] },
  { key: 'mudBrick', town: RUCHENG, members: [{ name: '冯泥屋', birth: '1967-07-07', seq: 703 }] },
  { key: 'shop', town: RUCHENG, members: [{ name: '陈个体', birth: '1968-08-08', seq: 705 }] },
  {
    key: 'rich',
    town: RUCHENG,
    members: [
      { name: '褚富', birth: '1969-09-09', seq: 801 },
      { name: '褚妻', birth: '1970-09-09', seq: 802 },
    ],
  },
  {
    key: 'depositLimit',
    town: RUCHENG,
    members: [
      { name: '卫平', birth: '1969-10-10', seq: 803 },
      { name: '王芳', birth: '1961-01-01', seq: 804 },
    ],
  },
  {
    key: 'payroll',
    town: RUCHENG,
    members: [
      { name: '蒋公', birth: '1972-11-11', seq: 901 },
      { name: '蒋妻', birth: '1973-11-11', seq: 902 },
    ],
  },
  { key: 'payrollLeft', town: RUCHENG, members: [{ name: '沈离', birth: '1972-12-12', seq: 903 }] },
  {
    key: 'income',
    town: RUCHENG,
    members: [
      { name: '韩工', birth: '1974-01-15', seq: 905 },
      { name: '韩妻', birth: '1975-01-15', seq: 906 },
    ],
  },
  {
    key: 'incomeBelow',
    town: RUCHENG,
    members: [
      { name: '杨工', birth: '1974-02-15', seq: 907 },
      { name: '杨妻', birth: '1975-02-15', seq: 908 },
    ],
  },
  { key: 'spouse', town: RUCHENG, members: [{ name: '朱妻', birth: '1976-03-15', seq: 702 }] },
  { key: 'declared', town: RUCHENG, members: [{ name: '秦妻', birth: '1976-04-15', seq: 704 }] },
  { key: 'sameHukou', town: DAQIAO, members: [{ name: '许弟', birth: '1979-05-15', seq: 707 }] },
  {
    key: 'poor',
    town: RUCHENG,
    enrol: false,
    members: [
      { name: '何穷', birth: '1960-06-15', seq: 711 },
      { name: '何妻', birth: '1962-06-15', seq: 712 },
    ],
  },
  { key: 'poorCar', town: RUCHENG, enrol: false, members: [{ name: '吕穷', birth: '1960-07-15', seq: 713 }] },
];

const idOf = (birth: string, seq: number) => id(birth, seq);
const STAFF = {
  zhu: { name: '朱干部', id: idOf('1975-03-15', 921) },
  qin: { name: '秦干部', id: idOf('1975-04-15', 923) },
  xu: { name: '许干部', id: idOf('1977-05-15', 925) },
};

describe.each(ENGINES)('核查 campaigns on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let rcClerk: Client;
  let dqClerk: Client;
  let approver: Client;
  const hh: Record<string, number> = {};
  const member: Record<string, string> = {};
  const enrolmentOf: Record<string, number> = {};
  let campaignId = 0;

  const snapshot = async (source: string, status: 'in_force' | 'superseded' = 'in_force') => {
    const row = await tdb.db
      .insertInto('dept_snapshot')
      .values({
        county_code: COUNTY,
        source_code: source,
        layout_version: 'v1',
        file_name: `${source}.csv`,
        file_sha256: `${source}-${status}`,
        file_format: 'csv',
        as_of: '2015-06-01',
        status,
        row_count: 0,
        error_count: 0,
        errors_json: null,
        imported_by: 'test',
        imported_at: NOW.toISOString(),
        activated_at: NOW.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    await tdb.db.transaction().execute((trx) => insertDemoPolicy(trx, COUNTY, NOW));
    const ts = NOW.toISOString();
    for (const [i, h] of HOUSEHOLDS.entries()) {
      const created = await tdb.db.transaction().execute((trx) =>
        createHousehold(
          trx,
          fx.system,
          {
            townCode: h.town,
            villageCode: h.town === RUCHENG ? '440232100201' : '440232109201',
            address: `测试地址${i}号`,
            hukouType: 'rural',
            bankName: '广东乳源农村商业银行',
            bankAccount: h.bankAccount ?? `62301234000${String(10000 + i)}`,
            bankAccountHolder: h.members[0]?.name ?? null,
            effectiveDate: '2010-01-01',
            members: h.members.map((m, k) => ({
              idNumber: idOf(m.birth, m.seq),
              name: m.name,
              relation: k === 0 ? '户主' : '配偶',
            })),
          },
          NOW,
        ),
      );
      hh[h.key] = created.id;
      member[h.key] = idOf(h.members[0]?.birth ?? '', h.members[0]?.seq ?? 0);
      if (h.enrol === false) continue;
      const program = h.program ?? 'rural_dibao';
      const personId =
        program === 'rural_tekun'
          ? (
              await tdb.db
                .selectFrom('person')
                .select('id')
                .where('id_number', '=', member[h.key] ?? '')
                .executeTakeFirstOrThrow()
            ).id
          : null;
      const e = await tdb.db
        .insertInto('enrolment')
        .values({
          county_code: COUNTY,
          town_code: h.town,
          program_code: program,
          household_id: created.id,
          person_id: personId,
          start_month: '2015-01',
          end_month: null,
          status: 'active',
          support_mode: program === 'rural_tekun' ? 'dispersed' : null,
          single_person: 0,
          end_reason: null,
          created_at: ts,
          updated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      enrolmentOf[h.key] = e.id;
    }
    // The fixture households are enrolled too, clean (no department records).
    for (const [key, town] of [
      ['fixtureRc', RUCHENG],
      ['fixtureDq', DAQIAO],
    ] as const) {
      const e = await tdb.db
        .insertInto('enrolment')
        .values({
          county_code: COUNTY,
          town_code: town,
          program_code: 'rural_dibao',
          household_id: key === 'fixtureRc' ? fx.ruchengHousehold : fx.daqiaoHousehold,
          person_id: null,
          start_month: '2014-01',
          end_month: null,
          status: 'active',
          support_mode: null,
          single_person: 0,
          end_reason: null,
          created_at: ts,
          updated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      enrolmentOf[key] = e.id;
    }

    const snaps: Record<string, number> = {};
    for (const s of [
      'death',
      'vehicle',
      'real_estate',
      'business',
      'bank_deposit',
      'public_payroll',
      'social_insurance',
      'marriage',
      'hukou',
      'low_income',
    ]) {
      snaps[s] = await snapshot(s);
    }
    const oldVehicles = await snapshot('vehicle', 'superseded');
    const second = (key: string) => {
      const h = HOUSEHOLDS.find((x) => x.key === key);
      const m = h?.members[1];
      return m ? idOf(m.birth, m.seq) : '';
    };
    const r = (
      source: string,
      idNumber: string,
      over: Partial<{
        kind: string;
        status: string | null;
        amount_fen: number | null;
        monthly_fen: number | null;
        event_date: string | null;
        exempt: number;
        ref: string | null;
        snapshot_id: number;
      }>,
    ) => ({
      snapshot_id: over.snapshot_id ?? snaps[source] ?? 0,
      source_code: source,
      id_number: idNumber,
      name: '某',
      kind: over.kind ?? '',
      status: over.status ?? null,
      amount_fen: over.amount_fen ?? null,
      monthly_fen: over.monthly_fen ?? null,
      event_date: over.event_date ?? '2012-01-01',
      exempt: over.exempt ?? 0,
      ref: over.ref ?? null,
      data_json: null,
    });
    const m = (key: string) => member[key] ?? '';
    await tdb.db
      .insertInto('dept_record')
      .values([
        // deceased_paid: died 2015-02-10, still a member; near miss: died in the as-of month.
        r('death', m('deceased'), { kind: 'cremation', event_date: '2015-02-10', ref: 'SW001' }),
        r('death', second('deathRecent'), { kind: 'cremation', event_date: '2015-06-15', ref: 'SW002' }),
        // vehicle: a car; near misses: a disability vehicle and an e-bike, a scrapped car, a car in a superseded snapshot.
        r('vehicle', m('car'), { kind: 'car', status: 'normal', ref: '粤F12345' }),
        r('vehicle', m('disabilityVehicle'), { kind: 'disability_vehicle', status: 'normal', exempt: 1 }),
        r('vehicle', m('disabilityVehicle'), { kind: 'ebike', status: 'normal' }),
        r('vehicle', m('houses'), { kind: 'car', status: 'scrapped' }),
        r('vehicle', m('depositLimit'), { kind: 'car', status: 'normal', snapshot_id: oldVehicles }),
        // real estate: two houses; near miss: a second, mud-brick house not lived in.
        r('real_estate', m('houses'), { kind: 'residential', ref: 'FC1' }),
        r('real_estate', m('houses'), { kind: 'residential', ref: 'FC2' }),
        r('real_estate', m('mudBrick'), { kind: 'residential', ref: 'FC3' }),
        r('real_estate', m('mudBrick'), { kind: 'residential', exempt: 1, ref: 'FC4' }),
        // business: an individual business; near miss: a husband-and-wife shop.
        r('business', m('shop'), { kind: 'individual', status: 'active', amount_fen: 5_000_000 }),
        r('business', m('mudBrick'), { kind: 'individual', status: 'active', exempt: 1 }),
        // deposits: one fen over the limit; near miss: exactly at it.
        r('bank_deposit', m('rich'), { kind: 'fixed', amount_fen: DEPOSIT_LIMIT_2 - 1000 }),
        r('bank_deposit', second('rich'), { kind: 'current', amount_fen: 1001 }),
        r('bank_deposit', m('depositLimit'), { kind: 'fixed', amount_fen: DEPOSIT_LIMIT_2 }),
        // public payroll: in post (its salary also puts the household above the standard); near miss: left.
        r('public_payroll', m('payroll'), {
          kind: 'staff',
          status: 'active',
          monthly_fen: 350_000,
          ref: '县林业局',
        }),
        r('public_payroll', m('payrollLeft'), {
          kind: 'staff',
          status: 'left',
          monthly_fen: 350_000,
          ref: '县林业局',
        }),
        // income: exactly the standard per head (260 元 × 2); near miss: a fen below; basic pension not counted.
        r('social_insurance', m('income'), { kind: 'contribution', status: 'active', monthly_fen: 52_000 }),
        r('social_insurance', m('incomeBelow'), {
          kind: 'contribution',
          status: 'active',
          monthly_fen: 51_999,
        }),
        r('social_insurance', m('deathRecent'), {
          kind: 'resident_basic_pension',
          status: 'active',
          monthly_fen: 90_000,
        }),
        // staff relatives: an undeclared spouse (the staff member's marriage record), a declared one, a same-户号 brother.
        r('marriage', STAFF.zhu.id, { kind: 'married', ref: m('spouse'), event_date: '2001-05-01' }),
        r('marriage', m('declared'), { kind: 'married', ref: STAFF.qin.id, event_date: '2002-05-01' }),
        r('hukou', STAFF.xu.id, { kind: 'rural', status: 'normal', ref: 'HK0042' }),
        r('hukou', m('sameHukou'), { kind: 'rural', status: 'normal', ref: 'HK0042' }),
        r('hukou', m('car'), { kind: 'rural', status: 'normal', ref: 'HK0099' }),
        // 漏保: a low-income family below the standard, not enrolled; near misses: one with a car, one enrolled.
        r('low_income', m('poor'), { kind: 'edge', status: 'active', monthly_fen: 20_000, ref: 'DSR01' }),
        r('low_income', m('poorCar'), { kind: 'edge', status: 'active', monthly_fen: 20_000, ref: 'DSR02' }),
        r('vehicle', m('poorCar'), { kind: 'car', status: 'normal' }),
        r('low_income', m('incomeBelow'), {
          kind: 'edge',
          status: 'active',
          monthly_fen: 20_000,
          ref: 'DSR03',
        }),
      ])
      .execute();
    // Staff in office (DOMAIN §10); 秦 declared his wife, 朱 did not.
    for (const s of Object.values(STAFF)) {
      const row = await tdb.db
        .insertInto('staff')
        .values({
          county_code: COUNTY,
          town_code: RUCHENG,
          person_id: null,
          id_number: s.id,
          name: s.name,
          kind: s === STAFF.xu ? 'village_cadre' : 'official',
          organisation: s === STAFF.xu ? '大桥村委会' : '乳城镇社会事务办',
          position: null,
          term_start: '2010-01-01',
          term_end: null,
          user_id: null,
          created_at: ts,
          updated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (s === STAFF.qin) {
        await tdb.db
          .insertInto('staff_relative')
          .values({
            county_code: COUNTY,
            staff_id: row.id,
            id_number: m('declared'),
            name: '秦妻',
            relation: '配偶',
            created_at: ts,
          })
          .execute();
      }
    }
    // The deceased 五保 person was paid for March to June (after the death in February).
    for (const month of ['2015-02', '2015-03', '2015-04', '2015-05', '2015-06']) {
      await tdb.db
        .insertInto('payment_ledger')
        .values({
          county_code: COUNTY,
          town_code: DAQIAO,
          program_code: 'rural_tekun',
          household_id: hh.deceased ?? 0,
          person_id: null,
          enrolment_id: enrolmentOf.deceased ?? null,
          benefit_month: month,
          pay_month: month,
          component: 'basic',
          fund_source: 'county',
          amount_fen: 49_200,
          entry_kind: 'payment',
          payroll_id: null,
          payroll_line_id: null,
          one_off_id: null,
          reason: null,
          posted_by: 'test',
          posted_at: ts,
        })
        .execute();
    }
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    rcClerk = await login(app, USERS.ruchengClerk.username);
    dqClerk = await login(app, USERS.daqiaoClerk.username);
    approver = await login(app, USERS.approver.username);
  });

  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('documents the routes in the OpenAPI description', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/campaigns/rules',
        '/api/v1/campaigns/{id}/summary',
        '/api/v1/findings/{id}/outcome',
      ]),
    );
  });

  it('lists the default rules, one per type, with categories and parameters', async () => {
    const res = await admin.get('/api/v1/campaigns/rules');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      code: string;
      categoryLabel: string;
      params: Record<string, unknown>;
      builtin: boolean;
    }[];
    expect(items.map((i) => i.code).sort()).toEqual(
      [
        'business_registration',
        'deceased_paid',
        'deposits_over_limit',
        'duplicate_person',
        'income_above_standard',
        'missed_eligible',
        'public_payroll',
        'real_estate_excess',
        'shared_bank_account',
        'staff_relative',
        'vehicle',
      ].sort(),
    );
    expect(items.find((i) => i.code === 'missed_eligible')?.categoryLabel).toBe('漏保');
    expect(items.find((i) => i.code === 'deposits_over_limit')?.params).toMatchObject({
      monthsOfStandard: 24,
      standardBasis: 'urban',
    });
  });

  it('refuses a rule with bad parameters, naming the parameter in Chinese; a stale version is refused', async () => {
    const bad = await admin.send('PUT', '/api/v1/campaigns/rules/deposits_over_limit', {
      version: 1,
      params: { monthsOfStandard: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION', field: 'params.monthsOfStandard' });
    expect(bad.json().error.message).toContain('月数至少为 1');
    const created = await admin.send('POST', '/api/v1/campaigns/rules', {
      code: 'vehicle_any',
      type: 'vehicle',
      params: { exemptTypes: ['spaceship'] },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.field).toBe('params.exemptTypes.0');
    expect(created.json().error.message).toMatch(/车辆类型应为/);
    const clerk = await rcClerk.send('PUT', '/api/v1/campaigns/rules/vehicle', {
      version: 1,
      params: { maxCount: 1 },
    });
    expect(clerk.statusCode).toBe(403);
    const ok = await admin.send('POST', '/api/v1/campaigns/rules', {
      code: 'vehicle_strict',
      type: 'vehicle',
      label: '拥有任何机动车（含摩托车）',
      params: { exemptTypes: [] },
      enabled: false,
    });
    expect(ok.statusCode).toBe(201);
    const upd = await admin.send('PUT', '/api/v1/campaigns/rules/vehicle_strict', {
      version: 1,
      params: { maxCount: 0 },
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.json().version).toBe(2);
    const stale = await admin.send('PUT', '/api/v1/campaigns/rules/vehicle_strict', {
      version: 1,
      enabled: true,
    });
    expect(stale.statusCode).toBe(409);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'campaign.rule.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['campaign.rule.create', 'campaign.rule.update']);
  });

  it('runs the default rules and finds exactly the planted cases', async () => {
    const created = await admin.send('POST', '/api/v1/campaigns', {
      title: '2015年城乡低保、五保核查',
      asOf: AS_OF,
    });
    expect(created.statusCode).toBe(201);
    campaignId = created.json().id;
    expect(created.json().ruleCodes).toHaveLength(11); // the disabled custom rule is not included
    const run = await admin.send('POST', `/api/v1/campaigns/${campaignId}/run`);
    expect(run.statusCode).toBe(202);
    let c = (await admin.get(`/api/v1/campaigns/${campaignId}`)).json();
    for (let i = 0; i < 500 && c.status !== 'done' && c.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      c = (await admin.get(`/api/v1/campaigns/${campaignId}`)).json();
    }
    expect(c.error).toBeNull();
    expect(c.status).toBe('done');
    expect(c.progress).toEqual({ rulesDone: 11, rulesTotal: 11 });

    const res = await admin.get(`/api/v1/campaigns/${campaignId}/findings?pageSize=500`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      ruleCode: string;
      householdId: number;
      personIdNumber: string | null;
      summary: string;
      category: string;
    }[];
    const keyOf = (householdId: number) => Object.entries(hh).find(([, v]) => v === householdId)?.[0];
    const got = items.map((f) => `${f.ruleCode}:${keyOf(f.householdId)}`).sort();
    expect(got).toEqual(
      [
        'business_registration:shop',
        'deceased_paid:deceased',
        'deposits_over_limit:rich',
        'duplicate_person:dupA',
        'duplicate_person:dupB',
        'income_above_standard:income',
        'income_above_standard:payroll',
        'missed_eligible:poor',
        'public_payroll:payroll',
        'real_estate_excess:houses',
        'shared_bank_account:shareA',
        'shared_bank_account:shareB',
        'staff_relative:sameHukou',
        'staff_relative:spouse',
        'vehicle:car',
      ].sort(),
    );
    expect(c.findingCount).toBe(15);
    // ID numbers are masked in the list; summaries are Chinese and specific.
    for (const f of items) if (f.personIdNumber) expect(f.personIdNumber).toMatch(/^\d{6}\*+\d{3}[\dX]$/);
    const deceased = items.find((f) => f.ruleCode === 'deceased_paid');
    expect(deceased?.summary).toContain('死亡后仍发放 4 个月共 1,968.00 元');
    expect(deceased?.category).toBe('pianBao');
    expect(
      items.find((f) => f.ruleCode === 'staff_relative' && keyOf(f.householdId) === 'spouse')?.summary,
    ).toContain('朱干部的配偶（婚姻登记）（未备案）');
    expect(items.find((f) => f.ruleCode === 'vehicle')?.summary).toContain('粤F12345');
    // Each finding has an open review task for the town.
    const tasks = await tdb.db
      .selectFrom('case_task')
      .select(['kind', 'status', 'town_code'])
      .where('kind', '=', 'audit_review')
      .execute();
    expect(tasks).toHaveLength(15);
    expect(tasks.every((t) => t.status === 'open')).toBe(true);
  });

  it('town users see only their own town; county roles see all', async () => {
    const rc = (await rcClerk.get(`/api/v1/campaigns/${campaignId}/findings?pageSize=500`)).json();
    expect(rc.items.length).toBeGreaterThan(0);
    expect(rc.items.every((f: { townCode: string }) => f.townCode === RUCHENG)).toBe(true);
    const dq = (await dqClerk.get('/api/v1/findings?mine=true')).json();
    expect(dq.items.map((f: { ruleCode: string }) => f.ruleCode).sort()).toEqual([
      'deceased_paid',
      'duplicate_person',
      'shared_bank_account',
      'staff_relative',
    ]);
    expect(rc.total + dq.total).toBe(15);
    const all = (await approver.get(`/api/v1/campaigns/${campaignId}/findings?pageSize=500`)).json();
    expect(all.total).toBe(15);
    expect((await dqClerk.get(`/api/v1/campaigns/${campaignId}`)).json().findingCount).toBe(4);
  });

  it('the town records keep and exit; exit opens the change case in review; another town is refused', async () => {
    const list = (await rcClerk.get(`/api/v1/campaigns/${campaignId}/findings?pageSize=500`)).json()
      .items as {
      id: number;
      ruleCode: string;
      householdId: number;
      version: number;
      taskId: number;
    }[];
    const houses = list.find((f) => f.ruleCode === 'real_estate_excess');
    const car = list.find((f) => f.ruleCode === 'vehicle');
    if (!houses || !car) throw new Error('findings missing');
    const keep = await rcClerk.send('POST', `/api/v1/findings/${houses.id}/outcome`, {
      version: houses.version,
      outcome: 'keep',
      note: '入户核实：第二套住房为父母所有，已分户',
    });
    expect(keep.statusCode).toBe(200);
    expect(keep.json()).toMatchObject({ outcome: 'keep', caseId: null });
    const again = await rcClerk.send('POST', `/api/v1/findings/${houses.id}/outcome`, {
      version: houses.version,
      outcome: 'exit',
      note: '重复登记',
    });
    expect(again.statusCode).toBe(409);

    const exit = await rcClerk.send('POST', `/api/v1/findings/${car.id}/outcome`, {
      version: car.version,
      outcome: 'exit',
      note: '入户核实：车辆为本人所有，自用',
    });
    expect(exit.statusCode).toBe(200);
    const caseId = exit.json().caseId as number;
    expect(caseId).toBeGreaterThan(0);
    const c = await tdb.db
      .selectFrom('case_file')
      .selectAll()
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      procedure: 'dibao_changes',
      state: 'under_review',
      enrolment_id: enrolmentOf.car,
    });
    const ev = await tdb.db
      .selectFrom('case_event')
      .select(['action', 'input_json'])
      .where('case_id', '=', caseId)
      .execute();
    expect(ev.map((e) => e.action)).toEqual(['open', 'report_change']);
    expect(ev[1]?.input_json).toContain('粤F12345');
    const tasks = await tdb.db
      .selectFrom('case_task')
      .select(['id', 'status'])
      .where('id', 'in', [houses.taskId, car.taskId])
      .execute();
    expect(tasks.every((t) => t.status === 'done')).toBe(true);

    const dqFinding = (await dqClerk.get('/api/v1/findings?mine=true')).json().items[0] as {
      id: number;
      version: number;
    };
    const foreign = await rcClerk.send('POST', `/api/v1/findings/${dqFinding.id}/outcome`, {
      version: dqFinding.version,
      outcome: 'keep',
      note: '越权',
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('FORBIDDEN_AREA');
    const noNote = await dqClerk.send('POST', `/api/v1/findings/${dqFinding.id}/outcome`, {
      version: dqFinding.version,
      outcome: 'keep',
      note: '',
    });
    expect(noNote.statusCode).toBe(400);
    const poor = (
      await rcClerk.get(`/api/v1/campaigns/${campaignId}/findings?ruleCode=missed_eligible`)
    ).json().items[0];
    const exitPoor = await rcClerk.send('POST', `/api/v1/findings/${poor.id}/outcome`, {
      version: poor.version,
      outcome: 'exit',
      note: '不适用',
    });
    expect(exitPoor.statusCode).toBe(400);
    expect(exitPoor.json().error.field).toBe('outcome');
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'campaign.finding.outcome')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('the campaign list counts the findings, and the open ones, of the user’s own town', async () => {
    type Row = { id: number; findingCount: number; openCount: number };
    const row = async (c: Client) => {
      const res = await c.get('/api/v1/campaigns');
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Row[]).find((x) => x.id === campaignId);
    };
    const rcTotal = (await rcClerk.get(`/api/v1/campaigns/${campaignId}/findings?pageSize=500`)).json()
      .total as number;
    // 乳城 recorded two outcomes (keep, exit) in the test before; 大桥 none.
    expect(await row(rcClerk)).toMatchObject({ findingCount: rcTotal, openCount: rcTotal - 2 });
    expect(await row(dqClerk)).toMatchObject({ findingCount: 4, openCount: 4 });
    expect(await row(admin)).toMatchObject({ findingCount: 15, openCount: 13 });
    expect(await row(approver)).toMatchObject({ findingCount: 15, openCount: 13 });
  });

  it('summarises per town × program with the narrative of the county report', async () => {
    const res = await admin.get(`/api/v1/campaigns/${campaignId}/summary`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    // Enrolled: 乳城 = fixture (3) + 17 households of the plan; 大桥 = fixture (1) + 4 dibao + 1 五保.
    const rcRow = s.rows.find(
      (r: { townCode: string; programCode: string }) =>
        r.townCode === RUCHENG && r.programCode === 'rural_dibao',
    );
    const rcPlanted = HOUSEHOLDS.filter((h) => h.town === RUCHENG && h.enrol !== false);
    const rcPersons = 3 + rcPlanted.reduce((n, h) => n + h.members.length, 0);
    expect(rcRow).toMatchObject({
      households: rcPlanted.length + 1,
      persons: rcPersons,
      reviewed: 2,
      kept: 1,
      exitedHouseholds: 1,
      exitedPersons: 2,
    });
    const dqDibao = HOUSEHOLDS.filter((h) => h.town === DAQIAO && h.enrol !== false && !h.program);
    const dibaoHouseholds = rcPlanted.length + 1 + dqDibao.length + 1;
    const dibaoPersons = rcPersons + 1 + dqDibao.reduce((n, h) => n + h.members.length, 0);
    expect(s.lines[0]).toBe(
      `全县共复核城乡低保对象${dibaoHouseholds}户、${dibaoPersons}人，其中，退出对象1户、2人；五保对象1人，其中，退出0人。`,
    );
    expect(s.total.findings).toBe(15);
    expect(s.total.byCategory.louBao).toBe(1);
    expect(s.lines.some((l: string) => l.startsWith('乳城镇共复核城乡低保对象'))).toBe(true);
    const rc = (await rcClerk.get(`/api/v1/campaigns/${campaignId}/summary`)).json();
    expect(rc.rows.every((r: { townCode: string }) => r.townCode === RUCHENG)).toBe(true);
  });

  it('a recovery on a 五保 person who died records the death in the termination case', async () => {
    const f = (await dqClerk.get(`/api/v1/campaigns/${campaignId}/findings?ruleCode=deceased_paid`)).json()
      .items[0];
    const res = await dqClerk.send('POST', `/api/v1/findings/${f.id}/outcome`, {
      version: f.version,
      outcome: 'recover',
      note: '核实：已于2月死亡，家属代领',
      recoveryFen: 196_800,
    });
    expect(res.statusCode).toBe(200);
    const c = await tdb.db
      .selectFrom('case_file')
      .selectAll()
      .where('id', '=', res.json().caseId)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({
      procedure: 'tekun_termination',
      state: 'termination_review',
      enrolment_id: enrolmentOf.deceased,
    });
    expect(JSON.parse(c.facts_json)).toMatchObject({ deathDate: '2015-02-10' });
    const s = (await admin.get(`/api/v1/campaigns/${campaignId}/summary`)).json();
    expect(s.total.recoveryFen).toBe(196_800);
    expect(s.lines[0]).toMatch(/五保对象1人，其中，退出1人。$/);
  });

  it('a failed run is run again without duplicates; a finished one is not run twice', async () => {
    const actor = actorOf(
      await tdb.db
        .selectFrom('app_user')
        .selectAll()
        .where('username', '=', USERS.auditor.username)
        .executeTakeFirstOrThrow(),
    );
    const c = await tdb.db.transaction().execute((trx) =>
      createCampaign(
        trx,
        actor,
        {
          title: '复跑',
          asOf: AS_OF,
          ruleCodes: ['vehicle', 'duplicate_person'],
          townCodes: [RUCHENG, DAQIAO],
        },
        NOW,
      ),
    );
    await runCampaign(tdb.db, actor, c.id, NOW);
    // A run interrupted by a restart (still 运行中 at start-up) is marked failed with the reason.
    await tdb.db
      .updateTable('audit_campaign')
      .set({ status: 'running', rules_done: 1 })
      .where('id', '=', c.id)
      .execute();
    expect(await failInterruptedCampaigns(tdb.db, NOW)).toBe(1);
    expect(
      await tdb.db
        .selectFrom('audit_campaign')
        .select(['status', 'error'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'failed', error: '运行中断（服务重新启动），请重新运行' });
    const again = await runCampaign(tdb.db, actor, c.id, NOW);
    expect(again.status).toBe('done');
    expect(again.findingCount).toBe(3);
    const findings = await tdb.db
      .selectFrom('audit_finding')
      .select(['task_id'])
      .where('campaign_id', '=', c.id)
      .execute();
    expect(findings).toHaveLength(3);
    const tasks = await tdb.db
      .selectFrom('case_task')
      .select('id')
      .where('kind', '=', 'audit_review')
      .where('note', 'like', `核查#${c.id}/%`)
      .execute();
    expect(tasks.map((t) => t.id).sort()).toEqual(findings.map((f) => f.task_id).sort());
    await expect(runCampaign(tdb.db, actor, c.id, NOW)).rejects.toThrow(/已运行完成/);
    const res = await admin.send('POST', `/api/v1/campaigns/${c.id}/run`);
    expect(res.statusCode).toBe(409);
    const clerk = await rcClerk.send('POST', `/api/v1/campaigns/${c.id}/run`);
    expect(clerk.statusCode).toBe(403);
  });
});
