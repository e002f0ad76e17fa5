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
