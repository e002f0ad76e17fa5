/**
 * The verification report against the rule text (DOMAIN §3.3, §3.5, §4.4, §9; contract §2). Parameters are the demo
 * county's shape (src/modules/demo/demo-policy.ts): Guangdong class-4 standards 城镇 410 / 农村 260 元, 6 reference
 * months, the Guangdong property table (financial assets ≤ 24 × the URBAN standard per person, ≤ 1 home, no
 * non-residential property, no motor vehicle except disability vehicles, fuel motorcycles and e-bikes, no business
 * registration). Expected figures are worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { buildResidentId } from '../identity/resident-id.ts';
import { type DibaoParams, type DibaoParamsInput, dibaoParamsSchema } from '../policy/dibao.params.ts';
import { validateRows } from './layouts.ts';
import {
  buildVerificationReport,
  type Declaration,
  declarationSchema,
  type ReportInput,
  type ReportSubject,
  type SourceResult,
} from './report.ts';
import { type DeptRecord, SOURCE_CODES, type SourceCode } from './sources.ts';

const URBAN = 41_000;
const RURAL = 26_000;
/** 2021 Art. 13 exclusions incl. the central basic pension (2021–2025). */
const EXEMPT_2021 = [
  'special_care',
  'family_planning',
  'scholarship',
  'heroism_award',
  'social_assistance',
  'basic_pension',
];
/** The demo's 2015 list: the basic-pension exclusion did not exist yet. */
const EXEMPT_2015 = ['special_care', 'family_planning', 'scholarship', 'heroism_award', 'social_assistance'];

function params(standardFen: number, exemptTypes = EXEMPT_2021): DibaoParams {
  const body: DibaoParamsInput = {
    standardFen,
    method: 'gap',
    income: { referenceMonths: 6, exemptTypes: exemptTypes as DibaoParamsInput['income']['exemptTypes'] },
    assets: [
      {
        category: 'financial_assets',
        perPersonMaxMonthsOfStandard: '24',
        standardBasis: 'urban',
        urbanStandardFen: URBAN,
      },
      { category: 'residential_property', maxCount: 1 },
      { category: 'non_residential_property', maxCount: 0 },
      {
        category: 'motor_vehicle',
        maxCount: 0,
        exemptTypes: ['disability_vehicle', 'fuel_motorcycle', 'ebike'],
      },
      { category: 'business_registration', maxCount: 0, exemptSmallFamilyShop: true },
    ],
    edgeIncomeMultiple: '1.5',
    rounding: {
      perCapitaIncome: { mode: 'half_up', unit: 'fen' },
      benefit: { mode: 'half_up', unit: 'yuan' },
      addOn: { mode: 'half_up', unit: 'yuan' },
    },
    funding: { defaultSource: 'central', rules: [] },
  };
  return dibaoParamsSchema.parse(body);
}

const id = (birthDate: string, sequence: number) =>
  buildResidentId({ addressCode: '440232', birthDate, sequence });
const FATHER = id('1980-04-02', 11);
const MOTHER = id('1982-07-19', 22);
const CHILD = id('2012-09-01', 31);
const GRANDPA = id('1950-01-15', 41);
const SON = id('1975-06-06', 51);
const OUTSIDER = id('1985-12-12', 62);

const subject = (
  name: string,
  idNumber: string,
  relation: string,
  over: Partial<ReportSubject> = {},
): ReportSubject => ({
  personId: null,
  name,
  idNumber,
  relation,
  role: 'member',
  sex: Number(idNumber.slice(16, 17)) % 2 === 1 ? 'M' : 'F',
  birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
  counted: true,
  labourCapacity: 'full',
  ...over,
});

const FAMILY: ReportSubject[] = [
  subject('王建国', FATHER, '户主'),
  subject('李秀英', MOTHER, '配偶'),
  subject('王小明', CHILD, '子女', { student: true }),
];

/** A department record through the source's layout, as a connector row keyed by column key. */
function rec(source: SourceCode, idNumber: string, row: Record<string, unknown>): DeptRecord {
  const { records, errors } = validateRows(source, [{ id_number: idNumber, name: '某某', ...row }]);
  expect(errors).toEqual([]);
  return records[0] as DeptRecord;
}

/** Results for every source: the given records ('ok'), else 'not_found'; some sources 'unavailable'. */
function results(records: DeptRecord[], unavailable: SourceCode[] = []): SourceResult[] {
  return SOURCE_CODES.map((s) => {
    const rs = records.filter((r) => r.sourceCode === s);
    if (unavailable.includes(s)) {
      return {
        sourceCode: s,
        status: 'unavailable',
        channel: 'connector',
        snapshotAsOf: null,
        records: [],
        error: '接口超时',
      };
    }
    return {
      sourceCode: s,
      status: rs.length > 0 ? 'ok' : 'not_found',
      channel: s === 'bank_deposit' ? 'connector' : 'snapshot',
      snapshotAsOf: s === 'bank_deposit' ? null : '2026-10-31',
      records: rs,
      error: null,
    };
  });
}

const hukou = (idNumber: string) =>
  rec('hukou', idNumber, { hukou_type: '农村', hukou_status: '正常', household_no: '440232000777' });
/** The father's wage evidence: social-insurance contribution base per month. */
const contribution = (idNumber: string, yuan: string) =>
  rec('social_insurance', idNumber, { benefit_item: '参保缴费', item_status: '正常', monthly_amount: yuan });
const deposit = (idNumber: string, yuan: string) =>
  rec('bank_deposit', idNumber, {
    deposit_type: '活期',
    balance: yuan,
    balance_date: '2026-10-31',
    bank_name: '农村商业银行',
    account_no: '6230001234567890',
  });
const car = (idNumber: string, type = '小型汽车') =>
  rec('vehicle', idNumber, { vehicle_type: type, vehicle_status: '正常', plate_no: '粤F8A123' });

interface Case {
  knownDeceased?: Record<string, string>;
  checkType?: ReportInput['checkType'];
  standard?: number;
  exempt?: string[];
  subjects?: ReportSubject[];
  father?: DeptRecord[];
  mother?: DeptRecord[];
  grandpa?: DeptRecord[];
  son?: DeptRecord[];
  unavailable?: SourceCode[];
  declaration?: Declaration | null;
  previousYearDisposableIncomeFen?: number | null;
}

function report(c: Case) {
  const subjects = c.subjects ?? FAMILY;
  const byId: Record<string, DeptRecord[]> = {
    [FATHER]: [hukou(FATHER), ...(c.father ?? [])],
    [MOTHER]: [hukou(MOTHER), ...(c.mother ?? [])],
    [CHILD]: [hukou(CHILD)],
    [GRANDPA]: [hukou(GRANDPA), ...(c.grandpa ?? [])],
    [SON]: c.son ?? [],
  };
  const input: ReportInput = {
    checkType: c.checkType ?? '02',
    asOf: '2026-11-15',
    subjects,
    results: Object.fromEntries(
      subjects.map((s) => [
        s.idNumber,
        results(byId[s.idNumber] ?? [], s.idNumber === FATHER ? c.unavailable : []),
      ]),
    ),
    declaration: c.declaration ?? null,
    dibaoParams: params(c.standard ?? RURAL, c.exempt),
    urbanStandardFen: URBAN,
    previousYearDisposableIncomeFen: c.previousYearDisposableIncomeFen ?? null,
    ...(c.knownDeceased ? { knownDeceased: c.knownDeceased } : {}),
  };
  return buildVerificationReport(input);
}

const NO_ASSETS = {
  financialAssetsFen: 0,
  residentialProperties: 0,
  nonResidentialProperties: 0,
  vehicles: 0,
  businessRegistrations: 0,
};

describe('buildVerificationReport: conclusion (DOMAIN §3.3, §4.1, §3.5)', () => {
  // Wage 600 元/月 (contribution base) × 6 = 3,600 元 ÷ 6 ÷ 3 = 200.00 元 per person per month.
  const wage600 = [contribution(FATHER, '600')];
  type Row = [label: string, c: Case, code: string, per: number | null];
  const ROWS: Row[] = [
    ['eligible rural family → 02', { father: wage600 }, '02', 20_000],
    ['eligible urban family → 01', { checkType: '01', standard: URBAN, father: wage600 }, '01', 20_000],
    ['a car (not exempt) → 12', { father: [...wage600, car(FATHER)] }, '12', 20_000],
    [
      'a car, urban → 11',
      { checkType: '01', standard: URBAN, father: [...wage600, car(FATHER)] },
      '11',
      20_000,
    ],
    [
      'a disability vehicle only → still 02',
      { father: [...wage600, car(FATHER, '残疾人机动轮椅车')] },
      '02',
      20_000,
    ],
    [
      'an e-bike and a fuel motorcycle → still 02',
      { father: [...wage600, car(FATHER, '电动自行车'), car(FATHER, '摩托车')] },
      '02',
      null,
    ],
    // 24 months × urban standard 410 = 9,840 元 per person × 3 = 29,520 元: at the limit passes, above fails.
    [
      'deposits exactly 24 × 410 × 3 → 02',
      { father: [...wage600, deposit(FATHER, '20000')], mother: [deposit(MOTHER, '9520')] },
      '02',
      null,
    ],
    [
      'deposits 1 fen over the limit → 12',
      { father: [...wage600, deposit(FATHER, '20000')], mother: [deposit(MOTHER, '9520.01')] },
      '12',
      null,
    ],
    // Securities and a savings-type policy count as financial assets too; a protection policy does not.
    [
      'securities + savings insurance over the limit → 12',
      {
        father: [
          ...wage600,
          rec('securities', FATHER, {
            security_type: '基金',
            market_value: '20000',
            valuation_date: '2026-10-31',
          }),
          rec('commercial_insurance', FATHER, {
            policy_type: '分红型',
            policy_status: '有效',
            cash_value: '10000',
          }),
        ],
      },
      '12',
      null,
    ],
    [
      'protection insurance does not count → 02',
      {
        father: [
          ...wage600,
          rec('commercial_insurance', FATHER, {
            policy_type: '保障型',
            policy_status: '有效',
            cash_value: '50000',
          }),
        ],
      },
      '02',
      null,
    ],
    ['two homes → 12', { father: [...wage600, home('住宅', 'A1'), home('住宅', 'A2')] }, '12', null],
    [
      'a second, mud-brick house not lived in → 02',
      { father: [...wage600, home('住宅', 'A1'), home('住宅', 'A2', true)] },
      '02',
      null,
    ],
    ['a shop → 12', { father: [...wage600, home('商铺', 'B1')] }, '12', null],
    ['an active business → 12', { father: [...wage600, business('存续', false)] }, '12', null],
    [
      'a husband-and-wife shop without employees → 02',
      { father: [...wage600, business('存续', true)] },
      '02',
      null,
    ],
    ['a cancelled business → 02', { father: [...wage600, business('注销', false)] }, '02', null],
    [
      'a scrapped car → 02',
      {
        father: [
          ...wage600,
          rec('vehicle', FATHER, { vehicle_type: '小型汽车', vehicle_status: '报废', plate_no: '粤F1' }),
        ],
      },
      '02',
      null,
    ],
    // 900 × 6 ÷ 6 ÷ 3 = 300 元: between 260 and 1.5 × 260 = 390.
    [
      'income 300 (1×–1.5× of 260), check 03 → 03',
      { checkType: '03', father: [contribution(FATHER, '900')] },
      '03',
      30_000,
    ],
    ['income 300 (1×–1.5× of 260), check 02 → 12', { father: [contribution(FATHER, '900')] }, '12', 30_000],
    // 1,500 × 6 ÷ 6 ÷ 3 = 500 元: between 410 and 615.
    [
      'income 500 (1×–1.5× of 410), check 01 → 11',
      { checkType: '01', standard: URBAN, father: [contribution(FATHER, '1500')] },
      '11',
      50_000,
    ],
    // 1,170 ÷ 3 = 390 = 1.5 × 260: not below the edge limit.
    [
      'income exactly 1.5 × standard, check 03 → 13',
      { checkType: '03', father: [contribution(FATHER, '1170')] },
      '13',
      39_000,
    ],
    [
      'income 300 but a car, check 03 → 13',
      { checkType: '03', father: [contribution(FATHER, '900'), car(FATHER)] },
      '13',
      null,
    ],
    ['income below the standard, check 03 → 03', { checkType: '03', father: wage600 }, '03', 20_000],
    [
      'a source unavailable, otherwise eligible → 04',
      { father: wage600, unavailable: ['bank_deposit'] },
      '04',
      null,
    ],
    [
      'a source unavailable but a car found → 12 (certain)',
      { father: [...wage600, car(FATHER)], unavailable: ['bank_deposit'] },
      '12',
      null,
    ],
  ];

  it.each(ROWS)('%s', (_label, c, code, per) => {
    const r = report(c);
    expect(r.conclusion.code).toBe(code);
    if (per !== null) expect(r.income.monthlyPerCapitaFen).toBe(per);
  });

  it('eligible: reasons name the income and the standard; no benefit lines in the report', () => {
    const r = report({ father: wage600 });
    expect(r).toMatchObject({ version: 1, checkType: '02', checkTypeLabel: '农村低保', asOf: '2026-11-15' });
    expect(r.conclusion).toEqual({
      code: '02',
      label: '符合农村低保条件',
      reasons: ['家庭月人均收入 200.00 元，低于低保标准 260.00 元', '家庭财产符合规定'],
    });
    expect(r.assets).toMatchObject({ passed: true, refusals: [], financialAssetsFen: 0, vehicles: [] });
    expect(r.income.lines.some((l) => l.step === '家庭月人均收入' && l.amountFen === 20_000)).toBe(true);
    expect(r.income.lines.some((l) => ['差额补助', '月保障金额', '取整'].includes(l.step))).toBe(false);
    expect(r.assets.lines.every((l) => l.step === '金融资产' || l.step === '财产核查')).toBe(true);
    expect(r.unavailableSources).toEqual([]);
  });

  it('a car: the refusal names the vehicle and the rule', () => {
    const r = report({ father: [...wage600, car(FATHER)] });
    expect(r.assets.passed).toBe(false);
    expect(r.assets.vehicles).toEqual([{ type: 'car' }]);
    expect(r.assets.refusals).toEqual([
      { code: 'motor_vehicle', text: '家庭拥有机动车辆 1 辆（小型汽车），超过规定的 0 辆' },
    ]);
    expect(r.conclusion.reasons).toEqual(['家庭拥有机动车辆 1 辆（小型汽车），超过规定的 0 辆']);
    expect(r.conclusion.label).toBe('非农村低保对象');
  });

  it('deposits over the limit: the refusal shows the per-person figure against 24 × the urban standard', () => {
    const r = report({ father: [...wage600, deposit(FATHER, '30000')] });
    expect(r.assets.financialAssetsFen).toBe(3_000_000);
    expect(r.assets.refusals[0]?.code).toBe('financial_assets');
    expect(r.assets.refusals[0]?.text).toContain('人均 10,000.00 元，超过人均上限 9,840.00 元');
  });

  it('edge family on a dibao check: 12, with the edge-family note', () => {
    const r = report({ father: [contribution(FATHER, '900')] });
    expect(r.conclusion.reasons).toEqual([
      '家庭月人均收入 300.00 元，不低于低保标准 260.00 元',
      '家庭月人均收入不低于低保标准、低于 1.5 倍，且财产符合规定，属于低保边缘家庭，可按低收入家庭申请',
    ]);
  });

  it('unavailable: 04 names the person and the source', () => {
    const r = report({ father: wage600, unavailable: ['bank_deposit', 'securities'] });
    expect(r.conclusion.label).toBe('无法确认');
    expect(r.unavailableSources).toEqual(['银行存款', '证券']);
    expect(r.conclusion.reasons[0]).toBe(
      '以下核对数据暂不可用，无法确认：银行存款（王建国；接口超时）、证券（王建国；接口超时）',
    );
    const finding = r.subjects[0]?.findings.find((f) => f.sourceCode === 'bank_deposit');
    expect(finding).toMatchObject({ status: 'unavailable', lines: ['数据暂不可用：接口超时'] });
  });

  it('a member not counted (DOMAIN §4.2): income and property left out, and an unavailable source does not matter', () => {
    const subjects = [FAMILY[0] as ReportSubject, { ...(FAMILY[1] as ReportSubject), counted: false }];
    const r = report({
      subjects,
      father: wage600,
      mother: [contribution(MOTHER, '3000'), car(MOTHER)],
    });
    // 600 × 6 ÷ 6 ÷ 1 = 600 元 > 260: the father alone; the mother's car and wage are not counted.
    expect(r.income.monthlyPerCapitaFen).toBe(60_000);
    expect(r.assets.vehicles).toEqual([]);
    expect(r.income.members.map((m) => m.name)).toEqual(['王建国']);
  });
});

function home(use: string, no: string, notCounted = false): DeptRecord {
  return rec('real_estate', FATHER, {
    property_use: use,
    certificate_no: no,
    not_counted: notCounted ? '是' : '否',
  });
}
function business(status: string, familyShop: boolean): DeptRecord {
  return rec('business', FATHER, {
    entity_type: '个体工商户',
    entity_status: status,
    credit_code: '92440232MA4XXXXX1B',
    family_shop: familyShop ? '是' : '否',
  });
}

describe('buildVerificationReport: income (DOMAIN §4.4)', () => {
  it('wage is the highest of payroll, contribution base and tax ÷ 12, never their sum', () => {
    const r = report({
      checkType: '01',
      standard: URBAN,
      father: [
        rec('public_payroll', FATHER, {
          payroll_status: '在职',
          monthly_salary: '3000',
          employer: '县水务局',
        }),
        contribution(FATHER, '2500'),
        // 42,000.06 ÷ 12 = 3,500.005 → 3,500.01 元 (half up, once).
        rec('tax', FATHER, { income_type: '工资薪金所得', tax_year: '2025', income_amount: '42000.06' }),
        // An older year is not used.
        rec('tax', FATHER, { income_type: '工资薪金所得', tax_year: '2024', income_amount: '90000' }),
      ],
    });
    const father = r.income.members[0];
    expect(father?.items).toHaveLength(1);
    expect(father?.items[0]).toMatchObject({ type: 'wage', monthlyFen: 350_001 });
    expect(father?.items[0]?.basis).toBe(
      '财政供养人员月工资 3,000.00 元、社会保险缴费基数 2,500.00 元、2025年度个人所得税工资薪金收入 42,000.06 元 ÷ 12 = 3,500.01 元为同一工资的不同证据，取最高者，按2025年度个人所得税工资薪金收入÷12计（不累加）',
    );
    // 3,500.01 × 6 ÷ 6 ÷ 3 = 1,166.67 (1,166.67 exactly: 350001 ÷ 3 = 116667).
    expect(r.income.monthlyPerCapitaFen).toBe(116_667);
  });

  it('payroll wins when highest; a payroll record of someone who left is ignored', () => {
    const r = report({
      father: [
        rec('public_payroll', FATHER, {
          payroll_status: '在职',
          monthly_salary: '4000',
          employer: '县水务局',
        }),
        contribution(FATHER, '2500'),
      ],
      mother: [
        rec('public_payroll', MOTHER, { payroll_status: '离职', monthly_salary: '5000', employer: '县医院' }),
      ],
    });
    expect(r.income.members[0]?.items[0]).toMatchObject({ monthlyFen: 400_000 });
    expect(r.income.members[0]?.items[0]?.basis).toContain('按财政供养人员月工资计');
    expect(r.income.members[1]?.items).toEqual([]);
  });

  const PENSION = [
    rec('social_insurance', FATHER, {
      benefit_item: '城乡居民基础养老金',
      item_status: '正常',
      monthly_amount: '150',
    }),
  ];
  it('resident basic pension is excluded when the parameters exclude basic_pension (2021 Art. 13)', () => {
    const r = report({ father: PENSION });
    expect(r.income.members[0]?.items).toEqual([
      { type: 'basic_pension', monthlyFen: 15_000, basis: '社会保险：城乡居民基础养老金 150.00 元/月' },
    ]);
    expect(r.income.monthlyPerCapitaFen).toBe(0);
    expect(r.income.lines.find((l) => l.step === '不计入收入')?.text).toBe(
      '王建国：城乡居民基础养老金 900.00 元（社会保险：城乡居民基础养老金 150.00 元/月）不计入家庭收入',
    );
  });

  it('resident basic pension counts under the 2015 parameters', () => {
    // 150 × 6 ÷ 6 ÷ 3 = 50.00 元.
    expect(report({ father: PENSION, exempt: EXEMPT_2015 }).income.monthlyPerCapitaFen).toBe(5_000);
  });

  it('employee pension and unemployment benefit are transfer income; tax business income ÷ 12', () => {
    const r = report({
      father: [
        rec('social_insurance', FATHER, {
          benefit_item: '职工基本养老金',
          item_status: '正常',
          monthly_amount: '300',
        }),
        rec('social_insurance', FATHER, {
          benefit_item: '失业保险金',
          item_status: '停止',
          monthly_amount: '999',
        }),
        rec('tax', FATHER, { income_type: '经营所得', tax_year: '2025', income_amount: '1200' }),
      ],
      mother: [
        rec('social_insurance', MOTHER, {
          benefit_item: '失业保险金',
          item_status: '正常',
          monthly_amount: '120',
        }),
      ],
    });
    expect(r.income.members[0]?.items.map((i) => [i.type, i.monthlyFen])).toEqual([
      ['business', 10_000],
      ['transfer_in', 30_000],
    ]);
    expect(r.income.members[1]?.items.map((i) => [i.type, i.monthlyFen])).toEqual([['transfer_in', 12_000]]);
    // (100 + 300 + 120) ÷ 3 = 173.33 元.
    expect(r.income.monthlyPerCapitaFen).toBe(17_333);
  });

  it('per member and type the higher of declared and found is counted', () => {
    const r = report({
      father: [contribution(FATHER, '600')],
      declaration: {
        members: [
          { idNumber: FATHER, incomes: [{ type: 'wage', monthlyFen: 45_000 }] },
          {
            idNumber: MOTHER,
            incomes: [
              { type: 'wage', monthlyFen: 30_000 },
              { type: 'other', monthlyFen: 6_000 },
            ],
          },
        ],
        assets: NO_ASSETS,
      },
    });
    expect(r.income.members[0]?.items).toEqual([
      {
        type: 'wage',
        monthlyFen: 60_000,
        basis: '按社会保险缴费基数 600.00 元计；申报 450.00 元/月，低于核对所得，按核对结果计',
      },
    ]);
    expect(r.income.members[1]?.items).toEqual([
      { type: 'wage', monthlyFen: 30_000, basis: '申报 300.00 元/月' },
      { type: 'other', monthlyFen: 6_000, basis: '申报 60.00 元/月' },
    ]);
    // (600 + 300 + 60) ÷ 3 = 320 元.
    expect(r.income.monthlyPerCapitaFen).toBe(32_000);
  });
});

describe('buildVerificationReport: differences with the declaration (DOMAIN §3.4)', () => {
  const decl = (fatherWage: number, assets: Partial<Declaration['assets']> = {}): Declaration => ({
    members: [{ idNumber: FATHER, incomes: [{ type: 'wage', monthlyFen: fatherWage }] }],
    assets: { ...NO_ASSETS, ...assets },
  });
  type Row = [label: string, declared: number, found: string, major: boolean | null];
  const ROWS: Row[] = [
    ['equal: no difference', 60_000, '600', null],
    ['declared 1,000, found 1,500: major', 100_000, '1500', true],
    ['declared 1,000, found 1,050 (5%, 50 元): listed, not major', 100_000, '1050', false],
    ['declared 1,000, found 1,100 (10%, 100 元): not major', 100_000, '1100', false],
    ['declared 1,000, found 1,100.01: major (over 10%)', 100_000, '1100.01', true],
    ['declared 2,000, found 2,150 (7.5%, 150 元): major (over 100 元)', 200_000, '2150', true],
    ['declared 0, found 600: major', 0, '600', true],
    ['declared higher than found: listed, not major', 150_000, '1000', false],
  ];
  it.each(ROWS)('%s', (_label, declared, found, major) => {
    const r = report({ father: [contribution(FATHER, found)], declaration: decl(declared) });
    const wage = r.differences.filter((d) => d.item === '工资性收入');
    if (major === null) expect(wage).toEqual([]);
    else expect(wage).toEqual([expect.objectContaining({ idNumber: FATHER, name: '王建国', major })]);
  });

  it('declared income lower than found: the difference reads declared vs found per month', () => {
    const r = report({ father: [contribution(FATHER, '1500')], declaration: decl(100_000) });
    expect(r.differences).toEqual([
      {
        idNumber: FATHER,
        name: '王建国',
        item: '工资性收入',
        declared: '1,000.00 元/月',
        found: '1,500.00 元/月',
        major: true,
      },
    ]);
  });

  it('an undeclared vehicle is a major difference; a declared one is none', () => {
    const r = report({ father: [contribution(FATHER, '600'), car(FATHER)], declaration: decl(60_000) });
    expect(r.differences).toEqual([
      {
        idNumber: null,
        name: null,
        item: '机动车辆',
        declared: '0 辆',
        found: '1 辆（小型汽车 粤F8A123）',
        major: true,
      },
    ]);
    const declared = report({
      father: [contribution(FATHER, '600'), car(FATHER)],
      declaration: decl(60_000, { vehicles: 1 }),
    });
    expect(declared.differences).toEqual([]);
  });

  it('deposits over the declared, an undeclared house and business: major; property declared but not found: minor', () => {
    const r = report({
      father: [
        contribution(FATHER, '600'),
        deposit(FATHER, '5000'),
        home('住宅', 'A1'),
        business('存续', false),
      ],
      declaration: decl(60_000, { financialAssetsFen: 200_000, nonResidentialProperties: 1 }),
    });
    expect(r.differences.map((d) => [d.item, d.declared, d.found, d.major])).toEqual([
      ['金融资产（存款、证券、储蓄型保险）', '2,000.00 元', '5,000.00 元', true],
      ['住房', '0 套', '1 套', true],
      ['非住宅类房产', '1 处', '0 处', false],
      ['工商登记', '0 户', '1 户', true],
    ]);
    // The declared shop counts in the property test (the higher of declared and found).
    expect(r.assets.nonResidentialProperties).toBe(1);
    expect(r.conclusion.code).toBe('12');
  });

  it('without a declaration: no declared items, but a death record and an unlisted spouse are major', () => {
    const r = report({
      father: [
        contribution(FATHER, '600'),
        rec('marriage', FATHER, {
          marriage_type: '结婚',
          registered_on: '2005-01-01',
          spouse_id_number: OUTSIDER,
          spouse_name: '赵丽',
        }),
      ],
      mother: [
        rec('marriage', MOTHER, {
          marriage_type: '结婚',
          registered_on: '2003-01-01',
          spouse_id_number: SON,
        }),
        rec('marriage', MOTHER, {
          marriage_type: '离婚',
          registered_on: '2004-01-01',
          spouse_id_number: SON,
        }),
        rec('death', MOTHER, { death_type: '火化', death_date: '2026-06-01', certificate_no: 'HH001' }),
      ],
    });
    expect(r.differences).toEqual([
      {
        idNumber: FATHER,
        name: '王建国',
        item: '配偶',
        declared: '未列入家庭成员',
        found: '婚姻登记：2005-01-01 结婚登记，配偶 赵丽',
        major: true,
      },
      {
        idNumber: MOTHER,
        name: '李秀英',
        item: '死亡信息',
        declared: '在世的共同生活家庭成员',
        found: '殡葬/死亡：信息类别 火化，死亡日期 2026-06-01，证明编号 HH001',
        major: true,
      },
    ]);
  });
});

describe('buildVerificationReport: a widow(er) (DOMAIN §4.2)', () => {
  it('does not list the late spouse the registry knows to be dead as a missing member', () => {
    const married = rec('marriage', FATHER, {
      marriage_type: '结婚',
      registered_on: '1990-01-01',
      spouse_id_number: OUTSIDER,
      spouse_name: '赵丽',
    });
    expect(report({ father: [married], knownDeceased: { [OUTSIDER]: '2014-03-01' } }).differences).toEqual(
      [],
    );
    expect(report({ father: [married] }).differences.map((d) => d.item)).toEqual(['配偶']);
  });
});

describe('buildVerificationReport: 特困 (DOMAIN §4.4 special rule, §9)', () => {
  const elder = subject('王老汉', GRANDPA, '本人', { labourCapacity: 'none' });
  const son = subject('王大明', SON, '子', { role: 'supporter', counted: false });
  const own = (yuan: string, item = '城乡居民基础养老金') =>
    rec('social_insurance', GRANDPA, { benefit_item: item, item_status: '正常', monthly_amount: yuan });
  const sonWage = [contribution(SON, '6000')];

  it("own income without the basic pension → 05, supporter listed against last year's disposable income", () => {
    // The 2015 parameters count the basic pension for dibao, but the 特困 rule leaves it out (认定办法 Art. 6).
    const r = report({
      checkType: '05',
      exempt: EXEMPT_2015,
      subjects: [elder, son],
      grandpa: [own('200')],
      son: sonWage,
      previousYearDisposableIncomeFen: 4_932_700,
    });
    expect(r.conclusion.code).toBe('05');
    expect(r.conclusion.label).toBe('符合特困人员收入财产条件');
    expect(r.income.monthlyPerCapitaFen).toBe(0);
    expect(r.income.members.map((m) => m.name)).toEqual(['王老汉']);
    expect(r.income.lines[0]?.step).toBe('特困人员收入');
    // 49,327 ÷ 12 = 4,110.583… → 4,110.58 元.
    expect(r.supporters).toEqual([
      expect.objectContaining({
        idNumber: SON,
        name: '王大明',
        relation: '子',
        monthlyIncomeFen: 600_000,
        thresholdMonthlyFen: 411_058,
        belowThreshold: false,
      }),
    ]);
    expect(r.conclusion.reasons).toContain(r.supporters[0]?.text);
    expect(r.supporters[0]?.text).toBe(
      '子王大明：月收入 6,000.00 元，不低于上年度居民人均可支配收入 49,327.00 元 ÷ 12 = 4,110.58 元，可能具有履行义务能力，请结合调查认定',
    );
    // The supporter is in the report's subjects, with findings, but not in the income or property.
    expect(r.subjects.map((s) => [s.name, s.role])).toEqual([
      ['王老汉', 'member'],
      ['王大明', 'supporter'],
    ]);
  });

  it('own employee pension above the standard → 15', () => {
    const r = report({
      checkType: '05',
      subjects: [elder, son],
      grandpa: [own('300', '职工基本养老金')],
      son: sonWage,
    });
    expect(r.conclusion.code).toBe('15');
    expect(r.conclusion.reasons[0]).toBe('本人月收入 300.00 元，不低于低保标准 260.00 元');
    // Without a threshold the supporter is listed for the investigation to judge.
    expect(r.supporters[0]?.belowThreshold).toBeNull();
  });

  it('property over the limit → 15 even with no income', () => {
    const r = report({ checkType: '05', subjects: [elder], grandpa: [own('100'), car(GRANDPA)] });
    expect(r.conclusion.code).toBe('15');
  });

  it("a supporter with little income is below the threshold; a supporter's missing data does not make it 04", () => {
    const r = report({
      checkType: '05',
      subjects: [elder, son],
      grandpa: [own('100')],
      son: [contribution(SON, '1000')],
      previousYearDisposableIncomeFen: 4_932_700,
    });
    expect(r.conclusion.code).toBe('05');
    expect(r.supporters[0]).toMatchObject({ monthlyIncomeFen: 100_000, belowThreshold: true });
  });
});

describe('buildVerificationReport: findings (DOMAIN §3.4)', () => {
  it("lists per subject and source what was found, in the sources' order, masked bank accounts only", () => {
    const r = report({ father: [contribution(FATHER, '600'), deposit(FATHER, '1000.5')] });
    const findings = r.subjects[0]?.findings ?? [];
    expect(findings.map((f) => f.sourceCode)).toEqual(SOURCE_CODES);
    expect(findings.find((f) => f.sourceCode === 'hukou')?.lines).toEqual([
      '户口性质 农村，户籍状态 正常，户号 440232000777',
      '数据来源：部门数据文件（数据截至 2026-10-31）',
    ]);
    expect(findings.find((f) => f.sourceCode === 'bank_deposit')?.lines).toEqual([
      '存款类型 活期，余额 1,000.50 元，余额日期 2026-10-31，开户银行及账号 农村商业银行 ************7890',
      '数据来源：部门接口实时查询',
    ]);
    expect(findings.find((f) => f.sourceCode === 'vehicle')?.lines[0]).toBe('未查到记录');
    expect(JSON.stringify(r)).not.toContain('6230001234567890');
  });

  it("masks the spouse's ID number in the printed lines", () => {
    const r = report({
      father: [
        rec('marriage', FATHER, {
          marriage_type: '结婚',
          registered_on: '2005-01-01',
          spouse_id_number: MOTHER,
        }),
      ],
    });
    const line = r.subjects[0]?.findings.find((f) => f.sourceCode === 'marriage')?.lines[0] ?? '';
    expect(line).toMatch(/^登记类别 结婚，登记日期 2005-01-01，配偶身份证号码 \S+$/);
    expect(line).not.toContain(MOTHER);
    expect(r.differences).toEqual([]);
  });

  it('is deterministic', () => {
    const c: Case = {
      father: [contribution(FATHER, '900'), car(FATHER)],
      declaration: { members: [], assets: NO_ASSETS },
    };
    expect(JSON.stringify(report(c))).toBe(JSON.stringify(report(c)));
  });
});

describe('declarationSchema', () => {
  const good = {
    members: [{ idNumber: FATHER, incomes: [{ type: 'wage', monthlyFen: 60_000 }] }],
    assets: NO_ASSETS,
  };
  it('accepts a declaration', () => {
    expect(declarationSchema.parse(good)).toEqual(good);
  });
  type Row = [label: string, value: unknown, message: string];
  const ROWS: Row[] = [
    [
      'negative income',
      { ...good, members: [{ idNumber: FATHER, incomes: [{ type: 'wage', monthlyFen: -1 }] }] },
      '金额不能为负数',
    ],
    [
      'fractional fen',
      { ...good, members: [{ idNumber: FATHER, incomes: [{ type: 'wage', monthlyFen: 1.5 }] }] },
      '金额应为整数（分）',
    ],
    [
      'unknown income type',
      { ...good, members: [{ idNumber: FATHER, incomes: [{ type: 'salary', monthlyFen: 1 }] }] },
      '收入类型应为以下之一',
    ],
    ['bad ID number', { ...good, members: [{ idNumber: '123', incomes: [] }] }, '身份证号码应为18位'],
    ['negative vehicles', { ...good, assets: { ...NO_ASSETS, vehicles: -1 } }, '机动车辆数不能为负数'],
    ['no assets', { members: [] }, '申报财产应为对象'],
  ];
  it.each(ROWS)('rejects %s in Chinese', (_label, value, message) => {
    const r = declarationSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain(message);
  });
});
