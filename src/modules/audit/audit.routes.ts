import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import { requirePermission } from '../access/require-permission.ts';
import { listAuditEntries } from './audit.repository.ts';
import { verifyAuditChain } from './audit.service.ts';

const Query = z
  .object({
    id: z.coerce.number().int().positive().optional(),
    username: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    entityType: z.string().max(32).optional(),
    entityId: z.string().max(32).optional(),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, '开始日期格式应为 YYYY-MM-DD')
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, '结束日期格式应为 YYYY-MM-DD')
      .optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export function registerAuditRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['系统管理：审计日志'];

  app.get(
    '/audit',
    { schema: { tags, summary: '审计日志查询（本县）', querystring: Query } },
    async (req) => {
      const actor = sessionOf(req).actor;
      requirePermission(actor, 'audit.read');
      return listAuditEntries(app.db, actor.countyCode, req.query);
    },
  );

  app.get('/audit/verify', { schema: { tags, summary: '校验审计日志哈希链' } }, async (req) => {
    requirePermission(sessionOf(req).actor, 'audit.read');
    return verifyAuditChain(app.db);
  });
}
