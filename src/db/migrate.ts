import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { migrations } from '../migrations/index.ts';
import { isPostgres } from './dialect.ts';
import type { Database } from './schema.ts';

export async function createMigrator(db: Kysely<Database>): Promise<Migrator> {
  // Kysely looks for its migration tables in every schema unless told which one; name the current
  // schema so that two schemas in one PostgreSQL database (province partitions, parallel tests) never
  // mistake each other's tables for their own.
  const schema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Runs all pending migrations; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const result: MigrationResultSet = await (await createMigrator(db)).migrateToLatest();
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error || failed) {
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`数据库迁移失败${failed ? `（${failed.migrationName}）` : ''}：${cause}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
