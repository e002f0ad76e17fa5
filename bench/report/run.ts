/**
 * Statistics benchmark (issue 7, "Speed"): a province-sized ledger — N rural dibao households (default
 * 1,000,000, 2N persons, bench/payroll/synthetic.ts) with 12 months of payments posted straight into
 * payment_ledger in bulk (one INSERT … SELECT per month from the enrolments: 低保金 for every household,
 * 分类施保 for every fifth, 价格临时补贴 in January and February) — on SQLite and PostgreSQL, then times
 *   (a) re-deriving a month's statistics from the raw ledger (what `freeze` and `verify` do), and
 *   (b) the monthly statistics read from the frozen snapshot (what `GET /statistics/monthly` does for a closed
 *       month; target < 1 s), median of 5 reads.
 *
 *   npm run bench:report -- [--households N] [--engine sqlite|pg|both] [--month YYYY-MM] [--keep]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type DatabaseHandle, type Engine, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import {
  deriveFigures,
  freezeMonth,
  monthlyStatistics,
  verifySnapshot,
} from '../../src/modules/statistics/statistics.service.ts';
import { buildSyntheticCaseload } from '../payroll/synthetic.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const COUNTY = '440232';
const YEAR = '2015';

const { values: args } = parseArgs({
  options: {
    households: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'both' },
    month: { type: 'string', default: '2015-12' },
    keep: { type: 'boolean', default: false },
  },
});
const households = Number(args.households);
if (!Number.isSafeInteger(households) || households < 1) throw new Error(`--households: ${args.households}`);
const engines: Engine[] =
  args.engine === 'both'
    ? ['sqlite', 'postgres']
    : args.engine === 'pg' || args.engine === 'postgres'
      ? ['postgres']
      : ['sqlite'];
const month = args.month;

const fmt = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const secs = (ms: number) => (ms / 1000).toFixed(2);

async function open(engine: Engine): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jiuzhu-report-bench-'));
    const handle = openDatabase(`sqlite:${join(dir, 'bench.sqlite')}`);
    return {
      handle,
      cleanup: async () => {
        await handle.close();
        if (!args.keep) rmSync(dir, { recursive: true, force: true });
        else console.log(`  kept ${dir}`);
      },
    };
  }
  const schema = `bench_report_${randomBytes(4).toString('hex')}`;
  const admin = openDatabase(PG_URL, { poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = openDatabase(PG_URL, { pgSchema: schema });
  return {
    handle,
    cleanup: async () => {
      if (!args.keep) await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      else console.log(`  kept schema ${schema}`);
      await handle.close();
    },
  };
}

/** Twelve months of payments for every enrolment, in bulk, straight into the ledger (not timed). */
async function postLedger(handle: DatabaseHandle): Promise<number> {
  const db = handle.db;
  for (let m = 1; m <= 12; m++) {
    const mm = `${YEAR}-${String(m).padStart(2, '0')}`;
    const posted = `${mm}-25T02:00:00.000Z`;
    const parts = [
      sql`select e.county_code, e.town_code, e.program_code, e.household_id, e.person_id, e.id, ${mm}, ${mm},
        'dibao_base', 'central', 10000 + (e.id % 200) * 100, 'payment', ${posted}
        from enrolment e`,
      sql`select e.county_code, e.town_code, e.program_code, e.household_id, e.person_id, e.id, ${mm}, ${mm},
        'dibao_addon', 'county', 2600, 'payment', ${posted}
        from enrolment e where e.id % 5 = 0`,
    ];
    if (m <= 2) {
      parts.push(sql`select e.county_code, e.town_code, e.program_code, e.household_id, e.person_id, e.id, ${mm},
        ${mm}, 'price_subsidy', 'central', 2000, 'payment', ${posted}
        from enrolment e`);
    }
    for (const part of parts) {
      await sql`insert into payment_ledger (county_code, town_code, program_code, household_id, person_id,
        enrolment_id, benefit_month, pay_month, component, fund_source, amount_fen, entry_kind, posted_at,
        posted_by) select q.*, 'bench' from (${part}) q`.execute(db);
    }
    process.stdout.write(`\r  ledger: ${mm}`);
  }
  process.stdout.write('\n');
  if (handle.engine === 'postgres') await sql`analyze`.execute(db);
  else await sql`analyze`.execute(db);
  const r = await db
    .selectFrom('payment_ledger')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

interface Result {
  engine: Engine;
  ledgerRows: number;
  persons: number;
  households: number;
  deriveMs: number;
  freezeMs: number;
  readMedianMs: number;
  readMaxMs: number;
  verifyMs: number;
  agrees: boolean;
  load: string;
}

async function bench(engine: Engine): Promise<Result> {
  const { handle, cleanup } = await open(engine);
  try {
    await migrateToLatest(handle.db);
    console.log(`${engine}: building ${fmt(households)} households …`);
    await buildSyntheticCaseload(handle, { households, countyCode: COUNTY });
    const t0 = performance.now();
    const ledgerRows = await postLedger(handle);
    console.log(`  ledger ${fmt(ledgerRows)} rows in ${secs(performance.now() - t0)} s`);
    const load0 = loadavg()[0]?.toFixed(1);
    const actor = systemActor(COUNTY, 'bench');

    let t = performance.now();
    const figures = await deriveFigures(handle.db, COUNTY, month);
    const deriveMs = performance.now() - t;
    const persons = figures.cells.reduce((s, c) => s + c.persons, 0);
    const hh = figures.cells.reduce((s, c) => s + c.households, 0);
    console.log(`  re-derive ${month}: ${secs(deriveMs)} s (${fmt(hh)} 户 ${fmt(persons)} 人)`);

    t = performance.now();
    const snap = await handle.db.transaction().execute((trx) => freezeMonth(trx, actor, { month }));
    const freezeMs = performance.now() - t;

    const reads: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      const v = await monthlyStatistics(handle.db, actor, { month });
      reads.push(performance.now() - t);
      if (v.source.kind !== 'snapshot') throw new Error('not read from the snapshot');
    }
    reads.sort((a, b) => a - b);
    t = performance.now();
    const check = await verifySnapshot(handle.db, actor, snap.id);
    const verifyMs = performance.now() - t;
    const load1 = loadavg()[0]?.toFixed(1);
    return {
      engine,
      ledgerRows,
      persons,
      households: hh,
      deriveMs,
      freezeMs,
      readMedianMs: reads[2] ?? 0,
      readMaxMs: reads[4] ?? 0,
      verifyMs,
      agrees: check.agrees,
      load: `${load0} → ${load1}`,
    };
  } finally {
    await cleanup();
  }
}

const results: Result[] = [];
for (const engine of engines) results.push(await bench(engine));
console.log(`\n${fmt(households)} households, 12 months of ${YEAR}, statistics of ${month}:\n`);
console.log(
  '| engine | ledger rows | 户 / 人 at month end | re-derive s | freeze s | read from snapshot ms (median / max of 5) | verify s | agrees | load |',
);
console.log('|---|--:|--:|--:|--:|--:|--:|---|---|');
for (const r of results) {
  console.log(
    `| ${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${fmt(r.ledgerRows)} | ${fmt(r.households)} / ${fmt(r.persons)} | ${secs(r.deriveMs)} | ${secs(r.freezeMs)} | ${r.readMedianMs.toFixed(1)} / ${r.readMaxMs.toFixed(1)} | ${secs(r.verifyMs)} | ${r.agrees ? 'yes' : 'NO'} | ${r.load} |`,
  );
}
if (results.some((r) => !r.agrees)) process.exitCode = 1;
