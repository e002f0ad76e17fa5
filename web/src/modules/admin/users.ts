import { ROLE_CODES, ROLES, type Role } from '../../../../src/domain/access/roles.ts';

/** A row of GET /api/v1/users (the server never sends password hashes). */
export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  county_code: string;
  area_code: string;
  disabled: number | boolean;
  locked_until: string | null;
  must_change_password: number | boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export const roleLabel = (role: string): string => (role in ROLES ? ROLES[role as Role].label : role);

export const roleLevel = (role: string | undefined): 'county' | 'town' | null =>
  role && role in ROLES ? ROLES[role as Role].level : null;

export const isLocked = (u: Pick<UserRow, 'locked_until'>, now = Date.now()): boolean =>
  u.locked_until !== null && new Date(u.locked_until).getTime() > now;

/** Roles grouped by the level of area they are bound to, for a Select. */
export const ROLE_OPTIONS = [
  {
    label: '县级角色（辖区为本县）',
    options: ROLE_CODES.filter((r) => ROLES[r].level === 'county').map((r) => ({
      value: r,
      label: ROLES[r].label,
    })),
  },
  {
    label: '乡镇级角色（辖区为一个乡镇）',
    options: ROLE_CODES.filter((r) => ROLES[r].level === 'town').map((r) => ({
      value: r,
      label: ROLES[r].label,
    })),
  },
];
