/**
 * 价格临时补贴联动机制 parameters (DOMAIN §8, §15): triggers, covered groups, the local formula, a floor and the
 * rounding. 发改价格规〔2016〕1835号: CPI ≥ 3.5% or food ≥ 6% (single month, year on year), computed and paid
 * monthly; localities may lower the triggers and add groups. 2022-09 to 2023-03: CPI trigger 3.0%, edge families
 * and unemployment-subsidy recipients added — a new version of these parameters.
 */
import { z } from 'zod';
import { cmp, decimal, isDecimalString, isZero, min } from '../money/money.ts';
import { fenSchema, fundingSchema, rateSchema, roundingSchema } from './common.ts';
import { typeError } from './tekun.params.ts';

export const PRICE_SUBSIDY_GROUPS = {
  urban_dibao: '城市低保对象',
  rural_dibao: '农村低保对象',
  urban_tekun: '城市特困人员',
  rural_tekun: '农村特困人员',
  unemployment: '领取失业保险金人员',
  special_care: '优抚对象',
  orphan: '孤儿和事实无人抚养儿童',
  edge: '低保边缘人口',
} as const;
export type PriceSubsidyGroup = keyof typeof PRICE_SUBSIDY_GROUPS;
export const PRICE_SUBSIDY_GROUP_CODES = Object.keys(PRICE_SUBSIDY_GROUPS) as PriceSubsidyGroup[];

export const priceSubsidyGroupSchema = z.enum(
  PRICE_SUBSIDY_GROUP_CODES as [PriceSubsidyGroup, ...PriceSubsidyGroup[]],
  {
    error:
      '保障对象类别应为 urban_dibao、rural_dibao、urban_tekun、rural_tekun、unemployment、special_care、orphan 或 edge',
  },
);

const formulaSchema = z.discriminatedUnion(
  'kind',
  [
    /** standard × rise% (Guilin, Wuhan; DOMAIN §8.3). */
    z.strictObject({ kind: z.literal('standard_times_rise') }),
    /** standard ÷ divisor, the divisor chosen by the band the rise falls in. */
    z.strictObject({
      kind: z.literal('standard_divided'),
      bands: z
        .array(
          z.strictObject(
            {
              /** Lowest rise (percent) of the band, e.g. "3.5". */
              minRise: rateSchema,
              divisor: z
                .number({ error: '除数应为正整数' })
                .int({ error: '除数应为正整数' })
                .min(1, { error: '除数应为正整数' }),
            },
            { error: typeError('档次应包含 minRise 和 divisor') },
          ),
          { error: '档次应为列表' },
        )
        .min(1, { error: '至少应设一个档次' }),
    }),
    /** amountFen per started percentage point of the rise. */
    z.strictObject({ kind: z.literal('fixed_per_point'), amountFen: fenSchema }),
  ],
  { error: '计算公式的 kind 应为 standard_times_rise、standard_divided 或 fixed_per_point' },
);

export const priceSubsidyParamsSchema = z
  .strictObject(
    {
      /** Percent, e.g. "3.5" (2016) or "3.0" (2022-09 to 2023-03). */
      cpiThreshold: rateSchema,
      /** Percent, e.g. "6". */
      foodThreshold: rateSchema,
      /** Which rise counts when both indexes trigger: the higher one (从高, Wuhan) unless set. */
      whenBoth: z
        .enum(['higher', 'cpi', 'food'], { error: '双触发时取值应为 higher（从高）、cpi 或 food' })
        .default('higher'),
      groups: z
        .array(priceSubsidyGroupSchema, { error: '保障对象类别应为列表' })
        .min(1, { error: '至少应有一类保障对象' }),
      formula: formulaSchema,
      /** Per person per month, e.g. 10 元 (Guilin) or 30 元 (Fujian). */
      floorFen: fenSchema,
      rounding: roundingSchema,
      funding: fundingSchema,
    },
    { error: typeError('价格临时补贴参数应为对象') },
  )
  .superRefine((p, ctx) => {
    for (const key of ['cpiThreshold', 'foodThreshold'] as const) {
      if (isDecimalString(p[key]) && isZero(decimal(p[key]))) {
        ctx.addIssue({ code: 'custom', path: [key], message: '启动条件应大于 0' });
      }
    }
    const seen = new Set<string>();
    p.groups.forEach((g, i) => {
      if (seen.has(g)) {
        ctx.addIssue({
          code: 'custom',
          path: ['groups', i],
          message: `保障对象类别“${PRICE_SUBSIDY_GROUPS[g]}”重复`,
        });
      }
      seen.add(g);
    });
    if (p.formula.kind === 'standard_divided') {
      const bands = p.formula.bands;
      if (!bands.every((b) => isDecimalString(b.minRise))) return;
      for (let i = 1; i < bands.length; i++) {
        const prev = bands[i - 1];
        const cur = bands[i];
        if (prev && cur && cmp(decimal(prev.minRise), decimal(cur.minRise)) >= 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['formula', 'bands', i, 'minRise'],
            message: '档次应按涨幅下限从低到高排列，且不重复',
          });
        }
      }
      // Every triggering rise must fall in a band: the lowest band starts at or below the lower trigger.
      const first = bands[0];
      if (first && isDecimalString(p.cpiThreshold) && isDecimalString(p.foodThreshold)) {
        const lowestTrigger = min(decimal(p.cpiThreshold), decimal(p.foodThreshold));
        if (cmp(decimal(first.minRise), lowestTrigger) > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['formula', 'bands', 0, 'minRise'],
            message: '最低档次的涨幅下限高于启动条件，启动后可能无档可用',
          });
        }
      }
    }
  });

export type PriceSubsidyParams = z.infer<typeof priceSubsidyParamsSchema>;
