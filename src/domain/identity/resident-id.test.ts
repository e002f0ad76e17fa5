import { describe, expect, it } from 'vitest';
import {
  ageOn,
  buildResidentId,
  checkCharacter,
  maskIdNumber,
  type ResidentIdResult,
  sexLabel,
  upgradeTo18,
  validateResidentId,
} from './resident-id.ts';

const asOf = '2025-06-15';

function expectValid(result: ResidentIdResult): Extract<ResidentIdResult, { valid: true }> {
  if (!result.valid) throw new Error(`expected valid, got errors: ${JSON.stringify(result.errors)}`);
  return result;
}

function expectInvalid(result: ResidentIdResult): Extract<ResidentIdResult, { valid: false }> {
  if (result.valid) throw new Error(`expected invalid, got valid ${result.idNumber}`);
  return result;
}

// Expected check characters below were computed independently of the implementation
// (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, "10X98765432"[S mod 11]).
describe('checkCharacter', () => {
  it.each([
    { first17: '11010519491231002', expected: 'X' },
    { first17: '44023219800101123', expected: '9' },
    { first17: '44023219800101124', expected: '7' },
    { first17: '44023219800101000', expected: '9' },
  ])('gives $expected as the check character of $first17', ({ first17, expected }) => {
    expect(checkCharacter(first17)).toBe(expected);
  });

  it.each(['1101051949123100', '110105194912310021', '1101051949123100A', ''])(
    'throws when the input is not exactly 17 digits (%j)',
    (bad) => {
      expect(() => checkCharacter(bad)).toThrow();
    },
  );
});

describe('validateResidentId — valid numbers', () => {
  it('accepts 11010519491231002X as a woman born on 1949-12-31 in 110105', () => {
    const r = expectValid(validateResidentId('11010519491231002X', { asOf }));
    expect(r).toEqual({
      valid: true,
      idNumber: '11010519491231002X',
      upgradedFrom15: false,
      addressCode: '110105',
      provinceCode: '11',
      birthDate: '1949-12-31',
      sex: 'F',
      sequence: '002',
      warnings: [],
    });
  });

  it('accepts a lower-case x check character and normalises it to X', () => {
    const r = expectValid(validateResidentId('11010519491231002x', { asOf }));
    expect(r.idNumber).toBe('11010519491231002X');
  });

  it('ignores surrounding whitespace', () => {
    const r = expectValid(validateResidentId('  11010519491231002X\n', { asOf }));
    expect(r.idNumber).toBe('11010519491231002X');
  });

  it.each([
    {
      addressCode: '440232',
      birthDate: '1980-01-01',
      sequence: 123,
      expectedId: '440232198001011239',
      sex: 'M',
    },
    {
      addressCode: '440232',
      birthDate: '1980-01-01',
      sequence: 124,
      expectedId: '440232198001011247',
      sex: 'F',
    },
    {
      addressCode: '440232',
      birthDate: '1980-01-01',
      sequence: 0,
      expectedId: '440232198001010009',
      sex: 'F',
    },
    {
      addressCode: '440232',
      birthDate: '2024-02-29',
      sequence: 2,
      expectedId: '440232202402290020',
      sex: 'F',
    },
    {
      addressCode: '440232',
      birthDate: '1800-01-01',
      sequence: 1,
      expectedId: '440232180001010011',
      sex: 'M',
    },
  ])(
    'round-trips a number built for $addressCode born $birthDate with sequence $sequence (sex $sex)',
    ({ addressCode, birthDate, sequence, expectedId, sex }) => {
      const id = buildResidentId({ addressCode, birthDate, sequence });
      expect(id).toBe(expectedId);
      const r = expectValid(validateResidentId(id, { asOf }));
      expect(r.addressCode).toBe(addressCode);
      expect(r.provinceCode).toBe('44');
      expect(r.birthDate).toBe(birthDate);
      expect(r.sequence).toBe(String(sequence).padStart(3, '0'));
      expect(r.sex).toBe(sex);
    },
  );

  it('accepts a birth date equal to asOf (born today)', () => {
    const id = buildResidentId({ addressCode: '440232', birthDate: asOf, sequence: 1 });
    expectValid(validateResidentId(id, { asOf }));
  });
});

describe('validateResidentId — legacy 15-digit numbers', () => {
  it('upgrades 110105491231002 to 11010519491231002X and marks it upgradedFrom15', () => {
    const r = expectValid(validateResidentId('110105491231002', { asOf }));
    expect(r.idNumber).toBe('11010519491231002X');
    expect(r.upgradedFrom15).toBe(true);
    expect(r.birthDate).toBe('1949-12-31');
    expect(r.sex).toBe('F');
  });

  it.each([
    { id15: '110105491231002', id18: '11010519491231002X', rule: 'inserts 19 for an ordinary sequence' },
    { id15: '110105990101995', id18: '110105199901019950', rule: 'inserts 19 for sequence 995' },
    { id15: '110105050101996', id18: '11010518050101996X', rule: 'inserts 18 for centenarian sequence 996' },
    { id15: '110105990101999', id18: '110105189901019994', rule: 'inserts 18 for centenarian sequence 999' },
  ])('upgradeTo18 $rule ($id15 → $id18)', ({ id15, id18 }) => {
    expect(upgradeTo18(id15)).toBe(id18);
  });

  it('dates a 15-digit centenarian number (sequence 996–999) in the 1800s', () => {
    const r = expectValid(validateResidentId('110105050101996', { asOf }));
    expect(r.birthDate).toBe('1805-01-01');
    expect(r.upgradedFrom15).toBe(true);
  });

  it.each(['11010549123100', '1101054912310021', '11010549123100X', ''])(
    'upgradeTo18 throws on malformed input (%j)',
    (bad) => {
      expect(() => upgradeTo18(bad)).toThrow();
    },
  );

  it('rejects a 15-digit number with an impossible date, naming 出生日期', () => {
    const r = expectInvalid(validateResidentId('110105490231002', { asOf }));
    expect(r.errors).toEqual([{ code: 'BIRTH_DATE', message: '出生日期 19490231 不是有效日期' }]);
  });
});

describe('validateResidentId — birth date', () => {
  it.each([
    { id: '110105200002290013', date: '2000-02-29', why: '2000 is a leap year (divisible by 400)' },
    { id: '11010519960229002X', date: '1996-02-29', why: '1996 is a leap year' },
  ])('accepts 29 February when $why', ({ id, date }) => {
    expect(expectValid(validateResidentId(id, { asOf })).birthDate).toBe(date);
  });

  it.each([
    { id: '110105190002290017', digits: '19000229', why: '1900 is not a leap year (divisible by 100)' },
    { id: '11010519990229003X', digits: '19990229', why: '1999 is not a leap year' },
  ])('rejects 29 February when $why, naming 出生日期', ({ id, digits }) => {
    const r = expectInvalid(validateResidentId(id, { asOf }));
    expect(r.errors).toEqual([{ code: 'BIRTH_DATE', message: `出生日期 ${digits} 不是有效日期` }]);
  });

  it.each([
    { first17: '11010519491331002', digits: '19491331', what: 'month 13' },
    { first17: '11010519490001002', digits: '19490001', what: 'month 00' },
    { first17: '11010519490400002', digits: '19490400', what: 'day 00' },
    { first17: '11010519490431002', digits: '19490431', what: '31 April' },
  ])('rejects an impossible date ($what), naming 出生日期', ({ first17, digits }) => {
    const r = expectInvalid(validateResidentId(first17 + checkCharacter(first17), { asOf }));
    expect(r.errors).toEqual([{ code: 'BIRTH_DATE', message: `出生日期 ${digits} 不是有效日期` }]);
  });

  it('rejects a birth date later than asOf, naming 出生日期', () => {
    const r = expectInvalid(validateResidentId('440232203101010018', { asOf }));
    expect(r.errors).toEqual([{ code: 'BIRTH_DATE', message: '出生日期 2031-01-01 晚于当前日期' }]);
  });

  it('judges "future" against asOf, not the clock', () => {
    const id = '440232202401010015';
    expectValid(validateResidentId(id, { asOf: '2024-01-01' }));
    const r = expectInvalid(validateResidentId(id, { asOf: '2023-12-31' }));
    expect(r.errors.map((e) => e.code)).toEqual(['BIRTH_DATE']);
    expect(r.errors[0]?.message).toContain('出生日期');
  });

  it('rejects a birth date before 1800, naming 出生日期', () => {
    const r = expectInvalid(validateResidentId('440232179912310017', { asOf }));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.code).toBe('BIRTH_DATE');
    expect(r.errors[0]?.message).toContain('出生日期 1799-12-31');
  });

  it('throws when asOf itself is not a real YYYY-MM-DD date', () => {
    expect(() => validateResidentId('11010519491231002X', { asOf: '2025-02-30' })).toThrow();
    expect(() => validateResidentId('11010519491231002X', { asOf: '20250101' })).toThrow();
  });
});

describe('validateResidentId — format, province and check character', () => {
  it.each([
    { input: '11010519491231002', length: 17 },
    { input: '11010519491231002X1', length: 19 },
    { input: '1101051949123', length: 13 },
    { input: '', length: 0 },
    { input: '   ', length: 0 },
  ])('rejects a number of length $length, naming 长度, and checks nothing else', ({ input, length }) => {
    const r = expectInvalid(validateResidentId(input, { asOf }));
    expect(r.errors).toEqual([
      { code: 'LENGTH', message: `身份证号码长度应为18位（或15位旧号码），实际为${length}位` },
    ]);
  });

  it.each([
    { input: '1101051949123100XX', what: 'an X before the last position' },
    { input: '11010519491231002Y', what: 'a letter other than X at the end' },
    { input: 'A1010519491231002X', what: 'a letter at the start' },
    { input: '110105-9491231002X', what: 'punctuation' },
    { input: '11010549123100X', what: 'an X in a 15-digit number' },
  ])('rejects $what with a CHARACTERS error only', ({ input }) => {
    const r = expectInvalid(validateResidentId(input, { asOf }));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.code).toBe('CHARACTERS');
    expect(r.errors[0]?.message).toContain('数字');
  });

  it('rejects an 18-character number with letters using the documented message', () => {
    const r = expectInvalid(validateResidentId('11010519491231002Y', { asOf }));
    expect(r.errors).toEqual([{ code: 'CHARACTERS', message: '身份证号码只能由数字组成，最后一位可以是X' }]);
  });

  it('rejects a number whose check character is wrong, naming 校验位', () => {
    const r = expectInvalid(validateResidentId('110105194912310023', { asOf }));
    expect(r).toEqual({
      valid: false,
      input: '110105194912310023',
      errors: [{ code: 'CHECK_CHARACTER', message: '校验位错误：第18位应为 X，实际为 3' }],
    });
  });

  it('rejects X as the check character when a digit is expected, naming 校验位', () => {
    const r = expectInvalid(validateResidentId('44023219800101123X', { asOf }));
    expect(r.errors).toEqual([{ code: 'CHECK_CHARACTER', message: '校验位错误：第18位应为 9，实际为 X' }]);
  });

  it('rejects province prefix 99, naming 省级代码', () => {
    const r = expectInvalid(validateResidentId('99010519800101001X', { asOf }));
    expect(r.errors).toEqual([{ code: 'PROVINCE', message: '行政区划代码前两位 99 不是有效的省级代码' }]);
  });

  it.each([
    '00',
    '10',
    '16',
    '20',
    '24',
    '30',
    '38',
    '40',
    '47',
    '55',
    '60',
    '66',
    '70',
    '72',
    '80',
    '83',
    '91',
  ])('rejects unknown province prefix %s', (prefix) => {
    const id = buildResidentId({ addressCode: `${prefix}0101`, birthDate: '1980-01-01', sequence: 1 });
    const r = expectInvalid(validateResidentId(id, { asOf }));
    expect(r.errors.map((e) => e.code)).toEqual(['PROVINCE']);
  });

  it.each(
    '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
      ' ',
    ),
  )('accepts province prefix %s', (prefix) => {
    const id = buildResidentId({ addressCode: `${prefix}0101`, birthDate: '1980-01-01', sequence: 1 });
    expect(expectValid(validateResidentId(id, { asOf })).provinceCode).toBe(prefix);
  });

  it('reports every applicable error at once: bad date, bad province and bad check character', () => {
    const r = expectInvalid(validateResidentId('990105194902310023', { asOf }));
    expect(r.errors).toEqual([
      { code: 'BIRTH_DATE', message: '出生日期 19490231 不是有效日期' },
      { code: 'PROVINCE', message: '行政区划代码前两位 99 不是有效的省级代码' },
      { code: 'CHECK_CHARACTER', message: '校验位错误：第18位应为 X，实际为 3' },
    ]);
  });

  it('reports both a future birth date and a wrong check character', () => {
    const r = expectInvalid(validateResidentId('440232203101010019', { asOf }));
    expect(r.errors.map((e) => e.code)).toEqual(['BIRTH_DATE', 'CHECK_CHARACTER']);
  });
});

describe('validateResidentId — county code warning', () => {
  const known: ReadonlySet<string> = new Set(['110105', '440232']);

  it('does not warn about the county when no knownCountyCodes are given', () => {
    const r = expectValid(validateResidentId('440232198001011239', { asOf }));
    expect(r.warnings).toEqual([]);
  });

  it('does not warn when the county code is in knownCountyCodes', () => {
    const r = expectValid(validateResidentId('440232198001011239', { asOf, knownCountyCodes: known }));
    expect(r.warnings).toEqual([]);
  });

  it('warns, but still accepts, an unknown (possibly historical) county code', () => {
    const id = buildResidentId({ addressCode: '440299', birthDate: '1980-01-01', sequence: 1 });
    const r = expectValid(validateResidentId(id, { asOf, knownCountyCodes: known }));
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.code).toBe('UNKNOWN_COUNTY');
    expect(r.warnings[0]?.message).toContain('440299');
  });
});

describe('ageOn', () => {
  it.each([
    { birth: '1949-12-31', on: '2025-12-30', age: 75, when: 'the day before the birthday' },
    { birth: '1949-12-31', on: '2025-12-31', age: 76, when: 'on the birthday' },
    { birth: '1949-12-31', on: '2026-01-01', age: 76, when: 'the day after the birthday' },
    { birth: '2000-06-15', on: '2000-06-15', age: 0, when: 'on the day of birth' },
    { birth: '2000-06-15', on: '2018-06-14', age: 17, when: 'the day before turning 18' },
    { birth: '2000-06-15', on: '2018-06-15', age: 18, when: 'on the 18th birthday' },
    { birth: '2000-02-29', on: '2001-02-28', age: 0, when: '28 Feb of a non-leap year for a 29 Feb birth' },
    { birth: '2000-02-29', on: '2001-03-01', age: 1, when: '1 Mar of a non-leap year for a 29 Feb birth' },
    { birth: '2000-02-29', on: '2004-02-29', age: 4, when: '29 Feb of the next leap year' },
  ])('is $age $when ($birth → $on)', ({ birth, on, age }) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('throws when onDate is before birthDate or a date is malformed', () => {
    expect(() => ageOn('2000-01-02', '2000-01-01')).toThrow();
    expect(() => ageOn('2000-02-30', '2020-01-01')).toThrow();
    expect(() => ageOn('20000101', '2020-01-01')).toThrow();
  });
});

describe('sexLabel', () => {
  it.each([
    { sex: 'M' as const, label: '男' },
    { sex: 'F' as const, label: '女' },
  ])('labels $sex as $label', ({ sex, label }) => {
    expect(sexLabel(sex)).toBe(label);
  });
});

describe('maskIdNumber', () => {
  it.each([
    { input: '440232198001011234', masked: '440232********1234', what: 'an 18-character number' },
    { input: '11010519491231002X', masked: '110105********002X', what: 'a number ending in X' },
    { input: '110105491231002', masked: '110105*****1002', what: 'a 15-digit number' },
    { input: '1234567890', masked: '1234567890', what: 'exactly 10 characters (nothing in the middle)' },
    { input: '123456789', masked: '*******89', what: 'fewer than 10 characters (all but the last 2)' },
    { input: '123', masked: '*23', what: '3 characters' },
    { input: '12', masked: '**', what: '2 characters (masked entirely)' },
    { input: '', masked: '', what: 'the empty string' },
  ])('masks $what', ({ input, masked }) => {
    expect(maskIdNumber(input)).toBe(masked);
    expect(maskIdNumber(input)).toHaveLength(input.length);
  });
});

describe('buildResidentId', () => {
  it('gives an odd sequence a male and an even sequence a female', () => {
    const male = buildResidentId({ addressCode: '440232', birthDate: '1990-05-05', sequence: 7 });
    const female = buildResidentId({ addressCode: '440232', birthDate: '1990-05-05', sequence: 8 });
    expect(expectValid(validateResidentId(male, { asOf })).sex).toBe('M');
    expect(expectValid(validateResidentId(female, { asOf })).sex).toBe('F');
  });

  it.each([
    { addressCode: '44023', birthDate: '1990-05-05', sequence: 1, what: 'a 5-digit address code' },
    { addressCode: '440232', birthDate: '1990-02-30', sequence: 1, what: 'an impossible date' },
    { addressCode: '440232', birthDate: '19900505', sequence: 1, what: 'a date without dashes' },
    { addressCode: '440232', birthDate: '1990-05-05', sequence: 1000, what: 'sequence 1000' },
    { addressCode: '440232', birthDate: '1990-05-05', sequence: -1, what: 'a negative sequence' },
    { addressCode: '440232', birthDate: '1990-05-05', sequence: 1.5, what: 'a fractional sequence' },
  ])('throws on $what', (parts) => {
    expect(() => buildResidentId(parts)).toThrow();
  });
});
