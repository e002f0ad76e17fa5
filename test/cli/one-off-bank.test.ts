/** `jiuzhu bank export-one-off`: a holiday-subsidy batch's bank file from the command line, on both engines. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, parseCsv } from '../../src/domain/payments/csv.ts';
import { actorOf } from '../../src/modules/auth/auth.service.ts';
import { approveBatch, createHolidayBatch } from '../../src/modules/payments/one-off.service.ts';
import { PSBC } from '../helpers/bank-fixtures.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { COUNTY, DAQIAO, id, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

/** Each run starts the CLI (tsx): slow on a loaded machine. */
const SLOW = 120_000;

describe.each(ENGINES)('jiuzhu bank export-one-off on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let dir: string;
  let batchId: number;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    const fx = await seedFixtures(tdb.db);
    const person = await tdb.db
      .selectFrom('household_member')
      .select('person_id')
      .where('household_id', '=', fx.daqiaoHousehold)
      .executeTakeFirstOrThrow();
    const ts = new Date().toISOString();
    await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: DAQIAO,
        program_code: 'rural_tekun',
        household_id: fx.daqiaoHousehold,
        person_id: person.person_id,
        start_month: '2014-01',
        end_month: null,
        status: 'active',
        support_mode: 'dispersed',
        single_person: 0,
        end_reason: null,
        created_at: ts,
        updated_at: ts,
      })
      .execute();
    const user = (name: string) =>
      tdb.db.selectFrom('app_user').selectAll().where('username', '=', name).executeTakeFirstOrThrow();
    const admin = actorOf(await user(USERS.admin.username));
    const approver = actorOf(await user(USERS.approver.username));
    batchId = await tdb.db.transaction().execute(async (trx) => {
      const b = await createHolidayBatch(trx, admin, {
        kind: 'holiday_subsidy',
        title: '2015年春节五保慰问金',
        programCodes: ['rural_tekun'],
        amountPerPersonFen: 16_000,
        referenceDate: '2015-02-10',
        fundSource: 'provincial',
      });
      await approveBatch(trx, approver, b.id);
      return b.id;
    });
    env = { DATABASE_URL: databaseUrlOf(tdb) };
    dir = mkdtempSync(join(tmpdir(), 'jiuzhu-one-off-bank-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tdb?.destroy();
  });

  it(
    'exports a holiday batch for a bank, and refuses --batch together with --pay-month',
    () => {
      const both = runCli(
        [
          'bank',
          'export-one-off',
          '--batch',
          String(batchId),
          '--pay-month',
          '2015-09',
          '--bank',
          PSBC,
          '--user',
          'admin',
        ],
        env,
      );
      expect(both.status).toBe(1);
      expect(both.stderr).toContain('--batch');
      const out = join(dir, 'psbc.csv');
      const res = runCli(
        [
          'bank',
          'export-one-off',
          '--batch',
          String(batchId),
          '--bank',
          PSBC,
          '--format',
          'csv',
          '--out',
          out,
          '--user',
          'admin',
        ],
        env,
      );
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(/已导出代发批次 \d+：中国邮政储蓄银行，1 笔，合计 160.00 元/);
      const rows = parseCsv(decodeText(readFileSync(out)));
      expect(rows[1]?.slice(1)).toEqual([
        '6210987654321098765',
        '盘桂兰',
        id('1940-02-02', 42),
        '16000',
        '2015年春节五保慰问金',
      ]);
      const empty = runCli(
        ['bank', 'export-one-off', '--pay-month', '2015-09', '--bank', PSBC, '--user', 'admin'],
        env,
      );
      expect(empty.status).toBe(1);
      expect(empty.stderr).toContain('2015-09 单笔一次性发放中没有开户行为「中国邮政储蓄银行」的待发放款项');
    },
    SLOW * 3,
  );
});
