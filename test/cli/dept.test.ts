/** `jiuzhu dept layout|import|snapshots|sources`, run as a user would, on both engines. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/domain/payments/csv.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { id, seedFixtures } from '../helpers/fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

/** Each run starts the CLI (tsx): slow on a loaded machine. */
const SLOW = 120_000;
const HEADER = ['身份证号码', '姓名', '房屋用途', '不动产权证号', '登记日期'];
const LI = id('1956-03-12', 11);
const PAN = id('1940-02-02', 42);

describe.each(ENGINES)('jiuzhu dept on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await seedFixtures(tdb.db);
    env = { DATABASE_URL: databaseUrlOf(tdb) };
    dir = mkdtempSync(join(tmpdir(), 'jiuzhu-dept-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tdb?.destroy();
  });

  it(
    'shows a layout and writes its template',
    () => {
      const out = join(dir, 'template.xlsx');
      const res = runCli(['dept', 'layout', '--source', 'real_estate', '--out', out], env);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout).toContain('不动产登记（real_estate）数据格式 v1');
      expect(res.stdout).toContain('房屋用途（property_use）必填');
      expect(existsSync(out)).toBe(true);
    },
    SLOW,
  );

  it(
    'prints each problem of a malformed file with its row and exits 2, importing nothing',
    async () => {
      const file = join(dir, 'bad.csv');
      writeFileSync(
        file,
        toCsv([
          HEADER,
          [LI, '李建国', '住宅', '粤(2020)乳源县不动产权第0001号', '2020-01-01'],
          [PAN, '盘桂兰', '别墅', 'X1', '2020-13-01'],
        ]),
      );
      const res = runCli(
        ['dept', 'import', '--source', 'real_estate', '--file', file, '--as-of', '2026-11-01'],
        env,
      );
      expect(res.status).toBe(2);
      expect(res.stderr).toContain('共 2 处问题，现行数据快照不变');
      expect(res.stderr).toContain('第 3 行「房屋用途」');
      expect(res.stderr).toContain('第 3 行「登记日期」');
      const records = await tdb.db.selectFrom('dept_record').selectAll().execute();
      expect(records).toEqual([]);
    },
    SLOW,
  );

  it(
    'imports a file under a user, lists it, and refuses the same file again',
    async () => {
      const file = join(dir, 'real_estate.csv');
      writeFileSync(
        file,
        toCsv([
          HEADER,
          [LI, '李建国', '住宅', '粤(2020)乳源县不动产权第0001号', '2020-01-01'],
          [PAN, '盘桂兰', '商铺', '粤(2021)乳源县不动产权第0002号', ''],
        ]),
      );
      const args = [
        'dept',
        'import',
        '--source',
        'real_estate',
        '--file',
        file,
        '--as-of',
        '2026-11-01',
        '--user',
        'admin',
      ];
      const res = runCli(args, env);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(/已导入「不动产登记」数据快照 \d+：2 条，截至 2026-11-01，现行/);
      const snaps = runCli(['dept', 'snapshots', '--source', 'real_estate', '--json'], env);
      const items = JSON.parse(snaps.stdout).items;
      expect(items.map((s: { status: string; importedBy: string }) => [s.status, s.importedBy])).toEqual([
        ['in_force', 'admin'],
        ['rejected', 'system:cli'],
      ]);
      const records = await tdb.db
        .selectFrom('dept_record')
        .select(['id_number', 'kind'])
        .orderBy('id')
        .execute();
      expect(records).toEqual([
        { id_number: LI, kind: 'residential' },
        { id_number: PAN, kind: 'non_residential' },
      ]);
      const again = runCli(args, env);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('完全相同');
      const sources = runCli(['dept', 'sources'], env);
      expect(sources.stdout).toMatch(
        /real_estate\s+不动产登记\t数据快照\t现行快照 \d+（截至 2026-11-01，2 条）/,
      );
    },
    SLOW,
  );
});
