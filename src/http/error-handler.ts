/**
 * One place maps errors to HTTP. Every error body is JSON: { error: { code, message, field?, issues? } }
 * with a stable code and a message in Chinese. Unknown errors become a 500 with a logged id.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { appendAudit } from '../modules/audit/audit.service.ts';
import { AppError, ErrorCode, type FieldIssue } from '../modules/errors/app-error.ts';
import { sendWebIndex, wantsWebIndex } from './web.ts';

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION:
    case ErrorCode.INVALID_JSON:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.LOGIN_FAILED:
      return 401;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.FORBIDDEN_AREA:
    case ErrorCode.CSRF:
    case ErrorCode.ACCOUNT_DISABLED:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.STALE_VERSION:
    case ErrorCode.CONFLICT:
      return 409;
    case ErrorCode.REFUSED:
      return 422;
    case ErrorCode.ACCOUNT_LOCKED:
      return 423;
    default: {
      const exhaustive: never = code;
      return exhaustive;
    }
  }
}

const LOCATION: Record<string, string> = {
  body: '',
  querystring: '查询参数 ',
  params: '路径参数 ',
  headers: '请求头 ',
};

/** '/members/0/idNumber' → 'members[0].idNumber' */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((s) => s !== '')
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

function send(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  extra: { field?: string; issues?: FieldIssue[] } = {},
) {
  return reply.status(statusOf(code)).send({ error: { code, message, ...extra } });
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    if (wantsWebIndex(req)) return sendWebIndex(reply);
    return send(reply, ErrorCode.NOT_FOUND, `接口不存在：${req.method} ${req.url.split('?')[0]}`);
  });

  app.setErrorHandler(async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      if (err.code === ErrorCode.FORBIDDEN_AREA && err.audit && req.session) {
        // The refusal is itself evidence: record who tried to reach which record (DOMAIN §16).
        await appendAudit(req.server.db, req.session.actor, {
          action: 'access.denied',
          entityType: err.audit.entityType,
          entityId: err.audit.entityId,
          countyCode: err.audit.countyCode ?? req.session.actor.countyCode,
          townCode: err.audit.townCode,
          detail: `试图${err.audit.attempted}辖区外记录：${req.method} ${req.url.split('?')[0]}`,
        }).catch((e: unknown) => req.log.error(e, 'failed to audit access refusal'));
      }
      return send(reply, err.code, err.message, {
        ...(err.field ? { field: err.field } : {}),
        ...(err.issues.length > 0 ? { issues: err.issues } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = LOCATION[err.validationContext ?? 'body'] ?? '';
      const issues = err.validation.map((v) => ({
        field: fieldPath(v.instancePath) || where.trim() || 'body',
        message: v.message ?? '取值不正确',
      }));
      const first = issues[0];
      return send(
        reply,
        ErrorCode.VALIDATION,
        first ? `${where}${first.field}：${first.message}` : '请求参数不正确',
        {
          ...(first ? { field: first.field } : {}),
          issues,
        },
      );
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(
          reply,
          ErrorCode.INVALID_JSON,
          '请求内容不是有效的 JSON，请检查格式（如引号、逗号、括号是否成对）',
        );
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, ErrorCode.INVALID_JSON, '请求内容为空，应为 JSON 对象');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({
          error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型，请使用 application/json' },
        });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send({ error: { code: 'BODY_TOO_LARGE', message: '请求内容过大' } });
    }
    if (isUniqueViolation(err)) {
      return send(
        reply,
        ErrorCode.CONFLICT,
        '记录与已有数据重复（可能他人刚刚登记了相同信息），请刷新后重试',
      );
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply
        .status(err.statusCode)
        .send({ error: { code: 'BAD_REQUEST', message: `请求无效：${err.message}` } });
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'INTERNAL', message: `服务器内部错误，请联系管理员（错误编号 ${req.id}）` },
    });
  });
}
