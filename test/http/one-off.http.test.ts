/**
 * 一次性发放 through the API (DOMAIN §6.3–6.4, §7.2, §16, §17): a medical claim at 70% of what insurance left,
 * within the annual cap; a holiday subsidy batch, one line per enrolled person; a 临时救助 case's 先行救助 becoming a
 * payment; a second person approving, which copies the bank account and posts to the ledger with the fund source.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/calendar/dates.ts';
import { DEMO_POLICY_VERSIONS } from '../../src/modules/demo/demo-policy.ts';
import { createVersion } from '../../src/modules/policy/policy.service.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { createUser } from '../../src/modules/users/users.service.ts';
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

/** Explicit rules so the figures below read from this file: 70% for 低保, 80% for 特困, annual caps. */
const MEDICAL_AID = {
  layers: [
    { payer: 'basic_insurance', label: '城乡居民基本医疗保险', byCategory: {} },
    { payer: 'critical_illness', label: '城乡居民大病保险', byCategory: {} },
    {
      payer: 'assistance',
      label: '医疗救助',
      byCategory: {
        dibao: { deductibleFen: 0, rate: '0.7', annualCapFen: 1_000_000 },
        tekun: { deductibleFen: 0, rate: '0.8', annualCapFen: 2_000_000 },
      },
    },
  ],
  rounding: { mode: 'half_up', unit: 'fen' },
  funding: { defaultSource: 'county', rules: [{ category: 'tekun', source: 'provincial' }] },
};

const TEMPORARY_AID = {
  standardBasis: 'household',
  bands: [
    { code: 'E1', label: '急难型一般困难', type: 'emergency', monthsOfStandard: '2', perPerson: false },
    { code: 'X1', label: '支出型一般困难', type: 'expenditure', monthsOfStandard: '1', perPerson: true },
  ],
  typeCaps: {},
  householdAnnualCapFen: 100_000,
  townApprovalLimit: { kind: 'months_of_standard', months: '3' },
  rounding: { mode: 'half_up', unit: 'yuan' },
  funding: {
    defaultSource: 'county',
    rules: [{ component: 'temporary_aid', category: 'emergency', source: 'provincial' }],
  },
};

/** 五保: provincial funds except care (county); a holiday subsidy falls to the default. */
const RURAL_TEKUN = {
  basic: { method: 'fixed', concentratedFen: 45_000, dispersedFen: 41_600 },
  care: { basis: 'fixed', tiers: { full_self_care: 7_600, partial_care: 15_000, full_care: 30_000 } },
  funding: { defaultSource: 'provincial', rules: [{ component: 'tekun_care', source: 'county' }] },
};

describe.each(ENGINES)('one-off payments on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let approver: Client;
  let approver2: Client;
  let clerk: Client;
  let reviewer: Client;
  let li: number; // 李建国, 城镇低保 household in 乳城镇
  let pan: number; // 盘桂兰, 五保 in 大桥镇
  let zhao: number; // 赵大, 五保 in 大桥镇 (his son is not)

  const count = async (table: 'medical_claim' | 'one_off_payment' | 'payment_ledger' | 'one_off_batch') =>
    Number(
      (
        await tdb.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const personOf = async (householdId: number, name: string) =>
    (
      await tdb.db
        .selectFrom('household_member as hm')
        .innerJoin('person as p', 'p.id', 'hm.person_id')
        .select('p.id')
        .where('hm.household_id', '=', householdId)
        .where('p.name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;
  const enrol = async (householdId: number, townCode: string, program: string, personId: number | null) => {
    const ts = new Date().toISOString();
    await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: townCode,
        program_code: program,
        household_id: householdId,
        person_id: personId,
        start_month: '2014-01',
        end_month: null,
        status: 'active',
        support_mode: program.endsWith('tekun') ? 'dispersed' : null,
        single_person: 0,
        end_reason: null,
        created_at: ts,
        updated_at: ts,
      })
      .execute();
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    const now = new Date('2026-11-28T02:00:00Z');
    const extra = await tdb.db.transaction().execute(async (trx) => {
      await createUser(
        trx,
        fx.system,
        {
          username: 'approver2',
          role: 'county_approver',
          areaCode: COUNTY,
          displayName: '测试审批人二',
          password: PASSWORD,
        },
        now,
      );
      const zhaoHousehold = await createHousehold(
        trx,
        fx.system,
        {
          townCode: DAQIAO,
          villageCode: '440232109202',
          address: '大桥镇红星村委会下村3号',
          hukouType: 'rural',
          bankName: '中国邮政储蓄银行',
          bankAccount: '6210987654321011111',
          bankAccountHolder: '赵大',
          effectiveDate: '2010-01-01',
          members: [
            { idNumber: id('1945-05-05', 51), name: '赵大', relation: '户主' },
            { idNumber: id('1980-08-08', 53), name: '赵二', relation: '子女' },
          ],
        },
        now,
      );
      const huangHousehold = await createHousehold(
        trx,
        fx.system,
        {
          townCode: RUCHENG,
          villageCode: '440232100201',
          address: '乳城镇河北村委会1号',
          hukouType: 'rural',
          effectiveDate: '2010-01-01',
          members: [{ idNumber: id('1930-01-01', 61), name: '黄老', relation: '户主' }],
        },
        now,
      );
      const policies = [
        ...DEMO_POLICY_VERSIONS.filter((v) => v.programCode.endsWith('_dibao')),
        { programCode: 'rural_tekun', effectiveFrom: '2015-01', docNo: '测试〔2015〕4号', body: RURAL_TEKUN },
        {
          programCode: 'temporary_aid',
          effectiveFrom: '2015-01',
          docNo: '测试〔2015〕5号',
          body: TEMPORARY_AID,
        },
        { programCode: 'medical_aid', effectiveFrom: '2015-01', docNo: '测试〔2015〕6号', body: MEDICAL_AID },
      ];
      for (const p of policies) {
        await createVersion(
          trx,
          fx.system,
          { programCode: p.programCode, effectiveFrom: p.effectiveFrom, docNo: p.docNo, body: p.body },
          now,
        );
      }
      return { zhaoHousehold: zhaoHousehold.id, huangHousehold: huangHousehold.id };
    });
    li = await personOf(fx.ruchengHousehold, '李建国');
    pan = await personOf(fx.daqiaoHousehold, '盘桂兰');
    zhao = await personOf(extra.zhaoHousehold, '赵大');
    const huang = await personOf(extra.huangHousehold, '黄老');
    await enrol(fx.ruchengHousehold, RUCHENG, 'urban_dibao', null);
    await enrol(fx.daqiaoHousehold, DAQIAO, 'rural_tekun', pan);
    await enrol(extra.zhaoHousehold, DAQIAO, 'rural_tekun', zhao);
    await enrol(extra.huangHousehold, RUCHENG, 'rural_tekun', huang);
    // Died before the Spring Festival reference date: no subsidy.
    await tdb.db.updateTable('person').set({ death_date: '2015-01-20' }).where('id', '=', huang).execute();
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    approver = await login(app, USERS.approver.username);
    approver2 = await login(app, 'approver2');
    clerk = await login(app, USERS.ruchengClerk.username);
    reviewer = await login(app, USERS.ruchengReviewer.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  describe('医疗救助 (DOMAIN §7.2)', () => {
    let firstPayment: number;

    it('pays 70% of what basic insurance left to a 低保 member, the category taken from the enrolment', async () => {
      const res = await clerk.send('POST', '/api/v1/medical-claims', {
        personId: li,
        hospital: '乳源瑶族自治县人民医院',
        admittedOn: '2015-03-02',
        dischargedOn: '2015-03-12',
        billFen: 1_200_000,
        eligibleFen: 1_000_000,
        basicInsuranceFen: 500_000,
        criticalIllnessFen: 0,
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      // (10,000 − 5,000) × 0.7 = 3,500 元; out of pocket 12,000 − 5,000 − 3,500 = 3,500 元.
      expect(body.claim).toMatchObject({
        category: 'dibao',
        assistanceFen: 350_000,
        basicInsuranceFen: 500_000,
        outOfPocketFen: 350_000,
        status: 'pending',
      });
      expect(body.payment).toMatchObject({ amountFen: 350_000, fundSource: 'county', status: 'pending' });
      expect(body.explanation.map((l: { step: string }) => l.step)).toContain('医疗救助');
      expect(JSON.stringify(body.explanation)).toContain('测试〔2015〕6号');
      firstPayment = body.payment.id;
    });

    it('holds a second claim in the same year within what is left of the annual cap', async () => {
      const res = await clerk.send('POST', '/api/v1/medical-claims', {
        personId: li,
        hospital: '韶关市第一人民医院',
        admittedOn: '2015-06-01',
        dischargedOn: '2015-06-20',
        billFen: 2_500_000,
        eligibleFen: 2_000_000,
        basicInsuranceFen: 1_000_000,
      });
      expect(res.statusCode).toBe(201);
      // 10,000 × 0.7 = 7,000 元, but the cap of 10,000 元 less the 3,500 元 paid leaves 6,500 元.
      expect(res.json().claim.assistanceFen).toBe(650_000);
      const cap = res.json().explanation.find((l: { step: string }) => l.step === '年度限额');
      expect(cap).toMatchObject({ amountFen: 650_000 });
      const listed = (await clerk.get(`/api/v1/medical-claims?personId=${li}`)).json();
      expect(listed.items.map((c: { assistanceFen: number }) => c.assistanceFen)).toEqual([650_000, 350_000]);
    });

    it('takes 特困 from the enrolment and funds it from the province (the policy’s funding rule)', async () => {
      const daqiao = await login(app, USERS.daqiaoClerk.username);
      const res = await daqiao.send('POST', '/api/v1/medical-claims', {
        personId: pan,
        hospital: '大桥镇卫生院',
        admittedOn: '2015-04-01',
        dischargedOn: '2015-04-05',
        billFen: 300_000,
        eligibleFen: 250_000,
        basicInsuranceFen: 150_000,
      });
      expect(res.statusCode).toBe(201);
      // (2,500 − 1,500) × 0.8 = 800 元
      expect(res.json().claim).toMatchObject({ category: 'tekun', assistanceFen: 80_000 });
      expect(res.json().payment.fundSource).toBe('provincial');
      // …and keeps another town's clerk away from the person.
      const other = await clerk.send('POST', '/api/v1/medical-claims', {
        personId: pan,
        hospital: '大桥镇卫生院',
        admittedOn: '2015-04-01',
        dischargedOn: '2015-04-05',
        billFen: 1,
        eligibleFen: 1,
      });
      expect(other.statusCode).toBe(403);
    });

    it('refuses bad input with the field named and writes nothing', async () => {
      const before = { claims: await count('medical_claim'), payments: await count('one_off_payment') };
      const valid = {
        personId: li,
        hospital: '乳源瑶族自治县人民医院',
        admittedOn: '2015-07-01',
        dischargedOn: '2015-07-03',
        billFen: 100_000,
        eligibleFen: 80_000,
      };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...valid, eligibleFen: 200_000 }, 'eligibleFen'],
        [{ ...valid, dischargedOn: '2015-06-30' }, 'dischargedOn'],
        [{ ...valid, dischargedOn: '2999-01-01' }, 'dischargedOn'],
        [{ ...valid, hospital: '' }, 'hospital'],
        [{ ...valid, billFen: -5 }, 'billFen'],
        [{ ...valid, category: 'tekun' }, 'category'], // 李建国 is 低保, not 特困
        [{ ...valid, personId: 999_999 }, 'personId'],
      ];
      for (const [body, field] of cases) {
        const res = await clerk.send('POST', '/api/v1/medical-claims', body);
        expect(res.statusCode, field).toBe(400);
        expect(res.json().error.field).toBe(field);
      }
      expect({ claims: await count('medical_claim'), payments: await count('one_off_payment') }).toEqual(
        before,
      );
    });

    it('posts the approved claim to the ledger with the account copied from the household', async () => {
      const town = await reviewer.send('POST', `/api/v1/one-off-payments/${firstPayment}/approve`);
      expect(town.statusCode).toBe(403); // a town reviewer has no payroll.approve
      const res = await approver.send('POST', `/api/v1/one-off-payments/${firstPayment}/approve`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'approved', bankAccount: '***************2345' });
      const payment = await tdb.db
        .selectFrom('one_off_payment')
        .selectAll()
        .where('id', '=', firstPayment)
        .executeTakeFirstOrThrow();
      expect(payment).toMatchObject({ bank_account: '6230123456789012345', account_holder: '李建国' });
      const ledger = await tdb.db
        .selectFrom('payment_ledger')
        .selectAll()
        .where('one_off_id', '=', firstPayment)
        .execute();
      expect(ledger).toEqual([
        expect.objectContaining({
          entry_kind: 'one_off',
          component: 'medical_aid',
          program_code: 'medical_aid',
          amount_fen: 350_000,
          fund_source: 'county',
          benefit_month: '2015-03',
          pay_month: chinaDate(new Date()).slice(0, 7),
          person_id: li,
          posted_by: USERS.approver.username,
        }),
      ]);
      const claim = await tdb.db
        .selectFrom('medical_claim')
        .select('status')
        .where('id', '=', payment.claim_id ?? 0)
        .executeTakeFirstOrThrow();
      expect(claim.status).toBe('approved');
      const again = await approver.send('POST', `/api/v1/one-off-payments/${firstPayment}/approve`);
      expect(again.statusCode).toBe(409);
    });
  });

  describe('节日补贴 batch (the seed report’s 五保 Spring Festival subsidy, DOMAIN §17)', () => {
    let batchId: number;

    it('creates one pending line per 五保 person enrolled on the reference date', async () => {
      const res = await admin.send('POST', '/api/v1/one-off-batches', {
        kind: 'holiday_subsidy',
        title: '2015年春节五保对象临时价格补贴',
        programCodes: ['rural_tekun'],
        amountPerPersonFen: 16_000,
        referenceDate: '2015-02-10',
      });
      expect(res.statusCode).toBe(201);
      batchId = res.json().id;
      // 盘桂兰 and 赵大 — not 赵二 (his son, not enrolled) nor 黄老 (died 2015-01-20).
      expect(res.json()).toMatchObject({ lineCount: 2, totalFen: 32_000, status: 'pending' });
      const lines = (await admin.get(`/api/v1/one-off-payments?batchId=${batchId}`)).json();
      expect(lines.items.map((l: { personId: number }) => l.personId).sort()).toEqual([pan, zhao].sort());
      expect(lines.items[0]).toMatchObject({
        kind: 'holiday_subsidy',
        component: 'holiday_subsidy',
        programCode: 'rural_tekun',
        fundSource: 'provincial', // the 五保 policy's default: no rule for holiday_subsidy
        benefitMonth: '2015-02',
        status: 'pending',
      });
      expect(lines.items[0].bankAccount).toMatch(/^\*+\d{4}$/);
      expect(lines).toMatchObject({ count: 2, totalFen: 32_000 });
    });

    it('lets neither the creator nor a role without payroll.approve approve it', async () => {
      expect((await admin.send('POST', `/api/v1/one-off-batches/${batchId}/approve`)).statusCode).toBe(403);
      const own = await approver.send('POST', '/api/v1/one-off-batches', {
        kind: 'holiday_subsidy',
        title: '2015年春节低保对象慰问金',
        programCodes: ['urban_dibao'],
        amountPerPersonFen: 10_000,
        referenceDate: '2015-02-10',
        fundSource: 'county',
      });
      expect(own.statusCode).toBe(201);
      // 低保 is per person in the household: 李建国, 陈秀英, 李明.
      expect(own.json()).toMatchObject({ lineCount: 3, totalFen: 30_000 });
      const ledgerBefore = await count('payment_ledger');
      const refused = await approver.send('POST', `/api/v1/one-off-batches/${own.json().id}/approve`);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.message).toContain('创建人');
      expect(await count('payment_ledger')).toBe(ledgerBefore);
      const ok = await approver2.send('POST', `/api/v1/one-off-batches/${own.json().id}/approve`);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().posted).toMatchObject({ count: 3, totalFen: 30_000 });
    });

    it('posts every line to the ledger with its fund source when a second person approves', async () => {
      const res = await approver.send('POST', `/api/v1/one-off-batches/${batchId}/approve`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'approved', approvedBy: USERS.approver.username });
      expect(res.json().summary).toEqual([
        expect.objectContaining({ townCode: DAQIAO, fundSource: 'provincial', count: 2, totalFen: 32_000 }),
      ]);
      const ledger = await tdb.db
        .selectFrom('payment_ledger as l')
        .innerJoin('one_off_payment as o', 'o.id', 'l.one_off_id')
        .select([
          'l.person_id',
          'l.amount_fen',
          'l.fund_source',
          'l.component',
          'l.program_code',
          'l.benefit_month',
        ])
        .where('o.batch_id', '=', batchId)
        .orderBy('l.person_id')
        .execute();
      expect(ledger).toHaveLength(2);
      for (const e of ledger) {
        expect(e).toMatchObject({
          amount_fen: 16_000,
          fund_source: 'provincial',
          component: 'holiday_subsidy',
          program_code: 'rural_tekun',
          benefit_month: '2015-02',
        });
      }
      const audited = await tdb.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'one_off_batch')
        .execute();
      expect(audited.map((a) => a.action)).toEqual(
        expect.arrayContaining(['one_off_batch.create', 'one_off_batch.approve']),
      );
      expect((await approver2.send('POST', `/api/v1/one-off-batches/${batchId}/approve`)).statusCode).toBe(
        409,
      );
    });

    it('shows a town user only their town’s lines', async () => {
      const mine = (await clerk.get('/api/v1/one-off-payments?kind=holiday_subsidy')).json();
      expect(mine.count).toBe(3);
      expect(mine.items.every((l: { townCode: string }) => l.townCode === RUCHENG)).toBe(true);
    });

    it('refuses bad input with the field named and writes nothing', async () => {
      const before = { batches: await count('one_off_batch'), payments: await count('one_off_payment') };
      const valid = {
        kind: 'holiday_subsidy',
        title: '2015年中秋节慰问',
        programCodes: ['rural_tekun'],
        amountPerPersonFen: 10_000,
        referenceDate: '2015-09-20',
      };
      const cases: [Record<string, unknown>, string, number][] = [
        [{ ...valid, programCodes: ['medical_aid'] }, 'programCodes[0]', 400],
        [{ ...valid, amountPerPersonFen: 0 }, 'amountPerPersonFen', 400],
        [{ ...valid, referenceDate: '2015-02-30' }, 'referenceDate', 400],
        [{ ...valid, title: ' ' }, 'title', 400],
        // No 农村低保 policy in this test county before 2015 and no source given.
        [{ ...valid, programCodes: ['urban_dibao'], referenceDate: '2014-09-20' }, 'fundSource', 400],
      ];
      for (const [body, field, status] of cases) {
        const res = await admin.send('POST', '/api/v1/one-off-batches', body);
        expect(res.statusCode, field).toBe(status);
        expect(res.json().error.field).toBe(field);
      }
      expect((await clerk.send('POST', '/api/v1/one-off-batches', valid)).statusCode).toBe(403);
      expect({ batches: await count('one_off_batch'), payments: await count('one_off_payment') }).toEqual(
        before,
      );
    });
  });

  describe('临时救助 (DOMAIN §6.3–6.4)', () => {
    it('turns a case’s 先行救助 into a pending payment, approved into the ledger', async () => {
      const opened = await clerk.send('POST', '/api/v1/cases', {
        programCode: 'temporary_aid',
        householdId: fx.ruchengHousehold,
        acceptedOn: '2015-03-02',
        amountFen: 80_000,
        aidType: 'emergency',
      });
      expect(opened.statusCode).toBe(201);
      const caseId = opened.json().id;
      const granted = await reviewer.send('POST', `/api/v1/cases/${caseId}/actions/grant_advance`, {
        version: opened.json().version,
        decidedOn: '2015-03-03',
      });
      expect(granted.statusCode).toBe(200);
      const payment = await tdb.db
        .selectFrom('one_off_payment')
        .selectAll()
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect(payment).toMatchObject({
        kind: 'temporary_aid',
        amount_fen: 80_000,
        status: 'pending',
        household_id: fx.ruchengHousehold,
        benefit_month: '2015-03',
        fund_source: 'provincial', // the rule for 急难型
        created_by: USERS.ruchengReviewer.username,
      });
      const ok = await approver.send('POST', `/api/v1/one-off-payments/${payment.id}/approve`);
      expect(ok.statusCode).toBe(200);
      const ledger = await tdb.db
        .selectFrom('payment_ledger')
        .selectAll()
        .where('one_off_id', '=', payment.id)
        .executeTakeFirstOrThrow();
      expect(ledger).toMatchObject({ component: 'temporary_aid', amount_fen: 80_000, entry_kind: 'one_off' });
    });

    it('quotes a band against the household’s annual cap left after what the ledger holds', async () => {
      const res = await clerk.send('POST', '/api/v1/temporary-aid/quote', {
        bandCode: 'E1',
        persons: 3,
        month: '2015-05',
        householdId: fx.ruchengHousehold,
      });
      expect(res.statusCode).toBe(200);
      // 城镇 standard 410 元 × 2 = 820 元, but the 1,000 元 annual cap less the 800 元 already paid leaves 200 元.
      expect(res.json()).toMatchObject({
        amountFen: 20_000,
        capped: true,
        approvalLevel: 'town',
        paidThisYearFen: 80_000,
        timesThisYear: 1,
        dibaoStandard: { program: 'urban_dibao', standardFen: 41_000 },
      });
      const bad = await clerk.send('POST', '/api/v1/temporary-aid/quote', {
        bandCode: 'Z9',
        persons: 3,
        month: '2015-05',
        householdId: fx.ruchengHousehold,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('bandCode');
      const noHousehold = await clerk.send('POST', '/api/v1/temporary-aid/quote', {
        bandCode: 'E1',
        persons: 3,
        month: '2015-05',
      });
      expect(noHousehold.statusCode).toBe(400);
      expect(noHousehold.json().error.field).toBe('householdId');
    });
  });
});
