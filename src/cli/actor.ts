/** Who a CLI command acts as: `--user` (checked like a login: exists, enabled, of this county) or the system. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Actor, systemActor } from '../domain/access/actor.ts';
import { actorOf } from '../modules/auth/auth.service.ts';

/** The named user's actor; without a name, the system actor 'cli'. */
export async function actorFor(
  db: Kysely<Database>,
  countyCode: string,
  username: string | undefined,
): Promise<Actor> {
  if (username === undefined) return systemActor(countyCode, 'cli');
  const user = await db
    .selectFrom('app_user')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user) throw new Error(`用户 ${username} 不存在`);
  if (user.disabled === 1) throw new Error(`用户 ${username} 已停用`);
  if (user.county_code !== countyCode) throw new Error(`用户 ${username} 不属于本县（${countyCode}）`);
  return actorOf(user);
}

/** A positive integer argument (an id), or an error naming what it should be. */
export function positiveInt(value: string, label: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${label}应为正整数，实际为 ${value}`);
  return n;
}
