import { type Kysely, sql } from 'kysely';
import { bigintType, isPg, notNull, withId } from './schema-helpers.ts';

/**
 * Benefit decisions, the monthly payroll and its lines, the append-only payment ledger, recalculation
 * requests (arrears/recoveries) and the monthly price indices (DOMAIN §4.7–4.9, §5.5, §8.4, §15).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);

  await withId(db, db.schema.createTable('benefit_decision'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('enrolment_id', big, (c) => c.notNull().references('enrolment.id'))
    .addColumn('program_code', 'text', notNull)
    .addColumn('effective_month', 'text', notNull)
    .addColumn('per_capita_income_fen', big)
    .addColumn('members_json', 'text', notNull)
    .addColumn('band_code', 'text')
    .addColumn('monthly_amount_fen', big, notNull)
    .addColumn('explanation_json', 'text', notNull)
    .addColumn('input_json', 'text')
    .addColumn('case_id', big)
    .addColumn('decided_on', 'text', notNull)
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('benefit_decision_enrolment_idx')
    .on('benefit_decision')
    .columns(['enrolment_id', 'effective_month'])
    .execute();
  await db.schema
    .createIndex('benefit_decision_area_idx')
    .on('benefit_decision')
    .columns(['county_code', 'program_code', 'town_code'])
    .execute();

  await withId(db, db.schema.createTable('payroll'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('program_code', 'text', notNull)
    .addColumn('pay_month', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('cursor_enrolment_id', big, (c) => c.notNull().defaultTo(0))
    .addColumn('expected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('line_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_fen', big, (c) => c.notNull().defaultTo(0))
    .addColumn('warnings_json', 'text')
    .addColumn('generated_by', 'text')
    .addColumn('generated_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('payroll_month_uq')
    .on('payroll')
    .columns(['county_code', 'program_code', 'pay_month'])
    .unique()
    .execute();

  await withId(db, db.schema.createTable('payroll_line'))
    .addColumn('payroll_id', big, (c) => c.notNull().references('payroll.id'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('village_code', 'text')
    .addColumn('program_code', 'text', notNull)
    .addColumn('enrolment_id', big, notNull)
    .addColumn('household_id', big, notNull)
    .addColumn('person_id', big)
    .addColumn('benefit_month', 'text', notNull)
    .addColumn('component', 'text', notNull)
    .addColumn('line_kind', 'text', notNull)
    .addColumn('amount_fen', big, notNull)
    .addColumn('fund_source', 'text', notNull)
    .addColumn('policy_id', big)
    .addColumn('decision_id', big)
    .addColumn('reason', 'text')
    .addColumn('bank_name', 'text')
    .addColumn('bank_account', 'text')
    .addColumn('account_holder', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('bank_batch_id', big)
    .execute();
  // The last guard against a resumed generation paying twice.
  await db.schema
    .createIndex('payroll_line_uq')
    .on('payroll_line')
    .columns(['payroll_id', 'enrolment_id', 'benefit_month', 'component', 'line_kind'])
    .unique()
    .execute();
  await db.schema
    .createIndex('payroll_line_town_idx')
    .on('payroll_line')
    .columns(['payroll_id', 'town_code'])
    .execute();
  await db.schema
    .createIndex('payroll_line_household_idx')
    .on('payroll_line')
    .column('household_id')
    .execute();

  await withId(db, db.schema.createTable('payment_ledger'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('program_code', 'text', notNull)
    .addColumn('household_id', big, notNull)
    .addColumn('person_id', big)
    .addColumn('enrolment_id', big)
    .addColumn('benefit_month', 'text', notNull)
    .addColumn('pay_month', 'text', notNull)
    .addColumn('component', 'text', notNull)
    .addColumn('fund_source', 'text', notNull)
    .addColumn('amount_fen', big, notNull)
    .addColumn('entry_kind', 'text', notNull)
    .addColumn('payroll_id', big)
    .addColumn('payroll_line_id', big)
    .addColumn('one_off_id', big)
    .addColumn('reason', 'text')
    .addColumn('posted_by', 'text', notNull)
    .addColumn('posted_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('payment_ledger_household_idx')
    .on('payment_ledger')
    .columns(['household_id', 'pay_month'])
    .execute();
  await db.schema
    .createIndex('payment_ledger_enrolment_idx')
    .on('payment_ledger')
    .columns(['enrolment_id', 'benefit_month', 'component'])
    .execute();
  await db.schema
    .createIndex('payment_ledger_payroll_idx')
    .on('payment_ledger')
    .column('payroll_id')
    .execute();
  await db.schema
    .createIndex('payment_ledger_area_idx')
    .on('payment_ledger')
    .columns(['county_code', 'program_code', 'pay_month'])
    .execute();

  await withId(db, db.schema.createTable('payroll_recalc'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text')
    .addColumn('program_code', 'text', notNull)
    .addColumn('enrolment_id', big)
    .addColumn('from_month', 'text', notNull)
    .addColumn('reason', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('done_payroll_id', big)
    .execute();
  await db.schema
    .createIndex('payroll_recalc_pending_idx')
    .on('payroll_recalc')
    .columns(['county_code', 'program_code', 'done_payroll_id'])
    .execute();

  await withId(db, db.schema.createTable('price_index'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('month', 'text', notNull)
    .addColumn('cpi_yoy', 'text')
    .addColumn('food_yoy', 'text')
    .addColumn('published_on', 'text')
    .addColumn('source', 'text')
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('price_index_month_uq')
    .on('price_index')
    .columns(['county_code', 'month'])
    .unique()
    .execute();

  // Append-only, like audit_log: a payment, once posted, is corrected only by a further entry.
  if (isPg(db)) {
    await sql`create function payment_ledger_append_only() returns trigger language plpgsql as $$
      begin raise exception 'payment_ledger is append-only'; end $$`.execute(db);
    await sql`create trigger payment_ledger_no_update before update or delete on payment_ledger
      for each row execute function payment_ledger_append_only()`.execute(db);
  } else {
    await sql`create trigger payment_ledger_no_update before update on payment_ledger
      begin select raise(abort, 'payment_ledger is append-only'); end`.execute(db);
    await sql`create trigger payment_ledger_no_delete before delete on payment_ledger
      begin select raise(abort, 'payment_ledger is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'price_index',
    'payroll_recalc',
    'payment_ledger',
    'payroll_line',
    'payroll',
    'benefit_decision',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  if (isPg(db)) await sql`drop function if exists payment_ledger_append_only()`.execute(db);
}
