/**
 * jiuzhu report situation: 落实社会救助政策情况报告 from the command line (the same service as the API). Without
 * --out or --json it prints section 一 (社会救助基本情况), generated from the month's statistics; --out writes the
 * whole report as a Word document (audited); --json prints the report with every figure behind it.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportSituationDocx, situationReport } from '../modules/reports/situation.service.ts';
import { actorFor } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

export function registerReport(program: Command): void {
  const report = program.command('report').description('报告：落实社会救助政策情况报告');
  report
    .command('situation')
    .description('落实社会救助政策情况报告（第一部分由统计生成；--out 写出 Word 文档）')
    .requiredOption('--month <YYYY-MM>', '报告月份（如 2015-09：至9月、1-9月，临时救助至8月底）')
    .option('--out <file.docx>', '写出 Word 文档（记入审计日志）')
    .option('--user <username>', '以该用户的身份（乡镇用户为本乡镇数据；默认系统）')
    .option('--json', '以 JSON 输出（标题、各部分文字和全部数字）')
    .action((opts: { month: string; out?: string; user?: string; json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle, config) => {
          const actor = await actorFor(handle.db, config.countyCode, opts.user);
          if (opts.out) {
            const file = await exportSituationDocx(handle.db, actor, opts.month);
            writeFileSync(opts.out, file.bytes);
            if (opts.json) printJson({ ok: true, file: opts.out, title: file.fileName, report: file.report });
            else println(`已写出 ${opts.out}（${file.fileName.replace(/\.docx$/, '')}）`);
            return;
          }
          const r = await situationReport(handle.db, actor, opts.month);
          if (opts.json) printJson({ ok: true, report: r });
          else println(r.basicSituation);
        });
      }, opts.json),
    );
}
