import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sessionOf } from '../../http/auth.ts';
import {
  CreateHouseholdBody,
  IdParam,
  isoDate,
  ListQuery,
  MoveHouseholdBody,
  MovePersonBody,
  NewMemberBody,
  ReadQuery,
  UpdateHouseholdBody,
  UpdatePersonBody,
} from './registry.schemas.ts';
import * as registry from './registry.service.ts';

export function registerRegistryRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['救助对象（家庭与人员）'];

  app.get(
    '/households',
    { schema: { tags, summary: '家庭列表（分页；身份证号和银行账号脱敏）', querystring: ListQuery } },
    async (req) => tx().execute((trx) => registry.listHouseholds(trx, sessionOf(req).actor, req.query)),
  );

  app.get(
    '/households/:id',
    {
      schema: {
        tags,
        summary: '家庭详情（reveal=true 显示完整身份证号和账号，记入审计日志；asOf=日期 查看当日成员）',
        params: IdParam,
        querystring: ReadQuery,
      },
    },
    async (req) =>
      tx().execute((trx) =>
        registry.getHousehold(trx, sessionOf(req).actor, req.params.id, {
          reveal: req.query.reveal === 'true',
          ...(req.query.asOf ? { asOf: req.query.asOf } : {}),
        }),
      ),
  );

  app.get(
    '/households/:id/history',
    { schema: { tags, summary: '家庭及其成员的变更记录（来自审计日志；证件号脱敏）', params: IdParam } },
    async (req) => tx().execute((trx) => registry.householdHistory(trx, sessionOf(req).actor, req.params.id)),
  );

  app.post(
    '/households',
    { schema: { tags, summary: '新建家庭及其成员', body: CreateHouseholdBody } },
    async (req, reply) => {
      const result = await tx().execute((trx) =>
        registry.createHousehold(trx, sessionOf(req).actor, req.body),
      );
      return reply.status(201).send(result);
    },
  );

  app.patch(
    '/households/:id',
    {
      schema: {
        tags,
        summary: '修改家庭信息（须带 version，乐观锁）',
        params: IdParam,
        body: UpdateHouseholdBody,
      },
    },
    async (req) =>
      tx().execute((trx) => registry.updateHousehold(trx, sessionOf(req).actor, req.params.id, req.body)),
  );

  app.post(
    '/households/:id/move',
    {
      schema: {
        tags,
        summary: '家庭迁移（变更乡镇或村居，保留历史）',
        params: IdParam,
        body: MoveHouseholdBody,
      },
    },
    async (req) =>
      tx().execute((trx) => registry.moveHousehold(trx, sessionOf(req).actor, req.params.id, req.body)),
  );

  app.post(
    '/households/:id/members',
    {
      schema: {
        tags,
        summary: '新增家庭成员',
        params: IdParam,
        body: NewMemberBody.extend({ effectiveDate: isoDate.optional() }),
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) =>
        registry.addMember(trx, sessionOf(req).actor, req.params.id, req.body),
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/persons',
    { schema: { tags, summary: '人员列表（分页；身份证号脱敏）', querystring: ListQuery } },
    async (req) => tx().execute((trx) => registry.listPersons(trx, sessionOf(req).actor, req.query)),
  );

  app.get(
    '/persons/:id',
    {
      schema: {
        tags,
        summary: '人员详情及其家庭归属历史（reveal=true 显示完整身份证号，记入审计日志）',
        params: IdParam,
        querystring: ReadQuery.pick({ reveal: true }),
      },
    },
    async (req) =>
      tx().execute((trx) =>
        registry.getPerson(trx, sessionOf(req).actor, req.params.id, { reveal: req.query.reveal === 'true' }),
      ),
  );

  app.patch(
    '/persons/:id',
    {
      schema: {
        tags,
        summary: '修改人员信息（须带 version，乐观锁）',
        params: IdParam,
        body: UpdatePersonBody,
      },
    },
    async (req) =>
      tx().execute((trx) => registry.updatePerson(trx, sessionOf(req).actor, req.params.id, req.body)),
  );

  app.post(
    '/persons/:id/move',
    { schema: { tags, summary: '人员迁移到另一家庭（或迁出）', params: IdParam, body: MovePersonBody } },
    async (req) =>
      tx().execute((trx) => registry.movePerson(trx, sessionOf(req).actor, req.params.id, req.body)),
  );
}
