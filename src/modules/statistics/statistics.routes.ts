import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import { exportMonthlyTables } from './monthly-tables.ts';
import { freezeMonth, listSnapshots, monthlyStatistics, verifySnapshot } from './statistics.service.ts';
import { registerTrendsRoute } from './statistics.trends.ts';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

export function registerStatisticsRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['民政统计'];
  registerTrendsRoute(root);

  app.get(
    '/statistics/monthly',
    {
      schema: {
        tags,
        summary:
          '月度统计：各救助项目按乡镇、村的人数、户数、新增/取消、支出、人均补助水平（已冻结的月份取最新版快照）',
        querystring: z
          .object({
            month,
            program: z.string().min(1).max(40).optional(),
            townCode: z
              .string()
              .regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字')
              .optional(),
            live: z.enum(['true', 'false']).optional(),
          })
          .strict(),
      },
    },
    async (req) =>
      monthlyStatistics(app.db, sessionOf(req).actor, {
        month: req.query.month,
        program: req.query.program,
        townCode: req.query.townCode,
        live: req.query.live === 'true',
      }),
  );
  app.get(
    '/statistics/monthly-tables.xlsx',
    {
      schema: {
        tags,
        summary:
          '民政统计月报（xlsx）：资金支出、救助对象、分乡镇三张表，A4 打印（乡镇用户只含本乡镇；导出记入审计日志）',
        querystring: z
          .object({
            month,
            townCode: z
              .string()
              .regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字')
              .optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const file = await exportMonthlyTables(app.db, sessionOf(req).actor, {
        month: req.query.month,
        townCode: req.query.townCode,
      });
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', file.contentDisposition)
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );
  app.post(
    '/statistics/snapshots',
    {
      schema: {
        tags,
        summary: '冻结已结束月份的统计（再次冻结生成更正版，原版本不变）',
        body: z.object({ month, note: z.string().trim().max(200).optional() }).strict(),
      },
    },
    async (req, reply) => {
      const snap = await app.db
        .transaction()
        .execute((trx) =>
          freezeMonth(trx, sessionOf(req).actor, { month: req.body.month, note: req.body.note }),
        );
      return reply.status(201).send(snap);
    },
  );
  app.get(
    '/statistics/snapshots',
    {
      schema: {
        tags,
        summary: '统计快照（各版本）',
        querystring: z.object({ month: month.optional() }).strict(),
      },
    },
    async (req) => listSnapshots(app.db, sessionOf(req).actor, req.query.month),
  );
  app.get(
    '/statistics/snapshots/:id/verify',
    {
      schema: {
        tags,
        summary: '核验快照：由支付台账重新计算，报告一致或逐项差异',
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (req) => verifySnapshot(app.db, sessionOf(req).actor, req.params.id),
  );
}
