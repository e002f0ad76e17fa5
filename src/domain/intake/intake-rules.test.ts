import { describe, expect, it } from 'vitest';
import { EMPTY_CALENDAR, type WorkCalendar } from '../calendar/working-days.ts';
import {
  archiveRefusal,
  authorisationIssues,
  availableActions,
  buildNotice,
  type DecisionContext,
  decideItem,
  deriveRequestStatus,
  forwardStatus,
  INTAKE_ITEMS,
  type IntakeItemCode,
  type ItemActionInput,
  type ItemDecision,
  type ItemState,
  idNumberRequired,
  itemLabel,
  materialsChecklist,
  type Notice,
  needsAuthorisation,
  noticeOpen,
  outstandingMaterials,
  receiveMaterials,
  registrationRefusal,
  suggestedForwardDue,
} from './intake-rules.ts';

const TODAY = '2026-11-30'; // a Monday

function item(
  itemCode: IntakeItemCode,
  decision: ItemDecision = 'pending',
  more: Partial<ItemState> = {},
): ItemState {
  return {
    itemCode,
    decision,
    department: null,
    forwardedOn: null,
    dueOn: null,
    reply: null,
    repliedOn: null,
    applicantInformedOn: null,
    reason: null,
    ...more,
  };
}

const ctx: DecisionContext = { today: TODAY, archived: false, outstanding: [] };

describe('the item catalogue (DOMAIN §2 rule 4)', () => {
  it.each([
    ['urban_dibao', '城市低保', 'window'],
    ['rural_dibao', '农村低保', 'window'],
    ['tekun', '特困人员救助供养', 'window'],
    ['medical_aid', '医疗救助', 'window'],
    ['temporary_aid', '临时救助', 'window'],
    ['education', '教育救助（教育部门）', 'department'],
    ['housing', '住房救助（住建部门）', 'department'],
    ['employment', '就业救助（人社部门）', 'department'],
    ['disability', '残疾人帮扶（残联）', 'department'],
    ['charity', '慈善帮扶（慈善组织）', 'charity'],
  ] as const)('%s is %s, handled by %s', (code, label, handling) => {
    expect(itemLabel(code)).toBe(label);
    expect(INTAKE_ITEMS[code].handling).toBe(handling);
  });
});

describe('who may register through which channel', () => {
  it.each([
    ['town_clerk', 'window', null],
    ['county_admin', 'hotline_12349', null],
    ['village_assistant', 'active_discovery', null],
    ['village_assistant', 'window', '村级协理员只能登记主动发现'],
    ['town_reviewer', 'window', '无权登记受理'],
    ['partner_department', 'active_discovery', '无权登记受理'],
    ['system', 'online', null],
  ] as const)('%s through %s → %s', (role, channel, refusal) => {
    const r = registrationRefusal(role, channel);
    if (refusal === null) expect(r).toBeNull();
    else expect(r).toContain(refusal);
  });

  it.each([
    ['window', true],
    ['online', true],
    ['delegated', true],
    ['active_discovery', false],
    ['hotline_12349', false],
  ] as const)('an ID number is required through %s: %s', (channel, required) => {
    expect(idNumberRequired(channel)).toBe(required);
  });
});

describe('materials checklist and the one-time notice (一次性告知)', () => {
  it('lists what 低保 needs, and what the county obtains itself', () => {
    const { demand, notDemanded } = materialsChecklist(['rural_dibao']);
    expect(demand.map((d) => d.label)).toEqual([
      '社会救助申请书（申请人签名）',
      '户口簿',
      '家庭成员居民身份证',
      '家庭收入及财产申报表',
      '家庭经济状况核对授权书（每位核对对象签名）',
      '残疾证或疾病诊断证明（病历）',
    ]);
    expect(demand.find((d) => d.code === 'disability_or_illness')?.when).toBe('家庭成员有残疾或患重病时');
    expect(notDemanded.map((n) => n.label)).toContain('不动产登记证明');
  });

  it('merges the checklists of several items, and the platform-obtained list without duplicates', () => {
    const { demand, notDemanded } = materialsChecklist(['rural_dibao', 'housing']);
    expect(demand.filter((d) => d.itemCode === 'housing').map((d) => d.code)).toEqual([
      'application',
      'hukou_book',
      'id_card',
      'housing_condition',
    ]);
    const codes = notDemanded.map((n) => n.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  const base = {
    existing: null,
    pendingItems: ['rural_dibao', 'housing'] as IntakeItemCode[],
    issuedOn: TODAY,
    issuedBy: '张经办',
  };

  it('lists everything missing, for every item, at once', () => {
    const r = buildNotice({
      ...base,
      missing: [
        { itemCode: 'rural_dibao', code: 'declaration' },
        { itemCode: 'rural_dibao', code: 'authorisation', note: '配偶未到场签名' },
        { itemCode: 'housing', code: 'housing_condition' },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.notice.materials.map((m) => m.label)).toEqual([
      '家庭收入及财产申报表',
      '家庭经济状况核对授权书（每位核对对象签名）',
      '现住房情况说明（村（居）委会出具）',
    ]);
    expect(r.notice.materials[1]?.note).toBe('配偶未到场签名');
    expect(noticeOpen(r.notice)).toBe(true);
    expect(outstandingMaterials(r.notice, 'housing')).toHaveLength(1);
  });

  it.each([
    [
      'a document obtainable from a government platform',
      [{ itemCode: 'rural_dibao', code: 'real_estate' }],
      '不得要求申请人提供',
      'materials[0].code',
    ],
    [
      'an item not requested',
      [{ itemCode: 'tekun', code: 'hukou_book' }],
      '待处理的事项',
      'materials[0].itemCode',
    ],
    [
      'a material not on the item’s checklist',
      [{ itemCode: 'housing', code: 'medical_bills' }],
      '不是“住房救助（住建部门）”所需',
      'materials[0].code',
    ],
    [
      'the same material twice',
      [
        { itemCode: 'housing', code: 'id_card' },
        { itemCode: 'housing', code: 'id_card' },
      ],
      '重复',
      'materials[1].code',
    ],
    ['nothing', [], '请勾选缺少的材料', 'materials'],
  ])('refuses %s', (_label, missing, message, field) => {
    const r = buildNotice({ ...base, missing });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusals[0]?.message).toContain(message);
    expect(r.refusals[0]?.field).toBe(field);
  });

  it('is given once: a second notice is refused', () => {
    const first = buildNotice({ ...base, missing: [{ itemCode: 'housing', code: 'id_card' }] });
    if (!first.ok) throw new Error('first notice refused');
    const second = buildNotice({
      ...base,
      existing: first.notice,
      missing: [{ itemCode: 'housing', code: 'hukou_book' }],
    });
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.refusals[0]?.message).toContain('不得再次要求');
  });

  it('records what was brought, in parts, and closes when all is there', () => {
    const notice: Notice = {
      issuedOn: '2026-11-20',
      issuedBy: '张经办',
      materials: [
        { itemCode: 'rural_dibao', code: 'declaration', label: '申报表', note: null, receivedOn: null },
        { itemCode: 'housing', code: 'housing_condition', label: '住房情况', note: null, receivedOn: null },
      ],
    };
    const part = receiveMaterials(notice, ['housing:housing_condition'], TODAY);
    expect(part.ok && part.stillMissing).toBe(1);
    if (!part.ok) return;
    expect(noticeOpen(part.notice)).toBe(true);
    const all = receiveMaterials(part.notice, null, TODAY);
    expect(all.ok && all.stillMissing).toBe(0);
    if (!all.ok) return;
    expect(noticeOpen(all.notice)).toBe(false);
    expect(all.notice.materials.every((m) => m.receivedOn === TODAY)).toBe(true);
    const again = receiveMaterials(all.notice, null, TODAY);
    expect(again.ok).toBe(false);
    const wrong = receiveMaterials(notice, ['housing:id_card'], TODAY);
    expect(!wrong.ok && wrong.refusals[0]?.field).toBe('received[0]');
  });
});

describe('decisions on an item', () => {
  type Case = [
    string,
    ItemState,
    ItemActionInput,
    Partial<DecisionContext>,
    string | Partial<ItemState>,
    string?,
  ];
  const cases: Case[] = [
    ['accept a window item', item('rural_dibao'), { action: 'accept' }, {}, { decision: 'accepted' }],
    [
      'accept a department item',
      item('housing'),
      { action: 'accept' },
      {},
      '由住建部门办理，窗口不能直接受理',
    ],
    ['accept a charity item', item('charity'), { action: 'accept' }, {}, '窗口不能直接受理'],
    ['accept twice', item('rural_dibao', 'accepted'), { action: 'accept' }, {}, '当前为“已受理”'],
    [
      'accept while materials are missing',
      item('rural_dibao'),
      { action: 'accept' },
      {
        outstanding: [
          {
            itemCode: 'rural_dibao',
            code: 'declaration',
            label: '家庭收入及财产申报表',
            note: null,
            receivedOn: null,
          },
        ],
      },
      '还缺少一次性告知的材料（家庭收入及财产申报表）',
    ],
    [
      'forward with a department and a due date',
      item('housing'),
      { action: 'forward', department: ' 住建部门 ', dueOn: '2026-12-14' },
      {},
      { decision: 'forwarded', department: '住建部门', forwardedOn: TODAY, dueOn: '2026-12-14' },
    ],
    [
      'forward with a due date today',
      item('medical_aid'),
      { action: 'forward', department: '医疗保障部门', dueOn: TODAY },
      {},
      { decision: 'forwarded', dueOn: TODAY },
    ],
    [
      'forward with a due date in the past',
      item('housing'),
      { action: 'forward', department: '住建部门', dueOn: '2026-11-27' },
      {},
      '答复期限不能早于今天',
      'dueOn',
    ],
    [
      'forward without a department',
      item('housing'),
      { action: 'forward', department: '  ', dueOn: '2026-12-14' },
      {},
      '请填写承办部门',
      'department',
    ],
    [
      'forward a charity item',
      item('charity'),
      { action: 'forward', department: '慈善会', dueOn: '2026-12-14' },
      {},
      '请选择“转介”',
    ],
    [
      'reply on a forwarded item',
      item('housing', 'forwarded', { forwardedOn: '2026-11-20', dueOn: '2026-12-04' }),
      { action: 'reply', reply: '已列入危房改造计划', repliedOn: TODAY },
      {},
      { decision: 'replied', reply: '已列入危房改造计划', repliedOn: TODAY },
    ],
    [
      'reply on an item not forwarded',
      item('housing'),
      { action: 'reply', reply: '已办理', repliedOn: TODAY },
      {},
      '未转办（当前：待处理），不能登记部门答复',
    ],
    [
      'reply dated before the forward',
      item('housing', 'forwarded', { forwardedOn: '2026-11-20' }),
      { action: 'reply', reply: '已办理', repliedOn: '2026-11-19' },
      {},
      '不能早于转办日期',
      'repliedOn',
    ],
    [
      'reply dated in the future',
      item('housing', 'forwarded', { forwardedOn: '2026-11-20' }),
      { action: 'reply', reply: '已办理', repliedOn: '2026-12-01' },
      {},
      '不能晚于今天',
      'repliedOn',
    ],
    [
      'inform after the reply',
      item('housing', 'replied', { repliedOn: '2026-11-25' }),
      { action: 'inform', informedOn: TODAY },
      {},
      { decision: 'closed', applicantInformedOn: TODAY },
    ],
    [
      'inform of a decision taken here',
      item('rural_dibao', 'rejected', { reason: '不符合条件' }),
      { action: 'inform', informedOn: TODAY },
      {},
      { applicantInformedOn: TODAY },
    ],
    [
      'inform before any reply or decision',
      item('housing', 'forwarded'),
      { action: 'inform', informedOn: TODAY },
      {},
      '尚未收到部门答复或作出决定',
    ],
    [
      'inform twice',
      item('housing', 'closed', { applicantInformedOn: '2026-11-26' }),
      { action: 'inform', informedOn: TODAY },
      {},
      '已于 2026-11-26 告知申请人',
    ],
    [
      'refer a department item',
      item('disability'),
      { action: 'refer', department: '残联', note: '请申请人持残疾证到县残联办理' },
      {},
      { decision: 'referred', department: '残联', reason: '请申请人持残疾证到县残联办理' },
    ],
    [
      'refer a charity item',
      item('charity'),
      { action: 'refer', department: '县慈善会' },
      {},
      { decision: 'referred', department: '县慈善会', forwardedOn: TODAY },
    ],
    [
      'refer a window item',
      item('urban_dibao'),
      { action: 'refer', department: '慈善组织' },
      {},
      '由窗口受理，不能转介',
    ],
    [
      'reject with a reason',
      item('temporary_aid'),
      { action: 'reject', reason: '困难已消除' },
      {},
      { decision: 'rejected', reason: '困难已消除' },
    ],
    [
      'reject without a reason',
      item('temporary_aid'),
      { action: 'reject', reason: ' ' },
      {},
      '须写明理由',
      'reason',
    ],
    [
      'anything on an archived request',
      item('rural_dibao'),
      { action: 'accept' },
      { archived: true },
      '已归档',
    ],
  ];

  it.each(cases)('%s', (_label, state, input, context, expected, field) => {
    const r = decideItem(state, input, { ...ctx, ...context });
    if (typeof expected === 'string') {
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.refusals[0]?.message).toContain(expected);
      expect(r.refusals[0]?.field).toBe(field);
    } else {
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.changes).toMatchObject(expected);
    }
  });

  it.each([
    ['rural_dibao', 'pending', null, ['accept', 'forward', 'reject']],
    ['housing', 'pending', null, ['forward', 'refer', 'reject']],
    ['charity', 'pending', null, ['refer', 'reject']],
    ['housing', 'forwarded', null, ['reply']],
    ['housing', 'replied', null, ['inform']],
    ['rural_dibao', 'accepted', null, ['inform']],
    ['rural_dibao', 'accepted', '2026-11-30', []],
    ['housing', 'closed', '2026-11-30', []],
  ] as const)('offers for %s %s (informed %s): %j', (code, decision, informed, actions) => {
    expect(availableActions({ itemCode: code, decision, applicantInformedOn: informed })).toEqual(actions);
  });
});

describe('the request status follows its items (DOMAIN §2 state machine)', () => {
  it.each([
    [false, false, ['pending', 'pending'], 'registered'],
    [false, true, ['pending', 'pending'], 'awaiting_materials'],
    [false, true, ['forwarded', 'pending'], 'awaiting_materials'],
    [false, false, ['accepted', 'pending'], 'in_progress'],
    [false, false, ['accepted', 'forwarded'], 'in_progress'],
    [false, false, ['accepted', 'replied'], 'in_progress'],
    [false, false, ['rejected', 'pending'], 'in_progress'],
    [false, false, ['accepted', 'closed'], 'closed'],
    [false, false, ['referred', 'rejected'], 'closed'],
    [false, true, ['rejected'], 'closed'],
    [true, false, ['accepted', 'closed'], 'archived'],
  ] as const)('archived %s, notice open %s, items %j → %s', (archived, open, decisions, status) => {
    expect(deriveRequestStatus({ archived, noticeOpen: open, decisions })).toBe(status);
  });

  it('archives only a finished request', () => {
    expect(archiveRefusal('closed')).toBeNull();
    expect(archiveRefusal('in_progress')).toContain('尚未办结（当前：办理中）');
    expect(archiveRefusal('archived')).toContain('已归档');
  });
});

describe('verification authorisations (授权书, DOMAIN §3.2)', () => {
  it.each([
    [{ signer: 'self', signedOn: TODAY }, []],
    [{ signer: 'guardian', signerName: '李建国', signedOn: TODAY }, []],
    [{ signer: 'guardian', signedOn: TODAY }, ['signerName']],
    [{ signer: 'proxy', signerName: '王五', signedOn: TODAY }, ['note']],
    [{ signer: 'proxy', signerName: '王五', note: '本人卧床不能书写', signedOn: TODAY }, []],
    [{ signer: 'heir', signerName: '李明', signedOn: TODAY }, []],
    [{ signer: 'self', signedOn: '2026-12-01' }, ['signedOn']],
  ] as const)('%j → problems with %j', (a, fields) => {
    expect(authorisationIssues(a, TODAY).map((i) => i.field)).toEqual(fields);
  });

  it('is needed for items with a household economic verification', () => {
    expect(needsAuthorisation(['housing'])).toBe(false);
    expect(needsAuthorisation(['housing', 'rural_dibao'])).toBe(true);
    expect(needsAuthorisation(['tekun'])).toBe(true);
  });
});

describe('deadlines of forwarded items', () => {
  // 2026-12-07 is a Monday; with a holiday on Tuesday 2026-12-08 (for the test).
  const calendar: WorkCalendar = { holidays: new Set(['2026-12-08']), workdays: new Set() };
  it.each([
    ['2026-12-14', TODAY, EMPTY_CALENDAR, 'on_time', 10],
    ['2026-12-02', TODAY, EMPTY_CALENDAR, 'due_soon', 2],
    ['2026-12-03', TODAY, EMPTY_CALENDAR, 'on_time', 3],
    [TODAY, TODAY, EMPTY_CALENDAR, 'due_soon', 0],
    ['2026-11-27', TODAY, EMPTY_CALENDAR, 'overdue', -1],
    // Over a weekend and a holiday: Fri 12-04 → Wed 12-09 is only 2 working days.
    ['2026-12-09', '2026-12-04', calendar, 'due_soon', 2],
    ['2026-12-09', '2026-12-04', EMPTY_CALENDAR, 'on_time', 3],
  ] as const)('due %s on %s → %s (%i working days)', (due, today, cal, status, left) => {
    const r = forwardStatus(due, today, cal);
    expect(r.status).toBe(status);
    expect(r.workingDaysLeft).toBe(left);
  });

  it('offers 10 working days by default, counting holidays', () => {
    expect(suggestedForwardDue(TODAY, EMPTY_CALENDAR)).toBe('2026-12-14');
    expect(suggestedForwardDue(TODAY, calendar)).toBe('2026-12-15');
  });
});
