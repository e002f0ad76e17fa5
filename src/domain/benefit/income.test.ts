import { describe, expect, it } from 'vitest';
import { cmp, decimal, int, type Ratio, roundFen } from '../money/money.ts';
import type { DibaoParamsInput } from '../policy/dibao.params.ts';
import { dibaoParams, NATIONAL_EXEMPT } from './dibao.testing.ts';
import { Explainer } from './explanation.ts';
import {
  computeDibaoIncome,
  type IncomeItem,
  type IncomeMember,
  isImputable,
  monthlyPerCapitaIncome,
} from './income.ts';

const member = (over: Partial<IncomeMember> = {}): IncomeMember => ({
  label: '成员',
  sex: 'M',
  age: 40,
  employed: false,
  student: false,
  incomes: [],
  ...over,
});
const income = (rules: Partial<DibaoParamsInput['income']>) =>
  dibaoParams({ income: { referenceMonths: 6, exemptTypes: [...NATIONAL_EXEMPT], ...rules } });
const fen = (r: Ratio) => roundFen(r, { mode: 'half_up', unit: 'fen' });
const run = (p: ReturnType<typeof income>, members: IncomeMember[], householdIncomes: IncomeItem[] = []) => {
  const ex = new Explainer();
  const r = computeDibaoIncome(p, { members, householdIncomes }, ex);
  return { ...r, ex };
};

describe('what counts as income (审核确认办法 Art. 13, DOMAIN §4.4)', () => {
  const item = (type: IncomeItem['type'], amountFen = 60_000): IncomeItem => ({ type, amountFen });
  it.each<[IncomeItem['type'], boolean]>([
    ['wage', true],
    ['business', true],
    ['property', true],
    ['transfer_in', true],
    ['other', true],
    ['special_care', false],
    ['family_planning', false],
    ['scholarship', false],
    ['heroism_award', false],
    ['social_assistance', false],
    ['basic_pension', false],
  ])('%s counts: %s', (type, counted) => {
    const r = run(income({}), [member({ incomes: [item(type)] })]);
    expect(fen(r.total)).toBe(counted ? 60_000 : 0);
    expect(r.ex.lines[0]?.step).toBe(counted ? '收入' : '不计入收入');
  });

  it('counts the basic pension where the rule does not exempt it (before the 14th Five-Year Plan)', () => {
    const p = income({ exemptTypes: ['special_care', 'social_assistance'] });
    expect(fen(run(p, [member({ incomes: [item('basic_pension', 45_000)] })]).total)).toBe(45_000);
  });

  it('excludes the old-age allowance only where listed', () => {
    const allowance = [member({ incomes: [item('old_age_allowance', 30_000)] })];
    expect(fen(run(income({}), allowance).total)).toBe(30_000);
    expect(fen(run(income({ exemptTypes: ['old_age_allowance'] }), allowance).total)).toBe(0);
  });

  it('subtracts transfers out (maintenance paid) and adds household-level income', () => {
    const r = run(
      income({}),
      [
        member({
          incomes: [item('wage', 300_000), { type: 'transfer_out', amountFen: 60_000, note: '赡养费' }],
        }),
      ],
      [item('business', 120_000)],
    );
    expect(fen(r.total)).toBe(360_000);
    expect(fen(r.householdItems)).toBe(120_000);
    expect(r.ex.lines.map((l) => l.text)).toContain('成员：转移性支出 600.00 元（赡养费），从家庭收入中扣除');
  });

  it('counts a negative total as zero for the per-capita figure', () => {
    const p = income({});
    const r = run(p, [member({ incomes: [{ type: 'transfer_out', amountFen: 60_000 }] })]);
    expect(fen(r.total)).toBe(-60_000);
    const ex = new Explainer();
    expect(monthlyPerCapitaIncome(p, r.total, 1, ex)).toBe(0);
    expect(ex.lines[0]?.text).toContain('为负数，按 0 元计');
  });

  it('marks who has income of their own (exempt income is not "income")', () => {
    const r = run(income({}), [
      member({ incomes: [item('special_care')] }),
      member({ incomes: [item('wage')] }),
    ]);
    expect(r.members.map((m) => m.hasOwnIncome)).toEqual([false, true]);
  });
});

describe('necessary employment costs (必要的就业成本, 2020 意见 item 11)', () => {
  const worker = (wageFen: number, employed = true) =>
    member({ employed, incomes: [{ type: 'wage', amountFen: wageFen }] });
  it.each<[string, DibaoParamsInput['income']['employmentCostDeduction'], IncomeMember, number]>([
    ['0.2 × 410 元 = 82 元 a month, 6 months', { rate: '0.2' }, worker(300_000), 300_000 - 49_200],
    ['100 元 a month, 6 months', { amountFen: 10_000 }, worker(300_000), 240_000],
    ['never more than the wage itself', { rate: '0.2' }, worker(30_000), 0],
    ['not for a member recorded as not employed', { rate: '0.2' }, worker(300_000, false), 300_000],
    ['no deduction when the rule sets none', null, worker(300_000), 300_000],
    ['0.15 × 410 元 = 61.50 元 a month, exact', { rate: '0.15' }, worker(300_000), 300_000 - 36_900],
  ])('%s', (_label, employmentCostDeduction, m, total) => {
    const r = run(income({ employmentCostDeduction }), [m]);
    expect(fen(r.total)).toBe(total);
  });

  it('says when the wage limits the deduction', () => {
    const r = run(income({ employmentCostDeduction: { rate: '0.2' } }), [worker(30_000)]);
    expect(r.ex.lines.find((l) => l.step === '就业成本扣减')?.text).toBe(
      '成员：必要就业成本 低保标准 410.00 元 × 0.2 = 82.00 元/月 × 6 个月 = 492.00 元，以工资性收入 300.00 元为限，扣减 300.00 元',
    );
  });
});

describe('imputed income (劳动力系数 / 虚拟收入, DOMAIN §4.4)', () => {
  const amount = income({ imputed: { kind: 'amount', amountFen: 50_000 } });
  const minWage = income({
    imputed: { kind: 'share_of_minimum_wage', rate: '0.6', minimumWageFen: 103_000 },
  });
  const able = (over: Partial<IncomeMember> = {}) => member({ labourCapacity: 'full', ...over });

  it.each<[string, IncomeMember, boolean]>([
    ['an able-bodied man of 40 without wages', able(), true],
    ['a man of 16', able({ age: 16 }), true],
    ['a man of 15', able({ age: 15 }), false],
    ['a man of 59', able({ age: 59 }), true],
    ['a man of 60', able({ age: 60 }), false],
    ['a woman of 54', able({ sex: 'F', age: 54 }), true],
    ['a woman of 55', able({ sex: 'F', age: 55 }), false],
    ['a student', able({ age: 19, student: true }), false],
    ['partial labour capacity', able({ labourCapacity: 'partial' }), false],
    ['labour capacity not recorded', member(), false],
    ['someone with wages', able({ incomes: [{ type: 'wage', amountFen: 1_000 }] }), false],
    [
      'someone with only farm income of their own',
      able({ incomes: [{ type: 'business', amountFen: 1_000 }] }),
      true,
    ],
  ])('%s: imputable %s', (_label, m, imputable) => {
    expect(isImputable(amount, m)).toBe(imputable);
  });

  it.each<[string, ReturnType<typeof income>, IncomeMember, number]>([
    ['a fixed 500 元 a month', amount, able(), 300_000],
    ['0.6 × minimum wage 1,030 元 = 618 元 a month', minWage, able(), 370_800],
    ['not when the rule imputes nothing', income({}), able(), 0],
    [
      'a clerk’s override wins: 0 元, with the reason',
      amount,
      able({ imputedIncome: { amountFen: 0, reason: '长期患病' } }),
      0,
    ],
    [
      'a clerk’s override of 200 元 a month',
      amount,
      able({ imputedIncome: { amountFen: 20_000, reason: '季节性务工' } }),
      120_000,
    ],
  ])('%s', (_label, p, m, total) => {
    const r = run(p, [m]);
    expect(fen(r.total)).toBe(total);
    expect(r.members[0]?.hasOwnIncome).toBe(false);
  });

  it('explains an override with its reason', () => {
    const r = run(amount, [
      able({ label: '赵六', imputedIncome: { amountFen: 0, reason: '照顾重病父亲无法外出务工' } }),
    ]);
    expect(r.ex.lines[0]).toMatchObject({
      step: '虚拟收入',
      text: '赵六：虚拟收入经核定为 0.00 元/月 × 6 个月 = 0.00 元（理由：照顾重病父亲无法外出务工）',
    });
  });

  it('explains the computed imputation', () => {
    const r = run(minWage, [able({ label: '赵六', age: 30 })]);
    expect(r.ex.lines[0]?.text).toBe(
      '赵六：30 岁，有劳动能力且无工资性收入，按最低工资 1,030.00 元 × 0.6 = 618.00 元/月 × 6 个月计算虚拟收入 3,708.00 元',
    );
  });
});

describe('monthly per-capita income, rounded once', () => {
  it.each([
    [{ mode: 'down', unit: 'fen' }, 5_555],
    [{ mode: 'half_up', unit: 'fen' }, 5_556],
    [{ mode: 'up', unit: 'fen' }, 5_556],
    [{ mode: 'down', unit: 'yuan' }, 5_500],
    [{ mode: 'half_up', unit: 'jiao' }, 5_560],
  ] as const)('1,000 元 ÷ 6 months ÷ 3 persons, %o → %d', (perCapitaIncome, expected) => {
    const p = dibaoParams({
      rounding: {
        perCapitaIncome,
        benefit: { mode: 'half_up', unit: 'fen' },
        addOn: { mode: 'half_up', unit: 'fen' },
      },
    });
    const ex = new Explainer();
    expect(monthlyPerCapitaIncome(p, int(100_000), 3, ex)).toBe(expected);
    expect(ex.lines[0]?.text).toContain('1,000.00 元 ÷ 6 个月 ÷ 3 人');
  });

  it('keeps fractional imputed income exact until the per-capita rounding', () => {
    // 0.333 × 1,000.01 元 = 333.00333 元 a month × 6 = 1,998.01998 元; ÷ 6 ÷ 1 = 333.00333 元 → 333.00 元.
    const p = income({ imputed: { kind: 'share_of_minimum_wage', rate: '0.333', minimumWageFen: 100_001 } });
    const r = run(p, [member({ labourCapacity: 'full' })]);
    expect(cmp(r.total, decimal('199801.998'))).toBe(0);
    expect(monthlyPerCapitaIncome(p, r.total, 1, new Explainer(false))).toBe(33_300);
  });
});
