/**
 * Pieces shared by every policy-parameter schema (DOMAIN §15: parameters, not code). Messages are Chinese:
 * they reach the admin who enters a new version.
 */
import { z } from 'zod';
import { FUND_SOURCE_CODES, type FundSource } from '../benefit/components.ts';
import { isDecimalString } from '../money/money.ts';

export const roundingSchema = z.object({
  mode: z.enum(['up', 'half_up', 'down'], {
    error: '取整方式应为 up（进一）、half_up（四舍五入）或 down（舍去）',
  }),
  unit: z.enum(['fen', 'jiao', 'yuan'], { error: '取整单位应为 fen（分）、jiao（角）或 yuan（元）' }),
});

/** A non-negative decimal string: "0.3", "1.6", "3.5". Strings keep rates exact (no binary floating point). */
export const rateSchema = z
  .string({ error: '比例应写成小数字符串，如 "0.3"' })
  .refine((s) => isDecimalString(s) && !s.startsWith('-'), { error: '比例应为非负小数，如 "0.3"、"1.6"' });

/** Money in integer fen. */
export const fenSchema = z
  .number({ error: '金额应为整数（分）' })
  .int({ error: '金额应为整数（分）' })
  .min(0, { error: '金额不能为负' })
  .max(1_000_000_000_00, { error: '金额过大' });

export const fundSourceSchema = z.enum(FUND_SOURCE_CODES as [FundSource, ...FundSource[]], {
  error: '资金来源应为 central（中央）、provincial（省级）或 county（县级）',
});

/** Which fund (中央/省/县) pays a line: the first matching rule, else the default. */
export const fundingSchema = z.object({
  defaultSource: fundSourceSchema,
  rules: z
    .array(
      z.object({
        component: z.string().min(1).optional(),
        category: z.string().min(1).optional(),
        source: fundSourceSchema,
      }),
    )
    .default([]),
});
export type Funding = z.infer<typeof fundingSchema>;

export function resolveFundSource(
  funding: Funding,
  line: { component: string; categories?: readonly string[] },
): FundSource {
  for (const r of funding.rules) {
    if (r.component !== undefined && r.component !== line.component) continue;
    if (r.category !== undefined && !(line.categories ?? []).includes(r.category)) continue;
    return r.source;
  }
  return funding.defaultSource;
}
