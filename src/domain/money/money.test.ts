import { describe, expect, it } from 'vitest';
import {
  add,
  cmp,
  decimal,
  div,
  formatWanYuan,
  formatYuan,
  int,
  isDecimalString,
  isZero,
  max,
  min,
  mul,
  percent,
  type Rounding,
  ratioToDecimalString,
  roundFen,
  roundingLabel,
  sub,
  yuanToFen,
} from './money.ts';

describe('decimal strings', () => {
  it.each([
    ['1.3', 13n, 10n],
    ['0.035', 7n, 200n],
    ['24', 24n, 1n],
    ['1.60', 8n, 5n],
    ['-0.5', -1n, 2n],
    ['0', 0n, 1n],
    ['-0', 0n, 1n],
    ['007.50', 15n, 2n],
  ])('%s is exactly %d/%d', (s, num, den) => {
    expect(decimal(s)).toEqual({ num, den });
    expect(isDecimalString(s)).toBe(true);
  });

  it.each(['', '.5', '5.', '1e3', '1,000', ' 1', '+1', '1.2.3', 'abc', '０.５'])('rejects %j', (s) => {
    expect(isDecimalString(s)).toBe(false);
    expect(() => decimal(s)).toThrow(RangeError);
  });
});

describe('exact arithmetic', () => {
  it('keeps 0.1 + 0.2 exactly 0.3 (no binary floating point)', () => {
    expect(cmp(add(decimal('0.1'), decimal('0.2')), decimal('0.3'))).toBe(0);
  });

  it('multiplies a standard by two rates without rounding in between (410 元 × 1.6 × 3.6%)', () => {
    const r = mul(int(41_000), decimal('1.6'), percent('3.6'));
    // 41000 × 1.6 = 65600 fen; × 0.036 = 2361.6 fen exactly
    expect(r).toEqual({ num: 11_808n, den: 5n });
    expect(roundFen(r, { mode: 'half_up', unit: 'fen' })).toBe(2362);
  });

  it('divides exactly and normalises the sign into the numerator', () => {
    expect(div(int(100), int(-3))).toEqual({ num: -100n, den: 3n });
    expect(mul(div(int(100), int(3)), int(3))).toEqual({ num: 100n, den: 1n });
    expect(sub(int(5), int(8))).toEqual({ num: -3n, den: 1n });
  });

  it('refuses division by zero', () => {
    expect(() => div(int(1), int(0))).toThrow(RangeError);
    expect(() => div(int(1), decimal('0.00'))).toThrow(RangeError);
  });

  it('compares, and picks max/min', () => {
    const a = decimal('0.35');
    const b = div(int(7), int(20));
    expect(cmp(a, b)).toBe(0);
    expect(cmp(decimal('0.3'), decimal('0.31'))).toBe(-1);
    expect(cmp(decimal('-0.3'), decimal('-0.31'))).toBe(1);
    expect(max(decimal('1.2'), int(1))).toEqual(decimal('1.2'));
    expect(min(decimal('1.2'), int(1))).toEqual(int(1));
    expect(isZero(sub(a, b))).toBe(true);
  });

  it('add() of nothing is zero, mul() of nothing is one', () => {
    expect(add()).toEqual({ num: 0n, den: 1n });
    expect(mul()).toEqual({ num: 1n, den: 1n });
  });

  it('refuses unsafe integers', () => {
    expect(() => int(2 ** 53)).toThrow(RangeError);
    expect(() => int(1.5)).toThrow(RangeError);
    expect(int(2n ** 60n).num).toBe(2n ** 60n);
  });

  it('reads percentages: "3.5" means 3.5%', () => {
    expect(percent('3.5')).toEqual({ num: 7n, den: 200n });
  });
});

describe('roundFen: one rounding, by the policy mode and unit', () => {
  const up = (unit: Rounding['unit']): Rounding => ({ mode: 'up', unit });
  const half = (unit: Rounding['unit']): Rounding => ({ mode: 'half_up', unit });
  const down = (unit: Rounding['unit']): Rounding => ({ mode: 'down', unit });

  // value in fen as an exact fraction string, rounding, expected fen
  it.each([
    // to fen
    ['1234.5', half('fen'), 1235],
    ['1234.4999', half('fen'), 1234],
    ['1234.01', up('fen'), 1235],
    ['1234.99', down('fen'), 1234],
    ['1234', up('fen'), 1234],
    // to jiao (10 fen)
    ['1235', half('jiao'), 1240],
    ['1234.99', half('jiao'), 1230],
    ['1231', up('jiao'), 1240],
    ['1239', down('jiao'), 1230],
    ['1230', up('jiao'), 1230],
    // to yuan (100 fen)
    ['1250', half('yuan'), 1300],
    ['1249.99', half('yuan'), 1200],
    ['1201', up('yuan'), 1300],
    ['1299', down('yuan'), 1200],
    ['1200', down('yuan'), 1200],
    ['0.01', up('yuan'), 100],
    ['0', up('yuan'), 0],
    // negatives: 'up' and 'half_up' go away from zero, 'down' toward zero
    ['-1234.5', half('fen'), -1235],
    ['-1234.4', half('fen'), -1234],
    ['-1250', half('yuan'), -1300],
    ['-1201', up('yuan'), -1300],
    ['-1299', down('yuan'), -1200],
    ['-0.4', half('fen'), 0],
    ['-5', down('jiao'), 0],
  ])('%s fen, %o → %d', (value, rounding, expected) => {
    const r = roundFen(decimal(value), rounding);
    expect(r).toBe(expected);
    expect(Object.is(r, -0)).toBe(false);
  });

  it('rounds a third of a fen by every mode', () => {
    const third = div(int(1000), int(3)); // 333.33… fen
    expect(roundFen(third, half('fen'))).toBe(333);
    expect(roundFen(third, up('fen'))).toBe(334);
    expect(roundFen(third, half('jiao'))).toBe(330);
    expect(roundFen(third, up('yuan'))).toBe(400);
    expect(roundFen(third, half('yuan'))).toBe(300);
  });

  // DOMAIN §17: Guangdong 2021 standard = 2020 standard × 1.035, rounded up to whole yuan, every class.
  it.each([
    ['class 1', 105_000, 108_700],
    ['class 2', 93_400, 96_700],
    ['class 3', 82_400, 85_300],
    ['class 4 城镇', 77_200, 80_000],
    ['class 4 农村', 53_200, 55_100],
    ['2015 class 4 城镇 (410 元 → 424.35 元)', 41_000, 42_500],
  ])('Guangdong %s: %d fen × 1.035 up to yuan = %d fen', (_label, fen, expected) => {
    expect(roundFen(mul(int(fen), decimal('1.035')), up('yuan'))).toBe(expected);
  });

  it('the same Guangdong uprating half-up would have given 799 for class 4 城镇 (the rule matters)', () => {
    expect(roundFen(mul(int(77_200), decimal('1.035')), half('yuan'))).toBe(79_900);
    expect(roundFen(mul(int(77_200), decimal('1.035')), down('yuan'))).toBe(79_900);
  });

  it('refuses results beyond the safe integer range', () => {
    expect(() => roundFen(int(2n ** 60n), half('fen'))).toThrow(RangeError);
  });
});

describe('labels and formatting', () => {
  it.each([
    [{ mode: 'up', unit: 'yuan' }, '进一到元'],
    [{ mode: 'half_up', unit: 'jiao' }, '四舍五入到角'],
    [{ mode: 'down', unit: 'fen' }, '舍去到分'],
  ] satisfies [Rounding, string][])('roundingLabel(%o) = %s', (r, label) => {
    expect(roundingLabel(r)).toBe(label);
  });

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [41_000, '410.00'],
    [86_850, '868.50'],
    [123_456_789, '1,234,567.89'],
    [-12_050, '-120.50'],
    [-5, '-0.05'],
  ])('formatYuan(%d) = %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  // DOMAIN §17: 城镇低保 Jan–Sept 2015 = 145.36万元 = 1,453,600 元 = 145,360,000 fen.
  it.each([
    [145_360_000, 2, '145.36'],
    [937_060_000, 2, '937.06'],
    [145_300_000, 2, '145.30'],
    [14_536_000, 2, '14.54'],
    [14_535_000, 2, '14.54'],
    [14_534_999, 2, '14.53'],
    [0, 2, '0.00'],
    [5_000, 2, '0.01'],
    [4_999, 2, '0.00'],
    [-14_536_000, 2, '-14.54'],
    [145_360_000, 0, '145'],
    [145_360_000, 4, '145.3600'],
  ])('formatWanYuan(%d, %d) = %s', (fen, places, text) => {
    expect(formatWanYuan(fen, places)).toBe(text);
  });

  it.each([
    [decimal('1.6'), '1.6'],
    [int(24), '24'],
    [div(int(1), int(3)), '0.33'],
    [decimal('-0.005'), '-0.01'],
  ])('ratioToDecimalString(%o) = %s', (r, text) => {
    expect(ratioToDecimalString(r)).toBe(text);
  });
});

describe('yuanToFen', () => {
  it.each([
    ['410', 41_000],
    ['410.5', 41_050],
    ['410.50', 41_050],
    [' 0.01 ', 1],
    ['-120.50', -12_050],
    ['0', 0],
  ])('%j 元 = %d fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each(['410.123', '', '4,100', '1e3', '￥410', '410元', '.5', 'abc'])('refuses %j', (yuan) => {
    expect(() => yuanToFen(yuan)).toThrow(RangeError);
  });
});
