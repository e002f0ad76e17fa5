/**
 * 统计报表 in a real browser: with payrolls approved for 2015-07..09 (through the CLI, as an operator would, unless
 * the demo already holds paid months), the county admin opens 统计报表, sees the four charts drawn on canvases
 * and their tables carry the figures of GET /statistics/trends, downloads a table as CSV (BOM, the same
 * figures) and the 民政统计月报 workbook of the end month (read back with exceljs), filters one town; the 乳城镇
 * window clerk sees only their town. Screenshots 90–92 go to test-output/screenshots/.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

interface Split {
  dibaoBaseFen: number;
  dibaoAddonFen: number;
  priceSubsidyFen: number;
  otherFen: number;
  totalFen: number;
}
interface Point {
  month: string;
  persons: number;
  households: number;
  grantsMonth: number;
  spendingMonth: Split;
  spendingYtd: Split;
  topUpLevelMonthFen: number | null;
  standardFen: number | null;
}
interface Trends {
  from: string;
  to: string;
  townCode: string | null;
  months: string[];
  programs: { program: string; kind: string; points: Point[] }[];
  byTown: {
    month: string;
    towns: { townCode: string; townName: string; programs: { program: string; persons: number }[] }[];
  };
}

const RUCHENG = '440232100';
const DAQIAO = '440232109';

/** The web's money format (web/src/ui/Money.tsx), written out here: the root tsconfig has no JSX. */
function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')}`;
}
const int = (n: number) => n.toLocaleString('zh-CN');

function query<T>(server: E2EServer, sql: string, ...args: unknown[]): T[] {
  const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

function cli(server: E2EServer, args: string[]): string {
  const res = runCli(args, { DATABASE_URL: server.databaseUrl });
  if (res.status !== 0) throw new Error(`jiuzhu ${args.join(' ')}: ${res.stderr || res.stdout}`);
  return res.stdout;
}

/** Generates, reviews and approves one payroll (approval posts it to the payment ledger). */
function payMonth(server: E2EServer, program: string, month: string): void {
  const out = JSON.parse(
    cli(server, [
      'payroll',
      'generate',
      '--program',
      program,
      '--month',
      month,
      '--user',
      'xian_admin',
      '--json',
    ]),
  ) as { payroll: { id: number } };
  const id = String(out.payroll.id);
  cli(server, ['payroll', 'review', id, '--user', 'xian_admin', '--json']);
  cli(server, ['payroll', 'approve', id, '--user', 'xian_shenpi', '--json']);
}

async function trendsOf(page: Page, q = ''): Promise<Trends> {
  return (await page.evaluate(
    async (url) => (await fetch(url, { credentials: 'same-origin' })).json(),
    `/api/v1/statistics/trends${q}`,
  )) as Trends;
}

function cell(page: Page, table: string, row: string, col: string) {
  return page.locator(`[data-testid="${table}"] tr[data-row-key="${row}"] td[data-col="${col}"]`);
}

async function chartsDrawn(page: Page): Promise<void> {
  for (const id of ['chart-persons', 'chart-spending', 'chart-towns', 'chart-levels']) {
    const canvas = page.getByTestId(id).locator('canvas');
    await canvas.first().waitFor({ timeout: 20_000 });
    const box = await canvas.first().boundingBox();
    expect(box?.width ?? 0, id).toBeGreaterThan(200);
    expect(box?.height ?? 0, id).toBeGreaterThan(200);
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => page.locator('.ant-spin-spinning, .ant-skeleton, .ant-message-notice').count())
    .toBe(0);
  // ECharts animates the first drawing for about a second.
  await page.waitForTimeout(1_200);
  await screenshot(page, name);
}

describe('统计报表 (statistics dashboards) in the browser', () => {
  let server: E2EServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    const paid = query<{ n: number }>(server, 'select count(*) as n from payment_ledger')[0]?.n ?? 0;
    if (paid === 0) {
      for (const month of ['2015-07', '2015-08', '2015-09']) {
        for (const program of ['urban_dibao', 'rural_dibao', 'rural_tekun']) payMonth(server, program, month);
      }
    }
    browser = await openBrowser({ width: 1440, height: 900 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the four charts, and the tables carry the API figures', async () => {
    const { page } = browser;
    await login(page, server, 'xian_admin');
    await page.locator('.ant-menu').getByText('统计报表').click();
    await page.waitForURL(/\/reports$/);
    await page.getByTestId('reports-page').waitFor();
    await chartsDrawn(page);
    const t = await trendsOf(page);
    const latest = query<{ m: string }>(server, 'select max(benefit_month) as m from payment_ledger')[0]?.m;
    expect(t.to).toBe(latest);
    expect(t.from).toBe(`${latest?.slice(0, 4)}-01`);
    const last = t.months.length - 1;
    const end = t.to;

    // 保障人数趋势: every program and month, persons and households.
    let checked = 0;
    for (const p of t.programs.filter((x) => x.kind === 'stock')) {
      for (const pt of p.points) {
        await expect
          .poll(() => cell(page, 'chart-persons-table', pt.month, `${p.program}.persons`).textContent())
          .toBe(int(pt.persons));
        checked++;
      }
      await expect
        .poll(() => cell(page, 'chart-persons-table', end, `${p.program}.households`).textContent())
        .toBe(int(p.points[last]?.households ?? -1));
    }
    expect(checked).toBeGreaterThanOrEqual(3 * t.months.length);
    const rural = t.programs.find((p) => p.program === 'rural_dibao');
    expect(rural?.points[last]?.persons).toBeGreaterThan(1000);

    // 资金支出趋势: all programs summed, per part, and the cumulative.
    const sum = (f: (p: Point) => number) => t.programs.reduce((s, p) => s + f(p.points[last] as Point), 0);
    for (const [col, f] of [
      ['dibaoBaseFen', (p: Point) => p.spendingMonth.dibaoBaseFen],
      ['dibaoAddonFen', (p: Point) => p.spendingMonth.dibaoAddonFen],
      ['otherFen', (p: Point) => p.spendingMonth.otherFen],
      ['totalFen', (p: Point) => p.spendingMonth.totalFen],
      ['ytdFen', (p: Point) => p.spendingYtd.totalFen],
    ] as const) {
      await expect
        .poll(() => cell(page, 'chart-spending-table', end, col).textContent())
        .toBe(formatYuan(sum(f)));
    }
    expect(sum((p) => p.spendingMonth.totalFen)).toBe(
      query<{ s: number }>(
        server,
        'select sum(amount_fen) as s from payment_ledger where benefit_month = ?',
        end,
      )[0]?.s,
    );

    // 分乡镇: every town's 农村低保 persons, and the 合计 row equals the county's.
    for (const town of t.byTown.towns) {
      const p = town.programs.find((x) => x.program === 'rural_dibao');
      await expect
        .poll(() => cell(page, 'chart-towns-table', town.townCode, 'rural_dibao.persons').textContent())
        .toBe(int(p?.persons ?? 0));
    }
    await expect
      .poll(() => cell(page, 'chart-towns-table', 'total', 'rural_dibao.persons').textContent())
      .toBe(int(rural?.points[last]?.persons ?? -1));
    await expect
      .poll(() => cell(page, 'chart-towns-table', 'total', 'ytdFen').textContent())
      .toBe(formatYuan(sum((p) => p.spendingYtd.totalFen)));

    // 人均补助水平与保障标准: the standard and the 补差 level of both dibao programs.
    for (const code of ['urban_dibao', 'rural_dibao']) {
      const pt = t.programs.find((p) => p.program === code)?.points[last] as Point;
      expect(pt.standardFen).not.toBeNull();
      await expect
        .poll(() => cell(page, 'chart-levels-table', end, `${code}.standard`).textContent())
        .toBe(formatYuan(pt.standardFen as number));
      await expect
        .poll(() => cell(page, 'chart-levels-table', end, `${code}.topUp`).textContent())
        .toBe(formatYuan(pt.topUpLevelMonthFen as number));
    }
    await shot(page, '90-reports-county');
  });

  it('downloads a table as CSV, the 民政统计月报 workbook and the situation report of the end month', async () => {
    const { page } = browser;
    const t = await trendsOf(page);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('chart-towns-table-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^分乡镇_.*\.csv$/);
    const bytes = readFileSync(await csv.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    const header = (lines[0] as string).split(',');
    const col = header.indexOf('农村低保人数');
    expect(col).toBeGreaterThan(0);
    const totalLine = lines.find((l) => l.startsWith('合计,'))?.split(',') ?? [];
    const rural = t.programs.find((p) => p.program === 'rural_dibao')?.points.at(-1);
    expect(Number(totalLine[col])).toBe(rural?.persons);
    expect(lines).toHaveLength(1 + t.byTown.towns.length + 1);

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-monthly-tables').click(),
    ]);
    const month = `${t.to.slice(0, 4)}年${Number(t.to.slice(5, 7))}月`;
    expect(xlsx.suggestedFilename()).toBe(`乳源瑶族自治县民政统计月报（${month}）.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(await xlsx.path()) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['资金支出', '救助对象', '分乡镇']);
    expect(wb.getWorksheet('资金支出')?.getCell('A1').value).toBe(`乳源瑶族自治县民政统计月报（${month}）`);

    // The situation report of the end month (docx: a zip whose document carries the report's title).
    const [docx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-situation-report').click(),
    ]);
    expect(docx.suggestedFilename()).toMatch(/\.docx$/);
    const doc = readFileSync(await docx.path());
    expect(doc.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('filters one town', async () => {
    const { page } = browser;
    await page.getByTestId('reports-town').click();
    await page.locator('.ant-select-item-option[title="大桥镇"]').click();
    await expect
      .poll(() => page.locator('[data-testid="chart-towns-table"] tbody tr[data-row-key]').count())
      .toBe(1);
    await chartsDrawn(page);
    const t = await trendsOf(page, `?town=${DAQIAO}`);
    expect(t.townCode).toBe(DAQIAO);
    const end = t.to;
    for (const p of t.programs.filter((x) => x.kind === 'stock')) {
      await expect
        .poll(() => cell(page, 'chart-persons-table', end, `${p.program}.persons`).textContent())
        .toBe(int(p.points.at(-1)?.persons ?? -1));
    }
    expect(await cell(page, 'chart-towns-table', DAQIAO, 'rural_dibao.persons').count()).toBe(1);
    await shot(page, '91-reports-town-filter');
  });

  it('narrows the month range', async () => {
    const { page } = browser;
    const inputs = page.locator('.ant-picker-range input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill('2015年07月');
    await inputs.nth(0).press('Enter');
    await inputs.nth(1).fill('2015年09月');
    await inputs.nth(1).press('Enter');
    const rows = page.locator('[data-testid="chart-persons-table"] tbody tr[data-row-key]');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().getAttribute('data-row-key')).toBe('2015-07');
    const t = await trendsOf(page, `?from=2015-07&to=2015-09&town=${DAQIAO}`);
    const tekun = t.programs.find((p) => p.program === 'rural_tekun');
    for (const pt of tekun?.points ?? []) {
      await expect
        .poll(() => cell(page, 'chart-persons-table', pt.month, 'rural_tekun.persons').textContent())
        .toBe(int(pt.persons));
    }
    await chartsDrawn(page);
  });

  it('shows the 乳城镇 window clerk only their town', async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await login(page, server, 'rucheng_jingban');
    await page.goto(`${server.url}/reports`);
    await page.getByTestId('reports-page').waitFor();
    await chartsDrawn(page);
    expect(await page.getByTestId('reports-town').count()).toBe(0);
    const t = await trendsOf(page);
    expect(t.townCode).toBe(RUCHENG);
    expect(t.byTown.towns.map((x) => x.townCode)).toEqual([RUCHENG]);
    await expect
      .poll(() => page.locator('[data-testid="chart-towns-table"] tbody tr[data-row-key]').count())
      .toBe(1);
    const urban = t.programs.find((p) => p.program === 'urban_dibao')?.points.at(-1);
    await expect
      .poll(() => cell(page, 'chart-persons-table', t.to, 'urban_dibao.persons').textContent())
      .toBe(int(urban?.persons ?? -1));
    const other = await page.evaluate(
      async (url) => (await fetch(url, { credentials: 'same-origin' })).status,
      `/api/v1/statistics/trends?town=${DAQIAO}`,
    );
    expect(other).toBe(403);
    await shot(page, '92-reports-town-user');
  });
});
