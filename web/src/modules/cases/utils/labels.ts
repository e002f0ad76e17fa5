/** Chinese labels and small helpers of the 审核审批 screens; the rules themselves stay in src/domain/workflow. */
import { ROLES, type Role } from '../../../../../src/domain/access/roles.ts';
import { chinaDate } from '../../../../../src/domain/calendar/dates.ts';
import type { MachineDef, ProcedureCode } from '../../../../../src/domain/workflow/machine.ts';
import { MACHINES, type Program } from '../../../../../src/domain/workflow/procedures.ts';
import { TERMINATION_REASON_LABELS } from '../../../../../src/domain/workflow/tekun-2021.ts';
import { AID_TYPE_LABELS } from '../../../../../src/domain/workflow/temporary-aid.ts';
import type { DeadlineStatus, Effect } from '../types.ts';

/** The programs a case can be opened for (CASE_PROGRAMS on the server). */
export const CASE_PROGRAMS: { code: Program; name: string }[] = [
  { code: 'rural_dibao', name: '农村低保' },
  { code: 'urban_dibao', name: '城市低保' },
  { code: 'rural_tekun', name: '农村特困供养' },
  { code: 'urban_tekun', name: '城市特困供养' },
  { code: 'temporary_aid', name: '临时救助' },
];

export const PROGRAM_COLORS: Record<string, string> = {
  urban_dibao: 'blue',
  rural_dibao: 'green',
  urban_tekun: 'purple',
  rural_tekun: 'magenta',
  temporary_aid: 'orange',
};

export function isTekun(program: string): boolean {
  return program === 'urban_tekun' || program === 'rural_tekun';
}

export function machineOf(procedure: string): MachineDef<string> | undefined {
  return MACHINES[procedure as ProcedureCode];
}

/** States in which a public notice (公示) runs: objections can be recorded, and the clock is the notice. */
export const NOTICE_STATES: readonly string[] = [
  'public_notice',
  'town_notice',
  'county_notice',
  'termination_notice',
];

export function isTerminal(procedure: string, state: string): boolean {
  const s = (machineOf(procedure)?.states as Record<string, { terminal?: boolean }> | undefined)?.[state];
  return Boolean(s?.terminal);
}

/**
 * State filter options: every state code once, with the label of the first procedure (current rules
 * first) that has it, and whether it ends a case.
 */
export function stateOptions(): { value: string; label: string; terminal: boolean }[] {
  const order: ProcedureCode[] = [
    'dibao_2021',
    'tekun_2021',
    'temporary_aid',
    'dibao_2012',
    'tekun_2016',
    'dibao_changes',
    'tekun_termination',
  ];
  const seen = new Map<string, { value: string; label: string; terminal: boolean }>();
  for (const code of order) {
    const states = MACHINES[code].states as Record<string, { label: string; terminal?: boolean }>;
    for (const [value, s] of Object.entries(states)) {
      if (!seen.has(value)) seen.set(value, { value, label: s.label, terminal: Boolean(s.terminal) });
    }
  }
  return [...seen.values()];
}

export const DEADLINE_TAGS: Record<DeadlineStatus, { color: string; label: string }> = {
  overdue: { color: 'red', label: '逾期' },
  due_today: { color: 'orange', label: '今日到期' },
  due_soon: { color: 'gold', label: '即将到期' },
  on_time: { color: 'green', label: '正常' },
};

/** During a notice the clock is the notice period: when it ends the town may go on, nothing is late. */
export const NOTICE_TAGS: Record<DeadlineStatus, { color: string; label: string }> = {
  overdue: { color: 'green', label: '公示期满' },
  due_today: { color: 'gold', label: '今日期满' },
  due_soon: { color: 'blue', label: '公示中' },
  on_time: { color: 'blue', label: '公示中' },
};

/** Decisions against the applicant: never the highlighted next step, and shown in red. */
export const ADVERSE: ReadonlySet<string> = new Set([
  'find_ineligible',
  'close_ineligible',
  'refuse',
  'terminate',
  'reject_termination',
  'stop',
  'decrease',
]);

/** The roles that may take an action, for "需由……办理". The county admin is not a case handler. */
export function rolesOf(procedure: string, action: string): string {
  const def = machineOf(procedure)?.actions.find((a) => a.action === action);
  const roles = (def?.roles ?? []).filter((r) => r !== 'county_admin') as Role[];
  return roles.map((r) => ROLES[r].label).join('或');
}

export const OPINION_LABELS: Record<string, string> = { grant: '拟同意', refuse: '拟不同意' };
export const SUPPORT_MODE_LABELS: Record<string, string> = {
  centralized: '集中供养',
  dispersed: '分散供养',
};
export { AID_TYPE_LABELS, TERMINATION_REASON_LABELS };

/** The label of the 理由 box, by action: what the rule asks to be written down. */
const REASON_LABELS: Record<string, string> = {
  find_ineligible: '不符合条件的理由',
  recheck: '申请人的异议及证据',
  reinvestigate: '异议内容',
  hold_appraisal: '异议内容',
  reinvestigate_on_objection: '异议内容',
  reinvestigate_termination: '异议内容',
  appraisal_disputed: '争议内容',
  submit_opinion: '意见说明',
  start_public_notice: '意见说明',
  complete_appraisal: '意见说明',
  terminate: '终止理由',
  start_termination_notice: '终止理由',
  dismiss_termination: '调查结论',
  report_change: '变化情况',
  start_gradual_exit: '渐退理由',
  reconfirm: '重新确认的理由',
};

export function reasonLabel(action: string, actionLabel: string): string {
  return REASON_LABELS[action] ?? `${actionLabel}的理由`;
}

/** Record-keeping events (POST /facts) are not workflow actions; the server returns their codes. */
export const FACT_EVENT_LABELS: Record<string, string> = {
  record_investigation: '登记调查组',
  record_county_home_visit: '登记县级入户核查',
  record_objection: '登记公示异议',
  record_complaint: '登记举报',
  record_self_care: '登记生活自理能力评估',
};

export const TASK_LABELS: Record<string, string> = {
  notice_refusal: '书面告知申请人（不予批准的理由）',
  notice_decision: '书面告知申请人（核对结果）',
  notice_missing_materials: '一次性告知补正材料',
  notice_termination: '书面告知终止理由',
  county_home_visit: '县级入户核查',
  complete_paperwork: '补齐先行救助手续',
  recheck_after_death: '成员死亡后复核家庭情况',
  audit_review: '核查问题复核',
};

export const TASK_STATUS: Record<string, { label: string; color: string }> = {
  open: { label: '待办', color: 'processing' },
  done: { label: '已完成', color: 'success' },
  cancelled: { label: '已取消', color: 'default' },
};

const NOTICE_LABELS: Record<string, string> = {
  refusal: '不予批准的书面通知',
  decision: '核对结果的书面告知',
  missing_materials: '补正材料告知',
  termination: '终止的书面通知',
};

/** 'YYYY-MM' → 'YYYY年M月'. */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** One effect of a decision, as a sentence for the history. */
export function describeEffect(e: Effect, townName?: (code: string) => string): string {
  switch (e.kind) {
    case 'enrol':
      return `纳入救助，自${formatMonth(e.fromMonth)}起发放${e.supportMode ? `（${SUPPORT_MODE_LABELS[e.supportMode]}）` : ''}`;
    case 'stop_payment':
      return `自${formatMonth(e.fromMonth)}起停发`;
    case 'change_amount':
      return `自${formatMonth(e.fromMonth)}起${e.direction === 'increase' ? '增发' : '减发'}`;
    case 'gradual_exit':
      return `渐退期：${formatMonth(e.fromMonth)}至${formatMonth(e.lastMonth)}`;
    case 'notice_due':
      return `须送达${NOTICE_LABELS[e.notice] ?? '书面通知'}${e.due ? `（${e.due}前）` : ''}`;
    case 'task':
      return `${TASK_LABELS[e.task] ?? e.task}（${e.due}前）`;
    case 'public_notice':
      return `公示至${e.endsOn}`;
    case 'disburse':
      return `发放${formatYuan(e.amountFen)}元`;
    case 'transfer':
      return `转至${townName ? townName(e.toTownCode) : e.toTownCode}`;
  }
}

/** Today in China ('YYYY-MM-DD'). */
export function todayInChina(): string {
  return chinaDate(new Date());
}

/** An ISO timestamp as China time, 'YYYY-MM-DD HH:mm'. */
export function formatChinaTime(iso: string): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * '1234.5' (元, as typed) → 123450 fen, without floating-point rounding; null when it is not an amount
 * with at most two decimals.
 */
export function yuanToFen(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/**
 * The main road of each procedure, for the progress bar; side states (民主评议, 不予确认…) are shown
 * where the case left the road.
 */
export const MAIN_PATHS: Record<ProcedureCode, string[]> = {
  dibao_2021: ['accepted', 'investigating', 'opinion_done', 'public_notice', 'county_review', 'approved'],
  dibao_2012: ['investigating', 'appraisal', 'town_review', 'town_notice', 'county_review', 'approved'],
  tekun_2021: ['investigating', 'opinion_done', 'public_notice', 'county_review', 'approved'],
  tekun_2016: ['investigating', 'opinion_done', 'public_notice', 'county_review', 'approved'],
  temporary_aid: ['accepted', 'investigating', 'public_notice', 'approval', 'approved', 'paid'],
  dibao_changes: ['enrolled', 'under_review'],
  tekun_termination: [
    'enrolled',
    'termination_investigating',
    'termination_notice',
    'termination_review',
    'terminated',
  ],
};
