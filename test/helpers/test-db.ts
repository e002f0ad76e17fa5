/**
 * Database tests run on both engines. Each test file gets its own SQLite file or PostgreSQL schema.
 * Engines: JIUZHU_TEST_ENGINES=sqlite,postgres (default both). PostgreSQL URL: TEST_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test). An unreachable PostgreSQL fails the tests:
 * it is not skipped silently.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type DatabaseHandle, type Engine, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const PG_TEST_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const ENGINES: Engine[] = (process.env.JIUZHU_TEST_ENGINES ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Engine => s === 'sqlite' || s === 'postgres');

export interface TestDatabase extends DatabaseHandle {
  /** The DATABASE_URL that reaches this same database (for CLI tests); PostgreSQL needs `pgSchema` too. */
  url: string;
  pgSchema?: string;
  destroy(): Promise<void>;
}

export async function createTestDatabase(
  engine: Engine,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jiuzhu-test-'));
    const url = `sqlite:${join(dir, 'test.sqlite')}`;
    const handle = openDatabase(url);
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return {
      ...handle,
      url,
      destroy: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase(PG_TEST_URL, { poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = openDatabase(PG_TEST_URL, { pgSchema: schema, poolSize: 5 });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: PG_TEST_URL,
    pgSchema: schema,
    destroy: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
    },
  };
}
