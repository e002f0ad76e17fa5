/**
 * Roles and what each may do (DOMAIN §1). The server enforces these; the web menus mirror them.
 * All permission predicates live here, in one file.
 */
export const ROLES = {
  county_admin: { label: '县级管理员', level: 'county' },
  county_approver: { label: '县级审批人', level: 'county' },
  town_clerk: { label: '乡镇经办人（窗口）', level: 'town' },
  town_reviewer: { label: '乡镇审核人', level: 'town' },
  village_assistant: { label: '村级协理员', level: 'town' },
  auditor: { label: '核查员', level: 'county' },
  partner_department: { label: '协作部门', level: 'county' },
} as const satisfies Record<string, { label: string; level: 'county' | 'town' }>;

export type Role = keyof typeof ROLES;
export const ROLE_CODES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

export type Permission =
  | 'registry.read' // 救助对象: list and read households and persons in the user's area
  | 'registry.write' // create, update, move households and persons
  | 'registry.reveal' // see full ID numbers and bank accounts on a record page (audited)
  | 'staff.manage' // 近亲属备案: staff and their declared close relatives
  | 'users.manage' // 系统管理: users
  | 'audit.read' // audit log and chain check
  | 'policy.read' // 政策参数: read parameter versions; 政策测算 (what-if calculation)
  | 'policy.manage' // enter a new parameter version (county)
  | 'payroll.read' // 资金发放: payrolls, lines, payment history, bank files (own area)
  | 'payroll.generate' // generate a monthly payroll, enter price indices, export bank files, import returns
  | 'payroll.review' // 审核 a generated payroll
  | 'payroll.approve' // 审批 (lock) a reviewed payroll: a second person (DOMAIN §16 four-eyes)
  | 'payments.one_off' // 一次性发放: 临时救助, 医疗救助 claims, holiday subsidies (create)
  | 'benefit.decide' // 核定待遇: record the benefit decision (assessed income, amount) of an enrolment
  | 'dept.manage' // 核对平台数据源: connector settings, import department snapshots (county)
  | 'dept.submit' // a partner department uploads its own data file (snapshot)
  | 'dept.query_log' // read the log of every query made to department data
  | 'verify.request' // 发起家庭经济状况核对 for a case or household (own area)
  | 'verify.read' // read 核对报告 (own area; a full read is audited)
  | 'verify.batch' // 批量复核核对 of enrolled households, and its schedule
  | 'campaign.manage' // 核查: rules (parameters) and campaigns
  | 'campaign.read' // 核查 campaigns, findings and summaries (town users: their own town)
  | 'campaign.resolve' // record the outcome (维持/退出/追回) of a finding's review (town)
  | 'stats.read' // 民政统计: monthly indicators and frozen snapshots (town users: their own town)
  | 'stats.freeze'; // freeze a closed month's statistics (a correction is a new version)

const GRANTS: Record<Role, readonly Permission[]> = {
  county_admin: [
    'registry.read',
    'registry.write',
    'registry.reveal',
    'staff.manage',
    'users.manage',
    'audit.read',
    'policy.read',
    'policy.manage',
    'payroll.read',
    'payroll.generate',
    'payroll.review',
    'payments.one_off',
    'benefit.decide',
    'dept.manage',
    'dept.submit',
    'dept.query_log',
    'verify.request',
    'verify.read',
    'verify.batch',
    'campaign.manage',
    'campaign.read',
    'stats.read',
    'stats.freeze',
  ],
  county_approver: [
    'registry.read',
    'registry.reveal',
    'policy.read',
    'payroll.read',
    'payroll.review',
    'payroll.approve',
    'payments.one_off',
    'benefit.decide',
    'verify.request',
    'verify.read',
    'campaign.read',
    'stats.read',
  ],
  town_clerk: [
    'registry.read',
    'registry.write',
    'registry.reveal',
    'policy.read',
    'payroll.read',
    'payments.one_off',
    'benefit.decide',
    'verify.request',
    'verify.read',
    'campaign.read',
    'campaign.resolve',
    'stats.read',
  ],
  town_reviewer: [
    'registry.read',
    'registry.reveal',
    'policy.read',
    'payroll.read',
    'benefit.decide',
    'verify.request',
    'verify.read',
    'campaign.read',
    'campaign.resolve',
    'stats.read',
  ],
  village_assistant: ['registry.read', 'policy.read'],
  auditor: [
    'registry.read',
    'registry.reveal',
    'audit.read',
    'policy.read',
    'payroll.read',
    'dept.query_log',
    'verify.read',
    'verify.batch',
    'campaign.manage',
    'campaign.read',
    'stats.read',
  ],
  // Partner departments send their data (snapshot files); they do not browse the registry.
  partner_department: ['dept.submit'],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}
