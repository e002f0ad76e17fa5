/**
 * Printable documents of 审核审批 in a real browser: the town's 公示名单 (names partly masked, never an ID
 * number) and the county's 决定书 of a refusal, with its reasons and the appeal information
 * (DOMAIN §16). The cases are driven through the API from the logged-in pages, with dates as from paper
 * files (March 2026). Screenshots 50–51 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskNameForNotice } from '../../src/domain/household/masking.ts';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const RUCHENG = '440232100';

function openDb(server: E2EServer) {
  return new Database(server.databaseUrl.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
}

interface HouseholdRow {
  id: number;
  headName: string;
  headIdNumber: string;
}

/** 乳城镇 households on no program, with no case and no close relative, whose head is alive. */
function freeHouseholds(server: E2EServer): HouseholdRow[] {
  const db = openDb(server);
  try {
    return db
      .prepare(
        `select h.id, p.name as headName, p.id_number as headIdNumber
           from household h join person p on p.id = h.head_person_id
          where h.town_code = ? and p.death_date is null
            and not exists (select 1 from enrolment e where e.household_id = h.id)
            and not exists (select 1 from case_file c where c.household_id = h.id)
            and not exists (select 1 from household_member hm join person q on q.id = hm.person_id
                              join staff_relative sr on sr.id_number = q.id_number
                             where hm.household_id = h.id and hm.valid_to is null)
          order by h.id limit 2`,
      )
      .all(RUCHENG) as HouseholdRow[];
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
  body: { id?: number; version?: number; error?: { message: string } };
}

/** A request from the logged-in page, as the web app makes it (session cookie + CSRF header). */
async function call(page: Page, method: string, path: string, body?: unknown): Promise<ApiResult> {
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
      return { status: res.status, body: (await res.json()) as ApiResult['body'] };
    },
    { method, path, body },
  );
}

describe('printable 公示名单 and 决定书', () => {
  let server: E2EServer;
  let clerk: Browser;
  let reviewer: Browser;
  let approver: Browser;
  let households: HouseholdRow[];
  const cases: { id: number; version: number }[] = [];

  async function step(who: Browser, i: number, action: string, decidedOn: string, input = {}) {
    const c = cases[i] as { id: number; version: number };
    const res = await call(who.page, 'POST', `/api/v1/cases/${c.id}/actions/${action}`, {
      version: c.version,
      decidedOn,
      input,
    });
    expect(res.status, `${action}: ${res.body.error?.message ?? ''}`).toBe(200);
    c.version = res.body.version as number;
  }

  beforeAll(async () => {
    server = await startServer();
    households = freeHouseholds(server);
    clerk = await openBrowser();
    reviewer = await openBrowser();
    approver = await openBrowser();
    await login(clerk.page, server, 'rucheng_jingban');
    await login(reviewer.page, server, 'rucheng_shenhe');
    await login(approver.page, server, 'xian_shenpi');
  }, 120_000);

  afterAll(async () => {
    await clerk?.close();
    await reviewer?.close();
    await approver?.close();
    await server?.stop();
  });

  it('puts two 农村低保 applications under the 7-day notice', async () => {
    expect(households).toHaveLength(2);
    const team = [userId(server, 'rucheng_jingban'), userId(server, 'rucheng_shenhe')];
    for (const [i, h] of households.entries()) {
      const opened = await call(clerk.page, 'POST', '/api/v1/cases', {
        programCode: 'rural_dibao',
        householdId: h.id,
        acceptedOn: '2026-03-02',
      });
      expect(opened.status, opened.body.error?.message).toBe(201);
      cases.push({ id: opened.body.id as number, version: opened.body.version as number });
      await step(clerk, i, 'start_investigation', '2026-03-03');
      const c = cases[i] as { id: number; version: number };
      const fact = await call(clerk.page, 'POST', `/api/v1/cases/${c.id}/facts`, {
        version: c.version,
        fact: { kind: 'investigation', investigatorUserIds: team, findings: '入户调查：主要收入为务农' },
      });
      expect(fact.status, fact.body.error?.message).toBe(200);
      c.version = fact.body.version as number;
      await step(reviewer, i, 'submit_opinion', '2026-03-05', {
        opinion: 'grant',
        reasons: '家庭人均收入低于保障标准',
      });
      await step(clerk, i, 'start_public_notice', '2026-03-06');
    }
  });

  it('prints the town 公示名单 with names partly masked and no ID numbers', async () => {
    const page = clerk.page;
    await page.goto(`${server.url}/approval`);
    await page.getByTestId('print-public-notice').click();
    const doc = page.getByTestId('public-notice-document');
    await doc.waitFor();
    await expect.poll(() => page.url()).toContain('print=notice');
    expect(await doc.locator('h1').textContent()).toBe('乳城镇社会救助对象公示名单');
    const text = (await doc.textContent()) ?? '';
    for (const h of households) {
      expect(text).toContain(maskNameForNotice(h.headName));
      expect(text).not.toContain(h.headIdNumber);
    }
    expect(text).toContain('公示期为7天。如有异议，请于公示期内向乡镇人民政府社会救助窗口或拨打12349反映。');
    expect(text).toContain('2026-03-13');
    expect(text).toContain('拟纳入');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toMatch(/\d{17}[\dXx]/);
    await page.waitForTimeout(300);
    await screenshot(page, '50-public-notice');
    await page.getByRole('button', { name: /返\s*回/ }).click();
    await page.getByTestId('public-notice-document').waitFor({ state: 'detached' });
  });

  it('lets a county user choose the town', async () => {
    const page = approver.page;
    await page.goto(`${server.url}/approval`);
    await page.getByTestId('print-public-notice').click();
    const modal = page.locator('.ant-modal-wrap:visible .ant-modal');
    await modal.waitFor();
    await modal.locator('.ant-select').click();
    await page.locator('.ant-select-item-option[title="乳城镇"]').click();
    await modal.getByRole('button', { name: '打印预览' }).click();
    await expect
      .poll(() => page.getByTestId('public-notice-document').locator('h1').textContent())
      .toBe('乳城镇社会救助对象公示名单');
  });

  it('prints the 决定书 of a county refusal with its reasons and the appeal information', async () => {
    await step(clerk, 1, 'submit_to_county', '2026-03-13');
    const reasons = '经核对，家庭人均收入高于当地最低生活保障标准';
    await step(approver, 1, 'refuse', '2026-03-16', { reasons });
    const page = approver.page;
    const c = cases[1] as { id: number };
    await page.goto(`${server.url}/approval/cases/${c.id}`);
    await page.getByTestId('print-decision').click();
    const doc = page.getByTestId('decision-document');
    await doc.waitFor();
    await expect.poll(() => page.url()).toContain('print=decision');
    expect(await doc.locator('h1').textContent()).toBe('最低生活保障审核确认决定书');
    await expect
      .poll(() => doc.getByTestId('decision-appeal').textContent())
      .toBe(
        '如对本决定不服，可以自收到本决定书之日起六十日内向乳源瑶族自治县人民政府申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。',
      );
    const text = (await doc.textContent()) ?? '';
    expect(text).toContain(households[1]?.headName);
    expect(text).toContain('不予确认');
    expect(text).toContain(`理由：${reasons}`);
    expect(text).toContain('乳源瑶族自治县民政局');
    expect(text).toContain('2026年3月16日');
    await page.waitForTimeout(300);
    await screenshot(page, '51-decision-refusal');
  });

  it('offers no 决定书 for a case not yet decided', async () => {
    const page = clerk.page;
    await page.goto(`${server.url}/approval/cases/${(cases[0] as { id: number }).id}`);
    await page.getByTestId('case-state').waitFor();
    expect(await page.getByTestId('print-decision').count()).toBe(0);
  });
});
