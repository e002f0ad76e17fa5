/**
 * 在保对象变更或终止 in a real browser: a 乳城镇 农村特困 person's death is recorded on a termination case
 * opened from the 受理申请 dialog against the active enrolment, the county approves the termination and
 * support stops from the month after the death. Also the printable 申请审批表 of a new 农村低保 application
 * (ID numbers masked, the applicant's promise). Screenshots 70–71 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const RUCHENG = '440232100';

function openDb(server: E2EServer) {
  return new Database(server.databaseUrl.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
}

function query<T>(server: E2EServer, sql: string, ...args: unknown[]): T | undefined {
  const db = openDb(server);
  try {
    return db.prepare(sql).get(...args) as T | undefined;
  } finally {
    db.close();
  }
}

interface TekunRow {
  enrolmentId: number;
  householdId: number;
  personId: number;
  personName: string;
  headName: string;
  headIdNumber: string;
}

interface HouseholdRow {
  id: number;
  headName: string;
  headIdNumber: string;
}

/** An active 农村特困 enrolment in 乳城镇 of a living person, with a living head and no open case. */
function tekunEnrolment(server: E2EServer): TekunRow | undefined {
  return query<TekunRow>(
    server,
    `select e.id as enrolmentId, h.id as householdId, p.id as personId, p.name as personName,
            hp.name as headName, hp.id_number as headIdNumber
       from enrolment e join household h on h.id = e.household_id
       join person p on p.id = e.person_id
       join person hp on hp.id = h.head_person_id
      where e.program_code = 'rural_tekun' and e.status = 'active' and h.town_code = ?
        and p.death_date is null and hp.death_date is null
        and not exists (select 1 from case_file c where c.household_id = h.id)
        and not exists (select 1 from household_member hm join person q on q.id = hm.person_id
                          join staff_relative sr on sr.id_number = q.id_number
                         where hm.household_id = h.id and hm.valid_to is null)
      order by e.id limit 1`,
    RUCHENG,
  );
}

/** A 乳城镇 household on no program, with no case and no close relative, whose head is alive. */
function freeHousehold(server: E2EServer): HouseholdRow | undefined {
  return query<HouseholdRow>(
    server,
    `select h.id, p.name as headName, p.id_number as headIdNumber
       from household h join person p on p.id = h.head_person_id
      where h.town_code = ? and p.death_date is null
        and not exists (select 1 from enrolment e where e.household_id = h.id)
        and not exists (select 1 from case_file c where c.household_id = h.id)
        and not exists (select 1 from household_member hm join person q on q.id = hm.person_id
                          join staff_relative sr on sr.id_number = q.id_number
                         where hm.household_id = h.id and hm.valid_to is null)
      order by h.id desc limit 1`,
    RUCHENG,
  );
}

/** A request from the logged-in page, as the web app makes it (session cookie + CSRF header). */
async function call(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: { id?: number; error?: { message: string } } }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const token = (globalThis as unknown as { document: { cookie: string } }).document.cookie
        .split('; ')
        .find((c: string) => c.startsWith('jiuzhu_csrf='))
        ?.slice('jiuzhu_csrf='.length);
      const res = await fetch(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { 'x-csrf-token': decodeURIComponent(token) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { id?: number; error?: { message: string } } };
    },
    { method, path, body },
  );
}

function formItem(scope: Page | Locator, label: string): Locator {
  return scope.locator(`.ant-form-item:has(label[title="${label}"])`);
}

function dialog(page: Page): Locator {
  return page.locator('.ant-modal-wrap:visible .ant-modal');
}

async function setDate(scope: Locator, label: string, date: string): Promise<void> {
  const input = formItem(scope, label).locator('input');
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await expect.poll(() => input.inputValue()).toBe(date);
}

async function caseState(page: Page): Promise<string> {
  return (await page.getByTestId('case-state').textContent()) ?? '';
}

async function act(
  page: Page,
  code: string,
  decidedOn: string,
  expectedState: string,
  fill?: (modal: Locator) => Promise<void>,
): Promise<void> {
  const button = page.getByTestId(`action-${code}`).getByRole('button');
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  const modal = dialog(page);
  await modal.waitFor();
  if (fill) await fill(modal);
  await setDate(modal, '办理日期', decidedOn);
  await modal.getByRole('button', { name: '确定办理' }).click();
  await modal.waitFor({ state: 'hidden' });
  await expect.poll(() => caseState(page)).toBe(expectedState);
}

async function shot(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => page.locator('.ant-spin-spinning, .ant-message-notice').count(), { timeout: 10_000 })
    .toBe(0);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(300);
  await screenshot(page, name);
}

describe('在保对象终止 and the printable 申请审批表', () => {
  let server: E2EServer;
  let clerk: Browser;
  let approver: Browser;
  let tekun: TekunRow;
  let caseId: number;

  beforeAll(async () => {
    server = await startServer();
    const found = tekunEnrolment(server);
    expect(found, 'an active 农村特困 enrolment in 乳城镇').toBeDefined();
    tekun = found as TekunRow;
    clerk = await openBrowser();
    approver = await openBrowser();
    await login(clerk.page, server, 'rucheng_jingban');
    await login(approver.page, server, 'xian_shenpi');
  }, 120_000);

  afterAll(async () => {
    await clerk?.close();
    await approver?.close();
    await server?.stop();
  });

  it('opens a termination case against the active 特困 enrolment', async () => {
    const page = clerk.page;
    await page.goto(`${server.url}/approval`);
    await page.getByTestId('case-list').waitFor();
    await page.getByTestId('open-case').click();
    const modal = dialog(page);
    await modal.waitFor();
    await formItem(modal, '救助项目').getByText('农村特困供养', { exact: true }).click();
    const select = formItem(modal, '申请家庭').locator('.ant-select');
    await select.click();
    await select.locator('input').fill(tekun.headIdNumber);
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await expect.poll(() => option.textContent(), { timeout: 10_000 }).toContain(tekun.headName);
    await option.click();
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    // The household is on 农村特困: the dialog offers 新申请 / 在保对象变更或终止.
    const kind = modal.getByTestId('case-kind');
    await kind.waitFor();
    await kind.getByText('在保对象变更或终止').click();
    const person = formItem(modal, '特困供养对象').locator('.ant-select');
    await person.click();
    const personOption = page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: tekun.personName })
      .first();
    await personOption.click();
    await expect.poll(() => person.textContent()).toContain(tekun.personName);
    await setDate(modal, '受理日期', '2026-05-12');
    await expect.poll(() => formItem(modal, '受理日期').textContent()).toContain('终止');
    await modal.getByRole('button', { name: /受\s*理/ }).click();
    await page.waitForURL(/\/approval\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('case-state').waitFor();
    expect(await caseState(page)).toBe('在供养');
    const row = query<{ enrolment_id: number; procedure: string; person_id: number }>(
      server,
      'select enrolment_id, procedure, person_id from case_file where id = ?',
      caseId,
    );
    expect(row).toEqual({
      enrolment_id: tekun.enrolmentId,
      procedure: 'tekun_termination',
      person_id: tekun.personId,
    });
    // A termination case has no application form.
    expect(await page.getByTestId('print-application').count()).toBe(0);
  });

  it('records the death and the county approves the termination', async () => {
    const page = clerk.page;
    await act(page, 'record_death', '2026-05-12', '待县级审批终止', async (modal) => {
      await setDate(modal, '死亡日期', '2026-05-10');
    });
    const county = approver.page;
    await county.goto(`${server.url}/approval/cases/${caseId}`);
    await county.getByTestId('case-state').waitFor();
    await act(county, 'approve_termination', '2026-05-20', '已终止供养');
    const enrolment = query<{ status: string; end_month: string; end_reason: string | null }>(
      server,
      'select status, end_month, end_reason from enrolment where id = ?',
      tekun.enrolmentId,
    );
    // Paid up to May; support stops from June, the month after the death.
    expect(enrolment?.status).toBe('ended');
    expect(enrolment?.end_month).toBe('2026-05');
    await shot(county, '70-tekun-terminated');
  });

  it('prints the 申请审批表 of a new 农村低保 application', async () => {
    const page = clerk.page;
    const h = freeHousehold(server);
    expect(h, 'a free household in 乳城镇').toBeDefined();
    const household = h as HouseholdRow;
    const opened = await call(page, 'POST', '/api/v1/cases', {
      programCode: 'rural_dibao',
      householdId: household.id,
      acceptedOn: '2026-05-12',
    });
    expect(opened.status, opened.body.error?.message).toBe(201);
    await page.goto(`${server.url}/approval/cases/${opened.body.id}`);
    await page.getByTestId('case-state').waitFor();
    await page.getByTestId('print-application').click();
    await page.waitForURL(/print=application/);
    const doc = page.getByTestId('application-document');
    await doc.waitFor();
    expect(await doc.locator('h1').textContent()).toBe('最低生活保障申请审批表');
    const ids = await doc.getByTestId('member-id-number').allTextContents();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(ids.join('')).not.toContain(household.headIdNumber);
    const promise = (await doc.getByTestId('application-promise').textContent()) ?? '';
    expect(promise).toContain('本人承诺以上信息真实、完整');
    expect(promise).toContain('如有虚报、隐瞒、伪造，愿承担相应法律责任');
    const text = (await doc.textContent()) ?? '';
    for (const part of ['申请人签字', '困难情况', '乡镇审核意见', '县级审核确认意见', '户口性质']) {
      expect(text).toContain(part);
    }
    expect(text).toContain(household.headName);
    await page.waitForTimeout(300);
    await screenshot(page, '71-application-form');
    await page.getByRole('button', { name: /返\s*回/ }).click();
    await expect.poll(() => page.url()).not.toContain('print=');
  });
});
