import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../domain/access/actor.ts';
import { areaLevel } from '../../domain/access/area-scope.ts';
import { isRole, ROLES, type Role } from '../../domain/access/roles.ts';
import type { AppUserRow, Database } from '../../db/schema.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, validationError } from '../errors/app-error.ts';
import { assertPasswordPolicy, hashPassword } from './passwords.ts';
import { findUserByUsername, insertUser } from './users.repository.ts';

export interface NewUserInput {
  username: string;
  displayName: string;
  role: string;
  /** The county code for county-level roles, a town code for town-level roles. */
  areaCode: string;
  password: string;
  mustChangePassword?: boolean;
}

export type PublicUser = Omit<AppUserRow, 'password_hash' | 'failed_logins'>;

export function toPublicUser(row: AppUserRow): PublicUser {
  const { password_hash: _h, failed_logins: _f, ...rest } = row;
  return rest;
}

/** Creates a user bound to an area of the installation's county. Audited. */
export async function createUser(
  trx: Transaction<Database>,
  actor: Actor,
  input: NewUserInput,
  now: Date = new Date(),
): Promise<PublicUser> {
  const username = input.username.trim();
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) {
    throw validationError('username', '用户名应为3–32位字母、数字、下划线、点或连字符');
  }
  const displayName = input.displayName.trim();
  if (displayName === '' || displayName.length > 50) throw validationError('displayName', '姓名不能为空且不超过50字');
  if (!isRole(input.role)) {
    throw validationError('role', `未知角色“${input.role}”，可选：${Object.keys(ROLES).join('、')}`);
  }
  const role: Role = input.role;
  await assertAreaFitsRole(trx, actor.countyCode, role, input.areaCode);
  assertPasswordPolicy(input.password);
  if (await findUserByUsername(trx, username)) {
    throw new AppError(ErrorCode.CONFLICT, `用户名“${username}”已存在`, { field: 'username' });
  }
  const ts = now.toISOString();
  const row = await insertUser(trx, {
    username,
    display_name: displayName,
    role,
    county_code: actor.countyCode,
    area_code: input.areaCode,
    password_hash: await hashPassword(input.password),
    disabled: 0,
    failed_logins: 0,
    locked_until: null,
    must_change_password: input.mustChangePassword ? 1 : 0,
    created_at: ts,
    updated_at: ts,
  });
  const user = toPublicUser(row);
  await appendAudit(
    trx,
    actor,
    {
      action: 'user.create',
      entityType: 'user',
      entityId: row.id,
      countyCode: actor.countyCode,
      townCode: input.areaCode.length === 9 ? input.areaCode : null,
      after: user,
    },
    now,
  );
  return user;
}

async function assertAreaFitsRole(
  db: Kysely<Database> | Transaction<Database>,
  countyCode: string,
  role: Role,
  areaCode: string,
): Promise<void> {
  const level = areaLevel(areaCode);
  const wanted = ROLES[role].level;
  if (wanted === 'county' && areaCode !== countyCode) {
    throw validationError('areaCode', `${ROLES[role].label}应绑定本县（${countyCode}），实际为 ${areaCode}`);
  }
  if (wanted === 'town') {
    if (level !== 'town' || !areaCode.startsWith(countyCode)) {
      throw validationError('areaCode', `${ROLES[role].label}应绑定本县的一个乡镇（9位代码），实际为 ${areaCode}`);
    }
  }
  const area = await db.selectFrom('area').select('code').where('code', '=', areaCode).executeTakeFirst();
  if (!area) throw validationError('areaCode', `区划代码 ${areaCode} 不存在（请先载入本县区划）`);
}
