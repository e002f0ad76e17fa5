/**
 * The baseline of the payroll benchmark: the same monthly dibao arithmetic (DOMAIN §4.7) as one
 * `INSERT INTO payroll_line … SELECT …` in the database itself — the latest decision of each active
 * enrolment, Σ per counted member of (full standard | max(standard − per-capita income, floor)) rounded as
 * the policy says, plus per member the highest applicable add-on (rate × standard, capped at the
 * standard, rounded), one dibao_base line and one dibao_addon line (when > 0) per enrolment, with the
 * household's bank details — written into a payroll of its own. The policy's constants (standard, floor,
 * rates, rounding, fund sources) are read from the policy body in JS and spliced into the SQL as integer
 * arithmetic; the per-household work (JSON members, CASE, rounding) happens in SQL.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Engine } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { resolveFundSource } from '../../src/domain/policy/common.ts';
import type { DibaoParams } from '../../src/domain/policy/dibao.params.ts';

type Rounding = DibaoParams['rounding']['benefit'];
const UNIT_FEN = { fen: 1, jiao: 10, yuan: 100 } as const;

/** num/den fen (num ≥ 0, an SQL integer expression; den a positive integer) rounded per the rule, as SQL. */
export function roundSql(num: string, den: number, r: Rounding): string {
  const d = den * UNIT_FEN[r.unit];
  const unit = UNIT_FEN[r.unit];
  if (d === 1) return `(${num})`;
  if (r.mode === 'down') return `(((${num}) / ${d}) * ${unit})`;
  if (r.mode === 'up') return `((((${num}) + ${d - 1}) / ${d}) * ${unit})`;
  return `((((${num}) * 2 + ${d}) / ${2 * d}) * ${unit})`;
}

/** "0.125" → [125, 1000]. */
function rateParts(rate: string): [number, number] {
  const [i = '0', f = ''] = rate.split('.');
  return [Number(i + f), 10 ** f.length];
}

/** The per-member add-on items as (SQL condition, rounded capped amount), highest first. */
function addOnCases(p: DibaoParams, engine: Engine): { when: string; amount: string; value: number }[] {
  const std = p.standardFen;
  const has = (category: string) =>
    engine === 'sqlite'
      ? `instr(json_extract(j.value, '$.categories'), '"${category}"') > 0`
      : `(j.value -> 'categories') ? '${category}'`;
  const age = engine === 'sqlite' ? `json_extract(j.value, '$.age')` : `(j.value ->> 'age')::int`;
  const items = p.addOns.items.map((item) => {
    // value as an exact fraction num/den of fen, capped at the standard, then rounded.
    let [num, den] = item.rate !== undefined ? rateParts(item.rate) : [item.amountFen ?? 0, 1];
    if (item.rate !== undefined) num *= std;
    if (p.addOns.capAtStandard && num > std * den) [num, den] = [std, 1];
    const amount = roundSql(String(num), den, p.rounding.addOn);
    // As dibao.ts addOnApplies: with the member's age known, age decides 老年人 (≥ minAge) and 未成年人 (< 18).
    const cond =
      item.category === 'elderly'
        ? `coalesce(${age} >= ${item.minAge ?? 60}, ${has('elderly')})`
        : item.category === 'minor'
          ? `coalesce(${age} < 18, ${has('minor')})`
          : has(item.category);
    return { when: cond, amount, value: num / den };
  });
  return items.sort((a, b) => b.value - a.value);
}

export interface BaselineQuery {
  countyCode: string;
  programCode: string;
  month: string;
  policyId: number;
  params: DibaoParams;
}

/** The one INSERT … SELECT of the baseline, writing into payroll `payrollId`. */
export function baselineStatement(engine: Engine, q: BaselineQuery, payrollId: number): RawBuilder<unknown> {
  const p = q.params;
  if (p.method !== 'gap') throw new Error('baseline: only the gap method is written in SQL');
  if (p.addOns.stacking !== 'highest')
    throw new Error('baseline: only highest-add-on stacking is written in SQL');
  const std = p.standardFen;
  // The floor is a household minimum: max(base, floor per person × counted members), exact (floorNum/floorDen
  // fen per person), rounded once with the base (dibao.ts dibaoMonthlyBenefit).
  const [floorNum, floorDen] =
    p.floor.kind === 'none'
      ? [0, 1]
      : p.floor.kind === 'per_person'
        ? [p.floor.amountFen, 1]
        : [rateParts(p.floor.rate)[0] * std, rateParts(p.floor.rate)[1]];
  const full =
    engine === 'sqlite' ? `json_extract(j.value, '$.fullStandard')` : `(j.value ->> 'fullStandard')::boolean`;
  const greatest = engine === 'sqlite' ? 'max' : 'greatest';
  const gap = `${greatest}(${std} - d.per_capita_income_fen, 0)`;
  const addOn = `case ${addOnCases(p, engine)
    .map((c) => `when ${c.when} then ${c.amount}`)
    .join(' ')} else 0 end`;
  const baseFen = roundSql(
    `${greatest}(cast(sum(case when ${full} then ${std} else ${gap} end) as bigint) * ${floorDen}, ${floorNum} * count(*))`,
    floorDen,
    p.rounding.benefit,
  );
  const addOnFen = `cast(sum(${addOn}) as bigint)`;
  // Per decision, Σ over its members: SQLite groups the (decision × json_each) rows, which it scans in decision
  // order without a sort; PostgreSQL aggregates each decision's members in a LATERAL subquery (a GROUP BY over
  // the join sorts 2 million rows and took 1.5× as long, measured at 50,000 households).
  const perDecision =
    engine === 'sqlite'
      ? `${baseFen} as base_fen, ${addOnFen} as addon_fen
      from enrolment e
      join benefit_decision d on d.enrolment_id = e.id
      cross join json_each(d.members_json) j`
      : `a.base_fen, a.addon_fen
      from enrolment e
      join benefit_decision d on d.enrolment_id = e.id
      cross join lateral (select ${baseFen} as base_fen, ${addOnFen} as addon_fen
        from jsonb_array_elements(d.members_json::jsonb) j(value)) a`;
  const baseSource = resolveFundSource(p.funding, { component: 'dibao_base' });
  const addOnSource = resolveFundSource(p.funding, { component: 'dibao_addon' });
  const lit = (s: string): RawBuilder<unknown> => sql.lit(s);

  return sql`
    with m as (
      select d.id as decision_id, e.id as enrolment_id, e.town_code, e.household_id, ${sql.raw(perDecision)}
      where e.county_code = ${q.countyCode} and e.program_code = ${q.programCode} and e.status <> 'suspended'
        and e.start_month <= ${q.month} and (e.end_month is null or e.end_month >= ${q.month})
        and d.effective_month <= ${q.month}
        and not exists (select 1 from benefit_decision d2 where d2.enrolment_id = e.id
          and d2.effective_month > d.effective_month and d2.effective_month <= ${q.month})
      ${sql.raw(engine === 'sqlite' ? 'group by d.id, e.id, e.town_code, e.household_id' : '')}
    )
    insert into payroll_line (payroll_id, county_code, town_code, village_code, program_code, enrolment_id,
      household_id, person_id, benefit_month, component, line_kind, amount_fen, fund_source, policy_id,
      decision_id, reason, bank_name, bank_account, account_holder, status)
    select ${payrollId}, ${q.countyCode}, m.town_code, h.village_code, ${q.programCode}, m.enrolment_id,
      m.household_id, cast(null as bigint), ${q.month}, k.component, 'regular',
      case when k.component = 'dibao_base' then m.base_fen else m.addon_fen end,
      case when k.component = 'dibao_base' then ${lit(baseSource)} else ${lit(addOnSource)} end,
      ${q.policyId}, m.decision_id, cast(null as text), h.bank_name, h.bank_account, h.bank_account_holder, 'pending'
    from m
    join household h on h.id = m.household_id
    cross join (select 'dibao_base' as component union all select 'dibao_addon') k
    where k.component = 'dibao_base' or m.addon_fen > 0
  `;
}

/**
 * Inserts the baseline payroll (its own payroll row, pay month `month`, county code `baseline:<county>` so it
 * does not collide with the real one) and its lines. Returns the payroll id.
 */
export async function runBaseline(db: Kysely<Database>, engine: Engine, q: BaselineQuery): Promise<number> {
  const now = new Date().toISOString();
  const payroll = await db
    .insertInto('payroll')
    .values({
      county_code: `baseline:${q.countyCode}`,
      program_code: q.programCode,
      pay_month: q.month,
      status: 'generating',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await baselineStatement(engine, q, payroll.id).execute(db);
  return payroll.id;
}

/** Lines and Σ amount of a payroll, by component. */
export async function payrollTotals(
  db: Kysely<Database>,
  payrollId: number,
): Promise<{
  lines: number;
  totalFen: number;
  byComponent: Record<string, { lines: number; totalFen: number }>;
}> {
  const rows = await db
    .selectFrom('payroll_line')
    .select((eb) => [
      'component',
      eb.fn.countAll<number>().as('lines'),
      eb.fn.sum<number>('amount_fen').as('total'),
    ])
    .where('payroll_id', '=', payrollId)
    .groupBy('component')
    .execute();
  const byComponent: Record<string, { lines: number; totalFen: number }> = {};
  let lines = 0;
  let totalFen = 0;
  for (const r of rows) {
    byComponent[r.component] = { lines: Number(r.lines), totalFen: Number(r.total) };
    lines += Number(r.lines);
    totalFen += Number(r.total);
  }
  return { lines, totalFen, byComponent };
}
