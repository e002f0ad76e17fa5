/**
 * 居民家庭经济状况核对 (DOMAIN §3): a verification of one household, on the family's authorisation (授权书,
 * DOMAIN §3.2) or as the periodic re-check of an enrolled household (DOMAIN §3.1, 2022 通知 §5(1)). The service
 * chooses who is verified (the current living members, and for 特困 the legally obliged supporters), checks the
 * basis, resolves the parameters of the asOf month for the household's town, asks the departments
 * (modules/departments lookupPersons, which logs every query), builds the report with the pure domain code
 * (domain/verification/report.ts) and stores it immutably with its number and sha256.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, VerificationReportTable, VerificationRequestTable } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { hasPermission } from '../../domain/access/roles.ts';
import { chinaDate, monthOf } from '../../domain/calendar/dates.ts';
import { addWorkingDays } from '../../domain/calendar/working-days.ts';
import { maskIdNumber, validateResidentId } from '../../domain/identity/resident-id.ts';
import type { DibaoParams } from '../../domain/policy/dibao.params.ts';
import {
  buildVerificationReport,
  CHECK_TYPES,
  type CheckType,
  CONCLUSION_CODES,
  type ConclusionCode,
  type Declaration,
  declarationSchema,
  isMeetsConclusion,
  type ReportSubject,
  type SourceResult,
  type VerificationReportBody,
} from '../../domain/verification/report.ts';
import { SOURCE_CODES } from '../../domain/verification/sources.ts';
import { addMonthsToMonth } from '../../domain/workflow/months.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { loadWorkCalendar } from '../calendar/calendar.service.ts';
import { findCase, locateCase } from '../cases/cases.repository.ts';
import { type LookupContext, lookupPersons } from '../departments/departments.service.ts';
import { AppError, ErrorCode, forbiddenArea, notFound, validationError } from '../errors/app-error.ts';
import { resolveDibaoStandard, resolvePolicy } from '../policy/policy.service.ts';
import { findHousehold, locateHousehold, membersOf } from '../registry/registry.repository.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type AnyDb = Db | Trx;
export type VerificationBasis = 'authorisation' | 'periodic_recheck';

export const BASIS_LABELS: Record<VerificationBasis, string> = {
  authorisation: '授权核对',
  periodic_recheck: '定期复核核对',
};

/** DOMAIN §3.3 (审核确认办法 Art. 17): the county starts the verification within 3 working days of the request. */
export const START_WITHIN_WORKING_DAYS = 3;
/** An authorisation signed for another request still counts for 12 months (contract §4). */
const AUTHORISATION_VALID_MONTHS = 12;

export interface SupporterInput {
  name: string;
  idNumber: string;
  relation: string;
}

export interface RequestVerificationInput {
  caseId?: number | null | undefined;
  householdId?: number | null | undefined;
  checkType?: CheckType | undefined;
  /** Default: a case → authorisation; a household with an active enrolment → periodic re-check. */
  basis?: VerificationBasis | undefined;
  supporters?: SupporterInput[] | undefined;
  declaration?: Declaration | null | undefined;
  /** 上年度当地居民人均可支配收入 (a YEARLY figure, fen), to judge 特困 supporters' capacity (DOMAIN §9). */
  previousYearDisposableIncomeFen?: number | null | undefined;
}

export interface VerificationOutcome {
  requestId: number;
  reportId: number;
  reportNo: string;
  conclusion: ConclusionCode;
  conclusionLabel: string;
  differenceCount: number;
  /** Not "meets", or a major difference against the declaration (re-check batches count these). */
  flagged: boolean;
}

/** Everything decided before the departments are asked. */
export interface PreparedVerification {
  countyCode: string;
  townCode: string;
  householdId: number;
  caseId: number | null;
  enrolmentId: number | null;
  basis: VerificationBasis;
  checkType: CheckType;
  asOf: string;
  subjects: ReportSubject[];
  authorisations: Map<string, number>;
  declaration: Declaration | null;
  dibaoParams: DibaoParams;
  urbanStandardFen: number | undefined;
  previousYearDisposableIncomeFen: number | null;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const ID_PATTERN = /^(\d{17}[\dX]|\d{15})$/;

/** Masks every resident ID number anywhere in a value (subjects, records, spouse refs, differences). */
export function maskIdsDeep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return ID_PATTERN.test(v) ? maskIdNumber(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function canReveal(actor: Actor): boolean {
  return actor.role === 'system' || hasPermission(actor.role, 'registry.reveal');
}

function checkTypeOfProgram(programCode: string | null, hukou: 'urban' | 'rural'): CheckType {
  if (programCode === 'urban_dibao') return '01';
  if (programCode === 'rural_dibao') return '02';
  if (programCode === 'urban_tekun' || programCode === 'rural_tekun') return '05';
  return hukou === 'urban' ? '01' : '02';
}

/** The dibao parameters a check type is measured against (特困: the dibao standard of its urban/rural kind). */
function dibaoProgramFor(
  checkType: CheckType,
  programCode: string | null,
  hukou: 'urban' | 'rural',
): 'urban_dibao' | 'rural_dibao' {
  if (checkType === '01') return 'urban_dibao';
  if (checkType === '02') return 'rural_dibao';
  if (programCode === 'urban_tekun' || programCode === 'urban_dibao') return 'urban_dibao';
  if (programCode === 'rural_tekun' || programCode === 'rural_dibao') return 'rural_dibao';
  return hukou === 'urban' ? 'urban_dibao' : 'rural_dibao';
}

const LABOUR = new Set(['full', 'partial', 'none']);

async function householdInScopeOrThrow(db: AnyDb, actor: Actor, id: number, attempted: string) {
  const h = await findHousehold(db, scopeOf(actor), id);
  if (h) return h;
  const located = await locateHousehold(db, id);
  if (!located) throw notFound(`家庭（编号 ${id}）`);
  throw forbiddenArea('家庭', {
    entityType: 'household',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

async function caseInScopeOrThrow(db: AnyDb, actor: Actor, id: number, attempted: string) {
  const c = await findCase(db, scopeOf(actor), id);
  if (c) return c;
  const located = await locateCase(db, id);
  if (!located) throw notFound(`个案（编号 ${id}）`);
  throw forbiddenArea('个案', {
    entityType: 'case',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

/** Households with an active enrolment (DOMAIN §3.1: periodic re-checks are for recipients). */
export function activeEnrolmentsOf(db: AnyDb, householdId: number) {
  return db
    .selectFrom('enrolment')
    .select(['id', 'program_code', 'person_id'])
    .where('household_id', '=', householdId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Preparing: subjects, basis, authorisations, parameters

/**
 * Decides who is verified, on which basis and against which parameters. Refusals are AppErrors with Chinese
 * messages: a missing authorisation names every person without one (DOMAIN §3.2).
 */
export async function prepareVerification(
  db: AnyDb,
  actor: Actor,
  input: RequestVerificationInput,
  now: Date,
): Promise<PreparedVerification> {
  const asOf = chinaDate(now);
  const month = monthOf(asOf);
  let caseRow: Awaited<ReturnType<typeof findCase>> | undefined;
  if (input.caseId) {
    caseRow = await caseInScopeOrThrow(db, actor, input.caseId, '发起核对');
    if (input.householdId && input.householdId !== caseRow.household_id) {
      throw validationError(
        'householdId',
        `个案（编号 ${caseRow.id}）不属于家庭（编号 ${input.householdId}）`,
      );
    }
  }
  const householdId = caseRow?.household_id ?? input.householdId;
  if (!householdId) throw validationError('householdId', '请指定个案或家庭');
  const household = await householdInScopeOrThrow(db, actor, householdId, '发起核对');
  const enrolments = await activeEnrolmentsOf(db, household.id);
  const enrolment =
    (caseRow?.enrolment_id ? enrolments.find((e) => e.id === caseRow?.enrolment_id) : undefined) ??
    enrolments.find((e) => /dibao|tekun/.test(e.program_code)) ??
    enrolments[0];

  const basis: VerificationBasis =
    input.basis ?? (caseRow ? 'authorisation' : enrolment ? 'periodic_recheck' : 'authorisation');
  if (basis === 'periodic_recheck' && !enrolment) {
    throw validationError(
      'basis',
      '该户没有在保的救助记录，不能按定期复核发起核对；新申请须登记全部家庭成员的核对授权书（DOMAIN §3.1、§3.2）',
    );
  }
  const programCode = caseRow?.program_code ?? enrolment?.program_code ?? null;
  const checkType = input.checkType ?? checkTypeOfProgram(programCode, household.hukou_type);
  if (!Object.hasOwn(CHECK_TYPES, checkType)) {
    throw validationError(
      'checkType',
      `核对类型应为：${Object.entries(CHECK_TYPES)
        .map(([k, v]) => `${k}（${v}）`)
        .join('、')}`,
    );
  }

  // Subjects: the current living members (DOMAIN §4.2), plus 特困 supporters (特困认定办法 Art. 10, DOMAIN §3.2).
  const members = (await membersOf(db, household.id, asOf)).filter(
    (m) => m.valid_to === null && m.death_date === null,
  );
  if (members.length === 0) throw validationError('householdId', '该户没有在册的家庭成员，无法核对');
  const tekunPerson = checkType === '05' ? (caseRow?.person_id ?? enrolment?.person_id ?? null) : null;
  const subjects: ReportSubject[] = members.map((m) => ({
    personId: m.id,
    name: m.name,
    idNumber: m.id_number,
    relation: m.relation,
    role: 'member',
    sex: m.sex,
    birthDate: m.birth_date,
    // 特困: the person's own income and property are judged (DOMAIN §4.4 special rule); the others are listed.
    counted: tekunPerson === null ? true : m.id === tekunPerson,
    ...(LABOUR.has(m.labour_capacity)
      ? { labourCapacity: m.labour_capacity as 'full' | 'partial' | 'none' }
      : {}),
    employed: m.employment_status === 'employed',
    student: m.school_status !== 'none' && m.school_status !== 'preschool',
    disabilityGrade: m.disability_grade,
    disabilityCategory: m.disability_category,
    seriousIllness: m.serious_illness === 1,
  }));
  const supporters = input.supporters ?? [];
  if (supporters.length > 0) {
    if (checkType !== '05') {
      throw validationError('supporters', '只有特困人员核对需要核对赡养、抚养、扶养义务人');
    }
    if (basis !== 'authorisation') {
      throw validationError(
        'supporters',
        '定期复核只核对在保家庭成员；核对赡养、抚养、扶养义务人须登记其核对授权书，按授权核对',
      );
    }
  }
  for (const [i, s] of supporters.entries()) {
    const r = validateResidentId(s.idNumber, { asOf });
    if (!r.valid) {
      throw validationError(
        `supporters[${i}].idNumber`,
        `义务人${s.name}的身份证号码有误：${r.errors.map((e) => e.message).join('；')}`,
      );
    }
    if (subjects.some((x) => x.idNumber === r.idNumber)) continue;
    const person = await db
      .selectFrom('person')
      .select('id')
      .where('id_number', '=', r.idNumber)
      .executeTakeFirst();
    subjects.push({
      personId: person?.id ?? null,
      name: s.name.trim(),
      idNumber: r.idNumber,
      relation: s.relation.trim(),
      role: 'supporter',
      sex: r.sex,
      birthDate: r.birthDate,
      counted: false,
    });
  }

  // Authorisations (DOMAIN §3.2): from the case's intake request, or any signed in the last 12 months.
  const authorisations = new Map<string, number>();
  if (basis === 'authorisation') {
    let requestId: number | null = null;
    if (caseRow?.intake_item_id) {
      const item = await db
        .selectFrom('intake_item')
        .select('request_id')
        .where('id', '=', caseRow.intake_item_id)
        .executeTakeFirst();
      requestId = item?.request_id ?? null;
    }
    const since = `${addMonthsToMonth(month, -AUTHORISATION_VALID_MONTHS)}-${asOf.slice(8, 10)}`;
    const rows = await db
      .selectFrom('verification_authorisation')
      .select(['id', 'id_number', 'request_id', 'signed_on'])
      .where('county_code', '=', household.county_code)
      .where(
        'id_number',
        'in',
        subjects.map((s) => s.idNumber),
      )
      .where('signed_on', '<=', asOf)
      .orderBy('signed_on', 'desc')
      .orderBy('id', 'desc')
      .execute();
    for (const s of subjects) {
      const own = rows.filter((r) => r.id_number === s.idNumber);
      const pick =
        own.find((r) => requestId !== null && r.request_id === requestId) ??
        own.find((r) => r.signed_on >= since);
      if (pick) authorisations.set(s.idNumber, pick.id);
    }
    const missing = subjects.filter((s) => !authorisations.has(s.idNumber));
    if (missing.length > 0) {
      throw validationError(
        'authorisations',
        `以下人员尚未登记核对授权书：${missing.map((s) => s.name).join('、')}（DOMAIN §3.2：核对对象须本人或监护人签署授权书）`,
      );
    }
  }

  // Parameters of the asOf month for the household's town (town version over the county's).
  const program = dibaoProgramFor(checkType, programCode, household.hukou_type);
  const policy = await resolvePolicy<'dibao'>(db, {
    countyCode: household.county_code,
    townCode: household.town_code,
    programCode: program,
    month,
  });
  if (!policy) {
    throw new AppError(
      ErrorCode.REFUSED,
      `${month} 该户所在乡镇没有在执行的${program === 'urban_dibao' ? '城市' : '农村'}低保标准，无法出具核对报告`,
    );
  }
  const urban = await resolveDibaoStandard(db, {
    countyCode: household.county_code,
    townCode: household.town_code,
    program: 'urban_dibao',
    month,
  });

  let declaration: Declaration | null = null;
  if (input.declaration) {
    const parsed = declarationSchema.safeParse(input.declaration);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw validationError(
        `declaration${issue?.path.length ? `.${issue.path.map(String).join('.')}` : ''}`,
        `申报信息有误：${issue?.message ?? '格式不正确'}`,
      );
    }
    declaration = parsed.data;
  }

  return {
    countyCode: household.county_code,
    townCode: household.town_code,
    householdId: household.id,
    caseId: caseRow?.id ?? null,
    enrolmentId: enrolment?.id ?? null,
    basis,
    checkType,
    asOf,
    subjects,
    authorisations,
    declaration,
    dibaoParams: policy.body as DibaoParams,
    urbanStandardFen: urban?.standardFen,
    previousYearDisposableIncomeFen: input.previousYearDisposableIncomeFen ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Running and storing

export function insertRequestRow(
  db: AnyDb,
  actor: Actor,
  p: PreparedVerification,
  now: Date,
  batchId: number | null = null,
  requestedBy: string = actor.username,
) {
  return db
    .insertInto('verification_request')
    .values({
      county_code: p.countyCode,
      town_code: p.townCode,
      case_id: p.caseId,
      household_id: p.householdId,
      enrolment_id: p.enrolmentId,
      batch_id: batchId,
      basis: p.basis,
      check_type: p.checkType,
      subjects_json: JSON.stringify(
        p.subjects.map((s) => ({
          personId: s.personId,
          name: s.name,
          idNumber: s.idNumber,
          relation: s.relation,
          role: s.role,
        })),
      ),
      declaration_json: p.declaration ? JSON.stringify(p.declaration) : null,
      status: 'running',
      requested_on: p.asOf,
      requested_by: requestedBy,
      requested_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function isFlagged(body: Pick<VerificationReportBody, 'conclusion' | 'differences'>): boolean {
  return !isMeetsConclusion(body.conclusion.code) || body.differences.some((d) => d.major);
}

async function nextReportNo(trx: Trx, countyCode: string, asOf: string): Promise<string> {
  const prefix = `HD${countyCode}${asOf.replaceAll('-', '')}`;
  const last = await trx
    .selectFrom('verification_report')
    .select((eb) => eb.fn.max('report_no').as('no'))
    .where('report_no', 'like', `${prefix}%`)
    .executeTakeFirst();
  const seq = last?.no ? Number(String(last.no).slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(seq).padStart(4, '0')}`;
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** ID numbers of the spouses that marriage records name. */
function spousesNamed(results: Record<string, SourceResult[]>): string[] {
  const out = new Set<string>();
  for (const list of Object.values(results)) {
    for (const r of list) {
      if (r.sourceCode !== 'marriage') continue;
      for (const rec of r.records) if (rec.ref) out.add(rec.ref);
    }
  }
  return [...out];
}

/** The registry's own death dates (civil-affairs data, no department query) of these people. */
async function registryDeaths(db: Db, idNumbers: string[]): Promise<Record<string, string>> {
  if (idNumbers.length === 0) return {};
  const rows = await db
    .selectFrom('person')
    .select(['id_number', 'death_date'])
    .where('id_number', 'in', idNumbers)
    .where('death_date', 'is not', null)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id_number, r.death_date as string]));
}

/**
 * Asks the departments, builds the report and stores it (immutable) with the request completed, in one
 * transaction with its audit entry. A failure marks the request failed with the reason and rethrows.
 */
export async function executeVerification(
  db: Db,
  actor: Actor,
  p: PreparedVerification,
  requestId: number,
  now: Date,
): Promise<VerificationOutcome> {
  let body: VerificationReportBody;
  try {
    const ctx: LookupContext = {
      actor,
      countyCode: p.countyCode,
      townCode: p.townCode,
      caseId: p.caseId,
      verificationRequestId: requestId,
      basis: p.basis,
      authorisations: p.authorisations,
    };
    const results = await lookupPersons(
      db,
      ctx,
      p.subjects.map((s) => ({ idNumber: s.idNumber, personId: s.personId })),
      SOURCE_CODES,
      now,
    );
    const byId: Record<string, SourceResult[]> = {};
    for (const s of p.subjects) byId[s.idNumber] = results.get(s.idNumber) ?? [];
    body = buildVerificationReport({
      knownDeceased: await registryDeaths(db, spousesNamed(byId)),
      checkType: p.checkType,
      asOf: p.asOf,
      subjects: p.subjects,
      results: byId,
      declaration: p.declaration,
      dibaoParams: p.dibaoParams,
      ...(p.urbanStandardFen !== undefined ? { urbanStandardFen: p.urbanStandardFen } : {}),
      previousYearDisposableIncomeFen: p.previousYearDisposableIncomeFen,
    });
  } catch (err) {
    await markRequestFailed(db, requestId, err, now);
    throw err;
  }
  const reportJson = JSON.stringify(body);
  const sha256 = sha256Hex(reportJson);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const reportNo = await nextReportNo(trx, p.countyCode, p.asOf);
        const report = await trx
          .insertInto('verification_report')
          .values({
            request_id: requestId,
            county_code: p.countyCode,
            town_code: p.townCode,
            case_id: p.caseId,
            household_id: p.householdId,
            report_no: reportNo,
            check_type: p.checkType,
            conclusion_code: body.conclusion.code,
            conclusion_label: body.conclusion.label,
            difference_count: body.differences.length,
            as_of: p.asOf,
            report_json: reportJson,
            sha256,
            created_by: actor.username,
            created_at: now.toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('verification_request')
          .set({ status: 'done', report_id: report.id, completed_at: now.toISOString(), error: null })
          .where('id', '=', requestId)
          .execute();
        await appendAudit(
          trx,
          actor,
          {
            action: 'verification.report',
            entityType: 'verification_report',
            entityId: report.id,
            countyCode: p.countyCode,
            townCode: p.townCode,
            after: {
              reportNo,
              requestId,
              caseId: p.caseId,
              householdId: p.householdId,
              basis: p.basis,
              checkType: p.checkType,
              conclusion: body.conclusion.code,
              differences: body.differences.length,
              subjects: p.subjects.length,
              sha256,
            },
            detail: `家庭经济状况核对报告 ${reportNo}：${body.conclusion.label}（${BASIS_LABELS[p.basis]}）`,
          },
          now,
        );
        return {
          requestId,
          reportId: report.id,
          reportNo,
          conclusion: body.conclusion.code,
          conclusionLabel: body.conclusion.label,
          differenceCount: body.differences.length,
          flagged: isFlagged(body),
        };
      });
    } catch (err) {
      // Two reports numbered at the same moment: take the next number.
      if (isUniqueViolation(err) && attempt < 3) continue;
      await markRequestFailed(db, requestId, err, now);
      throw err;
    }
  }
}

async function markRequestFailed(db: Db, requestId: number, err: unknown, now: Date): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  await db
    .updateTable('verification_request')
    .set({ status: 'failed', error: message.slice(0, 1000), completed_at: now.toISOString() })
    .where('id', '=', requestId)
    .where('status', '=', 'running')
    .execute();
}

/**
 * 发起核对 for a case or a household: prepare (refusals first), record the request, ask the departments,
 * store the immutable report. Returns the report number and conclusion.
 */
export async function requestVerification(
  db: Db,
  actor: Actor,
  input: RequestVerificationInput,
  now: Date = new Date(),
): Promise<VerificationOutcome> {
  requirePermission(actor, 'verify.request');
  const p = await prepareVerification(db, actor, input, now);
  const req = await db.transaction().execute(async (trx) => {
    const row = await insertRequestRow(trx, actor, p, now);
    await appendAudit(
      trx,
      actor,
      {
        action: 'verification.request',
        entityType: 'verification_request',
        entityId: row.id,
        countyCode: p.countyCode,
        townCode: p.townCode,
        after: {
          caseId: p.caseId,
          householdId: p.householdId,
          basis: p.basis,
          checkType: p.checkType,
          subjects: p.subjects.map((s) => ({ name: s.name, role: s.role })),
          authorisationIds: [...p.authorisations.values()],
        },
        detail: `发起家庭经济状况核对（${BASIS_LABELS[p.basis]}，${CHECK_TYPES[p.checkType]}）`,
      },
      now,
    );
    return row;
  });
  return executeVerification(db, actor, p, req.id, now);
}

// ---------------------------------------------------------------------------------------------------------
// Reading

type ReportRow = Selectable<VerificationReportTable>;
type RequestRow = Selectable<VerificationRequestTable>;

async function reportInScopeOrThrow(db: AnyDb, actor: Actor, id: number, attempted: string) {
  const scope = scopeOf(actor);
  const row = await db
    .selectFrom('verification_report')
    .selectAll()
    .where('id', '=', id)
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('town_code', '=', scope.townCode))
    .executeTakeFirst();
  if (row) return row;
  const located = await db
    .selectFrom('verification_report')
    .select(['id', 'county_code', 'town_code'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!located) throw notFound(`核对报告（编号 ${id}）`);
  throw forbiddenArea('核对报告', {
    entityType: 'verification_report',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

function checkTypeLabelOf(code: string): string {
  return Object.hasOwn(CHECK_TYPES, code) ? CHECK_TYPES[code as CheckType] : code;
}

interface StoredSubject {
  personId: number | null;
  name: string;
  idNumber: string;
  relation: string;
  role: 'member' | 'supporter';
}

function summaryOf(r: ReportRow, req: RequestRow | undefined, townName: string | null) {
  const subjects = req ? (JSON.parse(req.subjects_json) as StoredSubject[]) : [];
  return {
    id: r.id,
    reportNo: r.report_no,
    requestId: r.request_id,
    caseId: r.case_id,
    householdId: r.household_id,
    townCode: r.town_code,
    townName,
    basis: (req?.basis ?? null) as VerificationBasis | null,
    basisLabel: req ? BASIS_LABELS[req.basis] : null,
    batchId: req?.batch_id ?? null,
    checkType: r.check_type,
    checkTypeLabel: checkTypeLabelOf(r.check_type),
    conclusionCode: r.conclusion_code,
    conclusionLabel: r.conclusion_label,
    meets: isMeetsConclusion(r.conclusion_code as ConclusionCode),
    differenceCount: r.difference_count,
    asOf: r.as_of,
    requestedOn: req?.requested_on ?? null,
    subjects: subjects.map((s) => ({
      name: s.name,
      idNumber: maskIdNumber(s.idNumber),
      relation: s.relation,
      role: s.role,
    })),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

async function townNames(db: AnyDb, codes: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('area').select(['code', 'name']).where('code', 'in', unique).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Reports of the actor's area (newest first), optionally of a case or household; ID numbers masked. */
/** Filters of the report list; all optional. */
export interface ReportListFilter {
  caseId?: number | undefined;
  householdId?: number | undefined;
  townCode?: string | undefined;
  /** A conclusion code (CONCLUSIONS). */
  conclusion?: string | undefined;
  /** Created on or after / on or before these China dates (YYYY-MM-DD). */
  from?: string | undefined;
  to?: string | undefined;
  /** Only reports whose conclusion is not "meets", or with differences from the declaration. */
  flagged?: boolean | undefined;
}

export async function listReports(
  db: AnyDb,
  actor: Actor,
  q: ReportListFilter & { page?: number; pageSize?: number },
) {
  requirePermission(actor, 'verify.read');
  const scope = scopeOf(actor);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const meets = CONCLUSION_CODES.filter(isMeetsConclusion);
  // Both the actor's own town and a requested town apply, like the case list: a town user asking for
  // another town gets nothing. Created timestamps are UTC ISO strings; from/to are China dates (UTC+8).
  const base = db
    .selectFrom('verification_report')
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (x) => x.where('town_code', '=', scope.townCode))
    .$if(q.townCode !== undefined, (x) => x.where('town_code', '=', q.townCode ?? ''))
    .$if(q.caseId !== undefined, (x) => x.where('case_id', '=', q.caseId ?? 0))
    .$if(q.householdId !== undefined, (x) => x.where('household_id', '=', q.householdId ?? 0))
    .$if(q.conclusion !== undefined, (x) => x.where('conclusion_code', '=', q.conclusion ?? ''))
    .$if(q.from !== undefined, (x) =>
      x.where('created_at', '>=', new Date(`${q.from}T00:00:00+08:00`).toISOString()),
    )
    .$if(q.to !== undefined, (x) =>
      x.where(
        'created_at',
        '<',
        new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString(),
      ),
    )
    // 需关注: not a "meets" conclusion, or anything declared differs from what the departments hold.
    .$if(q.flagged === true, (x) =>
      x.where((eb) => eb.or([eb('conclusion_code', 'not in', meets), eb('difference_count', '>', 0)])),
    );
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  const requests =
    rows.length === 0
      ? []
      : await db
          .selectFrom('verification_request')
          .selectAll()
          .where(
            'id',
            'in',
            rows.map((r) => r.request_id),
          )
          .execute();
  const byId = new Map(requests.map((r) => [r.id, r]));
  const names = await townNames(
    db,
    rows.map((r) => r.town_code),
  );
  return {
    total: Number(count.n),
    page,
    pageSize,
    items: rows.map((r) => summaryOf(r, byId.get(r.request_id), names.get(r.town_code) ?? null)),
  };
}

/**
 * One report in full (every source's findings, income and assets with their explanation lines, the
 * differences, the conclusion). The read is audited; full ID numbers only for roles that may see them.
 * `intact` says whether the stored JSON still has the sha256 recorded when it was issued.
 */
export async function getReport(db: AnyDb, actor: Actor, id: number, now: Date = new Date()) {
  requirePermission(actor, 'verify.read');
  const r = await reportInScopeOrThrow(db, actor, id, '查看');
  const req = await db
    .selectFrom('verification_request')
    .selectAll()
    .where('id', '=', r.request_id)
    .executeTakeFirst();
  const household = await db
    .selectFrom('household')
    .select(['id', 'address', 'hukou_type', 'village_code'])
    .where('id', '=', r.household_id)
    .executeTakeFirst();
  const names = await townNames(db, [
    r.town_code,
    r.county_code,
    ...(household?.village_code ? [household.village_code] : []),
  ]);
  const reveal = canReveal(actor);
  const body = JSON.parse(r.report_json) as VerificationReportBody;
  const calendar = await loadWorkCalendar(db, r.as_of, `${Number(r.as_of.slice(0, 4)) + 1}-12-31`);
  const requestedOn = req?.requested_on ?? r.as_of;
  await appendAudit(
    db,
    actor,
    {
      action: 'verification_report.read',
      entityType: 'verification_report',
      entityId: r.id,
      countyCode: r.county_code,
      townCode: r.town_code,
      detail: `查看核对报告 ${r.report_no}${reveal ? '（含完整身份证号码）' : ''}`,
    },
    now,
  );
  return {
    ...summaryOf(r, req, names.get(r.town_code) ?? null),
    countyName: names.get(r.county_code) ?? null,
    villageName: household?.village_code ? (names.get(household.village_code) ?? null) : null,
    address: household?.address ?? null,
    masked: !reveal,
    startDueOn: addWorkingDays(requestedOn, START_WITHIN_WORKING_DAYS, calendar),
    sha256: r.sha256,
    intact: sha256Hex(r.report_json) === r.sha256,
    report: reveal ? body : maskIdsDeep(body),
  };
}

export type ReportView = Awaited<ReturnType<typeof getReport>>;
