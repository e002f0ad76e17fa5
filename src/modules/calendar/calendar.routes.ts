import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import { CalendarYearBody, listYear, replaceYear } from './calendar.service.ts';

const Year = z.object({
  year: z.coerce.number().int().min(2000, '年份应在2000–2100之间').max(2100, '年份应在2000–2100之间'),
});

export function registerCalendarRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['系统管理：节假日'];
  app.get(
    '/calendar/:year',
    { schema: { tags, summary: '某年的法定节假日和调休上班日', params: Year } },
    async (req) => {
      sessionOf(req);
      return { year: req.params.year, days: await listYear(app.db, req.params.year) };
    },
  );
  app.put(
    '/calendar/:year',
    { schema: { tags, summary: '替换某年的节假日安排（县级管理员）', params: Year, body: CalendarYearBody } },
    async (req) => {
      const actor = sessionOf(req).actor;
      const days = await app.db
        .transaction()
        .execute((trx) => replaceYear(trx, actor, req.params.year, req.body.days));
      return { year: req.params.year, days };
    },
  );
}
