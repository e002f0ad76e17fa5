/**
 * 核对平台数据源 routes under /api/v1/departments: source settings, layouts and their templates, snapshot
 * imports (a department's file as raw bytes or base64 JSON), snapshots, the query log. Their own plugin scope
 * because a snapshot upload accepts raw CSV, Excel and binary bodies.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIsoDate } from '../../domain/calendar/dates.ts';
import { COLUMN_TYPE_LABELS, layoutOf } from '../../domain/verification/layouts.ts';
import { SOURCE_CODES, SOURCES } from '../../domain/verification/sources.ts';
import { sessionOf } from '../../http/auth.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import {
  exportLayoutTemplate,
  getSnapshot,
  type ImportResult,
  importSnapshot,
  listQueries,
  listSnapshots,
  listSources,
  updateSourceConfig,
} from './departments.service.ts';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: XLSX_MIME,
  json: 'application/json; charset=utf-8',
} as const;
/** A department's batch file: up to 100 MB (a county's bank or hukou file is tens of MB). */
const SNAPSHOT_BODY_LIMIT = 100 * 1024 * 1024;
const RAW_TYPES = ['text/csv', 'text/plain', XLSX_MIME, 'application/octet-stream'];

const SourceParam = z.object({ code: z.string().trim().min(1).max(40) });
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const IsoDate = z.string().refine(isIsoDate, '日期应为 YYYY-MM-DD 格式，如 2026-11-30');
const SnapshotJson = z
  .object({
    fileName: z.string().trim().min(1, '请提供文件名').max(200),
    asOf: IsoDate.optional(),
    contentBase64: z.string().min(1, '文件内容为空'),
  })
  .strict();

function fileOf(
  body: unknown,
  fileName: string | undefined,
  asOf: string | undefined,
): { fileName: string; bytes: Buffer; asOf: string | undefined } {
  if (Buffer.isBuffer(body)) return { fileName: fileName ?? '部门数据', bytes: body, asOf };
  // A JSON department file posted as application/json: the array itself.
  if (Array.isArray(body)) {
    return { fileName: fileName ?? '部门数据.json', bytes: Buffer.from(JSON.stringify(body), 'utf8'), asOf };
  }
  const parsed = SnapshotJson.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      ErrorCode.VALIDATION,
      issue
        ? `${issue.path.join('.') || 'body'}：${issue.message}`
        : '请以 JSON { fileName, asOf, contentBase64 } 或文件原始内容（text/csv、xlsx、JSON 数组）提交部门数据文件',
      { field: issue?.path.join('.') || 'body' },
    );
  }
  const b64 = parsed.data.contentBase64.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new AppError(ErrorCode.VALIDATION, 'contentBase64 不是有效的 Base64 编码', {
      field: 'contentBase64',
    });
  }
  return {
    fileName: parsed.data.fileName,
    bytes: Buffer.from(b64, 'base64'),
    asOf: parsed.data.asOf ?? asOf,
  };
}

export function registerDepartmentRoutes(root: FastifyInstance): void {
  root.register(async (scope) => {
    scope.addContentTypeParser(
      RAW_TYPES,
      { parseAs: 'buffer', bodyLimit: SNAPSHOT_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['核对平台：部门数据'];

    app.get(
      '/departments/sources',
      {
        schema: {
          tags,
          summary: '各部门数据源：接入方式（数据快照或实时接口）、接口设置、熔断状态、现行数据快照',
        },
      },
      async (req) => ({ items: await listSources(app.db, sessionOf(req).actor) }),
    );
    app.put(
      '/departments/sources/:code',
      {
        schema: {
          tags,
          summary: '设置数据源的接入方式与实时接口参数（超时、重试次数、熔断阈值与恢复时间；记入审计日志）',
          params: SourceParam,
          body: z
            .object({
              mode: z.enum(['snapshot', 'connector'], { message: '接入方式应为 snapshot 或 connector' }),
              connectorUrl: z.string().trim().max(500).nullable().optional(),
              timeoutMs: z.number().int().optional(),
              maxRetries: z.number().int().optional(),
              breakerThreshold: z.number().int().optional(),
              breakerCooldownMs: z.number().int().optional(),
            })
            .strict(),
        },
      },
      async (req) => {
        const b = req.body;
        return updateSourceConfig(app.db, sessionOf(req).actor, req.params.code, {
          mode: b.mode,
          ...(b.connectorUrl !== undefined ? { connectorUrl: b.connectorUrl } : {}),
          ...(b.timeoutMs !== undefined ? { timeoutMs: b.timeoutMs } : {}),
          ...(b.maxRetries !== undefined ? { maxRetries: b.maxRetries } : {}),
          ...(b.breakerThreshold !== undefined ? { breakerThreshold: b.breakerThreshold } : {}),
          ...(b.breakerCooldownMs !== undefined ? { breakerCooldownMs: b.breakerCooldownMs } : {}),
        });
      },
    );
    app.get(
      '/departments/layouts',
      { schema: { tags, summary: '各数据源的数据格式（版本、列、必填、类型、代码取值）' } },
      async (req) => {
        sessionOf(req);
        return {
          items: SOURCE_CODES.map((code) => {
            const layout = layoutOf(code);
            return {
              source: code,
              label: SOURCES[code].label,
              department: SOURCES[code].department,
              version: layout.version,
              columns: layout.columns.map((c) => ({
                key: c.key,
                header: c.header,
                required: c.required,
                type: c.type,
                typeLabel: COLUMN_TYPE_LABELS[c.type],
                meaning: c.meaning,
                ...(c.values ? { values: c.values } : {}),
              })),
            };
          }),
        };
      },
    );
    app.get(
      '/departments/layouts/:code/template',
      {
        schema: {
          tags,
          summary: '下载某数据源的数据文件模板（表头和一行示例；xlsx、csv 或 json）',
          params: SourceParam,
          querystring: z
            .object({
              format: z.enum(['xlsx', 'csv', 'json'], { message: '格式应为 xlsx、csv 或 json' }).optional(),
            })
            .strict(),
        },
      },
      async (req, reply) => {
        sessionOf(req);
        const format = req.query.format ?? 'xlsx';
        const bytes = await exportLayoutTemplate(req.params.code, format);
        const name = `${SOURCES[req.params.code as keyof typeof SOURCES]?.label ?? req.params.code}-数据模板-${layoutOf(req.params.code as keyof typeof SOURCES).version}.${format}`;
        return reply
          .header('content-type', MIME[format])
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
          .send(bytes);
      },
    );
    app.post(
      '/departments/sources/:code/snapshots',
      {
        bodyLimit: SNAPSHOT_BODY_LIMIT,
        schema: {
          tags,
          summary:
            '导入部门数据文件为数据快照：JSON { fileName, asOf, contentBase64 }，或文件原始内容（text/csv、xlsx、JSON 数组；文件名和数据截止日期放在 ?fileName=&asOf=）。任一行有误则整份不导入，返回 400 及各行问题，现行快照不变；与现行快照相同的文件不重复导入',
          params: SourceParam,
          querystring: z
            .object({ fileName: z.string().max(200).optional(), asOf: IsoDate.optional() })
            .strict(),
        },
      },
      async (req, reply) => {
        const actor = sessionOf(req).actor;
        const file = fileOf(req.body, req.query.fileName, req.query.asOf);
        if (!file.asOf)
          throw new AppError(ErrorCode.VALIDATION, '请填写数据截止日期（asOf）', { field: 'asOf' });
        const r: ImportResult = await importSnapshot(app.db, actor, {
          sourceCode: req.params.code,
          fileName: file.fileName,
          bytes: file.bytes,
          asOf: file.asOf,
        });
        if (r.status === 'in_force') return r;
        const more = r.errorCount > r.errors.length ? `（仅列出前 ${r.errors.length} 处）` : '';
        return reply.status(400).send({
          error: {
            code: ErrorCode.VALIDATION,
            message: `数据文件未导入：共 ${r.errorCount} 处问题${more}，现行数据快照不变`,
            issues: r.errors.map((e) => ({
              field: e.column,
              row: e.row,
              message: e.value ? `${e.reason}（“${e.value}”）` : e.reason,
            })),
          },
          ...r,
        });
      },
    );
    app.get(
      '/departments/snapshots',
      {
        schema: {
          tags,
          summary: '数据快照（导入记录）：现行、已替换、未导入（含问题数）',
          querystring: z.object({ sourceCode: z.string().max(40).optional() }).strict(),
        },
      },
      async (req) =>
        listSnapshots(app.db, sessionOf(req).actor, {
          ...(req.query.sourceCode ? { sourceCode: req.query.sourceCode } : {}),
        }),
    );
    app.get(
      '/departments/snapshots/:id',
      { schema: { tags, summary: '一个数据快照及其问题清单（未导入时，前 200 处）', params: IdParam } },
      async (req) => getSnapshot(app.db, sessionOf(req).actor, req.params.id),
    );
    app.get(
      '/departments/queries',
      {
        schema: {
          tags,
          summary: '部门数据查询日志：谁、为哪个案件、依据哪份授权书查询了谁的哪类数据（身份证号码脱敏）',
          querystring: z
            .object({
              caseId: z.coerce.number().int().positive().optional(),
              idNumber: z.string().trim().max(18).optional(),
              sourceCode: z.string().max(40).optional(),
              page: z.coerce.number().int().min(1).default(1),
              pageSize: z.coerce.number().int().min(1).max(500).default(50),
            })
            .strict(),
        },
      },
      async (req) => {
        const q = req.query;
        return listQueries(app.db, sessionOf(req).actor, {
          ...(q.caseId !== undefined ? { caseId: q.caseId } : {}),
          ...(q.idNumber ? { idNumber: q.idNumber } : {}),
          ...(q.sourceCode ? { sourceCode: q.sourceCode } : {}),
          page: q.page,
          pageSize: q.pageSize,
        });
      },
    );
  });
}
