/**
 * 特困 monthly amount per person (DOMAIN §5.5): basic-living standard (集中/分散, or a multiple of the dibao standard
 * of the month) + the care standard of the person's self-care band. Used by the payroll every month, so a new dibao
 * standard carries the 特困 standard with it (自然增长) without a new decision.
 */
import { z } from 'zod';
import { decimal, formatYuan, int, mul, roundFen, roundingLabel } from '../money/money.ts';
import { fenSchema } from '../policy/common.ts';
import {
  fractionRate,
  SELF_CARE_LABELS,
  SELF_CARE_TIERS,
  type SelfCareTier,
  type TekunParams,
  typeError,
} from '../policy/tekun.params.ts';
import { Explainer, type ExplanationLine } from './explanation.ts';

const BASIC_RULE =
  '国发〔2016〕14号 省级实施意见：基本生活标准不低于当地低保标准的规定倍数（DOMAIN §5.5、§17）';
const FIXED_BASIC_RULE = '国发〔2016〕14号：特困基本生活标准由省或设区的市确定（DOMAIN §5.5）';
const FLOOR_RULE = '不低于现行标准（DOMAIN §5.5、§17）';
const CARE_RULE =
  '特困人员认定办法（民发〔2021〕43号）第20–23条 生活自理能力评估，照料护理标准按档（DOMAIN §5.4、§5.5）';

export const SUPPORT_MODES = { concentrated: '集中供养', dispersed: '分散供养' } as const;
export type SupportMode = keyof typeof SUPPORT_MODES;

export const tekunInputSchema = z.object(
  {
    supportMode: z.enum(['concentrated', 'dispersed'], {
      error: '供养方式应为 concentrated（集中供养）或 dispersed（分散供养）',
    }),
    selfCare: z.enum(SELF_CARE_TIERS, {
      error: '生活自理能力应为 full_self_care（全自理）、partial_care（半护理）或 full_care（全护理）',
    }),
    /** The dibao standard of the month (the program named by params.basic.dibaoProgram). */
    dibaoStandardFen: fenSchema.optional(),
  },
  { error: typeError('特困供养输入应为对象') },
);
export type TekunInput = z.infer<typeof tekunInputSchema>;

export interface TekunBenefit {
  totalFen: number;
  components: { component: 'tekun_basic' | 'tekun_care'; amountFen: number }[];
  explanation: ExplanationLine[];
}

/** The monthly 特困 amount of one person. Throws when a multiple-of-dibao rule has no standard to multiply. */
export function tekunMonthly(
  params: TekunParams,
  input: { supportMode: SupportMode; selfCare: SelfCareTier; dibaoStandardFen?: number },
  opts: { explain?: boolean } = {},
): TekunBenefit {
  const ex = new Explainer(opts.explain ?? true);
  const basicFen = basicStandard(params, input, ex);
  const careFen = careStandard(params, input.selfCare, ex);
  const totalFen = basicFen + careFen;
  ex.add(() => ({
    step: '合计',
    text: `基本生活 ${formatYuan(basicFen)} 元 + 照料护理 ${formatYuan(careFen)} 元 = ${formatYuan(totalFen)} 元/月`,
    amountFen: totalFen,
  }));
  return {
    totalFen,
    components: [
      { component: 'tekun_basic', amountFen: basicFen },
      { component: 'tekun_care', amountFen: careFen },
    ],
    explanation: ex.lines,
  };
}

function basicStandard(
  params: TekunParams,
  input: { supportMode: SupportMode; dibaoStandardFen?: number },
  ex: Explainer,
): number {
  const basic = params.basic;
  if (basic.method === 'fixed') {
    const fen = input.supportMode === 'concentrated' ? basic.concentratedFen : basic.dispersedFen;
    ex.add(() => ({
      step: '基本生活标准',
      text: `${SUPPORT_MODES[input.supportMode]}基本生活标准 ${formatYuan(fen)} 元/月`,
      amountFen: fen,
      rule: FIXED_BASIC_RULE,
      param: input.supportMode === 'concentrated' ? 'basic.concentratedFen' : 'basic.dispersedFen',
    }));
    return fen;
  }
  const standard = input.dibaoStandardFen;
  if (standard === undefined) {
    throw new Error(`按低保标准倍数计算特困基本生活标准时须提供当月${dibaoLabel(basic.dibaoProgram)}标准`);
  }
  const computed = roundFen(mul(int(standard), decimal(basic.multiple)), basic.rounding);
  ex.add(() => ({
    step: '基本生活标准',
    text: `${dibaoLabel(basic.dibaoProgram)}标准 ${formatYuan(standard)} 元 × ${basic.multiple} = ${formatYuan(
      computed,
    )} 元（${roundingLabel(basic.rounding)}，集中、分散供养同一标准）`,
    amountFen: computed,
    rule: BASIC_RULE,
    param: 'basic.multiple',
  }));
  if (basic.floorFen !== undefined && computed < basic.floorFen) {
    const floor = basic.floorFen;
    ex.add(() => ({
      step: '保底',
      text: `按倍数计算的 ${formatYuan(computed)} 元低于现行标准 ${formatYuan(floor)} 元，按 ${formatYuan(floor)} 元发放`,
      amountFen: floor,
      rule: FLOOR_RULE,
      param: 'basic.floorFen',
    }));
    return floor;
  }
  return computed;
}

function careStandard(params: TekunParams, tier: SelfCareTier, ex: Explainer): number {
  const care = params.care;
  if (care.basis === 'fixed') {
    const fen = care.tiers[tier];
    ex.add(() => ({
      step: '照料护理标准',
      text: `${SELF_CARE_LABELS[tier]}照料护理标准 ${formatYuan(fen)} 元/月`,
      amountFen: fen,
      rule: CARE_RULE,
      param: `care.tiers.${tier}`,
    }));
    return fen;
  }
  const share = care.tiers[tier];
  const fen = roundFen(mul(int(care.minimumWageFen), fractionRate(share)), care.rounding);
  ex.add(() => ({
    step: '照料护理标准',
    text: `${SELF_CARE_LABELS[tier]}：最低工资 ${formatYuan(care.minimumWageFen)} 元 × ${share} = ${formatYuan(
      fen,
    )} 元/月（${roundingLabel(care.rounding)}）`,
    amountFen: fen,
    rule: CARE_RULE,
    param: `care.tiers.${tier}`,
  }));
  return fen;
}

function dibaoLabel(program: 'urban_dibao' | 'rural_dibao'): string {
  return program === 'urban_dibao' ? '城市低保' : '农村低保';
}
