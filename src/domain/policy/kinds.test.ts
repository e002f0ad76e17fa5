import { describe, expect, it } from 'vitest';
import { BASE_PARAMS } from '../benefit/dibao.testing.ts';
import {
  isPolicyKind,
  kindOfProgram,
  POLICY_KIND_CODES,
  POLICY_KINDS,
  parsePolicyBody,
  policyBodyJsonSchema,
} from './kinds.ts';

describe('policy kinds registry', () => {
  it.each([
    ['urban_dibao', 'dibao'],
    ['rural_dibao', 'dibao'],
    ['urban_tekun', 'tekun'],
    ['rural_tekun', 'tekun'],
    ['temporary_aid', 'temporary_aid'],
    ['medical_aid', 'medical_aid'],
    ['price_subsidy', 'price_subsidy'],
    ['edge', null],
    ['', null],
  ])('program %j is governed by %j', (program, kind) => {
    expect(kindOfProgram(program)).toBe(kind);
  });

  it('serves every program from exactly one kind', () => {
    const programs = POLICY_KIND_CODES.flatMap((k) => [...POLICY_KINDS[k].programs]);
    expect(new Set(programs).size).toBe(programs.length);
  });

  it('knows its own kinds only', () => {
    expect(isPolicyKind('dibao')).toBe(true);
    expect(isPolicyKind('toString')).toBe(false);
    expect(parsePolicyBody('nonsense' as 'dibao', {})).toEqual({
      ok: false,
      issues: [{ path: '', message: '未知的参数类型：nonsense' }],
    });
  });

  it.each(POLICY_KIND_CODES)('publishes a JSON Schema of the %s body', (kind) => {
    const schema = policyBodyJsonSchema(kind);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object).length).toBeGreaterThan(0);
  });

  it('shows the dibao defaults in the JSON Schema (what an admin may leave out)', () => {
    const schema = policyBodyJsonSchema('dibao') as {
      required: string[];
      properties: Record<string, { default?: unknown }>;
    };
    expect(schema.required).toEqual(
      expect.arrayContaining(['standardFen', 'method', 'income', 'rounding', 'funding']),
    );
    expect(schema.required).not.toContain('bands');
    expect(schema.properties.edgeIncomeMultiple?.default).toBe('1.5');
  });
});

describe('dibao parameters: validation in Chinese, with the path of each problem', () => {
  const body = (over: Record<string, unknown>) => ({ ...BASE_PARAMS, ...over });
  const issues = (b: unknown) => {
    const r = parsePolicyBody('dibao', b);
    return r.ok ? [] : r.issues;
  };

  it('accepts the minimal body and fills in the defaults', () => {
    const r = parsePolicyBody('dibao', BASE_PARAMS);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.standardFen).toBe(41_000);
      expect(r.value.floor).toEqual({ kind: 'none' });
      expect(r.value.income.workingAge).toEqual({ from: 16, toMale: 60, toFemale: 55 });
    }
  });

  it('accepts a full body: bands, floor, add-ons, imputation, the Guangdong property table', () => {
    const r = parsePolicyBody(
      'dibao',
      body({
        method: 'band',
        bands: [
          { code: 'A', label: '一档', amountFen: 30_000 },
          { code: 'B', label: '二档', amountFen: 20_000 },
        ],
        floor: { kind: 'share_of_standard', rate: '0.1' },
        addOns: {
          stacking: 'highest',
          capAtStandard: true,
          items: [
            { category: 'serious_illness', label: '重病', rate: '0.3' },
            { category: 'elderly', label: '70岁以上', rate: '0.1', minAge: 70 },
            { category: 'severe_disability', label: '重残', amountFen: 32_500 },
          ],
        },
        fullStandardCategories: ['sanwu', 'no_income_no_work_no_supporter'],
        income: {
          referenceMonths: 12,
          exemptTypes: ['special_care', 'social_assistance'],
          employmentCostDeduction: { rate: '0.2' },
          imputed: { kind: 'share_of_minimum_wage', rate: '0.5', minimumWageFen: 135_000 },
          workingAge: { from: 16, toMale: 60, toFemale: 50 },
        },
        assets: [
          { category: 'financial_assets', perPersonMaxMonthsOfStandard: '24', standardBasis: 'urban' },
          { category: 'residential_property', maxCount: 1 },
          { category: 'non_residential_property', maxCount: 0 },
          {
            category: 'motor_vehicle',
            maxCount: 0,
            exemptTypes: ['disability_vehicle', 'fuel_motorcycle', 'ebike'],
          },
          { category: 'business_registration', maxCount: 0, exemptSmallFamilyShop: true },
        ],
        edgeIncomeMultiple: '2',
      }),
    );
    expect(r.ok ? [] : r.issues).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a band method without bands', { method: 'band' }, 'bands', '分档计算方式至少需要设置一个档次'],
    [
      'duplicate band codes',
      {
        method: 'band',
        bands: [
          { code: 'A', label: '一档', amountFen: 1 },
          { code: 'A', label: '二档', amountFen: 2 },
        ],
      },
      'bands.1.code',
      '分档代码“A”重复',
    ],
    [
      'an add-on with both a rate and an amount',
      {
        addOns: {
          stacking: 'sum',
          capAtStandard: false,
          items: [{ category: 'minor', label: '儿童', rate: '0.1', amountFen: 100 }],
        },
      },
      'addOns.items.0',
      '恰好设置一项',
    ],
    [
      'an add-on with neither',
      { addOns: { stacking: 'sum', capAtStandard: false, items: [{ category: 'minor', label: '儿童' }] } },
      'addOns.items.0',
      '恰好设置一项',
    ],
    [
      'an elderly add-on without its age',
      {
        addOns: {
          stacking: 'sum',
          capAtStandard: false,
          items: [{ category: 'elderly', label: '老人', rate: '0.1' }],
        },
      },
      'addOns.items.0.minAge',
      '应设置起始年龄',
    ],
    [
      'an age on a non-elderly add-on',
      {
        addOns: {
          stacking: 'sum',
          capAtStandard: false,
          items: [{ category: 'minor', label: '儿童', rate: '0.1', minAge: 6 }],
        },
      },
      'addOns.items.0.minAge',
      '只有老年人分类施保可以设置起始年龄',
    ],
    [
      'an unknown stacking',
      { addOns: { stacking: 'max', capAtStandard: false, items: [] } },
      'addOns.stacking',
      '叠加方式',
    ],
    ['a zero standard', { standardFen: 0 }, 'standardFen', '低保标准应大于 0'],
    ['a standard in yuan with decimals', { standardFen: 410.5 }, 'standardFen', '金额应为整数（分）'],
    ['a negative standard', { standardFen: -1 }, 'standardFen', '金额不能为负'],
    [
      'a rate as a number',
      { floor: { kind: 'share_of_standard', rate: 0.1 } },
      'floor.rate',
      '比例应写成小数字符串',
    ],
    ['an unknown floor kind', { floor: { kind: 'min' } }, 'floor.kind', '保底方式'],
    ['an edge multiple below 1', { edgeIncomeMultiple: '0.9' }, 'edgeIncomeMultiple', '不小于 1'],
    ['an unknown key (a typo)', { flor: { kind: 'none' } }, '', '未知的键(key): "flor"'],
    [
      'a rounding that is not an object',
      { rounding: 'yuan' },
      'rounding',
      '应给出 perCapitaIncome、benefit、addOn 三项取整规则',
    ],
    [
      'wages declared exempt',
      { income: { referenceMonths: 6, exemptTypes: ['wage'] } },
      'income.exemptTypes',
      '工资性收入不能设为不计入收入',
    ],
    [
      'an unknown income type',
      { income: { referenceMonths: 6, exemptTypes: ['lottery'] } },
      'income.exemptTypes.0',
      '收入类型应为以下之一',
    ],
    ['no reference period', { income: { exemptTypes: [] } }, 'income.referenceMonths', '收入计算期应为月数'],
    [
      'two financial-asset rules',
      {
        assets: [
          { category: 'financial_assets', perPersonMaxMonthsOfStandard: '24', standardBasis: 'own' },
          { category: 'financial_assets', perPersonMaxMonthsOfStandard: '12', standardBasis: 'own' },
        ],
      },
      'assets.1.category',
      '只能设置一条规则',
    ],
    [
      'a zero-month deposit limit',
      { assets: [{ category: 'financial_assets', perPersonMaxMonthsOfStandard: '0', standardBasis: 'own' }] },
      'assets.0.perPersonMaxMonthsOfStandard',
      '应大于 0',
    ],
    [
      'an unknown vehicle type',
      { assets: [{ category: 'motor_vehicle', maxCount: 0, exemptTypes: ['tractor'] }] },
      'assets.0.exemptTypes.0',
      '车辆类型应为以下之一',
    ],
    [
      'an unknown asset category',
      { assets: [{ category: 'gold', maxCount: 0 }] },
      'assets.0.category',
      '财产规则 category',
    ],
    [
      'a deduction with both rate and amount',
      {
        income: {
          referenceMonths: 6,
          exemptTypes: [],
          employmentCostDeduction: { rate: '0.1', amountFen: 100 },
        },
      },
      'income.employmentCostDeduction',
      '必要就业成本扣减',
    ],
    [
      'an unknown full-standard category',
      { fullStandardCategories: ['poor'] },
      'fullStandardCategories.0',
      '人员类别应为以下之一',
    ],
    [
      'a missing rounding',
      { rounding: { benefit: { mode: 'up', unit: 'yuan' } } },
      'rounding.perCapitaIncome',
      '',
    ],
    ['a body that is not an object', { __replace: 'x' }, '', '低保参数应为对象'],
  ])('refuses %s', (_label, over, path, message) => {
    const b = '__replace' in over ? over.__replace : body(over);
    const found = issues(b);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toContainEqual({ path, message: expect.stringContaining(message) });
    // Every message reaches an admin: Chinese, never zod's English default.
    for (const i of found) expect(i.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
