/**
 * 医疗救助 of one claim (DOMAIN §7): the payers in their order each take a share of what the earlier layers left of
 * the policy-covered (政策范围内) costs, after the layer's deductible, within its annual cap less what it already
 * paid the person this year. Payments the insurers actually made (the settlement slip) are taken as given.
 * The 2015-era rule: key groups get ≥70% of what insurance leaves, within an annual cap (国办发〔2015〕30号).
 * Simplification: the deductible applies per claim.
 */
import { z } from 'zod';
import { decimal, formatYuan, int, mul, roundFen, roundingLabel } from '../money/money.ts';
import { fenSchema } from '../policy/common.ts';
import {
  MEDICAL_CATEGORIES,
  MEDICAL_CATEGORY_CODES,
  MEDICAL_PAYER_CODES,
  MEDICAL_PAYERS,
  type MedicalAidParams,
  type MedicalCategory,
  type MedicalPayer,
} from '../policy/medical-aid.params.ts';
import { typeError } from '../policy/tekun.params.ts';
import { Explainer, type ExplanationLine } from './explanation.ts';

const CHAIN_RULE =
  '社会救助暂行办法 第29条：对经基本医疗保险、大病保险等支付后个人负担的费用给予救助（DOMAIN §7.1）';
const RATE_RULE =
  '国办发〔2015〕30号：重点救助对象政策范围内费用按不低于70%比例、在年度限额内救助（DOMAIN §7.2）';
const INSURANCE_RULE = '基本医疗保险、大病保险按医保结算（DOMAIN §7.3）';

export const medicalClaimInputSchema = z
  .object(
    {
      category: z.enum(MEDICAL_CATEGORY_CODES as [MedicalCategory, ...MedicalCategory[]], {
        error: '人员类别应为 tekun、dibao、edge、illness_poverty 或 other',
      }),
      /** Total bill (医疗总费用). */
      billFen: fenSchema,
      /** Policy-covered costs (政策范围内费用), the base every layer shares out. */
      eligibleFen: fenSchema,
      /** What the insurers actually paid, from the settlement slip. */
      paidByPayer: z
        .object(
          { basic_insurance: fenSchema.optional(), critical_illness: fenSchema.optional() },
          { error: typeError('已支付金额应为对象') },
        )
        .optional(),
      /** What each payer already paid this person this calendar year (for the annual caps). */
      paidThisYear: z
        .partialRecord(
          z.enum(MEDICAL_PAYER_CODES as [MedicalPayer, ...MedicalPayer[]], {
            error: '支付方应为 basic_insurance、critical_illness、assistance 或 tilted_assistance',
          }),
          fenSchema,
          { error: typeError('本年度已支付金额应为按支付方的对象') },
        )
        .default({}),
    },
    { error: typeError('医疗救助申请应为对象') },
  )
  .superRefine((c, ctx) => {
    if (c.eligibleFen > c.billFen) {
      ctx.addIssue({ code: 'custom', path: ['eligibleFen'], message: '政策范围内费用不应超过医疗总费用' });
    }
    const given = (c.paidByPayer?.basic_insurance ?? 0) + (c.paidByPayer?.critical_illness ?? 0);
    if (given > c.billFen) {
      ctx.addIssue({
        code: 'custom',
        path: ['paidByPayer'],
        message: '医保已支付金额合计不应超过医疗总费用',
      });
    }
  });
export type MedicalClaimInput = z.input<typeof medicalClaimInputSchema>;

export interface MedicalAidLayerResult {
  payer: MedicalPayer;
  label: string;
  amountFen: number;
  /** False when the amount is the payer's actual payment, given in the claim. */
  computed: boolean;
}

export interface MedicalAidClaimResult {
  layers: MedicalAidLayerResult[];
  /** 医疗救助 + 倾斜救助: what civil affairs pays. */
  assistanceFen: number;
  outOfPocketFen: number;
  explanation: ExplanationLine[];
}

export function medicalAidClaim(
  params: MedicalAidParams,
  claim: MedicalClaimInput,
  opts: { explain?: boolean } = {},
): MedicalAidClaimResult {
  const ex = new Explainer(opts.explain ?? true);
  const category = claim.category;
  ex.add(() => ({
    step: '医疗费用',
    text: `${MEDICAL_CATEGORIES[category]}，医疗总费用 ${formatYuan(claim.billFen)} 元，其中政策范围内费用 ${formatYuan(
      claim.eligibleFen,
    )} 元`,
    amountFen: claim.eligibleFen,
  }));

  let left = claim.eligibleFen; // policy-covered costs not yet paid by an earlier layer
  const layers: MedicalAidLayerResult[] = [];
  params.layers.forEach((layer, i) => {
    const given =
      layer.payer === 'basic_insurance' || layer.payer === 'critical_illness'
        ? claim.paidByPayer?.[layer.payer]
        : undefined;
    if (given !== undefined) {
      ex.add(() => ({
        step: layer.label,
        text: `${MEDICAL_PAYERS[layer.payer]}实际支付 ${formatYuan(given)} 元（按医保结算单）`,
        amountFen: given,
        rule: INSURANCE_RULE,
      }));
      left = Math.max(0, left - given);
      layers.push({ payer: layer.payer, label: layer.label, amountFen: given, computed: false });
      return;
    }
    const rule = layer.byCategory[category];
    if (!rule) {
      ex.add(() => ({
        step: layer.label,
        text: `${layer.label}对${MEDICAL_CATEGORIES[category]}不适用，支付 0.00 元`,
        amountFen: 0,
        param: `layers[${i}].byCategory`,
      }));
      layers.push({ payer: layer.payer, label: layer.label, amountFen: 0, computed: true });
      return;
    }
    const base = Math.max(0, left - rule.deductibleFen);
    const raw = roundFen(mul(int(base), decimal(rule.rate)), params.rounding);
    const isAssistance = layer.payer === 'assistance' || layer.payer === 'tilted_assistance';
    ex.add(() => ({
      step: layer.label,
      text: `（剩余政策范围内费用 ${formatYuan(left)} 元 − 起付标准 ${formatYuan(rule.deductibleFen)} 元）× ${
        rule.rate
      } = ${formatYuan(raw)} 元（${roundingLabel(params.rounding)}）`,
      amountFen: raw,
      rule: isAssistance ? RATE_RULE : INSURANCE_RULE,
      param: `layers[${i}].byCategory.${category}.rate`,
    }));
    let amount = raw;
    if (rule.annualCapFen !== null) {
      const paid = claim.paidThisYear?.[layer.payer] ?? 0;
      const capLeft = Math.max(0, rule.annualCapFen - paid);
      if (amount > capLeft) {
        amount = capLeft;
        const cap = rule.annualCapFen;
        ex.add(() => ({
          step: '年度限额',
          text: `${layer.label}年度限额 ${formatYuan(cap)} 元，本年度已支付 ${formatYuan(paid)} 元，本次最多 ${formatYuan(
            capLeft,
          )} 元`,
          amountFen: capLeft,
          rule: isAssistance ? RATE_RULE : INSURANCE_RULE,
          param: `layers[${i}].byCategory.${category}.annualCapFen`,
        }));
      }
    }
    left -= amount;
    layers.push({ payer: layer.payer, label: layer.label, amountFen: amount, computed: true });
  });

  const assistanceFen = layers
    .filter((l) => l.payer === 'assistance' || l.payer === 'tilted_assistance')
    .reduce((s, l) => s + l.amountFen, 0);
  const paidTotal = layers.reduce((s, l) => s + l.amountFen, 0);
  const outOfPocketFen = Math.max(0, claim.billFen - paidTotal);
  ex.add(() => ({
    step: '医疗救助合计',
    text: `医疗救助（含倾斜救助）${formatYuan(assistanceFen)} 元`,
    amountFen: assistanceFen,
    rule: CHAIN_RULE,
  }));
  ex.add(() => ({
    step: '个人自付',
    text: `医疗总费用 ${formatYuan(claim.billFen)} 元 − 各方支付合计 ${formatYuan(paidTotal)} 元 = ${formatYuan(
      outOfPocketFen,
    )} 元`,
    amountFen: outOfPocketFen,
  }));
  return { layers, assistanceFen, outOfPocketFen, explanation: ex.lines };
}
