/**
 * jiuzhu roster import: 花名册导入 from the command line, through the same service as the API.
 * Exit codes: 0 imported (or a clean dry run), 2 a dry run with bad rows, 1 refused or other errors.
 * Bad rows are printed on stderr with their row, column and reason; ID numbers are masked.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { isIsoMonth } from '../domain/calendar/dates.ts';
import { formatYuan } from '../domain/money/money.ts';
import type { BadRow } from '../domain/roster/validate-roster.ts';
import { commitRosterImport, previewRosterImport } from '../modules/roster/roster.service.ts';
import { actorFor } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

const EXIT_BAD_ROWS = 2;

interface Summary {
  counts: {
    rows: number;
    badRows: number;
    households: number;
    goodHouseholds: number;
    badHouseholds: number;
    persons: number;
    enrolments: number;
    monthlyAmountFen: number;
  };
  mapping: Record<string, { header: string; label: string }>;
  unmappedHeaders: string[];
  programs: Record<string, { label: string; enrolments: number; persons: number }>;
  fileProblems: BadRow[];
  badRows: BadRow[];
  badHouseholds: { rows: number[]; headName: string | null }[];
  warnings: string[];
}

function printBadRows(s: Summary): void {
  for (const p of s.fileProblems) process.stderr.write(`  文件：${p.reason}\n`);
  for (const b of s.badRows) {
    process.stderr.write(
      `  第 ${b.row} 行「${b.column}」：${b.reason}${b.value ? `（“${b.value}”）` : ''}\n`,
    );
  }
  if (s.badHouseholds.length > 0) {
    process.stderr.write(`未导入的家庭（有任一行错误的家庭整户不导入）：\n`);
    for (const h of s.badHouseholds) {
      process.stderr.write(`  ${h.headName ?? '（户主不明）'}：第 ${h.rows.join('、')} 行\n`);
    }
  }
}

function printSummary(s: Summary, dryRun: boolean): void {
  const mapped = Object.values(s.mapping)
    .map((m) => `${m.label}←${m.header}`)
    .join('，');
  println(`列对应：${mapped}`);
  if (s.unmappedHeaders.length > 0) println(`未使用的列：${s.unmappedHeaders.join('、')}`);
  const c = s.counts;
  println(
    `${dryRun ? '预览（未写入）' : '已导入'}：共 ${c.rows} 行 ${c.households} 户；${dryRun ? '可导入' : '导入'} ${c.goodHouseholds} 户 ${c.persons} 人，` +
      `有错误 ${c.badHouseholds} 户（${c.badRows} 行）`,
  );
  for (const p of Object.values(s.programs))
    println(`  ${p.label}：${p.enrolments} 条在保记录，${p.persons} 人`);
  if (c.monthlyAmountFen > 0) println(`  名册月保障金合计 ${formatYuan(c.monthlyAmountFen)} 元`);
  for (const w of s.warnings) println(`注意：${w}`);
}

export function registerRoster(program: Command): void {
  const roster = program.command('roster').description('花名册：导入县里已有的救助对象花名册');
  roster
    .command('import')
    .description(
      '导入花名册（xlsx、CSV 或 JSON）：自动识别常见列，可用 --mapping 指定；有错误的家庭整户不导入并列出原因，其余家庭在一个事务中导入',
    )
    .requiredOption('--file <file>', '花名册文件')
    .option(
      '--mapping <file>',
      '列对应关系 JSON 文件：{"字段":"表头"}，如 {"idNumber":"证件号码","town":"所属镇"}',
    )
    .option('--start-month <month>', '保障起始月份 YYYY-MM（名册有保障类别时必填）')
    .option('--dry-run', '只预览：列出有误的行，不写入')
    .requiredOption('--user <username>', '以该用户的身份导入（乡镇用户只能导入本乡镇）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        file: string;
        mapping?: string;
        startMonth?: string;
        dryRun?: boolean;
        user: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          if (opts.startMonth !== undefined && !isIsoMonth(opts.startMonth)) {
            throw new Error(`--start-month 应为 YYYY-MM，实际为 ${opts.startMonth}`);
          }
          let bytes: Buffer;
          try {
            bytes = readFileSync(opts.file);
          } catch (e) {
            throw new Error(`无法读取花名册文件 ${opts.file}：${(e as Error).message}`);
          }
          let mapping: Record<string, string | null> | undefined;
          if (opts.mapping !== undefined) {
            try {
              mapping = JSON.parse(readFileSync(opts.mapping, 'utf8')) as Record<string, string | null>;
            } catch (e) {
              throw new Error(`无法读取列对应关系文件 ${opts.mapping}：${(e as Error).message}`);
            }
            if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
              throw new Error('列对应关系文件应为 JSON 对象 {"字段":"表头"}');
            }
          }
          const file = { fileName: basename(opts.file), bytes };
          const options = {
            ...(mapping ? { mapping } : {}),
            ...(opts.startMonth ? { startMonth: opts.startMonth } : {}),
          };
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            if (opts.dryRun) {
              const r = await previewRosterImport(handle.db, actor, file, options);
              const bad = r.badRows.length + r.fileProblems.length;
              if (opts.json) printJson({ ok: bad === 0, ...r, households: r.households.length });
              else {
                printSummary(r, true);
                if (bad > 0) {
                  process.stderr.write(`有误的行（共 ${bad} 处）：\n`);
                  printBadRows(r);
                }
              }
              if (bad > 0) process.exitCode = EXIT_BAD_ROWS;
              return;
            }
            const r = await handle.db
              .transaction()
              .execute((trx) => commitRosterImport(trx, actor, file, options));
            if (opts.json) printJson({ ok: true, ...r });
            else {
              printSummary(r, false);
              if (r.badRows.length > 0) {
                process.stderr.write(`以下行有误，所在家庭未导入（共 ${r.badRows.length} 处）：\n`);
                printBadRows(r);
              }
            }
          });
        }, opts.json),
    );
}
