/** `jiuzhu campaign rules|run|summary`: a 核查 from the command line, on both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { COUNTY, DAQIAO, RUCHENG, seedFixtures } from '../helpers/fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

/** Each run starts the CLI (tsx): slow on a loaded machine. */
const SLOW = 120_000;

describe.each(ENGINES)('jiuzhu campaign on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    const fx = await seedFixtures(tdb.db);
    const ts = new Date('2015-07-10T02:00:00Z');
    await tdb.db.transaction().execute((trx) => insertDemoPolicy(trx, COUNTY, ts));
    for (const [household, town] of [
      [fx.ruchengHousehold, RUCHENG],
      [fx.daqiaoHousehold, DAQIAO],
    ] as const) {
      await tdb.db
        .insertInto('enrolment')
        .values({
          county_code: COUNTY,
          town_code: town,
          program_code: 'rural_dibao',
          household_id: household,
          person_id: null,
          start_month: '2015-01',
          end_month: null,
          status: 'active',
          support_mode: null,
          single_person: 0,
          end_reason: null,
          created_at: ts.toISOString(),
          updated_at: ts.toISOString(),
        })
        .execute();
    }
    const snap = await tdb.db
      .insertInto('dept_snapshot')
      .values({
        county_code: COUNTY,
        source_code: 'vehicle',
        layout_version: 'v1',
        file_name: 'vehicle.csv',
        file_sha256: 'x',
        file_format: 'csv',
        as_of: '2015-06-01',
        status: 'in_force',
        row_count: 1,
        error_count: 0,
        errors_json: null,
        imported_by: 'test',
        imported_at: ts.toISOString(),
        activated_at: ts.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('dept_record')
      .values({
        snapshot_id: snap.id,
        source_code: 'vehicle',
        id_number: fx.ruchengHeadId,
        name: '李建国',
        kind: 'car',
        status: 'normal',
        amount_fen: null,
        monthly_fen: null,
        event_date: '2013-05-01',
        exempt: 0,
        ref: '粤F88888',
        data_json: null,
      })
      .execute();
    env = { DATABASE_URL: databaseUrlOf(tdb), JIUZHU_COUNTY: COUNTY };
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it(
    'lists the rules, runs a campaign with progress and prints the summary',
    () => {
      const rules = runCli(['campaign', 'rules'], env);
      expect(rules.stderr).toBe('');
      expect(rules.status).toBe(0);
      expect(rules.stdout).toContain('deposits_over_limit');
      expect(rules.stdout).toContain('漏保');

      const run = runCli(['campaign', 'run', '--title', '2015年核查', '--as-of', '2015-06-30'], env);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('[11/11]');
      expect(run.stdout).toContain('拥有机动车辆：1 条');
      expect(run.stdout).toContain('全县共复核城乡低保对象2户、4人，其中，退出对象0户、0人。');

      const json = runCli(['campaign', 'summary', '--id', '1', '--json'], env);
      expect(json.status).toBe(0);
      const s = JSON.parse(json.stdout).summary;
      expect(s.total.findings).toBe(1);
      expect(s.rows.find((r: { townCode: string }) => r.townCode === RUCHENG).findings).toBe(1);

      const bad = runCli(['campaign', 'run', '--title', '坏', '--program', 'temporary_aid'], env);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('核查项目应为');
    },
    SLOW,
  );
});
