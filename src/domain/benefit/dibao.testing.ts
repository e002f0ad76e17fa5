/** Builders for dibao tests: Guangdong class-4 2015 urban standard (410 元, DOMAIN §17) unless a test says otherwise. */

import type { z } from 'zod';
import { type DibaoParams, type DibaoParamsInput, dibaoParamsSchema } from '../policy/dibao.params.ts';
import { type DibaoHouseholdInput, dibaoHouseholdInputSchema, type dibaoMemberInputSchema } from './dibao.ts';

/** 2021 Art. 13 exclusions (DOMAIN §4.4), incl. the central basic pension during the 14th Five-Year Plan. */
export const NATIONAL_EXEMPT = [
  'special_care',
  'family_planning',
  'scholarship',
  'heroism_award',
  'social_assistance',
  'basic_pension',
] as const;

export const BASE_PARAMS: DibaoParamsInput = {
  standardFen: 41_000,
  method: 'gap',
  income: { referenceMonths: 6, exemptTypes: [...NATIONAL_EXEMPT] },
  rounding: {
    perCapitaIncome: { mode: 'half_up', unit: 'fen' },
    benefit: { mode: 'half_up', unit: 'fen' },
    addOn: { mode: 'half_up', unit: 'fen' },
  },
  funding: { defaultSource: 'county', rules: [] },
};

export function dibaoParams(over: Partial<DibaoParamsInput> = {}): DibaoParams {
  return dibaoParamsSchema.parse({ ...BASE_PARAMS, ...over });
}

export type HouseholdDraft = Partial<z.input<typeof dibaoHouseholdInputSchema>>;
export type MemberDraft = z.input<typeof dibaoMemberInputSchema>;

export function household(h: HouseholdDraft): DibaoHouseholdInput {
  return dibaoHouseholdInputSchema.parse({ asOfMonth: '2015-09', ...h });
}

/** An adult with no recorded attributes: counted, no income. */
export const adult = (over: Partial<MemberDraft> = {}): MemberDraft => ({ sex: 'M', age: 40, ...over });
