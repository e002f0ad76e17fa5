/**
 * 民政统计月报 as a workbook (DOMAIN §14): the month's figures of the statistics service laid out as the
 * bureau's monthly tables, to print on A4 and send upward.
 *
 * - 资金支出: the spending block, 当月 and 累计 in 万元 (two decimals, each figure converted from fen once,
 *   half-up). A 城市低保累计支出 = I 城市低保金 + II 价格临时补贴 exactly: I is everything of the group except the
 *   price subsidy, so it holds the 分类施保 (shown as 其中, Guangdong counts it as 低保资金, DOMAIN §17) and
 *   any other component paid with the group (节日补贴).
 * - 救助对象: the caseload block, month-end 户数/人数, 新增/退出 (当月 and 本年累计), 人次, spending and the two
 *   per-capita levels in 元 (the service's levels, rounded once to the fen; shown, not rounded again); 特困 by
 *   集中/分散; 临时救助 and 医疗救助 as 人次, spending and 平均救助水平.
 * - 分乡镇: one row per town of the county (all of them, zero rows included) with the main columns, the county
 *   total first.
 * The figures are those of monthlyStatistics (the latest frozen snapshot when there is one), so the workbook
 * says what the screen and the CLI say; a town user gets their own town only.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import type { SpendingSplit } from '../../domain/statistics/indicators.ts';
import { formatWan } from '../../domain/statistics/indicators.ts';
import { findArea, listTowns } from '../areas/areas.repository.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Indicators, type MonthlyView, monthlyStatistics } from './statistics.service.ts';

type Db = Kysely<Database>;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The bureau's machines run Windows (宋体); elsewhere the CJK fallback (Noto) shows the Chinese. */
const FONT_NAME = 'SimSun';
/** GB2312: tells Excel and LibreOffice the font is for Chinese text. */
const CHARSET_GB2312 = 134;
const WAN = '0.00';
const YUAN = '0.00';
const COUNT = '0';
const THIN = { style: 'thin' } as const;
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const A4 = 9;

/** fen → 万元 as a number with two decimals: the exact quotient rounded once, half-up (formatWan). */
export function wanOf(fen: number): number {
  return Number(formatWan(fen));
}

/** A level in fen (already rounded once by the service) → 元; '—' when there was nobody to divide by. */
export function yuanOf(levelFen: number | null): number | string {
  return levelFen === null ? '—' : levelFen / 100;
}

const ZERO_SPLIT: SpendingSplit = {
  dibaoBaseFen: 0,
  dibaoAddonFen: 0,
  priceSubsidyFen: 0,
  otherFen: 0,
  totalFen: 0,
};
const ZERO_FLOW = { households: 0, persons: 0 };
/** A program, mode or town with nothing in the month. */
const EMPTY: Indicators = {
  persons: 0,
  households: 0,
  personMonthsYtd: 0,
  householdMonthsYtd: 0,
  ageGroups: { minors: 0, adults: 0, elderly: 0 },
  added: { month: ZERO_FLOW, ytd: ZERO_FLOW, reasonsYtd: [] },
  removed: { month: ZERO_FLOW, ytd: ZERO_FLOW, reasonsYtd: [] },
  spendingMonth: ZERO_SPLIT,
  spendingYtd: ZERO_SPLIT,
  componentsMonth: {},
  componentsYtd: {},
  fundMonth: {},
  fundYtd: {},
  grantsMonth: 0,
  grantsYtd: 0,
  levelMonthFen: null,
  levelYtdFen: null,
  topUpLevelMonthFen: null,
  topUpLevelYtdFen: null,
  averagePerGrantFen: null,
  wan: { spendingMonth: '0.00', spendingYtd: '0.00' },
};

type Cell = string | number;

interface Sheet {
  ws: ExcelJS.Worksheet;
  cols: number;
}

function styleCell(cell: ExcelJS.Cell, opts: { bold?: boolean; size?: number } = {}): void {
  cell.font = { name: FONT_NAME, charset: CHARSET_GB2312, size: opts.size ?? 10, bold: opts.bold ?? false };
}

/** Writes text into r1:c1…r2:c2, merging when it spans more than one cell. */
function put(s: Sheet, r1: number, c1: number, r2: number, c2: number, text: Cell): ExcelJS.Cell {
  if (r1 !== r2 || c1 !== c2) s.ws.mergeCells(r1, c1, r2, c2);
  const cell = s.ws.getCell(r1, c1);
  cell.value = text;
  return cell;
}

/** Thin borders, the font and the alignment over a block of the table (every cell, merged ones included). */
function grid(
  s: Sheet,
  r1: number,
  r2: number,
  c1: number,
  c2: number,
  opts: { header?: boolean } = {},
): void {
  for (let r = r1; r <= r2; r++) {
    for (let c = c1; c <= c2; c++) {
      const cell = s.ws.getCell(r, c);
      cell.border = BOX;
      styleCell(cell, { bold: opts.header ?? false });
      if (opts.header) cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      else if (typeof cell.value === 'number' || cell.value === '—')
        cell.alignment = { horizontal: 'right', vertical: 'middle' };
      else cell.alignment = { ...cell.alignment, vertical: 'middle', wrapText: true };
    }
  }
}

interface Heading {
  title: string;
  table: string;
  unitOf: string;
  unit: string;
  /** The source of the figures (snapshot version or ledger), printed under the table. */
  source: string;
}

/** Rows 1–3: the title with the county and month, the table's name, 填报单位 and 单位. */
function heading(s: Sheet, h: Heading): void {
  const t = put(s, 1, 1, 1, s.cols, h.title);
  styleCell(t, { bold: true, size: 16 });
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  s.ws.getRow(1).height = 30;
  const n = put(s, 2, 1, 2, s.cols, h.table);
  styleCell(n, { bold: true, size: 12 });
  n.alignment = { horizontal: 'center', vertical: 'middle' };
  s.ws.getRow(2).height = 20;
  const half = Math.max(1, Math.floor(s.cols / 2));
  const left = put(s, 3, 1, 3, half, `填报单位：${h.unitOf}`);
  styleCell(left);
  left.alignment = { horizontal: 'left', vertical: 'middle' };
  const right = put(s, 3, half + 1, 3, s.cols, `单位：${h.unit}`);
  styleCell(right);
  right.alignment = { horizontal: 'right', vertical: 'middle' };
}

/** Under the table: the source of the figures, the definitions, and the signature line of the form. */
function footer(s: Sheet, row: number, notes: string[]): void {
  let r = row + 1;
  for (const note of notes) {
    const c = put(s, r, 1, r, s.cols, note);
    styleCell(c, { size: 9 });
    c.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    s.ws.getRow(r).height = 15 * Math.max(1, Math.ceil(note.length / (s.cols * 9)));
    r++;
  }
  const sign = put(
    s,
    r + 1,
    1,
    r + 1,
    s.cols,
    '单位负责人：　　　　　　统计负责人：　　　　　　填表人：　　　　　　报出日期：　　　　年　　月　　日',
  );
  styleCell(sign);
}

function pageSetup(s: Sheet, orientation: 'portrait' | 'landscape', headerRows: string): void {
  s.ws.pageSetup = {
    paperSize: A4,
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    // 0 = as many pages high as it takes (the towns run on), each with the header repeated.
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: headerRows,
  };
  s.ws.headerFooter = { oddFooter: '&C第 &P 页，共 &N 页' };
}

function widths(s: Sheet, w: number[]): void {
  w.forEach((width, i) => {
    s.ws.getColumn(i + 1).width = width;
  });
}

/** Writes one data row from column `from`, numbers with the given formats. */
function values(s: Sheet, r: number, from: number, cells: [Cell, string][]): void {
  cells.forEach(([v, fmt], i) => {
    const cell = s.ws.getCell(r, from + i);
    cell.value = v;
    if (typeof v === 'number') cell.numFmt = fmt;
  });
}

function columnNumbers(s: Sheet, r: number, labelCols: number, labels: string[]): void {
  labels.forEach((l, i) => {
    s.ws.getCell(r, i + 1).value = l;
  });
  for (let c = labels.length + 1; c <= s.cols; c++) s.ws.getCell(r, c).value = c - labelCols;
}

// ---------------------------------------------------------------------------------------------------------------
// The figures, read off the service's view.

function program(view: MonthlyView, code: string) {
  return view.programs.find((p) => p.program === code);
}
function totalOf(view: MonthlyView, code: string): Indicators {
  return program(view, code)?.total ?? EMPTY;
}
function modeOf(view: MonthlyView, code: string, mode: string): Indicators {
  return program(view, code)?.bySupportMode.find((m) => m.supportMode === mode)?.indicators ?? EMPTY;
}
function townOf(view: MonthlyView, code: string, town: string): Indicators {
  return program(view, code)?.byTown.find((t) => t.townCode === town)?.indicators ?? EMPTY;
}

/** The rows of the spending block: label, indent, code, fen of the month and since January. */
export interface SpendingRow {
  label: string;
  indent: number;
  code: string;
  monthFen: number;
  ytdFen: number;
}

export function spendingRows(view: MonthlyView): SpendingRow[] {
  const t = (code: string) => totalOf(view, code);
  const sum = (codes: string[], pick: (i: Indicators) => number) =>
    codes.reduce((acc, c) => acc + pick(t(c)), 0);
  const month = (i: Indicators) => i.spendingMonth.totalFen;
  const ytd = (i: Indicators) => i.spendingYtd.totalFen;
  const dibao = (code: string, area: string, letter: string): Omit<SpendingRow, 'code'>[] => {
    const i = t(code);
    return [
      { label: `${letter}.${area}低保累计支出`, indent: 2, monthFen: month(i), ytdFen: ytd(i) },
      {
        label: `Ⅰ.${area}低保金`,
        indent: 3,
        monthFen: i.spendingMonth.totalFen - i.spendingMonth.priceSubsidyFen,
        ytdFen: i.spendingYtd.totalFen - i.spendingYtd.priceSubsidyFen,
      },
      {
        label: '其中：分类施保',
        indent: 4,
        monthFen: i.spendingMonth.dibaoAddonFen,
        ytdFen: i.spendingYtd.dibaoAddonFen,
      },
      {
        label: `Ⅱ.${area}低保对象价格临时补贴`,
        indent: 3,
        monthFen: i.spendingMonth.priceSubsidyFen,
        ytdFen: i.spendingYtd.priceSubsidyFen,
      },
    ];
  };
  const all = view.programs.map((p) => p.program);
  const rows: Omit<SpendingRow, 'code'>[] = [
    { label: '社会救助支出合计', indent: 0, monthFen: sum(all, month), ytdFen: sum(all, ytd) },
    {
      label: '一、最低生活保障支出',
      indent: 1,
      monthFen: sum(['urban_dibao', 'rural_dibao'], month),
      ytdFen: sum(['urban_dibao', 'rural_dibao'], ytd),
    },
    ...dibao('urban_dibao', '城市', 'A'),
    ...dibao('rural_dibao', '农村', 'B'),
    {
      label: '二、特困人员救助供养支出',
      indent: 1,
      monthFen: sum(['urban_tekun', 'rural_tekun'], month),
      ytdFen: sum(['urban_tekun', 'rural_tekun'], ytd),
    },
    { label: 'A.城市', indent: 2, monthFen: month(t('urban_tekun')), ytdFen: ytd(t('urban_tekun')) },
    { label: 'B.农村', indent: 2, monthFen: month(t('rural_tekun')), ytdFen: ytd(t('rural_tekun')) },
    {
      label: '三、临时救助支出',
      indent: 1,
      monthFen: month(t('temporary_aid')),
      ytdFen: ytd(t('temporary_aid')),
    },
    {
      label: '四、医疗救助支出',
      indent: 1,
      monthFen: month(t('medical_aid')),
      ytdFen: ytd(t('medical_aid')),
    },
    {
      label: '附：按资金来源',
      indent: 0,
      monthFen: sumValues(view.fundSources.month),
      ytdFen: sumValues(view.fundSources.ytd),
    },
    {
      label: '中央财政',
      indent: 1,
      monthFen: view.fundSources.month.central ?? 0,
      ytdFen: view.fundSources.ytd.central ?? 0,
    },
    {
      label: '省级财政',
      indent: 1,
      monthFen: view.fundSources.month.provincial ?? 0,
      ytdFen: view.fundSources.ytd.provincial ?? 0,
    },
    {
      label: '县级财政',
      indent: 1,
      monthFen: view.fundSources.month.county ?? 0,
      ytdFen: view.fundSources.ytd.county ?? 0,
    },
  ];
  return rows.map((r, i) => ({ ...r, code: String(i + 1).padStart(2, '0') }));
}

function sumValues(m: Record<string, number>): number {
  return Object.values(m).reduce((a, b) => a + b, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// The sheets.

function spendingSheet(wb: ExcelJS.Workbook, view: MonthlyView, h: Omit<Heading, 'table' | 'unit'>): void {
  const s: Sheet = { ws: wb.addWorksheet('资金支出'), cols: 4 };
  heading(s, { ...h, table: '表一　社会救助资金支出情况', unit: '万元' });
  put(s, 4, 1, 5, 1, '指标名称');
  put(s, 4, 2, 5, 2, '代码');
  put(s, 4, 3, 4, 4, '资金支出');
  put(s, 5, 3, 5, 3, '当月');
  put(s, 5, 4, 5, 4, '累计');
  columnNumbers(s, 6, 2, ['甲', '乙']);
  grid(s, 4, 6, 1, s.cols, { header: true });
  const rows = spendingRows(view);
  let r = 7;
  for (const row of rows) {
    values(s, r, 1, [
      [row.label, ''],
      [row.code, ''],
      [wanOf(row.monthFen), WAN],
      [wanOf(row.ytdFen), WAN],
    ]);
    r++;
  }
  const last = r - 1;
  grid(s, 7, last, 1, s.cols);
  rows.forEach((row, i) => {
    const label = s.ws.getCell(7 + i, 1);
    label.alignment = { horizontal: 'left', vertical: 'middle', indent: row.indent * 2 };
    if (row.indent === 0) styleCell(label, { bold: true });
    s.ws.getCell(7 + i, 2).alignment = { horizontal: 'center', vertical: 'middle' };
  });
  footer(s, last + 1, [
    h.source,
    '说明：支出按救助月份汇总（补发、追回计入所属月份），累计为本年1月至本月；Ⅰ低保金含分类施保；万元保留两位小数（四舍五入）。',
  ]);
  widths(s, [40, 7, 16, 16]);
  pageSetup(s, 'portrait', '4:6');
}

function caseloadSheet(wb: ExcelJS.Workbook, view: MonthlyView, h: Omit<Heading, 'table' | 'unit'>): void {
  const s: Sheet = { ws: wb.addWorksheet('救助对象'), cols: 20 };
  heading(s, { ...h, table: '表二　救助对象及补助水平', unit: '户、人、人次、万元、元' });
  put(s, 4, 1, 6, 2, '项目');
  put(s, 4, 3, 4, 4, '月末保障对象');
  put(s, 5, 3, 6, 3, '户数');
  put(s, 5, 4, 6, 4, '人数');
  for (const [col, label] of [
    [5, '新增'],
    [9, '退出'],
  ] as const) {
    put(s, 4, col, 4, col + 3, label);
    put(s, 5, col, 5, col + 1, '当月');
    put(s, 5, col + 2, 5, col + 3, '本年累计');
    put(s, 6, col, 6, col, '户数');
    put(s, 6, col + 1, 6, col + 1, '人数');
    put(s, 6, col + 2, 6, col + 2, '户数');
    put(s, 6, col + 3, 6, col + 3, '人数');
  }
  put(s, 4, 13, 6, 13, '本年累计人次');
  put(s, 4, 14, 4, 15, '资金支出（万元）');
  put(s, 5, 14, 6, 14, '当月');
  put(s, 5, 15, 6, 15, '累计');
  put(s, 4, 16, 4, 17, '人均补助水平（元/人·月）');
  put(s, 5, 16, 6, 16, '当月人均补助水平');
  put(s, 5, 17, 6, 17, '累计月人均补助水平');
  // DOMAIN §14 age breakdown of the month-end persons (cut-offs 18 and 60: indicators.ts DEFAULT_AGE_CUTOFFS).
  put(s, 4, 18, 4, 20, '月末人数按年龄');
  put(s, 5, 18, 6, 18, '老年人（60岁及以上）');
  put(s, 5, 19, 6, 19, '成年人（18至59岁）');
  put(s, 5, 20, 6, 20, '未成年人（18岁以下）');
  put(s, 7, 1, 7, 2, '甲');
  for (let c = 3; c <= s.cols; c++) s.ws.getCell(7, c).value = c - 2;
  grid(s, 4, 7, 1, s.cols, { header: true });

  const line = (r: number, i: Indicators) =>
    values(s, r, 3, [
      [i.households, COUNT],
      [i.persons, COUNT],
      [i.added.month.households, COUNT],
      [i.added.month.persons, COUNT],
      [i.added.ytd.households, COUNT],
      [i.added.ytd.persons, COUNT],
      [i.removed.month.households, COUNT],
      [i.removed.month.persons, COUNT],
      [i.removed.ytd.households, COUNT],
      [i.removed.ytd.persons, COUNT],
      [i.personMonthsYtd, COUNT],
      [wanOf(i.spendingMonth.totalFen), WAN],
      [wanOf(i.spendingYtd.totalFen), WAN],
      [yuanOf(i.levelMonthFen), YUAN],
      [yuanOf(i.levelYtdFen), YUAN],
      // A month frozen before the age groups were kept shows them as '—'.
      [i.ageGroups?.elderly ?? '—', COUNT],
      [i.ageGroups?.adults ?? '—', COUNT],
      [i.ageGroups?.minors ?? '—', COUNT],
    ]);
  let r = 8;
  for (const [code, label] of [
    ['urban_dibao', '城市低保'],
    ['rural_dibao', '农村低保'],
  ] as const) {
    put(s, r, 1, r, 2, label);
    line(r, totalOf(view, code));
    r++;
  }
  for (const [code, label] of [
    ['urban_tekun', '城市特困人员救助供养'],
    ['rural_tekun', '农村特困人员救助供养'],
  ] as const) {
    put(s, r, 1, r + 2, 1, label);
    put(s, r, 2, r, 2, '小计');
    line(r, totalOf(view, code));
    put(s, r + 1, 2, r + 1, 2, '集中供养');
    line(r + 1, modeOf(view, code, 'concentrated'));
    put(s, r + 2, 2, r + 2, 2, '分散供养');
    line(r + 2, modeOf(view, code, 'dispersed'));
    r += 3;
  }
  grid(s, 8, r - 1, 1, s.cols);
  for (let i = 8; i < r; i++) {
    s.ws.getCell(i, 1).alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    s.ws.getCell(i, 2).alignment = { horizontal: 'center', vertical: 'middle' };
  }

  // 临时救助 and 医疗救助: counted per grant (人次), DOMAIN §14.
  const g = r + 1;
  put(s, g, 1, g + 1, 2, '项目');
  put(s, g, 3, g, 4, '救助人次');
  put(s, g + 1, 3, g + 1, 3, '当月');
  put(s, g + 1, 4, g + 1, 4, '累计');
  put(s, g, 5, g, 6, '资金支出（万元）');
  put(s, g + 1, 5, g + 1, 5, '当月');
  put(s, g + 1, 6, g + 1, 6, '累计');
  put(s, g, 7, g + 1, 8, '平均救助水平（元/人次）');
  grid(s, g, g + 1, 1, 8, { header: true });
  let k = g + 2;
  for (const [code, label] of [
    ['temporary_aid', '临时救助'],
    ['medical_aid', '医疗救助'],
  ] as const) {
    const i = totalOf(view, code);
    put(s, k, 1, k, 2, label);
    values(s, k, 3, [
      [i.grantsMonth, COUNT],
      [i.grantsYtd, COUNT],
      [wanOf(i.spendingMonth.totalFen), WAN],
      [wanOf(i.spendingYtd.totalFen), WAN],
    ]);
    put(s, k, 7, k, 8, yuanOf(i.averagePerGrantFen));
    s.ws.getCell(k, 7).numFmt = YUAN;
    k++;
  }
  grid(s, g + 2, k - 1, 1, 8);
  footer(s, k, [
    h.source,
    '说明：户数、人数为当月有发放的对象；新增计入起始保障月，退出计入最后保障月的次月；人次为本年各月人数之和；当月人均补助水平 = 当月支出 ÷ 当月人数，累计月人均补助水平 = 累计支出 ÷ 累计人次，平均救助水平 = 累计支出 ÷ 累计救助人次（精确计算后四舍五入到分）。',
  ]);
  widths(s, [14, 10, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 9, 11, 11, 11, 11, 11, 11, 11]);
  pageSetup(s, 'landscape', '4:7');
}

function townSheet(
  wb: ExcelJS.Workbook,
  view: MonthlyView,
  h: Omit<Heading, 'table' | 'unit'>,
  towns: { code: string; name: string }[],
): void {
  const s: Sheet = { ws: wb.addWorksheet('分乡镇'), cols: 19 };
  heading(s, { ...h, table: '表三　分乡镇救助对象及资金支出', unit: '户、人、人次、万元' });
  put(s, 4, 1, 6, 1, '乡镇');
  const caseload = (col: number, label: string) => {
    put(s, 4, col, 4, col + 3, label);
    put(s, 5, col, 6, col, '户数');
    put(s, 5, col + 1, 6, col + 1, '人数');
    put(s, 5, col + 2, 5, col + 3, '支出');
    put(s, 6, col + 2, 6, col + 2, '当月');
    put(s, 6, col + 3, 6, col + 3, '累计');
  };
  caseload(2, '城市低保');
  caseload(6, '农村低保');
  put(s, 4, 10, 4, 13, '特困人员救助供养');
  put(s, 5, 10, 6, 10, '城市人数');
  put(s, 5, 11, 6, 11, '农村人数');
  put(s, 5, 12, 5, 13, '支出');
  put(s, 6, 12, 6, 12, '当月');
  put(s, 6, 13, 6, 13, '累计');
  for (const [col, label] of [
    [14, '临时救助'],
    [16, '医疗救助'],
  ] as const) {
    put(s, 4, col, 4, col + 1, label);
    put(s, 5, col, 6, col, '累计人次');
    put(s, 5, col + 1, 6, col + 1, '累计支出');
  }
  put(s, 4, 18, 4, 19, '社会救助支出合计');
  put(s, 5, 18, 6, 18, '当月');
  put(s, 5, 19, 6, 19, '累计');
  columnNumbers(s, 7, 1, ['甲']);
  grid(s, 4, 7, 1, s.cols, { header: true });

  const ALL = ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun', 'temporary_aid', 'medical_aid'];
  const others = view.programs.map((p) => p.program).filter((p) => !ALL.includes(p));
  const row = (r: number, label: string, of: (code: string) => Indicators) => {
    const ut = of('urban_tekun');
    const rt = of('rural_tekun');
    const everything = [...ALL, ...others].map(of);
    values(s, r, 1, [
      [label, ''],
      ...(['urban_dibao', 'rural_dibao'] as const).flatMap((code): [Cell, string][] => {
        const i = of(code);
        return [
          [i.households, COUNT],
          [i.persons, COUNT],
          [wanOf(i.spendingMonth.totalFen), WAN],
          [wanOf(i.spendingYtd.totalFen), WAN],
        ];
      }),
      [ut.persons, COUNT],
      [rt.persons, COUNT],
      [wanOf(ut.spendingMonth.totalFen + rt.spendingMonth.totalFen), WAN],
      [wanOf(ut.spendingYtd.totalFen + rt.spendingYtd.totalFen), WAN],
      ...(['temporary_aid', 'medical_aid'] as const).flatMap((code): [Cell, string][] => {
        const i = of(code);
        return [
          [i.grantsYtd, COUNT],
          [wanOf(i.spendingYtd.totalFen), WAN],
        ];
      }),
      [wanOf(everything.reduce((a, i) => a + i.spendingMonth.totalFen, 0)), WAN],
      [wanOf(everything.reduce((a, i) => a + i.spendingYtd.totalFen, 0)), WAN],
    ]);
  };
  row(8, view.townCode === null ? '全县合计' : '合计', (code) => totalOf(view, code));
  let r = 9;
  for (const t of towns) {
    row(r, t.name, (code) => townOf(view, code, t.code));
    r++;
  }
  grid(s, 8, r - 1, 1, s.cols);
  styleCell(s.ws.getCell(8, 1), { bold: true });
  for (let i = 8; i < r; i++) s.ws.getCell(i, 1).alignment = { horizontal: 'left', vertical: 'middle' };
  footer(s, r, [h.source, '说明：支出单位为万元（两位小数，四舍五入）；临时救助、医疗救助按人次统计。']);
  widths(s, [14, 6, 7, 9, 9, 6, 7, 9, 9, 7, 7, 9, 9, 7, 9, 7, 9, 10, 10]);
  pageSetup(s, 'landscape', '4:7');
  s.ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 7 }];
}

// ---------------------------------------------------------------------------------------------------------------

function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

function sourceLine(view: MonthlyView): string {
  return view.source.kind === 'snapshot'
    ? `数据来源：${monthLabel(view.month)}统计快照第 ${view.source.version} 版（${view.source.frozenAt.slice(0, 10)} 冻结），由支付台账生成。`
    : '数据来源：由支付台账计算（本月统计尚未冻结）。';
}

export interface MonthlyTables {
  fileName: string;
  bytes: Buffer;
  view: MonthlyView;
}

async function renderMonthlyTables(
  db: Db,
  actor: Actor,
  input: { month: string; townCode?: string | undefined },
): Promise<MonthlyTables> {
  const view = await monthlyStatistics(db, actor, { month: input.month, townCode: input.townCode });
  const [county, allTowns] = await Promise.all([
    findArea(db, view.countyCode),
    listTowns(db, view.countyCode),
  ]);
  const countyName = county?.name ?? view.countyCode;
  const known = allTowns.map((t) => ({ code: t.code, name: t.name }));
  // Towns in the ledger but not (yet) in the area table still get their row.
  const seen = new Set(known.map((t) => t.code));
  const extra = [...new Set(view.programs.flatMap((p) => p.byTown.map((t) => t.townCode)))]
    .filter((c) => !seen.has(c))
    .sort()
    .map((code) => ({ code, name: code }));
  const towns = [...known, ...extra].filter((t) => view.townCode === null || t.code === view.townCode);
  const townName = view.townCode === null ? '' : (towns[0]?.name ?? view.townCode);
  const title = `${countyName}${townName}民政统计月报（${monthLabel(view.month)}）`;
  const h = {
    title,
    unitOf: view.townCode === null ? `${countyName}民政局` : `${countyName}${townName}`,
    source: sourceLine(view),
  };
  const wb = new ExcelJS.Workbook();
  wb.creator = 'jiuzhu';
  wb.title = title;
  spendingSheet(wb, view, h);
  caseloadSheet(wb, view, h);
  townSheet(wb, view, h, towns);
  return { fileName: `${title}.xlsx`, bytes: Buffer.from(await wb.xlsx.writeBuffer()), view };
}

/** The month's 民政统计月报 workbook (资金支出, 救助对象, 分乡镇); a town user gets their own town only. */
export async function buildMonthlyTables(
  db: Db,
  actor: Actor,
  month: string,
  townCode?: string,
): Promise<Buffer> {
  return (await renderMonthlyTables(db, actor, { month, townCode })).bytes;
}

/** The workbook as a download: built, then the export written to the audit log (who took which figures). */
export async function exportMonthlyTables(
  db: Db,
  actor: Actor,
  input: { month: string; townCode?: string | undefined },
  now = new Date(),
): Promise<MonthlyTables & { contentType: string; contentDisposition: string }> {
  const t = await renderMonthlyTables(db, actor, input);
  await appendAudit(
    db,
    actor,
    {
      action: 'statistics.tables_export',
      entityType: 'statistics_month',
      entityId: t.view.month,
      countyCode: actor.countyCode,
      townCode: t.view.townCode,
      after: {
        month: t.view.month,
        townCode: t.view.townCode,
        source:
          t.view.source.kind === 'snapshot'
            ? { kind: 'snapshot', snapshotId: t.view.source.snapshotId, version: t.view.source.version }
            : { kind: 'ledger' },
      },
      detail: `导出民政统计月报：${t.fileName}`,
    },
    now,
  );
  return {
    ...t,
    contentType: XLSX_MIME,
    contentDisposition: `attachment; filename="statistics-${t.view.month}.xlsx"; filename*=UTF-8''${encodeURIComponent(t.fileName)}`,
  };
}
