import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIsoMonth } from '../../domain/calendar/dates.ts';
import { sessionOf } from '../../http/auth.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { MIME } from './bank.files.ts';
import type { BankFile } from './bank.service.ts';
import {
  bankBatchFile,
  exportBankFile,
  holdLine,
  importBankReturn,
  listBankBatches,
  listBankFiles,
  readBankLayouts,
  reissueLine,
  writeBankLayouts,
} from './bank.service.ts';
import {
  exportOneOffBankFile,
  holdOneOff,
  listOneOffBankFiles,
  reissueOneOff,
} from './one-off-bank.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const ReasonBody = z
  .object({ reason: z.string().trim().min(1, '请填写原因').max(200, '原因不能超过 200 个字') })
  .strict();
const ReturnJson = z
  .object({
    fileName: z.string().trim().min(1, '请提供文件名').max(200),
    contentBase64: z.string().min(1, '回盘文件内容为空'),
  })
  .strict();
const PayMonth = z.string().refine(isIsoMonth, { message: '月份格式应为 YYYY-MM' });
const FormatQuery = z.enum(['csv', 'xlsx'], { message: '格式应为 csv 或 xlsx' }).optional();
const BankNameParam = z.string().trim().min(1).max(60);
/** A return file is at most a few MB: base64 in JSON or the raw bytes. */
const RETURN_BODY_LIMIT = 20 * 1024 * 1024;
const RAW_TYPES = ['text/csv', MIME.xlsx, 'application/octet-stream'];

function sendFile(reply: FastifyReply, file: BankFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', file.contentDisposition)
    .header('x-bank-batch-id', String(file.batch.id))
    .header('cache-control', 'no-store')
    .send(file.bytes);
}

function returnFileOf(body: unknown, fileName: string | undefined): { fileName: string; bytes: Buffer } {
  if (Buffer.isBuffer(body)) return { fileName: fileName ?? '回盘文件', bytes: body };
  const parsed = ReturnJson.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      ErrorCode.VALIDATION,
      issue
        ? `${issue.path.join('.') || 'body'}：${issue.message}`
        : '请以 JSON { fileName, contentBase64 } 或文件原始内容（text/csv、xlsx）提交回盘文件',
      { field: issue?.path.join('.') || 'body' },
    );
  }
  const b64 = parsed.data.contentBase64.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new AppError(ErrorCode.VALIDATION, 'contentBase64 不是有效的 Base64 编码', {
      field: 'contentBase64',
    });
  }
  return { fileName: parsed.data.fileName, bytes: Buffer.from(b64, 'base64') };
}

/**
 * 社会化发放 routes. They live in their own plugin scope because the return upload accepts raw CSV and
 * Excel bodies, a content type no other route takes.
 */
export function registerBankRoutes(root: FastifyInstance): void {
  root.register(async (scope) => {
    scope.addContentTypeParser(
      RAW_TYPES,
      { parseAs: 'buffer', bodyLimit: RETURN_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const tx = app.db.transaction.bind(app.db);
    const tags = ['资金发放：银行代发'];

    app.get(
      '/bank-layouts',
      { schema: { tags, summary: '各银行代发文件与回盘文件的格式（未设置时为内置默认格式）' } },
      async (req) => {
        sessionOf(req);
        return readBankLayouts(app.db);
      },
    );
    app.put(
      '/bank-layouts',
      {
        schema: {
          tags,
          summary: '设置各银行代发文件与回盘文件的格式（bankName 为 "*" 的格式用于其他银行）',
          body: z.object({ layouts: z.array(z.unknown()) }).strict(),
        },
      },
      async (req) => tx().execute((trx) => writeBankLayouts(trx, sessionOf(req).actor, req.body.layouts)),
    );
    app.get(
      '/payrolls/:id/bank-files',
      {
        schema: {
          tags,
          summary: '已审批发放名册中尚未导出的代发明细，按开户行汇总（笔数、户数、金额）',
          params: IdParam,
        },
      },
      async (req) => listBankFiles(app.db, sessionOf(req).actor, req.params.id),
    );
    app.get(
      '/payrolls/:id/bank-files/:bankName',
      {
        schema: {
          tags,
          summary:
            '导出某银行的代发文件（CSV 或 Excel，含完整账号；生成一个代发批次，记入审计日志）。已导出的明细不再重复导出',
          params: IdParam.extend({ bankName: z.string().trim().min(1).max(60) }),
          querystring: z
            .object({ format: z.enum(['csv', 'xlsx'], { message: '格式应为 csv 或 xlsx' }).optional() })
            .strict(),
        },
      },
      async (req, reply) => {
        const file = await tx().execute((trx) =>
          exportBankFile(trx, sessionOf(req).actor, {
            payrollId: req.params.id,
            bankName: req.params.bankName,
            ...(req.query.format ? { format: req.query.format } : {}),
          }),
        );
        return sendFile(reply, file);
      },
    );
    app.get(
      '/bank-batches',
      {
        schema: {
          tags,
          summary: '代发批次（导出时间、笔数、金额、回盘结果）',
          querystring: z
            .object({
              payrollId: z.coerce.number().int().positive().optional(),
              oneOffBatchId: z.coerce.number().int().positive().optional(),
              payMonth: PayMonth.optional(),
            })
            .strict(),
        },
      },
      async (req) =>
        listBankBatches(app.db, sessionOf(req).actor, req.query.payrollId ?? null, {
          ...(req.query.oneOffBatchId ? { oneOffBatchId: req.query.oneOffBatchId } : {}),
          ...(req.query.payMonth ? { payMonth: req.query.payMonth } : {}),
        }),
    );

    // ── one-off payments (节日补贴 batches; 临时救助, 医疗救助 by pay month) ──
    app.get(
      '/one-off-batches/:id/bank-files',
      {
        schema: {
          tags,
          summary: '已审批节日补贴批次中尚未导出的款项，按开户行汇总（笔数、户数、金额）',
          params: IdParam,
        },
      },
      async (req) => listOneOffBankFiles(app.db, sessionOf(req).actor, { batchId: req.params.id }),
    );
    app.get(
      '/one-off-batches/:id/bank-files/:bankName',
      {
        schema: {
          tags,
          summary:
            '导出某银行的节日补贴代发文件（CSV 或 Excel，含完整账号；生成一个代发批次，记入审计日志）。已导出的款项不再重复导出',
          params: IdParam.extend({ bankName: BankNameParam }),
          querystring: z.object({ format: FormatQuery }).strict(),
        },
      },
      async (req, reply) => {
        const file = await tx().execute((trx) =>
          exportOneOffBankFile(trx, sessionOf(req).actor, {
            source: { batchId: req.params.id },
            bankName: req.params.bankName,
            ...(req.query.format ? { format: req.query.format } : {}),
          }),
        );
        return sendFile(reply, file);
      },
    );
    app.get(
      '/one-off-payments/bank-files',
      {
        schema: {
          tags,
          summary: '某发放月份已审批、不属于批次的单笔款项（临时救助、医疗救助）中尚未导出的，按开户行汇总',
          querystring: z.object({ payMonth: PayMonth }).strict(),
        },
      },
      async (req) => listOneOffBankFiles(app.db, sessionOf(req).actor, { payMonth: req.query.payMonth }),
    );
    app.get(
      '/one-off-payments/bank-files/:bankName',
      {
        schema: {
          tags,
          summary:
            '导出某银行某发放月份单笔款项（临时救助、医疗救助）的代发文件（生成一个代发批次，记入审计日志）。已导出的款项不再重复导出',
          params: z.object({ bankName: BankNameParam }),
          querystring: z.object({ payMonth: PayMonth, format: FormatQuery }).strict(),
        },
      },
      async (req, reply) => {
        const file = await tx().execute((trx) =>
          exportOneOffBankFile(trx, sessionOf(req).actor, {
            source: { payMonth: req.query.payMonth },
            bankName: req.params.bankName,
            ...(req.query.format ? { format: req.query.format } : {}),
          }),
        );
        return sendFile(reply, file);
      },
    );
    app.post(
      '/one-off-payments/:id/reissue',
      {
        schema: {
          tags,
          summary:
            '重新发放一笔发放失败或暂停的一次性款项（按该户现登记的银行账户，列入其批次或发放月份的下一次代发文件）',
          params: IdParam,
          body: ReasonBody,
        },
      },
      async (req) =>
        tx().execute((trx) => reissueOneOff(trx, sessionOf(req).actor, req.params.id, req.body.reason)),
    );
    app.post(
      '/one-off-payments/:id/hold',
      {
        schema: {
          tags,
          summary: '暂停发放一笔发放失败的一次性款项（须写明原因）',
          params: IdParam,
          body: ReasonBody,
        },
      },
      async (req) =>
        tx().execute((trx) => holdOneOff(trx, sessionOf(req).actor, req.params.id, req.body.reason)),
    );
    app.get(
      '/bank-batches/:id/file',
      { schema: { tags, summary: '再次下载某代发批次的文件（记入审计日志）', params: IdParam } },
      async (req, reply) => {
        const file = await tx().execute((trx) => bankBatchFile(trx, sessionOf(req).actor, req.params.id));
        return sendFile(reply, file);
      },
    );
    app.post(
      '/bank-batches/:id/return',
      {
        bodyLimit: RETURN_BODY_LIMIT,
        schema: {
          tags,
          summary:
            '导入银行回盘文件：JSON { fileName, contentBase64 }，或文件原始内容（Content-Type: text/csv 或 xlsx，文件名放在 ?fileName=）。任一行有误则整份不导入并返回 400 及各行问题；重复导入不作修改',
          params: IdParam,
          querystring: z.object({ fileName: z.string().max(200).optional() }).strict(),
        },
      },
      async (req) => {
        const file = returnFileOf(req.body, req.query.fileName);
        return tx().execute((trx) => importBankReturn(trx, sessionOf(req).actor, req.params.id, file));
      },
    );
    app.post(
      '/payroll-lines/:id/reissue',
      {
        schema: {
          tags,
          summary: '重新发放一笔发放失败或暂停的明细（按该户现登记的银行账户，列入该名册下一次代发文件）',
          params: IdParam,
          body: ReasonBody,
        },
      },
      async (req) =>
        tx().execute((trx) => reissueLine(trx, sessionOf(req).actor, req.params.id, req.body.reason)),
    );
    app.post(
      '/payroll-lines/:id/hold',
      {
        schema: {
          tags,
          summary: '暂停发放一笔发放失败的明细（须写明原因）',
          params: IdParam,
          body: ReasonBody,
        },
      },
      async (req) =>
        tx().execute((trx) => holdLine(trx, sessionOf(req).actor, req.params.id, req.body.reason)),
    );
  });
}
