/**
 * jiuzhu bank export|export-one-off|import-return: 社会化发放 from the command line, through the same services as the
 * API. A bank file holds whole account numbers, so every command names the user it is run for (audited).
 * Exit codes: 0 done, 2 a malformed return file (each problem is printed with its row), 1 other errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { isIsoMonth } from '../domain/calendar/dates.ts';
import { formatYuan } from '../domain/money/money.ts';
import { AppError, ErrorCode } from '../modules/errors/app-error.ts';
import { type BankFile, exportBankFile, importBankReturn } from '../modules/payments/bank.service.ts';
import { exportOneOffBankFile, type OneOffSource } from '../modules/payments/one-off-bank.service.ts';
import { actorFor, positiveInt } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

const EXIT_MALFORMED = 2;

function formatOf(value: string | undefined): 'csv' | 'xlsx' | undefined {
  if (value !== undefined && value !== 'csv' && value !== 'xlsx') {
    throw new Error(`--format 应为 csv 或 xlsx，实际为 ${value}`);
  }
  return value;
}

function reportExport(file: BankFile, out: string, json: boolean | undefined) {
  if (json) printJson({ ok: true, batch: file.batch, file: out });
  else {
    println(
      `已导出代发批次 ${file.batch.id}：${file.batch.bankName}，${file.batch.lineCount} 笔，合计 ${formatYuan(file.batch.totalFen)} 元`,
    );
    println(`文件：${out}`);
  }
}

export function registerBank(program: Command): void {
  const bank = program.command('bank').description('社会化发放：银行代发文件与回盘文件');

  bank
    .command('export')
    .description('导出已审批发放名册中某银行尚未导出的代发明细（生成一个代发批次，含完整账号，记入审计日志）')
    .argument('<payrollId>', '发放名册编号')
    .requiredOption('--bank <name>', '开户银行名称，如 广东乳源农村商业银行')
    .option('--format <format>', '文件格式 csv 或 xlsx（默认按该银行的文件格式）')
    .option('--out <file>', '输出文件（默认为批次文件名，写在当前目录）')
    .requiredOption('--user <username>', '以该县级用户的身份导出')
    .option('--json', '以 JSON 输出')
    .action(
      (
        payrollId: string,
        opts: { bank: string; format?: string; out?: string; user: string; json?: boolean },
      ) =>
        runCommand(async () => {
          const format = formatOf(opts.format);
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const file = await handle.db.transaction().execute((trx) =>
              exportBankFile(trx, actor, {
                payrollId: positiveInt(payrollId, '名册编号'),
                bankName: opts.bank,
                ...(format ? { format } : {}),
              }),
            );
            const out = opts.out ?? file.fileName;
            writeFileSync(out, file.bytes);
            reportExport(file, out, opts.json);
          });
        }, opts.json),
    );

  bank
    .command('export-one-off')
    .description(
      '导出一次性发放的代发文件：已审批的节日补贴批次（--batch），或某发放月份不属于批次的临时救助、医疗救助（--pay-month）',
    )
    .option('--batch <id>', '节日补贴批次编号')
    .option('--pay-month <month>', '发放月份 YYYY-MM（审批入账的月份）')
    .requiredOption('--bank <name>', '开户银行名称，如 广东乳源农村商业银行')
    .option('--format <format>', '文件格式 csv 或 xlsx（默认按该银行的文件格式）')
    .option('--out <file>', '输出文件（默认为批次文件名，写在当前目录）')
    .requiredOption('--user <username>', '以该县级用户的身份导出')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        batch?: string;
        payMonth?: string;
        bank: string;
        format?: string;
        out?: string;
        user: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          if ((opts.batch === undefined) === (opts.payMonth === undefined)) {
            throw new Error('请指定 --batch <批次编号> 或 --pay-month <YYYY-MM> 之一');
          }
          let source: OneOffSource;
          if (opts.batch !== undefined) source = { batchId: positiveInt(opts.batch, '批次编号') };
          else {
            const month = opts.payMonth as string;
            if (!isIsoMonth(month)) throw new Error(`--pay-month 应为 YYYY-MM，实际为 ${month}`);
            source = { payMonth: month };
          }
          const format = formatOf(opts.format);
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const file = await handle.db.transaction().execute((trx) =>
              exportOneOffBankFile(trx, actor, {
                source,
                bankName: opts.bank,
                ...(format ? { format } : {}),
              }),
            );
            const out = opts.out ?? file.fileName;
            writeFileSync(out, file.bytes);
            reportExport(file, out, opts.json);
          });
        }, opts.json),
    );

  bank
    .command('import-return')
    .description('导入银行回盘文件（CSV 或 xlsx）：任一行有误则整份不导入；重复导入不作修改')
    .argument('<batchId>', '代发批次编号')
    .requiredOption('--file <file>', '回盘文件')
    .requiredOption('--user <username>', '以该县级用户的身份导入')
    .option('--json', '以 JSON 输出')
    .action((batchId: string, opts: { file: string; user: string; json?: boolean }) =>
      runCommand(async () => {
        let bytes: Buffer;
        try {
          bytes = readFileSync(opts.file);
        } catch (e) {
          throw new Error(`无法读取回盘文件 ${opts.file}：${(e as Error).message}`);
        }
        await withDatabase(async (handle, config) => {
          const actor = await actorFor(handle.db, config.countyCode, opts.user);
          try {
            const r = await handle.db.transaction().execute((trx) =>
              importBankReturn(trx, actor, positiveInt(batchId, '批次编号'), {
                fileName: basename(opts.file),
                bytes,
              }),
            );
            if (opts.json) {
              printJson({ ok: true, ...r });
              return;
            }
            println(r.message);
            println(
              `成功 ${r.paidCount} 笔，失败 ${r.failedCount} 笔${r.awaitingCount > 0 ? `，未回盘 ${r.awaitingCount} 笔` : ''}`,
            );
            for (const f of r.failed) {
              println(`  失败：明细 ${f.lineRef} ${f.holder} ${formatYuan(f.amountFen)} 元 — ${f.reason}`);
            }
          } catch (e) {
            if (!(e instanceof AppError) || e.code !== ErrorCode.VALIDATION) throw e;
            if (opts.json)
              printJson({ ok: false, error: { code: e.code, message: e.message, issues: e.issues } });
            else {
              process.stderr.write(
                `回盘文件未导入：${e.issues.length > 0 ? `共 ${e.issues.length} 处问题` : e.message}\n`,
              );
              for (const i of e.issues) {
                const column = i.field.replace(/^rows\[\d+\]\./, '');
                process.stderr.write(
                  i.row !== undefined ? `  第 ${i.row} 行「${column}」：${i.message}\n` : `  ${i.message}\n`,
                );
              }
            }
            process.exitCode = EXIT_MALFORMED;
          }
        });
      }, opts.json),
    );
}
