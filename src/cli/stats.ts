/**
 * jiuzhu stats month|tables|freeze|verify: 民政统计 from the command line (the same services as the API, DOMAIN §14, §17):
 * a month's indicators per program and town, freezing a closed month (a re-freeze is a correction version),
 * and re-deriving the latest snapshot from the ledger to prove it agrees.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatYuan } from '../domain/money/money.ts';
import { formatLevelYuan, formatWan } from '../domain/statistics/indicators.ts';
import { exportMonthlyTables } from '../modules/statistics/monthly-tables.ts';
import {
  freezeMonth,
  type Indicators,
  latestSnapshot,
  type MonthlyView,
  monthlyStatistics,
  verifySnapshot,
} from '../modules/statistics/statistics.service.ts';
import { actorFor } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

function line(label: string, i: Indicators, grants: boolean): string {
  if (grants) {
    return `${label}：当月 ${i.grantsMonth} 人次，累计 ${i.grantsYtd} 人次，累计支出 ${formatWan(i.spendingYtd.totalFen)} 万元，平均救助水平 ${formatLevelYuan(i.averagePerGrantFen)} 元/人次`;
  }
  const parts = [
    `${label}：${i.households} 户 ${i.persons} 人`,
    `新增 ${i.added.month.households} 户 ${i.added.month.persons} 人（年累计 ${i.added.ytd.households} 户 ${i.added.ytd.persons} 人）`,
    `取消 ${i.removed.month.households} 户 ${i.removed.month.persons} 人（年累计 ${i.removed.ytd.households} 户 ${i.removed.ytd.persons} 人）`,
    `当月支出 ${formatWan(i.spendingMonth.totalFen)} 万元，累计 ${formatWan(i.spendingYtd.totalFen)} 万元（低保金 ${formatWan(i.spendingYtd.dibaoBaseFen)}，分类施保 ${formatWan(i.spendingYtd.dibaoAddonFen)}，价格临时补贴 ${formatWan(i.spendingYtd.priceSubsidyFen)}）`,
    ...(i.ageGroups
      ? [`其中老年人 ${i.ageGroups.elderly}、成年人 ${i.ageGroups.adults}、未成年人 ${i.ageGroups.minors}`]
      : []),
    `累计 ${i.personMonthsYtd} 人次`,
    `当月人均 ${formatLevelYuan(i.levelMonthFen)} 元，累计月人均 ${formatLevelYuan(i.levelYtdFen)} 元`,
  ];
  if (i.topUpLevelMonthFen !== null) parts.push(`补差水平 ${formatLevelYuan(i.topUpLevelMonthFen)} 元`);
  return parts.join('；');
}

function printView(v: MonthlyView): void {
  const src =
    v.source.kind === 'snapshot'
      ? `已冻结第 ${v.source.version} 版（${v.source.frozenBy}，${v.source.frozenAt}）`
      : '由支付台账计算（未冻结）';
  println(`${v.month} 民政统计　${src}`);
  for (const p of v.programs) {
    const grants = p.program === 'medical_aid' || p.program === 'temporary_aid';
    println(line(p.label, p.total, grants));
    for (const m of p.bySupportMode) println(`  ${line(m.label, m.indicators, grants)}`);
    for (const t of p.byTown) println(`  ${line(t.townName, t.indicators, grants)}`);
  }
  const f = v.fundSources.ytd;
  println(
    `资金来源（累计）：中央 ${formatWan(f.central ?? 0)} 万元，省级 ${formatWan(f.provincial ?? 0)} 万元，县级 ${formatWan(f.county ?? 0)} 万元`,
  );
  for (const c of v.campaigns) {
    println(
      `核查 ${c.title}（${c.asOf}）${c.townCode} ${c.program ?? ''}：复核 ${c.populationHouseholds} 户 ${c.populationPersons} 人，问题 ${c.findings} 条，退出 ${c.exitedHouseholds} 户 ${c.exitedPersons} 人${c.recoveryFen ? `，追回 ${formatYuan(c.recoveryFen)} 元` : ''}`,
    );
  }
}

export function registerStats(program: Command): void {
  const stats = program.command('stats').description('民政统计：月度指标、冻结、核验');
  stats
    .command('month')
    .description('某月各救助项目的统计指标（已冻结的月份取最新版）')
    .requiredOption('--month <YYYY-MM>', '统计月份')
    .option('--program <code>', '只看一个项目')
    .option('--town <code>', '只看一个乡镇')
    .option('--live', '不取快照，直接由台账计算')
    .option('--user <username>', '以该用户的身份（默认系统）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        month: string;
        program?: string;
        town?: string;
        live?: boolean;
        user?: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const v = await monthlyStatistics(handle.db, actor, {
              month: opts.month,
              program: opts.program,
              townCode: opts.town,
              live: opts.live,
            });
            if (opts.json) printJson({ ok: true, statistics: v });
            else printView(v);
          });
        }, opts.json),
    );
  stats
    .command('tables')
    .description('民政统计月报（xlsx：资金支出、救助对象、分乡镇）')
    .requiredOption('--month <YYYY-MM>', '统计月份')
    .requiredOption('--out <file.xlsx>', '输出文件')
    .option('--town <code>', '只含一个乡镇')
    .option('--user <username>', '以该用户的身份（默认系统；导出记入审计日志）')
    .option('--json', '以 JSON 输出')
    .action((opts: { month: string; out: string; town?: string; user?: string; json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle, config) => {
          const actor = await actorFor(handle.db, config.countyCode, opts.user);
          const t = await exportMonthlyTables(handle.db, actor, { month: opts.month, townCode: opts.town });
          writeFileSync(opts.out, t.bytes);
          const source =
            t.view.source.kind === 'snapshot' ? `快照第 ${t.view.source.version} 版` : '支付台账';
          if (opts.json) {
            printJson({
              ok: true,
              file: opts.out,
              title: t.fileName,
              bytes: t.bytes.length,
              source: t.view.source,
            });
          } else println(`已写出 ${opts.out}（${t.fileName.replace(/\.xlsx$/, '')}，数据来源：${source}）`);
        });
      }, opts.json),
    );
  stats
    .command('freeze')
    .description('冻结已结束月份的统计（再次冻结生成更正版）')
    .requiredOption('--month <YYYY-MM>', '统计月份')
    .requiredOption('--user <username>', '冻结人（记入快照和审计日志）')
    .option('--note <text>', '说明（如更正原因）')
    .option('--json', '以 JSON 输出')
    .action((opts: { month: string; user: string; note?: string; json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle, config) => {
          const actor = await actorFor(handle.db, config.countyCode, opts.user);
          const s = await handle.db
            .transaction()
            .execute((trx) => freezeMonth(trx, actor, { month: opts.month, note: opts.note }));
          if (opts.json) {
            printJson({ ok: true, snapshot: s });
            return;
          }
          println(
            `已冻结 ${s.month} 第 ${s.version} 版（快照 ${s.id}${s.isCorrection ? `，更正第 ${s.version - 1} 版，变动 ${s.differences.length} 项` : ''}）`,
          );
        });
      }, opts.json),
    );
  stats
    .command('verify')
    .description('由支付台账重新计算某月，与最新版快照核对')
    .requiredOption('--month <YYYY-MM>', '统计月份')
    .option('--user <username>', '以该用户的身份（默认系统）')
    .option('--json', '以 JSON 输出')
    .action((opts: { month: string; user?: string; json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle, config) => {
          const actor = await actorFor(handle.db, config.countyCode, opts.user);
          const snap = await latestSnapshot(handle.db, actor, opts.month);
          if (!snap) throw new Error(`${opts.month} 尚未冻结统计`);
          const r = await verifySnapshot(handle.db, actor, snap.id);
          if (opts.json) printJson({ ok: r.agrees, verification: r });
          else {
            println(r.summary);
            for (const d of r.differences.slice(0, 50))
              println(`  ${d.label}：冻结 ${d.frozen ?? 0}，现 ${d.current ?? 0}`);
            if (r.differences.length > 50) println(`  ……另 ${r.differences.length - 50} 处`);
          }
          if (!r.agrees) process.exitCode = 1;
        });
      }, opts.json),
    );
}
