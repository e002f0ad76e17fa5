import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../../http/auth.ts';
import { dashboard } from './dashboard.service.ts';

export function registerDashboardRoutes(app: FastifyInstance): void {
  app.get(
    '/dashboard',
    { schema: { tags: ['工作台'], summary: '本辖区各救助项目户数、人数（县级用户含各乡镇）' } },
    async (req) => dashboard(app.db, sessionOf(req).actor),
  );
}
