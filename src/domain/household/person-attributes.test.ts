import { describe, expect, it } from 'vitest';
import { maskBankAccount, maskNameForNotice, maskPhone } from './masking.ts';
import { checkPersonAttributes, isSeverelyDisabled } from './person-attributes.ts';

describe('severe disability (DOMAIN §4.3 单人保, §5.4 特困)', () => {
  it.each([
    ['肢体', 1, true],
    ['视力', 2, true],
    ['智力', 3, true],
    ['精神', 3, true],
    ['肢体', 3, false],
    ['听力', 4, false],
    [null, null, false],
  ] as const)('%s grade %s is severe: %s', (category, grade, expected) => {
    expect(isSeverelyDisabled(category, grade)).toBe(expected);
  });
});

describe('person attribute consistency', () => {
  const base = { birthDate: '1950-01-01', disabilityCategory: null, disabilityGrade: null, deathDate: null };
  it.each([
    ['a consistent record', base, []],
    ['a category without a grade', { ...base, disabilityCategory: '肢体' }, ['disabilityGrade']],
    ['a grade without a category', { ...base, disabilityGrade: 2 }, ['disabilityGrade']],
    ['grade 5', { ...base, disabilityCategory: '肢体', disabilityGrade: 5 }, ['disabilityGrade']],
    ['death before birth', { ...base, deathDate: '1949-12-31' }, ['deathDate']],
    ['death in the future', { ...base, deathDate: '2030-01-01' }, ['deathDate']],
  ])('%s', (_label, input, fields) => {
    expect(checkPersonAttributes(input, '2026-11-28').map((i) => i.field)).toEqual(fields);
  });
});

describe('masking in lists and notices (DOMAIN §16)', () => {
  it('keeps the last 4 digits of a bank account', () => {
    expect(maskBankAccount('6230123456789012345')).toBe('***************2345');
    expect(maskBankAccount('123')).toBe('***');
    expect(maskBankAccount(null)).toBeNull();
  });
  it('keeps the first 3 and last 4 digits of a phone', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
  });
});

describe('names on a public notice (公示, DOMAIN §16)', () => {
  it.each([
    ['李建国', '李*国'],
    ['李明', '李*'],
    ['欧阳小明', '欧**明'],
    ['王', '王'],
  ])('%s is posted as %s', (name, posted) => {
    expect(maskNameForNotice(name)).toBe(posted);
  });
});
