/**
 * Login, sessions and lock-out. Sessions live in the database (not process memory) so several
 * server processes behind a load balancer can share one PostgreSQL.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AppUserRow, Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { isRole, permissionsOf, ROLES } from '../../domain/access/roles.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from '../users/passwords.ts';
import { findUserById, findUserByUsername } from '../users/users.repository.ts';

type Db = Kysely<Database>;

export interface AuthPolicy {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// A real argon2id hash of a random password, so an unknown username costs the same time as a wrong password.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

export function actorOf(user: AppUserRow, ip: string | null = null): Actor {
  if (!isRole(user.role)) throw new Error(`用户 ${user.username} 的角色 ${user.role} 无效`);
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    countyCode: user.county_code,
    areaCode: user.area_code,
    ip,
  };
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: AppUserRow;
  expiresAt: string;
}

const failed = () => new AppError(ErrorCode.LOGIN_FAILED, '用户名或密码错误');

function lockedMessage(until: string): string {
  const local = new Date(new Date(until).getTime() + 8 * 3600_000).toISOString().slice(11, 16);
  return `登录失败次数过多，账户已锁定，请于 ${local} 后重试或联系县级管理员解锁`;
}

export async function login(
  db: Db,
  policy: AuthPolicy,
  input: { username: string; password: string; ip: string | null; userAgent: string | null },
  now: Date = new Date(),
): Promise<LoginResult> {
  const user = await findUserByUsername(db, input.username.trim());
  if (!user) {
    await verifyPassword(await getDummyHash(), input.password);
    await appendAudit(
      db,
      null,
      {
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: null,
        detail: `未知用户名 ${input.username.slice(0, 40)}；IP ${input.ip ?? '未知'}`,
      },
      now,
    );
    throw failed();
  }
  const actor = actorOf(user, input.ip);
  if (user.locked_until && user.locked_until > now.toISOString()) {
    await appendAudit(
      db,
      actor,
      { action: 'auth.login_refused_locked', entityType: 'user', entityId: user.id },
      now,
    );
    throw new AppError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(user.locked_until));
  }
  const ok = await verifyPassword(user.password_hash, input.password);
  if (!ok) {
    // Count and lock in one statement so concurrent attempts from several processes cannot undercount.
    const updated = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('app_user')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id)
        .returning(['failed_logins'])
        .executeTakeFirstOrThrow();
      let lockedUntil: string | null = null;
      if (row.failed_logins >= policy.lockoutThreshold) {
        lockedUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString();
        await trx
          .updateTable('app_user')
          .set({ locked_until: lockedUntil, failed_logins: 0 })
          .where('id', '=', user.id)
          .execute();
      }
      await appendAudit(
        trx,
        actor,
        {
          action: lockedUntil ? 'auth.locked' : 'auth.login_failed',
          entityType: 'user',
          entityId: user.id,
          detail: lockedUntil
            ? `连续 ${policy.lockoutThreshold} 次密码错误，锁定至 ${lockedUntil}`
            : `密码错误（第 ${row.failed_logins} 次）`,
        },
        now,
      );
      return lockedUntil;
    });
    if (updated) throw new AppError(ErrorCode.ACCOUNT_LOCKED, lockedMessage(updated));
    throw failed();
  }
  if (user.disabled) {
    await appendAudit(
      db,
      actor,
      { action: 'auth.login_refused_disabled', entityType: 'user', entityId: user.id },
      now,
    );
    throw new AppError(ErrorCode.ACCOUNT_DISABLED, '该账户已停用，请联系县级管理员');
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + policy.sessionMaxHours * 3600_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await trx
      .insertInto('session')
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt,
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'auth.login', entityType: 'user', entityId: user.id, detail: input.ip },
      now,
    );
  });
  return { token, csrfToken, user, expiresAt };
}

export interface SessionContext {
  actor: Actor;
  user: AppUserRow;
  csrfToken: string;
  tokenHash: string;
}

/** Resolves a session cookie to its user; null when missing, expired, idle too long, or the user is disabled. */
export async function resolveSession(
  db: Db,
  policy: AuthPolicy,
  token: string,
  ip: string | null,
  now: Date = new Date(),
): Promise<SessionContext | null> {
  const tokenHash = hashToken(token);
  const session = await db
    .selectFrom('session')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!session) return null;
  const nowIso = now.toISOString();
  const idleLimit = new Date(now.getTime() - policy.sessionIdleMinutes * 60_000).toISOString();
  if (session.expires_at <= nowIso || session.last_seen_at < idleLimit) {
    await db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
    return null;
  }
  const user = await findUserById(db, session.user_id);
  if (!user || user.disabled) return null;
  // Touch at most once a minute: a busy user must not turn every read into a write.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) {
    await db
      .updateTable('session')
      .set({ last_seen_at: nowIso })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return { actor: actorOf(user, ip), user, csrfToken: session.csrf_token, tokenHash };
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function logout(db: Db, ctx: SessionContext, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('session').where('token_hash', '=', ctx.tokenHash).execute();
    await appendAudit(
      trx,
      ctx.actor,
      { action: 'auth.logout', entityType: 'user', entityId: ctx.user.id },
      now,
    );
  });
}

export async function changePassword(
  trx: Transaction<Database>,
  ctx: SessionContext,
  input: { oldPassword: string; newPassword: string },
  now = new Date(),
): Promise<void> {
  if (!(await verifyPassword(ctx.user.password_hash, input.oldPassword))) {
    throw new AppError(ErrorCode.VALIDATION, '原密码不正确', { field: 'oldPassword' });
  }
  assertPasswordPolicy(input.newPassword, 'newPassword');
  if (input.oldPassword === input.newPassword) {
    throw new AppError(ErrorCode.VALIDATION, '新密码不能与原密码相同', { field: 'newPassword' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await trx
    .updateTable('app_user')
    .set((eb) => ({
      password_hash: passwordHash,
      must_change_password: 0,
      updated_at: now.toISOString(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', ctx.user.id)
    .execute();
  // Other sessions of this user end: a changed password should lock out whoever knew the old one.
  await trx
    .deleteFrom('session')
    .where('user_id', '=', ctx.user.id)
    .where('token_hash', '!=', ctx.tokenHash)
    .execute();
  await appendAudit(
    trx,
    ctx.actor,
    { action: 'user.password_change', entityType: 'user', entityId: ctx.user.id },
    now,
  );
}

export function meOf(ctx: SessionContext, areaName: string | null) {
  const role = ctx.actor.role === 'system' ? null : ctx.actor.role;
  return {
    id: ctx.user.id,
    username: ctx.user.username,
    displayName: ctx.user.display_name,
    role: ctx.user.role,
    roleLabel: role ? ROLES[role].label : '系统',
    countyCode: ctx.user.county_code,
    areaCode: ctx.user.area_code,
    areaName,
    permissions: role ? permissionsOf(role) : [],
    mustChangePassword: Boolean(ctx.user.must_change_password),
  };
}
