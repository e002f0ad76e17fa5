/**
 * 民政统计 snapshots (DOMAIN §14): a closed month's figures frozen as a dated, immutable version. A re-freeze
 * after corrections is a new version pointing at the one it corrects; rows are never updated or deleted.
 */
import { type Kysely, sql } from 'kysely';
import { bigintType, isPg, notNull, withId } from './schema-helpers.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);
  await withId(db, db.schema.createTable('statistics_snapshot'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('month', 'text', notNull)
    .addColumn('version', 'integer', notNull)
    .addColumn('corrects_id', big, (c) => c.references('statistics_snapshot.id'))
    .addColumn('figures_json', 'text', notNull)
    .addColumn('figures_sha256', 'text', notNull)
    .addColumn('note', 'text')
    .addColumn('frozen_by', 'text', notNull)
    .addColumn('frozen_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('statistics_snapshot_month_uq')
    .on('statistics_snapshot')
    .columns(['county_code', 'month', 'version'])
    .unique()
    .execute();

  // Statistics read the ledger by benefit month (the month the money is for).
  await db.schema
    .createIndex('payment_ledger_benefit_month_idx')
    .on('payment_ledger')
    .columns(['county_code', 'benefit_month'])
    .execute();

  if (isPg(db)) {
    await sql`create function statistics_snapshot_immutable() returns trigger language plpgsql as $$
      begin raise exception 'statistics_snapshot is immutable'; end $$`.execute(db);
    await sql`create trigger statistics_snapshot_no_update before update or delete on statistics_snapshot
      for each row execute function statistics_snapshot_immutable()`.execute(db);
  } else {
    await sql`create trigger statistics_snapshot_no_update before update on statistics_snapshot
      begin select raise(abort, 'statistics_snapshot is immutable'); end`.execute(db);
    await sql`create trigger statistics_snapshot_no_delete before delete on statistics_snapshot
      begin select raise(abort, 'statistics_snapshot is immutable'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPg(db)) await sql`drop function if exists statistics_snapshot_immutable() cascade`.execute(db);
  await db.schema.dropTable('statistics_snapshot').ifExists().execute();
  await db.schema.dropIndex('payment_ledger_benefit_month_idx').ifExists().execute();
}
