/**
 * The way back from a normalised DeptRecord to a row of its source's layout (domain/verification/layouts.ts):
 * the simulator answers and writes files in the layout, so that validateRows reads them like a department's.
 * Also the header → key map of a file and the example row of a layout template.
 */
import { buildResidentId } from '../../domain/identity/resident-id.ts';
import { type LayoutColumn, layoutOf } from '../../domain/verification/layouts.ts';
import type { DeptRecord, SourceCode } from '../../domain/verification/sources.ts';

export type Cell = string | number | boolean | null;

/** Chinese header or key (as a file may use either) → column key. */
export function headerKeyMap(source: SourceCode): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of layoutOf(source).columns) {
    map.set(c.key, c.key);
    map.set(c.header, c.key);
  }
  return map;
}

/** Integer fen → "1234.50" (元, no grouping: the layouts' money format). */
export function fenToYuanText(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The first Chinese label of an enum code (files carry labels; connectors may send codes). */
function labelOf(c: LayoutColumn, code: string): string {
  const hit = Object.entries(c.values ?? {}).find(([, v]) => v === code);
  return hit ? hit[0] : code;
}

function fieldValue(c: LayoutColumn, r: DeptRecord): Cell {
  switch (c.field) {
    case 'kind':
      return r.kind;
    case 'status':
      return r.status;
    case 'amountFen':
      return r.amountFen === null ? null : fenToYuanText(r.amountFen);
    case 'monthlyFen':
      return r.monthlyFen === null ? null : fenToYuanText(r.monthlyFen);
    case 'eventDate':
      return r.eventDate;
    case 'exempt':
      return r.exempt;
    case 'ref':
      return r.ref;
    default:
      return r.data[c.key] ?? null;
  }
}

/**
 * A record as a row keyed by column key. `labels`: enum codes as their Chinese label and booleans as 是/否
 * (for files people read); otherwise codes and booleans (the connector protocol).
 */
export function recordToRow(r: DeptRecord, options: { labels?: boolean } = {}): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  for (const c of layoutOf(r.sourceCode).columns) {
    let v: Cell;
    if (c.key === 'id_number') v = r.idNumber;
    else if (c.key === 'name') v = r.name;
    else v = fieldValue(c, r);
    // The bank account is kept masked in ref ("银行 ****1234"); a simulated row needs a whole one.
    if (r.sourceCode === 'bank_deposit' && c.key === 'bank_name' && v === null) {
      v = r.ref?.split(' ')[0] ?? '';
    }
    if (r.sourceCode === 'bank_deposit' && c.key === 'account_no' && v === null) {
      v = (r.ref?.split(' ').pop() ?? '').replaceAll('*', '0').replace(/[^0-9A-Za-z-]/g, '') || '0000';
    }
    if (c.type === 'yuan' && typeof v === 'number') v = fenToYuanText(v);
    if (options.labels) {
      if (c.type === 'enum' && typeof v === 'string') v = labelOf(c, v);
      if (c.type === 'bool') v = v === true ? '是' : '否';
    }
    row[c.key] = v;
  }
  return row;
}

const EXAMPLE_ID = buildResidentId({ addressCode: '440232', birthDate: '1970-01-01', sequence: 11 });

/** One example row of a layout (in header order), for the template a department fills in. */
export function exampleRow(source: SourceCode): string[] {
  return layoutOf(source).columns.map((c) => {
    switch (c.type) {
      case 'id_number':
        return EXAMPLE_ID;
      case 'date':
        return '2026-01-01';
      case 'yuan':
        return '1234.50';
      case 'int':
        return '1';
      case 'bool':
        return '否';
      case 'enum':
        return Object.keys(c.values ?? {})[0] ?? '';
      default:
        if (c.key === 'name') return '张三';
        if (c.key === 'tax_year') return '2025';
        if (c.key === 'credit_code') return '92440232MA4W123456';
        if (c.key === 'area_m2') return '89.50';
        if (c.key === 'account_no') return '6230000000001234';
        return `示例${c.header}`;
    }
  });
}
