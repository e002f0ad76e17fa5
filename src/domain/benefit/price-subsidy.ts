/**
 * 价格临时补贴 of one person for one index month (DOMAIN §8.4): triggered when the CPI or the food-price index
 * (single month, year on year) reaches its threshold; the rise is the triggering index (the higher one when both
 * trigger, unless the parameters say otherwise); the amount follows the local formula from the dibao standard of the
 * person's group, rounded once, not below the floor. Each month stands alone (no 3-month persistence since 2016).
 */
import { z } from 'zod';
import {
  cmp,
  decimal,
  div,
  formatYuan,
  int,
  isDecimalString,
  mul,
  percent,
  type Ratio,
  roundFen,
  roundingLabel,
} from '../money/money.ts';
import { fenSchema } from '../policy/common.ts';
import {
  PRICE_SUBSIDY_GROUPS,
  type PriceSubsidyGroup,
  type PriceSubsidyParams,
  priceSubsidyGroupSchema,
} from '../policy/price-subsidy.params.ts';
import { typeError } from '../policy/tekun.params.ts';
import { Explainer, type ExplanationLine } from './explanation.ts';

const TRIGGER_RULE =
  '发改价格规〔2016〕1835号：CPI 单月同比涨幅或食品价格单月同比涨幅达到启动条件即启动，按月测算、按月发放（DOMAIN §8.2）';
const GROUPS_RULE = '发改价格规〔2016〕1835号、发改价格〔2021〕1553号：保障对象范围（DOMAIN §8.2、§8.3）';
const FORMULA_RULE = '补贴标准由地方确定，常见为当月低保标准 × 触发指数涨幅（DOMAIN §8.3、§8.4）';
const FLOOR_RULE = '地方规定的每人每月最低补贴额（DOMAIN §8.3、§8.4）';

/** A year-on-year change in percent, possibly negative: "3.6", "-0.4"; null when not published. */
const yoySchema = z
  .string({ error: '同比涨幅应写成小数字符串，如 "3.6"' })
  .refine(isDecimalString, { error: '同比涨幅应为小数，如 "3.6"、"-0.4"' })
  .nullable();

export const priceSubsidyInputSchema = z.object(
  {
    group: priceSubsidyGroupSchema,
    cpiYoY: yoySchema,
    foodYoY: yoySchema,
    /** The monthly dibao standard (urban or rural) of the person's group for that month. */
    dibaoStandardFen: fenSchema,
  },
  { error: typeError('价格临时补贴输入应为对象') },
);
export type PriceSubsidyInput = z.infer<typeof priceSubsidyInputSchema>;

export interface PriceSubsidyResult {
  triggered: boolean;
  /** The rise (percent, as published) the amount is based on; null when not triggered. */
  rise: string | null;
  amountFen: number;
  explanation: ExplanationLine[];
}

export function priceSubsidyMonthly(
  params: PriceSubsidyParams,
  input: {
    group: PriceSubsidyGroup;
    cpiYoY: string | null;
    foodYoY: string | null;
    dibaoStandardFen: number;
  },
  opts: { explain?: boolean } = {},
): PriceSubsidyResult {
  const ex = new Explainer(opts.explain ?? true);
  const cpiHit = input.cpiYoY !== null && cmp(decimal(input.cpiYoY), decimal(params.cpiThreshold)) >= 0;
  const foodHit = input.foodYoY !== null && cmp(decimal(input.foodYoY), decimal(params.foodThreshold)) >= 0;
  const triggered = cpiHit || foodHit;
  ex.add(() => ({
    step: '启动条件',
    text: `CPI 同比 ${show(input.cpiYoY)}（启动条件 ≥ ${params.cpiThreshold}%）${cpiHit ? '达到' : '未达到'}；食品价格同比 ${show(
      input.foodYoY,
    )}（启动条件 ≥ ${params.foodThreshold}%）${foodHit ? '达到' : '未达到'}；${triggered ? '启动联动机制' : '本月不启动'}`,
    rule: TRIGGER_RULE,
    param: 'cpiThreshold, foodThreshold',
  }));
  if (!triggered) return { triggered, rise: null, amountFen: 0, explanation: ex.lines };

  const rise = pickRise(params.whenBoth, cpiHit ? input.cpiYoY : null, foodHit ? input.foodYoY : null);
  if (cpiHit && foodHit) {
    ex.add(() => ({
      step: '涨幅取值',
      text: `两项指数均达到启动条件，按${whenBothLabel(params.whenBoth)}取涨幅 ${rise}%`,
      param: 'whenBoth',
    }));
  }

  if (!params.groups.includes(input.group)) {
    ex.add(() => ({
      step: '保障对象',
      text: `${PRICE_SUBSIDY_GROUPS[input.group]}不在本期价格临时补贴保障范围内，补贴 0.00 元`,
      amountFen: 0,
      rule: GROUPS_RULE,
      param: 'groups',
    }));
    return { triggered, rise, amountFen: 0, explanation: ex.lines };
  }

  const standard = input.dibaoStandardFen;
  const formula = params.formula;
  let exact: Ratio;
  let formulaText: string;
  if (formula.kind === 'standard_times_rise') {
    exact = mul(int(standard), percent(rise));
    formulaText = `低保标准 ${formatYuan(standard)} 元 × ${rise}%`;
  } else if (formula.kind === 'standard_divided') {
    const r = decimal(rise);
    let bandIndex = -1;
    formula.bands.forEach((b, i) => {
      if (cmp(decimal(b.minRise), r) <= 0) bandIndex = i;
    });
    const band = formula.bands[bandIndex];
    if (!band) {
      ex.add(() => ({
        step: '补贴标准',
        text: `涨幅 ${rise}% 低于最低档次的涨幅下限，无对应档次，补贴 0.00 元`,
        amountFen: 0,
        rule: FORMULA_RULE,
        param: 'formula.bands',
      }));
      return { triggered, rise, amountFen: 0, explanation: ex.lines };
    }
    exact = div(int(standard), int(band.divisor));
    formulaText = `涨幅 ${rise}% 属涨幅 ≥ ${band.minRise}% 档：低保标准 ${formatYuan(standard)} 元 ÷ ${band.divisor}`;
  } else {
    const points = startedPoints(decimal(rise));
    exact = mul(int(formula.amountFen), int(points));
    formulaText = `涨幅 ${rise}% 计 ${points} 个百分点 × 每点 ${formatYuan(formula.amountFen)} 元`;
  }
  const rounded = roundFen(exact, params.rounding);
  ex.add(() => ({
    step: '补贴标准',
    text: `${formulaText} = ${formatYuan(rounded)} 元（${roundingLabel(params.rounding)}）`,
    amountFen: rounded,
    rule: FORMULA_RULE,
    param: 'formula',
  }));
  let amountFen = rounded;
  if (rounded < params.floorFen) {
    amountFen = params.floorFen;
    ex.add(() => ({
      step: '保底',
      text: `低于每人每月最低补贴 ${formatYuan(params.floorFen)} 元，按 ${formatYuan(params.floorFen)} 元发放`,
      amountFen,
      rule: FLOOR_RULE,
      param: 'floorFen',
    }));
  }
  return { triggered, rise, amountFen, explanation: ex.lines };
}

/** The rise the amount uses: the only triggering index, or per whenBoth when both trigger (DOMAIN §8.3 Wuhan: 从高). */
function pickRise(whenBoth: PriceSubsidyParams['whenBoth'], cpi: string | null, food: string | null): string {
  if (cpi === null) return food as string;
  if (food === null) return cpi;
  if (whenBoth === 'cpi') return cpi;
  if (whenBoth === 'food') return food;
  return cmp(decimal(cpi), decimal(food)) >= 0 ? cpi : food;
}

/** Every started percentage point counts: 3.0 → 3, 3.1 → 4. */
function startedPoints(rise: Ratio): number {
  const q = rise.num / rise.den;
  return Number(rise.num % rise.den === 0n ? q : q + 1n);
}

function whenBothLabel(w: PriceSubsidyParams['whenBoth']): string {
  if (w === 'cpi') return ' CPI ';
  if (w === 'food') return '食品价格指数';
  return '从高原则';
}

function show(yoy: string | null): string {
  return yoy === null ? '未公布' : `${yoy}%`;
}
