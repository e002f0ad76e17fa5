/** Colours, hints and small formatting helpers of the 受理登记 screens. */
import type {
  ForwardStatus,
  ItemDecision,
  RequestStatus,
} from '../../../../src/domain/intake/intake-rules.ts';
import { can, type Me } from '../auth/access.ts';
import type { Deadline, IntakeItem } from './types.ts';

export const STATUS_COLORS: Record<RequestStatus, string> = {
  registered: 'default',
  awaiting_materials: 'orange',
  in_progress: 'processing',
  closed: 'success',
  archived: 'purple',
};

export const DECISION_COLORS: Record<ItemDecision, string> = {
  pending: 'default',
  accepted: 'green',
  forwarded: 'blue',
  replied: 'cyan',
  closed: 'green',
  referred: 'geekblue',
  rejected: 'red',
};

export const DEADLINE_COLORS: Record<ForwardStatus, string> = {
  on_time: 'blue',
  due_soon: 'orange',
  overdue: 'red',
};

/** The window (registry.write) registers everything; a village assistant registers what they found (主动发现). */
export function canRegister(me: Me): boolean {
  return can(me, 'registry.write') || me.role === 'village_assistant';
}

/** What the clerk should do next on an item, in one sentence. */
export function nextStep(item: IntakeItem, noticeOpen: boolean): string {
  switch (item.decision) {
    case 'pending':
      if (item.outstanding.length > 0) {
        return `等申请人补齐材料（${item.outstanding.join('、')}）后再办理`;
      }
      if (item.handling === 'window') {
        return noticeOpen
          ? '本事项材料已齐，可点“受理”；不属于窗口办理的点“转办”'
          : '材料齐全的点“受理”；需其他部门办理的点“转办”；不符合条件的点“不予受理”';
      }
      if (item.handling === 'charity') return '点“转介”交慈善组织等社会力量帮扶';
      return `点“转办”交${item.defaultDepartment ?? '相关部门'}办理并跟踪答复，或点“转介”`;
    case 'forwarded':
      return `等待${item.department ?? '承办部门'}答复（期限 ${item.dueOn ?? '—'}），收到后点“登记答复”`;
    case 'replied':
      return '把部门答复告知申请人后，点“已告知申请人”';
    case 'accepted':
      return item.applicantInformedOn
        ? '已受理，转入审核审批'
        : '已受理，转入审核审批；把受理结果告知申请人后点“已告知申请人”';
    case 'referred':
      return item.applicantInformedOn ? '已转介' : '已转介；告知申请人后点“已告知申请人”';
    case 'rejected':
      return item.applicantInformedOn
        ? '已作出不予受理决定并告知申请人'
        : '把不予受理的理由书面告知申请人（可申请复议或诉讼）后，点“已告知申请人”';
    case 'closed':
      return '已办结';
  }
}

/** '2026-11-30' → '2026年11月30日' (for printed documents). */
export function chineseDate(date: string | null | undefined): string {
  if (!date) return '____年__月__日';
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** '已超期 3 个工作日' / '今天到期' / '剩 2 个工作日' for a forwarded item's due date. */
export function deadlineText(d: Deadline, dueOn: string | null, today: string): string {
  if (d.status === 'overdue')
    return d.workingDaysLeft < 0 ? `已超期 ${-d.workingDaysLeft} 个工作日` : '已超期';
  if (dueOn === today) return '今天到期';
  return d.status === 'due_soon'
    ? `即将到期（剩 ${d.workingDaysLeft} 个工作日）`
    : `剩 ${d.workingDaysLeft} 个工作日`;
}
