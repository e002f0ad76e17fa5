/**
 * Guards shared by the procedures: written reasons, recusal and separation of duties, who decides
 * under delegation, the mandatory county home visit, and the public notice. Each returns the
 * refusals (empty when the rule is met), so a machine can list all that apply at once.
 */
import { addDays } from '../calendar/dates.ts';
import type { ActionInput, Actor, CaseFacts, Effect, Refusal } from './machine.ts';

export function refusal(code: string, message: string, source?: string): Refusal {
  return source === undefined ? { code, message } : { code, message, source };
}

/**
 * DOMAIN §16 and §4.9 (暂行办法 Art. 13): refusals, reductions and stops are written decisions with
 * reasons; an objection or a re-check is recorded with what was said.
 */
export function requireReasons(input: ActionInput, source: string, what = '书面理由'): Refusal[] {
  return input.reasons?.trim() ? [] : [refusal('reasons_required', `请填写${what}`, source)];
}

const RECUSAL_SOURCE = '近亲属备案与回避（DOMAIN §10）';

/** DOMAIN §10 (recusal): a related official may not investigate, review or confirm the case. */
export function recusal(facts: CaseFacts, actor: Actor, what: string): Refusal[] {
  if (!facts.relatedStaffUserIds.includes(actor.userId)) return [];
  return [refusal('recusal', `您是该家庭成员的近亲属，应当回避，不能${what}`, RECUSAL_SOURCE)];
}

/** DOMAIN §10: a related official may not be on the investigation team either. */
export function relatedInvestigators(facts: CaseFacts): Refusal[] {
  if (!facts.investigatorUserIds.some((id) => facts.relatedStaffUserIds.includes(id))) return [];
  return [
    refusal('related_investigator', '调查人员中有该家庭成员的近亲属，应当更换调查人员', RECUSAL_SOURCE),
  ];
}

/** ADR 0005 (separation of duties): who investigated the case may not decide it. */
export function investigatorMayNotDecide(facts: CaseFacts, actor: Actor): Refusal[] {
  if (!facts.investigatorUserIds.includes(actor.userId)) return [];
  return [refusal('investigator_decides', '参与入户调查的工作人员不能审核确认本案（调查与审批相分离）')];
}

/** DOMAIN §4.5 Art. 18, §4.6 Art. 16: home investigations are done by at least two staff. */
export function teamOfTwo(facts: CaseFacts, source: string): Refusal[] {
  if (new Set(facts.investigatorUserIds).size >= 2) return [];
  return [refusal('team_too_small', '入户调查应当由至少2名工作人员进行，请登记调查人员', source)];
}

/**
 * DOMAIN §1 and §10: the county decides; a town reviewer may decide only where the county delegated
 * confirmation — and never for a close-relative case, which stays with the county even then
 * (审核确认办法 Art. 20 requires the county's own home visit for these cases).
 */
export function decisionLevel(facts: CaseFacts, actor: Actor, source: string): Refusal[] {
  if (actor.level === 'county') return [];
  if (!facts.delegatedToTown) {
    return [refusal('not_delegated', '县级民政部门未将审核确认权限下放至乡镇，须由县级审核确认', source)];
  }
  if (facts.closeRelative) {
    return [
      refusal(
        'close_relative_county_only',
        '近亲属备案家庭须由县级民政部门审核确认，即使已下放权限也不能由乡镇确认',
        RECUSAL_SOURCE,
      ),
    ];
  }
  return [];
}

/**
 * DOMAIN §4.6 Art. 20 and §4.5 Art. 26 (100% 入户): close-relative cases and cases with a complaint
 * need the county's own home visit before the county decides either way.
 */
export function countyHomeVisit(facts: CaseFacts, source: string): Refusal[] {
  if (!(facts.closeRelative || facts.complaintOnFile) || facts.countyHomeVisitRecorded) return [];
  const who = facts.closeRelative ? '近亲属备案家庭' : '被投诉举报的家庭';
  return [refusal('county_home_visit_missing', `${who}须先登记县级入户核查，方可作出决定`, source)];
}

/** Whether the county must visit the home of this case (a task when the file reaches the county). */
export function needsCountyHomeVisit(facts: CaseFacts): boolean {
  return (facts.closeRelative || facts.complaintOnFile === true) && !facts.countyHomeVisitRecorded;
}

/** The notice was posted and its period has run: on or after `publicNoticeEndsOn`. */
export function publicNoticeEnded(facts: CaseFacts, on: string, source: string): Refusal[] {
  if (facts.publicNoticeEndsOn === null) return [refusal('public_notice_missing', '尚未公示', source)];
  if (on < facts.publicNoticeEndsOn) {
    return [refusal('public_notice_running', `公示期至${facts.publicNoticeEndsOn}届满，尚未期满`, source)];
  }
  return [];
}

export function noOpenObjection(facts: CaseFacts, source: string): Refusal[] {
  return facts.objectionOpen ? [refusal('objection_open', '公示期间收到的异议尚未处理', source)] : [];
}

/** DOMAIN §4.5 Art. 25, §4.6 Art. 19, §5.4 Art. 15: the notice is posted for 7 (calendar) days. */
export const PUBLIC_NOTICE_DAYS = 7;

export function publicNoticeEffect(decidedOn: string, days = PUBLIC_NOTICE_DAYS): Effect {
  return { kind: 'public_notice', endsOn: addDays(decidedOn, days) };
}

/** The town's initial opinion must say grant or refuse; a proposed refusal needs its reasons. */
export function requireOpinion(input: ActionInput, source: string): Refusal[] {
  if (input.opinion !== 'grant' && input.opinion !== 'refuse') {
    return [refusal('opinion_required', '请选择初审意见：拟同意或拟不同意', source)];
  }
  return input.opinion === 'refuse' ? requireReasons(input, source, '拟不同意的理由') : [];
}
