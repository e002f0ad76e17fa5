/**
 * 资金发放 in a real browser: the county admin generates the 2015-10 农村低保 payroll (the demo seed holds
 * benefit decisions and policy parameters, and its simulated year already paid January–September) and watches the progress finish, checks the totals and reviews
 * it; the county approver, who may not approve a payroll he reviewed himself (four-eyes, DOMAIN §16), approves
 * and locks it; the admin downloads a bank's CSV file (its rows add up to the figure on screen), is shown
 * the row and column of each problem in a wrong return file, imports the bank's return with one failure
 * built from the downloaded file, sees the failed line with the bank's reason, reissues it, and finds the failure in the
 * household's 发放记录; finally enters and corrects a month's price indices (价格指数) on the payroll list.
 * Screenshots 50–59 go to test-output/screenshots/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankLayout } from '../../src/domain/payments/bank-layout.ts';
import { decodeText, parseCsv, toCsv } from '../../src/domain/payments/csv.ts';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

/** The web's money format (web/src/ui/Money.tsx), written out here: the root tsconfig has no JSX. */
function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')}`;
}

function yuanText(text: string | null): number {
  const m = /(-?[\d,]+)\.(\d{2})/.exec(text ?? '');
  if (!m) throw new Error(`no amount in “${text}”`);
  const yuan = Number((m[1] as string).replaceAll(',', ''));
  const fen = Number(m[2]);
  return yuan < 0 || (m[1] as string).startsWith('-') ? yuan * 100 - fen : yuan * 100 + fen;
}

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

/** Waits for the server's answer: a CI machine running other browser tests at once is slow. */
const SLOW = { timeout: 20_000 } as const;

/** The open dialog (antd keeps closed ones in the DOM, hidden). */
function dialog(page: Page): Locator {
  return page.locator('.ant-modal-wrap:visible .ant-modal');
}

/** A whole-page screenshot from the top, once loading spinners and toasts are gone. */
async function shot(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => page.locator('.ant-spin-spinning, .ant-message-notice').count(), { timeout: 15_000 })
    .toBe(0);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(300);
  await screenshot(page, name);
}

async function confirm(page: Page, okText: string): Promise<void> {
  const pop = page.locator('.ant-popover:visible');
  await pop.waitFor();
  await pop.getByRole('button', { name: okText }).click();
}

async function payrollState(page: Page): Promise<string> {
  return (await page.getByTestId('payroll-state').textContent()) ?? '';
}

async function switchUser(browser: Browser, server: E2EServer, username: string): Promise<void> {
  await browser.context.clearCookies();
  await login(browser.page, server, username);
}

/** Sets an antd month picker (format YYYY年MM月) by typing, and leaves the field. */
async function setMonth(scope: Locator, testId: string, text: string): Promise<void> {
  const input = scope
    .getByTestId(testId)
    .locator('input')
    .or(scope.locator(`input[data-testid="${testId}"]`));
  await input.first().click();
  await input.first().fill(text);
  await input.first().press('Tab');
  await expect.poll(() => input.first().inputValue(), SLOW).toBe(text);
}

describe('资金发放 (browser)', () => {
  let server: E2EServer;
  let browser: Browser;
  let payrollId = 0;
  let bankName = '';
  let csvPath = '';
  let batchId = 0;
  let failedRef = 0;
  /** The reason the return file gives for the failed transfer ('' when the layout has no reason column). */
  let failedReason = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser({ width: 1440, height: 900 });
    // Generating and approving thousands of lines takes the server a few seconds, more on a busy machine.
    browser.page.setDefaultTimeout(30_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 120_000);

  it('the county admin generates the 2015-10 农村低保 payroll and sees the progress finish', async () => {
    const decided = query<{ n: number }>(
      server,
      "select count(distinct enrolment_id) as n from benefit_decision where program_code = 'rural_dibao'",
    )[0]?.n;
    expect(decided, 'the demo seed records 农村低保 benefit decisions').toBeGreaterThan(0);

    const { page } = browser;
    await login(page, server, 'xian_admin');
    await page.getByRole('menuitem', { name: '资金发放' }).click();
    await page.getByTestId('payroll-list').waitFor();
    await shot(page, '50-payroll-list');

    await page.getByTestId('generate-payroll').click();
    const modal = dialog(page);
    await modal.waitFor();
    await expect.poll(() => modal.locator('.ant-select').first().textContent(), SLOW).toContain('农村低保');
    await setMonth(modal, 'generate-month', '2015年10月');
    await page.getByTestId('generate-submit').click();
    await page.getByTestId('generate-progress').waitFor();
    // The server works in the background; the dialog asks every second how far it has got.
    await page
      .locator('[data-testid="generate-progress-count"], [data-testid="generate-done"]')
      .first()
      .waitFor();
    await screenshot(page, '51-generate-progress');
    await page.getByTestId('generate-done').waitFor({ timeout: 120_000 });

    const row = query<{ id: number; status: string; total_fen: number; line_count: number }>(
      server,
      "select id, status, total_fen, line_count from payroll where program_code = 'rural_dibao' and pay_month = '2015-10'",
    )[0];
    expect(row?.status).toBe('generated');
    expect(row?.line_count).toBeGreaterThan(0);
    payrollId = row?.id ?? 0;
    expect(yuanText(await page.getByTestId('generate-total').textContent())).toBe(row?.total_fen);
    await shot(page, '52-generated');

    await page.getByTestId('open-generated').click();
    await page.getByTestId('payroll-page').waitFor();
    expect(await payrollState(page)).toContain('待审核');
  }, 120_000);

  it('shows the totals by town with a 合计 row equal to the payroll total, and the warnings', async () => {
    const { page } = browser;
    const [sum] = query<{ total: number; lines: number }>(
      server,
      'select sum(amount_fen) as total, count(*) as lines from payroll_line where payroll_id = ?',
      payrollId,
    );
    await page.getByTestId('payroll-grand-total').waitFor();
    expect(yuanText(await page.getByTestId('payroll-grand-total').textContent())).toBe(sum?.total);
    expect(yuanText(await page.getByTestId('payroll-total').textContent())).toBe(sum?.total);
    const towns = await page.getByTestId('payroll-totals').locator('tbody tr.ant-table-row').count();
    const [distinctTowns] = query<{ n: number }>(
      server,
      'select count(distinct town_code) as n from payroll_line where payroll_id = ?',
      payrollId,
    );
    expect(towns).toBe(distinctTowns?.n);
    // The cross table's 合计 row: each component column sums to the lines of that component.
    const components = query<{ component: string; line_kind: string; total: number }>(
      server,
      `select component, line_kind, sum(amount_fen) as total from payroll_line where payroll_id = ?
        group by component, line_kind`,
      payrollId,
    );
    for (const c of components) {
      const cell = page.getByTestId(`component-total-${c.component}|${c.line_kind}`);
      expect(yuanText(await cell.textContent())).toBe(c.total);
    }
    // The lines are paged, with masked accounts.
    const account = await page
      .getByTestId('payroll-lines')
      .locator('tbody tr.ant-table-row')
      .first()
      .textContent();
    expect(account).toMatch(/\*{4,}\d{4}|未登记账户/);
    await shot(page, '53-payroll-detail');
  }, 120_000);

  it('the admin reviews; the approver may not approve a payroll he reviewed himself; a second person approves', async () => {
    const { page } = browser;
    await page.getByTestId('review-payroll').click();
    await confirm(page, '确认审核');
    await expect.poll(() => payrollState(page), SLOW).toContain('已审核');
    expect(await page.getByTestId('approve-payroll').count()).toBe(0); // the admin has no 审批 permission

    // Four-eyes, shown with another payroll: the approver reviews the 城市低保 payroll and cannot approve it.
    await page.goto(`${server.url}/payments`);
    await page.getByTestId('generate-payroll').click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.locator('.ant-select').first().click();
    await page.locator('.ant-select-dropdown:visible').getByText('城市低保', { exact: true }).click();
    await setMonth(modal, 'generate-month', '2015年10月');
    await page.getByTestId('generate-submit').click();
    await page.getByTestId('generate-done').waitFor({ timeout: 120_000 });
    const urban = query<{ id: number }>(
      server,
      "select id from payroll where program_code = 'urban_dibao' and pay_month = '2015-10'",
    )[0]?.id;

    await switchUser(browser, server, 'xian_shenpi');
    await page.goto(`${server.url}/payments/payrolls/${urban}`);
    await page.getByTestId('review-payroll').click();
    await confirm(page, '确认审核');
    await expect.poll(() => payrollState(page), SLOW).toContain('已审核');
    await page.getByTestId('approve-payroll').click();
    await confirm(page, '审批并锁定');
    await page.getByTestId('payroll-action-error').waitFor();
    expect(await page.getByTestId('payroll-action-error').textContent()).toContain(
      '审批人不能是名册的审核人',
    );
    expect(await payrollState(page)).toContain('已审核');
    await shot(page, '54-four-eyes-refused');

    await page.goto(`${server.url}/payments/payrolls/${payrollId}`);
    await page.getByTestId('approve-payroll').click();
    await confirm(page, '审批并锁定');
    await expect.poll(() => payrollState(page), SLOW).toContain('已审批锁定');
    expect(await page.getByTestId('payroll-approved').textContent()).toContain('xian_shenpi');
    await page.getByTestId('bank-file-list').waitFor();
    const [ledger] = query<{ n: number; total: number }>(
      server,
      'select count(*) as n, sum(amount_fen) as total from payment_ledger where payroll_id = ?',
      payrollId,
    );
    const [lines] = query<{ n: number; total: number }>(
      server,
      'select count(*) as n, sum(amount_fen) as total from payroll_line where payroll_id = ?',
      payrollId,
    );
    expect(ledger).toEqual(lines);
    await shot(page, '55-approved');
  }, 240_000);

  it('the admin downloads a bank CSV file whose rows add up to the bank’s total on screen', async () => {
    const { page } = browser;
    await switchUser(browser, server, 'xian_admin');
    await page.goto(`${server.url}/payments/payrolls/${payrollId}`);
    const list = page.getByTestId('bank-file-list');
    await list.locator('tbody tr.ant-table-row').first().waitFor();
    const bankRows = list.locator('tbody tr.ant-table-row');
    // The banks' totals together: every payable line of the payroll (lines without an account are listed apart).
    const [payable] = query<{ total: number }>(
      server,
      `select sum(amount_fen) as total from payroll_line
        where payroll_id = ? and bank_name is not null and bank_account is not null`,
      payrollId,
    );
    let banksTotal = 0;
    for (let i = 0; i < (await bankRows.count()); i++) {
      banksTotal += yuanText(await bankRows.nth(i).locator('[data-testid^="bank-total-"]').textContent());
    }
    expect(banksTotal).toBe(payable?.total);

    bankName = ((await bankRows.first().locator('td').first().textContent()) ?? '').trim();
    const shownTotal = yuanText(await page.getByTestId(`bank-total-${bankName}`).textContent());
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`download-csv-${bankName}`).click(),
    ]);
    csvPath = join(server.dataDir, download.suggestedFilename());
    await download.saveAs(csvPath);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    const layouts = (await (await page.request.get(`${server.url}/api/v1/bank-layouts`)).json()) as {
      layouts: BankLayout[];
    };
    const layout =
      layouts.layouts.find((l) => l.bankName === bankName) ?? layouts.layouts.find((l) => l.bankName === '*');
    if (!layout) throw new Error('no bank layout');
    const rows = parseCsv(decodeText(readFileSync(csvPath)));
    const header = rows[0] ?? [];
    const body = rows.slice(1).filter((r) => r.some((c) => c !== ''));
    expect(body.length).toBeGreaterThan(0);
    const col = (field: string) =>
      header.indexOf(layout.columns.find((c) => c.field === field)?.header ?? '');
    const yuanCol = col('amount_yuan');
    const fenCol = col('amount_fen');
    const fenOf = (r: string[]) => (fenCol >= 0 ? Number(r[fenCol]) : Math.round(Number(r[yuanCol]) * 100));
    const fileTotal = body.reduce((s, r) => s + fenOf(r), 0);
    expect(fileTotal).toBe(shownTotal);

    // The batch is registered; build the bank's return from the file: every transfer paid but the first.
    const batches = page.getByTestId('bank-batches').locator('tbody tr.ant-table-row');
    await expect.poll(() => batches.count(), SLOW).toBe(1);
    batchId = Number(((await batches.first().locator('td').first().textContent()) ?? '').trim());
    const refCol = col('line_ref');
    const accountCol = col('account');
    const amountOut = (r: string[]) =>
      layout.returnAmountUnit === 'fen' ? String(fenOf(r)) : formatYuan(fenOf(r)).replaceAll(',', '');
    const rc = layout.returnColumns;
    const ret = [
      [rc.lineRef, rc.account, rc.amount, rc.result, ...(rc.reason ? [rc.reason] : [])],
      ...body.map((r, i) => [
        r[refCol] ?? '',
        r[accountCol] ?? '',
        amountOut(r),
        i === 0 ? '失败' : (layout.successValues[0] ?? '成功'),
        ...(rc.reason ? [i === 0 ? '账户已销户' : ''] : []),
      ]),
    ];
    failedRef = Number(body[0]?.[refCol]);
    failedReason = rc.reason ? '账户已销户' : '';
    writeFileSync(join(server.dataDir, 'return-ok.csv'), toCsv(ret));
    // And a wrong one: the second transfer's account mistyped, the third's amount changed.
    const wrong = ret.map((r) => [...r]);
    if (wrong[2]) wrong[2][1] = `${wrong[2][1]}9`;
    if (wrong[3]) wrong[3][2] = '1';
    writeFileSync(join(server.dataDir, 'return-wrong.csv'), toCsv(wrong));
    await shot(page, '56-bank-file-downloaded');
  }, 120_000);

  it('refuses a wrong return file with the row and column of each problem, and imports the right one', async () => {
    const { page } = browser;
    await page.getByTestId(`import-return-${batchId}`).click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.locator('input[type=file]').setInputFiles(join(server.dataDir, 'return-wrong.csv'));
    await page.getByTestId('return-submit').click();
    await page.getByTestId('return-error').waitFor();
    const issues = page.getByTestId('return-issues').locator('tbody tr.ant-table-row');
    await expect.poll(() => issues.count(), SLOW).toBeGreaterThan(0);
    expect(await page.getByTestId('return-issues').textContent()).toContain('第');
    await screenshot(page, '57-return-errors');
    expect(
      query<{ n: number }>(
        server,
        "select count(*) as n from payroll_line where payroll_id = ? and status <> 'pending'",
        payrollId,
      )[0]?.n,
    ).toBe(0);

    await modal.locator('.ant-upload-list-item').first().hover();
    await modal
      .locator('.ant-upload-list-item button, .ant-upload-list-item .anticon-delete')
      .first()
      .click();
    await modal.locator('input[type=file]').setInputFiles(join(server.dataDir, 'return-ok.csv'));
    await page.getByTestId('return-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('batch-return-status').textContent(), SLOW)
      .toContain('失败 1 笔');

    const failed = page.getByTestId('failed-lines-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => failed.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const [line] = query<{ name: string; n: number }>(
      server,
      `select l.account_holder as name, (select count(*) from payroll_line f where f.payroll_id = l.payroll_id
          and f.status = 'failed') as n from payroll_line l where l.id = ?`,
      failedRef,
    );
    expect(await failed.count()).toBe(line?.n);
    expect(await page.getByTestId('failed-lines').textContent()).toContain('发放失败');
    // The bank's reason from the return file.
    expect(await page.getByTestId(`failure-reason-${failedRef}`).textContent()).toBe(failedReason || '—');
    await shot(page, '58-failed-line');

    // 重新发放: the line goes into the payroll's next bank file.
    await page.getByTestId(`reissue-${failedRef}`).click();
    const reissue = dialog(page);
    await reissue.waitFor();
    await reissue.locator('textarea').fill('本人已到银行重新激活账户');
    await reissue.getByRole('button', { name: '确定重新发放' }).click();
    await reissue.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('bank-file-list').locator('tbody tr.ant-table-row').count(), SLOW)
      .toBeGreaterThan(0);
    expect(await page.getByTestId('bank-file-list').textContent()).toContain(bankName);
  }, 120_000);

  it('shows the payment and the bank failure in the household’s 发放记录', async () => {
    const { page } = browser;
    const [line] = query<{ household_id: number }>(
      server,
      'select household_id from payroll_line where id = ?',
      failedRef,
    );
    await page.goto(`${server.url}/registry/households/${line?.household_id}`);
    const card = page.getByTestId('payment-history');
    await card.locator('tbody tr.ant-table-row').first().waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('2015年10月');
    expect(text).toContain('银行退回');
    await shot(page, '59-household-payments');
  }, 120_000);

  it('the county admin enters a month’s price indices and corrects them on the payroll list', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/payments`);
    const card = page.getByTestId('price-index-card');
    await card.waitFor();
    await page.getByTestId('price-index-add').click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.getByTestId('price-index-cpi').fill('abc');
    await page.getByTestId('price-index-save').click();
    await expect.poll(() => modal.textContent(), SLOW).toContain('同比涨幅应写成小数');
    await modal.getByTestId('price-index-cpi').fill('3.7');
    await modal.getByTestId('price-index-food').fill('-0.4');
    await page.getByTestId('price-index-save').click();
    await modal.waitFor({ state: 'hidden' });
    const saved = () =>
      query<{ month: string; cpi_yoy: string | null; food_yoy: string | null }>(
        server,
        "select month, cpi_yoy, food_yoy from price_index where created_by = 'xian_admin' order by created_at desc, id desc",
      )[0];
    await expect.poll(() => saved()?.cpi_yoy, SLOW).toBe('3.7');
    const month = saved()?.month as string;
    expect(saved()?.food_yoy).toBe('-0.4');
    await expect.poll(() => card.textContent(), SLOW).toContain('3.7%');

    // 更正: the month is fixed, the figures change.
    await page.getByTestId(`price-index-edit-${month}`).click();
    const edit = dialog(page);
    await edit.waitFor();
    await edit.getByTestId('price-index-cpi').fill('3.9');
    await page.getByTestId('price-index-save').click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => saved()?.cpi_yoy, SLOW).toBe('3.9');
    await expect.poll(() => card.textContent(), SLOW).toContain('3.9%');
  }, 120_000);
});
