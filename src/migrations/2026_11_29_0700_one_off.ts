import type { Kysely } from 'kysely';
import { bigintType, notNull, withId } from './schema-helpers.ts';

/**
 * One-off payments (一次性发放: 临时救助, 医疗救助, 节日补贴) with their fund source, the medical-assistance
 * claims they come from (DOMAIN §7.2: hospital, costs, insurance payments, assistance, the annual cumulative),
 * and the batches of a holiday subsidy (the seed report's 五保 Spring Festival subsidy). A payment is posted to
 * payment_ledger when it is approved; the bank details are copied then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);

  await withId(db, db.schema.createTable('one_off_batch'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('title', 'text', notNull)
    .addColumn('program_codes', 'text', notNull)
    .addColumn('reference_date', 'text', notNull)
    .addColumn('amount_per_person_fen', big)
    .addColumn('line_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_fen', big, (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', notNull)
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .execute();
  await db.schema
    .createIndex('one_off_batch_county_idx')
    .on('one_off_batch')
    .columns(['county_code', 'kind', 'reference_date'])
    .execute();

  await withId(db, db.schema.createTable('medical_claim'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('person_id', big, (c) => c.notNull().references('person.id'))
    .addColumn('household_id', big, (c) => c.notNull().references('household.id'))
    .addColumn('category', 'text', notNull)
    .addColumn('hospital', 'text', notNull)
    .addColumn('admitted_on', 'text', notNull)
    .addColumn('discharged_on', 'text', notNull)
    .addColumn('bill_fen', big, notNull)
    .addColumn('eligible_fen', big, notNull)
    .addColumn('basic_insurance_fen', big, notNull)
    .addColumn('critical_illness_fen', big, notNull)
    .addColumn('assistance_fen', big, notNull)
    .addColumn('tilted_fen', big, notNull)
    .addColumn('out_of_pocket_fen', big, notNull)
    .addColumn('explanation_json', 'text', notNull)
    .addColumn('policy_id', big)
    .addColumn('status', 'text', notNull)
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('medical_claim_person_idx')
    .on('medical_claim')
    .columns(['person_id', 'discharged_on'])
    .execute();
  await db.schema
    .createIndex('medical_claim_area_idx')
    .on('medical_claim')
    .columns(['county_code', 'town_code', 'discharged_on'])
    .execute();

  await withId(db, db.schema.createTable('one_off_payment'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('program_code', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('component', 'text', notNull)
    .addColumn('household_id', big, (c) => c.notNull().references('household.id'))
    .addColumn('person_id', big)
    .addColumn('enrolment_id', big)
    .addColumn('case_id', big)
    .addColumn('claim_id', big)
    .addColumn('batch_id', big)
    .addColumn('benefit_month', 'text', notNull)
    .addColumn('amount_fen', big, notNull)
    .addColumn('fund_source', 'text', notNull)
    .addColumn('policy_id', big)
    .addColumn('reason', 'text', notNull)
    .addColumn('explanation_json', 'text')
    .addColumn('status', 'text', notNull)
    .addColumn('bank_name', 'text')
    .addColumn('bank_account', 'text')
    .addColumn('account_holder', 'text')
    .addColumn('bank_batch_id', big)
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .execute();
  await db.schema
    .createIndex('one_off_payment_area_idx')
    .on('one_off_payment')
    .columns(['county_code', 'town_code', 'kind', 'status'])
    .execute();
  await db.schema.createIndex('one_off_payment_batch_idx').on('one_off_payment').column('batch_id').execute();
  await db.schema
    .createIndex('one_off_payment_household_idx')
    .on('one_off_payment')
    .columns(['household_id', 'benefit_month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['one_off_payment', 'medical_claim', 'one_off_batch']) {
    await db.schema.dropTable(t).execute();
  }
}
