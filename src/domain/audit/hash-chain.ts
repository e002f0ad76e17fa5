/**
 * Tamper-evident audit chain (DOMAIN §16: losing or altering assistance records is an offence).
 * Each entry's hash covers its content and the previous entry's hash, so editing, deleting or
 * reordering any entry breaks every later link. Pure: no database, no clock.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryContent {
  chain: string;
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  county_code: string | null;
  town_code: string | null;
  before_json: string | null;
  after_json: string | null;
  detail: string | null;
  prev_hash: string;
}

export function computeEntryHash(e: AuditEntryContent): string {
  // A JSON array fixes field order and escapes separators, so no two contents hash alike by concatenation.
  const canonical = JSON.stringify([
    e.chain,
    e.seq,
    e.at,
    e.user_id,
    e.username,
    e.action,
    e.entity_type,
    e.entity_id,
    e.county_code,
    e.town_code,
    e.before_json,
    e.after_json,
    e.detail,
    e.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type ChainBreak =
  | { reason: 'HASH_MISMATCH'; message: string }
  | { reason: 'PREV_HASH_MISMATCH'; message: string }
  | { reason: 'SEQ_GAP'; message: string };

/** Checks one entry against its predecessor's hash and seq; returns null when the link holds. */
export function checkLink(
  entry: AuditEntryContent & { hash: string },
  previous: { seq: number; hash: string },
): ChainBreak | null {
  if (entry.seq !== previous.seq + 1) {
    return {
      reason: 'SEQ_GAP',
      message: `序号不连续：上一条为 ${previous.seq}，本条为 ${entry.seq}（中间的记录被删除或插入）`,
    };
  }
  if (entry.prev_hash !== previous.hash) {
    return {
      reason: 'PREV_HASH_MISMATCH',
      message: '本条记录的“前一条哈希”与上一条记录不符（记录被替换或重排）',
    };
  }
  if (computeEntryHash(entry) !== entry.hash) {
    return { reason: 'HASH_MISMATCH', message: '记录内容与其哈希不符（记录被篡改）' };
  }
  return null;
}

const SECRET_KEYS = new Set([
  'password',
  'password_hash',
  'passwordHash',
  'token',
  'token_hash',
  'csrf_token',
]);

/**
 * Before/after of a change, limited to the fields that changed. Secrets are never written to the log.
 */
export function diffRecords(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const clean = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !SECRET_KEYS.has(k)));
  if (!before || !after) return { before: before && clean(before), after: after && clean(after) };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (SECRET_KEYS.has(key) || key === 'updated_at' || key === 'version') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}
