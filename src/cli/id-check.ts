import type { Command } from 'commander';
import { type ResidentIdResult, sexLabel, validateResidentId } from '../domain/identity/resident-id.ts';

function formatHuman(result: ResidentIdResult): string {
  if (!result.valid) {
    return [`无效：${result.input}`, ...result.errors.map((e) => `- ${e.message}`)].join('\n');
  }
  const lines = [
    `有效：${result.idNumber}`,
    `出生日期：${result.birthDate}`,
    `性别：${sexLabel(result.sex)}`,
    `行政区划代码：${result.addressCode}`,
  ];
  if (result.upgradedFrom15) lines.push('由15位号码升级');
  for (const w of result.warnings) lines.push(`警告：${w.message}`);
  return lines.join('\n');
}

function formatJson(result: ResidentIdResult): string {
  if (!result.valid) {
    return JSON.stringify({ valid: false, input: result.input, errors: result.errors });
  }
  return JSON.stringify({
    valid: true,
    idNumber: result.idNumber,
    birthDate: result.birthDate,
    sex: result.sex,
    sexLabel: sexLabel(result.sex),
    addressCode: result.addressCode,
    upgradedFrom15: result.upgradedFrom15,
    warnings: result.warnings,
  });
}

/** Adds `id check <number> [--json]` to the program. Exit code 1 when the number is invalid. */
export function registerIdCheck(program: Command): void {
  const id = program.command('id').description('公民身份号码工具');
  id.command('check <number>')
    .description('校验公民身份号码（18位，或15位旧号码）')
    .option('--json', '以 JSON 格式输出')
    .action((number: string, opts: { json?: boolean }) => {
      // The CLI is an edge: reading the clock here is fine; the domain function takes asOf.
      const asOf = new Date().toISOString().slice(0, 10);
      const result = validateResidentId(number, { asOf });
      process.stdout.write(`${opts.json ? formatJson(result) : formatHuman(result)}\n`);
      if (!result.valid) process.exitCode = 1;
    });
}
