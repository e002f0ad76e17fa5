/** The audit chain on a real database: appends link up; any hand edit, deletion or truncation is named. */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { appendAudit, verifyAuditChain } from './audit.service.ts';

const actor = { userId: null, username: 'system:test', countyCode: '440232' };

async function dropProtection(tdb: TestDatabase) {
  if (tdb.engine === 'postgres') await sql`drop trigger audit_log_no_update on audit_log`.execute(tdb.db);
  else {
    await sql`drop trigger audit_log_no_update`.execute(tdb.db);
    await sql`drop trigger audit_log_no_delete`.execute(tdb.db);
  }
}

describe.each(ENGINES)('audit chain on %s', (engine) => {
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await createTestDatabase(engine);
    for (let i = 1; i <= 10; i++) {
      await appendAudit(tdb.db, actor, {
        action: 'test.change',
        entityType: 'household',
        entityId: i,
        after: { n: i },
      });
    }
    await appendAudit(tdb.db, null, {
      action: 'auth.login_failed',
      entityType: 'user',
      countyCode: '000000',
    });
  });
  afterEach(async () => {
    await tdb.destroy();
  });

  it('passes when untouched, one chain per county', async () => {
    const report = await verifyAuditChain(tdb.db, { pageSize: 3 });
    expect(report.ok).toBe(true);
    expect(report.entriesChecked).toBe(11);
    expect(report.chains).toEqual([
      { chain: '000000', entries: 1 },
      { chain: '440232', entries: 10 },
    ]);
  });

  it('is append-only for the application', async () => {
    await expect(sql`update audit_log set detail = 'x'`.execute(tdb.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(tdb.db)).rejects.toThrow(/append-only/);
  });

  it('names the entry whose content was changed by hand', async () => {
    await dropProtection(tdb);
    const target = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', 6)
      .where('chain', '=', '440232')
      .executeTakeFirstOrThrow();
    await tdb.db
      .updateTable('audit_log')
      .set({ after_json: '{"n":999}' })
      .where('id', '=', target.id)
      .execute();
    const report = await verifyAuditChain(tdb.db, { pageSize: 4 });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ id: target.id, seq: 6, reason: 'HASH_MISMATCH' });
  });

  it('names the gap where an entry was deleted', async () => {
    await dropProtection(tdb);
    await tdb.db.deleteFrom('audit_log').where('chain', '=', '440232').where('seq', '=', 4).execute();
    const report = await verifyAuditChain(tdb.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: 5, reason: 'SEQ_GAP' });
  });

  it('notices entries cut off the end of a chain', async () => {
    await dropProtection(tdb);
    await tdb.db.deleteFrom('audit_log').where('chain', '=', '440232').where('seq', '>=', 9).execute();
    const report = await verifyAuditChain(tdb.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: 9, reason: 'TRUNCATED' });
  });

  it('rolls the entry back with the change it records', async () => {
    await expect(
      tdb.db.transaction().execute(async (trx) => {
        await appendAudit(trx, actor, { action: 'test.change', entityType: 'household', entityId: 99 });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    const n = await tdb.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(11);
    expect((await verifyAuditChain(tdb.db)).ok).toBe(true);
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAudit(tdb.db, actor, { action: 'test.concurrent', entityType: 'household', entityId: 100 + i }),
      ),
    );
    const report = await verifyAuditChain(tdb.db);
    expect(report.ok).toBe(true);
    expect(report.entriesChecked).toBe(31);
  });
});
