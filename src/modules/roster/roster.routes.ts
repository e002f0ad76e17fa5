/**
 * 花名册导入 routes. The file comes as JSON { fileName, contentBase64, mapping?, startMonth? } or as the raw
 * bytes (text/csv, xlsx, application/octet-stream) with ?fileName=&startMonth=&mapping=<JSON>. They live in
 * their own plugin scope because of the raw content types and a larger body limit (a county's roster of
 * 100,000 rows is ~10 MB as CSV).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIsoMonth } from '../../domain/calendar/dates.ts';
import { sessionOf } from '../../http/auth.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { commitRosterImport, previewRosterImport, type RosterImportOptions } from './roster.service.ts';

const BODY_LIMIT = 60 * 1024 * 1024;
const RAW_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

const StartMonth = z.string().refine(isIsoMonth, { message: '保障起始月份格式应为 YYYY-MM' });
const Mapping = z.record(z.string(), z.string().nullable());
const JsonBody = z
  .object({
    fileName: z.string().trim().min(1, '请提供文件名').max(200),
    contentBase64: z.string().min(1, '文件内容为空'),
    mapping: Mapping.optional(),
    startMonth: StartMonth.optional(),
  })
  .strict();
const RawQuery = z
  .object({
    fileName: z.string().max(200).optional(),
    startMonth: StartMonth.optional(),
    /** The mapping as JSON, for raw uploads. */
    mapping: z.string().max(10_000).optional(),
  })
  .strict();

function invalid(path: string, message: string): AppError {
  return new AppError(ErrorCode.VALIDATION, `${path}：${message}`, { field: path });
}

function requestOf(body: unknown, query: z.infer<typeof RawQuery>) {
  if (Buffer.isBuffer(body)) {
    let mapping: RosterImportOptions['mapping'];
    if (query.mapping !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(query.mapping);
      } catch {
        throw invalid('mapping', '列对应关系应为 JSON 对象 {"字段":"表头"}');
      }
      const m = Mapping.safeParse(parsed);
      if (!m.success) throw invalid('mapping', '列对应关系应为 JSON 对象 {"字段":"表头"}');
      mapping = m.data;
    }
    return {
      file: { fileName: query.fileName ?? '花名册.csv', bytes: body },
      options: {
        ...(mapping ? { mapping } : {}),
        ...(query.startMonth ? { startMonth: query.startMonth } : {}),
      },
    };
  }
  const parsed = JsonBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path.join('.') || 'body', issue?.message ?? '请求格式不正确');
  }
  const b64 = parsed.data.contentBase64.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw invalid('contentBase64', '不是有效的 Base64 编码');
  const startMonth = parsed.data.startMonth ?? query.startMonth;
  return {
    file: { fileName: parsed.data.fileName, bytes: Buffer.from(b64, 'base64') },
    options: {
      ...(parsed.data.mapping ? { mapping: parsed.data.mapping } : {}),
      ...(startMonth ? { startMonth } : {}),
    },
  };
}

export function registerRosterRoutes(root: FastifyInstance): void {
  root.register(async (scope) => {
    scope.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['救助对象：花名册导入'];

    app.post(
      '/roster-imports/preview',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary:
            '花名册导入预览（不写入）：列对应关系、户数人数、每一有误的行（行号、列、原因）、将新建的家庭。文件为 JSON { fileName, contentBase64, mapping?, startMonth? } 或原始内容（text/csv、xlsx）',
          querystring: RawQuery,
        },
      },
      async (req) => {
        const { file, options } = requestOf(req.body, req.query);
        return previewRosterImport(app.db, sessionOf(req).actor, file, options);
      },
    );
    app.post(
      '/roster-imports/commit',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary:
            '花名册正式导入：在一个事务中导入全部无误的家庭（有任一行错误的家庭整户不导入并列出原因）；没有可导入的家庭时拒绝',
          querystring: RawQuery,
        },
      },
      async (req) => {
        const { file, options } = requestOf(req.body, req.query);
        const actor = sessionOf(req).actor;
        return app.db.transaction().execute((trx) => commitRosterImport(trx, actor, file, options));
      },
    );
  });
}
