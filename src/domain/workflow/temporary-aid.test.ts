import { describe, expect, it } from 'vitest';
import type { CaseFacts } from './machine.ts';
import { stepDeadline } from './machine.ts';
import { TEMPORARY_AID, type TemporaryAidState } from './temporary-aid.ts';
import {
  CAL_2015,
  clerk,
  codes,
  countyApprover,
  investigatingApprover,
  type RefusalRow,
  run,
  type TransitionRow,
  townReviewer,
  uncovered,
  villageAssistant,
} from './testing.ts';

const ON = '2015-09-30';
/** A 急难型 case for 2,000 yuan. */
const EMERGENCY: Partial<CaseFacts> = { aidType: 'emergency', amountFen: 200_000 };
/** A 支出型 case for 2,000 yuan. */
const EXPENDITURE: Partial<CaseFacts> = { aidType: 'expenditure', amountFen: 200_000 };
/** Town approval delegated up to 3,000 yuan. */
const DELEGATED: Partial<CaseFacts> = { delegatedToTown: true, townApprovalLimitFen: 300_000 };

const transitions: TransitionRow<TemporaryAidState>[] = [
  {
    name: 'the town investigates the case (Art. 48)',
    from: 'accepted',
    action: 'start_investigation',
    actor: clerk,
    facts: EXPENDITURE,
    to: 'investigating',
  },
  {
    name: 'an emergency is helped at once; the paperwork is due within 5 WD by default (先行救助)',
    from: 'accepted',
    action: 'grant_advance',
    actor: townReviewer,
    facts: EMERGENCY,
    to: 'advance_granted',
    effects: [
      { kind: 'disburse', amountFen: 200_000 },
      { kind: 'task', task: 'complete_paperwork', due: '2015-10-13' },
    ],
  },
  {
    name: 'an emergency found during the investigation is helped at once, on the county’s paperwork deadline',
    from: 'investigating',
    action: 'grant_advance',
    actor: townReviewer,
    facts: { ...EMERGENCY, advancePaperworkWorkingDays: 3 },
    to: 'advance_granted',
    effects: [
      { kind: 'disburse', amountFen: 200_000 },
      { kind: 'task', task: 'complete_paperwork', due: '2015-10-10' },
    ],
  },
  {
    name: 'completing the paperwork closes an advance (补齐手续 → 已办结)',
    from: 'advance_granted',
    action: 'complete_paperwork',
    actor: clerk,
    facts: EMERGENCY,
    to: 'completed',
  },
  {
    name: 'a shortened public notice of 5 days (local simplification)',
    from: 'investigating',
    action: 'start_public_notice',
    actor: villageAssistant,
    facts: EXPENDITURE,
    input: { noticeDays: 5 },
    to: 'public_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-05' }],
  },
  {
    name: 'an objection to the notice sends the case back to investigation',
    from: 'public_notice',
    action: 'reinvestigate',
    actor: clerk,
    facts: EXPENDITURE,
    input: { reasons: '村民反映医疗费用已由保险报销' },
    to: 'investigating',
  },
  {
    name: 'a 急难型 case may go to approval without a public notice (2018 意见)',
    from: 'investigating',
    action: 'submit_for_approval',
    actor: clerk,
    facts: EMERGENCY,
    to: 'approval',
  },
  {
    name: 'a 支出型 case goes to approval after its notice ran without objection',
    from: 'public_notice',
    action: 'submit_for_approval',
    actor: clerk,
    facts: { ...EXPENDITURE, publicNoticeEndsOn: '2015-09-30' },
    to: 'approval',
  },
  {
    name: 'the county approves (Art. 48)',
    from: 'approval',
    action: 'approve',
    actor: countyApprover,
    facts: EXPENDITURE,
    to: 'approved',
  },
  {
    name: 'the county refuses with written reasons (Art. 48)',
    from: 'approval',
    action: 'refuse',
    actor: countyApprover,
    facts: EXPENDITURE,
    input: { reasons: '家庭人均可支配收入高于上年度当地人均可支配收入' },
    to: 'refused',
    effects: [
      {
        kind: 'notice_due',
        notice: 'refusal',
        due: null,
        reasons: '家庭人均可支配收入高于上年度当地人均可支配收入',
      },
    ],
  },
  {
    name: 'the approved amount is paid',
    from: 'approved',
    action: 'pay',
    actor: clerk,
    facts: EXPENDITURE,
    to: 'paid',
    effects: [{ kind: 'disburse', amountFen: 200_000 }],
  },
];

const variants: TransitionRow<TemporaryAidState>[] = [
  {
    name: 'the town approves an amount up to its delegated limit (3,000 yuan of 3,000)',
    from: 'approval',
    action: 'approve',
    actor: townReviewer,
    facts: { ...EXPENDITURE, ...DELEGATED, amountFen: 300_000 },
    to: 'approved',
  },
  {
    name: 'the county approves an amount above the town limit',
    from: 'approval',
    action: 'approve',
    actor: countyApprover,
    facts: { ...EXPENDITURE, ...DELEGATED, amountFen: 1_000_000 },
    to: 'approved',
  },
  {
    name: 'the usual notice runs 7 days',
    from: 'investigating',
    action: 'start_public_notice',
    actor: clerk,
    facts: EXPENDITURE,
    to: 'public_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'an advance within the town’s advance limit',
    from: 'accepted',
    action: 'grant_advance',
    actor: townReviewer,
    facts: { ...EMERGENCY, townAdvanceLimitFen: 500_000 },
    to: 'advance_granted',
    effects: [
      { kind: 'disburse', amountFen: 200_000 },
      { kind: 'task', task: 'complete_paperwork', due: '2015-10-13' },
    ],
  },
  {
    name: 'the county may give an advance above the town’s advance limit',
    from: 'accepted',
    action: 'grant_advance',
    actor: countyApprover,
    facts: { ...EMERGENCY, townAdvanceLimitFen: 100_000 },
    to: 'advance_granted',
    effects: [
      { kind: 'disburse', amountFen: 200_000 },
      { kind: 'task', task: 'complete_paperwork', due: '2015-10-13' },
    ],
  },
];

const refusals: RefusalRow<TemporaryAidState>[] = [
  {
    name: 'the town cannot approve an amount above its delegated limit',
    from: 'approval',
    action: 'approve',
    actor: townReviewer,
    facts: { ...EXPENDITURE, ...DELEGATED, amountFen: 300_001 },
    codes: ['above_town_limit'],
  },
  {
    name: 'the town cannot approve without delegation',
    from: 'approval',
    action: 'approve',
    actor: townReviewer,
    facts: EXPENDITURE,
    codes: ['not_delegated'],
  },
  {
    name: 'the town cannot approve where the county set no limit',
    from: 'approval',
    action: 'approve',
    actor: townReviewer,
    facts: { ...EXPENDITURE, delegatedToTown: true },
    codes: ['town_limit_missing'],
  },
  {
    name: 'nothing is approved without an amount',
    from: 'approval',
    action: 'approve',
    actor: countyApprover,
    facts: { aidType: 'expenditure' },
    codes: ['amount_missing'],
  },
  {
    name: 'a 支出型 case cannot be helped in advance',
    from: 'accepted',
    action: 'grant_advance',
    actor: townReviewer,
    facts: EXPENDITURE,
    codes: ['not_emergency'],
  },
  {
    name: 'an advance cannot exceed the town’s advance limit',
    from: 'accepted',
    action: 'grant_advance',
    actor: townReviewer,
    facts: { ...EMERGENCY, townAdvanceLimitFen: 100_000 },
    codes: ['above_advance_limit'],
  },
  {
    name: 'a paperwork deadline that is not a positive number of working days is a setup error',
    from: 'accepted',
    action: 'grant_advance',
    actor: townReviewer,
    facts: { ...EMERGENCY, advancePaperworkWorkingDays: -1 },
    codes: ['paperwork_days_invalid'],
  },
  {
    name: 'a village assistant cannot give an advance',
    from: 'accepted',
    action: 'grant_advance',
    actor: villageAssistant,
    facts: EMERGENCY,
    codes: ['role_not_allowed'],
  },
  {
    name: 'a 支出型 case cannot skip the public notice',
    from: 'investigating',
    action: 'submit_for_approval',
    actor: clerk,
    facts: EXPENDITURE,
    codes: ['public_notice_required'],
  },
  {
    name: 'a case cannot go to approval before its notice has ended',
    from: 'public_notice',
    action: 'submit_for_approval',
    actor: clerk,
    facts: { ...EXPENDITURE, publicNoticeEndsOn: '2015-10-05' },
    codes: ['public_notice_running'],
  },
  {
    name: 'a notice cannot be longer than 7 days or shorter than 1',
    from: 'investigating',
    action: 'start_public_notice',
    actor: clerk,
    facts: EXPENDITURE,
    input: { noticeDays: 10 },
    codes: ['notice_days_invalid'],
  },
  {
    name: 'a refusal needs written reasons',
    from: 'approval',
    action: 'refuse',
    actor: countyApprover,
    facts: EXPENDITURE,
    codes: ['reasons_required'],
  },
  {
    name: 'an official who investigated the case cannot approve it',
    from: 'approval',
    action: 'approve',
    actor: investigatingApprover,
    facts: EXPENDITURE,
    codes: ['investigator_decides'],
  },
  {
    name: 'nothing is paid before approval',
    from: 'approval',
    action: 'pay',
    actor: clerk,
    facts: EXPENDITURE,
    codes: ['wrong_state'],
  },
];

describe('临时救助 (DOMAIN §6.3): allowed transitions', () => {
  it.each([...transitions, ...variants])('$name', (row) => {
    expect(run(TEMPORARY_AID, row, ON)).toEqual({ ok: true, to: row.to, effects: row.effects ?? [] });
  });

  it('the table takes every transition of the machine', () => {
    expect(uncovered(TEMPORARY_AID, transitions)).toEqual([]);
  });
});

describe('临时救助 (DOMAIN §6.3): refusals', () => {
  it.each(refusals)('$name', (row) => {
    expect(codes(run(TEMPORARY_AID, row, ON))).toEqual(row.codes);
  });

  it('tells the town by how much the amount exceeds its limit, in yuan', () => {
    const decision = run(TEMPORARY_AID, refusals[0] as RefusalRow<TemporaryAidState>, ON);
    expect(decision.ok ? '' : decision.refusals[0]?.message).toBe(
      '救助金额3000.01元超过乡镇审批限额3000.00元，须报县级审批',
    );
  });

  it('the default paperwork clock of an advance is 5 WD, across the holiday', () => {
    expect(stepDeadline(TEMPORARY_AID, 'advance_granted', '2015-09-30', CAL_2015)?.due).toBe('2015-10-13');
  });
});
