/**
 * One-window intake (一门受理、协同办理, DOMAIN §2): what can be asked for at the town window, through
 * which channels, what each item needs on paper, the one-time notice of missing materials
 * (一次性告知), the decisions on each requested item with their guards, the request status derived
 * from the items, the verification authorisations (授权书, DOMAIN §3.2) and the deadlines of forwarded
 * items. Pure: no database, no clock; `today` ('YYYY-MM-DD', China time) and the calendar are passed in.
 */
import { hasPermission, ROLES, type Role } from '../access/roles.ts';
import { isIsoDate } from '../calendar/dates.ts';
import { addWorkingDays, deadlineStatus, type WorkCalendar } from '../calendar/working-days.ts';

// ---------------------------------------------------------------------------------------------
// The item catalogue

/**
 * How an item is handled: at the window itself (DOMAIN §2 rule 4: 低保, 特困供养, 医疗救助, 临时救助),
 * by forwarding to the responsible county department (教育, 住房, 就业 … rule 4, rule 2/Art. 60), or by
 * referral to a charity (转介, rule 6).
 */
export type ItemHandling = 'window' | 'department' | 'charity';

export interface ItemSpec {
  label: string;
  handling: ItemHandling;
  /** The body that handles a department or charity item (shown with the label, proposed when forwarding). */
  department: string | null;
}

export const INTAKE_ITEMS = {
  urban_dibao: { label: '城市低保', handling: 'window', department: null },
  rural_dibao: { label: '农村低保', handling: 'window', department: null },
  tekun: { label: '特困人员救助供养', handling: 'window', department: null },
  medical_aid: { label: '医疗救助', handling: 'window', department: null },
  temporary_aid: { label: '临时救助', handling: 'window', department: null },
  education: { label: '教育救助', handling: 'department', department: '教育部门' },
  housing: { label: '住房救助', handling: 'department', department: '住建部门' },
  employment: { label: '就业救助', handling: 'department', department: '人社部门' },
  disability: { label: '残疾人帮扶', handling: 'department', department: '残联' },
  charity: { label: '慈善帮扶', handling: 'charity', department: '慈善组织' },
} as const satisfies Record<string, ItemSpec>;

export type IntakeItemCode = keyof typeof INTAKE_ITEMS;
export const INTAKE_ITEM_CODES = Object.keys(INTAKE_ITEMS) as [IntakeItemCode, ...IntakeItemCode[]];

export function isIntakeItemCode(code: string): code is IntakeItemCode {
  return Object.hasOwn(INTAKE_ITEMS, code);
}

/** '住房救助（住建部门）' for department and charity items, '城市低保' for window items. */
export function itemLabel(code: string): string {
  if (!isIntakeItemCode(code)) return code;
  const spec: ItemSpec = INTAKE_ITEMS[code];
  return spec.department ? `${spec.label}（${spec.department}）` : spec.label;
}

/**
 * Bodies a clerk forwards to or refers to (suggestions; the clerk may type another). 医疗救助 is
 * approved by the county medical-security bureau since the 2019 amendment (DOMAIN §1).
 */
export const DEPARTMENT_SUGGESTIONS = [
  '住建部门',
  '教育部门',
  '人社部门',
  '残联',
  '医疗保障部门',
  '卫生健康部门',
  '应急管理部门',
  '慈善组织',
  '县民政局',
] as const;

// ---------------------------------------------------------------------------------------------
// Channels

/** DOMAIN §2: the window, online, delegated intake, active discovery (rule 8), the 12349 hotline (rule 7). */
export const CHANNELS = {
  window: '窗口',
  online: '网上',
  active_discovery: '主动发现',
  hotline_12349: '12349热线',
  delegated: '委托代办',
} as const;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_CODES = Object.keys(CHANNELS) as [Channel, ...Channel[]];

/**
 * The applicant's ID number is required when the applicant (or their agent) applies. A hardship found
 * by a village assistant or reported on the hotline may be registered before it is known.
 */
export function idNumberRequired(channel: Channel): boolean {
  return channel !== 'active_discovery' && channel !== 'hotline_12349';
}

/**
 * Who may register a request: whoever may write the registry (the town window, the county), and the
 * village assistant for a hardship they found themselves — active discovery is a duty of the village
 * (DOMAIN §2 rule 8; 审核确认办法 Art. 6; 2020 意见 item 22). Returns the refusal, or null.
 */
export function registrationRefusal(role: Role | 'system', channel: Channel): string | null {
  if (role === 'system' || hasPermission(role, 'registry.write')) return null;
  if (role === 'village_assistant') {
    return channel === 'active_discovery'
      ? null
      : '村级协理员只能登记主动发现的困难情况（DOMAIN §2 第8条）；其他渠道的申请请到乡镇窗口登记';
  }
  return `您的角色（${ROLES[role].label}）无权登记受理`;
}

// ---------------------------------------------------------------------------------------------
// Materials (一次性告知)

export interface MaterialSpec {
  label: string;
  /** Only needed in some situations: shown as the condition; the clerk decides whether it applies. */
  when?: string;
  /**
   * Obtainable from a government data platform (the 核对 platform, civil-affairs data…): it must not be
   * demanded from the applicant (DOMAIN §2; 审核确认办法 Art. 10; 2020 意见 item 24). The source.
   */
  shared?: string;
}

export const MATERIALS = {
  application: { label: '社会救助申请书（申请人签名）' },
  hukou_book: { label: '户口簿' },
  id_card: { label: '家庭成员居民身份证' },
  declaration: { label: '家庭收入及财产申报表' },
  authorisation: { label: '家庭经济状况核对授权书（每位核对对象签名）' },
  disability_or_illness: {
    label: '残疾证或疾病诊断证明（病历）',
    when: '家庭成员有残疾或患重病时',
  },
  supporter_statement: {
    label: '法定赡养、抚养、扶养义务人情况说明',
    when: '有法定义务人时',
  },
  medical_bills: { label: '医疗费用发票及费用清单' },
  diagnosis: { label: '疾病诊断证明或出院小结' },
  hardship_evidence: { label: '遭遇困难的证明材料（如事故、灾害证明）' },
  school_proof: { label: '在学证明或录取通知书' },
  housing_condition: { label: '现住房情况说明（村（居）委会出具）' },
  hardship_statement: { label: '家庭困难情况说明' },
  // Never demanded: the county obtains these itself.
  marriage_record: { label: '婚姻登记证明', shared: '民政婚姻登记信息' },
  real_estate: { label: '不动产登记证明', shared: '不动产登记信息（经核对平台查询）' },
  social_insurance: { label: '社会保险缴费证明', shared: '人社社会保险信息（经核对平台查询）' },
  provident_fund: { label: '住房公积金缴存证明', shared: '住房公积金信息（经核对平台查询）' },
  vehicle_record: { label: '车辆登记证明', shared: '公安车辆登记信息（经核对平台查询）' },
  tax_record: { label: '纳税记录证明', shared: '税务信息（经核对平台查询）' },
  business_record: { label: '市场主体登记证明', shared: '市场主体登记信息（经核对平台查询）' },
  death_record: { label: '死亡证明', shared: '民政殡葬信息、公安户籍信息' },
  unemployment_record: { label: '就业失业登记证明', shared: '人社就业失业登记信息' },
  assistance_status: { label: '低保、特困等救助身份证明', shared: '民政救助信息系统' },
} as const satisfies Record<string, MaterialSpec>;

export type MaterialCode = keyof typeof MATERIALS;

export function isMaterialCode(code: string): code is MaterialCode {
  return Object.hasOwn(MATERIALS, code);
}

/** What a complete application of each item contains, and what the county checks itself. */
export const CHECKLISTS: Record<IntakeItemCode, { demand: MaterialCode[]; shared: MaterialCode[] }> = {
  // DOMAIN §3.2 (审核确认办法 Art. 9(3), 220号 Art. 12(2)): authorisation; §3.1: what the platform checks.
  urban_dibao: {
    demand: ['application', 'hukou_book', 'id_card', 'declaration', 'authorisation', 'disability_or_illness'],
    shared: [
      'marriage_record',
      'real_estate',
      'social_insurance',
      'provident_fund',
      'vehicle_record',
      'tax_record',
      'business_record',
    ],
  },
  rural_dibao: {
    demand: ['application', 'hukou_book', 'id_card', 'declaration', 'authorisation', 'disability_or_illness'],
    shared: [
      'marriage_record',
      'real_estate',
      'social_insurance',
      'provident_fund',
      'vehicle_record',
      'tax_record',
      'business_record',
    ],
  },
  // DOMAIN §3.2: 特困认定办法 Art. 10 — the applicant and the legally obliged supporters authorise.
  tekun: {
    demand: [
      'application',
      'hukou_book',
      'id_card',
      'declaration',
      'authorisation',
      'disability_or_illness',
      'supporter_statement',
    ],
    shared: ['marriage_record', 'real_estate', 'social_insurance', 'vehicle_record', 'death_record'],
  },
  medical_aid: {
    demand: ['application', 'id_card', 'medical_bills', 'diagnosis'],
    shared: ['assistance_status'],
  },
  temporary_aid: {
    demand: ['application', 'hukou_book', 'id_card', 'declaration', 'authorisation', 'hardship_evidence'],
    shared: ['real_estate', 'vehicle_record', 'assistance_status'],
  },
  education: { demand: ['application', 'id_card', 'school_proof'], shared: ['assistance_status'] },
  housing: {
    demand: ['application', 'hukou_book', 'id_card', 'housing_condition'],
    shared: ['real_estate', 'assistance_status'],
  },
  employment: { demand: ['application', 'id_card'], shared: ['unemployment_record', 'assistance_status'] },
  disability: {
    demand: ['application', 'id_card', 'disability_or_illness'],
    shared: ['assistance_status'],
  },
  charity: { demand: ['id_card', 'hardship_statement'], shared: ['assistance_status'] },
};

export interface ChecklistEntry {
  itemCode: IntakeItemCode;
  code: MaterialCode;
  label: string;
  when: string | null;
}

/** The materials each requested item needs, in catalogue order, and those the county obtains itself. */
export function materialsChecklist(itemCodes: readonly IntakeItemCode[]): {
  demand: ChecklistEntry[];
  notDemanded: { code: MaterialCode; label: string; source: string }[];
} {
  const demand: ChecklistEntry[] = [];
  const shared = new Set<MaterialCode>();
  for (const itemCode of itemCodes) {
    for (const code of CHECKLISTS[itemCode].demand) {
      const m: MaterialSpec = MATERIALS[code];
      demand.push({ itemCode, code, label: m.label, when: m.when ?? null });
    }
    for (const code of CHECKLISTS[itemCode].shared) shared.add(code);
  }
  const notDemanded = [...shared].map((code) => {
    const m: MaterialSpec = MATERIALS[code];
    return { code, label: m.label, source: m.shared ?? '' };
  });
  return { demand, notDemanded };
}

/** A material listed on a one-time notice; `receivedOn` is set when the applicant brings it. */
export interface NoticeMaterial {
  itemCode: IntakeItemCode;
  code: MaterialCode;
  label: string;
  note: string | null;
  receivedOn: string | null;
}

/** 一次性告知书: issued once per request, listing everything missing at once (DOMAIN §2). */
export interface Notice {
  issuedOn: string;
  issuedBy: string;
  materials: NoticeMaterial[];
}

export interface FieldRefusal {
  code: string;
  message: string;
  /** The input field the refusal is about (a form can show it there); none for a refusal of the action. */
  field?: string;
}

const SOURCE_NOTICE = '一次性告知（DOMAIN §2；审核确认办法第十条）';

/**
 * Builds the one-time notice from the materials the clerk found missing. Refuses: a second notice (the
 * notice is given once, with everything; DOMAIN §2, 审核确认办法 Art. 10, 220号 Art. 13), an empty
 * list, a material of an item not requested or already decided, one not on the item's checklist, one
 * obtainable from a government platform (must not be demanded), or a duplicate.
 */
export function buildNotice(input: {
  existing: Notice | null;
  pendingItems: readonly IntakeItemCode[];
  missing: readonly { itemCode: string; code: string; note?: string | null | undefined }[];
  issuedOn: string;
  issuedBy: string;
}): { ok: true; notice: Notice } | { ok: false; refusals: FieldRefusal[] } {
  if (input.existing) {
    return {
      ok: false,
      refusals: [
        {
          code: 'notice_already_issued',
          message: `一次性告知书已于 ${input.existing.issuedOn} 出具。按一次性告知要求，不得再次要求申请人补充其他材料（${SOURCE_NOTICE}）`,
        },
      ],
    };
  }
  if (input.missing.length === 0) {
    return {
      ok: false,
      refusals: [
        {
          code: 'notice_empty',
          message: '请勾选缺少的材料；材料齐全时无需出具一次性告知书',
          field: 'materials',
        },
      ],
    };
  }
  const refusals: FieldRefusal[] = [];
  const seen = new Set<string>();
  const materials: NoticeMaterial[] = [];
  input.missing.forEach((m, i) => {
    const field = `materials[${i}]`;
    if (!isIntakeItemCode(m.itemCode) || !input.pendingItems.includes(m.itemCode)) {
      refusals.push({
        code: 'notice_item_not_pending',
        message: `“${itemLabel(m.itemCode)}”不是本申请中待处理的事项，不能为其要求补正材料`,
        field: `${field}.itemCode`,
      });
      return;
    }
    if (!isMaterialCode(m.code)) {
      refusals.push({
        code: 'notice_unknown_material',
        message: `材料代码 ${m.code} 不存在`,
        field: `${field}.code`,
      });
      return;
    }
    const spec: MaterialSpec = MATERIALS[m.code];
    if (spec.shared) {
      refusals.push({
        code: 'notice_shared_material',
        message: `“${spec.label}”可通过${spec.shared}获取，不得要求申请人提供（DOMAIN §2；审核确认办法第十条）`,
        field: `${field}.code`,
      });
      return;
    }
    if (!CHECKLISTS[m.itemCode].demand.includes(m.code)) {
      refusals.push({
        code: 'notice_not_on_checklist',
        message: `“${spec.label}”不是“${itemLabel(m.itemCode)}”所需的申请材料`,
        field: `${field}.code`,
      });
      return;
    }
    const key = `${m.itemCode}:${m.code}`;
    if (seen.has(key)) {
      refusals.push({
        code: 'notice_duplicate',
        message: `“${itemLabel(m.itemCode)}”的“${spec.label}”重复列出`,
        field: `${field}.code`,
      });
      return;
    }
    seen.add(key);
    materials.push({
      itemCode: m.itemCode,
      code: m.code,
      label: spec.label,
      note: m.note?.trim() ? m.note.trim() : null,
      receivedOn: null,
    });
  });
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, notice: { issuedOn: input.issuedOn, issuedBy: input.issuedBy, materials } };
}

/** The notice is open while anything on it has not been brought. */
export function noticeOpen(notice: Notice | null): boolean {
  return notice?.materials.some((m) => m.receivedOn === null) ?? false;
}

/** Materials still missing for one item. */
export function outstandingMaterials(notice: Notice | null, itemCode: string): NoticeMaterial[] {
  return notice ? notice.materials.filter((m) => m.itemCode === itemCode && m.receivedOn === null) : [];
}

export const materialKey = (m: { itemCode: string; code: string }) => `${m.itemCode}:${m.code}`;

/**
 * Records materials the applicant brought (all outstanding ones when `keys` is null). Refuses when
 * there is no open notice or a key is not an outstanding material of it.
 */
export function receiveMaterials(
  notice: Notice | null,
  keys: readonly string[] | null,
  today: string,
): { ok: true; notice: Notice; stillMissing: number } | { ok: false; refusals: FieldRefusal[] } {
  if (!notice || !noticeOpen(notice)) {
    return {
      ok: false,
      refusals: [
        { code: 'no_open_notice', message: '本申请没有待补正的材料（未出具一次性告知书或材料已补齐）' },
      ],
    };
  }
  const outstanding = new Set(notice.materials.filter((m) => m.receivedOn === null).map(materialKey));
  const wanted = keys === null ? outstanding : new Set(keys);
  if (wanted.size === 0) {
    return {
      ok: false,
      refusals: [{ code: 'nothing_received', message: '请勾选申请人已补交的材料', field: 'received' }],
    };
  }
  const refusals: FieldRefusal[] = [];
  [...wanted].forEach((k, i) => {
    if (!outstanding.has(k)) {
      refusals.push({
        code: 'not_outstanding',
        message: `“${k}”不是一次性告知书上尚未补交的材料`,
        field: `received[${i}]`,
      });
    }
  });
  if (refusals.length > 0) return { ok: false, refusals };
  const materials = notice.materials.map((m) =>
    m.receivedOn === null && wanted.has(materialKey(m)) ? { ...m, receivedOn: today } : m,
  );
  return {
    ok: true,
    notice: { ...notice, materials },
    stillMissing: materials.filter((m) => m.receivedOn === null).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Item decisions

/**
 * Where an item stands (stored in intake_item.decision). `closed` = the department replied and the
 * applicant was told. DOMAIN §2 suggested intake record: accepted here / forwarded / referred / rejected.
 */
export const ITEM_DECISIONS = {
  pending: '待处理',
  accepted: '已受理',
  forwarded: '已转办',
  replied: '部门已答复',
  closed: '已答复并告知',
  referred: '已转介',
  rejected: '不予受理',
} as const;
export type ItemDecision = keyof typeof ITEM_DECISIONS;

export function isItemDecision(value: string): value is ItemDecision {
  return Object.hasOwn(ITEM_DECISIONS, value);
}

/**
 * An item is finished when accepted here (the case file takes over from the intake record), replied
 * and the applicant told, referred, or rejected.
 */
export function isItemClosed(decision: ItemDecision): boolean {
  return (
    decision === 'accepted' || decision === 'closed' || decision === 'referred' || decision === 'rejected'
  );
}

export const ITEM_ACTIONS = {
  accept: '受理',
  forward: '转办',
  refer: '转介',
  reject: '不予受理',
  reply: '登记答复',
  inform: '已告知申请人',
} as const;
export type ItemActionCode = keyof typeof ITEM_ACTIONS;

export type ItemActionInput =
  | { action: 'accept' }
  | { action: 'forward'; department: string; dueOn: string }
  | { action: 'reply'; reply: string; repliedOn: string }
  | { action: 'inform'; informedOn: string }
  | { action: 'refer'; department: string; note?: string | null }
  | { action: 'reject'; reason: string };

export interface ItemState {
  itemCode: IntakeItemCode;
  decision: ItemDecision;
  department: string | null;
  forwardedOn: string | null;
  dueOn: string | null;
  reply: string | null;
  repliedOn: string | null;
  applicantInformedOn: string | null;
  reason: string | null;
}

export interface DecisionContext {
  today: string;
  /** The request is archived: nothing more is done on it. */
  archived: boolean;
  /** Materials on the open one-time notice that are still missing for this item. */
  outstanding: readonly NoticeMaterial[];
}

/** The actions that make sense for an item now (the buttons a clerk sees), before any input is given. */
export function availableActions(item: Pick<ItemState, 'itemCode' | 'decision' | 'applicantInformedOn'>) {
  const handling: ItemHandling = INTAKE_ITEMS[item.itemCode].handling;
  const actions: ItemActionCode[] = [];
  switch (item.decision) {
    case 'pending':
      if (handling === 'window') actions.push('accept');
      if (handling !== 'charity') actions.push('forward');
      if (handling !== 'window') actions.push('refer');
      actions.push('reject');
      break;
    case 'forwarded':
      actions.push('reply');
      break;
    case 'replied':
      actions.push('inform');
      break;
    case 'accepted':
    case 'referred':
    case 'rejected':
      if (item.applicantInformedOn === null) actions.push('inform');
      break;
    case 'closed':
      break;
  }
  return actions;
}

const blank = (s: string | null | undefined) => !s?.trim();

/**
 * Decides one action on one item: the refusals (in Chinese, with the input field when it is about one)
 * or the changes to store. DOMAIN §2: the window accepts or forwards (暂行办法 Art. 60); forwarding,
 * following up, replying to the applicant and referral to charities (rule 6); acceptance follows the
 * correction of an incomplete application (state machine: 一次性告知补正 → 受理); DOMAIN §16: a
 * refusal is a written decision with reasons.
 */
export function decideItem(
  item: ItemState,
  input: ItemActionInput,
  ctx: DecisionContext,
): { ok: true; changes: Partial<ItemState> } | { ok: false; refusals: FieldRefusal[] } {
  const spec: ItemSpec = INTAKE_ITEMS[item.itemCode];
  const name = `“${spec.label}”`;
  const now = ITEM_DECISIONS[item.decision];
  const refuse = (code: string, message: string, field?: string) => ({
    ok: false as const,
    refusals: [field === undefined ? { code, message } : { code, message, field }],
  });
  if (ctx.archived) return refuse('archived', '该申请已归档，不能再办理');

  const mustBePending = (what: string) =>
    item.decision === 'pending' ? null : refuse('not_pending', `${name}当前为“${now}”，不能再${what}`);
  const materialsMissing = (what: string) =>
    ctx.outstanding.length === 0
      ? null
      : refuse(
          'materials_outstanding',
          `${name}还缺少一次性告知的材料（${ctx.outstanding.map((m) => m.label).join('、')}），补齐后方可${what}（DOMAIN §2）`,
        );

  switch (input.action) {
    case 'accept': {
      if (spec.handling !== 'window') {
        return refuse(
          'not_window_item',
          `${name}由${spec.department}办理，窗口不能直接受理，请选择“转办”或“转介”`,
        );
      }
      const r = mustBePending('受理') ?? materialsMissing('受理');
      if (r) return r;
      return { ok: true, changes: { decision: 'accepted' } };
    }
    case 'forward': {
      if (spec.handling === 'charity') {
        return refuse('charity_not_forwarded', `${name}由慈善组织等社会力量开展，请选择“转介”`);
      }
      const r = mustBePending('转办') ?? materialsMissing('转办');
      if (r) return r;
      if (blank(input.department)) return refuse('department_required', '请填写承办部门', 'department');
      if (!isIsoDate(input.dueOn)) return refuse('due_invalid', '答复期限应为有效日期', 'dueOn');
      if (input.dueOn < ctx.today) {
        return refuse('due_in_past', `答复期限不能早于今天（${ctx.today}）`, 'dueOn');
      }
      return {
        ok: true,
        changes: {
          decision: 'forwarded',
          department: input.department.trim(),
          forwardedOn: ctx.today,
          dueOn: input.dueOn,
        },
      };
    }
    case 'reply': {
      if (item.decision !== 'forwarded') {
        return refuse('not_forwarded', `${name}未转办（当前：${now}），不能登记部门答复`);
      }
      if (blank(input.reply)) return refuse('reply_required', '请填写部门答复内容', 'reply');
      if (!isIsoDate(input.repliedOn) || input.repliedOn > ctx.today) {
        return refuse('replied_on_invalid', `答复日期不能晚于今天（${ctx.today}）`, 'repliedOn');
      }
      if (item.forwardedOn && input.repliedOn < item.forwardedOn) {
        return refuse(
          'replied_before_forward',
          `答复日期不能早于转办日期（${item.forwardedOn}）`,
          'repliedOn',
        );
      }
      return {
        ok: true,
        changes: { decision: 'replied', reply: input.reply.trim(), repliedOn: input.repliedOn },
      };
    }
    case 'inform': {
      if (item.decision === 'pending' || item.decision === 'forwarded') {
        return refuse('nothing_to_inform', `${name}尚未收到部门答复或作出决定，不能登记已告知申请人`);
      }
      if (item.applicantInformedOn !== null) {
        return refuse('already_informed', `${name}已于 ${item.applicantInformedOn} 告知申请人`);
      }
      if (!isIsoDate(input.informedOn) || input.informedOn > ctx.today) {
        return refuse('informed_on_invalid', `告知日期不能晚于今天（${ctx.today}）`, 'informedOn');
      }
      if (item.repliedOn && input.informedOn < item.repliedOn) {
        return refuse(
          'informed_before_reply',
          `告知日期不能早于部门答复日期（${item.repliedOn}）`,
          'informedOn',
        );
      }
      return {
        ok: true,
        changes: {
          applicantInformedOn: input.informedOn,
          ...(item.decision === 'replied' ? { decision: 'closed' as const } : {}),
        },
      };
    }
    case 'refer': {
      if (spec.handling === 'window') {
        return refuse(
          'window_item_not_referred',
          `${name}由窗口受理，不能转介；不符合条件的请选择“不予受理”并写明理由`,
        );
      }
      const r = mustBePending('转介');
      if (r) return r;
      if (blank(input.department))
        return refuse('department_required', '请填写转介的部门或组织', 'department');
      return {
        ok: true,
        changes: {
          decision: 'referred',
          department: input.department.trim(),
          forwardedOn: ctx.today,
          reason: input.note?.trim() ? input.note.trim() : null,
        },
      };
    }
    case 'reject': {
      const r = mustBePending('作出不予受理决定');
      if (r) return r;
      if (blank(input.reason)) {
        return refuse('reason_required', '不予受理须写明理由（DOMAIN §16：书面决定并说明理由）', 'reason');
      }
      return { ok: true, changes: { decision: 'rejected', reason: input.reason.trim() } };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Request status

/** DOMAIN §2 intake state machine: 登记 → 补正中 → 办理中 → 办结 → 归档. */
export const REQUEST_STATUS = {
  registered: '登记',
  awaiting_materials: '补正中',
  in_progress: '办理中',
  closed: '办结',
  archived: '归档',
} as const;
export type RequestStatus = keyof typeof REQUEST_STATUS;
export const REQUEST_STATUS_CODES = Object.keys(REQUEST_STATUS) as [RequestStatus, ...RequestStatus[]];

/**
 * The status follows from the items: 归档 only by an explicit action; 办结 when every item is finished;
 * 补正中 while a one-time notice is open; 办理中 once any item is decided; otherwise 登记.
 */
export function deriveRequestStatus(input: {
  archived: boolean;
  noticeOpen: boolean;
  decisions: readonly ItemDecision[];
}): RequestStatus {
  if (input.archived) return 'archived';
  if (input.decisions.length > 0 && input.decisions.every(isItemClosed)) return 'closed';
  if (input.noticeOpen) return 'awaiting_materials';
  if (input.decisions.some((d) => d !== 'pending')) return 'in_progress';
  return 'registered';
}

/** Archiving closes the file (DOMAIN §2 rule 6): only a request whose every item is finished. */
export function archiveRefusal(status: RequestStatus): string | null {
  if (status === 'archived') return '该申请已归档';
  if (status !== 'closed') return `该申请尚未办结（当前：${REQUEST_STATUS[status]}），各事项办结后方可归档`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Verification authorisations (授权书, DOMAIN §3.2)

/**
 * Who signs for the person being verified: the person, a guardian (no or limited civil capacity), a
 * proxy with a written authorisation stating why the person cannot sign, or the heirs/legatees of a
 * deceased person who still has to be checked (Guangzhou rules, DOMAIN §3.2).
 */
export const SIGNERS = {
  self: '本人',
  guardian: '监护人',
  proxy: '受托人',
  heir: '法定继承人或受遗赠人',
} as const;
export type Signer = keyof typeof SIGNERS;
export const SIGNER_CODES = Object.keys(SIGNERS) as [Signer, ...Signer[]];

/** The problems of one authorisation, by field (empty = it may be recorded). */
export function authorisationIssues(
  a: { signer: Signer; signerName?: string | null; note?: string | null; signedOn: string },
  today: string,
): FieldRefusal[] {
  const issues: FieldRefusal[] = [];
  if (a.signer !== 'self' && blank(a.signerName)) {
    issues.push({
      code: 'signer_name_required',
      message: `由${SIGNERS[a.signer]}签署时，须填写${SIGNERS[a.signer]}姓名`,
      field: 'signerName',
    });
  }
  if (a.signer === 'proxy' && blank(a.note)) {
    issues.push({
      code: 'proxy_reason_required',
      message: '委托他人代签的，须写明本人不能签名的原因（DOMAIN §3.2）',
      field: 'note',
    });
  }
  if (!isIsoDate(a.signedOn) || a.signedOn > today) {
    issues.push({
      code: 'signed_on_invalid',
      message: `签署日期不能晚于今天（${today}）`,
      field: 'signedOn',
    });
  }
  return issues;
}

/** Items whose procedure runs a household economic verification (DOMAIN §3): each person must authorise. */
export function needsAuthorisation(itemCodes: readonly IntakeItemCode[]): boolean {
  return itemCodes.some((c) => CHECKLISTS[c].demand.includes('authorisation'));
}

// ---------------------------------------------------------------------------------------------
// Deadlines of forwarded items

export type ForwardStatus = 'on_time' | 'due_soon' | 'overdue';
export const FORWARD_STATUS: Record<ForwardStatus, string> = {
  on_time: '按期办理中',
  due_soon: '即将到期',
  overdue: '已超期',
};

/** Working days before the due date from which a forwarded item shows as due soon (督办提醒). */
export const FORWARD_WARN_WORKING_DAYS = 2;

/**
 * A forwarded item's deadline on `today` (the 政务服务中心 monitors 转办 deadlines, DOMAIN §2 rule 6):
 * overdue after the due date; due soon on the due date and within FORWARD_WARN_WORKING_DAYS working days.
 */
export function forwardStatus(
  due: string,
  today: string,
  calendar: WorkCalendar,
): { status: ForwardStatus; workingDaysLeft: number; label: string } {
  const d = deadlineStatus(due, today, calendar, FORWARD_WARN_WORKING_DAYS);
  const status: ForwardStatus =
    d.status === 'overdue' ? 'overdue' : d.status === 'on_time' ? 'on_time' : 'due_soon';
  return { status, workingDaysLeft: d.workingDaysLeft, label: FORWARD_STATUS[status] };
}

/**
 * The due date a clerk is offered when forwarding. No national time limit exists for a department's
 * reply; 10 working days is this system's default (a local parameter, DOMAIN §15 "time limits per step").
 */
export const DEFAULT_FORWARD_WORKING_DAYS = 10;

export function suggestedForwardDue(today: string, calendar: WorkCalendar): string {
  return addWorkingDays(today, DEFAULT_FORWARD_WORKING_DAYS, calendar);
}
