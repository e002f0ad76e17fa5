/**
 * 特困人员 (destitute persons): the recognition procedure under 特困人员认定办法 (民发〔2021〕43号), in
 * force 2021-07-01 (DOMAIN §5.4), the same shape labelled with the 2016 办法 for earlier cases
 * (DOMAIN §5.3), the self-care assessment (Arts. 20–23), and the termination procedure (Arts. 24–27).
 *
 * Like dibao 2012, a case starts in the investigation: Art. 13's 15 WD run from acceptance to the
 * town's initial opinion. 民主评议 is optional (Art. 14).
 *
 * Close relatives: DOMAIN §10's national rule is written for dibao; 暂行办法 Art. 16 makes the dibao
 * procedure apply to 特困, so the same recusal, county-only confirmation and county home visit apply.
 */

import { isIsoDate } from '../calendar/dates.ts';
import { addWorkingDays } from '../calendar/working-days.ts';
import {
  countyHomeVisit,
  decisionLevel,
  investigatorMayNotDecide,
  needsCountyHomeVisit,
  noOpenObjection,
  publicNoticeEffect,
  publicNoticeEnded,
  recusal,
  refusal,
  relatedInvestigators,
  requireOpinion,
  requireReasons,
} from './guards.ts';
import type {
  ActionDef,
  ActionInput,
  CaseFacts,
  Effect,
  GuardContext,
  MachineDef,
  ProcedureCode,
  Refusal,
  SelfCareLevel,
  TekunTerminationReason,
} from './machine.ts';
import { monthAfter } from './months.ts';

// ---------------------------------------------------------------------------------------------------
// Self-care assessment (生活自理能力评估), DOMAIN §5.4 Arts. 20–23

/** The six items; true = the person can do it unaided (达到). */
export interface SelfCareItems {
  eating: boolean;
  dressing: boolean;
  bed: boolean;
  toileting: boolean;
  walking: boolean;
  bathing: boolean;
}

export const SELF_CARE_LABELS: Record<SelfCareLevel, string> = {
  self_reliant: '具备生活自理能力（全自理）',
  partly_dependent: '部分丧失生活自理能力（半失能）',
  fully_dependent: '完全丧失生活自理能力（全失能）',
};

/** DOMAIN §5.4 Arts. 20–23: all six achieved → 全自理; 1–3 not achieved → 半失能; 4 or more → 全失能. */
export function assessSelfCare(items: SelfCareItems): SelfCareLevel {
  const notAchieved = Object.values(items).filter((achieved) => !achieved).length;
  if (notAchieved === 0) return 'self_reliant';
  return notAchieved <= 3 ? 'partly_dependent' : 'fully_dependent';
}

// ---------------------------------------------------------------------------------------------------
// Recognition (认定)

export type TekunState =
  | 'investigating'
  | 'appraisal'
  | 'opinion_done'
  | 'public_notice'
  | 'reinvestigating'
  | 'county_review'
  | 'approved'
  | 'refused'
  | 'closed';

/** What differs between the 2016 and 2021 rule sets; the shape is the same. */
interface TekunRules {
  code: ProcedureCode;
  label: string;
  source: string;
  /** Town: investigation to initial opinion, and the new opinion after an objection. */
  townWorkingDays: number;
  townSource: string;
  countyWorkingDays: number;
  countySource: string;
  noticeSource: string;
  refusalSource: string;
  delegationSource: string;
  /** The six-item assessment decides the care band (2021 Arts. 20–23). */
  selfCareRequired: boolean;
  selfCareSource: string;
}

const LAW_2021 = '《特困人员认定办法》（民发〔2021〕43号）';
const LAW_2016 = '《特困人员认定办法》（民发〔2016〕178号）';

const RULES_2021: TekunRules = {
  code: 'tekun_2021',
  label: '特困人员认定（2021年起）',
  source: LAW_2021,
  townWorkingDays: 15,
  townSource: `${LAW_2021}第十三条、第十五条`,
  countyWorkingDays: 15,
  countySource: `${LAW_2021}第十六条`,
  noticeSource: `${LAW_2021}第十五条`,
  refusalSource: `${LAW_2021}第十八条`,
  delegationSource: `${LAW_2021}第二十八条`,
  selfCareRequired: true,
  selfCareSource: `${LAW_2021}第二十条至第二十三条`,
};

/**
 * DOMAIN §5.3: under the 2016 办法 as provinces implemented it, the town gave its opinion within 20 WD
 * and the county decided within 20 WD (the 2006 五保 条例's limits were 20 calendar days, DOMAIN §5.1;
 * pre-2016 五保 cases are not modelled separately). The refusal-notice limit is carried over from 2021.
 */
const RULES_2016: TekunRules = {
  code: 'tekun_2016',
  label: '特困人员认定（2016—2021年）',
  source: LAW_2016,
  townWorkingDays: 20,
  townSource: `${LAW_2016}及省级实施办法`,
  countyWorkingDays: 20,
  countySource: `${LAW_2016}及省级实施办法`,
  noticeSource: `${LAW_2016}及省级实施办法`,
  refusalSource: `${LAW_2016}（参照现行办法第十八条）`,
  delegationSource: `${LAW_2016}及省级实施办法`,
  selfCareRequired: false,
  selfCareSource: LAW_2016,
};

function selfCareRecorded(facts: CaseFacts, rules: TekunRules): Refusal[] {
  if (!rules.selfCareRequired || facts.selfCareLevel) return [];
  return [refusal('self_care_missing', '请先登记生活自理能力评估结果', rules.selfCareSource)];
}

function requireSupportMode(input: ActionInput): Refusal[] {
  if (input.supportMode === 'centralized' || input.supportMode === 'dispersed') return [];
  // DOMAIN §5.1 Art. 12, §5.2 Art. 19: 集中 or 分散 is the person's choice, recorded at recognition.
  return [
    refusal('support_mode_required', '请选择供养方式：集中供养或分散供养', '《社会救助暂行办法》第十九条'),
  ];
}

function recognitionActions(rules: TekunRules): ActionDef<TekunState>[] {
  const mayDecide = ({ facts, actor }: GuardContext<TekunState>) => [
    ...decisionLevel(facts, actor, rules.delegationSource),
    ...recusal(facts, actor, '认定本案'),
    ...investigatorMayNotDecide(facts, actor),
    ...countyHomeVisit(facts, rules.countySource),
    ...selfCareRecorded(facts, rules),
  ];
  return [
    {
      // DOMAIN §5.4 Art. 14: the town may hold a democratic appraisal as it sees fit.
      action: 'hold_appraisal',
      label: '组织民主评议',
      from: ['investigating'],
      to: 'appraisal',
      roles: ['town_clerk', 'town_reviewer'],
    },
    {
      // DOMAIN §5.4 Art. 13 (and Art. 15 after an objection): the town's initial opinion.
      action: 'submit_opinion',
      label: '提出初审意见',
      from: ['investigating', 'appraisal', 'reinvestigating'],
      to: 'opinion_done',
      roles: ['town_reviewer'],
      fields: ['opinion', 'reasons'],
      guard: ({ facts, actor }) => [...recusal(facts, actor, '审核本案'), ...relatedInvestigators(facts)],
      validate: (input, { facts }) => [
        ...requireOpinion(input, rules.townSource),
        ...(input.opinion === 'grant' ? selfCareRecorded(facts, rules) : []),
      ],
    },
    {
      action: 'start_public_notice',
      label: '开始公示',
      from: ['opinion_done'],
      to: 'public_notice',
      roles: ['town_clerk', 'town_reviewer', 'village_assistant'],
      effects: ({ on }) => [publicNoticeEffect(on)],
    },
    {
      // DOMAIN §5.4 Art. 15: objection → re-investigate, new opinion within 15 WD, post again.
      action: 'reinvestigate_on_objection',
      label: '公示有异议，重新调查',
      from: ['public_notice'],
      to: 'reinvestigating',
      roles: ['town_clerk', 'town_reviewer'],
      fields: ['reasons'],
      guard: ({ facts, actor }) => [...recusal(facts, actor, '调查本案'), ...relatedInvestigators(facts)],
      validate: (input) => requireReasons(input, rules.noticeSource, '异议内容'),
    },
    {
      action: 'submit_to_county',
      label: '公示期满，报送县级审核',
      from: ['public_notice'],
      to: 'county_review',
      roles: ['town_clerk', 'town_reviewer'],
      guard: ({ facts, on }) => [
        ...publicNoticeEnded(facts, on, rules.noticeSource),
        ...noOpenObjection(facts, rules.noticeSource),
      ],
      effects: ({ facts, on, calendar }) =>
        needsCountyHomeVisit(facts)
          ? [
              {
                kind: 'task',
                task: 'county_home_visit',
                due: addWorkingDays(on, rules.countyWorkingDays, calendar),
              },
            ]
          : [],
    },
    {
      // DOMAIN §5.4 Art. 17: support from the month after confirmation, in the chosen form.
      action: 'confirm',
      label: '认定',
      from: ['county_review'],
      to: 'approved',
      roles: ['county_approver', 'town_reviewer'],
      fields: ['supportMode'],
      guard: mayDecide,
      validate: requireSupportMode,
      effects: ({ on, input }) => [
        input.supportMode
          ? { kind: 'enrol', fromMonth: monthAfter(on), supportMode: input.supportMode }
          : { kind: 'enrol', fromMonth: monthAfter(on) },
      ],
    },
    {
      // DOMAIN §5.4 Art. 18: written notice with reasons through the town within 3 WD.
      action: 'refuse',
      label: '不予认定',
      from: ['county_review'],
      to: 'refused',
      roles: ['county_approver', 'town_reviewer'],
      fields: ['reasons'],
      // The care band only matters for someone who is recognised; a refusal does not wait for it.
      guard: (ctx) => mayDecide(ctx).filter((r) => r.code !== 'self_care_missing'),
      validate: (input) => requireReasons(input, rules.refusalSource, '不予认定的理由'),
      effects: ({ on, calendar, input }) => [
        {
          kind: 'notice_due',
          notice: 'refusal',
          due: addWorkingDays(on, 3, calendar),
          reasons: input.reasons ?? '',
        },
      ],
    },
    {
      action: 'serve_refusal_notice',
      label: '已书面告知申请人',
      from: ['refused'],
      to: 'closed',
      roles: ['town_clerk', 'town_reviewer', 'county_approver'],
    },
  ];
}

function recognitionMachine(rules: TekunRules): MachineDef<TekunState> {
  const town = { amount: rules.townWorkingDays, unit: 'working_days', source: rules.townSource } as const;
  return {
    code: rules.code,
    label: rules.label,
    source: rules.source,
    initial: 'investigating',
    states: {
      investigating: { label: '调查中', timeLimit: town },
      appraisal: { label: '民主评议' },
      opinion_done: { label: '初审完成' },
      public_notice: { label: '公示中', timeLimit: { amount: 7, unit: 'days', source: rules.noticeSource } },
      reinvestigating: { label: '异议复查', timeLimit: town },
      county_review: {
        label: '县级审核',
        timeLimit: { amount: rules.countyWorkingDays, unit: 'working_days', source: rules.countySource },
      },
      approved: { label: '已认定', terminal: true },
      refused: {
        label: '不予认定（待书面告知）',
        timeLimit: { amount: 3, unit: 'working_days', source: rules.refusalSource },
      },
      closed: { label: '已终结', terminal: true },
    },
    actions: recognitionActions(rules),
  };
}

export const TEKUN_2021 = recognitionMachine(RULES_2021);
export const TEKUN_2016 = recognitionMachine(RULES_2016);

// ---------------------------------------------------------------------------------------------------
// Termination (终止救助供养), DOMAIN §5.4 Arts. 24–27

export type TekunTerminationState =
  | 'enrolled'
  | 'termination_investigating'
  | 'termination_notice'
  | 'termination_reinvestigating'
  | 'termination_review'
  | 'terminated';

export const TERMINATION_REASON_LABELS: Record<TekunTerminationReason, string> = {
  death: '死亡、被宣告死亡或者被宣告失踪',
  work_ability: '具备或者恢复劳动能力',
  imprisonment: '依法被判处刑罚，且在监狱服刑',
  means_test_failed: '收入和财产状况不再符合规定',
  supporter_capable: '法定义务人具备了履行义务能力或者新增具备履行义务能力的法定义务人',
  voluntary_exit: '自愿申请退出',
  // Minors keep support to 18, and beyond while still at school (DOMAIN §5.4).
  came_of_age: '年满18周岁且不再在校就读',
};

const TERMINATION_SOURCE = `${LAW_2021}第二十四条至第二十六条`;

function requireTerminationReason(input: ActionInput): Refusal[] {
  const reason = input.terminationReason;
  if (!reason || !Object.hasOwn(TERMINATION_REASON_LABELS, reason)) {
    return [refusal('termination_reason_required', '请选择终止情形', TERMINATION_SOURCE)];
  }
  // A death is recorded with its date through `record_death`, which skips the notice.
  return reason === 'death'
    ? [refusal('use_record_death', '死亡情形请使用“登记死亡”', TERMINATION_SOURCE)]
    : [];
}

function requireDeathDate(input: ActionInput, on: string): Refusal[] {
  if (!input.deathDate || !isIsoDate(input.deathDate)) {
    return [refusal('death_date_required', '请填写死亡日期', TERMINATION_SOURCE)];
  }
  return input.deathDate > on ? [refusal('death_date_future', '死亡日期不能晚于登记日期')] : [];
}

/** A recorded death (record_death stores the date; the reason is then 'death'). */
function isDeath(facts: CaseFacts): boolean {
  return facts.terminationReason === 'death' || Boolean(facts.deathDate);
}

/** The county (or the town under delegation, Art. 28) approves with a known reason. */
function mayApproveTermination({ facts, actor }: GuardContext<TekunTerminationState>): Refusal[] {
  const refusals = [
    ...decisionLevel(facts, actor, `${LAW_2021}第二十八条`),
    ...recusal(facts, actor, '审批本案'),
  ];
  if (!facts.terminationReason && !facts.deathDate) {
    refusals.push(refusal('termination_reason_missing', '未登记终止情形'));
  } else if (facts.terminationReason === 'death' && !facts.deathDate) {
    refusals.push(refusal('death_date_missing', '未登记死亡日期'));
  }
  return refusals;
}

/**
 * Support stops from the month after the decision (Art. 25 "从下月起"); for a death, from the month
 * after the death, so nothing is paid for months in which the person was no longer alive.
 */
function terminationMonth(facts: CaseFacts, on: string): string {
  return monthAfter(facts.deathDate ? facts.deathDate : on);
}

function terminationEffects({ facts, on }: GuardContext<TekunTerminationState>): Effect[] {
  const effects: Effect[] = [{ kind: 'stop_payment', fromMonth: terminationMonth(facts, on) }];
  // Art. 26: written reasons to the person and the village committee (no deadline is set).
  if (!isDeath(facts)) effects.push({ kind: 'notice_due', notice: 'termination', due: null });
  return effects;
}

const terminationActions: ActionDef<TekunTerminationState>[] = [
  {
    // DOMAIN §5.4 Art. 26: reported by the person, carer, village committee or institution.
    action: 'report_termination',
    label: '报告终止情形',
    from: ['enrolled'],
    to: 'termination_investigating',
    roles: ['town_clerk', 'town_reviewer', 'village_assistant'],
    fields: ['terminationReason'],
    validate: requireTerminationReason,
  },
  {
    // Design choice: death ends support by law (Art. 24); a 公示 asking villagers to object to a death
    // serves no purpose, so a recorded death goes straight to approval (五保 条例 Art. 8: "核销").
    action: 'record_death',
    label: '登记死亡',
    from: ['enrolled'],
    to: 'termination_review',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['deathDate'],
    validate: (input, { on }) => requireDeathDate(input, on),
  },
  {
    action: 'dismiss_termination',
    label: '不符合终止条件，继续供养',
    from: ['termination_investigating', 'termination_reinvestigating'],
    to: 'enrolled',
    roles: ['town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, TERMINATION_SOURCE, '调查结论'),
  },
  {
    // DOMAIN §5.4 Art. 25: 公示 7 days before termination; the written reasons go with it (Art. 26).
    action: 'start_termination_notice',
    label: '提出终止意见并公示',
    from: ['termination_investigating', 'termination_reinvestigating'],
    to: 'termination_notice',
    roles: ['town_reviewer'],
    fields: ['reasons'],
    guard: ({ facts, actor }) => recusal(facts, actor, '审核本案'),
    validate: (input) => requireReasons(input, TERMINATION_SOURCE, '终止理由'),
    effects: ({ on }) => [publicNoticeEffect(on)],
  },
  {
    // DOMAIN §5.4 Art. 25: objection → investigate, decide within 15 WD, post again.
    action: 'reinvestigate_termination',
    label: '公示有异议，重新调查',
    from: ['termination_notice'],
    to: 'termination_reinvestigating',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, TERMINATION_SOURCE, '异议内容'),
  },
  {
    action: 'submit_termination',
    label: '公示期满，报县级审批',
    from: ['termination_notice'],
    to: 'termination_review',
    roles: ['town_clerk', 'town_reviewer'],
    guard: ({ facts, on }) => [
      ...publicNoticeEnded(facts, on, TERMINATION_SOURCE),
      ...noOpenObjection(facts, TERMINATION_SOURCE),
    ],
  },
  {
    action: 'approve_termination',
    label: '批准终止供养',
    from: ['termination_review'],
    to: 'terminated',
    roles: ['county_approver', 'town_reviewer'],
    guard: mayApproveTermination,
    effects: terminationEffects,
  },
  {
    action: 'reject_termination',
    label: '不予终止，继续供养',
    from: ['termination_review'],
    to: 'enrolled',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayApproveTermination,
    validate: (input) => requireReasons(input, TERMINATION_SOURCE, '不予终止的理由'),
  },
];

export const TEKUN_TERMINATION: MachineDef<TekunTerminationState> = {
  code: 'tekun_termination',
  label: '特困人员终止救助供养',
  source: LAW_2021,
  initial: 'enrolled',
  states: {
    enrolled: { label: '在供养' },
    termination_investigating: { label: '终止情形调查中' },
    termination_notice: {
      label: '终止公示中',
      timeLimit: { amount: 7, unit: 'days', source: TERMINATION_SOURCE },
    },
    termination_reinvestigating: {
      label: '终止异议复查',
      timeLimit: { amount: 15, unit: 'working_days', source: TERMINATION_SOURCE },
    },
    termination_review: { label: '待县级审批终止' },
    terminated: { label: '已终止供养', terminal: true },
  },
  actions: terminationActions,
};
