/**
 * Payroll benchmark (issue 5): builds a synthetic rural dibao caseload (default 1,000,000 households,
 * 2,000,000 persons) on SQLite and/or PostgreSQL, then times
 *   (a) the real monthly payroll generation (src/modules/payroll/generate.ts) for the month, and
 *   (b) the baseline: the same arithmetic as one `INSERT … SELECT` in the same database (baseline.ts),
 * and prints lines, wall time, lines/s, the baseline's time and the ratio (and the process's CPU time, which
 * other load on the machine hardly affects), and checks that both payrolls
 * (and the bench's own JS statement of the rule) come to the same total. Asserts nothing else; a total
 * mismatch sets exit code 1. Target (issue 5): < 60 s per engine and ≤ 2× the baseline.
 *
 *   npm run bench:payroll -- [--households N] [--engine sqlite|pg|both] [--keep] [--month YYYY-MM]
 *                            [--chunk N] [--profile] [--no-generator] [--reuse FILE|SCHEMA] [--pg-options="-c …"]
 *
 * SQLite runs in a temp file, PostgreSQL in a fresh schema of TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test); both are dropped at the end unless --keep.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Kysely, type LogEvent, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type DatabaseHandle, type Engine, openDatabase } from '../../src/db/database.ts';
import { sqliteKysely } from '../../src/db/dialect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { parsePolicyBody } from '../../src/domain/policy/kinds.ts';
import { runGeneration } from '../../src/modules/payroll/generate.ts';
import { payrollTotals, runBaseline } from './baseline.ts';
import { BENCH_DIBAO_BODY, buildSyntheticCaseload, PROGRAM, type SyntheticCaseload } from './synthetic.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const COUNTY = '440232';

const { values: args } = parseArgs({
  options: {
    households: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'both' },
    month: { type: 'string', default: '2015-10' },
    keep: { type: 'boolean', default: false },
    /** A kept bench database to time again without rebuilding: the SQLite file or the PostgreSQL schema. */
    reuse: { type: 'string' },
    /** Enrolments per generator chunk (default: the generator's own). */
    chunk: { type: 'string' },
    /** Time the generator's SQL by statement (kysely log) and the longest event-loop stall; print hrtime marks for a --cpu-prof window. */
    profile: { type: 'boolean', default: false },
    /** Extra PostgreSQL settings for the generator's connections, e.g. "-c max_parallel_workers_per_gather=0". */
    'pg-options': { type: 'string' },
    /** Only the baseline (to time the SQL alone). */
    'no-generator': { type: 'boolean', default: false },
  },
});
const households = Number(args.households);
if (!Number.isSafeInteger(households) || households < 1) throw new Error(`--households: ${args.households}`);
const engines: Engine[] =
  args.engine === 'both'
    ? ['sqlite', 'postgres']
    : args.engine === 'pg' || args.engine === 'postgres'
      ? ['postgres']
      : args.engine === 'sqlite'
        ? ['sqlite']
        : (() => {
            throw new Error(`--engine sqlite|pg|both, not ${args.engine}`);
          })();
if (args.reuse !== undefined && engines.length !== 1)
  throw new Error('--reuse needs --engine sqlite or --engine pg');
const month = args.month;
const chunkSize = args.chunk === undefined ? undefined : Number(args.chunk);

const parsed = parsePolicyBody('dibao', BENCH_DIBAO_BODY);
if (!parsed.ok) throw new Error(`bench policy body invalid: ${JSON.stringify(parsed.issues)}`);
const params = parsed.value;

const fmt = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const yuan = (fen: number) =>
  `${fmt(Math.trunc(fen / 100))}.${String(Math.abs(fen) % 100).padStart(2, '0')} 元`;
const secs = (ms: number) => (ms / 1000).toFixed(2);
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

interface Result {
  engine: Engine;
  households: number;
  setupMs: number;
  lines: number;
  totalFen: number;
  genMs: number | null;
  /** CPU seconds of this process (user + system): on SQLite all the work, on PostgreSQL the client's share. */
  genCpu: number | null;
  baseCpu: number;
  baseLines: number;
  baseTotalFen: number;
  baseMs: number;
  referenceFen: number;
  mismatch: boolean;
  /** 1-minute load average before the generator and after the baseline. */
  load: [number, number];
}

async function open(
  engine: Engine,
): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void>; where: string; pgSchema?: string }> {
  if (args.reuse !== undefined) {
    const handle =
      engine === 'sqlite'
        ? openDatabase(`sqlite:${args.reuse}`)
        : openDatabase(PG_URL, { pgSchema: args.reuse });
    return {
      handle,
      ...(engine === 'postgres' ? { pgSchema: args.reuse } : {}),
      where: args.reuse,
      cleanup: () => handle.close(),
    };
  }
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jiuzhu-payroll-bench-'));
    const file = join(dir, 'bench.sqlite');
    const handle = openDatabase(`sqlite:${file}`);
    return {
      handle,
      where: file,
      cleanup: async () => {
        await handle.close();
        if (!args.keep) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_payroll_${randomBytes(4).toString('hex')}`;
  const admin = openDatabase(PG_URL, { poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = openDatabase(PG_URL, { pgSchema: schema });
  return {
    handle,
    pgSchema: schema,
    where: `schema ${schema}`,
    cleanup: async () => {
      if (!args.keep) await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
    },
  };
}

/**
 * A caseload built by an earlier --keep run: its figures from the tables (the decisions' monthly amounts
 * are the bench reference amounts), after deleting the payrolls of the month left by that run.
 */
async function reuseCaseload(handle: DatabaseHandle): Promise<SyntheticCaseload> {
  const db = handle.db;
  const old = await db.selectFrom('payroll').select('id').where('pay_month', '=', month).execute();
  if (old.length > 0) {
    const ids = old.map((r) => r.id);
    await db.deleteFrom('payroll_line').where('payroll_id', 'in', ids).execute();
    await db.deleteFrom('payroll').where('id', 'in', ids).execute();
  }
  const count = async (t: 'household' | 'person') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const policy = await db
    .selectFrom('policy_parameter')
    .select('id')
    .where('county_code', '=', COUNTY)
    .where('program_code', '=', PROGRAM)
    .executeTakeFirstOrThrow();
  const decisions = await db
    .selectFrom('benefit_decision')
    .select((eb) => eb.fn.sum<number>('monthly_amount_fen').as('total'))
    .executeTakeFirstOrThrow();
  return {
    countyCode: COUNTY,
    programCode: PROGRAM,
    households: await count('household'),
    persons: await count('person'),
    policyId: policy.id,
    decisionsTotalFen: Number(decisions.total),
    withAddOn: Number.NaN,
    timings: { areas: 0, rows: 0, write: 0, indexes: 0, analyze: 0 },
  };
}

/** Reads every table the payroll reads once, so neither run pays for a cold cache. */
async function warm(handle: DatabaseHandle): Promise<void> {
  for (const t of ['enrolment', 'benefit_decision', 'household', 'person', 'household_member']) {
    await sql`select count(*) from ${sql.table(t)}`.execute(handle.db);
  }
  await sql`select sum(length(members_json)) from benefit_decision`.execute(handle.db);
}

/** Per statement kind: count and milliseconds, from kysely's query log. */
class QueryProfile {
  readonly byKind = new Map<string, { n: number; ms: number; rows: number }>();

  readonly log = (e: LogEvent): void => {
    const text = e.query.sql.slice(0, 200).replace(/\s+/g, ' ');
    const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
    const table = /\b(?:from|into|update)\s+"?(\w+)"?/i.exec(text)?.[1] ?? '';
    const kind = `${verb} ${table}`.trim();
    const slot = this.byKind.get(kind) ?? { n: 0, ms: 0, rows: 0 };
    slot.n += 1;
    slot.ms += e.queryDurationMillis;
    slot.rows += e.query.parameters.length;
    this.byKind.set(kind, slot);
  };

  print(engine: Engine, wallMs: number, loopMaxMs: number): void {
    let sqlMs = 0;
    console.log(`  ${engine}: generator profile (wall ${secs(wallMs)} s)`);
    for (const [kind, v] of [...this.byKind].sort((a, b) => b[1].ms - a[1].ms)) {
      sqlMs += v.ms;
      console.log(
        `    ${kind.padEnd(36)} ${String(v.n).padStart(7)} statements ${secs(v.ms).padStart(8)} s  ${fmt(v.rows).padStart(12)} params`,
      );
    }
    console.log(
      `    ${'Σ in the driver/database'.padEnd(36)} ${''.padStart(18)} ${secs(sqlMs).padStart(8)} s`,
    );
    console.log(
      `    ${'longest event-loop stall'.padEnd(36)} ${''.padStart(18)} ${secs(loopMaxMs).padStart(8)} s`,
    );
    console.log(
      `    ${'JS outside the driver (engine, kysely, lines)'.padEnd(36)} ${secs(wallMs - sqlMs).padStart(8)} s`,
    );
  }
}

/** A second Kysely over the same connection (SQLite) or database schema (PostgreSQL, with --pg-options) with a query logger. */
function loggingDb(
  handle: DatabaseHandle,
  pgSchema: string | undefined,
  log: (e: LogEvent) => void,
): Kysely<Database> {
  if (handle.engine === 'sqlite' && handle.sqlite) {
    return sqliteKysely<Database>(handle.sqlite, { log });
  }
  const options = [pgSchema ? `-c search_path=${pgSchema}` : '', args['pg-options'] ?? ''].join(' ').trim();
  const pool = new pg.Pool({ connectionString: PG_URL, max: 10, ...(options ? { options } : {}) });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
}

/** The real payroll generation (src/modules/payroll/generate.ts): a 'generating' payroll row, then runGeneration. */
async function runGenerator(
  handle: DatabaseHandle,
  caseload: SyntheticCaseload,
  engine: Engine,
  pgSchema: string | undefined,
): Promise<number> {
  const now = new Date().toISOString();
  const payroll = await handle.db
    .insertInto('payroll')
    .values({
      county_code: caseload.countyCode,
      program_code: caseload.programCode,
      pay_month: month,
      status: 'generating',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const profile = args.profile ? new QueryProfile() : null;
  const ownDb = profile !== null || (engine === 'postgres' && args['pg-options'] !== undefined);
  const db = ownDb ? loggingDb(handle, pgSchema, profile?.log ?? (() => {})) : handle.db;
  // The longest the event loop went without turning: on SQLite every query is synchronous, so a generator
  // that never yields to the loop freezes every HTTP request of the same process until it is done.
  const loop = monitorEventLoopDelay({ resolution: 20 });
  if (profile) {
    loop.enable();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the sampling timer starts on the next turn
  }
  const t0 = performance.now();
  if (profile) console.log(`  ${engine}: generator start hrtime_us=${process.hrtime.bigint() / 1000n}`);
  let lastShown = t0;
  await runGeneration(db, payroll.id, systemActor(caseload.countyCode, 'bench'), {
    ...(chunkSize === undefined ? {} : { chunkSize }),
    onProgress: (done, total) => {
      const t = performance.now();
      if (t - lastShown > 10_000) {
        lastShown = t;
        console.log(`  ${engine}: generator ${fmt(done)}/${fmt(total)} enrolments, ${secs(t - t0)} s`);
      }
    },
  });
  if (profile) {
    console.log(`  ${engine}: generator end hrtime_us=${process.hrtime.bigint() / 1000n}`);
    const wallMs = performance.now() - t0;
    // Let the sampling timer fire once more, so a stall that lasted until now is recorded.
    await new Promise((resolve) => setTimeout(resolve, 50));
    loop.disable();
    profile.print(engine, wallMs, loop.max / 1e6);
  }
  // The SQLite connection belongs to the handle; only an extra PostgreSQL pool is ours to close.
  if (ownDb && engine === 'postgres') await db.destroy();
  return payroll.id;
}

async function bench(engine: Engine): Promise<Result> {
  const { handle, cleanup, where, pgSchema } = await open(engine);
  try {
    await migrateToLatest(handle.db);
    const t0 = performance.now();
    let lastShown = 0;
    const caseload =
      args.reuse !== undefined
        ? await reuseCaseload(handle)
        : await buildSyntheticCaseload(handle, {
            households,
            countyCode: COUNTY,
            onProgress: (done, total) => {
              const now = performance.now();
              if (now - lastShown > 5000 || done === total) {
                lastShown = now;
                process.stdout.write(
                  `  ${engine}: caseload ${fmt(done)}/${fmt(total)} households, ${secs(now - t0)} s\n`,
                );
              }
            },
          });
    const setupMs = performance.now() - t0;
    const how =
      args.reuse !== undefined
        ? `reused; old payrolls of ${month} removed in ${secs(setupMs)} s`
        : `${fmt(caseload.withAddOn)} with add-ons; built in ${secs(setupMs)} s (not timed: ${Object.entries(
            caseload.timings,
          )
            .map(([k, v]) => `${k} ${secs(v)}`)
            .join(', ')})`;
    console.log(
      `${engine} (${where}): ${fmt(caseload.households)} households, ${fmt(caseload.persons)} persons, ${how}`,
    );
    await warm(handle);

    const loadBefore = loadavg()[0] ?? 0;
    const g0 = performance.now();
    const c0 = process.cpuUsage();
    const generated: number | null = args['no-generator']
      ? null
      : await runGenerator(handle, caseload, engine, pgSchema);
    const genMs = generated === null ? null : performance.now() - g0;
    const genCpu = generated === null ? null : cpuSeconds(process.cpuUsage(c0));
    const gen = generated === null ? { lines: 0, totalFen: 0 } : await payrollTotals(handle.db, generated);
    if (genMs !== null) console.log(`  ${engine}: generator ${fmt(gen.lines)} lines in ${secs(genMs)} s`);

    const b0 = performance.now();
    const bc0 = process.cpuUsage();
    const baseId = await runBaseline(handle.db, engine, {
      countyCode: COUNTY,
      programCode: caseload.programCode,
      month,
      policyId: caseload.policyId,
      params,
    });
    const baseMs = performance.now() - b0;
    const baseCpu = cpuSeconds(process.cpuUsage(bc0));
    const base = await payrollTotals(handle.db, baseId);
    console.log(`  ${engine}: baseline ${fmt(base.lines)} lines in ${secs(baseMs)} s`);

    const mismatch =
      base.totalFen !== caseload.decisionsTotalFen ||
      (generated !== null && (gen.totalFen !== base.totalFen || gen.lines !== base.lines));
    return {
      engine,
      households: caseload.households,
      setupMs,
      lines: gen.lines,
      totalFen: gen.totalFen,
      genMs,
      genCpu,
      baseCpu,
      baseLines: base.lines,
      baseTotalFen: base.totalFen,
      baseMs,
      referenceFen: caseload.decisionsTotalFen,
      mismatch,
      load: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    await cleanup();
  }
}

const results: Result[] = [];
for (const engine of engines) results.push(await bench(engine));

console.log(
  `\nPayroll ${month}, rural_dibao, ${fmt(results[0]?.households ?? households)} households (target: < 60 s, ≤ 2× baseline)\n`,
);
const header = [
  'engine',
  'lines',
  'wall s',
  'lines/s',
  'baseline s',
  'base lines/s',
  'ratio',
  'verdict',
  'CPU s gen/base',
];
const rows = results.map((r) => {
  const ratio = r.genMs === null ? null : r.genMs / r.baseMs;
  const ok = r.genMs !== null && ratio !== null && r.genMs < 60_000 && ratio <= 2;
  return [
    r.engine,
    fmt(r.genMs === null ? r.baseLines : r.lines),
    r.genMs === null ? '—' : secs(r.genMs),
    r.genMs === null ? '—' : fmt(r.lines / (r.genMs / 1000)),
    secs(r.baseMs),
    fmt(r.baseLines / (r.baseMs / 1000)),
    ratio === null ? '—' : `${ratio.toFixed(2)}×`,
    r.genMs === null ? 'no generator' : ok ? 'ok' : 'MISSED',
    `${r.genCpu === null ? '—' : r.genCpu.toFixed(1)} / ${r.baseCpu.toFixed(1)}`,
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log(
  `\n${cpus().length} CPUs; 1-minute load average ${results
    .map((r) => `${r.engine} ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`)
    .join(', ')} (above the CPU count the wall times are inflated). CPU s = this process's user + system\n` +
    `time: on SQLite all of the work, hardly affected by other load; on PostgreSQL only the client's share.\n`,
);
for (const r of results) {
  console.log(
    `${r.engine}: totals — generator ${r.genMs === null ? '—' : yuan(r.totalFen)}, baseline ${yuan(r.baseTotalFen)}, ` +
      `bench reference ${yuan(r.referenceFen)}${r.mismatch ? '   <<< MISMATCH >>>' : '   (equal)'}`,
  );
}
if (results.some((r) => r.mismatch)) {
  console.error(
    '\n!!! TOTALS DIFFER: the generator, the SQL baseline and the bench reference do not agree !!!',
  );
  process.exitCode = 1;
}
