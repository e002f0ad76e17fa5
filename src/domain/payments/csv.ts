/**
 * Minimal CSV for bank files (RFC 4180: comma, CRLF, fields quoted when they hold a comma, a quote or a
 * line break). Written as UTF-8 with a BOM so that Excel shows the Chinese; read as UTF-8, or as GBK
 * (what many bank systems still write) when the bytes are not valid UTF-8.
 */
export const UTF8_BOM = '\uFEFF';

function quote(cell: string | number): string {
  const s = String(cell);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return `${UTF8_BOM}${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}

/** Decodes a bank file: UTF-8 (with or without BOM), else GBK. */
export function decodeText(bytes: Uint8Array): string {
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    s = new TextDecoder('gbk').decode(bytes);
  }
  return s.startsWith(UTF8_BOM) ? s.slice(1) : s;
}

/** Parses CSV text into rows of strings. A quoted field may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const s = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  while (i < s.length) {
    const ch = s[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (ch === '\r' && s[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
