import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookies, sessionOf, setSessionCookies } from '../../http/auth.ts';
import { actorOf, changePassword, login, logout, meOf } from './auth.service.ts';

const LoginBody = z
  .object({
    username: z.string().trim().min(1, '请输入用户名').max(64),
    password: z.string().min(1, '请输入密码').max(256),
  })
  .strict();

const PasswordBody = z
  .object({ oldPassword: z.string().min(1, '请输入原密码').max(256), newPassword: z.string().max(256) })
  .strict();

export function registerAuthRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['登录与会话'];

  app.post(
    '/auth/login',
    { schema: { tags, summary: '登录', body: LoginBody, security: [] } },
    async (req, reply) => {
      const result = await login(app.db, app.config, {
        username: req.body.username,
        password: req.body.password,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      setSessionCookies(reply, app.config.cookieSecure, result.token, result.csrfToken, result.expiresAt);
      const area = await app.db
        .selectFrom('area')
        .select('name')
        .where('code', '=', result.user.area_code)
        .executeTakeFirst();
      return {
        user: meOf(
          { actor: actorOf(result.user), user: result.user, csrfToken: result.csrfToken, tokenHash: '' },
          area?.name ?? null,
        ),
        csrfToken: result.csrfToken,
        expiresAt: result.expiresAt,
      };
    },
  );

  app.post('/auth/logout', { schema: { tags, summary: '退出登录' } }, async (req, reply) => {
    await logout(app.db, sessionOf(req));
    clearSessionCookies(reply);
    return { ok: true };
  });

  app.get('/auth/me', { schema: { tags, summary: '当前用户、角色、辖区与权限' } }, async (req) => {
    const ctx = sessionOf(req);
    const area = await app.db
      .selectFrom('area')
      .select('name')
      .where('code', '=', ctx.user.area_code)
      .executeTakeFirst();
    return { user: meOf(ctx, area?.name ?? null), csrfToken: ctx.csrfToken };
  });

  app.post(
    '/auth/password',
    { schema: { tags, summary: '修改本人密码', body: PasswordBody } },
    async (req) => {
      const ctx = sessionOf(req);
      await app.db.transaction().execute((trx) => changePassword(trx, ctx, req.body));
      return { ok: true };
    },
  );
}
