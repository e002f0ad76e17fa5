/**
 * jiuzhu payroll generate|review|approve|show and jiuzhu price-index set: the monthly payroll from the
 * command line (the same services as the API; a long generation shows its progress and can be resumed).
 */
import type { Command } from 'commander';
import { systemActor } from '../domain/access/actor.ts';
import { formatYuan, isDecimalString } from '../domain/money/money.ts';
import { runGeneration } from '../modules/payroll/generate.ts';
import {
  approvePayroll,
  getPayroll,
  reviewPayroll,
  setPriceIndex,
  startPayroll,
} from '../modules/payroll/payroll.service.ts';
import { actorFor, positiveInt } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, progressPrinter, runCommand } from './output.ts';

type PayrollView = Awaited<ReturnType<typeof getPayroll>>;

function printPayroll(p: PayrollView): void {
  println(`发放名册 ${p.id}：${p.programLabel} ${p.payMonth}，${p.statusLabel}`);
  if (p.status === 'generating') println(`  进度 ${p.progress.done}/${p.progress.total}`);
  println(`  明细 ${p.lineCount} 条，合计 ${formatYuan(p.totalFen)} 元`);
  if (p.generatedBy) println(`  生成 ${p.generatedBy}（${p.generatedAt}）`);
  if (p.reviewedBy) println(`  审核 ${p.reviewedBy}（${p.reviewedAt}）`);
  if (p.approvedBy) println(`  审批 ${p.approvedBy}（${p.approvedAt}）`);
  if (p.byTown.length > 0) {
    println('  按乡镇：');
    for (const t of p.byTown) {
      println(
        `    ${t.townName.padEnd(8, '　')} ${String(t.households).padStart(7)} 户/人  ${String(t.lines).padStart(8)} 条  ${formatYuan(t.totalFen).padStart(14)} 元`,
      );
    }
  }
  if (p.byComponent.length > 0) {
    println('  按资金项目：');
    for (const c of p.byComponent) {
      println(
        `    ${`${c.label}（${c.kindLabel}）`.padEnd(14, '　')} ${String(c.lines).padStart(8)} 条  ${formatYuan(c.totalFen).padStart(14)} 元`,
      );
    }
  }
  for (const w of p.warnings) println(`  提示：${w.label} ${w.count} 个`);
}

export function registerPayroll(program: Command): void {
  const payroll = program.command('payroll').description('按月发放名册：生成、审核、审批、查看');
  payroll
    .command('generate')
    .description('生成（或继续生成被中断的）某项目某月的发放名册')
    .requiredOption('--program <code>', '救助项目：urban_dibao、rural_dibao、urban_tekun、rural_tekun')
    .requiredOption('--month <YYYY-MM>', '发放月份')
    .option('--user <username>', '以该用户的身份生成（记入审计日志；默认系统）')
    .option('--regenerate', '删除尚未审批的名册明细，重新生成')
    .option('--chunk <n>', '每批处理的救助对象数', '5000')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        program: string;
        month: string;
        user?: string;
        regenerate?: boolean;
        chunk: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          const chunkSize = Number(opts.chunk);
          if (!Number.isInteger(chunkSize) || chunkSize < 1)
            throw new Error(`--chunk 应为正整数，实际为 ${opts.chunk}`);
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const started = await handle.db.transaction().execute((trx) =>
              startPayroll(trx, actor, {
                programCode: opts.program,
                payMonth: opts.month,
                regenerate: opts.regenerate === true,
              }),
            );
            const id = started.payroll.id;
            if (!opts.json) {
              if (!started.run) println(`发放名册 ${id} 已生成（如需重新生成请加 --regenerate）`);
              else if (started.resumed) println(`继续生成发放名册 ${id}（从中断处接着生成）`);
              else println(`生成发放名册 ${id}`);
            }
            const progress = progressPrinter(!opts.json && started.run, '生成中');
            const t0 = performance.now();
            const result = started.run
              ? await runGeneration(handle.db, id, actor, {
                  chunkSize,
                  onProgress: (done, total) => progress.update(done, total),
                })
              : null;
            progress.done();
            const view = await getPayroll(handle.db, actor, id);
            if (opts.json) {
              printJson({ ok: true, payroll: view, arrearsLines: result?.arrearsLines ?? 0 });
              return;
            }
            if (result) println(`用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒`);
            printPayroll(view);
          });
        }, opts.json),
    );
  for (const [name, label, fn] of [
    ['review', '审核', reviewPayroll],
    ['approve', '审批（记入发放台账并锁定；审批人须不同于生成人和审核人）', approvePayroll],
  ] as const) {
    payroll
      .command(`${name} <id>`)
      .description(`${label}发放名册`)
      .requiredOption('--user <username>', '办理人用户名')
      .option('--json', '以 JSON 输出')
      .action((idText: string, opts: { user: string; json?: boolean }) =>
        runCommand(async () => {
          const id = positiveInt(idText, '名册编号');
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const view = await handle.db.transaction().execute((trx) => fn(trx, actor, id));
            if (opts.json) printJson({ ok: true, payroll: view });
            else printPayroll(view);
          });
        }, opts.json),
      );
  }
  payroll
    .command('show <id>')
    .description('查看发放名册：状态、按乡镇和资金项目的合计')
    .option('--json', '以 JSON 输出')
    .action((idText: string, opts: { json?: boolean }) =>
      runCommand(async () => {
        const id = positiveInt(idText, '名册编号');
        await withDatabase(async (handle, config) => {
          const view = await getPayroll(handle.db, systemActor(config.countyCode, 'cli'), id);
          if (opts.json) printJson({ ok: true, payroll: view });
          else printPayroll(view);
        });
      }, opts.json),
    );

  const priceIndex = program.command('price-index').description('价格指数（价格临时补贴联动机制）');
  priceIndex
    .command('set <month>')
    .description('录入或更正某月的 CPI 和食品价格同比涨幅（百分数）')
    .option('--cpi <percent>', 'CPI 同比涨幅，如 1.6')
    .option('--food <percent>', '食品价格同比涨幅，如 2.3')
    .option('--published <date>', '发布日期 YYYY-MM-DD')
    .option('--source <text>', '来源')
    .option('--user <username>', '以该用户的身份录入（默认系统）')
    .option('--json', '以 JSON 输出')
    .action(
      (
        month: string,
        opts: {
          cpi?: string;
          food?: string;
          published?: string;
          source?: string;
          user?: string;
          json?: boolean;
        },
      ) =>
        runCommand(async () => {
          for (const [flag, v] of [
            ['--cpi', opts.cpi],
            ['--food', opts.food],
          ] as const) {
            if (v !== undefined && !isDecimalString(v))
              throw new Error(`${flag} 应为小数，如 1.6，实际为 ${v}`);
          }
          if (opts.cpi === undefined && opts.food === undefined)
            throw new Error('请至少填写 --cpi 或 --food');
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const saved = await handle.db.transaction().execute((trx) =>
              setPriceIndex(trx, actor, month, {
                cpiYoY: opts.cpi ?? null,
                foodYoY: opts.food ?? null,
                publishedOn: opts.published ?? null,
                source: opts.source ?? null,
              }),
            );
            if (opts.json) printJson({ ok: true, priceIndex: saved });
            else {
              println(
                `已录入 ${month} 价格指数：CPI 同比 ${saved.cpiYoY ?? '—'}%，食品价格同比 ${saved.foodYoY ?? '—'}%`,
              );
              if (saved.recalculation.length > 0)
                println(`已发放月份的价格临时补贴将在下月名册中重算：${saved.recalculation.join('、')}`);
            }
          });
        }, opts.json),
    );
}
