/**
 * 政策参数 and 政策测算 through the API: versions with their 文号 on a timeline without overlaps or gaps, a town's
 * version overriding the county's, edits only while unused, a retroactive version asking the next payroll to
 * recalculate, and the calculation entry point reading the version in force.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POLICY_VERSIONS } from '../../src/modules/demo/demo-policy.ts';
import { markPolicyUsed } from '../../src/modules/policy/policy.service.ts';
import { DAQIAO, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const demoBody = (program: string) => {
  const v = DEMO_POLICY_VERSIONS.find((d) => d.programCode === program);
  if (!v) throw new Error(program);
  return structuredClone(v.body);
};
const ruralDibao = (standardFen: number) => ({ ...demoBody('rural_dibao'), standardFen });

describe.each(ENGINES)('policy parameters and calculation API on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;
  let clerk: Client;
  let approver: Client;
  const ids: Record<string, number> = {};

  const create = (who: Client, body: Record<string, unknown>) =>
    who.send('POST', '/api/v1/policy/versions', body);

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await seedFixtures(tdb.db);
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    clerk = await login(app, USERS.ruchengClerk.username);
    approver = await login(app, USERS.approver.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('lists the parameter kinds with their programs and the JSON Schema of each body', async () => {
    const res = await clerk.get('/api/v1/policy/kinds');
    expect(res.statusCode).toBe(200);
    const kinds = res.json() as {
      kind: string;
      label: string;
      programs: { code: string }[];
      schema: object;
    }[];
    expect(kinds.map((k) => k.kind)).toEqual([
      'dibao',
      'tekun',
      'temporary_aid',
      'medical_aid',
      'price_subsidy',
    ]);
    expect(kinds[0]?.programs.map((p) => p.code)).toEqual(['urban_dibao', 'rural_dibao']);
    expect(kinds[0]?.schema).toMatchObject({
      type: 'object',
      properties: { standardFen: { type: 'integer' } },
    });
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/policy/kinds',
        '/api/v1/policy/versions',
        '/api/v1/policy/versions/{id}',
        '/api/v1/policy/resolve',
        '/api/v1/calc',
        '/api/v1/calc/schema',
      ]),
    );
  });

  it('enters a first version, then a second that closes the first the month before', async () => {
    const first = await create(admin, {
      programCode: 'rural_dibao',
      effectiveFrom: '2015-01',
      docNo: '乳民〔2015〕演示2号',
      docTitle: '2015年农村低保标准',
      body: ruralDibao(26_000),
    });
    expect(first.statusCode).toBe(201);
    ids.v2015 = first.json().id;
    expect(first.json()).toMatchObject({ effectiveTo: null, usedInPayment: false, recalculation: [] });

    const second = await create(admin, {
      programCode: 'rural_dibao',
      effectiveFrom: '2016-01',
      docNo: '乳民〔2016〕演示1号',
      body: ruralDibao(28_000),
    });
    expect(second.statusCode).toBe(201);
    ids.v2016 = second.json().id;

    const list = (await admin.get('/api/v1/policy/versions?programCode=rural_dibao')).json() as {
      id: number;
      effectiveFrom: string;
      effectiveTo: string | null;
      docNo: string;
    }[];
    expect(list.map((v) => [v.effectiveFrom, v.effectiveTo, v.docNo])).toEqual([
      ['2015-01', '2015-12', '乳民〔2015〕演示2号'],
      ['2016-01', null, '乳民〔2016〕演示1号'],
    ]);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'policy.create')
      .execute();
    expect(audit.map((a) => a.detail)).toContainEqual(expect.stringContaining('乳民〔2016〕演示1号'));
  });

  it('refuses an overlapping version, naming the version and its 文号', async () => {
    const res = await create(admin, {
      programCode: 'rural_dibao',
      effectiveFrom: '2015-07',
      docNo: '乳民〔2015〕演示9号',
      body: ruralDibao(27_000),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'CONFLICT',
      field: 'effectiveFrom',
      message: '与2016年1月起的版本（文号：乳民〔2016〕演示1号）重叠：新版本的生效月份须晚于2016年1月',
    });
  });

  it('refuses a version without a 文号, and a body that breaks the kind schema, naming the field', async () => {
    const noDoc = await create(admin, {
      programCode: 'rural_dibao',
      effectiveFrom: '2017-01',
      docNo: ' ',
      body: ruralDibao(30_000),
    });
    expect(noDoc.statusCode).toBe(400);
    expect(noDoc.json().error).toMatchObject({ code: 'VALIDATION', field: 'docNo' });
    const badBody = await create(admin, {
      programCode: 'rural_dibao',
      effectiveFrom: '2017-01',
      docNo: '乳民〔2017〕1号',
      body: { ...ruralDibao(30_000), standardFen: '300' },
    });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().error).toMatchObject({
      code: 'VALIDATION',
      field: 'body.standardFen',
      message: 'body.standardFen：金额应为整数（分）',
    });
  });

  it('a town version overrides the county version for that town only', async () => {
    const town = await create(admin, {
      programCode: 'rural_dibao',
      townCode: RUCHENG,
      effectiveFrom: '2015-07',
      effectiveTo: '2015-12',
      docNo: '乳城府〔2015〕演示3号',
      body: ruralDibao(27_300),
    });
    expect(town.statusCode).toBe(201);
    ids.town = town.json().id;
    const resolve = async (who: Client, townCode: string, month: string) =>
      (
        await who.get(`/api/v1/policy/resolve?programCode=rural_dibao&townCode=${townCode}&month=${month}`)
      ).json().policy as { docNo: string; body: { standardFen: number } } | null;
    expect((await resolve(admin, RUCHENG, '2015-09'))?.docNo).toBe('乳城府〔2015〕演示3号');
    expect((await resolve(admin, RUCHENG, '2015-06'))?.docNo).toBe('乳民〔2015〕演示2号');
    expect((await resolve(admin, RUCHENG, '2016-01'))?.docNo).toBe('乳民〔2016〕演示1号');
    expect((await resolve(admin, DAQIAO, '2015-09'))?.body.standardFen).toBe(26_000);
    expect(await resolve(admin, DAQIAO, '2014-12')).toBeNull();
    // A town user sees their own town's versions and the county's.
    const seen = (await clerk.get('/api/v1/policy/versions?programCode=rural_dibao')).json() as {
      id: number;
    }[];
    expect(seen.map((v) => v.id).sort()).toEqual([ids.v2015, ids.v2016, ids.town].sort());
    expect((await clerk.get(`/api/v1/policy/versions?townCode=${DAQIAO}`)).statusCode).toBe(403);
  });

  it('refuses a gap after a closed town version', async () => {
    const res = await create(admin, {
      programCode: 'rural_dibao',
      townCode: RUCHENG,
      effectiveFrom: '2016-03',
      docNo: '乳城府〔2016〕演示1号',
      body: ruralDibao(29_000),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe(
      '与2015年7月至2015年12月的版本（文号：乳城府〔2015〕演示3号）之间有空档（2016年1月至2016年2月无适用参数）：新版本应自2016年1月起生效',
    );
  });

  it('refuses a town clerk and a county approver: only policy.manage enters versions', async () => {
    for (const who of [clerk, approver]) {
      const res = await create(who, {
        programCode: 'rural_dibao',
        effectiveFrom: '2017-01',
        docNo: '乳民〔2017〕1号',
        body: ruralDibao(30_000),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('edits a version while unused, and refuses once a payment has used it', async () => {
    const current = (await admin.get(`/api/v1/policy/versions/${ids.v2016}`)).json();
    const edit = await admin.send('PUT', `/api/v1/policy/versions/${ids.v2016}`, {
      version: current.version,
      docNo: '乳民〔2016〕演示2号',
      body: ruralDibao(28_500),
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ docNo: '乳民〔2016〕演示2号', body: { standardFen: 28_500 } });

    await markPolicyUsed(tdb.db, [ids.v2016 as number]);
    const refused = await admin.send('PUT', `/api/v1/policy/versions/${ids.v2016}`, {
      version: edit.json().version,
      body: ruralDibao(29_000),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'REFUSED',
      message: '已用于发放，不能修改；请录入新版本',
    });
    expect((await admin.get(`/api/v1/policy/versions/${ids.v2016}`)).json().body.standardFen).toBe(28_500);
  });

  it('a version reaching back into an approved payroll month asks the next payroll to recalculate', async () => {
    const stamp = new Date().toISOString();
    // Approved payrolls up to 2016-03 for 农村低保 and for the price subsidy (built on the dibao standard);
    // the 特困 payroll of 2016-03 is still only generated.
    for (const [program, status] of [
      ['rural_dibao', 'approved'],
      ['price_subsidy', 'approved'],
      ['rural_tekun', 'generated'],
    ] as const) {
      await tdb.db
        .insertInto('payroll')
        .values({
          county_code: '440232',
          program_code: program,
          pay_month: '2016-03',
          status,
          warnings_json: null,
          generated_by: 'admin',
          generated_at: stamp,
          reviewed_by: null,
          reviewed_at: null,
          approved_by: status === 'approved' ? 'approver' : null,
          approved_at: status === 'approved' ? stamp : null,
          created_at: stamp,
          updated_at: stamp,
        })
        .execute();
    }
    const res = await create(admin, {
      programCode: 'rural_dibao',
      effectiveFrom: '2016-02',
      docNo: '乳民〔2016〕演示3号',
      body: ruralDibao(29_000),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().recalculation).toEqual([
      { programCode: 'rural_dibao', fromMonth: '2016-02', through: '2016-03' },
      { programCode: 'price_subsidy', fromMonth: '2016-02', through: '2016-03' },
    ]);
    const requests = await tdb.db.selectFrom('payroll_recalc').selectAll().orderBy('id').execute();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.reason).toBe('低保标准与计算规则调整（乳民〔2016〕演示3号）（随低保标准联动）');
    expect(requests[0]).toMatchObject({
      program_code: 'rural_dibao',
      from_month: '2016-02',
      town_code: null,
      reason: '低保标准与计算规则调整（乳民〔2016〕演示3号）',
    });
    // The used 2016-01 version was closed (metadata), its body untouched.
    const closed = (await admin.get(`/api/v1/policy/versions/${ids.v2016}`)).json();
    expect(closed).toMatchObject({
      effectiveTo: '2016-01',
      usedInPayment: true,
      body: { standardFen: 28_500 },
    });
  });

  describe('POST /calc', () => {
    const tekunScenario = (extra: Record<string, unknown> = {}) => ({
      engine: 'tekun',
      month: '2015-09',
      policy: { fromDatabase: { programCode: 'rural_tekun' } },
      input: { supportMode: 'dispersed', selfCare: 'full_care' },
      ...extra,
    });

    beforeAll(async () => {
      const res = await create(admin, {
        programCode: 'rural_tekun',
        effectiveFrom: '2015-01',
        docNo: '乳民〔2015〕演示4号',
        body: demoBody('rural_tekun'),
      });
      expect(res.statusCode).toBe(201);
      ids.tekun = res.json().id;
    });

    it('computes with the version in force and the dibao standard of the user’s area', async () => {
      // County: 1.6 × 260 = 416 元 (whole), + care 76 元 (the demo's flat 2015 amount for every tier) = 492 元.
      const county = await admin.send('POST', '/api/v1/calc', tekunScenario());
      expect(county.statusCode).toBe(200);
      expect(county.json()).toMatchObject({
        engine: 'tekun',
        month: '2015-09',
        policy: { source: 'database', versionId: ids.tekun, docNo: '乳民〔2015〕演示4号' },
        dibaoStandard: {
          program: 'rural_dibao',
          standardFen: 26_000,
          source: 'database',
          versionId: ids.v2015,
        },
        result: { totalFen: 49_200 },
      });
      // 乳城镇 has its own standard of 273 元 in 2015-07…12: 1.6 × 273 = 436.80, rounded up to 437 元; + 76 = 513 元.
      const town = await clerk.send('POST', '/api/v1/calc', tekunScenario());
      expect(town.statusCode).toBe(200);
      expect(town.json()).toMatchObject({
        dibaoStandard: { standardFen: 27_300, versionId: ids.town },
        result: {
          totalFen: 51_300,
          components: [
            { component: 'tekun_basic', amountFen: 43_700 },
            { component: 'tekun_care', amountFen: 7_600 },
          ],
        },
      });
      expect(town.json().explanation.length).toBeGreaterThan(0);
    });

    it('writes nothing', async () => {
      const before = await tdb.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      await admin.send('POST', '/api/v1/calc', tekunScenario());
      const after = await tdb.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      expect(Number(after?.n)).toBe(Number(before?.n));
    });

    it('answers a malformed scenario with 400 naming the field path', async () => {
      const res = await admin.send('POST', '/api/v1/calc', {
        engine: 'dibao',
        month: '2015-09',
        policy: { fromDatabase: { programCode: 'rural_dibao' } },
        input: {
          asOfMonth: '2015-09',
          members: [
            { sex: 'M', age: 40 },
            { sex: 'F', age: 38, incomes: [{ type: 'wage', amountFen: 120.5 }] },
          ],
        },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION',
        field: 'input.members[1].incomes[0].amountFen',
        message: 'input.members[1].incomes[0].amountFen: 金额应为整数（分）',
      });
      const badMonth = await admin.send('POST', '/api/v1/calc', tekunScenario({ month: '2015-13' }));
      expect(badMonth.statusCode).toBe(400);
      expect(badMonth.json().error.field).toBe('month');
    });

    it('refuses a town user another town’s parameters', async () => {
      const res = await clerk.send(
        'POST',
        '/api/v1/calc',
        tekunScenario({ policy: { fromDatabase: { programCode: 'rural_tekun', townCode: DAQIAO } } }),
      );
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN_AREA');
    });
  });
});
