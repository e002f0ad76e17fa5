import type { Command } from 'commander';
import { backupSqlite, restoreSqlite } from '../modules/backup/backup.service.ts';
import { withDatabase } from './context.ts';
import { printJson, println, progressReporter, runCommand } from './output.ts';

export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description('在线备份 SQLite 数据库到文件（服务运行中也可执行；PostgreSQL 请用 pg_dump）')
    .option('--json', '以 JSON 输出')
    .action((file: string, opts: { json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(
          async (handle) => {
            const progress = progressReporter(!opts.json);
            const result = await backupSqlite(handle, file, (done, total) =>
              progress.update('备份', done, total),
            );
            progress.done();
            const { counts, problems } = result.check;
            if (opts.json) printJson({ ok: result.check.ok, ...result });
            else {
              println(`备份完成：${result.file}（${(result.bytes / 1024 / 1024).toFixed(1)} MB）`);
              println(`${counts.households} 户，${counts.persons} 人，审计日志 ${counts.auditEntries} 条`);
              if (result.check.ok) println('校验通过：数据库完整，审计日志哈希链完整');
            }
            if (!result.check.ok) {
              process.stderr.write(`警告：备份已保存，但校验发现问题：${problems.join('；')}\n`);
              process.exitCode = 1;
            }
          },
          { migrate: false },
        );
      }, opts.json),
    );

  program
    .command('restore <file>')
    .description('从备份文件恢复 SQLite 数据库（先校验备份；当前库另存一份；请先停止服务）')
    .option('--yes', '确认覆盖当前数据库')
    .option('--json', '以 JSON 输出')
    .action((file: string, opts: { yes?: boolean; json?: boolean }) =>
      runCommand(async () => {
        if (!opts.yes) throw new Error('恢复会覆盖当前数据库。确认后请加 --yes 重新执行（当前库会另存一份）');
        await withDatabase(
          async (handle) => {
            const result = await restoreSqlite(handle, file);
            if (opts.json) printJson({ ok: true, ...result });
            else {
              println(
                `恢复完成：${result.check.counts.households} 户，${result.check.counts.persons} 人，审计日志 ${result.check.counts.auditEntries} 条`,
              );
              println(`原数据库已另存为：${result.safetyCopy}`);
            }
          },
          { migrate: false },
        );
      }, opts.json),
    );
}
