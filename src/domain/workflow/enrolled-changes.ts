/**
 * An enrolled dibao case (在保) and what changes it (DOMAIN §4.9, §4.10): periodic review (复核) with
 * its outcomes 维持/增发/减发/渐退/停发, a reported change, the death of a member, the death of a
 * single-person case (注销), voluntary exit and a transfer between towns of the county.
 * Also the review frequencies of the 2012 and 2021 rules. (A 特困 person's termination, death included,
 * follows TEKUN_TERMINATION in tekun-2021.ts.)
 */
import { isIsoDate, monthOf } from '../calendar/dates.ts';
import { decisionLevel, investigatorMayNotDecide, recusal, refusal, requireReasons } from './guards.ts';
import type {
  ActionDef,
  ActionInput,
  CaseFacts,
  Effect,
  GuardContext,
  MachineDef,
  Refusal,
} from './machine.ts';
import { addMonthsToDate, addMonthsToMonth, monthAfter } from './months.ts';

export type EnrolledState = 'enrolled' | 'under_review' | 'gradual_exit' | 'stopped' | 'cancelled';

const SRC = {
  art13: '《社会救助暂行办法》第十三条',
  art31: '《最低生活保障审核确认办法》第三十一条、第三十二条',
  art33: '《最低生活保障审核确认办法》第三十三条',
  notice2022: '民政部等《关于进一步做好最低生活保障等社会救助兜底保障工作的通知》（2022）第一部分第（三）项',
  art2: '《最低生活保障审核确认办法》第二条',
};

/** 2022 通知 §1(3): the 渐退期 is "原则上不超过6个月". */
export const MAX_GRADUAL_EXIT_MONTHS = 6;

/** 2022 通知 §1(3): re-check the household within 3 months of a member's death. */
export const RECHECK_AFTER_DEATH_MONTHS = 3;

type Ctx = GuardContext<EnrolledState>;

/** DOMAIN §4.9: change decisions are the county's (or the town's under delegation), with recusal. */
function mayDecide({ facts, actor }: Ctx): Refusal[] {
  return [
    ...decisionLevel(facts, actor, SRC.art2),
    ...recusal(facts, actor, '审核本案'),
    ...investigatorMayNotDecide(facts, actor),
  ];
}

/** 暂行办法 Art. 13 (DOMAIN §4.9): a reduction or stop is a written decision with reasons. */
function writtenReasons(input: ActionInput): Refusal[] {
  return requireReasons(input, SRC.art13, '减发或停发的书面理由');
}

function decisionNotice(input: ActionInput): Effect {
  return { kind: 'notice_due', notice: 'decision', due: null, reasons: input.reasons ?? '' };
}

function requireDeathDate(input: ActionInput, on: string): Refusal[] {
  if (!input.deathDate || !isIsoDate(input.deathDate))
    return [refusal('death_date_required', '请填写死亡日期')];
  return input.deathDate > on ? [refusal('death_date_future', '死亡日期不能晚于登记日期')] : [];
}

function isSinglePerson(facts: CaseFacts): boolean {
  return facts.householdSize === 1;
}

function validExitMonths(input: ActionInput): Refusal[] {
  const n = input.exitMonths;
  if (n !== undefined && Number.isInteger(n) && n >= 1 && n <= MAX_GRADUAL_EXIT_MONTHS) return [];
  const message = `渐退期应为1至${MAX_GRADUAL_EXIT_MONTHS}个月（原则上不超过6个月）`;
  return [refusal('exit_months_invalid', message, SRC.notice2022)];
}

/** The 渐退期 has reached its last month (the stop then takes effect the month after it). */
function gradualExitDue({ facts, on }: Ctx): Refusal[] {
  const last = facts.gradualExitLastMonth;
  if (!last) return [refusal('gradual_exit_unknown', '未登记渐退期')];
  return monthOf(on) < last ? [refusal('gradual_exit_running', `渐退期至${last}结束，尚未到期`)] : [];
}

const ANY_LIVE: EnrolledState[] = ['enrolled', 'under_review', 'gradual_exit'];

const actions: ActionDef<EnrolledState>[] = [
  {
    // DOMAIN §4.9: reviews by class — yearly or half-yearly (see reviewInterval).
    action: 'start_review',
    label: '开始定期复核',
    from: ['enrolled'],
    to: 'under_review',
    roles: ['town_clerk', 'town_reviewer'],
    guard: ({ facts, actor }) => recusal(facts, actor, '复核本案'),
  },
  {
    // DOMAIN §4.9 (暂行办法 Art. 13; 2021 Art. 30): families report changes in members, income, property.
    action: 'report_change',
    label: '登记家庭变化',
    from: ['enrolled'],
    to: 'under_review',
    roles: ['town_clerk', 'town_reviewer', 'village_assistant'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art13, '变化情况'),
  },
  {
    // DOMAIN §4.9 (2022 通知 §1(3)): re-check within 3 months of a member's death.
    action: 'record_member_death',
    label: '登记家庭成员死亡',
    from: ['enrolled', 'under_review'],
    to: 'under_review',
    roles: ['town_clerk', 'town_reviewer', 'village_assistant'],
    fields: ['deathDate'],
    guard: ({ facts }) =>
      isSinglePerson(facts)
        ? [refusal('single_person_case', '单人户成员死亡请使用“注销（单人户死亡）”')]
        : [],
    validate: (input, { on }) => requireDeathDate(input, on),
    effects: ({ input }) => [
      {
        kind: 'task',
        task: 'recheck_after_death',
        due: addMonthsToDate(input.deathDate ?? '', RECHECK_AFTER_DEATH_MONTHS),
      },
    ],
  },
  {
    // DOMAIN §4.9 (2021 Art. 31): no significant change → no change to the amount.
    action: 'keep',
    label: '维持',
    from: ['under_review'],
    to: 'enrolled',
    roles: ['county_approver', 'town_reviewer'],
    guard: mayDecide,
  },
  {
    action: 'increase',
    label: '增发',
    from: ['under_review'],
    to: 'enrolled',
    roles: ['county_approver', 'town_reviewer'],
    guard: mayDecide,
    effects: ({ on }) => [{ kind: 'change_amount', direction: 'increase', fromMonth: monthAfter(on) }],
  },
  {
    // DOMAIN §4.7: reductions take effect from the month after the decision.
    action: 'decrease',
    label: '减发',
    from: ['under_review'],
    to: 'enrolled',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayDecide,
    validate: writtenReasons,
    effects: ({ on, input }) => [
      { kind: 'change_amount', direction: 'decrease', fromMonth: monthAfter(on) },
      decisionNotice(input),
    ],
  },
  {
    // DOMAIN §4.9 (2021 Art. 33; 2022 通知 §1(3)): employment lifted income → pay on for ≤ 6 months.
    action: 'start_gradual_exit',
    label: '渐退',
    from: ['under_review'],
    to: 'gradual_exit',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['exitMonths', 'reasons'],
    guard: mayDecide,
    validate: (input) => [...validExitMonths(input), ...requireReasons(input, SRC.art33, '渐退理由')],
    effects: ({ on, input }) => {
      const fromMonth = monthAfter(on);
      const lastMonth = addMonthsToMonth(fromMonth, (input.exitMonths ?? 1) - 1);
      return [{ kind: 'gradual_exit', fromMonth, lastMonth }, decisionNotice(input)];
    },
  },
  {
    action: 'stop',
    label: '停发',
    from: ['under_review'],
    to: 'stopped',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayDecide,
    validate: writtenReasons,
    effects: ({ on, input }) => [{ kind: 'stop_payment', fromMonth: monthAfter(on) }, decisionNotice(input)],
  },
  {
    // DOMAIN §4.10: 渐退期 → 停发 (到期). The stop was decided with the exit; this closes the case.
    action: 'end_gradual_exit',
    label: '渐退期满停发',
    from: ['gradual_exit'],
    to: 'stopped',
    roles: ['county_approver', 'town_reviewer'],
    guard: (ctx) => [...recusal(ctx.facts, ctx.actor, '审核本案'), ...gradualExitDue(ctx)],
    effects: ({ facts }) => [
      { kind: 'stop_payment', fromMonth: addMonthsToMonth(facts.gradualExitLastMonth ?? '', 1) },
    ],
  },
  {
    // DOMAIN §4.10: 渐退期 → 在保 (重新确认), e.g. the job was lost again.
    action: 'reconfirm',
    label: '重新确认在保',
    from: ['gradual_exit'],
    to: 'enrolled',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayDecide,
    validate: (input) => requireReasons(input, SRC.art33, '重新确认的理由'),
  },
  {
    // DOMAIN §4.9 "Other exits": death of a single-person case → 注销, nothing paid after the death.
    action: 'cancel_on_death',
    label: '注销（单人户死亡）',
    from: ANY_LIVE,
    to: 'cancelled',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['deathDate'],
    guard: (ctx) => [
      ...mayDecide(ctx),
      ...(isSinglePerson(ctx.facts)
        ? []
        : [refusal('not_single_person', '多人户成员死亡应登记后复核，不能注销')]),
    ],
    validate: (input, { on }) => requireDeathDate(input, on),
    effects: ({ input }) => [{ kind: 'stop_payment', fromMonth: monthAfter(input.deathDate ?? '') }],
  },
  {
    // DOMAIN §4.9 "Other exits": voluntary withdrawal on the family's written application.
    action: 'voluntary_exit',
    label: '自愿退出',
    from: ANY_LIVE,
    to: 'stopped',
    roles: ['county_approver', 'town_reviewer'],
    guard: mayDecide,
    effects: ({ on }) => [{ kind: 'stop_payment', fromMonth: monthAfter(on) }],
  },
  {
    // Moving within the county keeps the case and its payment; the receiving town takes it over.
    action: 'transfer_town',
    label: '转至本县其他乡镇',
    from: ['enrolled'],
    to: 'enrolled',
    roles: ['town_clerk', 'county_approver'],
    fields: ['toTownCode'],
    validate: (input) =>
      input.toTownCode && /^\d{9}$/.test(input.toTownCode)
        ? []
        : [refusal('town_code_invalid', '请填写迁入乡镇的9位区划代码')],
    effects: ({ input }) => [{ kind: 'transfer', toTownCode: input.toTownCode ?? '' }],
  },
];

export const DIBAO_CHANGES: MachineDef<EnrolledState> = {
  code: 'dibao_changes',
  label: '低保动态管理',
  source: `${SRC.art13}；${SRC.art31}`,
  initial: 'enrolled',
  states: {
    enrolled: { label: '在保' },
    under_review: { label: '复核中' },
    gradual_exit: { label: '渐退期' },
    stopped: { label: '已停保', terminal: true },
    cancelled: { label: '已注销', terminal: true },
  },
  actions,
};

// ---------------------------------------------------------------------------------------------------
// Review frequency (分类复核), DOMAIN §4.9 table

export type RuleSet = '2012' | '2021';

/**
 * - stable: circumstances that barely change (urban 三无, seriously ill or severely disabled members);
 * - short_term_stable: fairly stable in the short term;
 * - irregular_income: irregular income and able-bodied members with work conditions.
 */
export type ReviewClass = 'stable' | 'short_term_stable' | 'irregular_income';

export const REVIEW_CLASS_LABELS: Record<ReviewClass, string> = {
  stable: '收入基本无变化（“三无”人员、重病重残家庭等）',
  short_term_stable: '短期内经济状况变化不大',
  irregular_income: '收入不固定且有劳动能力',
};

/**
 * Months between reviews. 2012 (220号 Art. 33): yearly / every 6 months / monthly (urban) or
 * quarterly (rural). 2021 (Art. 31): yearly for families whose situation changes little, every 6
 * months for irregular income with able-bodied members.
 */
export function reviewInterval(
  reviewClass: ReviewClass,
  options: { ruleSet: RuleSet; area: 'urban' | 'rural' },
): { months: number; source: string } {
  if (options.ruleSet === '2021') {
    const months = reviewClass === 'irregular_income' ? 6 : 12;
    return { months, source: '《最低生活保障审核确认办法》第三十一条' };
  }
  const source = '《最低生活保障审核审批办法（试行）》第三十三条';
  if (reviewClass === 'stable') return { months: 12, source };
  if (reviewClass === 'short_term_stable') return { months: 6, source };
  return { months: options.area === 'urban' ? 1 : 3, source };
}

export function nextReviewDate(
  lastReviewDate: string,
  reviewClass: ReviewClass,
  options: { ruleSet: RuleSet; area: 'urban' | 'rural' },
): string {
  return addMonthsToDate(lastReviewDate, reviewInterval(reviewClass, options).months);
}
