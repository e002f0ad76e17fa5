import { describe, expect, it } from 'vitest';
import { type TekunParams, tekunParamsSchema } from '../policy/tekun.params.ts';
import { tekunInputSchema, tekunMonthly } from './tekun.ts';

const FUNDING = { defaultSource: 'county', rules: [] } as const;
const UP_YUAN = { mode: 'up', unit: 'yuan' } as const;

/** Guangdong since 2023 (DOMAIN §17): ≥ 1.6 × the dibao standard, not below the current standard, up to whole yuan. */
function multipleParams(multiple: string, floorFen?: number): TekunParams {
  return tekunParamsSchema.parse({
    basic: {
      method: 'multiple_of_dibao',
      multiple,
      dibaoProgram: 'rural_dibao',
      floorFen,
      rounding: UP_YUAN,
    },
    care: { basis: 'fixed', tiers: { full_self_care: 0, partial_care: 0, full_care: 0 } },
    funding: FUNDING,
  });
}

/** Heilongjiang 2024 care guide (DOMAIN §5.5): 全护理 1/4, 半护理 1/6, 全自理 1/10 of the minimum wage. */
function careParams(minimumWageFen: number, rounding: { mode: string; unit: string }): TekunParams {
  return tekunParamsSchema.parse({
    basic: { method: 'fixed', concentratedFen: 0, dispersedFen: 0 },
    care: {
      basis: 'minimum_wage_share',
      minimumWageFen,
      tiers: { full_self_care: '0.1', partial_care: '1/6', full_care: '0.25' },
      rounding,
    },
    funding: FUNDING,
  });
}

describe('特困 basic-living standard as a multiple of the dibao standard (DOMAIN §5.5, §17)', () => {
  it.each([
    // multiple, dibao standard, floor, expected basic (fen)
    {
      name: '1.3 × 260 元 (rural 2015) = 338 元',
      multiple: '1.3',
      standard: 26_000,
      floor: undefined,
      want: 33_800,
    },
    { name: '1.6 × 260 元 = 416 元', multiple: '1.6', standard: 26_000, floor: undefined, want: 41_600 },
    {
      name: '1.3 × 410 元 (urban 2015) = 533 元',
      multiple: '1.3',
      standard: 41_000,
      floor: undefined,
      want: 53_300,
    },
    { name: '1.6 × 410 元 = 656 元', multiple: '1.6', standard: 41_000, floor: undefined, want: 65_600 },
    {
      name: '1.3 × 551 元 = 716.30 → up to 717 元',
      multiple: '1.3',
      standard: 55_100,
      floor: undefined,
      want: 71_700,
    },
    {
      name: '1.6 × 532 元 = 851.20 → up to 852 元',
      multiple: '1.6',
      standard: 53_200,
      floor: undefined,
      want: 85_200,
    },
    {
      name: '1.6 × 600 元 = 960 元, above the 900 元 floor',
      multiple: '1.6',
      standard: 60_000,
      floor: 90_000,
      want: 96_000,
    },
    {
      name: '1.6 × 551 元 = 881.60 → 882 元 is below the current 900 元: the current standard stays',
      multiple: '1.6',
      standard: 55_100,
      floor: 90_000,
      want: 90_000,
    },
  ])('$name', ({ multiple, standard, floor, want }) => {
    const r = tekunMonthly(multipleParams(multiple, floor), {
      supportMode: 'dispersed',
      selfCare: 'full_self_care',
      dibaoStandardFen: standard,
    });
    expect(r.components).toEqual([
      { component: 'tekun_basic', amountFen: want },
      { component: 'tekun_care', amountFen: 0 },
    ]);
    expect(r.totalFen).toBe(want);
  });

  it('follows a new dibao standard without a new decision (自然增长): 2020 → 2021 rural class 4', () => {
    const params = multipleParams('1.6');
    const month = (standard: number) =>
      tekunMonthly(params, {
        supportMode: 'concentrated',
        selfCare: 'full_self_care',
        dibaoStandardFen: standard,
      }).totalFen;
    expect([month(53_200), month(55_100)]).toEqual([85_200, 88_200]);
  });

  it('is the same for 集中 and 分散 support under a multiple rule', () => {
    const params = multipleParams('1.6');
    const a = tekunMonthly(params, {
      supportMode: 'concentrated',
      selfCare: 'full_care',
      dibaoStandardFen: 41_000,
    });
    const b = tekunMonthly(params, {
      supportMode: 'dispersed',
      selfCare: 'full_care',
      dibaoStandardFen: 41_000,
    });
    expect(a.totalFen).toBe(b.totalFen);
  });

  it('explains the multiple, the rounding and the floor, citing the rule', () => {
    const r = tekunMonthly(multipleParams('1.6', 90_000), {
      supportMode: 'dispersed',
      selfCare: 'full_self_care',
      dibaoStandardFen: 55_100,
    });
    const basic = r.explanation.find((l) => l.step === '基本生活标准');
    expect(basic?.text).toBe('农村低保标准 551.00 元 × 1.6 = 882.00 元（进一到元，集中、分散供养同一标准）');
    expect(basic?.rule).toContain('DOMAIN §5.5');
    expect(basic?.param).toBe('basic.multiple');
    const floor = r.explanation.find((l) => l.step === '保底');
    expect(floor?.amountFen).toBe(90_000);
    expect(floor?.param).toBe('basic.floorFen');
  });

  it('refuses to guess when the dibao standard of the month is missing', () => {
    expect(() =>
      tekunMonthly(multipleParams('1.6'), { supportMode: 'dispersed', selfCare: 'full_care' }),
    ).toThrow(/农村低保标准/);
  });
});

describe('特困 fixed basic standard by support mode (集中/分散)', () => {
  const params = tekunParamsSchema.parse({
    basic: { method: 'fixed', concentratedFen: 60_000, dispersedFen: 49_200 },
    care: { basis: 'fixed', tiers: { full_self_care: 5_000, partial_care: 15_000, full_care: 30_000 } },
    funding: FUNDING,
  });

  it.each([
    { supportMode: 'concentrated', selfCare: 'full_self_care', basic: 60_000, care: 5_000 },
    { supportMode: 'dispersed', selfCare: 'full_self_care', basic: 49_200, care: 5_000 },
    { supportMode: 'dispersed', selfCare: 'partial_care', basic: 49_200, care: 15_000 },
    { supportMode: 'concentrated', selfCare: 'full_care', basic: 60_000, care: 30_000 },
  ] as const)(
    '$supportMode, $selfCare → basic $basic + care $care',
    ({ supportMode, selfCare, basic, care }) => {
      const r = tekunMonthly(params, { supportMode, selfCare });
      expect(r.components).toEqual([
        { component: 'tekun_basic', amountFen: basic },
        { component: 'tekun_care', amountFen: care },
      ]);
      expect(r.totalFen).toBe(basic + care);
      expect(r.explanation.at(-1)?.amountFen).toBe(basic + care);
    },
  );
});

describe('特困 care standard as a share of the minimum wage (DOMAIN §5.5)', () => {
  it.each([
    {
      name: '全护理 1/4 of 1,620 元 = 405 元',
      wage: 162_000,
      tier: 'full_care',
      rounding: UP_YUAN,
      want: 40_500,
    },
    {
      name: '半护理 1/6 of 1,620 元 = 270 元',
      wage: 162_000,
      tier: 'partial_care',
      rounding: UP_YUAN,
      want: 27_000,
    },
    {
      name: '全自理 1/10 of 1,620 元 = 162 元',
      wage: 162_000,
      tier: 'full_self_care',
      rounding: UP_YUAN,
      want: 16_200,
    },
    {
      name: '半护理 1/6 of 1,700 元 = 283.33… → up 284 元',
      wage: 170_000,
      tier: 'partial_care',
      rounding: UP_YUAN,
      want: 28_400,
    },
    {
      name: '半护理 1/6 of 1,700 元 → half-up 283 元',
      wage: 170_000,
      tier: 'partial_care',
      rounding: { mode: 'half_up', unit: 'yuan' },
      want: 28_300,
    },
    {
      name: '半护理 1/6 of 1,700 元 → down to the fen 283.33 元',
      wage: 170_000,
      tier: 'partial_care',
      rounding: { mode: 'down', unit: 'fen' },
      want: 28_333,
    },
    {
      name: '全护理 1/4 of 1,710 元 = 427.50 → up to the jiao stays 427.50 元',
      wage: 171_000,
      tier: 'full_care',
      rounding: { mode: 'up', unit: 'jiao' },
      want: 42_750,
    },
  ] as const)('$name', ({ wage, tier, rounding, want }) => {
    const r = tekunMonthly(careParams(wage, rounding), { supportMode: 'dispersed', selfCare: tier });
    expect(r.components[1]).toEqual({ component: 'tekun_care', amountFen: want });
  });

  it('explains the share as written in the parameters', () => {
    const r = tekunMonthly(careParams(170_000, UP_YUAN), {
      supportMode: 'dispersed',
      selfCare: 'partial_care',
    });
    const care = r.explanation.find((l) => l.step === '照料护理标准');
    expect(care?.text).toBe('半护理：最低工资 1,700.00 元 × 1/6 = 284.00 元/月（进一到元）');
    expect(care?.rule).toContain('特困人员认定办法');
    expect(care?.param).toBe('care.tiers.partial_care');
  });

  it('gives the same amounts without explanation lines on the payroll fast path', () => {
    const params = careParams(170_000, UP_YUAN);
    const slow = tekunMonthly(params, { supportMode: 'dispersed', selfCare: 'partial_care' });
    const fast = tekunMonthly(
      params,
      { supportMode: 'dispersed', selfCare: 'partial_care' },
      { explain: false },
    );
    expect(fast.components).toEqual(slow.components);
    expect(fast.explanation).toEqual([]);
    expect(slow.explanation.length).toBeGreaterThan(0);
  });
});

describe('tekunParamsSchema', () => {
  const valid = {
    basic: { method: 'multiple_of_dibao', multiple: '1.6', dibaoProgram: 'urban_dibao', rounding: UP_YUAN },
    care: {
      basis: 'minimum_wage_share',
      minimumWageFen: 162_000,
      tiers: { full_self_care: '0.1', partial_care: '1/6', full_care: '1/4' },
      rounding: UP_YUAN,
    },
    funding: FUNDING,
  };
  const messages = (body: unknown) => {
    const r = tekunParamsSchema.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts decimal and fraction shares', () => {
    expect(messages(valid)).toEqual([]);
  });

  it.each([
    {
      name: 'a multiple written with a comma',
      body: { ...valid, basic: { ...valid.basic, multiple: '1,6' } },
      want: 'basic.multiple: 比例应为非负小数，如 "0.3"、"1.6"',
    },
    {
      name: 'a multiple below the dibao standard',
      body: { ...valid, basic: { ...valid.basic, multiple: '0.9' } },
      want: 'basic.multiple: 特困基本生活标准不应低于低保标准：倍数应不小于 1（常见为 1.3，广东为 1.6）',
    },
    {
      name: 'a share divided by zero',
      body: { ...valid, care: { ...valid.care, tiers: { ...valid.care.tiers, partial_care: '1/0' } } },
      want: 'care.tiers.partial_care: 比例应为非负小数或分数，如 "0.25"、"1/6"',
    },
    {
      name: 'a share above the whole wage',
      body: {
        ...valid,
        care: { ...valid.care, tiers: { full_self_care: '0.1', partial_care: '1/6', full_care: '5/4' } },
      },
      want: 'care.tiers.full_care: 全护理占最低工资的比例不应大于 1',
    },
    {
      name: 'full care paid less than partial care',
      body: {
        ...valid,
        care: { ...valid.care, tiers: { full_self_care: '0.1', partial_care: '1/4', full_care: '1/6' } },
      },
      want: 'care.tiers.full_care: 全护理的照料护理标准不应低于半护理',
    },
    {
      name: 'an unknown basic method',
      body: { ...valid, basic: { method: 'percent' } },
      want: 'basic.method: 基本生活标准的 method 应为 fixed（固定金额）或 multiple_of_dibao（低保标准倍数）',
    },
    {
      name: 'a missing rounding',
      body: {
        ...valid,
        basic: { method: 'multiple_of_dibao', multiple: '1.6', dibaoProgram: 'urban_dibao' },
      },
      want: 'basic.rounding',
    },
    {
      name: 'a fixed care tier in yuan with decimals',
      body: {
        ...valid,
        care: { basis: 'fixed', tiers: { full_self_care: 50.5, partial_care: 100, full_care: 200 } },
      },
      want: 'care.tiers.full_self_care: 金额应为整数（分）',
    },
  ])('rejects $name', ({ body, want }) => {
    expect(messages(body).some((m) => m.startsWith(want))).toBe(true);
  });

  it('rejects an unknown key (a typo would otherwise be ignored) with its own issue, not the shape message', () => {
    const r = tekunParamsSchema.safeParse({ ...valid, basic: { ...valid.basic, floorfen: 90_000 } });
    expect(r.error?.issues.map((i) => [i.code, i.path.join('.')])).toEqual([['unrecognized_keys', 'basic']]);
  });

  it('names the expected shape when the body is not an object', () => {
    expect(tekunParamsSchema.safeParse('1.6').error?.issues.map((i) => i.message)).toEqual([
      '特困供养参数应为对象',
    ]);
  });
});

describe('tekunInputSchema', () => {
  it('accepts a scenario and rejects an unknown self-care tier in Chinese', () => {
    expect(
      tekunInputSchema.parse({ supportMode: 'dispersed', selfCare: 'full_care', dibaoStandardFen: 41_000 }),
    ).toEqual({
      supportMode: 'dispersed',
      selfCare: 'full_care',
      dibaoStandardFen: 41_000,
    });
    const r = tekunInputSchema.safeParse({ supportMode: 'home', selfCare: 'half' });
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      '供养方式应为 concentrated（集中供养）或 dispersed（分散供养）',
      '生活自理能力应为 full_self_care（全自理）、partial_care（半护理）或 full_care（全护理）',
    ]);
  });
});
