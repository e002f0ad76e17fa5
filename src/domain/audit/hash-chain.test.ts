import { describe, expect, it } from 'vitest';
import {
  type AuditEntryContent,
  checkLink,
  computeEntryHash,
  diffRecords,
  GENESIS_HASH,
} from './hash-chain.ts';

const entry = (seq: number, prev: string, detail = 'x'): AuditEntryContent & { hash: string } => {
  const content: AuditEntryContent = {
    chain: '440232',
    seq,
    at: '2026-11-28T00:00:00.000Z',
    user_id: 1,
    username: 'u',
    action: 'household.update',
    entity_type: 'household',
    entity_id: '7',
    county_code: '440232',
    town_code: '440232100',
    before_json: '{"a":1}',
    after_json: '{"a":2}',
    detail,
    prev_hash: prev,
  };
  return { ...content, hash: computeEntryHash(content) };
};

describe('audit hash chain', () => {
  const first = entry(1, GENESIS_HASH);
  const second = entry(2, first.hash);

  it('links an entry to its predecessor', () => {
    expect(checkLink(first, { seq: 0, hash: GENESIS_HASH })).toBeNull();
    expect(checkLink(second, { seq: 1, hash: first.hash })).toBeNull();
  });
  it('detects a changed field', () => {
    expect(checkLink({ ...second, detail: 'y' }, { seq: 1, hash: first.hash })?.reason).toBe('HASH_MISMATCH');
  });
  it('detects a replaced predecessor', () => {
    expect(checkLink(second, { seq: 1, hash: entry(1, GENESIS_HASH, 'other').hash })?.reason).toBe(
      'PREV_HASH_MISMATCH',
    );
  });
  it('detects a missing entry', () => {
    expect(checkLink(entry(3, first.hash), { seq: 1, hash: first.hash })?.reason).toBe('SEQ_GAP');
  });
  it('does not let field boundaries shift without changing the hash', () => {
    const a = entry(1, GENESIS_HASH, 'ab');
    const b = { ...a, username: 'ua', detail: 'b' };
    expect(computeEntryHash(a)).not.toBe(computeEntryHash(b));
  });
});

describe('diffRecords', () => {
  it('keeps only changed fields and never logs secrets', () => {
    const diff = diffRecords(
      { name: '李', address: 'A', version: 1, password_hash: 'h1', updated_at: 't1' },
      { name: '李', address: 'B', version: 2, password_hash: 'h2', updated_at: 't2' },
    );
    expect(diff).toEqual({ before: { address: 'A' }, after: { address: 'B' } });
  });
  it('logs a whole record on create, without secrets', () => {
    expect(diffRecords(null, { username: 'u', password_hash: 'h' })).toEqual({
      before: null,
      after: { username: 'u' },
    });
  });
});
