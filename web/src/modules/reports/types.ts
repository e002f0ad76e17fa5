/** GET /api/v1/statistics/trends (src/modules/statistics/statistics.trends.ts); money in fen. */
export interface SpendingSplit {
  dibaoBaseFen: number;
  dibaoAddonFen: number;
  priceSubsidyFen: number;
  otherFen: number;
  totalFen: number;
}

export interface TrendPoint {
  month: string;
  persons: number;
  households: number;
  personMonthsYtd: number;
  grantsMonth: number;
  grantsYtd: number;
  spendingMonth: SpendingSplit;
  spendingYtd: SpendingSplit;
  levelMonthFen: number | null;
  levelYtdFen: number | null;
  topUpLevelMonthFen: number | null;
  topUpLevelYtdFen: number | null;
  standardFen: number | null;
  standardDocNo: string | null;
}

export interface TownPoint {
  program: string;
  persons: number;
  households: number;
  spendingMonth: SpendingSplit;
  spendingYtd: SpendingSplit;
  grantsMonth: number;
  topUpLevelMonthFen: number | null;
}

export interface TrendProgram {
  program: string;
  label: string;
  /** 'stock': persons at month end; 'grant': counted per grant (人次). */
  kind: 'stock' | 'grant';
  points: TrendPoint[];
}

export interface TrendsView {
  from: string;
  to: string;
  defaultRange: boolean;
  latestPaidMonth: string | null;
  countyCode: string;
  townCode: string | null;
  towns: { code: string; name: string }[];
  months: string[];
  sources: { month: string; kind: 'snapshot' | 'ledger'; version: number | null }[];
  programs: TrendProgram[];
  byTown: { month: string; towns: { townCode: string; townName: string; programs: TownPoint[] }[] };
}

/** Short names for legends and table headers. */
export const PROGRAM_NAMES: Record<string, string> = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困',
  rural_tekun: '农村特困（五保）',
  medical_aid: '医疗救助',
  temporary_aid: '临时救助',
};

export const PROGRAM_COLORS: Record<string, string> = {
  urban_dibao: '#1677ff',
  rural_dibao: '#52c41a',
  urban_tekun: '#fa541c',
  rural_tekun: '#fa8c16',
  medical_aid: '#13c2c2',
  temporary_aid: '#722ed1',
};

export const programName = (p: { program: string; label: string }) => PROGRAM_NAMES[p.program] ?? p.label;

/** The spending split of the monthly report (DOMAIN §14), in stacking order. */
export const SPENDING_PARTS = [
  { key: 'dibaoBaseFen', label: '低保金', color: '#1677ff' },
  { key: 'dibaoAddonFen', label: '分类施保', color: '#69b1ff' },
  { key: 'priceSubsidyFen', label: '价格临时补贴', color: '#eb2f96' },
  { key: 'otherFen', label: '其他（特困供养、医疗、临时救助等）', color: '#fa8c16' },
] as const satisfies readonly { key: keyof SpendingSplit; label: string; color: string }[];

/** '2015-03' → '2015年3月'. */
export function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** Axis labels: '3月' within one year, '2015年3月' across years. */
export function axisMonths(months: string[]): string[] {
  const oneYear = new Set(months.map((m) => m.slice(0, 4))).size <= 1;
  return months.map((m) => (oneYear ? `${Number(m.slice(5, 7))}月` : monthLabel(m)));
}
