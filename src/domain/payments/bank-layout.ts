/**
 * 社会化发放 (DOMAIN §4.8: benefits are paid through banks or credit cooperatives to the recipient's
 * account): the layout of a bank's batch file and of the return file (回盘文件) the bank sends back.
 * A layout is data, stored in `setting` (key `bank_layouts`) and validated here; each bank has its own
 * columns, and a generic layout ('*') serves any bank without one.
 *
 * A bank file row is one transfer to one account: the payroll lines of a household paid to the same
 * account in one batch are summed, and the row's reference (明细编号) is the smallest payroll_line.id
 * among them. The return must repeat that reference, the account and the amount exactly.
 */
import { z } from 'zod';
import { formatYuan, yuanToFen } from '../money/money.ts';

export const BANK_FIELDS = {
  line_ref: '明细编号',
  account: '账号',
  holder: '户名',
  id_number: '身份证号码',
  amount_yuan: '金额（元）',
  amount_fen: '金额（分）',
  town: '乡镇',
  village: '村（居）',
  program: '救助项目',
  component: '发放项目',
  benefit_month: '所属月份',
  memo: '摘要',
} as const;
export type BankField = keyof typeof BANK_FIELDS;
const FIELD_CODES = Object.keys(BANK_FIELDS) as [BankField, ...BankField[]];

/** The layout used for a bank without its own: its bankName. */
export const GENERIC_BANK = '*';

const header = z
  .string({ error: '列名应为文字' })
  .trim()
  .min(1, { error: '列名不能为空' })
  .max(40, { error: '列名不能超过 40 个字' });

export const bankLayoutSchema = z
  .object({
    bankName: z
      .string({ error: '请填写银行名称' })
      .trim()
      .min(1, { error: '请填写银行名称' })
      .max(60, { error: '银行名称不能超过 60 个字' }),
    format: z.enum(['csv', 'xlsx'], { error: '文件格式应为 csv 或 xlsx' }),
    columns: z
      .array(
        z.object({
          header,
          field: z.enum(FIELD_CODES, {
            error: `字段应为 ${FIELD_CODES.map((f) => `${f}（${BANK_FIELDS[f]}）`).join('、')} 之一`,
          }),
        }),
        { error: '请列出发放文件的各列' },
      )
      .min(1, { error: '发放文件至少要有一列' })
      .max(30, { error: '发放文件不能超过 30 列' }),
    returnColumns: z.object(
      {
        lineRef: header,
        account: header,
        amount: header,
        result: header,
        reason: header.optional(),
      },
      { error: '请填写回盘文件的列名（明细编号、账号、金额、处理结果）' },
    ),
    /** The unit of the return file's amount column. */
    returnAmountUnit: z
      .enum(['yuan', 'fen'], { error: '回盘金额单位应为 yuan（元）或 fen（分）' })
      .default('yuan'),
    /** Values of the result column that mean the transfer succeeded; anything else is a failure. */
    successValues: z
      .array(z.string().trim().min(1, { error: '成功标志不能为空' }), { error: '请填写成功标志' })
      .min(1, { error: '至少要有一个成功标志，如 "成功"' }),
  })
  .superRefine((layout, ctx) => {
    const fields = layout.columns.map((c) => c.field);
    for (const required of ['line_ref', 'account', 'holder'] as const) {
      if (!fields.includes(required)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns'],
          message: `发放文件必须包含「${BANK_FIELDS[required]}」列（字段 ${required}）`,
        });
      }
    }
    if (!fields.includes('amount_yuan') && !fields.includes('amount_fen')) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: '发放文件必须包含金额列（字段 amount_yuan 或 amount_fen）',
      });
    }
    const seen = new Set<string>();
    layout.columns.forEach((c, i) => {
      if (seen.has(c.header))
        ctx.addIssue({ code: 'custom', path: ['columns', i, 'header'], message: `列名「${c.header}」重复` });
      seen.add(c.header);
    });
  });
export type BankLayout = z.infer<typeof bankLayoutSchema>;
export type BankLayoutInput = z.input<typeof bankLayoutSchema>;

export const bankLayoutsSchema = z
  .array(bankLayoutSchema, { error: '银行文件格式应为列表' })
  .max(50, { error: '银行文件格式不能超过 50 个' })
  .superRefine((layouts, ctx) => {
    const seen = new Set<string>();
    layouts.forEach((l, i) => {
      if (seen.has(l.bankName))
        ctx.addIssue({ code: 'custom', path: [i, 'bankName'], message: `银行「${l.bankName}」的格式重复` });
      seen.add(l.bankName);
    });
  });

export type ParseLayoutsResult =
  | { ok: true; value: BankLayout[] }
  | { ok: false; issues: { path: string; message: string }[] };

export function parseBankLayouts(body: unknown): ParseLayoutsResult {
  const r = bankLayoutsSchema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({
      path: i.path
        .map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`))
        .join(''),
      message: i.message,
    })),
  };
}

/** The generic layout: every useful column, amounts in 元, a CSV file. */
export const GENERIC_LAYOUT: BankLayout = {
  bankName: GENERIC_BANK,
  format: 'csv',
  columns: [
    { header: '明细编号', field: 'line_ref' },
    { header: '账号', field: 'account' },
    { header: '户名', field: 'holder' },
    { header: '身份证号码', field: 'id_number' },
    { header: '金额（元）', field: 'amount_yuan' },
    { header: '乡镇', field: 'town' },
    { header: '村（居）', field: 'village' },
    { header: '救助项目', field: 'program' },
    { header: '所属月份', field: 'benefit_month' },
    { header: '摘要', field: 'memo' },
  ],
  returnColumns: {
    lineRef: '明细编号',
    account: '账号',
    amount: '金额（元）',
    result: '处理结果',
    reason: '失败原因',
  },
  returnAmountUnit: 'yuan',
  successValues: ['成功', '1', 'S'],
};

/**
 * The banks of the demo county (乳源: 农商银行, 邮储银行, 农业银行 — see modules/demo) as a county
 * would first configure them; 农业银行 uses the generic layout.
 */
export const DEFAULT_BANK_LAYOUTS: BankLayout[] = [
  {
    bankName: '广东乳源农村商业银行',
    format: 'xlsx',
    columns: [
      { header: '流水号', field: 'line_ref' },
      { header: '收款账号', field: 'account' },
      { header: '收款户名', field: 'holder' },
      { header: '证件号码', field: 'id_number' },
      { header: '金额', field: 'amount_yuan' },
      { header: '乡镇', field: 'town' },
      { header: '村居', field: 'village' },
      { header: '摘要', field: 'memo' },
    ],
    returnColumns: {
      lineRef: '流水号',
      account: '收款账号',
      amount: '金额',
      result: '处理结果',
      reason: '失败原因',
    },
    returnAmountUnit: 'yuan',
    successValues: ['成功', '入账成功'],
  },
  {
    bankName: '中国邮政储蓄银行',
    format: 'csv',
    columns: [
      { header: '业务参考号', field: 'line_ref' },
      { header: '收款人账号', field: 'account' },
      { header: '收款人姓名', field: 'holder' },
      { header: '证件号码', field: 'id_number' },
      { header: '金额（分）', field: 'amount_fen' },
      { header: '用途', field: 'memo' },
    ],
    returnColumns: {
      lineRef: '业务参考号',
      account: '收款人账号',
      amount: '金额（分）',
      result: '状态',
      reason: '备注',
    },
    returnAmountUnit: 'fen',
    successValues: ['S', '1', '成功'],
  },
  GENERIC_LAYOUT,
];

/** The layout for a bank: its own, else the configured generic one, else the built-in generic. */
export function layoutFor(layouts: readonly BankLayout[], bankName: string): BankLayout {
  return (
    layouts.find((l) => l.bankName === bankName) ??
    layouts.find((l) => l.bankName === GENERIC_BANK) ?? { ...GENERIC_LAYOUT }
  );
}

/** One transfer in a bank file (the payroll lines of one account, summed). */
export interface BankTransfer {
  lineRef: number;
  account: string;
  holder: string;
  idNumber: string | null;
  amountFen: number;
  town: string;
  village: string | null;
  program: string;
  component: string;
  benefitMonth: string;
  memo: string;
}

export type Cell = string | number;

/** "1234.50": no grouping, two places — what bank systems read. */
export function plainYuan(fen: number): string {
  return formatYuan(fen).replaceAll(',', '');
}

/** The rows of a bank file, header first. Amounts in 元 are text with two places; in 分, integers. */
export function bankRows(layout: BankLayout, transfers: readonly BankTransfer[]): Cell[][] {
  const value = (t: BankTransfer, field: BankField): Cell => {
    switch (field) {
      case 'line_ref':
        return String(t.lineRef);
      case 'account':
        return t.account;
      case 'holder':
        return t.holder;
      case 'id_number':
        return t.idNumber ?? '';
      case 'amount_yuan':
        return plainYuan(t.amountFen);
      case 'amount_fen':
        return t.amountFen;
      case 'town':
        return t.town;
      case 'village':
        return t.village ?? '';
      case 'program':
        return t.program;
      case 'component':
        return t.component;
      case 'benefit_month':
        return t.benefitMonth;
      case 'memo':
        return t.memo;
      default: {
        const exhaustive: never = field;
        return exhaustive;
      }
    }
  };
  return [
    layout.columns.map((c) => c.header),
    ...transfers.map((t) => layout.columns.map((c) => value(t, c.field))),
  ];
}

/** What the bank file said for a reference: the return must repeat it exactly. */
export interface ExportedTransfer {
  account: string;
  amountFen: number;
}

export interface ReturnRow {
  /** 1-based row number in the file (what a spreadsheet shows). */
  row: number;
  lineRef: number;
  account: string;
  amountFen: number;
  success: boolean;
  reason: string | null;
}

export interface ReturnIssue {
  row: number;
  field: string;
  reason: string;
}

export interface ParsedReturn {
  ok: ReturnRow[];
  errors: ReturnIssue[];
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());
const digitsOnly = (s: string) => s.replace(/[\s-]/g, '');

function parseAmount(raw: unknown, unit: 'yuan' | 'fen'): number | null {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return null;
    if (unit === 'fen') return Number.isSafeInteger(raw) ? raw : null;
    return parseAmount(String(raw), unit);
  }
  const s = text(raw)
    .replaceAll(',', '')
    .replace(/^[¥￥]/, '');
  if (unit === 'fen') return /^-?\d+$/.test(s) ? Number(s) : null;
  try {
    return yuanToFen(s);
  } catch {
    return null;
  }
}

/**
 * Reads a return file's rows (any leading title rows, then the header row, then data) against the
 * transfers of the batch. Every problem is collected — a return is imported whole or not at all.
 */
export function parseReturnRows(
  layout: BankLayout,
  rows: readonly (readonly unknown[])[],
  exported: ReadonlyMap<number, ExportedTransfer>,
): ParsedReturn {
  const errors: ReturnIssue[] = [];
  const rc = layout.returnColumns;
  const headerIndex = rows.findIndex((r) => r.some((c) => text(c) === rc.lineRef));
  if (headerIndex < 0) {
    return {
      ok: [],
      errors: [
        {
          row: 1,
          field: rc.lineRef,
          reason: `找不到表头：回盘文件应有「${rc.lineRef}」列（${layout.bankName === GENERIC_BANK ? '通用格式' : layout.bankName}）`,
        },
      ],
    };
  }
  const head = (rows[headerIndex] ?? []).map(text);
  const columnOf = (name: string) => head.indexOf(name);
  // The reason column may be left out by a bank whose transfers all succeeded.
  const missing = [rc.lineRef, rc.account, rc.amount, rc.result].filter((h) => columnOf(h) < 0);
  if (missing.length > 0) {
    return {
      ok: [],
      errors: missing.map((h) => ({ row: headerIndex + 1, field: h, reason: `缺少「${h}」列` })),
    };
  }
  const [iRef, iAccount, iAmount, iResult] = [rc.lineRef, rc.account, rc.amount, rc.result].map(columnOf) as [
    number,
    number,
    number,
    number,
  ];
  const iReason = rc.reason ? columnOf(rc.reason) : -1;
  const success = new Set(layout.successValues.map((v) => v.trim()));
  const seen = new Map<number, number>();
  const ok: ReturnRow[] = [];

  for (let i = headerIndex + 1; i < rows.length; i++) {
    const r = rows[i] ?? [];
    if (r.every((c) => text(c) === '')) continue;
    const row = i + 1;
    const before = errors.length;
    const refText = text(r[iRef]);
    const lineRef = /^\d{1,15}$/.test(refText) ? Number(refText) : null;
    const expected = lineRef === null ? undefined : exported.get(lineRef);
    if (lineRef === null) {
      errors.push({
        row,
        field: rc.lineRef,
        reason: refText === '' ? '明细编号为空' : `明细编号「${refText}」不是数字`,
      });
    } else if (!expected) {
      errors.push({ row, field: rc.lineRef, reason: `明细编号 ${lineRef} 不在本批次的发放文件中` });
    } else if (seen.has(lineRef)) {
      errors.push({ row, field: rc.lineRef, reason: `明细编号 ${lineRef} 与第 ${seen.get(lineRef)} 行重复` });
    }
    const account = digitsOnly(text(r[iAccount]));
    if (account === '') errors.push({ row, field: rc.account, reason: '账号为空' });
    else if (expected && account !== digitsOnly(expected.account)) {
      errors.push({ row, field: rc.account, reason: `账号 ${account} 与导出的账号不一致` });
    }
    const amountFen = parseAmount(r[iAmount], layout.returnAmountUnit);
    const unitLabel = layout.returnAmountUnit === 'fen' ? '分' : '元';
    if (amountFen === null) {
      errors.push({
        row,
        field: rc.amount,
        reason: `金额「${text(r[iAmount])}」不是有效的${unitLabel}数${layout.returnAmountUnit === 'yuan' ? '（最多两位小数）' : '（整数）'}`,
      });
    } else if (expected && amountFen !== expected.amountFen) {
      errors.push({
        row,
        field: rc.amount,
        reason: `金额 ${plainYuan(amountFen)} 元与导出的 ${plainYuan(expected.amountFen)} 元不一致`,
      });
    }
    const result = text(r[iResult]);
    if (result === '') errors.push({ row, field: rc.result, reason: '处理结果为空' });
    if (lineRef !== null && !seen.has(lineRef)) seen.set(lineRef, row);
    if (errors.length > before || lineRef === null || amountFen === null) continue;
    const ok_ = success.has(result);
    const reason = iReason >= 0 ? text(r[iReason]) : '';
    ok.push({
      row,
      lineRef,
      account,
      amountFen,
      success: ok_,
      reason: ok_ ? null : reason || `银行返回「${result}」，未说明原因`,
    });
  }
  if (ok.length === 0 && errors.length === 0) {
    errors.push({ row: headerIndex + 2, field: rc.lineRef, reason: '回盘文件没有明细行' });
  }
  return { ok, errors };
}
