import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sessionOf } from '../../http/auth.ts';
import { IdParam } from '../registry/registry.schemas.ts';
import {
  AuthorisationBody,
  ForwardBody,
  InformBody,
  ListQuery,
  NoticeBody,
  ReceiveBody,
  ReferBody,
  RegisterBody,
  RejectBody,
  ReplyBody,
  VersionBody,
} from './intake.schemas.ts';
import * as intake from './intake.service.ts';

/** 受理登记 (一门受理、协同办理, DOMAIN §2) under /api/v1/intake. */
export function registerIntakeRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['受理登记'];

  app.get(
    '/intake/requests',
    {
      schema: {
        tags,
        summary: '受理登记列表（分页；按状态、渠道、事项、是否超期筛选；乡镇用户只见本乡镇）',
        querystring: ListQuery,
      },
    },
    async (req) => tx().execute((trx) => intake.listRequests(trx, sessionOf(req).actor, req.query)),
  );

  app.post(
    '/intake/requests',
    {
      schema: {
        tags,
        summary: '一表登记：申请人、困难情况与申请事项（村级协理员只能登记主动发现）',
        body: RegisterBody,
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) => intake.registerRequest(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/intake/requests/:id',
    {
      schema: {
        tags,
        summary: '受理登记详情：各事项及下一步、一次性告知书、授权书、转办期限（查看记入审计日志）',
        params: IdParam,
      },
    },
    async (req) => tx().execute((trx) => intake.getRequest(trx, sessionOf(req).actor, req.params.id)),
  );

  app.post(
    '/intake/requests/:id/notice',
    {
      schema: {
        tags,
        summary: '出具一次性告知书：一次列明所缺全部材料（只能出具一次；不得要求可共享获取的材料）',
        params: IdParam,
        body: NoticeBody,
      },
    },
    async (req) =>
      tx().execute((trx) => intake.issueNotice(trx, sessionOf(req).actor, req.params.id, req.body)),
  );

  app.post(
    '/intake/requests/:id/materials-received',
    {
      schema: {
        tags,
        summary: '登记申请人补交的材料（不列 received 即全部补齐）',
        params: IdParam,
        body: ReceiveBody,
      },
    },
    async (req) =>
      tx().execute((trx) =>
        intake.recordMaterialsReceived(trx, sessionOf(req).actor, req.params.id, req.body),
      ),
  );

  app.post(
    '/intake/requests/:id/authorisations',
    {
      schema: {
        tags,
        summary: '登记家庭经济状况核对授权书（每位核对对象；本人、监护人、受托人或继承人签署）',
        params: IdParam,
        body: AuthorisationBody,
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) =>
        intake.addAuthorisation(trx, sessionOf(req).actor, req.params.id, req.body),
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/intake/requests/:id/archive',
    { schema: { tags, summary: '归档（各事项办结后）', params: IdParam, body: VersionBody } },
    async (req) =>
      tx().execute((trx) => intake.archiveRequest(trx, sessionOf(req).actor, req.params.id, req.body)),
  );

  const decision = <B extends object>(action: intake.DecisionBody['action'], summary: string, body: B) => ({
    action,
    schema: { tags, summary, params: IdParam, body },
  });
  const actions = [
    decision('accept', '受理（窗口办理的事项）', VersionBody),
    decision('forward', '转办：承办部门与答复期限', ForwardBody),
    decision('reply', '登记部门答复（已转办的事项）', ReplyBody),
    decision('inform', '登记已告知申请人（部门答复或决定之后）', InformBody),
    decision('refer', '转介（部门办理的事项或慈善帮扶）', ReferBody),
    decision('reject', '不予受理（须写明理由）', RejectBody),
  ] as const;
  for (const a of actions) {
    app.post(`/intake/items/:id/${a.action}`, { schema: a.schema }, async (req) =>
      tx().execute((trx) =>
        intake.decideItem(trx, sessionOf(req).actor, req.params.id, {
          ...(req.body as Record<string, unknown>),
          action: a.action,
        } as intake.DecisionBody),
      ),
    );
  }

  app.get(
    '/intake/overdue-forwards',
    {
      schema: {
        tags,
        summary: '转办督办：即将到期或已超期的转办事项（乡镇用户本乡镇，县级用户全县）',
      },
    },
    async (req) => tx().execute((trx) => intake.overdueForwards(trx, sessionOf(req).actor)),
  );
}
