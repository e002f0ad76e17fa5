/**
 * One code path over two engines: SQLite (embedded default) and PostgreSQL (scale-out),
 * chosen by DATABASE_URL. See docs/decisions/0002-two-databases.md.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { sqliteKysely } from './dialect.ts';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** Human-readable location without credentials. */
  location: string;
  /** The SQLite file path (sqlite only), for backup. */
  sqlitePath?: string;
  /** The better-sqlite3 connection (sqlite only), for online backup. */
  sqlite?: SqliteDatabase.Database;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_PATH = './data/jiuzhu.sqlite';

let typeParsersSet = false;

/** pg returns int8 and numeric as strings; we only store integers (ids, fen, counts), so parse once and refuse anything unsafe. */
function setPgTypeParsers(): void {
  if (typeParsersSet) return;
  const toSafeInteger = (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) {
      throw new Error(`数据库返回的数值 ${value} 不是安全整数（应为整数“分”或计数）`);
    }
    return n;
  };
  pg.types.setTypeParser(pg.types.builtins.INT8, toSafeInteger);
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, toSafeInteger);
  typeParsersSet = true;
}

export interface OpenOptions {
  /** PostgreSQL only: the schema to use (tests isolate themselves in a schema each). */
  pgSchema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export function parseDatabaseUrl(url: string | undefined): { engine: Engine; target: string } {
  if (!url || url.trim() === '') return { engine: 'sqlite', target: DEFAULT_SQLITE_PATH };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return { engine: 'postgres', target: url };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error('DATABASE_URL=sqlite: 后缺少文件路径');
    return { engine: 'sqlite', target: path };
  }
  throw new Error(`无法识别的 DATABASE_URL：应为 sqlite:路径 或 postgres://… ，实际为 ${redact(url)}`);
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

export function openDatabase(url: string | undefined, options: OpenOptions = {}): DatabaseHandle {
  const { engine, target } = parseDatabaseUrl(url);
  if (engine === 'sqlite') return openSqlite(target);
  return openPostgres(target, options);
}

function openSqlite(path: string): DatabaseHandle {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = sqliteKysely<Database>(sqlite);
  return {
    db,
    engine: 'sqlite',
    location: `sqlite:${file}`,
    sqlitePath: file,
    sqlite,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, options: OpenOptions): DatabaseHandle {
  setPgTypeParsers();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    location: redact(url) + (options.pgSchema ? ` (schema ${options.pgSchema})` : ''),
    close: () => db.destroy(),
  };
}
