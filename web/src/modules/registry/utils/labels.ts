/** Chinese labels for the codes the registry API returns, and small formatting helpers. */
import { chinaDate } from '../../../../../src/domain/calendar/dates.ts';
import {
  EMPLOYMENT_STATUS,
  HUKOU_TYPES,
  LABOUR_CAPACITY,
  SCHOOL_STATUS,
  SELF_CARE,
} from '../../../../../src/domain/household/person-attributes.ts';

export const PROGRAMS: { code: string; name: string }[] = [
  { code: 'urban_dibao', name: '城市低保' },
  { code: 'rural_dibao', name: '农村低保' },
  { code: 'urban_tekun', name: '城市特困供养' },
  { code: 'rural_tekun', name: '农村特困供养（五保）' },
  { code: 'medical_aid', name: '医疗救助' },
  { code: 'temporary_aid', name: '临时救助' },
  { code: 'price_subsidy', name: '临时价格补贴' },
];

export const PROGRAM_COLORS: Record<string, string> = {
  urban_dibao: 'blue',
  rural_dibao: 'green',
  urban_tekun: 'purple',
  rural_tekun: 'magenta',
  medical_aid: 'cyan',
  temporary_aid: 'orange',
  price_subsidy: 'gold',
};

export const ENROLMENT_STATUS: Record<string, { label: string; color: string }> = {
  active: { label: '在保', color: 'green' },
  suspended: { label: '暂停', color: 'orange' },
  ended: { label: '已退出', color: 'default' },
};

export const SUPPORT_MODE: Record<string, string> = {
  concentrated: '集中供养',
  dispersed: '分散供养',
};

export const STAFF_KIND: Record<string, string> = {
  official: '低保经办人员',
  village_cadre: '村（居）委会干部',
};

/** Code → label maps for the fields whose stored value is a code (used by forms and the change history). */
export const VALUE_LABELS: Record<string, Record<string, string>> = {
  hukou_type: HUKOU_TYPES,
  labour_capacity: LABOUR_CAPACITY,
  self_care: SELF_CARE,
  school_status: SCHOOL_STATUS,
  employment_status: EMPLOYMENT_STATUS,
  sex: { M: '男', F: '女' },
};

export function label(map: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return map[code] ?? code;
}

export function options(map: Record<string, string>): { value: string; label: string }[] {
  return Object.entries(map).map(([value, l]) => ({ value, label: l }));
}

/** Today in China ('YYYY-MM-DD'), the date ID numbers and death dates are judged against. */
export function todayInChina(): string {
  return chinaDate(new Date());
}

/** An ISO timestamp as China time, 'YYYY-MM-DD HH:mm'. */
export function formatChinaTime(iso: string): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** 'YYYY-MM' → 'YYYY年M月'. */
export function formatMonth(month: string | null): string {
  if (!month) return '—';
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

export function disabilityText(category: string | null, grade: number | null): string {
  if (!category) return '无';
  return grade ? `${category}${['', '一', '二', '三', '四'][grade] ?? grade}级` : category;
}
