/**
 * The dialect layer: the few places where SQLite and PostgreSQL need different SQL or driver handling.
 * Everything else is written once with Kysely.
 */
import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  type KyselyConfig,
  PostgresAdapter,
  SqliteAdapter,
  SqliteDialect,
  sql,
} from 'kysely';

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

/**
 * SQLite: an adapter that also carries the better-sqlite3 connection. The adapter is shared by a Kysely and
 * every transaction it opens, so code that holds only a `Transaction` can still reach the connection
 * (see `statementRunner`).
 */
class ConnectionSqliteAdapter extends SqliteAdapter {
  constructor(readonly connection: SqliteDatabase.Database) {
    super();
  }
}

class ConnectionSqliteDialect extends SqliteDialect {
  readonly #connection: SqliteDatabase.Database;

  constructor(connection: SqliteDatabase.Database) {
    super({ database: connection });
    this.#connection = connection;
  }

  override createAdapter(): SqliteAdapter {
    return new ConnectionSqliteAdapter(this.#connection);
  }
}

/** A Kysely over a better-sqlite3 connection whose transactions can use `statementRunner`'s prepared statements. */
export function sqliteKysely<DB>(
  connection: SqliteDatabase.Database,
  config: Omit<KyselyConfig, 'dialect'> = {},
): Kysely<DB> {
  return new Kysely<DB>({ ...config, dialect: new ConnectionSqliteDialect(connection) });
}

/** Prepared statements per SQLite connection, by SQL text; a few shapes at most (least recently used goes). */
const STATEMENT_CACHE_SIZE = 8;
const statementCache = new WeakMap<SqliteDatabase.Database, Map<string, SqliteDatabase.Statement>>();

function preparedStatement(connection: SqliteDatabase.Database, text: string): SqliteDatabase.Statement {
  let cache = statementCache.get(connection);
  if (!cache) {
    cache = new Map();
    statementCache.set(connection, cache);
  }
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const stmt = connection.prepare(text);
  cache.set(text, stmt);
  if (cache.size > STATEMENT_CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return stmt;
}

/** Runs raw SQL with positional parameters and returns its rows (e.g. from RETURNING). */
export type StatementRunner = <R>(text: string, parameters: readonly unknown[]) => Promise<R[]>;

/**
 * A runner for the same few big statements executed many times inside a transaction (the payroll's
 * multi-row INSERTs). Kysely's SQLite driver prepares every statement anew, and preparing a 1,000-row
 * INSERT costs about as much as running it; on SQLite this runner reuses the prepared statement on the
 * transaction's own connection. On PostgreSQL it is plain `executeQuery`.
 * SQLite has one connection: a statement run on it outside our own transaction could land inside another
 * caller's open one, so the runner is only handed out for a transaction.
 */
export function statementRunner<DB>(trx: Kysely<DB>): StatementRunner {
  if (!trx.isTransaction) throw new Error('statementRunner: only inside a transaction');
  const adapter = trx.getExecutor().adapter;
  if (adapter instanceof ConnectionSqliteAdapter) {
    const connection = adapter.connection;
    return async <R>(text: string, parameters: readonly unknown[]) => {
      const stmt = preparedStatement(connection, text);
      if (stmt.reader) return stmt.all(parameters) as R[];
      stmt.run(parameters);
      return [];
    };
  }
  return async <R>(text: string, parameters: readonly unknown[]) =>
    (await trx.executeQuery<R>(CompiledQuery.raw(text, [...parameters]))).rows as R[];
}

/**
 * Runs the reads of one keyset-paged chunk (`… where id > cursor order by id limit n`). On PostgreSQL they
 * run in a transaction with parallel plans off: for such a chunk the planner often picks a parallel plan
 * whose worker start-up (about 100 ms) costs more than the read itself. SQLite has no parallel plans.
 */
export async function withoutParallelPlans<DB, T>(
  db: Kysely<DB>,
  fn: (q: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (!isPostgres(db)) return fn(db);
  const serial = sql`set local max_parallel_workers_per_gather = 0`;
  if (db.isTransaction) {
    await serial.execute(db);
    return fn(db);
  }
  return db.transaction().execute(async (trx) => {
    await serial.execute(trx);
    return fn(trx);
  });
}
