import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionOf } from '../../http/auth.ts';
import { addRelative, listStaff, RelativeBody, registerStaff, StaffBody } from './staff.service.ts';

export function registerStaffRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['近亲属备案'];

  app.get(
    '/staff',
    { schema: { tags, summary: '经办人员、村（居）干部及其近亲属（本辖区）' } },
    async (req) => tx().execute((trx) => listStaff(trx, sessionOf(req).actor)),
  );

  app.post(
    '/staff',
    { schema: { tags, summary: '登记经办人员或村（居）干部及其近亲属', body: StaffBody } },
    async (req, reply) => {
      const result = await tx().execute((trx) => registerStaff(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/staff/:id/relatives',
    {
      schema: {
        tags,
        summary: '为备案人员增加近亲属',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: RelativeBody,
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) =>
        addRelative(trx, sessionOf(req).actor, req.params.id, req.body),
      );
      return reply.status(201).send(result);
    },
  );
}
