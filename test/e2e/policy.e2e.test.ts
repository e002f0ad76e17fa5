/**
 * 政策参数 and 政策测算 in a real browser: the county admin finds the demo 2015 农村低保 version (乳民〔2015〕演示2号)
 * in the timeline and reads it, enters a new version with a higher standard from 2016-01 with its 文号 (the 2015
 * version is closed at 2015-12), is refused an overlapping month with the reason next to the month and a bad
 * body with the field path, corrects the unused version and cannot edit a used one; a town clerk works out what
 * a 3-person household would get in 2015-09 and sees the amount (computed by hand below from the demo parameters)
 * and the numbered explanation, then a refusal in red. Screenshots 60–69 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const DEMO_DOC = '乳民〔2015〕演示2号';
const NEW_DOC = '乳民〔2016〕演示8号';

interface PolicyRow {
  id: number;
  effective_from: string;
  effective_to: string | null;
  doc_no: string;
  doc_title: string | null;
  body: string;
}

function ruralDibaoVersions(server: E2EServer): PolicyRow[] {
  const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return db
      .prepare(
        `select id, effective_from, effective_to, doc_no, doc_title, body from policy_parameter
          where program_code = 'rural_dibao' and town_code is null order by effective_from`,
      )
      .all() as PolicyRow[];
  } finally {
    db.close();
  }
}

function dialog(page: Page): Locator {
  return page.locator('.ant-modal-wrap:visible .ant-modal');
}

/** Sets an antd month picker (format YYYY年MM月) by typing, and leaves the field. */
async function setMonth(input: Locator, text: string): Promise<void> {
  await input.click();
  await input.fill(text);
  await input.press('Tab');
  await expect.poll(() => input.inputValue()).toBe(text);
}

async function choose(page: Page, select: Locator, option: string): Promise<void> {
  // On a loaded machine a click can land while the dropdown is still opening: check the choice took, retry if not.
  const root = select.locator(
    "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]",
  );
  const chosen = async () => ((await root.textContent()) ?? '').includes(option);
  await expect
    .poll(
      async () => {
        if (await chosen()) return true;
        await select.click();
        await page
          .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
          .first()
          .click({ timeout: 5_000 })
          .catch(() => undefined);
        return chosen();
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

async function shot(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => page.locator('.ant-spin-spinning, .ant-message-notice').count(), { timeout: 15_000 })
    .toBe(0);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(300);
  await screenshot(page, name);
}

async function rowTexts(table: Locator): Promise<string[]> {
  await table.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  return table.locator('tr.ant-table-row').allTextContents();
}

describe('政策参数 and 政策测算 (browser)', () => {
  let server: E2EServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser({ width: 1440, height: 900 });
    browser.page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the county admin the demo 2015 农村低保 version, readable and as JSON', async () => {
    const { page } = browser;
    await login(page, server, 'xian_admin');
    await page.locator('.ant-menu').getByText('系统管理').click();
    await page.locator('.ant-menu').getByRole('link', { name: '政策参数' }).click();
    await expect.poll(() => page.url()).toContain('/admin/policy');
    const table = page.getByTestId('policy-table');
    await table.locator('tr', { hasText: DEMO_DOC }).waitFor();
    const rows = await rowTexts(table);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(DEMO_DOC);
    expect(rows[0]).toContain('2015年1月 起');
    expect(rows[0]).toContain('低保标准 260 元/人·月');
    expect(rows[0]).toContain('差额补助');
    expect(rows[0]).toContain('重病患者 标准的 30%');
    await expect(page.locator('.ant-breadcrumb').textContent()).resolves.toContain('政策参数');
    await shot(page, '60-policy-timeline');

    await table.locator('tr', { hasText: DEMO_DOC }).getByRole('button', { name: '查看' }).click();
    const drawer = page.getByTestId('policy-drawer');
    await drawer.waitFor();
    const text = (await drawer.textContent()) ?? '';
    for (const part of [
      '标准与计算方式',
      '260 元/人·月',
      '分类施保',
      '就高，不叠加',
      '申请前 6 个月',
      '四舍五入到元',
      '四舍五入到分',
      '人均不超过 24 个月的城市低保标准（410 元）',
      '中央资金',
    ])
      expect(text).toContain(part);
    await page.waitForTimeout(400); // the drawer slides in
    await screenshot(page, '61-policy-drawer');
    await drawer.getByRole('tab', { name: '原始 JSON' }).click();
    await expect(drawer.getByTestId('policy-json').textContent()).resolves.toContain('"standardFen": 26000');
    await page.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'detached' });
  });

  it('enters a new version with a higher standard from 2016-01 and closes the 2015 one', async () => {
    const { page } = browser;
    await page.getByTestId('policy-new').click();
    const modal = dialog(page);
    await modal.getByTestId('policy-form').waitFor();
    // Prefilled from the version in force: the standard in 元, the rest of the body as JSON.
    await expect(modal.getByLabel('低保标准（元/人·月）').inputValue()).resolves.toBe('260.00');
    await expect(modal.getByTestId('policy-body-json').inputValue()).resolves.toContain('"method": "gap"');
    await setMonth(
      modal
        .getByTestId('policy-effective-from')
        .locator('input')
        .or(modal.locator('input[data-testid="policy-effective-from"]'))
        .first(),
      '2016年01月',
    );
    await modal.getByLabel('文号').fill(NEW_DOC);
    await modal.getByLabel('文件标题').fill('乳源瑶族自治县2016年农村低保标准（演示数据）');
    await modal.getByLabel('低保标准（元/人·月）').fill('300');
    await screenshot(page, '62-policy-new-version');
    await modal.getByRole('button', { name: '保存新版本' }).click();
    await modal.waitFor({ state: 'detached' });

    const table = page.getByTestId('policy-table');
    await expect.poll(async () => (await rowTexts(table)).length).toBe(2);
    const rows = await rowTexts(table);
    // Newest first: the 2016 version, open-ended; the 2015 version now closed at 2015-12.
    expect(rows[0]).toContain(NEW_DOC);
    expect(rows[0]).toContain('2016年1月 起');
    expect(rows[0]).toContain('低保标准 300 元/人·月');
    expect(rows[1]).toContain(DEMO_DOC);
    expect(rows[1]).toContain('2015年1月 至 2015年12月');

    const stored = ruralDibaoVersions(server);
    expect(stored.map((r) => [r.effective_from, r.effective_to, r.doc_no])).toEqual([
      ['2015-01', '2015-12', DEMO_DOC],
      ['2016-01', null, NEW_DOC],
    ]);
    const body = JSON.parse(stored[1]?.body ?? '{}') as { standardFen: number; method: string };
    expect(body.standardFen).toBe(30_000);
    expect(body.method).toBe('gap');
    await shot(page, '63-policy-timeline-new');
  });

  it('refuses an overlapping month with the reason next to the month, and a bad body with its field', async () => {
    const { page } = browser;
    await page.getByTestId('policy-new').click();
    const modal = dialog(page);
    await modal.getByTestId('policy-form').waitFor();
    const month = modal
      .getByTestId('policy-effective-from')
      .locator('input')
      .or(modal.locator('input[data-testid="policy-effective-from"]'))
      .first();
    await setMonth(month, '2015年06月');
    await modal.getByLabel('文号').fill('乳民〔2016〕演示9号');
    await modal.getByRole('button', { name: '保存新版本' }).click();
    const monthError = modal.locator('.ant-form-item-explain-error', { hasText: '重叠' });
    await monthError.waitFor();
    expect(await monthError.textContent()).toContain(NEW_DOC);
    await expect(modal.getByTestId('policy-form-error').textContent()).resolves.toContain('重叠');
    await modal.getByTestId('policy-form-error').scrollIntoViewIfNeeded();
    await screenshot(page, '64-policy-overlap-refused');

    // A body the schema refuses: 分档 without any band. The path and the Chinese reason are shown.
    await setMonth(month, '2016年07月');
    const json = modal.getByTestId('policy-body-json');
    await json.fill((await json.inputValue()).replace('"method": "gap"', '"method": "band"'));
    await modal.getByRole('button', { name: '保存新版本' }).click();
    const issues = modal.getByTestId('policy-body-issues');
    await issues.waitFor();
    const issueText = (await issues.textContent()) ?? '';
    expect(issueText).toContain('body.bands');
    expect(issueText).toContain('分档计算方式至少需要设置一个档次');
    await issues.scrollIntoViewIfNeeded();
    await screenshot(page, '65-policy-body-refused');
    await modal
      .getByRole('button', { name: '取 消' })
      .or(modal.getByRole('button', { name: '取消' }))
      .first()
      .click();
    await modal.waitFor({ state: 'detached' });
    expect(ruralDibaoVersions(server)).toHaveLength(2);
  });

  it('corrects an unused version and shows a used one as closed to edits', async () => {
    const { page } = browser;
    const table = page.getByTestId('policy-table');
    await table.locator('tr', { hasText: NEW_DOC }).getByRole('button', { name: '修改' }).click();
    const modal = dialog(page);
    await modal.getByTestId('policy-form').waitFor();
    await modal.getByLabel('文件标题').fill('乳源瑶族自治县关于提高2016年农村低保标准的通知（演示数据）');
    await modal.getByRole('button', { name: '保存修改' }).click();
    await modal.waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await rowTexts(table))[0] ?? '')
      .toContain('关于提高2016年农村低保标准的通知');
    expect(ruralDibaoVersions(server)[1]?.doc_title).toContain('关于提高2016年农村低保标准的通知');

    // A payroll has used the 2015 version (set here in the database, as the payroll does when it is generated).
    const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), { fileMustExist: true });
    try {
      db.prepare(`update policy_parameter set used_in_payment = 1 where doc_no = ?`).run(DEMO_DOC);
    } finally {
      db.close();
    }
    await page.reload();
    const used = table.locator('tr', { hasText: DEMO_DOC });
    await used.waitFor();
    await expect(used.textContent()).resolves.toContain('已用于发放');
    await expect(used.getByRole('button', { name: '修改' }).isDisabled()).resolves.toBe(true);
    await used.getByRole('button', { name: '查看' }).click();
    const drawer = page.getByTestId('policy-drawer');
    await drawer.waitFor();
    await expect(drawer.textContent()).resolves.toContain('已用于发放，只能录入新版本');
    await page.waitForTimeout(400);
    await screenshot(page, '66-policy-used-version');
    await page.locator('.ant-drawer-close').click();
  });

  it('lets a town clerk work out a 3-person household in 2015-09: the amount and the explanation', async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await login(page, server, 'rucheng_jingban');
    await page.locator('.ant-menu').getByRole('link', { name: '政策测算' }).click();
    await page.getByTestId('calc-page').waitFor();
    await setMonth(
      page
        .getByTestId('calc-month')
        .locator('input')
        .or(page.locator('input[data-testid="calc-month"]'))
        .first(),
      '2015年09月',
    );
    const policy = page.getByTestId('calc-policy');
    await expect.poll(() => policy.textContent()).toContain(DEMO_DOC);
    await expect(policy.textContent()).resolves.toContain('低保标准 260 元/人·月');

    await page.getByTestId('add-member').click();
    await page.getByTestId('add-member').click();
    const m1 = page.getByTestId('member-0');
    await m1.getByLabel('姓名').fill('张大山');
    await m1.getByLabel('年龄').fill('50');
    await choose(page, m1.getByLabel('劳动能力'), '有劳动能力');
    await m1.getByLabel('就业').check();
    await m1.getByRole('button', { name: '添加收入' }).click();
    await choose(page, m1.getByLabel('收入类型'), '工资性收入');
    await m1.getByLabel('收入金额').fill('3000');
    await m1.getByPlaceholder(/备注/).fill('零工 500 元/月 × 6');

    const m2 = page.getByTestId('member-1');
    await m2.getByLabel('姓名').fill('李秀英');
    await m2.getByLabel('女').check();
    await m2.getByLabel('年龄').fill('48');
    await choose(page, m2.getByLabel('劳动能力'), '无劳动能力');
    await m2.getByLabel('重病患者').check();

    const m3 = page.getByTestId('member-2');
    await m3.getByLabel('姓名').fill('张小明');
    await m3.getByLabel('年龄').fill('14');
    await m3.getByLabel('在校学生').check();
    await shot(page, '67-calc-household');

    await page.getByTestId('calc-run').click();
    const result = page.getByTestId('calc-result');
    await result.waitFor();

    // By hand, from 乳民〔2015〕演示2号 (农村低保标准 260 元, 差额, 计算期 6 个月, 重病患者 30%, 人均收入四舍五入到分,
    // 低保金和分类施保四舍五入到元):
    //   月人均收入 = 3000 ÷ 6 ÷ 3 = 166.666… → 166.67 元
    //   差额补助   = (260 − 166.67) × 3 = 279.99 → 280 元
    //   分类施保   = 260 × 30% = 78 元 (李秀英)
    //   月保障金   = 280 + 78 = 358 元
    const perCapita = Math.round((3000 / 6 / 3) * 100) / 100;
    expect(perCapita).toBe(166.67);
    const base = Math.round((260 - perCapita) * 3);
    const addOn = Math.round(260 * 0.3);
    const total = base + addOn;
    expect(total).toBe(358);
    await expect(result.getByTestId('calc-eligible').textContent()).resolves.toBe('符合低保条件');
    await expect(result.getByTestId('calc-per-capita').textContent()).resolves.toContain('166.67');
    await expect(result.getByTestId('calc-amount').textContent()).resolves.toContain(`${total}.00`);
    const components = (await result.getByTestId('calc-components').textContent()) ?? '';
    expect(components).toContain(`低保金${base}.00 元`);
    expect(components).toContain(`分类施保（李秀英）${addOn}.00 元`);

    const lines = await result.getByTestId('calc-explanation-line').allTextContents();
    expect(lines.length).toBeGreaterThan(8);
    const line = (step: string) => lines.find((l) => l.startsWith(`${step}：`)) ?? '';
    expect(line('收入')).toContain('张大山：工资性收入 3,000.00 元');
    expect(line('家庭月人均收入')).toContain('3,000.00 元 ÷ 6 个月 ÷ 3 人 = 166.67 元');
    expect(line('收入条件')).toContain('低于低保标准 260.00 元');
    expect(line('差额补助')).toContain('（260.00 − 166.67）元/人 × 3 人 = 279.99 元');
    expect(line('取整')).toContain('280.00');
    expect(line('分类施保')).toContain('李秀英：重病患者');
    expect(line('月保障金额')).toContain(`= ${total}.00 元/月`);
    expect(line('差额补助')).toContain('依据：民发〔2012〕220号 第27条');
    await result.scrollIntoViewIfNeeded();
    await shot(page, '68-calc-result');
  }, 90_000);

  it('shows the refusal in red when the household owns a car', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: '添加车辆' }).click();
    await page.getByTestId('calc-run').click();
    const result = page.getByTestId('calc-result');
    await expect.poll(() => result.getByTestId('calc-eligible').textContent()).toBe('不符合低保条件');
    const refusals = (await result.getByTestId('calc-refusals').textContent()) ?? '';
    expect(refusals).toContain('家庭拥有机动车辆 1 辆（小型汽车），超过规定的 0 辆');
    await expect(result.getByTestId('calc-amount').textContent()).resolves.toContain('0.00');
    await result.scrollIntoViewIfNeeded();
    await shot(page, '69-calc-refused');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
