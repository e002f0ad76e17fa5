/**
 * 临时救助 amount of one grant (DOMAIN §6.4) and who approves it (§6.3). The band amount is a number of months of the
 * monthly dibao standard (× household persons when the band is per person), rounded once, then held under the band
 * cap, the type cap and what is left of the household's annual cap; a lower requested amount wins. The town approves
 * under delegation when the amount is within its limit, otherwise the county.
 */
import { z } from 'zod';
import { decimal, formatYuan, int, mul, roundFen, roundingLabel } from '../money/money.ts';
import { fenSchema } from '../policy/common.ts';
import { typeError } from '../policy/tekun.params.ts';
import { TEMPORARY_AID_TYPES, type TemporaryAidParams } from '../policy/temporary-aid.params.ts';
import { Explainer, type ExplanationLine } from './explanation.ts';

const AMOUNT_RULE =
  '社会救助暂行办法 第49条；民政部 财政部 2018年临时救助意见：与低保标准挂钩，按类型、分档次（DOMAIN §6.4）';
const CAP_RULE = '临时救助上限由县级以上人民政府确定（DOMAIN §6.4、§15）';
const TIMES_RULE = '同一事由年度救助次数限制，例外须县级批准（DOMAIN §6.3）';
const APPROVAL_RULE = '社会救助暂行办法 第48条；国发〔2014〕47号：小额救助可委托乡镇审批（DOMAIN §6.3）';

export const temporaryAidInputSchema = z.object(
  {
    bandCode: z.string({ error: '救助档次应为文字' }).min(1, { error: '救助档次不能为空' }),
    persons: z
      .number({ error: '家庭人口数应为正整数' })
      .int({ error: '家庭人口数应为正整数' })
      .min(1, { error: '家庭人口数应为正整数' }),
    /** The monthly dibao standard named by params.standardBasis, for the month of the grant. */
    dibaoStandardFen: fenSchema,
    requestedFen: fenSchema.optional(),
    paidThisYearFen: fenSchema.optional(),
    timesThisYear: z
      .number({ error: '本年度已救助次数应为非负整数' })
      .int({ error: '本年度已救助次数应为非负整数' })
      .min(0, { error: '本年度已救助次数应为非负整数' })
      .optional(),
  },
  { error: typeError('临时救助输入应为对象') },
);
export type TemporaryAidInput = z.infer<typeof temporaryAidInputSchema>;

export interface TemporaryAidResult {
  amountFen: number;
  approvalLevel: 'town' | 'county';
  /** True when a cap (band, type, household annual) lowered the band amount. */
  capped: boolean;
  refusals: { rule: string; text: string }[];
  explanation: ExplanationLine[];
}

export function temporaryAidAmount(
  params: TemporaryAidParams,
  input: TemporaryAidInput,
  opts: { explain?: boolean } = {},
): TemporaryAidResult {
  const ex = new Explainer(opts.explain ?? true);
  const refuse = (rule: string, text: string): TemporaryAidResult => {
    ex.add({ step: '不予救助', text, amountFen: 0, rule });
    // An exception (a second grant, a grant above the annual cap) is the county's to make (DOMAIN §6.3).
    return {
      amountFen: 0,
      approvalLevel: 'county',
      capped: false,
      refusals: [{ rule, text }],
      explanation: ex.lines,
    };
  };

  const bandIndex = params.bands.findIndex((b) => b.code === input.bandCode);
  const band = params.bands[bandIndex];
  if (!band) return refuse(AMOUNT_RULE, `救助档次“${input.bandCode}”不在现行临时救助标准中`);

  const times = input.timesThisYear ?? 0;
  if (params.yearlyTimesLimit !== undefined && times >= params.yearlyTimesLimit) {
    return refuse(
      TIMES_RULE,
      `本年度已救助 ${times} 次，已达年度救助次数上限 ${params.yearlyTimesLimit} 次；确需再次救助的，报县级“一事一议”`,
    );
  }

  const standard = input.dibaoStandardFen;
  const persons = band.perPerson ? input.persons : 1;
  const bandFen = roundFen(mul(int(standard), decimal(band.monthsOfStandard), int(persons)), params.rounding);
  ex.add(() => ({
    step: '档次金额',
    text: `${TEMPORARY_AID_TYPES[band.type]}“${band.label}”：${basisLabel(params.standardBasis)}标准 ${formatYuan(
      standard,
    )} 元 × ${band.monthsOfStandard} 个月${band.perPerson ? ` × ${persons} 人` : ''} = ${formatYuan(
      bandFen,
    )} 元（${roundingLabel(params.rounding)}）`,
    amountFen: bandFen,
    rule: AMOUNT_RULE,
    param: `bands[${bandIndex}].monthsOfStandard`,
  }));

  let amount = bandFen;
  let capped = false;
  const applyCap = (capFen: number, label: string, param: string) => {
    if (amount <= capFen) return;
    amount = capFen;
    capped = true;
    ex.add(() => ({
      step: '封顶',
      text: `超过${label} ${formatYuan(capFen)} 元，按 ${formatYuan(capFen)} 元`,
      amountFen: capFen,
      rule: CAP_RULE,
      param,
    }));
  };
  if (band.capFen !== undefined) applyCap(band.capFen, '档次上限', `bands[${bandIndex}].capFen`);
  const typeCap = params.typeCaps[band.type];
  if (typeCap !== undefined)
    applyCap(typeCap, `${TEMPORARY_AID_TYPES[band.type]}上限`, `typeCaps.${band.type}`);
  if (params.householdAnnualCapFen !== undefined) {
    const paid = input.paidThisYearFen ?? 0;
    const left = Math.max(0, params.householdAnnualCapFen - paid);
    if (left === 0) {
      return refuse(
        CAP_RULE,
        `本年度已救助 ${formatYuan(paid)} 元，已达家庭年度救助上限 ${formatYuan(params.householdAnnualCapFen)} 元`,
      );
    }
    applyCap(
      left,
      `家庭年度上限余额（${formatYuan(params.householdAnnualCapFen)} − 已救助 ${formatYuan(paid)}）`,
      'householdAnnualCapFen',
    );
  }

  const requested = input.requestedFen;
  if (requested !== undefined && requested < amount) {
    amount = requested;
    ex.add(() => ({
      step: '申请金额',
      text: `申请金额 ${formatYuan(requested)} 元低于可救助金额，按申请金额救助`,
      amountFen: requested,
    }));
  }

  const limit = params.townApprovalLimit;
  const limitFen =
    limit.kind === 'amount'
      ? limit.amountFen
      : // amount ≤ standard × months exactly ⇔ amount ≤ that product rounded down to the fen.
        roundFen(mul(int(standard), decimal(limit.months)), { mode: 'down', unit: 'fen' });
  const approvalLevel = amount <= limitFen ? 'town' : 'county';
  ex.add(() => ({
    step: '审批层级',
    text: `救助金额 ${formatYuan(amount)} 元${amount <= limitFen ? '不超过' : '超过'}乡镇审批限额 ${formatYuan(limitFen)} 元${
      limit.kind === 'months_of_standard' ? `（${limit.months} 个月低保标准）` : ''
    }，由${approvalLevel === 'town' ? '乡镇（街道）受委托审批' : '县级民政部门审批'}`,
    amountFen: amount,
    rule: APPROVAL_RULE,
    param: 'townApprovalLimit',
  }));
  return { amountFen: amount, approvalLevel, capped, refusals: [], explanation: ex.lines };
}

function basisLabel(basis: TemporaryAidParams['standardBasis']): string {
  if (basis === 'urban_dibao') return '城市低保';
  if (basis === 'rural_dibao') return '农村低保';
  return '家庭所在地低保';
}
