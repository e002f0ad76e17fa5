/**
 * The tables under the charts, as plain data: the screen renders them with antd's Table and the 下载 button
 * writes the same rows as CSV (UTF-8 with BOM, so Excel opens the Chinese headers), so what is downloaded is
 * what is shown. Money stays in fen here; it becomes 元 only when displayed or written.
 */
import { formatYuan } from '../../ui/Money.tsx';
import {
  monthLabel,
  PROGRAM_NAMES,
  programName,
  SPENDING_PARTS,
  type SpendingSplit,
  type TrendProgram,
  type TrendsView,
} from './types.ts';

/** int: a count; fen: money shown in 元 with two decimals. */
export type CellKind = 'text' | 'int' | 'fen';
export type Cell = string | number | null;

export interface TableColumn {
  key: string;
  title: string;
  kind: CellKind;
  /** A grouped header above the column (e.g. the program). */
  group?: string;
}

export interface TableSpec {
  /** The file name of the download, without extension. */
  name: string;
  columns: TableColumn[];
  rows: { key: string; cells: Record<string, Cell>; total?: boolean }[];
}

export function displayCell(kind: CellKind, v: Cell): string {
  if (v === null) return '—';
  if (kind === 'fen' && typeof v === 'number') return formatYuan(v);
  if (kind === 'int' && typeof v === 'number') return v.toLocaleString('zh-CN');
  return String(v);
}

function plainCell(kind: CellKind, v: Cell): string {
  if (v === null) return '';
  if (kind === 'fen' && typeof v === 'number') return formatYuan(v).replaceAll(',', '');
  return String(v);
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The table as CSV text (the BOM is added when saving). */
export function tableCsv(spec: TableSpec): string {
  const header = spec.columns.map((c) => (c.group ? `${c.group}${c.title}` : c.title));
  const lines = [
    header,
    ...spec.rows.map((r) => spec.columns.map((c) => plainCell(c.kind, r.cells[c.key] ?? null))),
  ];
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function downloadCsv(spec: TableSpec): void {
  const blob = new Blob(['\uFEFF', tableCsv(spec)], { type: 'text/csv;charset=utf-8' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = `${spec.name}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

const stock = (v: TrendsView) => v.programs.filter((p) => p.kind === 'stock');
const grants = (v: TrendsView) => v.programs.filter((p) => p.kind === 'grant');

function rangeName(v: TrendsView, area: string): string {
  return `${area}（${monthLabel(v.from)}至${monthLabel(v.to)}）`;
}

/** The count columns of the persons and town tables: persons and households per stock program, 人次 per grant. */
function countColumns(v: TrendsView): TableColumn[] {
  return [
    ...stock(v).flatMap((p): TableColumn[] => [
      { key: `${p.program}.persons`, title: '人数', kind: 'int', group: programName(p) },
      { key: `${p.program}.households`, title: '户数', kind: 'int', group: programName(p) },
    ]),
    ...grants(v).map(
      (p): TableColumn => ({
        key: `${p.program}.grants`,
        title: '救助人次',
        kind: 'int',
        group: programName(p),
      }),
    ),
  ];
}

/** Fills a row's count cells of a program (0 when the program has no point there). */
function putCounts(
  cells: Record<string, Cell>,
  program: string,
  c: { persons: number; households: number; grantsMonth: number } | undefined,
): void {
  cells[`${program}.persons`] = c?.persons ?? 0;
  cells[`${program}.households`] = c?.households ?? 0;
  cells[`${program}.grants`] = c?.grantsMonth ?? 0;
}

/** 保障人数趋势: per month, persons and households of each program (人次 for grants). */
export function personsTable(v: TrendsView, area: string): TableSpec {
  const columns: TableColumn[] = [{ key: 'month', title: '月份', kind: 'text' }, ...countColumns(v)];
  return {
    name: `保障人数趋势_${rangeName(v, area)}`,
    columns,
    rows: v.months.map((month, i) => {
      const cells: Record<string, Cell> = { month: monthLabel(month) };
      for (const p of v.programs) {
        putCounts(cells, p.program, p.points[i]);
      }
      return { key: month, cells };
    }),
  };
}

function addSplit(a: SpendingSplit, b: SpendingSplit): SpendingSplit {
  return {
    dibaoBaseFen: a.dibaoBaseFen + b.dibaoBaseFen,
    dibaoAddonFen: a.dibaoAddonFen + b.dibaoAddonFen,
    priceSubsidyFen: a.priceSubsidyFen + b.priceSubsidyFen,
    otherFen: a.otherFen + b.otherFen,
    totalFen: a.totalFen + b.totalFen,
  };
}

const ZERO: SpendingSplit = {
  dibaoBaseFen: 0,
  dibaoAddonFen: 0,
  priceSubsidyFen: 0,
  otherFen: 0,
  totalFen: 0,
};

/** The spending of the chosen programs (all when `program` is null), month by month. */
export function spendingSeries(
  v: TrendsView,
  program: string | null,
): { month: string; spendingMonth: SpendingSplit; spendingYtd: SpendingSplit }[] {
  const chosen: TrendProgram[] = v.programs.filter((p) => program === null || p.program === program);
  return v.months.map((month, i) => ({
    month,
    spendingMonth: chosen.reduce((s, p) => addSplit(s, p.points[i]?.spendingMonth ?? ZERO), ZERO),
    spendingYtd: chosen.reduce((s, p) => addSplit(s, p.points[i]?.spendingYtd ?? ZERO), ZERO),
  }));
}

/** 资金支出趋势: the month's spending split, its total and the cumulative since January (元). */
export function spendingTable(v: TrendsView, area: string, program: string | null): TableSpec {
  const what = program === null ? '全部项目' : (PROGRAM_NAMES[program] ?? program);
  return {
    name: `资金支出趋势_${what}_${rangeName(v, area)}`,
    columns: [
      { key: 'month', title: '月份', kind: 'text' },
      ...SPENDING_PARTS.map((p) => ({
        key: p.key,
        title: p.label,
        kind: 'fen' as const,
        group: '当月支出（元）',
      })),
      { key: 'totalFen', title: '合计', kind: 'fen', group: '当月支出（元）' },
      { key: 'ytdFen', title: '累计支出（元）', kind: 'fen' },
    ],
    rows: spendingSeries(v, program).map((s) => ({
      key: s.month,
      cells: {
        month: monthLabel(s.month),
        dibaoBaseFen: s.spendingMonth.dibaoBaseFen,
        dibaoAddonFen: s.spendingMonth.dibaoAddonFen,
        priceSubsidyFen: s.spendingMonth.priceSubsidyFen,
        otherFen: s.spendingMonth.otherFen,
        totalFen: s.spendingMonth.totalFen,
        ytdFen: s.spendingYtd.totalFen,
      },
    })),
  };
}

/** 分乡镇: the last month per town, with a 合计 row. */
export function townTable(v: TrendsView, area: string): TableSpec {
  const columns: TableColumn[] = [{ key: 'town', title: '乡镇', kind: 'text' }, ...countColumns(v)];
  columns.push(
    { key: 'monthFen', title: '当月支出（元）', kind: 'fen' },
    { key: 'ytdFen', title: '累计支出（元）', kind: 'fen' },
  );
  const rows = v.byTown.towns.map((t) => {
    const cells: Record<string, Cell> = { town: t.townName, monthFen: 0, ytdFen: 0 };
    for (const p of t.programs) {
      putCounts(cells, p.program, p);
      cells.monthFen = (cells.monthFen as number) + p.spendingMonth.totalFen;
      cells.ytdFen = (cells.ytdFen as number) + p.spendingYtd.totalFen;
    }
    return { key: t.townCode, cells };
  });
  const total: Record<string, Cell> = { town: '合计' };
  for (const c of columns.slice(1)) {
    total[c.key] = rows.reduce((s, r) => s + ((r.cells[c.key] as number | undefined) ?? 0), 0);
  }
  return {
    name: `分乡镇_${area}（${monthLabel(v.byTown.month)}）`,
    columns,
    rows: rows.length > 1 ? [...rows, { key: 'total', cells: total, total: true }] : rows,
  };
}

export const LEVEL_PROGRAMS = ['urban_dibao', 'rural_dibao'] as const;

/** 人均补助水平与保障标准: per month, the standard in force and the levels of 城市/农村低保 (元/人·月). */
export function levelTable(v: TrendsView, area: string): TableSpec {
  const programs = v.programs.filter((p) => (LEVEL_PROGRAMS as readonly string[]).includes(p.program));
  const columns: TableColumn[] = [{ key: 'month', title: '月份', kind: 'text' }];
  for (const p of programs) {
    const group = `${programName(p)}（元/人·月）`;
    columns.push(
      { key: `${p.program}.standard`, title: '保障标准', kind: 'fen', group },
      { key: `${p.program}.topUp`, title: '月人均补差水平', kind: 'fen', group },
      { key: `${p.program}.level`, title: '当月人均补助水平', kind: 'fen', group },
    );
  }
  return {
    name: `人均补助水平与保障标准_${rangeName(v, area)}`,
    columns,
    rows: v.months.map((month, i) => {
      const cells: Record<string, Cell> = { month: monthLabel(month) };
      for (const p of programs) {
        const pt = p.points[i];
        cells[`${p.program}.standard`] = pt?.standardFen ?? null;
        cells[`${p.program}.topUp`] = pt?.topUpLevelMonthFen ?? null;
        cells[`${p.program}.level`] = pt?.levelMonthFen ?? null;
      }
      return { key: month, cells };
    }),
  };
}
