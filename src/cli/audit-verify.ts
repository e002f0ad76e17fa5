import type { Command } from 'commander';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
import { withDatabase } from './context.ts';
import { printJson, println, progressReporter, runCommand } from './output.ts';

export function registerAuditVerify(program: Command): void {
  const audit = program.command('audit').description('审计日志');
  audit
    .command('verify')
    .description('校验审计日志哈希链，指出第一条被篡改、删除或插入的记录')
    .option('--json', '以 JSON 输出')
    .action((opts: { json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(
          async (handle) => {
            const progress = progressReporter(!opts.json);
            const report = await verifyAuditChain(handle.db, {
              onProgress: (done, total) => progress.update('校验审计日志', done, total),
            });
            progress.done();
            if (opts.json) printJson(report);
            else if (report.ok) {
              println(
                `审计日志完整：共校验 ${report.entriesChecked} 条记录，${report.chains.length} 条哈希链均未被篡改。`,
              );
            } else {
              const b = report.firstBroken;
              println(`审计日志校验失败！`);
              if (b) {
                println(`第一条异常记录：编号 ${b.id}（链 ${b.chain}，序号 ${b.seq}）`);
                println(`原因：${b.message}`);
              }
            }
            if (!report.ok) process.exitCode = 1;
          },
          { migrate: false },
        );
      }, opts.json),
    );
}
