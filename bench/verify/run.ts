/**
 * Verification benchmark (issue 6): a county of 100,000 enrolled households (300,000 persons) against department
 * snapshots totalling 10,000,000 records (synthetic.ts), on SQLite and/or PostgreSQL, then times
 *   (a) a 核查 campaign with every default rule through the real engine (ensureDefaultRules, createCampaign,
 *       runCampaign of src/modules/campaigns/campaigns.service.ts), and
 *   (b) the baseline: one hand-written SQL query per rule type counting the households it hits (baseline.ts),
 * prints the engine's and the baseline's seconds, the ratio, and per rule the findings against the planted hits
 * (and the baseline's count), and the verdict against the issue's target: under 2 minutes per engine.
 * A finding count that differs from the planted count sets exit code 1.
 *
 *   npm run bench:verify -- [--engine sqlite|pg|both] [--households N] [--records N] [--plants N]
 *                           [--fresh] [--drop] [--no-engine] [--profile]
 *
 * The loaded database is kept and reused by the next run with the same parameters (building 10 million
 * records takes minutes): SQLite in $TMPDIR/jiuzhu-bench-verify/verify-h<N>-r<R>.sqlite, PostgreSQL in schema
 * bench_verify_h<N>_r<R> of TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). The findings,
 * tasks and campaigns of an earlier run are deleted before timing. --fresh rebuilds, --drop removes the
 * database at the end.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Kysely, type LogEvent, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type DatabaseHandle, type Engine, openDatabase } from '../../src/db/database.ts';
import { sqliteKysely } from '../../src/db/dialect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import {
  CAMPAIGN_PROGRAMS,
  createCampaign,
  ensureDefaultRules,
  runCampaign,
} from '../../src/modules/campaigns/campaigns.service.ts';
import { type BaselineResult, runBaseline } from './baseline.ts';
import {
  AS_OF,
  buildSyntheticCounty,
  COUNTY,
  GENERATOR_VERSION,
  PLANT_KINDS,
  type PlantKind,
  SOURCE_ORDER,
  type SyntheticCounty,
} from './synthetic.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_MS = 120_000;
const SETTING_KEY = 'bench_verify';

const { values: args } = parseArgs({
  options: {
    households: { type: 'string', default: '100000' },
    records: { type: 'string', default: '10000000' },
    plants: { type: 'string' },
    engine: { type: 'string', default: 'both' },
    fresh: { type: 'boolean', default: false },
    drop: { type: 'boolean', default: false },
    /** Only the baseline (to time the SQL alone, or before the engine exists). */
    'no-engine': { type: 'boolean', default: false },
    /** Time the engine's SQL by statement (kysely log): where the campaign's time goes. */
    profile: { type: 'boolean', default: false },
  },
});
const households = Number(args.households);
const records = Number(args.records);
if (!Number.isSafeInteger(households) || households < 100)
  throw new Error(`--households: ${args.households}`);
if (!Number.isSafeInteger(records) || records < 1000) throw new Error(`--records: ${args.records}`);
const plants = args.plants === undefined ? undefined : Number(args.plants);
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

const fmt = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const secs = (ms: number) => (ms / 1000).toFixed(2);
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** What a cached database was built with; a mismatch rebuilds it. */
interface CacheKey {
  version: number;
  households: number;
  records: number;
  plants: number | null;
}
const cacheKey: CacheKey = { version: GENERATOR_VERSION, households, records, plants: plants ?? null };

interface Opened {
  handle: DatabaseHandle;
  where: string;
  pgSchema?: string;
  /** Drops the database (the file or the schema). */
  destroy: () => Promise<void>;
}

async function open(engine: Engine): Promise<Opened> {
  const name = `verify-h${households}-r${records}${plants === undefined ? '' : `-p${plants}`}`;
  if (engine === 'sqlite') {
    const dir = join(tmpdir(), 'jiuzhu-bench-verify');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.sqlite`);
    const remove = () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
    };
    if (args.fresh) remove();
    const handle = openDatabase(`sqlite:${file}`);
    return {
      handle,
      where: file,
      destroy: async () => {
        await handle.close();
        remove();
      },
    };
  }
  const schema = `bench_${name.replaceAll('-', '_')}`;
  const admin = openDatabase(PG_URL, { poolSize: 1 });
  if (args.fresh) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
  await sql`create schema if not exists ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = openDatabase(PG_URL, { pgSchema: schema });
  return {
    handle,
    pgSchema: schema,
    where: `schema ${schema}`,
    destroy: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
    },
  };
}

/** The county of an earlier run when it was built with the same parameters and finished, else null. */
async function cached(handle: DatabaseHandle): Promise<SyntheticCounty | null> {
  const row = await handle.db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', SETTING_KEY)
    .executeTakeFirst()
    .catch(() => undefined);
  if (!row) return null;
  const stored = JSON.parse(row.value) as { key: CacheKey; county: SyntheticCounty };
  return JSON.stringify(stored.key) === JSON.stringify(cacheKey) ? stored.county : null;
}

/** Empties a database that holds an unfinished or different build (SQLite: a new file; PG: a new schema). */
async function reset(o: Opened, engine: Engine): Promise<Opened> {
  await o.destroy();
  const saved = args.fresh;
  args.fresh = true;
  try {
    return await open(engine);
  } finally {
    args.fresh = saved;
  }
}

/** Removes the campaigns of earlier runs (their findings and review tasks). */
async function clearCampaigns(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('case_task').where('kind', '=', 'audit_review').execute();
  await db.deleteFrom('audit_finding').execute();
  await db.deleteFrom('audit_campaign').execute();
}

/** Reads the tables the rules read once, so neither run pays for a cold cache. */
async function warm(handle: DatabaseHandle): Promise<void> {
  for (const t of ['enrolment', 'household_member', 'person', 'household', 'staff', 'payment_ledger']) {
    await sql`select count(*) from ${sql.table(t)}`.execute(handle.db);
  }
  await sql`select count(*), sum(length(id_number)), sum(coalesce(amount_fen, 0)) from dept_record`.execute(
    handle.db,
  );
}

/** Per statement kind: count and milliseconds, from kysely's query log. */
class QueryProfile {
  readonly byKind = new Map<string, { n: number; ms: number }>();

  readonly log = (e: LogEvent): void => {
    const text = e.query.sql.replace(/\s+/g, ' ');
    // Name a statement by its verb, the tables it reads and the department sources among its parameters.
    const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
    const tables = [
      ...new Set([...text.matchAll(/\b(?:from|join|into|update)\s+"(\w+)"/gi)].map((m) => m[1])),
    ];
    // The population (enrolment × member × person) reads as one name.
    const shown = tables.includes('pop')
      ? tables.filter((t) => t !== 'enrolment' && t !== 'household_member' && t !== 'person')
      : tables;
    const sources = [
      ...new Set(
        e.query.parameters.filter(
          (p): p is string => typeof p === 'string' && (SOURCE_ORDER as readonly string[]).includes(p),
        ),
      ),
    ];
    const kind = `${verb} ${shown.join('+')}${sources.length > 0 ? ` [${sources.join(',')}]` : ''}`.slice(
      0,
      90,
    );
    const slot = this.byKind.get(kind) ?? { n: 0, ms: 0 };
    slot.n += 1;
    slot.ms += e.queryDurationMillis;
    this.byKind.set(kind, slot);
  };

  print(engine: Engine, wallMs: number): void {
    let sqlMs = 0;
    console.log(`  ${engine}: engine profile (wall ${secs(wallMs)} s), statements by kind, slowest first`);
    for (const [kind, v] of [...this.byKind].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
      console.log(`    ${kind.padEnd(90)} ${String(v.n).padStart(6)} × ${secs(v.ms).padStart(8)} s`);
    }
    for (const v of this.byKind.values()) sqlMs += v.ms;
    console.log(
      `    ${'Σ in the driver/database'.padEnd(70)} ${''.padStart(8)} ${secs(sqlMs).padStart(8)} s`,
    );
    console.log(
      `    ${'JS outside the driver (judges, kysely)'.padEnd(70)} ${''.padStart(8)} ${secs(wallMs - sqlMs).padStart(8)} s`,
    );
  }
}

function loggingDb(
  handle: DatabaseHandle,
  pgSchema: string | undefined,
  log: (e: LogEvent) => void,
): Kysely<Database> {
  if (handle.engine === 'sqlite' && handle.sqlite) return sqliteKysely<Database>(handle.sqlite, { log });
  const pool = new pg.Pool({
    connectionString: PG_URL,
    max: 10,
    ...(pgSchema ? { options: `-c search_path=${pgSchema}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
}

interface EngineRun {
  ms: number;
  cpu: number;
  /** Per rule type: findings and distinct households. */
  byRule: Record<string, { findings: number; households: number }>;
  /** Per rule type, ms, from the engine's progress callback (a rule's SQL, judging and writing). */
  ruleMs: Record<string, number>;
}

/** The real engine: the default rules, one campaign over every program and town at AS_OF, run and timed. */
async function runEngine(
  handle: DatabaseHandle,
  engine: Engine,
  pgSchema: string | undefined,
): Promise<EngineRun> {
  const actor = systemActor(COUNTY, 'bench');
  const now = new Date();
  await ensureDefaultRules(handle.db, COUNTY, now);
  const campaign = await handle.db.transaction().execute((trx) =>
    createCampaign(
      trx,
      actor,
      {
        title: '基准测试核查（全部默认规则）',
        programCodes: [...CAMPAIGN_PROGRAMS],
        townCodes: [],
        asOf: AS_OF,
      },
      now,
    ),
  );
  const profile = args.profile ? new QueryProfile() : null;
  const db = profile ? loggingDb(handle, pgSchema, profile.log) : handle.db;
  const ruleMs: Record<string, number> = {};
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let last = t0;
  await runCampaign(db, actor, campaign.id, now, {
    onProgress: (done, total, label) => {
      const t = performance.now();
      ruleMs[label] = t - last;
      last = t;
      console.log(`  ${engine}: rule ${done}/${total} ${label} ${secs(ruleMs[label] ?? 0)} s`);
    },
  });
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(process.cpuUsage(c0));
  if (profile) {
    profile.print(engine, ms);
    if (engine === 'postgres') await db.destroy();
  }
  const rows = await handle.db
    .selectFrom('audit_finding')
    .where('campaign_id', '=', campaign.id)
    .select((eb) => [
      'rule_type',
      eb.fn.countAll<number>().as('findings'),
      sql<number>`count(distinct household_id)`.as('households'),
    ])
    .groupBy('rule_type')
    .execute();
  const byRule: EngineRun['byRule'] = {};
  for (const r of rows)
    byRule[r.rule_type] = { findings: Number(r.findings), households: Number(r.households) };
  const state = await handle.db
    .selectFrom('audit_campaign')
    .select(['status', 'error'])
    .where('id', '=', campaign.id)
    .executeTakeFirstOrThrow();
  if (state.status !== 'done')
    throw new Error(`campaign ${campaign.id} ${state.status}: ${state.error ?? ''}`);
  // The progress callback names rules by label: key the times by rule type.
  const labels = await handle.db
    .selectFrom('audit_rule')
    .select(['label', 'rule_type'])
    .where('county_code', '=', COUNTY)
    .execute();
  const msByType: Record<string, number> = {};
  for (const l of labels) if (ruleMs[l.label] !== undefined) msByType[l.rule_type] = ruleMs[l.label] ?? 0;
  return { ms, cpu, byRule, ruleMs: msByType };
}

interface Result {
  engine: Engine;
  county: SyntheticCounty;
  buildMs: number | null;
  run: EngineRun | null;
  baseline: BaselineResult[];
  baseMs: number;
  baseCpu: number;
  load: [number, number];
  /** Rule types whose findings differ from the plants. */
  mismatches: string[];
}

/** Households the campaign should report per rule type (contract §5; the declared staff relatives are not). */
function expected(county: SyntheticCounty): Record<PlantKind, number> {
  return Object.fromEntries(PLANT_KINDS.map((k) => [k, county.plan.households[k].length])) as Record<
    PlantKind,
    number
  >;
}

async function bench(engine: Engine): Promise<Result> {
  let o = await open(engine);
  try {
    await migrateToLatest(o.handle.db);
    let county = await cached(o.handle);
    let buildMs: number | null = null;
    if (!county) {
      const hasRows = await o.handle.db.selectFrom('household').select('id').limit(1).executeTakeFirst();
      if (hasRows) {
        o = await reset(o, engine);
        await migrateToLatest(o.handle.db);
      }
      const t0 = performance.now();
      let lastShown = 0;
      county = await buildSyntheticCounty(o.handle, {
        households,
        records,
        ...(plants === undefined ? {} : { plants }),
        onProgress: (phase, done, total) => {
          const now = performance.now();
          if (now - lastShown > 10_000 || done === total) {
            lastShown = now;
            console.log(`  ${engine}: ${phase} ${fmt(done)}/${fmt(total)}, ${secs(now - t0)} s`);
          }
        },
      });
      buildMs = performance.now() - t0;
      await o.handle.db
        .insertInto('setting')
        .values({ key: SETTING_KEY, value: JSON.stringify({ key: cacheKey, county }) })
        .execute();
      console.log(
        `${engine} (${o.where}): built in ${secs(buildMs)} s (not timed: ${Object.entries(county.timings)
          .map(([k, v]) => `${k} ${secs(v)}`)
          .join(', ')})`,
      );
    } else {
      await clearCampaigns(o.handle.db);
      console.log(`${engine} (${o.where}): reused the county built earlier`);
    }
    console.log(
      `  ${fmt(county.households)} households, ${fmt(county.persons)} persons, ${fmt(county.enrolments)} enrolments, ` +
        `${fmt(county.records)} department records in ${county.snapshots} snapshots (${fmt(county.supersededRecords)} superseded), ` +
        `${county.staff} staff, ${county.plan.perRule} plants per rule`,
    );
    await warm(o.handle);

    const loadBefore = loadavg()[0] ?? 0;
    const run = args['no-engine'] ? null : await runEngine(o.handle, engine, o.pgSchema);
    if (run) console.log(`  ${engine}: engine ${secs(run.ms)} s`);
    const b0 = performance.now();
    const bc0 = process.cpuUsage();
    const baseline = await runBaseline(o.handle.db, engine, { countyCode: COUNTY, asOf: AS_OF }, (r) =>
      console.log(
        `  ${engine}: baseline ${r.rule.padEnd(22)} ${String(r.households).padStart(5)} households ${secs(r.ms).padStart(7)} s`,
      ),
    );
    const baseMs = performance.now() - b0;
    const baseCpu = cpuSeconds(process.cpuUsage(bc0));
    console.log(`  ${engine}: baseline ${secs(baseMs)} s`);

    const want = expected(county);
    const mismatches: string[] = [];
    for (const k of PLANT_KINDS) {
      const b = baseline.find((r) => r.rule === k);
      if (b && b.households !== want[k]) mismatches.push(`baseline ${k} ${b.households} ≠ ${want[k]}`);
      if (run && (run.byRule[k]?.households ?? 0) !== want[k])
        mismatches.push(`engine ${k} ${run.byRule[k]?.households ?? 0} ≠ ${want[k]}`);
    }
    if (run)
      for (const k of Object.keys(run.byRule))
        if (!(PLANT_KINDS as readonly string[]).includes(k))
          mismatches.push(`engine ${k}: unexpected findings`);
    return {
      engine,
      county,
      buildMs,
      run,
      baseline,
      baseMs,
      baseCpu,
      load: [loadBefore, loadavg()[0] ?? 0],
      mismatches,
    };
  } finally {
    if (args.drop) await o.destroy();
    else await o.handle.close();
  }
}

const results: Result[] = [];
for (const engine of engines) results.push(await bench(engine));

const first = results[0]?.county;
console.log(
  `\n核查 campaign, all default rules, as of ${AS_OF}: ${fmt(first?.households ?? households)} households, ` +
    `${fmt(first?.persons ?? 0)} persons, ${fmt(first?.records ?? records)} department records (target: < 120 s per engine)\n`,
);
const header = [
  'engine',
  'households',
  'persons',
  'records',
  'engine s',
  'baseline s',
  'ratio',
  'verdict',
  'CPU s eng/base',
];
const rows = results.map((r) => {
  const ratio = r.run ? r.run.ms / r.baseMs : null;
  return [
    r.engine,
    fmt(r.county.households),
    fmt(r.county.persons),
    fmt(r.county.records),
    r.run ? secs(r.run.ms) : '—',
    secs(r.baseMs),
    ratio === null ? '—' : `${ratio.toFixed(2)}×`,
    r.run === null ? 'no engine' : r.run.ms < TARGET_MS ? 'ok' : 'MISSED',
    `${r.run ? r.run.cpu.toFixed(1) : '—'} / ${r.baseCpu.toFixed(1)}`,
  ];
});
const table = (head: string[], body: string[][]) => {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(head));
  for (const r of body) console.log(line(r));
};
table(header, rows);

console.log(
  '\nPer rule type: planted households; per engine the findings (households) and seconds of the engine, and the\n' +
    "baseline's households and seconds:\n",
);
const ruleHead = ['rule', 'planted', ...results.flatMap((r) => [`${r.engine} engine`, 's', 'baseline', 's'])];
const ruleRows = PLANT_KINDS.map((k) => [
  k,
  String(first ? expected(first)[k] : '—'),
  ...results.flatMap((r) => {
    const e = r.run?.byRule[k];
    const ms = r.run?.ruleMs[k];
    const b = r.baseline.find((x) => x.rule === k);
    return [
      r.run ? `${e?.findings ?? 0} (${e?.households ?? 0})` : '—',
      ms === undefined ? '—' : secs(ms),
      b ? String(b.households) : '—',
      b ? secs(b.ms) : '—',
    ];
  }),
]);
table(ruleHead, ruleRows);
console.log(
  `\n${cpus().length} CPUs; 1-minute load average ${results
    .map((r) => `${r.engine} ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`)
    .join(
      ', ',
    )} (above the CPU count the wall times are inflated). CPU s = this process's user + system time:\n` +
    `on SQLite all of the work; on PostgreSQL only the client's share.`,
);
const bad = results.flatMap((r) => r.mismatches.map((m) => `${r.engine}: ${m}`));
if (bad.length > 0) {
  console.error(`\n!!! FINDINGS DIFFER FROM THE PLANTS !!!\n${bad.join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('\nEvery rule type found exactly the planted households.');
}
