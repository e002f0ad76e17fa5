/**
 * What each role sees in the menus. Mirrors src/domain/access/roles.ts; the server enforces it anyway.
 * Capabilities that later issues build are listed here already, so the menus do not move later.
 */
import type { Permission, Role } from '../../../../src/domain/access/roles.ts';

export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  countyCode: string;
  areaCode: string;
  areaName: string | null;
  permissions: Permission[];
  mustChangePassword: boolean;
}

export type MenuKey =
  | 'dashboard'
  | 'intake'
  | 'approval'
  | 'registry'
  | 'verification'
  | 'payments'
  | 'calc'
  | 'inspection'
  | 'reports'
  | 'admin';

const MENU_ROLES: Record<MenuKey, readonly Role[]> = {
  dashboard: [
    'county_admin',
    'county_approver',
    'town_clerk',
    'town_reviewer',
    'village_assistant',
    'auditor',
    'partner_department',
  ],
  intake: ['county_admin', 'town_clerk', 'village_assistant'],
  approval: ['county_admin', 'county_approver', 'town_clerk', 'town_reviewer', 'village_assistant'],
  registry: [
    'county_admin',
    'county_approver',
    'town_clerk',
    'town_reviewer',
    'village_assistant',
    'auditor',
  ],
  verification: [
    'county_admin',
    'county_approver',
    'town_clerk',
    'town_reviewer',
    'auditor',
    'partner_department',
  ],
  payments: ['county_admin', 'county_approver', 'town_clerk', 'town_reviewer', 'auditor'],
  // 政策测算 (permission policy.read): every role that works with cases or payments.
  calc: ['county_admin', 'county_approver', 'town_clerk', 'town_reviewer', 'village_assistant', 'auditor'],
  // 核查: the county runs campaigns; towns review the findings assigned to them.
  inspection: ['county_admin', 'county_approver', 'town_clerk', 'town_reviewer', 'auditor'],
  reports: ['county_admin', 'county_approver', 'town_clerk', 'town_reviewer', 'auditor'],
  admin: ['county_admin', 'auditor'],
};

export function canSeeMenu(me: Me, key: MenuKey): boolean {
  if (key === 'calc' && !me.permissions.includes('policy.read')) return false;
  return MENU_ROLES[key].includes(me.role);
}

export function can(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}
