import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface AuditFilter {
  id?: number | undefined;
  username?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

/** Entries of one county's chain (plus installation-wide entries), newest first. */
export async function listAuditEntries(db: Kysely<Database>, countyCode: string, f: AuditFilter) {
  let q = db.selectFrom('audit_log').where('chain', 'in', [countyCode, '000000']);
  if (f.id) q = q.where('id', '=', f.id);
  if (f.username) q = q.where('username', '=', f.username);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  // Timestamps are UTC ISO strings; the filter dates are China dates (UTC+8).
  if (f.from) q = q.where('at', '>=', new Date(`${f.from}T00:00:00+08:00`).toISOString());
  if (f.to)
    q = q.where('at', '<', new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString());
  const [count, items] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q
      .selectAll()
      .orderBy('id', 'desc')
      .offset((f.page - 1) * f.pageSize)
      .limit(f.pageSize)
      .execute(),
  ]);
  return { total: Number(count.n), page: f.page, pageSize: f.pageSize, items };
}
