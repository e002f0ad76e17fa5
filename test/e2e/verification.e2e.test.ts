/**
 * 家庭经济状况核对 and 核查 in a real browser, on the demo database with its planted cases
 * (src/modules/demo/demo-departments.ts PLANTED):
 * - the 乳城镇 window clerk opens the planted applicant's dibao case, runs 发起核对 and sees the car and the
 *   deposits in the report, with a "not eligible" conclusion;
 * - the auditor (hecha) is refused a wrong rule parameter, runs a campaign over the whole county and finds the
 *   planted problems;
 * - a town clerk sees the finding assigned to their town as 待复核 and records an outcome;
 * - the county admin uploads a malformed department file and is shown each row's problem, the data in force
 *   unchanged, and finds the refused file with its problems in the import history; reads the query log and
 *   re-checks one town's 城市低保 households in a batch, watching the progress.
 * Screenshots 70–79 go to test-output/screenshots/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

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
const SLOW = { timeout: 30_000 } as const;

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

async function switchUser(browser: Browser, server: E2EServer, username: string): Promise<void> {
  await browser.context.clearCookies();
  await login(browser.page, server, username);
}

/** Sets an antd date picker (format YYYY-MM-DD) by typing, and leaves the field. */
async function setDate(scope: Locator, testId: string, text: string): Promise<void> {
  const input = scope
    .getByTestId(testId)
    .locator('input')
    .or(scope.locator(`input[data-testid="${testId}"]`));
  await input.first().click();
  await input.first().fill(text);
  await input.first().press('Enter');
  await expect.poll(() => input.first().inputValue(), SLOW).toBe(text);
}

/** The input of an antd field whose data-testid lands on the input or on its wrapper. */
function field(scope: Locator, testId: string): Locator {
  return scope
    .getByTestId(testId)
    .locator('input')
    .or(scope.locator(`input[data-testid="${testId}"]`))
    .first();
}

describe('核对与核查 (browser)', () => {
  let server: E2EServer;
  let browser: Browser;
  let caseId = 0;
  let campaignId = 0;

  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser({ width: 1440, height: 900 });
    browser.page.setDefaultTimeout(30_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 120_000);

  it('the town clerk runs 发起核对 on the planted applicant’s case and sees the car, the deposits and the conclusion', async () => {
    // The planted application (demo-departments.ts applyAtWindow): its intake request says so.
    const planted = query<{ case_id: number; household_id: number }>(
      server,
      `select i.case_id, c.household_id from intake_item i
         join intake_request r on r.id = i.request_id
         join case_file c on c.id = i.case_id
        where r.description like '%预置的核对发现案例%' and i.case_id is not null`,
    )[0];
    expect(planted, 'the demo seed plants an applicant family with a case').toBeDefined();
    caseId = planted?.case_id ?? 0;

    const { page } = browser;
    await login(page, server, 'rucheng_jingban');
    await page.goto(`${server.url}/approval/cases/${caseId}`);
    const slot = page.getByTestId('verification-report');
    await slot.waitFor();
    await expect.poll(() => slot.textContent(), SLOW).toContain('尚未核对');

    await page.getByTestId('verification-request').click();
    const modal = dialog(page);
    await modal.waitFor();
    // The family's own declaration: no vehicle, no deposits — the report lists what differs.
    await page.getByTestId('request-declare').click();
    await modal.getByTestId('declare-member-0').waitFor();
    await page.getByTestId('declare-add-income-0').click();
    await page
      .getByTestId('declare-income-0-0')
      .locator('input')
      .or(page.locator('input[data-testid="declare-income-0-0"]'))
      .first()
      .fill('800');
    await shot(page, '70-verification-request');
    // Once the report is made, the whole case view reloads (not only the verification slot).
    const caseReloaded = page.waitForResponse(
      (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/v1/cases/${caseId}`,
      { timeout: 60_000 },
    );
    await page.getByTestId('request-submit').click();
    await page.getByTestId('request-result').waitFor({ timeout: 60_000 });
    expect((await caseReloaded).status()).toBe(200);
    const conclusion = (await page.getByTestId('request-conclusion').textContent()) ?? '';
    expect(conclusion).toMatch(/非(城市|农村)低保对象/);
    const [report] = query<{ id: number; conclusion_code: string; difference_count: number }>(
      server,
      'select id, conclusion_code, difference_count from verification_report where case_id = ? order by id desc',
      caseId,
    );
    expect(['11', '12']).toContain(report?.conclusion_code);
    expect(report?.difference_count).toBeGreaterThan(0);
    await screenshot(page, '71-verification-result');

    await page.getByTestId('request-open-report').click();
    await page.getByTestId('report-page').waitFor();
    expect(await page.getByTestId('report-conclusion-tag').textContent()).toMatch(/非(城市|农村)低保对象/);
    expect(await page.getByTestId('report-vehicles').textContent()).toContain('小型汽车');
    const assets = (await page.getByTestId('report-assets').textContent()) ?? '';
    expect(assets).toContain('不符合规定');
    const subjects = (await page.getByTestId('report-subjects').textContent()) ?? '';
    expect(subjects).toContain('车辆登记');
    expect(subjects).toContain('银行存款');
    const differences = (await page.getByTestId('report-differences').textContent()) ?? '';
    expect(differences).toContain('重大差异');
    // ID numbers are masked in the list view of the report's header; the print is a separate page.
    expect(await page.getByTestId('report-print').getAttribute('href')).toBe(
      `/api/v1/verification/reports/${report?.id}/print`,
    );
    await shot(page, '72-verification-report');

    // Back on the case: the latest report's conclusion and a link to it.
    await page.goto(`${server.url}/approval/cases/${caseId}`);
    await expect
      .poll(() => page.getByTestId('verification-conclusion').textContent(), SLOW)
      .toMatch(/非(城市|农村)低保对象/);
  }, 180_000);

  it('the auditor runs a campaign on the whole county and finds the planted problems', async () => {
    const { page } = browser;
    await switchUser(browser, server, 'hecha');
    await page.getByRole('menuitem', { name: '核查' }).click();
    await page.getByTestId('rule-list').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, '73-inspection-rules');

    // A rule's parameters are data, checked as typed: a negative count is refused, naming the parameter.
    await page.getByTestId('rule-edit-vehicle').click();
    const edit = dialog(page);
    await edit.waitFor();
    await edit.getByTestId('rule-params').fill('{ "maxCount": -1 }');
    await page.getByTestId('rule-save').click();
    await expect.poll(() => edit.textContent(), SLOW).toContain('数量不能为负');
    expect(await edit.textContent()).toContain('最多数量');
    await edit.getByRole('button', { name: /取\s*消/ }).click();
    await edit.waitFor({ state: 'hidden' });

    await page.getByTestId('campaign-new').click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.getByTestId('campaign-title').fill('2015年9月城乡低保核查（演示）');
    await setDate(modal, 'campaign-as-of', '2015-09-30');
    await page.getByTestId('campaign-submit').click();
    await page.getByTestId('campaign-progress').waitFor();
    await page.getByTestId('campaign-done').waitFor({ timeout: 120_000 });
    const [campaign] = query<{ id: number; status: string; finding_count: number }>(
      server,
      'select id, status, finding_count from audit_campaign order by id desc',
    );
    expect(campaign?.status).toBe('done');
    campaignId = campaign?.id ?? 0;
    const types = query<{ rule_type: string }>(
      server,
      'select distinct rule_type from audit_finding where campaign_id = ?',
      campaignId,
    ).map((r) => r.rule_type);
    for (const t of ['deceased_paid', 'duplicate_person', 'staff_relative', 'missed_eligible'])
      expect(types, `the campaign finds the planted ${t}`).toContain(t);
    expect(await page.getByTestId('campaign-progress-count').textContent()).toContain(
      `发现问题 ${campaign?.finding_count}`,
    );
    await screenshot(page, '74-campaign-done');

    await page.getByTestId('campaign-open').click();
    await page.getByTestId('campaign-page').waitFor();
    await page.getByTestId('campaign-summary-table').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('summary-findings-total').textContent()).toBe(
      String(campaign?.finding_count),
    );
    expect(await page.getByTestId('campaign-narrative').textContent()).toContain('共复核');
    const rows = page.getByTestId('finding-list').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), SLOW).toBe(Math.min(20, campaign?.finding_count ?? 0));
    const list = (await page.getByTestId('finding-list').textContent()) ?? '';
    expect(list).toContain('漏保');
    expect(list).toContain('待复核');
    // IDs in the list are masked.
    expect(list).not.toMatch(/\d{17}[\dX]/);
    // The evidence of the first finding, in its expandable row.
    await rows.first().locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('finding-evidence').first().waitFor();
    await shot(page, '75-campaign-findings');
  }, 240_000);

  it('a town clerk sees the finding assigned to their town and records an outcome', async () => {
    // A finding about an enrolled household in a town with a demo window clerk.
    const [finding] = query<{ id: number; town_code: string; username: string }>(
      server,
      `select f.id, f.town_code, u.username from audit_finding f
         join app_user u on u.area_code = f.town_code and u.role = 'town_clerk'
        where f.campaign_id = ? and f.enrolment_id is not null and f.outcome is null
        order by f.id`,
      campaignId,
    ).filter((f) => server.users.has(f.username));
    expect(finding, 'a planted finding lies in a town with a demo clerk').toBeDefined();
    const { page } = browser;
    await switchUser(browser, server, finding?.username ?? '');
    await page.getByRole('menuitem', { name: '核查' }).click();
    const mine = page.getByTestId('my-findings');
    await mine.waitFor();
    await page.getByTestId(`finding-resolve-${finding?.id}`).waitFor();
    expect(await page.getByTestId(`finding-outcome-${finding?.id}`).textContent()).toContain('待复核');
    await shot(page, '76-town-findings');

    await page.getByTestId(`finding-resolve-${finding?.id}`).click();
    const modal = dialog(page);
    await modal.waitFor();
    await page.getByTestId('outcome-save').click();
    await expect.poll(() => modal.textContent(), SLOW).toContain('请选择复核结果');
    await modal.getByTestId('outcome-exit').click();
    await modal.getByTestId('outcome-note').fill('入户复核属实，不再符合低保条件，建议停发。');
    await page.getByTestId('outcome-save').click();
    await page.getByTestId('outcome-saved').waitFor();
    const [row] = query<{ outcome: string; case_id: number | null }>(
      server,
      'select outcome, case_id from audit_finding where id = ?',
      finding?.id,
    );
    expect(row?.outcome).toBe('exit');
    expect(row?.case_id).toBeGreaterThan(0);
    expect(await page.getByTestId('outcome-case-link').getAttribute('href')).toBe(
      `/approval/cases/${row?.case_id}`,
    );
    await shot(page, '77-finding-outcome');
    await page.getByTestId('outcome-close').click();
  }, 120_000);

  it('the county admin uploads a malformed department file and sees each row’s problem; the data in force stays', async () => {
    const { page } = browser;
    await switchUser(browser, server, 'xian_admin');
    await page.goto(`${server.url}/verification?tab=sources`);
    await page.getByTestId('source-list').locator('tbody tr.ant-table-row').first().waitFor();

    // The death layout's headers, as a partner would take them from the template; two bad rows.
    const layouts = (await (await page.request.get(`${server.url}/api/v1/departments/layouts`)).json()) as {
      items: { source: string; columns: { key: string; header: string; type: string }[] }[];
    };
    const columns = layouts.items.find((l) => l.source === 'death')?.columns ?? [];
    expect(columns.length).toBeGreaterThan(0);
    const cell = (type: string, bad: boolean) => {
      if (type === 'id_number') return bad ? '44022919800101001X' : '440229198001010012';
      if (type === 'date') return bad ? '2015-13-45' : '2015-08-01';
      return bad ? '' : '火化';
    };
    const csv = [
      columns.map((c) => c.header).join(','),
      columns.map((c) => cell(c.type, true)).join(','),
      columns.map((c) => cell(c.type, c.type === 'date')).join(','),
    ].join('\r\n');
    const file = join(server.dataDir, '死亡数据-有误.csv');
    writeFileSync(file, `\uFEFF${csv}\r\n`);
    const before = query<{ id: number }>(
      server,
      "select id from dept_snapshot where source_code = 'death' and status = 'in_force'",
    );

    await page.getByTestId('upload-death').click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('upload-submit').click();
    await page.getByTestId('upload-rejected').waitFor();
    const errors = page.getByTestId('upload-errors').locator('tbody tr.ant-table-row');
    await expect.poll(() => errors.count(), SLOW).toBeGreaterThan(1);
    const text = (await page.getByTestId('upload-errors').textContent()) ?? '';
    expect(text).toContain('第 2 行');
    expect(text).toContain('第 3 行');
    expect(await page.getByTestId('upload-rejected').textContent()).toContain('继续有效');
    await screenshot(page, '78-upload-errors');

    const after = query<{ id: number }>(
      server,
      "select id from dept_snapshot where source_code = 'death' and status = 'in_force'",
    );
    expect(after).toEqual(before);
    const [rejected] = query<{ n: number }>(
      server,
      "select count(*) as n from dept_snapshot where source_code = 'death' and status = 'rejected'",
    );
    expect(rejected?.n).toBe(1);
    await modal.getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => page.getByTestId('snapshot-history').textContent(), SLOW).toContain('未通过校验');
    // The refused file stays in the import history with its problems.
    const [snapshot] = query<{ id: number }>(
      server,
      "select id from dept_snapshot where source_code = 'death' and status = 'rejected'",
    );
    await page
      .getByTestId('snapshot-history')
      .locator('tbody tr.ant-table-row')
      .first()
      .locator('.ant-table-row-expand-icon')
      .click();
    const kept = page.getByTestId(`snapshot-errors-${snapshot?.id}`).locator('tbody tr.ant-table-row');
    await expect.poll(() => kept.count(), SLOW).toBeGreaterThan(1);
    await shot(page, '79-import-history');
  }, 120_000);

  it('the county admin sets a source’s interface and sees the server’s messages on the fields', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/verification?tab=sources`);
    await page.getByTestId('source-list').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('source-settings-death').click();
    const modal = dialog(page);
    await modal.waitFor();
    expect(await modal.textContent()).toContain('接口设置：殡葬/死亡');

    // 实时接口 without an address: refused, the message under 接口地址.
    await modal.getByTestId('connector-mode-connector').check();
    await field(modal, 'connector-url').fill('');
    await page.getByTestId('connector-save').click();
    // The message under the field it names (the form item with that label).
    const errorOn = async (label: string) =>
      (
        await modal
          .locator('.ant-form-item')
          .filter({ has: page.locator('label', { hasText: label }) })
          .locator('.ant-form-item-explain-error')
          .allTextContents()
      ).join('；');
    await expect.poll(() => errorOn('接口地址'), SLOW).toContain('实时接口方式须填写接口地址');

    // The built-in simulator, and a timeout the server does not accept: its range under 超时.
    await modal.getByTestId('connector-sim').click();
    expect(await field(modal, 'connector-url').inputValue()).toBe('sim:');
    await field(modal, 'connector-timeout').fill('50');
    await page.getByTestId('connector-save').click();
    await expect.poll(() => errorOn('超时（毫秒）'), SLOW).toContain('超时时间应为 100–120000 毫秒');
    // The address is fine now: its message is gone.
    await expect.poll(() => errorOn('接口地址'), SLOW).toBe('');
    await shot(page, '79a-source-settings');

    // Kept as a snapshot source, with its interface settings for later.
    await modal.getByTestId('connector-mode-snapshot').check();
    await field(modal, 'connector-timeout').fill('8000');
    await field(modal, 'connector-retries').fill('3');
    await page.getByTestId('connector-save').click();
    await modal.waitFor({ state: 'hidden' });
    const [config] = query<{
      mode: string;
      connector_url: string | null;
      timeout_ms: number;
      max_retries: number;
    }>(
      server,
      "select mode, connector_url, timeout_ms, max_retries from dept_source_config where source_code = 'death'",
    );
    expect(config).toEqual({ mode: 'snapshot', connector_url: 'sim:', timeout_ms: 8000, max_retries: 3 });
    const [audit] = query<{ n: number }>(
      server,
      "select count(*) as n from audit_log where action = 'dept.source_config' and entity_id = 'death'",
    );
    expect(audit?.n).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('the county admin reads the query log and re-checks one town’s enrolled 城市低保 households in a batch', async () => {
    const { page } = browser;
    // The clerk's verification asked every department about each member: one log line per person × source.
    await page.goto(`${server.url}/verification?tab=queries`);
    const log = page.getByTestId('query-log');
    await log.locator('tbody tr.ant-table-row').first().waitFor();
    const logText = (await log.textContent()) ?? '';
    expect(logText).toContain('本人授权');
    expect(logText).not.toMatch(/\d{17}[\dX]/);

    await page.goto(`${server.url}/verification?tab=batches`);
    await page.getByTestId('batch-start').waitFor();
    // Only 城市低保 (remove the 农村低保 tag), only 乳城镇.
    await page
      .getByTestId('batch-programs')
      .locator('.ant-select-selection-item')
      .filter({ hasText: '农村低保' })
      .locator('.ant-select-selection-item-remove')
      .click();
    await page.getByTestId('batch-town').click();
    await page.locator('.ant-select-dropdown:visible').getByText('乳城镇', { exact: true }).click();
    await page.getByTestId('batch-submit').click();
    await page.getByTestId('batch-progress').waitFor();
    await expect
      .poll(() => page.getByTestId('batch-progress-count').textContent(), { timeout: 120_000 })
      .toContain('已完成');
    const [batch] = query<{ status: string; total: number; done: number; failed: number; town_code: string }>(
      server,
      'select status, total, done, failed, town_code from verification_batch order by id desc',
    );
    expect(batch?.status).toBe('done');
    expect(batch?.total).toBeGreaterThan(0);
    expect((batch?.done ?? 0) + (batch?.failed ?? 0)).toBe(batch?.total);
    expect(await page.getByTestId('batch-progress-count').textContent()).toContain(
      `已核对 ${batch?.done.toLocaleString('zh-CN')} / ${batch?.total.toLocaleString('zh-CN')} 户`,
    );
    await expect
      .poll(() => page.getByTestId('batch-history').locator('tbody tr.ant-table-row').count(), SLOW)
      .toBe(1);
  }, 180_000);

  it('the county admin filters the reports: 需关注 only, by conclusion and by town', async () => {
    const { page } = browser;
    type Row = { town_code: string; conclusion_code: string; difference_count: number };
    const rows = query<Row>(
      server,
      'select town_code, conclusion_code, difference_count from verification_report',
    );
    const flagged = (r: Row) =>
      !['01', '02', '03', '05'].includes(r.conclusion_code) || r.difference_count > 0;
    const total = () => page.getByTestId('report-total').textContent();
    const count = (n: number) => `共 ${n.toLocaleString('zh-CN')} 份`;

    await page.goto(`${server.url}/verification?tab=reports`);
    await expect.poll(total, SLOW).toBe(count(rows.length));
    await page.getByTestId('report-filter-flagged').check();
    await expect.poll(total, SLOW).toBe(count(rows.filter(flagged).length));

    const code = query<{ conclusion_code: string }>(
      server,
      'select conclusion_code from verification_report where case_id = ?',
      caseId,
    )[0]?.conclusion_code as string;
    await page.getByTestId('report-filter-conclusion').click();
    await page
      .locator('.ant-select-dropdown:visible')
      .getByText(new RegExp(`^${code} `))
      .click();
    await expect
      .poll(total, SLOW)
      .toBe(count(rows.filter((r) => flagged(r) && r.conclusion_code === code).length));

    const [town] = query<{ code: string }>(server, "select code from area where name = '乳城镇'");
    await page.getByTestId('report-filter-town').click();
    await page.locator('.ant-select-dropdown:visible').getByText('乳城镇', { exact: true }).click();
    const expected = rows.filter(
      (r) => flagged(r) && r.conclusion_code === code && r.town_code === town?.code,
    );
    await expect.poll(total, SLOW).toBe(count(expected.length));
    expect(expected.length).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('report-list').locator('tbody tr.ant-table-row').count(), SLOW)
      .toBe(Math.min(20, expected.length));
    await shot(page, '79b-report-filters');
  }, 120_000);
});
