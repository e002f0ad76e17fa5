import type { Kysely } from 'kysely';
import { notNull, withId } from './schema-helpers.ts';

/**
 * Effective-dated policy parameters (DOMAIN §12 recommendation, §15): one row per version of a program's
 * parameters in a county (or one town of it), with the document (文号) that set it. Months are 'YYYY-MM';
 * effective_to is inclusive and null while the version is the latest. A version used by a payment is
 * never edited again (used_in_payment = 1): a change is a new version.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('policy_parameter'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text')
    .addColumn('kind', 'text', notNull)
    .addColumn('program_code', 'text', notNull)
    .addColumn('effective_from', 'text', notNull)
    .addColumn('effective_to', 'text')
    .addColumn('doc_no', 'text', notNull)
    .addColumn('doc_title', 'text')
    .addColumn('body', 'text', notNull)
    .addColumn('used_in_payment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('policy_parameter_lookup_idx')
    .on('policy_parameter')
    .columns(['county_code', 'program_code', 'effective_from'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('policy_parameter_lookup_idx').execute();
  await db.schema.dropTable('policy_parameter').execute();
}
