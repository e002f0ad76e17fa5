import { describe, expect, it } from 'vitest';
import { EMPTY_CALENDAR } from '../calendar/working-days.ts';
import { DIBAO_2021, type Dibao2021State, overallDeadline, overallLimit } from './dibao-2021.ts';
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
  villageAssistant,
} from './testing.ts';

// The machine does not look at the calendar year; 2015 dates let the tests use the National Day week.
const ON = '2015-09-30'; // a Wednesday before the holiday
const NOTICE_OVER = { publicNoticeEndsOn: '2015-09-30' };
const REASONS = { reasons: '家庭人均收入高于当地低保标准' };

const transitions: TransitionRow<Dibao2021State>[] = [
  {
    name: 'the town starts the home investigation after acceptance (Art. 15)',
    from: 'accepted',
    action: 'start_investigation',
    actor: clerk,
    to: 'investigating',
  },
  {
    name: 'verification shows the family does not qualify: the applicant is told why (Art. 18)',
    from: 'investigating',
    action: 'find_ineligible',
    actor: clerk,
    input: REASONS,
    to: 'notified_ineligible',
    effects: [{ kind: 'notice_due', notice: 'decision', due: null, reasons: REASONS.reasons }],
  },
  {
    name: 'an applicant who objects with evidence gets a re-check (复查, Art. 18)',
    from: 'notified_ineligible',
    action: 'recheck',
    actor: clerk,
    input: { reasons: '申请人提供了新的医疗支出凭证' },
    to: 'investigating',
  },
  {
    name: 'without an objection the ineligible case is closed (终结)',
    from: 'notified_ineligible',
    action: 'close_ineligible',
    actor: townReviewer,
    to: 'closed',
  },
  {
    name: 'the town reviewer forms the initial opinion after a two-person investigation (Arts. 16, 19)',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    input: { opinion: 'grant' },
    to: 'opinion_done',
  },
  {
    name: 'the village posts the notice; it ends 7 calendar days later, holidays or not (Art. 19)',
    from: 'opinion_done',
    action: 'start_public_notice',
    actor: villageAssistant,
    to: 'public_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'an objection to the notice sends the case back to investigation (Art. 19)',
    from: 'public_notice',
    action: 'reinvestigate',
    actor: clerk,
    input: { reasons: '邻居反映申请人有经营收入' },
    facts: { objectionOpen: true },
    to: 'investigating',
  },
  {
    name: 'or the town holds a 民主评议 on the objection (Art. 19)',
    from: 'public_notice',
    action: 'hold_appraisal',
    actor: townReviewer,
    input: { reasons: '村民对家庭人口认定有异议' },
    facts: { objectionOpen: true },
    to: 'appraisal',
  },
  {
    name: 'the appraisal ends in a new initial opinion, here a proposed refusal with reasons',
    from: 'appraisal',
    action: 'complete_appraisal',
    actor: townReviewer,
    input: { opinion: 'refuse', reasons: '评议认定家庭有稳定收入' },
    to: 'opinion_done',
  },
  {
    name: 'a notice that ran its 7 days without objection goes to the county on its last day',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: NOTICE_OVER,
    to: 'county_review',
  },
  {
    name: 'after an objection the new opinion goes to the county without a second notice (Art. 19)',
    from: 'opinion_done',
    action: 'submit_to_county',
    actor: townReviewer,
    facts: { publicNoticeEndsOn: '2015-09-20' },
    to: 'county_review',
  },
  {
    name: 'the county confirms: payment from the month after the decision (Art. 21)',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2015-10' }],
  },
  {
    name: 'the county refuses: the written notice is due within 3 WD, the 调休 Saturday counting (Art. 21)',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    input: REASONS,
    to: 'refused',
    effects: [{ kind: 'notice_due', notice: 'refusal', due: '2015-10-10', reasons: REASONS.reasons }],
  },
  {
    name: 'serving the refusal notice closes the case',
    from: 'refused',
    action: 'serve_refusal_notice',
    actor: clerk,
    to: 'closed',
  },
  ...(
    [
      'accepted',
      'investigating',
      'notified_ineligible',
      'opinion_done',
      'public_notice',
      'appraisal',
      'county_review',
    ] as const
  ).map(
    (from): TransitionRow<Dibao2021State> => ({
      name: `an applicant who will not cooperate is terminated from “${DIBAO_2021.states[from].label}” (Art. 29)`,
      from,
      action: 'terminate',
      actor: townReviewer,
      input: { reasons: '申请人拒不配合入户调查' },
      to: 'terminated',
      effects: [{ kind: 'notice_due', notice: 'termination', due: null, reasons: '申请人拒不配合入户调查' }],
    }),
  ),
];

const variants: TransitionRow<Dibao2021State>[] = [
  {
    name: 'a town reviewer confirms where the county delegated confirmation (Art. 2)',
    from: 'county_review',
    action: 'confirm',
    actor: townReviewer,
    facts: { delegatedToTown: true },
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2015-10' }],
  },
  {
    name: 'the county confirms a close-relative case after its own home visit (Art. 20)',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    facts: { closeRelative: true, countyHomeVisitRecorded: true },
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2015-10' }],
  },
  {
    name: 'a decision on 15 December enrols from January of the next year',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    on: '2015-12-15',
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2016-01' }],
  },
  {
    name: 'a close-relative file reaching the county creates the home-visit task within its 10 WD',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { ...NOTICE_OVER, closeRelative: true },
    to: 'county_review',
    effects: [{ kind: 'task', task: 'county_home_visit', due: '2015-10-20' }],
  },
  {
    name: 'a file with a complaint also needs the county home visit (Art. 20)',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { ...NOTICE_OVER, complaintOnFile: true },
    to: 'county_review',
    effects: [{ kind: 'task', task: 'county_home_visit', due: '2015-10-20' }],
  },
];

const refusals: RefusalRow<Dibao2021State>[] = [
  {
    name: 'the county cannot confirm while the case is still on public notice',
    from: 'public_notice',
    action: 'confirm',
    actor: countyApprover,
    codes: ['wrong_state'],
  },
  {
    name: 'a village assistant cannot confirm a case',
    from: 'county_review',
    action: 'confirm',
    actor: villageAssistant,
    codes: ['role_not_allowed'],
  },
  {
    name: 'a town clerk cannot give the initial opinion',
    from: 'investigating',
    action: 'submit_opinion',
    actor: clerk,
    input: { opinion: 'grant' },
    codes: ['role_not_allowed'],
  },
  {
    name: 'a town reviewer cannot confirm where the county has not delegated confirmation',
    from: 'county_review',
    action: 'confirm',
    actor: townReviewer,
    codes: ['not_delegated'],
  },
  {
    name: 'a town reviewer cannot confirm a close-relative case even where the county delegated confirmation',
    from: 'county_review',
    action: 'confirm',
    actor: townReviewer,
    facts: { delegatedToTown: true, closeRelative: true, countyHomeVisitRecorded: true },
    codes: ['close_relative_county_only'],
  },
  {
    name: 'the county cannot confirm a close-relative case without its home visit',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    facts: { closeRelative: true },
    codes: ['county_home_visit_missing'],
  },
  {
    name: 'the county cannot refuse a case with a complaint without its home visit either',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    facts: { complaintOnFile: true },
    input: REASONS,
    codes: ['county_home_visit_missing'],
  },
  {
    name: 'an official who did the home investigation cannot confirm the case',
    from: 'county_review',
    action: 'confirm',
    actor: investigatingApprover,
    codes: ['investigator_decides'],
  },
  {
    name: 'an official who did the home investigation cannot refuse the case',
    from: 'county_review',
    action: 'refuse',
    actor: investigatingApprover,
    input: REASONS,
    codes: ['investigator_decides'],
  },
  {
    name: 'a related official cannot confirm the case',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    facts: { relatedStaffUserIds: [countyApprover.userId] },
    codes: ['recusal'],
  },
  {
    name: 'a related official cannot start the investigation',
    from: 'accepted',
    action: 'start_investigation',
    actor: clerk,
    facts: { relatedStaffUserIds: [clerk.userId] },
    codes: ['recusal'],
  },
  {
    name: 'a related official cannot be on the investigation team',
    from: 'accepted',
    action: 'start_investigation',
    actor: clerk,
    facts: { relatedStaffUserIds: [11] },
    codes: ['related_investigator'],
  },
  {
    name: 'a related official cannot review the case (initial opinion)',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    facts: { relatedStaffUserIds: [townReviewer.userId] },
    input: { opinion: 'grant' },
    codes: ['recusal'],
  },
  {
    name: 'the opinion needs a home investigation by at least two staff (Art. 16)',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    facts: { investigatorUserIds: [11] },
    input: { opinion: 'grant' },
    codes: ['team_too_small'],
  },
  {
    name: 'the opinion must say grant or refuse',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    codes: ['opinion_required'],
  },
  {
    name: 'a proposed refusal needs its reasons',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    input: { opinion: 'refuse' },
    codes: ['reasons_required'],
  },
  {
    name: 'a refusal without written reasons is refused (Art. 21)',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    codes: ['reasons_required'],
  },
  {
    name: 'blank reasons are no reasons',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    input: { reasons: '   ' },
    codes: ['reasons_required'],
  },
  {
    name: 'the file cannot go to the county before the 7-day notice has ended',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { publicNoticeEndsOn: '2015-10-07' },
    codes: ['public_notice_running'],
  },
  {
    name: 'the file cannot go to the county with an open objection',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { ...NOTICE_OVER, objectionOpen: true },
    codes: ['objection_open'],
  },
  {
    name: 'a first opinion cannot skip the public notice',
    from: 'opinion_done',
    action: 'submit_to_county',
    actor: clerk,
    codes: ['public_notice_missing'],
  },
  {
    name: 'termination for non-cooperation needs its reasons (Art. 29)',
    from: 'investigating',
    action: 'terminate',
    actor: townReviewer,
    codes: ['reasons_required'],
  },
  {
    name: 'a confirmed case cannot be terminated by this procedure',
    from: 'approved',
    action: 'terminate',
    actor: countyApprover,
    input: { reasons: '不配合' },
    codes: ['wrong_state'],
  },
  {
    name: 'an action of another procedure is unknown here',
    from: 'county_review',
    action: 'grant',
    actor: countyApprover,
    codes: ['unknown_action'],
  },
];

describe('dibao 2021 (审核确认办法): allowed transitions', () => {
  it.each([...transitions, ...variants])('$name', (row) => {
    expect(run(DIBAO_2021, row, ON)).toEqual({ ok: true, to: row.to, effects: row.effects ?? [] });
  });

  it('the table takes every transition of the machine', () => {
    expect(uncovered(DIBAO_2021, transitions)).toEqual([]);
  });
});

describe('dibao 2021 (审核确认办法): refusals', () => {
  it.each(refusals)('$name', (row) => {
    expect(codes(run(DIBAO_2021, row, ON))).toEqual(row.codes);
  });

  it('says which state and which action do not fit, in Chinese', () => {
    const decision = run(DIBAO_2021, refusals[0] as RefusalRow<Dibao2021State>, ON);
    expect(decision).toEqual({
      ok: false,
      refusals: [{ code: 'wrong_state', message: '当前状态“公示中”不能执行“确认同意”' }],
    });
  });

  it('names the rule a refusal rests on', () => {
    const decision = run(
      DIBAO_2021,
      {
        name: '',
        from: 'county_review',
        action: 'confirm',
        actor: countyApprover,
        facts: { closeRelative: true },
      },
      ON,
    );
    expect(decision.ok ? null : decision.refusals[0]).toEqual({
      code: 'county_home_visit_missing',
      message: '近亲属备案家庭须先登记县级入户核查，方可作出决定',
      source: '《最低生活保障审核确认办法》第二十条',
    });
  });
});

describe('dibao 2021 (审核确认办法): time limits', () => {
  it.each([
    ['accepted', '2015-09-30', '2015-10-10', 'start the investigation ≤ 3 WD, the 调休 Saturday counts'],
    ['public_notice', '2015-09-30', '2015-10-07', '7 calendar days, the holiday does not stop it'],
    [
      'county_review',
      '2015-09-28',
      '2015-10-16',
      'county opinion ≤ 10 WD, the National Day week does not count',
    ],
    ['refused', '2015-10-16', '2015-10-21', 'refusal notice ≤ 3 WD across a weekend'],
  ] as const)('%s entered on %s is due on %s (%s)', (state, enteredOn, due, _why) => {
    expect(stepDeadline(DIBAO_2021, state, enteredOn, CAL_2015)?.due).toBe(due);
  });

  it('the investigation itself has no separate clock; the overall limit covers it', () => {
    expect(stepDeadline(DIBAO_2021, 'investigating', ON, CAL_2015)).toBeNull();
  });

  it('reports the unit and the rule of a clock', () => {
    expect(stepDeadline(DIBAO_2021, 'public_notice', ON, CAL_2015)).toEqual({
      due: '2015-10-07',
      limit: 7,
      unit: 'days',
      source: '《最低生活保障审核确认办法》第十九条',
    });
  });

  it.each([
    [{ delegatedToTown: false }, 30, 'the county confirms: 30 WD (Art. 22)'],
    [{ delegatedToTown: true }, 20, 'the town confirms under delegation: 20 WD (2022 通知 §4(1))'],
    [{ delegatedToTown: false, extendedTimeLimit: true }, 45, 'special cases: up to 45 WD'],
    [{ delegatedToTown: true, extendedTimeLimit: true }, 45, 'the extension applies under delegation too'],
  ] as const)('overall limit %o is %i WD (%s)', (facts, workingDays, _why) => {
    expect(overallLimit(facts).workingDays).toBe(workingDays);
  });

  it('counts the overall limit in working days from acceptance', () => {
    expect(overallDeadline('2015-09-28', { delegatedToTown: false }, CAL_2015)).toBe('2015-11-13');
    expect(overallDeadline('2015-09-28', { delegatedToTown: false }, EMPTY_CALENDAR)).toBe('2015-11-09');
  });
});
