import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { printJson, println, runCommand } from './output.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('执行数据库迁移（建表、升级表结构）')
    .option('--json', '以 JSON 输出')
    .action((opts: { json?: boolean }) =>
      runCommand(async () => {
        const config = loadConfig();
        const handle = openDatabase(config.databaseUrl);
        try {
          const applied = await migrateToLatest(handle.db);
          if (opts.json) printJson({ ok: true, database: handle.location, applied });
          else if (applied.length === 0) println(`数据库已是最新结构（${handle.location}）`);
          else
            println(
              `已执行 ${applied.length} 个迁移（${handle.location}）：\n${applied.map((a) => `  ${a}`).join('\n')}`,
            );
        } finally {
          await handle.close();
        }
      }, opts.json),
    );
}
