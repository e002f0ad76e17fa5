/**
 * Bank files as bytes: CSV (UTF-8 with BOM) or Excel (.xlsx via exceljs), and the rows of a return
 * file read back from either. The columns come from the bank's layout (domain/payments/bank-layout.ts).
 */
import ExcelJS from 'exceljs';
import type { BankLayout, Cell } from '../../domain/payments/bank-layout.ts';
import { decodeText, parseCsv, toCsv } from '../../domain/payments/csv.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';

export const MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Bank office machines run Windows: 宋体 shows the Chinese there; other systems fall back to a CJK font. */
const FONT = { name: '宋体', size: 11 } as const;

export async function encodeBankFile(
  layout: BankLayout,
  format: 'csv' | 'xlsx',
  rows: readonly (readonly Cell[])[],
): Promise<Buffer> {
  if (format === 'csv') return Buffer.from(toCsv(rows), 'utf8');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'jiuzhu';
  const ws = wb.addWorksheet('代发明细');
  layout.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    // Accounts, ID numbers and references are text: Excel must not turn them into 6.23E+18.
    if (c.field !== 'amount_fen') col.numFmt = '@';
    const longest = Math.max(c.header.length * 2, ...rows.slice(1).map((r) => String(r[i] ?? '').length));
    col.width = Math.min(40, Math.max(8, longest + 2));
  });
  for (const r of rows) ws.addRow([...r]);
  ws.eachRow((row, n) => {
    row.eachCell((cell) => {
      cell.font = { ...FONT, bold: n === 1 };
    });
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
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

const isZip = (b: Buffer) => b.length > 3 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Buffer) => b.length > 3 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/**
 * The rows of a return file, whatever its format (told by its bytes, not its name): an .xlsx's first
 * sheet, with row i of the result being row i+1 of the sheet, or a CSV in UTF-8 or GBK.
 */
export async function readReturnFile(bytes: Buffer): Promise<unknown[][]> {
  if (bytes.length === 0) throw new AppError(ErrorCode.VALIDATION, '回盘文件是空的', { field: 'file' });
  if (isOle(bytes)) {
    throw new AppError(
      ErrorCode.VALIDATION,
      '不支持 Excel 97-2003（.xls）格式，请在 Excel 中另存为 .xlsx 或 CSV 后再导入',
      { field: 'file' },
    );
  }
  if (!isZip(bytes)) return parseCsv(decodeText(bytes));
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new AppError(ErrorCode.VALIDATION, '无法读取该 Excel 文件（文件可能已损坏），请检查后重新导入', {
      field: 'file',
    });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError(ErrorCode.VALIDATION, '该 Excel 文件没有工作表', { field: 'file' });
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows[n - 1] = values.map((v) => cellValue(v as ExcelJS.CellValue));
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}
