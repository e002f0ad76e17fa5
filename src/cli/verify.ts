/**
 * jiuzhu verify case|recheck|report: 家庭经济状况核对 from the command line (the same services as the API). A
 * re-check batch shows its progress and can be resumed after an interruption (--resume).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../domain/access/actor.ts';
import type { Declaration } from '../domain/verification/report.ts';
import {
  type BatchView,
  DEFAULT_BATCH_CHUNK,
  runRecheckBatch,
  runScheduledRechecks,
  startRecheckBatch,
} from '../modules/verification/batch.ts';
import { getReport, requestVerification } from '../modules/verification/verification.service.ts';
import { actorFor, positiveInt } from './actor.ts';
import { withDatabase } from './context.ts';
import { printJson, println, progressPrinter, runCommand } from './output.ts';

function printBatch(b: BatchView): void {
  println(
    `批量复核核对 ${b.id}：${b.programLabels.join('、')}${b.townCode ? `（乡镇 ${b.townCode}）` : ''}，${b.statusLabel}`,
  );
  println(`  共 ${b.total} 户，已核对 ${b.done} 户，失败 ${b.failed} 户，需关注 ${b.flagged} 户`);
  if (b.error) println(`  中断原因：${b.error}`);
}

export function registerVerify(program: Command): void {
  const verify = program.command('verify').description('家庭经济状况核对：个案核对、在保家庭批量复核核对');
  verify
    .command('case')
    .description('为个案发起家庭经济状况核对（须已登记全部核对对象的授权书），打印结论')
    .requiredOption('--case <id>', '个案编号')
    .option('--declaration <file>', '家庭申报（JSON 文件：members[].incomes、assets）')
    .option('--check-type <code>', '核对类型：01 城市低保、02 农村低保、03 低收入、05 特困（默认按救助项目）')
    .option('--user <username>', '以该用户的身份发起（记入审计日志；默认系统）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: { case: string; declaration?: string; checkType?: string; user?: string; json?: boolean }) =>
        runCommand(async () => {
          const caseId = positiveInt(opts.case, '个案编号');
          let declaration: Declaration | undefined;
          if (opts.declaration) {
            try {
              declaration = JSON.parse(readFileSync(opts.declaration, 'utf8')) as Declaration;
            } catch (e) {
              throw new Error(`无法读取申报文件 ${opts.declaration}：${(e as Error).message}`);
            }
          }
          await withDatabase(async (handle, config) => {
            const actor = await actorFor(handle.db, config.countyCode, opts.user);
            const out = await requestVerification(handle.db, actor, {
              caseId,
              ...(declaration ? { declaration } : {}),
              ...(opts.checkType ? { checkType: opts.checkType as '01' } : {}),
            });
            const view = await handle.db.transaction().execute((trx) => getReport(trx, actor, out.reportId));
            if (opts.json) {
              printJson({ ok: true, ...out });
              return;
            }
            println(`核对报告 ${out.reportNo}（个案 ${caseId}，${view.checkTypeLabel}，${view.basisLabel}）`);
            println(`  结论：${out.conclusion} ${out.conclusionLabel}`);
            for (const r of view.report.conclusion.reasons) println(`    · ${r}`);
            if (view.report.unavailableSources.length > 0) {
              println(`  无法查询：${view.report.unavailableSources.join('、')}`);
            }
            if (out.differenceCount > 0) {
              println(`  与申报不一致 ${out.differenceCount} 项：`);
              for (const d of view.report.differences) {
                println(
                  `    · ${d.name ?? '全家'} ${d.item}：申报 ${d.declared}，核对 ${d.found}${d.major ? '（重大差异）' : ''}`,
                );
              }
            }
            println(`  报告摘要 SHA-256：${view.sha256}`);
          });
        }, opts.json),
    );

  verify
    .command('recheck')
    .description('在保家庭批量复核核对（显示进度；中断后用 --resume 继续）')
    .option('--program <code...>', '救助项目：urban_dibao、rural_dibao、urban_tekun、rural_tekun（可多个）', [
      'urban_dibao',
      'rural_dibao',
    ])
    .option('--town <code>', '只核对该乡镇')
    .option('--scheduled', '按复核核对计划执行（本月已执行或未到日期则不执行）')
    .option('--resume <id>', '继续被中断的批次')
    .option('--chunk <n>', '每批处理的户数', String(DEFAULT_BATCH_CHUNK))
    .option('--user <username>', '以该用户的身份发起（记入审计日志；默认系统）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        program: string[];
        town?: string;
        scheduled?: boolean;
        resume?: string;
        chunk: string;
        user?: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          const chunkSize = positiveInt(opts.chunk, '--chunk ');
          await withDatabase(async (handle, config) => {
            const progress = progressPrinter(!opts.json, '核对中');
            const onProgress = (done: number, total: number) => progress.update(done, total);
            if (opts.scheduled) {
              const r = await runScheduledRechecks(handle.db, new Date(), { chunkSize, onProgress });
              progress.done();
              if (opts.json) printJson({ ok: true, ...r });
              else {
                println(r.reason);
                if (r.batch) printBatch(r.batch);
              }
              return;
            }
            let id: number;
            if (opts.resume) {
              id = positiveInt(opts.resume, '批次编号');
              if (!opts.json) println(`继续批量复核核对 ${id}`);
            } else {
              const actor = await actorFor(handle.db, config.countyCode, opts.user);
              const b = await startRecheckBatch(handle.db, actor, {
                programCodes: opts.program,
                townCode: opts.town ?? null,
              });
              id = b.id;
              if (!opts.json) println(`发起批量复核核对 ${id}：共 ${b.total} 户`);
            }
            const result = await runRecheckBatch(handle.db, id, { chunkSize, onProgress });
            progress.done();
            if (opts.json) printJson({ ok: true, batch: result });
            else printBatch(result);
          });
        }, opts.json),
    );

  verify
    .command('report <id>')
    .description('查看核对报告（身份证号码隐去）')
    .option('--json', '以 JSON 输出')
    .action((idText: string, opts: { json?: boolean }) =>
      runCommand(async () => {
        const id = positiveInt(idText, '报告编号');
        await withDatabase(async (handle, config) => {
          const actor = systemActor(config.countyCode, 'cli');
          const view = await handle.db.transaction().execute((trx) => getReport(trx, actor, id));
          if (opts.json) {
            printJson({ ok: true, report: view });
            return;
          }
          println(`核对报告 ${view.reportNo}：${view.conclusionCode} ${view.conclusionLabel}`);
          println(
            `  家庭 ${view.householdId}${view.caseId ? `，个案 ${view.caseId}` : ''}，核对基准日 ${view.asOf}`,
          );
          for (const s of view.subjects) println(`  ${s.name} ${s.idNumber} ${s.relation}`);
          println(
            `  与申报不一致 ${view.differenceCount} 项；SHA-256 ${view.sha256}${view.intact ? '' : '（内容已被改动！）'}`,
          );
        });
      }, opts.json),
    );
}
