/**
 * Cases (个案): load → ask the program's state machine → persist the new state, the event, the tasks
 * and the audit entry in one transaction (docs/decisions/0005-case-workflow.md). The rules live in
 * src/domain/workflow; this module only records what they decide.
 */
import type { Selectable, Transaction } from 'kysely';
import type { CaseFileTable, Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { chinaDate } from '../../domain/calendar/dates.ts';
import { deadlineStatus, type WorkCalendar } from '../../domain/calendar/working-days.ts';
import { nextReviewDate } from '../../domain/workflow/enrolled-changes.ts';
import {
  type ActionInput,
  availableActions,
  type CaseFacts,
  decide,
  type Effect,
  type MachineDef,
  type ProcedureCode,
  stateLabel,
  stepDeadline,
  actorOf as workflowActor,
} from '../../domain/workflow/machine.ts';
import { addMonthsToMonth } from '../../domain/workflow/months.ts';
import {
  enrolledProcedureFor,
  MACHINES,
  type Program,
  procedureFor,
  ruleSetOn,
} from '../../domain/workflow/procedures.ts';
import { assessSelfCare, type SelfCareItems } from '../../domain/workflow/tekun-2021.ts';
import {
  type CriterionResult,
  noWorkAbility,
  type RecordedCriteria,
  recordedCriteria,
  type SupporterSituation,
} from '../../domain/workflow/tekun-criteria.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { loadWorkCalendar } from '../calendar/calendar.service.ts';
import {
  AppError,
  ErrorCode,
  forbiddenArea,
  notFound,
  staleVersion,
  validationError,
} from '../errors/app-error.ts';
import { createTemporaryAidPayment } from '../payments/one-off.service.ts';
import {
  closeAreaHistory,
  closeRelativeMatches,
  findHousehold,
  insertAreaHistory,
  locateHousehold,
  membersOf,
  setMembersArea,
} from '../registry/registry.repository.ts';
import { isReviewClass } from '../reviews/reviews.service.ts';
import { readWorkflowSettings } from '../settings/workflow-settings.ts';
import * as repo from './cases.repository.ts';

type Trx = Transaction<Database>;

export const CASE_PROGRAMS: Record<Program, string> = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困供养',
  rural_tekun: '农村特困供养',
  temporary_aid: '临时救助',
};

function isProgram(code: string): code is Program {
  return Object.hasOwn(CASE_PROGRAMS, code);
}

function machineOf(procedure: string): MachineDef<string> {
  const machine = MACHINES[procedure as ProcedureCode];
  if (!machine) throw new Error(`未知的办理程序 ${procedure}`);
  return machine;
}

function terminalStates(): string[] {
  return [
    ...new Set(
      Object.values(MACHINES).flatMap((m) =>
        Object.entries(m.states as Record<string, { terminal?: boolean }>)
          .filter(([, s]) => s.terminal)
          .map(([k]) => k),
      ),
    ),
  ];
}

/** Deadlines are working days; load the holiday calendar around the dates involved. */
function calendarFor(trx: Trx, from: string): Promise<WorkCalendar> {
  const year = Number(from.slice(0, 4));
  return loadWorkCalendar(trx, `${year}-01-01`, `${year + 2}-12-31`);
}

function workflowActorOf(actor: Actor) {
  if (actor.role === 'system' || actor.userId === null) {
    throw new AppError(ErrorCode.FORBIDDEN, '系统账号不能办理个案');
  }
  return workflowActor(actor.userId, actor.role);
}

async function caseInScopeOrThrow(trx: Trx, actor: Actor, id: number, attempted: string) {
  const row = await repo.findCase(trx, scopeOf(actor), id);
  if (row) return row;
  const located = await repo.locateCase(trx, id);
  if (!located) throw notFound(`个案（编号 ${id}）`);
  throw forbiddenArea('个案', {
    entityType: 'case',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

export interface OpenCaseInput {
  programCode: string;
  /** An enrolled case to change, review or end (DOMAIN §4.9, §5.4 Arts. 24–27) instead of a new application. */
  enrolmentId?: number | null;
  householdId: number;
  /** The person covered by a person-level case (特困) or a 单人保 case. */
  personId?: number | null;
  intakeItemId?: number | null;
  acceptedOn?: string;
  amountFen?: number | null;
  aidType?: 'emergency' | 'expenditure' | null;
}

/** Opens a case in the first state of the procedure in force on the acceptance date (DOMAIN §0). */
export async function openCase(trx: Trx, actor: Actor, input: OpenCaseInput, now = new Date()) {
  requirePermission(actor, 'registry.write');
  if (!isProgram(input.programCode)) {
    throw validationError(
      'programCode',
      `救助项目应为：${Object.entries(CASE_PROGRAMS)
        .map(([k, v]) => `${k}（${v}）`)
        .join('、')}`,
    );
  }
  const household = await findHousehold(trx, scopeOf(actor), input.householdId);
  if (!household) {
    const located = await locateHousehold(trx, input.householdId);
    if (!located) throw validationError('householdId', `家庭（编号 ${input.householdId}）不存在`);
    throw forbiddenArea('家庭', {
      entityType: 'household',
      entityId: input.householdId,
      countyCode: located.county_code,
      townCode: located.town_code,
      attempted: '受理申请',
    });
  }
  const acceptedOn = input.acceptedOn ?? chinaDate(now);
  let enrolment: { id: number; person_id: number | null } | undefined;
  if (input.enrolmentId) {
    enrolment = await trx
      .selectFrom('enrolment')
      .select(['id', 'person_id'])
      .where('id', '=', input.enrolmentId)
      .where('household_id', '=', household.id)
      .where('program_code', '=', input.programCode)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!enrolment) throw validationError('enrolmentId', '该户没有这一项目的在保记录');
  }
  const choice = enrolment
    ? enrolledProcedureFor(input.programCode)
    : procedureFor(input.programCode, acceptedOn);
  if (!choice) throw validationError('acceptedOn', `${acceptedOn} 受理的申请没有可用的办理程序`);
  // One open case per household, program and procedure: a second application continues the first.
  const open = await trx
    .selectFrom('case_file')
    .select('id')
    .where('household_id', '=', household.id)
    .where('program_code', '=', input.programCode)
    .where('procedure', '=', choice.procedure)
    .where('state', 'not in', terminalStates())
    .$if(Boolean(input.personId), (q) => q.where('person_id', '=', input.personId ?? 0))
    .executeTakeFirst();
  if (open) {
    throw new AppError(
      ErrorCode.CONFLICT,
      `该户已有一件正在办理的${CASE_PROGRAMS[input.programCode]}个案（编号 ${open.id}），请在原个案中继续办理`,
      { field: 'programCode' },
    );
  }
  const members = (await membersOf(trx, household.id)).filter(
    (m) => m.valid_to === null && m.death_date === null,
  );
  if (input.personId && !members.some((m) => m.id === input.personId)) {
    throw validationError('personId', '救助对象必须是本户现有成员');
  }
  const settings = await readWorkflowSettings(trx);
  const facts: CaseFacts = {
    procedure: choice.procedure,
    delegatedToTown: settings.delegation[input.programCode] === 'town',
    closeRelative: (await closeRelativeMatches(trx, household.id)).length > 0,
    relatedStaffUserIds: await repo.relatedStaffUserIds(trx, household.id),
    investigatorUserIds: [],
    countyHomeVisitRecorded: false,
    publicNoticeEndsOn: null,
    objectionOpen: false,
    amountFen: input.amountFen ?? null,
    townApprovalLimitFen: settings.temporaryAidTownApprovalLimitFen,
    aidType: input.aidType ?? null,
    householdSize: input.personId ? 1 : members.length,
  };
  const ts = now.toISOString();
  const row = await repo.insertCase(trx, {
    county_code: household.county_code,
    town_code: household.town_code,
    program_code: input.programCode,
    procedure: choice.procedure,
    state: choice.machine.initial,
    household_id: household.id,
    person_id: input.personId ?? enrolment?.person_id ?? null,
    intake_item_id: input.intakeItemId ?? null,
    enrolment_id: enrolment?.id ?? null,
    accepted_on: acceptedOn,
    state_entered_on: acceptedOn,
    facts_json: JSON.stringify(facts),
    created_at: ts,
    updated_at: ts,
  });
  await repo.insertEvent(trx, {
    county_code: row.county_code,
    town_code: row.town_code,
    case_id: row.id,
    action: 'open',
    from_state: null,
    to_state: row.state,
    actor_user_id: actor.userId,
    actor: actor.username,
    at: ts,
    decided_on: acceptedOn,
    input_json: JSON.stringify({ programCode: input.programCode, personId: input.personId ?? null }),
    effects_json: null,
  });
  await appendAudit(
    trx,
    actor,
    {
      action: 'case.open',
      entityType: 'case',
      entityId: row.id,
      countyCode: row.county_code,
      townCode: row.town_code,
      after: {
        program: input.programCode,
        procedure: row.procedure,
        householdId: household.id,
        enrolmentId: enrolment?.id ?? null,
        closeRelative: facts.closeRelative,
      },
    },
    now,
  );
  return { id: row.id, version: row.version, state: row.state };
}

/**
 * 转至本县其他乡镇 (DOMAIN §4.2: the accepting town owns the case, including payment): the household, its
 * members, its active enrolments and the case move to the new town; the area history keeps the old one.
 */
async function transferHousehold(trx: Trx, c: Selectable<CaseFileTable>, toTownCode: string, ts: string) {
  const town = await trx
    .selectFrom('area')
    .select(['code', 'level'])
    .where('code', '=', toTownCode)
    .executeTakeFirst();
  if (town?.level !== 'town' || !toTownCode.startsWith(c.county_code)) {
    throw validationError('toTownCode', `${toTownCode} 不是本县的乡镇`);
  }
  if (toTownCode === c.town_code) throw validationError('toTownCode', '迁入乡镇与现所在乡镇相同');
  const today = chinaDate(new Date(ts));
  await closeAreaHistory(trx, c.household_id, today);
  await insertAreaHistory(trx, {
    household_id: c.household_id,
    county_code: c.county_code,
    town_code: toTownCode,
    village_code: null,
    valid_from: today,
    valid_to: null,
    reason: '低保转至本县其他乡镇',
  });
  await trx
    .updateTable('household')
    .set((eb) => ({
      town_code: toTownCode,
      village_code: null,
      updated_at: ts,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', c.household_id)
    .execute();
  await setMembersArea(trx, c.household_id, c.county_code, toTownCode);
  await trx
    .updateTable('enrolment')
    .set({ town_code: toTownCode, updated_at: ts })
    .where('household_id', '=', c.household_id)
    .where('status', '=', 'active')
    .execute();
  await trx.updateTable('case_file').set({ town_code: toTownCode }).where('id', '=', c.id).execute();
}

/** Applies what a decision causes: enrolment, stops, notices and tasks, public-notice dates. */
async function applyEffects(
  trx: Trx,
  c: Selectable<CaseFileTable>,
  facts: CaseFacts,
  effects: Effect[],
  ts: string,
  step: { actor: Actor; decidedOn: string; action: string },
) {
  let enrolmentId: number | null = c.enrolment_id;
  for (const e of effects) {
    switch (e.kind) {
      case 'public_notice':
        facts.publicNoticeEndsOn = e.endsOn;
        break;
      case 'gradual_exit':
        facts.gradualExitLastMonth = e.lastMonth;
        break;
      case 'enrol': {
        const enrolment = await trx
          .insertInto('enrolment')
          .values({
            county_code: c.county_code,
            town_code: c.town_code,
            program_code: c.program_code,
            household_id: c.household_id,
            person_id: c.person_id,
            start_month: e.fromMonth,
            end_month: null,
            status: 'active',
            support_mode: e.supportMode === 'centralized' ? 'concentrated' : (e.supportMode ?? null),
            single_person: c.person_id !== null && c.program_code.endsWith('dibao') ? 1 : 0,
            end_reason: null,
            created_at: ts,
            updated_at: ts,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        enrolmentId = enrolment.id;
        break;
      }
      case 'stop_payment': {
        // Paid up to the month before the stop month (DOMAIN §4.7: stop from the month after the decision).
        if (enrolmentId !== null) {
          await trx
            .updateTable('enrolment')
            .set((eb) => ({
              status: 'ended',
              end_month: addMonthsToMonth(e.fromMonth, -1),
              end_reason: facts.terminationReason ?? null,
              updated_at: ts,
              version: eb('version', '+', 1),
            }))
            .where('id', '=', enrolmentId)
            .execute();
        }
        break;
      }
      case 'notice_due':
        if (e.due) {
          await repo.insertTask(trx, {
            county_code: c.county_code,
            town_code: c.town_code,
            case_id: c.id,
            household_id: c.household_id,
            kind: `notice_${e.notice}`,
            due_on: e.due,
            status: 'open',
            note: e.reasons ?? null,
            created_at: ts,
          });
        }
        break;
      case 'task':
        await repo.insertTask(trx, {
          county_code: c.county_code,
          town_code: c.town_code,
          case_id: c.id,
          household_id: c.household_id,
          kind: e.task,
          due_on: e.due,
          status: 'open',
          note: null,
          created_at: ts,
        });
        break;
      case 'transfer':
        await transferHousehold(trx, c, e.toTownCode, ts);
        break;
      case 'disburse':
        // DOMAIN §6.3: a 临时救助 grant becomes a pending one-off payment (approved and posted by a second person).
        if (c.program_code === 'temporary_aid') {
          await createTemporaryAidPayment(
            trx,
            step.actor,
            c,
            {
              amountFen: e.amountFen,
              decidedOn: step.decidedOn,
              advance: step.action === 'grant_advance',
              aidType: facts.aidType ?? null,
            },
            new Date(ts),
          );
        }
        break;
      default:
        // change_amount: recorded in the event.
        break;
    }
  }
  return enrolmentId;
}

async function markReviewed(trx: Trx, enrolmentId: number, on: string, ts: string) {
  const e = await trx.selectFrom('enrolment').selectAll().where('id', '=', enrolmentId).executeTakeFirst();
  if (!e) return;
  const next =
    e.review_class && isReviewClass(e.review_class)
      ? nextReviewDate(on, e.review_class, {
          ruleSet: ruleSetOn(on) ?? '2021',
          area: e.program_code === 'urban_dibao' ? 'urban' : 'rural',
        })
      : null;
  await trx
    .updateTable('enrolment')
    .set((eb) => ({
      last_review_on: on,
      next_review_on: next,
      updated_at: ts,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', enrolmentId)
    .execute();
}

/** A step's date may be recorded late from paper files, but not in the future nor before the step began. */
function checkedDate(date: string, stepStartedOn: string, now: Date, field: string): string {
  if (date > chinaDate(now)) throw validationError(field, `办理日期 ${date} 晚于今天`);
  if (date < stepStartedOn)
    throw validationError(field, `办理日期 ${date} 早于本环节开始日期 ${stepStartedOn}`);
  return date;
}

/** Which open tasks an action completes: the notice it serves, the paperwork it completes. */
const TASKS_DONE_BY: Record<string, string[]> = {
  serve_refusal_notice: ['notice_refusal'],
  complete_paperwork: ['complete_paperwork'],
  record_county_home_visit: ['county_home_visit'],
  keep: ['recheck_after_death'],
  increase: ['recheck_after_death'],
  decrease: ['recheck_after_death'],
  stop: ['recheck_after_death'],
  start_gradual_exit: ['recheck_after_death'],
};

async function closeTasksDoneBy(
  trx: Trx,
  c: { id: number; household_id: number },
  action: string,
  ts: string,
) {
  const kinds = TASKS_DONE_BY[action];
  if (!kinds) return;
  // Also the household's tasks filed outside any case (a death-data feed's re-check, departments module).
  await trx
    .updateTable('case_task')
    .set({ status: 'done', done_at: ts })
    .where((eb) =>
      eb.or([
        eb('case_id', '=', c.id),
        eb.and([eb('case_id', 'is', null), eb('household_id', '=', c.household_id)]),
      ]),
    )
    .where('status', '=', 'open')
    .where('kind', 'in', kinds)
    .execute();
}

export interface CaseActionInput {
  version: number;
  input?: ActionInput;
  /** The decision date (defaults to today in China); back-dating is for recording paper files. */
  decidedOn?: string;
}

/** Takes one workflow action on a case; refused actions change nothing and say why. */
export async function takeAction(
  trx: Trx,
  actor: Actor,
  caseId: number,
  action: string,
  body: CaseActionInput,
  now = new Date(),
) {
  const c = await caseInScopeOrThrow(trx, actor, caseId, '办理');
  if (c.version !== body.version) throw staleVersion('该个案');
  const machine = machineOf(c.procedure);
  const facts = JSON.parse(c.facts_json) as CaseFacts;
  const decidedOn = checkedDate(body.decidedOn ?? chinaDate(now), c.state_entered_on, now, 'decidedOn');
  const calendar = await calendarFor(trx, c.accepted_on);
  const decision = decide(machine, {
    state: c.state,
    facts,
    actor: workflowActorOf(actor),
    action,
    input: body.input ?? {},
    decidedOn,
    calendar,
  });
  if (!decision.ok) {
    throw new AppError(ErrorCode.REFUSED, decision.refusals.map((r) => r.message).join('；'), {
      issues: decision.refusals.map((r) => ({
        field: r.code,
        message: r.source ? `${r.message}（依据：${r.source}）` : r.message,
      })),
    });
  }
  // Handling an objection (re-investigation or appraisal) closes it (DOMAIN §4.6 Art. 19).
  if (action === 'reinvestigate' || action === 'hold_appraisal' || action === 'reinvestigate_on_objection')
    facts.objectionOpen = false;
  if (body.input?.deathDate) facts.deathDate = body.input.deathDate;
  if (body.input?.terminationReason) facts.terminationReason = body.input.terminationReason;
  if (action === 'record_death') facts.terminationReason = 'death';
  const ts = now.toISOString();
  const enrolmentId = await applyEffects(trx, c, facts, decision.effects, ts, { actor, decidedOn, action });
  await closeTasksDoneBy(trx, c, action, ts);
  // A review's outcome restarts the review clock (DOMAIN §4.9, 分类复核).
  if (
    c.procedure === 'dibao_changes' &&
    enrolmentId !== null &&
    ['keep', 'increase', 'decrease'].includes(action)
  ) {
    await markReviewed(trx, enrolmentId, decidedOn, ts);
  }
  const terminal = Boolean((machine.states as Record<string, { terminal?: boolean }>)[decision.to]?.terminal);
  const after = await repo.updateCaseVersioned(trx, caseId, body.version, {
    state: decision.to,
    state_entered_on: decidedOn,
    facts_json: JSON.stringify(facts),
    enrolment_id: enrolmentId,
    ...(terminal || ['confirm', 'approve', 'grant', 'refuse'].includes(action)
      ? { decision: action, decided_on: decidedOn, reasons: body.input?.reasons ?? null }
      : {}),
    updated_at: ts,
  });
  if (!after) throw staleVersion('该个案');
  await repo.insertEvent(trx, {
    county_code: c.county_code,
    town_code: c.town_code,
    case_id: caseId,
    action,
    from_state: c.state,
    to_state: decision.to,
    actor_user_id: actor.userId,
    actor: actor.username,
    at: ts,
    decided_on: decidedOn,
    input_json: JSON.stringify(body.input ?? {}),
    effects_json: JSON.stringify(decision.effects),
  });
  await appendAudit(
    trx,
    actor,
    {
      action: `case.${action}`,
      entityType: 'case',
      entityId: caseId,
      countyCode: c.county_code,
      townCode: c.town_code,
      before: { state: c.state },
      after: { state: decision.to, effects: decision.effects },
      detail: body.input?.reasons ?? null,
    },
    now,
  );
  return { id: caseId, version: after.version, state: decision.to, effects: decision.effects };
}

/** Facts that are recorded rather than decided: the investigation team, the county visit, an objection. */
export type FactUpdate =
  | { kind: 'investigation'; investigatorUserIds: number[]; findings: string }
  | { kind: 'county_home_visit'; findings: string }
  | { kind: 'objection'; summary: string }
  | { kind: 'complaint'; summary: string }
  | { kind: 'self_care'; items: SelfCareItems; assessor: string }
  | { kind: 'tekun_criteria'; noLivelihood: boolean; livelihoodNote: string; supporter: SupporterSituation };

export async function recordFact(
  trx: Trx,
  actor: Actor,
  caseId: number,
  version: number,
  update: FactUpdate,
  now = new Date(),
  recordedOn?: string,
) {
  requirePermission(actor, 'registry.read');
  const c = await caseInScopeOrThrow(trx, actor, caseId, '办理');
  if (c.version !== version) throw staleVersion('该个案');
  const facts = JSON.parse(c.facts_json) as CaseFacts;
  switch (update.kind) {
    case 'investigation': {
      // DOMAIN §4.6 Art. 16: investigations are done by teams of at least two.
      const ids = [...new Set(update.investigatorUserIds)];
      const users = await trx
        .selectFrom('app_user')
        .select('id')
        .where('id', 'in', ids.length ? ids : [0])
        .where('county_code', '=', c.county_code)
        .execute();
      if (users.length !== ids.length)
        throw validationError('investigatorUserIds', '调查人员中有不存在的用户');
      const related = ids.filter((id) => facts.relatedStaffUserIds.includes(id));
      if (related.length > 0)
        throw validationError(
          'investigatorUserIds',
          '调查人员中有本户成员的近亲属备案人员，须回避（DOMAIN §10）',
        );
      facts.investigatorUserIds = [...new Set([...facts.investigatorUserIds, ...ids])];
      break;
    }
    case 'county_home_visit':
      if (actor.role !== 'county_approver' && actor.role !== 'county_admin') {
        throw new AppError(ErrorCode.FORBIDDEN, '县级入户核查须由县级人员登记');
      }
      facts.countyHomeVisitRecorded = true;
      break;
    case 'objection':
      if (!['public_notice', 'town_notice', 'county_notice', 'termination_notice'].includes(c.state)) {
        throw new AppError(ErrorCode.REFUSED, '只有公示期间才能登记异议');
      }
      facts.objectionOpen = true;
      break;
    case 'complaint':
      facts.complaintOnFile = true;
      break;
    case 'self_care':
      // DOMAIN §5.4 Arts. 20–23: six items; all achieved → 全自理, ≤3 not → 半失能, ≥4 not → 全失能.
      if (!c.program_code.endsWith('tekun')) throw validationError('kind', '生活自理能力评估适用于特困人员');
      facts.selfCareLevel = assessSelfCare(update.items);
      break;
    case 'tekun_criteria':
      if (!c.program_code.endsWith('tekun')) throw validationError('kind', '特困条件核查适用于特困人员');
      facts.tekunCriteria = {
        noLivelihood: update.noLivelihood,
        livelihoodNote: update.livelihoodNote,
        supporter: update.supporter,
      };
      break;
  }
  const ts = now.toISOString();
  const after = await repo.updateCaseVersioned(trx, caseId, version, {
    facts_json: JSON.stringify(facts),
    updated_at: ts,
  });
  await closeTasksDoneBy(trx, c, `record_${update.kind}`, ts);
  if (!after) throw staleVersion('该个案');
  await repo.insertEvent(trx, {
    county_code: c.county_code,
    town_code: c.town_code,
    case_id: caseId,
    action: `record_${update.kind}`,
    from_state: c.state,
    to_state: c.state,
    actor_user_id: actor.userId,
    actor: actor.username,
    at: ts,
    decided_on: checkedDate(recordedOn ?? chinaDate(now), c.state_entered_on, now, 'recordedOn'),
    input_json: JSON.stringify(update),
    effects_json: null,
  });
  await appendAudit(
    trx,
    actor,
    {
      action: `case.record_${update.kind}`,
      entityType: 'case',
      entityId: caseId,
      countyCode: c.county_code,
      townCode: c.town_code,
      after: update,
    },
    now,
  );
  return { id: caseId, version: after.version };
}

/** A case with what to do next: the actions the user may take (or why not) and the step's deadline. */
export async function getCase(trx: Trx, actor: Actor, caseId: number, now = new Date()) {
  requirePermission(actor, 'registry.read');
  const c = await caseInScopeOrThrow(trx, actor, caseId, '查看');
  const machine = machineOf(c.procedure);
  const facts = JSON.parse(c.facts_json) as CaseFacts;
  const today = chinaDate(now);
  const calendar = await calendarFor(trx, c.accepted_on);
  const deadline = stepDeadline(machine, c.state, c.state_entered_on, calendar);
  const [events, tasks] = await Promise.all([repo.eventsOf(trx, caseId), repo.tasksOf(trx, caseId)]);
  // 特困 Art. 4 checklist: the work-ability condition follows from the person's record (Art. 5).
  let criteria: {
    noWorkAbility: ReturnType<typeof noWorkAbility>;
    noLivelihood?: CriterionResult;
    noSupporter?: CriterionResult;
  } | null = null;
  if (c.program_code.endsWith('tekun') && c.person_id !== null) {
    const p = await trx
      .selectFrom('person')
      .select(['birth_date', 'disability_category', 'disability_grade'])
      .where('id', '=', c.person_id)
      .executeTakeFirst();
    if (p) {
      criteria = {
        noWorkAbility: noWorkAbility(
          {
            birthDate: p.birth_date,
            disabilityCategory: p.disability_category,
            disabilityGrade: p.disability_grade,
            // 2020 意见 item 5 extended minors' coverage from 16 to 18 (DOMAIN §5.4).
            minorAgeLimit: c.accepted_on >= '2020-08-25' ? 18 : 16,
          },
          c.accepted_on,
        ),
        ...(facts.tekunCriteria ? recordedCriteria(facts.tekunCriteria as RecordedCriteria) : {}),
      };
    }
  }
  const actions =
    actor.role === 'system' || actor.userId === null
      ? []
      : availableActions(machine, {
          state: c.state,
          facts,
          actor: workflowActor(actor.userId, actor.role),
          on: today,
        });
  return {
    id: c.id,
    programCode: c.program_code,
    programName: CASE_PROGRAMS[c.program_code as Program] ?? c.program_code,
    procedure: c.procedure,
    procedureLabel: machine.label,
    state: c.state,
    stateLabel: stateLabel(machine, c.state),
    householdId: c.household_id,
    personId: c.person_id,
    townCode: c.town_code,
    acceptedOn: c.accepted_on,
    stateEnteredOn: c.state_entered_on,
    decision: c.decision,
    decidedOn: c.decided_on,
    reasons: c.reasons,
    enrolmentId: c.enrolment_id,
    facts,
    deadline: deadline ? { ...deadline, ...deadlineStatus(deadline.due, today, calendar) } : null,
    actions,
    events: events.map((e) => ({
      id: e.id,
      action: e.action,
      label:
        e.action === 'open'
          ? '受理'
          : (machine.actions.find((a) => a.action === e.action)?.label ?? e.action),
      fromState: e.from_state,
      toState: e.to_state,
      toStateLabel: stateLabel(machine, e.to_state),
      actor: e.actor,
      at: e.at,
      decidedOn: e.decided_on,
      input: e.input_json ? JSON.parse(e.input_json) : null,
      effects: e.effects_json ? JSON.parse(e.effects_json) : [],
    })),
    tasks: tasks.map((t) => ({ id: t.id, kind: t.kind, dueOn: t.due_on, status: t.status, note: t.note })),
    criteria,
    version: c.version,
  };
}

export async function listCases(
  trx: Trx,
  actor: Actor,
  q: { state?: string; program?: string; townCode?: string; open?: boolean; page: number; pageSize: number },
  now = new Date(),
) {
  requirePermission(actor, 'registry.read');
  const rows = await repo.listCases(
    trx,
    scopeOf(actor),
    { state: q.state, programCode: q.program, townCode: q.townCode, open: q.open },
    terminalStates(),
    { offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
  );
  const today = chinaDate(now);
  const calendar = await calendarFor(trx, `${Number(today.slice(0, 4)) - 1}-01-01`);
  return {
    page: q.page,
    pageSize: q.pageSize,
    items: rows.map((c) => {
      const machine = machineOf(c.procedure);
      const deadline = stepDeadline(machine, c.state, c.state_entered_on, calendar);
      const facts = JSON.parse(c.facts_json) as CaseFacts;
      return {
        id: c.id,
        programCode: c.program_code,
        programName: CASE_PROGRAMS[c.program_code as Program] ?? c.program_code,
        state: c.state,
        stateLabel: stateLabel(machine, c.state),
        householdId: c.household_id,
        headName: c.head_name,
        townName: c.town_name,
        acceptedOn: c.accepted_on,
        closeRelative: facts.closeRelative,
        deadline: deadline ? { due: deadline.due, ...deadlineStatus(deadline.due, today, calendar) } : null,
        version: c.version,
      };
    }),
  };
}
