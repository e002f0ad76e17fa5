import { describe, expect, it } from 'vitest';
import { noWorkAbility, recordedCriteria } from './tekun-criteria.ts';

const none = { disabilityCategory: null, disabilityGrade: null };

describe('特困: no work ability (DOMAIN §5.4 Art. 5)', () => {
  it.each([
    ['a person of 60', { birthDate: '1955-09-30', ...none }, true, '年满60周岁'],
    ['a person one day short of 60', { birthDate: '1955-10-01', ...none }, false, '不属于'],
    ['a child of 15', { birthDate: '2000-06-01', ...none }, true, '未满18周岁'],
    ['a 17-year-old, covered to 18 since 2020', { birthDate: '1998-06-01', ...none }, true, '未满18周岁'],
    [
      'a 17-year-old under the old 16 limit',
      { birthDate: '1998-06-01', ...none, minorAgeLimit: 16 as const },
      false,
      '不属于',
    ],
    [
      'grade 3 intellectual disability',
      { birthDate: '1980-01-01', disabilityCategory: '智力', disabilityGrade: 3 },
      true,
      '智力残疾3级',
    ],
    [
      'grade 3 mental disability',
      { birthDate: '1980-01-01', disabilityCategory: '精神', disabilityGrade: 3 },
      true,
      '精神残疾3级',
    ],
    [
      'grade 2 physical disability',
      { birthDate: '1980-01-01', disabilityCategory: '肢体', disabilityGrade: 2 },
      true,
      '肢体残疾2级',
    ],
    [
      'grade 3 physical disability',
      { birthDate: '1980-01-01', disabilityCategory: '肢体', disabilityGrade: 3 },
      false,
      '不属于',
    ],
    [
      'grade 1 visual disability',
      { birthDate: '1980-01-01', disabilityCategory: '视力', disabilityGrade: 1 },
      true,
      '视力残疾1级',
    ],
    [
      'grade 2 visual disability',
      { birthDate: '1980-01-01', disabilityCategory: '视力', disabilityGrade: 2 },
      false,
      '不属于',
    ],
    ['an able-bodied adult of 40', { birthDate: '1975-01-01', ...none }, false, '不属于'],
  ])('%s', (_label, person, met, reason) => {
    const r = noWorkAbility(person, '2015-09-30');
    expect(r.met).toBe(met);
    expect(r.reason).toContain(reason);
  });
});

describe('特困: recorded conditions (DOMAIN §5.4 Arts. 6–8)', () => {
  it.each([
    ['no supporter at all', 'none', true],
    ['a supporter who is 特困 themselves', 'supporter_tekun', true],
    ['a supporter aged ≥60 on dibao', 'supporter_dibao_60', true],
    ['a capable supporter', 'capable', false],
  ] as const)('%s → the supporter condition met: %s', (_label, supporter, met) => {
    expect(recordedCriteria({ noLivelihood: true, livelihoodNote: '', supporter }).noSupporter.met).toBe(met);
  });
  it('keeps the livelihood finding and its note', () => {
    const r = recordedCriteria({ noLivelihood: false, livelihoodNote: '有稳定工资收入', supporter: 'none' });
    expect(r.noLivelihood).toMatchObject({ met: false, reason: '有稳定工资收入' });
  });
});
