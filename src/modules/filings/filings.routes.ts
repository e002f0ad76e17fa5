import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import { exportPublicNotice, exportRecordForm, exportRoster, type FilingFile } from './filings.service.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const town = z.string().regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字');
const program = z.enum(['dibao', 'tekun'], { error: '救助项目应为 dibao（城乡低保）或 tekun（特困供养）' });

function send(reply: FastifyReply, file: FilingFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', file.contentDisposition)
    .header('cache-control', 'no-store')
    .send(file.bytes);
}

export function registerFilingRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['备案与公示'];

  app.get(
    '/filings/record-form.xlsx',
    {
      schema: {
        tags,
        summary:
          '低保 / 特困（五保）对象信息备案表（xlsx，A4 横向）：截至某日在保的户（特困为人）及核定月保障金，身份证号码和银行账号脱敏；县级不指定乡镇时每个乡镇一张表。导出记入审计日志',
        querystring: z
          .object({ program: program.default('dibao'), town: town.optional(), asOf: date.optional() })
          .strict(),
      },
    },
    async (req, reply) =>
      send(
        reply,
        await exportRecordForm(app.db, sessionOf(req).actor, {
          program: req.query.program,
          townCode: req.query.town,
          asOf: req.query.asOf,
        }),
      ),
  );
  app.get(
    '/filings/roster.xlsx',
    {
      schema: {
        tags,
        summary:
          '花名册（xlsx）：截至某日在保的低保、特困对象，每位家庭成员一行，身份证号码脱敏；县级不指定乡镇时每个乡镇一张表。导出记入审计日志',
        querystring: z.object({ town: town.optional(), asOf: date.optional() }).strict(),
      },
    },
    async (req, reply) =>
      send(
        reply,
        await exportRoster(app.db, sessionOf(req).actor, { townCode: req.query.town, asOf: req.query.asOf }),
      ),
  );
  app.get(
    '/filings/public-notice.xlsx',
    {
      schema: {
        tags,
        summary:
          '公示名单（xlsx，A4）：某村（居）某月的低保（或特困）对象，姓名部分隐去，只含家庭人口、保障人数、月保障金和类别，不含身份证号码和银行账号。导出记入审计日志',
        querystring: z
          .object({
            village: z.string().regex(/^\d{12}$/, '村（居）区划代码应为 12 位数字'),
            month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM'),
            program: program.optional(),
          })
          .strict(),
      },
    },
    async (req, reply) =>
      send(
        reply,
        await exportPublicNotice(app.db, sessionOf(req).actor, {
          villageCode: req.query.village,
          month: req.query.month,
          program: req.query.program,
        }),
      ),
  );
}
