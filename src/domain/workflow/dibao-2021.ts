/**
 * Dibao application procedure under 最低生活保障审核确认办法 (民发〔2021〕57号), in force 2021-07-01
 * (DOMAIN §4.6, state machine §4.10). A case starts here when the town accepts a complete application.
 */
import { addWorkingDays, type WorkCalendar } from '../calendar/working-days.ts';
import {
  countyHomeVisit,
  decisionLevel,
  investigatorMayNotDecide,
  needsCountyHomeVisit,
  noOpenObjection,
  publicNoticeEffect,
  publicNoticeEnded,
  recusal,
  relatedInvestigators,
  requireOpinion,
  requireReasons,
  teamOfTwo,
} from './guards.ts';
import type { ActionDef, CaseFacts, GuardContext, MachineDef } from './machine.ts';
import { monthAfter } from './months.ts';

export type Dibao2021State =
  | 'accepted'
  | 'investigating'
  | 'notified_ineligible'
  | 'opinion_done'
  | 'public_notice'
  | 'appraisal'
  | 'county_review'
  | 'approved'
  | 'refused'
  | 'closed'
  | 'terminated';

const LAW = '《最低生活保障审核确认办法》';
const SRC = {
  art2: `${LAW}第二条`,
  art15: `${LAW}第十五条`,
  art16: `${LAW}第十六条`,
  art18: `${LAW}第十八条`,
  art19: `${LAW}第十九条`,
  art20: `${LAW}第二十条`,
  art21: `${LAW}第二十一条`,
  art22: `${LAW}第二十二条`,
  art29: `${LAW}第二十九条`,
  notice2022: '民政部等《关于进一步做好最低生活保障等社会救助兜底保障工作的通知》（2022）第四部分',
};

type Ctx = GuardContext<Dibao2021State>;

/** DOMAIN §10: a related official may not investigate, nor sit on the team. */
function mayInvestigate({ facts, actor }: Ctx) {
  return [...recusal(facts, actor, '调查本案'), ...relatedInvestigators(facts)];
}

/** DOMAIN §4.6 Art. 16 and §10: the town's opinion rests on a proper, unrelated team of two. */
function mayGiveOpinion({ facts, actor }: Ctx) {
  return [
    ...recusal(facts, actor, '审核本案'),
    ...relatedInvestigators(facts),
    ...teamOfTwo(facts, SRC.art16),
  ];
}

/** DOMAIN §1, §4.6 Art. 20, §10: who may confirm or refuse, and after which home visit. */
function mayDecide({ facts, actor }: Ctx) {
  return [
    ...decisionLevel(facts, actor, SRC.art2),
    ...recusal(facts, actor, '审核确认本案'),
    ...investigatorMayNotDecide(facts, actor),
    ...countyHomeVisit(facts, SRC.art20),
  ];
}

/**
 * DOMAIN §4.6 Art. 19: the file goes up once the 7-day notice has run without objection — or, after
 * an objection, with the new opinion formed by re-investigation or appraisal (no second notice).
 */
function mayGoToCounty({ facts, state, on }: Ctx) {
  const ended = publicNoticeEnded(facts, on, SRC.art19);
  return state === 'public_notice' ? [...ended, ...noOpenObjection(facts, SRC.art19)] : ended;
}

const NOT_DECIDED: Dibao2021State[] = [
  'accepted',
  'investigating',
  'notified_ineligible',
  'opinion_done',
  'public_notice',
  'appraisal',
  'county_review',
];

const actions: ActionDef<Dibao2021State>[] = [
  {
    // DOMAIN §4.6 Art. 15: the town starts investigating within 3 WD of acceptance.
    action: 'start_investigation',
    label: '开始调查',
    from: ['accepted'],
    to: 'investigating',
    roles: ['town_clerk', 'town_reviewer'],
    guard: mayInvestigate,
  },
  {
    // DOMAIN §4.6 Art. 18: verification shows the family does not qualify → inform the applicant.
    action: 'find_ineligible',
    label: '核对不符合，告知申请人',
    from: ['investigating'],
    to: 'notified_ineligible',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art18, '不符合条件的理由'),
    effects: ({ input }) => [
      { kind: 'notice_due', notice: 'decision', due: null, reasons: input.reasons ?? '' },
    ],
  },
  {
    // DOMAIN §4.6 Art. 18: an objection with evidence → 复查.
    action: 'recheck',
    label: '申请人有异议，复查',
    from: ['notified_ineligible'],
    to: 'investigating',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayInvestigate,
    validate: (input) => requireReasons(input, SRC.art18, '申请人的异议及证据'),
  },
  {
    action: 'close_ineligible',
    label: '终结（不符合条件）',
    from: ['notified_ineligible'],
    to: 'closed',
    roles: ['town_clerk', 'town_reviewer'],
  },
  {
    // DOMAIN §4.6 Art. 19: the town forms its initial opinion (propose grant or refusal).
    action: 'submit_opinion',
    label: '提出初审意见',
    from: ['investigating'],
    to: 'opinion_done',
    roles: ['town_reviewer'],
    fields: ['opinion', 'reasons'],
    guard: mayGiveOpinion,
    validate: (input) => requireOpinion(input, SRC.art19),
  },
  {
    // DOMAIN §4.6 Art. 19: 公示 in the village or community for 7 days.
    action: 'start_public_notice',
    label: '开始公示',
    from: ['opinion_done'],
    to: 'public_notice',
    roles: ['town_clerk', 'town_reviewer', 'village_assistant'],
    effects: ({ on }) => [publicNoticeEffect(on)],
  },
  {
    // DOMAIN §4.6 Art. 19: objection → re-investigate …
    action: 'reinvestigate',
    label: '有异议，重新调查',
    from: ['public_notice'],
    to: 'investigating',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayInvestigate,
    validate: (input) => requireReasons(input, SRC.art19, '异议内容'),
  },
  {
    // … or hold a 民主评议, which today is used only when the notice draws objections.
    action: 'hold_appraisal',
    label: '有异议，组织民主评议',
    from: ['public_notice'],
    to: 'appraisal',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art19, '异议内容'),
  },
  {
    action: 'complete_appraisal',
    label: '民主评议完成，形成新初审意见',
    from: ['appraisal'],
    to: 'opinion_done',
    roles: ['town_reviewer'],
    fields: ['opinion', 'reasons'],
    guard: ({ facts, actor }) => recusal(facts, actor, '审核本案'),
    validate: (input) => requireOpinion(input, SRC.art19),
  },
  {
    action: 'submit_to_county',
    label: '报送县级审核确认',
    from: ['public_notice', 'opinion_done'],
    to: 'county_review',
    roles: ['town_clerk', 'town_reviewer'],
    guard: mayGoToCounty,
    // DOMAIN §4.6 Art. 20: the county's home visit must fit in its 10 WD.
    effects: ({ facts, on, calendar }) =>
      needsCountyHomeVisit(facts)
        ? [{ kind: 'task', task: 'county_home_visit', due: addWorkingDays(on, 10, calendar) }]
        : [],
  },
  {
    // DOMAIN §4.6 Art. 21: pay from the month after the decision date.
    action: 'confirm',
    label: '确认同意',
    from: ['county_review'],
    to: 'approved',
    roles: ['county_approver', 'town_reviewer'],
    guard: mayDecide,
    effects: ({ on }) => [{ kind: 'enrol', fromMonth: monthAfter(on) }],
  },
  {
    // DOMAIN §4.6 Art. 21: written notice with reasons, through the town, within 3 WD.
    action: 'refuse',
    label: '不予确认',
    from: ['county_review'],
    to: 'refused',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayDecide,
    validate: (input) => requireReasons(input, SRC.art21, '不予确认的理由'),
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
  {
    // DOMAIN §4.6 Art. 29: the review may be terminated when the applicant will not cooperate.
    action: 'terminate',
    label: '终止审核确认（拒不配合）',
    from: NOT_DECIDED,
    to: 'terminated',
    roles: ['town_reviewer', 'county_approver'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art29, '终止理由'),
    effects: ({ input }) => [
      { kind: 'notice_due', notice: 'termination', due: null, reasons: input.reasons ?? '' },
    ],
  },
];

export const DIBAO_2021: MachineDef<Dibao2021State> = {
  code: 'dibao_2021',
  label: '最低生活保障审核确认（2021年起）',
  source: `${LAW}（民发〔2021〕57号）`,
  initial: 'accepted',
  states: {
    accepted: { label: '已受理', timeLimit: { amount: 3, unit: 'working_days', source: SRC.art15 } },
    investigating: { label: '调查中' },
    notified_ineligible: { label: '已告知申请人（核对不符合）' },
    opinion_done: { label: '初审完成' },
    public_notice: { label: '公示中', timeLimit: { amount: 7, unit: 'days', source: SRC.art19 } },
    appraisal: { label: '民主评议' },
    county_review: { label: '待县审核', timeLimit: { amount: 10, unit: 'working_days', source: SRC.art20 } },
    approved: { label: '确认同意', terminal: true },
    refused: {
      label: '不予确认（待书面告知）',
      timeLimit: { amount: 3, unit: 'working_days', source: SRC.art21 },
    },
    closed: { label: '已终结', terminal: true },
    terminated: { label: '已终止', terminal: true },
  },
  actions,
};

/**
 * The overall limit from acceptance to decision (DOMAIN §4.6 Art. 22; 2022 通知 §4(1)): 30 WD, 20 WD
 * where the town holds delegated authority, 45 WD in the special cases (objections, split hukou,
 * off-site application, hard investigations) — the extension wins over delegation.
 */
export function overallLimit(facts: Pick<CaseFacts, 'delegatedToTown' | 'extendedTimeLimit'>): {
  workingDays: number;
  source: string;
} {
  if (facts.extendedTimeLimit) return { workingDays: 45, source: `${SRC.art22}；${SRC.notice2022}` };
  if (facts.delegatedToTown) return { workingDays: 20, source: SRC.notice2022 };
  return { workingDays: 30, source: SRC.art22 };
}

export function overallDeadline(
  acceptedOn: string,
  facts: Pick<CaseFacts, 'delegatedToTown' | 'extendedTimeLimit'>,
  calendar: WorkCalendar,
): string {
  return addWorkingDays(acceptedOn, overallLimit(facts).workingDays, calendar);
}
