/**
 * `jiuzhu report situation` on a fresh database holding the small ledger of test/helpers/statistics-ledger.ts, on
 * both engines: section 一 printed from the ledger (hand-worked figures), the JSON, the Word document written with
 * --out (read back with jszip) for a town user, and the export audited.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { COUNTY, RUCHENG, seedFixtures } from '../helpers/fixtures.ts';
import { seedStatisticsLedger } from '../helpers/statistics-ledger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

/** Each run starts the CLI (tsx): slow on a loaded machine. */
const SLOW = 120_000;

describe.each(ENGINES)('jiuzhu report situation on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    const fx = await seedFixtures(tdb.db);
    await seedStatisticsLedger(tdb.db, fx);
    env = { DATABASE_URL: databaseUrlOf(tdb), JIUZHU_COUNTY: COUNTY };
    dir = mkdtempSync(join(tmpdir(), 'jiuzhu-report-'));
  });
  afterAll(async () => {
    await tdb?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'prints section 一 from the ledger',
    () => {
      const r = runCli(['report', 'situation', '--month', '2015-03'], env);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // 城市低保 3 persons, (900 + 60) 元 × 3 months = 0.29 万元, 补差 2,880 ÷ 9 人次 = 320 元; 农村低保 E, 433.33 元
      // over 2 人次 → 217 元; 价格临时补贴 30 + 45 + 10 = 85 元 → 0.01 万元; 五保 (492 × 2) 元 → 0.10 万元, 492 元,
      // 节日补贴 100 元 → 0.01 万元; 医疗救助 500 元 → 0.05 万元; no 临时救助 to the end of February.
      expect(r.stdout).toBe(
        '城乡低保和农村五保供养情况：至3月，全县城镇低保保障人数为3人，农村低保人数为1人，1-3月，城镇低保累计救助支出0.29万元，农村低保累计救助支出0.04万元，城、乡低保月人均救助水平分别为320元和217元；发放临时价格补贴共计0.01万元。全县农村五保对象为1人，1-3月，农村五保供养累计救助支出0.10万元，月补助492元，春节期间发放临时价格补贴共计0.01万元；城乡困难群众医疗情况：至3月，全县医疗救助累计救助1人次，救助支出0.05万元；临时救助工作：至2月底，暂未收到救助申请。\n',
      );
    },
    SLOW,
  );

  it(
    'prints the report with its figures as JSON',
    () => {
      const r = runCli(['report', 'situation', '--month', '2015-04', '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout) as {
        ok: boolean;
        report: {
          title: string;
          sections: { heading: string }[];
          figures: {
            temporaryAid: { grantsYtd: number; spendingYtdFen: number };
            urbanDibao: { persons: number };
          };
        };
      };
      expect(body.ok).toBe(true);
      expect(body.report.title).toBe('乳源瑶族自治县民政局落实社会救助政策情况报告');
      expect(body.report.sections.map((s) => s.heading)[6]).toBe('三、民政救助工作存在问题和困难');
      // April: nobody paid in April; 临时救助 850 元 paid in March counts to the end of March.
      expect(body.report.figures.urbanDibao.persons).toBe(0);
      expect(body.report.figures.temporaryAid).toMatchObject({ grantsYtd: 1, spendingYtdFen: 85_000 });
    },
    SLOW,
  );

  it(
    'writes the Word document for a town user with --out, audited',
    async () => {
      const out = join(dir, 'report.docx');
      const r = runCli(
        ['report', 'situation', '--month', '2015-03', '--out', out, '--user', 'rc_clerk'],
        env,
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(
        `已写出 ${out}（乳源瑶族自治县民政局落实社会救助政策情况报告（乳城镇）（2015年3月））\n`,
      );
      const zip = await JSZip.loadAsync(readFileSync(out));
      const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
      expect(xml).toContain('乳源瑶族自治县民政局落实社会救助政策情况报告（乳城镇）');
      expect(xml).toContain('至3月，乳城镇城镇低保保障人数为3人，农村低保人数为0人');
      const audits = await tdb.db
        .selectFrom('audit_log')
        .select(['username', 'town_code'])
        .where('action', '=', 'reports.situation_export')
        .execute();
      expect(audits).toEqual([{ username: 'rc_clerk', town_code: RUCHENG }]);
    },
    SLOW,
  );

  it(
    'refuses a malformed month',
    () => {
      const r = runCli(['report', 'situation', '--month', '2015-9'], env);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('月份格式应为 YYYY-MM');
    },
    SLOW,
  );
});
