import { describe, expect, it } from 'vitest';
import { int, type Rounding, roundFen } from '../money/money.ts';
import type { DibaoParamsInput } from '../policy/dibao.params.ts';
import { adult, BASE_PARAMS, dibaoParams, household, type MemberDraft } from './dibao.testing.ts';
import {
  assessDibaoHousehold,
  DibaoRuleError,
  deriveCategories,
  dibaoDecisionInputSchema,
  dibaoHouseholdInputSchema,
  dibaoMonthlyBenefit,
  roundWholeFen,
} from './dibao.ts';

const fen: Rounding = { mode: 'half_up', unit: 'fen' };
const rounding = (over: Partial<Record<'perCapitaIncome' | 'benefit' | 'addOn', Rounding>>) => ({
  rounding: { perCapitaIncome: fen, benefit: fen, addOn: fen, ...over },
});
const wage = (amountFen: number) => ({ type: 'wage' as const, amountFen });
/** A household of three whose period income gives exactly `perCapitaFen` a month each (6 months). */
const threeWith = (perCapitaFen: number) =>
  household({
    members: [
      adult({ incomes: [wage(perCapitaFen * 18)] }),
      adult({ sex: 'F', age: 38 }),
      adult({ age: 10 }),
    ],
  });

describe('差额 method (民发〔2012〕220号 Art. 27, DOMAIN §4.7)', () => {
  it('pays (standard − per-capita income) × counted members', () => {
    const a = assessDibaoHousehold(dibaoParams(), threeWith(12_050));
    expect(a.eligible).toBe(true);
    expect(a.monthlyPerCapitaIncomeFen).toBe(12_050);
    expect(a.periodIncomeFen).toBe(216_900);
    expect(a.membersCounted).toBe(3);
    expect(a.benefit?.totalFen).toBe(86_850);
    expect(a.benefit?.components).toEqual([{ component: 'dibao_base', amountFen: 86_850 }]);
    const gap = a.explanation.find((l) => l.step === '差额补助');
    expect(gap?.text).toBe('（410.00 − 120.50）元/人 × 3 人 = 868.50 元');
    expect(gap?.rule).toContain('220号 第27条');
    expect(a.explanation.find((l) => l.step === '家庭月人均收入')?.text).toBe(
      '家庭计算期收入 2,169.00 元 ÷ 6 个月 ÷ 3 人 = 120.50 元/人·月',
    );
  });

  it.each([
    ['just below the standard', 40_999, true, 3],
    ['equal to the standard (must be below, 暂行办法 Art. 9)', 41_000, false, null],
    ['above the standard', 45_000, false, null],
    ['no income at all', 0, true, 123_000],
  ])('per-capita income %s → eligible %s', (_label, perCapita, eligible, total) => {
    const a = assessDibaoHousehold(dibaoParams(), threeWith(perCapita));
    expect(a.eligible).toBe(eligible);
    expect(a.benefit?.totalFen ?? null).toBe(total);
    if (!eligible) {
      expect(a.refusals).toEqual([
        expect.objectContaining({
          code: 'income_not_below_standard',
          text: expect.stringContaining('不低于低保标准 410.00 元'),
        }),
      ]);
      expect(a.benefit).toBeNull();
    }
  });

  it('does not count a member who is not a co-resident member (DOMAIN §4.2), nor their income', () => {
    const a = assessDibaoHousehold(
      dibaoParams(),
      household({
        members: [
          adult({ incomes: [wage(120_000)] }),
          adult({ name: '李四', counted: false, incomes: [wage(900_000)] }),
          adult({ age: 12 }),
        ],
      }),
    );
    expect(a.membersCounted).toBe(2);
    expect(a.monthlyPerCapitaIncomeFen).toBe(10_000);
    expect(a.benefit?.totalFen).toBe(62_000);
    expect(a.explanation[0]?.text).toContain('李四不计入共同生活的家庭成员');
  });
});

describe('分档 method (审核确认办法 Art. 23)', () => {
  const banded = dibaoParams({
    method: 'band',
    bands: [
      { code: 'A', label: '一档', amountFen: 30_000 },
      { code: 'B', label: '二档', amountFen: 20_000 },
    ],
  });

  it.each([
    ['A', 2, 60_000],
    ['B', 2, 40_000],
    ['B', 3, 60_000],
  ])('band %s × %d members = %d fen', (bandCode, persons, total) => {
    const members = Array.from({ length: persons }, () => adult({ incomes: [wage(6_000)] }));
    const a = assessDibaoHousehold(banded, household({ members, bandCode }));
    expect(a.benefit?.totalFen).toBe(total);
    expect(a.explanation.find((l) => l.step === '分档补助')?.text).toContain(`× ${persons} 人`);
  });

  it('still requires per-capita income below the standard', () => {
    const a = assessDibaoHousehold(
      banded,
      household({ members: [adult({ incomes: [wage(246_000)] })], bandCode: 'A' }),
    );
    expect(a.eligible).toBe(false);
  });

  it.each([
    [undefined, '需要指定家庭所属档次'],
    ['Z', '分档“Z”不在当前低保参数的档次中'],
  ])('refuses to compute without a known band (%s)', (bandCode, message) => {
    expect(() => assessDibaoHousehold(banded, household({ members: [adult()], bandCode }))).toThrow(
      DibaoRuleError,
    );
    expect(() => dibaoMonthlyBenefit(banded, { perCapitaIncomeFen: 0, bandCode, members: [{}] })).toThrow(
      message,
    );
  });
});

describe('保底 floor per counted member (DOMAIN §4.7 "max(base, floor × members)")', () => {
  it.each<[string, DibaoParamsInput['floor'], number, number]>([
    ['no floor', { kind: 'none' }, 40_000, 2_000],
    ['per person 50 元 lifts a 20 元 gap', { kind: 'per_person', amountFen: 5_000 }, 40_000, 10_000],
    ['share 0.1 of 410 元 = 41 元 per person', { kind: 'share_of_standard', rate: '0.1' }, 40_000, 8_200],
    ['floor below the gap changes nothing', { kind: 'per_person', amountFen: 5_000 }, 20_000, 42_000],
    [
      'share 0.333 gives an exact 136.53 元 × 2',
      { kind: 'share_of_standard', rate: '0.333' },
      40_000,
      27_306,
    ],
  ])('%s', (_label, floor, perCapita, total) => {
    const p = dibaoParams({ floor });
    const b = dibaoMonthlyBenefit(p, { perCapitaIncomeFen: perCapita, members: [{}, {}] });
    expect(b.totalFen).toBe(total);
    expect(b.explanation.some((l) => l.step === '保底')).toBe(total !== 2 * (41_000 - perCapita));
  });

  it('rounds a fractional floor once, by rounding.benefit', () => {
    const p = dibaoParams({
      floor: { kind: 'share_of_standard', rate: '0.3333' },
      ...rounding({ benefit: { mode: 'up', unit: 'yuan' } }),
    });
    // 410 × 0.3333 = 136.653 元 × 3 = 409.959 元 → up to yuan 410 元
    expect(dibaoMonthlyBenefit(p, { perCapitaIncomeFen: 40_900, members: [{}, {}, {}] }).totalFen).toBe(
      41_000,
    );
  });
});

describe('分类施保 add-ons (220号 Art. 28; Jilin and Fujian examples, DOMAIN §4.7)', () => {
  const jilin = (stacking: 'highest' | 'sum', capAtStandard = false) =>
    dibaoParams({
      addOns: {
        stacking,
        capAtStandard,
        items: [
          { category: 'serious_illness', label: '重病', rate: '0.3' },
          { category: 'severe_disability', label: '重残', rate: '0.2' },
          { category: 'elderly', label: '老年人', rate: '0.1', minAge: 70 },
          { category: 'minor', label: '未成年人', rate: '0.1' },
        ],
      },
    });
  const ill = { categories: ['serious_illness', 'severe_disability'] };

  it.each([
    ['highest single add-on only (Jilin: 不叠加)', jilin('highest'), 12_300],
    ['add-ons added up', jilin('sum'), 20_500],
  ])('%s', (_label, p, addOn) => {
    const b = dibaoMonthlyBenefit(p, { perCapitaIncomeFen: 21_000, members: [ill, {}] });
    expect(b.components).toEqual([
      { component: 'dibao_base', amountFen: 40_000 },
      { component: 'dibao_addon', amountFen: addOn, personIndex: 0 },
    ]);
    expect(b.totalFen).toBe(40_000 + addOn);
  });

  it('caps a member’s add-on at the standard (Fujian 2016)', () => {
    const p = dibaoParams({
      addOns: {
        stacking: 'sum',
        capAtStandard: true,
        items: [
          { category: 'serious_illness', label: '重病', rate: '0.8' },
          { category: 'severe_disability', label: '重残', rate: '0.5' },
        ],
      },
    });
    const b = dibaoMonthlyBenefit(p, { perCapitaIncomeFen: 41_000, members: [ill] });
    expect(b.components).toEqual([{ component: 'dibao_addon', amountFen: 41_000, personIndex: 0 }]);
    expect(b.explanation.find((l) => l.step === '分类施保')?.text).toContain('以低保标准 410.00 元为限');
    const uncapped = dibaoParams({ addOns: { ...p.addOns, capAtStandard: false } });
    expect(dibaoMonthlyBenefit(uncapped, { perCapitaIncomeFen: 41_000, members: [ill] }).totalFen).toBe(
      53_300,
    );
  });

  it.each([
    ['a flat amount (prefecture 2019: 220 元)', { amountFen: 22_000 }, fen, 22_000],
    ['0.15 × 410 = 61.50 元, half-up to yuan', { rate: '0.15' }, { mode: 'half_up', unit: 'yuan' }, 6_200],
    ['0.15 × 410 = 61.50 元, down to yuan', { rate: '0.15' }, { mode: 'down', unit: 'yuan' }, 6_100],
    ['0.151 × 410 = 61.91 元, up to jiao', { rate: '0.151' }, { mode: 'up', unit: 'jiao' }, 6_200],
    ['0.151 × 410 = 61.91 元, down to jiao', { rate: '0.151' }, { mode: 'down', unit: 'jiao' }, 6_190],
  ] as const)('add-on as %s', (_label, amount, addOnRounding, expected) => {
    const p = dibaoParams({
      addOns: {
        stacking: 'highest',
        capAtStandard: false,
        items: [{ category: 'disability', label: '残疾', ...amount }],
      },
      ...rounding({ addOn: addOnRounding }),
    });
    const b = dibaoMonthlyBenefit(p, {
      perCapitaIncomeFen: 41_000,
      members: [{ categories: ['disability'] }],
    });
    expect(b.totalFen).toBe(expected);
  });

  it.each([
    ['69 years old', { age: 69 }, 0],
    ['70 years old', { age: 70 }, 4_100],
    ['age unknown, recorded as elderly', { categories: ['elderly'] }, 4_100],
    ['17 years old', { age: 17 }, 4_100],
    ['18 years old, though once recorded a minor', { age: 18, categories: ['minor'] }, 0],
  ])('age-based add-ons: %s', (_label, member, addOn) => {
    const b = dibaoMonthlyBenefit(jilin('highest'), { perCapitaIncomeFen: 41_000, members: [member] });
    expect(b.totalFen).toBe(addOn);
  });

  it('takes ages at the end of the assessment month (born 1945-09-30 is 70 in 2015-09, born 1945-10-01 is not)', () => {
    const members: MemberDraft[] = [
      { sex: 'F', birthDate: '1945-09-30' },
      { sex: 'M', birthDate: '1945-10-01' },
    ];
    const a = assessDibaoHousehold(jilin('highest'), household({ members }));
    expect(a.decision.members.map((m) => m.age)).toEqual([70, 69]);
    expect(a.benefit?.components).toEqual([
      { component: 'dibao_base', amountFen: 82_000 },
      { component: 'dibao_addon', amountFen: 4_100, personIndex: 0 },
    ]);
  });
});

describe('全额 members (1999 条例 Art. 8): the whole standard instead of their gap share', () => {
  const fullParams = (cats: DibaoParamsInput['fullStandardCategories']) =>
    dibaoParams({ fullStandardCategories: cats });
  // Household business income of 200 元 per person per month (2 persons × 6 months).
  const hh = (first: MemberDraft) =>
    household({
      members: [first, adult({ incomes: [] })],
      householdIncomes: [{ type: 'business', amountFen: 240_000 }],
    });

  it.each([
    ['a recorded 三无 person', fullParams(['sanwu']), adult({ age: 75, sanwu: true }), 62_000],
    [
      'no income, no work ability, no supporter (derived)',
      fullParams(['no_income_no_work_no_supporter']),
      adult({ labourCapacity: 'none', noSupporter: true }),
      62_000,
    ],
    [
      'no work ability but a supporter: gap only',
      fullParams(['no_income_no_work_no_supporter']),
      adult({ labourCapacity: 'none' }),
      42_000,
    ],
    ['三无 where the rule pays no full standard', fullParams([]), adult({ age: 75, sanwu: true }), 42_000],
  ])('%s', (_label, p, first, total) => {
    const a = assessDibaoHousehold(p, hh(first));
    expect(a.monthlyPerCapitaIncomeFen).toBe(20_000);
    expect(a.benefit?.totalFen).toBe(total);
    expect(a.decision.members[0]?.fullStandard).toBe(total === 62_000);
  });

  it.each([
    ['no property rule', [], true],
    ['at most one home', [{ category: 'residential_property' as const, maxCount: 1 }], false],
  ])('still needs the property test: two homes, %s', (_label, assets, eligible) => {
    const p = dibaoParams({ fullStandardCategories: ['sanwu'], assets });
    const h = hh(adult({ age: 75, sanwu: true }));
    const a = assessDibaoHousehold(p, { ...h, assets: { ...h.assets, residentialProperties: 2 } });
    expect(a.eligible).toBe(eligible);
    expect(a.refusals.map((r) => r.code)).toEqual(eligible ? [] : ['residential_property']);
  });

  it('a full-standard member keeps an add-on on top', () => {
    const p = dibaoParams({
      fullStandardCategories: ['sanwu'],
      addOns: {
        stacking: 'highest',
        capAtStandard: false,
        items: [{ category: 'elderly', label: '高龄', rate: '0.1', minAge: 70 }],
      },
    });
    const b = dibaoMonthlyBenefit(p, {
      perCapitaIncomeFen: 0,
      members: [{ categories: ['sanwu'], age: 80 }],
    });
    expect(b.totalFen).toBe(45_100);
  });
});

describe('rounding modes change the amount (DOMAIN §4.7 "rounding is local")', () => {
  // 1,000 元 over 6 months for 3 persons = 55.555… 元 per person per month.
  const hh = household({ members: [adult({ incomes: [wage(100_000)] }), adult(), adult()] });
  it.each<[string, Rounding, Rounding, number, number]>([
    ['per-capita down to fen', { mode: 'down', unit: 'fen' }, fen, 5_555, 106_335],
    ['per-capita half-up to fen', fen, fen, 5_556, 106_332],
    ['per-capita up to yuan', { mode: 'up', unit: 'yuan' }, fen, 5_600, 106_200],
    ['benefit up to yuan', fen, { mode: 'up', unit: 'yuan' }, 5_556, 106_400],
    ['benefit half-up to yuan', fen, { mode: 'half_up', unit: 'yuan' }, 5_556, 106_300],
    ['benefit down to jiao', fen, { mode: 'down', unit: 'jiao' }, 5_556, 106_330],
  ])('%s', (_label, perCapitaIncome, benefit, perCapita, total) => {
    const a = assessDibaoHousehold(dibaoParams(rounding({ perCapitaIncome, benefit })), hh);
    expect(a.monthlyPerCapitaIncomeFen).toBe(perCapita);
    expect(a.benefit?.totalFen).toBe(total);
  });
});

describe('单人保 (DOMAIN §4.3)', () => {
  // Parents' wages give the household its per-capita figure; the severely disabled son has none.
  const family = (parentsPeriodWage: number) =>
    household({
      members: [
        adult({ age: 55, incomes: [wage(parentsPeriodWage)] }),
        adult({ sex: 'F', age: 52 }),
        adult({ name: '王小明', age: 25, disabilityGrade: 1, disabilityCategory: '肢体' }),
      ],
      singlePerson: { personIndex: 2 },
    });

  it.each([
    ['household at 500 元 per person: an edge family', 900_000, 50_000, true],
    ['household at 614.99 元: still edge', 1_106_982, 61_499, true],
    ['household at 615 元 = 1.5 × 410: not edge', 1_107_000, 61_500, false],
    ['household below the standard: not an edge family (the whole family qualifies)', 540_000, 30_000, false],
  ])('%s', (_label, wages, householdPerCapita, edge) => {
    const a = assessDibaoHousehold(dibaoParams(), family(wages));
    expect(a.householdPerCapitaIncomeFen).toBe(householdPerCapita);
    expect(a.monthlyPerCapitaIncomeFen).toBe(0);
    expect(a.membersCounted).toBe(1);
    expect(a.eligible).toBe(true);
    expect(a.benefit?.totalFen).toBe(41_000);
    expect(a.edgeFamily).toBe(edge);
    expect(a.decision.members).toEqual([
      {
        personId: null,
        categories: ['severe_disability', 'unemployed_severe_disability'],
        fullStandard: false,
        age: 25,
      },
    ]);
    expect(a.explanation.find((l) => l.step === '单人保')?.text).toContain('王小明单独申请');
  });

  it('uses the applicant’s own income', () => {
    const h = family(900_000);
    const m = h.members[2];
    if (m) m.incomes = [{ type: 'transfer_in', amountFen: 60_000 }];
    const a = assessDibaoHousehold(dibaoParams(), h);
    expect(a.monthlyPerCapitaIncomeFen).toBe(10_000);
    expect(a.benefit?.totalFen).toBe(31_000);
  });

  it('reports an edge family for an ordinary application that fails on income only', () => {
    expect(assessDibaoHousehold(dibaoParams(), threeWith(50_000)).edgeFamily).toBe(true);
    expect(assessDibaoHousehold(dibaoParams({ edgeIncomeMultiple: '2' }), threeWith(81_999)).edgeFamily).toBe(
      true,
    );
    expect(assessDibaoHousehold(dibaoParams(), threeWith(12_050)).edgeFamily).toBe(false);
  });
});

describe('the decision under newer parameters (the payroll, every month)', () => {
  it('recomputes the amount from the stored per-capita income with the new standard', () => {
    const a = assessDibaoHousehold(dibaoParams(), threeWith(12_050));
    const newer = dibaoParams({ standardFen: 44_000 });
    expect(dibaoMonthlyBenefit(newer, a.decision).totalFen).toBe(95_850);
  });

  it('gives the same figures with and without the explanation', () => {
    const p = dibaoParams({
      floor: { kind: 'share_of_standard', rate: '0.1' },
      addOns: {
        stacking: 'sum',
        capAtStandard: true,
        items: [{ category: 'minor', label: '未成年人', rate: '0.1' }],
      },
      ...rounding({ benefit: { mode: 'up', unit: 'yuan' }, addOn: { mode: 'down', unit: 'yuan' } }),
    });
    const decision = { perCapitaIncomeFen: 33_333, members: [{ age: 40 }, { age: 8 }, { age: 11 }] };
    const withText = dibaoMonthlyBenefit(p, decision);
    const fast = dibaoMonthlyBenefit(p, decision, { explain: false });
    expect(fast.explanation).toEqual([]);
    expect(fast.totalFen).toBe(withText.totalFen);
    expect(fast.components).toEqual(withText.components);
    // (410 − 333.33) × 3 = 230.01 元 → up 231 元; add-ons 41 元 each, down to yuan
    expect(fast.components).toEqual([
      { component: 'dibao_base', amountFen: 23_100 },
      { component: 'dibao_addon', amountFen: 4_100, personIndex: 1 },
      { component: 'dibao_addon', amountFen: 4_100, personIndex: 2 },
    ]);
    expect(withText.totalFen).toBe(31_300);
    expect(withText.explanation.at(-1)?.text).toBe('低保金 231.00 元 + 分类施保 82.00 元 = 313.00 元/月');
  });

  it('refuses a decision without members', () => {
    expect(() => dibaoMonthlyBenefit(dibaoParams(), { perCapitaIncomeFen: 0, members: [] })).toThrow(
      DibaoRuleError,
    );
  });
});

describe('categories derived from the member’s attributes', () => {
  it.each([
    [{ age: 65 }, ['elderly']],
    [{ age: 10 }, ['minor']],
    [{ disabilityGrade: 2 }, ['severe_disability', 'unemployed_severe_disability']],
    [{ disabilityGrade: 2, employed: true }, ['severe_disability']],
    [
      { disabilityGrade: 3, disabilityCategory: '智力' },
      ['severe_disability', 'unemployed_severe_disability'],
    ],
    [{ disabilityGrade: 3, disabilityCategory: '肢体' }, ['disability']],
    [{ seriousIllness: true, categories: ['single_parent'] }, ['serious_illness', 'single_parent']],
    [{ labourCapacity: 'none', noSupporter: true }, ['no_income_no_work_no_supporter']],
    [{ sanwu: true, age: 70 }, ['elderly', 'sanwu']],
  ] as const)('%o → %o', (attrs, expected) => {
    const m = household({ members: [adult(attrs as Partial<MemberDraft>)] }).members[0];
    if (!m) throw new Error('no member');
    expect(deriveCategories(m, m.age ?? 0, false)).toEqual(expected);
  });

  it('a member with an income of their own is not "no income"', () => {
    const m = household({ members: [adult({ labourCapacity: 'none', noSupporter: true })] }).members[0];
    if (!m) throw new Error('no member');
    expect(deriveCategories(m, 40, true)).toEqual([]);
  });
});

describe('worked example: Ruyuan, Guangdong class 4, 2015 (城镇 410 元, 农村 260 元; DOMAIN §17)', () => {
  const guangdong = (standardFen: number, over: Partial<DibaoParamsInput> = {}) =>
    dibaoParams({
      standardFen,
      income: {
        referenceMonths: 6,
        exemptTypes: ['special_care', 'family_planning', 'scholarship', 'heroism_award', 'social_assistance'],
      },
      addOns: {
        stacking: 'highest',
        capAtStandard: false,
        items: [
          { category: 'elderly', label: '70岁以上老人', rate: '0.1', minAge: 70 },
          { category: 'severe_disability', label: '重度残疾人', rate: '0.2' },
        ],
      },
      assets: [
        { category: 'financial_assets', perPersonMaxMonthsOfStandard: '24', standardBasis: 'urban' },
        { category: 'residential_property', maxCount: 1 },
        {
          category: 'motor_vehicle',
          maxCount: 0,
          exemptTypes: ['disability_vehicle', 'fuel_motorcycle', 'ebike'],
        },
      ],
      rounding: {
        perCapitaIncome: { mode: 'down', unit: 'fen' },
        benefit: { mode: 'half_up', unit: 'yuan' },
        addOn: { mode: 'half_up', unit: 'yuan' },
      },
      ...over,
    });

  it('an urban family of three: wages, a basic pension, a scholarship', () => {
    const a = assessDibaoHousehold(
      guangdong(41_000),
      household({
        members: [
          adult({ name: '张建国', age: 72, incomes: [{ type: 'basic_pension', amountFen: 45_000 }] }),
          adult({ name: '张伟', age: 45, employed: true, incomes: [wage(180_000)] }),
          adult({
            name: '张小红',
            sex: 'F',
            age: 16,
            student: true,
            incomes: [{ type: 'scholarship', amountFen: 50_000 }],
          }),
        ],
        assets: { financialAssetsFen: 800_000, residentialProperties: 1, vehicles: [{ type: 'ebike' }] },
      }),
      { urbanStandardFen: 41_000 },
    );
    // Income: 450 + 1,800 = 2,250 元 over 6 months (the scholarship is exempt; in 2015 the pension counts).
    // Per capita: 2,250 ÷ 6 ÷ 3 = 125.00 元. Gap: (410 − 125) × 3 = 855 元. Elderly add-on: 41 元.
    expect(a.periodIncomeFen).toBe(225_000);
    expect(a.monthlyPerCapitaIncomeFen).toBe(12_500);
    expect(a.eligible).toBe(true);
    expect(a.benefit?.components).toEqual([
      { component: 'dibao_base', amountFen: 85_500 },
      { component: 'dibao_addon', amountFen: 4_100, personIndex: 0 },
    ]);
    expect(a.benefit?.totalFen).toBe(89_600);
    const texts = a.explanation.map((l) => l.text);
    expect(texts).toContain('张小红：奖学金 500.00 元不计入家庭收入');
    expect(texts).toContain('（410.00 − 125.00）元/人 × 3 人 = 855.00 元');
    expect(texts.some((t) => t.startsWith('张建国：70岁以上老人'))).toBe(true);
    expect(texts.some((t) => t.includes('另有电动自行车 1 辆不计'))).toBe(true);
  });

  it('a rural family of four on farm income, measured against the urban standard for its savings', () => {
    const rural = guangdong(26_000);
    const h = household({
      members: [
        adult({ name: '李大山', age: 50, labourCapacity: 'partial' }),
        adult({ name: '陈桂英', sex: 'F', age: 48 }),
        adult({ name: '李阿婆', sex: 'F', age: 78 }),
        adult({ name: '李明', age: 12 }),
      ],
      householdIncomes: [{ type: 'business', amountFen: 360_000, note: '种植水稻、养猪' }],
      assets: { financialAssetsFen: 3_936_000, residentialProperties: 1 },
    });
    const a = assessDibaoHousehold(rural, h, { urbanStandardFen: 41_000 });
    // 3,600 元 ÷ 6 ÷ 4 = 150 元; gap (260 − 150) × 4 = 440 元; 李阿婆 26 元 add-on.
    expect(a.monthlyPerCapitaIncomeFen).toBe(15_000);
    expect(a.benefit?.totalFen).toBe(46_600);
    // Savings: 39,360 元 ÷ 4 = 9,840 元 = 24 × 410 元: exactly at the urban limit, so met.
    expect(a.eligible).toBe(true);
    // One fen more per person fails: the refusal names both figures.
    const richer = assessDibaoHousehold(
      rural,
      { ...h, assets: { ...h.assets, financialAssetsFen: 3_936_004 } },
      {
        urbanStandardFen: 41_000,
      },
    );
    expect(richer.eligible).toBe(false);
    expect(richer.refusals[0]?.text).toBe(
      '家庭金融资产 39,360.04 元 ÷ 4 人 = 人均 9,840.01 元，超过人均上限 9,840.00 元（24 个月 × 城市低保标准 410.00 元）',
    );
    expect(() => assessDibaoHousehold(rural, h)).toThrow('未提供城市低保标准');
  });
});

describe('parameter defaults', () => {
  it('fill in the optional parts of a minimal body', () => {
    const p = dibaoParams();
    expect(p).toMatchObject({
      bands: [],
      floor: { kind: 'none' },
      addOns: { stacking: 'highest', capAtStandard: false, items: [] },
      fullStandardCategories: [],
      assets: [],
      edgeIncomeMultiple: '1.5',
      income: {
        employmentCostDeduction: null,
        imputed: null,
        workingAge: { from: 16, toMale: 60, toFemale: 55 },
      },
    });
    expect(BASE_PARAMS.standardFen).toBe(41_000);
  });
});

describe('household input', () => {
  const issues = (h: Record<string, unknown>) => {
    const r = dibaoHouseholdInputSchema.safeParse({ asOfMonth: '2015-09', ...h });
    return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an imputed-income override without a reason (DOMAIN §4.4)',
      { members: [{ sex: 'M', age: 30, imputedIncome: { amountFen: 0 } }] },
      'members.0.imputedIncome.reason',
      '调整虚拟收入必须写明理由',
    ],
    [
      'an imputed-income override with a blank reason',
      { members: [{ sex: 'M', age: 30, imputedIncome: { amountFen: 0, reason: '  ' } }] },
      'members.0.imputedIncome.reason',
      '调整虚拟收入必须写明理由',
    ],
    [
      'a member without birth date or age',
      { members: [{ sex: 'F' }] },
      'members.0.birthDate',
      '应填写出生日期或年龄',
    ],
    [
      'a household where nobody counts',
      { members: [{ sex: 'F', age: 30, counted: false }] },
      'members',
      '至少需要一名计入保障的家庭成员',
    ],
    [
      '单人保 of someone not in the household',
      { members: [{ sex: 'F', age: 30 }], singlePerson: { personIndex: 1 } },
      'singlePerson.personIndex',
      '单人保的申请人不在家庭成员中',
    ],
    [
      '单人保 of a member who does not count',
      {
        members: [
          { sex: 'F', age: 30 },
          { sex: 'M', age: 30, counted: false },
        ],
        singlePerson: { personIndex: 1 },
      },
      'singlePerson.personIndex',
      '单人保的申请人应为计入的家庭成员',
    ],
    [
      'a month in the wrong format',
      { members: [{ sex: 'F', age: 30 }], asOfMonth: '2015-9' },
      'asOfMonth',
      'YYYY-MM',
    ],
    [
      'an unknown income type',
      { members: [{ sex: 'F', age: 30, incomes: [{ type: 'lottery', amountFen: 1 }] }] },
      'members.0.incomes.0.type',
      '收入类型应为以下之一',
    ],
  ])('refuses %s', (_label, h, path, message) => {
    expect(issues(h)).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('fills in the defaults: counted, no categories, no assets', () => {
    const h = household({ members: [{ sex: 'M', age: 30 }] });
    expect(h.members[0]).toMatchObject({ counted: true, categories: [], incomes: [], employed: false });
    expect(h.assets).toEqual({
      financialAssetsFen: 0,
      residentialProperties: 0,
      nonResidentialProperties: 0,
      vehicles: [],
      businessRegistrations: [],
    });
  });

  it('parses a stored decision (the payroll reads it back from benefit_decision)', () => {
    const a = assessDibaoHousehold(dibaoParams(), threeWith(12_050));
    const stored = JSON.parse(JSON.stringify(a.decision));
    expect(dibaoDecisionInputSchema.parse(stored)).toEqual(a.decision);
  });
});

describe('roundWholeFen (the payroll fast path) agrees with roundFen', () => {
  const modes = ['up', 'half_up', 'down'] as const;
  const units = ['fen', 'jiao', 'yuan'] as const;
  it('for every mode and unit over 0..2,500 fen and some large amounts', () => {
    const values = [...Array.from({ length: 2_501 }, (_, i) => i), 123_456_789, 99_999_999_950];
    const mismatches: string[] = [];
    for (const mode of modes)
      for (const unit of units)
        for (const v of values)
          if (roundWholeFen(v, { mode, unit }) !== roundFen(int(v), { mode, unit }))
            mismatches.push(`${mode}/${unit}/${v}`);
    expect(mismatches).toEqual([]);
  });
});
