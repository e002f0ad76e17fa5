/**
 * More workflows in a real browser. (a) A 农村特困供养 application that is refused: the clerk opens it for
 * an elderly person living alone in 乳城镇, registers the team of two and the self-care assessment (six
 * items, DOMAIN §5.4 Arts. 20–23) through the new button, the town reviewer proposes 拟不同意 with
 * reasons, the notice runs, the file goes to the county, the county approver refuses it with reasons
 * (不予认定（待书面告知）), and the clerk records the written notice (已终结). (b) A 急难型 临时救助
 * helped first (先行救助, DOMAIN §6.3) by the town reviewer: the paperwork task appears with its due
 * date in 待办事项, and 补齐手续 ends the case (已办结). Dates are entered as from paper files (March
 * 2026), so the 7-day notice has run. Screenshots 60–61 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const RUCHENG = '440232100';

function openDb(server: E2EServer) {
  return new Database(server.databaseUrl.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
}

function rows<T>(server: E2EServer, sql: string, ...args: unknown[]): T[] {
  const db = openDb(server);
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** 乳城镇 households on no program, with no case and no close relative on file. */
const FREE = `h.town_code = ?
  and not exists (select 1 from enrolment e where e.household_id = h.id)
  and not exists (select 1 from case_file c where c.household_id = h.id)
  and not exists (select 1 from household_member hm join person q on q.id = hm.person_id
                    join staff_relative sr on sr.id_number = q.id_number
                   where hm.household_id = h.id and hm.valid_to is null)`;

const LIVING_MEMBERS = `(select count(*) from household_member hm join person q on q.id = hm.person_id
   where hm.household_id = h.id and hm.valid_to is null and q.death_date is null)`;

interface Candidate {
  householdId: number;
  personId: number;
  name: string;
}

/** An elderly (60 or over on 2026-03-02) person living alone in 乳城镇, on no program. */
function elderlyAlone(server: E2EServer): Candidate | undefined {
  return rows<Candidate>(
    server,
    `select h.id as householdId, p.id as personId, p.name
       from household h join person p on p.id = h.head_person_id
      where ${FREE} and p.death_date is null and p.birth_date <= '1966-03-02' and ${LIVING_MEMBERS} = 1
      order by h.id limit 1`,
    RUCHENG,
  )[0];
}

/** Another 乳城镇 household on no program. */
function otherHousehold(server: E2EServer, not: number): Candidate | undefined {
  return rows<Candidate>(
    server,
    `select h.id as householdId, p.id as personId, p.name
       from household h join person p on p.id = h.head_person_id
      where ${FREE} and p.death_date is null and h.id <> ? and ${LIVING_MEMBERS} >= 1
      order by h.id limit 1`,
    RUCHENG,
    not,
  )[0];
}

function userId(server: E2EServer, username: string): number {
  const [user] = rows<{ id: number }>(server, 'select id from app_user where username = ?', username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

/** Opens a case as the page would: POST /api/v1/cases with the session's CSRF token. */
async function openCaseFromPage(page: Page, body: Record<string, unknown>): Promise<number> {
  const result = (await page.evaluate(
    async ({ payload }) => {
      const cookie = (globalThis as unknown as { document: { cookie: string } }).document.cookie
        .split('; ')
        .find((c: string) => c.startsWith('jiuzhu_csrf='));
      const token = decodeURIComponent(cookie ? cookie.slice('jiuzhu_csrf='.length) : '');
      const res = await fetch('/api/v1/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify(payload),
      });
      return { status: res.status, body: (await res.json()) as { id?: number } };
    },
    { payload: body },
  )) as { status: number; body: { id?: number } };
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.id as number;
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

async function startAction(page: Page, code: string): Promise<Locator> {
  const button = page.getByTestId(`action-${code}`).getByRole('button');
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  const modal = dialog(page);
  await modal.waitFor();
  return modal;
}

async function act(
  page: Page,
  code: string,
  decidedOn: string,
  expectedState: string,
  fill?: (modal: Locator) => Promise<void>,
): Promise<void> {
  const modal = await startAction(page, code);
  if (fill) await fill(modal);
  await setDate(modal, '办理日期', decidedOn);
  await modal.getByRole('button', { name: '确定办理' }).click();
  await modal.waitFor({ state: 'hidden' });
  await expect.poll(() => caseState(page)).toBe(expectedState);
}

async function openCase(page: Page, server: E2EServer, caseId: number): Promise<void> {
  await page.goto(`${server.url}/approval/cases/${caseId}`);
  await page.getByTestId('case-state').waitFor();
}

describe('more workflows in the browser: a refused 特困 application, a 先行救助', () => {
  let server: E2EServer;
  let clerk: Browser;
  let reviewer: Browser;
  let approver: Browser;
  let elder: Candidate;
  let aidHousehold: Candidate;
  let reviewerId: number;
  let tekunCaseId: number;
  let aidCaseId: number;

  beforeAll(async () => {
    server = await startServer();
    const found = elderlyAlone(server);
    expect(found, '乳城镇 should have an elderly person living alone on no program').toBeDefined();
    elder = found as Candidate;
    const other = otherHousehold(server, elder.householdId);
    expect(other).toBeDefined();
    aidHousehold = other as Candidate;
    reviewerId = userId(server, 'rucheng_shenhe');
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

  it('opens a 农村特困供养 case for an elderly person living alone; the self-care band is 未评估', async () => {
    const page = clerk.page;
    tekunCaseId = await openCaseFromPage(page, {
      programCode: 'rural_tekun',
      householdId: elder.householdId,
      personId: elder.personId,
      acceptedOn: '2026-03-02',
    });
    await openCase(page, server, tekunCaseId);
    expect(await caseState(page)).toBe('调查中');
    expect(await page.getByTestId('case-title').textContent()).toContain(elder.name);
    expect(await page.getByTestId('self-care-level').textContent()).toBe('未评估');
  });

  it('registers the team of two and the self-care assessment with a live preview of the band', async () => {
    const page = clerk.page;
    await page.getByTestId('fact-investigation').click();
    let modal = dialog(page);
    await modal.waitFor();
    await modal.getByTestId('investigator-0').fill(String(reviewerId));
    await modal.getByTestId('fact-text').fill('入户调查：本人独居，无劳动能力，无生活来源，无法定赡养人');
    await modal.getByRole('button', { name: /登\s*记/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('investigators').textContent())
      .toContain(`用户编号 ${reviewerId}`);

    await page.getByTestId('fact-self_care').click();
    modal = dialog(page);
    await modal.waitFor();
    expect(await modal.locator('.ant-modal-title').textContent()).toBe('登记生活自理能力评估');
    const preview = modal.getByTestId('self-care-preview');
    // Nothing ticked: none of the six can be done unaided → 全失能.
    expect(await preview.textContent()).toContain('完全丧失生活自理能力（全失能）');
    for (const item of ['eating', 'dressing', 'bed', 'walking']) {
      await modal.getByTestId(`self-care-${item}`).check();
    }
    // 如厕、洗澡 not achieved (2 of 6) → 半失能.
    // Poll for the final count: the preview may still show an earlier tick's count (3 项) for a moment.
    await expect.poll(() => preview.textContent()).toContain('2项不能独立完成');
    expect(await preview.textContent()).toContain('部分丧失生活自理能力（半失能）');
    // The assessor is required.
    await modal.getByRole('button', { name: /登\s*记/ }).click();
    await expect.poll(() => modal.textContent()).toContain('请填写评估人或评估机构');
    await modal.getByTestId('self-care-assessor').fill('乳源县社会福利中心评估小组');
    await shot(page, '60-tekun-self-care');
    await modal.getByRole('button', { name: /登\s*记/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('self-care-level').textContent())
      .toBe('部分丧失生活自理能力（半失能）');
    const [facts] = rows<{ facts_json: string }>(
      server,
      'select facts_json from case_file where id = ?',
      tekunCaseId,
    );
    expect(JSON.parse(facts?.facts_json ?? '{}').selfCareLevel).toBe('partly_dependent');
  });

  it('takes the reviewer opinion 拟不同意 and the 7-day notice, then sends the file up', async () => {
    await openCase(reviewer.page, server, tekunCaseId);
    await act(reviewer.page, 'submit_opinion', '2026-03-05', '初审完成', async (modal) => {
      await formItem(modal, '初审意见').getByText('拟不同意', { exact: true }).click();
      await modal.getByTestId('field-reasons').fill('经调查，申请人有子女在外务工，具备赡养能力');
    });

    const page = clerk.page;
    await openCase(page, server, tekunCaseId);
    await act(page, 'start_public_notice', '2026-03-06', '公示中');
    expect(await page.getByTestId('notice-ends').textContent()).toContain('2026-03-13');
    await act(page, 'submit_to_county', '2026-03-16', '县级审核');
  });

  it('lets the county approver refuse with reasons; the written notice closes the case', async () => {
    const page = approver.page;
    await openCase(page, server, tekunCaseId);
    await act(page, 'refuse', '2026-03-18', '不予认定（待书面告知）', async (modal) => {
      await modal
        .getByTestId('field-reasons')
        .fill('申请人有具备赡养能力的法定赡养人，不符合特困人员认定条件');
    });
    await expect
      .poll(() => page.getByTestId('case-history').textContent())
      .toContain('具备赡养能力的法定赡养人');

    const clerkPage = clerk.page;
    await openCase(clerkPage, server, tekunCaseId);
    await act(clerkPage, 'serve_refusal_notice', '2026-03-19', '已终结');
    expect(await clerkPage.getByTestId('next-step').textContent()).toContain('本案已办结');
    const [c] = rows<{ decision: string | null }>(
      server,
      'select decision from case_file where id = ?',
      tekunCaseId,
    );
    expect(c?.decision).not.toBe('approved');
    expect(rows(server, 'select 1 from enrolment where household_id = ?', elder.householdId)).toHaveLength(0);
  });

  it('grants 先行救助 for an emergency, shows the paperwork task, and completes it', async () => {
    aidCaseId = await openCaseFromPage(clerk.page, {
      programCode: 'temporary_aid',
      householdId: aidHousehold.householdId,
      acceptedOn: '2026-03-02',
      aidType: 'emergency',
      amountFen: 200000,
    });
    // The advance is the town reviewer's (or county's), not the clerk's.
    await openCase(clerk.page, server, aidCaseId);
    expect(await caseState(clerk.page)).toBe('已受理');
    const clerkAdvance = clerk.page.getByTestId('action-grant_advance');
    expect(await clerkAdvance.getAttribute('data-allowed')).toBe('false');

    const page = reviewer.page;
    await openCase(page, server, aidCaseId);
    await act(page, 'grant_advance', '2026-03-03', '已先行救助（待补齐手续）');
    const [task] = rows<{ kind: string; due_on: string; status: string }>(
      server,
      'select kind, due_on, status from case_task where case_id = ?',
      aidCaseId,
    );
    expect(task).toMatchObject({ kind: 'complete_paperwork', status: 'open' });
    const tasks = page.getByTestId('case-tasks');
    await expect.poll(() => tasks.textContent()).toContain('补齐先行救助手续');
    expect(await tasks.textContent()).toContain(task?.due_on);
    await shot(page, '61-advance-aid');

    await openCase(clerk.page, server, aidCaseId);
    await act(clerk.page, 'complete_paperwork', '2026-03-06', '已办结');
    const [closed] = rows<{ state: string }>(server, 'select state from case_file where id = ?', aidCaseId);
    expect(closed?.state).toBe('completed');
    // 补齐手续 completes the paperwork task, so it leaves the to-do lists.
    const [done] = rows<{ status: string }>(
      server,
      "select status from case_task where case_id = ? and kind = 'complete_paperwork'",
      aidCaseId,
    );
    expect(done?.status).toBe('done');
  });
});
