/**
 * 花名册导入 in a real browser: the 乳城镇 window clerk opens 导入花名册 from 救助对象, uploads a CSV roster with a
 * good household, a household with a wrong ID check digit and one of another town, sees the dry run list each bad
 * row with its reason (nothing written yet), commits, and finds only the good household in the registry.
 * Screenshots 80–81 go to test-output/screenshots/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResidentId } from '../../src/domain/identity/resident-id.ts';
import { toCsv } from '../../src/domain/payments/csv.ts';
import { type Browser, type E2EServer, login, openBrowser, screenshot, startServer } from './harness.ts';

const RUCHENG = '440232100';

function query<T>(server: E2EServer, sql: string, ...args: unknown[]): T[] {
  const db = new Database(server.databaseUrl.replace(/^sqlite:/, ''), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** ID numbers of the county that no demo person has (the demo's are random; these are checked). */
function freshIds(server: E2EServer, count: number): string[] {
  const out: string[] = [];
  for (let seq = 901; out.length < count; seq++) {
    const idNumber = buildResidentId({ addressCode: '440232', birthDate: '1933-03-03', sequence: seq });
    if (query(server, 'select 1 from person where id_number = ?', idNumber).length === 0) out.push(idNumber);
  }
  return out;
}

describe('花名册导入 (roster import) in the browser', () => {
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

  it('imports the good household of a roster and lists each bad row with its reason', async () => {
    const { page } = browser;
    const village = query<{ name: string }>(
      server,
      "select name from area where parent_code = ? and level = 'village' order by code limit 1",
      RUCHENG,
    )[0]?.name;
    expect(village).toBeTruthy();
    const [head, wife, badHead, otherTown] = freshIds(server, 4) as [string, string, string, string];
    const badCheck = badHead.slice(0, 17) + (badHead[17] === '0' ? '1' : '0');
    const file = join(server.dataDir, '乳城镇花名册.csv');
    writeFileSync(
      file,
      toCsv([
        ['乡镇', '村（居）委会', '户主姓名', '姓名', '身份证号码', '与户主关系', '家庭人口'],
        ['乳城镇', village as string, '测导甲', '测导甲', head, '户主', '2'],
        ['乳城镇', village as string, '测导甲', '测导乙', wife, '配偶', '2'],
        ['乳城镇', village as string, '测导丙', '测导丙', badCheck, '户主', '1'],
        ['大桥镇', '大桥村委会', '测导丁', '测导丁', otherTown, '户主', '1'],
      ]),
    );

    await login(page, server, 'rucheng_jingban');
    await page.goto(`${server.url}/registry`);
    await page.getByTestId('roster-import-link').click();
    await page.getByTestId('roster-import-page').waitFor();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: '预览校验' }).click();
    const preview = page.getByTestId('roster-preview');
    await preview.waitFor();
    const bad = page.getByTestId('roster-bad-rows');
    await expect.poll(() => bad.textContent()).toContain('校验');
    const badText = (await bad.textContent()) ?? '';
    expect(badText).toContain('大桥镇');
    // The dry run wrote nothing.
    expect(query(server, 'select 1 from person where id_number in (?, ?)', head, wife)).toHaveLength(0);
    await screenshot(page, '80-roster-preview');

    await page.getByTestId('roster-commit').click();
    await expect.poll(() => page.locator('.ant-result-title').textContent()).toContain('已导入 1 户 2 人');
    await screenshot(page, '81-roster-imported');
    const imported = query<{ id_number: string; town_code: string }>(
      server,
      'select p.id_number, h.town_code from person p join household_member m on m.person_id = p.id and m.valid_to is null join household h on h.id = m.household_id where p.id_number in (?, ?, ?, ?)',
      head,
      wife,
      badHead,
      otherTown,
    );
    expect(imported.map((r) => [r.id_number, r.town_code]).sort()).toEqual(
      [
        [head, RUCHENG],
        [wife, RUCHENG],
      ].sort(),
    );
  });
});
