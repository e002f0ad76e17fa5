/**
 * Shared fixtures for the workflow tests (imported by *.test.ts only): a holiday calendar, actors,
 * case facts, and table runners that also check a transition table covers a whole machine.
 */
import type { WorkCalendar } from '../calendar/working-days.ts';
import {
  type ActionInput,
  type Actor,
  actorOf,
  type CaseFacts,
  type Decision,
  decide,
  type Effect,
  type MachineDef,
  type ProcedureCode,
} from './machine.ts';

/** National Day 2015: 1–7 October off (3, 4 a weekend), Saturday 10 October worked (调休). */
export const CAL_2015: WorkCalendar = {
  holidays: new Set(['2015-10-01', '2015-10-02', '2015-10-05', '2015-10-06', '2015-10-07']),
  workdays: new Set(['2015-10-10']),
};

export const clerk = actorOf(1, 'town_clerk');
export const townReviewer = actorOf(2, 'town_reviewer');
export const countyApprover = actorOf(3, 'county_approver');
export const villageAssistant = actorOf(4, 'village_assistant');
export const countyAdmin = actorOf(5, 'county_admin');
export const auditor = actorOf(6, 'auditor');
/** Two staff who did the home investigation. */
export const investigatorA = actorOf(11, 'town_clerk');
export const investigatorB = actorOf(12, 'town_reviewer');
/** A county approver who joined the investigation. */
export const investigatingApprover = actorOf(12, 'county_approver');

export function factsFor(procedure: ProcedureCode, over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    procedure,
    delegatedToTown: false,
    closeRelative: false,
    relatedStaffUserIds: [],
    investigatorUserIds: [investigatorA.userId, investigatorB.userId],
    countyHomeVisitRecorded: false,
    publicNoticeEndsOn: null,
    objectionOpen: false,
    ...over,
  };
}

export interface Row<S extends string> {
  name: string;
  from: S;
  action: string;
  actor: Actor;
  facts?: Partial<CaseFacts>;
  input?: ActionInput;
  /** Decision date; defaults to the table's date. */
  on?: string;
}

export interface TransitionRow<S extends string> extends Row<S> {
  to: S;
  /** Exactly the effects expected (none when omitted). */
  effects?: Effect[];
}

export interface RefusalRow<S extends string> extends Row<S> {
  /** Exactly the refusal codes expected, in order. */
  codes: string[];
}

export function run<S extends string>(machine: MachineDef<S>, row: Row<S>, on: string): Decision<S> {
  return decide(machine, {
    state: row.from,
    facts: factsFor(machine.code, row.facts),
    actor: row.actor,
    action: row.action,
    input: row.input ?? {},
    decidedOn: row.on ?? on,
    calendar: CAL_2015,
  });
}

/** Transitions of the machine ("from —action→ to") that no row of the table takes. */
export function uncovered<S extends string>(machine: MachineDef<S>, rows: TransitionRow<S>[]): string[] {
  const taken = new Set(rows.map((r) => `${r.from} —${r.action}→ ${r.to}`));
  return machine.actions
    .flatMap((a) => a.from.map((from) => `${from} —${a.action}→ ${a.to}`))
    .filter((t) => !taken.has(t));
}

export function codes<S extends string>(decision: Decision<S>): string[] {
  return decision.ok ? [] : decision.refusals.map((r) => r.code);
}
