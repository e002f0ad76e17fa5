import type { Command } from 'commander';
import type { DemoDepartmentsResult } from '../modules/demo/demo-departments.ts';
import { seedDemo } from '../modules/demo/seed-demo.ts';
import { withDatabase } from './context.ts';
import { printJson, println, progressReporter, runCommand } from './output.ts';

export function printDemoUsers(
  users: { username: string; roleLabel: string; areaName: string; password: string }[],
): void {
  println('演示用户（用户名 / 角色 / 辖区 / 密码）：');
  for (const u of users)
    println(
      `  ${u.username.padEnd(16)} ${u.roleLabel.padEnd(10, '　')} ${u.areaName.padEnd(10, '　')} ${u.password}`,
    );
}

/** The 核对平台 of the demo: snapshots, connectors and the planted cases a verification or campaign finds. */
export function printDemoDepartments(d: DemoDepartmentsResult): void {
  const rows = d.snapshots.reduce((n, s) => n + s.rowCount, 0);
  println(
    `核对平台：${d.snapshots.length} 个数据源快照共 ${rows} 条，实时接口（模拟部门接口 sim:）${d.connectors.length} 个`,
  );
  println('预置的核对、核查案例：');
  for (const p of d.planted) println(`  ${p.label}：${p.detail}`);
}

export function registerSeed(program: Command): void {
  const seed = program.command('seed').description('生成数据');
  seed
    .command('demo')
    .description('在空库中生成演示县（区划、家庭、人员、救助对象、近亲属备案、各角色演示用户）')
    .option('--seed <n>', '随机种子（相同种子生成相同数据）', '2015')
    .option('--json', '以 JSON 输出')
    .action((opts: { seed: string; json?: boolean }) =>
      runCommand(async () => {
        const seedValue = Number(opts.seed);
        if (!Number.isInteger(seedValue) || seedValue < 0)
          throw new Error(`--seed 应为非负整数，实际为 ${opts.seed}`);
        await withDatabase(async (handle, config) => {
          const progress = progressReporter(!opts.json);
          const result = await seedDemo(handle, {
            seed: seedValue,
            countyCode: config.countyCode,
            onProgress: (done, total, label) => progress.update(label, done, total),
          });
          progress.done();
          if (opts.json) {
            printJson({ ok: true, ...result });
            return;
          }
          println(`演示数据已生成（种子 ${seedValue}，${handle.location}）`);
          println(JSON.stringify(result.summary, null, 2));
          printDemoDepartments(result.departments);
          if (result.history) {
            const h = result.history;
            println(
              `模拟2014–2015年：2014年7月核查 1 次；申请 ${h.applications + h.refusals} 件（批准 ${h.applications}，不予批准 ${h.refusals}），停保 ${h.exits} 户（人），复核 ${h.reviews} 户，登记成员死亡并复核 ${h.deaths} 户；发放名册 ${h.payrolls} 份（2015年1–9月），医疗救助 ${h.medicalClaims} 人次`,
            );
          }
          printDemoUsers([
            ...result.users,
            ...(result.history?.users ?? []).map((u) => ({
              username: u.username,
              roleLabel: u.role === 'town_clerk' ? '乡镇经办人（窗口）' : '乡镇审核人',
              areaName: u.townName,
              password: u.password,
            })),
          ]);
        });
      }, opts.json),
    );
}
