import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import { exportSituationDocx, situationReport } from './situation.service.ts';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

export function registerReportRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/reports/situation',
    {
      schema: {
        tags: ['报告'],
        summary:
          '落实社会救助政策情况报告：第一部分（社会救助基本情况）由统计生成，第二、三部分为待填写的模板（format=json 或 docx；乡镇用户为本乡镇数据，标题注明；导出 docx 记入审计日志）',
        querystring: z.object({ month, format: z.enum(['json', 'docx']).default('json') }).strict(),
      },
    },
    async (req, reply) => {
      const actor = sessionOf(req).actor;
      if (req.query.format === 'json') return situationReport(app.db, actor, req.query.month);
      const file = await exportSituationDocx(app.db, actor, req.query.month);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', file.contentDisposition)
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );
}
