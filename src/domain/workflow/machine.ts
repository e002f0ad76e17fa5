/**
 * The case-workflow engine (docs/decisions/0005-case-workflow.md): every procedure is a state machine
 * written as data — states with their statutory time limits, actions with who may take them, guards
 * that refuse with reasons in Chinese, and the effects of a decision. Pure: no database, no clock;
 * dates are 'YYYY-MM-DD' strings passed in, working days come from the calendar passed in.
 */

import { ROLES, type Role } from '../access/roles.ts';
import { addDays, isIsoDate } from '../calendar/dates.ts';
import { addWorkingDays, type WorkCalendar } from '../calendar/working-days.ts';

/** Every procedure the engine knows; a case records which one it follows (see procedures.ts). */
export type ProcedureCode =
  | 'dibao_2012'
  | 'dibao_2021'
  | 'dibao_changes'
  | 'tekun_2016'
  | 'tekun_2021'
  | 'tekun_termination'
  | 'temporary_aid';

/** Who acts. `level` is the role's level (DOMAIN §1); guards use it for delegation rules. */
export interface Actor {
  userId: number;
  role: Role;
  level: 'county' | 'town';
}

/** An actor whose level is taken from the role table, so the two cannot disagree. */
export function actorOf(userId: number, role: Role): Actor {
  return { userId, role, level: ROLES[role].level };
}

/** 特困 self-care band (DOMAIN §5.4 Arts. 20–23). */
export type SelfCareLevel = 'self_reliant' | 'partly_dependent' | 'fully_dependent';
/** 特困 support form, the person's choice (DOMAIN §5.1 Art. 12, §5.2 Art. 19). */
export type SupportMode = 'centralized' | 'dispersed';
/** 临时救助 type (DOMAIN §6.1, 2018 意见). */
export type AidType = 'emergency' | 'expenditure';
/** Why a 特困 person's support ends (DOMAIN §5.4 Arts. 24–25). */
export type TekunTerminationReason =
  | 'death'
  | 'work_ability'
  | 'imprisonment'
  | 'means_test_failed'
  | 'supporter_capable'
  | 'voluntary_exit'
  | 'came_of_age';

/** What the case record says, as far as a guard or an effect needs it. */
export interface CaseFacts {
  procedure: ProcedureCode;
  /** The county delegated confirmation to the town (DOMAIN §1; 审核确认办法 Art. 2; 特困认定办法 Art. 28). */
  delegatedToTown: boolean;
  /** The household contains a registered close relative of an official (DOMAIN §10). */
  closeRelative: boolean;
  /** Users who are the related officials: they must recuse themselves (DOMAIN §10). */
  relatedStaffUserIds: number[];
  /** Who did the home investigation (separation of duties, ADR 0005). */
  investigatorUserIds: number[];
  countyHomeVisitRecorded: boolean;
  /** A complaint or report (举报) about the case: the county must visit too (DOMAIN §4.6 Art. 20, §4.5 Art. 26). */
  complaintOnFile?: boolean;
  /** The last day of the current or last public notice (公示); null when none was posted. */
  publicNoticeEndsOn: string | null;
  /** An objection to the public notice has been received and not yet dealt with. */
  objectionOpen: boolean;
  /** The special-case extension to 45 WD applies (DOMAIN §4.6 Art. 22; 2022 通知 §4(1)). */
  extendedTimeLimit?: boolean;
  /** Proposed or granted amount, integer fen. */
  amountFen?: number | null;
  /** 临时救助: the largest amount the town may approve under delegation (DOMAIN §6.3). */
  townApprovalLimitFen?: number | null;
  /** 临时救助: the largest advance (先行救助) the town may give; null = no local cap (DOMAIN §6.3). */
  townAdvanceLimitFen?: number | null;
  /** 临时救助: working days to complete the paperwork after an advance; default 5 (DOMAIN §6.3). */
  advancePaperworkWorkingDays?: number | null;
  aidType?: AidType | null;
  /** 特困: the recorded self-care assessment (DOMAIN §5.4 Arts. 20–23). */
  selfCareLevel?: SelfCareLevel | null;
  /** 特困 termination: the reported reason; a recorded death sets 'death' and the date of death. */
  terminationReason?: TekunTerminationReason | null;
  deathDate?: string | null;
  /** Enrolled dibao: number of members counted in the case (a single-person case is cancelled on death). */
  householdSize?: number | null;
  /** Enrolled dibao: last month of the running 渐退期. */
  gradualExitLastMonth?: string | null;
  /** 特困: the recorded conditions of Art. 4 (2) no livelihood and (3) no capable supporter (DOMAIN §5.4). */
  tekunCriteria?: { noLivelihood: boolean; livelihoodNote: string; supporter: string } | null;
}

/** What the user filled in for the action; each machine validates the fields it needs. */
export interface ActionInput {
  /** Written reasons: refusal, reduction, stop, termination, or the summary of an objection. */
  reasons?: string;
  /** The town's initial opinion (初审意见): propose to grant or to refuse. */
  opinion?: 'grant' | 'refuse';
  supportMode?: SupportMode;
  /** 渐退期 length in months (1–6). */
  exitMonths?: number;
  deathDate?: string;
  terminationReason?: TekunTerminationReason;
  /** Transfer to another town of the county: its 9-digit area code. */
  toTownCode?: string;
  /** 临时救助: a shortened public notice (days, 1–7). */
  noticeDays?: number;
}

export type InputField = keyof ActionInput;

export interface Refusal {
  code: string;
  /** Shown to the user, in Chinese. */
  message: string;
  /** The rule the refusal rests on, in Chinese. */
  source?: string;
}

export type NoticeKind = 'refusal' | 'decision' | 'missing_materials' | 'termination';
export type TaskKind = 'recheck_after_death' | 'complete_paperwork' | 'county_home_visit';

/** What a decision causes outside the case state; the module turns these into rows. */
export type Effect =
  | { kind: 'enrol'; fromMonth: string; supportMode?: SupportMode }
  | { kind: 'stop_payment'; fromMonth: string }
  | { kind: 'change_amount'; direction: 'increase' | 'decrease'; fromMonth: string }
  | { kind: 'gradual_exit'; fromMonth: string; lastMonth: string }
  /** A written notice; `due` is null where the rule sets no deadline ("promptly"). */
  | { kind: 'notice_due'; notice: NoticeKind; due: string | null; reasons?: string }
  | { kind: 'task'; task: TaskKind; due: string }
  | { kind: 'public_notice'; endsOn: string }
  | { kind: 'disburse'; amountFen: number }
  | { kind: 'transfer'; toTownCode: string };

export interface TimeLimit {
  amount: number;
  unit: 'working_days' | 'days';
  /** The rule, in Chinese. */
  source: string;
}

export interface StateDef {
  label: string;
  terminal?: boolean;
  /** How long the case may stay in this state, counted from the day it entered it. */
  timeLimit?: TimeLimit;
}

/** What a guard sees: who wants to act, on which case, on which day. No user input. */
export interface GuardContext<S extends string> {
  state: S;
  facts: CaseFacts;
  actor: Actor;
  on: string;
}

export interface DecisionContext<S extends string> extends GuardContext<S> {
  input: ActionInput;
  calendar: WorkCalendar;
}

export interface ActionDef<S extends string> {
  action: string;
  /** Button text, in Chinese. */
  label: string;
  from: readonly S[];
  to: S;
  roles: readonly Role[];
  /** Form fields the action asks for (a hint for the UI; `validate` enforces them). */
  fields?: readonly InputField[];
  // Method signatures (not arrow properties) on purpose: their parameters are bivariant, so any
  // machine is also a MachineDef<string> for code that handles all procedures alike (procedures.ts).
  /** May this actor take the action on this case today? Checked for buttons and decisions. */
  guard?(ctx: GuardContext<S>): Refusal[];
  /** Is the filled-in form acceptable? Checked only when deciding. */
  validate?(input: ActionInput, ctx: GuardContext<S>): Refusal[];
  effects?(ctx: DecisionContext<S>): Effect[];
}

export interface MachineDef<S extends string> {
  code: ProcedureCode;
  label: string;
  /** The rule text the procedure follows, in Chinese. */
  source: string;
  initial: S;
  states: Record<S, StateDef>;
  actions: readonly ActionDef<S>[];
}

export type Decision<S extends string> =
  | { ok: true; to: S; effects: Effect[] }
  | { ok: false; refusals: Refusal[] };

export interface DecideRequest<S extends string> {
  state: S;
  facts: CaseFacts;
  actor: Actor;
  action: string;
  input?: ActionInput;
  decidedOn: string;
  calendar: WorkCalendar;
}

function refuse<S extends string>(code: string, message: string): Decision<S> {
  return { ok: false, refusals: [{ code, message }] };
}

/** Refusals that do not depend on the form: case and machine agree, state, role, guard. */
function checkAction<S extends string>(
  machine: MachineDef<S>,
  def: ActionDef<S>,
  ctx: GuardContext<S>,
): Refusal[] {
  if (ctx.facts.procedure !== machine.code) {
    return [{ code: 'procedure_mismatch', message: `本案适用的程序不是“${machine.label}”` }];
  }
  if (!def.from.includes(ctx.state)) {
    const stateLabel = machine.states[ctx.state].label;
    return [{ code: 'wrong_state', message: `当前状态“${stateLabel}”不能执行“${def.label}”` }];
  }
  if (!def.roles.includes(ctx.actor.role)) {
    return [
      { code: 'role_not_allowed', message: `您的角色（${ROLES[ctx.actor.role].label}）不能执行此操作` },
    ];
  }
  return def.guard?.(ctx) ?? [];
}

/**
 * Decide one action. Business refusals (unknown action, wrong state, wrong role, failed guard or
 * invalid input) come back as `{ ok: false, refusals }`; this function does not throw for them.
 */
export function decide<S extends string>(machine: MachineDef<S>, request: DecideRequest<S>): Decision<S> {
  const { state, facts, actor, action, decidedOn, calendar } = request;
  const input = request.input ?? {};
  const def = machine.actions.find((a) => a.action === action);
  if (!def) return refuse('unknown_action', `未知操作：${action}`);
  if (!Object.hasOwn(machine.states, state)) return refuse('unknown_state', `未知状态：${state}`);
  if (!isIsoDate(decidedOn)) return refuse('invalid_date', `决定日期格式不正确：${decidedOn}`);
  const ctx: GuardContext<S> = { state, facts, actor, on: decidedOn };
  const refusals = checkAction(machine, def, ctx);
  if (refusals.length > 0) return { ok: false, refusals };
  const invalid = def.validate?.(input, ctx) ?? [];
  if (invalid.length > 0) return { ok: false, refusals: invalid };
  return { ok: true, to: def.to, effects: def.effects?.({ ...ctx, input, calendar }) ?? [] };
}

export interface AvailableAction<S extends string> {
  action: string;
  label: string;
  to: S;
  fields: readonly InputField[];
  allowed: boolean;
  /** Why not (empty when allowed). Code 'role_not_allowed' marks actions for other roles. */
  refusals: Refusal[];
}

/**
 * The actions that lead out of the current state, in definition order, each with whether this actor
 * may take it today and why not — so the UI can show what to do next and who must do it.
 */
export function availableActions<S extends string>(
  machine: MachineDef<S>,
  request: { state: S; facts: CaseFacts; actor: Actor; on: string },
): AvailableAction<S>[] {
  const ctx: GuardContext<S> = request;
  return machine.actions
    .filter((def) => def.from.includes(request.state))
    .map((def) => {
      const refusals = checkAction(machine, def, ctx);
      return {
        action: def.action,
        label: def.label,
        to: def.to,
        fields: def.fields ?? [],
        allowed: refusals.length === 0,
        refusals,
      };
    });
}

/** The due date of a time limit counted from `start` (calendar days, or working days after `start`). */
export function dueDate(limit: TimeLimit, start: string, calendar: WorkCalendar): string {
  return limit.unit === 'days' ? addDays(start, limit.amount) : addWorkingDays(start, limit.amount, calendar);
}

/** The deadline clock of a state entered on `enteredOn`, or null when the state has no time limit. */
export function stepDeadline<S extends string>(
  machine: MachineDef<S>,
  state: S,
  enteredOn: string,
  calendar: WorkCalendar,
): { due: string; limit: number; unit: TimeLimit['unit']; source: string } | null {
  const limit = machine.states[state]?.timeLimit;
  if (!limit) return null;
  return {
    due: dueDate(limit, enteredOn, calendar),
    limit: limit.amount,
    unit: limit.unit,
    source: limit.source,
  };
}

export function stateLabel<S extends string>(machine: MachineDef<S>, state: S): string {
  return machine.states[state].label;
}
