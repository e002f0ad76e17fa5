/** 系统管理 › 节假日安排: the county admin reads and enters the holiday calendar behind working-day limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

describe('holiday calendar page', () => {
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

  it('shows the 2015 holidays and saves a new year', async () => {
    const { page } = browser;
    await login(page, server, 'xian_admin');
    await page.goto(`${server.url}/admin/calendar`);
    await page.getByLabel('年份').fill('2015');
    await page.getByLabel('年份').press('Enter');
    await expect.poll(async () => page.locator('input[value="2015-10-10"]').count()).toBe(1);
    await screenshot(page, '28-calendar');

    await page.getByLabel('年份').fill('2027');
    await page.getByLabel('年份').press('Enter');
    await page.getByRole('button', { name: /增加一天/ }).click();
    await page.getByPlaceholder('YYYY-MM-DD').last().fill('2027-10-01');
    await page.locator('td input').last().fill('国庆节');
    await page.getByRole('button', { name: /保存 2027 年安排/ }).click();
    await expect
      .poll(() => page.evaluate(() => fetch('/api/v1/calendar/2027').then((r) => r.json())))
      .toMatchObject({ days: [{ date: '2027-10-01', kind: 'holiday', name: '国庆节' }] });
  });

  it('is not in a town clerk’s menu', async () => {
    const { page } = browser;
    await browser.context.clearCookies();
    await login(page, server, 'rucheng_jingban');
    expect(await page.locator('.ant-menu').first().textContent()).not.toContain('节假日安排');
  });
});
