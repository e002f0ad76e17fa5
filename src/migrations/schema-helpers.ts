/**
 * Helpers for migrations only. Migrations are frozen in time: they import kysely and this file, nothing from src/.
 */
import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter } from 'kysely';

export function isPg(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Surrogate key: bigint identity on PostgreSQL, integer rowid alias on SQLite. */
export function withId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>) {
  return isPg(db)
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Integer that may exceed 2^31 (fen amounts, foreign keys to bigint ids). */
export function bigintType(db: Kysely<unknown>): 'bigint' | 'integer' {
  return isPg(db) ? 'bigint' : 'integer';
}

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
