/**
 * 待遇核定 and the monthly payroll through the API (DOMAIN §4.7–4.9, §5.5, §8.4): decisions computed by the engines,
 * a generated month whose lines equal the rule worked by hand, idempotent and resumable generation, four-eyes
 * review and approval posting to the append-only ledger, arrears and recoveries after a retroactive standard and a
 * changed decision, town scoping, price indices, and the `jiuzhu payroll` command.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/actor.ts';
import { decodeText, parseCsv, toCsv } from '../../src/domain/payments/csv.ts';
import { actorOf } from '../../src/modules/auth/auth.service.ts';
import { DEMO_POLICY_VERSIONS, insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import { runGeneration } from '../../src/modules/payroll/generate.ts';
import { startPayroll } from '../../src/modules/payroll/payroll.service.ts';
import { createVersion } from '../../src/modules/policy/policy.service.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { createUser } from '../../src/modules/users/users.service.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import {
  COUNTY,
  DAQIAO,
  type Fixtures,
  id,
  PASSWORD,
  RUCHENG,
  seedFixtures,
  USERS,
} from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const NOW = new Date('2015-10-05T02:00:00Z');

describe.each(ENGINES)('benefit decisions and the monthly payroll on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let approver: Client;
  let approver2: Client;
  let rcClerk: Client;
  let dqClerk: Client;
  let adminActor: Actor;
  /** Enrolments E1…E7 (rural_dibao) and T1 (rural_tekun). */
  const E: number[] = [];
  let tekunEnrolment = 0;
  const payrolls: Record<string, number> = {};

  const enrol = async (
    householdId: number,
    townCode: string,
    programCode = 'rural_dibao',
    personId: number | null = null,
  ) => {
    const row = await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: townCode,
        program_code: programCode,
        household_id: householdId,
        person_id: personId,
        start_month: '2015-07',
        end_month: null,
        status: 'active',
        support_mode: programCode === 'rural_tekun' ? 'dispersed' : null,
        single_person: 0,
        end_reason: null,
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };

  const lineSet = async (payrollId: number) =>
    (
      await tdb.db
        .selectFrom('payroll_line')
        .select([
          'enrolment_id',
          'benefit_month',
          'component',
          'line_kind',
          'amount_fen',
          'fund_source',
          'bank_account',
        ])
        .where('payroll_id', '=', payrollId)
        .execute()
    )
      .map(
        (r) =>
          `${r.enrolment_id}|${r.benefit_month}|${r.component}|${r.line_kind}|${r.amount_fen}|${r.fund_source}|${r.bank_account}`,
      )
      .sort();

  const linesOf = async (payrollId: number) =>
    tdb.db
      .selectFrom('payroll_line')
      .selectAll()
      .where('payroll_id', '=', payrollId)
      .orderBy('enrolment_id')
      .orderBy('benefit_month')
      .orderBy('component')
      .orderBy('line_kind')
      .execute();

  const amount = (
    lines: {
      enrolment_id: number;
      component: string;
      line_kind: string;
      benefit_month: string;
      amount_fen: number;
    }[],
    e: number,
    component: string,
    kind = 'regular',
    month?: string,
  ) =>
    lines.find(
      (l) =>
        l.enrolment_id === e &&
        l.component === component &&
        l.line_kind === kind &&
        (month === undefined || l.benefit_month === month),
    )?.amount_fen;

  /** POST /payrolls and wait for the background generation. */
  const generate = async (payMonth: string, programCode = 'rural_dibao', regenerate = false) => {
    const res = await admin.send('POST', '/api/v1/payrolls', {
      programCode,
      payMonth,
      ...(regenerate ? { regenerate } : {}),
    });
    expect(res.statusCode).toBe(202);
    const payrollId = res.json().id as number;
    for (let i = 0; i < 500; i++) {
      const p = (await admin.get(`/api/v1/payrolls/${payrollId}`)).json();
      if (p.status !== 'generating')
        return { id: payrollId, started: res.json().started as boolean, payroll: p };
      if (!p.progress.running) throw new Error(`generation of ${payrollId} stopped: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('generation did not finish');
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    await tdb.db.transaction().execute(async (trx) => {
      await insertDemoPolicy(trx, COUNTY, NOW);
      await createUser(
        trx,
        fx.system,
        {
          username: 'approver2',
          role: 'county_approver',
          areaCode: COUNTY,
          displayName: '第二审批人',
          password: PASSWORD,
        },
        NOW,
      );
    });
    // E1 乳城 (3 members, the fixture), E2 大桥 (1 member, 75), E3 大桥 (2 members), E4–E6 (1 member), E7 no decision.
    E.push(await enrol(fx.ruchengHousehold, RUCHENG));
    E.push(await enrol(fx.daqiaoHousehold, DAQIAO));
    const extra = [
      { town: DAQIAO, village: '440232109202', members: 2 },
      { town: RUCHENG, village: '440232100201', members: 1 },
      { town: DAQIAO, village: '440232109201', members: 1 },
      { town: RUCHENG, village: '440232100201', members: 1 },
      { town: DAQIAO, village: '440232109202', members: 1 },
    ];
    let seq = 100;
    for (const [i, h] of extra.entries()) {
      const hh = await tdb.db.transaction().execute((trx) =>
        createHousehold(
          trx,
          fx.system,
          {
            townCode: h.town,
            villageCode: h.village,
            address: `测试地址${i}号`,
            hukouType: 'rural',
            bankName: '广东乳源农村商业银行',
            bankAccount: `62301234567890${String(10000 + i)}`,
            bankAccountHolder: `户主${i}`,
            effectiveDate: '2010-01-01',
            members: Array.from({ length: h.members }, (_, k) => ({
              idNumber: id(k === 0 ? '1970-05-05' : '1972-06-06', seq++),
              name: `成员${i}${k}`,
              relation: k === 0 ? '户主' : '配偶',
            })),
          },
          NOW,
        ),
      );
      E.push(await enrol(hh.id, h.town));
    }
    const person = await tdb.db
      .selectFrom('household_member')
      .select('person_id')
      .where('household_id', '=', fx.daqiaoHousehold)
      .executeTakeFirstOrThrow();
    tekunEnrolment = await enrol(fx.daqiaoHousehold, DAQIAO, 'rural_tekun', person.person_id);

    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    approver = await login(app, USERS.approver.username);
    approver2 = await login(app, 'approver2');
    rcClerk = await login(app, USERS.ruchengClerk.username);
    dqClerk = await login(app, USERS.daqiaoClerk.username);
    adminActor = actorOf(
      await tdb.db
        .selectFrom('app_user')
        .selectAll()
        .where('username', '=', USERS.admin.username)
        .executeTakeFirstOrThrow(),
    );
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('records a dibao decision from the household scenario, computed by the engine with its explanation', async () => {
    // 乳城: head earns 3,600 元 over the 6 reference months → 600 元/月 → 200 元 per capita for 3 members.
    const res = await rcClerk.send('POST', `/api/v1/enrolments/${E[0]}/decisions`, {
      effectiveMonth: '2015-07',
      dibao: {
        members: [
          {
            name: '李建国',
            birthDate: '1956-03-12',
            sex: 'M',
            incomes: [{ type: 'wage', amountFen: 360_000 }],
          },
          {
            name: '陈秀英',
            birthDate: '1958-07-01',
            sex: 'F',
            disabilityCategory: '肢体',
            disabilityGrade: 2,
          },
          { name: '李明', birthDate: '2004-10-05', sex: 'M', student: true },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    // (260 − 200) × 3 = 180 元; 重度残疾人 +20% × 260 = 52 元 (DOMAIN §4.7, the demo parameters).
    expect(d).toMatchObject({
      perCapitaIncomeFen: 20_000,
      monthlyAmountFen: 23_200,
      effectiveMonth: '2015-07',
    });
    expect(d.members).toHaveLength(3);
    expect(d.explanation.map((l: { step: string }) => l.step)).toContain('差额补助');
    expect(d.recalculation).toBeNull();

    const list = (await rcClerk.get(`/api/v1/enrolments/${E[0]}/decisions`)).json();
    expect(list.items).toHaveLength(1);
  });

  it('refuses a town clerk deciding another town’s enrolment, and an ineligible household', async () => {
    const other = await rcClerk.send('POST', `/api/v1/enrolments/${E[1]}/decisions`, {
      effectiveMonth: '2015-07',
      dibao: { members: [{ birthDate: '1940-02-02', sex: 'F' }] },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN_AREA');
    const rich = await dqClerk.send('POST', `/api/v1/enrolments/${E[1]}/decisions`, {
      effectiveMonth: '2015-07',
      dibao: {
        members: [{ birthDate: '1940-02-02', sex: 'F', incomes: [{ type: 'wage', amountFen: 600_000 }] }],
      },
    });
    expect(rich.statusCode).toBe(422);
    expect(rich.json().error.message).toContain('不符合低保条件');
  });

  it('records the other decisions: scenario, assessed figures, and a 特困 person', async () => {
    // 大桥: one member aged 75, no income: 260 元 + 70岁以上 +10% = 26 元.
    const e2 = await dqClerk.send('POST', `/api/v1/enrolments/${E[1]}/decisions`, {
      effectiveMonth: '2015-07',
      dibao: { members: [{ birthDate: '1940-02-02', sex: 'F' }] },
    });
    expect(e2.statusCode, e2.body).toBe(201);
    expect(e2.json().monthlyAmountFen).toBe(28_600);
    const assessed = (perCapitaIncomeFen: number, members: number) => ({
      effectiveMonth: '2015-07',
      dibaoAssessed: {
        perCapitaIncomeFen,
        members: Array.from({ length: members }, () => ({ categories: [] })),
      },
    });
    const e3 = await admin.send('POST', `/api/v1/enrolments/${E[2]}/decisions`, assessed(10_000, 2));
    expect(e3.json().monthlyAmountFen).toBe(32_000);
    for (const e of E.slice(3, 6)) {
      const r = await admin.send('POST', `/api/v1/enrolments/${e}/decisions`, assessed(5_000, 1));
      expect(r.statusCode).toBe(201);
      expect(r.json().monthlyAmountFen).toBe(21_000);
    }
    // 特困 (DOMAIN §5.5, demo): 1.6 × 260 = 416 元 + 全自理 76 元 = 492 元.
    const t = await dqClerk.send('POST', `/api/v1/enrolments/${tekunEnrolment}/decisions`, {
      effectiveMonth: '2015-07',
      tekun: { selfCare: 'full_self_care' },
    });
    expect(t.statusCode, t.body).toBe(201);
    expect(t.json()).toMatchObject({
      monthlyAmountFen: 49_200,
      members: { selfCare: 'full_self_care', supportMode: 'dispersed' },
    });
  });

  it('generates 2015-08: lines equal the rule, bank details copied, fund sources resolved, a warning for the undecided', async () => {
    const g = await generate('2015-08');
    payrolls['2015-08'] = g.id;
    expect(g.payroll).toMatchObject({ status: 'generated', progress: { done: 7, total: 7 } });
    expect(g.payroll.warnings).toEqual([
      expect.objectContaining({ code: 'undecided', label: '未核定待遇', count: 1 }),
    ]);
    const lines = await linesOf(g.id);
    expect(amount(lines, E[0] as number, 'dibao_base')).toBe(18_000);
    expect(amount(lines, E[0] as number, 'dibao_addon')).toBe(5_200);
    expect(amount(lines, E[1] as number, 'dibao_base')).toBe(26_000);
    expect(amount(lines, E[1] as number, 'dibao_addon')).toBe(2_600);
    expect(amount(lines, E[2] as number, 'dibao_base')).toBe(32_000);
    expect(amount(lines, E[6] as number, 'dibao_base')).toBeUndefined();
    const e1 = lines.find((l) => l.enrolment_id === E[0] && l.component === 'dibao_base');
    expect(e1).toMatchObject({
      fund_source: 'central',
      bank_account: '6230123456789012345',
      town_code: RUCHENG,
      line_kind: 'regular',
    });
    expect(lines.find((l) => l.enrolment_id === E[0] && l.component === 'dibao_addon')?.fund_source).toBe(
      'provincial',
    );
    expect(g.payroll.lineCount).toBe(lines.length);
    expect(g.payroll.totalFen).toBe(18_000 + 5_200 + 26_000 + 2_600 + 32_000 + 3 * 21_000);
  });

  it('generating again adds nothing; regenerating gives the same lines once', async () => {
    const id8 = payrolls['2015-08'] as number;
    const before = await lineSet(id8);
    const again = await generate('2015-08');
    expect(again).toMatchObject({ id: id8, started: false });
    expect(await lineSet(id8)).toEqual(before);
    const re = await generate('2015-08', 'rural_dibao', true);
    expect(re.started).toBe(true);
    expect(await lineSet(id8)).toEqual(before);
  });

  it('a crash after the first chunk leaves a consistent cursor; resuming gives the same lines as a clean run', async () => {
    const id8 = payrolls['2015-08'] as number;
    const clean = await lineSet(id8);
    await tdb.db
      .transaction()
      .execute((trx) =>
        startPayroll(trx, adminActor, { programCode: 'rural_dibao', payMonth: '2015-08', regenerate: true }),
      );
    await expect(
      runGeneration(tdb.db, id8, adminActor, {
        chunkSize: 2,
        onChunk: ({ chunk }) => {
          if (chunk === 1) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const crashed = await tdb.db
      .selectFrom('payroll')
      .selectAll()
      .where('id', '=', id8)
      .executeTakeFirstOrThrow();
    expect(crashed).toMatchObject({ status: 'generating', cursor_enrolment_id: E[1], done_count: 2 });
    const partial = await linesOf(id8);
    expect(new Set(partial.map((l) => l.enrolment_id))).toEqual(new Set([E[0], E[1]]));
    expect(crashed.line_count).toBe(partial.length);
    // The API resumes too: POST again continues after the cursor.
    const resumed = await generate('2015-08');
    expect(resumed.started).toBe(true);
    expect(await lineSet(id8)).toEqual(clean);
  });

  it('review and approval: four-eyes, then every line posted to the ledger and the payroll locked', async () => {
    const id8 = payrolls['2015-08'] as number;
    const early = await approver.send('POST', `/api/v1/payrolls/${id8}/approve`);
    expect(early.statusCode).toBe(422);
    expect((await rcClerk.send('POST', `/api/v1/payrolls/${id8}/review`)).statusCode).toBe(403);
    const reviewed = await approver.send('POST', `/api/v1/payrolls/${id8}/review`);
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json()).toMatchObject({ status: 'reviewed', reviewedBy: USERS.approver.username });
    expect((await admin.send('POST', `/api/v1/payrolls/${id8}/approve`)).statusCode).toBe(403);
    const self = await approver.send('POST', `/api/v1/payrolls/${id8}/approve`);
    expect(self.statusCode).toBe(422);
    expect(self.json().error.message).toContain('审核人');
    const ok = await approver2.send('POST', `/api/v1/payrolls/${id8}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'approved',
      approvedBy: 'approver2',
      generatedBy: USERS.admin.username,
    });

    const lines = await linesOf(id8);
    const ledger = await tdb.db
      .selectFrom('payment_ledger')
      .selectAll()
      .where('payroll_id', '=', id8)
      .execute();
    expect(ledger).toHaveLength(lines.length);
    expect(
      ledger.every(
        (r) => r.entry_kind === 'payment' && r.pay_month === '2015-08' && r.posted_by === 'approver2',
      ),
    ).toBe(true);
    expect(ledger.reduce((s, r) => s + r.amount_fen, 0)).toBe(lines.reduce((s, l) => s + l.amount_fen, 0));
    const used = await tdb.db
      .selectFrom('policy_parameter')
      .select(['program_code', 'used_in_payment'])
      .execute();
    expect(used.find((p) => p.program_code === 'rural_dibao')?.used_in_payment).toBe(1);

    const locked = await admin.send('POST', '/api/v1/payrolls', {
      programCode: 'rural_dibao',
      payMonth: '2015-08',
      regenerate: true,
    });
    expect(locked.statusCode).toBe(422);
    expect(locked.json().error.message).toContain('已审批锁定');
  });

  it('the ledger refuses UPDATE and DELETE', async () => {
    await expect(sql`update payment_ledger set amount_fen = 0`.execute(tdb.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from payment_ledger`.execute(tdb.db)).rejects.toThrow(/append-only/);
  });

  it('a household’s payment history lists its ledger entries, newest first, within the user’s area', async () => {
    const res = await rcClerk.get(`/api/v1/households/${fx.ruchengHousehold}/payments`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { component: string; amountFen: number; entryKindLabel: string }[];
    expect(items.map((i) => i.amountFen).sort()).toEqual([18_000, 5_200].sort());
    expect(items[0]?.entryKindLabel).toBe('正常发放');
    expect((await rcClerk.get(`/api/v1/households/${fx.daqiaoHousehold}/payments`)).statusCode).toBe(403);
  });

  it('2015-09 is generated and approved the same way; the 特困 payroll pays basic living and care', async () => {
    const g = await generate('2015-09');
    payrolls['2015-09'] = g.id;
    expect((await admin.send('POST', `/api/v1/payrolls/${g.id}/review`)).statusCode).toBe(200);
    expect((await approver.send('POST', `/api/v1/payrolls/${g.id}/approve`)).statusCode).toBe(200);

    const t = await generate('2015-09', 'rural_tekun');
    const lines = await linesOf(t.id);
    expect(lines.map((l) => [l.component, l.amount_fen, l.fund_source, l.person_id !== null])).toEqual([
      ['tekun_basic', 41_600, 'provincial', true],
      ['tekun_care', 7_600, 'county', true],
    ]);
  });

  it('a retroactive standard and a changed decision give arrears and recoveries with their reasons in the next payroll', async () => {
    // A new rural standard of 290 元 from 2015-08 (two months already paid).
    const body = {
      ...structuredClone(DEMO_POLICY_VERSIONS.find((v) => v.programCode === 'rural_dibao')?.body),
      standardFen: 29_000,
    };
    const version = await tdb.db
      .transaction()
      .execute((trx) =>
        createVersion(
          trx,
          adminActor,
          { programCode: 'rural_dibao', effectiveFrom: '2015-08', docNo: '乳民〔2015〕调1号', body },
          NOW,
        ),
      );
    expect(version.recalculation).toContainEqual({
      programCode: 'rural_dibao',
      fromMonth: '2015-08',
      through: '2015-09',
    });
    // E3's income is reassessed from 2015-09: 200 元 per capita.
    const changed = await admin.send('POST', `/api/v1/enrolments/${E[2]}/decisions`, {
      effectiveMonth: '2015-09',
      dibaoAssessed: { perCapitaIncomeFen: 20_000, members: [{ categories: [] }, { categories: [] }] },
    });
    expect(changed.statusCode).toBe(201);
    expect(changed.json().recalculation).toEqual({ id: expect.any(Number), fromMonth: '2015-09' });
    // The October CPI rose 3.5% (trigger 3%): 290 × 3.5% = 10.15 → 10 元 per person (DOMAIN §8.4, demo parameters).
    expect(
      (await rcClerk.send('PUT', '/api/v1/price-indices/2015-10', { cpiYoY: '3.5', foodYoY: '2.0' }))
        .statusCode,
    ).toBe(403);
    const pi = await admin.send('PUT', '/api/v1/price-indices/2015-10', {
      cpiYoY: '3.5',
      foodYoY: '2.0',
      source: '韶关市统计局',
    });
    expect(pi.statusCode, pi.body).toBe(200);
    expect((await rcClerk.get('/api/v1/price-indices/2015-10')).json()).toMatchObject({
      cpiYoY: '3.5',
      foodYoY: '2.0',
    });

    const g = await generate('2015-10');
    payrolls['2015-10'] = g.id;
    const lines = await linesOf(g.id);
    const [e1, e2, e3, e4] = E as [number, number, number, number];
    // Regular October lines under the new standard.
    expect(amount(lines, e1, 'dibao_base')).toBe(27_000);
    expect(amount(lines, e1, 'dibao_addon')).toBe(5_800);
    expect(amount(lines, e1, 'price_subsidy')).toBe(3_000);
    expect(amount(lines, e2, 'dibao_base')).toBe(29_000);
    expect(amount(lines, e3, 'dibao_base')).toBe(18_000);
    expect(amount(lines, e3, 'price_subsidy')).toBe(2_000);
    // Arrears for August and September.
    for (const m of ['2015-08', '2015-09']) {
      expect(amount(lines, e1, 'dibao_base', 'arrears', m)).toBe(9_000);
      expect(amount(lines, e1, 'dibao_addon', 'arrears', m)).toBe(600);
      expect(amount(lines, e2, 'dibao_base', 'arrears', m)).toBe(3_000);
      expect(amount(lines, e2, 'dibao_addon', 'arrears', m)).toBe(300);
      expect(amount(lines, e4, 'dibao_base', 'arrears', m)).toBe(3_000);
    }
    // E3: August at the new standard with the old income (2 × 190 = 380 vs 320); September with the new income
    // (2 × 90 = 180 vs 320): a recovery.
    expect(amount(lines, e3, 'dibao_base', 'arrears', '2015-08')).toBe(6_000);
    expect(amount(lines, e3, 'dibao_base', 'recovery', '2015-09')).toBe(-14_000);
    const arrearsLine = lines.find(
      (l) => l.enrolment_id === e1 && l.line_kind === 'arrears' && l.benefit_month === '2015-08',
    );
    expect(arrearsLine?.reason).toBe('低保标准与计算规则调整（乳民〔2015〕调1号）补发2015-08差额');
    const recovery = lines.find((l) => l.line_kind === 'recovery');
    expect(recovery?.reason).toContain('待遇核定变更（2015-09起）');
    expect(recovery?.reason).toContain('追回2015-09多发');
    const pending = await tdb.db
      .selectFrom('payroll_recalc')
      .selectAll()
      .where('program_code', '=', 'rural_dibao')
      .execute();
    expect(pending.every((r) => r.done_payroll_id === g.id)).toBe(true);

    // Regenerating the unapproved October payroll honours the requests again: the same lines.
    const before = await lineSet(g.id);
    await generate('2015-10', 'rural_dibao', true);
    expect(await lineSet(g.id)).toEqual(before);

    // Approved, the ledger for August sums to what August is now due.
    expect((await admin.send('POST', `/api/v1/payrolls/${g.id}/review`)).statusCode).toBe(200);
    expect((await approver.send('POST', `/api/v1/payrolls/${g.id}/approve`)).statusCode).toBe(200);
    const aug = await tdb.db
      .selectFrom('payment_ledger')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
      .where('enrolment_id', '=', e3)
      .where('benefit_month', '=', '2015-09')
      .executeTakeFirstOrThrow();
    expect(Number(aug.s)).toBe(18_000);
    const kinds = await tdb.db
      .selectFrom('payment_ledger')
      .select('entry_kind')
      .distinct()
      .where('payroll_id', '=', g.id)
      .execute();
    expect(kinds.map((k) => k.entry_kind).sort()).toEqual(['arrears', 'payment', 'recovery']);
  });

  it('a town user sees only their town’s totals and lines, bank accounts masked', async () => {
    const id10 = payrolls['2015-10'] as number;
    const p = (await rcClerk.get(`/api/v1/payrolls/${id10}`)).json();
    expect(p.byTown.map((t: { townCode: string }) => t.townCode)).toEqual([RUCHENG]);
    const county = (await admin.get(`/api/v1/payrolls/${id10}`)).json();
    expect(county.byTown.map((t: { townCode: string }) => t.townCode).sort()).toEqual(
      [RUCHENG, DAQIAO].sort(),
    );
    expect(p.totalFen).toBeLessThan(county.totalFen);
    expect(county.totalFen).toBe(
      county.byTown.reduce((s: number, t: { totalFen: number }) => s + t.totalFen, 0),
    );
    const lines = (await rcClerk.get(`/api/v1/payrolls/${id10}/lines?pageSize=500`)).json();
    expect(lines.items.length).toBeGreaterThan(0);
    expect(lines.items.every((l: { townCode: string }) => l.townCode === RUCHENG)).toBe(true);
    const e1 = lines.items.find((l: { enrolmentId: number }) => l.enrolmentId === E[0]);
    expect(e1.bankAccount).toBe('***************2345');
    expect((await rcClerk.get(`/api/v1/payrolls/${id10}/lines?townCode=${DAQIAO}`)).statusCode).toBe(403);
    const list = (await rcClerk.get('/api/v1/payrolls?program=rural_dibao')).json();
    expect(list.items.find((i: { id: number }) => i.id === id10)?.totalFen).toBe(p.totalFen);
  });

  it('the 乡镇 × 组成 cross table sums to the payroll, and 户数/人数 count the decisions’ members, per town', async () => {
    type Cell = {
      townCode: string;
      component: string;
      lineKind: string;
      lines: number;
      householdCount: number;
      totalFen: number;
    };
    const sum = (cells: Cell[], f: (c: Cell) => number) => cells.reduce((s, c) => s + f(c), 0);
    for (const month of ['2015-08', '2015-10']) {
      const id = payrolls[month] as number;
      const county = (await admin.get(`/api/v1/payrolls/${id}`)).json();
      const cells = county.byTownComponent as Cell[];
      expect(cells.length).toBeGreaterThan(0);
      expect(sum(cells, (c) => c.totalFen)).toBe(county.totalFen);
      expect(sum(cells, (c) => c.lines)).toBe(county.lineCount);
      const row = await tdb.db
        .selectFrom('payroll')
        .select(['total_fen', 'line_count'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(county.totalFen).toBe(row.total_fen);
      // Each cell against the lines themselves.
      const lines = await linesOf(id);
      for (const c of cells) {
        const own = lines.filter(
          (l) => l.town_code === c.townCode && l.component === c.component && l.line_kind === c.lineKind,
        );
        expect(c.lines).toBe(own.length);
        expect(c.totalFen).toBe(own.reduce((s, l) => s + l.amount_fen, 0));
        expect(c.householdCount).toBe(new Set(own.map((l) => l.household_id)).size);
      }
      const town = (await rcClerk.get(`/api/v1/payrolls/${id}`)).json();
      const townCells = town.byTownComponent as Cell[];
      expect(new Set(townCells.map((c) => c.townCode))).toEqual(new Set([RUCHENG]));
      expect(sum(townCells, (c) => c.totalFen)).toBe(town.totalFen);
    }
    const oct = (await admin.get(`/api/v1/payrolls/${payrolls['2015-10']}`)).json();
    expect((oct.byTownComponent as Cell[]).map((c) => c.lineKind)).toEqual(
      expect.arrayContaining(['regular', 'arrears', 'recovery']),
    );
    // 2015-08, regular lines: E1 (3 counted members), E2 (1), E3 (2), E4–E6 (1 each); E7 undecided.
    // 乳城: E1, E4, E6.
    const id8 = payrolls['2015-08'] as number;
    expect((await admin.get(`/api/v1/payrolls/${id8}`)).json()).toMatchObject({
      householdCount: 6,
      personCount: 9,
    });
    expect((await rcClerk.get(`/api/v1/payrolls/${id8}`)).json()).toMatchObject({
      householdCount: 3,
      personCount: 5,
    });
    const list = (await admin.get('/api/v1/payrolls?month=2015-08')).json();
    expect(list.items.find((i: { id: number }) => i.id === id8)).toMatchObject({
      householdCount: 6,
      personCount: 9,
    });
    const townList = (await rcClerk.get('/api/v1/payrolls?month=2015-08')).json();
    expect(townList.items.find((i: { id: number }) => i.id === id8)).toMatchObject({
      householdCount: 3,
      personCount: 5,
    });
    // The 特困 payroll: a person line counts its one person.
    const sep = (await admin.get('/api/v1/payrolls?month=2015-09&program=rural_tekun')).json();
    expect(sep.items[0]).toMatchObject({ householdCount: 1, personCount: 1 });
  });

  it('lines filter by status; a failed transfer of the bank’s return carries the bank’s reason, also when held', async () => {
    const id8 = payrolls['2015-08'] as number;
    const RCB = '广东乳源农村商业银行';
    const file = await admin.get(`/api/v1/payrolls/${id8}/bank-files/${encodeURIComponent(RCB)}?format=csv`);
    expect(file.statusCode, file.body).toBe(200);
    const batchId = Number(file.headers['x-bank-batch-id']);
    const rows = parseCsv(decodeText(file.rawPayload));
    const head = rows[0] as string[];
    const col = (name: string) => head.indexOf(name);
    const sent = rows.slice(1).map((r) => ({
      ref: r[col('流水号')] as string,
      account: r[col('收款账号')] as string,
      amount: r[col('金额')] as string,
    }));
    // E1's transfer (李建国: 低保金 and 分类施保, one transfer of two lines) fails; the others are paid.
    const e1Lines = (await linesOf(id8)).filter((l) => l.enrolment_id === E[0]);
    const failedRef = sent.find((r) => r.account === '6230123456789012345')?.ref;
    expect(failedRef).toBeDefined();
    const ret = toCsv([
      ['流水号', '收款账号', '金额', '处理结果', '失败原因'],
      ...sent.map((r) =>
        r.ref === failedRef
          ? [r.ref, r.account, r.amount, '失败', '账户已销户']
          : [r.ref, r.account, r.amount, '成功', ''],
      ),
    ]);
    const imported = await admin.send('POST', `/api/v1/bank-batches/${batchId}/return`, {
      fileName: 'return.csv',
      contentBase64: Buffer.from(ret).toString('base64'),
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ failedCount: 1, paidCount: sent.length - 1 });

    type Line = { id: number; enrolmentId: number; status: string; failureReason: string | null };
    const byStatus = async (client: Client, status: string) =>
      (await client.get(`/api/v1/payrolls/${id8}/lines?status=${status}&pageSize=500`)).json() as {
        total: number;
        items: Line[];
      };
    const failed = await byStatus(admin, 'failed');
    expect(failed.total).toBe(e1Lines.length);
    expect(failed.items.map((l) => l.id).sort()).toEqual(e1Lines.map((l) => l.id).sort());
    expect(failed.items.every((l) => l.status === 'failed' && l.failureReason === '账户已销户')).toBe(true);
    const paid = await byStatus(admin, 'paid');
    expect(paid.items.length).toBeGreaterThan(0);
    expect(paid.items.every((l) => l.status === 'paid' && l.failureReason === null)).toBe(true);
    // The failure reason is the one on the ledger entry.
    const ledger = await tdb.db
      .selectFrom('payment_ledger')
      .select(['payroll_line_id', 'reason'])
      .where('payroll_id', '=', id8)
      .where('entry_kind', '=', 'bank_failure')
      .execute();
    expect(ledger.map((r) => r.reason)).toEqual(e1Lines.map(() => '账户已销户'));
    // Town scoping: 乳城 sees E1's failure, 大桥 none.
    expect((await byStatus(rcClerk, 'failed')).total).toBe(e1Lines.length);
    expect((await byStatus(dqClerk, 'failed')).total).toBe(0);
    const bad = await admin.get(`/api/v1/payrolls/${id8}/lines?status=lost`);
    expect(bad.statusCode).toBe(400);

    // Held, the line keeps the bank's reason and leaves the failed list.
    const first = failed.items[0] as Line;
    const held = await admin.send('POST', `/api/v1/payroll-lines/${first.id}/hold`, { reason: '核实账户' });
    expect(held.statusCode, held.body).toBe(200);
    const heldList = await byStatus(admin, 'held');
    expect(heldList.items).toEqual([
      expect.objectContaining({ id: first.id, status: 'held', failureReason: '账户已销户' }),
    ]);
    expect((await byStatus(admin, 'failed')).total).toBe(e1Lines.length - 1);
    // Reissued: the new reissue line is pending with no failure of its own.
    const re = await admin.send('POST', `/api/v1/payroll-lines/${first.id}/reissue`, {
      reason: '账户已更正',
    });
    expect(re.statusCode, re.body).toBe(200);
    const pending = await byStatus(admin, 'pending');
    expect(pending.items.find((l) => l.id === re.json().reissueLineId)).toMatchObject({
      status: 'pending',
      failureReason: null,
    });
    expect(pending.items.every((l) => l.status === 'pending')).toBe(true);
    expect((await byStatus(admin, 'reissued')).items).toEqual([
      expect.objectContaining({ id: first.id, failureReason: '账户已销户' }),
    ]);
  });

  it('jiuzhu payroll generate / show and price-index set on the same database', async () => {
    const env = { DATABASE_URL: databaseUrlOf(tdb) };
    const gen = runCli(
      [
        'payroll',
        'generate',
        '--program',
        'rural_dibao',
        '--month',
        '2015-11',
        '--user',
        USERS.admin.username,
      ],
      env,
    );
    expect(gen.status, gen.stderr).toBe(0);
    expect(gen.stdout).toContain('生成中 100%');
    expect(gen.stdout).toContain('农村低保 2015-11');
    expect(gen.stdout).toContain('按乡镇');
    const row = await tdb.db
      .selectFrom('payroll')
      .selectAll()
      .where('pay_month', '=', '2015-11')
      .where('program_code', '=', 'rural_dibao')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'generated', generated_by: USERS.admin.username, done_count: 7 });
    const show = runCli(['payroll', 'show', String(row.id), '--json'], env);
    expect(show.status, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).payroll).toMatchObject({
      id: row.id,
      lineCount: row.line_count,
      totalFen: row.total_fen,
    });
    const pi = runCli(['price-index', 'set', '2015-11', '--cpi', '1.6', '--food', '2.3'], env);
    expect(pi.status, pi.stderr).toBe(0);
    expect(pi.stdout).toContain('CPI 同比 1.6%');
  }, 240_000);
  it('approving a 特困 payroll marks the dibao version its basic standard was built on as used', async () => {
    // A rural standard of 300 元 from 2015-12; only the 特困 payroll of that month is paid.
    const body = {
      ...structuredClone(DEMO_POLICY_VERSIONS.find((v) => v.programCode === 'rural_dibao')?.body),
      standardFen: 30_000,
    };
    const version = await tdb.db
      .transaction()
      .execute((trx) =>
        createVersion(
          trx,
          adminActor,
          { programCode: 'rural_dibao', effectiveFrom: '2015-12', docNo: '乳民〔2015〕调2号', body },
          NOW,
        ),
      );
    const t = await generate('2015-12', 'rural_tekun');
    const lines = await linesOf(t.id);
    // 1.6 × 300 = 480 元 (DOMAIN §5.5: the basic standard follows the dibao standard).
    expect(lines.find((l) => l.component === 'tekun_basic')?.amount_fen).toBe(48_000);
    const used = async () =>
      (
        await tdb.db
          .selectFrom('policy_parameter')
          .select('used_in_payment')
          .where('id', '=', version.id)
          .executeTakeFirstOrThrow()
      ).used_in_payment;
    expect(await used()).toBe(0);
    expect((await admin.send('POST', `/api/v1/payrolls/${t.id}/review`)).statusCode).toBe(200);
    expect((await approver.send('POST', `/api/v1/payrolls/${t.id}/approve`)).statusCode).toBe(200);
    expect(await used()).toBe(1);
  });
});
