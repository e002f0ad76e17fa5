import {
  AccountBookOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalculatorOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  FormOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { can, canSeeMenu, type Me, type MenuKey } from '../modules/auth/access.ts';

export interface MenuEntry {
  key: MenuKey;
  label: string;
  path: string;
  icon: ReactNode;
  children?: { label: string; path: string; visible?: (me: Me) => boolean }[];
}

/** The left menu, by task (Ant Design Pro convention). Entries a role may not use are hidden. */
export const MENU: MenuEntry[] = [
  { key: 'dashboard', label: '工作台', path: '/', icon: <DashboardOutlined /> },
  { key: 'intake', label: '受理登记', path: '/intake', icon: <FormOutlined /> },
  { key: 'approval', label: '审核审批', path: '/approval', icon: <AuditOutlined /> },
  { key: 'registry', label: '救助对象', path: '/registry', icon: <TeamOutlined /> },
  { key: 'registry', label: '备案与公示', path: '/filings', icon: <FileTextOutlined /> },
  { key: 'verification', label: '家庭经济状况核对', path: '/verification', icon: <FileSearchOutlined /> },
  { key: 'payments', label: '资金发放', path: '/payments', icon: <AccountBookOutlined /> },
  { key: 'calc', label: '政策测算', path: '/calc', icon: <CalculatorOutlined /> },
  { key: 'inspection', label: '核查', path: '/inspection', icon: <SafetyCertificateOutlined /> },
  { key: 'reports', label: '统计报表', path: '/reports', icon: <BarChartOutlined /> },
  {
    key: 'admin',
    label: '系统管理',
    path: '/admin',
    icon: <SettingOutlined />,
    children: [
      { label: '用户管理', path: '/admin/users', visible: (me) => can(me, 'users.manage') },
      { label: '行政区划', path: '/admin/areas' },
      { label: '审计日志', path: '/admin/audit', visible: (me) => can(me, 'audit.read') },
      { label: '节假日安排', path: '/admin/calendar', visible: (me) => can(me, 'users.manage') },
      { label: '政策参数', path: '/admin/policy', visible: (me) => can(me, 'policy.read') },
    ],
  },
];

export function visibleMenu(me: Me): MenuEntry[] {
  return MENU.filter((m) => canSeeMenu(me, m.key)).map((m) =>
    m.children ? { ...m, children: m.children.filter((c) => !c.visible || c.visible(me)) } : m,
  );
}

/** Breadcrumb titles for paths that are not menu entries. */
export const CRUMBS: { pattern: RegExp; trail: string[] }[] = [
  { pattern: /^\/intake\/\d+$/, trail: ['受理登记', '申请详情'] },
  { pattern: /^\/approval\/cases\/\d+$/, trail: ['审核审批', '个案详情'] },
  { pattern: /^\/registry\/households\/new$/, trail: ['救助对象', '新建家庭'] },
  { pattern: /^\/registry\/households\/\d+\/edit$/, trail: ['救助对象', '家庭详情', '编辑'] },
  { pattern: /^\/registry\/households\/\d+$/, trail: ['救助对象', '家庭详情'] },
  { pattern: /^\/registry\/import$/, trail: ['救助对象', '导入花名册'] },
  { pattern: /^\/payments\/payrolls\/\d+$/, trail: ['资金发放', '发放名册'] },
  { pattern: /^\/payments\/one-off$/, trail: ['资金发放', '一次性发放'] },
  { pattern: /^\/verification\/reports\/\d+$/, trail: ['家庭经济状况核对', '核对报告'] },
  { pattern: /^\/inspection\/campaigns\/\d+$/, trail: ['核查', '核查活动'] },
];
