/**
 * jiuzhu campaign rules|run|summary: 核查 from the command line (the same services as the API): list the rules,
 * create and run a campaign over programs × towns at a date with progress per rule, print the summary.
 */
import type { Command } from 'commander';
import { systemActor } from '../domain/access/actor.ts';
import { formatYuan } from '../domain/money/money.ts';
import {
  campaignSummary,
  createCampaign,
  listRules,
  runCampaign,
} from '../modules/campaigns/campaigns.service.ts';
import { actorFor } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

type Summary = Awaited<ReturnType<typeof campaignSummary>>;

function printSummary(s: Summary): void {
  println(`核查 ${s.campaignId}：${s.title}（基准日 ${s.asOf}）`);
  for (const line of s.lines) println(`  ${line}`);
  if (s.rows.length > 0) {
    println('  按乡镇、项目：');
    for (const r of s.rows) {
      println(
        `    ${r.townName}　${r.programLabel}：${r.households} 户 ${r.persons} 人，问题 ${r.findings} 条，已复核 ${r.reviewed}，退出 ${r.exitedHouseholds} 户 ${r.exitedPersons} 人${r.recoveryFen > 0 ? `，追回 ${formatYuan(r.recoveryFen)} 元` : ''}`,
      );
    }
  }
}

export function registerCampaign(program: Command): void {
  const campaign = program.command('campaign').description('核查：规则、运行、汇总');
  campaign
    .command('rules')
    .description('列出本县的核查规则（首次使用时建立默认规则）')
    .option('--json', '以 JSON 输出')
    .action((opts: { json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle, config) => {
          const actor = systemActor(config.countyCode, 'cli');
          const rules = await handle.db.transaction().execute((trx) => listRules(trx, actor));
          if (opts.json) {
            printJson({ ok: true, rules: rules.items });
            return;
          }
          for (const r of rules.items) {
            println(
              `${r.code.padEnd(24)} ${r.categoryLabel}  ${r.label}${r.enabled ? '' : '（已停用）'}  ${JSON.stringify(r.params)}`,
            );
          }
        });
      }, opts.json),
    );
  campaign
    .command('run')
    .description('新建并运行一次核查')
    .requiredOption('--title <title>', '核查名称')
    .option('--program <code>', '项目（可重复或用逗号分隔；默认城乡低保和特困）', collect)
    .option('--town <code>', '乡镇区划代码（可重复；默认全县）', collect)
    .option('--rule <code>', '规则代码（可重复；默认全部启用规则）', collect)
    .option('--as-of <date>', '核查基准日 YYYY-MM-DD（默认今天）')
    .option('--due-days <n>', '乡镇复核期限（天）', '30')
    .option('--user <username>', '以该用户的身份运行（记入审计日志；默认系统）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        title: string;
        program?: string[];
        town?: string[];
        rule?: string[];
        asOf?: string;
        dueDays: string;
        user?: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          const dueDays = Number(opts.dueDays);
          if (!Number.isInteger(dueDays) || dueDays < 1)
            throw new Error(`--due-days 应为正整数，实际为 ${opts.dueDays}`);
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const created = await handle.db.transaction().execute((trx) =>
              createCampaign(trx, actor, {
                title: opts.title,
                ...(opts.program ? { programCodes: opts.program } : {}),
                ...(opts.town ? { townCodes: opts.town } : {}),
                ...(opts.rule ? { ruleCodes: opts.rule } : {}),
                ...(opts.asOf ? { asOf: opts.asOf } : {}),
                reviewDueDays: dueDays,
              }),
            );
            if (!opts.json)
              println(
                `核查 ${created.id}：${created.title}，基准日 ${created.asOf}，规则 ${created.ruleCodes.length} 条`,
              );
            const t0 = performance.now();
            const done = await runCampaign(handle.db, actor, created.id, new Date(), {
              onProgress: (n, total, label) => {
                if (!opts.json) println(`  [${n}/${total}] ${label}`);
              },
            });
            const s = await campaignSummary(handle.db, actor, created.id);
            if (opts.json) {
              printJson({ ok: true, campaign: done, summary: s });
              return;
            }
            println(
              `用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒，发现问题 ${done.findingCount} 条`,
            );
            for (const r of done.rules ?? []) {
              println(`  ${r.label}：${r.findings ?? 0} 条${r.note ? `（${r.note}）` : ''}`);
            }
            printSummary(s);
          });
        }, opts.json),
    );
  campaign
    .command('summary')
    .description('核查汇总（按乡镇、项目）和文字说明')
    .requiredOption('--id <n>', '核查编号')
    .option('--json', '以 JSON 输出')
    .action((opts: { id: string; json?: boolean }) =>
      runCommand(async () => {
        const id = Number(opts.id);
        if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`核查编号应为正整数，实际为 ${opts.id}`);
        await withDatabase(async (handle, config) => {
          const s = await campaignSummary(handle.db, systemActor(config.countyCode, 'cli'), id);
          if (opts.json) printJson({ ok: true, summary: s });
          else printSummary(s);
        });
      }, opts.json),
    );
}
