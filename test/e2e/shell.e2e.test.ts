/** The shell every page lives in: login with Chinese errors, the user's name, role and area, menus by role. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

describe('web shell', () => {
  let server: E2EServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a Chinese error for a wrong password', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('用户名').fill('rucheng_jingban');
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误');
    await screenshot(page, '01-login-error');
  });

  it('logs a town clerk in and shows name, role and area, with the menus of the role', async () => {
    const { page } = browser;
    await login(page, server, 'rucheng_jingban');
    const header = await page.getByTestId('current-user').textContent();
    expect(header).toContain('乡镇经办人（窗口）');
    expect(header).toContain('乳城镇');
    const menu = await page.locator('.ant-menu').first().textContent();
    // 资金发放 (their town's lines and payment history), 政策测算 and 核查 (reviewing the findings assigned to
    // their town) belong to the town window too.
    for (const item of [
      '工作台',
      '受理登记',
      '救助对象',
      '家庭经济状况核对',
      '资金发放',
      '政策测算',
      '核查',
      '统计报表',
    ])
      expect(menu).toContain(item);
    for (const hidden of ['系统管理']) expect(menu).not.toContain(hidden);
  });

  it('shows an unknown address as an honest “尚未开放” page, not a blank one', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/no-such-page`);
    await expect(page.getByTestId('not-open').textContent()).resolves.toContain('尚未开放');
    await screenshot(page, '02-not-open');
  });

  it('logs out', async () => {
    const { page } = browser;
    await page.getByTestId('current-user').hover();
    await page.getByText('退出登录').click();
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
  });

  it('gives the county admin the 系统管理 menu', async () => {
    const { page } = browser;
    await login(page, server, 'xian_admin');
    const menu = await page.locator('.ant-menu').first().textContent();
    for (const item of ['资金发放', '核查', '系统管理', '审核审批']) expect(menu).toContain(item);
  });
});
