/**
 * 居民家庭经济状况核对 through the API (DOMAIN §3): a case verified on the family's authorisations against department
 * snapshots (a car and deposits → not eligible, both listed, differences against the declaration), refusal naming
 * the member without an authorisation, periodic re-checks only of enrolled households, the immutable report, town
 * scoping (audited), the printable page with masked ID numbers, resumable re-check batches and the schedule.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/actor.ts';
import { addDays, chinaDate } from '../../src/domain/calendar/dates.ts';
import { maskIdNumber } from '../../src/domain/identity/resident-id.ts';
import { SOURCE_CODES } from '../../src/domain/verification/sources.ts';
import { actorOf } from '../../src/modules/auth/auth.service.ts';
import { openCase } from '../../src/modules/cases/cases.service.ts';
import { insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import {
  putSchedule,
  runRecheckBatch,
  runScheduledRechecks,
  startRecheckBatch,
} from '../../src/modules/verification/batch.ts';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const NOW = new Date('2026-11-28T02:00:00Z');
const SPOUSE_ID = id('1958-07-01', 22);
const SON_ID = id('2004-10-05', 31);

describe.each(ENGINES)('household economic verification on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let rcClerk: Client;
  let dqClerk: Client;
  let adminActor: Actor;
  let caseId = 0;
  let intakeRequestId = 0;
  let reportId = 0;
  let notEnrolledHousehold = 0;
  let secondEnrolled = 0;

  const enrol = async (householdId: number, townCode: string, programCode = 'rural_dibao') =>
    (
      await tdb.db
        .insertInto('enrolment')
        .values({
          county_code: COUNTY,
          town_code: townCode,
          program_code: programCode,
          household_id: householdId,
          person_id: null,
          start_month: '2026-01',
          end_month: null,
          status: 'active',
          support_mode: null,
          single_person: 0,
          end_reason: null,
          created_at: NOW.toISOString(),
          updated_at: NOW.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  const authorise = (idNumber: string, name: string) =>
    tdb.db
      .insertInto('verification_authorisation')
      .values({
        county_code: COUNTY,
        town_code: RUCHENG,
        request_id: intakeRequestId,
        person_id: null,
        id_number: idNumber,
        name,
        signer: 'self',
        signer_name: null,
        signed_on: '2026-11-20',
        note: null,
        created_at: NOW.toISOString(),
      })
      .execute();

  const household = (townCode: string, village: string, members: { idNumber: string; name: string }[]) =>
    tdb.db.transaction().execute((trx) =>
      createHousehold(
        trx,
        fx.system,
        {
          townCode,
          villageCode: village,
          address: `${members[0]?.name}家`,
          hukouType: 'rural',
          effectiveDate: '2010-01-01',
          members: members.map((m, i) => ({ ...m, relation: i === 0 ? '户主' : '配偶' })),
        },
        NOW,
      ),
    );

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    await tdb.db.transaction().execute((trx) => insertDemoPolicy(trx, COUNTY, NOW));
    adminActor = actorOf(
      await tdb.db
        .selectFrom('app_user')
        .selectAll()
        .where('username', '=', USERS.admin.username)
        .executeTakeFirstOrThrow(),
    );

    // 乳城 family (urban): an intake request and a 城市低保 case from it.
    const ts = NOW.toISOString();
    intakeRequestId = (
      await tdb.db
        .insertInto('intake_request')
        .values({
          county_code: COUNTY,
          town_code: RUCHENG,
          village_code: '440232100101',
          household_id: fx.ruchengHousehold,
          applicant_person_id: null,
          applicant_name: '李建国',
          applicant_id_number: fx.ruchengHeadId,
          applicant_phone: null,
          channel: 'window',
          description: '申请城市低保',
          received_by_user_id: null,
          received_by: 'rc_clerk',
          received_at: ts,
          status: 'in_progress',
          missing_materials_json: null,
          notice_issued_at: null,
          created_at: ts,
          updated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const item = await tdb.db
      .insertInto('intake_item')
      .values({
        county_code: COUNTY,
        town_code: RUCHENG,
        request_id: intakeRequestId,
        item_code: 'dibao',
        decision: 'accepted',
        department: null,
        forwarded_on: null,
        due_on: null,
        reply: null,
        replied_on: null,
        applicant_informed_on: null,
        reason: null,
        case_id: null,
        created_at: ts,
        updated_at: ts,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    caseId = (
      await tdb.db
        .transaction()
        .execute((trx) =>
          openCase(
            trx,
            fx.system,
            { programCode: 'urban_dibao', householdId: fx.ruchengHousehold, intakeItemId: item.id },
            NOW,
          ),
        )
    ).id;
    await authorise(fx.ruchengHeadId, '李建国');
    await authorise(SPOUSE_ID, '陈秀英');

    // Department snapshots in force for every source; the head owns a car and 200,000 元 of deposits.
    for (const source of SOURCE_CODES) {
      const snap = await tdb.db
        .insertInto('dept_snapshot')
        .values({
          county_code: COUNTY,
          source_code: source,
          layout_version: 'v1',
          file_name: `${source}.csv`,
          file_sha256: `sha-${source}`,
          file_format: 'csv',
          as_of: '2026-11-01',
          status: 'in_force',
          row_count: 0,
          error_count: 0,
          errors_json: null,
          imported_by: 'admin',
          imported_at: ts,
          activated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const record = {
        snapshot_id: snap.id,
        source_code: source,
        id_number: fx.ruchengHeadId,
        name: '李建国',
        status: null,
        amount_fen: null,
        monthly_fen: null,
        exempt: 0,
        data_json: null,
      };
      if (source === 'vehicle') {
        await tdb.db
          .insertInto('dept_record')
          .values({ ...record, kind: 'car', status: 'normal', event_date: '2024-05-01', ref: '粤F12345' })
          .execute();
      }
      if (source === 'bank_deposit') {
        await tdb.db
          .insertInto('dept_record')
          .values({
            ...record,
            kind: 'fixed',
            amount_fen: 20_000_000,
            event_date: '2026-10-31',
            ref: '某银行 ****1234',
          })
          .execute();
      }
    }

    // Enrolled households for re-checks: 大桥's fixture household and two more; one household not enrolled.
    await enrol(fx.daqiaoHousehold, DAQIAO);
    const h2 = await household(DAQIAO, '440232109202', [{ idNumber: id('1970-05-05', 201), name: '赵大' }]);
    const h3 = await household(DAQIAO, '440232109201', [
      { idNumber: id('1971-06-06', 203), name: '钱二' },
      { idNumber: id('1972-07-07', 204), name: '孙三' },
    ]);
    secondEnrolled = h2.id;
    await enrol(h2.id, DAQIAO);
    await enrol(h3.id, DAQIAO);
    notEnrolledHousehold = (
      await household(RUCHENG, '440232100201', [{ idNumber: id('1980-01-01', 205), name: '周四' }])
    ).id;

    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    rcClerk = await login(app, USERS.ruchengClerk.username);
    dqClerk = await login(app, USERS.daqiaoClerk.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('refuses a verification while a member has not signed the authorisation, naming the person', async () => {
    const res = await rcClerk.send('POST', '/api/v1/verification/requests', { caseId });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toContain('以下人员尚未登记核对授权书：李明');
    expect(res.json().error.message).not.toContain('陈秀英');
    const requests = await tdb.db.selectFrom('verification_request').select('id').execute();
    expect(requests).toHaveLength(0);
  });

  it('verifies the case: a car and deposits make the family not eligible, with the differences', async () => {
    await authorise(SON_ID, '李明');
    const res = await rcClerk.send('POST', '/api/v1/verification/requests', {
      caseId,
      declaration: {
        members: [{ idNumber: fx.ruchengHeadId, incomes: [{ type: 'wage', monthlyFen: 100_000 }] }],
        assets: {
          financialAssetsFen: 500_000,
          residentialProperties: 0,
          nonResidentialProperties: 0,
          vehicles: 0,
          businessRegistrations: 0,
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json();
    expect(out.conclusion).toBe('11');
    expect(out.conclusionLabel).toBe('非城市低保对象');
    expect(out.reportNo).toMatch(new RegExp(`^HD${COUNTY}\\d{8}0001$`));
    expect(out.differenceCount).toBeGreaterThanOrEqual(2);
    reportId = out.reportId;

    const req = await tdb.db
      .selectFrom('verification_request')
      .selectAll()
      .where('id', '=', out.requestId)
      .executeTakeFirstOrThrow();
    expect(req).toMatchObject({ basis: 'authorisation', check_type: '01', status: 'done', case_id: caseId });
    // Every subject × source was asked and logged under its authorisation.
    const queries = await tdb.db
      .selectFrom('dept_query')
      .select(['id_number', 'authorisation_id'])
      .where('verification_request_id', '=', out.requestId)
      .execute();
    expect(queries).toHaveLength(3 * SOURCE_CODES.length);
    expect(queries.every((q) => q.authorisation_id !== null)).toBe(true);

    const full = await rcClerk.get(`/api/v1/verification/reports/${reportId}`);
    expect(full.statusCode, full.body).toBe(200);
    const view = full.json();
    expect(view.intact).toBe(true);
    expect(view.report.assets.vehicles).toEqual([{ type: 'car' }]);
    expect(view.report.assets.financialAssetsFen).toBe(20_000_000);
    expect(view.report.assets.passed).toBe(false);
    const items = view.report.differences.map((d: { item: string; major: boolean }) => d);
    expect(items.some((d: { item: string; major: boolean }) => /车/.test(d.item) && d.major)).toBe(true);
    expect(items.some((d: { item: string; major: boolean }) => /金融资产|存款/.test(d.item) && d.major)).toBe(
      true,
    );
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select(['action', 'username'])
      .where('entity_type', '=', 'verification_report')
      .where('entity_id', '=', String(reportId))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['verification.report', 'verification_report.read']),
    );

    const list = await rcClerk.get(`/api/v1/verification/reports?caseId=${caseId}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(1);
    const subjects = list.json().items[0].subjects as { idNumber: string }[];
    expect(subjects.map((s) => s.idNumber)).toContain(maskIdNumber(fx.ruchengHeadId));
    expect(list.body).not.toContain(fx.ruchengHeadId);
  });

  it('keeps the report immutable', async () => {
    await expect(
      tdb.db
        .updateTable('verification_report')
        .set({ conclusion_code: '01' })
        .where('id', '=', reportId)
        .execute(),
    ).rejects.toThrow(/immutable/);
    await expect(
      tdb.db.deleteFrom('verification_report').where('id', '=', reportId).execute(),
    ).rejects.toThrow(/immutable/);
  });

  it("refuses another town's clerk and audits the attempt", async () => {
    const res = await dqClerk.get(`/api/v1/verification/reports/${reportId}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN_AREA');
    const print = await dqClerk.get(`/api/v1/verification/reports/${reportId}/print`);
    expect(print.statusCode).toBe(403);
    const denied = await tdb.db
      .selectFrom('audit_log')
      .select(['username'])
      .where('action', '=', 'access.denied')
      .where('entity_type', '=', 'verification_report')
      .where('entity_id', '=', String(reportId))
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied[0]?.username).toBe(USERS.daqiaoClerk.username);
    const list = await dqClerk.get(`/api/v1/verification/reports?caseId=${caseId}`);
    expect(list.json().total).toBe(0);
  });

  it('prints the report with masked ID numbers only', async () => {
    const res = await rcClerk.get(`/api/v1/verification/reports/${reportId}/print`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain('居民家庭经济状况核对报告');
    expect(html).toContain(maskIdNumber(fx.ruchengHeadId));
    expect(html).not.toContain(fx.ruchengHeadId);
    expect(html).not.toContain(SON_ID);
    expect(html).toContain('非城市低保对象');
    expect(html).toContain('核对人');
    expect(html).toContain('复核人');
    const row = await tdb.db
      .selectFrom('verification_report')
      .select(['sha256', 'report_no'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    expect(html).toContain(row.sha256);
    expect(html).toContain(row.report_no);
  });

  it('re-checks an enrolled household without authorisations, not a household without enrolment', async () => {
    const ok = await admin.send('POST', '/api/v1/verification/requests', { householdId: fx.daqiaoHousehold });
    expect(ok.statusCode, ok.body).toBe(201);
    const req = await tdb.db
      .selectFrom('verification_request')
      .select(['basis', 'check_type'])
      .where('id', '=', ok.json().requestId)
      .executeTakeFirstOrThrow();
    expect(req).toEqual({ basis: 'periodic_recheck', check_type: '02' });

    const refused = await admin.send('POST', '/api/v1/verification/requests', {
      householdId: notEnrolledHousehold,
      basis: 'periodic_recheck',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('没有在保');
    const needsAuth = await admin.send('POST', '/api/v1/verification/requests', {
      householdId: notEnrolledHousehold,
    });
    expect(needsAuth.statusCode).toBe(400);
    expect(needsAuth.json().error.message).toContain('以下人员尚未登记核对授权书：周四');
  });

  it('verifies a 特困 applicant with the supporters, each needing an authorisation', async () => {
    const supporterId = id('1990-03-03', 207);
    const body = {
      householdId: notEnrolledHousehold,
      checkType: '05',
      supporters: [{ name: '周五', idNumber: supporterId, relation: '子女' }],
      previousYearDisposableIncomeFen: 3_600_000,
    };
    const refused = await rcClerk.send('POST', '/api/v1/verification/requests', body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('以下人员尚未登记核对授权书：周四、周五');
    await authorise(id('1980-01-01', 205), '周四');
    await authorise(supporterId, '周五');
    const res = await rcClerk.send('POST', '/api/v1/verification/requests', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(['05', '15', '04']).toContain(res.json().conclusion);
    const view = (await rcClerk.get(`/api/v1/verification/reports/${res.json().reportId}`)).json();
    expect(view.checkType).toBe('05');
    const roles = view.report.subjects.map((s: { name: string; role: string }) => `${s.name}:${s.role}`);
    expect(roles).toEqual(['周四:member', '周五:supporter']);
    expect(view.report.supporters).toHaveLength(1);
  });

  it('runs a re-check batch over the enrolled households, resumable after an interruption', async () => {
    const batch = await startRecheckBatch(tdb.db, adminActor, {
      programCodes: ['rural_dibao', 'urban_dibao'],
    });
    expect(batch.total).toBe(3);
    // "Killed" after the first chunk of one household.
    const partial = await runRecheckBatch(tdb.db, batch.id, { chunkSize: 1, maxChunks: 1 });
    expect(partial).toMatchObject({ status: 'running', done: 1, failed: 0 });
    // …and killed again in the middle of the next household: its request was recorded, the report not yet.
    await tdb.db
      .insertInto('verification_request')
      .values({
        county_code: COUNTY,
        town_code: DAQIAO,
        case_id: null,
        household_id: secondEnrolled,
        enrolment_id: null,
        batch_id: batch.id,
        basis: 'periodic_recheck',
        check_type: '02',
        subjects_json: '[]',
        declaration_json: null,
        status: 'running',
        requested_on: '2026-11-28',
        requested_by: 'admin',
        requested_at: NOW.toISOString(),
        completed_at: null,
        report_id: null,
        error: null,
      })
      .execute();
    const resumed = await runRecheckBatch(tdb.db, batch.id, { chunkSize: 1 });
    expect(resumed).toMatchObject({ status: 'done', total: 3, done: 3, failed: 0 });
    const requests = await tdb.db
      .selectFrom('verification_request')
      .select(['household_id', 'basis', 'status'])
      .where('batch_id', '=', batch.id)
      .execute();
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.household_id)).size).toBe(3);
    expect(requests.every((r) => r.basis === 'periodic_recheck' && r.status === 'done')).toBe(true);
    // Running it again changes nothing.
    const again = await runRecheckBatch(tdb.db, batch.id, { chunkSize: 1 });
    expect(again).toMatchObject({ done: 3 });

    // Through the API, in the background.
    const res = await admin.send('POST', '/api/v1/verification/batches', { programCodes: ['rural_dibao'] });
    expect(res.statusCode, res.body).toBe(202);
    let view = res.json();
    for (let i = 0; i < 200 && view.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      view = (await admin.get(`/api/v1/verification/batches/${res.json().id}`)).json();
    }
    expect(view).toMatchObject({ status: 'done', total: 3, done: 3, failed: 0 });
    expect(view.flagged).toBeGreaterThanOrEqual(0);
    const forbidden = await rcClerk.send('POST', '/api/v1/verification/batches', {
      programCodes: ['rural_dibao'],
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('filters the report list by town, conclusion, created date and 需关注, within the user’s own town', async () => {
    const rows = await tdb.db
      .selectFrom('verification_report')
      .select(['id', 'town_code', 'conclusion_code', 'difference_count', 'created_at'])
      .execute();
    expect(rows.length).toBeGreaterThan(3);
    const ids = (r: { json(): { items: { id: number }[] } }) =>
      r
        .json()
        .items.map((x) => x.id)
        .sort((a, b) => a - b);
    const expected = (keep: (r: (typeof rows)[number]) => boolean) =>
      rows
        .filter(keep)
        .map((r) => r.id)
        .sort((a, b) => a - b);
    const get = (c: Client, q: string) => c.get(`/api/v1/verification/reports?pageSize=200&${q}`);

    const all = await get(admin, '');
    expect(all.json().total).toBe(rows.length);

    const town = await get(admin, `townCode=${DAQIAO}`);
    expect(town.statusCode, town.body).toBe(200);
    expect(ids(town)).toEqual(expected((r) => r.town_code === DAQIAO));
    expect(town.json().total).toBeGreaterThan(0);

    const notEligible = await get(admin, 'conclusion=11');
    expect(ids(notEligible)).toEqual(expected((r) => r.conclusion_code === '11'));
    expect(ids(notEligible)).toContain(reportId);

    const flagged = await get(admin, 'flagged=true');
    const meets = ['01', '02', '03', '05'];
    expect(ids(flagged)).toEqual(
      expected((r) => !meets.includes(r.conclusion_code) || r.difference_count > 0),
    );
    expect(ids(flagged)).toContain(reportId);
    const combined = await get(admin, `flagged=true&townCode=${RUCHENG}&conclusion=11`);
    expect(ids(combined)).toEqual(expected((r) => r.town_code === RUCHENG && r.conclusion_code === '11'));

    // Created dates are China dates (UTC+8), inclusive at both ends.
    const days = rows.map((r) => chinaDate(new Date(r.created_at))).sort();
    const first = days[0] as string;
    const last = days[days.length - 1] as string;
    const span = await get(admin, `from=${first}&to=${last}`);
    expect(span.json().total).toBe(rows.length);
    expect((await get(admin, `from=${addDays(last, 1)}`)).json().total).toBe(0);
    expect((await get(admin, `to=${addDays(first, -1)}`)).json().total).toBe(0);
    const reportDay = chinaDate(new Date(rows.find((r) => r.id === reportId)?.created_at ?? ''));
    expect(ids(await get(admin, `from=${reportDay}&to=${reportDay}`))).toContain(reportId);

    // A town clerk sees only their own town, whatever town they ask for.
    const own = await get(rcClerk, `townCode=${RUCHENG}`);
    expect(ids(own)).toEqual(expected((r) => r.town_code === RUCHENG));
    const other = await get(rcClerk, `townCode=${DAQIAO}`);
    expect(other.statusCode).toBe(200);
    expect(other.json().total).toBe(0);
    expect(ids(await get(rcClerk, 'flagged=true'))).toEqual(
      expected(
        (r) => r.town_code === RUCHENG && (!meets.includes(r.conclusion_code) || r.difference_count > 0),
      ),
    );

    const badCode = await get(admin, 'conclusion=99');
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.message).toContain('核对结论代码');
    const backwards = await get(admin, 'from=2026-11-30&to=2026-11-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.field).toBe('to');
    const badDate = await get(admin, 'from=2026-13-01');
    expect(badDate.statusCode).toBe(400);
  });

  it('runs the scheduled re-check at most once a month', async () => {
    const put = await admin.send('PUT', '/api/v1/verification/schedule', {
      enabled: true,
      dayOfMonth: 2,
      programCodes: ['rural_dibao'],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ enabled: true, dayOfMonth: 2 });
    const early = await runScheduledRechecks(tdb.db, new Date('2026-12-01T02:00:00Z'));
    expect(early.started).toBe(false);
    const first = await runScheduledRechecks(tdb.db, new Date('2026-12-02T02:00:00Z'));
    expect(first.started).toBe(true);
    expect(first.batch).toMatchObject({ status: 'done', done: 3, trigger: 'scheduled' });
    const second = await runScheduledRechecks(tdb.db, new Date('2026-12-20T02:00:00Z'));
    expect(second.started).toBe(false);
    await putSchedule(tdb.db, adminActor, { enabled: false, dayOfMonth: 2, programCodes: ['rural_dibao'] });
    const off = await runScheduledRechecks(tdb.db, new Date('2027-01-05T02:00:00Z'));
    expect(off.started).toBe(false);
  });
});
