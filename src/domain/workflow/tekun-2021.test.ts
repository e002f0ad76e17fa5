import { describe, expect, it } from 'vitest';
import { stepDeadline } from './machine.ts';
import {
  assessSelfCare,
  type SelfCareItems,
  TEKUN_2016,
  TEKUN_2021,
  TEKUN_TERMINATION,
  type TekunState,
  type TekunTerminationState,
} from './tekun-2021.ts';
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
const NOTICE_OVER = { publicNoticeEndsOn: '2015-09-30' };
const ASSESSED = { selfCareLevel: 'partly_dependent' } as const;

describe('特困 self-care assessment (Arts. 20–23)', () => {
  const all: SelfCareItems = {
    eating: true,
    dressing: true,
    bed: true,
    toileting: true,
    walking: true,
    bathing: true,
  };
  it.each([
    [{}, 'self_reliant', 'all six achieved → 全自理'],
    [{ bathing: false }, 'partly_dependent', 'one not achieved → 半失能'],
    [{ bathing: false, walking: false, bed: false }, 'partly_dependent', 'three not achieved → still 半失能'],
    [
      { bathing: false, walking: false, bed: false, dressing: false },
      'fully_dependent',
      'four not achieved → 全失能',
    ],
    [
      { eating: false, dressing: false, bed: false, toileting: false, walking: false, bathing: false },
      'fully_dependent',
      'none achieved → 全失能',
    ],
  ] as const)('%o → %s (%s)', (missing, level, _why) => {
    expect(assessSelfCare({ ...all, ...missing })).toBe(level);
  });
});

const recognition: TransitionRow<TekunState>[] = [
  {
    name: 'the town may hold a 民主评议 as it sees fit (Art. 14)',
    from: 'investigating',
    action: 'hold_appraisal',
    actor: clerk,
    to: 'appraisal',
  },
  {
    name: 'the town proposes recognition once the self-care assessment is recorded (Arts. 13, 20)',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    facts: ASSESSED,
    input: { opinion: 'grant' },
    to: 'opinion_done',
  },
  {
    name: 'the opinion after an appraisal',
    from: 'appraisal',
    action: 'submit_opinion',
    actor: townReviewer,
    facts: ASSESSED,
    input: { opinion: 'grant' },
    to: 'opinion_done',
  },
  {
    name: 'a new opinion after an objection, here a proposed refusal (Art. 15)',
    from: 'reinvestigating',
    action: 'submit_opinion',
    actor: townReviewer,
    input: { opinion: 'refuse', reasons: '其子具备赡养能力' },
    to: 'opinion_done',
  },
  {
    name: 'the notice runs 7 calendar days (Art. 15)',
    from: 'opinion_done',
    action: 'start_public_notice',
    actor: villageAssistant,
    to: 'public_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'an objection: re-investigate and form a new opinion within 15 WD (Art. 15)',
    from: 'public_notice',
    action: 'reinvestigate_on_objection',
    actor: clerk,
    input: { reasons: '村民反映其有承包地流转收入' },
    to: 'reinvestigating',
  },
  {
    name: 'the notice over without objection, the file goes to the county',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: NOTICE_OVER,
    to: 'county_review',
  },
  {
    name: 'the county recognises the person, support from the next month in the chosen form (Art. 17)',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    facts: ASSESSED,
    input: { supportMode: 'dispersed' },
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2015-10', supportMode: 'dispersed' }],
  },
  {
    name: 'the county refuses: written notice within 3 WD (Art. 18)',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    input: { reasons: '不符合无劳动能力条件' },
    to: 'refused',
    effects: [{ kind: 'notice_due', notice: 'refusal', due: '2015-10-10', reasons: '不符合无劳动能力条件' }],
  },
  {
    name: 'serving the refusal notice closes the case',
    from: 'refused',
    action: 'serve_refusal_notice',
    actor: clerk,
    to: 'closed',
  },
];

const recognitionVariants: TransitionRow<TekunState>[] = [
  {
    name: 'recognition on 15 December 2015 supports from January 2016, in a care home',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    facts: ASSESSED,
    input: { supportMode: 'centralized' },
    on: '2015-12-15',
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2016-01', supportMode: 'centralized' }],
  },
  {
    name: 'a town reviewer recognises where the county delegated confirmation (Art. 28)',
    from: 'county_review',
    action: 'confirm',
    actor: townReviewer,
    facts: { ...ASSESSED, delegatedToTown: true },
    input: { supportMode: 'dispersed' },
    to: 'approved',
    effects: [{ kind: 'enrol', fromMonth: '2015-10', supportMode: 'dispersed' }],
  },
  {
    name: 'a close-relative file reaching the county creates the home-visit task within its 15 WD',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { ...NOTICE_OVER, closeRelative: true },
    to: 'county_review',
    effects: [{ kind: 'task', task: 'county_home_visit', due: '2015-10-27' }],
  },
];

const recognitionRefusals: RefusalRow<TekunState>[] = [
  {
    name: 'recognition must record 集中 or 分散供养',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    facts: ASSESSED,
    codes: ['support_mode_required'],
  },
  {
    name: 'recognition needs the self-care assessment (Arts. 20–23)',
    from: 'county_review',
    action: 'confirm',
    actor: countyApprover,
    input: { supportMode: 'dispersed' },
    codes: ['self_care_missing'],
  },
  {
    name: 'a proposed grant needs the self-care assessment',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    input: { opinion: 'grant' },
    codes: ['self_care_missing'],
  },
  {
    name: 'a town reviewer cannot recognise without delegation',
    from: 'county_review',
    action: 'confirm',
    actor: townReviewer,
    facts: ASSESSED,
    input: { supportMode: 'dispersed' },
    codes: ['not_delegated'],
  },
  {
    name: 'a town reviewer cannot recognise a close-relative case even under delegation',
    from: 'county_review',
    action: 'confirm',
    actor: townReviewer,
    facts: { ...ASSESSED, delegatedToTown: true, closeRelative: true, countyHomeVisitRecorded: true },
    input: { supportMode: 'dispersed' },
    codes: ['close_relative_county_only'],
  },
  {
    name: 'an official who did the investigation cannot recognise the person',
    from: 'county_review',
    action: 'confirm',
    actor: investigatingApprover,
    facts: ASSESSED,
    input: { supportMode: 'dispersed' },
    codes: ['investigator_decides'],
  },
  {
    name: 'a related official cannot give the initial opinion',
    from: 'investigating',
    action: 'submit_opinion',
    actor: townReviewer,
    facts: { ...ASSESSED, relatedStaffUserIds: [townReviewer.userId] },
    input: { opinion: 'grant' },
    codes: ['recusal'],
  },
  {
    name: 'the file cannot go to the county before the notice has ended',
    from: 'public_notice',
    action: 'submit_to_county',
    actor: clerk,
    facts: { publicNoticeEndsOn: '2015-10-07' },
    codes: ['public_notice_running'],
  },
  {
    name: 'a refusal needs written reasons (Art. 18)',
    from: 'county_review',
    action: 'refuse',
    actor: countyApprover,
    codes: ['reasons_required'],
  },
  {
    name: 'the county cannot recognise a person while the notice runs',
    from: 'public_notice',
    action: 'confirm',
    actor: countyApprover,
    codes: ['wrong_state'],
  },
];

describe('特困 recognition 2021 (特困人员认定办法): allowed transitions', () => {
  it.each([...recognition, ...recognitionVariants])('$name', (row) => {
    expect(run(TEKUN_2021, row, ON)).toEqual({ ok: true, to: row.to, effects: row.effects ?? [] });
  });

  it('the table takes every transition of the machine', () => {
    expect(uncovered(TEKUN_2021, recognition)).toEqual([]);
  });
});

describe('特困 recognition 2021 (特困人员认定办法): refusals', () => {
  it.each(recognitionRefusals)('$name', (row) => {
    expect(codes(run(TEKUN_2021, row, ON))).toEqual(row.codes);
  });
});

describe('特困 recognition before 2021 (2016 办法)', () => {
  it('has the same shape as the 2021 procedure', () => {
    expect(TEKUN_2016.actions.map((a) => [a.action, a.from, a.to])).toEqual(
      TEKUN_2021.actions.map((a) => [a.action, a.from, a.to]),
    );
    expect(TEKUN_2016.label).toBe('特困人员认定（2016—2021年）');
  });

  it('did not require the six-item self-care assessment', () => {
    const row: TransitionRow<TekunState> = {
      name: '',
      from: 'county_review',
      action: 'confirm',
      actor: countyApprover,
      input: { supportMode: 'dispersed' },
      to: 'approved',
    };
    expect(run(TEKUN_2016, row, ON)).toEqual({
      ok: true,
      to: 'approved',
      effects: [{ kind: 'enrol', fromMonth: '2015-10', supportMode: 'dispersed' }],
    });
  });
});

describe('特困 recognition: time limits', () => {
  it.each([
    [
      'tekun_2021',
      'investigating',
      '2015-09-28',
      '2015-10-23',
      'town opinion ≤ 15 WD of acceptance (Art. 13)',
    ],
    [
      'tekun_2021',
      'reinvestigating',
      '2015-09-28',
      '2015-10-23',
      'new opinion ≤ 15 WD after an objection (Art. 15)',
    ],
    ['tekun_2021', 'public_notice', '2015-09-30', '2015-10-07', 'notice 7 calendar days (Art. 15)'],
    ['tekun_2021', 'county_review', '2015-09-28', '2015-10-23', 'county ≤ 15 WD (Art. 16)'],
    ['tekun_2021', 'refused', '2015-09-30', '2015-10-10', 'refusal notice ≤ 3 WD (Art. 18)'],
    ['tekun_2016', 'investigating', '2015-09-28', '2015-10-30', 'town ≤ 20 WD under the 2016 办法'],
    ['tekun_2016', 'county_review', '2015-09-28', '2015-10-30', 'county ≤ 20 WD under the 2016 办法'],
  ] as const)('%s: %s entered on %s is due on %s (%s)', (code, state, enteredOn, due, _why) => {
    const machine = code === 'tekun_2021' ? TEKUN_2021 : TEKUN_2016;
    expect(stepDeadline(machine, state, enteredOn, CAL_2015)?.due).toBe(due);
  });
});

const termination: TransitionRow<TekunTerminationState>[] = [
  {
    name: 'the village committee reports that the person regained work ability (Arts. 24, 26)',
    from: 'enrolled',
    action: 'report_termination',
    actor: villageAssistant,
    input: { terminationReason: 'work_ability' },
    to: 'termination_investigating',
  },
  {
    name: 'a recorded death goes straight to approval, without a 公示',
    from: 'enrolled',
    action: 'record_death',
    actor: clerk,
    input: { deathDate: '2015-09-20' },
    to: 'termination_review',
  },
  {
    name: 'the investigation finds no ground: support continues',
    from: 'termination_investigating',
    action: 'dismiss_termination',
    actor: townReviewer,
    input: { reasons: '经核实仍无劳动能力' },
    to: 'enrolled',
  },
  {
    name: 'the re-investigation of an objection finds no ground: support continues',
    from: 'termination_reinvestigating',
    action: 'dismiss_termination',
    actor: townReviewer,
    input: { reasons: '异议成立，仍符合条件' },
    to: 'enrolled',
  },
  {
    name: 'the town proposes termination and posts it for 7 days first (Art. 25)',
    from: 'termination_investigating',
    action: 'start_termination_notice',
    actor: townReviewer,
    input: { reasons: '已依法被判处刑罚并在监狱服刑' },
    to: 'termination_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'after an objection the termination is posted again (Art. 25)',
    from: 'termination_reinvestigating',
    action: 'start_termination_notice',
    actor: townReviewer,
    input: { reasons: '经复查，收入超过当地低保标准' },
    to: 'termination_notice',
    effects: [{ kind: 'public_notice', endsOn: '2015-10-07' }],
  },
  {
    name: 'an objection to the termination notice: investigate and decide within 15 WD (Art. 25)',
    from: 'termination_notice',
    action: 'reinvestigate_termination',
    actor: clerk,
    input: { reasons: '村民反映其服刑已期满' },
    to: 'termination_reinvestigating',
  },
  {
    name: 'the termination notice over without objection, the county is asked to approve',
    from: 'termination_notice',
    action: 'submit_termination',
    actor: clerk,
    facts: NOTICE_OVER,
    to: 'termination_review',
  },
  {
    name: 'the county approves: support stops from the next month, with written reasons (Arts. 25–26)',
    from: 'termination_review',
    action: 'approve_termination',
    actor: countyApprover,
    facts: { terminationReason: 'imprisonment' },
    to: 'terminated',
    effects: [
      { kind: 'stop_payment', fromMonth: '2015-10' },
      { kind: 'notice_due', notice: 'termination', due: null },
    ],
  },
  {
    name: 'the county finds no ground to terminate',
    from: 'termination_review',
    action: 'reject_termination',
    actor: countyApprover,
    facts: { terminationReason: 'means_test_failed' },
    input: { reasons: '一次性收入不计入' },
    to: 'enrolled',
  },
];

const terminationVariants: TransitionRow<TekunTerminationState>[] = [
  {
    name: 'a death stops support from the month after the death, not after the decision',
    from: 'termination_review',
    action: 'approve_termination',
    actor: countyApprover,
    facts: { terminationReason: 'death', deathDate: '2015-08-31' },
    to: 'terminated',
    effects: [{ kind: 'stop_payment', fromMonth: '2015-09' }],
  },
  {
    name: 'a termination approved on 15 December stops from January',
    from: 'termination_review',
    action: 'approve_termination',
    actor: countyApprover,
    facts: { terminationReason: 'voluntary_exit' },
    on: '2015-12-15',
    to: 'terminated',
    effects: [
      { kind: 'stop_payment', fromMonth: '2016-01' },
      { kind: 'notice_due', notice: 'termination', due: null },
    ],
  },
  {
    name: 'a town reviewer approves a termination where the county delegated (Art. 28)',
    from: 'termination_review',
    action: 'approve_termination',
    actor: townReviewer,
    facts: { terminationReason: 'supporter_capable', delegatedToTown: true },
    to: 'terminated',
    effects: [
      { kind: 'stop_payment', fromMonth: '2015-10' },
      { kind: 'notice_due', notice: 'termination', due: null },
    ],
  },
  {
    name: 'a minor who turned 18 and left school is reported',
    from: 'enrolled',
    action: 'report_termination',
    actor: clerk,
    input: { terminationReason: 'came_of_age' },
    to: 'termination_investigating',
  },
];

const terminationRefusals: RefusalRow<TekunTerminationState>[] = [
  {
    name: 'a death is recorded with its date, not reported as an ordinary termination',
    from: 'enrolled',
    action: 'report_termination',
    actor: clerk,
    input: { terminationReason: 'death' },
    codes: ['use_record_death'],
  },
  {
    name: 'a report must say which ground applies',
    from: 'enrolled',
    action: 'report_termination',
    actor: clerk,
    codes: ['termination_reason_required'],
  },
  {
    name: 'a death needs its date',
    from: 'enrolled',
    action: 'record_death',
    actor: clerk,
    codes: ['death_date_required'],
  },
  {
    name: 'a death cannot be dated after the day it is recorded',
    from: 'enrolled',
    action: 'record_death',
    actor: clerk,
    input: { deathDate: '2015-10-01' },
    codes: ['death_date_future'],
  },
  {
    name: 'other grounds cannot skip the 7-day notice: no approval straight from 在供养',
    from: 'enrolled',
    action: 'approve_termination',
    actor: countyApprover,
    facts: { terminationReason: 'voluntary_exit' },
    codes: ['wrong_state'],
  },
  {
    name: 'the termination cannot go to the county before its notice has ended',
    from: 'termination_notice',
    action: 'submit_termination',
    actor: clerk,
    facts: { publicNoticeEndsOn: '2015-10-07' },
    codes: ['public_notice_running'],
  },
  {
    name: 'the termination notice needs written reasons (Art. 26)',
    from: 'termination_investigating',
    action: 'start_termination_notice',
    actor: townReviewer,
    codes: ['reasons_required'],
  },
  {
    name: 'the county cannot approve without a recorded ground',
    from: 'termination_review',
    action: 'approve_termination',
    actor: countyApprover,
    codes: ['termination_reason_missing'],
  },
  {
    name: 'a town reviewer cannot approve a termination without delegation',
    from: 'termination_review',
    action: 'approve_termination',
    actor: townReviewer,
    facts: { terminationReason: 'imprisonment' },
    codes: ['not_delegated'],
  },
];

describe('特困 termination (Arts. 24–27): allowed transitions', () => {
  it.each([...termination, ...terminationVariants])('$name', (row) => {
    expect(run(TEKUN_TERMINATION, row, ON)).toEqual({ ok: true, to: row.to, effects: row.effects ?? [] });
  });

  it('the table takes every transition of the machine', () => {
    expect(uncovered(TEKUN_TERMINATION, termination)).toEqual([]);
  });
});

describe('特困 termination (Arts. 24–27): refusals', () => {
  it.each(terminationRefusals)('$name', (row) => {
    expect(codes(run(TEKUN_TERMINATION, row, ON))).toEqual(row.codes);
  });

  it.each([
    ['termination_notice', '2015-09-30', '2015-10-07'],
    ['termination_reinvestigating', '2015-09-28', '2015-10-23'],
  ] as const)('%s entered on %s is due on %s', (state, enteredOn, due) => {
    expect(stepDeadline(TEKUN_TERMINATION, state, enteredOn, CAL_2015)?.due).toBe(due);
  });
});
