import { describe, expect, it } from 'vitest';
import { DIBAO_2012, type Dibao2012State } from './dibao-2012.ts';
import { stepDeadline } from './machine.ts';
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
} from './testing.ts';

const ON = '2015-09-30'; // a Wednesday, the day before the National Day holiday
const NOTICE_OVER = { publicNoticeEndsOn: '2015-09-30' };
const REASONS = { reasons: '家庭人均收入高于当地低保标准' };

const transitions: TransitionRow<Dibao2012State>[] = [
  {
    name: 'the investigation finds the family ineligible: the town tells the applicant in writing (Art. 20)',
    from: 'investigating',
    action: 'find_ineligible',
    actor: clerk,
    input: REASONS,
    to: 'closed',
    effects: [{ kind: 'notice_due', notice: 'decision', due: null, reasons: REASONS.reasons }],
  },
  {
    name: 'a completed two-person investigation goes to the 民主评议 (Arts. 18, 21)',
    from: 'investigating',
    action: 'complete_investigation',
    actor: clerk,
    to: 'appraisal',
  },
  {
    name: 'the appraisal done, the town reviews (Arts. 21–24)',
    from: 'appraisal',
    action: 'complete_appraisal',
    actor: clerk,
    to: 'town_review',
  },
  {
    name: 'a large dispute at the appraisal sends the case back to investigation (Art. 24)',
    from: 'appraisal',
    action: 'appraisal_disputed',
    actor: clerk,
    input: { reasons: '多数村民代表认为家庭收入未如实申报' },
    to: 'investigating',
  },
  {
    name: 'the town proposes a grant and posts the results for 7 days (Art. 25)',
    from: 'town_review',
    action: 'start_public_notice',
    actor: townReviewer,
    input: { opinion: 'grant' },
    to: 'town_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'an objection to the town notice sends the case back to investigation',
    from: 'town_notice',
    action: 'reinvestigate',
    actor: clerk,
    input: { reasons: '村民反映申请人有车辆' },
    to: 'investigating',
  },
  {
    name: 'the town notice over without objection, the file goes to the county',
    from: 'town_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: NOTICE_OVER,
    to: 'county_review',
  },
  {
    name: 'the county approves and posts its own 7-day notice (Arts. 26, 29)',
    from: 'county_review',
    action: 'approve',
    actor: countyApprover,
    to: 'county_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'after re-investigating an objection the county approves and posts again (Art. 29)',
    from: 'reinvestigating',
    action: 'approve',
    actor: countyApprover,
    to: 'county_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'the county refuses: the written notice is due within 3 calendar days, holiday or not (Art. 26)',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    input: REASONS,
    to: 'refused',
    effects: [{ kind: 'notice_due', notice: 'refusal', due: '2015-10-03', reasons: REASONS.reasons }],
  },
  {
    name: 'after re-investigating an objection the county refuses',
    from: 'reinvestigating',
    action: 'refuse',
    actor: countyApprover,
    input: REASONS,
    to: 'refused',
    effects: [{ kind: 'notice_due', notice: 'refusal', due: '2015-10-03', reasons: REASONS.reasons }],
  },
  {
    name: 'the county notice over without objection: approved, paid from the next month (Art. 29)',
    from: 'county_notice',
    action: 'grant',
    actor: countyApprover,
    facts: NOTICE_OVER,
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2015-10' }],
  },
  {
    name: 'an objection to the county notice: re-investigate and decide within 20 WD (Art. 29)',
    from: 'county_notice',
    action: 'reinvestigate_on_objection',
    actor: countyApprover,
    input: { reasons: '举报申请人子女有赡养能力' },
    to: 'reinvestigating',
  },
  {
    name: 'serving the refusal notice closes the case',
    from: 'refused',
    action: 'serve_refusal_notice',
    actor: clerk,
    to: 'closed',
  },
];

const variants: TransitionRow<Dibao2012State>[] = [
  {
    name: 'approval on 15 December 2015 pays from January 2016',
    from: 'county_notice',
    action: 'grant',
    actor: countyApprover,
    facts: { publicNoticeEndsOn: '2015-12-14' },
    on: '2015-12-15',
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2016-01' }],
  },
  {
    name: 'the county approves a close-relative case after its home visit (100% 入户, Art. 26)',
    from: 'county_review',
    action: 'approve',
    actor: countyApprover,
    facts: { closeRelative: true, countyHomeVisitRecorded: true },
    to: 'county_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'a close-relative file reaching the county creates the home-visit task within its 5 WD',
    from: 'town_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { ...NOTICE_OVER, closeRelative: true },
    to: 'county_review',
    effects: [{ kind: 'task', task: 'county_home_visit', due: '2015-10-13' }],
  },
];

const refusals: RefusalRow<Dibao2012State>[] = [
  {
    name: 'the county cannot approve a close-relative case without its home visit (100% 入户)',
    from: 'county_review',
    action: 'approve',
    actor: countyApprover,
    facts: { closeRelative: true },
    codes: ['county_home_visit_missing'],
  },
  {
    name: 'a town reviewer cannot approve: the 2012 rules had no delegation',
    from: 'county_review',
    action: 'approve',
    actor: townReviewer,
    facts: { delegatedToTown: true },
    codes: ['role_not_allowed'],
  },
  {
    name: 'an official who did the home investigation cannot approve',
    from: 'county_review',
    action: 'approve',
    actor: investigatingApprover,
    codes: ['investigator_decides'],
  },
  {
    name: 'a related official cannot complete the investigation',
    from: 'investigating',
    action: 'complete_investigation',
    actor: clerk,
    facts: { relatedStaffUserIds: [clerk.userId] },
    codes: ['recusal'],
  },
  {
    name: 'a related official on the team and a team of one are both refused (Art. 18)',
    from: 'investigating',
    action: 'complete_investigation',
    actor: clerk,
    facts: { investigatorUserIds: [11], relatedStaffUserIds: [11] },
    codes: ['related_investigator', 'team_too_small'],
  },
  {
    name: 'the county cannot approve before its own notice has ended',
    from: 'county_notice',
    action: 'grant',
    actor: countyApprover,
    facts: { publicNoticeEndsOn: '2015-10-07' },
    codes: ['public_notice_running'],
  },
  {
    name: 'the county cannot approve with an open objection to its notice',
    from: 'county_notice',
    action: 'grant',
    actor: countyApprover,
    facts: { ...NOTICE_OVER, objectionOpen: true },
    codes: ['objection_open'],
  },
  {
    name: 'the file cannot go to the county before the town notice has ended',
    from: 'town_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { publicNoticeEndsOn: '2015-10-01' },
    codes: ['public_notice_running'],
  },
  {
    name: 'a refusal without written reasons is refused (Art. 26)',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    codes: ['reasons_required'],
  },
  {
    name: 'the town notice needs the town’s opinion',
    from: 'town_review',
    action: 'start_public_notice',
    actor: townReviewer,
    codes: ['opinion_required'],
  },
  {
    name: 'the county cannot approve a case that has not reached it',
    from: 'town_notice',
    action: 'approve',
    actor: countyApprover,
    codes: ['wrong_state'],
  },
  {
    name: 'a case under the 2021 procedure cannot be driven by the 2012 machine',
    from: 'county_review',
    action: 'approve',
    actor: countyApprover,
    facts: { procedure: 'dibao_2021' },
    codes: ['procedure_mismatch'],
  },
];

describe('dibao 2012 (民发〔2012〕220号): allowed transitions', () => {
  it.each([...transitions, ...variants])('$name', (row) => {
    expect(run(DIBAO_2012, row, ON)).toEqual({ ok: true, to: row.to, effects: row.effects ?? [] });
  });

  it('the table takes every transition of the machine', () => {
    expect(uncovered(DIBAO_2012, transitions)).toEqual([]);
  });
});

describe('dibao 2012 (民发〔2012〕220号): refusals', () => {
  it.each(refusals)('$name', (row) => {
    expect(codes(run(DIBAO_2012, row, ON))).toEqual(row.codes);
  });
});

describe('dibao 2012 (民发〔2012〕220号): time limits', () => {
  it.each([
    ['investigating', '2015-09-28', '2015-10-16', 'investigation ≤ 10 WD of acceptance (Art. 18)'],
    ['appraisal', '2015-09-30', '2015-10-13', 'appraisal ≤ 5 WD after the investigation (Art. 21)'],
    ['town_notice', '2015-09-30', '2015-10-07', 'town notice 7 calendar days (Art. 25)'],
    ['county_review', '2015-09-30', '2015-10-13', 'county ≤ 5 WD, the 调休 Saturday counts (Art. 26)'],
    [
      'county_notice',
      '2015-12-28',
      '2016-01-04',
      'county notice 7 calendar days across the year end (Art. 29)',
    ],
    ['reinvestigating', '2015-09-28', '2015-10-30', 'decide an objection ≤ 20 WD (Art. 29)'],
    ['refused', '2015-09-30', '2015-10-03', 'refusal notice ≤ 3 calendar days (Art. 26)'],
  ] as const)('%s entered on %s is due on %s (%s)', (state, enteredOn, due, _why) => {
    expect(stepDeadline(DIBAO_2012, state, enteredOn, CAL_2015)?.due).toBe(due);
  });

  it.each(['town_review', 'approved', 'closed'] as const)('%s has no clock', (state) => {
    expect(stepDeadline(DIBAO_2012, state, ON, CAL_2015)).toBeNull();
  });
});
