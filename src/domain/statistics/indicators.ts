/**
 * 民政统计 indicators (DOMAIN §14, §17): pure arithmetic over figures the statistics service reads from the
 * payment ledger. Money is integer fen; a level is an exact fraction rounded once, half-up to whole fen
 * (the rounding this module states; reports may show it to whole 元 at the edge with formatYuan/formatLevel).
 */
import { COMPONENTS, type Component, FUND_SOURCE_CODES, type FundSource } from '../benefit/components.ts';
import { div, formatWanYuan, int, type Rounding, roundFen } from '../money/money.ts';

/** The one rounding of a level: half-up to the fen. */
export const LEVEL_ROUNDING: Rounding = { mode: 'half_up', unit: 'fen' };

/** The programs the statistics report, in the order of the monthly report (DOMAIN §14). */
export const STAT_PROGRAMS = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困人员救助供养',
  rural_tekun: '农村特困人员救助供养（五保）',
  medical_aid: '医疗救助',
  temporary_aid: '临时救助',
} as const;
export type StatProgram = keyof typeof STAT_PROGRAMS;
export const STAT_PROGRAM_CODES = Object.keys(STAT_PROGRAMS) as StatProgram[];
export function isStatProgram(v: string): v is StatProgram {
  return Object.hasOwn(STAT_PROGRAMS, v);
}
export const DIBAO_PROGRAMS: readonly StatProgram[] = ['urban_dibao', 'rural_dibao'];
export const TEKUN_PROGRAMS: readonly StatProgram[] = ['urban_tekun', 'rural_tekun'];
/** Paid per grant: counted as 人次 (each grant = 1), not as a month-end stock (DOMAIN §14 临时救助). */
export const GRANT_PROGRAMS: readonly StatProgram[] = ['medical_aid', 'temporary_aid'];

export const SUPPORT_MODES = { concentrated: '集中供养', dispersed: '分散供养' } as const;

/** Spending by component (fen), as read from the ledger. */
export type ComponentFen = Partial<Record<Component | string, number>>;

/**
 * The spending split of the monthly report (DOMAIN §14 spending block): 低保金, 分类施保 (the dibao add-ons,
 * which the Guangdong 补差 counts with the 低保金, §17) and 价格临时补贴; "other" is everything else
 * (特困基本生活, 照料护理, 节日补贴, 临时救助金, 医疗救助金).
 */
export interface SpendingSplit {
  dibaoBaseFen: number;
  dibaoAddonFen: number;
  priceSubsidyFen: number;
  otherFen: number;
  totalFen: number;
}

export function splitSpending(byComponent: ComponentFen): SpendingSplit {
  let dibaoBaseFen = 0;
  let dibaoAddonFen = 0;
  let priceSubsidyFen = 0;
  let otherFen = 0;
  for (const [component, fen] of Object.entries(byComponent)) {
    const v = fen ?? 0;
    if (component === 'dibao_base') dibaoBaseFen += v;
    else if (component === 'dibao_addon') dibaoAddonFen += v;
    else if (component === 'price_subsidy') priceSubsidyFen += v;
    else otherFen += v;
  }
  return {
    dibaoBaseFen,
    dibaoAddonFen,
    priceSubsidyFen,
    otherFen,
    totalFen: dibaoBaseFen + dibaoAddonFen + priceSubsidyFen + otherFen,
  };
}

/** A level in fen per person (or per 人次); null when there is nobody to divide by. */
export function levelFen(spendingFen: number, divisor: number): number | null {
  if (divisor <= 0) return null;
  return roundFen(div(int(spendingFen), int(divisor)), LEVEL_ROUNDING);
}

/** DOMAIN §14: 当月人均补助水平 (元/人·月) = 当月资金支出 ÷ 当月低保对象人数. */
export function monthlyLevelFen(input: { spendingMonthFen: number; personsMonth: number }): number | null {
  return levelFen(input.spendingMonthFen, input.personsMonth);
}

/**
 * DOMAIN §14: 累计月人均补助水平 = 累计资金支出 ÷ 累计低保对象人数, the latter being 人次 (the sum of the
 * monthly counts since January), so a caseload that moved during the year is weighted month by month (§17:
 * the seed's 376 元, not 145.36万 ÷ 9 ÷ 427 ≈ 378).
 */
export function cumulativeLevelFen(input: {
  spendingYtdFen: number;
  personMonthsYtd: number;
}): number | null {
  return levelFen(input.spendingYtdFen, input.personMonthsYtd);
}

/**
 * DOMAIN §17 (Guangdong): 月人均补差水平 = 当月城乡低保资金支出（含分类施保）÷ 当月城乡低保对象人数: the 低保金
 * and the 分类施保 add-ons, without the 价格临时补贴.
 */
export function topUpLevelFen(input: {
  dibaoBaseFen: number;
  dibaoAddonFen: number;
  persons: number;
}): number | null {
  return levelFen(input.dibaoBaseFen + input.dibaoAddonFen, input.persons);
}

/** DOMAIN §14 临时救助: 平均救助水平 (元/人次) = 累计支出 ÷ 累计人次 (each grant = 1 人次). */
export function averagePerGrantFen(input: { spendingYtdFen: number; grantsYtd: number }): number | null {
  return levelFen(input.spendingYtdFen, input.grantsYtd);
}

/**
 * DOMAIN §14 age breakdown of the persons at month end: 未成年人 (< 18), 成年人 (18–59), 老年人 (≥ 60). The official
 * form's cut-offs are unverified, so they are parameters; ages are whole years on the month's last day.
 */
export interface AgeCutoffs {
  adultFrom: number;
  elderlyFrom: number;
}
export const DEFAULT_AGE_CUTOFFS: AgeCutoffs = { adultFrom: 18, elderlyFrom: 60 };
export const AGE_GROUP_LABELS = { minors: '未成年人', adults: '成年人', elderly: '老年人' } as const;
export type AgeGroups = Record<keyof typeof AGE_GROUP_LABELS, number>;

/**
 * The birth-date bounds of the groups for a month ('YYYY-MM'): a person born after `minorBornAfter` is under
 * `adultFrom` on the month's last day, one born on or before `elderlyBornBy` is `elderlyFrom` or older. Dates
 * compare as ISO strings, so one SQL reads alike on both engines. 29 February birthdays count from 1 March in
 * common years (the legal convention of resident-id.ts ageOn).
 */
export function ageGroupBounds(month: string, cutoffs: AgeCutoffs = DEFAULT_AGE_CUTOFFS) {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const dd = `${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
  const back = (years: number) => `${String(y - years).padStart(4, '0')}-${dd}`;
  return { minorBornAfter: back(cutoffs.adultFrom), elderlyBornBy: back(cutoffs.elderlyFrom) };
}

/** The group of a birth date in a month (the same comparison the SQL makes). */
export function ageGroupOf(birthDate: string, month: string, cutoffs: AgeCutoffs = DEFAULT_AGE_CUTOFFS) {
  const b = ageGroupBounds(month, cutoffs);
  if (birthDate > b.minorBornAfter) return 'minors' as const;
  if (birthDate <= b.elderlyBornBy) return 'elderly' as const;
  return 'adults' as const;
}

/** The edge: fen → 万元 with two decimals (the monthly report's unit, DOMAIN §14). */
export function formatWan(fen: number): string {
  return formatWanYuan(fen, 2);
}

/** The edge: a level in fen → whole 元 half-up, as the seed report writes "376 元" (DOMAIN §17). */
export function formatLevelYuan(fen: number | null): string {
  if (fen === null) return '—';
  return String(roundFen(int(fen), { mode: 'half_up', unit: 'yuan' }) / 100);
}

export const COMPONENT_LABELS: Record<string, string> = COMPONENTS;

/** Sums fen maps key by key (fund sources, components). */
export function addFenMaps(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export function emptyFundMap(): Record<FundSource, number> {
  return Object.fromEntries(FUND_SOURCE_CODES.map((f) => [f, 0])) as Record<FundSource, number>;
}

/** 'YYYY-MM' → the months of its year up to and including it ('累计' since January, DOMAIN §14). */
export function monthsSinceJanuary(month: string): string[] {
  const [y, m] = [month.slice(0, 4), Number(month.slice(5, 7))];
  return Array.from({ length: m }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`);
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
