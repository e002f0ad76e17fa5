import { describe, expect, it } from 'vitest';
import { buildResidentId } from '../identity/resident-id.ts';
import { mapColumns, normaliseHeader } from './columns.ts';
import { type RosterArea, type RosterRow, validateRoster } from './validate-roster.ts';
import { programOf, relationOf, yuanCellToFen } from './values.ts';

const COUNTY = '440232';
const id = (birth: string, seq: number) =>
  buildResidentId({ addressCode: COUNTY, birthDate: birth, sequence: seq });
const TOWNS: RosterArea[] = [
  { code: '440232100', name: '乳城镇', parentCode: COUNTY, urbanRural: null },
  { code: '440232109', name: '大桥镇', parentCode: COUNTY, urbanRural: null },
];
const VILLAGES: RosterArea[] = [
  { code: '440232100101', name: '鹰峰居委会', parentCode: '440232100', urbanRural: '111' },
  { code: '440232109201', name: '大桥村委会', parentCode: '440232109', urbanRural: '220' },
];
const HEADERS = [
  '乡镇',
  '村（居）委会',
  '户主姓名',
  '姓名',
  '身份证号（码）',
  '与户主关系',
  '家庭人口',
  '保障类别',
  '月保障金（元）',
  '开户银行',
  '银行账号',
];

describe('mapColumns', () => {
  it.each([
    ['身份证号（码）', '身份证号码'],
    ['村(居)委会', '村(居)委会'],
    ['月保障金（元）', '月保障金'],
    [' 姓 名 ', '姓名'],
  ])('normalises the header %s to %s', (raw, normal) => {
    expect(normaliseHeader(raw)).toBe(normal);
  });

  it('recognises the columns a county roster commonly has', () => {
    const r = mapColumns(HEADERS);
    expect(r.problems).toEqual([]);
    expect(r.mapping).toMatchObject({
      town: '乡镇',
      village: '村（居）委会',
      headName: '户主姓名',
      name: '姓名',
      idNumber: '身份证号（码）',
      relation: '与户主关系',
      householdSize: '家庭人口',
      program: '保障类别',
      monthlyAmount: '月保障金（元）',
      bankName: '开户银行',
      bankAccount: '银行账号',
    });
  });

  it('lets the user mapping win, and names what is missing', () => {
    const r = mapColumns(['所属镇', '姓名', '证件号', '关系'], { town: '所属镇', idNumber: '证件号' });
    expect(r.problems).toEqual([]);
    expect(r.mapping).toMatchObject({ town: '所属镇', idNumber: '证件号', relation: '关系' });
    const missing = mapColumns(['姓名', '关系']);
    expect(missing.problems.map((p) => p.reason)).toEqual([
      '缺少必需的列「乡镇」，请在列对应关系中指定',
      '缺少必需的列「身份证号码」，请在列对应关系中指定',
    ]);
    expect(mapColumns(['姓名'], { idNumber: '证件' }).problems[0]?.reason).toBe(
      '列对应关系指定的表头「证件」不在文件中',
    );
  });
});

describe('cell values', () => {
  it.each([
    ['城市低保', 'rural', 'urban_dibao'],
    ['农村低保', 'urban', 'rural_dibao'],
    ['低保', 'urban', 'urban_dibao'],
    ['低保', 'rural', 'rural_dibao'],
    ['五保', 'rural', 'rural_tekun'],
    ['特困', 'urban', 'urban_tekun'],
    ['特困人员', 'rural', 'rural_tekun'],
    ['临时救助', 'rural', null],
  ] as const)('保障类别 %s of a %s household is %s', (raw, hukou, code) => {
    expect(programOf(raw, hukou)).toBe(code);
  });

  it.each([
    ['本人', '户主'],
    ['妻', '配偶'],
    ['长子', '子女'],
    ['母亲', '父母'],
    ['邻居', null],
  ] as const)('与户主关系 %s is %s', (raw, relation) => {
    expect(relationOf(raw)).toBe(relation);
  });

  it.each([
    ['410', 41000],
    ['410.5', 41050],
    ['1,230.00', 123000],
    ['410元', 41000],
    [410.1, 41010],
    [0.1, 10],
    ['410.555', null],
    ['四百', null],
    ['-5', null],
  ] as const)('月保障金 %s is %s fen, exactly', (cell, fen) => {
    expect(yuanCellToFen(cell)).toBe(fen);
  });
});

function row(n: number, values: Partial<Record<string, string | number>>): RosterRow {
  return { row: n, values };
}

const HEAD = id('1956-03-12', 11);
const WIFE = id('1958-07-01', 22);
const SON = id('2004-10-05', 31);
const LONE = id('1940-02-02', 42);

function run(
  rows: RosterRow[],
  extra: { registered?: Map<string, number>; ownTownCode?: string | null } = {},
) {
  return validateRoster({
    rows,
    mapping: mapColumns(HEADERS).mapping,
    towns: TOWNS,
    villages: VILLAGES,
    registered: extra.registered ?? new Map(),
    ownTownCode: extra.ownTownCode ?? null,
    asOf: '2026-11-29',
  });
}

const family = (start: number, overrides: Record<number, Partial<Record<string, string | number>>> = {}) => [
  row(start, {
    乡镇: '乳城镇',
    '村（居）委会': '鹰峰居委会',
    户主姓名: '李建国',
    姓名: '李建国',
    '身份证号（码）': HEAD,
    与户主关系: '户主',
    家庭人口: 3,
    保障类别: '城市低保',
    '月保障金（元）': '820.5',
    开户银行: '农商银行',
    银行账号: '6230 1234 5678 9012',
    ...overrides[0],
  }),
  row(start + 1, {
    乡镇: '乳城镇',
    '村（居）委会': '鹰峰居委会',
    户主姓名: '李建国',
    姓名: '陈秀英',
    '身份证号（码）': WIFE,
    与户主关系: '妻',
    家庭人口: 3,
    ...overrides[1],
  }),
  row(start + 2, {
    乡镇: '乳城镇',
    '村（居）委会': '鹰峰',
    户主姓名: '李建国',
    姓名: '李明',
    '身份证号（码）': SON,
    与户主关系: '子',
    家庭人口: 3,
    ...overrides[2],
  }),
];

describe('validateRoster', () => {
  it('groups a clean household with its head first, its program, bank and amount in fen', () => {
    const r = run(family(2));
    expect(r.badRows).toEqual([]);
    expect(r.households).toHaveLength(1);
    const h = r.households[0];
    expect(h).toMatchObject({
      townCode: '440232100',
      villageCode: '440232100101',
      hukouType: 'urban',
      householdProgram: 'urban_dibao',
      monthlyAmountFen: 82050,
      bankAccount: '6230123456789012',
      rows: [2, 3, 4],
    });
    expect(h?.members.map((m) => [m.name, m.relation])).toEqual([
      ['李建国', '户主'],
      ['陈秀英', '配偶'],
      ['李明', '子女'],
    ]);
  });

  const bad = (rows: RosterRow[], extra?: Parameters<typeof run>[1]) => run(rows, extra).badRows;

  it.each<
    [
      string,
      () => RosterRow[],
      Parameters<typeof run>[1] | undefined,
      { row: number; column: string; reason: RegExp },
    ]
  >([
    [
      'a bad ID checksum',
      () => family(2, { 1: { '身份证号（码）': `${WIFE.slice(0, 17)}${WIFE.endsWith('0') ? '1' : '0'}` } }),
      undefined,
      { row: 3, column: '身份证号（码）', reason: /校验/ },
    ],
    [
      'an ID number Excel stored as a number',
      () => family(2, { 1: { '身份证号（码）': '4.40232E+17' } }),
      undefined,
      { row: 3, column: '身份证号（码）', reason: /存成了数字/ },
    ],
    [
      'an unknown town',
      () => family(2, { 0: { 乡镇: '火星镇' } }),
      undefined,
      { row: 2, column: '乡镇', reason: /不是本县的乡镇/ },
    ],
    [
      'a village of another town',
      () => family(2, { 2: { '村（居）委会': '大桥村委会' } }),
      undefined,
      { row: 4, column: '村（居）委会', reason: /不属于乳城镇/ },
    ],
    [
      'a person already in the registry',
      () => family(2),
      { registered: new Map([[SON, 77]]) },
      { row: 4, column: '身份证号（码）', reason: /已在系统中登记（人员编号 77）/ },
    ],
    [
      'a household size that does not match its rows',
      () => family(2, { 0: { 家庭人口: 4 }, 1: { 家庭人口: 4 }, 2: { 家庭人口: 4 } }),
      undefined,
      { row: 2, column: '家庭人口', reason: /家庭人口为 4 人，但名册中该户有 3 行/ },
    ],
    [
      'an unknown program',
      () => family(2, { 0: { 保障类别: '优抚' } }),
      undefined,
      { row: 2, column: '保障类别', reason: /无法识别/ },
    ],
    [
      'an amount with three decimals',
      () => family(2, { 0: { '月保障金（元）': '820.555' } }),
      undefined,
      { row: 2, column: '月保障金（元）', reason: /不是有效金额/ },
    ],
    [
      'another town, for a town user',
      () => family(2),
      { ownTownCode: '440232109' },
      { row: 2, column: '乡镇', reason: /乳城镇不在您的管辖区域内（您只能导入大桥镇的人员）/ },
    ],
    [
      'an unreadable relation',
      () => family(2, { 1: { 与户主关系: '邻居' } }),
      undefined,
      { row: 3, column: '与户主关系', reason: /无法识别/ },
    ],
  ])(
    'reports %s with its row, column and reason, and leaves the household out',
    (_label, rows, extra, expected) => {
      const r = run(rows(), extra);
      expect(r.households).toEqual([]);
      expect(r.badRows).toContainEqual(
        expect.objectContaining({
          row: expected.row,
          column: expected.column,
          reason: expect.stringMatching(expected.reason),
        }),
      );
      expect(r.badHouseholds).toHaveLength(1);
      expect(r.badHouseholds[0]?.rows).toEqual([2, 3, 4]);
    },
  );

  it('reports a member listed before any head (missing head) and the same person twice in the file', () => {
    const rows = [
      row(2, { 乡镇: '大桥镇', 姓名: '盘桂兰', '身份证号（码）': LONE, 与户主关系: '配偶' }),
      ...family(3, { 2: { '身份证号（码）': WIFE } }),
    ];
    const r = bad(rows);
    expect(r).toContainEqual(
      expect.objectContaining({ row: 2, reason: '该行之前没有户主行，无法确定所属家庭' }),
    );
    expect(r).toContainEqual(
      expect.objectContaining({ row: 4, reason: expect.stringContaining('与第 5 行重复') }),
    );
    expect(r).toContainEqual(
      expect.objectContaining({ row: 5, reason: expect.stringContaining('与第 4 行重复') }),
    );
  });

  it('reports a household without a head when households are grouped by 户编号', () => {
    const r = validateRoster({
      rows: [
        row(2, { 户编号: 'A1', 乡镇: '大桥镇', 姓名: '盘桂兰', 身份证号: LONE, 关系: '配偶' }),
        row(3, {
          户编号: 'A2',
          乡镇: '大桥镇',
          姓名: '李建国',
          身份证号: HEAD,
          关系: '户主',
          保障类别: '五保',
        }),
      ],
      mapping: mapColumns(['户编号', '乡镇', '姓名', '身份证号', '关系', '保障类别']).mapping,
      towns: TOWNS,
      villages: VILLAGES,
      registered: new Map(),
      ownTownCode: null,
      asOf: '2026-11-29',
    });
    expect(r.badRows).toEqual([
      { row: 2, column: '关系', value: '', reason: '该户没有户主（应有一行的与户主关系为“户主”）' },
    ]);
    expect(r.households).toHaveLength(1);
    // 五保 is a person-level program on the row that names it (DOMAIN §5).
    expect(r.households[0]?.members[0]?.personProgram).toBe('rural_tekun');
    expect(r.households[0]?.householdProgram).toBeNull();
  });
});
