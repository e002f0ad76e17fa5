import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import { systemActor } from '../domain/access/actor.ts';
import { ROLES } from '../domain/access/roles.ts';
import { createUser } from '../modules/users/users.service.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

/** Accepts a role code (town_clerk) or its Chinese label (乡镇经办人). */
export function resolveRole(input: string): string {
  if (Object.hasOwn(ROLES, input)) return input;
  const found = Object.entries(ROLES).find(([, r]) => r.label === input || r.label.startsWith(input));
  return found ? found[0] : input;
}

function generatePassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const chars = [letters[randomInt(letters.length)], digits[randomInt(digits.length)]];
  while (chars.length < 12) chars.push(all[randomInt(all.length)]);
  return chars.join('');
}

export function registerUserAdd(program: Command): void {
  const user = program.command('user').description('用户管理');
  user
    .command('add')
    .description('新建用户（未指定密码时生成随机密码并打印，用户首次登录须修改）')
    .requiredOption('--username <name>', '用户名（字母、数字、下划线）')
    .requiredOption('--name <displayName>', '姓名')
    .requiredOption(
      '--role <role>',
      `角色：${Object.entries(ROLES)
        .map(([code, r]) => `${code}（${r.label}）`)
        .join('、')}`,
    )
    .option('--area <code>', '辖区：县级角色为本县代码（默认），乡镇角色为9位乡镇代码')
    .option('--password <password>', '初始密码（至少8位，含字母和数字）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        username: string;
        name: string;
        role: string;
        area?: string;
        password?: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          await withDatabase(async (handle, config) => {
            const password = opts.password ?? generatePassword();
            const created = await handle.db.transaction().execute((trx) =>
              createUser(trx, systemActor(config.countyCode, 'cli'), {
                username: opts.username,
                displayName: opts.name,
                role: resolveRole(opts.role),
                areaCode: opts.area ?? config.countyCode,
                password,
                mustChangePassword: opts.password === undefined,
              }),
            );
            if (opts.json) {
              printJson({ ok: true, user: created, ...(opts.password === undefined ? { password } : {}) });
            } else {
              println(`已创建用户 ${created.username}（${created.display_name}），编号 ${created.id}`);
              if (opts.password === undefined) println(`初始密码：${password}（首次登录后须修改）`);
            }
          });
        }, opts.json),
    );
}
