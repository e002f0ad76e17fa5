/**
 * `jiuzhu calc --file scenario.json [--county 440232]`: one calculation by one engine (docs/calc.md).
 * Prints the result JSON. Exit codes: 0 done, 2 malformed scenario (the message names the field), 1 other errors.
 * The database is opened only when the scenario reads from it (parameters or a dibao standard).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import {
  parseScenario,
  runParsedScenario,
  scenarioJsonSchema,
  scenarioNeedsDatabase,
} from '../modules/calc/scenario.ts';
import { AppError, ErrorCode } from '../modules/errors/app-error.ts';
import { withDatabase } from './context.ts';
import { printJson } from './output.ts';

/** Malformed input (the file, its JSON, the scenario): exit code 2. */
const EXIT_MALFORMED = 2;

function readScenario(file: string): unknown {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError(ErrorCode.VALIDATION, `无法读取情景文件 ${file}：${(e as Error).message}`, {
      field: 'file',
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AppError(ErrorCode.INVALID_JSON, `情景文件不是有效的 JSON：${(e as Error).message}`);
  }
}

async function calc(opts: { file?: string; county?: string; schema?: boolean }): Promise<void> {
  if (opts.schema) {
    printJson(scenarioJsonSchema());
    return;
  }
  if (!opts.file) {
    throw new AppError(ErrorCode.VALIDATION, '请用 --file 指定情景文件（--file - 从标准输入读取）', {
      field: 'file',
    });
  }
  const config = loadConfig();
  const countyCode = opts.county ?? config.countyCode;
  if (!/^\d{6}$/.test(countyCode)) {
    throw new AppError(ErrorCode.VALIDATION, `--county 应为 6 位县级区划代码，实际为 ${countyCode}`, {
      field: 'county',
    });
  }
  const scenario = parseScenario(readScenario(opts.file));
  const result = scenarioNeedsDatabase(scenario)
    ? await withDatabase((handle) => runParsedScenario(scenario, { db: handle.db, countyCode }), {
        migrate: false,
      })
    : await runParsedScenario(scenario, { db: null, countyCode });
  printJson(result);
}

export function registerCalc(program: Command): void {
  program
    .command('calc')
    .description('政策测算：按情景文件计算低保、特困、临时救助、医疗救助或价格临时补贴（见 docs/calc.md）')
    .option('--file <path>', '情景 JSON 文件；- 表示从标准输入读取')
    .option('--county <code>', '情景未写明县级区划代码时使用的县（默认 JIUZHU_COUNTY）')
    .option('--schema', '输出情景格式的 JSON Schema')
    .action(async (opts: { file?: string; county?: string; schema?: boolean }) => {
      try {
        await calc(opts);
      } catch (e) {
        if (e instanceof AppError) {
          process.stderr.write(`错误：${e.message}\n`);
          for (const i of e.issues.slice(1)) process.stderr.write(`  ${i.field}: ${i.message}\n`);
          const malformed = e.code === ErrorCode.VALIDATION || e.code === ErrorCode.INVALID_JSON;
          process.exitCode = malformed ? EXIT_MALFORMED : 1;
          return;
        }
        process.stderr.write(`错误：${e instanceof Error ? e.message : String(e)}\n`);
        if (process.env.JIUZHU_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
        process.exitCode = 1;
      }
    });
}
