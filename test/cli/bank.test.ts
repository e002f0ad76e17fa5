/** `jiuzhu bank export` and `jiuzhu bank import-return`, run as a user would, on both engines. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, parseCsv, toCsv } from '../../src/domain/payments/csv.ts';
import { type BankFixtures, PSBC, seedApprovedPayroll } from '../helpers/bank-fixtures.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { seedFixtures } from '../helpers/fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

/** Each run starts the CLI (tsx): slow on a loaded machine. */
const SLOW = 120_000;

describe.each(ENGINES)('jiuzhu bank on %s', (engine) => {
  let tdb: TestDatabase;
  let bf: BankFixtures;
  let env: Record<string, string>;
  let dir: string;
  let batchId: number;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    const fx = await seedFixtures(tdb.db);
    bf = await seedApprovedPayroll(tdb.db, fx);
    env = { DATABASE_URL: databaseUrlOf(tdb) };
    dir = mkdtempSync(join(tmpdir(), 'jiuzhu-bank-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tdb?.destroy();
  });

  it(
    'exports a bank file for a county user',
    () => {
      const out = join(dir, 'psbc.csv');
      const res = runCli(
        [
          'bank',
          'export',
          String(bf.payrollId),
          '--bank',
          PSBC,
          '--format',
          'csv',
          '--out',
          out,
          '--user',
          'admin',
        ],
        env,
      );
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(/已导出代发批次 \d+：中国邮政储蓄银行，1 笔，合计 1,000.00 元/);
      batchId = Number(/代发批次 (\d+)/.exec(res.stdout)?.[1]);
      const rows = parseCsv(decodeText(readFileSync(out)));
      expect(rows[1]?.slice(0, 3)).toEqual([String(bf.line.panBase), '6210987654321098765', '盘桂兰']);
    },
    SLOW,
  );

  it(
    'prints each problem of a bad return with its row and exits 2, changing nothing',
    () => {
      const file = join(dir, 'bad.csv');
      writeFileSync(
        file,
        toCsv([
          ['业务参考号', '收款人账号', '金额（分）', '状态', '备注'],
          [String(bf.line.panBase), '6210987654321098765', '99999', 'S', ''],
        ]),
      );
      const res = runCli(['bank', 'import-return', String(batchId), '--file', file, '--user', 'admin'], env);
      expect(res.status).toBe(2);
      expect(res.stderr).toContain('回盘文件未导入：共 1 处问题');
      expect(res.stderr).toContain('第 2 行「金额（分）」：金额 999.99 元与导出的 1000.00 元不一致');
    },
    SLOW,
  );

  it(
    'imports a return and prints the counts; a second import changes nothing',
    async () => {
      const file = join(dir, 'return.csv');
      writeFileSync(
        file,
        toCsv([
          ['业务参考号', '收款人账号', '金额（分）', '状态', '备注'],
          [String(bf.line.panBase), '6210987654321098765', '100000', 'F', '账户不存在'],
        ]),
      );
      const res = runCli(['bank', 'import-return', String(batchId), '--file', file, '--user', 'admin'], env);
      expect(res.status).toBe(0);
      expect(res.stdout).toContain('成功 0 笔，失败 1 笔');
      expect(res.stdout).toContain('盘桂兰 1,000.00 元 — 账户不存在');
      const again = runCli(
        ['bank', 'import-return', String(batchId), '--file', file, '--user', 'admin'],
        env,
      );
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('已导入');
      const failures = await tdb.db
        .selectFrom('payment_ledger')
        .select('amount_fen')
        .where('entry_kind', '=', 'bank_failure')
        .execute();
      expect(failures.map((f) => f.amount_fen).sort()).toEqual([-50000, -50000]);
    },
    SLOW,
  );
});
