/**
 * Chinese wording of policy parameters for the 政策参数 and 政策测算 screens: amounts in 元, rates as 倍 or %,
 * rounding as 四舍五入到元. The labels themselves come from src/domain, where the rules are.
 */

import { roundingLabel } from '../../../../src/domain/money/money.ts';
import { DIBAO_MEMBER_CATEGORIES } from '../../../../src/domain/policy/dibao.params.ts';
import type { PolicyBody, PolicyKind } from '../../../../src/domain/policy/kinds.ts';
import { MEDICAL_CATEGORIES } from '../../../../src/domain/policy/medical-aid.params.ts';
import { PRICE_SUBSIDY_GROUPS } from '../../../../src/domain/policy/price-subsidy.params.ts';
import { SELF_CARE_LABELS } from '../../../../src/domain/policy/tekun.params.ts';
import { TEMPORARY_AID_TYPES } from '../../../../src/domain/policy/temporary-aid.params.ts';

export { roundingLabel };

/** The programs with parameters, in the order of the screens, with the names clerks use. */
export const PROGRAMS = [
  { code: 'urban_dibao', name: '城市低保', kind: 'dibao' },
  { code: 'rural_dibao', name: '农村低保', kind: 'dibao' },
  { code: 'urban_tekun', name: '城市特困', kind: 'tekun' },
  { code: 'rural_tekun', name: '农村特困（五保）', kind: 'tekun' },
  { code: 'temporary_aid', name: '临时救助', kind: 'temporary_aid' },
  { code: 'medical_aid', name: '医疗救助', kind: 'medical_aid' },
  { code: 'price_subsidy', name: '价格临时补贴', kind: 'price_subsidy' },
] as const satisfies readonly { code: string; name: string; kind: PolicyKind }[];
export type ProgramCode = (typeof PROGRAMS)[number]['code'];

export function programName(code: string): string {
  return PROGRAMS.find((p) => p.code === code)?.name ?? code;
}

export function kindOf(code: string): PolicyKind | null {
  return PROGRAMS.find((p) => p.code === code)?.kind ?? null;
}

/** A version as GET /api/v1/policy/versions returns it. */
export interface PolicyVersion {
  id: number;
  countyCode: string;
  townCode: string | null;
  kind: PolicyKind;
  kindLabel: string;
  programCode: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  docNo: string;
  docTitle: string | null;
  body: unknown;
  usedInPayment: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** 26000 → '260'; 2650 → '26.50' (whole yuan without decimals, as policy documents write them). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 100).toLocaleString('zh-CN');
  const cents = abs % 100;
  return `${sign}${whole}${cents === 0 ? '' : `.${String(cents).padStart(2, '0')}`}`;
}

/** '2015-01' → '2015年1月'. */
export function monthText(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** The 执行期 of a version: '2015年1月 至 2015年12月' or '2015年1月 起（现行）'. */
export function periodText(from: string, to: string | null): string {
  return to ? `${monthText(from)} 至 ${monthText(to)}` : `${monthText(from)} 起`;
}

/**
 * A rate string of a share ("0.3") as a percentage ("30%"), exactly (decimal shift, no floating point).
 */
export function shareText(rate: string): string {
  if (!/^\d+(\.\d+)?$/.test(rate)) return rate;
  const [int = '0', frac = ''] = rate.split('.');
  const padded = `${frac}00`;
  const whole = `${int}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = padded.slice(2).replace(/0+$/, '');
  return `${whole}${rest ? `.${rest}` : ''}%`;
}

/** "1/6" stays a fraction; a decimal share becomes a percentage. */
export function fractionOrShare(rate: string): string {
  return rate.includes('/') ? rate : shareText(rate);
}

export const DIBAO_CATEGORY_LABELS: Record<string, string> = DIBAO_MEMBER_CATEGORIES;
export const DIBAO_PROGRAM_LABELS: Record<string, string> = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
};

type Body<K extends PolicyKind> = PolicyBody<K>;

function floorText(floor: Body<'dibao'>['floor']): string {
  if (floor.kind === 'per_person') return `${yuan(floor.amountFen)} 元/人·月`;
  if (floor.kind === 'share_of_standard') return `低保标准的 ${shareText(floor.rate)}`;
  return '不设保底';
}

function addOnText(item: Body<'dibao'>['addOns']['items'][number]): string {
  const amount =
    item.rate !== undefined ? `标准的 ${shareText(item.rate)}` : `${yuan(item.amountFen ?? 0)} 元`;
  return `${item.label} ${amount}`;
}

/** Key figures of a version, one short Chinese phrase each, for the timeline table. */
export function summarize(kind: PolicyKind, raw: unknown): string[] {
  try {
    switch (kind) {
      case 'dibao': {
        const b = raw as Body<'dibao'>;
        const items = b.addOns?.items ?? [];
        return [
          `低保标准 ${yuan(b.standardFen)} 元/人·月`,
          b.method === 'band'
            ? `分档：${b.bands.map((x) => `${x.label} ${yuan(x.amountFen)} 元`).join('、')}`
            : '差额补助',
          `保底：${floorText(b.floor ?? { kind: 'none' })}`,
          items.length
            ? `分类施保（${b.addOns.stacking === 'sum' ? '累加' : '就高不叠加'}）：${items.map(addOnText).join('、')}`
            : '不设分类施保',
        ];
      }
      case 'tekun': {
        const b = raw as Body<'tekun'>;
        const basic =
          b.basic.method === 'fixed'
            ? `基本生活：集中供养 ${yuan(b.basic.concentratedFen)} 元、分散供养 ${yuan(b.basic.dispersedFen)} 元/月`
            : `基本生活：${DIBAO_PROGRAM_LABELS[b.basic.dibaoProgram]}标准的 ${b.basic.multiple} 倍（${roundingLabel(b.basic.rounding)}）`;
        const care =
          b.care.basis === 'fixed'
            ? `照料护理：${Object.entries(b.care.tiers)
                .map(([t, fen]) => `${SELF_CARE_LABELS[t as keyof typeof SELF_CARE_LABELS]} ${yuan(fen)} 元`)
                .join('、')}`
            : `照料护理：最低工资 ${yuan(b.care.minimumWageFen)} 元的 ${Object.entries(b.care.tiers)
                .map(
                  ([t, r]) => `${SELF_CARE_LABELS[t as keyof typeof SELF_CARE_LABELS]} ${fractionOrShare(r)}`,
                )
                .join('、')}`;
        return [basic, care];
      }
      case 'temporary_aid': {
        const b = raw as Body<'temporary_aid'>;
        const limit =
          b.townApprovalLimit.kind === 'months_of_standard'
            ? `${b.townApprovalLimit.months} 个月低保标准`
            : `${yuan(b.townApprovalLimit.amountFen)} 元`;
        return [
          `${b.bands.length} 个档次：${b.bands
            .map((x) => `${x.label} ${x.monthsOfStandard} 个月标准${x.perPerson ? '×人数' : ''}`)
            .join('、')}`,
          `乡镇审批上限 ${limit}`,
          ...(b.householdAnnualCapFen !== undefined
            ? [`家庭年度上限 ${yuan(b.householdAnnualCapFen)} 元`]
            : []),
        ];
      }
      case 'medical_aid': {
        const b = raw as Body<'medical_aid'>;
        const out: string[] = [];
        for (const layer of b.layers) {
          const cats = Object.entries(layer.byCategory);
          if (cats.length === 0) continue;
          out.push(
            `${layer.label}：${cats
              .map(
                ([c, r]) =>
                  `${MEDICAL_CATEGORIES[c as keyof typeof MEDICAL_CATEGORIES] ?? c} ${shareText(r.rate)}${
                    r.annualCapFen !== null ? `（年度限额 ${yuan(r.annualCapFen)} 元）` : ''
                  }`,
              )
              .join('、')}`,
          );
        }
        return out.length ? out : ['只按医保结算，不设救助比例'];
      }
      case 'price_subsidy': {
        const b = raw as Body<'price_subsidy'>;
        return [
          `CPI 同比 ≥ ${b.cpiThreshold}% 或食品价格同比 ≥ ${b.foodThreshold}% 时启动`,
          `补贴：${formulaText(b.formula)}，每人每月不低于 ${yuan(b.floorFen)} 元`,
          `对象：${b.groups.map((g) => PRICE_SUBSIDY_GROUPS[g]).join('、')}`,
        ];
      }
    }
  } catch {
    // A body that does not have the expected shape is shown raw in the drawer.
  }
  return ['（参数格式无法识别，请查看原始 JSON）'];
}

export function formulaText(f: Body<'price_subsidy'>['formula']): string {
  if (f.kind === 'standard_times_rise') return '低保标准 × 涨幅';
  if (f.kind === 'fixed_per_point') return `涨幅每 1 个百分点 ${yuan(f.amountFen)} 元`;
  return `低保标准 ÷ 除数（${f.bands.map((x) => `涨幅 ≥ ${x.minRise}% 除以 ${x.divisor}`).join('；')}）`;
}

export const AID_TYPE_LABELS: Record<string, string> = TEMPORARY_AID_TYPES;
