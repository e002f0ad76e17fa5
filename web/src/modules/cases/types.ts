/** Shapes of the cases API (src/modules/cases/cases.service.ts). */
import type { DeadlineStatus } from '../../../../src/domain/calendar/working-days.ts';
import type {
  ActionInput,
  CaseFacts,
  Effect,
  InputField,
  ProcedureCode,
  Refusal,
} from '../../../../src/domain/workflow/machine.ts';
import type { Program } from '../../../../src/domain/workflow/procedures.ts';
import type { SelfCareItems } from '../../../../src/domain/workflow/tekun-2021.ts';

export type { DeadlineStatus, Effect, InputField, Program, Refusal };

export interface CaseListItem {
  id: number;
  programCode: Program;
  programName: string;
  state: string;
  stateLabel: string;
  householdId: number;
  headName: string | null;
  townName: string | null;
  acceptedOn: string;
  closeRelative: boolean;
  deadline: { due: string; status: DeadlineStatus; workingDaysLeft: number } | null;
  version: number;
}

export interface CaseList {
  page: number;
  pageSize: number;
  items: CaseListItem[];
}

export interface CaseAction {
  action: string;
  label: string;
  to: string;
  fields: InputField[];
  allowed: boolean;
  refusals: Refusal[];
}

export interface CaseDeadline {
  due: string;
  limit: number;
  unit: 'working_days' | 'days';
  source: string;
  status: DeadlineStatus;
  workingDaysLeft: number;
}

/** What the server records for a fact (POST /cases/:id/facts), as it comes back in the event input. */
export type FactInput =
  | { kind: 'investigation'; investigatorUserIds: number[]; findings: string }
  | { kind: 'county_home_visit'; findings: string }
  | { kind: 'objection'; summary: string }
  | { kind: 'complaint'; summary: string }
  | { kind: 'self_care'; assessor: string; items: SelfCareItems }
  | { kind: 'tekun_criteria'; noLivelihood: boolean; livelihoodNote: string; supporter: string };

export interface EventInput extends ActionInput {
  kind?: FactInput['kind'];
  investigatorUserIds?: number[];
  findings?: string;
  summary?: string;
  assessor?: string;
  items?: SelfCareItems;
  programCode?: string;
  personId?: number | null;
}

export interface CaseEvent {
  id: number;
  action: string;
  label: string;
  fromState: string | null;
  toState: string;
  toStateLabel: string;
  actor: string;
  at: string;
  decidedOn: string;
  /** The action's input, the recorded fact, or (for 受理) the program and person. */
  input: EventInput | null;
  effects: Effect[];
}

export interface CaseTask {
  id: number;
  kind: string;
  dueOn: string;
  status: string;
  note: string | null;
}

export interface CaseDetail {
  id: number;
  programCode: Program;
  programName: string;
  procedure: ProcedureCode;
  procedureLabel: string;
  state: string;
  stateLabel: string;
  householdId: number;
  personId: number | null;
  townCode: string;
  acceptedOn: string;
  stateEnteredOn: string;
  decision: string | null;
  decidedOn: string | null;
  reasons: string | null;
  enrolmentId: number | null;
  facts: CaseFacts;
  deadline: CaseDeadline | null;
  actions: CaseAction[];
  events: CaseEvent[];
  tasks: CaseTask[];
  /** 特困 Art. 4 checklist: the work-ability condition as it follows from the person's record (Art. 5). */
  criteria?: {
    noWorkAbility: { met: boolean; reason: string; source: string };
    noLivelihood?: { met: boolean; reason: string; source: string };
    noSupporter?: { met: boolean; reason: string; source: string };
  } | null;
  version: number;
}
