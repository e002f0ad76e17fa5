/**
 * `jiuzhu stats month|tables` on a fresh database holding the small ledger of test/helpers/statistics-ledger.ts,
 * on both engines: the month's figures printed (hand-worked from the ledger), and the 民政统计月报 workbook
 * written with --out and read back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { COUNTY, seedFixtures } from '../helpers/fixtures.ts';
import { seedStatisticsLedger } from '../helpers/statistics-ledger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

/** Each run starts the CLI (tsx): slow on a loaded machine. */
const SLOW = 120_000;

async function readBook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

describe.each(ENGINES)('jiuzhu stats on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    const fx = await seedFixtures(tdb.db);
    await seedStatisticsLedger(tdb.db, fx);
    env = { DATABASE_URL: databaseUrlOf(tdb), JIUZHU_COUNTY: COUNTY };
    dir = mkdtempSync(join(tmpdir(), 'jiuzhu-stats-'));
  });
  afterAll(async () => {
    await tdb?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'prints the month’s figures from the ledger',
    () => {
      const r = runCli(['stats', 'month', '--month', '2015-03'], env);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = r.stdout;
      expect(out).toContain('2015-03 民政统计　由支付台账计算（未冻结）');
      // 城市低保: 1 户 3 人; March 1,005 元 = 0.10 万元, since January 2,955 元 = 0.30 万元; 人次 9;
      // 当月人均 1,005 ÷ 3 = 335 元, 累计月人均 2,955 ÷ 9 = 328.33 → 328 元 (whole 元 at the edge).
      expect(out).toMatch(
        /^城市低保：1 户 3 人；.*当月支出 0\.10 万元，累计 0\.30 万元.*累计 9 人次；当月人均 335 元，累计月人均 328 元/m,
      );
      // 农村低保: E new in March, D out in February with its reason counted in the year.
      expect(out).toMatch(
        /^农村低保：1 户 1 人；新增 1 户 1 人（年累计 1 户 1 人）；取消 0 户 0 人（年累计 1 户 1 人）/m,
      );
      // 临时救助: one grant of 850 元 = 0.085 万元 → 0.09 (half-up); 平均救助水平 850 元/人次.
      expect(out).toMatch(
        /^临时救助：当月 1 人次，累计 1 人次，累计支出 0\.09 万元，平均救助水平 850 元\/人次/m,
      );
      expect(out).toMatch(/^ {2}集中供养：1 户 1 人/m);
    },
    SLOW,
  );

  it(
    'prints one program as JSON',
    () => {
      const r = runCli(['stats', 'month', '--month', '2015-03', '--program', 'rural_tekun', '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout) as {
        ok: boolean;
        statistics: { programs: { program: string; total: { persons: number; levelYtdFen: number } }[] };
      };
      expect(body.ok).toBe(true);
      // 五保 分散: 1 person; (492 + 492 + 100) 元 ÷ 2 人次 = 542 元.
      expect(body.statistics.programs.map((p) => [p.program, p.total.persons, p.total.levelYtdFen])).toEqual([
        ['rural_tekun', 1, 54_200],
      ]);
    },
    SLOW,
  );

  it(
    'writes the 民政统计月报 workbook with --out',
    async () => {
      const out = join(dir, 'tables.xlsx');
      const r = runCli(['stats', 'tables', '--month', '2015-03', '--out', out], env);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(
        `已写出 ${out}（乳源瑶族自治县民政统计月报（2015年3月），数据来源：支付台账）`,
      );
      const wb = await readBook(out);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['资金支出', '救助对象', '分乡镇']);
      const s1 = wb.getWorksheet('资金支出');
      expect(s1?.getCell('A7').value).toBe('社会救助支出合计');
      expect([s1?.getCell('C7').value, s1?.getCell('D7').value]).toEqual([0.38, 0.65]);
      expect(s1?.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1 });

      // As a town user: that town only, and the export is audited under the user's name.
      const town = join(dir, 'town.xlsx');
      const t = runCli(
        ['stats', 'tables', '--month', '2015-03', '--out', town, '--user', 'rc_clerk', '--json'],
        env,
      );
      expect(t.status, t.stderr).toBe(0);
      expect(JSON.parse(t.stdout)).toMatchObject({ ok: true, file: town, source: { kind: 'ledger' } });
      const tw = await readBook(town);
      expect(tw.getWorksheet('分乡镇')?.getCell('A1').value).toBe(
        '乳源瑶族自治县乳城镇民政统计月报（2015年3月）',
      );
      const audits = await tdb.db
        .selectFrom('audit_log')
        .select(['username', 'town_code'])
        .where('action', '=', 'statistics.tables_export')
        .orderBy('id')
        .execute();
      expect(audits).toEqual([
        { username: 'system:cli', town_code: null },
        { username: 'rc_clerk', town_code: '440232100' },
      ]);

      const bad = runCli(['stats', 'tables', '--month', '2015-3', '--out', join(dir, 'x.xlsx')], env);
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain('月份格式应为 YYYY-MM');
    },
    SLOW,
  );
});
