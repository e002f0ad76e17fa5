import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SUPPORTER_SITUATIONS, type SupporterSituation } from '../../domain/workflow/tekun-criteria.ts';
import { sessionOf } from '../../http/auth.ts';
import { isoDate } from '../registry/registry.schemas.ts';
import { getCase, listCases, openCase, recordFact, takeAction } from './cases.service.ts';
import { publicNoticeList } from './public-notice.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const OpenBody = z
  .object({
    programCode: z.string(),
    householdId: z.number().int().positive(),
    enrolmentId: z.number().int().positive().nullable().optional(),
    personId: z.number().int().positive().nullable().optional(),
    intakeItemId: z.number().int().positive().nullable().optional(),
    acceptedOn: isoDate.optional(),
    amountFen: z.number().int().min(0, '金额不能为负').nullable().optional(),
    aidType: z.enum(['emergency', 'expenditure']).nullable().optional(),
  })
  .strict();
const ActionBody = z
  .object({
    version: z.number().int().positive(),
    decidedOn: isoDate.optional(),
    input: z
      .object({
        reasons: z.string().trim().max(2000).optional(),
        opinion: z.enum(['grant', 'refuse']).optional(),
        supportMode: z.enum(['centralized', 'dispersed']).optional(),
        exitMonths: z.number().int().optional(),
        deathDate: isoDate.optional(),
        terminationReason: z
          .enum([
            'death',
            'work_ability',
            'imprisonment',
            'means_test_failed',
            'supporter_capable',
            'voluntary_exit',
            'came_of_age',
          ])
          .optional(),
        toTownCode: z
          .string()
          .regex(/^\d{9}$/)
          .optional(),
        noticeDays: z.number().int().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const FactBody = z
  .object({
    version: z.number().int().positive(),
    recordedOn: isoDate.optional(),
    fact: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('investigation'),
        investigatorUserIds: z.array(z.number().int().positive()).min(1).max(10),
        findings: z.string().trim().min(1, '请填写调查情况').max(5000),
      }),
      z.object({
        kind: z.literal('county_home_visit'),
        findings: z.string().trim().min(1, '请填写入户核查情况').max(5000),
      }),
      z.object({
        kind: z.literal('objection'),
        summary: z.string().trim().min(1, '请填写异议内容').max(2000),
      }),
      z.object({
        kind: z.literal('complaint'),
        summary: z.string().trim().min(1, '请填写举报内容').max(2000),
      }),
      z.object({
        kind: z.literal('self_care'),
        assessor: z.string().trim().min(1, '请填写评估人或评估机构').max(100),
        items: z
          .object({
            eating: z.boolean(),
            dressing: z.boolean(),
            bed: z.boolean(),
            toileting: z.boolean(),
            walking: z.boolean(),
            bathing: z.boolean(),
          })
          .strict(),
      }),
      z.object({
        kind: z.literal('tekun_criteria'),
        noLivelihood: z.boolean(),
        livelihoodNote: z.string().trim().max(500).default(''),
        supporter: z.enum(
          Object.keys(SUPPORTER_SITUATIONS) as [SupporterSituation, ...SupporterSituation[]],
          {
            message: '请选择法定义务人情况',
          },
        ),
      }),
    ]),
  })
  .strict();
const ListQuery = z
  .object({
    state: z.string().max(40).optional(),
    program: z.string().max(40).optional(),
    townCode: z
      .string()
      .regex(/^\d{9}$/)
      .optional(),
    open: z.enum(['true', 'false']).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();

export function registerCaseRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['审核审批（个案）'];

  app.get(
    '/cases',
    { schema: { tags, summary: '个案列表（含当前环节时限）', querystring: ListQuery } },
    async (req) =>
      tx().execute((trx) =>
        listCases(trx, sessionOf(req).actor, {
          ...(req.query.state ? { state: req.query.state } : {}),
          ...(req.query.program ? { program: req.query.program } : {}),
          ...(req.query.townCode ? { townCode: req.query.townCode } : {}),
          open: req.query.open === 'true',
          page: req.query.page,
          pageSize: req.query.pageSize,
        }),
      ),
  );
  app.post(
    '/cases',
    { schema: { tags, summary: '受理一个救助申请（按受理日期适用的办理程序）', body: OpenBody } },
    async (req, reply) => {
      const result = await tx().execute((trx) => openCase(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(result);
    },
  );
  app.get(
    '/cases/public-notice',
    {
      schema: {
        tags,
        summary: '公示名单（姓名部分隐去，不含身份证号）',
        querystring: z
          .object({
            townCode: z
              .string()
              .regex(/^\d{9}$/)
              .optional(),
          })
          .strict(),
      },
    },
    async (req) => tx().execute((trx) => publicNoticeList(trx, sessionOf(req).actor, req.query.townCode)),
  );
  app.get(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: '个案详情：当前环节、时限、可执行操作（或不能执行的原因）、办理记录',
        params: IdParam,
      },
    },
    async (req) => tx().execute((trx) => getCase(trx, sessionOf(req).actor, req.params.id)),
  );
  app.post(
    '/cases/:id/actions/:action',
    {
      schema: {
        tags,
        summary: '执行一个办理操作（不符合规定时返回 422 及原因；版本过期返回 409）',
        params: IdParam.extend({ action: z.string().regex(/^[a-z_]+$/) }),
        body: ActionBody,
      },
    },
    async (req) =>
      tx().execute((trx) =>
        takeAction(trx, sessionOf(req).actor, req.params.id, req.params.action, req.body),
      ),
  );
  app.post(
    '/cases/:id/facts',
    {
      schema: { tags, summary: '登记调查组、县级入户核查、公示异议或举报', params: IdParam, body: FactBody },
    },
    async (req) =>
      tx().execute((trx) =>
        recordFact(
          trx,
          sessionOf(req).actor,
          req.params.id,
          req.body.version,
          req.body.fact,
          new Date(),
          req.body.recordedOn,
        ),
      ),
  );
}
