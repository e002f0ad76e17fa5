/**
 * /api/v1/verification/...: 发起核对, 核对报告 (list, full read, printable page), 批量复核核对 and its monthly
 * schedule (DOMAIN §3).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIsoDate } from '../../domain/calendar/dates.ts';
import {
  CHECK_TYPE_CODES,
  type CheckType,
  CONCLUSION_CODES,
  type ConclusionCode,
} from '../../domain/verification/conclusion.ts';
import { declarationSchema } from '../../domain/verification/report.ts';
import { sessionOf } from '../../http/auth.ts';
import { validationError } from '../errors/app-error.ts';
import {
  getBatch,
  getSchedule,
  listBatches,
  programCodesSchema,
  putSchedule,
  scheduleSchema,
  startBackgroundBatch,
  startRecheckBatch,
  waitForBatchJobs,
} from './batch.ts';
import { renderReportHtml } from './print.ts';
import { getReport, listReports, requestVerification } from './verification.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const townCode = z.string().regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字');
const IsoDate = z.string().refine(isIsoDate, '日期应为 YYYY-MM-DD 格式，如 2026-11-30');
const positiveId = z.number({ error: '编号应为正整数' }).int().positive();

const RequestBody = z
  .object({
    caseId: positiveId.optional(),
    householdId: positiveId.optional(),
    checkType: z
      .enum(CHECK_TYPE_CODES as [CheckType, ...CheckType[]], {
        error: `核对类型应为 ${CHECK_TYPE_CODES.join('、')}`,
      })
      .optional(),
    basis: z
      .enum(['authorisation', 'periodic_recheck'], {
        error: '核对依据应为 authorisation（授权核对）或 periodic_recheck（在保家庭定期复核）',
      })
      .optional(),
    supporters: z
      .array(
        z
          .object({
            name: z.string({ error: '义务人姓名应为文字' }).trim().min(1, '义务人姓名不能为空').max(50),
            idNumber: z.string({ error: '身份证号码应为文字' }).trim().min(15).max(18),
            relation: z
              .string({ error: '与申请人关系应为文字' })
              .trim()
              .min(1, '请填写与申请人的关系')
              .max(20),
          })
          .strict(),
      )
      .max(20)
      .optional(),
    declaration: declarationSchema.optional(),
    previousYearDisposableIncomeFen: z.number().int().min(0).nullable().optional(),
  })
  .strict()
  .refine((b) => b.caseId !== undefined || b.householdId !== undefined, {
    message: '请指定个案（caseId）或家庭（householdId）',
    path: ['caseId'],
  });

export function registerVerificationRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['家庭经济状况核对'];
  app.addHook('onClose', async () => waitForBatchJobs());

  app.post(
    '/verification/requests',
    {
      schema: {
        tags,
        summary:
          '发起家庭经济状况核对（个案按授权核对，须全部核对对象已登记授权书；在保家庭可定期复核核对），返回报告编号和结论',
        body: RequestBody,
      },
    },
    async (req, reply) => {
      const result = await requestVerification(app.db, sessionOf(req).actor, req.body);
      return reply.status(201).send(result);
    },
  );
  app.get(
    '/verification/reports',
    {
      schema: {
        tags,
        summary:
          '核对报告列表（本辖区；可按个案、家庭、乡镇、结论、核对日期筛选，flagged=true 只列需关注的报告：结论不符合或有申报差异；身份证号码隐去）',
        querystring: z
          .object({
            caseId: z.coerce.number().int().positive().optional(),
            householdId: z.coerce.number().int().positive().optional(),
            townCode: townCode.optional(),
            conclusion: z
              .enum(CONCLUSION_CODES as [ConclusionCode, ...ConclusionCode[]], {
                error: `核对结论代码应为 ${CONCLUSION_CODES.join('、')}`,
              })
              .optional(),
            from: IsoDate.optional(),
            to: IsoDate.optional(),
            flagged: z
              .enum(['true', 'false'], { error: 'flagged 应为 true 或 false' })
              .transform((v) => v === 'true')
              .optional(),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(200).default(50),
          })
          .strict(),
      },
    },
    async (req) => {
      const q = req.query;
      if (q.from && q.to && q.from > q.to) throw validationError('to', '结束日期不能早于开始日期');
      return listReports(app.db, sessionOf(req).actor, q);
    },
  );
  app.get(
    '/verification/reports/:id',
    { schema: { tags, summary: '核对报告全文（查看记入审计日志）', params: IdParam } },
    async (req) => tx().execute((trx) => getReport(trx, sessionOf(req).actor, req.params.id)),
  );
  app.get(
    '/verification/reports/:id/print',
    { schema: { tags, summary: '打印核对报告（HTML 页面，身份证号码隐去）', params: IdParam } },
    async (req, reply) => {
      const view = await tx().execute((trx) => getReport(trx, sessionOf(req).actor, req.params.id));
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderReportHtml(view, new Date().toISOString()));
    },
  );

  app.post(
    '/verification/batches',
    {
      schema: {
        tags,
        summary: '发起批量复核核对（在保家庭；后台进行，进度见 GET /verification/batches/:id）',
        body: z
          .object({ programCodes: programCodesSchema, townCode: townCode.nullable().optional() })
          .strict(),
      },
    },
    async (req, reply) => {
      const batch = await startRecheckBatch(app.db, sessionOf(req).actor, req.body);
      startBackgroundBatch(app.db, batch.id, (err) =>
        req.log.error({ err, batchId: batch.id }, 'verification batch failed'),
      );
      return reply.status(202).send(batch);
    },
  );
  app.get('/verification/batches', { schema: { tags, summary: '批量复核核对记录' } }, async (req) =>
    listBatches(app.db, sessionOf(req).actor),
  );
  app.get(
    '/verification/batches/:id',
    {
      schema: {
        tags,
        summary: '批量复核核对进度：总户数、已核对、失败、需关注（不符合条件或有重大差异）',
        params: IdParam,
      },
    },
    async (req) => getBatch(app.db, sessionOf(req).actor, req.params.id),
  );
  app.get('/verification/schedule', { schema: { tags, summary: '复核核对计划（每月一次）' } }, async (req) =>
    getSchedule(app.db, sessionOf(req).actor),
  );
  app.put(
    '/verification/schedule',
    { schema: { tags, summary: '设置复核核对计划：是否启用、每月几日、哪些项目', body: scheduleSchema } },
    async (req) => putSchedule(app.db, sessionOf(req).actor, req.body),
  );
}
