/**
 * jiuzhu dept sources|import|snapshots|layout: 核对平台 department data from the command line, through the same
 * services as the API. Imports are audited under the user named with --user (default: the system).
 * Exit codes: 0 done, 2 a malformed file (each problem is printed with its row and column), 1 other errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { systemActor } from '../domain/access/actor.ts';
import { isIsoDate } from '../domain/calendar/dates.ts';
import { COLUMN_TYPE_LABELS, layoutOf } from '../domain/verification/layouts.ts';
import { isSourceCode, SOURCE_CODES, SOURCES } from '../domain/verification/sources.ts';
import {
  exportLayoutTemplate,
  importSnapshot,
  listSnapshots,
  listSources,
} from '../modules/departments/departments.service.ts';
import { actorFor } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

const EXIT_MALFORMED = 2;

const STATUS_LABELS: Record<string, string> = {
  loading: '导入中',
  in_force: '现行',
  superseded: '已替换',
  rejected: '未导入',
};

function sourceArg(value: string): string {
  if (!isSourceCode(value)) {
    throw new Error(`--source 应为以下之一：${SOURCE_CODES.join(', ')}（实际为 ${value}）`);
  }
  return value;
}

export function registerDept(program: Command): void {
  const dept = program.command('dept').description('核对平台：部门数据源、数据快照导入、数据格式');

  dept
    .command('sources')
    .description('列出各部门数据源：接入方式、接口地址、熔断状态、现行数据快照')
    .option('--json', '以 JSON 输出')
    .action((opts: { json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle, config) => {
          const items = await listSources(handle.db, systemActor(config.countyCode, 'cli'));
          if (opts.json) {
            printJson({ ok: true, items });
            return;
          }
          for (const s of items) {
            const mode = s.mode === 'connector' ? `实时接口 ${s.connectorUrl ?? ''}` : '数据快照';
            const snap = s.inForce
              ? `现行快照 ${s.inForce.id}（截至 ${s.inForce.asOf}，${s.inForce.rowCount} 条）`
              : '无现行快照';
            println(`${s.code.padEnd(22)}${s.label}\t${mode}\t${snap}`);
          }
        });
      }, opts.json),
    );

  dept
    .command('import')
    .description('导入部门数据文件（CSV、xlsx 或 JSON）为数据快照：任一行有误则整份不导入，现行快照不变')
    .requiredOption('--source <code>', '数据源代码，如 hukou、real_estate（见 jiuzhu dept sources）')
    .requiredOption('--file <file>', '数据文件')
    .requiredOption('--as-of <date>', '数据截止日期 YYYY-MM-DD')
    .option('--user <username>', '以该县级用户的身份导入（默认：系统）')
    .option('--json', '以 JSON 输出')
    .action((opts: { source: string; file: string; asOf: string; user?: string; json?: boolean }) =>
      runCommand(async () => {
        const source = sourceArg(opts.source);
        if (!isIsoDate(opts.asOf)) throw new Error(`--as-of 应为 YYYY-MM-DD，实际为 ${opts.asOf}`);
        let bytes: Buffer;
        try {
          bytes = readFileSync(opts.file);
        } catch (e) {
          throw new Error(`无法读取数据文件 ${opts.file}：${(e as Error).message}`);
        }
        await withDatabase(async (handle, config) => {
          const actor = await actorFor(handle.db, config.countyCode, opts.user);
          const r = await importSnapshot(handle.db, actor, {
            sourceCode: source,
            fileName: basename(opts.file),
            bytes,
            asOf: opts.asOf,
          });
          if (opts.json) printJson({ ok: r.status === 'in_force', ...r });
          else if (r.status === 'in_force') {
            println(
              `已导入「${SOURCES[source as keyof typeof SOURCES].label}」数据快照 ${r.snapshotId}：${r.rowCount} 条，截至 ${opts.asOf}，现行`,
            );
          } else {
            process.stderr.write(
              `数据文件未导入（导入记录 ${r.snapshotId}）：共 ${r.errorCount} 处问题，现行数据快照不变\n`,
            );
            for (const e of r.errors) {
              const where = e.row > 0 ? `第 ${e.row} 行` : '文件';
              process.stderr.write(
                `  ${where}${e.column ? `「${e.column}」` : ''}：${e.reason}${e.value ? `（“${e.value}”）` : ''}\n`,
              );
            }
          }
          if (r.status === 'rejected') process.exitCode = EXIT_MALFORMED;
        });
      }, opts.json),
    );

  dept
    .command('snapshots')
    .description('列出数据快照（导入记录）')
    .option('--source <code>', '只列出该数据源')
    .option('--json', '以 JSON 输出')
    .action((opts: { source?: string; json?: boolean }) =>
      runCommand(async () => {
        const source = opts.source === undefined ? undefined : sourceArg(opts.source);
        await withDatabase(async (handle, config) => {
          const { items } = await listSnapshots(handle.db, systemActor(config.countyCode, 'cli'), {
            ...(source ? { sourceCode: source } : {}),
          });
          if (opts.json) {
            printJson({ ok: true, items });
            return;
          }
          if (items.length === 0) println('（没有数据快照）');
          for (const s of items) {
            println(
              `${String(s.id).padStart(5)}  ${s.sourceLabel}\t${STATUS_LABELS[s.status] ?? s.status}\t截至 ${s.asOf}\t${s.rowCount} 条${s.errorCount > 0 ? `，${s.errorCount} 处问题` : ''}\t${s.fileName}\t${s.importedBy} ${s.importedAt}`,
            );
          }
        });
      }, opts.json),
    );

  dept
    .command('layout')
    .description('显示某数据源的数据格式；--out 写出数据文件模板（表头和一行示例）')
    .requiredOption('--source <code>', '数据源代码')
    .option('--out <file>', '写出模板文件（扩展名 .xlsx、.csv 或 .json 决定格式）')
    .option('--json', '以 JSON 输出')
    .action((opts: { source: string; out?: string; json?: boolean }) =>
      runCommand(async () => {
        const source = sourceArg(opts.source) as keyof typeof SOURCES;
        const layout = layoutOf(source);
        if (opts.out) {
          const ext = /\.(xlsx|csv|json)$/i.exec(opts.out)?.[1]?.toLowerCase() as
            | 'xlsx'
            | 'csv'
            | 'json'
            | undefined;
          if (!ext) throw new Error('--out 的扩展名应为 .xlsx、.csv 或 .json');
          writeFileSync(opts.out, await exportLayoutTemplate(source, ext));
        }
        if (opts.json) {
          printJson({
            ok: true,
            label: SOURCES[source].label,
            ...layout,
            ...(opts.out ? { file: opts.out } : {}),
          });
          return;
        }
        println(
          `${SOURCES[source].label}（${source}）数据格式 ${layout.version}，提供部门：${SOURCES[source].department}`,
        );
        for (const c of layout.columns) {
          const values = c.values ? `：${Object.keys(c.values).join('、')}` : '';
          println(
            `  ${c.header}（${c.key}）${c.required ? '必填' : '选填'}，${COLUMN_TYPE_LABELS[c.type]}${values} — ${c.meaning}`,
          );
        }
        if (opts.out) println(`模板已写出：${opts.out}`);
      }, opts.json),
    );
}
