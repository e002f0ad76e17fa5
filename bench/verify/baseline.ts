/**
 * The baseline of the verification benchmark: each rule type of the campaign engine (contract §5) as one
 * hand-written SQL query over the same tables — the campaign population (active enrolments at the date, their
 * current members; a person-level enrolment covers its person only) joined with the department records of the
 * snapshots in force — counting the households it hits. No findings are written and nothing is judged in JS:
 * it is the floor for doing the matching in the database. The policy's constants (standards, the
 * financial-asset cap, exempt vehicle types) are read from the policy in JS and spliced into the SQL.
 *
 * What each query asks (the rules as DOMAIN states them):
 * - deceased_paid (§4.9): a death record dated on or before the date, and the registry unaware of the death or
 *   a payment for a later month;
 * - duplicate_person (§10 data matching): the same name, birth date and sex in two different enrolled
 *   households, or the same person in two enrolments;
 * - shared_bank_account: two enrolled households paid into one bank account;
 * - vehicle (§3.5): a motor vehicle not scrapped that is not of an exempt type (disability vehicle, fuel
 *   motorcycle, e-bike) nor flagged exempt;
 * - real_estate_excess (§3.5): more than one residential property, or any non-residential one, not exempt;
 * - business_registration (§3.5): an active registration not flagged as a small family shop;
 * - deposits_over_limit (§3.5): deposits + securities + savings-type insurance not lapsed over N months of
 *   the (urban) standard per member;
 * - public_payroll (§4.4): a record on the public payroll of someone who has not left;
 * - income_above_standard (§4.4, §9): per member the highest wage evidence (payroll salary, insurance base, taxed
 *   wage ÷ 12) plus employee pensions and unemployment benefit, per capita at or above the program's standard;
 * - staff_relative (§10): a member married to a staff member or cadre, or in the same hukou, not declared in
 *   staff_relative;
 * - missed_eligible (§11): an active low-income record of a registered person whose household has no active
 *   enrolment, with a declared income under the standard and no car, business or non-residential property of
 *   the person on record.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Engine } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { resolvePolicy } from '../../src/modules/policy/policy.service.ts';

export interface BaselineInput {
  countyCode: string;
  asOf: string;
}

export interface BaselineParams {
  urbanStandardFen: number;
  ruralStandardFen: number;
  /** Per person: financial assets ≤ this (N months of the standard the policy names). */
  financialCapFen: number;
  exemptVehicleTypes: string[];
}

/** The constants the rules need, from the dibao policy in force at the date (DOMAIN §3.5, §4.7). */
export async function baselineParams(db: Kysely<Database>, q: BaselineInput): Promise<BaselineParams> {
  const month = q.asOf.slice(0, 7);
  const get = async (programCode: string) => {
    const p = await resolvePolicy<'dibao'>(db, { countyCode: q.countyCode, programCode, month });
    if (!p) throw new Error(`没有 ${programCode} 的政策参数（${month}）`);
    return p.body;
  };
  const urban = await get('urban_dibao');
  const rural = await get('rural_dibao');
  let financialCapFen = Number.MAX_SAFE_INTEGER;
  let exemptVehicleTypes: string[] = [];
  for (const rule of urban.assets) {
    if (rule.category === 'financial_assets') {
      const basis =
        rule.standardBasis === 'urban' ? (rule.urbanStandardFen ?? urban.standardFen) : urban.standardFen;
      financialCapFen = Math.floor(Number(rule.perPersonMaxMonthsOfStandard) * basis);
    }
    if (rule.category === 'motor_vehicle') exemptVehicleTypes = [...rule.exemptTypes];
  }
  return {
    urbanStandardFen: urban.standardFen,
    ruralStandardFen: rural.standardFen,
    financialCapFen,
    exemptVehicleTypes,
  };
}

export const BASELINE_RULES = [
  'deceased_paid',
  'duplicate_person',
  'shared_bank_account',
  'vehicle',
  'real_estate_excess',
  'business_registration',
  'deposits_over_limit',
  'public_payroll',
  'income_above_standard',
  'staff_relative',
  'missed_eligible',
] as const;
export type BaselineRule = (typeof BASELINE_RULES)[number];

/** One query per rule type: `select count(distinct household_id) as households, count(*) as hits from (…)`. */
export function baselineQueries(
  engine: Engine,
  q: BaselineInput,
  p: BaselineParams,
): Record<BaselineRule, RawBuilder<{ households: number; hits: number }>> {
  const asOf = sql.lit(q.asOf);
  const month = sql.lit(q.asOf.slice(0, 7));
  const county = sql.lit(q.countyCode);
  const greatest = engine === 'sqlite' ? 'max' : 'greatest';
  const std = sql.raw(
    `(case when i.e_program like 'urban%' then ${p.urbanStandardFen} else ${p.ruralStandardFen} end)`,
  );
  const exempt = sql.join(p.exemptVehicleTypes.map((t) => sql.lit(t)));
  // SQLite inlines a CTE at each reference (the self-joins of pop took minutes at 5,000 households), so it is
  // materialised there; PostgreSQL materialises a CTE referenced twice by itself and inlines one used once.
  const materialized = sql.raw(engine === 'sqlite' ? 'materialized' : '');
  // The campaign population and the snapshots in force (contract §5).
  const ctes = sql`
    snap as (select id, source_code from dept_snapshot where county_code = ${county} and status = 'in_force'),
    pop as ${materialized} (
      select e.id as enrolment_id, e.program_code as e_program, e.household_id, e.town_code,
        p.id as person_id, p.id_number, p.name, p.sex, p.birth_date, p.death_date
      from enrolment e
      join household_member m on m.household_id = e.household_id and m.valid_from <= ${asOf}
        and (m.valid_to is null or m.valid_to > ${asOf})
      join person p on p.id = m.person_id
      where e.county_code = ${county} and e.status = 'active' and e.start_month <= ${month}
        and (e.end_month is null or e.end_month >= ${month})
        and (e.person_id is null or e.person_id = p.id)
    ),
    staff_rec as ${materialized} (
      select st.id, st.id_number, sr.source_code, sr.ref from staff st
      join dept_record sr on sr.id_number = st.id_number and sr.source_code in ('marriage', 'hukou')
      join snap ss on ss.id = sr.snapshot_id
      where st.county_code = ${county} and (st.term_end is null or st.term_end >= ${asOf})
    )`;
  /** Records of the population's persons from one source's snapshot in force. */
  const rec = (source: string, alias: string) =>
    sql.raw(`join dept_record ${alias} on ${alias}.id_number = pop.id_number and ${alias}.source_code = '${source}'
      join snap ${alias}s on ${alias}s.id = ${alias}.snapshot_id`);
  const count = (body: RawBuilder<unknown>) =>
    sql<{ households: number; hits: number }>`with ${ctes}
      select count(distinct household_id) as households, count(*) as hits from (${body}) x`;
  const monthOf = engine === 'sqlite' ? 'substr(r.event_date, 1, 7)' : 'left(r.event_date, 7)';

  return {
    deceased_paid: count(sql`
      select pop.household_id, pop.person_id from pop ${rec('death', 'r')}
      where r.event_date <= ${asOf} and (pop.death_date is null
        or exists (select 1 from payment_ledger l where l.enrolment_id = pop.enrolment_id
          and l.benefit_month > ${sql.raw(monthOf)} and l.amount_fen > 0))`),
    duplicate_person: count(sql`
      select a.household_id, a.person_id from pop a join pop b
        on a.name = b.name and a.birth_date = b.birth_date and a.sex = b.sex and a.household_id <> b.household_id
      union
      select a.household_id, a.person_id from pop a join pop b
        on a.person_id = b.person_id and a.enrolment_id <> b.enrolment_id`),
    shared_bank_account: count(sql`
      select h.id as household_id from household h
      join (select distinct household_id from pop) hh on hh.household_id = h.id
      join (
        select h2.bank_account from household h2
        join (select distinct household_id from pop) hh2 on hh2.household_id = h2.id
        where h2.bank_account is not null and h2.bank_account <> ''
        group by h2.bank_account having count(*) > 1
      ) shared on shared.bank_account = h.bank_account`),
    vehicle: count(sql`
      select pop.household_id, pop.person_id from pop ${rec('vehicle', 'r')}
      where (r.status is null or r.status <> 'scrapped') and r.exempt = 0
        and r.kind not in ('disability_vehicle', ${exempt}) and r.event_date <= ${asOf}`),
    real_estate_excess: count(sql`
      select pop.household_id from pop ${rec('real_estate', 'r')}
      where r.exempt = 0 group by pop.household_id
      having sum(case when r.kind = 'residential' then 1 else 0 end) > 1
        or sum(case when r.kind = 'non_residential' then 1 else 0 end) > 0`),
    business_registration: count(sql`
      select pop.household_id, pop.person_id from pop ${rec('business', 'r')}
      where (r.status is null or r.status <> 'cancelled') and r.exempt = 0
        and (r.event_date is null or r.event_date <= ${asOf})`),
    deposits_over_limit: count(sql`
      select f.household_id from (
        select pop.household_id, coalesce(sum(case when r.source_code <> 'commercial_insurance'
          or (r.kind = 'savings' and (r.status is null or r.status <> 'lapsed')) then r.amount_fen else 0 end), 0) as assets
        from pop join dept_record r on r.id_number = pop.id_number
          and r.source_code in ('bank_deposit', 'securities', 'commercial_insurance')
        join snap s on s.id = r.snapshot_id
        group by pop.household_id) f
      join (select household_id, count(*) as n from pop group by household_id) c on c.household_id = f.household_id
      where f.assets > c.n * ${sql.lit(p.financialCapFen)}`),
    public_payroll: count(sql`
      select pop.household_id, pop.person_id from pop ${rec('public_payroll', 'r')}
      where (r.status is null or r.status <> 'left') and (r.event_date is null or r.event_date <= ${asOf})`),
    income_above_standard: count(sql`
      select i.household_id from (
        select pop.household_id, pop.e_program, pop.person_id,
          ${sql.raw(greatest)}(
            coalesce(max(case when r.source_code = 'public_payroll' and r.status <> 'left' then r.monthly_fen end), 0),
            coalesce(max(case when r.source_code = 'social_insurance' and r.kind = 'contribution' and r.status <> 'stopped'
              then r.monthly_fen end), 0),
            coalesce(max(case when r.source_code = 'tax' and r.kind = 'wage' then r.amount_fen / 12 end), 0))
          + coalesce(sum(case when r.source_code = 'social_insurance' and r.status <> 'stopped'
              and r.kind in ('employee_pension', 'unemployment_benefit') then r.monthly_fen end), 0) as monthly
        from pop join dept_record r on r.id_number = pop.id_number
          and r.source_code in ('public_payroll', 'social_insurance', 'tax')
        join snap s on s.id = r.snapshot_id
        where r.event_date is null or r.event_date <= ${asOf}
        group by pop.household_id, pop.e_program, pop.person_id) i
      join (select household_id, count(*) as n from pop group by household_id) c on c.household_id = i.household_id
      group by i.household_id, i.e_program, c.n
      having sum(i.monthly) >= c.n * ${std}`),
    staff_relative: count(sql`
      select distinct x.household_id, x.person_id, x.staff_id from (
        select pop.household_id, pop.person_id, pop.id_number, st.id as staff_id
        from pop join staff_rec st on st.source_code = 'marriage' and st.ref = pop.id_number
        union all
        select pop.household_id, pop.person_id, pop.id_number, st.id
        from pop ${rec('marriage', 'r')} join staff st on st.id_number = r.ref and st.county_code = ${county}
        union all
        select pop.household_id, pop.person_id, pop.id_number, st.id
        from pop ${rec('hukou', 'r')} join staff_rec st on st.source_code = 'hukou' and st.ref = r.ref
      ) x
      where not exists (select 1 from staff_relative d where d.staff_id = x.staff_id and d.id_number = x.id_number)`),
    missed_eligible: count(sql`
      select m.household_id, p.id as person_id
      from snap s join dept_record r on r.snapshot_id = s.id and s.source_code = 'low_income'
      join person p on p.id_number = r.id_number
      join household_member m on m.person_id = p.id and m.valid_from <= ${asOf} and (m.valid_to is null or m.valid_to > ${asOf})
      join household h on h.id = m.household_id
      where r.source_code = 'low_income' and (r.status is null or r.status <> 'closed')
        and r.monthly_fen < (case when h.hukou_type = 'urban' then ${sql.lit(p.urbanStandardFen)} else ${sql.lit(p.ruralStandardFen)} end)
        and not exists (select 1 from enrolment e where e.household_id = m.household_id and e.status = 'active')
        and not exists (select 1 from dept_record a join snap sa on sa.id = a.snapshot_id
          where a.id_number = r.id_number and (
            (a.source_code = 'vehicle' and (a.status is null or a.status <> 'scrapped') and a.exempt = 0
              and a.kind not in ('disability_vehicle', ${exempt}))
            or (a.source_code = 'business' and (a.status is null or a.status <> 'cancelled') and a.exempt = 0)
            or (a.source_code = 'real_estate' and a.kind <> 'residential' and a.exempt = 0)))`),
  };
}

export interface BaselineResult {
  rule: BaselineRule;
  households: number;
  hits: number;
  ms: number;
}

/** Runs the queries one after another; per rule the households hit, the rows and the time. */
export async function runBaseline(
  db: Kysely<Database>,
  engine: Engine,
  q: BaselineInput,
  onRule?: (r: BaselineResult) => void,
): Promise<BaselineResult[]> {
  const p = await baselineParams(db, q);
  const queries = baselineQueries(engine, q, p);
  const out: BaselineResult[] = [];
  for (const rule of BASELINE_RULES) {
    const t0 = performance.now();
    const row = (await queries[rule].execute(db)).rows[0];
    const r = {
      rule,
      households: Number(row?.households ?? 0),
      hits: Number(row?.hits ?? 0),
      ms: performance.now() - t0,
    };
    onRule?.(r);
    out.push(r);
  }
  return out;
}
