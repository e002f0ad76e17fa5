import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { isIsoDate } from '../../domain/calendar/dates.ts';
import { sessionOf } from '../../http/auth.ts';
import { requirePermission } from '../access/require-permission.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import {
  campaignSummary,
  createCampaign,
  createRule,
  getCampaign,
  listCampaigns,
  listFindings,
  listRules,
  recordOutcome,
  runCampaign,
  updateRule,
} from './campaigns.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const CodeParam = z.object({ code: z.string().min(1).max(40) });
const townCode = z.string().regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字');

/** Runs started by the API go on in the background of this process; the server waits for them on close. */
const jobs = new Set<Promise<unknown>>();
/** Campaigns being run by this process (a 'running' campaign not in here was interrupted and may be run again). */
const runningIds = new Set<number>();

export function startBackgroundRun(
  db: Kysely<Database>,
  actor: Actor,
  campaignId: number,
  log: (err: unknown) => void,
): void {
  runningIds.add(campaignId);
  const job = runCampaign(db, actor, campaignId)
    .catch(log)
    .finally(() => {
      jobs.delete(job);
      runningIds.delete(campaignId);
    });
  jobs.add(job);
}

export async function waitForCampaignJobs(): Promise<void> {
  while (jobs.size > 0) await Promise.allSettled([...jobs]);
}

export function registerCampaignRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['核查'];
  app.addHook('onClose', async () => waitForCampaignJobs());

  app.get(
    '/campaigns/rules',
    { schema: { tags, summary: '核查规则（类型、问题类别、参数；首次读取时建立默认规则）' } },
    async (req) => tx().execute((trx) => listRules(trx, sessionOf(req).actor)),
  );
  app.post(
    '/campaigns/rules',
    {
      schema: {
        tags,
        summary: '新增核查规则（本县自定义代码、类型和参数）',
        body: z
          .object({
            code: z.string().min(1).max(40),
            type: z.string().min(1).max(40),
            label: z.string().trim().max(60).optional(),
            category: z.string().max(20).optional(),
            params: z.record(z.string(), z.unknown()).optional(),
            enabled: z.boolean().optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const rule = await tx().execute((trx) => createRule(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(rule);
    },
  );
  app.put(
    '/campaigns/rules/:code',
    {
      schema: {
        tags,
        summary: '修改核查规则的名称、参数或启用状态（须带 version）',
        params: CodeParam,
        body: z
          .object({
            version: z.number().int().positive(),
            label: z.string().trim().max(60).optional(),
            params: z.record(z.string(), z.unknown()).optional(),
            enabled: z.boolean().optional(),
          })
          .strict(),
      },
    },
    async (req) => tx().execute((trx) => updateRule(trx, sessionOf(req).actor, req.params.code, req.body)),
  );

  app.get('/campaigns', { schema: { tags, summary: '核查列表' } }, async (req) =>
    listCampaigns(app.db, sessionOf(req).actor),
  );
  app.post(
    '/campaigns',
    {
      schema: {
        tags,
        summary: '新建核查：项目、乡镇（空为全县）、规则（空为全部启用规则）、基准日',
        body: z
          .object({
            title: z.string().trim().min(1, '请填写核查名称').max(100),
            programCodes: z.array(z.string().max(40)).max(10).optional(),
            townCodes: z.array(townCode).max(100).optional(),
            ruleCodes: z.array(z.string().max(40)).max(100).optional(),
            asOf: z.string().refine(isIsoDate, '基准日应为 YYYY-MM-DD').optional(),
            reviewDueDays: z.number().int().min(1).max(365).optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const c = await tx().execute((trx) => createCampaign(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(c);
    },
  );
  app.post(
    '/campaigns/:id/run',
    {
      schema: {
        tags,
        summary: '运行核查（后台进行；进度见 GET /campaigns/:id；运行失败可再次运行）',
        params: IdParam,
      },
    },
    async (req, reply) => {
      const actor = sessionOf(req).actor;
      requirePermission(actor, 'campaign.manage');
      const c = await getCampaign(app.db, actor, req.params.id);
      if (c.status === 'done') {
        throw new AppError(ErrorCode.CONFLICT, `核查（编号 ${c.id}）已运行完成，如需重新核查请新建核查`);
      }
      if (runningIds.has(c.id)) {
        throw new AppError(ErrorCode.CONFLICT, `核查（编号 ${c.id}）正在运行，请稍候查看进度`);
      }
      startBackgroundRun(app.db, actor, req.params.id, (err) =>
        req.log.error({ err, campaignId: req.params.id }, 'campaign run failed'),
      );
      return reply.status(202).send({ id: req.params.id, started: true });
    },
  );
  app.get(
    '/campaigns/:id',
    { schema: { tags, summary: '核查：状态、进度、规则、核查对象', params: IdParam } },
    async (req) => getCampaign(app.db, sessionOf(req).actor, req.params.id),
  );
  const FindingQuery = {
    townCode: townCode.optional(),
    ruleCode: z.string().max(40).optional(),
    category: z.string().max(20).optional(),
    outcome: z.enum(['open', 'keep', 'exit', 'recover']).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  };
  app.get(
    '/campaigns/:id/findings',
    {
      schema: {
        tags,
        summary: '核查发现的问题（乡镇用户只见本乡镇；身份证号码隐去）',
        params: IdParam,
        querystring: z.object(FindingQuery).strict(),
      },
    },
    async (req) => listFindings(app.db, sessionOf(req).actor, { ...req.query, campaignId: req.params.id }),
  );
  app.get(
    '/campaigns/:id/summary',
    {
      schema: {
        tags,
        summary: '核查汇总：按乡镇 × 项目的对象、问题、复核、退出户数人数和追回金额，及文字说明',
        params: IdParam,
      },
    },
    async (req) => campaignSummary(app.db, sessionOf(req).actor, req.params.id),
  );
  app.get(
    '/findings',
    {
      schema: {
        tags,
        summary: '核查问题（mine=true：本辖区尚未复核的问题）',
        querystring: z
          .object({
            ...FindingQuery,
            campaignId: z.coerce.number().int().positive().optional(),
            mine: z
              .enum(['true', 'false', '1', '0'])
              .transform((v) => v === 'true' || v === '1')
              .optional(),
          })
          .strict(),
      },
    },
    async (req) => listFindings(app.db, sessionOf(req).actor, req.query),
  );
  app.post(
    '/findings/:id/outcome',
    {
      schema: {
        tags,
        summary: '登记复核结果：维持 keep / 退出 exit / 退出并追回 recover（退出、追回转入变更个案）',
        params: IdParam,
        body: z
          .object({
            version: z.number().int().positive(),
            outcome: z.enum(['keep', 'exit', 'recover'], {
              error: '复核结果应为 keep（维持）、exit（退出）或 recover（退出并追回）',
            }),
            note: z.string().trim().min(1, '请填写复核意见').max(1000),
            recoveryFen: z.number().int().positive().nullable().optional(),
          })
          .strict(),
      },
    },
    async (req) => tx().execute((trx) => recordOutcome(trx, sessionOf(req).actor, req.params.id, req.body)),
  );
}
