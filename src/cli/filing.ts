/**
 * jiuzhu filing record-form|roster|public-notice: the 备案表, 花名册 and 公示名单 workbooks from the command line
 * (the same services as the API: masked personal data, town scope of --user, an audit entry per export).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatYuan } from '../domain/money/money.ts';
import {
  exportPublicNotice,
  exportRecordForm,
  exportRoster,
  type FilingFile,
} from '../modules/filings/filings.service.ts';
import { actorFor } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

function report(file: FilingFile, out: string, json: boolean | undefined): void {
  if (json) {
    printJson({
      ok: true,
      file: out,
      title: file.title,
      unit: file.unitLabel,
      bytes: file.bytes.length,
      towns: file.towns,
    });
    return;
  }
  println(`已写出 ${out}（${file.title}）`);
  for (const t of file.towns) {
    println(
      `  ${t.townName}：${t.units} ${file.unitLabel}，${t.persons} 人，月保障金合计 ${formatYuan(t.monthlyAmountFen)} 元`,
    );
  }
}

export function registerFiling(program: Command): void {
  const filing = program.command('filing').description('备案与公示：备案表、花名册、公示名单（xlsx）');
  filing
    .command('record-form')
    .description('低保 / 特困（五保）对象信息备案表（不指定乡镇时每个乡镇一张表）')
    .requiredOption('--out <file.xlsx>', '输出文件')
    .option('--program <dibao|tekun>', '救助项目', 'dibao')
    .option('--town <code>', '乡镇区划代码（9 位）')
    .option('--as-of <YYYY-MM-DD>', '截至日期（默认今天）')
    .option('--user <username>', '以该用户的身份（默认系统；导出记入审计日志）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: { out: string; program: string; town?: string; asOf?: string; user?: string; json?: boolean }) =>
        runCommand(async () => {
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const file = await exportRecordForm(handle.db, actor, {
              program: opts.program,
              townCode: opts.town,
              asOf: opts.asOf,
            });
            writeFileSync(opts.out, file.bytes);
            report(file, opts.out, opts.json);
          });
        }, opts.json),
    );
  filing
    .command('roster')
    .description('花名册：在保低保、特困对象，每位家庭成员一行（不指定乡镇时每个乡镇一张表）')
    .requiredOption('--out <file.xlsx>', '输出文件')
    .option('--town <code>', '乡镇区划代码（9 位）')
    .option('--as-of <YYYY-MM-DD>', '截至日期（默认今天）')
    .option('--user <username>', '以该用户的身份（默认系统；导出记入审计日志）')
    .option('--json', '以 JSON 输出')
    .action((opts: { out: string; town?: string; asOf?: string; user?: string; json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle, config) => {
          const actor = await actorFor(handle.db, config.countyCode, opts.user);
          const file = await exportRoster(handle.db, actor, { townCode: opts.town, asOf: opts.asOf });
          writeFileSync(opts.out, file.bytes);
          report(file, opts.out, opts.json);
        });
      }, opts.json),
    );
  filing
    .command('public-notice')
    .description('公示名单：某村（居）某月的低保（或特困）对象，姓名部分隐去，不含身份证号码和银行账号')
    .requiredOption('--village <code>', '村（居）区划代码（12 位）')
    .requiredOption('--month <YYYY-MM>', '公示月份')
    .requiredOption('--out <file.xlsx>', '输出文件')
    .option('--program <dibao|tekun>', '救助项目', 'dibao')
    .option('--user <username>', '以该用户的身份（默认系统；导出记入审计日志）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        village: string;
        month: string;
        out: string;
        program: string;
        user?: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const file = await exportPublicNotice(handle.db, actor, {
              villageCode: opts.village,
              month: opts.month,
              program: opts.program,
            });
            writeFileSync(opts.out, file.bytes);
            report(file, opts.out, opts.json);
          });
        }, opts.json),
    );
}
