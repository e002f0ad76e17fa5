/**
 * 近亲属备案 in a real browser (DOMAIN §10; 审核确认办法 Art. 20): a 乳城镇 household with a registered
 * close relative of a staff member applies for 低保 after the county delegated confirmation of that
 * program to the towns. The file is taken to 待县审核 through the API from the pages (as the web app
 * does, with the session's CSRF token); then in the browser: the case page warns 近亲属备案, the town
 * reviewer (who could confirm under delegation) finds 确认同意 disabled because the county must confirm,
 * the county approver finds it disabled until the county home visit (入户) is recorded, records it, and
 * confirms. Screenshots 80–81 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const RUCHENG = '440232100';

interface HouseholdRow {
  id: number;
  hukouType: 'rural' | 'urban';
  headName: string;
}

function openDb(server: E2EServer) {
  return new Database(server.databaseUrl.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
}

/**
 * A 乳城镇 household, on no program and with no case, with a current member registered as a staff
 * member's close relative — a staff member who is none of the users acting here (no recusal).
 */
function closeRelativeHousehold(server: E2EServer, actors: string[]): HouseholdRow | undefined {
  const db = openDb(server);
  try {
    return db
      .prepare(
        `select h.id, h.hukou_type as hukouType, p.name as headName
           from household h join person p on p.id = h.head_person_id
          where h.town_code = ? and p.death_date is null
            and not exists (select 1 from enrolment e where e.household_id = h.id)
            and not exists (select 1 from case_file c where c.household_id = h.id)
            and exists (select 1 from household_member hm join person q on q.id = hm.person_id
                          join staff_relative sr on sr.id_number = q.id_number
                         where hm.household_id = h.id and hm.valid_to is null)
            and not exists (select 1 from household_member hm join person q on q.id = hm.person_id
                              join staff_relative sr on sr.id_number = q.id_number
                              join staff s on s.id = sr.staff_id
                              join app_user u on u.id = s.user_id
                             where hm.household_id = h.id and hm.valid_to is null
                               and u.username in (${actors.map(() => '?').join(', ')}))
          order by h.id limit 1`,
      )
      .get(RUCHENG, ...actors) as HouseholdRow | undefined;
  } finally {
    db.close();
  }
}

function userId(server: E2EServer, username: string): number {
  const db = openDb(server);
  try {
    return (db.prepare('select id from app_user where username = ?').get(username) as { id: number }).id;
  } finally {
    db.close();
  }
}

interface ApiResult {
  status: number;
  body: Record<string, unknown>;
}

/** Calls the API as the web app does: from the page, with the session's CSRF token. */
async function api(page: Page, method: string, path: string, payload?: unknown): Promise<ApiResult> {
  return (await page.evaluate(
    async ({ method, path, payload }) => {
      const cookie = (globalThis as unknown as { document: { cookie: string } }).document.cookie
        .split('; ')
        .find((c: string) => c.startsWith('jiuzhu_csrf='));
      const token = decodeURIComponent(cookie ? cookie.slice('jiuzhu_csrf='.length) : '');
      const res = await fetch(path, {
        method,
        headers:
          payload === undefined
            ? { 'x-csrf-token': token }
            : { 'content-type': 'application/json', 'x-csrf-token': token },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    { method, path, payload },
  )) as ApiResult;
}

function formItem(scope: Page | Locator, label: string): Locator {
  return scope.locator(`.ant-form-item:has(label[title="${label}"])`);
}

/** The open dialog (antd keeps closed ones in the DOM, hidden). */
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

/** A whole-page screenshot from the top, once loading spinners and toasts are gone. */
async function shot(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => page.locator('.ant-spin-spinning, .ant-message-notice').count(), { timeout: 10_000 })
    .toBe(0);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(300);
  await screenshot(page, name);
}

async function caseState(page: Page): Promise<string> {
  return (await page.getByTestId('case-state').textContent()) ?? '';
}

async function openCase(page: Page, server: E2EServer, caseId: number): Promise<void> {
  await page.goto(`${server.url}/approval/cases/${caseId}`);
  await page.getByTestId('case-state').waitFor();
}

describe('近亲属备案 case in the browser: county confirmation and county home visit', () => {
  let server: E2EServer;
  let admin: Browser;
  let clerk: Browser;
  let reviewer: Browser;
  let approver: Browser;
  let household: HouseholdRow;
  let caseId: number;

  beforeAll(async () => {
    server = await startServer();
    const found = closeRelativeHousehold(server, ['rucheng_jingban', 'rucheng_shenhe', 'xian_shenpi']);
    expect(found, 'a 乳城镇 household with a registered close relative').toBeDefined();
    household = found as HouseholdRow;
    admin = await openBrowser();
    clerk = await openBrowser();
    reviewer = await openBrowser();
    approver = await openBrowser();
    await login(admin.page, server, 'xian_admin');
    await login(clerk.page, server, 'rucheng_jingban');
    await login(reviewer.page, server, 'rucheng_shenhe');
    await login(approver.page, server, 'xian_shenpi');
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    await clerk?.close();
    await reviewer?.close();
    await approver?.close();
    await server?.stop();
  });

  it('takes the application under delegation to 待县审核 through the API from the pages', async () => {
    const program = household.hukouType === 'urban' ? 'urban_dibao' : 'rural_dibao';
    const settings = await api(admin.page, 'PUT', '/api/v1/settings/workflow', {
      delegation: { [program]: 'town' },
      temporaryAidTownApprovalLimitFen: null,
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    expect((settings.body.delegation as Record<string, string>)[program]).toBe('town');

    const opened = await api(clerk.page, 'POST', '/api/v1/cases', {
      programCode: program,
      householdId: household.id,
      acceptedOn: '2026-03-02',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    caseId = opened.body.id as number;
    let version = opened.body.version as number;
    const c0 = await api(clerk.page, 'GET', `/api/v1/cases/${caseId}`);
    expect(c0.body.facts).toMatchObject({ closeRelative: true, delegatedToTown: true });

    const step = async (page: Page, action: string, decidedOn: string, input: object = {}) => {
      const res = await api(page, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, {
        version,
        decidedOn,
        input,
      });
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
      version = res.body.version as number;
    };
    await step(clerk.page, 'start_investigation', '2026-03-03');
    const team = await api(clerk.page, 'POST', `/api/v1/cases/${caseId}/facts`, {
      version,
      fact: {
        kind: 'investigation',
        investigatorUserIds: [userId(server, 'rucheng_jingban'), userId(server, 'rucheng_shenhe')],
        findings: '入户调查：家庭成员均在家，主要收入为务农',
      },
    });
    expect(team.status, JSON.stringify(team.body)).toBe(200);
    version = team.body.version as number;
    await step(reviewer.page, 'submit_opinion', '2026-03-05', {
      opinion: 'grant',
      reasons: '家庭人均收入低于当地低保标准',
    });
    await step(clerk.page, 'start_public_notice', '2026-03-06');
    await step(clerk.page, 'submit_to_county', '2026-03-13');

    await openCase(clerk.page, server, caseId);
    expect(await caseState(clerk.page)).toBe('待县审核');
  });

  it('warns 近亲属备案 on the case page', async () => {
    const page = clerk.page;
    const alert = page.getByTestId('close-relative-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('近亲属备案家庭');
    expect(await alert.textContent()).toContain('县级');
  });

  it('does not let the town reviewer confirm it, though the county delegated confirmation', async () => {
    const page = reviewer.page;
    await openCase(page, server, caseId);
    await page.getByTestId('close-relative-alert').waitFor();
    const confirm = page.getByTestId('action-confirm');
    await confirm.waitFor();
    expect(await confirm.getAttribute('data-allowed')).toBe('false');
    expect(await confirm.locator('button', { hasText: '确认同意' }).isDisabled()).toBe(true);
    const reasons = (await confirm.getByTestId('refusal').allTextContents()).join(' ');
    expect(reasons).toContain('县级');
    expect(reasons).toContain('近亲属备案家庭须由县级民政部门审核确认');
    await shot(page, '80-close-relative-town');
  });

  it('lets the county approver confirm it only after recording the county home visit', async () => {
    const page = approver.page;
    await openCase(page, server, caseId);
    const confirm = page.getByTestId('action-confirm');
    await confirm.waitFor();
    expect(await confirm.getAttribute('data-allowed')).toBe('false');
    expect(await confirm.locator('button', { hasText: '确认同意' }).isDisabled()).toBe(true);
    const refusal = confirm.getByTestId('refusal').filter({ hasText: '入户' });
    expect(await refusal.textContent()).toContain('须先登记县级入户核查');

    await refusal.getByRole('button', { name: '登记县级入户核查' }).click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.getByTestId('fact-text').fill('县级入户核查：家庭成员、收入与财产情况属实');
    await modal.getByRole('button', { name: /登\s*记/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => confirm.getAttribute('data-allowed')).toBe('true');

    const button = confirm.locator('button', { hasText: '确认同意' });
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    const form = dialog(page);
    await form.waitFor();
    await setDate(form, '办理日期', '2026-03-17');
    await form.getByRole('button', { name: '确定办理' }).click();
    await form.waitFor({ state: 'hidden' });
    await expect.poll(() => caseState(page)).toBe('确认同意');
    expect(await page.getByTestId('next-step').textContent()).toContain('本案已办结：确认同意');
    await shot(page, '81-close-relative-county');
  });
});
