import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemActor } from '../domain/access/actor.ts';
import { buildApp } from '../http/app.ts';
import { ensureCountyAreas } from '../modules/areas/areas.service.ts';
import { failInterruptedCampaigns } from '../modules/campaigns/campaigns.service.ts';
import { seedDemo } from '../modules/demo/seed-demo.ts';
import { startVerificationScheduler } from '../modules/verification/batch.ts';
import { println, progressReporter, runCommand } from './output.ts';
import { printDemoDepartments, printDemoUsers } from './seed.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('启动服务（首次启动时自动建库、载入本县区划，空库时生成演示数据）')
    .option('--port <port>', '端口（默认 PORT 或 8080）')
    .option('--host <host>', '监听地址（默认 HOST 或 127.0.0.1；局域网访问用 0.0.0.0）')
    .action((opts: { port?: string; host?: string }) =>
      runCommand(async () => {
        const config = loadConfig();
        if (opts.port) config.port = Number(opts.port);
        if (opts.host) config.host = opts.host;
        const handle = openDatabase(config.databaseUrl);
        const applied = await migrateToLatest(handle.db);
        if (applied.length > 0) println(`数据库迁移完成：${applied.join(', ')}`);
        const anyHousehold = await handle.db.selectFrom('household').select('id').limit(1).executeTakeFirst();
        if (!anyHousehold && config.seedDemoOnFirstStart) {
          println(`空库：正在生成演示县数据（种子 ${config.demoSeed}）……`);
          const progress = progressReporter(true);
          const result = await seedDemo(handle, {
            seed: config.demoSeed,
            countyCode: config.countyCode,
            onProgress: (done, total, label) => progress.update(label, done, total),
          });
          progress.done();
          printDemoDepartments(result.departments);
          printDemoUsers(result.users);
        } else {
          await handle.db
            .transaction()
            .execute((trx) =>
              ensureCountyAreas(trx, systemActor(config.countyCode, 'serve'), config.countyCode),
            );
        }
        const interrupted = await failInterruptedCampaigns(handle.db);
        if (interrupted > 0) println(`核查：${interrupted} 项核查上次运行中断，已标为运行失败，可重新运行`);
        const app = await buildApp(handle, config);
        // 批量复核核对: resume interrupted batches, then the monthly schedule, checked hourly.
        const stopScheduler = startVerificationScheduler(handle.db, (err) => app.log.error(err));
        const close = async () => {
          await stopScheduler();
          await app.close();
          await handle.close();
          process.exit(0);
        };
        process.once('SIGINT', close);
        process.once('SIGTERM', close);
        await app.listen({ port: config.port, host: config.host });
        println(
          `jiuzhu 已启动：http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}  （数据库 ${handle.location}）`,
        );
      }),
    );
}
