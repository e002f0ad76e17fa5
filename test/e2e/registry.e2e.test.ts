/**
 * 救助对象 in a real browser: search by ID number (full and trailing digits), the household record with
 * the close-relative warning, revealing an ID number (and finding that read in the audit log), editing a
 * member with the ID checked as it is typed, the change history, a stale version, another town's
 * household refused, a new household through the form, and the tablet layout for a 村级协理员.
 * Screenshots 10–16 go to test-output/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPLOYMENT_STATUS } from '../../src/domain/household/person-attributes.ts';
import { buildResidentId, checkCharacter } from '../../src/domain/identity/resident-id.ts';
import {
  type Browser,
  type E2EServer,
  login,
  openBrowser,
  SCREENSHOTS,
  screenshot,
  startServer,
} from './harness.ts';

const RUCHENG = '440232100';
const DAQIAO = '440232109';

interface PersonRow {
  id: number;
  id_number: string;
  name: string;
  employment_status: string;
  version: number;
  phone: string | null;
}

/** The browser globals used inside page.evaluate (the test project compiles without the DOM library). */
interface PageGlobals {
  document: { cookie: string };
}

function openDb(server: E2EServer) {
  return new Database(server.databaseUrl.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
}

function person(server: E2EServer, id: number): PersonRow {
  const db = openDb(server);
  try {
    return db
      .prepare('select id, id_number, name, employment_status, version, phone from person where id = ?')
      .get(id) as PersonRow;
  } finally {
    db.close();
  }
}

/** A 乳城镇 household with at least two living members (one on the close-relative register if any). */
function pickData(server: E2EServer) {
  const db = openDb(server);
  try {
    const household = db
      .prepare(
        `select h.id as householdId, p.id as headId, p.id_number as headIdNumber, p.name as headName
           from household h join person p on p.id = h.head_person_id
          where h.town_code = ? and p.death_date is null
            and (select count(*) from household_member hm join person q on q.id = hm.person_id
                  where hm.household_id = h.id and hm.valid_to is null and q.death_date is null) >= 2
          order by exists (select 1 from household_member hm join person q on q.id = hm.person_id
                             join staff_relative sr on sr.id_number = q.id_number
                            where hm.household_id = h.id and hm.valid_to is null) desc, h.id
          limit 1`,
      )
      .get(RUCHENG) as { householdId: number; headId: number; headIdNumber: string; headName: string };
    const member = db
      .prepare(
        `select q.id from household_member hm join person q on q.id = hm.person_id
          where hm.household_id = ? and hm.valid_to is null and q.death_date is null and q.id <> ?
          order by q.birth_date limit 1`,
      )
      .get(household.householdId, household.headId) as { id: number };
    const daqiao = db
      .prepare('select id from household where town_code = ? order by id limit 1')
      .get(DAQIAO) as {
      id: number;
    };
    return { ...household, memberId: member.id, daqiaoId: daqiao.id };
  } finally {
    db.close();
  }
}

/** A valid ID number not yet registered. */
function freshId(server: E2EServer, birthDate: string, female: boolean): string {
  const db = openDb(server);
  try {
    for (let seq = female ? 802 : 801; seq < 1000; seq += 2) {
      const id = buildResidentId({ addressCode: '440232', birthDate, sequence: seq });
      if (!db.prepare('select 1 from person where id_number = ?').get(id)) return id;
    }
    throw new Error('no free ID number');
  } finally {
    db.close();
  }
}

/** The same number with a wrong check character. */
function withWrongCheck(id: string): { wrong: string; expected: string; actual: string } {
  const expected = checkCharacter(id.slice(0, 17));
  const actual = expected === '1' ? '2' : '1';
  return { wrong: id.slice(0, 17) + actual, expected, actual };
}

function formItem(scope: Page | Locator, label: string): Locator {
  return scope.locator(`.ant-form-item:has(label[title="${label}"])`);
}

/** Opens an antd Select and clicks the option with that text. */
async function pick(page: Page, select: Locator, option: string): Promise<void> {
  // Under load the dropdown may still be animating when clicked: try again until the value shows.
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
    try {
      await expect.poll(() => select.textContent(), { timeout: 3000 }).toContain(option);
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/** The same, for the Select under a form label. */
async function choose(page: Page, scope: Page | Locator, label: string, option: string): Promise<void> {
  await pick(page, formItem(scope, label).locator('.ant-select'), option);
}

/** A whole-page screenshot taken from the top (the header and menu are sticky). */
async function pageShot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

/** What the clerk sees on the screen right now (a dialog, or the part of the page scrolled to). */
async function screenShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const employment = EMPLOYMENT_STATUS as Record<string, string>;

describe('救助对象 (registry) in the browser', () => {
  let server: E2EServer;
  let clerk: Browser;
  let data: ReturnType<typeof pickData>;

  beforeAll(async () => {
    server = await startServer();
    data = pickData(server);
    clerk = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await clerk?.close();
    await server?.stop();
  });

  it('finds a household by full ID number and by its last 6 digits, and opens it', async () => {
    const { page } = clerk;
    await login(page, server, 'rucheng_jingban');
    await page.goto(`${server.url}/registry`);
    // A town clerk's town is chosen for them.
    await expect.poll(() => formItem(page, '乡镇').textContent()).toContain('乳城镇');

    await page.getByTestId('search-id-number').fill(data.headIdNumber);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(new RegExp(`idNumber=${data.headIdNumber}`));
    await expect.poll(() => page.getByTestId('household-link').allTextContents()).toEqual([data.headName]);
    // The list shows the number masked, as the server sends it.
    const row = page.locator('.ant-table-row', { hasText: data.headName });
    await expect(row.textContent()).resolves.toContain(`${data.headIdNumber.slice(0, 6)}********`);

    const last6 = data.headIdNumber.slice(-6);
    await page.getByTestId('search-id-number').fill(last6);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(new RegExp(`idNumber=${last6}(&|$)`));
    await expect
      .poll(() => page.locator(`a[href="/registry/households/${data.householdId}"]`).count())
      .toBeGreaterThan(0);
    await pageShot(page, '10-registry-search');

    // The filters live in the URL: back shows the previous search again, reload keeps the current one.
    await page.goBack();
    await expect.poll(() => page.getByTestId('search-id-number').inputValue()).toBe(data.headIdNumber);
    await page.goForward();
    await page.reload();
    await expect.poll(() => page.getByTestId('search-id-number').inputValue()).toBe(last6);

    await page.locator(`a[href="/registry/households/${data.householdId}"]`).first().click();
    await page.waitForURL(new RegExp(`/registry/households/${data.householdId}$`));
    await expect(page.getByTestId('household-title').textContent()).resolves.toContain(data.headName);
    await expect(page.getByTestId('members-table').textContent()).resolves.toContain(data.headName);
    await page.getByTestId('history').or(page.getByText('暂无变更记录')).first().waitFor();
    await pageShot(page, '11-household');
  }, 90_000);

  it('shows a full ID number on request, and the county admin finds that read in the audit log', async () => {
    const { page } = clerk;
    const value = page.getByTestId(`member-${data.headId}-id-value`);
    await expect(value.textContent()).resolves.not.toBe(data.headIdNumber);
    await page.getByTestId(`member-${data.headId}-id-show`).hover();
    await expect(page.getByRole('tooltip').textContent()).resolves.toContain('记入审计日志');
    await page.getByTestId(`member-${data.headId}-id-show`).click();
    await expect.poll(() => value.textContent()).toBe(data.headIdNumber);

    const admin = await openBrowser();
    try {
      await login(admin.page, server, 'xian_admin');
      const audit = await admin.page.evaluate(() =>
        fetch('/api/v1/audit?action=person.reveal').then((r) => r.json()),
      );
      const entries = (audit as { items: { username: string; entity_id: string; action: string }[] }).items;
      expect(
        entries.some(
          (e) =>
            e.username === 'rucheng_jingban' &&
            e.entity_id === String(data.headId) &&
            e.action === 'person.reveal',
        ),
      ).toBe(true);
    } finally {
      await admin.close();
    }
  }, 60_000);

  it('checks an ID number as it is typed and refuses to save a wrong check character', async () => {
    const { page } = clerk;
    const before = person(server, data.memberId);
    await page.getByTestId(`edit-member-${data.memberId}`).click();
    const modal = page.getByTestId('member-edit-form');
    await modal.waitFor();
    await page.getByTestId('toggle-change-id').click();
    const input = page.getByTestId('edit-id-number');
    // Changing the number starts from the full current number (read on purpose, audited).
    await expect.poll(() => input.inputValue()).toBe(before.id_number);

    const { wrong, expected, actual } = withWrongCheck(before.id_number);
    await input.fill(wrong);
    const item = page.locator('.ant-form-item', { has: input });
    await expect
      .poll(() => item.locator('.ant-form-item-explain-error').textContent())
      .toContain(`校验位错误：第18位应为 ${expected}，实际为 ${actual}`);
    await expect(page.getByTestId('edit-id-number-birth-date').inputValue()).resolves.toBe('');

    const patches: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'PATCH') patches.push(r.url());
    };
    page.on('request', onRequest);
    await page.getByTestId('save-member').click();
    await page.waitForTimeout(800);
    page.off('request', onRequest);
    expect(patches).toEqual([]);
    await expect(item.locator('.ant-form-item-explain-error').textContent()).resolves.toContain('校验位错误');
    await screenShot(page, '12-member-invalid-id');
    const after = person(server, data.memberId);
    expect(after.version).toBe(before.version);
    expect(after.id_number).toBe(before.id_number);

    // The right number again: the birth date and sex it encodes appear beside it.
    await input.fill(before.id_number);
    await expect.poll(() => item.locator('.ant-form-item-explain-error').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('edit-id-number-birth-date').inputValue())
      .toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }, 60_000);

  it('saves a correct change and shows it in 变更记录 as old → new', async () => {
    const { page } = clerk;
    const before = person(server, data.memberId);
    const modal = page.getByTestId('member-edit-form');
    await page.getByTestId('toggle-change-id').click(); // keep the ID number as it is
    const next = before.employment_status === 'unemployed' ? 'employed' : 'unemployed';
    await choose(page, modal, '就业状况', employment[next] as string);
    await formItem(modal, '联系电话').locator('input').fill('13912345678');
    await page.getByTestId('save-member').click();
    await page.locator('.ant-message').getByText('已保存').waitFor();
    await modal.waitFor({ state: 'detached' });

    const after = person(server, data.memberId);
    expect(after.employment_status).toBe(next);
    expect(after.phone).toBe('13912345678');
    expect(after.version).toBe(before.version + 1);
    expect(after.id_number).toBe(before.id_number);

    const line = `就业状况：${employment[before.employment_status]} → ${employment[next]}`;
    await expect.poll(() => page.getByTestId('history').textContent()).toContain(line);
    const entry = page.getByTestId('history-entry').filter({ hasText: line });
    await expect(entry.textContent()).resolves.toContain(before.name);
    await expect(entry.textContent()).resolves.toContain('修改人员信息');
    await expect(entry.textContent()).resolves.toContain('联系电话：');
    await expect(entry.textContent()).resolves.toContain('139****5678');
    await expect(page.getByTestId(`member-row-${data.memberId}`).textContent()).resolves.toContain(
      employment[next],
    );
    // The member's row and the history on one screen, below the sticky header.
    await page.locator('.ant-message-notice').waitFor({ state: 'detached' });
    const scrollMembersTo130 =
      "(() => { const el = document.querySelector('[data-testid=members-table]'); " +
      'window.scrollBy(0, el.getBoundingClientRect().top - 100); return Math.round(el.getBoundingClientRect().top); })()';
    await expect.poll(() => page.evaluate(scrollMembersTo130)).toBe(100);
    await screenShot(page, '13-household-history');
  }, 60_000);

  it('tells the clerk when someone else changed the member meanwhile, and reloads fresh values', async () => {
    const { page } = clerk;
    await page.getByTestId(`edit-member-${data.memberId}`).click();
    const modal = page.getByTestId('member-edit-form');
    await modal.waitFor();
    await choose(page, modal, '就业状况', '退休');

    const current = person(server, data.memberId);
    const status = await page.evaluate(
      async ({ id, version }) => {
        const { document } = globalThis as unknown as PageGlobals;
        const token =
          document.cookie
            .split('; ')
            .find((c) => c.startsWith('jiuzhu_csrf='))
            ?.slice('jiuzhu_csrf='.length) ?? '';
        const res = await fetch(`/api/v1/persons/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', 'x-csrf-token': token },
          body: JSON.stringify({ version, phone: '13700001111' }),
        });
        return res.status;
      },
      { id: data.memberId, version: current.version },
    );
    expect(status).toBe(200);

    await page.getByTestId('save-member').click();
    const alert = page.getByTestId('stale-alert');
    await expect.poll(() => alert.textContent()).toContain('已被其他人修改');
    expect(person(server, data.memberId).employment_status).toBe(current.employment_status);

    await page.getByTestId('stale-reload').click();
    await alert.waitFor({ state: 'detached' });
    // The form starts again from the fresh record; the change can now be made and saved.
    await expect
      .poll(() => formItem(modal, '就业状况').locator('.ant-select').textContent())
      .toContain(employment[current.employment_status]);
    await choose(page, modal, '就业状况', '退休');
    await page.getByTestId('save-member').click();
    await modal.waitFor({ state: 'detached' });
    const final = person(server, data.memberId);
    expect(final.employment_status).toBe('retired');
    expect(final.phone).toBe('13700001111');
  }, 60_000);

  it("refuses another town's household with 无权访问", async () => {
    const { page } = clerk;
    await page.goto(`${server.url}/registry/households/${data.daqiaoId}`);
    const result = page.getByTestId('error-result');
    await expect.poll(() => result.textContent()).toContain('无权访问');
    await expect(result.textContent()).resolves.toContain('不在您的管辖区域内');
    await pageShot(page, '14-forbidden');
  }, 30_000);

  it('creates a household with two members through the form', async () => {
    const { page } = clerk;
    const headId = freshId(server, '1978-03-15', false);
    const spouseId = freshId(server, '1980-07-20', true);
    await page.goto(`${server.url}/registry`);
    await page.getByRole('button', { name: /新建家庭/ }).click();
    await page.waitForURL(/\/registry\/households\/new$/);
    const form = page.getByTestId('household-create-form');
    await expect.poll(() => formItem(form, '乡镇').textContent()).toContain('乳城镇');
    await page.getByTestId('create-village').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await pick(page, page.getByTestId('create-hukou'), '农村');
    await page.getByTestId('create-address').fill('乳城镇测试新村8号');
    await page.getByTestId('member-0-name').fill('黄志明');
    await page.getByTestId('member-0-id-number').fill(headId);
    await expect
      .poll(() => page.getByTestId('member-0-id-number-birth-date').inputValue())
      .toBe('1978-03-15');
    await expect(page.getByTestId('member-0-id-number-sex').inputValue()).resolves.toBe('男');

    await page.getByTestId('add-member-row').click();
    const second = page.getByTestId('member-card-1');
    await choose(page, second, '与户主关系', '配偶');
    await page.getByTestId('member-1-name').fill('李秀英');
    const { wrong, expected } = withWrongCheck(spouseId);
    const idInput = page.getByTestId('member-1-id-number');
    await idInput.fill(wrong);
    const idItem = page.locator('.ant-form-item', { has: idInput });
    await expect
      .poll(() => idItem.locator('.ant-form-item-explain-error').textContent())
      .toContain(`第18位应为 ${expected}`);
    await idInput.fill(spouseId);
    await expect.poll(() => idItem.locator('.ant-form-item-explain-error').count()).toBe(0);
    await expect.poll(() => page.getByTestId('member-1-id-number-sex').inputValue()).toBe('女');

    await page.getByTestId('save-household').click();
    await page.waitForURL(/\/registry\/households\/\d+$/);
    await expect.poll(() => page.getByTestId('household-title').textContent()).toContain('黄志明');
    const members = await page.getByTestId('members-table').textContent();
    expect(members).toContain('李秀英');
    expect(members).toContain('配偶');
    await expect.poll(() => page.getByTestId('history').textContent()).toContain('新建家庭');
    await pageShot(page, '15-household-new');
  }, 60_000);

  it('works on a tablet for a 村级协理员, without the 显示 link (no reveal permission)', async () => {
    const tablet = await openBrowser({ width: 820, height: 1180 });
    try {
      const { page } = tablet;
      await login(page, server, 'rucheng_xieli');
      await page.goto(`${server.url}/registry?idNumber=${data.headIdNumber.slice(-6)}`);
      await page.locator(`a[href="/registry/households/${data.householdId}"]`).first().click();
      await expect.poll(() => page.getByTestId('household-title').textContent()).toContain(data.headName);
      await page.getByTestId('members-table').waitFor();
      expect(await page.locator('[data-testid$="-id-show"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: /^显\s*示$/ }).count()).toBe(0);
      expect(await page.getByTestId('edit-household').count()).toBe(0);
      expect(await page.getByTestId('add-member').count()).toBe(0);
      await pageShot(page, '16-tablet-household');
    } finally {
      await tablet.close();
    }
  }, 60_000);
});
