/**
 * 核对平台 department data through the API and the service (DOMAIN §3.1, §3.2): snapshot files imported whole
 * (CSV, xlsx, JSON) or refused whole with every row's problem while the snapshot in force stays; lookups only
 * under an authorisation or for an enrolled household's periodic re-check, each logged; connectors against the
 * simulator over HTTP — a retry after an injected failure, a timeout (unavailable, or the snapshot instead) and
 * a breaker that opens and stops calling.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/actor.ts';
import { toCsv } from '../../src/domain/payments/csv.ts';
import type { SourceCode } from '../../src/domain/verification/sources.ts';
import { resetConnectors } from '../../src/modules/departments/connector.ts';
import { type LookupContext, lookupPersons } from '../../src/modules/departments/departments.service.ts';
import {
  createSimulatorApp,
  type SimulatorState,
} from '../../src/modules/departments/simulator/simulator.routes.ts';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const BANK_HEADER = ['身份证号码', '姓名', '存款类型', '余额（元）', '余额日期', '开户银行', '账号'];
const LI = id('1956-03-12', 11);
const CHEN = id('1958-07-01', 22);
const PAN = id('1940-02-02', 42);
/** The same ID number with a wrong check character. */
const badCheck = (idNumber: string) => idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(ENGINES)('department data on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let partner: Client;
  let auditor: Client;
  let townClerk: Client;
  let adminActor: Actor;
  let bankSnapshot: number;
  let sim: { app: FastifyInstance; state: SimulatorState };
  let simUrl: string;

  const upload = (
    c: Client,
    source: string,
    bytes: Buffer,
    contentType: string,
    fileName: string,
    asOf = '2026-10-31',
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/departments/sources/${source}/snapshots?fileName=${encodeURIComponent(fileName)}&asOf=${asOf}`,
      headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken, 'content-type': contentType },
      payload: bytes,
    });
  const recordsOf = (snapshotId: number) =>
    tdb.db
      .selectFrom('dept_record')
      .selectAll()
      .where('snapshot_id', '=', snapshotId)
      .orderBy('id')
      .execute();
  const queries = (source: string) =>
    tdb.db.selectFrom('dept_query').selectAll().where('source_code', '=', source).orderBy('id').execute();
  const ctx = (over: Partial<LookupContext> = {}): LookupContext => ({
    actor: adminActor,
    countyCode: COUNTY,
    townCode: RUCHENG,
    caseId: 77,
    verificationRequestId: null,
    basis: 'authorisation',
    authorisations: new Map([
      [LI, 9001],
      [CHEN, 9002],
    ]),
    ...over,
  });
  const configure = (source: SourceCode, body: Record<string, unknown>) =>
    admin.send('PUT', `/api/v1/departments/sources/${source}`, {
      mode: 'connector',
      connectorUrl: simUrl,
      ...body,
    });
  const simRecord = (source: SourceCode, idNumber: string, name: string, fields: Record<string, unknown>) =>
    tdb.db
      .insertInto('sim_dept_record')
      .values({
        source_code: source,
        id_number: idNumber,
        name,
        kind: 'x',
        status: null,
        amount_fen: null,
        monthly_fen: null,
        event_date: null,
        exempt: 0,
        ref: null,
        data_json: null,
        ...fields,
      })
      .execute();

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb, { JIUZHU_SIMULATOR_HTTP: 'true' });
    admin = await login(app, USERS.admin.username);
    partner = await login(app, USERS.partner.username);
    auditor = await login(app, USERS.auditor.username);
    townClerk = await login(app, USERS.ruchengClerk.username);
    const user = await tdb.db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    adminActor = {
      userId: user.id,
      username: 'admin',
      role: 'county_admin',
      countyCode: COUNTY,
      areaCode: COUNTY,
    };
    sim = await createSimulatorApp({ db: tdb.db });
    await sim.app.listen({ port: 0, host: '127.0.0.1' });
    const address = sim.app.server.address();
    simUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/sim/departments`;
    await simRecord('securities', LI, '李建国', {
      kind: 'stock',
      amount_fen: 1234500,
      event_date: '2026-10-31',
      ref: '某证券公司',
    });
    await simRecord('vehicle', LI, '李建国', {
      kind: 'car',
      status: 'normal',
      event_date: '2019-06-01',
      ref: '粤F12345',
      data_json: JSON.stringify({ brand: '五菱宏光' }),
    });
  });
  beforeEach(() => resetConnectors({ backoffInitialMs: 10 }));
  afterAll(async () => {
    await sim?.app.close();
    await app?.close();
    await tdb?.destroy();
  });

  it('lists the 14 sources, fed by snapshots until set otherwise; towns see none of it', async () => {
    const res = await admin.get('/api/v1/departments/sources');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toHaveLength(14);
    expect(items[0]).toMatchObject({
      code: 'hukou',
      label: '公安户籍',
      mode: 'snapshot',
      breaker: 'closed',
      inForce: null,
    });
    expect((await townClerk.get('/api/v1/departments/sources')).statusCode).toBe(403);
    const layouts = (await partner.get('/api/v1/departments/layouts')).json().items;
    expect(layouts.find((l: { source: string }) => l.source === 'bank_deposit').columns[0]).toMatchObject({
      key: 'id_number',
      header: '身份证号码',
      required: true,
    });
    const tpl = await partner.get('/api/v1/departments/layouts/bank_deposit/template?format=csv');
    expect(tpl.statusCode).toBe(200);
    expect(tpl.headers['content-type']).toContain('text/csv');
    expect(tpl.body.replace('\uFEFF', '').split('\r\n')[0]).toBe(BANK_HEADER.join(','));
  });

  it('documents the routes and the simulator in the OpenAPI description', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/departments/sources/{code}/snapshots',
        '/api/v1/departments/queries',
        '/sim/departments/{source}/query',
      ]),
    );
  });

  it('imports a good CSV (partner department): in force, its records readable', async () => {
    const csv = toCsv([
      BANK_HEADER,
      [LI, '李建国', '活期', '1200.50', '2026-10-31', '广东乳源农村商业银行', '6230123456789012345'],
      [CHEN, '陈秀英', '定期', '30000', '2026-10-31', '中国邮政储蓄银行', '6210000011112222'],
      [PAN, '盘桂兰', 'current', '88', '2026-10-31', '中国邮政储蓄银行', '6210987654321098765'],
    ]);
    const res = await upload(partner, 'bank_deposit', Buffer.from(csv), 'text/csv', '银行存款2026-10.csv');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'in_force', rowCount: 3, errorCount: 0, errors: [] });
    bankSnapshot = res.json().snapshotId;
    const recs = await recordsOf(bankSnapshot);
    expect(recs.map((r) => [r.id_number, r.kind, Number(r.amount_fen)])).toEqual([
      [LI, 'current', 120050],
      [CHEN, 'fixed', 3000000],
      [PAN, 'current', 8800],
    ]);
    // The account number is never stored whole.
    expect(recs[0]?.ref).toBe('广东乳源农村商业银行 ***************2345');
    const src = (await admin.get('/api/v1/departments/sources'))
      .json()
      .items.find((s: { code: string }) => s.code === 'bank_deposit');
    expect(src.inForce).toMatchObject({ id: bankSnapshot, asOf: '2026-10-31', rowCount: 3 });
    const audit = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'dept.snapshot_import')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.username).toBe('partner');
  });

  it('imports xlsx (base64 JSON) and JSON (raw array) files', async () => {
    const xlsx = await xlsxOf([
      ['身份证号码', '姓名', '车辆类型', '车辆状态', '号牌号码', '初次登记日期'],
      [LI, '李建国', '小型客车', '正常', '粤F12345', '2019-06-01'],
    ]);
    const res = await admin.send('POST', '/api/v1/departments/sources/vehicle/snapshots', {
      fileName: '车辆.xlsx',
      asOf: '2026-11-01',
      contentBase64: xlsx.toString('base64'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'in_force', rowCount: 1 });
    const snap = (await admin.get(`/api/v1/departments/snapshots/${res.json().snapshotId}`)).json();
    expect(snap).toMatchObject({ fileFormat: 'xlsx', status: 'in_force', asOf: '2026-11-01', errors: [] });

    const json = [
      { 身份证号码: PAN, 姓名: '盘桂兰', 户口性质: '农业', 户籍状态: '正常', 户号: '440232000123' },
    ];
    const j = await app.inject({
      method: 'POST',
      url: '/api/v1/departments/sources/hukou/snapshots?fileName=hukou.json&asOf=2026-11-01',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      payload: JSON.stringify(json),
    });
    expect(j.statusCode).toBe(200);
    const recs = await recordsOf(j.json().snapshotId);
    expect(recs.map((r) => [r.id_number, r.kind, r.status, r.ref])).toEqual([
      [PAN, 'rural', 'normal', '440232000123'],
    ]);
  });

  it('refuses a malformed file whole, naming each row, column and reason; the snapshot in force stays', async () => {
    const before = await recordsOf(bankSnapshot);
    const header = BANK_HEADER.filter((h) => h !== '余额日期');
    const csv = toCsv([
      header,
      [LI, '李建国', '活期', '1200.50', '广东乳源农村商业银行', '6230123456789012345'],
      [badCheck(CHEN), '陈秀英', '定期', '30000', '中国邮政储蓄银行', '6210000011112222'],
      [CHEN, '陈秀英', '定期', '30000', '中国邮政储蓄银行', '6210000011112222'],
      [PAN, '盘桂兰', '活期', '12.345', '中国邮政储蓄银行', '6210987654321098765'],
    ]);
    const res = await upload(admin, 'bank_deposit', Buffer.from(csv), 'text/csv', 'bad.csv');
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toContain('现行数据快照不变');
    expect(body.status).toBe('rejected');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: 1,
          column: '余额日期',
          reason: expect.stringContaining('缺少必填列'),
        }),
        expect.objectContaining({ row: 3, column: '身份证号码', reason: expect.stringContaining('校验位') }),
        expect.objectContaining({
          row: 5,
          column: '余额（元）',
          value: '12.345',
          reason: expect.stringContaining('两位小数'),
        }),
      ]),
    );
    expect(body.error.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 3, field: '身份证号码' })]),
    );
    const rejected = (await admin.get(`/api/v1/departments/snapshots/${body.snapshotId}`)).json();
    expect(rejected).toMatchObject({ status: 'rejected', rowCount: 4, errorCount: body.errorCount });
    expect(rejected.errors).toHaveLength(body.errors.length);
    // Nothing else changed.
    expect(await recordsOf(body.snapshotId)).toEqual([]);
    const inForce = (await admin.get('/api/v1/departments/snapshots?sourceCode=bank_deposit')).json().items;
    expect(
      inForce.filter((s: { status: string }) => s.status === 'in_force').map((s: { id: number }) => s.id),
    ).toEqual([bankSnapshot]);
    expect(await recordsOf(bankSnapshot)).toEqual(before);
  });

  it('refuses the file in force imported again; a town user cannot import', async () => {
    const csv = toCsv([
      BANK_HEADER,
      [LI, '李建国', '活期', '1200.50', '2026-10-31', '广东乳源农村商业银行', '6230123456789012345'],
      [CHEN, '陈秀英', '定期', '30000', '2026-10-31', '中国邮政储蓄银行', '6210000011112222'],
      [PAN, '盘桂兰', 'current', '88', '2026-10-31', '中国邮政储蓄银行', '6210987654321098765'],
    ]);
    const again = await upload(admin, 'bank_deposit', Buffer.from(csv), 'text/csv', 'again.csv');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('完全相同');
    expect((await upload(townClerk, 'bank_deposit', Buffer.from(csv), 'text/csv', 'x.csv')).statusCode).toBe(
      403,
    );
  });

  it('cleans up what an interrupted import left, on the next import', async () => {
    const stale = await tdb.db
      .insertInto('dept_snapshot')
      .values({
        county_code: COUNTY,
        source_code: 'tax',
        layout_version: 'v1',
        file_name: 'half.csv',
        file_sha256: 'x',
        file_format: 'csv',
        as_of: '2026-01-01',
        status: 'loading',
        row_count: 1,
        error_count: 0,
        errors_json: null,
        imported_by: 'admin',
        imported_at: '2026-01-01T00:00:00.000Z',
        activated_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('dept_record')
      .values({
        snapshot_id: stale.id,
        source_code: 'tax',
        id_number: LI,
        name: '李建国',
        kind: 'wage',
        status: null,
        amount_fen: 1,
        monthly_fen: null,
        event_date: null,
        exempt: 0,
        ref: '2025',
        data_json: null,
      })
      .execute();
    const csv = toCsv([
      ['身份证号码', '姓名', '所得项目', '纳税年度', '收入额（元）'],
      [LI, '李建国', '工资薪金所得', '2025', '48000.00'],
    ]);
    const res = await upload(admin, 'tax', Buffer.from(csv), 'text/csv', 'tax.csv', '2025-12-31');
    expect(res.statusCode).toBe(200);
    expect(await recordsOf(stale.id)).toEqual([]);
    const row = await tdb.db
      .selectFrom('dept_snapshot')
      .selectAll()
      .where('id', '=', stale.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('rejected');
  });

  it('refuses and logs a lookup without authorisation, and a periodic re-check outside an enrolled household', async () => {
    await expect(
      lookupPersons(
        tdb.db,
        ctx({ authorisations: new Map([[LI, 9001]]) }),
        [
          { idNumber: LI, personId: null },
          { idNumber: PAN, personId: null },
        ],
        ['bank_deposit'],
      ),
    ).rejects.toMatchObject({ code: 'REFUSED', message: expect.stringContaining('尚未登记核对授权书') });
    const refused = (await queries('bank_deposit')).filter((q) => q.status === 'refused');
    expect(refused.map((q) => [q.id_number, q.basis, q.requested_by, q.case_id])).toEqual([
      [PAN, 'authorisation', 'admin', 77],
    ]);

    await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: RUCHENG,
        program_code: 'urban_dibao',
        household_id: fx.ruchengHousehold,
        person_id: null,
        start_month: '2026-01',
        end_month: null,
        status: 'active',
        support_mode: null,
        single_person: 0,
        end_reason: null,
        review_class: null,
        last_review_on: null,
        next_review_on: null,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    const recheck = ctx({ basis: 'periodic_recheck', authorisations: new Map(), caseId: null });
    await expect(
      lookupPersons(tdb.db, recheck, [{ idNumber: PAN, personId: null }], ['bank_deposit']),
    ).rejects.toMatchObject({ code: 'REFUSED', message: expect.stringContaining('定期复核') });
    const ok = await lookupPersons(tdb.db, recheck, [{ idNumber: LI, personId: null }], ['bank_deposit']);
    expect(ok.get(LI)?.[0]).toMatchObject({ status: 'ok', channel: 'snapshot' });
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'dept.lookup%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'dept.lookup',
      'dept.lookup_refused',
      'dept.lookup_refused',
    ]);
  });

  it('answers an authorised lookup from the snapshots in force and logs who, which case, which authorisation', async () => {
    const before = (await queries('bank_deposit')).length;
    const results = await lookupPersons(
      tdb.db,
      ctx({ verificationRequestId: 5 }),
      [
        { idNumber: LI, personId: 1 },
        { idNumber: CHEN, personId: 2 },
      ],
      ['bank_deposit', 'vehicle', 'death'],
    );
    const li = results.get(LI) ?? [];
    expect(li.map((r) => [r.sourceCode, r.status, r.channel, r.snapshotAsOf])).toEqual([
      ['bank_deposit', 'ok', 'snapshot', '2026-10-31'],
      ['vehicle', 'ok', 'snapshot', '2026-11-01'],
      ['death', 'unavailable', 'snapshot', null],
    ]);
    expect(li[0]?.records[0]).toMatchObject({ idNumber: LI, kind: 'current', amountFen: 120050 });
    expect(results.get(CHEN)?.[1]).toMatchObject({ sourceCode: 'vehicle', status: 'not_found', records: [] });
    const log = (await queries('bank_deposit')).slice(before);
    expect(
      log.map((q) => [
        q.id_number,
        q.person_id,
        q.authorisation_id,
        q.case_id,
        q.verification_request_id,
        q.status,
      ]),
    ).toEqual([
      [LI, 1, 9001, 77, 5, 'ok'],
      [CHEN, 2, 9002, 77, 5, 'ok'],
    ]);
    expect(log[0]).toMatchObject({
      channel: 'snapshot',
      snapshot_id: bankSnapshot,
      record_count: 1,
      requested_by: 'admin',
      town_code: RUCHENG,
    });
    const death = await queries('death');
    expect(death.map((q) => q.status)).toEqual(['error', 'error']);

    const list = await auditor.get(
      '/api/v1/departments/queries?caseId=77&sourceCode=bank_deposit&pageSize=2',
    );
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThanOrEqual(3);
    expect(list.json().items[0]).toMatchObject({
      idNumber: `440232${'*'.repeat(8)}${CHEN.slice(-4)}`,
      authorisationId: 9002,
      caseId: 77,
    });
    expect((await townClerk.get('/api/v1/departments/queries')).statusCode).toBe(403);
  });

  it('checks connector settings and audits them', async () => {
    const noUrl = await admin.send('PUT', '/api/v1/departments/sources/securities', { mode: 'connector' });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json().error).toMatchObject({
      field: 'connectorUrl',
      message: '实时接口方式须填写接口地址',
    });
    const badTimeout = await configure('securities', { timeoutMs: 10 });
    expect(badTimeout.json().error.message).toContain('超时时间');
    expect(
      (await townClerk.send('PUT', '/api/v1/departments/sources/securities', { mode: 'snapshot' }))
        .statusCode,
    ).toBe(403);
    const ok = await configure('securities', { timeoutMs: 2000, maxRetries: 2, breakerThreshold: 5 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      code: 'securities',
      mode: 'connector',
      connectorUrl: simUrl,
      timeoutMs: 2000,
      maxRetries: 2,
    });
    const audit = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'dept.source_config')
      .execute();
    expect(audit.map((a) => a.entity_id)).toEqual(['securities']);
  });

  it('retries a failed connector call: the second attempt answers', async () => {
    await configure('securities', { timeoutMs: 2000, maxRetries: 2, breakerThreshold: 5 });
    sim.state.failTimes = 1;
    sim.state.calls = 0;
    const r = await lookupPersons(tdb.db, ctx(), [{ idNumber: LI, personId: null }], ['securities']);
    expect(r.get(LI)?.[0]).toMatchObject({
      status: 'ok',
      channel: 'connector',
      snapshotAsOf: null,
      error: null,
    });
    expect(r.get(LI)?.[0]?.records[0]).toMatchObject({
      kind: 'stock',
      amountFen: 1234500,
      ref: '某证券公司',
    });
    expect(sim.state.calls).toBe(2);
    const log = (await queries('securities')).at(-1);
    expect(log).toMatchObject({
      channel: 'connector',
      status: 'ok',
      attempts: 2,
      record_count: 1,
      authorisation_id: 9001,
    });
  });

  it('a timeout leaves the source unavailable, or answered by the snapshot in force (noted)', async () => {
    await configure('securities', { timeoutMs: 150, maxRetries: 0 });
    await configure('bank_deposit', { timeoutMs: 150, maxRetries: 0 });
    sim.state.latencyMs = 600;
    try {
      const r = await lookupPersons(
        tdb.db,
        ctx(),
        [{ idNumber: LI, personId: null }],
        ['securities', 'bank_deposit'],
      );
      expect(r.get(LI)?.[0]).toMatchObject({
        sourceCode: 'securities',
        status: 'unavailable',
        channel: 'connector',
        error: '部门接口超时',
      });
      expect(r.get(LI)?.[1]).toMatchObject({
        sourceCode: 'bank_deposit',
        status: 'ok',
        channel: 'snapshot',
        snapshotAsOf: '2026-10-31',
      });
      expect(r.get(LI)?.[1]?.error).toContain('已改用 2026-10-31 的数据快照');
      expect((await queries('securities')).at(-1)).toMatchObject({ status: 'timeout', attempts: 1 });
      expect((await queries('bank_deposit')).at(-1)).toMatchObject({
        channel: 'connector',
        status: 'timeout',
        snapshot_id: bankSnapshot,
        record_count: 1,
      });
    } finally {
      sim.state.latencyMs = 0;
    }
  });

  it('opens the breaker after N consecutive failures and stops calling the department', async () => {
    await configure('commercial_insurance', {
      timeoutMs: 2000,
      maxRetries: 0,
      breakerThreshold: 2,
      breakerCooldownMs: 60000,
    });
    sim.state.failTimes = 100;
    sim.state.calls = 0;
    try {
      for (let i = 0; i < 2; i++) {
        const r = await lookupPersons(
          tdb.db,
          ctx(),
          [{ idNumber: LI, personId: null }],
          ['commercial_insurance'],
        );
        expect(r.get(LI)?.[0]).toMatchObject({
          status: 'unavailable',
          error: expect.stringContaining('HTTP 503'),
        });
      }
      expect(sim.state.calls).toBe(2);
      const src = (await admin.get('/api/v1/departments/sources'))
        .json()
        .items.find((s: { code: string }) => s.code === 'commercial_insurance');
      expect(src.breaker).toBe('open');
      const r = await lookupPersons(
        tdb.db,
        ctx(),
        [{ idNumber: LI, personId: null }],
        ['commercial_insurance'],
      );
      expect(r.get(LI)?.[0]).toMatchObject({ status: 'unavailable', error: expect.stringContaining('熔断') });
      expect(sim.state.calls).toBe(2);
      const log = await queries('commercial_insurance');
      expect(log.map((q) => [q.status, q.attempts])).toEqual([
        ['error', 1],
        ['error', 1],
        ['circuit_open', 0],
      ]);
    } finally {
      sim.state.failTimes = 0;
    }
  });

  it('lets one trial call through after the cooldown; its success closes the breaker', async () => {
    await configure('public_payroll', {
      timeoutMs: 2000,
      maxRetries: 0,
      breakerThreshold: 1,
      breakerCooldownMs: 1000,
    });
    sim.state.failTimes = 1;
    await lookupPersons(tdb.db, ctx(), [{ idNumber: LI, personId: null }], ['public_payroll']);
    const state = async () =>
      (await admin.get('/api/v1/departments/sources'))
        .json()
        .items.find((s: { code: string }) => s.code === 'public_payroll').breaker;
    expect(await state()).toBe('open');
    await new Promise((r) => setTimeout(r, 1100));
    const r = await lookupPersons(tdb.db, ctx(), [{ idNumber: LI, personId: null }], ['public_payroll']);
    expect(r.get(LI)?.[0]).toMatchObject({ status: 'not_found', channel: 'connector', error: null });
    expect(await state()).toBe('closed');
  });

  it('reaches the simulator in-process with connector URL sim:, and over HTTP at /sim/departments', async () => {
    await admin.send('PUT', '/api/v1/departments/sources/vehicle', {
      mode: 'connector',
      connectorUrl: 'sim:',
    });
    const r = await lookupPersons(tdb.db, ctx(), [{ idNumber: LI, personId: null }], ['vehicle']);
    expect(r.get(LI)?.[0]).toMatchObject({ status: 'ok', channel: 'connector' });
    expect(r.get(LI)?.[0]?.records[0]).toMatchObject({
      kind: 'car',
      status: 'normal',
      ref: '粤F12345',
      data: { brand: '五菱宏光' },
    });
    const res = await app.inject({
      method: 'POST',
      url: '/sim/departments/vehicle/query',
      payload: {
        requestId: 'x',
        source: 'vehicle',
        layoutVersion: 'v1',
        subjects: [{ idNumber: LI }, { idNumber: PAN }],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      source: 'vehicle',
      results: [
        { idNumber: LI, found: true, rows: [{ id_number: LI, vehicle_type: 'car', plate_no: '粤F12345' }] },
        { idNumber: PAN, found: false, rows: [] },
      ],
    });
    expect(
      (await app.inject({ method: 'POST', url: '/sim/departments/nope/query', payload: { subjects: [] } }))
        .statusCode,
    ).toBe(404);
  });

  it('a death snapshot files one re-check task, due 3 months after the death, per enrolled household the registry lacks (DOMAIN §4.9)', async () => {
    await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: DAQIAO,
        program_code: 'rural_dibao',
        household_id: fx.daqiaoHousehold,
        person_id: null,
        start_month: '2026-01',
        end_month: null,
        status: 'active',
        support_mode: null,
        single_person: 0,
        end_reason: null,
        review_class: null,
        last_review_on: null,
        next_review_on: null,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    const tasks = () =>
      tdb.db
        .selectFrom('case_task')
        .select(['household_id', 'town_code', 'due_on', 'status', 'case_id', 'note'])
        .where('kind', '=', 'recheck_after_death')
        .orderBy('id')
        .execute();
    const before = await tasks();
    const header = ['身份证号码', '姓名', '信息类别', '死亡日期'];
    const OUTSIDER = id('1950-05-05', 71);
    const first = await upload(
      admin,
      'death',
      Buffer.from(
        toCsv([header, [PAN, '盘桂兰', '火化', '2026-09-30'], [OUTSIDER, '外县人', '土葬', '2026-08-01']]),
      ),
      'text/csv',
      '死亡2026-10.csv',
    );
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'in_force', recheckTasks: 1 });
    const filed = (await tasks()).slice(before.length);
    expect(filed).toEqual([
      {
        household_id: fx.daqiaoHousehold,
        town_code: DAQIAO,
        due_on: '2026-12-30',
        status: 'open',
        case_id: null,
        note: expect.stringContaining('盘桂兰 于 2026-09-30 死亡'),
      },
    ]);
    // The next month's file names her again: the household's open task is not doubled.
    const again = await upload(
      admin,
      'death',
      Buffer.from(
        toCsv([header, [PAN, '盘桂兰', '火化', '2026-09-30'], [LI, '李建国', '火化', '2026-11-01']]),
      ),
      'text/csv',
      '死亡2026-11.csv',
      '2026-11-30',
    );
    expect(again.json()).toMatchObject({ status: 'in_force' });
    const after = (await tasks()).slice(before.length);
    expect(after.filter((t) => t.household_id === fx.daqiaoHousehold)).toHaveLength(1);
  });
});
