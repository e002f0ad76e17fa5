/**
 * The printed tables of the filings (备案表, 花名册, 公示名单) as worksheets: a merged title row, the unit line,
 * a bordered one- or two-level header (a column without a group spans both header rows), the data rows, a
 * totals row, notes and a signature line; A4 with fit-to-width, the header rows repeated on every page and page
 * numbers in the footer. The figures arrive already masked and converted: this file only lays them out.
 */
import type ExcelJS from 'exceljs';

/** The bureau's machines run Windows (宋体); elsewhere the CJK fallback (Noto) shows the Chinese. */
const FONT_NAME = 'SimSun';
/** GB2312: tells Excel and LibreOffice the font is for Chinese text. */
const CHARSET_GB2312 = 134;
const THIN = { style: 'thin' } as const;
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const A4 = 9;

export const YUAN_FORMAT = '#,##0.00';
export const COUNT_FORMAT = '0';

export type CellValue = string | number | null;

export interface Column {
  header: string;
  /** Columns sharing a group get a merged group cell above their headers. */
  group?: string;
  width: number;
  numFmt?: string;
  align?: 'left' | 'center' | 'right';
}

/** A vertical merge inside the data: `rows` data rows from data row `row` (0-based) in each of `cols` (1-based). */
export interface Span {
  row: number;
  rows: number;
  cols: number[];
}

export interface TableSpec {
  sheetName: string;
  title: string;
  /** Left of the line under the title (填报单位…). */
  unitOf: string;
  /** Right of that line (单位：…). */
  unit: string;
  columns: Column[];
  rows: CellValue[][];
  spans?: Span[];
  /** The totals row; a string in the first cell is merged over the leading empty cells after it. */
  totals?: CellValue[];
  notes: string[];
  signature: string;
  orientation: 'portrait' | 'landscape';
}

export interface TableLayout {
  ws: ExcelJS.Worksheet;
  headerRows: [number, number];
  firstDataRow: number;
  totalsRow: number | null;
}

function font(cell: ExcelJS.Cell, opts: { bold?: boolean; size?: number } = {}): void {
  cell.font = { name: FONT_NAME, charset: CHARSET_GB2312, size: opts.size ?? 10, bold: opts.bold ?? false };
}

/** Writes one table on a new worksheet of the workbook. */
export function writeTable(wb: ExcelJS.Workbook, spec: TableSpec): TableLayout {
  const ws = wb.addWorksheet(sheetName(wb, spec.sheetName));
  const cols = spec.columns.length;
  const twoLevel = spec.columns.some((c) => c.group !== undefined);

  ws.mergeCells(1, 1, 1, cols);
  const title = ws.getCell(1, 1);
  title.value = spec.title;
  font(title, { bold: true, size: 16 });
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(1).height = 36;

  const half = Math.max(1, Math.floor(cols / 2));
  ws.mergeCells(2, 1, 2, half);
  const left = ws.getCell(2, 1);
  left.value = spec.unitOf;
  font(left);
  left.alignment = { horizontal: 'left', vertical: 'middle' };
  if (half < cols) ws.mergeCells(2, half + 1, 2, cols);
  const right = ws.getCell(2, half + 1);
  right.value = spec.unit;
  font(right);
  right.alignment = { horizontal: 'right', vertical: 'middle' };
  ws.getRow(2).height = 20;

  // Header: row 3 (and 4 when there are groups).
  const top = 3;
  const bottom = twoLevel ? 4 : 3;
  let c = 1;
  while (c <= cols) {
    const col = spec.columns[c - 1] as Column;
    if (col.group === undefined) {
      if (bottom > top) ws.mergeCells(top, c, bottom, c);
      ws.getCell(top, c).value = col.header;
      c++;
      continue;
    }
    let end = c;
    while (end + 1 <= cols && spec.columns[end]?.group === col.group) end++;
    if (end > c) ws.mergeCells(top, c, top, end);
    ws.getCell(top, c).value = col.group;
    for (let k = c; k <= end; k++) ws.getCell(bottom, k).value = spec.columns[k - 1]?.header ?? '';
    c = end + 1;
  }
  for (let r = top; r <= bottom; r++) {
    ws.getRow(r).height = 22;
    for (let k = 1; k <= cols; k++) {
      const cell = ws.getCell(r, k);
      cell.border = BOX;
      font(cell, { bold: true });
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    }
  }

  // Data.
  const first = bottom + 1;
  spec.rows.forEach((row, i) => {
    row.forEach((v, k) => {
      const cell = ws.getCell(first + i, k + 1);
      if (v !== null && v !== '') cell.value = v;
    });
  });
  for (const s of spec.spans ?? []) {
    if (s.rows <= 1) continue;
    for (const col of s.cols) ws.mergeCells(first + s.row, col, first + s.row + s.rows - 1, col);
  }
  let last = first + spec.rows.length - 1;
  let totalsRow: number | null = null;
  if (spec.totals) {
    totalsRow = last + 1;
    spec.totals.forEach((v, k) => {
      if (v !== null) ws.getCell(totalsRow as number, k + 1).value = v;
    });
    // '合计' spans the empty cells after it.
    let end = 1;
    while (end < cols && spec.totals[end] === null) end++;
    if (end > 1) ws.mergeCells(totalsRow, 1, totalsRow, end);
    last = totalsRow;
  }
  for (let r = first; r <= last; r++) {
    for (let k = 1; k <= cols; k++) {
      const col = spec.columns[k - 1] as Column;
      const cell = ws.getCell(r, k);
      cell.border = BOX;
      font(cell, { bold: r === totalsRow });
      if (typeof cell.value === 'number' && col.numFmt) cell.numFmt = col.numFmt;
      const align = col.align ?? (col.numFmt ? 'right' : 'left');
      cell.alignment = { horizontal: align, vertical: 'middle', wrapText: true };
    }
  }
  if (totalsRow !== null) ws.getCell(totalsRow, 1).alignment = { horizontal: 'center', vertical: 'middle' };

  // Notes and the signature line under the table.
  let r = last + 1;
  for (const note of spec.notes) {
    ws.mergeCells(r, 1, r, cols);
    const cell = ws.getCell(r, 1);
    cell.value = note;
    font(cell, { size: 9 });
    cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    const perLine = spec.columns.reduce((a, x) => a + x.width, 0) / 1.8;
    ws.getRow(r).height = 14 * Math.max(1, Math.ceil(note.length / perLine));
    r++;
  }
  ws.mergeCells(r + 1, 1, r + 1, cols);
  const sign = ws.getCell(r + 1, 1);
  sign.value = spec.signature;
  font(sign);
  sign.alignment = { horizontal: 'left', vertical: 'middle' };
  ws.getRow(r + 1).height = 24;

  spec.columns.forEach((col, i) => {
    ws.getColumn(i + 1).width = col.width;
  });
  ws.pageSetup = {
    paperSize: A4,
    orientation: spec.orientation,
    fitToPage: true,
    fitToWidth: 1,
    // 0 = as many pages high as the list takes, each with the header repeated.
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${top}:${bottom}`,
  };
  ws.headerFooter = { oddFooter: '&C第 &P 页，共 &N 页' };
  ws.views = [{ state: 'frozen', ySplit: bottom }];
  return { ws, headerRows: [top, bottom], firstDataRow: first, totalsRow };
}

/** Sheet names: at most 31 characters, none of []:*?/\ and unique within the workbook. */
function sheetName(wb: ExcelJS.Workbook, wanted: string): string {
  const clean = wanted.replace(/[[\]:*?/\\]/g, '').slice(0, 31) || '表';
  let name = clean;
  for (let i = 2; wb.getWorksheet(name); i++) name = `${clean.slice(0, 28)}(${i})`;
  return name;
}
