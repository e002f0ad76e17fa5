/**
 * The attributes of a household member that the rules need (DOMAIN §4.2, §4.3, §5.4): relation to the
 * head, hukou type, disability, labour capacity, health, self-care, schooling, employment.
 * Codes are stored; labels are what users see.
 */

/** Relation to the household head (户主). Stored as the Chinese term, the way registers record it. */
export const RELATIONS = [
  '户主',
  '配偶',
  '子女',
  '父母',
  '孙子女',
  '外孙子女',
  '兄弟姐妹',
  '祖父母',
  '外祖父母',
  '儿媳',
  '女婿',
  '其他',
] as const;
export type Relation = (typeof RELATIONS)[number];

export const HUKOU_TYPES = { urban: '城镇', rural: '农村' } as const;
export type HukouType = keyof typeof HUKOU_TYPES;

/** 残疾类别 per the disability certificate (第二代残疾人证). */
export const DISABILITY_CATEGORIES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];

export const LABOUR_CAPACITY = {
  full: '有劳动能力',
  partial: '部分丧失劳动能力',
  none: '无劳动能力',
} as const;
export type LabourCapacity = keyof typeof LABOUR_CAPACITY;

/** DOMAIN §5.4 self-care assessment bands (6 items: 0 / ≤3 / ≥4 not achieved). */
export const SELF_CARE = {
  self_reliant: '全自理',
  partly_dependent: '半失能',
  fully_dependent: '全失能',
} as const;
export type SelfCare = keyof typeof SELF_CARE;

export const SCHOOL_STATUS = {
  none: '不在学',
  preschool: '学前教育',
  primary: '小学',
  junior: '初中',
  senior: '普通高中',
  vocational: '中等职业教育',
  college: '全日制本科及以下高等教育',
} as const;
export type SchoolStatus = keyof typeof SCHOOL_STATUS;

export const EMPLOYMENT_STATUS = {
  employed: '就业',
  farming: '务农',
  unemployed: '失业',
  retired: '退休',
  student: '在校学生',
  none: '无业',
} as const;
export type EmploymentStatus = keyof typeof EMPLOYMENT_STATUS;

export const ETHNICITIES = ['汉族', '瑶族', '壮族', '畲族', '苗族', '土家族', '其他'] as const;

export interface PersonAttributeInput {
  birthDate: string;
  disabilityCategory: string | null;
  disabilityGrade: number | null;
  deathDate: string | null;
}

export interface AttributeIssue {
  field: string;
  message: string;
}

/** Consistency rules across attributes; returns every problem found (empty = consistent). */
export function checkPersonAttributes(p: PersonAttributeInput, asOf: string): AttributeIssue[] {
  const issues: AttributeIssue[] = [];
  if ((p.disabilityCategory === null) !== (p.disabilityGrade === null)) {
    issues.push({ field: 'disabilityGrade', message: '残疾类别和残疾等级须同时填写或同时为空' });
  }
  if (p.disabilityGrade !== null && (p.disabilityGrade < 1 || p.disabilityGrade > 4)) {
    issues.push({ field: 'disabilityGrade', message: '残疾等级应为1–4级' });
  }
  if (p.deathDate !== null) {
    if (p.deathDate < p.birthDate) issues.push({ field: 'deathDate', message: '死亡日期不能早于出生日期' });
    if (p.deathDate > asOf) issues.push({ field: 'deathDate', message: '死亡日期不能晚于今天' });
  }
  return issues;
}

/**
 * Severe disability in the sense of DOMAIN §4.3 and §5.4: grade 1 or 2 of any type, or grade 3
 * intellectual or mental disability.
 */
export function isSeverelyDisabled(category: string | null, grade: number | null): boolean {
  if (category === null || grade === null) return false;
  return grade <= 2 || (grade === 3 && (category === '智力' || category === '精神'));
}
