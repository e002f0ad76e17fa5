import { describe, expect, it } from 'vitest';
import { buildResidentId } from '../identity/resident-id.ts';
import { checkHeaders, layoutOf, recordValueLabel, validateRows } from './layouts.ts';
import { SOURCE_CODES, SOURCES, type SourceCode } from './sources.ts';

const ID = buildResidentId({ addressCode: '440232', birthDate: '1970-05-01', sequence: 11 });
const SPOUSE = buildResidentId({ addressCode: '440232', birthDate: '1972-03-08', sequence: 22 });
/** The same number with a wrong check character. */
const BAD_CHECK = `${ID.slice(0, 17)}${ID.endsWith('0') ? '1' : '0'}`;

/** One good row per source, keyed by column key (as a connector sends it). */
const GOOD: Record<SourceCode, Record<string, unknown>> = {
  hukou: {
    id_number: ID,
    name: '张三',
    hukou_type: '农村',
    hukou_status: '正常',
    household_no: '440232001234',
  },
  death: {
    id_number: ID,
    name: '张三',
    death_type: '火化',
    death_date: '2026-03-01',
    certificate_no: 'HH2026001',
  },
  marriage: {
    id_number: ID,
    name: '张三',
    marriage_type: '结婚',
    registered_on: '1995-10-01',
    spouse_id_number: SPOUSE,
  },
  real_estate: {
    id_number: ID,
    name: '张三',
    property_use: '住宅',
    certificate_no: '粤(2020)乳源县不动产权第0001号',
  },
  vehicle: {
    id_number: ID,
    name: '张三',
    vehicle_type: '小型汽车',
    vehicle_status: '正常',
    plate_no: '粤F12345',
  },
  business: {
    id_number: ID,
    name: '张三',
    entity_type: '个体工商户',
    entity_status: '存续',
    credit_code: '92440232MA4XXXXX1B',
  },
  tax: { id_number: ID, name: '张三', income_type: '工资薪金所得', tax_year: '2025', income_amount: '60000' },
  social_insurance: {
    id_number: ID,
    name: '张三',
    benefit_item: '参保缴费',
    item_status: '正常',
    monthly_amount: '4500.00',
  },
  housing_fund: { id_number: ID, name: '张三', fund_status: '正常', monthly_contribution: '540' },
  bank_deposit: {
    id_number: ID,
    name: '张三',
    deposit_type: '定期',
    balance: '50000.5',
    balance_date: '2026-10-31',
    bank_name: '农业银行',
    account_no: '6228480012345678',
  },
  securities: {
    id_number: ID,
    name: '张三',
    security_type: '股票',
    market_value: 12000,
    valuation_date: '2026-10-31',
  },
  commercial_insurance: {
    id_number: ID,
    name: '张三',
    policy_type: '分红型',
    policy_status: '有效',
    cash_value: '8000',
  },
  public_payroll: {
    id_number: ID,
    name: '张三',
    payroll_status: '在编',
    monthly_salary: '6800',
    employer: '县财政局',
  },
  low_income: {
    id_number: ID,
    name: '张三',
    monitor_type: '低保边缘家庭',
    monitor_status: '监测中',
    family_no: 'DSR0001',
  },
};

describe('layouts (v1)', () => {
  it('has one v1 layout per source, keys and headers unique, id_number and name first', () => {
    expect(SOURCE_CODES).toHaveLength(14);
    for (const s of SOURCE_CODES) {
      const l = layoutOf(s);
      expect(l.source).toBe(s);
      expect(l.version).toBe('v1');
      expect(l.columns.slice(0, 2).map((c) => c.key)).toEqual(['id_number', 'name']);
      expect(new Set(l.columns.map((c) => c.key)).size).toBe(l.columns.length);
      expect(new Set(l.columns.map((c) => c.header)).size).toBe(l.columns.length);
      for (const c of l.columns) expect(c.type === 'enum').toBe(c.values !== undefined);
      expect(SOURCES[s].label).toMatch(/\p{Script=Han}/u);
    }
  });

  it.each(SOURCE_CODES)('accepts a good %s row', (s) => {
    const { records, errors } = validateRows(s, [GOOD[s]]);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ sourceCode: s, idNumber: ID, name: '张三' });
    expect(records[0]?.kind).not.toBe('');
  });

  it.each(SOURCE_CODES)('accepts a %s row keyed by the Chinese headers', (s) => {
    const l = layoutOf(s);
    const byHeader = Object.fromEntries(
      Object.entries(GOOD[s]).map(([k, v]) => [l.columns.find((c) => c.key === k)?.header ?? k, v]),
    );
    expect(validateRows(s, [byHeader])).toEqual(validateRows(s, [GOOD[s]]));
  });

  it('normalises each source into the documented fields', () => {
    const one = (s: SourceCode, extra: Record<string, unknown> = {}) => {
      const r = validateRows(s, [{ ...GOOD[s], ...extra }]);
      expect(r.errors).toEqual([]);
      return r.records[0];
    };
    expect(one('hukou', { registered_on: '2001-02-03' })).toMatchObject({
      kind: 'rural',
      status: 'normal',
      ref: '440232001234',
      eventDate: '2001-02-03',
    });
    expect(one('marriage')).toMatchObject({ kind: 'married', ref: SPOUSE, eventDate: '1995-10-01' });
    expect(one('real_estate', { not_counted: '是', area_m2: '89.50' })).toMatchObject({
      kind: 'residential',
      exempt: true,
      data: { area_m2: '89.50' },
    });
    expect(one('vehicle')).toMatchObject({ kind: 'car', status: 'normal', exempt: false, ref: '粤F12345' });
    expect(one('vehicle', { vehicle_type: '残疾人机动轮椅车' })).toMatchObject({
      kind: 'disability_vehicle',
      exempt: true,
    });
    expect(one('vehicle', { vehicle_type: 'ebike', vehicle_status: 'scrapped' })).toMatchObject({
      kind: 'ebike',
      status: 'scrapped',
    });
    expect(one('business', { registered_capital: '30000', family_shop: '否' })).toMatchObject({
      kind: 'individual',
      status: 'active',
      amountFen: 3_000_000,
      exempt: false,
    });
    expect(one('tax')).toMatchObject({
      kind: 'wage',
      amountFen: 6_000_000,
      ref: '2025',
      eventDate: '2025-12-31',
    });
    expect(one('social_insurance', { insurance_type: '企业职工基本养老保险' })).toMatchObject({
      kind: 'contribution',
      status: 'active',
      monthlyFen: 450_000,
      ref: '企业职工基本养老保险',
    });
    expect(one('housing_fund', { balance: '12000.10' })).toMatchObject({
      kind: 'contribution',
      monthlyFen: 54_000,
      amountFen: 1_200_010,
    });
    expect(one('securities')).toMatchObject({ kind: 'stock', amountFen: 1_200_000, eventDate: '2026-10-31' });
    expect(one('commercial_insurance')).toMatchObject({
      kind: 'savings',
      status: 'active',
      amountFen: 800_000,
    });
    expect(one('public_payroll')).toMatchObject({ kind: 'staff', status: 'active', monthlyFen: 680_000 });
    expect(one('low_income', { monthly_per_capita_income: '520', family_size: '3' })).toMatchObject({
      kind: 'edge',
      status: 'active',
      monthlyFen: 52_000,
      ref: 'DSR0001',
      data: { family_size: 3 },
    });
  });

  it('keeps only the masked bank account (last 4 digits), in ref and never in data', () => {
    const r = validateRows('bank_deposit', [GOOD.bank_deposit]).records[0];
    expect(r).toMatchObject({ kind: 'fixed', amountFen: 5_000_050, eventDate: '2026-10-31' });
    expect(r?.ref).toBe('农业银行 ************5678');
    expect(JSON.stringify(r)).not.toContain('6228480012345678');
  });

  it('upgrades a 15-digit ID number to 18', () => {
    const id15 = '440232700501011';
    const r = validateRows('hukou', [{ ...GOOD.hukou, id_number: id15 }]);
    expect(r.errors).toEqual([]);
    expect(r.records[0]?.idNumber).toHaveLength(18);
  });

  type Bad = [label: string, source: SourceCode, key: string, value: unknown, column: string, reason: RegExp];
  const BAD: Bad[] = [
    ['bad ID checksum', 'hukou', 'id_number', BAD_CHECK, '身份证号码', /校验位错误/],
    ['ID too short', 'tax', 'id_number', '44023219700501', '身份证号码', /长度应为18位/],
    ['spouse ID bad', 'marriage', 'spouse_id_number', BAD_CHECK, '配偶身份证号码', /校验位错误/],
    ['empty required text', 'hukou', 'household_no', '  ', '户号', /户号不能为空/],
    ['missing required value', 'vehicle', 'plate_no', undefined, '号牌号码', /不能为空/],
    [
      'unknown enum',
      'vehicle',
      'vehicle_type',
      '飞机',
      '车辆类型',
      /“飞机”不是有效的车辆类型，应为：.*小型汽车/,
    ],
    ['unknown enum code', 'hukou', 'hukou_status', 'gone', '户籍状态', /不是有效的户籍状态/],
    ['negative money', 'bank_deposit', 'balance', '-100', '余额（元）', /不能为负数/],
    ['3 decimals', 'securities', 'market_value', '100.123', '市值（元）', /最多两位小数/],
    ['float noise', 'securities', 'market_value', 0.1 + 0.2, '市值（元）', /最多两位小数/],
    ['money with text', 'tax', 'income_amount', '6万', '收入额（元）', /应为数字/],
    ['money with comma', 'tax', 'income_amount', '60,000', '收入额（元）', /应为数字/],
    ['date with slashes', 'death', 'death_date', '2026/03/01', '死亡日期', /YYYY-MM-DD/],
    ['impossible date', 'death', 'death_date', '2026-02-30', '死亡日期', /YYYY-MM-DD/],
    ['bad bool', 'real_estate', 'not_counted', '也许', '是否不计入', /“是”或“否”/],
    ['bad int', 'low_income', 'family_size', '2.5', '家庭人口', /非负整数/],
    ['bad pattern', 'tax', 'tax_year', '25', '纳税年度', /四位年份/],
    ['bad credit code', 'business', 'credit_code', 'abc', '统一社会信用代码', /18位/],
    ['too long text', 'hukou', 'address', '长'.repeat(201), '户籍地址', /200/],
  ];

  it.each(BAD)('rejects %s', (_label, s, key, value, column, reason) => {
    const row = { ...GOOD[s], [key]: value };
    const { records, errors } = validateRows(s, [GOOD[s], row, GOOD[s]]);
    expect(records).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ row: 3, column });
    expect(errors[0]?.reason).toMatch(reason);
  });

  it('reports every error of every row, with the given first row number', () => {
    const { records, errors } = validateRows(
      'bank_deposit',
      [
        { ...GOOD.bank_deposit, balance: '-1', balance_date: '31/10/2026' },
        {
          ...GOOD.bank_deposit,
          account_no: '62284800123456789012345678901234567890123',
          deposit_type: '理财',
        },
      ],
      10,
    );
    expect(records).toEqual([]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [10, '余额（元）'],
      [10, '余额日期'],
      [11, '存款类型'],
      [11, '账号'],
    ]);
    // A rejected account number is masked in the error too.
    expect(errors[3]?.value).toMatch(/^\*+\d{4}$/);
  });

  it('checks birth dates against asOf when given', () => {
    const future = buildResidentId({ addressCode: '440232', birthDate: '2027-01-01', sequence: 1 });
    expect(validateRows('hukou', [{ ...GOOD.hukou, id_number: future }]).errors).toEqual([]);
    const r = validateRows('hukou', [{ ...GOOD.hukou, id_number: future }], 2, { asOf: '2026-11-29' });
    expect(r.errors[0]?.reason).toMatch(/晚于当前日期/);
  });
});

describe('checkHeaders', () => {
  const headersOf = (s: SourceCode) => layoutOf(s).columns.map((c) => c.header);

  it.each(SOURCE_CODES)('accepts the Chinese headers and the keys of %s', (s) => {
    expect(checkHeaders(s, headersOf(s))).toEqual([]);
    expect(
      checkHeaders(
        s,
        layoutOf(s).columns.map((c) => c.key),
      ),
    ).toEqual([]);
    const requiredOnly = layoutOf(s).columns.filter((c) => c.required);
    expect(
      checkHeaders(
        s,
        requiredOnly.map((c) => c.header),
      ),
    ).toEqual([]);
  });

  it('reports a missing required column, an unknown column and a duplicate', () => {
    const errors = checkHeaders('bank_deposit', [
      '身份证号码',
      '姓名',
      '存款类型',
      '余额（元）',
      '余额日期',
      '开户银行',
      'name',
      '备注',
    ]);
    expect(errors).toEqual([
      { row: 1, column: '姓名', value: 'name', reason: '列“姓名”重复出现' },
      { row: 1, column: '备注', value: '备注', reason: '“备注”不是银行存款数据格式（v1）中的列' },
      { row: 1, column: '账号', value: '', reason: '缺少必填列“账号”' },
    ]);
  });
});

describe('recordValueLabel', () => {
  it.each([
    ['death', 'kind', 'cremation', '火化'],
    ['vehicle', 'status', 'scrapped', '报废'],
    ['business', 'status', 'active', '存续'],
    ['bank_deposit', 'kind', 'fixed', '定期'],
    ['death', 'kind', 'unknown_code', 'unknown_code'],
    ['vehicle', 'status', null, '—'],
  ] as const)('%s %s %s → %s', (source, field, code, label) => {
    expect(recordValueLabel(source, field, code)).toBe(label);
  });
});
