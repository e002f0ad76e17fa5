import { describe, expect, it } from 'vitest';
import { type TemporaryAidParams, temporaryAidParamsSchema } from '../policy/temporary-aid.params.ts';
import { type TemporaryAidInput, temporaryAidAmount, temporaryAidInputSchema } from './temporary-aid.ts';

const URBAN_2015 = 41_000; // 410 元 (DOMAIN §17, class 4 城镇 2015)

/**
 * A county table in the spirit of DOMAIN §6.3–6.4: bands of 2–6 months of the urban standard (Wuwei), an emergency
 * cap of 20,000 元, a household cap of 20,000 元 a year, at most twice a year, and the town approving up to
 * 3 months of the standard (Shenqiu).
 */
const BODY = {
  standardBasis: 'urban_dibao',
  bands: [
    {
      code: 'E1',
      label: '一般急难',
      type: 'emergency',
      monthsOfStandard: '2',
      perPerson: true,
      capFen: 500_000,
    },
    { code: 'E2', label: '重大急难', type: 'emergency', monthsOfStandard: '6', perPerson: true },
    { code: 'X1', label: '支出型困难', type: 'expenditure', monthsOfStandard: '3', perPerson: false },
    { code: 'H', label: '过渡期半月', type: 'emergency', monthsOfStandard: '0.5', perPerson: true },
  ],
  typeCaps: { emergency: 2_000_000 },
  householdAnnualCapFen: 2_000_000,
  yearlyTimesLimit: 2,
  townApprovalLimit: { kind: 'months_of_standard', months: '3' },
  rounding: { mode: 'up', unit: 'yuan' },
  funding: { defaultSource: 'county', rules: [] },
};
const PARAMS: TemporaryAidParams = temporaryAidParamsSchema.parse(BODY);

type Row = {
  name: string;
  params?: TemporaryAidParams;
  input: Partial<TemporaryAidInput> & { bandCode: string };
  amountFen: number;
  approvalLevel: 'town' | 'county';
  capped: boolean;
  refused?: RegExp;
};

const rows: Row[] = [
  {
    name: '2 months × 410 元 for one person, within the town limit of 1,230 元',
    input: { bandCode: 'E1', persons: 1 },
    amountFen: 82_000,
    approvalLevel: 'town',
    capped: false,
  },
  {
    name: '2 months × 410 元 × 3 persons = 2,460 元 goes to the county',
    input: { bandCode: 'E1', persons: 3 },
    amountFen: 246_000,
    approvalLevel: 'county',
    capped: false,
  },
  {
    name: '2 months × 410 元 × 7 persons = 5,740 元 is held at the band cap of 5,000 元',
    input: { bandCode: 'E1', persons: 7 },
    amountFen: 500_000,
    approvalLevel: 'county',
    capped: true,
  },
  {
    name: '6 months × 410 元 × 10 persons = 24,600 元 is held at the emergency cap of 20,000 元',
    input: { bandCode: 'E2', persons: 10 },
    amountFen: 2_000_000,
    approvalLevel: 'county',
    capped: true,
  },
  {
    name: 'a per-household band ignores the household size: 3 × 410 元 = 1,230 元, exactly the town limit',
    input: { bandCode: 'X1', persons: 4 },
    amountFen: 123_000,
    approvalLevel: 'town',
    capped: false,
  },
  {
    name: 'half a month × 410.50 元 × 3 persons = 615.75 元, rounded up to 616 元',
    input: { bandCode: 'H', persons: 3, dibaoStandardFen: 41_050 },
    amountFen: 61_600,
    approvalLevel: 'town',
    capped: false,
  },
  {
    name: 'the household annual cap leaves 2,000 元 after 18,000 元 paid this year',
    input: { bandCode: 'E1', persons: 3, paidThisYearFen: 1_800_000 },
    amountFen: 200_000,
    approvalLevel: 'county',
    capped: true,
  },
  {
    name: 'a lower requested amount wins and stays with the town',
    input: { bandCode: 'E1', persons: 3, requestedFen: 100_000 },
    amountFen: 100_000,
    approvalLevel: 'town',
    capped: false,
  },
  {
    name: 'a higher requested amount does not raise the band amount',
    input: { bandCode: 'E1', persons: 3, requestedFen: 300_000 },
    amountFen: 246_000,
    approvalLevel: 'county',
    capped: false,
  },
  {
    name: 'the second grant of the year is still allowed',
    input: { bandCode: 'E1', persons: 1, timesThisYear: 1 },
    amountFen: 82_000,
    approvalLevel: 'town',
    capped: false,
  },
  {
    name: 'a third grant of the year is refused and left to the county (一事一议)',
    input: { bandCode: 'E1', persons: 1, timesThisYear: 2 },
    amountFen: 0,
    approvalLevel: 'county',
    capped: false,
    refused: /已达年度救助次数上限 2 次/,
  },
  {
    name: 'nothing left of the household annual cap is a refusal',
    input: { bandCode: 'E1', persons: 1, paidThisYearFen: 2_000_000 },
    amountFen: 0,
    approvalLevel: 'county',
    capped: false,
    refused: /已达家庭年度救助上限 20,000.00 元/,
  },
  {
    name: 'a band the table does not have is a refusal',
    input: { bandCode: 'Z9', persons: 1 },
    amountFen: 0,
    approvalLevel: 'county',
    capped: false,
    refused: /救助档次“Z9”不在现行临时救助标准中/,
  },
  {
    name: 'a fixed town limit of 5,000 元 (Jinjiang) keeps 2,460 元 with the town',
    params: temporaryAidParamsSchema.parse({
      ...BODY,
      townApprovalLimit: { kind: 'amount', amountFen: 500_000 },
    }),
    input: { bandCode: 'E1', persons: 3 },
    amountFen: 246_000,
    approvalLevel: 'town',
    capped: false,
  },
  {
    name: 'no caps and no frequency limit: 6 months × 410 元 × 10 persons = 24,600 元',
    params: temporaryAidParamsSchema.parse({
      ...BODY,
      typeCaps: undefined,
      householdAnnualCapFen: undefined,
      yearlyTimesLimit: undefined,
    }),
    input: { bandCode: 'E2', persons: 10, timesThisYear: 5 },
    amountFen: 2_460_000,
    approvalLevel: 'county',
    capped: false,
  },
];

describe('临时救助 amount and approval level (DOMAIN §6.3, §6.4)', () => {
  it.each(rows)('$name', ({ params, input, amountFen, approvalLevel, capped, refused }) => {
    const r = temporaryAidAmount(params ?? PARAMS, { persons: 1, dibaoStandardFen: URBAN_2015, ...input });
    expect({ amountFen: r.amountFen, approvalLevel: r.approvalLevel, capped: r.capped }).toEqual({
      amountFen,
      approvalLevel,
      capped,
    });
    if (refused) {
      expect(r.refusals).toHaveLength(1);
      expect(r.refusals[0]?.text).toMatch(refused);
      expect(r.refusals[0]?.rule).toMatch(/DOMAIN §6/);
    } else {
      expect(r.refusals).toEqual([]);
    }
  });

  it('explains the band, the cap and the approval level with the figures and rules', () => {
    const r = temporaryAidAmount(PARAMS, { bandCode: 'E1', persons: 7, dibaoStandardFen: URBAN_2015 });
    expect(r.explanation.map((l) => [l.step, l.text])).toEqual([
      ['档次金额', '急难型“一般急难”：城市低保标准 410.00 元 × 2 个月 × 7 人 = 5,740.00 元（进一到元）'],
      ['封顶', '超过档次上限 5,000.00 元，按 5,000.00 元'],
      ['审批层级', '救助金额 5,000.00 元超过乡镇审批限额 1,230.00 元（3 个月低保标准），由县级民政部门审批'],
    ]);
    expect(r.explanation[0]?.rule).toContain('社会救助暂行办法 第49条');
    expect(r.explanation[2]?.rule).toContain('DOMAIN §6.3');
    expect(r.explanation[0]?.param).toBe('bands[0].monthsOfStandard');
  });

  it('gives the same result without explanation lines when asked', () => {
    const input = { bandCode: 'E2', persons: 10, dibaoStandardFen: URBAN_2015 };
    const fast = temporaryAidAmount(PARAMS, input, { explain: false });
    expect(fast.amountFen).toBe(temporaryAidAmount(PARAMS, input).amountFen);
    expect(fast.explanation).toEqual([]);
  });
});

describe('temporaryAidParamsSchema', () => {
  const messages = (body: unknown) => {
    const r = temporaryAidParamsSchema.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('fills in empty type caps', () => {
    expect(temporaryAidParamsSchema.parse({ ...BODY, typeCaps: undefined }).typeCaps).toEqual({});
  });

  it.each([
    {
      name: 'a repeated band code',
      body: { ...BODY, bands: [BODY.bands[0], BODY.bands[0]] },
      want: ['bands.1.code: 档次代码“E1”重复'],
    },
    {
      name: 'a band of zero months',
      body: { ...BODY, bands: [{ ...BODY.bands[2], monthsOfStandard: '0' }] },
      want: ['bands.0.monthsOfStandard: 档次的低保标准月数应大于 0'],
    },
    {
      name: 'a band cap the type cap makes useless',
      body: { ...BODY, bands: [{ ...BODY.bands[0], capFen: 3_000_000 }] },
      want: ['bands.0.capFen: 档次上限高于急难型类型上限，档次上限不会生效'],
    },
    { name: 'no band at all', body: { ...BODY, bands: [] }, want: ['bands: 至少应设一个救助档次'] },
    {
      name: 'a frequency limit of 0',
      body: { ...BODY, yearlyTimesLimit: 0 },
      want: ['yearlyTimesLimit: 年度救助次数上限应为正整数'],
    },
    {
      name: 'a band type that does not exist',
      body: { ...BODY, bands: [{ ...BODY.bands[0], type: 'disaster' }] },
      want: ['bands.0.type: 救助类型应为 emergency（急难型）或 expenditure（支出型）'],
    },
    {
      name: 'months of standard written as a number',
      body: { ...BODY, bands: [{ ...BODY.bands[0], monthsOfStandard: 2 }] },
      want: ['bands.0.monthsOfStandard: 比例应写成小数字符串，如 "0.3"'],
    },
    {
      name: 'a town limit of zero months',
      body: { ...BODY, townApprovalLimit: { kind: 'months_of_standard', months: '0' } },
      want: ['townApprovalLimit.months: 乡镇审批限额的月数应大于 0；不授权乡镇审批时请设 amount 为 0'],
    },
    {
      name: 'an unknown kind of town limit',
      body: { ...BODY, townApprovalLimit: { kind: 'percent' } },
      want: [
        'townApprovalLimit.kind: 乡镇审批限额的 kind 应为 months_of_standard（低保标准月数）或 amount（金额）',
      ],
    },
  ])('rejects $name', ({ body, want }) => {
    expect(messages(body)).toEqual(want);
  });
});

describe('temporaryAidInputSchema', () => {
  it('requires at least one person and a standard, in Chinese', () => {
    const r = temporaryAidInputSchema.safeParse({ bandCode: 'E1', persons: 0 });
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'persons: 家庭人口数应为正整数',
      'dibaoStandardFen: 金额应为整数（分）',
    ]);
  });
});
