/** Online backup and checked restore of the embedded SQLite database. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedFixtures } from '../../../test/helpers/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { backupSqlite, checkSqliteFile, restoreSqlite } from './backup.service.ts';

describe('SQLite backup and restore', () => {
  let tdb: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    tdb = await createTestDatabase('sqlite');
    await seedFixtures(tdb.db);
    dir = mkdtempSync(join(tmpdir(), 'jiuzhu-bk-'));
  });
  afterEach(async () => {
    await tdb.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const households = async () =>
    Number(
      (
        await tdb.db
          .selectFrom('household')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('copies a consistent, checked snapshot and restores it, keeping the replaced database aside', async () => {
    const file = join(dir, 'backup.sqlite');
    const result = await backupSqlite(tdb, file);
    expect(result.check).toMatchObject({ ok: true, counts: { households: 2, persons: 4 } });
    // Changes after the backup…
    await tdb.db.deleteFrom('household_area_history').execute();
    await tdb.db.updateTable('household').set({ address: '备份后修改' }).execute();
    // …are undone by the restore.
    const restored = await restoreSqlite(tdb, file);
    expect(existsSync(restored.safetyCopy)).toBe(true);
    const rows = await tdb.db.selectFrom('household').select('address').execute();
    expect(rows.map((r) => r.address)).not.toContain('备份后修改');
    expect(await households()).toBe(2);
    const restoreEntry = await tdb.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'system.restore')
      .execute();
    expect(restoreEntry).toHaveLength(1);
  });

  it('refuses to overwrite an existing backup file', async () => {
    const file = join(dir, 'exists.sqlite');
    writeFileSync(file, 'x');
    await expect(backupSqlite(tdb, file)).rejects.toThrow('已存在');
  });

  it('refuses to restore a file that is not a jiuzhu database, changing nothing', async () => {
    const file = join(dir, 'garbage.sqlite');
    writeFileSync(file, 'this is not a database');
    await expect(restoreSqlite(tdb, file)).rejects.toThrow('未通过校验');
    expect(await households()).toBe(2);
  });

  it('refuses to restore a backup whose audit chain was tampered with', async () => {
    const file = join(dir, 'tampered.sqlite');
    await backupSqlite(tdb, file);
    const copy = await createTestDatabase('sqlite', { migrate: false });
    await copy.close();
    const { openDatabase } = await import('../../db/database.ts');
    const h = openDatabase(`sqlite:${file}`);
    await sql`drop trigger audit_log_no_update`.execute(h.db);
    await sql`update audit_log set detail = 'forged' where seq = 2`.execute(h.db);
    await h.close();
    const check = await checkSqliteFile(file);
    expect(check.ok).toBe(false);
    expect(check.problems.join()).toContain('哈希链');
    await expect(restoreSqlite(tdb, file)).rejects.toThrow('哈希链');
    await copy.destroy();
  });
});
