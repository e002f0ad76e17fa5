/**
 * 民政统计: the set-based reads of the payment ledger behind every figure (DOMAIN §14 "MIS implications": the
 * paid ledger is the basis of every statistic; statistics never read payroll lines that were not approved).
 * One code path for both engines: plain SQL that SQLite and PostgreSQL read alike (`||`, CASE, correlated counts).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

const STOCK_PROGRAMS = ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun'];

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export interface UnitCell {
  month: string;
  program: string;
  townCode: string;
  villageCode: string | null;
  supportMode: string | null;
  households: number;
  persons: number;
}

/**
 * 人数/户数 per benefit month (DOMAIN §14: distinct persons and households of the month's payroll): a paid unit
 * is an enrolment whose ledger entries for the month (payment, arrears, recovery, bank failure, reissue) net
 * above zero. A person-level line (特困, 单人保) counts its person; a household line counts the household's
 * members at the month's end. The village is the household's current one (the ledger keeps the town).
 */
export async function paidUnits(
  db: Db,
  countyCode: string,
  fromMonth: string,
  toMonth: string,
): Promise<UnitCell[]> {
  const programs = sql.join(STOCK_PROGRAMS);
  const r = await sql<{
    benefit_month: string;
    program_code: string;
    town_code: string;
    village_code: string | null;
    support_mode: string | null;
    households: unknown;
    persons: unknown;
  }>`
    select u.benefit_month, u.program_code, u.town_code, h.village_code, e.support_mode,
      count(distinct u.household_id) as households,
      sum(case when u.person_id is not null then 1 else (
        select count(*) from household_member m
        where m.household_id = u.household_id
          and m.valid_from <= u.benefit_month || '-31'
          and (m.valid_to is null or m.valid_to > u.benefit_month || '-31')
      ) end) as persons
    from (
      select l.benefit_month, l.program_code, l.town_code, l.household_id, l.person_id, l.enrolment_id
      from payment_ledger l
      where l.county_code = ${countyCode}
        and l.benefit_month >= ${fromMonth} and l.benefit_month <= ${toMonth}
        and l.entry_kind <> 'one_off'
        and l.program_code in (${programs})
      group by l.benefit_month, l.program_code, l.town_code, l.household_id, l.person_id, l.enrolment_id
      having sum(l.amount_fen) > 0
    ) u
    join household h on h.id = u.household_id
    left join enrolment e on e.id = u.enrolment_id
    group by u.benefit_month, u.program_code, u.town_code, h.village_code, e.support_mode`.execute(db);
  return r.rows.map((x) => ({
    month: x.benefit_month,
    program: x.program_code,
    townCode: x.town_code,
    villageCode: x.village_code,
    supportMode: x.support_mode,
    households: n(x.households),
    persons: n(x.persons),
  }));
}

export interface AgeCell {
  program: string;
  townCode: string;
  villageCode: string | null;
  supportMode: string | null;
  minors: number;
  adults: number;
  elderly: number;
}

/**
 * DOMAIN §14 age breakdown of one month's paid persons (the units of paidUnits, the same members at the month's
 * end): 未成年人 born after `minorBornAfter`, 老年人 born on or before `elderlyBornBy`, 成年人 the others.
 */
export async function paidPersonsByAge(
  db: Db,
  countyCode: string,
  month: string,
  bounds: { minorBornAfter: string; elderlyBornBy: string },
): Promise<AgeCell[]> {
  const programs = sql.join(STOCK_PROGRAMS);
  const end = `${month}-31`;
  const r = await sql<{
    program_code: string;
    town_code: string;
    village_code: string | null;
    support_mode: string | null;
    minors: unknown;
    elderly: unknown;
    persons: unknown;
  }>`
    select u.program_code, u.town_code, h.village_code, e.support_mode,
      sum(case when p.birth_date > ${bounds.minorBornAfter} then 1 else 0 end) as minors,
      sum(case when p.birth_date <= ${bounds.elderlyBornBy} then 1 else 0 end) as elderly,
      count(*) as persons
    from (
      select l.program_code, l.town_code, l.household_id, l.person_id, l.enrolment_id
      from payment_ledger l
      where l.county_code = ${countyCode}
        and l.benefit_month = ${month}
        and l.entry_kind <> 'one_off'
        and l.program_code in (${programs})
      group by l.program_code, l.town_code, l.household_id, l.person_id, l.enrolment_id
      having sum(l.amount_fen) > 0
    ) u
    join household h on h.id = u.household_id
    left join enrolment e on e.id = u.enrolment_id
    left join household_member m on u.person_id is null and m.household_id = u.household_id
      and m.valid_from <= ${end} and (m.valid_to is null or m.valid_to > ${end})
    join person p on p.id = coalesce(u.person_id, m.person_id)
    group by u.program_code, u.town_code, h.village_code, e.support_mode`.execute(db);
  return r.rows.map((x) => ({
    program: x.program_code,
    townCode: x.town_code,
    villageCode: x.village_code,
    supportMode: x.support_mode,
    minors: n(x.minors),
    adults: n(x.persons) - n(x.minors) - n(x.elderly),
    elderly: n(x.elderly),
  }));
}

export interface SpendingCell {
  month: string;
  program: string;
  townCode: string;
  villageCode: string | null;
  supportMode: string | null;
  component: string;
  fundSource: string;
  amountFen: number;
  /** One-off grants (each = 1 人次, DOMAIN §14 临时救助): one_off entries with a positive amount. */
  grants: number;
}

/**
 * Spending per benefit month (the month the money is for; later 补发/追回/bank returns of a month count in that
 * month, so a re-derived closed month shows the corrections), by component and fund source; every entry kind,
 * signed.
 */
export async function spending(
  db: Db,
  countyCode: string,
  fromMonth: string,
  toMonth: string,
): Promise<SpendingCell[]> {
  const rows = await db
    .selectFrom('payment_ledger as l')
    .innerJoin('household as h', 'h.id', 'l.household_id')
    .leftJoin('enrolment as e', 'e.id', 'l.enrolment_id')
    .select((eb) => [
      'l.benefit_month',
      'l.program_code',
      'l.town_code',
      'h.village_code',
      'e.support_mode',
      'l.component',
      'l.fund_source',
      eb.fn.sum<number>('l.amount_fen').as('amount'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('l.entry_kind', '=', 'one_off'), eb('l.amount_fen', '>', 0)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('grants'),
    ])
    .where('l.county_code', '=', countyCode)
    .where('l.benefit_month', '>=', fromMonth)
    .where('l.benefit_month', '<=', toMonth)
    .groupBy([
      'l.benefit_month',
      'l.program_code',
      'l.town_code',
      'h.village_code',
      'e.support_mode',
      'l.component',
      'l.fund_source',
    ])
    .execute();
  return rows.map((x) => ({
    month: x.benefit_month,
    program: x.program_code,
    townCode: x.town_code,
    villageCode: x.village_code,
    supportMode: x.support_mode,
    component: x.component,
    fundSource: x.fund_source,
    amountFen: n(x.amount),
    grants: n(x.grants),
  }));
}

export interface FlowCell {
  /** 'start' = the first month covered (新增); 'end' = the last month covered (取消 shows the month after). */
  edge: 'start' | 'end';
  month: string;
  program: string;
  townCode: string;
  villageCode: string | null;
  supportMode: string | null;
  reason: string | null;
  households: number;
  persons: number;
}

/**
 * 新增/取消 from the enrolments' start and end months (DOMAIN §14 "track 新增/退出 per month from state changes":
 * an enrolment is opened by the approving case event and closed by the terminating one, with its reason).
 */
export async function flows(
  db: Db,
  countyCode: string,
  edge: 'start' | 'end',
  fromMonth: string,
  toMonth: string,
): Promise<FlowCell[]> {
  const programs = sql.join(STOCK_PROGRAMS);
  const col = edge === 'start' ? sql.ref('e.start_month') : sql.ref('e.end_month');
  const reason = edge === 'start' ? sql`null` : sql.ref('e.end_reason');
  // PostgreSQL refuses a constant in GROUP BY: group by the reason only when there is one.
  const reasonGroup = edge === 'start' ? sql`` : sql`, e.end_reason`;
  const r = await sql<{
    month: string;
    program_code: string;
    town_code: string;
    village_code: string | null;
    support_mode: string | null;
    reason: string | null;
    households: unknown;
    persons: unknown;
  }>`
    select ${col} as month, e.program_code, e.town_code, h.village_code, e.support_mode, ${reason} as reason,
      count(distinct e.household_id) as households,
      sum(case when e.person_id is not null then 1 else (
        select count(*) from household_member m
        where m.household_id = e.household_id
          and m.valid_from <= ${col} || '-31'
          and (m.valid_to is null or m.valid_to > ${col} || '-31')
      ) end) as persons
    from enrolment e
    join household h on h.id = e.household_id
    where e.county_code = ${countyCode}
      and e.program_code in (${programs})
      and ${col} >= ${fromMonth} and ${col} <= ${toMonth}
    group by ${col}, e.program_code, e.town_code, h.village_code, e.support_mode${reasonGroup}`.execute(db);
  return r.rows.map((x) => ({
    edge,
    month: x.month,
    program: x.program_code,
    townCode: x.town_code,
    villageCode: x.village_code,
    supportMode: x.support_mode,
    reason: x.reason,
    households: n(x.households),
    persons: n(x.persons),
  }));
}

export interface CampaignCell {
  campaignId: number;
  title: string;
  asOf: string;
  townCode: string;
  program: string | null;
  outcome: string | null;
  findings: number;
  households: number;
  persons: number;
  recoveryFen: number;
}

/** 核查 findings and their outcomes (维持/退出/追回) of the campaigns run in the year up to the month. */
export async function campaignOutcomes(db: Db, countyCode: string, fromDate: string, toDate: string) {
  const findings = await db
    .selectFrom('audit_finding as f')
    .innerJoin('audit_campaign as c', 'c.id', 'f.campaign_id')
    .select((eb) => [
      'c.id',
      'c.title',
      'c.as_of',
      'f.town_code',
      'f.program_code',
      'f.outcome',
      eb.fn.countAll<number>().as('findings'),
      eb.fn.count<number>('f.household_id').distinct().as('households'),
      eb.fn.sum<number>('f.persons').as('persons'),
      eb.fn.sum<number>(eb.fn.coalesce('f.recovery_fen', eb.lit(0))).as('recovery'),
    ])
    .where('c.county_code', '=', countyCode)
    .where('c.status', '=', 'done')
    .where('c.as_of', '>=', fromDate)
    .where('c.as_of', '<=', toDate)
    .groupBy(['c.id', 'c.title', 'c.as_of', 'f.town_code', 'f.program_code', 'f.outcome'])
    .execute();
  const campaigns = await db
    .selectFrom('audit_campaign')
    .select(['id', 'title', 'as_of', 'population_json'])
    .where('county_code', '=', countyCode)
    .where('status', '=', 'done')
    .where('as_of', '>=', fromDate)
    .where('as_of', '<=', toDate)
    .orderBy('id')
    .execute();
  return {
    campaigns,
    cells: findings.map(
      (x): CampaignCell => ({
        campaignId: Number(x.id),
        title: x.title,
        asOf: x.as_of,
        townCode: x.town_code,
        program: x.program_code,
        outcome: x.outcome,
        findings: n(x.findings),
        households: n(x.households),
        persons: n(x.persons),
        recoveryFen: n(x.recovery),
      }),
    ),
  };
}
