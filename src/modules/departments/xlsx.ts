/** Department files as Excel: first sheet, header in row 1, text columns as text (ID numbers stay whole). */
import ExcelJS from 'exceljs';

export async function encodeXlsx(
  sheet: string,
  columns: readonly { type: string; header: string }[],
  rows: readonly (readonly (string | number)[])[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'jiuzhu';
  const ws = wb.addWorksheet(sheet.replace(/[\\/?*[\]:]/g, '_').slice(0, 31));
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.type !== 'yuan' && c.type !== 'int') col.numFmt = '@';
    col.width = Math.min(
      40,
      Math.max(10, c.header.length * 2 + 2, ...rows.slice(1, 50).map((r) => String(r[i] ?? '').length + 2)),
    );
  });
  for (const r of rows) ws.addRow([...r]);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
