/** Which recorded event is a case's decision, and how its 决定书 words it (DOMAIN §4.6, §16). */
import type { CaseDetail, CaseEvent, Effect } from '../types.ts';
import { formatMonth, formatYuan } from '../utils/labels.ts';

export type DecisionKind = 'grant' | 'refuse' | 'terminate' | 'stop' | 'decrease' | 'increase' | 'gradual';

const KINDS: Record<string, DecisionKind> = {
  confirm: 'grant',
  grant: 'grant',
  approve: 'grant',
  grant_advance: 'grant',
  refuse: 'refuse',
  find_ineligible: 'refuse',
  close_ineligible: 'refuse',
  terminate: 'terminate',
  approve_termination: 'terminate',
  cancel_on_death: 'stop',
  stop: 'stop',
  end_gradual_exit: 'stop',
  voluntary_exit: 'stop',
  decrease: 'decrease',
  increase: 'increase',
  start_gradual_exit: 'gradual',
};

/** Decisions against the applicant: the 决定书 carries the appeal information (DOMAIN §16). */
export const ADVERSE_KINDS: ReadonlySet<DecisionKind> = new Set([
  'refuse',
  'terminate',
  'stop',
  'decrease',
  'gradual',
]);

export interface CaseDecision {
  kind: DecisionKind;
  event: CaseEvent;
  decidedOn: string;
  reasons: string | null;
  /** 'YYYY-MM' the decision takes effect from (enrol, stop, change), when the decision has one. */
  fromMonth: string | null;
  lastMonth: string | null;
}

function monthOf(effects: Effect[]): { fromMonth: string | null; lastMonth: string | null } {
  for (const e of effects) {
    if (e.kind === 'gradual_exit') return { fromMonth: e.fromMonth, lastMonth: e.lastMonth };
    if (e.kind === 'enrol' || e.kind === 'stop_payment' || e.kind === 'change_amount') {
      return { fromMonth: e.fromMonth, lastMonth: null };
    }
  }
  return { fromMonth: null, lastMonth: null };
}

/** The latest decision recorded on the case, or null while nothing has been decided. */
export function caseDecision(c: CaseDetail): CaseDecision | null {
  for (const event of [...c.events].reverse()) {
    const kind = KINDS[event.action];
    if (!kind) continue;
    // Under the 2012 rules 审批同意 only opens the county's notice; 公示无异议，批准 (grant) decides.
    if (event.action === 'approve' && c.procedure === 'dibao_2012') continue;
    const notice = event.effects.find((e) => e.kind === 'notice_due');
    const reasons =
      event.input?.reasons ??
      (notice?.kind === 'notice_due' ? notice.reasons : undefined) ??
      (c.decision === event.action ? c.reasons : null);
    return { kind, event, decidedOn: event.decidedOn, reasons: reasons || null, ...monthOf(event.effects) };
  }
  return null;
}

const isDibao = (c: CaseDetail) => c.programCode === 'urban_dibao' || c.programCode === 'rural_dibao';
const isTekun = (c: CaseDetail) => c.programCode === 'urban_tekun' || c.programCode === 'rural_tekun';

export function decisionTitle(c: CaseDetail, d: CaseDecision): string {
  if (c.programCode === 'temporary_aid') return '临时救助决定书';
  if (isTekun(c)) return d.kind === 'terminate' ? '特困人员终止救助供养决定书' : '特困人员认定决定书';
  if (c.procedure === 'dibao_changes') return '最低生活保障变更决定书';
  if (c.procedure === 'dibao_2012') return '最低生活保障审批决定书';
  return '最低生活保障审核确认决定书';
}

/** The decision in a few words: 确认同意 / 不予确认 / 不予认定 / 不予救助 / 终止…… */
export function decisionWord(c: CaseDetail, d: CaseDecision): string {
  const temp = c.programCode === 'temporary_aid';
  const tekun = isTekun(c);
  switch (d.kind) {
    case 'grant':
      if (temp) return '批准给予临时救助';
      if (tekun) return '认定为特困人员';
      return c.procedure === 'dibao_2012' ? '批准' : '确认同意';
    case 'refuse':
      if (temp) return '不予救助';
      if (tekun) return '不予认定';
      return c.procedure === 'dibao_2012' ? '不予批准' : '不予确认';
    case 'terminate':
      return tekun ? '终止救助供养' : '终止审核确认';
    case 'stop':
      return isDibao(c) ? '停止发放最低生活保障金' : '停止救助';
    case 'decrease':
      return '减发最低生活保障金';
    case 'increase':
      return '增发最低生活保障金';
    case 'gradual':
      return '给予渐退期';
  }
}

/** The operative sentence of the 决定书. */
export function decisionSentence(c: CaseDetail, d: CaseDecision, amountFen: number | null): string {
  const word = decisionWord(c, d);
  const from = d.fromMonth ? formatMonth(d.fromMonth) : null;
  switch (d.kind) {
    case 'grant':
      if (c.programCode === 'temporary_aid') {
        return `经审核，决定${word}${amountFen !== null ? `${formatYuan(amountFen)}元` : ''}。`;
      }
      return `经审核，决定${word}你（家庭）享受${c.programName}${from ? `，自${from}起发放` : ''}。`;
    case 'refuse':
      return `经审核，你（家庭）申请的${c.programName}不符合条件，决定${word}。`;
    case 'terminate':
      return from ? `经审核，决定自${from}起${word}。` : `经审核，决定${word}。`;
    case 'stop':
    case 'decrease':
    case 'increase':
      return from ? `经审核，决定自${from}起${word}。` : `经审核，决定${word}。`;
    case 'gradual':
      return `经审核，决定${word}${from ? `，自${from}起` : ''}${
        d.lastMonth ? `至${formatMonth(d.lastMonth)}止，期满后停止发放` : ''
      }。`;
  }
}
