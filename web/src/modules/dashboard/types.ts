/** GET /api/v1/dashboard: the user's area at a glance, computed from the registry. */
export interface Figures {
  households: number;
  persons: number;
}

export interface DashboardData {
  area: { code: string; name: string; level: 'county' | 'town' };
  totals: Figures;
  programs: ({ code: string; name: string } & Figures)[];
  /** The county's towns for a county user; only the user's own town for a town user. */
  towns: { code: string; name: string; programs: Record<string, Figures> }[];
  todos: { kind: string; title: string; due: string; link: string; overdue?: boolean }[];
}

/** Short names for axes, legends and table headers. */
export const SHORT_NAMES: Record<string, string> = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困供养',
  rural_tekun: '农村特困供养',
  medical_aid: '医疗救助',
  temporary_aid: '临时救助',
  price_subsidy: '临时价格补贴',
};

export const PROGRAM_COLORS: Record<string, string> = {
  urban_dibao: '#1677ff',
  rural_dibao: '#52c41a',
  urban_tekun: '#fa541c',
  rural_tekun: '#fa8c16',
  medical_aid: '#13c2c2',
  temporary_aid: '#722ed1',
  price_subsidy: '#eb2f96',
};

export const shortName = (p: { code: string; name: string }) => SHORT_NAMES[p.code] ?? p.name;

/** The programs of the 特困供养 card (urban and rural together). */
export const TEKUN = ['urban_tekun', 'rural_tekun'];
/** Programs with their own card; the rest are listed under 其他救助项目. */
export const CARD_PROGRAMS = ['urban_dibao', 'rural_dibao', ...TEKUN];
