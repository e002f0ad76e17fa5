/**
 * Benefit decisions for the demo county, so its payrolls have lines: every 低保 enrolment gets an assessed
 * per-capita income (deterministic from the demo seed, plausible against the 2015 standards of 410/260 元) with its
 * counted members = the current living members (the applicant alone for 单人保) and their add-on categories from
 * the person attributes; every 特困 person gets the self-care band and support mode of the registry. Amounts and
 * explanations come from the engines with the demo parameters in force in the effective month.
 */
import type { Insertable, Transaction } from 'kysely';
import type { BenefitDecisionTable, Database } from '../../db/schema.ts';
import { type DibaoDecisionInput, dibaoMonthlyBenefit } from '../../domain/benefit/dibao.ts';
import { type SupportMode, tekunMonthly } from '../../domain/benefit/tekun.ts';
import { isSeverelyDisabled, type SelfCare } from '../../domain/household/person-attributes.ts';
import { ageOn } from '../../domain/identity/resident-id.ts';
import type { PolicyBody } from '../../domain/policy/kinds.ts';
import { addMonthsToMonth, lastDayOfMonth } from '../../domain/workflow/months.ts';
import { createRng, deriveSeed } from '../demo/random.ts';
import { loadPolicyTimeline } from '../policy/policy.service.ts';
import { SELF_CARE_TIER_OF } from './decisions.service.ts';

const ROWS = 500;

interface MemberRow {
  household_id: number;
  person_id: number;
  birth_date: string;
  disability_category: string | null;
  disability_grade: number | null;
  serious_illness: number;
}

export function categoriesOf(m: MemberRow, age: number): string[] {
  const out: string[] = [];
  if (age >= 60) out.push('elderly');
  if (age < 18) out.push('minor');
  if (m.disability_grade !== null) {
    out.push(
      isSeverelyDisabled(m.disability_category, m.disability_grade) ? 'severe_disability' : 'disability',
    );
  }
  if (m.serious_illness === 1) out.push('serious_illness');
  return out;
}

/**
 * Demo calibration (issue 7): the dibao spending a simulated year should add up to, per program, and how many
 * months of that year each enrolment is paid. The assessed incomes are scaled by one factor per program (found by
 * bisection over the engine's own amounts) so that Σ monthly amount × months paid meets the target.
 */
export interface DecisionCalibration {
  targetFen: Partial<Record<'urban_dibao' | 'rural_dibao', number>>;
  monthsPaid: (e: { household_id: number; program_code: string; start_month: string }) => number;
}

export interface DemoDecisionsResult {
  count: number;
  /** The income factor per dibao program (1 without calibration): per-capita income = factor × draw × standard. */
  incomeScale: Record<string, number>;
}

/** A demo household's assessed per-capita income: none, or a share of the standard in whole yuan, below it. */
export function demoPerCapitaIncome(standardFen: number, draw: number, zero: boolean, scale: number): number {
  if (zero) return 0;
  const yuan = Math.round((standardFen * Math.min(0.95, scale * draw)) / 100);
  return Math.max(0, yuan) * 100;
}

/** Writes the decisions in the seed's transaction; returns how many. Programs without parameters are skipped. */
export async function insertDemoDecisions(
  trx: Transaction<Database>,
  countyCode: string,
  seed: number,
  now: Date,
  calibration?: DecisionCalibration,
): Promise<DemoDecisionsResult> {
  const rng = createRng(deriveSeed(seed, 'benefit-decisions'));
  const stamp = now.toISOString();
  const timelines = new Map(
    await Promise.all(
      ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun'].map(
        async (p) => [p, await loadPolicyTimeline(trx, countyCode, p)] as const,
      ),
    ),
  );
  const enrolments = await trx
    .selectFrom('enrolment as e')
    .innerJoin('household as h', 'h.id', 'e.household_id')
    .leftJoin('person as p', 'p.id', 'e.person_id')
    .select([
      'e.id',
      'e.town_code',
      'e.program_code',
      'e.household_id',
      'e.person_id',
      'e.start_month',
      'e.support_mode',
      'e.single_person',
      'h.town_code as household_town_code',
      'p.self_care',
    ])
    .where('e.county_code', '=', countyCode)
    .where('e.program_code', 'in', ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun'])
    .orderBy('e.id')
    .execute();
  const members = await trx
    .selectFrom('household_member as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .select([
      'm.household_id',
      'm.person_id',
      'p.birth_date',
      'p.disability_category',
      'p.disability_grade',
      'p.serious_illness',
    ])
    .where('m.county_code', '=', countyCode)
    .where('m.valid_to', 'is', null)
    .where('p.death_date', 'is', null)
    .orderBy('m.person_id')
    .execute();
  const byHousehold = new Map<number, MemberRow[]>();
  for (const m of members) {
    const list = byHousehold.get(m.household_id) ?? [];
    list.push(m);
    byHousehold.set(m.household_id, list);
  }

  const rows: Insertable<BenefitDecisionTable>[] = [];
  const pendingDibao: {
    base: Omit<
      Insertable<BenefitDecisionTable>,
      | 'per_capita_income_fen'
      | 'members_json'
      | 'band_code'
      | 'monthly_amount_fen'
      | 'explanation_json'
      | 'input_json'
    >;
    params: PolicyBody<'dibao'>;
    members: DibaoDecisionInput['members'];
    draw: number;
    zero: boolean;
    months: number;
    program: string;
    policy: { id: number; docNo: string };
  }[] = [];
  for (const e of enrolments) {
    const timeline = timelines.get(e.program_code);
    const first = timeline?.versions.reduce<string | null>(
      (m, v) => (v.townCode === null && (m === null || v.effectiveFrom < m) ? v.effectiveFrom : m),
      null,
    );
    if (!timeline || !first) continue;
    // The figures in force: assessed at enrolment, or at the review that brought them under the first parameters.
    const month = [e.start_month, first].sort()[1] as string;
    const policy = timeline.at(month, e.household_town_code);
    if (!policy) continue;
    const base = {
      county_code: countyCode,
      town_code: e.town_code,
      enrolment_id: e.id,
      program_code: e.program_code,
      effective_month: month,
      case_id: null,
      decided_on: `${addMonthsToMonth(month, -1)}-25`,
      created_by: 'system:seed',
      created_at: stamp,
    };
    if (e.program_code === 'urban_dibao' || e.program_code === 'rural_dibao') {
      const params = policy.body as PolicyBody<'dibao'>;
      const asOf = lastDayOfMonth(month);
      // Members born since are not in the assessment (a later review adds them).
      const all = (byHousehold.get(e.household_id) ?? []).filter((m) => m.birth_date <= asOf);
      const counted =
        e.single_person === 1 || e.person_id !== null ? all.filter((m) => m.person_id === e.person_id) : all;
      if (counted.length === 0) continue;
      const decisionMembers = counted.map((m) => {
        const age = ageOn(m.birth_date, asOf);
        return {
          personId: m.person_id,
          categories: categoriesOf(m, age),
          fullStandard: false,
          age,
          birthDate: m.birth_date,
        };
      });
      // A quarter without counted income; the others a share of the standard (20%–85% before calibration).
      const zero = rng.chance(0.25);
      const draw = 0.2 + rng.next() * 0.65;
      pendingDibao.push({
        base,
        params,
        members: decisionMembers,
        draw,
        zero,
        months: calibration?.monthsPaid(e) ?? 0,
        program: e.program_code,
        policy: { id: policy.id, docNo: policy.docNo },
      });
      continue;
    }
    const params = policy.body as PolicyBody<'tekun'>;
    const supportMode: SupportMode = e.support_mode === 'concentrated' ? 'concentrated' : 'dispersed';
    const selfCare = SELF_CARE_TIER_OF[(e.self_care ?? 'self_reliant') as SelfCare] ?? 'full_self_care';
    let dibaoStandardFen: number | undefined;
    if (params.basic.method === 'multiple_of_dibao') {
      const dibao = timelines.get(params.basic.dibaoProgram)?.at(month, e.household_town_code);
      if (!dibao) continue;
      dibaoStandardFen = (dibao.body as PolicyBody<'dibao'>).standardFen;
    }
    const benefit = tekunMonthly(
      params,
      { supportMode, selfCare, ...(dibaoStandardFen === undefined ? {} : { dibaoStandardFen }) },
      { explain: true },
    );
    rows.push({
      ...base,
      per_capita_income_fen: null,
      members_json: JSON.stringify({ selfCare, supportMode }),
      band_code: null,
      monthly_amount_fen: benefit.totalFen,
      explanation_json: JSON.stringify(benefit.explanation),
      input_json: JSON.stringify({ demo: true, policyId: policy.id, docNo: policy.docNo }),
    });
  }
  const incomeScale: Record<string, number> = { urban_dibao: 1, rural_dibao: 1 };
  for (const [program, target] of Object.entries(calibration?.targetFen ?? {})) {
    const list = pendingDibao.filter((p) => p.program === program && p.months > 0);
    if (list.length === 0 || target === undefined) continue;
    const total = (scale: number) =>
      list.reduce((sum, p) => {
        const perCapitaIncomeFen = demoPerCapitaIncome(p.params.standardFen, p.draw, p.zero, scale);
        const b = dibaoMonthlyBenefit(
          p.params,
          { perCapitaIncomeFen, bandCode: null, members: p.members },
          {
            explain: false,
          },
        );
        return sum + b.totalFen * p.months;
      }, 0);
    // Spending falls as the scale rises: bisect on [0, 3].
    let lo = 0;
    let hi = 3;
    for (let i = 0; i < 30; i++) {
      const mid = (lo + hi) / 2;
      if (total(mid) > target) lo = mid;
      else hi = mid;
    }
    incomeScale[program] = (lo + hi) / 2;
  }
  for (const p of pendingDibao) {
    const perCapita = demoPerCapitaIncome(p.params.standardFen, p.draw, p.zero, incomeScale[p.program] ?? 1);
    const decision: DibaoDecisionInput = {
      perCapitaIncomeFen: perCapita,
      bandCode: null,
      members: p.members,
    };
    const benefit = dibaoMonthlyBenefit(p.params, decision, { explain: true });
    rows.push({
      ...p.base,
      per_capita_income_fen: perCapita,
      members_json: JSON.stringify(p.members),
      band_code: null,
      monthly_amount_fen: benefit.totalFen,
      explanation_json: JSON.stringify(benefit.explanation),
      input_json: JSON.stringify({ demo: true, policyId: p.policy.id, docNo: p.policy.docNo }),
    });
  }
  rows.sort((a, b) => Number(a.enrolment_id) - Number(b.enrolment_id));
  for (let i = 0; i < rows.length; i += ROWS) {
    await trx
      .insertInto('benefit_decision')
      .values(rows.slice(i, i + ROWS))
      .execute();
  }
  return { count: rows.length, incomeScale };
}
