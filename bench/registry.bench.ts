/**
 * Registry benchmark: seeds the demo county, then times the queries a town window and the county run
 * all day (list a page, search by ID tail and by name, open a household record) on both engines.
 * Prints figures; asserts nothing. Run: npx tsx bench/registry.bench.ts [sqlite|postgres]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { type Engine, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Actor } from '../src/domain/access/actor.ts';
import { systemActor } from '../src/domain/access/actor.ts';
import { seedDemo } from '../src/modules/demo/seed-demo.ts';
import * as registry from '../src/modules/registry/registry.service.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function timeIt(label: string, runs: number, body: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await body();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(runs / 2)] ?? 0;
  const p95 = samples[Math.floor(runs * 0.95)] ?? 0;
  console.log(
    `  ${label.padEnd(44)} median ${median.toFixed(2).padStart(7)} ms   p95 ${p95.toFixed(2).padStart(7)} ms`,
  );
}

async function bench(engine: Engine) {
  const dir = engine === 'sqlite' ? mkdtempSync(join(tmpdir(), 'jiuzhu-bench-')) : null;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  if (engine === 'postgres') {
    const admin = openDatabase(PG_URL);
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
  }
  const handle = dir
    ? openDatabase(`sqlite:${join(dir, 'bench.sqlite')}`)
    : openDatabase(PG_URL, { pgSchema: schema });
  try {
    await migrateToLatest(handle.db);
    const t0 = performance.now();
    const seeded = await seedDemo(handle, { seed: 2015, countyCode: '440232' });
    console.log(
      `${engine}: demo seed ${seeded.summary.households} households, ${seeded.summary.persons} persons in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
    const county: Actor = { ...systemActor('440232'), role: 'county_admin', userId: 1, username: 'bench' };
    const town: Actor = { ...county, role: 'town_clerk', areaCode: '440232100' };
    const tail = (
      await handle.db
        .selectFrom('person')
        .select('id_number')
        .where('town_code', '=', '440232100')
        .executeTakeFirstOrThrow()
    ).id_number.slice(-6);
    const hid = (
      await handle.db
        .selectFrom('household')
        .select('id')
        .where('town_code', '=', '440232100')
        .executeTakeFirstOrThrow()
    ).id;
    const q = { page: 1, pageSize: 20 };
    const tx = <T>(f: (trx: Parameters<typeof registry.listHouseholds>[0]) => Promise<T>) =>
      handle.db.transaction().execute(f);
    await timeIt('county: households page 1', 50, () => tx((t) => registry.listHouseholds(t, county, q)));
    await timeIt('town: households page 1', 50, () => tx((t) => registry.listHouseholds(t, town, q)));
    await timeIt('town: households on 农村低保, page 5', 50, () =>
      tx((t) => registry.listHouseholds(t, town, { ...q, page: 5, program: 'rural_dibao' })),
    );
    await timeIt('town: search by ID tail (6 digits)', 50, () =>
      tx((t) => registry.listHouseholds(t, town, { ...q, idNumber: tail })),
    );
    await timeIt('county: search by name 李', 50, () =>
      tx((t) => registry.listHouseholds(t, county, { ...q, name: '李' })),
    );
    await timeIt('town: open household record (audited read)', 50, () =>
      tx((t) => registry.getHousehold(t, town, hid, { reveal: false })),
    );
  } finally {
    if (engine === 'postgres') await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
    await handle.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const engines = (process.argv[2] ? [process.argv[2]] : ['sqlite', 'postgres']) as Engine[];
for (const engine of engines) await bench(engine);
