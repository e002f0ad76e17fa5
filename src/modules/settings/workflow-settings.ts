/**
 * County switches of the workflow (DOMAIN §1, §15): who confirms dibao and 特困 (the county, or the town
 * under delegation) and the largest 临时救助 amount a town may approve. Stored in `setting`; a case
 * copies them into its facts when it is opened, so a later change does not rewrite open cases.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { sessionOf } from '../../http/auth.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';

const PROGRAMS = ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun', 'temporary_aid'] as const;

export const WorkflowSettingsBody = z
  .object({
    delegation: z.partialRecord(
      z.enum(PROGRAMS),
      z.enum(['county', 'town'], { message: '审核确认权限应为 county（县级）或 town（下放乡镇）' }),
    ),
    temporaryAidTownApprovalLimitFen: z.number().int().min(0, '金额不能为负').nullable(),
  })
  .strict();
export type WorkflowSettings = z.infer<typeof WorkflowSettingsBody>;

export async function readWorkflowSettings(
  db: Kysely<Database> | Transaction<Database>,
): Promise<WorkflowSettings> {
  const rows = await db.selectFrom('setting').selectAll().where('key', 'like', 'delegation.%').execute();
  const limit = await db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', 'temporary_aid.town_approval_limit_fen')
    .executeTakeFirst();
  const delegation = Object.fromEntries(
    PROGRAMS.map((p) => [
      p,
      rows.find((r) => r.key === `delegation.${p}`)?.value === 'town' ? 'town' : 'county',
    ]),
  ) as WorkflowSettings['delegation'];
  return { delegation, temporaryAidTownApprovalLimitFen: limit ? Number(limit.value) : null };
}

async function put(trx: Transaction<Database>, key: string, value: string | null) {
  await trx.deleteFrom('setting').where('key', '=', key).execute();
  if (value !== null) await trx.insertInto('setting').values({ key, value }).execute();
}

export async function writeWorkflowSettings(
  trx: Transaction<Database>,
  actor: Actor,
  input: WorkflowSettings,
  now = new Date(),
) {
  requirePermission(actor, 'users.manage');
  const before = await readWorkflowSettings(trx);
  for (const [program, level] of Object.entries(input.delegation))
    await put(trx, `delegation.${program}`, level);
  await put(
    trx,
    'temporary_aid.town_approval_limit_fen',
    input.temporaryAidTownApprovalLimitFen === null ? null : String(input.temporaryAidTownApprovalLimitFen),
  );
  const after = await readWorkflowSettings(trx);
  await appendAudit(
    trx,
    actor,
    { action: 'settings.workflow', entityType: 'setting', entityId: 'workflow', before, after },
    now,
  );
  return after;
}

export function registerWorkflowSettingsRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['系统管理：业务设置'];
  app.get(
    '/settings/workflow',
    { schema: { tags, summary: '审核确认权限是否下放乡镇、乡镇临时救助审批限额' } },
    async (req) => {
      sessionOf(req);
      return readWorkflowSettings(app.db);
    },
  );
  app.put(
    '/settings/workflow',
    { schema: { tags, summary: '修改业务设置（县级管理员）', body: WorkflowSettingsBody } },
    async (req) =>
      app.db.transaction().execute((trx) => writeWorkflowSettings(trx, sessionOf(req).actor, req.body)),
  );
}
