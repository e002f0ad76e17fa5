import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import {
  HolidayBatchBody,
  MedicalClaimBody,
  MedicalClaimQuery,
  PaymentListQuery,
  TemporaryAidQuoteBody,
} from './one-off.schemas.ts';
import {
  addMedicalClaim,
  approveBatch,
  approvePayment,
  createHolidayBatch,
  getBatch,
  listBatches,
  listMedicalClaims,
  listPayments,
  quoteTemporaryAid,
} from './one-off.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });

export function registerOneOffRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['资金发放（一次性发放）'];

  app.post(
    '/medical-claims',
    {
      schema: {
        tags,
        summary: '登记一次住院医疗救助（按出院月份适用的规则和年度限额计算，生成待审批的发放记录）',
        body: MedicalClaimBody,
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) => addMedicalClaim(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(result);
    },
  );
  app.get(
    '/medical-claims',
    { schema: { tags, summary: '医疗救助登记（按人员、年度）', querystring: MedicalClaimQuery } },
    async (req) => tx().execute((trx) => listMedicalClaims(trx, sessionOf(req).actor, req.query)),
  );
  app.post(
    '/temporary-aid/quote',
    {
      schema: {
        tags,
        summary: '临时救助测算：档次金额、封顶、家庭年度上限余额和审批层级（不保存）',
        body: TemporaryAidQuoteBody,
      },
    },
    async (req) => tx().execute((trx) => quoteTemporaryAid(trx, sessionOf(req).actor, req.body)),
  );
  app.post(
    '/one-off-batches',
    {
      schema: {
        tags,
        summary: '创建节日补贴批次：参考日在保人员每人一笔待审批发放记录',
        body: HolidayBatchBody,
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) => createHolidayBatch(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(result);
    },
  );
  app.get('/one-off-batches', { schema: { tags, summary: '发放批次列表' } }, async (req) =>
    tx().execute((trx) => listBatches(trx, sessionOf(req).actor)),
  );
  app.get(
    '/one-off-batches/:id',
    { schema: { tags, summary: '发放批次及按乡镇、资金来源的汇总', params: IdParam } },
    async (req) => tx().execute((trx) => getBatch(trx, sessionOf(req).actor, req.params.id)),
  );
  app.post(
    '/one-off-batches/:id/approve',
    {
      schema: {
        tags,
        summary: '审批整个批次（审批人不能是创建人）：复制银行账户并记入发放台账',
        params: IdParam,
      },
    },
    async (req) => tx().execute((trx) => approveBatch(trx, sessionOf(req).actor, req.params.id)),
  );
  app.get(
    '/one-off-payments',
    {
      schema: {
        tags,
        summary: '一次性发放记录（账号隐去；乡镇用户只见本乡镇）',
        querystring: PaymentListQuery,
      },
    },
    async (req) => tx().execute((trx) => listPayments(trx, sessionOf(req).actor, req.query)),
  );
  app.post(
    '/one-off-payments/:id/approve',
    {
      schema: {
        tags,
        summary: '审批一笔发放（审批人不能是创建人）：复制银行账户并记入发放台账',
        params: IdParam,
      },
    },
    async (req) => tx().execute((trx) => approvePayment(trx, sessionOf(req).actor, req.params.id)),
  );
}
