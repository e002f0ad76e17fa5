/** SQL of 社会化发放: bank batches and the payroll lines they carry. Every query names the county. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { BankBatchTable, Database, PayrollLineTable } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type LineRow = Selectable<PayrollLineTable>;
export type BankBatchRow = Selectable<BankBatchTable>;

/** IN lists are sent in chunks: SQLite allows 32,766 bind parameters per statement. */
const CHUNK = 1000;
export function chunks<T>(xs: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export function findPayroll(db: Db, countyCode: string, id: number) {
  return db
    .selectFrom('payroll')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Lines of an approved payroll not yet in any bank file. */
export function unexportedLines(db: Db, countyCode: string, payrollId: number) {
  return db
    .selectFrom('payroll_line')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('payroll_id', '=', payrollId)
    .where('status', '=', 'pending')
    .where('bank_batch_id', 'is', null)
    .orderBy('id')
    .execute();
}

export function linesOfBatch(db: Db, countyCode: string, batchId: number) {
  return db
    .selectFrom('payroll_line')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('bank_batch_id', '=', batchId)
    .orderBy('id')
    .execute();
}

export function findLine(db: Db, countyCode: string, id: number) {
  return db
    .selectFrom('payroll_line')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findBatch(db: Db, countyCode: string, id: number) {
  return db
    .selectFrom('bank_batch')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listBatches(
  db: Db,
  countyCode: string,
  payrollId: number | null,
  oneOff: { oneOffBatchId?: number; payMonth?: string } = {},
) {
  let q = db.selectFrom('bank_batch').selectAll().where('county_code', '=', countyCode);
  if (payrollId !== null) q = q.where('payroll_id', '=', payrollId);
  if (oneOff.oneOffBatchId !== undefined) q = q.where('one_off_batch_id', '=', oneOff.oneOffBatchId);
  if (oneOff.payMonth !== undefined) {
    q = q
      .where('kind', '=', 'one_off')
      .where('one_off_batch_id', 'is', null)
      .where('pay_month', '=', oneOff.payMonth);
  }
  return q.orderBy('id', 'desc').limit(500).execute();
}

export function insertBatch(db: Db, row: Insertable<BankBatchTable>) {
  return db.insertInto('bank_batch').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Puts lines into a batch; returns how many were still free (a concurrent export takes the rest). */
export async function assignLines(db: Db, batchId: number, lineIds: readonly number[]): Promise<number> {
  let n = 0;
  for (const ids of chunks(lineIds)) {
    const r = await db
      .updateTable('payroll_line')
      .set({ bank_batch_id: batchId })
      .where('id', 'in', ids)
      .where('bank_batch_id', 'is', null)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

export async function setLineStatus(
  db: Db,
  lineIds: readonly number[],
  from: LineRow['status'],
  to: 'paid' | 'failed',
  failureReason?: string | null,
): Promise<number> {
  let n = 0;
  for (const ids of chunks(lineIds)) {
    const r = await db
      .updateTable('payroll_line')
      .set(to === 'failed' ? { status: to, failure_reason: failureReason ?? null } : { status: to })
      .where('id', 'in', ids)
      .where('status', '=', from)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Names of the towns and villages of the lines. */
export async function areaNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of chunks([...new Set(codes)])) {
    const rows = await db.selectFrom('area').select(['code', 'name']).where('code', 'in', c).execute();
    for (const r of rows) out.set(r.code, r.name);
  }
  return out;
}

export async function programName(db: Db, code: string): Promise<string> {
  const r = await db.selectFrom('program').select('name').where('code', '=', code).executeTakeFirst();
  return r?.name ?? code;
}

/** The current members of the households (name, ID number), to give the account holder's ID number. */
export async function currentMembers(db: Db, householdIds: readonly number[]) {
  const out: { household_id: number; person_id: number; name: string; id_number: string; head: boolean }[] =
    [];
  for (const ids of chunks([...new Set(householdIds)])) {
    const rows = await db
      .selectFrom('household_member as m')
      .innerJoin('person as p', 'p.id', 'm.person_id')
      .innerJoin('household as h', 'h.id', 'm.household_id')
      .select(['m.household_id', 'm.person_id', 'p.name', 'p.id_number', 'h.head_person_id'])
      .where('m.household_id', 'in', ids)
      .where('m.valid_to', 'is', null)
      .execute();
    for (const r of rows) out.push({ ...r, head: r.head_person_id === r.person_id });
  }
  return out;
}

export async function personIdNumbers(db: Db, personIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const ids of chunks([...new Set(personIds)])) {
    const rows = await db.selectFrom('person').select(['id', 'id_number']).where('id', 'in', ids).execute();
    for (const r of rows) out.set(r.id, r.id_number);
  }
  return out;
}

/** The bank's last stated reason for a failed line. */
export async function lastFailureReason(db: Db, lineId: number): Promise<string | null> {
  const r = await db
    .selectFrom('payment_ledger')
    .select('reason')
    .where('payroll_line_id', '=', lineId)
    .where('entry_kind', '=', 'bank_failure')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.reason ?? null;
}
