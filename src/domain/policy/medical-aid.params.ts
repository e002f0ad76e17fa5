/**
 * 医疗救助规则 parameters (DOMAIN §7, §15): an ordered chain of payers — basic insurance, 大病保险, medical
 * assistance, 倾斜救助 — each paying a share of what the earlier layers left of the policy-covered costs, after its
 * deductible, within its annual cap. Deductibles, rates and caps are local (国办发〔2015〕30号: ≥70% within an
 * annual cap for key groups; 国办发〔2021〕42号).
 */
import { z } from 'zod';
import { cmp, decimal, isDecimalString, ONE } from '../money/money.ts';
import { fenSchema, fundingSchema, rateSchema, roundingSchema } from './common.ts';
import { typeError } from './tekun.params.ts';

/** The payers in the order the law chains them (暂行办法 Art. 29: assistance covers what insurance leaves). */
export const MEDICAL_PAYERS = {
  basic_insurance: '基本医疗保险',
  critical_illness: '大病保险',
  assistance: '医疗救助',
  tilted_assistance: '倾斜救助',
} as const;
export type MedicalPayer = keyof typeof MEDICAL_PAYERS;
export const MEDICAL_PAYER_CODES = Object.keys(MEDICAL_PAYERS) as MedicalPayer[];

/** Assistance classes (DOMAIN §7.3: 特困, 低保, 低保边缘, 因病致贫重病患者, others). */
export const MEDICAL_CATEGORIES = {
  tekun: '特困人员',
  dibao: '低保对象',
  edge: '低保边缘家庭成员',
  illness_poverty: '因病致贫重病患者',
  other: '其他困难人员',
} as const;
export type MedicalCategory = keyof typeof MEDICAL_CATEGORIES;
export const MEDICAL_CATEGORY_CODES = Object.keys(MEDICAL_CATEGORIES) as MedicalCategory[];

const categoryRuleSchema = z.strictObject(
  {
    /** 起付标准, per claim. */
    deductibleFen: fenSchema,
    /** Share of what is left after the deductible, e.g. "0.7". */
    rate: rateSchema,
    /** Per person per year; null = no cap (e.g. 大病保险 for key groups, DOMAIN §7.3). */
    annualCapFen: fenSchema.nullable(),
  },
  { error: typeError('分类规则应包含 deductibleFen、rate、annualCapFen') },
);

const layerSchema = z.strictObject(
  {
    payer: z.enum(MEDICAL_PAYER_CODES as [MedicalPayer, ...MedicalPayer[]], {
      error: '支付方应为 basic_insurance、critical_illness、assistance 或 tilted_assistance',
    }),
    label: z.string({ error: '名称应为文字' }).min(1, { error: '名称不能为空' }),
    byCategory: z.partialRecord(
      z.enum(MEDICAL_CATEGORY_CODES as [MedicalCategory, ...MedicalCategory[]], {
        error: '人员类别应为 tekun、dibao、edge、illness_poverty 或 other',
      }),
      categoryRuleSchema,
      { error: typeError('byCategory 应为按人员类别的对象') },
    ),
  },
  { error: typeError('支付层应为对象') },
);

export const medicalAidParamsSchema = z
  .strictObject(
    {
      layers: z.array(layerSchema, { error: '支付层应为列表' }).min(1, { error: '至少应设一个支付层' }),
      rounding: roundingSchema,
      funding: fundingSchema,
    },
    { error: typeError('医疗救助参数应为对象') },
  )
  .superRefine((p, ctx) => {
    let lastOrder = -1;
    const seen = new Set<MedicalPayer>();
    p.layers.forEach((layer, i) => {
      if (seen.has(layer.payer)) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', i, 'payer'],
          message: `支付方“${MEDICAL_PAYERS[layer.payer]}”重复`,
        });
      }
      seen.add(layer.payer);
      // Assistance pays after the insurances, 倾斜救助 last (DOMAIN §7.1 Art. 29, §7.3).
      const order = MEDICAL_PAYER_CODES.indexOf(layer.payer);
      if (order < lastOrder) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', i, 'payer'],
          message: '支付层顺序应为：基本医疗保险 → 大病保险 → 医疗救助 → 倾斜救助',
        });
      }
      lastOrder = Math.max(lastOrder, order);
      for (const [category, rule] of Object.entries(layer.byCategory)) {
        if (rule && isDecimalString(rule.rate) && cmp(decimal(rule.rate), ONE) > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['layers', i, 'byCategory', category, 'rate'],
            message: '支付比例不应大于 1（100%）',
          });
        }
      }
    });
    if (!p.layers.some((l) => l.payer === 'assistance' || l.payer === 'tilted_assistance')) {
      ctx.addIssue({ code: 'custom', path: ['layers'], message: '至少应有一个医疗救助或倾斜救助支付层' });
    }
  });

export type MedicalAidParams = z.infer<typeof medicalAidParamsSchema>;
