import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerIdCheck } from './id-check.ts';

/** Runs `jiuzhu <args>` with the id commands registered; returns what was written to stdout. */
async function run(args: string[]): Promise<{ stdout: string; exitCode: typeof process.exitCode }> {
  const program = new Command();
  // exitOverride before registering so the subcommands inherit it (commander copies settings on creation).
  program.exitOverride();
  registerIdCheck(program);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    await program.parseAsync(['node', 'jiuzhu', ...args]);
  } finally {
    spy.mockRestore();
  }
  return { stdout: chunks.join(''), exitCode: process.exitCode };
}

describe('jiuzhu id check', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints a valid number as JSON with birth date and sex, exit code unset', async () => {
    const { stdout, exitCode } = await run(['id', 'check', '11010519491231002X', '--json']);
    expect(JSON.parse(stdout)).toEqual({
      valid: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      sexLabel: '女',
      addressCode: '110105',
      upgradedFrom15: false,
      warnings: [],
    });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(exitCode).toBeUndefined();
  });

  it('prints a wrong check character as invalid JSON naming 校验位 and sets exit code 1', async () => {
    const { stdout, exitCode } = await run(['id', 'check', '110105194912310023', '--json']);
    const parsed = JSON.parse(stdout);
    expect(parsed.valid).toBe(false);
    expect(parsed.input).toBe('110105194912310023');
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0].code).toBe('CHECK_CHARACTER');
    expect(parsed.errors[0].message).toContain('校验位');
    expect(exitCode).toBe(1);
  });

  it('prints a valid number in Chinese for humans', async () => {
    const { stdout, exitCode } = await run(['id', 'check', '11010519491231002X']);
    expect(stdout).toBe('有效：11010519491231002X\n出生日期：1949-12-31\n性别：女\n行政区划代码：110105\n');
    expect(exitCode).toBeUndefined();
  });

  it('says when a 15-digit number was upgraded', async () => {
    const { stdout } = await run(['id', 'check', '110105491231002']);
    expect(stdout).toContain('有效：11010519491231002X');
    expect(stdout).toContain('由15位号码升级');
  });

  it('lists each error for an invalid number in human output and sets exit code 1', async () => {
    const { stdout, exitCode } = await run(['id', 'check', '990105194902310023']);
    expect(stdout).toBe(
      [
        '无效：990105194902310023',
        '- 出生日期 19490231 不是有效日期',
        '- 行政区划代码前两位 99 不是有效的省级代码',
        '- 校验位错误：第18位应为 X，实际为 3',
        '',
      ].join('\n'),
    );
    expect(exitCode).toBe(1);
  });
});
