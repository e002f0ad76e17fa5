/**
 * One-window intake service (一门受理、协同办理, DOMAIN §2): load → decide (domain/intake) → persist →
 * audit, inside the caller's transaction. One form registers the request and its items (一表登记);
 * the window issues a one-time notice of missing materials, records the verification authorisations
 * (DOMAIN §3.2), and decides each item: accept here, forward to a department and follow it up, refer,
 * or reject with reasons; the request is archived when every item is finished.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { isWithinScope, scopeOf } from '../../domain/access/area-scope.ts';
import { hasPermission } from '../../domain/access/roles.ts';
import { diffRecords } from '../../domain/audit/hash-chain.ts';
import { addDays, chinaDate } from '../../domain/calendar/dates.ts';
import type { WorkCalendar } from '../../domain/calendar/working-days.ts';
import { maskPhone } from '../../domain/household/masking.ts';
import { maskIdNumber, validateResidentId } from '../../domain/identity/resident-id.ts';
import {
  archiveRefusal,
  authorisationIssues,
  availableActions,
  buildNotice,
  CHANNELS,
  type Channel,
  decideItem as decide,
  deriveRequestStatus,
  type FieldRefusal,
  FORWARD_WARN_WORKING_DAYS,
  forwardStatus,
  INTAKE_ITEMS,
  ITEM_ACTIONS,
  ITEM_DECISIONS,
  type ItemActionInput,
  type ItemDecision,
  type ItemState,
  idNumberRequired,
  isIntakeItemCode,
  isItemDecision,
  itemLabel,
  materialsChecklist,
  type Notice,
  needsAuthorisation,
  noticeOpen,
  outstandingMaterials,
  REQUEST_STATUS,
  type RequestStatus,
  receiveMaterials as receive,
  registrationRefusal,
  SIGNERS,
  suggestedForwardDue,
} from '../../domain/intake/intake-rules.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { loadWorkCalendar } from '../calendar/calendar.service.ts';
import { openCase } from '../cases/cases.service.ts';
import {
  AppError,
  ErrorCode,
  forbiddenArea,
  notFound,
  staleVersion,
  validationError,
} from '../errors/app-error.ts';
import * as registryRepo from '../registry/registry.repository.ts';
import * as repo from './intake.repository.ts';
import type {
  AuthorisationInput,
  ListQueryInput,
  NoticeInput,
  ReceiveInput,
  RegisterInput,
} from './intake.schemas.ts';

type Trx = Transaction<Database>;

// ---------------------------------------------------------------------------------------------
// Helpers

/** Finds a request in the actor's area; tells "does not exist" from "not yours" (the latter is audited). */
async function requestInScopeOrThrow(trx: Trx, actor: Actor, id: number, attempted: string) {
  const row = await repo.findRequest(trx, scopeOf(actor), id);
  if (row) return row;
  const located = await repo.locateRequest(trx, id);
  if (!located) throw notFound(`受理登记（编号 ${id}）`);
  throw forbiddenArea('受理登记', {
    entityType: 'intake_request',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

async function itemInScopeOrThrow(trx: Trx, actor: Actor, id: number, attempted: string) {
  const row = await repo.findItem(trx, scopeOf(actor), id);
  if (row) return row;
  const located = await repo.locateItem(trx, id);
  if (!located) throw notFound(`申请事项（编号 ${id}）`);
  throw forbiddenArea('申请事项', {
    entityType: 'intake_item',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

/**
 * Refusals about an input field are bad input (400, shown on the field); refusals of the action itself
 * (wrong state, wrong kind of item) are a conflict with the record's state (409), with the reason.
 */
function refusalError(refusals: FieldRefusal[]): AppError {
  const first = refusals[0];
  const message = first?.message ?? '操作被拒绝';
  if (refusals.some((r) => r.field !== undefined)) {
    return new AppError(ErrorCode.VALIDATION, message, {
      ...(first?.field ? { field: first.field } : {}),
      issues: refusals.map((r) => ({ field: r.field ?? 'body', message: r.message })),
    });
  }
  return new AppError(ErrorCode.CONFLICT, refusals.map((r) => r.message).join('；'));
}

function parseNotice(json: string | null): Notice | null {
  return json ? (JSON.parse(json) as Notice) : null;
}

function itemState(row: repo.IntakeItemRow): ItemState {
  if (!isIntakeItemCode(row.item_code) || !isItemDecision(row.decision)) {
    throw new Error(`intake_item ${row.id}: unknown item ${row.item_code} or decision ${row.decision}`);
  }
  return {
    itemCode: row.item_code,
    decision: row.decision,
    department: row.department,
    forwardedOn: row.forwarded_on,
    dueOn: row.due_on,
    reply: row.reply,
    repliedOn: row.replied_on,
    applicantInformedOn: row.applicant_informed_on,
    reason: row.reason,
  };
}

function statusOfRow(status: string): RequestStatus {
  return Object.hasOwn(REQUEST_STATUS, status) ? (status as RequestStatus) : 'registered';
}

function checkIdNumber(raw: string, field: string, today: string): string {
  const result = validateResidentId(raw, { asOf: today });
  if (!result.valid) {
    throw new AppError(
      ErrorCode.VALIDATION,
      `身份证号码无效：${result.errors.map((e) => e.message).join('；')}`,
      {
        field,
        issues: result.errors.map((e) => ({ field, message: e.message })),
      },
    );
  }
  return result.idNumber;
}

async function actorName(trx: Trx, actor: Actor): Promise<string> {
  if (actor.userId === null) return actor.username;
  return (await repo.userDisplayName(trx, actor.userId))?.display_name ?? actor.username;
}

/** The calendar covering `today`, a suggestion two months ahead, and the given dates. */
async function calendarAround(trx: Trx, today: string, dates: (string | null)[]): Promise<WorkCalendar> {
  const all = [today, addDays(today, 60), ...dates.filter((d): d is string => d !== null)].sort();
  return loadWorkCalendar(trx, all[0] ?? today, all[all.length - 1] ?? today);
}

async function auditRequest(
  trx: Trx,
  actor: Actor,
  action: string,
  row: { id: number; county_code: string; town_code: string },
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  now: Date,
  detail?: string,
) {
  const diff = before ? diffRecords(before, after) : { before: null, after };
  await appendAudit(
    trx,
    actor,
    {
      action,
      entityType: 'intake_request',
      entityId: row.id,
      countyCode: row.county_code,
      townCode: row.town_code,
      before: diff.before,
      after: diff.after,
      detail: detail ?? null,
    },
    now,
  );
}

/** Re-derives the request's status from its items and notice, and stores it (within the same version). */
async function refreshStatus(trx: Trx, request: repo.IntakeRequestRow): Promise<RequestStatus> {
  const items = await repo.itemsOf(trx, [request.id]);
  const status = deriveRequestStatus({
    archived: request.status === 'archived',
    noticeOpen: noticeOpen(parseNotice(request.missing_materials_json)),
    decisions: items.map((i) => itemState(i).decision),
  });
  if (status !== request.status) {
    await trx.updateTable('intake_request').set({ status }).where('id', '=', request.id).execute();
  }
  return status;
}

const summary = (id: number, version: number, status: RequestStatus) => ({
  id,
  version,
  status,
  statusLabel: REQUEST_STATUS[status],
});

// ---------------------------------------------------------------------------------------------
// Register (一表登记)

export async function registerRequest(trx: Trx, actor: Actor, input: RegisterInput, now: Date = new Date()) {
  const channel: Channel = input.channel;
  const refusal = registrationRefusal(actor.role, channel);
  if (refusal) throw new AppError(ErrorCode.FORBIDDEN, refusal);
  const scope = scopeOf(actor);
  const today = chinaDate(now);
  const ts = now.toISOString();

  const rawId = input.applicantIdNumber?.trim() ?? '';
  let idNumber: string | null = null;
  if (rawId !== '') idNumber = checkIdNumber(rawId, 'applicantIdNumber', today);
  else if (idNumberRequired(channel)) {
    throw validationError('applicantIdNumber', `通过${CHANNELS[channel]}申请的，须填写申请人身份证号码`);
  }

  let household: { id: number; town_code: string } | undefined;
  if (input.householdId) {
    household = await registryRepo.findHousehold(trx, scope, input.householdId);
    if (!household) {
      const located = await registryRepo.locateHousehold(trx, input.householdId);
      if (!located) throw validationError('householdId', `家庭（编号 ${input.householdId}）不存在`);
      throw forbiddenArea('家庭', {
        entityType: 'household',
        entityId: input.householdId,
        countyCode: located.county_code,
        townCode: located.town_code,
        attempted: '登记受理',
      });
    }
  }

  // A town user registers for their own town; a county user names the town (or the household does).
  const townCode = scope.townCode ?? input.townCode ?? household?.town_code;
  if (!townCode) throw validationError('townCode', '请选择受理乡镇');
  const town = await repo.findArea(trx, townCode);
  if (town?.level !== 'town' || !townCode.startsWith(actor.countyCode)) {
    throw validationError('townCode', `乡镇代码 ${townCode} 不是本县（${actor.countyCode}）的乡镇`);
  }
  if (input.townCode && !isWithinScope(scope, actor.countyCode, input.townCode)) {
    throw new AppError(ErrorCode.FORBIDDEN_AREA, `${town.name}不在您的管辖区域内`, { field: 'townCode' });
  }
  if (household && household.town_code !== townCode) {
    throw validationError('householdId', `该家庭不属于${town.name}，请核对家庭编号或受理乡镇`);
  }
  if (input.villageCode) {
    const village = await repo.findArea(trx, input.villageCode);
    if (village?.parent_code !== townCode) {
      throw validationError('villageCode', `村（居）代码 ${input.villageCode} 不属于${town.name}`);
    }
  }

  const person = idNumber ? await repo.findPersonByIdNumber(trx, scope, idNumber) : undefined;
  const receivedBy = await actorName(trx, actor);
  const request = await repo.insertRequest(trx, {
    county_code: actor.countyCode,
    town_code: townCode,
    village_code: input.villageCode ?? null,
    household_id: household?.id ?? null,
    applicant_person_id: person?.id ?? null,
    applicant_name: input.applicantName,
    applicant_id_number: idNumber,
    applicant_phone: input.applicantPhone ?? null,
    channel,
    description: input.description,
    received_by_user_id: actor.userId,
    received_by: receivedBy,
    received_at: ts,
    status: 'registered',
    missing_materials_json: null,
    notice_issued_at: null,
    created_at: ts,
    updated_at: ts,
  });
  const items = await repo.insertItems(
    trx,
    input.items.map((code) => ({
      county_code: request.county_code,
      town_code: request.town_code,
      request_id: request.id,
      item_code: code,
      decision: 'pending',
      department: null,
      forwarded_on: null,
      due_on: null,
      reply: null,
      replied_on: null,
      applicant_informed_on: null,
      reason: null,
      case_id: null,
      created_at: ts,
      updated_at: ts,
    })),
  );
  await auditRequest(
    trx,
    actor,
    'intake_request.create',
    request,
    null,
    { ...request, items: items.map((i) => ({ id: i.id, item_code: i.item_code })) },
    now,
    `${CHANNELS[channel]}登记：${input.items.map(itemLabel).join('、')}`,
  );
  return {
    ...summary(request.id, request.version, 'registered'),
    items: items.map((i) => ({ id: i.id, itemCode: i.item_code, version: i.version })),
  };
}

// ---------------------------------------------------------------------------------------------
// Reads

export async function listRequests(trx: Trx, actor: Actor, q: ListQueryInput, now: Date = new Date()) {
  requirePermission(actor, 'registry.read');
  const scope = scopeOf(actor);
  const today = chinaDate(now);
  const filter: repo.RequestFilter = {
    ...(q.status ? { status: q.status } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.item ? { itemCode: q.item } : {}),
    ...(q.townCode ? { townCode: q.townCode } : {}),
    ...(q.name ? { name: q.name } : {}),
    ...(q.overdue === 'true' ? { overdueOn: today } : {}),
  };
  const [total, rows] = await Promise.all([
    repo.countRequests(trx, scope, filter),
    repo.listRequests(trx, scope, filter, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize }),
  ]);
  const items = await repo.itemsOf(
    trx,
    rows.map((r) => r.id),
  );
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    today,
    items: rows.map((r) => {
      const own = items.filter((i) => i.request_id === r.id);
      const status = statusOfRow(r.status);
      return {
        id: r.id,
        townCode: r.town_code,
        townName: r.town_name,
        villageName: r.village_name,
        applicantName: r.applicant_name,
        applicantIdNumber: r.applicant_id_number ? maskIdNumber(r.applicant_id_number) : null,
        channel: r.channel,
        channelLabel: CHANNELS[r.channel as Channel] ?? r.channel,
        receivedAt: r.received_at,
        receivedBy: r.received_by,
        status,
        statusLabel: REQUEST_STATUS[status],
        noticeOpen: noticeOpen(parseNotice(r.missing_materials_json)),
        overdue: own.some((i) => i.decision === 'forwarded' && i.due_on !== null && i.due_on < today),
        items: own.map((i) => ({
          id: i.id,
          itemCode: i.item_code,
          label: itemLabel(i.item_code),
          decision: i.decision,
          decisionLabel: isItemDecision(i.decision) ? ITEM_DECISIONS[i.decision] : i.decision,
        })),
        version: r.version,
      };
    }),
  };
}

/**
 * One request with everything the window needs: items with what can be done next and the deadline of
 * forwarded ones, the notice, the authorisations (and which household members have not signed), the
 * materials checklist and the close-relative register matches (DOMAIN §10). The read is audited; full
 * ID numbers are shown to roles that may see them (registry.reveal), masked otherwise.
 */
export async function getRequest(trx: Trx, actor: Actor, id: number, now: Date = new Date()) {
  requirePermission(actor, 'registry.read');
  const r = await requestInScopeOrThrow(trx, actor, id, '查看');
  const reveal = actor.role === 'system' || hasPermission(actor.role, 'registry.reveal');
  const today = chinaDate(now);
  const [items, authorisations, county, town, village, members] = await Promise.all([
    repo.itemsOf(trx, [id]),
    repo.authorisationsOf(trx, id),
    repo.findArea(trx, r.county_code),
    repo.findArea(trx, r.town_code),
    r.village_code ? repo.findArea(trx, r.village_code) : Promise.resolve(undefined),
    r.household_id ? registryRepo.membersOf(trx, r.household_id, today) : Promise.resolve([]),
  ]);
  const notice = parseNotice(r.missing_materials_json);
  const calendar = await calendarAround(
    trx,
    today,
    items.map((i) => i.due_on),
  );
  const idOut = (v: string | null) => (v === null ? null : reveal ? v : maskIdNumber(v));
  const authorisedIds = new Set(authorisations.map((a) => a.id_number));
  const idNumbers = [
    ...new Set(
      [
        r.applicant_id_number,
        ...authorisations.map((a) => a.id_number),
        ...members.map((m) => m.id_number),
      ].filter((v): v is string => v !== null),
    ),
  ];
  const relatives = await repo.closeRelativesOf(trx, r.county_code, idNumbers);
  const states = items.map(itemState);
  const pendingCodes = states.filter((s) => s.decision === 'pending').map((s) => s.itemCode);
  const allCodes = states.map((s) => s.itemCode);
  const status = statusOfRow(r.status);

  await appendAudit(
    trx,
    actor,
    {
      action: 'intake_request.read',
      entityType: 'intake_request',
      entityId: id,
      countyCode: r.county_code,
      townCode: r.town_code,
      detail: reveal ? '查看受理登记（含完整身份证号码）' : null,
    },
    now,
  );

  return {
    id: r.id,
    countyCode: r.county_code,
    countyName: county?.name ?? null,
    townCode: r.town_code,
    townName: town?.name ?? null,
    villageCode: r.village_code,
    villageName: village?.name ?? null,
    householdId: r.household_id,
    applicantPersonId: r.applicant_person_id,
    applicantName: r.applicant_name,
    applicantIdNumber: idOut(r.applicant_id_number),
    applicantPhone: reveal ? r.applicant_phone : maskPhone(r.applicant_phone),
    masked: !reveal,
    channel: r.channel,
    channelLabel: CHANNELS[r.channel as Channel] ?? r.channel,
    description: r.description,
    receivedBy: r.received_by,
    receivedAt: r.received_at,
    status,
    statusLabel: REQUEST_STATUS[status],
    version: r.version,
    today,
    suggestedForwardDue: suggestedForwardDue(today, calendar),
    forwardWarnWorkingDays: FORWARD_WARN_WORKING_DAYS,
    notice: notice
      ? {
          issuedOn: notice.issuedOn,
          issuedBy: notice.issuedBy,
          issuedAt: r.notice_issued_at,
          open: noticeOpen(notice),
          materials: notice.materials.map((m) => ({ ...m, itemLabel: itemLabel(m.itemCode) })),
        }
      : null,
    items: items.map((row, i) => {
      const s = states[i] as ItemState;
      const deadline = s.decision === 'forwarded' && s.dueOn ? forwardStatus(s.dueOn, today, calendar) : null;
      return {
        id: row.id,
        itemCode: s.itemCode,
        label: itemLabel(s.itemCode),
        handling: INTAKE_ITEMS[s.itemCode].handling,
        defaultDepartment: INTAKE_ITEMS[s.itemCode].department,
        decision: s.decision,
        decisionLabel: ITEM_DECISIONS[s.decision],
        department: s.department,
        forwardedOn: s.forwardedOn,
        dueOn: s.dueOn,
        deadline,
        repliedLate: s.repliedOn !== null && s.dueOn !== null && s.repliedOn > s.dueOn,
        reply: s.reply,
        repliedOn: s.repliedOn,
        applicantInformedOn: s.applicantInformedOn,
        reason: s.reason,
        caseId: row.case_id,
        version: row.version,
        actions: status === 'archived' ? [] : availableActions(s),
        outstanding: outstandingMaterials(notice, s.itemCode).map((m) => m.label),
      };
    }),
    checklist: {
      ...materialsChecklist(allCodes),
      pendingItems: pendingCodes,
      noticeAllowed: notice === null && pendingCodes.length > 0 && status !== 'archived',
    },
    authorisationNeeded: needsAuthorisation(allCodes),
    authorisations: authorisations.map((a) => ({
      id: a.id,
      personId: a.person_id,
      name: a.name,
      idNumber: idOut(a.id_number),
      signer: a.signer,
      signerLabel: SIGNERS[a.signer as keyof typeof SIGNERS] ?? a.signer,
      signerName: a.signer_name,
      signedOn: a.signed_on,
      note: a.note,
    })),
    householdMembers: members.map((m) => ({
      personId: m.id,
      name: m.name,
      idNumber: idOut(m.id_number),
      relation: m.relation,
      deceased: m.death_date !== null,
      authorised: authorisedIds.has(m.id_number),
    })),
    closeRelatives: relatives.map((c) => ({
      idNumber: idOut(c.id_number),
      name: c.name,
      relation: c.relation,
      staffName: c.staff_name,
      staffKind: c.staff_kind,
    })),
  };
}

/**
 * Forwarded items due soon or overdue in the user's area (county users: every town), for the 工作台:
 * the window chases the departments (跟踪督办, DOMAIN §2 rule 6).
 */
export async function overdueForwards(trx: Trx, actor: Actor, now: Date = new Date()) {
  requirePermission(actor, 'registry.read');
  const today = chinaDate(now);
  // Enough calendar days to cover the warning period across the longest holiday (春节, 国庆).
  const rows = await repo.forwardedDueBy(trx, scopeOf(actor), addDays(today, 31));
  const calendar = await calendarAround(
    trx,
    today,
    rows.map((r) => r.due_on),
  );
  const items = rows
    .map((r) => ({ r, d: forwardStatus(r.due_on as string, today, calendar) }))
    .filter(({ d }) => d.status !== 'on_time')
    .map(({ r, d }) => ({
      itemId: r.id,
      requestId: r.request_id,
      itemCode: r.item_code,
      label: itemLabel(r.item_code),
      applicantName: r.applicant_name,
      townCode: r.town_code,
      townName: r.town_name,
      department: r.department,
      forwardedOn: r.forwarded_on,
      dueOn: r.due_on,
      status: d.status,
      statusLabel: d.label,
      workingDaysLeft: d.workingDaysLeft,
    }));
  return {
    today,
    overdue: items.filter((i) => i.status === 'overdue').length,
    dueSoon: items.filter((i) => i.status === 'due_soon').length,
    items,
  };
}

// ---------------------------------------------------------------------------------------------
// Changes on the request

async function lockedRequestForChange(
  trx: Trx,
  actor: Actor,
  id: number,
  version: number,
  attempted: string,
) {
  requirePermission(actor, 'registry.write');
  const before = await requestInScopeOrThrow(trx, actor, id, attempted);
  if (before.version !== version) throw staleVersion('该受理登记');
  return before;
}

/** 一次性告知书: everything missing, for every pending item, at once (DOMAIN §2). */
export async function issueNotice(
  trx: Trx,
  actor: Actor,
  id: number,
  input: NoticeInput,
  now: Date = new Date(),
) {
  const before = await lockedRequestForChange(trx, actor, id, input.version, '出具一次性告知书');
  if (before.status === 'archived') throw new AppError(ErrorCode.CONFLICT, '该申请已归档，不能再出具告知书');
  const items = (await repo.itemsOf(trx, [id])).map(itemState);
  const built = buildNotice({
    existing: parseNotice(before.missing_materials_json),
    pendingItems: items.filter((i) => i.decision === 'pending').map((i) => i.itemCode),
    missing: input.materials,
    issuedOn: chinaDate(now),
    issuedBy: await actorName(trx, actor),
  });
  if (!built.ok) throw refusalError(built.refusals);
  const json = JSON.stringify(built.notice);
  const after = await repo.updateRequestVersioned(trx, id, input.version, {
    missing_materials_json: json,
    notice_issued_at: now.toISOString(),
    updated_at: now.toISOString(),
  });
  if (!after) throw staleVersion('该受理登记');
  const status = await refreshStatus(trx, after);
  await auditRequest(
    trx,
    actor,
    'intake_request.notice',
    after,
    { status: before.status, notice: null },
    { status, notice: built.notice },
    now,
    `一次性告知缺少材料 ${built.notice.materials.length} 项`,
  );
  return summary(id, after.version, status);
}

/** The applicant brought materials listed on the notice (all still missing when `received` is omitted). */
export async function recordMaterialsReceived(
  trx: Trx,
  actor: Actor,
  id: number,
  input: ReceiveInput,
  now: Date = new Date(),
) {
  const before = await lockedRequestForChange(trx, actor, id, input.version, '登记补正材料');
  if (before.status === 'archived') throw new AppError(ErrorCode.CONFLICT, '该申请已归档');
  const notice = parseNotice(before.missing_materials_json);
  const result = receive(notice, input.received ?? null, chinaDate(now));
  if (!result.ok) throw refusalError(result.refusals);
  const after = await repo.updateRequestVersioned(trx, id, input.version, {
    missing_materials_json: JSON.stringify(result.notice),
    updated_at: now.toISOString(),
  });
  if (!after) throw staleVersion('该受理登记');
  const status = await refreshStatus(trx, after);
  await auditRequest(
    trx,
    actor,
    'intake_request.materials',
    after,
    { status: before.status, notice },
    { status, notice: result.notice },
    now,
    result.stillMissing === 0 ? '材料已补齐' : `已补交部分材料，仍缺 ${result.stillMissing} 项`,
  );
  return { ...summary(id, after.version, status), stillMissing: result.stillMissing };
}

/** 核对授权书 of one person being verified, signed by them or for them (DOMAIN §3.2). */
export async function addAuthorisation(
  trx: Trx,
  actor: Actor,
  id: number,
  input: AuthorisationInput,
  now: Date = new Date(),
) {
  const before = await lockedRequestForChange(trx, actor, id, input.version, '登记授权书');
  if (before.status === 'archived') throw new AppError(ErrorCode.CONFLICT, '该申请已归档，不能再登记授权书');
  const today = chinaDate(now);
  const issues = authorisationIssues(input, today);
  let idNumber: string | null = null;
  try {
    idNumber = checkIdNumber(input.idNumber, 'idNumber', today);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.unshift(...e.issues.map((i) => ({ code: 'id_number', message: i.message, field: i.field })));
  }
  if (issues.length > 0 || idNumber === null) throw refusalError(issues);
  const existing = await repo.authorisationsOf(trx, id);
  if (existing.some((a) => a.id_number === idNumber)) {
    throw new AppError(ErrorCode.CONFLICT, `已登记${input.name}的授权书，无需重复登记`, {
      field: 'idNumber',
    });
  }
  const person = await repo.findPersonByIdNumber(trx, scopeOf(actor), idNumber);
  const row = await repo.insertAuthorisation(trx, {
    county_code: before.county_code,
    town_code: before.town_code,
    request_id: id,
    person_id: person?.id ?? null,
    id_number: idNumber,
    name: input.name,
    signer: input.signer,
    signer_name: input.signer === 'self' ? null : (input.signerName?.trim() ?? null),
    signed_on: input.signedOn,
    note: input.note?.trim() ? input.note.trim() : null,
    created_at: now.toISOString(),
  });
  const after = await repo.updateRequestVersioned(trx, id, input.version, { updated_at: now.toISOString() });
  if (!after) throw staleVersion('该受理登记');
  await appendAudit(
    trx,
    actor,
    {
      action: 'intake_request.authorisation',
      entityType: 'intake_request',
      entityId: id,
      countyCode: before.county_code,
      townCode: before.town_code,
      after: row,
      detail: `登记核对授权书：${row.name}（${SIGNERS[input.signer]}签署）`,
    },
    now,
  );
  return { ...summary(id, after.version, statusOfRow(after.status)), authorisationId: row.id };
}

export async function archiveRequest(
  trx: Trx,
  actor: Actor,
  id: number,
  input: { version: number },
  now: Date = new Date(),
) {
  const before = await lockedRequestForChange(trx, actor, id, input.version, '归档');
  const refusal = archiveRefusal(statusOfRow(before.status));
  if (refusal) throw new AppError(ErrorCode.CONFLICT, refusal);
  const after = await repo.updateRequestVersioned(trx, id, input.version, {
    status: 'archived',
    updated_at: now.toISOString(),
  });
  if (!after) throw staleVersion('该受理登记');
  await auditRequest(
    trx,
    actor,
    'intake_request.archive',
    after,
    { status: before.status },
    { status: 'archived' },
    now,
  );
  return summary(id, after.version, 'archived');
}

// ---------------------------------------------------------------------------------------------
// Decisions on an item

export type DecisionBody = { version: number } & (
  | { action: 'accept' }
  | { action: 'forward'; department: string; dueOn: string }
  | { action: 'reply'; reply: string; repliedOn?: string | undefined }
  | { action: 'inform'; informedOn?: string | undefined }
  | { action: 'refer'; department: string; note?: string | null | undefined }
  | { action: 'reject'; reason: string }
);

function actionInput(body: DecisionBody, today: string): ItemActionInput {
  switch (body.action) {
    case 'accept':
      return { action: 'accept' };
    case 'forward':
      return { action: 'forward', department: body.department, dueOn: body.dueOn };
    case 'reply':
      return { action: 'reply', reply: body.reply, repliedOn: body.repliedOn ?? today };
    case 'inform':
      return { action: 'inform', informedOn: body.informedOn ?? today };
    case 'refer':
      return { action: 'refer', department: body.department, note: body.note ?? null };
    case 'reject':
      return { action: 'reject', reason: body.reason };
  }
}

/** Which case program a window item opens; 特困 follows the household's hukou (DOMAIN §5.4 Art. 19). */
function caseProgramFor(itemCode: string, hukouType: 'urban' | 'rural'): string | null {
  switch (itemCode) {
    case 'urban_dibao':
    case 'rural_dibao':
    case 'temporary_aid':
      return itemCode;
    case 'tekun':
      return hukouType === 'urban' ? 'urban_tekun' : 'rural_tekun';
    default:
      return null; // 医疗救助 is approved by the medical-security bureau (DOMAIN §1); no case here yet
  }
}

async function openCaseForItem(
  trx: Trx,
  actor: Actor,
  request: { household_id: number | null; applicant_person_id: number | null },
  item: { id: number; item_code: string },
  today: string,
  now: Date,
): Promise<number | null> {
  if (request.household_id === null) {
    throw new AppError(
      ErrorCode.REFUSED,
      '受理前请先在“救助对象”中登记申请家庭，并在本申请中关联该家庭（家庭经济状况调查以家庭为单位）',
      { field: 'householdId' },
    );
  }
  const household = await trx
    .selectFrom('household')
    .select('hukou_type')
    .where('id', '=', request.household_id)
    .executeTakeFirstOrThrow();
  const program = caseProgramFor(item.item_code, household.hukou_type);
  if (program === null) return null;
  const personLevel = program.endsWith('tekun');
  const opened = await openCase(
    trx,
    actor,
    {
      programCode: program,
      householdId: request.household_id,
      personId: personLevel ? request.applicant_person_id : null,
      intakeItemId: item.id,
      acceptedOn: today,
    },
    now,
  );
  return opened.id;
}

/**
 * One decision on one item (受理 / 转办 / 登记答复 / 已告知申请人 / 转介 / 不予受理). Accepting a window
 * item (低保, 特困, 临时救助) opens its case in the same transaction.
 */
export async function decideItem(
  trx: Trx,
  actor: Actor,
  itemId: number,
  body: DecisionBody,
  now: Date = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const attempted = ITEM_ACTIONS[body.action];
  const before = await itemInScopeOrThrow(trx, actor, itemId, attempted);
  if (before.version !== body.version) throw staleVersion('该申请事项');
  const today = chinaDate(now);
  const ts = now.toISOString();
  // Lock the request first, so concurrent decisions on its items derive the status one after another.
  const request = await repo.touchRequest(trx, before.request_id, { updated_at: ts });
  const notice = parseNotice(request.missing_materials_json);
  const state = itemState(before);
  const decision = decide(state, actionInput(body, today), {
    today,
    archived: request.status === 'archived',
    outstanding: outstandingMaterials(notice, state.itemCode),
  });
  if (!decision.ok) throw refusalError(decision.refusals);
  const c = decision.changes;
  const after = await repo.updateItemVersioned(trx, itemId, body.version, {
    ...(c.decision !== undefined ? { decision: c.decision } : {}),
    ...(c.department !== undefined ? { department: c.department } : {}),
    ...(c.forwardedOn !== undefined ? { forwarded_on: c.forwardedOn } : {}),
    ...(c.dueOn !== undefined ? { due_on: c.dueOn } : {}),
    ...(c.reply !== undefined ? { reply: c.reply } : {}),
    ...(c.repliedOn !== undefined ? { replied_on: c.repliedOn } : {}),
    ...(c.applicantInformedOn !== undefined ? { applicant_informed_on: c.applicantInformedOn } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    updated_at: ts,
  });
  if (!after) throw staleVersion('该申请事项');
  // 受理 of a window item opens its case at once (DOMAIN §4.6: accepted → investigation within 3 WD).
  let caseId: number | null = null;
  if (body.action === 'accept') {
    caseId = await openCaseForItem(trx, actor, request, after, today, now);
    await trx.updateTable('intake_item').set({ case_id: caseId }).where('id', '=', itemId).execute();
  }
  const status = await refreshStatus(trx, request);
  const diff = diffRecords(before, after);
  await appendAudit(
    trx,
    actor,
    {
      action: `intake_item.${body.action}`,
      entityType: 'intake_item',
      entityId: itemId,
      countyCode: before.county_code,
      townCode: before.town_code,
      before: diff.before,
      after: { ...(diff.after as Record<string, unknown>), request_status: status },
      detail: `${itemLabel(before.item_code)}：${attempted}（受理登记 ${before.request_id}）`,
    },
    now,
  );
  return {
    requestId: before.request_id,
    requestVersion: request.version,
    status,
    statusLabel: REQUEST_STATUS[status],
    caseId,
    item: {
      id: after.id,
      version: after.version,
      decision: after.decision as ItemDecision,
      decisionLabel: ITEM_DECISIONS[after.decision as ItemDecision],
    },
  };
}
