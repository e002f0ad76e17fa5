/**
 * 受理登记 in a real browser, as the 乳城镇 window clerk: one-form registration of 农村低保 + 住房救助 with
 * the ID number checked as it is typed, the one-time notice and its printable view, the materials
 * brought, two authorisations (one by a guardian), accepting 低保 and forwarding 住房 to 住建部门, the
 * department's reply and telling the applicant → 办结, and the list with an overdue forward to chase.
 * Screenshots 30–32 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharacter } from '../../src/domain/identity/resident-id.ts';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const RUCHENG = '440232100';

interface Member {
  id: number;
  name: string;
  id_number: string;
}

/** A 乳城镇 household with at least two living members: the head and one more. */
function pickHousehold(server: E2EServer): { householdId: number; head: Member; other: Member } {
  const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const members = (householdId: number) =>
      db
        .prepare(
          `select p.id, p.name, p.id_number from household_member hm join person p on p.id = hm.person_id
            where hm.household_id = ? and hm.valid_to is null and p.death_date is null
            order by case when hm.relation = '户主' then 0 else 1 end, p.birth_date`,
        )
        .all(householdId) as Member[];
    const ids = db
      .prepare('select id from household where town_code = ? order by id limit 200')
      .all(RUCHENG) as { id: number }[];
    for (const { id } of ids) {
      const m = members(id);
      if (m.length >= 2) return { householdId: id, head: m[0] as Member, other: m[1] as Member };
    }
    throw new Error('no 乳城镇 household with two living members');
  } finally {
    db.close();
  }
}

/** Moves a forwarded item's due date into the past (time passes). */
function makeOverdue(server: E2EServer, itemId: number, dueOn: string): void {
  const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), { fileMustExist: true });
  try {
    db.prepare('update intake_item set due_on = ? where id = ?').run(dueOn, itemId);
  } finally {
    db.close();
  }
}

/** The primary button of the dialog on top (antd puts a space between two Chinese characters). */
function dialogButton(page: Page, name: string): Locator {
  const pattern = new RegExp(`^${[...name].join('\\s*')}$`);
  return page.locator('.ant-modal:visible').getByRole('button', { name: pattern });
}

async function dialogClosed(page: Page): Promise<void> {
  // Generous: on a loaded 2-core CI machine the request behind the dialog can take seconds.
  await expect.poll(() => page.locator('.ant-modal:visible').count(), { timeout: 30_000 }).toBe(0);
}

/** Calls the API from the page with the session and CSRF token, as the web app does. */
async function apiCall<T>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const g = globalThis as unknown as { document: { cookie: string } };
      const token =
        g.document.cookie
          .split('; ')
          .find((c) => c.startsWith('jiuzhu_csrf='))
          ?.slice('jiuzhu_csrf='.length) ?? '';
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: await res.json() };
    },
    { method, url, body },
  ) as Promise<{ status: number; json: T }>;
}

describe('受理登记 (one-window intake) in the browser', () => {
  let server: E2EServer;
  let clerk: Browser;
  let data: ReturnType<typeof pickHousehold>;
  let requestUrl = '';

  beforeAll(async () => {
    server = await startServer();
    data = pickHousehold(server);
    clerk = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await clerk?.close();
    await server?.stop();
  });

  it('registers 农村低保 + 住房救助 on one form, checking the ID number as it is typed', async () => {
    const { page } = clerk;
    await login(page, server, 'rucheng_jingban');
    await page.goto(`${server.url}/intake`);
    await page.getByTestId('register-button').click();
    await page.waitForURL(/\/intake\?register=1$/);
    const form = page.getByTestId('intake-register-form');
    await form.waitFor();

    // Empty form: the required fields say what is missing, nothing is sent.
    await page.getByTestId('submit-register').click();
    await expect.poll(() => form.textContent()).toContain('请至少选择一项申请事项');

    await page.getByTestId('applicant-name').fill(data.head.name);
    const idInput = page.getByTestId('applicant-id-number');
    const expected = checkCharacter(data.head.id_number.slice(0, 17));
    await idInput.fill(data.head.id_number.slice(0, 17) + (expected === '1' ? '2' : '1'));
    const idItem = page.locator('.ant-form-item', { has: idInput });
    await expect
      .poll(() => idItem.locator('.ant-form-item-explain-error').textContent())
      .toContain('校验位错误');
    await idInput.fill(data.head.id_number);
    await expect.poll(() => idItem.locator('.ant-form-item-explain-error').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('applicant-id-number-derived').textContent())
      .toContain('出生日期');

    await page.getByTestId('applicant-phone').fill('13800138000');
    await page.getByTestId('village').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByTestId('household-id').fill(String(data.householdId));
    await page.getByTestId('item-rural_dibao').check();
    await page.getByTestId('item-housing').check();
    await page.getByTestId('description').fill('配偶患重病，家庭收入微薄；现住房年久失修，雨天漏水。');
    // Every message of the empty submit is gone once the fields are filled in.
    await expect.poll(() => form.locator('.ant-form-item-explain-error').count()).toBe(0);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, '33-intake-register');
    await page.getByTestId('submit-register').click();
    await page.waitForURL(/\/intake\/\d+$/);
    requestUrl = page.url();
    await expect.poll(() => page.getByTestId('intake-status').textContent()).toBe('登记');
    await expect(page.getByTestId('intake-title').textContent()).resolves.toContain(data.head.name);
    await expect(page.getByTestId('item-rural_dibao').textContent()).resolves.toContain('待处理');
    await expect(page.getByTestId('item-housing').textContent()).resolves.toContain('住建部门');
  }, 90_000);

  it('issues the one-time notice listing all missing materials and opens its printable view', async () => {
    const { page } = clerk;
    await page.getByTestId('missing-rural_dibao-declaration').check();
    await page.getByTestId('missing-rural_dibao-authorisation').check();
    await page.getByTestId('missing-housing-housing_condition').check();
    await page.getByTestId('issue-notice').click();
    await dialogButton(page, '出具').click();
    await expect.poll(() => page.getByTestId('intake-status').textContent()).toBe('补正中');
    await expect(page.getByTestId('notice-card').textContent()).resolves.toContain('尚缺 3 项');
    // The window will not accept 低保 before the materials are there.
    await expect(page.getByTestId('item-rural_dibao').textContent()).resolves.toContain('等申请人补齐材料');

    // Let the toast go first: the print stylesheet would freeze its leave animation while emulated.
    await page.mouse.move(5, 700);
    await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('print-notice').click();
    await page.waitForURL(/\?print=notice$/);
    const doc = page.getByTestId('notice-document');
    await doc.waitFor();
    await expect(doc.textContent()).resolves.toContain('社会救助申请材料一次性告知书');
    expect(await page.getByTestId('notice-row').count()).toBe(3);
    await expect(doc.textContent()).resolves.toContain('乳城镇人民政府');
    await expect(doc.textContent()).resolves.toContain('不再要求您补充其他材料');
    await page.evaluate('window.__printed = 0; window.print = () => { window.__printed += 1; }');
    await page.getByTestId('print-now').click();
    expect(await page.evaluate('window.__printed')).toBe(1);
    // On screen: an A4 sheet under the 打印 toolbar (a taller window shows the whole sheet).
    await page.setViewportSize({ width: 1366, height: 1260 });
    await screenshot(page, '30-intake-notice');
    await page.setViewportSize({ width: 1366, height: 768 });
    // On paper only the sheet: the app and the toolbar are hidden by the print stylesheet.
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => page.locator('.intake-print-toolbar').isVisible()).toBe(false);
    await expect.poll(() => page.locator('#root').isVisible()).toBe(false);
    await expect.poll(() => doc.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: /返\s*回/ }).click();
    await page.getByTestId('items-card').waitFor();
  }, 60_000);

  it('records the materials brought and two authorisations, one signed by a guardian', async () => {
    const { page } = clerk;
    await page.getByTestId('receive-materials').click();
    await dialogButton(page, '登记').click();
    await dialogClosed(page);
    await expect.poll(() => page.getByTestId('intake-status').textContent()).toBe('登记');
    await expect(page.getByTestId('notice-card').textContent()).resolves.toContain('材料已补齐');

    const unsigned = page.getByTestId('unsigned-members');
    await unsigned.getByRole('button', { name: new RegExp(`^${data.head.name}`) }).click();
    await expect
      .poll(() => page.getByTestId('authorisation-id-number').inputValue())
      .toBe(data.head.id_number);
    await dialogButton(page, '登记').click();
    await dialogClosed(page);
    await expect.poll(() => page.getByTestId('authorisations-table').textContent()).toContain(data.head.name);

    await unsigned.getByRole('button', { name: new RegExp(`^${data.other.name}`) }).click();
    await page.locator('.ant-modal:visible label', { hasText: '监护人' }).click();
    // Without the guardian's name it is not saved.
    await dialogButton(page, '登记').click();
    await expect.poll(() => page.locator('.ant-modal:visible').textContent()).toContain('请输入监护人姓名');
    await page.getByTestId('signer-name').fill(data.head.name);
    await dialogButton(page, '登记').click();
    await dialogClosed(page);
    const table = page.getByTestId('authorisations-table');
    await expect.poll(() => table.textContent()).toContain(`监护人：${data.head.name}`);
    await expect(table.textContent()).resolves.toContain(data.other.name);

    await page.getByTestId('print-authorisation').click();
    const doc = page.getByTestId('authorisation-document');
    await doc.waitFor();
    await expect(doc.textContent()).resolves.toContain('居民家庭经济状况核对授权书');
    expect(await page.getByTestId('authorisation-row').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: /返\s*回/ }).click();
    await page.getByTestId('items-card').waitFor();
  }, 60_000);

  it('accepts 低保, forwards 住房 to 住建部门, records the reply and informs the applicant → 办结', async () => {
    const { page } = clerk;
    await page.getByTestId('action-rural_dibao-accept').click();
    await dialogButton(page, '受理').click();
    await dialogClosed(page);
    await expect.poll(() => page.getByTestId('item-rural_dibao').textContent()).toContain('已受理');
    await expect(page.getByTestId('intake-status').textContent()).resolves.toBe('办理中');

    await page.getByTestId('action-housing-forward').click();
    await expect.poll(() => page.getByTestId('department').locator('input').inputValue()).toBe('住建部门');
    await dialogButton(page, '转办').click();
    await dialogClosed(page);
    const housing = page.getByTestId('item-housing');
    await expect.poll(() => housing.textContent()).toContain('已转办');
    await expect(housing.textContent()).resolves.toContain('答复期限');
    await expect(page.getByTestId('item-deadline').textContent()).resolves.toContain('工作日');

    await page.getByTestId('action-housing-reply').click();
    await page.getByTestId('reply').fill('已纳入农村危房改造对象，年内安排改造。');
    await dialogButton(page, '登记答复').click();
    await dialogClosed(page);
    await expect.poll(() => housing.textContent()).toContain('部门已答复');

    await page.getByTestId('action-housing-inform').click();
    await dialogButton(page, '已告知申请人').click();
    await dialogClosed(page);
    await expect.poll(() => page.getByTestId('intake-status').textContent()).toBe('办结');
    await expect(housing.textContent()).resolves.toContain('已答复并告知');
    // Toasts stay while the pointer rests on them: move it aside and let them go.
    await page.mouse.move(5, 700);
    await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 15_000 }).toBe(0);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, '31-intake-request');
  }, 60_000);

  it('lists the requests, with an overdue forward to chase', async () => {
    const { page } = clerk;
    // Another request whose forward has passed its due date.
    const created = await apiCall<{ id: number; items: { id: number; version: number; itemCode: string }[] }>(
      page,
      'POST',
      '/api/v1/intake/requests',
      {
        applicantName: data.other.name,
        applicantIdNumber: data.other.id_number,
        channel: 'window',
        description: '子女就读高中，学费负担重',
        items: ['education'],
      },
    );
    expect(created.status).toBe(201);
    const education = created.json.items[0] as { id: number; version: number };
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const fwd = await apiCall(page, 'POST', `/api/v1/intake/items/${education.id}/forward`, {
      version: education.version,
      department: '教育部门',
      dueOn: today,
    });
    expect(fwd.status).toBe(200);
    const past = new Date(Date.now() + 8 * 3_600_000 - 6 * 86_400_000).toISOString().slice(0, 10);
    makeOverdue(server, education.id, past);

    await page.goto(`${server.url}/intake`);
    const results = page.getByTestId('intake-results');
    await expect
      .poll(() => page.getByTestId('intake-link').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    await expect(results.textContent()).resolves.toContain('办结');
    await expect(results.textContent()).resolves.toContain('转办超期');
    await expect.poll(() => page.getByTestId('overdue-forwards').textContent()).toContain('已超期');
    await expect(page.getByTestId('overdue-forwards').textContent()).resolves.toContain('教育部门');
    await screenshot(page, '32-intake-list');

    // The filter for overdue forwards keeps only that one.
    await page.getByText('只看转办已超期的').click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(/overdue=true/);
    await expect.poll(() => page.getByTestId('intake-link').allTextContents()).toEqual([data.other.name]);
    // And the first request opens from the list.
    await page.goto(requestUrl);
    await expect.poll(() => page.getByTestId('intake-status').textContent()).toBe('办结');
  }, 60_000);
});
