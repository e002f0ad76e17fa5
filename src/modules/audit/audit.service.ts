/**
 * The audit log: every change (who, when, what, before → after) and every read of a full personal
 * record, written in the same transaction as the change (DOMAIN §16).
 */
import type { Kysely, Transaction } from 'kysely';
import type { AuditLogRow, Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import {
  type AuditEntryContent,
  checkLink,
  computeEntryHash,
  GENESIS_HASH,
} from '../../domain/audit/hash-chain.ts';

export const INSTALLATION_CHAIN = '000000';

export interface AuditEvent {
  action: string; // e.g. 'household.update', 'person.reveal', 'access.denied', 'auth.login'
  entityType: string;
  entityId?: string | number | null;
  countyCode?: string | null;
  townCode?: string | null;
  before?: unknown;
  after?: unknown;
  detail?: string | null;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * Appends one entry to the county's chain. Pass the transaction of the change being audited so the
 * entry commits or rolls back with it. The UPDATE … RETURNING on the chain head takes a row lock on
 * PostgreSQL, which serialises concurrent writers of one chain across server processes.
 */
export async function appendAudit(
  db: Kysely<Database> | Transaction<Database>,
  actor: (Pick<Actor, 'userId' | 'username' | 'countyCode'> & { areaCode?: string }) | null,
  event: AuditEvent,
  now: Date = new Date(),
): Promise<AuditLogRow> {
  if (!db.isTransaction) {
    return db.transaction().execute((trx) => appendAudit(trx, actor, event, now));
  }
  const chain = event.countyCode ?? actor?.countyCode ?? INSTALLATION_CHAIN;
  await db
    .insertInto('audit_chain_head')
    .values({ chain, last_seq: 0, last_hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
  const head = await db
    .updateTable('audit_chain_head')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('chain', '=', chain)
    .returning(['last_seq', 'last_hash'])
    .executeTakeFirstOrThrow();

  const content: AuditEntryContent = {
    chain,
    seq: head.last_seq,
    at: now.toISOString(),
    user_id: actor?.userId ?? null,
    username: actor?.username ?? null,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
    county_code: event.countyCode ?? actor?.countyCode ?? null,
    // The record's town; for events without a record (logins…), the town the user works for.
    town_code:
      event.townCode !== undefined ? event.townCode : actor?.areaCode?.length === 9 ? actor.areaCode : null,
    before_json: json(event.before),
    after_json: json(event.after),
    detail: event.detail ?? null,
    prev_hash: head.last_hash,
  };
  const hash = computeEntryHash(content);
  const row = await db
    .insertInto('audit_log')
    .values({ ...content, hash })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.updateTable('audit_chain_head').set({ last_hash: hash }).where('chain', '=', chain).execute();
  return row;
}

export interface ChainReport {
  ok: boolean;
  chains: { chain: string; entries: number }[];
  entriesChecked: number;
  firstBroken: null | {
    id: number;
    chain: string;
    seq: number;
    reason: string;
    message: string;
  };
}

/**
 * Walks every chain in seq order, in pages, recomputing each hash. Names the first broken entry.
 * `onProgress` is called after each page with the number of entries checked so far.
 */
export async function verifyAuditChain(
  db: Kysely<Database>,
  options: { pageSize?: number; onProgress?: (checked: number, total: number) => void } = {},
): Promise<ChainReport> {
  const pageSize = options.pageSize ?? 2000;
  const totalRow = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(totalRow.n);
  const heads = await db.selectFrom('audit_chain_head').selectAll().orderBy('chain').execute();
  const chainNames = new Set(heads.map((h) => h.chain));
  const logChains = await db.selectFrom('audit_log').select('chain').distinct().execute();
  for (const c of logChains) chainNames.add(c.chain);

  const report: ChainReport = { ok: true, chains: [], entriesChecked: 0, firstBroken: null };
  for (const chain of [...chainNames].sort()) {
    let previous = { seq: 0, hash: GENESIS_HASH };
    let lastId: number | null = null;
    let count = 0;
    for (;;) {
      const page = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('chain', '=', chain)
        .where('seq', '>', previous.seq)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of page) {
        const broken = checkLink(row, previous);
        if (broken) {
          report.ok = false;
          report.firstBroken = {
            id: row.id,
            chain,
            seq: row.seq,
            reason: broken.reason,
            message: broken.message,
          };
          report.chains.push({ chain, entries: count });
          return report;
        }
        previous = { seq: row.seq, hash: row.hash };
        lastId = row.id;
        count++;
        report.entriesChecked++;
      }
      options.onProgress?.(report.entriesChecked, total);
      if (page.length < pageSize) break;
    }
    // Entries cut off the end of a chain show as a head that is ahead of the last entry.
    const head = heads.find((h) => h.chain === chain);
    if (!head || head.last_seq !== previous.seq || head.last_hash !== previous.hash) {
      report.ok = false;
      report.firstBroken = {
        id: lastId ?? 0,
        chain,
        seq: previous.seq + 1,
        reason: 'TRUNCATED',
        message: `链头记录的最后序号为 ${head?.last_seq ?? '无'}，日志只到 ${previous.seq}（末尾记录被删除）`,
      };
      report.chains.push({ chain, entries: count });
      return report;
    }
    report.chains.push({ chain, entries: count });
  }
  return report;
}
