/**
 * Check types and conclusions of a verification report (DOMAIN §3.3, Jinan coding; 05/15 our extension for 特困).
 */
export const CHECK_TYPES = {
  '01': '城市低保',
  '02': '农村低保',
  '03': '低收入（低保边缘）',
  '05': '特困人员',
} as const;
export type CheckType = keyof typeof CHECK_TYPES;
export const CHECK_TYPE_CODES = Object.keys(CHECK_TYPES) as CheckType[];

export const CONCLUSIONS = {
  '01': '符合城市低保条件',
  '02': '符合农村低保条件',
  '03': '符合低收入家庭条件',
  '04': '无法确认',
  '05': '符合特困人员收入财产条件',
  '11': '非城市低保对象',
  '12': '非农村低保对象',
  '13': '非低收入家庭',
  '15': '不符合特困人员收入财产条件',
} as const;
export type ConclusionCode = keyof typeof CONCLUSIONS;
export const CONCLUSION_CODES = Object.keys(CONCLUSIONS) as ConclusionCode[];

/** Conclusions that mean "meets the conditions checked". */
export function isMeetsConclusion(code: ConclusionCode): boolean {
  return code === '01' || code === '02' || code === '03' || code === '05';
}

/** The "meets" code of a check type (DOMAIN §3.3). */
export function meetsCode(checkType: CheckType): ConclusionCode {
  return checkType;
}

/** The "does not meet" code of a check type (DOMAIN §3.3: 11/12/13; 15 for 特困). */
export function failsCode(checkType: CheckType): ConclusionCode {
  const codes: Record<CheckType, ConclusionCode> = { '01': '11', '02': '12', '03': '13', '05': '15' };
  return codes[checkType];
}
