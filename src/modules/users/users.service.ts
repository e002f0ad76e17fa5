import type { Kysely, Transaction } from 'kysely';
import type { AppUserRow, Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { areaLevel } from '../../domain/access/area-scope.ts';
import { isRole, ROLES, type Role } from '../../domain/access/roles.ts';
import { diffRecords } from '../../domain/audit/hash-chain.ts';
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
  if (displayName === '' || displayName.length > 50)
    throw validationError('displayName', '姓名不能为空且不超过50字');
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
      throw validationError(
        'areaCode',
        `${ROLES[role].label}应绑定本县的一个乡镇（9位代码），实际为 ${areaCode}`,
      );
    }
  }
  const area = await db.selectFrom('area').select('code').where('code', '=', areaCode).executeTakeFirst();
  if (!area) throw validationError('areaCode', `区划代码 ${areaCode} 不存在（请先载入本县区划）`);
}

export interface UpdateUserInput {
  version: number;
  displayName?: string;
  role?: string;
  areaCode?: string;
  disabled?: boolean;
  /** Clears a lock-out. */
  unlock?: boolean;
}

/** Admin changes to a user: role, area, disable/enable, unlock. Disabling ends the user's sessions. */
export async function updateUser(
  trx: Transaction<Database>,
  actor: Actor,
  id: number,
  input: UpdateUserInput,
  now: Date = new Date(),
): Promise<PublicUser> {
  const before = await trx
    .selectFrom('app_user')
    .selectAll()
    .where('id', '=', id)
    .where('county_code', '=', actor.countyCode)
    .executeTakeFirst();
  if (!before) throw new AppError(ErrorCode.NOT_FOUND, `用户（编号 ${id}）不存在`);
  if (before.version !== input.version) {
    throw new AppError(ErrorCode.STALE_VERSION, '该用户已被其他人修改，请刷新后重试', { field: 'version' });
  }
  if (input.disabled && before.id === actor.userId) throw validationError('disabled', '不能停用自己的账户');
  const role = input.role ?? before.role;
  if (!isRole(role)) throw validationError('role', `未知角色“${role}”`);
  const areaCode = input.areaCode ?? before.area_code;
  if (input.role !== undefined || input.areaCode !== undefined)
    await assertAreaFitsRole(trx, actor.countyCode, role, areaCode);
  if (input.displayName !== undefined && (input.displayName.trim() === '' || input.displayName.length > 50)) {
    throw validationError('displayName', '姓名不能为空且不超过50字');
  }
  const after = await trx
    .updateTable('app_user')
    .set((eb) => ({
      ...(input.displayName !== undefined ? { display_name: input.displayName.trim() } : {}),
      role,
      area_code: areaCode,
      ...(input.disabled !== undefined ? { disabled: input.disabled ? 1 : 0 } : {}),
      ...(input.unlock ? { locked_until: null, failed_logins: 0 } : {}),
      updated_at: now.toISOString(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirst();
  if (!after)
    throw new AppError(ErrorCode.STALE_VERSION, '该用户已被其他人修改，请刷新后重试', { field: 'version' });
  // A disabled user or one moved to another role or area must log in again.
  if (after.disabled || after.role !== before.role || after.area_code !== before.area_code) {
    await trx.deleteFrom('session').where('user_id', '=', id).execute();
  }
  const diff = diffRecords(toPublicUser(before), toPublicUser(after));
  await appendAudit(trx, actor, { action: 'user.update', entityType: 'user', entityId: id, ...diff }, now);
  return toPublicUser(after);
}

/** Admin sets a temporary password; the user must change it at next login. Ends the user's sessions. */
export async function resetPassword(
  trx: Transaction<Database>,
  actor: Actor,
  id: number,
  newPassword: string,
  now: Date = new Date(),
): Promise<void> {
  assertPasswordPolicy(newPassword, 'newPassword');
  const user = await trx
    .selectFrom('app_user')
    .select('id')
    .where('id', '=', id)
    .where('county_code', '=', actor.countyCode)
    .executeTakeFirst();
  if (!user) throw new AppError(ErrorCode.NOT_FOUND, `用户（编号 ${id}）不存在`);
  const passwordHash = await hashPassword(newPassword);
  await trx
    .updateTable('app_user')
    .set((eb) => ({
      password_hash: passwordHash,
      must_change_password: 1,
      failed_logins: 0,
      locked_until: null,
      updated_at: now.toISOString(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute();
  await trx.deleteFrom('session').where('user_id', '=', id).execute();
  await appendAudit(trx, actor, { action: 'user.reset_password', entityType: 'user', entityId: id }, now);
}
