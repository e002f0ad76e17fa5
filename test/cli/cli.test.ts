/** The command line as an operator uses it: through the bin script, against both engines. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/modules/audit/audit.service.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { seedFixtures } from '../helpers/fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

describe('jiuzhu id check', () => {
  it('reports a valid number with its birth date and sex as JSON', () => {
    const res = runCli(['id', 'check', '11010519491231002X', '--json']);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      valid: true,
      birthDate: '1949-12-31',
      sex: 'F',
      sexLabel: '女',
    });
  });
  it('rejects a wrong check character, naming 校验位, with exit code 1', () => {
    const res = runCli(['id', 'check', '110105194912310021']);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('校验位');
  });
});

describe.each(ENGINES)('jiuzhu CLI on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await seedFixtures(tdb.db);
    for (let i = 0; i < 5; i++) {
      await appendAudit(
        tdb.db,
        { userId: null, username: 'system:test', countyCode: '440232' },
        {
          action: 'test.change',
          entityType: 'household',
          entityId: i,
        },
      );
    }
    env = { DATABASE_URL: databaseUrlOf(tdb) };
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it('migrate reports the database is up to date', () => {
    const res = runCli(['migrate', '--json'], env);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: true, applied: [] });
  });

  it('user add creates a user bound to a town, and refuses a bad role in Chinese', () => {
    const ok = runCli(
      [
        'user',
        'add',
        '--username',
        'cli_clerk',
        '--name',
        '赵敏',
        '--role',
        '乡镇经办人',
        '--area',
        '440232109',
        '--json',
      ],
      env,
    );
    expect(ok.status).toBe(0);
    const body = JSON.parse(ok.stdout);
    expect(body.user).toMatchObject({
      username: 'cli_clerk',
      role: 'town_clerk',
      area_code: '440232109',
      must_change_password: 1,
    });
    expect(body.password).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{12}$/);
    const bad = runCli(['user', 'add', '--username', 'x_user', '--name', '某人', '--role', 'king'], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('未知角色');
  });

  it('audit verify passes untouched and names the entry changed by hand', async () => {
    const clean = runCli(['audit', 'verify', '--json'], env);
    expect(clean.status).toBe(0);
    expect(JSON.parse(clean.stdout).ok).toBe(true);

    if (engine === 'postgres') await sql`drop trigger audit_log_no_update on audit_log`.execute(tdb.db);
    else await sql`drop trigger audit_log_no_update`.execute(tdb.db);
    const victim = await tdb.db
      .selectFrom('audit_log')
      .select(['id', 'chain', 'seq'])
      .where('action', '=', 'test.change')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await tdb.db
      .updateTable('audit_log')
      .set({ username: 'someone-else' })
      .where('id', '=', victim.id)
      .execute();

    const broken = runCli(['audit', 'verify'], env);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`编号 ${victim.id}`);
    expect(broken.stdout).toContain('篡改');
    const json = JSON.parse(runCli(['audit', 'verify', '--json'], env).stdout);
    expect(json.firstBroken).toMatchObject({
      id: victim.id,
      chain: victim.chain,
      seq: victim.seq,
      reason: 'HASH_MISMATCH',
    });
  });

  it('backup works on SQLite and points PostgreSQL users to pg_dump', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiuzhu-backup-'));
    try {
      const res = runCli(['backup', join(dir, 'b.sqlite')], env);
      if (engine === 'sqlite') {
        // The chain was broken by the previous test, so the checked backup is refused.
        expect(res.status).toBe(1);
        expect(res.stderr).toContain('哈希链');
      } else {
        expect(res.status).toBe(1);
        expect(res.stderr).toContain('pg_dump');
        expect(existsSync(join(dir, 'b.sqlite'))).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
