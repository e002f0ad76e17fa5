/** Request and response shapes of the intake API (validated by zod, published in OpenAPI). */
import { z } from 'zod';
import {
  CHANNEL_CODES,
  INTAKE_ITEM_CODES,
  REQUEST_STATUS_CODES,
  SIGNER_CODES,
} from '../../domain/intake/intake-rules.ts';
import { isoDate, townCode, villageCode } from '../registry/registry.schemas.ts';

const version = z.number({ message: '缺少版本号（version）' }).int().positive();
const personName = (what: string) =>
  z
    .string({ message: `请填写${what}姓名` })
    .trim()
    .min(1, `请填写${what}姓名`)
    .max(50, '姓名不能超过50字')
    .regex(/^[\p{L}·• ]+$/u, '姓名只能包含文字和间隔号“·”');
const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\- ]{5,20}$/, '电话号码格式不正确');
const optionalText = (max: number, message: string) =>
  z.string().trim().max(max, message).nullable().optional();

export const RegisterBody = z
  .object({
    applicantName: personName('申请人'),
    /** Checked by the service with the GB 11643 rules (Chinese messages by problem). */
    applicantIdNumber: z.string().trim().max(30, '身份证号码过长').nullable().optional(),
    applicantPhone: phone.nullable().optional(),
    householdId: z.number().int().positive('家庭编号应为正整数').nullable().optional(),
    townCode: townCode.optional(),
    villageCode: villageCode.nullable().optional(),
    channel: z.enum(CHANNEL_CODES, {
      message: '受理渠道应为：窗口、网上、主动发现、12349热线、委托代办之一',
    }),
    description: z
      .string({ message: '请填写困难情况和致贫原因' })
      .trim()
      .min(1, '请填写困难情况和致贫原因')
      .max(2000, '困难情况不能超过2000字'),
    items: z
      .array(z.enum(INTAKE_ITEM_CODES, { message: '申请事项不正确' }), { message: '请至少选择一项申请事项' })
      .min(1, '请至少选择一项申请事项')
      .max(INTAKE_ITEM_CODES.length, '申请事项过多')
      .refine((items) => new Set(items).size === items.length, { message: '申请事项不能重复' }),
  })
  .strict();
export type RegisterInput = z.infer<typeof RegisterBody>;

export const NoticeBody = z
  .object({
    version,
    materials: z
      .array(
        z
          .object({
            itemCode: z.string().min(1),
            code: z.string().min(1),
            note: optionalText(200, '说明不能超过200字'),
          })
          .strict(),
      )
      .max(100),
  })
  .strict();
export type NoticeInput = z.infer<typeof NoticeBody>;

export const ReceiveBody = z
  .object({
    version,
    /** 'itemCode:materialCode' of the materials brought; omitted = everything still missing. */
    received: z.array(z.string().min(1)).max(100).optional(),
  })
  .strict();
export type ReceiveInput = z.infer<typeof ReceiveBody>;

export const AuthorisationBody = z
  .object({
    version,
    name: personName('被核对人'),
    idNumber: z
      .string({ message: '请填写身份证号码' })
      .trim()
      .min(1, '请填写身份证号码')
      .max(30, '身份证号码过长'),
    signer: z.enum(SIGNER_CODES, { message: '签署人应为：本人、监护人、受托人、法定继承人或受遗赠人之一' }),
    signerName: optionalText(50, '签署人姓名不能超过50字'),
    signedOn: isoDate,
    note: optionalText(200, '说明不能超过200字'),
  })
  .strict();
export type AuthorisationInput = z.infer<typeof AuthorisationBody>;

export const VersionBody = z.object({ version }).strict();

export const ForwardBody = z
  .object({
    version,
    department: z
      .string({ message: '请填写承办部门' })
      .trim()
      .min(1, '请填写承办部门')
      .max(60, '部门名称不能超过60字'),
    dueOn: isoDate,
  })
  .strict();

export const ReplyBody = z
  .object({
    version,
    reply: z
      .string({ message: '请填写部门答复内容' })
      .trim()
      .min(1, '请填写部门答复内容')
      .max(1000, '答复内容不能超过1000字'),
    /** The day the department replied; today when omitted. */
    repliedOn: isoDate.optional(),
  })
  .strict();

export const InformBody = z
  .object({
    version,
    /** The day the applicant was told; today when omitted. */
    informedOn: isoDate.optional(),
  })
  .strict();

export const ReferBody = z
  .object({
    version,
    department: z
      .string({ message: '请填写转介的部门或组织' })
      .trim()
      .min(1, '请填写转介的部门或组织')
      .max(60, '名称不能超过60字'),
    note: optionalText(500, '说明不能超过500字'),
  })
  .strict();

export const RejectBody = z
  .object({
    version,
    reason: z
      .string({ message: '请填写不予受理的理由' })
      .trim()
      .min(1, '请填写不予受理的理由')
      .max(1000, '理由不能超过1000字'),
  })
  .strict();

export const ListQuery = z
  .object({
    status: z.enum(REQUEST_STATUS_CODES, { message: '状态不正确' }).optional(),
    channel: z.enum(CHANNEL_CODES, { message: '受理渠道不正确' }).optional(),
    item: z.enum(INTAKE_ITEM_CODES, { message: '申请事项不正确' }).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    townCode: townCode.optional(),
    name: z.string().trim().min(1).max(50).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export type ListQueryInput = z.infer<typeof ListQuery>;
