import type { Actor } from '../../domain/access/actor.ts';
import { hasPermission, type Permission, ROLES } from '../../domain/access/roles.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';

/** Services call this first; the web menus only mirror it. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (actor.role === 'system') return;
  if (!hasPermission(actor.role, permission)) {
    throw new AppError(ErrorCode.FORBIDDEN, `您的角色（${ROLES[actor.role].label}）无权执行此操作`);
  }
}
