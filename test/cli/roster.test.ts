/** `jiuzhu roster import`, run as a user would, on both engines. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/domain/payments/csv.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { id, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { breakEnrolmentInserts, brokenRoster, EXPECTED_BAD } from '../helpers/roster-fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

/** Each run starts the CLI (tsx): slow on a loaded machine. */
const SLOW = 120_000;

describe.each(ENGINES)('jiuzhu roster import on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let dir: string;
  let file: string;

  const counts = async () => ({
    household: Number(
      (
        await tdb.db
          .selectFrom('household')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    person: Number(
      (
        await tdb.db
          .selectFrom('person')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await seedFixtures(tdb.db);
    env = { DATABASE_URL: databaseUrlOf(tdb) };
    dir = mkdtempSync(join(tmpdir(), 'jiuzhu-roster-'));
    file = join(dir, '花名册.csv');
    writeFileSync(file, toCsv(brokenRoster()));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tdb?.destroy();
  });

  it(
    'a dry run prints every bad row with its row, column and reason, exits 2 and writes nothing',
    async () => {
      const before = await counts();
      const res = runCli(
        [
          'roster',
          'import',
          '--file',
          file,
          '--start-month',
          '2026-12',
          '--dry-run',
          '--user',
          USERS.admin.username,
        ],
        env,
      );
      expect(res.status, res.stderr).toBe(2);
      expect(res.stdout).toContain('预览（未写入）：共 14 行 9 户；可导入 2 户 4 人，有错误 7 户');
      for (const e of EXPECTED_BAD) {
        expect(res.stderr).toMatch(
          new RegExp(
            `第 ${e.row} 行「${e.column.replace(/[()（）]/g, '.')}」：[^\\n]*${e.reason.replace(/[()（）]/g, '.')}`,
          ),
        );
      }
      expect(res.stderr).not.toContain(id('1940-02-02', 42));
      expect(await counts()).toEqual(before);
    },
    SLOW,
  );

  it(
    'a failure during the import leaves nothing imported',
    async () => {
      const before = await counts();
      const restore = await breakEnrolmentInserts(tdb);
      try {
        const res = runCli(
          ['roster', 'import', '--file', file, '--start-month', '2026-12', '--user', USERS.admin.username],
          env,
        );
        expect(res.status).toBe(1);
      } finally {
        await restore();
      }
      expect(await counts()).toEqual(before);
    },
    SLOW,
  );

  it(
    'imports the good households, with a mapping file, and lists the bad ones',
    async () => {
      const before = await counts();
      const mapping = join(dir, 'mapping.json');
      writeFileSync(mapping, JSON.stringify({ monthlyAmount: null }));
      const res = runCli(
        [
          'roster',
          'import',
          '--file',
          file,
          '--mapping',
          mapping,
          '--start-month',
          '2026-12',
          '--user',
          USERS.admin.username,
        ],
        env,
      );
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toContain('已导入：共 14 行 9 户；导入 2 户 4 人，有错误 7 户');
      expect(res.stdout).not.toContain('月保障金←');
      expect(res.stderr).toContain('未导入的家庭');
      expect(await counts()).toEqual({ household: before.household + 2, person: before.person + 4 });
    },
    SLOW,
  );
});
