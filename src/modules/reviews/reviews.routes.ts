import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import { isoDate } from '../registry/registry.schemas.ts';
import { classifyForReview, dueReviews } from './reviews.service.ts';

export function registerReviewRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['分类复核'];
  app.patch(
    '/enrolments/:id/review-class',
    {
      schema: {
        tags,
        summary: '设定低保户的复核分类，计算下次复核日期',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z
          .object({
            version: z.number().int().positive(),
            reviewClass: z.string(),
            lastReviewOn: isoDate.optional(),
          })
          .strict(),
      },
    },
    async (req) =>
      app.db
        .transaction()
        .execute((trx) => classifyForReview(trx, sessionOf(req).actor, req.params.id, req.body)),
  );
  app.get(
    '/reviews/due',
    {
      schema: {
        tags,
        summary: '到期及逾期的复核（本辖区）',
        querystring: z.object({ withinDays: z.coerce.number().int().min(0).max(366).default(30) }).strict(),
      },
    },
    async (req) => ({
      items: await app.db
        .transaction()
        .execute((trx) => dueReviews(trx, sessionOf(req).actor, req.query.withinDays)),
    }),
  );
}
