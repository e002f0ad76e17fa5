/**
 * 备案与公示 through the API and the CLI, on both engines: the 备案表, 花名册 and 公示名单 workbooks read back with
 * exceljs — titles, merged two-level headers, A4 page setup, a row's values, the decision in force, totals equal
 * to the sum of the rows, masked personal data (no full 18-digit ID and no full bank account anywhere in a
 * workbook; a public notice with no ID or account at all and masked names) — the town scope, and the audit rows.
 *
 * The data: the small county of test/helpers/fixtures.ts with the enrolments of statistics-ledger.ts, plus three
 * 乳城镇 households (F in 河北村委会 on 农村低保; G starting only in April; H suspended) and benefit decisions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { seedStatisticsLedger } from '../helpers/statistics-ledger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const YINGFENG = '440232100101';
const HEBEI = '440232100201';
const DAQIAO_VILLAGE = '440232109201';

const FULL_ID = /\d{17}[\dXx]/;
const LI_ACCOUNT = '6230123456789012345';

async function workbook(res: { statusCode: number; body: string; rawPayload: Buffer }) {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}: ${wb.worksheets.map((w) => w.name).join(',')}`);
  return ws;
}

const mergesOf = (ws: ExcelJS.Worksheet) => (ws.model as unknown as { merges: string[] }).merges;

/** A cell's own value: null for the covered cells of a merge (exceljs reads them as the master's value). */
function own(ws: ExcelJS.Worksheet, r: number, c: number): ExcelJS.CellValue {
  const cell = ws.getCell(r, c);
  return cell.isMerged && cell.master.address !== cell.address ? null : cell.value;
}

const rowValues = (ws: ExcelJS.Worksheet, r: number, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => own(ws, r, from + i));

/** Every cell's text in every sheet of a workbook (header and footer included). */
function allText(wb: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        out.push(String(cell.value));
      });
    });
    out.push(String(ws.headerFooter?.oddFooter ?? ''));
  }
  return out;
}

/** The data rows of a table: from the row under the header until the 合计 row (exclusive). */
function dataRows(ws: ExcelJS.Worksheet, first: number): number[] {
  const rows: number[] = [];
  for (let r = first; r <= ws.rowCount; r++) {
    if (ws.getCell(r, 1).value === '合计') return rows;
    rows.push(r);
  }
  throw new Error('no totals row');
}

describe.each(ENGINES)('备案与公示 on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;
  let rcClerk: Client;
  let fx: Fixtures;
  let ids: Record<string, string>;

  const enrolmentOf = async (program: string, household: number, start: string) =>
    Number(
      (
        await tdb.db
          .selectFrom('enrolment')
          .select('id')
          .where('program_code', '=', program)
          .where('household_id', '=', household)
          .where('start_month', '=', start)
          .executeTakeFirstOrThrow()
      ).id,
    );

  const personOf = async (name: string) =>
    Number(
      (await tdb.db.selectFrom('person').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id,
    );

  const decide = async (v: {
    enrolment: number;
    town: string;
    program: string;
    month: string;
    amount: number;
    members: unknown;
  }) => {
    await tdb.db
      .insertInto('benefit_decision')
      .values({
        county_code: COUNTY,
        town_code: v.town,
        enrolment_id: v.enrolment,
        program_code: v.program,
        effective_month: v.month,
        per_capita_income_fen: v.program.endsWith('dibao') ? 10_000 : null,
        members_json: JSON.stringify(v.members),
        band_code: null,
        monthly_amount_fen: v.amount,
        explanation_json: '[]',
        input_json: null,
        case_id: null,
        decided_on: `${v.month}-01`,
        created_by: 'test',
        created_at: '2015-01-01T00:00:00.000Z',
      })
      .execute();
  };

  const enrol = async (v: {
    town: string;
    program: string;
    household: number;
    start: string;
    status?: string;
  }) => {
    const r = await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: v.town,
        program_code: v.program,
        household_id: v.household,
        person_id: null,
        start_month: v.start,
        end_month: null,
        status: (v.status ?? 'active') as 'active',
        support_mode: null,
        single_person: 0,
        end_reason: null,
        review_class: null,
        last_review_on: null,
        next_review_on: null,
        created_at: '2015-01-01T00:00:00.000Z',
        updated_at: '2015-01-01T00:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    await seedStatisticsLedger(tdb.db, fx);
    ids = {
      li: fx.ruchengHeadId,
      chen: id('1958-07-01', 22),
      liming: id('2004-10-05', 31),
      pan: id('1940-02-02', 42),
      zhao: id('1970-05-05', 51),
      zhaoWife: id('1972-06-06', 62),
      wang: id('1965-01-01', 71),
      sun: id('1950-01-01', 81),
    };
    const system = fx.system;
    const household = (input: Parameters<typeof createHousehold>[2]) =>
      tdb.db.transaction().execute((trx) => createHousehold(trx, system, input));
    const F = await household({
      townCode: RUCHENG,
      villageCode: HEBEI,
      address: '乳城镇河北村委会下村3号',
      hukouType: 'rural',
      bankName: '广东乳源农村商业银行',
      bankAccount: '6230555566667777888',
      bankAccountHolder: '赵大海',
      effectiveDate: '2010-01-01',
      members: [
        { idNumber: ids.zhao as string, name: '赵大海', relation: '户主' },
        { idNumber: ids.zhaoWife as string, name: '钱小红', relation: '配偶' },
      ],
    });
    const G = await household({
      townCode: RUCHENG,
      villageCode: YINGFENG,
      address: '乳城镇鹰峰居委会建设路20号',
      hukouType: 'urban',
      effectiveDate: '2010-01-01',
      members: [{ idNumber: ids.wang as string, name: '王小明', relation: '户主' }],
    });
    const H = await household({
      townCode: RUCHENG,
      villageCode: YINGFENG,
      address: '乳城镇鹰峰居委会建设路30号',
      hukouType: 'urban',
      effectiveDate: '2010-01-01',
      members: [{ idNumber: ids.sun as string, name: '孙老四', relation: '户主' }],
    });
    const eF = await enrol({ town: RUCHENG, program: 'rural_dibao', household: F.id, start: '2015-02' });
    const eG = await enrol({ town: RUCHENG, program: 'urban_dibao', household: G.id, start: '2015-04' });
    const eH = await enrol({
      town: RUCHENG,
      program: 'urban_dibao',
      household: H.id,
      start: '2015-01',
      status: 'suspended',
    });
    const eA = await enrolmentOf('urban_dibao', fx.ruchengHousehold, '2015-01');
    await tdb.db
      .updateTable('enrolment')
      .set({ review_class: 'stable', last_review_on: '2015-01-15' })
      .where('id', '=', eA)
      .execute();
    const li = await personOf('李建国');
    const chen = await personOf('陈秀英');
    // A: two members counted of three; 960 元 from January, 990 元 from April.
    const counted = [
      { personId: li, categories: [] },
      { personId: chen, categories: ['severe_disability'] },
    ];
    await decide({
      enrolment: eA,
      town: RUCHENG,
      program: 'urban_dibao',
      month: '2015-01',
      amount: 96_000,
      members: counted,
    });
    await decide({
      enrolment: eA,
      town: RUCHENG,
      program: 'urban_dibao',
      month: '2015-04',
      amount: 99_000,
      members: counted,
    });
    await decide({
      enrolment: eF,
      town: RUCHENG,
      program: 'rural_dibao',
      month: '2015-02',
      amount: 52_050,
      members: [{ categories: [] }, { categories: [] }],
    });
    await decide({
      enrolment: eG,
      town: RUCHENG,
      program: 'urban_dibao',
      month: '2015-04',
      amount: 41_000,
      members: [{ categories: [] }],
    });
    await decide({
      enrolment: eH,
      town: RUCHENG,
      program: 'urban_dibao',
      month: '2015-01',
      amount: 30_000,
      members: [{ categories: [] }],
    });
    // 特困: 盘桂兰 (大桥, 分散) 492 元; 陈秀英 (乳城, 集中) 656 元.
    const eB = await enrolmentOf('rural_tekun', fx.daqiaoHousehold, '2015-02');
    const eC = await enrolmentOf('urban_tekun', fx.ruchengHousehold, '2015-03');
    await decide({
      enrolment: eB,
      town: DAQIAO,
      program: 'rural_tekun',
      month: '2015-02',
      amount: 49_200,
      members: { selfCare: 'partial_care', supportMode: 'dispersed' },
    });
    await decide({
      enrolment: eC,
      town: RUCHENG,
      program: 'urban_tekun',
      month: '2015-03',
      amount: 65_600,
      members: { selfCare: 'full_self_care', supportMode: 'concentrated' },
    });
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    rcClerk = await login(app, USERS.ruchengClerk.username);
  });

  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  const auditRows = (action: string) =>
    tdb.db
      .selectFrom('audit_log')
      .select(['username', 'entity_id', 'town_code', 'after_json', 'detail'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  describe('低保对象信息备案表', () => {
    let wb: ExcelJS.Workbook;
    let ws: ExcelJS.Worksheet;
    beforeAll(async () => {
      const res = await admin.get(
        `/api/v1/filings/record-form.xlsx?program=dibao&town=${RUCHENG}&asOf=2015-03-31`,
      );
      expect(String(res.headers['content-disposition'])).toContain(
        encodeURIComponent('乳源瑶族自治县乳城镇城乡低保对象信息备案表（截至2015年3月31日）.xlsx'),
      );
      wb = await workbook(res);
      ws = sheet(wb, '乳城镇');
    });

    it('has the title, the unit line and a merged two-level header, printed on A4 landscape', () => {
      expect(wb.worksheets.map((w) => w.name)).toEqual(['乳城镇', '乳城镇成员']);
      expect(ws.getCell('A1').value).toBe('乳源瑶族自治县乳城镇城乡低保对象信息备案表（截至2015年3月31日）');
      expect(ws.getCell('A1').font).toMatchObject({ name: 'SimSun', bold: true, size: 16 });
      expect(ws.getCell('A2').value).toBe('填报单位：乳源瑶族自治县乳城镇人民政府（盖章）');
      expect(mergesOf(ws)).toEqual(
        expect.arrayContaining(['A1:N1', 'A3:A4', 'B3:B4', 'D3:E3', 'F3:G3', 'L3:M3', 'N3:N4']),
      );
      expect(rowValues(ws, 3, 1, 4)).toEqual(['序号', '乡镇', '村（居）', '户主']);
      expect(rowValues(ws, 4, 4, 7)).toEqual(['姓名', '身份证号码', '家庭人口', '保障人口']);
      expect(ws.getCell('J3').value).toBe('月保障金（元）');
      expect(ws.getCell('E4').border).toMatchObject({ top: { style: 'thin' }, left: { style: 'thin' } });
      expect(ws.pageSetup).toMatchObject({
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        printTitlesRow: '3:4',
      });
    });

    it('lists each household in force with the decision in force that month, masked', () => {
      const rows = dataRows(ws, 5);
      // A and the suspended H in 鹰峰 (household order), then F in 河北; G starts only in April.
      expect(rows.map((r) => ws.getCell(r, 4).value)).toEqual(['李建国', '孙老四', '赵大海']);
      expect(rowValues(ws, 5, 1, 14)).toEqual([
        1,
        '乳城镇',
        '鹰峰居委会',
        '李建国',
        `${ids.li?.slice(0, 6)}********${ids.li?.slice(-4)}`,
        3,
        2,
        '城市',
        '2015-01',
        960,
        '***************2345',
        '基本稳定',
        '2015-01-15',
        null,
      ]);
      expect(ws.getCell('J5').numFmt).toBe('#,##0.00');
      expect(rowValues(ws, 6, 4, 14)).toEqual([
        '孙老四',
        expect.stringMatching(/^440232\*{8}\d{3}[\dX]$/),
        1,
        1,
        '城市',
        '2015-01',
        300,
        null,
        null,
        null,
        '暂停发放',
      ]);
      expect(rowValues(ws, 7, 3, 10)).toEqual([
        '河北村委会',
        '赵大海',
        expect.stringMatching(/^440232\*{8}/),
        2,
        2,
        '农村',
        '2015-02',
        520.5,
      ]);
    });

    it('ends with a totals row equal to the sum of the rows', () => {
      const rows = dataRows(ws, 5);
      const total = 5 + rows.length;
      expect(ws.getCell(total, 1).value).toBe('合计');
      expect(mergesOf(ws)).toContain(`A${total}:C${total}`);
      const sum = (col: number) => rows.reduce((a, r) => a + Number(own(ws, r, col) ?? 0), 0);
      expect(ws.getCell(total, 4).value).toBe(`${rows.length}户`);
      expect(ws.getCell(total, 6).value).toBe(sum(6));
      expect(ws.getCell(total, 7).value).toBe(sum(7));
      expect(ws.getCell(total, 10).value).toBeCloseTo(sum(10), 6);
      expect([ws.getCell(total, 6).value, ws.getCell(total, 7).value, ws.getCell(total, 10).value]).toEqual([
        6, 5, 1780.5,
      ]);
    });

    it('lists the members on the second sheet, counted or not', () => {
      const m = sheet(wb, '乳城镇成员');
      expect(m.getCell('A1').value).toBe('乳源瑶族自治县乳城镇城乡低保对象家庭成员信息（截至2015年3月31日）');
      expect(mergesOf(m)).toEqual(expect.arrayContaining(['C3:G3', 'A5:A7', 'B5:B7']));
      expect(rowValues(m, 5, 1, 8)).toEqual([
        1,
        '李建国',
        '李建国',
        '男',
        expect.any(String),
        '户主',
        59,
        '是',
      ]);
      expect(rowValues(m, 7, 3, 8)).toEqual(['李明', '男', expect.any(String), '子女', 10, '否']);
      expect(m.getCell(5 + dataRows(m, 5).length, 3).value).toBe('3户6人');
    });

    it('holds no full ID number and no full bank account anywhere', () => {
      const text = allText(wb);
      expect(text.filter((t) => FULL_ID.test(t))).toEqual([]);
      for (const full of [...Object.values(ids), LI_ACCOUNT, '6230555566667777888']) {
        expect(text.some((t) => t.includes(full))).toBe(false);
      }
    });

    it('writes an audit entry for the export', async () => {
      const rows = await auditRows('filings.record_form_export');
      expect(rows.at(-1)).toMatchObject({ username: 'admin', entity_id: RUCHENG, town_code: RUCHENG });
      expect(JSON.parse(rows.at(-1)?.after_json ?? '{}')).toEqual({
        program: 'dibao',
        asOf: '2015-03-31',
        towns: [{ townCode: RUCHENG, units: 3 }],
      });
    });

    it('takes the decision in force in a later month', async () => {
      const later = sheet(
        await workbook(await admin.get(`/api/v1/filings/record-form.xlsx?town=${RUCHENG}&asOf=2015-04-30`)),
        '乳城镇',
      );
      const rows = dataRows(later, 5);
      expect(rows.map((r) => [later.getCell(r, 4).value, later.getCell(r, 10).value])).toEqual([
        ['李建国', 990],
        ['王小明', 410],
        ['孙老四', 300],
        ['赵大海', 520.5],
      ]);
    });

    it('gives the county one sheet per town (and one members sheet per town)', async () => {
      const all = await workbook(await admin.get('/api/v1/filings/record-form.xlsx?asOf=2015-03-31'));
      expect(all.worksheets.map((w) => w.name)).toEqual(['乳城镇', '大桥镇', '乳城镇成员', '大桥镇成员']);
      const dq = sheet(all, '大桥镇');
      expect(dq.getCell('A1').value).toBe('乳源瑶族自治县大桥镇城乡低保对象信息备案表（截至2015年3月31日）');
      // E (农村低保 from March) has no decision: listed, amount empty, noted.
      expect(rowValues(dq, 5, 4, 14)).toEqual([
        '盘桂兰',
        expect.any(String),
        1,
        null,
        '农村',
        '2015-03',
        null,
        '***************8765',
        null,
        null,
        '未核定待遇',
      ]);
      expect(dq.getCell(6, 1).value).toBe('合计');
    });
  });

  it('特困（五保）备案表: one row per person with the support mode and amount', async () => {
    const wb = await workbook(
      await admin.get(`/api/v1/filings/record-form.xlsx?program=tekun&asOf=2015-03-31`),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual(['乳城镇', '大桥镇']);
    const dq = sheet(wb, '大桥镇');
    expect(dq.getCell('A1').value).toBe(
      '乳源瑶族自治县大桥镇特困（五保）供养对象信息备案表（截至2015年3月31日）',
    );
    expect(rowValues(dq, 5, 4, 11)).toEqual([
      '盘桂兰',
      `${ids.pan?.slice(0, 6)}********${ids.pan?.slice(-4)}`,
      '女',
      75,
      '农村',
      '分散供养',
      '2015-02',
      492,
    ]);
    const rc = sheet(wb, '乳城镇');
    expect(rowValues(rc, 5, 4, 11)).toEqual([
      '陈秀英',
      expect.any(String),
      '女',
      56,
      '城市',
      '集中供养',
      '2015-03',
      656,
    ]);
    expect(rowValues(rc, 6, 1, 11)).toEqual([
      '合计',
      null,
      null,
      '1人',
      null,
      null,
      null,
      null,
      null,
      null,
      656,
    ]);
    expect(allText(wb).filter((t) => FULL_ID.test(t))).toEqual([]);
  });

  it('花名册: one row per member, the household block merged, amounts on the block', async () => {
    const res = await admin.get(`/api/v1/filings/roster.xlsx?town=${RUCHENG}&asOf=2015-03-31`);
    const wb = await workbook(res);
    const ws = sheet(wb, '乳城镇');
    expect(ws.getCell('A1').value).toBe('乳源瑶族自治县乳城镇社会救助对象花名册（截至2015年3月31日）');
    expect(rowValues(ws, 3, 1, 11)).toEqual([
      '序号',
      '村（居）',
      '姓名',
      '性别',
      '身份证号码',
      '与户主关系',
      '年龄',
      '供养方式',
      '保障类别',
      '月保障金（元）',
      '备注',
    ]);
    const rows = dataRows(ws, 4);
    // A (3 members), C 陈秀英 (特困, same household, own enrolment), H (1), F (2).
    expect(rows.map((r) => ws.getCell(r, 3).value)).toEqual([
      '李建国',
      '陈秀英',
      '李明',
      '陈秀英',
      '孙老四',
      '赵大海',
      '钱小红',
    ]);
    expect(mergesOf(ws)).toEqual(
      expect.arrayContaining(['A4:A6', 'B4:B6', 'I4:I6', 'J4:J6', 'A9:A10', 'J9:J10']),
    );
    expect(rowValues(ws, 4, 1, 11)).toEqual([
      1,
      '鹰峰居委会',
      '李建国',
      '男',
      expect.stringMatching(/^440232\*{8}/),
      '户主',
      59,
      null,
      '城市低保',
      960,
      null,
    ]);
    expect(ws.getCell(6, 11).value).toBe('不计入保障');
    expect(rowValues(ws, 7, 1, 10)).toEqual([
      2,
      '鹰峰居委会',
      '陈秀英',
      '女',
      expect.any(String),
      '配偶',
      56,
      '集中供养',
      '城市特困供养',
      656,
    ]);
    const total = 4 + rows.length;
    expect(ws.getCell(total, 3).value).toBe('4户（人）7人');
    const amounts = rows.map((r) => own(ws, r, 10)).filter((v): v is number => typeof v === 'number');
    expect(ws.getCell(total, 10).value).toBeCloseTo(
      amounts.reduce((a, b) => a + b, 0),
      6,
    );
    expect(ws.getCell(total, 10).value).toBe(960 + 656 + 300 + 520.5);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, printTitlesRow: '3:3', fitToWidth: 1 });
    expect(allText(wb).filter((t) => FULL_ID.test(t))).toEqual([]);
    const audit = await auditRows('filings.roster_export');
    expect(audit.at(-1)).toMatchObject({ username: 'admin', entity_id: RUCHENG });
  });

  describe('公示名单', () => {
    it('shows only masked names, household size, covered persons, category and amount', async () => {
      const res = await admin.get(`/api/v1/filings/public-notice.xlsx?village=${YINGFENG}&month=2015-03`);
      const wb = await workbook(res);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['公示名单']);
      const ws = sheet(wb, '公示名单');
      expect(ws.getCell('A1').value).toBe('乳城镇鹰峰居委会城乡低保对象公示名单（2015年3月）');
      expect(mergesOf(ws)).toEqual(expect.arrayContaining(['A1:G1']));
      expect(rowValues(ws, 3, 1, 7)).toEqual([
        '序号',
        '户主姓名',
        '家庭人口',
        '保障人数',
        '类别',
        '月保障金（元）',
        '备注',
      ]);
      // Only A: H is suspended (not posted), G starts in April.
      expect(dataRows(ws, 4)).toEqual([4]);
      expect(rowValues(ws, 4, 1, 6)).toEqual([1, '李*国', 3, 2, '城市', 960]);
      expect(rowValues(ws, 5, 1, 6)).toEqual(['合计', '1户', 3, 2, null, 960]);
      const text = allText(wb);
      expect(text.some((t) => t.startsWith('公示期：'))).toBe(true);
      expect(text.some((t) => t.startsWith('监督电话：'))).toBe(true);
      // No ID number, no account, not even masked ones; no full name.
      expect(text.filter((t) => /\d{6,}|\*{4,}/.test(t))).toEqual([]);
      expect(text.some((t) => t.includes('李建国'))).toBe(false);
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToWidth: 1 });
      const audit = await auditRows('filings.public_notice_export');
      expect(audit.at(-1)).toMatchObject({ username: 'admin', entity_id: YINGFENG, town_code: RUCHENG });
    });

    it('follows the month: April has the new household and the new amount', async () => {
      const ws = sheet(
        await workbook(
          await admin.get(`/api/v1/filings/public-notice.xlsx?village=${YINGFENG}&month=2015-04`),
        ),
        '公示名单',
      );
      expect(ws.getCell('A1').value).toBe('乳城镇鹰峰居委会城乡低保对象公示名单（2015年4月）');
      expect(dataRows(ws, 4).map((r) => rowValues(ws, r, 2, 6))).toEqual([
        ['李*国', 3, 2, '城市', 990],
        ['王*明', 1, 1, '城市', 410],
      ]);
      expect(rowValues(ws, 6, 1, 6)).toEqual(['合计', '2户', 4, 3, null, 1400]);
    });

    it('posts 特困 persons by name, support mode and amount', async () => {
      const ws = sheet(
        await workbook(
          await admin.get(
            `/api/v1/filings/public-notice.xlsx?village=${DAQIAO_VILLAGE}&month=2015-03&program=tekun`,
          ),
        ),
        '公示名单',
      );
      expect(ws.getCell('A1').value).toBe('大桥镇大桥村委会特困（五保）供养对象公示名单（2015年3月）');
      expect(rowValues(ws, 3, 1, 5)).toEqual(['序号', '姓名', '供养方式', '类别', '月供养金（元）']);
      expect(dataRows(ws, 4).map((r) => rowValues(ws, r, 1, 5))).toEqual([
        [1, '盘*兰', '分散供养', '农村', 492],
      ]);
    });

    it('lists the other village on its own', async () => {
      const ws = sheet(
        await workbook(await admin.get(`/api/v1/filings/public-notice.xlsx?village=${HEBEI}&month=2015-03`)),
        '公示名单',
      );
      expect(dataRows(ws, 4).map((r) => rowValues(ws, r, 2, 6))).toEqual([['赵*海', 2, 2, '农村', 520.5]]);
    });
  });

  describe('town scope and permissions', () => {
    it('gives a town user their own town without asking', async () => {
      const wb = await workbook(await rcClerk.get('/api/v1/filings/record-form.xlsx?asOf=2015-03-31'));
      expect(wb.worksheets.map((w) => w.name)).toEqual(['乳城镇', '乳城镇成员']);
      const audit = await auditRows('filings.record_form_export');
      expect(audit.at(-1)).toMatchObject({ username: USERS.ruchengClerk.username, town_code: RUCHENG });
    });

    it('refuses another town (record form, roster, public notice) and audits the try', async () => {
      const denied = async () =>
        (await tdb.db.selectFrom('audit_log').select('id').where('action', '=', 'access.denied').execute())
          .length;
      const before = await denied();
      for (const url of [
        `/api/v1/filings/record-form.xlsx?town=${DAQIAO}`,
        `/api/v1/filings/roster.xlsx?town=${DAQIAO}`,
        `/api/v1/filings/public-notice.xlsx?village=${DAQIAO_VILLAGE}&month=2015-03`,
      ]) {
        const res = await rcClerk.get(url);
        expect(res.statusCode, url).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN_AREA' } });
      }
      await vi.waitFor(async () => expect(await denied()).toBe(before + 3), { timeout: 3000 });
    });

    it('refuses a role without registry access, and bad input', async () => {
      const partner = await login(app, USERS.partner.username);
      const res = await partner.get(`/api/v1/filings/roster.xlsx?town=${RUCHENG}`);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((await admin.get('/api/v1/filings/record-form.xlsx?program=other')).statusCode).toBe(400);
      expect((await admin.get('/api/v1/filings/roster.xlsx?town=440232199')).statusCode).toBe(404);
      expect(
        (await admin.get('/api/v1/filings/public-notice.xlsx?village=440232100999&month=2015-03')).statusCode,
      ).toBe(404);
    });
  });

  describe('CLI', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'jiuzhu-filing-'));
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('jiuzhu filing record-form|public-notice write the same workbooks', async () => {
      const env = { DATABASE_URL: databaseUrlOf(tdb), JIUZHU_COUNTY: COUNTY };
      const out = join(dir, 'form.xlsx');
      const r = runCli(
        [
          'filing',
          'record-form',
          '--town',
          RUCHENG,
          '--as-of',
          '2015-03-31',
          '--out',
          out,
          '--user',
          'rc_clerk',
        ],
        env,
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('乳城镇：3 户，6 人，月保障金合计 1,780.50 元');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      expect(sheet(wb, '乳城镇').getCell('J5').value).toBe(960);

      const notice = join(dir, 'notice.xlsx');
      const n = runCli(
        ['filing', 'public-notice', '--village', YINGFENG, '--month', '2015-03', '--out', notice, '--json'],
        env,
      );
      expect(n.status, n.stderr).toBe(0);
      expect(JSON.parse(n.stdout)).toMatchObject({
        ok: true,
        title: '乳城镇鹰峰居委会城乡低保对象公示名单（2015年3月）',
      });

      const refused = runCli(
        ['filing', 'roster', '--town', DAQIAO, '--out', join(dir, 'x.xlsx'), '--user', 'rc_clerk'],
        env,
      );
      expect(refused.status).not.toBe(0);
      expect(refused.stderr + refused.stdout).toContain('不在您的管辖区域内');
      const audit = await auditRows('filings.record_form_export');
      expect(audit.at(-1)).toMatchObject({ username: 'rc_clerk', entity_id: RUCHENG });
    }, 240_000);
  });
});
