/** Chinese labels and small formatting helpers of the 资金发放 screens. */
import { COMPONENTS, FUND_SOURCES, LEDGER_ENTRY_KINDS } from '../../../../src/domain/benefit/components.ts';
import type { LineKind, LineStatus, PayrollDetail, PayrollStatus, PayrollWarning } from './types.ts';

/** Programs paid by a monthly payroll (发放名册). */
export const PAYROLL_PROGRAMS: { code: string; name: string }[] = [
  { code: 'rural_dibao', name: '农村低保' },
  { code: 'urban_dibao', name: '城市低保' },
  { code: 'rural_tekun', name: '农村特困供养' },
  { code: 'urban_tekun', name: '城市特困供养' },
];

export const PROGRAM_NAMES: Record<string, string> = {
  rural_dibao: '农村低保',
  urban_dibao: '城市低保',
  rural_tekun: '农村特困供养',
  urban_tekun: '城市特困供养',
  price_subsidy: '价格临时补贴',
  temporary_aid: '临时救助',
  medical_aid: '医疗救助',
  holiday_subsidy: '节日补贴',
};

export const PROGRAM_COLORS: Record<string, string> = {
  urban_dibao: 'blue',
  rural_dibao: 'green',
  urban_tekun: 'purple',
  rural_tekun: 'magenta',
  medical_aid: 'cyan',
  temporary_aid: 'orange',
  price_subsidy: 'gold',
  holiday_subsidy: 'volcano',
};

export const PAYROLL_STATUS: Record<PayrollStatus, { label: string; color: string }> = {
  generating: { label: '生成中', color: 'processing' },
  generated: { label: '待审核', color: 'warning' },
  reviewed: { label: '已审核', color: 'cyan' },
  approved: { label: '已审批锁定', color: 'success' },
};

export const LINE_KINDS: Record<LineKind, { label: string; color: string }> = {
  regular: { label: '正常', color: 'default' },
  arrears: { label: '补发', color: 'blue' },
  recovery: { label: '追回', color: 'red' },
  reissue: { label: '重新发放', color: 'purple' },
};

export const LINE_STATUS: Record<LineStatus, { label: string; color: string }> = {
  pending: { label: '待发放', color: 'default' },
  paid: { label: '已发放', color: 'success' },
  failed: { label: '发放失败', color: 'error' },
  held: { label: '暂停发放', color: 'warning' },
  reissued: { label: '已重新发放', color: 'purple' },
};

export const ONE_OFF_KINDS: Record<string, string> = {
  temporary_aid: '临时救助',
  medical_aid: '医疗救助',
  holiday_subsidy: '节日补贴',
};

export const ONE_OFF_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: '待审批', color: 'warning' },
  approved: { label: '已审批', color: 'cyan' },
  paid: { label: '已发放', color: 'success' },
  failed: { label: '发放失败', color: 'error' },
};

export function programName(code: string, name?: string | null): string {
  return name ?? PROGRAM_NAMES[code] ?? code;
}

export function componentLabel(code: string): string {
  return (COMPONENTS as Record<string, string>)[code] ?? code;
}

export function fundSourceLabel(code: string): string {
  return (FUND_SOURCES as Record<string, string>)[code] ?? code;
}

export function entryKindLabel(code: string): string {
  return (LEDGER_ENTRY_KINDS as Record<string, string>)[code] ?? code;
}

/** 'YYYY-MM' → 'YYYY年MM月' (the form of paper payrolls). */
export function formatPayMonth(month: string | null | undefined): string {
  if (!month) return '—';
  const [y, m] = month.split('-');
  return m ? `${y}年${m}月` : month;
}

/** An ISO timestamp as China time, 'YYYY-MM-DD HH:mm'. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The current month in China, 'YYYY-MM'. */
export function currentMonth(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
}

export function progressPercent(p: Pick<PayrollDetail, 'status' | 'progress'> | null): number {
  if (!p) return 0;
  if (p.status !== 'generating') return 100;
  const total = p.progress?.total ?? 0;
  if (total <= 0) return 0;
  return Math.min(99, Math.floor(((p.progress?.done ?? 0) * 100) / total));
}

/** '未核定待遇 3 户（乳城镇 2，大桥镇 1）' */
export function warningText(w: PayrollWarning, names: Map<string, string>): string {
  const towns = Object.entries(names.size > 0 ? (w.byTown ?? {}) : {})
    .filter(([, n]) => n > 0)
    .map(([code, n]) => `${names.get(code) ?? code} ${n}`);
  return `${w.label} ${w.count} 户${towns.length > 1 ? `（${towns.join('，')}）` : ''}`;
}

export const WARNING_HINTS: Record<string, string> = {
  undecided: '在保但未核定待遇，本月未列入名册；请先核定待遇，再重新生成名册。',
  no_policy: '该月没有适用的政策参数，未能计算金额；请先录入政策参数。',
  zero_amount: '按核定待遇计算本月金额为零，未列入名册。',
};
