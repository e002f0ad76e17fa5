/**
 * A small ledger for the 民政统计 workbook and CLI tests, posted directly (enrolments and ledger entries), to
 * 2015-03. What it holds, by program:
 * - A 城市低保, 李建国户 (3 persons), 乳城镇, from 2015-01: 低保金 900 元 + 分类施保 60 元 a month, 价格临时补贴
 *   30 元 in January and 45 元 in March.
 * - B 农村五保 分散, 盘桂兰, 大桥镇, from 2015-02: 416 + 76 元 a month, 节日补贴 100 元 in March.
 * - C 城市特困 集中, 陈秀英, 乳城镇, from 2015-03: 656 元.
 * - D 农村低保, 盘桂兰户, 2014-06 to 2015-01 (收入超过标准): 200 元 in January (returned by the bank, reissued).
 * - E 农村低保, 盘桂兰户, from 2015-03: 233.33 元 + 价格临时补贴 10 元.
 * - 医疗救助 500 元 (大桥) and 临时救助 850 元 (乳城) in March, one grant each.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { COUNTY, DAQIAO, type Fixtures, RUCHENG } from './fixtures.ts';

type LedgerRow = Insertable<Database['payment_ledger']>;

interface Unit {
  program: string;
  town: string;
  household: number;
  person: number | null;
  enrolment: number | null;
}

export function ledgerLine(
  e: Unit,
  month: string,
  component: string,
  fund: string,
  amount: number,
  kind: LedgerRow['entry_kind'] = 'payment',
  payMonth = month,
): LedgerRow {
  return {
    county_code: COUNTY,
    town_code: e.town,
    program_code: e.program,
    household_id: e.household,
    person_id: e.person,
    enrolment_id: e.enrolment,
    benefit_month: month,
    pay_month: payMonth,
    component,
    fund_source: fund,
    amount_fen: amount,
    entry_kind: kind,
    payroll_id: null,
    payroll_line_id: null,
    one_off_id: null,
    reason: null,
    posted_by: 'test',
    posted_at: `${payMonth}-25T02:00:00.000Z`,
  };
}

export interface EnrolmentSpec {
  town: string;
  program: string;
  household: number;
  person: number | null;
  start: string;
  end: string | null;
  mode: string | null;
  reason: string | null;
}

/** An enrolment written directly (ended when it has an end month), as a ledger unit to post lines for. */
export async function insertEnrolment(db: Kysely<Database>, v: EnrolmentSpec): Promise<Unit> {
  const ts = '2015-01-01T00:00:00.000Z';
  const r = await db
    .insertInto('enrolment')
    .values({
      county_code: COUNTY,
      town_code: v.town,
      program_code: v.program,
      household_id: v.household,
      person_id: v.person,
      start_month: v.start,
      end_month: v.end,
      status: v.end ? 'ended' : 'active',
      support_mode: v.mode,
      single_person: 0,
      end_reason: v.reason,
      review_class: null,
      last_review_on: null,
      next_review_on: null,
      created_at: ts,
      updated_at: ts,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    program: v.program,
    town: v.town,
    household: v.household,
    person: v.person,
    enrolment: Number(r.id),
  };
}

export async function seedStatisticsLedger(db: Kysely<Database>, fx: Fixtures): Promise<void> {
  const memberOf = async (household: number, name: string) => {
    const m = await db
      .selectFrom('household_member')
      .innerJoin('person', 'person.id', 'household_member.person_id')
      .select('household_member.person_id')
      .where('household_member.household_id', '=', household)
      .where('person.name', '=', name)
      .executeTakeFirstOrThrow();
    return Number(m.person_id);
  };
  const pan = await memberOf(fx.daqiaoHousehold, '盘桂兰');
  const chen = await memberOf(fx.ruchengHousehold, '陈秀英');
  const enrol = (v: EnrolmentSpec) => insertEnrolment(db, v);
  const base = { end: null, mode: null, reason: null };
  const A = await enrol({
    ...base,
    town: RUCHENG,
    program: 'urban_dibao',
    household: fx.ruchengHousehold,
    person: null,
    start: '2015-01',
  });
  const B = await enrol({
    ...base,
    town: DAQIAO,
    program: 'rural_tekun',
    household: fx.daqiaoHousehold,
    person: pan,
    start: '2015-02',
    mode: 'dispersed',
  });
  const C = await enrol({
    ...base,
    town: RUCHENG,
    program: 'urban_tekun',
    household: fx.ruchengHousehold,
    person: chen,
    start: '2015-03',
    mode: 'concentrated',
  });
  const D = await enrol({
    town: DAQIAO,
    program: 'rural_dibao',
    household: fx.daqiaoHousehold,
    person: null,
    start: '2014-06',
    end: '2015-01',
    mode: null,
    reason: '收入超过标准',
  });
  const E = await enrol({
    ...base,
    town: DAQIAO,
    program: 'rural_dibao',
    household: fx.daqiaoHousehold,
    person: null,
    start: '2015-03',
  });
  const MED = {
    program: 'medical_aid',
    town: DAQIAO,
    household: fx.daqiaoHousehold,
    person: pan,
    enrolment: null,
  };
  const TMP = {
    program: 'temporary_aid',
    town: RUCHENG,
    household: fx.ruchengHousehold,
    person: null,
    enrolment: null,
  };
  const l = ledgerLine;
  await db
    .insertInto('payment_ledger')
    .values([
      l(A, '2015-01', 'dibao_base', 'provincial', 90_000),
      l(A, '2015-01', 'dibao_addon', 'county', 6_000),
      l(A, '2015-01', 'price_subsidy', 'central', 3_000),
      l(D, '2015-01', 'dibao_base', 'provincial', 20_000),
      l(A, '2015-02', 'dibao_base', 'provincial', 90_000),
      l(A, '2015-02', 'dibao_addon', 'county', 6_000),
      l(B, '2015-02', 'tekun_basic', 'provincial', 41_600),
      l(B, '2015-02', 'tekun_care', 'county', 7_600),
      l(A, '2015-03', 'dibao_base', 'provincial', 90_000),
      l(A, '2015-03', 'dibao_addon', 'county', 6_000),
      l(A, '2015-03', 'price_subsidy', 'central', 4_500),
      l(B, '2015-03', 'tekun_basic', 'provincial', 41_600),
      l(B, '2015-03', 'tekun_care', 'county', 7_600),
      l(B, '2015-03', 'holiday_subsidy', 'county', 10_000),
      l(C, '2015-03', 'tekun_basic', 'provincial', 65_600),
      l(E, '2015-03', 'dibao_base', 'provincial', 23_333),
      l(E, '2015-03', 'price_subsidy', 'central', 1_000),
      l(MED, '2015-03', 'medical_aid', 'county', 50_000, 'one_off'),
      l(TMP, '2015-03', 'temporary_aid', 'county', 85_000, 'one_off'),
      // A bank return of January's D payment and its reissue net to the same payment.
      l(D, '2015-01', 'dibao_base', 'provincial', -20_000, 'bank_failure', '2015-02'),
      l(D, '2015-01', 'dibao_base', 'provincial', 20_000, 'reissue', '2015-02'),
    ])
    .execute();
}
