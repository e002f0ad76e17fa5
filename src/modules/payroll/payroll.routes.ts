import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { isIsoDate, isIsoMonth } from '../../domain/calendar/dates.ts';
import { isDecimalString } from '../../domain/money/money.ts';
import { sessionOf } from '../../http/auth.ts';
import { decisionBodySchema, listDecisions, recordDecision } from './decisions.service.ts';
import { runGeneration } from './generate.ts';
import {
  approvePayroll,
  getPayroll,
  getPriceIndex,
  householdPayments,
  listPayrollLines,
  listPayrolls,
  listPriceIndices,
  reviewPayroll,
  setPriceIndex,
  startPayroll,
} from './payroll.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const month = z.string().refine(isIsoMonth, '月份应为 YYYY-MM 格式，如 2015-09');
const MonthParam = z.object({ month });
const townCode = z.string().regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字');
const Page = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
};
const yoy = z.string().refine(isDecimalString, '同比涨幅应写成小数，如 "3.6"、"-0.4"').nullable();

/** Generations started by the API run in the background of this process; the server waits for them on close. */
const jobs = new Set<Promise<unknown>>();

export function startBackgroundGeneration(
  db: Kysely<Database>,
  payrollId: number,
  actor: Actor,
  log: (err: unknown) => void,
): void {
  const job = runGeneration(db, payrollId, actor)
    .catch(log)
    .finally(() => jobs.delete(job));
  jobs.add(job);
}

export async function waitForPayrollJobs(): Promise<void> {
  while (jobs.size > 0) await Promise.allSettled([...jobs]);
}

export function registerPayrollRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['资金发放'];
  app.addHook('onClose', async () => waitForPayrollJobs());

  app.get(
    '/payrolls',
    {
      schema: {
        tags,
        summary: '发放名册列表（乡镇用户只见本乡镇的条数与金额）',
        querystring: z.object({ month: month.optional(), program: z.string().max(40).optional() }).strict(),
      },
    },
    async (req) => listPayrolls(app.db, sessionOf(req).actor, req.query),
  );
  app.post(
    '/payrolls',
    {
      schema: {
        tags,
        summary: '生成某项目某月的发放名册（后台进行；返回名册编号，进度见 GET /payrolls/:id）',
        body: z
          .object({
            programCode: z.string().min(1).max(40),
            payMonth: month,
            /** Start a generated or reviewed (not approved) payroll over. */
            regenerate: z.boolean().optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const actor = sessionOf(req).actor;
      const started = await tx().execute((trx) => startPayroll(trx, actor, req.body));
      if (started.run) {
        startBackgroundGeneration(app.db, started.payroll.id, actor, (err) =>
          req.log.error({ err, payrollId: started.payroll.id }, 'payroll generation failed'),
        );
      }
      return reply.status(202).send({
        id: started.payroll.id,
        status: started.payroll.status,
        started: started.run,
        resumed: started.resumed,
      });
    },
  );
  app.get(
    '/payrolls/:id',
    {
      schema: {
        tags,
        summary: '发放名册：状态、生成进度、户数人数、按乡镇 × 资金项目的合计、提示',
        params: IdParam,
      },
    },
    async (req) => getPayroll(app.db, sessionOf(req).actor, req.params.id),
  );
  app.get(
    '/payrolls/:id/lines',
    {
      schema: {
        tags,
        summary: '发放明细（银行账号隐去；可按发放状态筛选，发放失败的附银行退回原因）',
        params: IdParam,
        querystring: z
          .object({
            townCode: townCode.optional(),
            lineKind: z.enum(['regular', 'arrears', 'recovery', 'reissue']).optional(),
            status: z.enum(['pending', 'paid', 'failed', 'held', 'reissued']).optional(),
            ...Page,
          })
          .strict(),
      },
    },
    async (req) => listPayrollLines(app.db, sessionOf(req).actor, req.params.id, req.query),
  );
  app.post(
    '/payrolls/:id/review',
    { schema: { tags, summary: '审核发放名册', params: IdParam } },
    async (req) => tx().execute((trx) => reviewPayroll(trx, sessionOf(req).actor, req.params.id)),
  );
  app.post(
    '/payrolls/:id/approve',
    {
      schema: {
        tags,
        summary: '审批发放名册（审批人须不同于生成人和审核人）：记入发放台账并锁定',
        params: IdParam,
      },
    },
    async (req) => tx().execute((trx) => approvePayroll(trx, sessionOf(req).actor, req.params.id)),
  );

  app.get(
    '/households/:id/payments',
    {
      schema: {
        tags,
        summary: '家庭的发放记录（发放台账，最新在前）',
        params: IdParam,
        querystring: z.object(Page).strict(),
      },
    },
    async (req) => householdPayments(app.db, sessionOf(req).actor, req.params.id, req.query),
  );

  app.get(
    '/enrolments/:id/decisions',
    { schema: { tags: ['待遇核定'], summary: '救助对象的待遇核定记录（含计算说明）', params: IdParam } },
    async (req) => listDecisions(app.db, sessionOf(req).actor, req.params.id),
  );
  app.post(
    '/enrolments/:id/decisions',
    {
      schema: {
        tags: ['待遇核定'],
        summary:
          '核定待遇：低保按家庭收入和财产情况（dibao）或已核定的人均收入（dibaoAssessed），特困按供养方式和自理能力（tekun）',
        params: IdParam,
        body: decisionBodySchema,
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) =>
        recordDecision(trx, sessionOf(req).actor, req.params.id, req.body),
      );
      return reply.status(201).send(result);
    },
  );

  app.get('/price-indices', { schema: { tags, summary: '已录入的价格指数' } }, async (req) =>
    listPriceIndices(app.db, sessionOf(req).actor),
  );
  app.get(
    '/price-indices/:month',
    { schema: { tags, summary: '某月的居民消费价格指数（CPI）和食品价格同比涨幅', params: MonthParam } },
    async (req) => getPriceIndex(app.db, sessionOf(req).actor, req.params.month),
  );
  app.put(
    '/price-indices/:month',
    {
      schema: {
        tags,
        summary: '录入或更正某月的价格指数（更正已发放月份时，下月名册补发或追回价格临时补贴）',
        params: MonthParam,
        body: z
          .object({
            cpiYoY: yoy,
            foodYoY: yoy,
            publishedOn: z.string().refine(isIsoDate, '发布日期应为 YYYY-MM-DD').nullable().optional(),
            source: z.string().max(200).nullable().optional(),
          })
          .strict(),
      },
    },
    async (req) =>
      tx().execute((trx) => setPriceIndex(trx, sessionOf(req).actor, req.params.month, req.body)),
  );
}
