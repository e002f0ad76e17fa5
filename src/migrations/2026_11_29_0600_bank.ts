import type { Kysely } from 'kysely';
import { bigintType, notNull, withId } from './schema-helpers.ts';

/**
 * 社会化发放 (DOMAIN §4.8): one row per bank file exported. payroll_line.bank_batch_id links the lines
 * it carries; the layout used is kept so that the file can be produced again and its return read with
 * the same columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);
  await withId(db, db.schema.createTable('bank_batch'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('payroll_id', big, (c) => c.references('payroll.id'))
    .addColumn('one_off_batch_id', big)
    .addColumn('bank_name', 'text', notNull)
    .addColumn('format', 'text', notNull)
    .addColumn('layout_json', 'text', notNull)
    .addColumn('file_name', 'text', notNull)
    .addColumn('line_count', 'integer', notNull)
    .addColumn('total_fen', big, notNull)
    .addColumn('exported_by', 'text', notNull)
    .addColumn('exported_at', 'text', notNull)
    .addColumn('return_imported_at', 'text')
    .addColumn('return_file_name', 'text')
    .addColumn('paid_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('bank_batch_payroll_idx').on('bank_batch').column('payroll_id').execute();
  await db.schema
    .createIndex('payroll_line_bank_batch_idx')
    .on('payroll_line')
    .column('bank_batch_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('payroll_line_bank_batch_idx').execute();
  await db.schema.dropTable('bank_batch').execute();
}
