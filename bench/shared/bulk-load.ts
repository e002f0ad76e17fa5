/**
 * Bulk loading for the synthetic benchmark databases (payroll, verify): a deterministic PRNG, table specs,
 * a chunk writer (prepared statements in one transaction on SQLite; `insert … select from unnest(arrays)` on
 * PostgreSQL, without per-row foreign-key triggers) and the drop/rebuild of secondary indexes (a sorted index
 * build after the load is several times faster than millions of single-row index insertions).
 */
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';

/** A tiny xorshift PRNG: fast, deterministic, the same rows on both engines. */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}
export type Rng = ReturnType<typeof rng>;

export interface TableSpec {
  name: string;
  /** [column, PostgreSQL array element type] */
  cols: [string, string][];
}

/** Rows per table key, each row in the order of its spec's columns. */
export type Chunk<K extends string> = Partial<Record<K, unknown[][]>>;

export interface Writer<K extends string> {
  write(chunk: Chunk<K>): Promise<void>;
}

export function bulkWriter<K extends string>(handle: DatabaseHandle, specs: Record<K, TableSpec>): Writer<K> {
  return handle.engine === 'sqlite' ? sqliteWriter(handle, specs) : pgWriter(handle, specs);
}

function sqliteWriter<K extends string>(handle: DatabaseHandle, specs: Record<K, TableSpec>): Writer<K> {
  const db = handle.sqlite;
  if (!db) throw new Error('sqlite handle without connection');
  const stmts = new Map(
    (Object.keys(specs) as K[]).map((k) => {
      const t = specs[k];
      return [
        k,
        db.prepare(
          `insert into ${t.name} (${t.cols.map((c) => c[0]).join(', ')}) values (${t.cols.map(() => '?').join(', ')})`,
        ),
      ] as const;
    }),
  );
  const tx = db.transaction((chunk: Chunk<K>) => {
    for (const [k, rows] of Object.entries(chunk) as [K, unknown[][]][]) {
      const stmt = stmts.get(k);
      if (!stmt) throw new Error(k);
      for (const row of rows) stmt.run(row);
    }
  });
  return {
    write: async (chunk) => {
      tx(chunk);
    },
  };
}

function pgWriter<K extends string>(handle: DatabaseHandle, specs: Record<K, TableSpec>): Writer<K> {
  return {
    write: async (chunk) => {
      await handle.db.transaction().execute(async (trx) => {
        // No per-row foreign-key triggers while loading (transaction-scoped; the test role is a superuser).
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`set local synchronous_commit = off`.execute(trx);
        for (const [k, rows] of Object.entries(chunk) as [K, unknown[][]][]) {
          if (rows.length === 0) continue;
          const t = specs[k];
          const arrays = t.cols.map((_, j) => rows.map((r) => r[j]));
          await sql`insert into ${sql.table(t.name)} (${sql.join(t.cols.map((c) => sql.ref(c[0])))})
            select * from unnest(${sql.join(arrays.map((a, j) => sql`${a}::${sql.raw(t.cols[j]?.[1] ?? 'text')}[]`))})`.execute(
            trx,
          );
        }
      });
    },
  };
}

/** Drops the non-primary-key indexes of these tables; returns the DDL that recreates them. */
export async function dropSecondaryIndexes(
  handle: DatabaseHandle,
  tables: readonly string[],
): Promise<string[]> {
  const list = sql.join(tables.map((t) => sql.lit(t)));
  const rows =
    handle.engine === 'sqlite'
      ? (
          await sql<{ name: string; ddl: string }>`select name, sql as ddl from sqlite_master
            where type = 'index' and sql is not null and tbl_name in (${list})`.execute(handle.db)
        ).rows
      : (
          await sql<{
            name: string;
            ddl: string;
          }>`select i.indexname as name, i.indexdef as ddl from pg_indexes i
            where i.schemaname = current_schema() and i.tablename in (${list})
              and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(handle.db)
        ).rows;
  for (const r of rows) await sql`drop index ${sql.id(r.name)}`.execute(handle.db);
  return rows.map((r) => r.ddl);
}
