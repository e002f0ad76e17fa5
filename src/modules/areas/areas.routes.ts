import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';

const Query = z
  .object({
    parent: z
      .string()
      .regex(/^\d{2,9}$/, '上级区划代码应为2–9位数字')
      .optional(),
  })
  .strict();

export function registerAreaRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/areas',
    { schema: { tags: ['区划'], summary: '下级区划（默认本县的乡镇）', querystring: Query } },
    async (req) => {
      const actor = sessionOf(req).actor;
      const parent = req.query.parent ?? actor.countyCode;
      const rows = await app.db
        .selectFrom('area')
        .select(['code', 'name', 'level', 'parent_code'])
        .where('parent_code', '=', parent)
        .orderBy('sort_order')
        .orderBy('code')
        .execute();
      return {
        parent,
        items: rows.map((r) => ({
          code: r.code,
          name: r.name,
          level: r.level,
          parentCode: r.parent_code,
          // Lets the UI grey out what the user cannot choose; the server enforces it regardless.
          inScope:
            actor.areaCode.length <= r.code.length
              ? r.code.startsWith(actor.areaCode)
              : actor.areaCode.startsWith(r.code),
        })),
      };
    },
  );
}
