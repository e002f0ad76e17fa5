/**
 * 花名册导入: migrating a county's existing rosters (xlsx, CSV or JSON) into the registry.
 *
 * preview (dry run) reads the file, maps its columns, checks every row (domain/roster) and says what a commit
 * would create; commit does the same checks again inside the caller's ONE transaction and writes the good
 * households only: households, area history, persons, memberships, bank details and, when a 保障类别 is given,
 * active enrolments from the requested start month. A household with any bad row is left out whole.
 *
 * The registry's createHousehold is not reused: it runs about six queries per member and appends one audit
 * entry per household, which for a county roster (100,000 rows, ~30,000 households) means ~200,000 round trips
 * and 30,000 hash-chained audit entries. The import writes in multi-row inserts (as the demo seed does) and
 * appends ONE audit entry for the whole import, with the file, the counts and the new households' ids.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type {
  Database,
  EnrolmentTable,
  HouseholdAreaHistoryTable,
  HouseholdMemberTable,
  HouseholdTable,
  PersonTable,
} from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { chinaDate } from '../../domain/calendar/dates.ts';
import { maskBankAccount } from '../../domain/household/masking.ts';
import { ageOn, maskIdNumber } from '../../domain/identity/resident-id.ts';
import { mapColumns, ROSTER_FIELDS, type RosterMapping } from '../../domain/roster/columns.ts';
import {
  type BadHousehold,
  type BadRow,
  type RosterHousehold,
  rosterIdNumbers,
  validateRoster,
} from '../../domain/roster/validate-roster.ts';
import { HOUSEHOLD_PROGRAMS, PROGRAM_LABELS, type RosterProgram } from '../../domain/roster/values.ts';
import { requirePermission } from '../access/require-permission.ts';
import { listCountyVillages, listTowns } from '../areas/areas.repository.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { readDeptFile } from '../departments/file-rows.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';

type Trx = Transaction<Database>;
type Db = Trx | Kysely<Database>;

/** Rows per INSERT: under PostgreSQL's 65,535 bind parameters and SQLite's 32,766 (person has 19 columns). */
const CHUNK = 500;
/** Households written per round (their persons, memberships… in CHUNK-row inserts). */
const HOUSEHOLDS_PER_BATCH = 1000;

export interface RosterFile {
  fileName: string;
  bytes: Buffer;
}

export interface RosterImportOptions {
  /** field → the file's header; null leaves a field out. Overrides the automatic mapping. */
  mapping?: Record<string, string | null>;
  /** First month of the enrolments created from 保障类别 ('YYYY-MM'); needed only when a row names one. */
  startMonth?: string;
}

interface Checked {
  fileName: string;
  mapping: RosterMapping;
  unmappedHeaders: string[];
  totalRows: number;
  households: RosterHousehold[];
  badRows: BadRow[];
  badHouseholds: BadHousehold[];
  /** The file could not be used at all (unreadable, or a required column missing). */
  fileProblems: BadRow[];
}

async function check(db: Db, actor: Actor, file: RosterFile, options: RosterImportOptions, today: string) {
  const read = await readDeptFile(file.fileName, file.bytes);
  const base = { fileName: file.fileName, totalRows: read.rows.length, households: [], badHouseholds: [] };
  if (read.errors.length > 0) {
    return {
      ...base,
      mapping: {},
      unmappedHeaders: read.headers,
      badRows: [],
      fileProblems: read.errors.map((e) => ({ ...e, value: String(e.value) })),
    } satisfies Checked;
  }
  const mapped = mapColumns(read.headers, options.mapping ?? {});
  if (mapped.problems.length > 0) {
    return {
      ...base,
      mapping: mapped.mapping,
      unmappedHeaders: mapped.unmapped,
      badRows: [],
      fileProblems: mapped.problems.map((p) => ({ row: 1, column: p.field, value: '', reason: p.reason })),
    } satisfies Checked;
  }
  const [towns, villages] = await Promise.all([
    listTowns(db, actor.countyCode),
    listCountyVillages(db, actor.countyCode),
  ]);
  const ids = rosterIdNumbers(read.rows, mapped.mapping, today);
  const registered = new Map<string, number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const found = await db
      .selectFrom('person')
      .select(['id', 'id_number'])
      .where('id_number', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const p of found) registered.set(p.id_number, p.id);
  }
  const result = validateRoster({
    rows: read.rows,
    mapping: mapped.mapping,
    towns: towns.map((t) => ({ code: t.code, name: t.name, parentCode: t.parent_code, urbanRural: null })),
    villages: villages.map((v) => ({
      code: v.code,
      name: v.name,
      parentCode: v.parent_code,
      urbanRural: v.urban_rural,
    })),
    registered,
    ownTownCode: scopeOf(actor).townCode,
    asOf: today,
  });
  return {
    ...base,
    mapping: mapped.mapping,
    unmappedHeaders: mapped.unmapped,
    ...result,
    fileProblems: [],
  } satisfies Checked;
}

function summaryOf(c: Checked, startMonth: string | null) {
  /** Per program: enrolments to create (one per household for 低保, one per person for 特困) and persons covered. */
  const programs: Record<string, { label: string; enrolments: number; persons: number }> = {};
  let persons = 0;
  let amountFen = 0;
  for (const h of c.households) {
    persons += h.members.length;
    amountFen += h.monthlyAmountFen ?? 0;
    const add = (code: RosterProgram, n: number) => {
      programs[code] ??= { label: PROGRAM_LABELS[code], enrolments: 0, persons: 0 };
      const p = programs[code];
      p.enrolments++;
      p.persons += n;
    };
    if (h.householdProgram) add(h.householdProgram, h.members.length);
    for (const m of h.members) if (m.personProgram) add(m.personProgram, 1);
  }
  const enrolments = Object.values(programs).reduce((n, p) => n + p.enrolments, 0);
  return {
    fileName: c.fileName,
    mapping: Object.fromEntries(
      Object.entries(c.mapping).map(([field, header]) => [
        field,
        { header, label: ROSTER_FIELDS[field as keyof typeof ROSTER_FIELDS].label },
      ]),
    ),
    unmappedHeaders: c.unmappedHeaders,
    startMonth,
    counts: {
      rows: c.totalRows,
      badRows: new Set(c.badRows.map((b) => b.row)).size,
      households: c.households.length + c.badHouseholds.length,
      goodHouseholds: c.households.length,
      badHouseholds: c.badHouseholds.length,
      persons,
      enrolments,
      monthlyAmountFen: amountFen,
    },
    programs,
    fileProblems: c.fileProblems,
    badRows: c.badRows,
    badHouseholds: c.badHouseholds,
  };
}

function householdOut(h: RosterHousehold, townNames: Map<string, string>) {
  const head = h.members[0];
  return {
    rows: h.rows,
    townCode: h.townCode,
    townName: townNames.get(h.townCode) ?? null,
    villageCode: h.villageCode,
    villageName: h.villageCode ? (townNames.get(h.villageCode) ?? null) : null,
    address: h.address,
    hukouType: h.hukouType,
    headName: head?.name ?? null,
    headIdNumber: head ? maskIdNumber(head.idNumber) : null,
    memberCount: h.members.length,
    program: h.householdProgram,
    personPrograms: h.members
      .filter((m) => m.personProgram !== null)
      .map((m) => ({ name: m.name, program: m.personProgram })),
    monthlyAmountFen: h.monthlyAmountFen,
    bankName: h.bankName,
    bankAccount: maskBankAccount(h.bankAccount),
  };
}

async function areaNames(db: Db, countyCode: string) {
  const [towns, villages] = await Promise.all([
    listTowns(db, countyCode),
    listCountyVillages(db, countyCode),
  ]);
  return new Map([...towns, ...villages].map((a) => [a.code, a.name]));
}

function needsStartMonth(c: Checked): boolean {
  return c.households.some((h) => h.householdProgram !== null || h.members.some((m) => m.personProgram));
}

/** Dry run: what a commit would do, every bad row with its row, column and reason. Writes nothing. */
export async function previewRosterImport(
  db: Db,
  actor: Actor,
  file: RosterFile,
  options: RosterImportOptions = {},
  now: Date = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const today = chinaDate(now);
  const c = await check(db, actor, file, options, today);
  const names = await areaNames(db, actor.countyCode);
  const warnings: string[] = [];
  if (needsStartMonth(c) && !options.startMonth) {
    warnings.push('名册中有保障类别：正式导入时请指定保障起始月份（startMonth），否则不能导入');
  }
  return {
    dryRun: true as const,
    ...summaryOf(c, options.startMonth ?? null),
    warnings,
    households: c.households.map((h) => householdOut(h, names)),
  };
}

/**
 * Imports the good households in the caller's transaction (all or nothing). Refuses when the file cannot be
 * used, when nothing is good, or when a 保障类别 is given without a start month.
 */
export async function commitRosterImport(
  trx: Trx,
  actor: Actor,
  file: RosterFile,
  options: RosterImportOptions = {},
  now: Date = new Date(),
  onProgress?: (done: number, total: number) => void,
) {
  requirePermission(actor, 'registry.write');
  const today = chinaDate(now);
  const ts = now.toISOString();
  const c = await check(trx, actor, file, options, today);
  if (c.fileProblems.length > 0) {
    throw new AppError(ErrorCode.VALIDATION, `名册无法导入：${c.fileProblems[0]?.reason}`, {
      issues: c.fileProblems.map((p) => ({ field: p.column, message: p.reason, row: p.row })),
    });
  }
  if (c.households.length === 0) {
    throw new AppError(
      ErrorCode.VALIDATION,
      `名册中没有可以导入的家庭：共 ${c.badHouseholds.length} 户有错误，请先预览并修正`,
      {
        issues: c.badRows.slice(0, 200).map((b) => ({ field: b.column, message: b.reason, row: b.row })),
      },
    );
  }
  if (needsStartMonth(c) && !options.startMonth) {
    throw new AppError(ErrorCode.VALIDATION, '名册中有保障类别，请指定保障起始月份（YYYY-MM）', {
      field: 'startMonth',
    });
  }
  const startMonth = options.startMonth ?? null;
  // Memberships and area history start with the enrolment month when one is given (the household was
  // already in the county's care then), else today, as a new registration would (建档).
  const effective = startMonth ? `${startMonth}-01` : today;

  const total = c.households.length;
  let done = 0;
  const householdIds: number[] = [];
  for (let i = 0; i < total; i += HOUSEHOLDS_PER_BATCH) {
    const batch = c.households.slice(i, i + HOUSEHOLDS_PER_BATCH);
    householdIds.push(
      ...(await writeBatch(trx, actor.countyCode, batch, { ts, today, effective, startMonth })),
    );
    done += batch.length;
    onProgress?.(done, total);
  }

  const summary = summaryOf(c, startMonth);
  await appendAudit(
    trx,
    actor,
    {
      action: 'roster.import',
      entityType: 'household',
      countyCode: actor.countyCode,
      townCode: scopeOf(actor).townCode,
      after: {
        fileName: c.fileName,
        startMonth,
        counts: summary.counts,
        programs: summary.programs,
        householdIds: rangesOf(householdIds),
        leftOut: c.badHouseholds.map((b) => ({ rows: b.rows, reasons: b.reasons })).slice(0, 1000),
      },
      detail: `花名册导入（${c.fileName}）：导入 ${total} 户 ${summary.counts.persons} 人，${c.badHouseholds.length} 户有错误未导入`,
    },
    now,
  );
  return {
    dryRun: false as const,
    ...summary,
    warnings: [] as string[],
    householdIds,
  };
}

/** [1,2,3,7,8] → '1-3,7-8': the audit names every new household without a list of 30,000 numbers. */
function rangesOf(ids: number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0];
  let prev = start;
  for (const id of sorted.slice(1)) {
    if (prev !== undefined && id === prev + 1) {
      prev = id;
      continue;
    }
    parts.push(start === prev ? String(start) : `${start}-${prev}`);
    start = id;
    prev = id;
  }
  if (start !== undefined) parts.push(start === prev ? String(start) : `${start}-${prev}`);
  return parts.join(',');
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Writes a batch of households: persons, then households (mapped back by their head), then the rest. */
async function writeBatch(
  trx: Trx,
  countyCode: string,
  batch: RosterHousehold[],
  at: { ts: string; today: string; effective: string; startMonth: string | null },
): Promise<number[]> {
  const personRows: Insertable<PersonTable>[] = batch.flatMap((h) =>
    h.members.map((m) => {
      const age = ageOn(m.birthDate, at.today);
      return {
        county_code: countyCode,
        town_code: h.townCode,
        id_number: m.idNumber,
        name: m.name,
        sex: m.sex,
        birth_date: m.birthDate,
        ethnicity: m.ethnicity,
        hukou_type: h.hukouType,
        disability_category: null,
        disability_grade: null,
        // The registry's defaults for a blank field (registry.service newPersonRow): 16–59 able to work.
        labour_capacity: age >= 16 && age < 60 ? 'full' : 'none',
        serious_illness: 0,
        self_care: 'self_reliant',
        school_status: 'none',
        employment_status: 'none',
        death_date: null,
        phone: m.phone,
        created_at: at.ts,
        updated_at: at.ts,
      };
    }),
  );
  // RETURNING order is not guaranteed: ids come back by the unique ID number.
  const personId = new Map<string, number>();
  await insertChunked(personRows, async (chunk) => {
    const inserted = await trx.insertInto('person').values(chunk).returning(['id', 'id_number']).execute();
    for (const r of inserted) personId.set(r.id_number, r.id);
  });
  const pid = (idNumber: string) => personId.get(idNumber) as number;

  const householdRows: Insertable<HouseholdTable>[] = batch.map((h) => ({
    county_code: countyCode,
    town_code: h.townCode,
    village_code: h.villageCode,
    address: h.address.slice(0, 200),
    hukou_type: h.hukouType,
    head_person_id: pid((h.members[0] as { idNumber: string }).idNumber),
    phone: h.phone,
    bank_name: h.bankName,
    bank_account: h.bankAccount,
    bank_account_holder: h.accountHolder ?? (h.bankAccount ? (h.members[0]?.name ?? null) : null),
    created_at: at.ts,
    updated_at: at.ts,
  }));
  // Each new household has its own new head: the head's person id identifies the household row.
  const householdIdOfHead = new Map<number, number>();
  await insertChunked(householdRows, async (chunk) => {
    const inserted = await trx
      .insertInto('household')
      .values(chunk)
      .returning(['id', 'head_person_id'])
      .execute();
    for (const r of inserted) householdIdOfHead.set(r.head_person_id as number, r.id);
  });
  const hid = (h: RosterHousehold) =>
    householdIdOfHead.get(pid((h.members[0] as { idNumber: string }).idNumber)) as number;

  const areaRows: Insertable<HouseholdAreaHistoryTable>[] = batch.map((h) => ({
    household_id: hid(h),
    county_code: countyCode,
    town_code: h.townCode,
    village_code: h.villageCode,
    valid_from: at.effective,
    valid_to: null,
    reason: '花名册导入',
  }));
  await insertChunked(areaRows, (chunk) => trx.insertInto('household_area_history').values(chunk).execute());

  const memberRows: Insertable<HouseholdMemberTable>[] = batch.flatMap((h) =>
    h.members.map((m) => ({
      county_code: countyCode,
      town_code: h.townCode,
      household_id: hid(h),
      person_id: pid(m.idNumber),
      relation: m.relation,
      valid_from: at.effective,
      valid_to: null,
      reason: null,
    })),
  );
  await insertChunked(memberRows, (chunk) => trx.insertInto('household_member').values(chunk).execute());

  if (at.startMonth !== null) {
    const startMonth = at.startMonth;
    const enrolment = (h: RosterHousehold, program: RosterProgram, personId: number | null) =>
      ({
        county_code: countyCode,
        town_code: h.townCode,
        program_code: program,
        household_id: hid(h),
        person_id: personId,
        start_month: startMonth,
        end_month: null,
        status: 'active',
        // 特困 in a roster of the county's existing caseload: dispersed support unless recorded otherwise.
        support_mode: HOUSEHOLD_PROGRAMS.has(program) ? null : 'dispersed',
        single_person: 0,
        end_reason: null,
        created_at: at.ts,
        updated_at: at.ts,
      }) satisfies Insertable<EnrolmentTable>;
    const enrolments: Insertable<EnrolmentTable>[] = batch.flatMap((h) => [
      ...(h.householdProgram ? [enrolment(h, h.householdProgram, null)] : []),
      ...h.members
        .filter((m) => m.personProgram !== null)
        .map((m) => enrolment(h, m.personProgram as RosterProgram, pid(m.idNumber))),
    ]);
    await insertChunked(enrolments, (chunk) => trx.insertInto('enrolment').values(chunk).execute());
  }
  return batch.map(hid);
}
