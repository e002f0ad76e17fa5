import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isRole, ROLES } from '../../domain/access/roles.ts';
import { sessionOf } from '../../http/auth.ts';
import { requirePermission } from '../access/require-permission.ts';
import { listUsers } from './users.repository.ts';
import { createUser, resetPassword, updateUser } from './users.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const CreateBody = z
  .object({
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    areaCode: z.string().regex(/^\d{6}(\d{3})?$/, '辖区代码应为6位（本县）或9位（乡镇）'),
    password: z.string().max(128),
    mustChangePassword: z.boolean().optional(),
  })
  .strict();
const UpdateBody = z
  .object({
    version: z.number().int().positive(),
    displayName: z.string().optional(),
    role: z.string().optional(),
    areaCode: z
      .string()
      .regex(/^\d{6}(\d{3})?$/, '辖区代码应为6位（本县）或9位（乡镇）')
      .optional(),
    disabled: z.boolean().optional(),
    unlock: z.boolean().optional(),
  })
  .strict();

export function registerUserRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['系统管理：用户'];

  app.get('/users', { schema: { tags, summary: '本县用户列表' } }, async (req) => {
    const actor = sessionOf(req).actor;
    requirePermission(actor, 'users.manage');
    return { items: await listUsers(app.db, actor.countyCode) };
  });

  // For choosing an investigation team (DOMAIN §4.6 Art. 16): the staff of the user's own area.
  app.get(
    '/users/colleagues',
    { schema: { tags, summary: '本辖区工作人员（编号、姓名、角色），用于登记调查组' } },
    async (req) => {
      const actor = sessionOf(req).actor;
      requirePermission(actor, 'registry.read');
      const users = await listUsers(app.db, actor.countyCode);
      const town = actor.areaCode.length === 9 ? actor.areaCode : null;
      return {
        items: users
          .filter(
            (u) => !u.disabled && (town === null || u.area_code === town || u.area_code === actor.countyCode),
          )
          .map((u) => ({
            id: u.id,
            displayName: u.display_name,
            role: u.role,
            roleLabel: isRole(u.role) ? ROLES[u.role].label : u.role,
            areaCode: u.area_code,
          })),
      };
    },
  );

  app.post('/users', { schema: { tags, summary: '新建用户', body: CreateBody } }, async (req, reply) => {
    const actor = sessionOf(req).actor;
    requirePermission(actor, 'users.manage');
    const user = await app.db.transaction().execute((trx) => createUser(trx, actor, req.body));
    return reply.status(201).send(user);
  });

  app.patch(
    '/users/:id',
    { schema: { tags, summary: '修改用户（角色、辖区、停用、解锁）', params: IdParam, body: UpdateBody } },
    async (req) => {
      const actor = sessionOf(req).actor;
      requirePermission(actor, 'users.manage');
      return app.db.transaction().execute((trx) => updateUser(trx, actor, req.params.id, req.body));
    },
  );

  app.post(
    '/users/:id/reset-password',
    {
      schema: {
        tags,
        summary: '重置密码（用户下次登录须修改）',
        params: IdParam,
        body: z.object({ newPassword: z.string().max(128) }).strict(),
      },
    },
    async (req) => {
      const actor = sessionOf(req).actor;
      requirePermission(actor, 'users.manage');
      await app.db
        .transaction()
        .execute((trx) => resetPassword(trx, actor, req.params.id, req.body.newPassword));
      return { ok: true };
    },
  );
}
