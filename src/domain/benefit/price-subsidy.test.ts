import { describe, expect, it } from 'vitest';
import { type PriceSubsidyParams, priceSubsidyParamsSchema } from '../policy/price-subsidy.params.ts';
import { priceSubsidyInputSchema, priceSubsidyMonthly } from './price-subsidy.ts';

const URBAN = 41_000; // 410 元, 2015 class 4 城镇 (DOMAIN §17)
const RURAL = 26_000; // 260 元, 2015 class 4 农村

/** 发改价格规〔2016〕1835号 (DOMAIN §8.2): CPI ≥ 3.5% or food ≥ 6%; the four groups; standard × rise; 10 元 floor. */
const BODY_2016 = {
  cpiThreshold: '3.5',
  foodThreshold: '6',
  groups: ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun', 'unemployment', 'special_care'],
  formula: { kind: 'standard_times_rise' },
  floorFen: 1_000,
  rounding: { mode: 'half_up', unit: 'yuan' },
  funding: { defaultSource: 'county', rules: [] },
};
const P2016 = priceSubsidyParamsSchema.parse(BODY_2016);
/** 2022-09 to 2023-03 (DOMAIN §8.3): CPI trigger 3.0%, edge families and unemployment-subsidy recipients added. */
const P2022 = priceSubsidyParamsSchema.parse({
  ...BODY_2016,
  cpiThreshold: '3.0',
  groups: [...BODY_2016.groups, 'orphan', 'edge'],
});
const with2016 = (over: Record<string, unknown>): PriceSubsidyParams =>
  priceSubsidyParamsSchema.parse({ ...BODY_2016, ...over });

type Row = {
  name: string;
  params?: PriceSubsidyParams;
  group?: 'urban_dibao' | 'rural_dibao' | 'urban_tekun' | 'edge' | 'orphan';
  cpi: string | null;
  food: string | null;
  standard?: number;
  triggered: boolean;
  rise: string | null;
  amountFen: number;
};

const rows: Row[] = [
  // Triggers (DOMAIN §8.2, §8.4)
  {
    name: 'CPI 3.4% and food 5.9%: no subsidy',
    cpi: '3.4',
    food: '5.9',
    triggered: false,
    rise: null,
    amountFen: 0,
  },
  {
    name: 'CPI exactly 3.5% triggers: 410 × 3.5% = 14.35 → 14 元',
    cpi: '3.5',
    food: '2.0',
    triggered: true,
    rise: '3.5',
    amountFen: 1_400,
  },
  {
    name: 'CPI 3.6%, food not published: 410 × 3.6% = 14.76 → 15 元',
    cpi: '3.6',
    food: null,
    triggered: true,
    rise: '3.6',
    amountFen: 1_500,
  },
  {
    name: 'food alone at 6%: 410 × 6% = 24.60 → 25 元',
    cpi: '2.0',
    food: '6',
    triggered: true,
    rise: '6',
    amountFen: 2_500,
  },
  {
    name: 'food triggers while the CPI fell',
    cpi: '-0.5',
    food: '6.5',
    triggered: true,
    rise: '6.5',
    amountFen: 2_700,
  },
  {
    name: 'neither index published: no subsidy',
    cpi: null,
    food: null,
    triggered: false,
    rise: null,
    amountFen: 0,
  },
  // Both trigger
  {
    name: 'both trigger: the higher (food 8.2%) counts, 410 × 8.2% = 33.62 → 34 元',
    cpi: '4.0',
    food: '8.2',
    triggered: true,
    rise: '8.2',
    amountFen: 3_400,
  },
  {
    name: 'both trigger, whenBoth = cpi: 410 × 4% = 16.40 → 16 元',
    params: with2016({ whenBoth: 'cpi' }),
    cpi: '4.0',
    food: '8.2',
    triggered: true,
    rise: '4.0',
    amountFen: 1_600,
  },
  {
    name: 'both trigger, whenBoth = food even when the CPI is higher',
    params: with2016({ whenBoth: 'food' }),
    cpi: '7.0',
    food: '6.1',
    triggered: true,
    rise: '6.1',
    amountFen: 2_500,
  },
  // The floor
  {
    name: 'rural 260 × 3.5% = 9.10 → 9 元 is raised to the 10 元 floor',
    group: 'rural_dibao',
    cpi: '3.5',
    food: null,
    standard: RURAL,
    triggered: true,
    rise: '3.5',
    amountFen: 1_000,
  },
  {
    name: 'Fujian floor of 30 元: 410 × 3.5% = 14 元 → 30 元',
    params: with2016({ floorFen: 3_000 }),
    cpi: '3.5',
    food: null,
    triggered: true,
    rise: '3.5',
    amountFen: 3_000,
  },
  // The 2022 temporary adjustment
  {
    name: '2016 rule: CPI 3.0% does not trigger',
    cpi: '3.0',
    food: null,
    triggered: false,
    rise: null,
    amountFen: 0,
  },
  {
    name: '2022 rule: CPI 3.0% triggers, 410 × 3% = 12.30 → 12 元',
    params: P2022,
    cpi: '3.0',
    food: null,
    triggered: true,
    rise: '3.0',
    amountFen: 1_200,
  },
  {
    name: '2022 rule: an edge family is covered',
    params: P2022,
    group: 'edge',
    cpi: '3.2',
    food: null,
    triggered: true,
    rise: '3.2',
    amountFen: 1_300,
  },
  {
    name: '2016 rule: an edge family is not covered',
    group: 'edge',
    cpi: '3.6',
    food: null,
    triggered: true,
    rise: '3.6',
    amountFen: 0,
  },
  {
    name: '特困 are covered (urban standard)',
    group: 'urban_tekun',
    cpi: '3.6',
    food: null,
    triggered: true,
    rise: '3.6',
    amountFen: 1_500,
  },
  // standard ÷ divisor by band of the rise
  ...(() => {
    const divided = with2016({
      formula: {
        kind: 'standard_divided',
        bands: [
          { minRise: '3', divisor: 40 },
          { minRise: '5', divisor: 20 },
          { minRise: '8', divisor: 10 },
        ],
      },
    });
    return [
      {
        name: 'divided: rise 3.6% in the 3% band, 410 ÷ 40 = 10.25 → 10 元',
        params: divided,
        cpi: '3.6',
        food: null,
        triggered: true,
        rise: '3.6',
        amountFen: 1_000,
      },
      {
        name: 'divided: rise 6% in the 5% band, 410 ÷ 20 = 20.50 → 21 元',
        params: divided,
        cpi: '2.1',
        food: '6',
        triggered: true,
        rise: '6',
        amountFen: 2_100,
      },
      {
        name: 'divided: rise 8% exactly in the 8% band, 410 ÷ 10 = 41 元',
        params: divided,
        cpi: '3.0',
        food: '8',
        triggered: true,
        rise: '8',
        amountFen: 4_100,
      },
    ] satisfies Row[];
  })(),
  // fixed amount per started percentage point
  ...(() => {
    const perPoint = with2016({ formula: { kind: 'fixed_per_point', amountFen: 500 } });
    return [
      {
        name: 'per point: 3.5% starts 4 points × 5 元 = 20 元',
        params: perPoint,
        cpi: '3.5',
        food: null,
        triggered: true,
        rise: '3.5',
        amountFen: 2_000,
      },
      {
        name: 'per point: food 6% is exactly 6 points = 30 元',
        params: perPoint,
        cpi: null,
        food: '6',
        triggered: true,
        rise: '6',
        amountFen: 3_000,
      },
      {
        name: 'per point: 6.01% starts 7 points = 35 元',
        params: perPoint,
        cpi: null,
        food: '6.01',
        triggered: true,
        rise: '6.01',
        amountFen: 3_500,
      },
    ] satisfies Row[];
  })(),
];

describe('价格临时补贴 per person per month (DOMAIN §8.4)', () => {
  it.each(rows)('$name', ({ params, group, cpi, food, standard, triggered, rise, amountFen }) => {
    const r = priceSubsidyMonthly(params ?? P2016, {
      group: group ?? 'urban_dibao',
      cpiYoY: cpi,
      foodYoY: food,
      dibaoStandardFen: standard ?? URBAN,
    });
    expect({ triggered: r.triggered, rise: r.rise, amountFen: r.amountFen }).toEqual({
      triggered,
      rise,
      amountFen,
    });
  });

  it.each([
    // 857 元 (2023 class 4 城镇) × 3.7% = 31.709 元
    { rounding: { mode: 'up', unit: 'yuan' }, want: 3_200 },
    { rounding: { mode: 'half_up', unit: 'yuan' }, want: 3_200 },
    { rounding: { mode: 'down', unit: 'yuan' }, want: 3_100 },
    { rounding: { mode: 'half_up', unit: 'jiao' }, want: 3_170 },
    { rounding: { mode: 'up', unit: 'jiao' }, want: 3_180 },
    { rounding: { mode: 'up', unit: 'fen' }, want: 3_171 },
    { rounding: { mode: 'down', unit: 'fen' }, want: 3_170 },
  ] as const)(
    '857 元 × 3.7% = 31.709 元, $rounding.mode to the $rounding.unit → $want fen',
    ({ rounding, want }) => {
      const r = priceSubsidyMonthly(with2016({ rounding }), {
        group: 'urban_dibao',
        cpiYoY: '3.7',
        foodYoY: null,
        dibaoStandardFen: 85_700,
      });
      expect(r.amountFen).toBe(want);
    },
  );

  it('explains the trigger, the choice of rise, the formula and the floor', () => {
    const r = priceSubsidyMonthly(with2016({ floorFen: 3_500 }), {
      group: 'urban_dibao',
      cpiYoY: '4.0',
      foodYoY: '8.2',
      dibaoStandardFen: URBAN,
    });
    expect(r.explanation.map((l) => [l.step, l.text])).toEqual([
      [
        '启动条件',
        'CPI 同比 4.0%（启动条件 ≥ 3.5%）达到；食品价格同比 8.2%（启动条件 ≥ 6%）达到；启动联动机制',
      ],
      ['涨幅取值', '两项指数均达到启动条件，按从高原则取涨幅 8.2%'],
      ['补贴标准', '低保标准 410.00 元 × 8.2% = 34.00 元（四舍五入到元）'],
      ['保底', '低于每人每月最低补贴 35.00 元，按 35.00 元发放'],
    ]);
    expect(r.explanation[0]?.rule).toContain('发改价格规〔2016〕1835号');
    expect(r.explanation[3]?.amountFen).toBe(3_500);
  });

  it('says when the group is not covered', () => {
    const r = priceSubsidyMonthly(P2016, {
      group: 'orphan',
      cpiYoY: '3.6',
      foodYoY: null,
      dibaoStandardFen: URBAN,
    });
    expect(r.explanation.at(-1)).toMatchObject({
      step: '保障对象',
      text: '孤儿和事实无人抚养儿童不在本期价格临时补贴保障范围内，补贴 0.00 元',
      amountFen: 0,
    });
  });

  it('says when the index is below the trigger', () => {
    const r = priceSubsidyMonthly(P2016, {
      group: 'urban_dibao',
      cpiYoY: '2.1',
      foodYoY: null,
      dibaoStandardFen: URBAN,
    });
    expect(r.explanation.map((l) => l.text)).toEqual([
      'CPI 同比 2.1%（启动条件 ≥ 3.5%）未达到；食品价格同比 未公布（启动条件 ≥ 6%）未达到；本月不启动',
    ]);
  });

  it('gives the same amount without explanation lines on the payroll fast path', () => {
    const input = { group: 'rural_dibao', cpiYoY: '3.5', foodYoY: null, dibaoStandardFen: RURAL } as const;
    const fast = priceSubsidyMonthly(P2016, input, { explain: false });
    expect(fast.amountFen).toBe(priceSubsidyMonthly(P2016, input).amountFen);
    expect(fast.explanation).toEqual([]);
  });
});

describe('priceSubsidyParamsSchema', () => {
  const messages = (body: unknown) => {
    const r = priceSubsidyParamsSchema.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes the higher rise when both trigger unless told otherwise', () => {
    expect(P2016.whenBoth).toBe('higher');
  });

  it.each([
    {
      name: 'a threshold written with a percent sign',
      body: { ...BODY_2016, cpiThreshold: '3.5%' },
      want: ['cpiThreshold: 比例应为非负小数，如 "0.3"、"1.6"'],
    },
    {
      name: 'a zero threshold',
      body: { ...BODY_2016, foodThreshold: '0' },
      want: ['foodThreshold: 启动条件应大于 0'],
    },
    {
      name: 'a group twice',
      body: { ...BODY_2016, groups: ['urban_dibao', 'urban_dibao'] },
      want: ['groups.1: 保障对象类别“城市低保对象”重复'],
    },
    {
      name: 'an unknown group',
      body: { ...BODY_2016, groups: ['students'] },
      want: [
        'groups.0: 保障对象类别应为 urban_dibao、rural_dibao、urban_tekun、rural_tekun、unemployment、special_care、orphan 或 edge',
      ],
    },
    { name: 'no group at all', body: { ...BODY_2016, groups: [] }, want: ['groups: 至少应有一类保障对象'] },
    {
      name: 'divided bands out of order',
      body: {
        ...BODY_2016,
        formula: {
          kind: 'standard_divided',
          bands: [
            { minRise: '3', divisor: 20 },
            { minRise: '3', divisor: 10 },
          ],
        },
      },
      want: ['formula.bands.1.minRise: 档次应按涨幅下限从低到高排列，且不重复'],
    },
    {
      name: 'a lowest band above the trigger',
      body: { ...BODY_2016, formula: { kind: 'standard_divided', bands: [{ minRise: '4', divisor: 20 }] } },
      want: ['formula.bands.0.minRise: 最低档次的涨幅下限高于启动条件，启动后可能无档可用'],
    },
    {
      name: 'a divisor of zero',
      body: { ...BODY_2016, formula: { kind: 'standard_divided', bands: [{ minRise: '3', divisor: 0 }] } },
      want: ['formula.bands.0.divisor: 除数应为正整数'],
    },
    {
      name: 'an unknown formula',
      body: { ...BODY_2016, formula: { kind: 'quarterly' } },
      want: ['formula.kind: 计算公式的 kind 应为 standard_times_rise、standard_divided 或 fixed_per_point'],
    },
    {
      name: 'a floor in yuan with decimals',
      body: { ...BODY_2016, floorFen: 10.5 },
      want: ['floorFen: 金额应为整数（分）'],
    },
  ])('rejects $name', ({ body, want }) => {
    expect(messages(body)).toEqual(want);
  });
});

describe('priceSubsidyInputSchema', () => {
  it('accepts unpublished indexes and rejects a number for a rise', () => {
    expect(
      priceSubsidyInputSchema.safeParse({
        group: 'edge',
        cpiYoY: null,
        foodYoY: '6.2',
        dibaoStandardFen: URBAN,
      }).success,
    ).toBe(true);
    const r = priceSubsidyInputSchema.safeParse({
      group: 'edge',
      cpiYoY: 3.6,
      foodYoY: 'n/a',
      dibaoStandardFen: URBAN,
    });
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'cpiYoY: 同比涨幅应写成小数字符串，如 "3.6"',
      'foodYoY: 同比涨幅应为小数，如 "3.6"、"-0.4"',
    ]);
  });
});
