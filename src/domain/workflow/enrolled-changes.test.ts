import { describe, expect, it } from 'vitest';
import {
  DIBAO_CHANGES,
  type EnrolledState,
  nextReviewDate,
  type ReviewClass,
  type RuleSet,
  reviewInterval,
} from './enrolled-changes.ts';
import type { Effect } from './machine.ts';
import {
  clerk,
  codes,
  countyApprover,
  type RefusalRow,
  run,
  type TransitionRow,
  townReviewer,
  uncovered,
  villageAssistant,
} from './testing.ts';

// Mid-December, so every "from the next month" crosses the year end.
const ON = '2015-12-15';
const REASONS = { reasons: '家庭成员就业，人均收入增加' };
const NOTICE: Effect = { kind: 'notice_due', notice: 'decision', due: null, reasons: REASONS.reasons };
const FAMILY = { householdSize: 3 };
const SINGLE = { householdSize: 1 };

const LIVE = ['enrolled', 'under_review', 'gradual_exit'] as const;

const transitions: TransitionRow<EnrolledState>[] = [
  {
    name: 'the town starts the periodic review (复核)',
    from: 'enrolled',
    action: 'start_review',
    actor: clerk,
    to: 'under_review',
  },
  {
    name: 'a change reported by the family starts a review (暂行办法 Art. 13)',
    from: 'enrolled',
    action: 'report_change',
    actor: villageAssistant,
    input: { reasons: '长子外出务工' },
    to: 'under_review',
  },
  {
    name: 'a member’s death: re-check within 3 months, 30 November → 29 February (2022 通知 §1(3))',
    from: 'enrolled',
    action: 'record_member_death',
    actor: clerk,
    facts: FAMILY,
    input: { deathDate: '2015-11-30' },
    to: 'under_review',
    effects: [{ kind: 'task', task: 'recheck_after_death', due: '2016-02-29' }],
  },
  {
    name: 'a death during a review adds its own 3-month re-check',
    from: 'under_review',
    action: 'record_member_death',
    actor: clerk,
    facts: FAMILY,
    input: { deathDate: '2015-12-01' },
    to: 'under_review',
    effects: [{ kind: 'task', task: 'recheck_after_death', due: '2016-03-01' }],
  },
  {
    name: 'no significant change: the amount stays (2021 Art. 31)',
    from: 'under_review',
    action: 'keep',
    actor: countyApprover,
    to: 'enrolled',
  },
  {
    name: 'an increase takes effect from the next month',
    from: 'under_review',
    action: 'increase',
    actor: countyApprover,
    to: 'enrolled',
    effects: [{ kind: 'change_amount', direction: 'increase', fromMonth: '2016-01' }],
  },
  {
    name: 'a reduction with written reasons, from the next month, notified to the family',
    from: 'under_review',
    action: 'decrease',
    actor: countyApprover,
    input: REASONS,
    to: 'enrolled',
    effects: [{ kind: 'change_amount', direction: 'decrease', fromMonth: '2016-01' }, NOTICE],
  },
  {
    name: 'a 6-month 渐退期 runs January to June (2021 Art. 33; 2022 通知 §1(3))',
    from: 'under_review',
    action: 'start_gradual_exit',
    actor: countyApprover,
    input: { ...REASONS, exitMonths: 6 },
    to: 'gradual_exit',
    effects: [{ kind: 'gradual_exit', fromMonth: '2016-01', lastMonth: '2016-06' }, NOTICE],
  },
  {
    name: 'a stop with written reasons, from the next month',
    from: 'under_review',
    action: 'stop',
    actor: countyApprover,
    input: REASONS,
    to: 'stopped',
    effects: [{ kind: 'stop_payment', fromMonth: '2016-01' }, NOTICE],
  },
  {
    name: 'the 渐退期 reached its last month: payment stops after it',
    from: 'gradual_exit',
    action: 'end_gradual_exit',
    actor: countyApprover,
    facts: { gradualExitLastMonth: '2015-12' },
    to: 'stopped',
    effects: [{ kind: 'stop_payment', fromMonth: '2016-01' }],
  },
  {
    name: 'a household in its 渐退期 is confirmed again (the job was lost)',
    from: 'gradual_exit',
    action: 'reconfirm',
    actor: countyApprover,
    input: { reasons: '就业人员已失业，收入低于低保标准' },
    to: 'enrolled',
  },
  ...LIVE.map(
    (from): TransitionRow<EnrolledState> => ({
      name: `the death of a single-person case in “${DIBAO_CHANGES.states[from].label}” cancels it from the month after the death`,
      from,
      action: 'cancel_on_death',
      actor: countyApprover,
      facts: SINGLE,
      input: { deathDate: '2015-11-20' },
      to: 'cancelled',
      effects: [{ kind: 'stop_payment', fromMonth: '2015-12' }],
    }),
  ),
  ...LIVE.map(
    (from): TransitionRow<EnrolledState> => ({
      name: `a family in “${DIBAO_CHANGES.states[from].label}” exits voluntarily from the next month`,
      from,
      action: 'voluntary_exit',
      actor: countyApprover,
      to: 'stopped',
      effects: [{ kind: 'stop_payment', fromMonth: '2016-01' }],
    }),
  ),
  {
    name: 'a move to another town of the county keeps the case enrolled',
    from: 'enrolled',
    action: 'transfer_town',
    actor: clerk,
    input: { toTownCode: '440232101' },
    to: 'enrolled',
    effects: [{ kind: 'transfer', toTownCode: '440232101' }],
  },
];

const variants: TransitionRow<EnrolledState>[] = [
  {
    name: 'a town reviewer decides a reduction where the county delegated',
    from: 'under_review',
    action: 'decrease',
    actor: townReviewer,
    facts: { delegatedToTown: true },
    input: REASONS,
    to: 'enrolled',
    effects: [{ kind: 'change_amount', direction: 'decrease', fromMonth: '2016-01' }, NOTICE],
  },
  {
    name: 'a 1-month 渐退期 is just January',
    from: 'under_review',
    action: 'start_gradual_exit',
    actor: countyApprover,
    input: { ...REASONS, exitMonths: 1 },
    to: 'gradual_exit',
    effects: [{ kind: 'gradual_exit', fromMonth: '2016-01', lastMonth: '2016-01' }, NOTICE],
  },
];

const refusals: RefusalRow<EnrolledState>[] = [
  ...[7, 0, 2.5, undefined].map(
    (exitMonths): RefusalRow<EnrolledState> => ({
      name: `a 渐退期 of ${exitMonths ?? '(none)'} months is refused: 1 to 6 months`,
      from: 'under_review',
      action: 'start_gradual_exit',
      actor: countyApprover,
      input: exitMonths === undefined ? REASONS : { ...REASONS, exitMonths },
      codes: ['exit_months_invalid'],
    }),
  ),
  {
    name: 'a reduction without written reasons is refused (暂行办法 Art. 13)',
    from: 'under_review',
    action: 'decrease',
    actor: countyApprover,
    codes: ['reasons_required'],
  },
  {
    name: 'a stop without written reasons is refused (暂行办法 Art. 13)',
    from: 'under_review',
    action: 'stop',
    actor: countyApprover,
    codes: ['reasons_required'],
  },
  {
    name: 'a town reviewer cannot stop payment without delegation',
    from: 'under_review',
    action: 'stop',
    actor: townReviewer,
    input: REASONS,
    codes: ['not_delegated'],
  },
  {
    name: 'a town reviewer cannot reduce a close-relative case even under delegation',
    from: 'under_review',
    action: 'decrease',
    actor: townReviewer,
    facts: { delegatedToTown: true, closeRelative: true },
    input: REASONS,
    codes: ['close_relative_county_only'],
  },
  {
    name: 'a related official cannot decide the review',
    from: 'under_review',
    action: 'keep',
    actor: countyApprover,
    facts: { relatedStaffUserIds: [countyApprover.userId] },
    codes: ['recusal'],
  },
  {
    name: 'the death of the only member cancels the case instead of re-checking it',
    from: 'enrolled',
    action: 'record_member_death',
    actor: clerk,
    facts: SINGLE,
    input: { deathDate: '2015-11-30' },
    codes: ['single_person_case'],
  },
  {
    name: 'a family of three is not cancelled on one death',
    from: 'enrolled',
    action: 'cancel_on_death',
    actor: countyApprover,
    facts: FAMILY,
    input: { deathDate: '2015-11-30' },
    codes: ['not_single_person'],
  },
  {
    name: 'a member’s death needs its date',
    from: 'enrolled',
    action: 'record_member_death',
    actor: clerk,
    facts: FAMILY,
    codes: ['death_date_required'],
  },
  {
    name: 'the 渐退期 cannot be ended before its last month',
    from: 'gradual_exit',
    action: 'end_gradual_exit',
    actor: countyApprover,
    facts: { gradualExitLastMonth: '2016-03' },
    codes: ['gradual_exit_running'],
  },
  {
    name: 'a transfer needs the receiving town’s 9-digit code',
    from: 'enrolled',
    action: 'transfer_town',
    actor: clerk,
    input: { toTownCode: '4402' },
    codes: ['town_code_invalid'],
  },
  {
    name: 'a change report needs what changed',
    from: 'enrolled',
    action: 'report_change',
    actor: clerk,
    codes: ['reasons_required'],
  },
  {
    name: 'a review outcome needs a review',
    from: 'enrolled',
    action: 'keep',
    actor: countyApprover,
    codes: ['wrong_state'],
  },
  {
    name: 'a stopped case cannot be reviewed',
    from: 'stopped',
    action: 'start_review',
    actor: clerk,
    codes: ['wrong_state'],
  },
];

describe('enrolled dibao changes (DOMAIN §4.9): allowed transitions', () => {
  it.each([...transitions, ...variants])('$name', (row) => {
    expect(run(DIBAO_CHANGES, row, ON)).toEqual({ ok: true, to: row.to, effects: row.effects ?? [] });
  });

  it('the table takes every transition of the machine', () => {
    expect(uncovered(DIBAO_CHANGES, transitions)).toEqual([]);
  });
});

describe('enrolled dibao changes (DOMAIN §4.9): refusals', () => {
  it.each(refusals)('$name', (row) => {
    expect(codes(run(DIBAO_CHANGES, row, ON))).toEqual(row.codes);
  });
});

describe('review frequency (分类复核)', () => {
  it.each([
    ['2021', 'stable', 'urban', 12, 'little change → yearly (2021 Art. 31)'],
    ['2021', 'short_term_stable', 'rural', 12, 'little change in the short term → yearly'],
    ['2021', 'irregular_income', 'urban', 6, 'irregular income, able-bodied → every 6 months'],
    ['2021', 'irregular_income', 'rural', 6, 'the same in rural areas'],
    ['2012', 'stable', 'urban', 12, '三无, seriously ill or disabled → yearly (220号 Art. 33)'],
    ['2012', 'short_term_stable', 'urban', 6, 'fairly stable in the short term → every 6 months'],
    ['2012', 'irregular_income', 'urban', 1, 'irregular income in towns → monthly'],
    ['2012', 'irregular_income', 'rural', 3, 'irregular income in villages → quarterly'],
  ] as const)('%s rules, %s, %s: every %i months (%s)', (ruleSet, reviewClass, area, months, _why) => {
    expect(reviewInterval(reviewClass, { ruleSet, area }).months).toBe(months);
  });

  it.each([
    ['2015-08-31', 'irregular_income', '2012', 'urban', '2015-09-30'],
    ['2015-11-30', 'irregular_income', '2012', 'rural', '2016-02-29'],
    ['2021-07-15', 'stable', '2021', 'urban', '2022-07-15'],
    ['2020-02-29', 'stable', '2021', 'rural', '2021-02-28'],
  ] as const)(
    'reviewed on %s (%s, %s rules, %s): next review %s',
    (last, reviewClass, ruleSet, area, next) => {
      expect(nextReviewDate(last, reviewClass as ReviewClass, { ruleSet: ruleSet as RuleSet, area })).toBe(
        next,
      );
    },
  );
});
