/**
 * 特困供养标准 parameters (DOMAIN §5.5, §15, §17): the basic-living standard (基本生活标准) and the care standard
 * (照料护理标准) by self-care band. Both are local figures, so they are data, effective-dated by the policy row.
 */
import { z } from 'zod';
import { cmp, decimal, div, int, isDecimalString, ONE, type Ratio } from '../money/money.ts';
import { fenSchema, fundingSchema, rateSchema, roundingSchema } from './common.ts';

/**
 * An error option that names the expected shape only when the value has the wrong type; other issues of the same
 * schema (an unknown key, a bad record key) keep their own message (zh-CN locale when parsed via parsePolicyBody).
 */
export function typeError(message: string): (issue: { code?: string }) => string | undefined {
  return (issue) => (issue.code === 'invalid_type' ? message : undefined);
}

const FRACTION = /^(\d+)\/(\d+)$/;

/**
 * A share that may be a decimal ("0.25") or a fraction ("1/6"): care guides are written as 1/4, 1/6, 1/10 of the
 * minimum wage, and 1/6 has no finite decimal form (DOMAIN §5.5).
 */
export const fractionRateSchema = z
  .string({ error: '比例应写成字符串，如 "0.25" 或 "1/6"' })
  .refine((s) => (isDecimalString(s) && !s.startsWith('-')) || (FRACTION.test(s) && !/^\d+\/0+$/.test(s)), {
    error: '比例应为非负小数或分数，如 "0.25"、"1/6"',
  });

/** "0.25" → 1/4, "1/6" → 1/6, exactly. Throws on anything else (validate with fractionRateSchema first). */
export function fractionRate(s: string): Ratio {
  const m = FRACTION.exec(s);
  if (m) return div(int(BigInt(m[1] as string)), int(BigInt(m[2] as string)));
  return decimal(s);
}

export const SELF_CARE_TIERS = ['full_self_care', 'partial_care', 'full_care'] as const;
export type SelfCareTier = (typeof SELF_CARE_TIERS)[number];
/** Labels as in the self-care assessment of 特困人员认定办法 Arts. 20–23 (DOMAIN §5.4). */
export const SELF_CARE_LABELS: Record<SelfCareTier, string> = {
  full_self_care: '全自理',
  partial_care: '半护理',
  full_care: '全护理',
};

const fixedBasicSchema = z.strictObject({
  method: z.literal('fixed'),
  /** 集中供养 (in an institution), per person per month. */
  concentratedFen: fenSchema,
  /** 分散供养 (at home), per person per month. */
  dispersedFen: fenSchema,
});

const multipleBasicSchema = z.strictObject({
  method: z.literal('multiple_of_dibao'),
  /** e.g. "1.3" (national practice) or "1.6" (Guangdong since 2023). */
  multiple: rateSchema,
  dibaoProgram: z.enum(['urban_dibao', 'rural_dibao'], {
    error: '低保标准来源应为 urban_dibao（城市低保）或 rural_dibao（农村低保）',
  }),
  /** "不低于现行标准": the standard in force before the switch to the multiple, kept as a floor. */
  floorFen: fenSchema.optional(),
  rounding: roundingSchema,
});

const fixedCareSchema = z.strictObject({
  basis: z.literal('fixed'),
  tiers: z.strictObject(
    { full_self_care: fenSchema, partial_care: fenSchema, full_care: fenSchema },
    { error: typeError('应给出 full_self_care、partial_care、full_care 三档照料护理金额') },
  ),
});

const wageShareCareSchema = z.strictObject({
  basis: z.literal('minimum_wage_share'),
  minimumWageFen: fenSchema,
  tiers: z.strictObject(
    { full_self_care: fractionRateSchema, partial_care: fractionRateSchema, full_care: fractionRateSchema },
    { error: typeError('应给出 full_self_care、partial_care、full_care 三档占最低工资的比例') },
  ),
  rounding: roundingSchema,
});

export const tekunParamsSchema = z
  .strictObject(
    {
      basic: z.discriminatedUnion('method', [fixedBasicSchema, multipleBasicSchema], {
        error: '基本生活标准的 method 应为 fixed（固定金额）或 multiple_of_dibao（低保标准倍数）',
      }),
      care: z.discriminatedUnion('basis', [fixedCareSchema, wageShareCareSchema], {
        error: '照料护理标准的 basis 应为 fixed（固定金额）或 minimum_wage_share（最低工资比例）',
      }),
      funding: fundingSchema,
    },
    { error: typeError('特困供养参数应为对象') },
  )
  .superRefine((p, ctx) => {
    // DOMAIN §5.5: the basic standard is a multiple (≥1.3× common) of the dibao standard, never below it.
    if (p.basic.method === 'multiple_of_dibao' && isDecimalString(p.basic.multiple)) {
      if (cmp(decimal(p.basic.multiple), ONE) < 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['basic', 'multiple'],
          message: '特困基本生活标准不应低于低保标准：倍数应不小于 1（常见为 1.3，广东为 1.6）',
        });
      }
    }
    // More care needed never pays less: 全自理 ≤ 半护理 ≤ 全护理.
    const values: (Ratio | null)[] = SELF_CARE_TIERS.map((t) => {
      const v = p.care.tiers[t];
      if (typeof v === 'number') return int(v);
      return fractionRateSchema.safeParse(v).success ? fractionRate(v) : null;
    });
    for (let i = 1; i < SELF_CARE_TIERS.length; i++) {
      const lo = values[i - 1];
      const hi = values[i];
      if (lo && hi && cmp(lo, hi) > 0) {
        const tier = SELF_CARE_TIERS[i] as SelfCareTier;
        const lower = SELF_CARE_TIERS[i - 1] as SelfCareTier;
        ctx.addIssue({
          code: 'custom',
          path: ['care', 'tiers', tier],
          message: `${SELF_CARE_LABELS[tier]}的照料护理标准不应低于${SELF_CARE_LABELS[lower]}`,
        });
      }
    }
    if (p.care.basis === 'minimum_wage_share') {
      SELF_CARE_TIERS.forEach((t, i) => {
        const v = values[i];
        if (v && cmp(v, ONE) > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['care', 'tiers', t],
            message: `${SELF_CARE_LABELS[t]}占最低工资的比例不应大于 1`,
          });
        }
      });
    }
  });

export type TekunParams = z.infer<typeof tekunParamsSchema>;
