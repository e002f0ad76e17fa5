/**
 * The three conditions of 特困 (DOMAIN §5.4 Art. 4) as a checklist for the case page. "No work ability"
 * follows from the person's record (Art. 5); "no livelihood" (Arts. 6–7) needs the income and property
 * verification, and "no capable supporter" (Art. 8) the investigation — those two are recorded, not computed.
 */
import { ageOn } from '../identity/resident-id.ts';

export interface WorkAbilityInput {
  birthDate: string;
  disabilityCategory: string | null;
  disabilityGrade: number | null;
  /** 特困 minors are covered to 18 since the 2020 意见 item 5 (DOMAIN §5.4). */
  minorAgeLimit?: 16 | 18;
}

export interface CriterionResult {
  met: boolean;
  reason: string;
  source: string;
}

const ART5 = '《特困人员认定办法》第五条';

/** DOMAIN §5.4 Art. 5: aged ≥60; under 16 (18 since 2020); or a qualifying disability. */
export function noWorkAbility(p: WorkAbilityInput, asOf: string): CriterionResult {
  const age = ageOn(p.birthDate, asOf);
  const minorLimit = p.minorAgeLimit ?? 18;
  if (age >= 60) return { met: true, reason: `年满60周岁（${age}岁）`, source: ART5 };
  if (age < minorLimit) return { met: true, reason: `未满${minorLimit}周岁（${age}岁）`, source: ART5 };
  const { disabilityCategory: c, disabilityGrade: g } = p;
  if (c !== null && g !== null) {
    if ((c === '智力' || c === '精神') && g <= 3)
      return { met: true, reason: `${c}残疾${g}级`, source: ART5 };
    if (c === '肢体' && g <= 2) return { met: true, reason: `肢体残疾${g}级`, source: ART5 };
    if (c === '视力' && g === 1) return { met: true, reason: '视力残疾1级', source: ART5 };
    if (c === '多重' && g <= 2)
      return {
        met: true,
        reason: `多重残疾${g}级`,
        source: `${ART5}（多重残疾按最重类别认定，本系统按1、2级认定）`,
      };
  }
  return {
    met: false,
    reason: `${age}岁，${c && g ? `${c}残疾${g}级` : '无残疾'}，不属于第五条所列情形（省级另有规定的除外）`,
    source: ART5,
  };
}

/** DOMAIN §5.4 Art. 8: when a legally obliged supporter "cannot fulfil the duty". 'capable' = the condition is not met. */
export const SUPPORTER_SITUATIONS = {
  none: '无法定赡养、抚养、扶养义务人',
  supporter_tekun: '义务人本身是特困人员',
  supporter_dibao_60: '义务人是60周岁以上的低保对象',
  supporter_70_low_income: '义务人年满70周岁，收入低于上年人均可支配收入且财产符合低收入家庭规定',
  supporter_severely_disabled: '义务人为重度残疾人，收入、财产符合低收入家庭规定',
  supporter_incapacitated_or_prison: '义务人无民事行为能力、被宣告失踪或在监狱服刑，且财产符合低收入家庭规定',
  other_provincial: '省级人民政府规定的其他情形',
  capable: '有具备履行能力的法定义务人（不符合本条件）',
} as const;
export type SupporterSituation = keyof typeof SUPPORTER_SITUATIONS;

export interface RecordedCriteria {
  /** Art. 6–7: income below the dibao standard and property within the local rule (from the verification). */
  noLivelihood: boolean;
  livelihoodNote: string;
  supporter: SupporterSituation;
}

/** The recorded conditions of Art. 4 (2) and (3), as checklist lines. */
export function recordedCriteria(r: RecordedCriteria): {
  noLivelihood: CriterionResult;
  noSupporter: CriterionResult;
} {
  return {
    noLivelihood: {
      met: r.noLivelihood,
      reason: r.livelihoodNote || (r.noLivelihood ? '收入低于低保标准且财产符合规定' : '不符合'),
      source: '《特困人员认定办法》第六条、第七条',
    },
    noSupporter: {
      met: r.supporter !== 'capable',
      reason: SUPPORTER_SITUATIONS[r.supporter],
      source: '《特困人员认定办法》第八条',
    },
  };
}
