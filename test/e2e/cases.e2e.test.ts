/**
 * 审核审批 in a real browser: a town clerk accepts a 农村低保 application for a household on no program,
 * starts the investigation, registers the team of two, the town reviewer gives the initial opinion, the
 * clerk posts the 7-day notice, is refused when sending the file up before the notice has run, records
 * an objection, re-investigates; a new opinion goes to the county, where the county approver confirms it
 * — and the household is enrolled from the month after. Dates are entered as from paper files (March
 * 2026), so the notice has run. Also: a stale page gets "该个案已被他人办理", the town reviewer cannot
 * confirm (not delegated), and 临时救助 / 特困 applications are accepted with their amount and person.
 * Screenshots 40–42 go to test-output/screenshots/.
 */
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINES } from '../../src/domain/workflow/procedures.ts';
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
            and (select count(*) from household_member hm join person q on q.id = hm.person_id
                  where hm.household_id = h.id and hm.valid_to is null and q.death_date is null) >= 2
          order by h.id limit 3`,
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

function row<T>(server: E2EServer, sql: string, ...args: unknown[]): T | undefined {
  const db = openDb(server);
  try {
    return db.prepare(sql).get(...args) as T | undefined;
  } finally {
    db.close();
  }
}

function formItem(scope: Page | Locator, label: string): Locator {
  return scope.locator(`.ant-form-item:has(label[title="${label}"])`);
}

/** The open dialog (antd keeps closed ones in the DOM, hidden). */
function dialog(page: Page): Locator {
  return page.locator('.ant-modal-wrap:visible .ant-modal');
}

/**
 * Types a date into an antd DatePicker and leaves the field (Tab), which keeps it. (Enter would also
 * submit a dialog whose only input is the date.)
 */
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

/** Clicks an action in the 下一步 panel; returns its dialog. */
async function startAction(page: Page, code: string): Promise<Locator> {
  const button = page.getByTestId(`action-${code}`).getByRole('button');
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  const modal = dialog(page);
  await modal.waitFor();
  return modal;
}

/** Takes an action with its 办理日期 (and whatever `fill` enters), and waits for the new state. */
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

/** Opens the 受理申请 dialog and picks a household by the head's ID number. */
async function startOpening(page: Page, program: string, household: HouseholdRow): Promise<Locator> {
  await page.getByTestId('open-case').click();
  const modal = dialog(page);
  await modal.waitFor();
  await formItem(modal, '救助项目').getByText(program, { exact: true }).click();
  const select = formItem(modal, '申请家庭').locator('.ant-select');
  await select.click();
  await select.locator('input').fill(household.headIdNumber);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
  await expect.poll(() => option.textContent(), { timeout: 10_000 }).toContain(household.headName);
  await option.click();
  await expect.poll(() => select.textContent()).toContain(household.headName);
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
  return modal;
}

describe('审核审批 (cases) in the browser', () => {
  let server: E2EServer;
  let clerk: Browser;
  let reviewer: Browser;
  let approver: Browser;
  let households: HouseholdRow[];
  let main: HouseholdRow;
  let reviewerId: number;
  let caseId: number;

  beforeAll(async () => {
    server = await startServer();
    households = freeHouseholds(server);
    expect(households.length).toBe(3);
    main = households[0] as HouseholdRow;
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

  it('accepts a 农村低保 application from the 审核审批 list, dated from the paper file', async () => {
    const page = clerk.page;
    await page.goto(`${server.url}/approval`);
    await page.getByTestId('case-list').waitFor();
    const modal = await startOpening(page, '农村低保', main);
    await setDate(modal, '受理日期', '2026-03-02');
    await expect.poll(() => formItem(modal, '受理日期').textContent()).toContain('最低生活保障审核确认');
    await modal.getByRole('button', { name: /受\s*理/ }).click();
    await page.waitForURL(/\/approval\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('case-state').waitFor();
    expect(await caseState(page)).toBe('已受理');
    expect(await page.getByTestId('case-title').textContent()).toContain(main.headName);
    expect(await page.getByTestId('household-link').getAttribute('href')).toBe(
      `/registry/households/${main.id}`,
    );
    // The step's limit: investigate within 3 working days (Art. 15), long past: 逾期.
    expect(await page.getByTestId('deadline-source').textContent()).toContain('第十五条');
    expect(await page.getByTestId('case-info').getByTestId('deadline').getAttribute('data-status')).toBe(
      'overdue',
    );
  });

  it('accepts 临时救助 (amount in 元 stored as fen) and 特困 (a member of the household)', async () => {
    const page = clerk.page;
    const [, aid, tekun] = households as [HouseholdRow, HouseholdRow, HouseholdRow];
    await page.goto(`${server.url}/approval`);
    await page.getByTestId('case-list').waitFor();
    let modal = await startOpening(page, '临时救助', aid);
    await formItem(modal, '救助类型').getByText('支出型', { exact: true }).click();
    await formItem(modal, '救助金额').locator('input').fill('1500.5');
    await modal.getByRole('button', { name: /受\s*理/ }).click();
    await page.waitForURL(/\/approval\/cases\/\d+$/);
    await page.getByTestId('case-state').waitFor();
    const aidCase = row<{ facts_json: string; procedure: string }>(
      server,
      'select facts_json, procedure from case_file where household_id = ?',
      aid.id,
    );
    expect(aidCase?.procedure).toBe('temporary_aid');
    expect(JSON.parse(aidCase?.facts_json ?? '{}')).toMatchObject({
      amountFen: 150050,
      aidType: 'expenditure',
    });

    await page.goto(`${server.url}/approval`);
    await page.getByTestId('case-list').waitFor();
    modal = await startOpening(page, '农村特困供养', tekun);
    const person = formItem(modal, '特困供养对象').locator('.ant-select');
    await person.click();
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await option.waitFor();
    await expect.poll(() => option.getAttribute('title')).toMatch(/岁）$/);
    const chosen = (await option.textContent()) ?? '';
    await option.click();
    await modal.getByRole('button', { name: /受\s*理/ }).click();
    await page.waitForURL(/\/approval\/cases\/\d+$/);
    await page.getByTestId('case-state').waitFor();
    expect(await caseState(page)).toBe('调查中');
    const tekunCase = row<{ person_id: number | null; name: string }>(
      server,
      'select c.person_id, p.name from case_file c join person p on p.id = c.person_id where c.household_id = ?',
      tekun.id,
    );
    expect(chosen).toContain(tekunCase?.name);

    await page.goto(`${server.url}/approval`);
    const list = page.getByTestId('case-list');
    // This test's three cases, plus the open ones the demo seeds in the town (the planted 核对 applicant, the
    // simulated year's change cases): the list shows cases not in a terminal state.
    const terminal = [
      ...new Set(
        Object.values(MACHINES).flatMap((m) =>
          Object.entries(m.states as Record<string, { terminal?: boolean }>)
            .filter(([, st]) => st.terminal)
            .map(([k]) => k),
        ),
      ),
    ];
    const notTerminal = ` and state not in (${terminal.map(() => '?').join(', ')})`;
    // The first page holds 20 (CaseList PAGE_SIZE).
    const inTown = (program?: string) =>
      Math.min(
        20,
        row<{ n: number }>(
          server,
          `select count(*) as n from case_file where town_code = ?${program ? ' and program_code = ?' : ''}${notTerminal}`,
          ...(program ? [RUCHENG, program] : [RUCHENG]),
          ...terminal,
        )?.n ?? 0,
      );
    await expect.poll(() => list.getByTestId('case-link').count(), { timeout: 15_000 }).toBe(inTown());
    const mainRow = list.locator('tr', { has: page.getByText(main.headName, { exact: true }) });
    expect(await mainRow.getByTestId('deadline').getAttribute('data-status')).toBe('overdue');
    expect(await mainRow.locator('.ant-tag-red').textContent()).toBe('逾期');
    // The program filter keeps the URL (back and reload keep it).
    await page.getByTestId('filter-program').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="农村低保"]').click();
    await page.waitForURL(/program=rural_dibao/);
    await expect
      .poll(() => list.getByTestId('case-link').count(), { timeout: 15_000 })
      .toBe(inTown('rural_dibao'));
    await page.goto(`${server.url}/approval`);
    await expect.poll(() => list.getByTestId('case-link').count(), { timeout: 15_000 }).toBe(inTown());
    await shot(page, '40-approval-list');
  });

  it('starts the investigation and registers a team of two', async () => {
    const page = clerk.page;
    await openCase(page, server, caseId);
    await act(page, 'start_investigation', '2026-03-03', '调查中');
    // The opinion is the reviewer's: the clerk sees who must take it.
    expect(await page.getByTestId('action-submit_opinion').textContent()).toContain('需由乡镇审核人办理');
    await page.getByTestId('fact-investigation').click();
    const modal = dialog(page);
    await modal.waitFor();
    expect(await modal.getByTestId('investigator-me').isChecked()).toBe(true);
    await modal.getByTestId('investigator-0').fill(String(reviewerId));
    await modal.getByTestId('fact-text').fill('入户调查：家庭成员均在家，主要收入为务农，无车辆、无经营');
    await modal.getByRole('button', { name: /登\s*记/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByTestId('investigators').textContent())
      .toContain(`用户编号 ${reviewerId}`);
    expect(await page.getByTestId('investigators').textContent()).toContain('（本人）');
  });

  it('lets the town reviewer give the initial opinion, and the clerk post the notice', async () => {
    await openCase(reviewer.page, server, caseId);
    await act(reviewer.page, 'submit_opinion', '2026-03-05', '初审完成', async (modal) => {
      await formItem(modal, '初审意见').getByText('拟同意', { exact: true }).click();
      await modal.getByTestId('field-reasons').fill('家庭人均收入低于当地低保标准');
    });

    const page = clerk.page;
    await openCase(page, server, caseId);
    await act(page, 'start_public_notice', '2026-03-06', '公示中');
    expect(await page.getByTestId('notice-ends').textContent()).toContain('2026-03-13');
  });

  it('refuses to send the file up before the notice has run, with the reason', async () => {
    const page = clerk.page;
    const modal = await startAction(page, 'submit_to_county');
    await setDate(modal, '办理日期', '2026-03-09');
    await modal.getByRole('button', { name: '确定办理' }).click();
    const alert = modal.getByTestId('refusal-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('公示期至2026-03-13届满，尚未期满');
    expect(await alert.textContent()).toContain('依据');
    await modal.getByRole('button', { name: /取\s*消/ }).click();
    await modal.waitFor({ state: 'hidden' });
    expect(await caseState(page)).toBe('公示中');
  });

  it('records an objection: sending up is then disabled with its reason; re-investigates', async () => {
    const page = clerk.page;
    await page.getByTestId('fact-objection').click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.getByTestId('fact-text').fill('3月8日村民口头反映该户有经营性收入');
    await modal.getByRole('button', { name: /登\s*记/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByTestId('objection-open').waitFor();
    const submit = page.getByTestId('action-submit_to_county');
    await expect.poll(() => submit.getAttribute('data-allowed')).toBe('false');
    expect(await submit.getByRole('button').isDisabled()).toBe(true);
    expect(await submit.getByTestId('refusal').first().textContent()).toContain('公示期间收到的异议尚未处理');
    await shot(page, '41-case-next-step');

    await act(page, 'reinvestigate', '2026-03-10', '调查中', async (m) => {
      await m.getByTestId('field-reasons').fill('核实村民反映的经营性收入');
    });
  });

  it('tells a clerk on a stale page that someone else acted, and reloads', async () => {
    // The reviewer gives the new opinion while the clerk's page still shows 调查中.
    await openCase(reviewer.page, server, caseId);
    await act(reviewer.page, 'submit_opinion', '2026-03-12', '初审完成', async (modal) => {
      await formItem(modal, '初审意见').getByText('拟同意', { exact: true }).click();
      await modal.getByTestId('field-reasons').fill('经核实该户无经营性收入，维持拟同意');
    });

    const page = clerk.page;
    expect(await caseState(page)).toBe('调查中');
    await page.getByTestId('fact-complaint').click();
    const modal = dialog(page);
    await modal.waitFor();
    await modal.getByTestId('fact-text').fill('（测试）过期页面上的登记');
    await modal.getByRole('button', { name: /登\s*记/ }).click();
    const stale = modal.getByTestId('stale-alert');
    await stale.waitFor();
    expect(await stale.textContent()).toContain('该个案已被他人办理，请刷新');
    await stale.getByRole('button', { name: /刷\s*新/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => caseState(page)).toBe('初审完成');
    const facts = row<{ facts_json: string }>(
      server,
      'select facts_json from case_file where id = ?',
      caseId,
    );
    expect(JSON.parse(facts?.facts_json ?? '{}').complaintOnFile).toBeUndefined();
  });

  it('sends the new opinion to the county; the town reviewer may not confirm it', async () => {
    await act(clerk.page, 'submit_to_county', '2026-03-13', '待县审核');

    const page = reviewer.page;
    await openCase(page, server, caseId);
    const confirm = page.getByTestId('action-confirm');
    expect(await confirm.getAttribute('data-allowed')).toBe('false');
    expect(await confirm.getByRole('button').isDisabled()).toBe(true);
    expect(await confirm.textContent()).toContain('须由县级审核确认');
  });

  it('lets the county approver confirm it: enrolled from the next month', async () => {
    const page = approver.page;
    await page.goto(server.url);
    await page.getByRole('menuitem', { name: /审核审批/ }).click();
    await page.waitForURL(/\/approval$/);
    await page.getByTestId('case-list').getByRole('link', { name: main.headName }).click();
    await page.getByTestId('case-state').waitFor();
    await act(page, 'confirm', '2026-03-16', '确认同意', async (modal) => {
      await setDate(modal, '办理日期', '2026-03-16');
      await expect.poll(() => modal.textContent()).toContain('自2026年4月起发放');
    });
    expect(await page.getByTestId('next-step').textContent()).toContain('本案已办结：确认同意');
    await expect
      .poll(() => page.getByTestId('case-history').textContent())
      .toContain('纳入救助，自2026年4月起发放');
    const enrolment = row<{ program_code: string; start_month: string; status: string }>(
      server,
      'select program_code, start_month, status from enrolment where household_id = ?',
      main.id,
    );
    expect(enrolment).toEqual({ program_code: 'rural_dibao', start_month: '2026-04', status: 'active' });
    await shot(page, '42-case-approved');
  });

  it('shows a case that does not exist as 记录不存在', async () => {
    const page = clerk.page;
    await page.goto(`${server.url}/approval/cases/999999`);
    expect(await page.getByTestId('error-result').textContent()).toContain('记录不存在');
  });
});
