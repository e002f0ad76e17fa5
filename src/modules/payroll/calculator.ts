/**
 * The money of one enrolment for one benefit month, from the pure engines: 低保 (DOMAIN §4.7) from the decision in
 * force and the parameters of the household's town that month, 特困 (§5.5) per person, and the 价格临时补贴 (§8.4)
 * per person when the month's price index triggers. The policy timelines and the price indices are loaded once
 * and cached in memory, so a payroll of a million households makes no query per household.
 */

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { type DibaoDecisionInput, DibaoRuleError, dibaoMonthlyBenefit } from '../../domain/benefit/dibao.ts';
import { priceSubsidyMonthly } from '../../domain/benefit/price-subsidy.ts';
import { type SupportMode, tekunMonthly } from '../../domain/benefit/tekun.ts';
import { ageOn } from '../../domain/identity/resident-id.ts';
import { resolveFundSource } from '../../domain/policy/common.ts';
import type { PolicyBody } from '../../domain/policy/kinds.ts';
import type { PriceSubsidyGroup } from '../../domain/policy/price-subsidy.params.ts';
import type { SelfCareTier } from '../../domain/policy/tekun.params.ts';
import { lastDayOfMonth } from '../../domain/workflow/months.ts';
import { loadPolicyTimeline, type PolicyTimeline, type ResolvedPolicy } from '../policy/policy.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Programs paid monthly through a payroll. */
export const PAYROLL_PROGRAMS = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困供养',
  rural_tekun: '农村特困供养',
} as const;
export type PayrollProgram = keyof typeof PAYROLL_PROGRAMS;
export function isPayrollProgram(code: string): code is PayrollProgram {
  return Object.hasOwn(PAYROLL_PROGRAMS, code);
}
export const isDibaoProgram = (p: string): p is 'urban_dibao' | 'rural_dibao' =>
  p === 'urban_dibao' || p === 'rural_dibao';

/** What a payroll shows when an enrolment gets no line (counted per town). */
export const PAYROLL_WARNINGS = {
  undecided: '未核定待遇',
  no_policy: '无适用政策参数',
  zero_amount: '本月待遇为零',
  invalid_decision: '核定信息与本月政策参数不符（如缺少分档），请重新核定',
} as const;
export type PayrollWarning = keyof typeof PAYROLL_WARNINGS;

/** The tekun decision stored in benefit_decision.members_json. */
export interface TekunDecisionInput {
  selfCare: SelfCareTier;
  supportMode: SupportMode;
}

/** A decision as the payroll reads it (benefit_decision row, JSON parsed). */
export interface PayDecision {
  id: number;
  effectiveMonth: string;
  dibao: DibaoDecisionInput | null;
  tekun: TekunDecisionInput | null;
}

export interface DecisionRowLike {
  id: number;
  program_code: string;
  effective_month: string;
  per_capita_income_fen: number | null;
  members_json: string;
  band_code: string | null;
}

export function payDecisionOf(row: DecisionRowLike): PayDecision {
  const parsed = JSON.parse(row.members_json) as unknown;
  if (isDibaoProgram(row.program_code)) {
    return {
      id: row.id,
      effectiveMonth: row.effective_month,
      dibao: {
        perCapitaIncomeFen: row.per_capita_income_fen ?? 0,
        bandCode: row.band_code,
        members: parsed as DibaoDecisionInput['members'],
      },
      tekun: null,
    };
  }
  return {
    id: row.id,
    effectiveMonth: row.effective_month,
    dibao: null,
    tekun: parsed as TekunDecisionInput,
  };
}

/**
 * Members' ages in the benefit month, from the birth dates the decision recorded: age groups of the add-ons
 * (老年人, 未成年人, DOMAIN §4.7) follow the calendar, not the date of the decision. Ages are taken at the end of the
 * month, as the engine's assessment does. Decisions without birth dates keep their recorded ages.
 */
export function withAgesIn(decision: DibaoDecisionInput, month: string): DibaoDecisionInput {
  if (!decision.members.some((m) => m.birthDate)) return decision;
  const monthEnd = lastDayOfMonth(month);
  return {
    ...decision,
    members: decision.members.map((m) => (m.birthDate ? { ...m, age: ageOn(m.birthDate, monthEnd) } : m)),
  };
}

/** The decision in force in `month`: the latest effective on or before it (decisions sorted by effective month). */
export function decisionInForce(sorted: readonly PayDecision[], month: string): PayDecision | null {
  let found: PayDecision | null = null;
  for (const d of sorted) {
    if (d.effectiveMonth > month) break;
    found = d;
  }
  return found;
}

export interface ComputedLine {
  component: string;
  amountFen: number;
  fundSource: string;
  policyId: number;
  decisionId: number;
  personId: number | null;
}

export type Computation = { ok: true; lines: ComputedLine[] } | { ok: false; warning: PayrollWarning };

export interface PayTarget {
  townCode: string;
  personId: number | null;
}

interface PriceIndexRow {
  cpi: string | null;
  food: string | null;
}

/** Which dibao standard a group's price subsidy is based on (DOMAIN §8.4: the standard of the person's group). */
function dibaoProgramOfGroup(program: PayrollProgram): 'urban_dibao' | 'rural_dibao' {
  return program.startsWith('urban') ? 'urban_dibao' : 'rural_dibao';
}

export class PayCalculator {
  private readonly pickCache = new Map<string, ResolvedPolicy | null>();

  private constructor(
    readonly countyCode: string,
    readonly programCode: PayrollProgram,
    private readonly timelines: Map<string, PolicyTimeline>,
    private readonly priceIndex: Map<string, PriceIndexRow>,
  ) {}

  static async load(db: Db, countyCode: string, programCode: PayrollProgram): Promise<PayCalculator> {
    const timelines = new Map<string, PolicyTimeline>();
    for (const p of [programCode, 'urban_dibao', 'rural_dibao', 'price_subsidy']) {
      if (!timelines.has(p)) timelines.set(p, await loadPolicyTimeline(db, countyCode, p));
    }
    const indices = await db
      .selectFrom('price_index')
      .select(['month', 'cpi_yoy', 'food_yoy'])
      .where('county_code', '=', countyCode)
      .execute();
    const priceIndex = new Map(indices.map((r) => [r.month, { cpi: r.cpi_yoy, food: r.food_yoy }]));
    return new PayCalculator(countyCode, programCode, timelines, priceIndex);
  }

  /** The version of a program in force in a town in a month (town over county), memoised. */
  policy<K extends 'dibao' | 'tekun' | 'price_subsidy'>(
    programCode: string,
    townCode: string,
    month: string,
  ): ResolvedPolicy<K> | null {
    const key = `${programCode}|${townCode}|${month}`;
    let hit = this.pickCache.get(key);
    if (hit === undefined) {
      hit = this.timelines.get(programCode)?.at(month, townCode) ?? null;
      this.pickCache.set(key, hit);
    }
    return hit as ResolvedPolicy<K> | null;
  }

  /** The lines of one enrolment for one benefit month (zero amounts left out). */
  compute(target: PayTarget, decision: PayDecision | null, month: string): Computation {
    if (!decision) return { ok: false, warning: 'undecided' };
    try {
      return this.computeDecided(target, decision, month);
    } catch (err) {
      // A decision the month's rules cannot apply (a band the new parameters lack…): no line, a warning.
      if (err instanceof DibaoRuleError) return { ok: false, warning: 'invalid_decision' };
      throw err;
    }
  }

  private computeDecided(target: PayTarget, decision: PayDecision, month: string): Computation {
    const lines: ComputedLine[] = [];
    let persons = 0;
    if (isDibaoProgram(this.programCode)) {
      const policy = this.policy<'dibao'>(this.programCode, target.townCode, month);
      if (!policy || !decision.dibao) return { ok: false, warning: policy ? 'undecided' : 'no_policy' };
      const params = policy.body as PolicyBody<'dibao'>;
      const assessed = withAgesIn(decision.dibao, month);
      const benefit = dibaoMonthlyBenefit(params, assessed, { explain: false });
      const members = assessed.members;
      persons = members.length;
      const byComponent = new Map<string, { amount: number; categories: Set<string> }>();
      for (const c of benefit.components) {
        const slot = byComponent.get(c.component) ?? { amount: 0, categories: new Set<string>() };
        slot.amount += c.amountFen;
        const who = c.personIndex === undefined ? members : [members[c.personIndex]];
        for (const m of who) for (const cat of m?.categories ?? []) slot.categories.add(cat);
        byComponent.set(c.component, slot);
      }
      for (const [component, slot] of byComponent) {
        if (slot.amount === 0) continue;
        lines.push({
          component,
          amountFen: slot.amount,
          fundSource: resolveFundSource(params.funding, { component, categories: [...slot.categories] }),
          policyId: policy.id,
          decisionId: decision.id,
          personId: null,
        });
      }
    } else {
      const policy = this.policy<'tekun'>(this.programCode, target.townCode, month);
      if (!policy || !decision.tekun) return { ok: false, warning: policy ? 'undecided' : 'no_policy' };
      const params = policy.body as PolicyBody<'tekun'>;
      let dibaoStandardFen: number | undefined;
      if (params.basic.method === 'multiple_of_dibao') {
        const dibao = this.policy<'dibao'>(params.basic.dibaoProgram, target.townCode, month);
        if (!dibao) return { ok: false, warning: 'no_policy' };
        dibaoStandardFen = (dibao.body as PolicyBody<'dibao'>).standardFen;
      }
      const benefit = tekunMonthly(
        params,
        {
          supportMode: decision.tekun.supportMode,
          selfCare: decision.tekun.selfCare,
          ...(dibaoStandardFen === undefined ? {} : { dibaoStandardFen }),
        },
        { explain: false },
      );
      persons = 1;
      for (const c of benefit.components) {
        if (c.amountFen === 0) continue;
        lines.push({
          component: c.component,
          amountFen: c.amountFen,
          fundSource: resolveFundSource(params.funding, { component: c.component, categories: [] }),
          policyId: policy.id,
          decisionId: decision.id,
          personId: target.personId,
        });
      }
    }
    const price = this.priceSubsidy(target.townCode, month, persons, decision.id, target.personId);
    if (price) lines.push(price);
    if (lines.length === 0) return { ok: false, warning: 'zero_amount' };
    return { ok: true, lines };
  }

  /** 价格临时补贴 for the group of this payroll, per person, when the month's index triggers (DOMAIN §8.4). */
  private priceSubsidy(
    townCode: string,
    month: string,
    persons: number,
    decisionId: number,
    personId: number | null,
  ): ComputedLine | null {
    if (persons === 0) return null;
    const index = this.priceIndex.get(month);
    if (!index) return null;
    const policy = this.policy<'price_subsidy'>('price_subsidy', townCode, month);
    if (!policy) return null;
    const params = policy.body as PolicyBody<'price_subsidy'>;
    const group = this.programCode as PriceSubsidyGroup;
    if (!params.groups.includes(group)) return null;
    const dibao = this.policy<'dibao'>(dibaoProgramOfGroup(this.programCode), townCode, month);
    if (!dibao) return null;
    const result = priceSubsidyMonthly(
      params,
      {
        group,
        cpiYoY: index.cpi,
        foodYoY: index.food,
        dibaoStandardFen: (dibao.body as PolicyBody<'dibao'>).standardFen,
      },
      { explain: false },
    );
    if (!result.triggered || result.amountFen === 0) return null;
    return {
      component: 'price_subsidy',
      amountFen: result.amountFen * persons,
      fundSource: resolveFundSource(params.funding, { component: 'price_subsidy', categories: [group] }),
      policyId: policy.id,
      decisionId,
      personId,
    };
  }
}
