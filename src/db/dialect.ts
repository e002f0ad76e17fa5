/**
 * The dialect layer: the few places where SQLite and PostgreSQL need different SQL.
 * Everything else is written once with Kysely.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Case-insensitive LIKE with user text escaped (both engines honour ESCAPE '\'). */
export function likePattern(text: string, mode: 'contains' | 'prefix' | 'suffix' = 'contains'): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (mode === 'prefix') return `${escaped}%`;
  if (mode === 'suffix') return `%${escaped}`;
  return `%${escaped}%`;
}

export const likeEscape = sql`'\\'`;
