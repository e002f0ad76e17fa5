/** SQL of 社会化发放 for one-off payments: what each bank file sent per payment, and the payments' states. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, OneOffBankItemTable, OneOffPaymentTable } from '../../db/schema.ts';
import { chunks } from './bank.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type ItemRow = Selectable<OneOffBankItemTable>;

/** One-off payments of a holiday batch, or the single ones (not in a batch) paid in a month. */
export type OneOffSource = { batchId: number } | { payMonth: string };

/** Approved payments of the source not yet in any bank file, with the household's village. */
export function unexportedPayments(db: Db, countyCode: string, source: OneOffSource) {
  return db
    .selectFrom('one_off_payment as o')
    .innerJoin('household as h', 'h.id', 'o.household_id')
    .selectAll('o')
    .select('h.village_code')
    .where('o.county_code', '=', countyCode)
    .where('o.status', '=', 'approved')
    .where('o.bank_batch_id', 'is', null)
    .$if('batchId' in source, (q) => q.where('o.batch_id', '=', (source as { batchId: number }).batchId))
    .$if('payMonth' in source, (q) =>
      q.where('o.batch_id', 'is', null).where('o.pay_month', '=', (source as { payMonth: string }).payMonth),
    )
    .orderBy('o.id')
    .execute();
}
export type UnexportedPayment = Awaited<ReturnType<typeof unexportedPayments>>[number];

/** What a batch sent, item by item, with the payment each item pays. */
export function itemsOfBatch(db: Db, countyCode: string, batchId: number) {
  return db
    .selectFrom('one_off_bank_item as i')
    .innerJoin('one_off_payment as o', 'o.id', 'i.one_off_id')
    .innerJoin('household as h', 'h.id', 'o.household_id')
    .select([
      'i.id',
      'i.bank_batch_id',
      'i.one_off_id',
      'i.household_id',
      'i.bank_account',
      'i.account_holder',
      'i.amount_fen',
      'i.status',
      'o.county_code',
      'o.town_code',
      'h.village_code',
      'o.program_code',
      'o.kind',
      'o.component',
      'o.person_id',
      'o.enrolment_id',
      'o.benefit_month',
      'o.pay_month',
      'o.fund_source',
      'o.status as payment_status',
    ])
    .where('i.county_code', '=', countyCode)
    .where('i.bank_batch_id', '=', batchId)
    .orderBy('i.id')
    .execute();
}
export type BatchItem = Awaited<ReturnType<typeof itemsOfBatch>>[number];

export async function insertItems(db: Db, rows: Insertable<OneOffBankItemTable>[]) {
  for (const part of chunks(rows, 200)) await db.insertInto('one_off_bank_item').values(part).execute();
}

/** Puts payments into a batch; returns how many were still free (a concurrent export takes the rest). */
export async function assignPayments(db: Db, batchId: number, ids: readonly number[]): Promise<number> {
  let n = 0;
  for (const part of chunks(ids)) {
    const r = await db
      .updateTable('one_off_payment')
      .set({ bank_batch_id: batchId })
      .where('id', 'in', part)
      .where('bank_batch_id', 'is', null)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

export async function setItemStatus(
  db: Db,
  ids: readonly number[],
  from: ItemRow['status'],
  to: ItemRow['status'],
) {
  for (const part of chunks(ids)) {
    await db
      .updateTable('one_off_bank_item')
      .set({ status: to })
      .where('id', 'in', part)
      .where('status', '=', from)
      .execute();
  }
}

/** The bank's outcome onto the payments the batch carries (those still waiting for it). */
export async function settlePayments(
  db: Db,
  batchId: number,
  ids: readonly number[],
  to: Extract<OneOffPaymentTable['status'], 'paid' | 'failed'>,
) {
  for (const part of chunks(ids)) {
    await db
      .updateTable('one_off_payment')
      .set({ status: to })
      .where('id', 'in', part)
      .where('bank_batch_id', '=', batchId)
      .where('status', '=', 'approved')
      .execute();
  }
}

/** Earlier bank batches of the same payments and bank (for the "已全部导出" answer). */
export async function earlierBatches(db: Db, countyCode: string, source: OneOffSource, bankName: string) {
  const rows = await db
    .selectFrom('bank_batch')
    .select('id')
    .where('county_code', '=', countyCode)
    .where('kind', '=', 'one_off')
    .where('bank_name', '=', bankName)
    .$if('batchId' in source, (q) =>
      q.where('one_off_batch_id', '=', (source as { batchId: number }).batchId),
    )
    .$if('payMonth' in source, (q) =>
      q
        .where('one_off_batch_id', 'is', null)
        .where('pay_month', '=', (source as { payMonth: string }).payMonth),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The bank's last stated reason for a failed one-off payment. */
export async function lastFailureReason(db: Db, oneOffId: number): Promise<string | null> {
  const r = await db
    .selectFrom('payment_ledger')
    .select('reason')
    .where('one_off_id', '=', oneOffId)
    .where('entry_kind', '=', 'bank_failure')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.reason ?? null;
}
