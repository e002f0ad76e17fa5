import { type Kysely, sql } from 'kysely';
import { bigintType, notNull, withId } from './schema-helpers.ts';

/**
 * 社会化发放 of one-off payments (临时救助, 医疗救助, 节日补贴; DOMAIN §4.8): a bank batch may now carry
 * one-off payments — those of one holiday-subsidy batch (bank_batch.one_off_batch_id) or the single
 * approved payments of a pay month (bank_batch.pay_month). one_off_bank_item keeps what each file sent
 * for each payment (account, holder, amount, outcome), so that a return can be read again after a
 * failed payment went back to be paid to a corrected account. one_off_payment.pay_month is the month
 * the payment is paid in (its ledger entry's pay_month), filled from the ledger for existing rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);
  await db.schema
    .alterTable('bank_batch')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('payroll'))
    .execute();
  await db.schema.alterTable('bank_batch').addColumn('pay_month', 'text').execute();
  await db.schema
    .createIndex('bank_batch_one_off_idx')
    .on('bank_batch')
    .columns(['county_code', 'kind', 'one_off_batch_id', 'pay_month'])
    .execute();

  await db.schema.alterTable('one_off_payment').addColumn('pay_month', 'text').execute();
  await sql`
    UPDATE one_off_payment SET pay_month = (
      SELECT MAX(l.pay_month) FROM payment_ledger l
      WHERE l.one_off_id = one_off_payment.id AND l.entry_kind = 'one_off'
    )
    WHERE status <> 'pending'
  `.execute(db);
  await db.schema
    .createIndex('one_off_payment_pay_month_idx')
    .on('one_off_payment')
    .columns(['county_code', 'pay_month', 'status'])
    .execute();
  await db.schema
    .createIndex('one_off_payment_bank_batch_idx')
    .on('one_off_payment')
    .column('bank_batch_id')
    .execute();

  await withId(db, db.schema.createTable('one_off_bank_item'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('bank_batch_id', big, (c) => c.notNull().references('bank_batch.id'))
    .addColumn('one_off_id', big, (c) => c.notNull().references('one_off_payment.id'))
    .addColumn('household_id', big, notNull)
    .addColumn('bank_account', 'text', notNull)
    .addColumn('account_holder', 'text', notNull)
    .addColumn('amount_fen', big, notNull)
    .addColumn('status', 'text', notNull)
    .addUniqueConstraint('one_off_bank_item_batch_payment_uq', ['bank_batch_id', 'one_off_id'])
    .execute();
  await db.schema
    .createIndex('one_off_bank_item_payment_idx')
    .on('one_off_bank_item')
    .column('one_off_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('one_off_bank_item').execute();
  await db.schema.dropIndex('one_off_payment_bank_batch_idx').execute();
  await db.schema.dropIndex('one_off_payment_pay_month_idx').execute();
  await db.schema.alterTable('one_off_payment').dropColumn('pay_month').execute();
  await db.schema.dropIndex('bank_batch_one_off_idx').execute();
  await db.schema.alterTable('bank_batch').dropColumn('pay_month').execute();
  await db.schema.alterTable('bank_batch').dropColumn('kind').execute();
}
