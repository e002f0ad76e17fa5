/**
 * 工作台 and 系统管理 in a real browser: the county's and a town's figures (checked against the database),
 * user administration through the forms, the area tree, the audit log with its chain check, and what
 * 核查员 and 协作部门 see. Screenshots 20–27 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const COUNTY = '440232';
const RUCHENG = '440232100';

/** Persons covered by a program, computed from the tables (the same definition as the dashboard). */
/** Heads of the households with an open re-check filed by the death-data feed (outside any case). */
function deathFeedRechecks(server: E2EServer): string[] {
  const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const rows = db
      .prepare(
        `select p.name from case_task t join household h on h.id = t.household_id
           join person p on p.id = h.head_person_id
          where t.kind = 'recheck_after_death' and t.status = 'open' and t.case_id is null`,
      )
      .all() as { name: string }[];
    expect(rows.length).toBeGreaterThan(0);
    return rows.map((r) => r.name);
  } finally {
    db.close();
  }
}

function personsCovered(server: E2EServer, program: string, townCode: string | null): number {
  const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const row = db
      .prepare(
        `select count(distinct p.id) as n
           from enrolment e
           join household_member hm on hm.household_id = e.household_id and hm.valid_to is null
           join person p on p.id = hm.person_id
          where e.status = 'active' and e.program_code = ? and e.county_code = ?
            and (? is null or e.town_code = ?)
            and p.death_date is null
            and (e.person_id is null or e.person_id = p.id)`,
      )
      .get(program, COUNTY, townCode, townCode) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

const POLL = { timeout: 15_000, interval: 200 };

const digits = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

async function statValue(page: Page, testId: string): Promise<number> {
  return digits(await page.getByTestId(testId).locator('.ant-statistic-content-value').textContent());
}

/** The browser globals used inside page.evaluate (the test project compiles without the DOM library). */
interface PageGlobals {
  document: { cookie: string; documentElement: { scrollWidth: number } };
}

interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Non-blank pixels of the chart's canvas: proves ECharts drew something, not just an empty box. */
async function paintedPixels(page: Page): Promise<number> {
  return page
    .getByTestId('caseload-chart')
    .locator('canvas')
    .first()
    .evaluate((element) => {
      const c = element as unknown as CanvasLike;
      const ctx = c.getContext('2d');
      if (!ctx) return 0;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
      return n;
    });
}

async function switchUser(browser: Browser, server: E2EServer, username: string): Promise<void> {
  await browser.context.clearCookies();
  await login(browser.page, server, username);
}

/** Posts a login from outside the browser, as another client would. */
async function tryLogin(server: E2EServer, username: string, password: string) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

/** Picks an option of the antd Select labelled `label` inside `scope`. */
async function choose(page: Page, scope: Locator, label: string, option: string) {
  await scope.getByLabel(label, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

/** The text of each row of a table, once the table has stopped loading. */
async function rowTexts(table: Locator): Promise<string[]> {
  await table.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  return table.locator('tr.ant-table-row').allTextContents();
}

const fieldError = (scope: Locator, text: string) =>
  scope.locator('.ant-form-item-explain-error', { hasText: text });

describe('工作台 and 系统管理 in the browser', () => {
  let server: E2EServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser();
    browser.page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the county admin the county figures, a chart per town and the table of towns', async () => {
    const { page } = browser;
    await login(page, server, 'xian_admin');
    await page.getByTestId('stat-rural_dibao-persons').waitFor();
    await expect(page.getByTestId('greeting').textContent()).resolves.toContain('好');
    await expect(page.getByTestId('dashboard').textContent()).resolves.toContain('乳源瑶族自治县');

    // The figure on screen is the one the tables give, computed here independently.
    const ruralDibao = personsCovered(server, 'rural_dibao', null);
    expect(ruralDibao).toBeGreaterThan(1000);
    expect(await statValue(page, 'stat-rural_dibao-persons')).toBe(ruralDibao);
    expect(await statValue(page, 'stat-urban_dibao-persons')).toBe(
      personsCovered(server, 'urban_dibao', null),
    );
    expect(await statValue(page, 'stat-tekun-persons')).toBe(
      personsCovered(server, 'rural_tekun', null) + personsCovered(server, 'urban_tekun', null),
    );

    // The chart is drawn on a canvas; towns with nobody in care are left out of chart and table.
    const canvas = page.getByTestId('caseload-chart').locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(400);
    expect(box?.height ?? 0).toBeGreaterThan(200);
    await page.waitForTimeout(1200); // the bars grow in
    expect(await paintedPixels(page)).toBeGreaterThan(5000);
    // The tooltip names the town and each program's persons, with thousands separators.
    await page.mouse.move((box?.x ?? 0) + (box?.width ?? 0) * 0.08, (box?.y ?? 0) + (box?.height ?? 0) * 0.6);
    const tooltip = page.getByTestId('caseload-chart').locator('div', { hasText: '农村低保：' }).last();
    await tooltip.waitFor();
    const tip = (await tooltip.textContent()) ?? '';
    expect(tip).toContain('乳城镇');
    expect(tip).toContain(
      `农村低保：${personsCovered(server, 'rural_dibao', RUCHENG).toLocaleString('zh-CN')} 人`,
    );
    const table = page.getByTestId('town-table');
    for (const town of ['乳城镇', '大桥镇', '必背镇'])
      await expect(table.textContent()).resolves.toContain(town);
    await expect(table.textContent()).resolves.not.toContain('林场');
    const ruchengRow = table.locator('tr', { hasText: '乳城镇' });
    await expect(ruchengRow.textContent()).resolves.toContain(
      personsCovered(server, 'rural_dibao', RUCHENG).toLocaleString('zh-CN'),
    );
    // The demo's death data names a recipient the registry does not know to be dead: its re-check is a to-do.
    const todos = page.getByTestId('todos');
    for (const head of deathFeedRechecks(server))
      await expect.poll(() => todos.textContent()).toContain(`${head}户：成员死亡后复核（已逾期）`);
    await screenshot(page, '20-dashboard-county');
  });

  it('shows a town clerk the figures of their own town only', async () => {
    const { page } = browser;
    await switchUser(browser, server, 'rucheng_jingban');
    await page.getByTestId('stat-rural_dibao-persons').waitFor();
    expect(await statValue(page, 'stat-rural_dibao-persons')).toBe(
      personsCovered(server, 'rural_dibao', RUCHENG),
    );
    expect(await statValue(page, 'stat-urban_dibao-persons')).toBe(
      personsCovered(server, 'urban_dibao', RUCHENG),
    );
    const text = (await page.getByTestId('dashboard').textContent()) ?? '';
    expect(text).toContain('乳城镇');
    for (const other of ['大桥镇', '一六镇', '乳源瑶族自治县']) expect(text).not.toContain(other);
    await expect(page.getByTestId('town-table').count()).resolves.toBe(0);
    await page.getByTestId('caseload-chart').locator('canvas').first().waitFor();
    await page.waitForTimeout(1200);
    expect(await paintedPixels(page)).toBeGreaterThan(2000);
    await screenshot(page, '21-dashboard-town');
  });

  it('lets the county admin create, edit, reset and disable a user, with errors on the fields', async () => {
    const { page } = browser;
    await switchUser(browser, server, 'xian_admin');
    await page.goto(`${server.url}/admin/users`);
    const table = page.getByTestId('users-table');
    await table.locator('tr', { hasText: 'rucheng_jingban' }).waitFor();
    await expect(table.locator('tr', { hasText: 'rucheng_jingban' }).textContent()).resolves.toContain(
      '乳城镇',
    );

    // Wrong input: a town role without a town and a 5-character password stay on the form, in Chinese.
    await page.getByRole('button', { name: '新建用户' }).click();
    const modal = page.locator('.ant-modal', { hasText: '新建用户' });
    await modal.getByLabel('用户名').fill('daqiao_new');
    await modal.getByLabel('姓名').fill('赵测试');
    await choose(page, modal, '角色', '乡镇经办人（窗口）');
    // The area field follows the role (its label and its message): wait for it before submitting.
    await modal.getByText('辖区（乡镇）', { exact: true }).waitFor();
    await modal.getByLabel('初始密码').fill('ab123');
    await modal.getByRole('button', { name: /新\s*建/ }).click();
    await fieldError(modal, '请选择所属乡镇').waitFor();
    await fieldError(modal, '密码至少需要8位').waitFor();
    expect(await modal.getByLabel('首次登录须修改密码').isChecked()).toBe(true);
    await screenshot(page, '22-users-form-errors');

    await choose(page, modal, '辖区（乡镇）', '大桥镇');
    await modal.getByLabel('初始密码').fill('Daqiao2026');
    await modal.getByRole('button', { name: /新\s*建/ }).click();
    const row = table.locator('tr', { hasText: 'daqiao_new' });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    for (const part of ['赵测试', '乡镇经办人（窗口）', '大桥镇', '须改密码'])
      expect(rowText).toContain(part);
    expect((await tryLogin(server, 'daqiao_new', 'Daqiao2026')).status).toBe(200);

    // The server's own refusal lands on the field it names: the user name is taken now.
    await page.getByRole('button', { name: '新建用户' }).click();
    await modal.getByLabel('用户名').fill('daqiao_new');
    await modal.getByLabel('姓名').fill('重名者');
    await choose(page, modal, '角色', '核查员');
    expect(await modal.getByLabel('辖区', { exact: true }).isDisabled()).toBe(true);
    await modal.getByLabel('初始密码').fill('Another2026');
    await modal.getByRole('button', { name: /新\s*建/ }).click();
    await fieldError(modal, '用户名“daqiao_new”已存在').waitFor();
    await modal.getByRole('button', { name: /取\s*消/ }).click();
    await modal.waitFor({ state: 'hidden' });

    // Edit the name; then a concurrent change makes the next save stale (409), which is shown, not lost.
    await row.getByRole('button', { name: /编\s*辑/ }).click();
    const edit = page.locator('.ant-modal', { hasText: '编辑用户 daqiao_new' });
    await edit.getByLabel('姓名').fill('赵测试甲');
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect(row.textContent()).resolves.toContain('赵测试甲');
    await row.getByRole('button', { name: /编\s*辑/ }).click();
    await edit.getByLabel('姓名').fill('赵测试乙');
    const concurrent = await page.evaluate(async () => {
      const list = (await (await fetch('/api/v1/users')).json()) as {
        items: { id: number; username: string; version: number }[];
      };
      const user = list.items.find((u) => u.username === 'daqiao_new');
      const csrf =
        (globalThis as unknown as PageGlobals).document.cookie.match(/jiuzhu_csrf=([^;]+)/)?.[1] ?? '';
      const res = await fetch(`/api/v1/users/${user?.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ version: user?.version, displayName: '别人改的' }),
      });
      return res.status;
    });
    expect(concurrent).toBe(200);
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await expect(edit.getByTestId('user-form-error').textContent()).resolves.toContain('已被其他人修改');
    expect(await edit.getByLabel('姓名').inputValue()).toBe('别人改的');
    await edit.getByRole('button', { name: /取\s*消/ }).click();
    await expect(row.textContent()).resolves.toContain('别人改的');

    // Reset the password: the old one stops working, the new one works.
    await row.getByRole('button', { name: '重置密码' }).click();
    const reset = page.locator('.ant-modal', { hasText: '重置密码：daqiao_new' });
    await reset.getByLabel('新密码', { exact: true }).fill('Reset2026x');
    await reset.getByLabel('再次输入新密码').fill('Reset2026x');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await reset.waitFor({ state: 'hidden' });
    expect((await tryLogin(server, 'daqiao_new', 'Daqiao2026')).status).toBe(401);
    expect((await tryLogin(server, 'daqiao_new', 'Reset2026x')).status).toBe(200);

    // Disable: logging in is refused with ACCOUNT_DISABLED.
    await row.getByRole('button', { name: /停\s*用/ }).click();
    await page
      .locator('.ant-popover:visible')
      .getByRole('button', { name: /停\s*用/ })
      .click();
    await row.locator('.ant-tag', { hasText: '已停用' }).waitFor();
    await page.locator('.ant-popover:visible').waitFor({ state: 'hidden' });
    const refused = await tryLogin(server, 'daqiao_new', 'Reset2026x');
    expect(refused.status).toBe(403);
    expect(refused.code).toBe('ACCOUNT_DISABLED');
    await expect(row.getByRole('button', { name: /启\s*用/ }).count()).resolves.toBe(1);
    // The admin cannot disable themself: no 停用 on their own row.
    await expect(
      table
        .locator('tr', { hasText: 'xian_admin' })
        .getByRole('button', { name: /停\s*用/ })
        .count(),
    ).resolves.toBe(0);

    // Five wrong passwords lock an account; the admin sees until when, and can unlock it.
    for (let i = 0; i < 5; i++) await tryLogin(server, 'daqiao_jingban', 'wrong-password-1');
    expect((await tryLogin(server, 'daqiao_jingban', 'wrong-password-1')).status).toBe(423);
    await page.getByRole('button', { name: '刷新' }).click();
    const locked = table.locator('tr', { hasText: 'daqiao_jingban' });
    await locked.locator('.ant-tag', { hasText: /锁定至 \d{2}:\d{2}/ }).waitFor();
    await page.locator('.ant-message-notice').last().waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, '22-users');
    await locked.getByRole('button', { name: /解\s*锁/ }).click();
    await locked.locator('.ant-tag', { hasText: '正常' }).waitFor();
    await expect(locked.getByRole('button', { name: /解\s*锁/ }).count()).resolves.toBe(0);
    expect(
      (await tryLogin(server, 'daqiao_jingban', server.users.get('daqiao_jingban')?.password ?? '')).status,
    ).toBe(200);
  });

  it('shows the area tree, with the villages of a town loaded when it is opened', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/admin/areas`);
    const tree = page.getByTestId('area-tree');
    await tree.getByText('乳城镇').waitFor();
    await expect(tree.textContent()).resolves.toContain('乳源瑶族自治县');
    await expect(tree.textContent()).resolves.toContain(RUCHENG);
    await expect(tree.textContent()).resolves.not.toContain('鹰峰居委会');
    await tree
      .locator('.ant-tree-treenode', { has: page.getByTestId(`area-${RUCHENG}`) })
      .locator('.ant-tree-switcher')
      .click();
    await tree.getByText('鹰峰居委会').waitFor();
    await expect(page.getByTestId('area-440232100101').textContent()).resolves.toContain('440232100101');
    await expect(page.locator('body').textContent()).resolves.toContain('统计用区划代码');
    await screenshot(page, '23-areas');
  });

  it('finds the town clerk’s login in the audit log and shows the chain intact', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/admin/audit`);
    await page
      .getByTestId('chain-result')
      .getByText(/审计日志完整：共校验 [\d,]+ 条记录/)
      .waitFor();
    await page.getByLabel('用户名').fill('rucheng_jingban');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(/username=rucheng_jingban/);
    const table = page.getByTestId('audit-table');
    await expect
      .poll(async () => {
        const rows = await rowTexts(table);
        return rows.length > 0 && rows.every((r) => r.includes('rucheng_jingban'));
      }, POLL)
      .toBe(true);
    const loginRow = table.locator('tr.ant-table-row', { hasText: '登录' }).first();
    await expect(loginRow.textContent()).resolves.toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    await loginRow.locator('.ant-table-row-expand-icon').click();
    const detail = table.locator('[data-testid^="audit-detail-"]').first();
    await detail.waitFor();
    await expect(detail.textContent()).resolves.toContain('序号');
    await expect(detail.getByTestId('audit-hash').textContent()).resolves.toMatch(/^[0-9a-f]{16}…$/);

    // The filters live in the URL: a reload (or a shared link) shows the same list.
    await page.goto(`${server.url}/admin/audit?username=rucheng_jingban&action=auth.login`);
    await expect
      .poll(async () => {
        const rows = await rowTexts(table);
        return rows.length > 0 && rows.every((r) => r.includes('rucheng_jingban') && r.includes('登录'));
      }, POLL)
      .toBe(true);
    expect(await page.getByLabel('用户名').inputValue()).toBe('rucheng_jingban');
    await expect(
      page.locator('.ant-form-item', { hasText: '操作' }).locator('.ant-select').textContent(),
    ).resolves.toBe('登录');
    await table.locator('tr.ant-table-row').first().locator('.ant-table-row-expand-icon').click();
    await table.locator('[data-testid^="audit-detail-"]').first().waitFor();
    await page.waitForTimeout(400); // the expand icon turns
    await screenshot(page, '24-audit');

    // The user administration of the previous test is there too, with before → after.
    await page.goto(`${server.url}/admin/audit?entityType=user&action=user.update`);
    await table.locator('tr.ant-table-row', { hasText: '修改用户' }).first().waitFor();
  });

  it('gives 核查员 the audit log but not the user administration', async () => {
    const { page } = browser;
    await switchUser(browser, server, 'hecha');
    await page.goto(`${server.url}/admin/audit`);
    await page.getByTestId('audit-table').waitFor();
    const menu = (await page.locator('.ant-menu').first().textContent()) ?? '';
    expect(menu).toContain('审计日志');
    expect(menu).toContain('行政区划');
    expect(menu).not.toContain('用户管理');
    await page.goto(`${server.url}/admin/users`);
    await page.getByTestId('error-result').waitFor();
    await expect(page.getByTestId('error-result').textContent()).resolves.toContain('无权');
    await expect(page.getByTestId('users-table').count()).resolves.toBe(0);
  });

  it('shows 协作部门 a friendly card instead of the registry figures', async () => {
    const { page } = browser;
    await switchUser(browser, server, 'bumen');
    const card = page.getByTestId('partner-card');
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('上传本部门数据文件');
    await expect(page.getByTestId('stat-rural_dibao-persons').count()).resolves.toBe(0);
    await screenshot(page, '26-dashboard-partner');
  });

  it('fits the town dashboard on a tablet (820×1180)', async () => {
    const tablet = await openBrowser({ width: 820, height: 1180 });
    try {
      const { page } = tablet;
      await login(page, server, 'rucheng_jingban');
      await page.getByTestId('stat-rural_dibao-persons').waitFor();
      await page.getByTestId('caseload-chart').locator('canvas').first().waitFor();
      await page.waitForTimeout(1200);
      expect(
        await page.evaluate(
          () => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth,
        ),
      ).toBeLessThanOrEqual(820);
      const box = await page.getByTestId('caseload-chart').boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(600);
      await screenshot(page, '25-dashboard-tablet');
    } finally {
      await tablet.close();
    }
  });

  it('ran without uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });

  it('names the first broken entry when the audit log was tampered with, and shows it in the list', async () => {
    // Simulates someone with database access who removes the append-only trigger and edits an entry.
    const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), { fileMustExist: true });
    let id: number;
    try {
      db.pragma('busy_timeout = 5000');
      id = (
        db
          .prepare(
            `select min(id) as id from audit_log where action = 'auth.login' and username = 'rucheng_jingban'`,
          )
          .get() as { id: number }
      ).id;
      db.exec('drop trigger audit_log_no_update');
      db.prepare(`update audit_log set detail = '10.0.0.99' where id = ?`).run(id);
    } finally {
      db.close();
    }
    const { page } = browser;
    await switchUser(browser, server, 'xian_admin');
    await page.goto(`${server.url}/admin/audit`);
    const result = page.getByTestId('chain-result');
    await result.getByText('审计日志哈希链已断裂').waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(`编号${id}`);
    expect(text).toContain(`链${COUNTY}`);
    expect(text).toContain('记录内容与哈希不符');
    await page.getByTestId('locate-broken').click();
    await page.waitForURL(new RegExp(`entry=${id}`));
    await page.getByTestId(`audit-detail-${id}`).waitFor();
    await expect(page.getByTestId(`audit-detail-${id}`).textContent()).resolves.toContain(`日志编号${id}`);
    await screenshot(page, '27-audit-broken');
  });
});
