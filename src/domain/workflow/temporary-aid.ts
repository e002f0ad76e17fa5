/**
 * 临时救助 (temporary assistance), DOMAIN §6.3: the general procedure (investigate → 公示 → approve →
 * pay) and 先行救助 for 急难型 cases (help first, complete the paperwork afterwards).
 *
 * Amounts are integer fen. The machine only checks limits (the town's approval limit under delegation,
 * the town's advance limit); the amount itself comes from the bands elsewhere (DOMAIN §6.4).
 * Close relatives: DOMAIN §10's registration rule is national for dibao only, so here only the
 * recusal of related staff and the separation of investigation and approval apply.
 */
import { addWorkingDays } from '../calendar/working-days.ts';
import {
  investigatorMayNotDecide,
  noOpenObjection,
  PUBLIC_NOTICE_DAYS,
  publicNoticeEffect,
  publicNoticeEnded,
  recusal,
  refusal,
  relatedInvestigators,
  requireReasons,
} from './guards.ts';
import type {
  ActionDef,
  ActionInput,
  AidType,
  CaseFacts,
  GuardContext,
  MachineDef,
  Refusal,
} from './machine.ts';

export type TemporaryAidState =
  | 'accepted'
  | 'investigating'
  | 'public_notice'
  | 'approval'
  | 'approved'
  | 'paid'
  | 'refused'
  | 'advance_granted'
  | 'completed';

export const AID_TYPE_LABELS: Record<AidType, string> = { emergency: '急难型', expenditure: '支出型' };

const SRC = {
  art48: '《社会救助暂行办法》第四十八条',
  opinion2018: '民政部 财政部《关于进一步加强和改进临时救助工作的意见》（2018）',
  opinion2020: '中办 国办《关于改革完善社会救助制度的意见》（2020）第15项',
};

/** Working days to complete an advance's paperwork when the county set none (DOMAIN §6.3). */
export const DEFAULT_PAPERWORK_WORKING_DAYS = 5;

type Ctx = GuardContext<TemporaryAidState>;

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

function amountSet(facts: CaseFacts): Refusal[] {
  const fen = facts.amountFen;
  if (typeof fen === 'number' && Number.isInteger(fen) && fen > 0) return [];
  return [refusal('amount_missing', '请先登记救助金额')];
}

function isEmergency(facts: CaseFacts): boolean {
  return facts.aidType === 'emergency';
}

/**
 * DOMAIN §6.3 Art. 48: the county approves; it may delegate small amounts to the town, which then
 * approves up to the limit the county set and files its approvals with the county.
 */
function approvalLevel(facts: CaseFacts, actor: Ctx['actor']): Refusal[] {
  if (actor.level === 'county') return [];
  if (!facts.delegatedToTown) {
    return [refusal('not_delegated', '县级民政部门未将临时救助审批权限下放至乡镇，须由县级审批', SRC.art48)];
  }
  const limit = facts.townApprovalLimitFen;
  if (limit === null || limit === undefined) {
    return [refusal('town_limit_missing', '县级未设定乡镇审批限额，须由县级审批', SRC.art48)];
  }
  const fen = facts.amountFen ?? 0;
  if (fen <= limit) return [];
  const message = `救助金额${yuan(fen)}元超过乡镇审批限额${yuan(limit)}元，须报县级审批`;
  return [refusal('above_town_limit', message, SRC.art48)];
}

function mayDecide({ facts, actor }: Ctx): Refusal[] {
  return [
    ...amountSet(facts),
    ...approvalLevel(facts, actor),
    ...recusal(facts, actor, '审批本案'),
    ...investigatorMayNotDecide(facts, actor),
  ];
}

/**
 * 2018 意见, 2020 意见 item 15 (DOMAIN §6.3): "小金额先行救助" for 急难型 only; 支出型 follows the
 * full procedure. A town's advance must stay within the limit the county set, if it set one.
 */
function mayGrantAdvance({ facts, actor }: Ctx): Refusal[] {
  const refusals = [...amountSet(facts), ...recusal(facts, actor, '办理本案')];
  if (!isEmergency(facts)) {
    refusals.push(refusal('not_emergency', '只有急难型临时救助可以先行救助', SRC.opinion2020));
  }
  const limit = facts.townAdvanceLimitFen;
  if (actor.level === 'town' && typeof limit === 'number' && (facts.amountFen ?? 0) > limit) {
    const message = `先行救助金额${yuan(facts.amountFen ?? 0)}元超过乡镇先行救助限额${yuan(limit)}元`;
    refusals.push(refusal('above_advance_limit', message, SRC.opinion2018));
  }
  const days = facts.advancePaperworkWorkingDays;
  if (days !== null && days !== undefined && !(Number.isInteger(days) && days > 0)) {
    refusals.push(refusal('paperwork_days_invalid', `补齐手续时限设置有误：${days}个工作日`));
  }
  return refusals;
}

/**
 * 2018 意见 (DOMAIN §6.3): for 急难型 the public notice may be skipped; 支出型 must be posted and the
 * notice must have run without objection.
 */
function mayGoToApproval({ facts, state, on }: Ctx): Refusal[] {
  const refusals = amountSet(facts);
  if (state === 'public_notice') {
    return [...refusals, ...publicNoticeEnded(facts, on, SRC.art48), ...noOpenObjection(facts, SRC.art48)];
  }
  if (!isEmergency(facts)) {
    refusals.push(refusal('public_notice_required', '支出型临时救助须经公示后方可报批', SRC.opinion2018));
  }
  return refusals;
}

/** A shortened notice is a local simplification; it cannot be longer than the usual 7 days. */
function validNoticeDays(input: ActionInput): Refusal[] {
  const days = input.noticeDays;
  if (days === undefined || (Number.isInteger(days) && days >= 1 && days <= PUBLIC_NOTICE_DAYS)) return [];
  return [refusal('notice_days_invalid', `公示天数应为1至${PUBLIC_NOTICE_DAYS}天`, SRC.opinion2018)];
}

const actions: ActionDef<TemporaryAidState>[] = [
  {
    // DOMAIN §6.3 Art. 48: the town investigates each case with the village's help.
    action: 'start_investigation',
    label: '开始调查',
    from: ['accepted'],
    to: 'investigating',
    roles: ['town_clerk', 'town_reviewer'],
    guard: ({ facts, actor }) => [...recusal(facts, actor, '调查本案'), ...relatedInvestigators(facts)],
  },
  {
    action: 'grant_advance',
    label: '先行救助',
    from: ['accepted', 'investigating'],
    to: 'advance_granted',
    roles: ['town_reviewer', 'county_approver'],
    guard: mayGrantAdvance,
    // DOMAIN §6.3: help now; register and complete signatures and stamps afterwards, on a deadline.
    effects: ({ facts, on, calendar }) => [
      { kind: 'disburse', amountFen: facts.amountFen ?? 0 },
      {
        kind: 'task',
        task: 'complete_paperwork',
        due: addWorkingDays(
          on,
          facts.advancePaperworkWorkingDays ?? DEFAULT_PAPERWORK_WORKING_DAYS,
          calendar,
        ),
      },
    ],
  },
  {
    action: 'complete_paperwork',
    label: '补齐手续',
    from: ['advance_granted'],
    to: 'completed',
    roles: ['town_clerk', 'town_reviewer'],
  },
  {
    action: 'start_public_notice',
    label: '开始公示',
    from: ['investigating'],
    to: 'public_notice',
    roles: ['town_clerk', 'town_reviewer', 'village_assistant'],
    fields: ['noticeDays'],
    validate: validNoticeDays,
    effects: ({ on, input }) => [publicNoticeEffect(on, input.noticeDays ?? PUBLIC_NOTICE_DAYS)],
  },
  {
    action: 'reinvestigate',
    label: '公示有异议，重新调查',
    from: ['public_notice'],
    to: 'investigating',
    roles: ['town_clerk', 'town_reviewer'],
    fields: ['reasons'],
    validate: (input) => requireReasons(input, SRC.art48, '异议内容'),
  },
  {
    action: 'submit_for_approval',
    label: '提交审批',
    from: ['investigating', 'public_notice'],
    to: 'approval',
    roles: ['town_clerk', 'town_reviewer'],
    guard: mayGoToApproval,
  },
  {
    action: 'approve',
    label: '批准',
    from: ['approval'],
    to: 'approved',
    roles: ['county_approver', 'town_reviewer'],
    guard: mayDecide,
  },
  {
    // DOMAIN §6.3 Art. 48: refusal → written reasons (no national deadline for the notice).
    action: 'refuse',
    label: '不予救助',
    from: ['approval'],
    to: 'refused',
    roles: ['county_approver', 'town_reviewer'],
    fields: ['reasons'],
    guard: mayDecide,
    validate: (input) => requireReasons(input, SRC.art48, '不予救助的理由'),
    effects: ({ input }) => [
      { kind: 'notice_due', notice: 'refusal', due: null, reasons: input.reasons ?? '' },
    ],
  },
  {
    // DOMAIN §6.3 Art. 48: approval → prompt payment.
    action: 'pay',
    label: '发放',
    from: ['approved'],
    to: 'paid',
    roles: ['town_clerk', 'town_reviewer'],
    guard: ({ facts }) => amountSet(facts),
    effects: ({ facts }) => [{ kind: 'disburse', amountFen: facts.amountFen ?? 0 }],
  },
];

export const TEMPORARY_AID: MachineDef<TemporaryAidState> = {
  code: 'temporary_aid',
  label: '临时救助',
  source: `${SRC.art48}；${SRC.opinion2018}`,
  initial: 'accepted',
  states: {
    accepted: { label: '已受理' },
    investigating: { label: '调查中' },
    // The usual 7 days; a shortened notice ends on the `endsOn` its effect recorded.
    public_notice: { label: '公示中', timeLimit: { amount: 7, unit: 'days', source: SRC.art48 } },
    approval: { label: '待审批' },
    approved: { label: '已批准（待发放）' },
    paid: { label: '已发放', terminal: true },
    refused: { label: '不予救助', terminal: true },
    advance_granted: {
      label: '已先行救助（待补齐手续）',
      timeLimit: { amount: DEFAULT_PAPERWORK_WORKING_DAYS, unit: 'working_days', source: SRC.opinion2018 },
    },
    completed: { label: '已办结', terminal: true },
  },
  actions,
};
