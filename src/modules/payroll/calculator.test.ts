import { describe, expect, it } from 'vitest';
import { dibaoParams } from '../../domain/benefit/dibao.testing.ts';
import { dibaoMonthlyBenefit } from '../../domain/benefit/dibao.ts';
import { withAgesIn } from './calculator.ts';

// Jilin-style add-on (DOMAIN §4.7): 老年人 ≥70 get 10 % of the standard (410 元 → 41 元).
const params = dibaoParams({
  addOns: {
    stacking: 'highest',
    capAtStandard: true,
    items: [{ category: 'elderly', label: '70岁以上老年人', rate: '0.1', minAge: 70 }],
  },
});

// Decided in 2015-01 when the member was 69; born 1945-08-15, so 70 from 2015-08-15.
const decision = {
  perCapitaIncomeFen: 10_000,
  members: [{ personId: 1, categories: [], fullStandard: false, age: 69, birthDate: '1945-08-15' }],
};

describe('withAgesIn: age groups follow the benefit month, not the decision date', () => {
  it.each([
    ['2015-07', 69, 31_000],
    ['2015-08', 70, 31_000 + 4_100],
    ['2016-01', 70, 31_000 + 4_100],
  ])('in %s the member is %i and the month pays %i fen', (month, age, totalFen) => {
    const assessed = withAgesIn(decision, month);
    expect(assessed.members[0]?.age).toBe(age);
    expect(dibaoMonthlyBenefit(params, assessed, { explain: false }).totalFen).toBe(totalFen);
  });

  it('keeps the recorded age when the decision has no birth date', () => {
    const noBirth = { ...decision, members: [{ personId: 1, categories: [], fullStandard: false, age: 69 }] };
    expect(withAgesIn(noBirth, '2016-01')).toBe(noBirth);
  });
});
