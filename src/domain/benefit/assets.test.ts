import { describe, expect, it } from 'vitest';
import type { AssetRule } from '../policy/dibao.params.ts';
import { type DibaoAssets, DibaoRuleError, testDibaoAssets } from './assets.ts';
import { Explainer } from './explanation.ts';

const none: DibaoAssets = {
  financialAssetsFen: 0,
  residentialProperties: 0,
  nonResidentialProperties: 0,
  vehicles: [],
  businessRegistrations: [],
};
const ctx = { persons: 3, standardFen: 41_000 };
const run = (
  rules: AssetRule[],
  assets: Partial<DibaoAssets>,
  c: Partial<typeof ctx & { urbanStandardFen: number }> = {},
) => testDibaoAssets(rules, { ...none, ...assets }, { ...ctx, ...c }, new Explainer());

// The Guangdong rule table for edge families (DOMAIN §3.5), used here as a dibao table.
const guangdong: AssetRule[] = [
  { category: 'financial_assets', perPersonMaxMonthsOfStandard: '24', standardBasis: 'own' },
  { category: 'residential_property', maxCount: 1 },
  { category: 'non_residential_property', maxCount: 0 },
  { category: 'motor_vehicle', maxCount: 0, exemptTypes: ['disability_vehicle', 'fuel_motorcycle', 'ebike'] },
  { category: 'business_registration', maxCount: 0, exemptSmallFamilyShop: true },
];

describe('property rule table (DOMAIN §3.5)', () => {
  it.each<[string, Partial<DibaoAssets>, string[]]>([
    ['nothing at all', {}, []],
    ['deposits exactly 24 months of the standard per person', { financialAssetsFen: 2_952_000 }, []],
    ['deposits above 24 months per person', { financialAssetsFen: 2_952_003 }, ['financial_assets']],
    ['one home', { residentialProperties: 1 }, []],
    ['two homes', { residentialProperties: 2 }, ['residential_property']],
    ['a shop or a parking space', { nonResidentialProperties: 1 }, ['non_residential_property']],
    ['a car', { vehicles: [{ type: 'car' }] }, ['motor_vehicle']],
    ['a disability vehicle', { vehicles: [{ type: 'disability_vehicle' }] }, []],
    ['a fuel motorcycle and an e-bike', { vehicles: [{ type: 'fuel_motorcycle' }, { type: 'ebike' }] }, []],
    ['an e-bike and a truck', { vehicles: [{ type: 'ebike' }, { type: 'truck' }] }, ['motor_vehicle']],
    [
      'a business registration',
      { businessRegistrations: [{ smallFamilyShop: false }] },
      ['business_registration'],
    ],
    ['a husband-and-wife shop without employees', { businessRegistrations: [{ smallFamilyShop: true }] }, []],
    [
      'two homes and a car',
      { residentialProperties: 2, vehicles: [{ type: 'car' }] },
      ['residential_property', 'motor_vehicle'],
    ],
  ])('%s', (_label, assets, failed) => {
    const r = run(guangdong, assets);
    expect(r.refusals.map((x) => x.code)).toEqual(failed);
    expect(r.passed).toBe(failed.length === 0);
  });

  it.each<[number, string, string]>([
    [6, '2952003', 'fail'],
    [12, '1476000', 'pass'],
    [12, '1476001', 'fail'],
    [36, '4428000', 'pass'],
  ])(
    'deposits ≤ %d months of the standard per person: %s fen for 3 persons → %s',
    (months, total, outcome) => {
      const rules: AssetRule[] = [
        { category: 'financial_assets', perPersonMaxMonthsOfStandard: String(months), standardBasis: 'own' },
      ];
      expect(run(rules, { financialAssetsFen: Number(total) }).passed).toBe(outcome === 'pass');
    },
  );

  it('does not exempt a small family shop where the rule does not', () => {
    const rules: AssetRule[] = [
      { category: 'business_registration', maxCount: 0, exemptSmallFamilyShop: false },
    ];
    expect(run(rules, { businessRegistrations: [{ smallFamilyShop: true }] }).passed).toBe(false);
  });

  it('does not exempt a disability vehicle where the rule does not list it', () => {
    const rules: AssetRule[] = [{ category: 'motor_vehicle', maxCount: 0, exemptTypes: [] }];
    expect(run(rules, { vehicles: [{ type: 'disability_vehicle' }] }).passed).toBe(false);
  });

  it('names the figure and the threshold in each refusal', () => {
    const r = run(guangdong, {
      financialAssetsFen: 3_000_000,
      residentialProperties: 2,
      nonResidentialProperties: 1,
      vehicles: [{ type: 'car' }, { type: 'ebike' }],
      businessRegistrations: [{ smallFamilyShop: false }, { smallFamilyShop: true }],
    });
    expect(r.refusals.map((x) => x.text)).toEqual([
      '家庭金融资产 30,000.00 元 ÷ 3 人 = 人均 10,000.00 元，超过人均上限 9,840.00 元（24 个月 × 低保标准 410.00 元）',
      '家庭拥有住房 2 套，超过规定的 1 套',
      '家庭拥有非住宅类房产（商铺、车库车位、写字楼等）1 处，超过规定的 0 处',
      '家庭拥有机动车辆 1 辆（小型汽车），另有电动自行车 1 辆不计，超过规定的 0 辆',
      '家庭成员有工商登记 1 户（另有无雇工的夫妻小店 1 户视同无登记），超过规定的 0 户',
    ]);
    expect(r.refusals.every((x) => x.rule.includes('DOMAIN §3.5'))).toBe(true);
  });

  it('explains passed rules too', () => {
    const ex = new Explainer();
    testDibaoAssets(guangdong, none, ctx, ex);
    expect(ex.lines).toHaveLength(5);
    expect(ex.lines.every((l) => l.text.endsWith('符合规定'))).toBe(true);
  });

  describe('measured against the urban standard (Guangdong: 24 × the urban standard, DOMAIN §3.5)', () => {
    const urban: AssetRule[] = [
      { category: 'financial_assets', perPersonMaxMonthsOfStandard: '24', standardBasis: 'urban' },
    ];
    // A rural family (standard 260 元) of 3 with 20,000 元 per person: above 24 × 260 = 6,240 元, below 24 × 410 = 9,840 元.
    const rural = { standardFen: 26_000 };
    it('passes with the urban standard given by the caller', () => {
      expect(
        run(urban, { financialAssetsFen: 2_000_000 }, { ...rural, urbanStandardFen: 41_000 }).passed,
      ).toBe(true);
    });
    it('passes with the urban standard written in the rule', () => {
      const withFigure: AssetRule[] = [{ ...(urban[0] as AssetRule), urbanStandardFen: 41_000 } as AssetRule];
      expect(run(withFigure, { financialAssetsFen: 2_000_000 }, rural).passed).toBe(true);
    });
    it('would fail against the rural standard', () => {
      const own: AssetRule[] = [
        { category: 'financial_assets', perPersonMaxMonthsOfStandard: '24', standardBasis: 'own' },
      ];
      expect(run(own, { financialAssetsFen: 2_000_000 }, rural).passed).toBe(false);
    });
    it('refuses to guess the urban standard', () => {
      expect(() => run(urban, {}, rural)).toThrow(DibaoRuleError);
    });
  });
});
