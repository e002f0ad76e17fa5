/**
 * Request shapes of 一次性发放 (zod, Chinese messages): shared by the routes and the CLI, so a claim file
 * is checked exactly like an API request.
 */
import { z } from 'zod';
import { FUND_SOURCE_CODES, type FundSource } from '../../domain/benefit/components.ts';
import { isIsoDate, isIsoMonth } from '../../domain/calendar/dates.ts';
import { MEDICAL_CATEGORY_CODES, type MedicalCategory } from '../../domain/policy/medical-aid.params.ts';

const isoDate = z.string().refine(isIsoDate, { message: '日期格式应为 YYYY-MM-DD 且为有效日期' });
const isoMonth = z.string().refine(isIsoMonth, { message: '月份格式应为 YYYY-MM' });
const fen = z
  .number({ error: '金额应为整数（分）' })
  .int({ error: '金额应为整数（分）' })
  .min(0, { error: '金额不能为负' })
  .max(100_000_000_00, { error: '金额过大' });
const townCode = z.string().regex(/^\d{9}$/, { message: '乡镇代码应为9位数字' });

/** Programs whose enrolled persons a holiday subsidy can cover. */
export const HOLIDAY_PROGRAMS = ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun'] as const;
export type HolidayProgram = (typeof HOLIDAY_PROGRAMS)[number];

export const fundSourceSchema = z.enum(FUND_SOURCE_CODES as [FundSource, ...FundSource[]], {
  error: '资金来源应为 central（中央）、provincial（省级）或 county（县级）',
});

export const MedicalClaimBody = z
  .object({
    personId: z.number({ error: '请指定救助对象（personId）' }).int().positive(),
    /** Derived from the person's enrolments when omitted (特困 → tekun, 低保 → dibao). */
    category: z
      .enum(MEDICAL_CATEGORY_CODES as [MedicalCategory, ...MedicalCategory[]], {
        error: '人员类别应为 tekun、dibao、edge、illness_poverty 或 other',
      })
      .optional(),
    hospital: z.string({ error: '请填写就诊医院' }).trim().min(1, '请填写就诊医院').max(200),
    admittedOn: isoDate,
    dischargedOn: isoDate,
    billFen: fen,
    eligibleFen: fen,
    /** From the settlement slip; computed by the policy's layer when omitted. */
    basicInsuranceFen: fen.optional(),
    criticalIllnessFen: fen.optional(),
  })
  .strict();
export type MedicalClaimBody = z.infer<typeof MedicalClaimBody>;

export const MedicalClaimQuery = z
  .object({
    personId: z.coerce.number().int().positive().optional(),
    year: z.coerce.number().int().min(1990).max(2100).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const TemporaryAidQuoteBody = z
  .object({
    bandCode: z.string({ error: '请选择救助档次' }).trim().min(1, '请选择救助档次').max(40),
    persons: z.number({ error: '家庭人口数应为正整数' }).int('家庭人口数应为正整数').min(1).max(50),
    townCode: townCode.optional(),
    month: isoMonth,
    householdId: z.number().int().positive().optional(),
    requestedFen: fen.optional(),
  })
  .strict();
export type TemporaryAidQuoteBody = z.infer<typeof TemporaryAidQuoteBody>;

export const HolidayBatchBody = z
  .object({
    kind: z.literal('holiday_subsidy', { error: '批次类型应为 holiday_subsidy（节日补贴）' }),
    title: z.string({ error: '请填写批次名称' }).trim().min(1, '请填写批次名称').max(100),
    programCodes: z
      .array(
        z.enum(HOLIDAY_PROGRAMS, {
          error: `救助项目应为：${HOLIDAY_PROGRAMS.join('、')}`,
        }),
      )
      .min(1, '至少选择一个救助项目'),
    amountPerPersonFen: fen.refine((n) => n > 0, { message: '每人金额应大于 0' }),
    referenceDate: isoDate,
    /** Overrides the programs' funding rules. */
    fundSource: fundSourceSchema.optional(),
  })
  .strict();
export type HolidayBatchBody = z.infer<typeof HolidayBatchBody>;

export const PaymentListQuery = z
  .object({
    kind: z.enum(['temporary_aid', 'medical_aid', 'holiday_subsidy']).optional(),
    status: z.enum(['pending', 'approved', 'paid', 'failed', 'held']).optional(),
    /** The month of the event (benefit month). */
    month: isoMonth.optional(),
    batchId: z.coerce.number().int().positive().optional(),
    townCode: townCode.optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type PaymentListQuery = z.infer<typeof PaymentListQuery>;
