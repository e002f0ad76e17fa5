/**
 * Roster import benchmark (issue 7, 花名册导入): a synthetic county roster of 100,000 rows (CSV, one row per
 * person, households of 1–6 members, 保障类别, 月保障金, bank details; one household in 500 with a bad ID
 * checksum) imported into a fresh database on SQLite and/or PostgreSQL through the real service:
 *   (a) preview — read the file, map the columns, check every row, group households (writes nothing);
 *   (b) commit — the same checks again, then every good household written in ONE transaction.
 * Prints the seconds of each and the verdict against the target: under a minute per engine.
 *
 *   npm run bench:roster -- [--engine sqlite|pg|both] [--rows N]
 *
 * PostgreSQL: schema bench_roster of TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * dropped at the end; SQLite: a temporary file, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type DatabaseHandle, type Engine, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { buildResidentId } from '../../src/domain/identity/resident-id.ts';
import { toCsv } from '../../src/domain/payments/csv.ts';
import { listCountyVillages, listTowns } from '../../src/modules/areas/areas.repository.ts';
import { ensureCountyAreas } from '../../src/modules/areas/areas.service.ts';
import { commitRosterImport, previewRosterImport } from '../../src/modules/roster/roster.service.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const COUNTY = '440232';
const TARGET_MS = 60_000;
const START_MONTH = '2026-12';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    rows: { type: 'string', default: '100000' },
  },
});
const rowCount = Number(args.rows);
if (!Number.isSafeInteger(rowCount) || rowCount < 10) throw new Error(`--rows: ${args.rows}`);
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

const HEADER = [
  '乡镇',
  '村（居）委会',
  '户主姓名',
  '姓名',
  '身份证号（码）',
  '与户主关系',
  '家庭人口',
  '保障类别',
  '月保障金（元）',
  '开户银行',
  '银行账号',
  '地址',
];
const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗邓盘赵';
const GIVEN = '建国秀英明华丽军平芳强敏静伟桂兰海燕红梅志勇';
const RELATIONS = ['配偶', '子女', '子女', '父母', '孙子女'];

/** Deterministic roster: person i gets a unique (birth date, sequence) pair, so a unique ID number. */
function buildRoster(
  n: number,
  areas: { town: string; village: string }[],
): { csv: string; households: number; badHouseholds: number } {
  const rows: string[][] = [HEADER];
  const day0 = Date.UTC(1935, 0, 1);
  let person = 0;
  let household = 0;
  let bad = 0;
  while (rows.length - 1 < n) {
    const size = Math.min(1 + ((household * 7) % 6), n - (rows.length - 1));
    const area = areas[household % areas.length] as { town: string; village: string };
    const program = household % 10 === 0 ? '五保' : household % 3 === 0 ? '城市低保' : '农村低保';
    const broken = household % 500 === 499;
    if (broken) bad++;
    const ids: string[] = [];
    const names: string[] = [];
    for (let m = 0; m < size; m++) {
      const i = person++;
      const birth = new Date(day0 + (i % 30000) * 86_400_000).toISOString().slice(0, 10);
      const idNumber = buildResidentId({
        addressCode: COUNTY,
        birthDate: birth,
        sequence: Math.floor(i / 30000),
      });
      ids.push(broken && m === 0 ? idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0') : idNumber);
      names.push(
        `${SURNAMES[household % SURNAMES.length]}${GIVEN[i % GIVEN.length]}${GIVEN[(i * 7) % GIVEN.length]}`,
      );
    }
    for (let m = 0; m < size; m++) {
      rows.push([
        area.town,
        area.village,
        names[0] as string,
        names[m] as string,
        ids[m] as string,
        m === 0 ? '户主' : (RELATIONS[(m - 1) % RELATIONS.length] as string),
        String(size),
        m === 0 ? program : '',
        m === 0 ? `${300 + (household % 700)}.${household % 2 === 0 ? '50' : '00'}` : '',
        m === 0 ? '广东乳源农村商业银行' : '',
        m === 0 ? `62301${String(household).padStart(11, '0')}` : '',
        m === 0 ? `${area.town}${area.village}${household}号` : '',
      ]);
    }
    household++;
  }
  return { csv: toCsv(rows), households: household, badHouseholds: bad };
}

interface Opened {
  handle: DatabaseHandle;
  destroy: () => Promise<void>;
}

async function open(engine: Engine): Promise<Opened> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jiuzhu-bench-roster-'));
    const handle = openDatabase(`sqlite:${join(dir, 'roster.sqlite')}`);
    return {
      handle,
      destroy: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = 'bench_roster';
  const admin = openDatabase(PG_URL, { poolSize: 1 });
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = openDatabase(PG_URL, { pgSchema: schema });
  return {
    handle,
    destroy: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
    },
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function runEngine(engine: Engine) {
  const o = await open(engine);
  try {
    const db = o.handle.db;
    await migrateToLatest(db);
    const actor = systemActor(COUNTY, 'bench');
    await db.transaction().execute((trx) => ensureCountyAreas(trx, actor, COUNTY));
    const towns = await listTowns(db, COUNTY);
    const townName = new Map(towns.map((t) => [t.code, t.name]));
    const areas = (await listCountyVillages(db, COUNTY)).map((v) => ({
      town: townName.get(v.parent_code as string) as string,
      village: v.name,
    }));
    const roster = buildRoster(rowCount, areas);
    const file = { fileName: '花名册.csv', bytes: Buffer.from(roster.csv) };
    const cpu0 = process.cpuUsage();
    let t = performance.now();
    const preview = await previewRosterImport(db, actor, file, { startMonth: START_MONTH });
    const previewMs = performance.now() - t;
    t = performance.now();
    const commit = await db
      .transaction()
      .execute((trx) => commitRosterImport(trx, actor, file, { startMonth: START_MONTH }));
    const commitMs = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const persons = Number(
      (
        await db
          .selectFrom('person')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (
      commit.counts.goodHouseholds !== roster.households - roster.badHouseholds ||
      preview.counts.badHouseholds !== roster.badHouseholds ||
      persons !== commit.counts.persons
    ) {
      process.exitCode = 1;
      console.error(`${engine}: unexpected counts`, commit.counts, { persons, ...roster, csv: undefined });
    }
    return {
      engine,
      rows: commit.counts.rows,
      households: commit.counts.goodHouseholds,
      persons: commit.counts.persons,
      enrolments: commit.counts.enrolments,
      bad: commit.counts.badHouseholds,
      previewMs,
      commitMs,
      cpuS: (cpu.user + cpu.system) / 1e6,
      mb: (file.bytes.length / 1024 / 1024).toFixed(1),
    };
  } finally {
    await o.destroy();
  }
}

console.log(
  `花名册导入 benchmark: ${rowCount} rows; ${cpus().length} CPUs, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  '| engine     | rows    | households | persons | enrolments | bad households | preview s | commit s | verdict (< 60 s) | CPU s |',
);
console.log(
  '|------------|--------:|-----------:|--------:|-----------:|---------------:|----------:|---------:|------------------|------:|',
);
for (const engine of engines) {
  const r = await runEngine(engine);
  const verdict = r.commitMs < TARGET_MS ? 'ok' : 'TOO SLOW';
  if (r.commitMs >= TARGET_MS) process.exitCode = 1;
  console.log(
    `| ${(engine === 'sqlite' ? 'SQLite' : 'PostgreSQL').padEnd(10)} | ${String(r.rows).padStart(7)} | ${String(r.households).padStart(10)} | ${String(r.persons).padStart(7)} | ${String(r.enrolments).padStart(10)} | ${String(r.bad).padStart(14)} | ${seconds(r.previewMs).padStart(9)} | ${seconds(r.commitMs).padStart(8)} | ${verdict.padEnd(16)} | ${r.cpuS.toFixed(1).padStart(5)} |`,
  );
}
