/** The jiuzhu command line. One file per command; each registers itself on the program. */
import { Command } from 'commander';
import { registerAuditVerify } from './audit-verify.ts';
import { registerBackup } from './backup.ts';
import { registerBank } from './bank.ts';
import { registerCalc } from './calc.ts';
import { registerCampaign } from './campaign.ts';
import { registerDept } from './dept.ts';
import { registerFiling } from './filing.ts';
import { registerIdCheck } from './id-check.ts';
import { registerMigrate } from './migrate.ts';
import { registerOneOff } from './one-off.ts';
import { registerPayroll } from './payroll.ts';
import { registerReport } from './report.ts';
import { registerRoster } from './roster.ts';
import { registerSeed } from './seed.ts';
import { registerServe } from './serve.ts';
import { registerStats } from './stats.ts';
import { registerUserAdd } from './user-add.ts';
import { registerVerify } from './verify.ts';

export function buildProgram(): Command {
  const program = new Command('jiuzhu')
    .description('jiuzhu 社会救助管理信息系统')
    .version('0.1.0')
    .showHelpAfterError('（使用 --help 查看用法）');
  registerServe(program);
  registerMigrate(program);
  registerSeed(program);
  registerUserAdd(program);
  registerIdCheck(program);
  registerAuditVerify(program);
  registerBackup(program);
  registerPayroll(program);
  registerOneOff(program);
  registerBank(program);
  registerCalc(program);
  registerCampaign(program);
  registerVerify(program);
  registerDept(program);
  registerStats(program);
  registerRoster(program);
  registerReport(program);
  registerFiling(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
