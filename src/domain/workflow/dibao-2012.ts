/**
 * Dibao application procedure under 最低生活保障审核审批办法（试行） (民发〔2012〕220号), in force
 * 2012-12-12 to 2021-06-30 (DOMAIN §4.5): investigation, 民主评议, town review with a 7-day notice,
 * county approval, a second 7-day notice by the county, then approval.
 *
 * The case starts in the investigation: Art. 18's 10 WD run from acceptance, so acceptance and the
 * start of the investigation are the same day and there is no separate "accepted" state.
 * There was no delegation to towns under these rules: only the county approves.
 */
import { addDays } from '../calendar/dates.ts';
import { addWorkingDays } from '../calendar/working-days.ts';
import {
  countyHomeVisit,
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
import type { ActionDef, GuardContext, MachineDef } from './machine.ts';
import { monthAfter } from './months.ts';

export type Dibao2012State =
  | 'investigating'
  | 'appraisal'
  | 'town_review'
  | 'town_notice'
  | 'county_review'
  | 'county_notice'
  | 'reinvestigating'
  | 'approved'
  | 'refused'
  | 'closed';

const LAW = '《最低生活保障审核审批办法（试行）》';
const SRC = {
  art18: `${LAW}第十八条`,
  art20: `${LAW}第二十条`,
  art21: `${LAW}第二十一条`,
  art24: `${LAW}第二十四条`,
  art25: `${LAW}第二十五条`,
  art26: `${LAW}第二十六条`,
  art29: `${LAW}第二十九条`,
};

type Ctx = GuardContext<Dibao2012State>;

/** DOMAIN §4.5 Art. 18 and §10: a team of at least two, none of them related to the family. */
function investigationDone({ facts, actor }: Ctx) {
  return [
    ...recusal(facts, actor, '调查本案'),
    ...relatedInvestigators(facts),
    ...teamOfTwo(facts, SRC.art18),
  ];
}

/** DOMAIN §4.5 Art. 26 and §10: the county decides after its own home visit where one is mandatory. */
function countyMayDecide({ facts, actor }: Ctx) {
  return [
    ...recusal(facts, actor, '审批本案'),
    ...investigatorMayNotDecide(facts, actor),
    ...countyHomeVisit(facts, SRC.art26),
  ];
}

/** DOMAIN §4.5 Art. 29: approval follows a county notice that ran its 7 days without objection. */
function countyNoticeClear(ctx: Ctx) {
  return [
    ...countyMayDecide(ctx),
    ...publicNoticeEnded(ctx.facts, ctx.on, SRC.art29),
    ...noOpenObjection(ctx.facts, SRC.art29),
  ];
}

const actions: ActionDef<Dibao2012State>[] = [
  {
    // DOMAIN §4.5 Art. 20: the town tells the applicant in writing why the family does not qualify.
    action: 'find_ineligible',
    label: '调查不符合，书面告知',
    from: ['investigating'],
    to: 'closed',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art20, '不符合条件的理由'),
    effects: ({ input }) => [
      { kind: 'notice_due', notice: 'decision', due: null, reasons: input.reasons ?? '' },
    ],
  },
  {
    action: 'complete_investigation',
    label: '调查完成，提交民主评议',
    from: ['investigating'],
    to: 'appraisal',
    roles: ['town_clerk', 'town_reviewer'],
    guard: investigationDone,
  },
  {
    // DOMAIN §4.5 Arts. 21–24: the appraisal is held within 5 WD after the investigation.
    action: 'complete_appraisal',
    label: '民主评议完成',
    from: ['appraisal'],
    to: 'town_review',
    roles: ['town_clerk', 'town_reviewer'],
    guard: ({ facts, actor }) => recusal(facts, actor, '组织评议'),
  },
  {
    // DOMAIN §4.5 Art. 24: large disputes at the appraisal → re-investigate.
    action: 'appraisal_disputed',
    label: '评议争议较大，重新调查',
    from: ['appraisal'],
    to: 'investigating',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art24, '争议内容'),
  },
  {
    // DOMAIN §4.5 Art. 25: the town proposes grant or refusal and posts the results for 7 days.
    action: 'start_public_notice',
    label: '提出审核意见并公示',
    from: ['town_review'],
    to: 'town_notice',
    roles: ['town_reviewer'],
    fields: ['opinion', 'reasons'],
    guard: ({ facts, actor }) => recusal(facts, actor, '审核本案'),
    validate: (input) => requireOpinion(input, SRC.art25),
    effects: ({ on }) => [publicNoticeEffect(on)],
  },
  {
    action: 'reinvestigate',
    label: '公示有异议，重新调查',
    from: ['town_notice'],
    to: 'investigating',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art25, '异议内容'),
  },
  {
    action: 'submit_to_county',
    label: '公示期满，报送县级审批',
    from: ['town_notice'],
    to: 'county_review',
    roles: ['town_clerk', 'town_reviewer'],
    guard: ({ facts, on }) => [
      ...publicNoticeEnded(facts, on, SRC.art25),
      ...noOpenObjection(facts, SRC.art25),
    ],
    // DOMAIN §4.5 Art. 26: 100% home visits for close-relative and reported cases, within the 5 WD.
    effects: ({ facts, on, calendar }) =>
      needsCountyHomeVisit(facts)
        ? [{ kind: 'task', task: 'county_home_visit', due: addWorkingDays(on, 5, calendar) }]
        : [],
  },
  {
    // DOMAIN §4.5 Arts. 26 and 29: the county approves and posts its own 7-day notice.
    action: 'approve',
    label: '审批同意，县级公示',
    from: ['county_review', 'reinvestigating'],
    to: 'county_notice',
    roles: ['county_approver'],
    guard: countyMayDecide,
    effects: ({ on }) => [publicNoticeEffect(on)],
  },
  {
    // DOMAIN §4.5 Art. 26: written notice through the town within 3 (calendar) days of the decision.
    action: 'refuse',
    label: '不批准',
    from: ['county_review', 'reinvestigating'],
    to: 'refused',
    roles: ['county_approver'],
    fields: ['reasons'],
    guard: countyMayDecide,
    validate: (input) => requireReasons(input, SRC.art26, '不批准的理由'),
    effects: ({ on, input }) => [
      { kind: 'notice_due', notice: 'refusal', due: addDays(on, 3), reasons: input.reasons ?? '' },
    ],
  },
  {
    // DOMAIN §4.5 Art. 29: no objection → approve; payment from the month after approval.
    action: 'grant',
    label: '公示无异议，批准',
    from: ['county_notice'],
    to: 'approved',
    roles: ['county_approver'],
    guard: countyNoticeClear,
    effects: ({ on }) => [{ kind: 'enrol', fromMonth: monthAfter(on) }],
  },
  {
    // DOMAIN §4.5 Art. 29: objection → re-investigate and decide within 20 WD, then post again.
    action: 'reinvestigate_on_objection',
    label: '县级公示有异议，重新调查',
    from: ['county_notice'],
    to: 'reinvestigating',
    roles: ['county_approver'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art29, '异议内容'),
  },
  {
    action: 'serve_refusal_notice',
    label: '已书面告知申请人',
    from: ['refused'],
    to: 'closed',
    roles: ['town_clerk', 'town_reviewer', 'county_approver'],
  },
];

export const DIBAO_2012: MachineDef<Dibao2012State> = {
  code: 'dibao_2012',
  label: '最低生活保障审核审批（2012—2021年）',
  source: `${LAW}（民发〔2012〕220号）`,
  initial: 'investigating',
  states: {
    investigating: {
      label: '家庭经济状况调查',
      timeLimit: { amount: 10, unit: 'working_days', source: SRC.art18 },
    },
    appraisal: { label: '民主评议', timeLimit: { amount: 5, unit: 'working_days', source: SRC.art21 } },
    town_review: { label: '乡镇审核' },
    town_notice: { label: '乡镇公示中', timeLimit: { amount: 7, unit: 'days', source: SRC.art25 } },
    county_review: { label: '县级审批', timeLimit: { amount: 5, unit: 'working_days', source: SRC.art26 } },
    county_notice: { label: '县级公示中', timeLimit: { amount: 7, unit: 'days', source: SRC.art29 } },
    reinvestigating: {
      label: '异议复查',
      timeLimit: { amount: 20, unit: 'working_days', source: SRC.art29 },
    },
    approved: { label: '批准', terminal: true },
    refused: { label: '不批准（待书面告知）', timeLimit: { amount: 3, unit: 'days', source: SRC.art26 } },
    closed: { label: '已终结', terminal: true },
  },
  actions,
};
