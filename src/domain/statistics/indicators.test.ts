import { describe, expect, it } from 'vitest';
import {
  ageGroupBounds,
  ageGroupOf,
  averagePerGrantFen,
  cumulativeLevelFen,
  formatLevelYuan,
  formatWan,
  monthlyLevelFen,
  monthsSinceJanuary,
  previousMonth,
  splitSpending,
  topUpLevelFen,
} from './indicators.ts';

describe('当月人均补助水平 = 当月资金支出 ÷ 当月人数 (DOMAIN §14)', () => {
  it.each([
    {
      name: '427 persons sharing 160,552 元 get 376 元 each (the seed, §17)',
      spend: 16_055_200,
      persons: 427,
      fen: 37_600,
    },
    { name: 'a remainder rounds half-up to the fen', spend: 100_000, persons: 3, fen: 33_333 },
    { name: 'half a fen rounds up', spend: 1, persons: 2, fen: 1 },
    { name: 'nobody on the program gives no level', spend: 0, persons: 0, fen: null },
  ])('$name', ({ spend, persons, fen }) => {
    expect(monthlyLevelFen({ spendingMonthFen: spend, personsMonth: persons })).toBe(fen);
  });
});

describe('累计月人均补助水平 = 累计支出 ÷ 累计人次 (DOMAIN §14, §17)', () => {
  it('divides by person-months, not by the end-of-period stock', () => {
    // 3 months with 10, 12 and 14 persons paid 300 元 each: 36 人次, 10,800 元 → 300 元.
    expect(cumulativeLevelFen({ spendingYtdFen: 36 * 30_000, personMonthsYtd: 36 })).toBe(30_000);
    // The stock at the end (14) would give 257.14 元: not the indicator.
    expect(cumulativeLevelFen({ spendingYtdFen: 36 * 30_000, personMonthsYtd: 3 * 14 })).toBe(25_714);
  });
});

describe('Guangdong 月人均补差水平 (DOMAIN §17)', () => {
  it('counts 低保金 with 分类施保 and leaves out the price subsidy', () => {
    const s = splitSpending({ dibao_base: 90_000, dibao_addon: 10_000, price_subsidy: 5_000 });
    expect(s.totalFen).toBe(105_000);
    expect(topUpLevelFen({ dibaoBaseFen: s.dibaoBaseFen, dibaoAddonFen: s.dibaoAddonFen, persons: 4 })).toBe(
      25_000,
    );
  });
});

describe('临时救助 平均救助水平 = 累计支出 ÷ 累计人次 (DOMAIN §14)', () => {
  it('the provincial bulletin: 943.98 元/人次', () => {
    expect(averagePerGrantFen({ spendingYtdFen: 943_98 * 100, grantsYtd: 100 })).toBe(94_398);
  });
  it('医疗救助 78.54万元 over 358 人次 ≈ 2,194 元 (DOMAIN §17)', () => {
    expect(formatLevelYuan(averagePerGrantFen({ spendingYtdFen: 78_540_000, grantsYtd: 358 }))).toBe('2194');
  });
});

describe('the edge', () => {
  it('writes 万元 with two decimals', () => {
    expect(formatWan(14_536_000)).toBe('14.54');
    expect(formatWan(1_453_600_000)).toBe('1453.60');
  });
  it('counts months since January and steps back a month', () => {
    expect(monthsSinceJanuary('2015-03')).toEqual(['2015-01', '2015-02', '2015-03']);
    expect(previousMonth('2015-01')).toBe('2014-12');
  });
});

describe('age groups (DOMAIN §14: 未成年人 < 18, 成年人 18–59, 老年人 ≥ 60 on the month’s last day)', () => {
  it.each([
    // [birth date, month, group]
    ['1997-09-30', '2015-09', 'adults'], // 18 on 30 September 2015, the month's last day
    ['1997-10-01', '2015-09', 'minors'], // 18 only in October
    ['1955-09-30', '2015-09', 'elderly'], // 60 on the last day
    ['1955-10-01', '2015-09', 'adults'],
    ['2015-09-01', '2015-09', 'minors'],
    ['1930-01-01', '2015-02', 'elderly'],
    ['1955-02-28', '2015-02', 'elderly'], // February ends on the 28th in 2015
    ['1955-03-01', '2015-02', 'adults'],
  ] as const)('born %s is counted in %s as %s', (birth, month, group) => {
    expect(ageGroupOf(birth, month)).toBe(group);
  });

  it('takes the cut-offs as parameters', () => {
    expect(ageGroupOf('1955-10-01', '2015-09', { adultFrom: 16, elderlyFrom: 55 })).toBe('elderly');
    expect(ageGroupOf('2000-01-01', '2015-09', { adultFrom: 16, elderlyFrom: 55 })).toBe('minors');
    expect(ageGroupOf('1999-06-01', '2015-09', { adultFrom: 16, elderlyFrom: 55 })).toBe('adults');
    expect(ageGroupBounds('2016-02')).toEqual({ minorBornAfter: '1998-02-29', elderlyBornBy: '1956-02-29' });
  });
});
