/** Request and response shapes of the registry API (validated by zod, published in OpenAPI). */
import { z } from 'zod';
import { isIsoDate } from '../../domain/calendar/dates.ts';
import {
  DISABILITY_CATEGORIES,
  EMPLOYMENT_STATUS,
  LABOUR_CAPACITY,
  RELATIONS,
  SCHOOL_STATUS,
  SELF_CARE,
} from '../../domain/household/person-attributes.ts';

const keys = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const isoDate = z.string().refine(isIsoDate, { message: '日期格式应为 YYYY-MM-DD 且为有效日期' });
export const townCode = z.string().regex(/^\d{9}$/, '乡镇代码应为9位数字');
export const villageCode = z.string().regex(/^\d{12}$/, '村（居）代码应为12位数字');
const personName = z
  .string()
  .trim()
  .min(1, '姓名不能为空')
  .max(50, '姓名不能超过50字')
  .regex(/^[\p{L}·• ]+$/u, '姓名只能包含文字和间隔号“·”');
const phone = z.string().regex(/^[0-9+\- ]{5,20}$/, '电话号码格式不正确');
const bankAccount = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{8,30}$/, '银行账号应为8–30位数字'));

export const personFields = {
  idNumber: z.string().trim().min(1, '身份证号码不能为空'),
  name: personName,
  ethnicity: z.string().max(20).nullable().optional(),
  hukouType: z.enum(['urban', 'rural'], { message: '户口性质应为 urban（城镇）或 rural（农村）' }).optional(),
  disabilityCategory: z.enum(DISABILITY_CATEGORIES, { message: '残疾类别不正确' }).nullable().optional(),
  disabilityGrade: z
    .number()
    .int()
    .min(1, '残疾等级应为1–4级')
    .max(4, '残疾等级应为1–4级')
    .nullable()
    .optional(),
  labourCapacity: z.enum(keys(LABOUR_CAPACITY), { message: '劳动能力取值不正确' }).optional(),
  seriousIllness: z.boolean().optional(),
  selfCare: z.enum(keys(SELF_CARE), { message: '生活自理能力取值不正确' }).optional(),
  schoolStatus: z.enum(keys(SCHOOL_STATUS), { message: '在学情况取值不正确' }).optional(),
  employmentStatus: z.enum(keys(EMPLOYMENT_STATUS), { message: '就业状况取值不正确' }).optional(),
  deathDate: isoDate.nullable().optional(),
  phone: phone.nullable().optional(),
};

export const relation = z.enum(RELATIONS, { message: `与户主关系应为：${RELATIONS.join('、')}` });

export const NewMemberBody = z.object({ ...personFields, relation }).strict();
export type NewMemberInput = z.infer<typeof NewMemberBody>;

export const CreateHouseholdBody = z
  .object({
    townCode,
    villageCode: villageCode.nullable().optional(),
    address: z.string().trim().min(1, '地址不能为空').max(200, '地址不能超过200字'),
    hukouType: z.enum(['urban', 'rural'], { message: '户口性质应为 urban（城镇）或 rural（农村）' }),
    phone: phone.nullable().optional(),
    bankName: z.string().trim().max(60).nullable().optional(),
    bankAccount: bankAccount.nullable().optional(),
    bankAccountHolder: z.string().trim().max(50).nullable().optional(),
    effectiveDate: isoDate.optional(),
    members: z.array(NewMemberBody).min(1, '至少需要一名家庭成员（户主）').max(30, '家庭成员不能超过30人'),
  })
  .strict();
export type CreateHouseholdInput = z.infer<typeof CreateHouseholdBody>;

export const UpdateHouseholdBody = z
  .object({
    version: z.number().int().positive(),
    villageCode: villageCode.nullable().optional(),
    address: z.string().trim().min(1, '地址不能为空').max(200).optional(),
    hukouType: z.enum(['urban', 'rural']).optional(),
    phone: phone.nullable().optional(),
    bankName: z.string().trim().max(60).nullable().optional(),
    bankAccount: bankAccount.nullable().optional(),
    bankAccountHolder: z.string().trim().max(50).nullable().optional(),
    headPersonId: z.number().int().positive().optional(),
  })
  .strict();
export type UpdateHouseholdInput = z.infer<typeof UpdateHouseholdBody>;

export const MoveHouseholdBody = z
  .object({
    version: z.number().int().positive(),
    townCode,
    villageCode: villageCode.nullable().optional(),
    address: z.string().trim().min(1, '地址不能为空').max(200),
    effectiveDate: isoDate,
    reason: z.string().trim().min(1, '请填写迁移原因').max(200),
  })
  .strict();
export type MoveHouseholdInput = z.infer<typeof MoveHouseholdBody>;

export const UpdatePersonBody = z
  .object({
    version: z.number().int().positive(),
    ...personFields,
    idNumber: personFields.idNumber.optional(),
    name: personName.optional(),
    relation: relation.optional(),
  })
  .strict();
export type UpdatePersonInput = z.infer<typeof UpdatePersonBody>;

export const MovePersonBody = z
  .object({
    version: z.number().int().positive(),
    /** null = leaves the registry's households (moved out of the county, entered an institution…). */
    toHouseholdId: z.number().int().positive().nullable(),
    relation: relation.optional(),
    effectiveDate: isoDate,
    reason: z.string().trim().min(1, '请填写迁移原因').max(200),
  })
  .strict();
export type MovePersonInput = z.infer<typeof MovePersonBody>;

export const ListQuery = z
  .object({
    townCode: townCode.optional(),
    villageCode: villageCode.optional(),
    program: z.string().max(40).optional(),
    name: z.string().trim().min(1).max(50).optional(),
    idNumber: z
      .string()
      .trim()
      .regex(/^\d{4,17}[\dXx]?$/, '按身份证号查询时请输入完整号码或末尾至少4位')
      .transform((s) => s.toUpperCase())
      .optional(),
    closeRelative: z.enum(['true', 'false']).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export type ListQueryInput = z.infer<typeof ListQuery>;

export const ReadQuery = z
  .object({
    reveal: z.enum(['true', 'false']).optional(),
    asOf: isoDate.optional(),
  })
  .strict();

export const IdParam = z.object({ id: z.coerce.number().int().positive({ message: '编号应为正整数' }) });
