/**
 * 民政统计月报 as xlsx through the API (DOMAIN §14): the workbook read back with exceljs — sheet names, merged and
 * bordered headers, A4 page setup with repeated print titles — and every figure against the statistics
 * service's figures for the month (GET /statistics/monthly) converted to 万元 / 元 as displayed, plus the
 * hand-worked figures of the small ledger (test/helpers/statistics-ledger.ts). Town scoping; audit.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWan } from '../../src/domain/statistics/indicators.ts';
import { DAQIAO, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { seedStatisticsLedger } from '../helpers/statistics-ledger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

interface Split {
  dibaoAddonFen: number;
  priceSubsidyFen: number;
  totalFen: number;
}
interface Ind {
  persons: number;
  households: number;
  personMonthsYtd: number;
  added: { month: { households: number; persons: number }; ytd: { households: number; persons: number } };
  removed: { month: { households: number; persons: number }; ytd: { households: number; persons: number } };
  spendingMonth: Split;
  spendingYtd: Split;
  grantsMonth: number;
  grantsYtd: number;
  levelMonthFen: number | null;
  levelYtdFen: number | null;
  averagePerGrantFen: number | null;
}
interface View {
  programs: {
    program: string;
    total: Ind;
    bySupportMode: { supportMode: string; indicators: Ind }[];
    byTown: { townCode: string; indicators: Ind }[];
  }[];
  fundSources: { month: Record<string, number>; ytd: Record<string, number> };
}

/** As displayed: 万元 two decimals (exact, half-up once), levels in 元 from the service's fen. */
const wan = (fen: number) => Number(formatWan(fen));
const yuan = (fen: number | null) => (fen === null ? '—' : fen / 100);

async function workbook(res: { statusCode: number; body: string; rawPayload: Buffer }) {
  expect(res.statusCode, res.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

const mergesOf = (ws: ExcelJS.Worksheet) => (ws.model as unknown as { merges: string[] }).merges;

/** The row whose first cell (or first two, for the caseload sheet) reads `label`, from `from` on. */
function rowOf(ws: ExcelJS.Worksheet, label: string, from = 1, col = 1): number {
  for (let r = from; r <= ws.rowCount; r++) if (ws.getCell(r, col).value === label) return r;
  throw new Error(`no row ${label}`);
}

const rowValues = (ws: ExcelJS.Worksheet, r: number, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ws.getCell(r, from + i).value);

describe.each(ENGINES)('民政统计月报 xlsx on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;
  let rcClerk: Client;
  let view: View;
  let wb: ExcelJS.Workbook;

  const total = (p: string): Ind => {
    const found = view.programs.find((x) => x.program === p);
    if (!found) throw new Error(`no ${p}`);
    return found.total;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    const fx = await seedFixtures(tdb.db);
    await seedStatisticsLedger(tdb.db, fx);
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    rcClerk = await login(app, USERS.ruchengClerk.username);
    const res = await admin.get('/api/v1/statistics/monthly?month=2015-03');
    expect(res.statusCode, res.body).toBe(200);
    view = res.json() as View;
    wb = await workbook(await admin.get('/api/v1/statistics/monthly-tables.xlsx?month=2015-03'));
  });

  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('sends a workbook of three sheets titled with the county and month', async () => {
    const res = await admin.get('/api/v1/statistics/monthly-tables.xlsx?month=2015-03');
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(
      encodeURIComponent('乳源瑶族自治县民政统计月报（2015年3月）.xlsx'),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual(['资金支出', '救助对象', '分乡镇']);
    for (const ws of wb.worksheets) {
      expect(ws.getCell('A1').value).toBe('乳源瑶族自治县民政统计月报（2015年3月）');
      expect(ws.getCell('A3').value).toBe('填报单位：乳源瑶族自治县民政局');
      expect(ws.getCell('A1').font).toMatchObject({ name: 'SimSun', bold: true });
      expect(String(ws.getCell(3, ws.columnCount).value)).toMatch(/^单位：/);
    }
    expect(sheet(wb, '资金支出').getCell('C3').value).toBe('单位：万元');
  });

  it('merges and borders the multi-level headers', () => {
    const s1 = sheet(wb, '资金支出');
    expect(mergesOf(s1)).toEqual(
      expect.arrayContaining(['A1:D1', 'A2:D2', 'A3:B3', 'C3:D3', 'A4:A5', 'B4:B5', 'C4:D4']),
    );
    expect(rowValues(s1, 5, 3, 4)).toEqual(['当月', '累计']);
    const s2 = sheet(wb, '救助对象');
    expect(mergesOf(s2)).toEqual(
      expect.arrayContaining([
        'A4:B6', // 项目
        'C4:D4', // 月末保障对象
        'E4:H4', // 新增
        'E5:F5', // 新增 当月
        'G5:H5', // 新增 本年累计
        'I4:L4', // 退出
        'M4:M6', // 本年累计人次
        'N4:O4', // 资金支出（万元）
        'P4:Q4', // 人均补助水平
        'P5:P6',
        'Q5:Q6',
        'A10:A12', // 城市特困 小计/集中/分散
        'A13:A15',
      ]),
    );
    expect([s2.getCell('E4').value, s2.getCell('E5').value, s2.getCell('E6').value]).toEqual([
      '新增',
      '当月',
      '户数',
    ]);
    const s3 = sheet(wb, '分乡镇');
    expect(mergesOf(s3)).toEqual(
      expect.arrayContaining(['A4:A6', 'B4:E4', 'F4:I4', 'J4:M4', 'N4:O4', 'P4:Q4', 'R4:S4', 'D5:E5']),
    );
    expect([s3.getCell('B4').value, s3.getCell('F4').value, s3.getCell('J4').value]).toEqual([
      '城市低保',
      '农村低保',
      '特困人员救助供养',
    ]);
    // Every header cell, merged ones included, and every data cell has a thin box.
    for (const [ws, lastCol, lastHeaderRow] of [
      [s1, 4, 6],
      [s2, 17, 7],
      [s3, 19, 7],
    ] as const) {
      for (let r = 4; r <= lastHeaderRow + 1; r++) {
        for (let c = 1; c <= lastCol; c++) {
          const b = ws.getCell(r, c).border;
          expect(
            [b?.top?.style, b?.left?.style, b?.bottom?.style, b?.right?.style],
            `${ws.name} ${r}:${c}`,
          ).toEqual(['thin', 'thin', 'thin', 'thin']);
        }
      }
      expect(ws.getCell(4, 1).font).toMatchObject({ name: 'SimSun', bold: true });
      expect(ws.getCell(4, 1).alignment).toMatchObject({ horizontal: 'center', vertical: 'middle' });
    }
  });

  it('prints on A4, one page wide, with the header rows repeated', () => {
    for (const [name, orientation, titles] of [
      ['资金支出', 'portrait', '$4:$6'],
      ['救助对象', 'landscape', '$4:$7'],
      ['分乡镇', 'landscape', '$4:$7'],
    ] as const) {
      const ps = sheet(wb, name).pageSetup;
      expect(ps).toMatchObject({ paperSize: 9, orientation, fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      expect(String(ps.printTitlesRow).replaceAll('$', '')).toBe(titles.replaceAll('$', ''));
    }
    expect(sheet(wb, '资金支出').getColumn(1).width).toBeGreaterThan(30);
  });

  it('shows the spending block in 万元 as the service computes it (DOMAIN §14)', () => {
    const ws = sheet(wb, '资金支出');
    const at = (label: string) => {
      const r = rowOf(ws, label, 7);
      expect(ws.getCell(r, 3).numFmt).toBe('0.00');
      return [ws.getCell(r, 3).value, ws.getCell(r, 4).value];
    };
    const u = total('urban_dibao');
    const rd = total('rural_dibao');
    const ut = total('urban_tekun');
    const rt = total('rural_tekun');
    const tmp = total('temporary_aid');
    const med = total('medical_aid');
    const all = [u, rd, ut, rt, tmp, med];
    const sum = (xs: Ind[], f: (i: Ind) => number) => xs.reduce((a, i) => a + f(i), 0);
    const m = (i: Ind) => i.spendingMonth.totalFen;
    const y = (i: Ind) => i.spendingYtd.totalFen;
    expect(at('社会救助支出合计')).toEqual([wan(sum(all, m)), wan(sum(all, y))]);
    expect(at('一、最低生活保障支出')).toEqual([wan(m(u) + m(rd)), wan(y(u) + y(rd))]);
    expect(at('A.城市低保累计支出')).toEqual([wan(m(u)), wan(y(u))]);
    expect(at('Ⅰ.城市低保金')).toEqual([
      wan(m(u) - u.spendingMonth.priceSubsidyFen),
      wan(y(u) - u.spendingYtd.priceSubsidyFen),
    ]);
    expect(at('Ⅱ.城市低保对象价格临时补贴')).toEqual([
      wan(u.spendingMonth.priceSubsidyFen),
      wan(u.spendingYtd.priceSubsidyFen),
    ]);
    expect(at('B.农村低保累计支出')).toEqual([wan(m(rd)), wan(y(rd))]);
    expect(at('Ⅱ.农村低保对象价格临时补贴')).toEqual([
      wan(rd.spendingMonth.priceSubsidyFen),
      wan(rd.spendingYtd.priceSubsidyFen),
    ]);
    expect(at('二、特困人员救助供养支出')).toEqual([wan(m(ut) + m(rt)), wan(y(ut) + y(rt))]);
    expect(at('A.城市')).toEqual([wan(m(ut)), wan(y(ut))]);
    expect(at('B.农村')).toEqual([wan(m(rt)), wan(y(rt))]);
    expect(at('三、临时救助支出')).toEqual([wan(m(tmp)), wan(y(tmp))]);
    expect(at('四、医疗救助支出')).toEqual([wan(m(med)), wan(y(med))]);
    expect(at('县级财政')).toEqual([
      wan(view.fundSources.month.county ?? 0),
      wan(view.fundSources.ytd.county ?? 0),
    ]);

    // By hand from the ledger: 城市低保 March 900 + 60 + 45 = 1,005 元 = 0.1005 万 → 0.10; since January
    // 960 × 3 + 30 + 45 = 2,955 元 = 0.2955 万 → 0.30 (half-up, once, from fen); 低保金 2,880 元 → 0.29 and the
    // price subsidy 75 元 → 0.01, so A = Ⅰ + Ⅱ. 临时救助 850 元 = 0.085 万 → 0.09 (half-up, not to even).
    expect(at('A.城市低保累计支出')).toEqual([0.1, 0.3]);
    expect(at('Ⅰ.城市低保金')).toEqual([0.1, 0.29]);
    expect(at('Ⅱ.城市低保对象价格临时补贴')).toEqual([0, 0.01]);
    expect(at('三、临时救助支出')).toEqual([0.09, 0.09]);
    // All programs: March 1,005 + 243.33 + 656 + 592 + 850 + 500 = 3,846.33 元 → 0.38; year 6,488.33 元 → 0.65.
    expect(at('社会救助支出合计')).toEqual([0.38, 0.65]);
  });

  it('shows the caseload block with 集中/分散 and the levels in 元 as the service computes them', () => {
    const ws = sheet(wb, '救助对象');
    const line = (i: Ind) => [
      i.households,
      i.persons,
      i.added.month.households,
      i.added.month.persons,
      i.added.ytd.households,
      i.added.ytd.persons,
      i.removed.month.households,
      i.removed.month.persons,
      i.removed.ytd.households,
      i.removed.ytd.persons,
      i.personMonthsYtd,
      wan(i.spendingMonth.totalFen),
      wan(i.spendingYtd.totalFen),
      yuan(i.levelMonthFen),
      yuan(i.levelYtdFen),
    ];
    const urbanRow = rowOf(ws, '城市低保', 8);
    const ruralRow = rowOf(ws, '农村低保', 8);
    expect(rowValues(ws, urbanRow, 3, 17)).toEqual(line(total('urban_dibao')));
    expect(rowValues(ws, ruralRow, 3, 17)).toEqual(line(total('rural_dibao')));
    const mode = (p: string, m: string) => {
      const i = view.programs.find((x) => x.program === p)?.bySupportMode.find((x) => x.supportMode === m);
      return i?.indicators;
    };
    const ut = rowOf(ws, '城市特困人员救助供养', 8);
    expect(rowValues(ws, ut, 2, 2)).toEqual(['小计']);
    expect(rowValues(ws, ut, 3, 17)).toEqual(line(total('urban_tekun')));
    expect(rowValues(ws, ut + 1, 2, 2)).toEqual(['集中供养']);
    expect(rowValues(ws, ut + 1, 3, 17)).toEqual(line(mode('urban_tekun', 'concentrated') as Ind));
    // No dispersed 城市特困: a row of zeros, the levels shown as '—' (nobody to divide by).
    expect(rowValues(ws, ut + 2, 3, 17)).toEqual([...Array(10).fill(0), 0, 0, 0, '—', '—']);
    const rt = rowOf(ws, '农村特困人员救助供养', 8);
    expect(rowValues(ws, rt, 3, 17)).toEqual(line(total('rural_tekun')));
    expect(rowValues(ws, rt + 2, 3, 17)).toEqual(line(mode('rural_tekun', 'dispersed') as Ind));

    // By hand: 城市低保 1 户 3 人, 人次 9; 当月人均 1,005 ÷ 3 = 335.00 元; 累计月人均 2,955 ÷ 9 = 328.333… → 328.33.
    expect(rowValues(ws, urbanRow, 3, 4)).toEqual([1, 3]);
    expect(rowValues(ws, urbanRow, 13, 17)).toEqual([9, 0.1, 0.3, 335, 328.33]);
    // 农村低保: E new in March (新增 1 户 1 人), D out in February (退出 本年 1 户 1 人); 人次 2;
    // 累计月人均 443.33 ÷ 2 = 221.665 → 221.67 元 (half-up to the fen).
    expect(rowValues(ws, ruralRow, 3, 17)).toEqual([
      1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 2, 0.02, 0.04, 243.33, 221.67,
    ]);
    expect(ws.getCell(urbanRow, 16).numFmt).toBe('0.00');

    const g = rowOf(ws, '临时救助', ruralRow + 1);
    const tmp = total('temporary_aid');
    const med = total('medical_aid');
    expect(rowValues(ws, g, 3, 7)).toEqual([
      tmp.grantsMonth,
      tmp.grantsYtd,
      wan(tmp.spendingMonth.totalFen),
      wan(tmp.spendingYtd.totalFen),
      yuan(tmp.averagePerGrantFen),
    ]);
    expect(rowValues(ws, g + 1, 1, 7)).toEqual([
      '医疗救助',
      '医疗救助',
      med.grantsMonth,
      med.grantsYtd,
      wan(med.spendingMonth.totalFen),
      wan(med.spendingYtd.totalFen),
      yuan(med.averagePerGrantFen),
    ]);
    expect(rowValues(ws, g, 7, 7)).toEqual([850]);
  });

  it('gives one row per town with the county total first', () => {
    const ws = sheet(wb, '分乡镇');
    expect(rowValues(ws, 8, 1, 1)).toEqual(['全县合计']);
    expect([ws.getCell(9, 1).value, ws.getCell(10, 1).value]).toEqual(['乳城镇', '大桥镇']);
    const town = (p: string, t: string): Ind | undefined =>
      view.programs.find((x) => x.program === p)?.byTown.find((x) => x.townCode === t)?.indicators;
    const zero = {
      persons: 0,
      households: 0,
      grantsYtd: 0,
      spendingMonth: { totalFen: 0 },
      spendingYtd: { totalFen: 0 },
    };
    const expected = (
      of: (p: string) => Pick<Ind, 'persons' | 'households' | 'grantsYtd'> & {
        spendingMonth: { totalFen: number };
        spendingYtd: { totalFen: number };
      },
    ) => {
      const d = ['urban_dibao', 'rural_dibao'].flatMap((p) => {
        const i = of(p);
        return [i.households, i.persons, wan(i.spendingMonth.totalFen), wan(i.spendingYtd.totalFen)];
      });
      const ut = of('urban_tekun');
      const rt = of('rural_tekun');
      const g = ['temporary_aid', 'medical_aid'].flatMap((p) => [
        of(p).grantsYtd,
        wan(of(p).spendingYtd.totalFen),
      ]);
      const all = [
        'urban_dibao',
        'rural_dibao',
        'urban_tekun',
        'rural_tekun',
        'temporary_aid',
        'medical_aid',
      ].map(of);
      return [
        ...d,
        ut.persons,
        rt.persons,
        wan(ut.spendingMonth.totalFen + rt.spendingMonth.totalFen),
        wan(ut.spendingYtd.totalFen + rt.spendingYtd.totalFen),
        ...g,
        wan(all.reduce((a, i) => a + i.spendingMonth.totalFen, 0)),
        wan(all.reduce((a, i) => a + i.spendingYtd.totalFen, 0)),
      ];
    };
    expect(rowValues(ws, 8, 2, 19)).toEqual(expected(total));
    expect(rowValues(ws, 9, 2, 19)).toEqual(expected((p) => town(p, RUCHENG) ?? zero));
    expect(rowValues(ws, 10, 2, 19)).toEqual(expected((p) => town(p, DAQIAO) ?? zero));
    // By hand, 乳城镇: 城市低保 1 户 3 人 0.10/0.30; 城市特困 1 人 656 元 → 0.07; 临时救助 1 人次 0.09;
    // all 1,005 + 656 + 850 = 2,511 元 → 0.25, year 2,955 + 656 + 850 = 4,461 元 → 0.45.
    expect(rowValues(ws, 9, 2, 19)).toEqual([
      1, 3, 0.1, 0.3, 0, 0, 0, 0, 1, 0, 0.07, 0.07, 1, 0.09, 0, 0, 0.25, 0.45,
    ]);
  });

  it('gives a town user their own town only, refuses another town, and audits the export', async () => {
    const own = await workbook(await rcClerk.get('/api/v1/statistics/monthly-tables.xlsx?month=2015-03'));
    const ws = sheet(own, '分乡镇');
    expect(ws.getCell('A1').value).toBe('乳源瑶族自治县乳城镇民政统计月报（2015年3月）');
    expect(rowValues(ws, 8, 1, 1)).toEqual(['合计']);
    expect(rowValues(ws, 9, 1, 1)).toEqual(['乳城镇']);
    expect(ws.getCell(10, 1).value).not.toBe('大桥镇');
    // 乳城's own figures only: no 农村低保, no 医疗救助.
    expect(rowValues(ws, 8, 6, 9)).toEqual([0, 0, 0, 0]);
    expect(
      rowValues(sheet(own, '资金支出'), rowOf(sheet(own, '资金支出'), '社会救助支出合计', 7), 3, 4),
    ).toEqual([0.25, 0.45]);
    const other = await rcClerk.get(
      `/api/v1/statistics/monthly-tables.xlsx?month=2015-03&townCode=${DAQIAO}`,
    );
    expect(other.statusCode).toBe(403);
    const bad = await admin.get('/api/v1/statistics/monthly-tables.xlsx?month=2015-13');
    expect(bad.statusCode).toBe(400);
    const partner = await login(app, USERS.partner.username);
    expect((await partner.get('/api/v1/statistics/monthly-tables.xlsx?month=2015-03')).statusCode).toBe(403);

    const audits = await tdb.db
      .selectFrom('audit_log')
      .select(['username', 'action', 'entity_id', 'town_code'])
      .where('action', '=', 'statistics.tables_export')
      .orderBy('id')
      .execute();
    expect(audits.map((a) => [a.username, a.entity_id, a.town_code])).toEqual(
      expect.arrayContaining([
        ['admin', '2015-03', null],
        ['rc_clerk', '2015-03', RUCHENG],
      ]),
    );
  });

  it('prints a frozen month from its snapshot, whatever was posted later', async () => {
    const frozen = await admin.send('POST', '/api/v1/statistics/snapshots', { month: '2015-03' });
    expect(frozen.statusCode, frozen.body).toBe(201);
    // A 补发 of 300 元 for March posted in April: the frozen March stays as reported.
    const unit = await tdb.db
      .selectFrom('payment_ledger')
      .selectAll()
      .where('program_code', '=', 'urban_dibao')
      .where('benefit_month', '=', '2015-03')
      .where('component', '=', 'dibao_base')
      .executeTakeFirstOrThrow();
    const { id: _id, ...row } = unit;
    await tdb.db
      .insertInto('payment_ledger')
      .values({ ...row, amount_fen: 30_000, entry_kind: 'arrears', pay_month: '2015-04' })
      .execute();
    const book = await workbook(await admin.get('/api/v1/statistics/monthly-tables.xlsx?month=2015-03'));
    const ws = sheet(book, '资金支出');
    expect(rowValues(ws, rowOf(ws, 'A.城市低保累计支出', 7), 3, 4)).toEqual([0.1, 0.3]);
    // …while the ledger now says 1,305 元 for March (the live read).
    const live = (await admin.get('/api/v1/statistics/monthly?month=2015-03&live=true')).json() as View;
    expect(live.programs.find((p) => p.program === 'urban_dibao')?.total.spendingMonth.totalFen).toBe(
      130_500,
    );
    const notes = Array.from({ length: ws.rowCount }, (_, i) => String(ws.getCell(i + 1, 1).value ?? ''));
    expect(notes).toContain(
      `数据来源：2015年3月统计快照第 1 版（${(frozen.json() as { frozenAt: string }).frozenAt.slice(0, 10)} 冻结），由支付台账生成。`,
    );
  });

  it('documents the route in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys((res.json() as { paths: Record<string, unknown> }).paths)).toContain(
      '/api/v1/statistics/monthly-tables.xlsx',
    );
  });
});
