/**
 * Household income for dibao (DOMAIN §4.4): what counts, what is excluded, what is deducted, and the imputed
 * income of able-bodied working-age members; then the monthly per-capita figure the standard is compared with.
 * Amounts are totals over the reference period; everything stays exact until the per-capita figure is rounded once.
 */
import {
  add,
  cmp,
  decimal,
  div,
  formatYuan,
  int,
  isZero,
  min,
  mul,
  type Ratio,
  roundFen,
  roundingLabel,
  sub,
  ZERO,
} from '../money/money.ts';
import { type DibaoParams, INCOME_TYPES, type IncomeType } from '../policy/dibao.params.ts';
import type { Explainer } from './explanation.ts';

export const RULE_INCOME = '审核确认办法 第13条（DOMAIN §4.4）';
export const RULE_IMPUTED = '民政部 2022 年通知：虚拟收入须结合实际（DOMAIN §4.4）';
export const RULE_PER_CAPITA = '社会救助暂行办法 第9条；民发〔2012〕220号 第27条（DOMAIN §4.4、§4.7）';

export interface IncomeItem {
  type: IncomeType;
  /** Total over the reference period. */
  amountFen: number;
  note?: string | undefined;
}

export interface IncomeMember {
  /** How the member is named in the explanation ('张三' or '成员2'). */
  label: string;
  sex: 'M' | 'F';
  age: number;
  labourCapacity?: 'full' | 'partial' | 'none' | undefined;
  employed: boolean;
  student: boolean;
  incomes: IncomeItem[];
  /** A clerk's decision on the imputed income, per month, with its mandatory reason (DOMAIN §4.4). */
  imputedIncome?: { amountFen: number; reason: string } | null | undefined;
}

export interface MemberIncome {
  /** Net counted income over the period (exact; may be negative when transfers out exceed income). */
  net: Ratio;
  /** Whether the member has any counted income of their own (imputed income not included). */
  hasOwnIncome: boolean;
}

export interface HouseholdIncome {
  members: MemberIncome[];
  /** Household-level items (e.g. the family's farm or shop), net. */
  householdItems: Ratio;
  /** Σ members + household items, exact, not clamped. */
  total: Ratio;
}

/** Ratio in fen → "1,234.50", with '约' when it is not whole fen (only explanations show such figures). */
export function yuanText(r: Ratio): string {
  const fen = roundFen(r, { mode: 'half_up', unit: 'fen' });
  return r.den === 1n ? formatYuan(fen) : `约 ${formatYuan(fen)}`;
}

function employmentCostPerMonth(params: DibaoParams): { amount: Ratio; text: string; param: string } | null {
  const d = params.income.employmentCostDeduction;
  if (d === null) return null;
  if ('rate' in d) {
    const amount = mul(decimal(d.rate), int(params.standardFen));
    return {
      amount,
      text: `低保标准 ${formatYuan(params.standardFen)} 元 × ${d.rate} = ${yuanText(amount)} 元/月`,
      param: 'income.employmentCostDeduction.rate',
    };
  }
  return {
    amount: int(d.amountFen),
    text: `${formatYuan(d.amountFen)} 元/月`,
    param: 'income.employmentCostDeduction.amountFen',
  };
}

function imputedPerMonth(params: DibaoParams): { amount: Ratio; text: string; param: string } | null {
  const r = params.income.imputed;
  if (r === null) return null;
  if (r.kind === 'amount') {
    return {
      amount: int(r.amountFen),
      text: `${formatYuan(r.amountFen)} 元/月`,
      param: 'income.imputed.amountFen',
    };
  }
  const amount = mul(decimal(r.rate), int(r.minimumWageFen));
  return {
    amount,
    text: `最低工资 ${formatYuan(r.minimumWageFen)} 元 × ${r.rate} = ${yuanText(amount)} 元/月`,
    param: 'income.imputed.rate',
  };
}

/** DOMAIN §4.4 "劳动力系数": able-bodied (recorded as such), of working age, not in school, no wage income. */
export function isImputable(params: DibaoParams, m: IncomeMember): boolean {
  const { from, toMale, toFemale } = params.income.workingAge;
  const to = m.sex === 'M' ? toMale : toFemale;
  if (m.labourCapacity !== 'full' || m.student) return false;
  if (m.age < from || m.age >= to) return false;
  return !m.incomes.some((i) => i.type === 'wage' && i.amountFen > 0);
}

/** Sums a list of items: counted types add, transfer_out subtracts, exempt types are left out with a line each. */
function sumItems(
  params: DibaoParams,
  who: string,
  items: IncomeItem[],
  ex: Explainer,
): { net: Ratio; counted: number } {
  const exempt = params.income.exemptTypes;
  let net = 0;
  let counted = 0;
  for (const item of items) {
    const label = INCOME_TYPES[item.type];
    const note = item.note ? `（${item.note}）` : '';
    if (exempt.includes(item.type)) {
      if (ex.enabled)
        ex.add({
          step: '不计入收入',
          text: `${who}：${label} ${formatYuan(item.amountFen)} 元${note}不计入家庭收入`,
          amountFen: 0,
          rule: RULE_INCOME,
          param: 'income.exemptTypes',
        });
      continue;
    }
    if (item.type === 'transfer_out') {
      net -= item.amountFen;
      if (ex.enabled)
        ex.add({
          step: '转移性支出',
          text: `${who}：${label} ${formatYuan(item.amountFen)} 元${note}，从家庭收入中扣除`,
          amountFen: -item.amountFen,
          rule: RULE_INCOME,
        });
      continue;
    }
    net += item.amountFen;
    if (item.amountFen > 0) counted += 1;
    if (ex.enabled)
      ex.add({
        step: '收入',
        text: `${who}：${label} ${formatYuan(item.amountFen)} 元${note}`,
        amountFen: item.amountFen,
        rule: RULE_INCOME,
      });
  }
  return { net: int(net), counted };
}

/**
 * The income of the counted members and of the household over the reference period (DOMAIN §4.4, 2021 Art. 13):
 * - exempt types (params.income.exemptTypes) are excluded, with a line each;
 * - transfer_out is subtracted (转移净收入 = transfers in − transfers out);
 * - an employed member's wage is reduced by the necessary employment cost (per month × months), at most down
 *   to zero: the deduction is from 工资性收入 and never makes it negative;
 * - an able-bodied working-age member without wage income is imputed income when the rule sets it; a clerk's
 *   override (per month, with a reason) wins, and is applied whenever recorded.
 */
export function computeDibaoIncome(
  params: DibaoParams,
  input: { members: IncomeMember[]; householdIncomes: IncomeItem[] },
  ex: Explainer,
): HouseholdIncome {
  const months = int(params.income.referenceMonths);
  const cost = employmentCostPerMonth(params);
  const imputed = imputedPerMonth(params);
  const members: MemberIncome[] = [];
  let total: Ratio = ZERO;
  for (const m of input.members) {
    const own = sumItems(params, m.label, m.incomes, ex);
    let net = own.net;
    if (m.employed && cost !== null) {
      const wage = m.incomes.reduce((s, i) => (i.type === 'wage' ? s + i.amountFen : s), 0);
      const full = mul(cost.amount, months);
      const deduction = min(full, int(wage));
      net = sub(net, deduction);
      if (ex.enabled)
        ex.add({
          step: '就业成本扣减',
          text:
            `${m.label}：必要就业成本 ${cost.text} × ${params.income.referenceMonths} 个月 = ${yuanText(full)} 元` +
            (cmp(deduction, full) < 0 ? `，以工资性收入 ${formatYuan(wage)} 元为限` : '') +
            `，扣减 ${yuanText(deduction)} 元`,
          amountFen: -roundFen(deduction, { mode: 'half_up', unit: 'fen' }),
          rule: RULE_INCOME,
          param: cost.param,
        });
    }
    if (m.imputedIncome) {
      const amount = mul(int(m.imputedIncome.amountFen), months);
      net = add(net, amount);
      if (ex.enabled)
        ex.add({
          step: '虚拟收入',
          text: `${m.label}：虚拟收入经核定为 ${formatYuan(m.imputedIncome.amountFen)} 元/月 × ${params.income.referenceMonths} 个月 = ${yuanText(amount)} 元（理由：${m.imputedIncome.reason}）`,
          amountFen: roundFen(amount, { mode: 'half_up', unit: 'fen' }),
          rule: RULE_IMPUTED,
        });
    } else if (imputed !== null && isImputable(params, m)) {
      const amount = mul(imputed.amount, months);
      net = add(net, amount);
      if (ex.enabled)
        ex.add({
          step: '虚拟收入',
          text: `${m.label}：${m.age} 岁，有劳动能力且无工资性收入，按${imputed.text} × ${params.income.referenceMonths} 个月计算虚拟收入 ${yuanText(amount)} 元`,
          amountFen: roundFen(amount, { mode: 'half_up', unit: 'fen' }),
          rule: RULE_IMPUTED,
          param: imputed.param,
        });
    }
    members.push({ net, hasOwnIncome: own.counted > 0 });
    total = add(total, net);
  }
  const household = sumItems(params, '家庭', input.householdIncomes, ex).net;
  total = add(total, household);
  return { members, householdItems: household, total };
}

/**
 * Monthly per-capita income = period total ÷ months ÷ persons, rounded once by rounding.perCapitaIncome
 * (DOMAIN §4.4). A negative total (transfers out above income) counts as zero.
 */
export function monthlyPerCapitaIncome(
  params: DibaoParams,
  total: Ratio,
  persons: number,
  ex: Explainer,
  who = '家庭',
): number {
  const months = params.income.referenceMonths;
  let counted = total;
  if (cmp(total, ZERO) < 0) {
    counted = ZERO;
    if (ex.enabled)
      ex.add({
        step: '收入合计',
        text: `${who}计算期收入合计 ${yuanText(total)} 元为负数，按 0 元计`,
        amountFen: 0,
        rule: RULE_INCOME,
      });
  }
  const exact = div(counted, int(months * persons));
  const rounded = roundFen(exact, params.rounding.perCapitaIncome);
  if (ex.enabled) {
    const roundText = isZero(sub(exact, int(rounded)))
      ? ''
      : `（${yuanText(exact)} 元，${roundingLabel(params.rounding.perCapitaIncome)}）`;
    ex.add({
      step: who === '家庭' ? '家庭月人均收入' : `${who}月收入`,
      text: `${who}计算期收入 ${yuanText(counted)} 元 ÷ ${months} 个月 ÷ ${persons} 人 = ${formatYuan(rounded)} 元/人·月${roundText}`,
      amountFen: rounded,
      rule: RULE_PER_CAPITA,
      param: 'rounding.perCapitaIncome',
    });
  }
  return rounded;
}
