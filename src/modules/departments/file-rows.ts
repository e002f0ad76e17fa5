/**
 * A department's batch file as a header list and rows (核对平台数据快照): CSV (UTF-8 with or without BOM, or
 * GBK), Excel .xlsx (first sheet, header in row 1) or JSON (an array of objects). The format is told by the
 * file's extension, else by its bytes. A row that cannot be read is a RowError like any other, so the
 * whole file is judged at once (row, column, reason).
 */
import ExcelJS from 'exceljs';
import { decodeText, parseCsv } from '../../domain/payments/csv.ts';
import type { RowError } from '../../domain/verification/layouts.ts';

export type FileFormat = 'csv' | 'xlsx' | 'json';

export interface FileRows {
  format: FileFormat;
  /** The header cells as written in the file (Chinese header or column key). */
  headers: string[];
  /** Non-blank data rows keyed by header, each with its 1-based row number in the file. */
  rows: { row: number; values: Record<string, unknown> }[];
  /** Problems reading the file itself (a row with too many cells, an element that is not an object…). */
  errors: RowError[];
}

const isZip = (b: Buffer) => b.length > 3 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Buffer) => b.length > 3 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

const FILE_ERROR = (reason: string): RowError => ({ row: 1, column: '', value: '', reason });

/** The format by the file name's extension, else by the first bytes. */
export function formatOf(fileName: string, bytes: Buffer): FileFormat | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'json') return 'json';
  if (ext === 'xls') return null;
  if (isZip(bytes)) return 'xlsx';
  if (isOle(bytes)) return null;
  const head = decodeText(bytes.subarray(0, 64)).trimStart();
  return head.startsWith('[') ? 'json' : 'csv';
}

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Header cells → rows keyed by header; rows wider than the header are errors, blank rows are skipped. */
function fromTable(format: FileFormat, table: unknown[][]): FileRows {
  const headerCells = (table[0] ?? []).map((h) => String(h ?? '').trim());
  while (headerCells.length > 0 && headerCells[headerCells.length - 1] === '') headerCells.pop();
  const errors: RowError[] = [];
  if (headerCells.length === 0) {
    return { format, headers: [], rows: [], errors: [FILE_ERROR('文件第 1 行应为表头，实际为空')] };
  }
  const seen = new Set<string>();
  headerCells.forEach((h, i) => {
    if (h === '') errors.push({ row: 1, column: `第 ${i + 1} 列`, value: '', reason: '表头为空' });
    else if (seen.has(h)) errors.push({ row: 1, column: h, value: h, reason: '表头重复' });
    seen.add(h);
  });
  const rows: FileRows['rows'] = [];
  for (let i = 1; i < table.length; i++) {
    const cells = table[i] ?? [];
    if (cells.every(blank)) continue;
    const extra = cells.slice(headerCells.length).filter((c) => !blank(c));
    if (extra.length > 0) {
      errors.push({
        row: i + 1,
        column: `第 ${headerCells.length + 1} 列`,
        value: String(extra[0]),
        reason: `该行的数据多于表头的 ${headerCells.length} 列`,
      });
      continue;
    }
    const values: Record<string, unknown> = {};
    headerCells.forEach((h, c) => {
      if (h !== '') values[h] = cells[c] ?? '';
    });
    rows.push({ row: i + 1, values });
  }
  return { format, headers: headerCells.filter((h) => h !== ''), rows, errors };
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return cellValue((v.result ?? '') as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  if ('error' in v) return '';
  return String(v);
}

async function xlsxTable(bytes: Buffer): Promise<unknown[][] | RowError> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    return FILE_ERROR('无法读取该 Excel 文件（文件可能已损坏），请检查后重新导入');
  }
  const ws = wb.worksheets[0];
  if (!ws) return FILE_ERROR('该 Excel 文件没有工作表');
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows[n - 1] = values.map((v) => cellValue(v as ExcelJS.CellValue));
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}

function jsonRows(bytes: Buffer): FileRows {
  const text = decodeText(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    const line = at === undefined ? 1 : text.slice(0, Number(at)).split('\n').length;
    return {
      format: 'json',
      headers: [],
      rows: [],
      errors: [{ row: line, column: '', value: '', reason: `不是有效的 JSON（第 ${line} 行附近）` }],
    };
  }
  if (!Array.isArray(parsed)) {
    return {
      format: 'json',
      headers: [],
      rows: [],
      errors: [FILE_ERROR('JSON 文件应为对象数组 [ {…}, … ]')],
    };
  }
  const headers: string[] = [];
  const seen = new Set<string>();
  const rows: FileRows['rows'] = [];
  const errors: RowError[] = [];
  // JSON rows are numbered by their position in the array (1-based): there is no header line.
  parsed.forEach((el, i) => {
    if (el === null || typeof el !== 'object' || Array.isArray(el)) {
      errors.push({ row: i + 1, column: '', value: JSON.stringify(el) ?? '', reason: '数组元素应为对象' });
      return;
    }
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(el as Record<string, unknown>)) {
      const key = k.trim();
      if (!seen.has(key)) {
        seen.add(key);
        headers.push(key);
      }
      if (v !== null && typeof v === 'object') {
        errors.push({
          row: i + 1,
          column: key,
          value: JSON.stringify(v),
          reason: '值应为文字、数字或布尔值',
        });
        return;
      }
      values[key] = v ?? '';
    }
    rows.push({ row: i + 1, values });
  });
  return { format: 'json', headers, rows, errors };
}

/** Reads a department file; never throws for a malformed file (its problems come back as errors). */
export async function readDeptFile(fileName: string, bytes: Buffer): Promise<FileRows> {
  const format = formatOf(fileName, bytes);
  if (bytes.length === 0) {
    return { format: format ?? 'csv', headers: [], rows: [], errors: [FILE_ERROR('文件是空的')] };
  }
  if (format === null) {
    return {
      format: 'csv',
      headers: [],
      rows: [],
      errors: [FILE_ERROR('不支持该文件格式，请使用 CSV（UTF-8）、Excel（.xlsx）或 JSON')],
    };
  }
  if (format === 'json') return jsonRows(bytes);
  if (format === 'xlsx') {
    const table = await xlsxTable(bytes);
    if (!Array.isArray(table)) return { format, headers: [], rows: [], errors: [table] };
    return fromTable(format, table);
  }
  if (isZip(bytes)) {
    return { format, headers: [], rows: [], errors: [FILE_ERROR('文件扩展名为 .csv，内容却是 Excel 文件')] };
  }
  return fromTable(format, parseCsv(decodeText(bytes)));
}
