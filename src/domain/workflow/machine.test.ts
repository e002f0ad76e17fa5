import { describe, expect, it } from 'vitest';
import { ROLE_CODES } from '../access/roles.ts';
import { DIBAO_2021 } from './dibao-2021.ts';
import { actorOf, availableActions, decide, type MachineDef, stepDeadline } from './machine.ts';
import { MACHINES } from './procedures.ts';
import {
  CAL_2015,
  clerk,
  countyApprover,
  factsFor,
  investigatingApprover,
  townReviewer,
  uncovered,
  villageAssistant,
} from './testing.ts';

const ALL = Object.values(MACHINES) as MachineDef<string>[];
const CHINESE = /[\u4e00-\u9fff]/;

function reachable(machine: MachineDef<string>): Set<string> {
  const seen = new Set([machine.initial]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of machine.actions) {
      if (a.from.some((s) => seen.has(s)) && !seen.has(a.to)) {
        seen.add(a.to);
        grew = true;
      }
    }
  }
  return seen;
}

describe.each(ALL.map((m) => [m.code, m] as const))('machine %s is well formed', (_code, machine) => {
  const states = Object.keys(machine.states);

  it('starts in a state that is not terminal', () => {
    expect(machine.states[machine.initial]?.terminal).toBeFalsy();
  });

  it('leads only between its own states, with unique action codes', () => {
    for (const a of machine.actions) expect(states).toEqual(expect.arrayContaining([...a.from, a.to]));
    const actionCodes = machine.actions.map((a) => a.action);
    expect(new Set(actionCodes).size).toBe(actionCodes.length);
  });

  it('has a way out of every state but the terminal ones, and none out of those', () => {
    for (const state of states) {
      const out = machine.actions.some((a) => a.from.includes(state));
      expect([state, out]).toEqual([state, !machine.states[state]?.terminal]);
    }
  });

  it('can reach every state from the start', () => {
    expect([...reachable(machine)].sort()).toEqual([...states].sort());
  });

  it('labels states, actions and clocks in Chinese, and cites the rule of every clock', () => {
    expect(machine.label).toMatch(CHINESE);
    expect(machine.source).toMatch(CHINESE);
    for (const s of Object.values(machine.states)) {
      expect(s.label).toMatch(CHINESE);
      if (s.timeLimit) expect(s.timeLimit.source).toMatch(CHINESE);
    }
    for (const a of machine.actions) expect(a.label).toMatch(CHINESE);
  });

  it('never throws: every action from every state by every role gives a decision', () => {
    for (const state of states) {
      for (const action of machine.actions) {
        for (const role of ROLE_CODES) {
          const decision = decide(machine, {
            state,
            facts: factsFor(machine.code),
            actor: actorOf(99, role),
            action: action.action,
            decidedOn: '2015-09-30',
            calendar: CAL_2015,
          });
          expect(typeof decision.ok).toBe('boolean');
        }
      }
    }
  });
});

describe('decide', () => {
  const base = {
    state: 'county_review' as const,
    facts: factsFor('dibao_2021'),
    actor: countyApprover,
    decidedOn: '2015-09-30',
    calendar: CAL_2015,
  };

  it('refuses an unknown action by name', () => {
    expect(decide(DIBAO_2021, { ...base, action: 'approve_all' })).toEqual({
      ok: false,
      refusals: [{ code: 'unknown_action', message: '未知操作：approve_all' }],
    });
  });

  it('refuses an unknown state and a malformed date instead of guessing', () => {
    const unknownState = decide(DIBAO_2021, { ...base, state: 'limbo' as 'accepted', action: 'confirm' });
    expect(unknownState.ok ? null : unknownState.refusals[0]?.code).toBe('unknown_state');
    const badDate = decide(DIBAO_2021, { ...base, action: 'confirm', decidedOn: '2015-9-30' });
    expect(badDate.ok ? null : badDate.refusals[0]?.code).toBe('invalid_date');
  });

  it('names the role that may not act', () => {
    expect(decide(DIBAO_2021, { ...base, actor: villageAssistant, action: 'confirm' })).toEqual({
      ok: false,
      refusals: [{ code: 'role_not_allowed', message: '您的角色（村级协理员）不能执行此操作' }],
    });
  });

  it('lists every guard that fails at once, so the user sees all that is missing', () => {
    const facts = factsFor('dibao_2021', {
      delegatedToTown: true,
      closeRelative: true,
      relatedStaffUserIds: [investigatingApprover.userId],
    });
    const decision = decide(DIBAO_2021, {
      ...base,
      facts,
      actor: actorOf(investigatingApprover.userId, 'town_reviewer'),
      action: 'confirm',
    });
    expect(decision.ok ? [] : decision.refusals.map((r) => r.code)).toEqual([
      'close_relative_county_only',
      'recusal',
      'investigator_decides',
      'county_home_visit_missing',
    ]);
  });

  it('checks the form only once the actor may act (no "fill in reasons" for the wrong role)', () => {
    const decision = decide(DIBAO_2021, { ...base, actor: clerk, action: 'refuse' });
    expect(decision.ok ? [] : decision.refusals.map((r) => r.code)).toEqual(['role_not_allowed']);
  });
});

describe('availableActions', () => {
  it('shows the county what it can do next and what blocks it', () => {
    const actions = availableActions(DIBAO_2021, {
      state: 'county_review',
      facts: factsFor('dibao_2021', { closeRelative: true }),
      actor: countyApprover,
      on: '2015-09-30',
    });
    expect(actions.map((a) => [a.action, a.label, a.allowed, a.refusals.map((r) => r.code)])).toEqual([
      ['confirm', '确认同意', false, ['county_home_visit_missing']],
      ['refuse', '不予确认', false, ['county_home_visit_missing']],
      ['terminate', '终止审核确认（拒不配合）', true, []],
    ]);
  });

  it('offers a refusal as allowed before its reasons are written, and says which fields it asks for', () => {
    const refuse = availableActions(DIBAO_2021, {
      state: 'county_review',
      facts: factsFor('dibao_2021'),
      actor: countyApprover,
      on: '2015-09-30',
    }).find((a) => a.action === 'refuse');
    expect(refuse).toMatchObject({ allowed: true, fields: ['reasons'], to: 'refused' });
  });

  it('marks actions of other roles so the UI can show who acts next', () => {
    const actions = availableActions(DIBAO_2021, {
      state: 'accepted',
      facts: factsFor('dibao_2021'),
      actor: villageAssistant,
      on: '2015-09-30',
    });
    expect(actions.map((a) => [a.action, a.refusals[0]?.code])).toEqual([
      ['start_investigation', 'role_not_allowed'],
      ['terminate', 'role_not_allowed'],
    ]);
  });

  it('offers nothing in a terminal state', () => {
    const facts = factsFor('dibao_2021');
    expect(
      availableActions(DIBAO_2021, { state: 'approved', facts, actor: townReviewer, on: '2015-09-30' }),
    ).toEqual([]);
  });
});

describe('stepDeadline', () => {
  it('counts working days after the day the state was entered, skipping the holiday', () => {
    expect(stepDeadline(DIBAO_2021, 'accepted', '2015-09-30', CAL_2015)).toEqual({
      due: '2015-10-10',
      limit: 3,
      unit: 'working_days',
      source: '《最低生活保障审核确认办法》第十五条',
    });
  });

  it('is null for a state without a clock', () => {
    expect(stepDeadline(DIBAO_2021, 'approved', '2015-09-30', CAL_2015)).toBeNull();
  });
});

describe('actorOf and the coverage helper', () => {
  it('takes the level from the role', () => {
    expect(actorOf(7, 'town_reviewer')).toEqual({ userId: 7, role: 'town_reviewer', level: 'town' });
    expect(actorOf(8, 'county_approver').level).toBe('county');
  });

  it('lists the transitions an empty table leaves untaken', () => {
    expect(uncovered(DIBAO_2021, [])).toContain('county_review —confirm→ approved');
  });
});
