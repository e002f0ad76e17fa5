/**
 * 备案与公示 in a real browser: the 乳城镇 window clerk (town locked to their own) downloads the town's 低保对象信息
 * 备案表 and a village's 公示名单 from the 备案与公示 page; the files are the town's and the village's, ID numbers
 * masked in the 备案表 and absent from the 公示名单. Screenshot 95 goes to test-output/screenshots/.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

/** Every cell's text of every sheet of a downloaded workbook. */
async function cellsOf(path: string): Promise<{ title: string; texts: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  const texts: string[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow((row) => {
      row.eachCell((c) => {
        texts.push(String(c.text ?? ''));
      });
    });
  });
  return { title: String(wb.worksheets[0]?.getCell(1, 1).text ?? ''), texts };
}

async function download(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  if (!path) throw new Error('download failed');
  return path;
}

describe('备案与公示 (filings) in the browser', () => {
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

  it('the town clerk downloads the town’s 备案表 and a village’s 公示名单, IDs masked or absent', async () => {
    const { page } = browser;
    await login(page, server, 'rucheng_jingban');
    await page.goto(`${server.url}/filings`);
    await page.getByTestId('filings-page').waitFor();

    const form = await cellsOf(await download(page, 'filing-record-form-download'));
    expect(form.title).toContain('乳城镇');
    expect(form.title).toContain('备案表');
    const ids = form.texts.filter((t) => /^440232\*+\d{4}$|^440232\*+\d{3}X$/.test(t));
    expect(ids.length).toBeGreaterThan(10);
    expect(form.texts.some((t) => /\d{17}[\dX]/.test(t))).toBe(false);

    await page.getByTestId('filing-notice-village').click();
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await option.waitFor();
    const village = (await option.getAttribute('title')) ?? (await option.textContent()) ?? '';
    await option.click();
    const notice = await cellsOf(await download(page, 'filing-public-notice-download'));
    await screenshot(page, '95-filings');
    expect(notice.title).toContain(village);
    expect(notice.title).toContain('公示名单');
    // No ID numbers at all, not even masked ones, and names partly hidden (DOMAIN §16).
    expect(notice.texts.some((t) => /440232/.test(t))).toBe(false);
    expect(notice.texts.some((t) => /\*/.test(t))).toBe(true);
  }, 120_000);
});
