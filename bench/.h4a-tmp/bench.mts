import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '/work/main/src/db/database.ts';
import { migrateToLatest } from '/work/main/src/db/migrate.ts';
import { buildSyntheticCaseload } from '/work/main/bench/payroll/synthetic.ts';
import { systemActor } from '/work/main/src/domain/access/actor.ts';
import { startPayroll } from '/work/main/src/modules/payroll/payroll.service.ts';
import { runGeneration } from '/work/main/src/modules/payroll/generate.ts';
import { baselineStatement, runBaseline } from '/work/main/bench/payroll/baseline.ts';

const n = Number(process.argv[2] ?? 100000);
const engine = process.argv[3] ?? 'sqlite';
let handle; let schema = '';
if (engine === 'sqlite') {
  handle = openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'h4a-')), 'b.sqlite')}`);
} else {
  schema = `h4a_${randomBytes(4).toString('hex')}`;
  const admin = openDatabase('postgres://postgres@127.0.0.1:5432/test', { poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db); await admin.close();
  handle = openDatabase('postgres://postgres@127.0.0.1:5432/test', { pgSchema: schema });
}
await migrateToLatest(handle.db);
const c = await buildSyntheticCaseload(handle, { households: n, countyCode: '440232' });
console.log('built', c.households);
const actor = systemActor('440232', 'bench');
if (engine === 'sqlite' && process.env.CKPT) console.log(await sql.raw('pragma wal_checkpoint(TRUNCATE)').execute(handle.db));
if (engine === 'sqlite' && process.env.CACHE) await sql.raw('pragma cache_size = -' + process.env.CACHE).execute(handle.db);
const t0 = performance.now();
const s = await handle.db.transaction().execute((trx) => startPayroll(trx, actor, { programCode: 'rural_dibao', payMonth: '2015-09' }));
const r = await runGeneration(handle.db, s.payroll.id, actor, { chunkSize: Number(process.argv[4] ?? 5000) });
const ms = performance.now() - t0;
console.log('gen', ms.toFixed(0), 'ms', r.lineCount, r.totalFen, 'decisionsTotal', c.decisionsTotalFen);
const b0 = performance.now();
const bid = await runBaseline(handle.db, engine as 'sqlite', { countyCode: '440232', programCode: 'rural_dibao', month: '2015-09', policyId: c.policyId, params: (await import('/work/main/src/domain/policy/kinds.ts')).parsePolicyBody('dibao', (await import('/work/main/bench/payroll/synthetic.ts')).BENCH_DIBAO_BODY).value } as any).catch((e) => { console.log('baseline err', e.message); return null; });
console.log('baseline', (performance.now() - b0).toFixed(0), 'ms');
if (schema) await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db);
await handle.close();
