/**
 * 待遇核定 — benefit decisions (DOMAIN §4.7, §5.5): the assessed figures of an enrolment (per-capita income,
 * the counted members and their categories, the band; for 特困 the self-care band and support mode), computed
 * by the engine with the parameters of the household's town in the effective month, stored with the engine's
 * explanation and the input. The payroll recomputes the month's amount from the decision in force and the
 * parameters of that month. A decision reaching back into paid months asks the next payroll for the
 * difference (补发/追回).
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import {
  assessDibaoHousehold,
  type DibaoDecisionInput,
  DibaoRuleError,
  dibaoDecisionInputSchema,
  dibaoHouseholdInputSchema,
  dibaoMonthlyBenefit,
} from '../../domain/benefit/dibao.ts';
import type { ExplanationLine } from '../../domain/benefit/explanation.ts';
import { SUPPORT_MODES, type SupportMode, tekunMonthly } from '../../domain/benefit/tekun.ts';
import { chinaDate, isIsoDate, isIsoMonth } from '../../domain/calendar/dates.ts';
import type { SelfCare } from '../../domain/household/person-attributes.ts';
import type { PolicyBody } from '../../domain/policy/kinds.ts';
import { SELF_CARE_TIERS, type SelfCareTier } from '../../domain/policy/tekun.params.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  AppError,
  ErrorCode,
  type FieldIssue,
  forbiddenArea,
  notFound,
  validationError,
} from '../errors/app-error.ts';
import { resolveDibaoStandard, resolvePolicy } from '../policy/policy.service.ts';
import { isDibaoProgram, isPayrollProgram, type TekunDecisionInput } from './calculator.ts';
import { requestRecalculation } from './recalc.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

/** Person self-care (registry) → the 特困 care band (DOMAIN §5.4 self-care assessment). */
export const SELF_CARE_TIER_OF: Record<SelfCare, SelfCareTier> = {
  self_reliant: 'full_self_care',
  partly_dependent: 'partial_care',
  fully_dependent: 'full_care',
};

export interface DecisionInput {
  effectiveMonth: string;
  decidedOn?: string;
  caseId?: number | null;
  /** 低保: the household scenario (members, incomes, assets), assessed by the engine. */
  dibao?: unknown;
  /** 低保: figures already assessed (per-capita income, counted members) — e.g. taken over from a former system. */
  dibaoAssessed?: unknown;
  /** 特困: defaults from the enrolment (support mode) and the person (self-care). */
  tekun?: { selfCare?: SelfCareTier; supportMode?: SupportMode };
}

function zodIssues(prefix: string, error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

function invalid(issues: FieldIssue[]): AppError {
  const first = issues[0] ?? { field: 'body', message: '输入不正确' };
  return new AppError(ErrorCode.VALIDATION, `${first.field}：${first.message}`, {
    field: first.field,
    issues,
  });
}

async function enrolmentInScope(db: Db, actor: Actor, id: number, attempted: string) {
  const scope = scopeOf(actor);
  const e = await db
    .selectFrom('enrolment as e')
    .innerJoin('household as h', 'h.id', 'e.household_id')
    .leftJoin('person as p', 'p.id', 'e.person_id')
    .select([
      'e.id',
      'e.county_code',
      'e.town_code',
      'e.program_code',
      'e.household_id',
      'e.person_id',
      'e.start_month',
      'e.end_month',
      'e.support_mode',
      'h.town_code as household_town_code',
      'p.self_care',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!e || e.county_code !== scope.countyCode) throw notFound(`救助对象登记（编号 ${id}）`);
  if (scope.townCode !== null && e.town_code !== scope.townCode) {
    throw forbiddenArea('救助对象', {
      entityType: 'enrolment',
      entityId: id,
      countyCode: e.county_code,
      townCode: e.town_code,
      attempted,
    });
  }
  return e;
}

interface Computed {
  perCapitaIncomeFen: number | null;
  members: DibaoDecisionInput['members'] | TekunDecisionInput;
  bandCode: string | null;
  monthlyAmountFen: number;
  explanation: ExplanationLine[];
  policy: { id: number; docNo: string };
}

function refused(message: string, issues: FieldIssue[] = []): AppError {
  return new AppError(ErrorCode.REFUSED, message, { issues });
}

async function computeDibao(
  db: Db,
  e: { county_code: string; household_town_code: string; program_code: 'urban_dibao' | 'rural_dibao' },
  input: DecisionInput,
): Promise<Computed> {
  const month = input.effectiveMonth;
  const policy = await resolvePolicy<'dibao'>(db, {
    countyCode: e.county_code,
    townCode: e.household_town_code,
    programCode: e.program_code,
    month,
  });
  if (!policy) throw refused(`${month} 没有适用的低保标准与计算规则，无法核定待遇（请先录入政策参数）`);
  const params = policy.body as PolicyBody<'dibao'>;
  try {
    if (input.dibaoAssessed !== undefined) {
      const parsed = dibaoDecisionInputSchema.safeParse(input.dibaoAssessed);
      if (!parsed.success) throw invalid(zodIssues('dibaoAssessed', parsed.error));
      const benefit = dibaoMonthlyBenefit(params, parsed.data, { explain: true });
      return {
        perCapitaIncomeFen: parsed.data.perCapitaIncomeFen,
        members: parsed.data.members,
        bandCode: parsed.data.bandCode ?? null,
        monthlyAmountFen: benefit.totalFen,
        explanation: benefit.explanation,
        policy,
      };
    }
    const raw = input.dibao as Record<string, unknown> | undefined;
    const parsed = dibaoHouseholdInputSchema.safeParse(
      raw && typeof raw === 'object' ? { asOfMonth: month, ...raw } : raw,
    );
    if (!parsed.success) throw invalid(zodIssues('dibao', parsed.error));
    const urban = await resolveDibaoStandard(db, {
      countyCode: e.county_code,
      townCode: e.household_town_code,
      program: 'urban_dibao',
      month,
    });
    const assessment = assessDibaoHousehold(
      params,
      parsed.data,
      urban ? { urbanStandardFen: urban.standardFen } : {},
    );
    if (!assessment.eligible || !assessment.benefit) {
      throw refused(
        `不符合低保条件：${assessment.refusals.map((r) => r.text).join('；') || '家庭月人均收入不低于低保标准'}`,
        assessment.refusals.map((r) => ({ field: r.code, message: `${r.text}（${r.rule}）` })),
      );
    }
    return {
      perCapitaIncomeFen: assessment.decision.perCapitaIncomeFen,
      members: assessment.decision.members,
      bandCode: assessment.decision.bandCode,
      monthlyAmountFen: assessment.benefit.totalFen,
      explanation: assessment.explanation,
      policy,
    };
  } catch (err) {
    if (err instanceof DibaoRuleError) throw validationError('dibao', err.message);
    throw err;
  }
}

async function computeTekun(
  db: Db,
  e: {
    county_code: string;
    household_town_code: string;
    program_code: string;
    support_mode: string | null;
    self_care: string | null;
  },
  input: DecisionInput,
): Promise<Computed> {
  const month = input.effectiveMonth;
  const supportMode = (input.tekun?.supportMode ?? e.support_mode) as SupportMode | null;
  if (supportMode === null || !Object.hasOwn(SUPPORT_MODES, supportMode)) {
    throw validationError(
      'tekun.supportMode',
      '请填写供养方式：concentrated（集中供养）或 dispersed（分散供养）',
    );
  }
  const selfCare =
    input.tekun?.selfCare ?? (e.self_care ? SELF_CARE_TIER_OF[e.self_care as SelfCare] : undefined);
  if (!selfCare || !SELF_CARE_TIERS.includes(selfCare)) {
    throw validationError(
      'tekun.selfCare',
      '请填写生活自理能力：full_self_care（全自理）、partial_care（半护理）或 full_care（全护理）',
    );
  }
  const policy = await resolvePolicy<'tekun'>(db, {
    countyCode: e.county_code,
    townCode: e.household_town_code,
    programCode: e.program_code,
    month,
  });
  if (!policy) throw refused(`${month} 没有适用的特困供养标准，无法核定待遇（请先录入政策参数）`);
  const params = policy.body as PolicyBody<'tekun'>;
  let dibaoStandardFen: number | undefined;
  if (params.basic.method === 'multiple_of_dibao') {
    const std = await resolveDibaoStandard(db, {
      countyCode: e.county_code,
      townCode: e.household_town_code,
      program: params.basic.dibaoProgram,
      month,
    });
    if (!std) throw refused(`${month} 没有适用的低保标准，无法按倍数计算特困基本生活标准`);
    dibaoStandardFen = std.standardFen;
  }
  const benefit = tekunMonthly(
    params,
    { supportMode, selfCare, ...(dibaoStandardFen === undefined ? {} : { dibaoStandardFen }) },
    { explain: true },
  );
  return {
    perCapitaIncomeFen: null,
    members: { selfCare, supportMode },
    bandCode: null,
    monthlyAmountFen: benefit.totalFen,
    explanation: benefit.explanation,
    policy,
  };
}

function view(r: {
  id: number;
  enrolment_id: number;
  program_code: string;
  effective_month: string;
  per_capita_income_fen: number | null;
  members_json: string;
  band_code: string | null;
  monthly_amount_fen: number;
  explanation_json: string;
  case_id: number | null;
  decided_on: string;
  created_by: string;
  created_at: string;
}) {
  return {
    id: r.id,
    enrolmentId: r.enrolment_id,
    programCode: r.program_code,
    effectiveMonth: r.effective_month,
    perCapitaIncomeFen: r.per_capita_income_fen,
    members: JSON.parse(r.members_json) as unknown,
    bandCode: r.band_code,
    monthlyAmountFen: r.monthly_amount_fen,
    explanation: JSON.parse(r.explanation_json) as ExplanationLine[],
    caseId: r.case_id,
    decidedOn: r.decided_on,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export async function recordDecision(
  trx: Trx,
  actor: Actor,
  enrolmentId: number,
  input: DecisionInput,
  now = new Date(),
) {
  requirePermission(actor, 'benefit.decide');
  const e = await enrolmentInScope(trx, actor, enrolmentId, '核定待遇');
  if (!isPayrollProgram(e.program_code)) {
    throw new AppError(ErrorCode.REFUSED, '只有低保和特困供养按月核定待遇');
  }
  if (!isIsoMonth(input.effectiveMonth))
    throw validationError('effectiveMonth', '生效月份应为 YYYY-MM 格式，如 2015-09');
  if (input.effectiveMonth < e.start_month) {
    throw validationError('effectiveMonth', `生效月份不能早于救助开始月份 ${e.start_month}`);
  }
  if (e.end_month !== null && input.effectiveMonth > e.end_month) {
    throw validationError('effectiveMonth', `该救助已于 ${e.end_month} 停止，生效月份不能晚于停止月份`);
  }
  if (input.decidedOn !== undefined && !isIsoDate(input.decidedOn)) {
    throw validationError('decidedOn', '核定日期应为 YYYY-MM-DD 格式');
  }
  const program = e.program_code;
  let computed: Computed;
  if (isDibaoProgram(program)) {
    if (input.dibao === undefined && input.dibaoAssessed === undefined) {
      throw validationError(
        'dibao',
        '请填写家庭成员、收入和财产情况（dibao），或已核定的人均收入和成员（dibaoAssessed）',
      );
    }
    computed = await computeDibao(trx, { ...e, program_code: program }, input);
  } else {
    computed = await computeTekun(trx, e, input);
  }

  const stamp = now.toISOString();
  const row = await trx
    .insertInto('benefit_decision')
    .values({
      county_code: e.county_code,
      town_code: e.town_code,
      enrolment_id: e.id,
      program_code: program,
      effective_month: input.effectiveMonth,
      per_capita_income_fen: computed.perCapitaIncomeFen,
      members_json: JSON.stringify(computed.members),
      band_code: computed.bandCode,
      monthly_amount_fen: computed.monthlyAmountFen,
      explanation_json: JSON.stringify(computed.explanation),
      input_json: JSON.stringify({
        ...(input.dibao !== undefined ? { dibao: input.dibao } : {}),
        ...(input.dibaoAssessed !== undefined ? { dibaoAssessed: input.dibaoAssessed } : {}),
        ...(input.tekun !== undefined ? { tekun: input.tekun } : {}),
        policyId: computed.policy.id,
        docNo: computed.policy.docNo,
      }),
      case_id: input.caseId ?? null,
      decided_on: input.decidedOn ?? chinaDate(now),
      created_by: actor.username,
      created_at: stamp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  // Reaching back into a month an approved payroll paid: the next payroll pays or recovers the difference.
  const lastPaid = await trx
    .selectFrom('payroll')
    .select((eb) => eb.fn.max('pay_month').as('month'))
    .where('county_code', '=', e.county_code)
    .where('program_code', '=', program)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  const lastPaidMonth = (lastPaid?.month as string | null | undefined) ?? null;
  let recalculationId: number | null = null;
  if (lastPaidMonth !== null && input.effectiveMonth <= lastPaidMonth) {
    recalculationId = await requestRecalculation(trx, {
      countyCode: e.county_code,
      townCode: e.town_code,
      programCode: program,
      enrolmentId: e.id,
      fromMonth: input.effectiveMonth,
      reason: `待遇核定变更（${input.effectiveMonth}起）`,
      now,
    });
  }
  // Payrolls generated but not approved for months the decision covers hold the old amount: say so.
  const stale = await trx
    .selectFrom('payroll')
    .select(['id', 'pay_month'])
    .where('county_code', '=', e.county_code)
    .where('program_code', '=', program)
    .where('status', 'in', ['generating', 'generated', 'reviewed'])
    .where('pay_month', '>=', input.effectiveMonth)
    .execute();

  const result = view(row);
  await appendAudit(
    trx,
    actor,
    {
      action: 'benefit.decide',
      entityType: 'benefit_decision',
      entityId: row.id,
      countyCode: e.county_code,
      townCode: e.town_code,
      after: { ...result, explanation: undefined, recalculationId },
      detail: `核定待遇：救助对象登记 ${e.id}（${program}），${input.effectiveMonth} 起每月 ${computed.monthlyAmountFen} 分`,
    },
    now,
  );
  return {
    ...result,
    recalculation: recalculationId === null ? null : { id: recalculationId, fromMonth: input.effectiveMonth },
    payrollsToRegenerate: stale.map((p) => ({ id: p.id, payMonth: p.pay_month })),
  };
}

export async function listDecisions(db: Db, actor: Actor, enrolmentId: number) {
  requirePermission(actor, 'payroll.read');
  await enrolmentInScope(db, actor, enrolmentId, '查看待遇核定');
  const rows = await db
    .selectFrom('benefit_decision')
    .selectAll()
    .where('enrolment_id', '=', enrolmentId)
    .orderBy('effective_month', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return { items: rows.map(view) };
}

export const decisionBodySchema = z
  .object({
    effectiveMonth: z.string({ error: '请填写生效月份（YYYY-MM）' }),
    decidedOn: z.string().optional(),
    caseId: z.number().int().positive().nullable().optional(),
    dibao: z.unknown().optional(),
    dibaoAssessed: z.unknown().optional(),
    tekun: z
      .object({
        selfCare: z.enum(SELF_CARE_TIERS).optional(),
        supportMode: z.enum(['concentrated', 'dispersed']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
