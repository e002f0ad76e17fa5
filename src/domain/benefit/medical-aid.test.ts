import { describe, expect, it } from 'vitest';
import { type MedicalAidParams, medicalAidParamsSchema } from '../policy/medical-aid.params.ts';
import { type MedicalClaimInput, medicalAidClaim, medicalClaimInputSchema } from './medical-aid.ts';

const YUAN = 100;

/**
 * A 2015-era county chain (DOMAIN §7.2): basic insurance and 大病保险 by the insurers' rules, then medical assistance
 * at ≥70% for key groups within 10,000 元 a year, lower and after a deductible for edge families; 倾斜救助 last.
 */
const BODY = {
  layers: [
    {
      payer: 'basic_insurance',
      label: '城乡居民基本医疗保险',
      byCategory: {
        tekun: { deductibleFen: 800 * YUAN, rate: '0.75', annualCapFen: 150_000 * YUAN },
        dibao: { deductibleFen: 800 * YUAN, rate: '0.75', annualCapFen: 150_000 * YUAN },
        edge: { deductibleFen: 800 * YUAN, rate: '0.75', annualCapFen: 150_000 * YUAN },
      },
    },
    {
      payer: 'critical_illness',
      label: '大病保险',
      byCategory: { dibao: { deductibleFen: 10_000 * YUAN, rate: '0.6', annualCapFen: null } },
    },
    {
      payer: 'assistance',
      label: '医疗救助',
      byCategory: {
        tekun: { deductibleFen: 0, rate: '1', annualCapFen: 10_000 * YUAN },
        dibao: { deductibleFen: 0, rate: '0.7', annualCapFen: 10_000 * YUAN },
        edge: { deductibleFen: 1_000 * YUAN, rate: '0.6', annualCapFen: 5_000 * YUAN },
      },
    },
  ],
  rounding: { mode: 'half_up', unit: 'fen' },
  funding: { defaultSource: 'county', rules: [] },
};
const PARAMS: MedicalAidParams = medicalAidParamsSchema.parse(BODY);

/** A 20,000 元 stay, 18,000 元 of it policy-covered; the insurers paid 10,800 + 2,000 元 (settlement slip). */
const SETTLED: MedicalClaimInput = {
  category: 'dibao',
  billFen: 20_000 * YUAN,
  eligibleFen: 18_000 * YUAN,
  paidByPayer: { basic_insurance: 10_800 * YUAN, critical_illness: 2_000 * YUAN },
  paidThisYear: {},
};

type Row = {
  name: string;
  params?: MedicalAidParams;
  claim: MedicalClaimInput;
  layers: [number, boolean][];
  assistance: number;
  outOfPocket: number;
};

const rows: Row[] = [
  {
    name: 'dibao: 70% of the 5,200 元 the insurers left (国办发〔2015〕30号)',
    claim: SETTLED,
    layers: [
      [1_080_000, false],
      [200_000, false],
      [364_000, true],
    ],
    assistance: 364_000,
    outOfPocket: 356_000,
  },
  {
    name: 'tekun: all of what the insurers left',
    claim: { ...SETTLED, category: 'tekun' },
    layers: [
      [1_080_000, false],
      [200_000, false],
      [520_000, true],
    ],
    assistance: 520_000,
    outOfPocket: 200_000,
  },
  {
    name: 'the annual cap partly used up: 8,000 of 10,000 元 paid this year leaves 2,000 元',
    claim: { ...SETTLED, paidThisYear: { assistance: 8_000 * YUAN } },
    layers: [
      [1_080_000, false],
      [200_000, false],
      [200_000, true],
    ],
    assistance: 200_000,
    outOfPocket: 520_000,
  },
  {
    name: 'the annual cap used up pays nothing more',
    claim: { ...SETTLED, paidThisYear: { assistance: 10_000 * YUAN } },
    layers: [
      [1_080_000, false],
      [200_000, false],
      [0, true],
    ],
    assistance: 0,
    outOfPocket: 720_000,
  },
  {
    name: 'edge family: (5,200 − 1,000 deductible) × 60% = 2,520 元',
    claim: { ...SETTLED, category: 'edge' },
    layers: [
      [1_080_000, false],
      [200_000, false],
      [252_000, true],
    ],
    assistance: 252_000,
    outOfPocket: 468_000,
  },
  {
    name: 'a deductible larger than what is left pays nothing',
    claim: { ...SETTLED, category: 'edge', eligibleFen: 13_500 * YUAN },
    layers: [
      [1_080_000, false],
      [200_000, false],
      [0, true],
    ],
    assistance: 0,
    outOfPocket: 720_000,
  },
  {
    name: 'a group the county does not cover gets no assistance',
    claim: { ...SETTLED, category: 'other' },
    layers: [
      [1_080_000, false],
      [200_000, false],
      [0, true],
    ],
    assistance: 0,
    outOfPocket: 720_000,
  },
  {
    name: 'insurers computed: (9,000 − 800) × 75% = 6,150; 大病 under its deductible; 70% of 2,850 = 1,995 元',
    claim: { category: 'dibao', billFen: 10_000 * YUAN, eligibleFen: 9_000 * YUAN, paidThisYear: {} },
    layers: [
      [615_000, true],
      [0, true],
      [199_500, true],
    ],
    assistance: 199_500,
    outOfPocket: 185_500,
  },
  {
    name: 'basic insurance given, 大病 computed: (52,000 − 10,000) × 60% = 25,200; 70% of 16,800 = 11,760 → cap 10,000',
    claim: {
      category: 'dibao',
      billFen: 100_000 * YUAN,
      eligibleFen: 90_000 * YUAN,
      paidByPayer: { basic_insurance: 38_000 * YUAN },
      paidThisYear: {},
    },
    layers: [
      [3_800_000, false],
      [2_520_000, true],
      [1_000_000, true],
    ],
    assistance: 1_000_000,
    outOfPocket: 2_680_000,
  },
  {
    name: 'basic insurance near its own annual cap: 149,000 of 150,000 元 already paid',
    claim: {
      category: 'tekun',
      billFen: 10_000 * YUAN,
      eligibleFen: 9_000 * YUAN,
      paidThisYear: { basic_insurance: 149_000 * YUAN },
    },
    layers: [
      [100_000, true],
      [0, true],
      [800_000, true],
    ],
    assistance: 800_000,
    outOfPocket: 100_000,
  },
  {
    name: 'rounding once per layer: 70% of 5,201.23 元 = 3,640.861 → down to the yuan 3,640 元',
    params: medicalAidParamsSchema.parse({ ...BODY, rounding: { mode: 'down', unit: 'yuan' } }),
    claim: { ...SETTLED, eligibleFen: 1_800_123 },
    layers: [
      [1_080_000, false],
      [200_000, false],
      [364_000, true],
    ],
    assistance: 364_000,
    outOfPocket: 356_000,
  },
  {
    name: '倾斜救助 after capped assistance: (8,000 − 1,000) × 50% = 3,500 元; both count as assistance',
    params: medicalAidParamsSchema.parse({
      ...BODY,
      layers: [
        ...BODY.layers,
        {
          payer: 'tilted_assistance',
          label: '倾斜救助',
          byCategory: { dibao: { deductibleFen: 1_000 * YUAN, rate: '0.5', annualCapFen: 20_000 * YUAN } },
        },
      ],
    }),
    // 18,000 left after the insurers; 70% = 12,600 capped at 10,000; 8,000 left; (8,000 − 1,000) × 50% = 3,500
    claim: {
      category: 'dibao',
      billFen: 40_000 * YUAN,
      eligibleFen: 36_000 * YUAN,
      paidByPayer: { basic_insurance: 15_000 * YUAN, critical_illness: 3_000 * YUAN },
      paidThisYear: {},
    },
    layers: [
      [1_500_000, false],
      [300_000, false],
      [1_000_000, true],
      [350_000, true],
    ],
    assistance: 1_350_000,
    outOfPocket: 850_000,
  },
];

describe('医疗救助 claim along the chain of payers (DOMAIN §7.1–7.3)', () => {
  it.each(rows)('$name', ({ params, claim, layers, assistance, outOfPocket }) => {
    const r = medicalAidClaim(params ?? PARAMS, claim);
    expect(r.layers.map((l) => [l.amountFen, l.computed])).toEqual(layers);
    expect(r.assistanceFen).toBe(assistance);
    expect(r.outOfPocketFen).toBe(outOfPocket);
    // The bill is fully shared out: every layer plus the patient.
    expect(r.layers.reduce((s, l) => s + l.amountFen, 0) + r.outOfPocketFen).toBe(claim.billFen);
  });

  it('explains each layer with its deductible, rate, cap and rule', () => {
    const r = medicalAidClaim(PARAMS, { ...SETTLED, paidThisYear: { assistance: 8_000 * YUAN } });
    expect(r.explanation.map((l) => [l.step, l.text])).toEqual([
      ['医疗费用', '低保对象，医疗总费用 20,000.00 元，其中政策范围内费用 18,000.00 元'],
      ['城乡居民基本医疗保险', '基本医疗保险实际支付 10,800.00 元（按医保结算单）'],
      ['大病保险', '大病保险实际支付 2,000.00 元（按医保结算单）'],
      [
        '医疗救助',
        '（剩余政策范围内费用 5,200.00 元 − 起付标准 0.00 元）× 0.7 = 3,640.00 元（四舍五入到分）',
      ],
      ['年度限额', '医疗救助年度限额 10,000.00 元，本年度已支付 8,000.00 元，本次最多 2,000.00 元'],
      ['医疗救助合计', '医疗救助（含倾斜救助）2,000.00 元'],
      ['个人自付', '医疗总费用 20,000.00 元 − 各方支付合计 14,800.00 元 = 5,200.00 元'],
    ]);
    expect(r.explanation[3]?.rule).toContain('国办发〔2015〕30号');
    expect(r.explanation[3]?.param).toBe('layers[2].byCategory.dibao.rate');
  });

  it('says when a layer does not apply to the group', () => {
    const r = medicalAidClaim(PARAMS, { ...SETTLED, category: 'other' });
    expect(r.explanation.find((l) => l.step === '医疗救助')?.text).toBe(
      '医疗救助对其他困难人员不适用，支付 0.00 元',
    );
  });

  it('gives the same result without explanation lines when asked', () => {
    const fast = medicalAidClaim(PARAMS, SETTLED, { explain: false });
    expect(fast.assistanceFen).toBe(364_000);
    expect(fast.explanation).toEqual([]);
  });
});

describe('medicalAidParamsSchema', () => {
  const messages = (body: unknown) => {
    const r = medicalAidParamsSchema.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const [basic, critical, assistance] = BODY.layers as [
    (typeof BODY.layers)[0],
    (typeof BODY.layers)[1],
    (typeof BODY.layers)[2],
  ];

  it.each([
    {
      name: 'a rate above 100%',
      body: {
        ...BODY,
        layers: [
          { ...assistance, byCategory: { dibao: { deductibleFen: 0, rate: '1.2', annualCapFen: null } } },
        ],
      },
      want: ['layers.0.byCategory.dibao.rate: 支付比例不应大于 1（100%）'],
    },
    {
      name: 'a rate written as a percent',
      body: {
        ...BODY,
        layers: [
          { ...assistance, byCategory: { dibao: { deductibleFen: 0, rate: '70%', annualCapFen: null } } },
        ],
      },
      want: ['layers.0.byCategory.dibao.rate: 比例应为非负小数，如 "0.3"、"1.6"'],
    },
    {
      name: 'assistance before the insurers',
      body: { ...BODY, layers: [assistance, basic, critical] },
      want: [
        'layers.1.payer: 支付层顺序应为：基本医疗保险 → 大病保险 → 医疗救助 → 倾斜救助',
        'layers.2.payer: 支付层顺序应为：基本医疗保险 → 大病保险 → 医疗救助 → 倾斜救助',
      ],
    },
    {
      name: 'a payer twice',
      body: { ...BODY, layers: [basic, assistance, assistance] },
      want: ['layers.2.payer: 支付方“医疗救助”重复'],
    },
    {
      name: 'a chain without any assistance',
      body: { ...BODY, layers: [basic, critical] },
      want: ['layers: 至少应有一个医疗救助或倾斜救助支付层'],
    },
    {
      name: 'a missing annual cap (null means no cap, and must be written)',
      body: {
        ...BODY,
        layers: [{ ...assistance, byCategory: { dibao: { deductibleFen: 0, rate: '0.7' } } }],
      },
      want: ['layers.0.byCategory.dibao.annualCapFen: 金额应为整数（分）'],
    },
  ])('rejects $name', ({ body, want }) => {
    expect(messages(body)).toEqual(want);
  });

  it('rejects a category it does not know', () => {
    const r = medicalAidParamsSchema.safeParse({
      ...BODY,
      layers: [
        { ...assistance, byCategory: { veteran: { deductibleFen: 0, rate: '0.7', annualCapFen: null } } },
      ],
    });
    expect(r.success).toBe(false);
  });
});

describe('medicalClaimInputSchema', () => {
  it('defaults what was paid this year to nothing', () => {
    expect(
      medicalClaimInputSchema.parse({ category: 'dibao', billFen: 100, eligibleFen: 100 }).paidThisYear,
    ).toEqual({});
  });

  it.each([
    {
      name: 'covered costs above the bill',
      claim: { category: 'dibao', billFen: 100, eligibleFen: 200 },
      want: ['eligibleFen: 政策范围内费用不应超过医疗总费用'],
    },
    {
      name: 'insurer payments above the bill',
      claim: {
        category: 'dibao',
        billFen: 100,
        eligibleFen: 100,
        paidByPayer: { basic_insurance: 80, critical_illness: 30 },
      },
      want: ['paidByPayer: 医保已支付金额合计不应超过医疗总费用'],
    },
    {
      name: 'an unknown category and a bill in yuan with decimals',
      claim: { category: 'veteran', billFen: 12.5, eligibleFen: 0 },
      want: [
        'category: 人员类别应为 tekun、dibao、edge、illness_poverty 或 other',
        'billFen: 金额应为整数（分）',
      ],
    },
  ])('rejects $name', ({ claim, want }) => {
    const r = medicalClaimInputSchema.safeParse(claim);
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(want);
  });
});
