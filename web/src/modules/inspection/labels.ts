/** Chinese labels of the 核查 screens; rule types, categories and their parameters stay in src/domain/campaign. */
import { CATEGORIES, isRuleType, RULE_TYPES } from '../../../../src/domain/campaign/rules.ts';
import { VEHICLE_TYPES } from '../../../../src/domain/policy/dibao.params.ts';
import { formatYuan } from '../../ui/Money.tsx';

export { CATEGORIES, RULE_TYPES };

export const CATEGORY_COLORS: Record<string, string> = {
  louBao: 'gold',
  cuoBao: 'red',
  guanxiBao: 'purple',
  renqingBao: 'magenta',
  pianBao: 'volcano',
};

export function categoryLabel(code: string): string {
  return (CATEGORIES as Record<string, string>)[code] ?? code;
}

export function ruleTypeLabel(code: string): string {
  return isRuleType(code) ? RULE_TYPES[code].label : code;
}

export const CAMPAIGN_STATUS: Record<string, { label: string; color: string }> = {
  draft: { label: '未运行', color: 'default' },
  running: { label: '运行中', color: 'processing' },
  done: { label: '已完成', color: 'success' },
  failed: { label: '失败', color: 'error' },
};

export const OUTCOMES: Record<string, { label: string; color: string; hint: string }> = {
  keep: { label: '维持', color: 'green', hint: '经复核情况属实但符合条件，或核查线索不实，继续保障。' },
  exit: { label: '退出', color: 'red', hint: '不再符合条件，转入变更（停保）个案，由县级审核确认。' },
  recover: {
    label: '退出并追回',
    color: 'volcano',
    hint: '骗取或多领的救助金须追回；同时转入变更个案，由县级决定停保和追回金额。',
  },
};

export const CAMPAIGN_PROGRAMS: { code: string; name: string }[] = [
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
};

export function programName(code: string | null | undefined): string {
  if (!code) return '—';
  return PROGRAM_NAMES[code] ?? code;
}

const PARAM_LABELS: Record<string, string> = {
  graceMonths: '死亡后宽限月数',
  matchNameBirthSex: '按姓名、出生日期、性别比对',
  maxHouseholdsPerAccount: '每个账户最多户数',
  maxCount: '最多数量',
  exemptTypes: '豁免车辆类型',
  maxResidential: '住房最多套数',
  maxNonResidential: '非住宅房产最多处数',
  exemptSmallFamilyShop: '夫妻小店豁免',
  monthsOfStandard: '上限（月数 × 低保标准）',
  standardBasis: '标准依据',
  includeSecurities: '计入证券',
  includeSavingsInsurance: '计入储蓄型保险',
  minMonthlyFen: '最低月工资',
  multiple: '倍数',
  countPensions: '计入养老金、失业保险金',
  includeDeclared: '包括已备案的近亲属',
  matchSameHukou: '按同一户号比对',
  incomeBelowMultiple: '收入低于标准的倍数',
  maxVehicles: '机动车最多数量',
  exemptVehicleTypes: '豁免车辆类型',
  maxBusiness: '工商登记最多户数',
};

function paramValue(key: string, v: unknown): string {
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v))
    return v.length === 0
      ? '无'
      : v.map((x) => (VEHICLE_TYPES as Record<string, string>)[String(x)] ?? String(x)).join('、');
  if (key === 'standardBasis') return v === 'urban' ? '城市低保标准' : '本项目低保标准';
  if (key === 'minMonthlyFen' && typeof v === 'number') return `${formatYuan(v)} 元`;
  return String(v);
}

/** A rule's parameters as a readable line: '住房最多套数 1；非住宅房产最多处数 0'. */
export function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${PARAM_LABELS[k] ?? k}：${paramValue(k, v)}`)
    .join('；');
}

export function paramLabel(key: string): string {
  return PARAM_LABELS[key] ?? key;
}

/** An ISO timestamp as China time, 'YYYY-MM-DD HH:mm'. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function campaignPercent(c: {
  status: string;
  progress: { rulesDone: number; rulesTotal: number };
}): number {
  if (c.status === 'done') return 100;
  const { rulesDone, rulesTotal } = c.progress;
  if (rulesTotal <= 0) return 0;
  return Math.min(99, Math.floor((rulesDone * 100) / rulesTotal));
}
