/**
 * 临时救助标准 parameters (DOMAIN §6.3, §6.4, §15): amount bands as multiples of the monthly dibao standard
 * (2018 意见: tie to the dibao standard; type by situation, band by degree, household size and duration), caps,
 * a yearly frequency limit and the town's delegated approval limit. All are set by the county or higher
 * (社会救助暂行办法 Art. 49).
 */
import { z } from 'zod';
import { decimal, isDecimalString, isZero } from '../money/money.ts';
import { fenSchema, fundingSchema, rateSchema, roundingSchema } from './common.ts';
import { typeError } from './tekun.params.ts';

export const TEMPORARY_AID_TYPES = { emergency: '急难型', expenditure: '支出型' } as const;
export type TemporaryAidType = keyof typeof TEMPORARY_AID_TYPES;

const aidTypeSchema = z.enum(['emergency', 'expenditure'], {
  error: '救助类型应为 emergency（急难型）或 expenditure（支出型）',
});

const bandSchema = z.strictObject(
  {
    code: z.string({ error: '档次代码应为文字' }).min(1, { error: '档次代码不能为空' }),
    label: z.string({ error: '档次名称应为文字' }).min(1, { error: '档次名称不能为空' }),
    type: aidTypeSchema,
    /** e.g. "3" = three months of the standard (Shenqiu, Wuwei: 2–6×). */
    monthsOfStandard: rateSchema,
    /** true: × the number of persons in the household (band by household size). */
    perPerson: z.boolean({ error: 'perPerson 应为 true 或 false' }),
    capFen: fenSchema.optional(),
  },
  { error: typeError('救助档次应为对象') },
);

export const temporaryAidParamsSchema = z
  .strictObject(
    {
      standardBasis: z.enum(['urban_dibao', 'rural_dibao', 'household'], {
        error:
          '计算基数应为 urban_dibao（城市低保标准）、rural_dibao（农村低保标准）或 household（按家庭所在地）',
      }),
      bands: z.array(bandSchema, { error: '救助档次应为列表' }).min(1, { error: '至少应设一个救助档次' }),
      typeCaps: z
        .strictObject(
          { emergency: fenSchema.optional(), expenditure: fenSchema.optional() },
          { error: typeError('类型上限应为对象') },
        )
        .default({}),
      householdAnnualCapFen: fenSchema.optional(),
      /** e.g. 1: the same household is helped once per calendar year (Kashi, DOMAIN §6.3). */
      yearlyTimesLimit: z
        .number({ error: '年度救助次数上限应为正整数' })
        .int({ error: '年度救助次数上限应为正整数' })
        .min(1, { error: '年度救助次数上限应为正整数' })
        .optional(),
      /** DOMAIN §6.3: small amounts are approved by the town under delegation (Shenqiu: ≤ 3 months of standard). */
      townApprovalLimit: z.discriminatedUnion(
        'kind',
        [
          z.strictObject({ kind: z.literal('months_of_standard'), months: rateSchema }),
          z.strictObject({ kind: z.literal('amount'), amountFen: fenSchema }),
        ],
        { error: '乡镇审批限额的 kind 应为 months_of_standard（低保标准月数）或 amount（金额）' },
      ),
      rounding: roundingSchema,
      funding: fundingSchema,
    },
    { error: typeError('临时救助参数应为对象') },
  )
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.bands.forEach((b, i) => {
      if (seen.has(b.code)) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'code'], message: `档次代码“${b.code}”重复` });
      }
      seen.add(b.code);
      if (isDecimalString(b.monthsOfStandard) && isZero(decimal(b.monthsOfStandard))) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'monthsOfStandard'],
          message: '档次的低保标准月数应大于 0',
        });
      }
      const typeCap = p.typeCaps[b.type];
      if (b.capFen !== undefined && typeCap !== undefined && b.capFen > typeCap) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'capFen'],
          message: `档次上限高于${TEMPORARY_AID_TYPES[b.type]}类型上限，档次上限不会生效`,
        });
      }
    });
    const t = p.townApprovalLimit;
    if (t.kind === 'months_of_standard' && isDecimalString(t.months) && isZero(decimal(t.months))) {
      ctx.addIssue({
        code: 'custom',
        path: ['townApprovalLimit', 'months'],
        message: '乡镇审批限额的月数应大于 0；不授权乡镇审批时请设 amount 为 0',
      });
    }
  });

export type TemporaryAidParams = z.infer<typeof temporaryAidParamsSchema>;
