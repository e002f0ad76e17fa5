import { ACTION_LABELS } from '../../../../src/domain/household/field-labels.ts';

/** A raw row of GET /api/v1/audit. */
export interface AuditRow {
  id: number;
  chain: string;
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  county_code: string | null;
  town_code: string | null;
  before_json: string | null;
  after_json: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditPage {
  total: number;
  page: number;
  pageSize: number;
  items: AuditRow[];
}

export interface ChainReport {
  ok: boolean;
  chains: { chain: string; entries: number }[];
  entriesChecked: number;
  firstBroken: null | { id: number; chain: string; seq: number; reason: string; message: string };
}

/** The record types a clerk filters by; the others appear in the list with their own labels. */
export const ENTITY_FILTERS: { value: string; label: string }[] = [
  { value: 'household', label: '家庭' },
  { value: 'person', label: '人员' },
  { value: 'user', label: '用户' },
  { value: 'staff', label: '备案人员' },
  { value: 'area', label: '区划' },
];

export const ENTITY_LABELS: Record<string, string> = {
  ...Object.fromEntries(ENTITY_FILTERS.map((e) => [e.value, e.label])),
  household_member: '家庭成员',
  household_area_history: '住址记录',
  enrolment: '在保记录',
  staff_relative: '备案近亲属',
};

export const actionLabel = (action: string): string => ACTION_LABELS[action] ?? action;

export const ACTION_OPTIONS = Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }));

export const BREAK_REASONS: Record<string, string> = {
  HASH_MISMATCH: '记录内容与哈希不符（记录被篡改）',
  PREV_HASH_MISMATCH: '前一条哈希不符（记录被替换或重排）',
  SEQ_GAP: '序号不连续（记录被删除或插入）',
  TRUNCATED: '链尾记录缺失（末尾记录被删除）',
};

/** Actions that are refusals or failures, shown in red. */
export const ALARM_ACTIONS = new Set([
  'access.denied',
  'auth.login_failed',
  'auth.locked',
  'auth.login_refused_locked',
  'auth.login_refused_disabled',
]);

/** The filters of the audit list, as kept in the URL query. */
export const FILTER_KEYS = ['username', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
