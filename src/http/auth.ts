/**
 * Authentication and CSRF for /api/v1. The session cookie is httpOnly and SameSite=strict; every
 * state-changing request must also carry the session's CSRF token in the x-csrf-token header.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches, resolveSession } from '../modules/auth/auth.service.ts';
import { AppError, ErrorCode } from '../modules/errors/app-error.ts';

export const SESSION_COOKIE = 'jiuzhu_session';
export const CSRF_COOKIE = 'jiuzhu_csrf';
const PUBLIC = new Set(['/api/v1/auth/login']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installAuth(app: FastifyInstance): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/v1/') || PUBLIC.has(path) || req.routeOptions.url === undefined) return;
    const token = req.cookies[SESSION_COOKIE];
    const ctx = token ? await resolveSession(app.db, app.config, token, req.ip) : null;
    if (!ctx) throw new AppError(ErrorCode.UNAUTHENTICATED, '请先登录（会话不存在或已过期）');
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      if (!csrfMatches(ctx.csrfToken, typeof header === 'string' ? header : undefined)) {
        throw new AppError(ErrorCode.CSRF, '安全校验失败：请求缺少有效的 x-csrf-token，请刷新页面后重试');
      }
    }
    req.session = ctx;
  });
}

export function sessionOf(req: FastifyRequest) {
  if (!req.session) throw new AppError(ErrorCode.UNAUTHENTICATED, '请先登录');
  return req.session;
}

export function setSessionCookies(
  reply: FastifyReply,
  secure: boolean,
  token: string,
  csrfToken: string,
  expiresAt: string,
): void {
  const expires = new Date(expiresAt);
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires });
  // Readable by the web app, which echoes it in x-csrf-token.
  reply.setCookie(CSRF_COOKIE, csrfToken, {
    httpOnly: false,
    sameSite: 'strict',
    secure,
    path: '/',
    expires,
  });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
