import { describe, expect, it } from 'vitest';
import {
  type BankTransfer,
  bankRows,
  DEFAULT_BANK_LAYOUTS,
  type ExportedTransfer,
  GENERIC_LAYOUT,
  layoutFor,
  parseBankLayouts,
  parseReturnRows,
  plainYuan,
} from './bank-layout.ts';
import { decodeText, parseCsv, toCsv } from './csv.ts';

const transfer = (over: Partial<BankTransfer> = {}): BankTransfer => ({
  lineRef: 101,
  account: '6230123456789012345',
  holder: '李建国',
  idNumber: '440232195603120011',
  amountFen: 86850,
  town: '乳城镇',
  village: '鹰峰居委会',
  program: '农村低保',
  component: '低保金',
  benefitMonth: '2026-12',
  memo: '农村低保2026-12',
  ...over,
});

const rcb = layoutFor(DEFAULT_BANK_LAYOUTS, '广东乳源农村商业银行');
const psbc = layoutFor(DEFAULT_BANK_LAYOUTS, '中国邮政储蓄银行');

describe('bank layouts', () => {
  it('accepts the shipped default layouts', () => {
    expect(parseBankLayouts(DEFAULT_BANK_LAYOUTS)).toMatchObject({ ok: true });
  });

  it('uses a bank own layout, else the generic one', () => {
    expect(rcb.format).toBe('xlsx');
    expect(psbc.returnAmountUnit).toBe('fen');
    expect(layoutFor(DEFAULT_BANK_LAYOUTS, '中国农业银行').bankName).toBe('*');
    expect(layoutFor([], '中国农业银行')).toEqual(GENERIC_LAYOUT);
  });

  it.each([
    [
      'a file without an account column',
      { ...GENERIC_LAYOUT, columns: GENERIC_LAYOUT.columns.filter((c) => c.field !== 'account') },
      '发放文件必须包含「账号」列',
    ],
    [
      'a file without an amount',
      {
        ...GENERIC_LAYOUT,
        columns: GENERIC_LAYOUT.columns.filter((c) => c.field !== 'amount_yuan'),
      },
      '发放文件必须包含金额列',
    ],
    [
      'an unknown field',
      { ...GENERIC_LAYOUT, columns: [...GENERIC_LAYOUT.columns, { header: '电话', field: 'phone' }] },
      '字段应为',
    ],
    ['an unknown format', { ...GENERIC_LAYOUT, format: 'txt' }, '文件格式应为 csv 或 xlsx'],
    [
      'a repeated header',
      { ...GENERIC_LAYOUT, columns: [...GENERIC_LAYOUT.columns, { header: '账号', field: 'memo' }] },
      '列名「账号」重复',
    ],
    ['no success value', { ...GENERIC_LAYOUT, successValues: [] }, '至少要有一个成功标志'],
  ])('refuses %s with a Chinese message', (_label, layout, message) => {
    const r = parseBankLayouts([layout]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message).join('；')).toContain(message);
  });

  it('refuses two layouts for the same bank', () => {
    const r = parseBankLayouts([GENERIC_LAYOUT, GENERIC_LAYOUT]);
    expect(r).toMatchObject({ ok: false, issues: [{ path: '[1].bankName' }] });
  });
});

describe('bank file rows', () => {
  it('writes the header then one row per transfer, amounts in 元 as plain text', () => {
    const rows = bankRows(rcb, [transfer(), transfer({ lineRef: 102, amountFen: 123456700, village: null })]);
    expect(rows[0]).toEqual(['流水号', '收款账号', '收款户名', '证件号码', '金额', '乡镇', '村居', '摘要']);
    expect(rows[1]).toEqual([
      '101',
      '6230123456789012345',
      '李建国',
      '440232195603120011',
      '868.50',
      '乳城镇',
      '鹰峰居委会',
      '农村低保2026-12',
    ]);
    expect(rows[2]?.[4]).toBe('1234567.00');
    expect(rows[2]?.[6]).toBe('');
  });

  it('writes amounts in 分 as integers when the bank asks for 分', () => {
    expect(bankRows(psbc, [transfer({ amountFen: 5 })])[1]?.[4]).toBe(5);
  });

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [100, '1.00'],
    [123456789, '1234567.89'],
  ])('%d fen is %s 元 without grouping', (fen, yuan) => {
    expect(plainYuan(fen)).toBe(yuan);
  });
});

describe('return files', () => {
  const exported = new Map<number, ExportedTransfer>([
    [101, { account: '6230123456789012345', amountFen: 86850 }],
    [102, { account: '6230999988887777666', amountFen: 41000 }],
  ]);
  const head = ['流水号', '收款账号', '金额', '处理结果', '失败原因'];

  it('reads successes and failures with the bank reason, after any title rows', () => {
    const r = parseReturnRows(
      rcb,
      [
        ['乳源农商银行代发回盘', '', '', '', ''],
        head,
        ['101', '6230 1234 5678 9012 345', '868.5', '成功', ''],
        ['102', '6230999988887777666', 410, '失败', '账户已销户'],
        ['', '', '', '', ''],
      ],
      exported,
    );
    expect(r.errors).toEqual([]);
    expect(r.ok).toEqual([
      { row: 3, lineRef: 101, account: '6230123456789012345', amountFen: 86850, success: true, reason: null },
      {
        row: 4,
        lineRef: 102,
        account: '6230999988887777666',
        amountFen: 41000,
        success: false,
        reason: '账户已销户',
      },
    ]);
  });

  it('names the bank result when the bank gives no reason', () => {
    const r = parseReturnRows(rcb, [head, ['102', '6230999988887777666', '410.00', '失败', '']], exported);
    expect(r.ok[0]?.reason).toBe('银行返回「失败」，未说明原因');
  });

  it('accepts a return without the reason column', () => {
    const r = parseReturnRows(
      rcb,
      [head.slice(0, 4), ['101', '6230123456789012345', '868.50', '成功']],
      exported,
    );
    expect(r).toMatchObject({ errors: [], ok: [{ lineRef: 101, success: true }] });
  });

  it('reads amounts in 分 for a bank that returns 分', () => {
    const r = parseReturnRows(
      psbc,
      [
        ['业务参考号', '收款人账号', '金额（分）', '状态', '备注'],
        ['101', '6230123456789012345', '86850', 'S', ''],
      ],
      exported,
    );
    expect(r).toMatchObject({ errors: [], ok: [{ lineRef: 101, amountFen: 86850, success: true }] });
  });

  it.each([
    [
      'an amount that differs from the export',
      ['101', '6230123456789012345', '868.60', '成功', ''],
      '金额',
      '与导出的 868.50 元不一致',
    ],
    [
      'an amount with three decimals',
      ['101', '6230123456789012345', '868.505', '成功', ''],
      '金额',
      '不是有效的元数',
    ],
    [
      'an unknown reference',
      ['999', '6230123456789012345', '868.50', '成功', ''],
      '流水号',
      '明细编号 999 不在本批次',
    ],
    [
      'a reference that is not a number',
      ['A-1', '6230123456789012345', '868.50', '成功', ''],
      '流水号',
      '不是数字',
    ],
    [
      'a different account',
      ['101', '6230123456789012340', '868.50', '成功', ''],
      '收款账号',
      '与导出的账号不一致',
    ],
    ['an empty result', ['101', '6230123456789012345', '868.50', '', ''], '处理结果', '处理结果为空'],
  ])('reports %s with its row and column', (_label, line, field, reason) => {
    const r = parseReturnRows(rcb, [head, line], exported);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 2, field });
    expect(r.errors[0]?.reason).toContain(reason);
  });

  it('reports a reference that appears twice', () => {
    const line = ['101', '6230123456789012345', '868.50', '成功', ''];
    const r = parseReturnRows(rcb, [head, line, line], exported);
    expect(r.errors).toEqual([{ row: 3, field: '流水号', reason: '明细编号 101 与第 2 行重复' }]);
  });

  it('reports every missing column at the header row', () => {
    const r = parseReturnRows(
      rcb,
      [
        ['流水号', '收款账号', '失败原因'],
        ['101', '6230123456789012345', ''],
      ],
      exported,
    );
    expect(r.errors).toEqual([
      { row: 1, field: '金额', reason: '缺少「金额」列' },
      { row: 1, field: '处理结果', reason: '缺少「处理结果」列' },
    ]);
  });

  it('reports a file without the header, and one without rows', () => {
    expect(parseReturnRows(rcb, [['a', 'b']], exported).errors[0]?.reason).toContain('找不到表头');
    expect(parseReturnRows(rcb, [head], exported).errors[0]?.reason).toBe('回盘文件没有明细行');
  });
});

describe('CSV', () => {
  it('round-trips quotes, commas and line breaks, with a BOM for Excel', () => {
    const rows = [
      ['明细编号', '摘要'],
      ['1', '含,逗号'],
      ['2', '含"引号"'],
      ['3', '两\r\n行'],
    ];
    const csv = toCsv(rows);
    expect(csv.startsWith('\uFEFF明细编号,摘要\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual(rows);
  });

  it('decodes UTF-8 with a BOM and GBK from a bank system', () => {
    expect(decodeText(new TextEncoder().encode('\uFEFF成功'))).toBe('成功');
    // "成功" in GBK
    expect(decodeText(new Uint8Array([0xb3, 0xc9, 0xb9, 0xa6]))).toBe('成功');
  });

  it('reads a last line without a line break', () => {
    expect(parseCsv('a,b\n1,')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });
});
