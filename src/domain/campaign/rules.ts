/**
 * 核查 rules (DOMAIN §3.5, §4.4, §4.9, §9, §10, §11): each rule type names the problem it looks for (漏保, 错保,
 * 关系保, 人情保, 骗保 — the five the 2014 county campaign of the seed report looked for), its parameters (data, with
 * defaults and Chinese validation messages) and a pure judge that turns the candidate rows the database found into a
 * finding (a Chinese summary and the evidence) or nothing. The SQL that finds candidates lives in
 * src/modules/campaigns/campaigns.repository.ts; the decision lives here, so it can be tested row by row.
 */
import { z } from 'zod';
import { maskIdNumber } from '../identity/resident-id.ts';
import {
  add,
  cmp,
  decimal,
  div,
  formatYuan,
  int,
  isDecimalString,
  mul,
  type Ratio,
  ratioToDecimalString,
} from '../money/money.ts';
import { VEHICLE_TYPE_CODES, VEHICLE_TYPES, type VehicleType } from '../policy/dibao.params.ts';

/** The five problems a 核查 looks for (seed report, July 2014 campaign). */
export const CATEGORIES = {
  louBao: '漏保',
  cuoBao: '错保',
  guanxiBao: '关系保',
  renqingBao: '人情保',
  pianBao: '骗保',
} as const;
export type Category = keyof typeof CATEGORIES;

/** The enrolled programs a campaign covers (labels as in the case module). */
export const PROGRAM_LABELS: Readonly<Record<string, string>> = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困供养',
  rural_tekun: '农村特困供养',
};
export const CATEGORY_CODES = Object.keys(CATEGORIES) as Category[];

// ---------------------------------------------------------------------------------------------------------
// Candidate rows (what the repository hands to a judge)

/** A department record (dept_record, normalised; see src/domain/verification/sources.ts). */
export interface DeptRow {
  sourceCode: string;
  idNumber: string;
  name: string;
  kind: string;
  status: string | null;
  amountFen: number | null;
  monthlyFen: number | null;
  eventDate: string | null;
  exempt: boolean;
  ref: string | null;
}

export interface Subject {
  personId: number;
  name: string;
  idNumber: string;
}

export interface Judgement {
  summary: string;
  evidence: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------
// Parameter schemas

const months = z
  .number({ error: '月数应为整数' })
  .int({ error: '月数应为整数' })
  .min(0, { error: '月数不能为负' })
  .max(120, { error: '月数不应超过 120' });
const count = z
  .number({ error: '数量应为整数' })
  .int({ error: '数量应为整数' })
  .min(0, { error: '数量不能为负' })
  .max(99, { error: '数量过大' });
const flag = (what: string) => z.boolean({ error: `${what}应为 true 或 false` });
const multiple = z
  .string({ error: '倍数应写成小数字符串，如 "1"、"1.5"' })
  .refine((s) => isDecimalString(s) && !s.startsWith('-') && Number(s) > 0, {
    error: '倍数应为大于 0 的小数，如 "1"、"1.5"',
  });
const vehicleTypes = z.array(
  z.enum(VEHICLE_TYPE_CODES as [VehicleType, ...VehicleType[]], {
    error: `车辆类型应为以下之一：${VEHICLE_TYPE_CODES.join('、')}`,
  }),
  { error: '豁免车辆类型应为列表' },
);
const standardBasis = z.enum(['own', 'urban'], {
  error: '标准依据应为 own（本项目低保标准）或 urban（城市低保标准）',
});

const P = {
  deceased_paid: z.strictObject({
    /** A death in the last N months may not be reported yet (DOMAIN §4.9: re-check within 3 months). */
    graceMonths: months,
  }),
  duplicate_person: z.strictObject({
    /** Also match the same name + birth date + sex under another ID number in another enrolled household. */
    matchNameBirthSex: flag('是否按姓名、出生日期、性别比对'),
  }),
  shared_bank_account: z.strictObject({
    maxHouseholdsPerAccount: count.min(1, { error: '每个账户至少允许 1 户' }),
  }),
  vehicle: z.strictObject({
    maxCount: count,
    exemptTypes: vehicleTypes,
  }),
  real_estate_excess: z.strictObject({
    maxResidential: count,
    maxNonResidential: count,
  }),
  business_registration: z.strictObject({
    maxCount: count,
    exemptSmallFamilyShop: flag('夫妻小店是否豁免'),
  }),
  deposits_over_limit: z.strictObject({
    monthsOfStandard: months.min(1, { error: '月数至少为 1' }),
    standardBasis,
    includeSecurities: flag('是否计入证券'),
    includeSavingsInsurance: flag('是否计入储蓄型商业保险'),
  }),
  public_payroll: z.strictObject({
    /** Only salaries at or above this amount (fen per month; 0 = any). */
    minMonthlyFen: z
      .number({ error: '金额应为整数（分）' })
      .int({ error: '金额应为整数（分）' })
      .min(0, { error: '金额不能为负' }),
  }),
  income_above_standard: z.strictObject({
    multiple,
    countPensions: flag('是否计入养老金和失业保险金'),
  }),
  staff_relative: z.strictObject({
    includeDeclared: flag('是否包括已备案的近亲属'),
    matchSameHukou: flag('是否按同一户号比对'),
  }),
  missed_eligible: z.strictObject({
    incomeBelowMultiple: multiple,
    monthsOfStandard: months.min(1, { error: '月数至少为 1' }),
    standardBasis,
    maxResidential: count,
    maxVehicles: count,
    exemptVehicleTypes: vehicleTypes,
    maxBusiness: count,
  }),
} as const;

export type RuleType = keyof typeof P;
export type ParamsOf<T extends RuleType> = z.infer<(typeof P)[T]>;

export interface RuleTypeDef<T extends RuleType = RuleType> {
  type: T;
  label: string;
  category: Category;
  /** Department sources the rule reads (a missing snapshot in force is noted, the rule skips it). */
  sources: readonly string[];
  description: string;
  schema: (typeof P)[T];
  defaults: ParamsOf<T>;
}

const GD_EXEMPT_VEHICLES: VehicleType[] = ['disability_vehicle', 'fuel_motorcycle', 'ebike'];

export const RULE_TYPES: { [T in RuleType]: RuleTypeDef<T> } = {
  deceased_paid: {
    type: 'deceased_paid',
    label: '死亡人员仍在保领取',
    category: 'pianBao',
    sources: ['death'],
    description:
      '殡葬、公安死亡数据显示已死亡，但仍是在保家庭的成员（救助对象库未登记死亡）或死亡后仍有发放记录。DOMAIN §4.9：成员死亡后3个月内应复核；死亡后领取的待遇应追回（暂行办法第六十八条）。',
    schema: P.deceased_paid,
    defaults: { graceMonths: 1 },
  },
  duplicate_person: {
    type: 'duplicate_person',
    label: '重复享受（同一人多处在保）',
    category: 'cuoBao',
    sources: [],
    description:
      '同一人同时在两个在保记录中（如既在低保家庭又单独享受特困供养），或与另一在保家庭的成员姓名、出生日期、性别相同而身份证号码不同（疑似一人多证）。DOMAIN §4.2、§16。',
    schema: P.duplicate_person,
    defaults: { matchNameBirthSex: true },
  },
  shared_bank_account: {
    type: 'shared_bank_account',
    label: '多户共用发放账户',
    category: 'pianBao',
    sources: [],
    description:
      '多个在保家庭的待遇发放到同一个银行账户，可能存在冒领、代领。DOMAIN §4.8（社会化发放到户）、§4.9（骗取救助金的追回）。',
    schema: P.shared_bank_account,
    defaults: { maxHouseholdsPerAccount: 1 },
  },
  vehicle: {
    type: 'vehicle',
    label: '拥有机动车辆',
    category: 'cuoBao',
    sources: ['vehicle'],
    description:
      '车辆登记显示家庭成员拥有机动车辆（未报废）。残疾人机动轮椅车不计（2012 办法第十七条，DOMAIN §3.5），广东规则另豁免燃油摩托车和电动自行车。',
    schema: P.vehicle,
    defaults: { maxCount: 0, exemptTypes: GD_EXEMPT_VEHICLES },
  },
  real_estate_excess: {
    type: 'real_estate_excess',
    label: '房产超过规定',
    category: 'cuoBao',
    sources: ['real_estate'],
    description:
      '不动产登记显示住房超过规定套数或拥有非住宅类房产（商铺、车库车位、写字楼）。广东规则：住房至多 1 套、无非住宅类房产；不作居住用的泥砖房、祖屋不计（DOMAIN §3.5）。',
    schema: P.real_estate_excess,
    defaults: { maxResidential: 1, maxNonResidential: 0 },
  },
  business_registration: {
    type: 'business_registration',
    label: '有工商登记',
    category: 'cuoBao',
    sources: ['business'],
    description:
      '市场主体登记显示家庭成员登记有个体工商户、企业或持有股份（存续）。没有雇工的夫妻小店可视为无登记（揭阳规则，DOMAIN §3.5）。',
    schema: P.business_registration,
    defaults: { maxCount: 0, exemptSmallFamilyShop: true },
  },
  deposits_over_limit: {
    type: 'deposits_over_limit',
    label: '金融资产超过规定',
    category: 'cuoBao',
    sources: ['bank_deposit', 'securities', 'commercial_insurance'],
    description:
      '家庭存款、证券和储蓄型商业保险现金价值合计超过“人均 N 个月低保标准 × 家庭人数”。广东规则：人均不超过 24 个月当地城市低保标准（DOMAIN §3.5）；正好等于上限的不算超过。',
    schema: P.deposits_over_limit,
    defaults: {
      monthsOfStandard: 24,
      standardBasis: 'urban',
      includeSecurities: true,
      includeSavingsInsurance: true,
    },
  },
  public_payroll: {
    type: 'public_payroll',
    label: '财政供养人员在保',
    category: 'renqingBao',
    sources: ['public_payroll'],
    description:
      '财政供养人员数据显示家庭成员在机关事业单位领取工资（在职）。其工资应计入家庭收入（DOMAIN §4.4），一般不符合低保条件。',
    schema: P.public_payroll,
    defaults: { minMonthlyFen: 0 },
  },
  income_above_standard: {
    type: 'income_above_standard',
    label: '收入超过低保标准',
    category: 'cuoBao',
    sources: ['public_payroll', 'social_insurance', 'tax'],
    description:
      '部门数据反映的家庭人均月收入不低于低保标准（DOMAIN §9：低保要求人均收入低于标准；特困看本人收入）。工资按财政供养工资、社保缴费基数、个税工资薪金收入÷12 中最高者（同一份工资只计一次），职工养老金和失业保险金计入转移性收入，城乡居民基础养老金不计（DOMAIN §4.4）。',
    schema: P.income_above_standard,
    defaults: { multiple: '1', countPensions: true },
  },
  staff_relative: {
    type: 'staff_relative',
    label: '经办人员、村干部近亲属未备案',
    category: 'guanxiBao',
    sources: ['marriage', 'hukou'],
    description:
      '婚姻登记（配偶）或户籍（同一户号）显示在保人员是低保经办人员或村（居）委会干部的近亲属，而未在近亲属备案中登记。220号第十四条、审核确认办法第十一条（DOMAIN §10）：近亲属申请应单独登记备案。',
    schema: P.staff_relative,
    defaults: { includeDeclared: false, matchSameHukou: true },
  },
  missed_eligible: {
    type: 'missed_eligible',
    label: '低收入人口符合条件未纳入（漏保）',
    category: 'louBao',
    sources: [
      'low_income',
      'bank_deposit',
      'securities',
      'commercial_insurance',
      'vehicle',
      'real_estate',
      'business',
    ],
    description:
      '低收入人口库（DOMAIN §11）登记的家庭人均收入低于低保标准、财产符合规定，却未纳入低保或特困供养，应告知其申请或主动发现（“大数据+铁脚板”）。',
    schema: P.missed_eligible,
    defaults: {
      incomeBelowMultiple: '1',
      monthsOfStandard: 24,
      standardBasis: 'urban',
      maxResidential: 1,
      maxVehicles: 0,
      exemptVehicleTypes: GD_EXEMPT_VEHICLES,
      maxBusiness: 0,
    },
  },
};

export const RULE_TYPE_CODES = Object.keys(RULE_TYPES) as RuleType[];

export function isRuleType(value: string): value is RuleType {
  return Object.hasOwn(RULE_TYPES, value);
}

/** The default rule set: one rule per type, coded by the type (`ensureDefaultRules`). */
export const DEFAULT_RULES = RULE_TYPE_CODES.map((type) => ({
  code: type,
  type,
  label: RULE_TYPES[type].label,
  category: RULE_TYPES[type].category,
  params: RULE_TYPES[type].defaults as Record<string, unknown>,
}));

export interface ParamIssue {
  path: string;
  message: string;
}

/** Validates a rule's parameters (missing keys take the defaults); issues name the parameter in dotted form. */
export function parseRuleParams(
  type: RuleType,
  params: unknown,
): { ok: true; params: Record<string, unknown> } | { ok: false; issues: ParamIssue[] } {
  const def = RULE_TYPES[type];
  const merged =
    params !== null && typeof params === 'object' && !Array.isArray(params)
      ? { ...(def.defaults as Record<string, unknown>), ...(params as Record<string, unknown>) }
      : params;
  const r = (def.schema as z.ZodType).safeParse(merged);
  if (r.success) return { ok: true, params: r.data as Record<string, unknown> };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.code === 'unrecognized_keys' ? `不认识的参数：${i.keys.join('、')}` : i.message,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const yuan = (fen: number) => `${formatYuan(fen)} 元`;

/** Whole months from the month of `from` to the month of `to` ('2015-03-20' → '2015-07-01' = 4). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  return (ty - fy) * 12 + (tm - fm);
}

const masked = (idNumber: string) => maskIdNumber(idNumber);

function recordEvidence(r: DeptRow) {
  return {
    source: r.sourceCode,
    idNumber: masked(r.idNumber),
    name: r.name,
    kind: r.kind,
    status: r.status,
    amountFen: r.amountFen,
    monthlyFen: r.monthlyFen,
    eventDate: r.eventDate,
    exempt: r.exempt,
    ref: r.ref,
  };
}

function nameOf(members: readonly Subject[], idNumber: string, fallback: string): string {
  return members.find((m) => m.idNumber === idNumber)?.name ?? fallback;
}

// ---------------------------------------------------------------------------------------------------------
// Judges

export interface DeceasedCandidate {
  asOf: string;
  subject: Subject;
  death: DeptRow;
  /** The registry's own death date of the person (null: the registry does not know). */
  registryDeathDate: string | null;
  /** Ledger total for benefit months after the death month, and those months. */
  paidAfterDeathFen: number;
  paidMonths: string[];
  /** The enrolment covers this person alone (特困, 单人保, a one-person household). */
  coversOnlyPerson: boolean;
}

/** DOMAIN §4.9: a death not reported, or benefits paid for months after the death of the only covered person. */
export function judgeDeceased(p: ParamsOf<'deceased_paid'>, c: DeceasedCandidate): Judgement | null {
  const deathDate = c.death.eventDate;
  if (!deathDate || deathDate > c.asOf) return null;
  const since = monthsBetween(deathDate, c.asOf);
  const unreported = c.registryDeathDate === null && since >= p.graceMonths;
  const overpaid = c.coversOnlyPerson && c.paidAfterDeathFen > 0;
  if (!unreported && !overpaid) return null;
  const parts = [
    `${c.subject.name}（${masked(c.subject.idNumber)}）已于 ${deathDate} 死亡（${c.death.kind === 'cremation' ? '火化' : c.death.kind === 'burial' ? '土葬' : '户籍注销'}记录）`,
  ];
  if (unreported) parts.push('救助对象库仍登记为在保家庭成员');
  if (c.paidAfterDeathFen > 0) {
    parts.push(
      `死亡后仍发放 ${c.paidMonths.length} 个月共 ${yuan(c.paidAfterDeathFen)}${c.coversOnlyPerson ? '' : '（全户待遇，应按减员重新核定）'}`,
    );
  }
  return {
    summary: `${parts.join('，')}。`,
    evidence: {
      deathDate,
      monthsSinceDeath: since,
      registryDeathDate: c.registryDeathDate,
      paidAfterDeathFen: c.paidAfterDeathFen,
      paidMonths: c.paidMonths,
      coversOnlyPerson: c.coversOnlyPerson,
      records: [recordEvidence(c.death)],
    },
  };
}

export interface DuplicateOther {
  householdId: number;
  townCode: string;
  enrolmentId: number;
  programCode: string;
  personId: number;
  idNumber: string;
  name: string;
}

export interface DuplicateCandidate {
  subject: Subject & { sex: string; birthDate: string };
  enrolmentId: number;
  householdId: number;
  /** Other enrolments covering the same person, and other persons with the same name + birth date + sex. */
  others: DuplicateOther[];
}

export function judgeDuplicate(p: ParamsOf<'duplicate_person'>, c: DuplicateCandidate): Judgement | null {
  const samePerson = c.others.filter(
    (o) => o.personId === c.subject.personId && o.enrolmentId !== c.enrolmentId,
  );
  const sameIdentity = p.matchNameBirthSex
    ? c.others.filter(
        (o) =>
          o.personId !== c.subject.personId &&
          o.idNumber !== c.subject.idNumber &&
          o.householdId !== c.householdId,
      )
    : [];
  if (samePerson.length === 0 && sameIdentity.length === 0) return null;
  const parts: string[] = [];
  if (samePerson.length > 0) {
    parts.push(
      `${c.subject.name}同时在 ${samePerson.length + 1} 个在保记录中（另见在保记录 ${samePerson.map((o) => `${o.enrolmentId}（${PROGRAM_LABELS[o.programCode] ?? o.programCode}）`).join('、')}）`,
    );
  }
  if (sameIdentity.length > 0) {
    parts.push(
      `${c.subject.name}（${masked(c.subject.idNumber)}）与另一在保家庭成员姓名、出生日期、性别相同而身份证号码不同（${sameIdentity.map((o) => `家庭 ${o.householdId}：${masked(o.idNumber)}`).join('；')}），疑似重复享受`,
    );
  }
  return {
    summary: `${parts.join('；')}。`,
    evidence: {
      sex: c.subject.sex,
      birthDate: c.subject.birthDate,
      samePerson: samePerson.map((o) => ({ enrolmentId: o.enrolmentId, programCode: o.programCode })),
      sameIdentity: sameIdentity.map((o) => ({
        householdId: o.householdId,
        townCode: o.townCode,
        enrolmentId: o.enrolmentId,
        programCode: o.programCode,
        idNumber: masked(o.idNumber),
        name: o.name,
      })),
    },
  };
}

export interface SharedAccountCandidate {
  householdId: number;
  /** Already masked. */
  accountMasked: string;
  bankName: string | null;
  /** Every enrolled household paid into the account (this one included). */
  households: { householdId: number; townCode: string; holder: string | null }[];
}

export function judgeSharedAccount(
  p: ParamsOf<'shared_bank_account'>,
  c: SharedAccountCandidate,
): Judgement | null {
  const ids = [...new Set(c.households.map((h) => h.householdId))];
  if (ids.length <= p.maxHouseholdsPerAccount) return null;
  const others = c.households.filter((h) => h.householdId !== c.householdId);
  return {
    summary: `发放账户 ${c.bankName ?? ''}${c.accountMasked} 同时是 ${ids.length} 个在保家庭的发放账户（另见家庭 ${others.map((o) => o.householdId).join('、')}），可能存在代领、冒领。`,
    evidence: { account: c.accountMasked, bankName: c.bankName, households: c.households },
  };
}

export interface HouseholdCandidate {
  asOf: string;
  /** Counted persons of the enrolment (household members, or the one covered person). */
  persons: number;
  members: Subject[];
  records: DeptRow[];
  /** Dibao standard of the household's own program (urban or rural) and the urban one, at as-of, per month. */
  standardFen: number;
  urbanStandardFen: number;
}

function registeredBy(r: DeptRow, asOf: string): boolean {
  return r.eventDate === null || r.eventDate <= asOf;
}

/** DOMAIN §3.5: non-exempt vehicles (not scrapped, not a disability vehicle nor an exempt type) over the limit. */
export function countedVehicles(
  records: readonly DeptRow[],
  exemptTypes: readonly string[],
  asOf: string,
): DeptRow[] {
  return records.filter(
    (r) =>
      r.sourceCode === 'vehicle' &&
      r.status !== 'scrapped' &&
      !r.exempt &&
      r.kind !== 'disability_vehicle' &&
      !exemptTypes.includes(r.kind) &&
      registeredBy(r, asOf),
  );
}

export function judgeVehicle(p: ParamsOf<'vehicle'>, c: HouseholdCandidate): Judgement | null {
  const counted = countedVehicles(c.records, p.exemptTypes, c.asOf);
  if (counted.length <= p.maxCount) return null;
  const list = counted
    .map(
      (r) =>
        `${nameOf(c.members, r.idNumber, r.name)}名下${VEHICLE_TYPES[r.kind as VehicleType] ?? r.kind}${r.ref ? ` ${r.ref}` : ''}`,
    )
    .join('、');
  return {
    summary: `车辆登记显示家庭拥有机动车辆 ${counted.length} 辆（${list}），超过规定的 ${p.maxCount} 辆。`,
    evidence: { maxCount: p.maxCount, exemptTypes: p.exemptTypes, records: counted.map(recordEvidence) },
  };
}

export function judgeRealEstate(p: ParamsOf<'real_estate_excess'>, c: HouseholdCandidate): Judgement | null {
  const counted = c.records.filter(
    (r) => r.sourceCode === 'real_estate' && !r.exempt && registeredBy(r, c.asOf),
  );
  const residential = counted.filter((r) => r.kind === 'residential');
  const nonResidential = counted.filter((r) => r.kind !== 'residential');
  const parts: string[] = [];
  if (residential.length > p.maxResidential)
    parts.push(`住房 ${residential.length} 套（规定至多 ${p.maxResidential} 套）`);
  if (nonResidential.length > p.maxNonResidential)
    parts.push(`非住宅类房产 ${nonResidential.length} 处（规定至多 ${p.maxNonResidential} 处）`);
  if (parts.length === 0) return null;
  return {
    summary: `不动产登记显示家庭拥有${parts.join('、')}。`,
    evidence: {
      maxResidential: p.maxResidential,
      maxNonResidential: p.maxNonResidential,
      residential: residential.length,
      nonResidential: nonResidential.length,
      records: [...residential, ...nonResidential].map(recordEvidence),
    },
  };
}

export function countedBusinesses(
  records: readonly DeptRow[],
  exemptSmallFamilyShop: boolean,
  asOf: string,
): DeptRow[] {
  return records.filter(
    (r) =>
      r.sourceCode === 'business' &&
      r.status !== 'cancelled' &&
      !(exemptSmallFamilyShop && r.exempt) &&
      registeredBy(r, asOf),
  );
}

const BUSINESS_KINDS: Record<string, string> = {
  individual: '个体工商户',
  enterprise: '企业',
  shareholder: '企业股东',
};

export function judgeBusiness(p: ParamsOf<'business_registration'>, c: HouseholdCandidate): Judgement | null {
  const counted = countedBusinesses(c.records, p.exemptSmallFamilyShop, c.asOf);
  if (counted.length <= p.maxCount) return null;
  const list = counted
    .map(
      (r) =>
        `${nameOf(c.members, r.idNumber, r.name)}登记为${BUSINESS_KINDS[r.kind] ?? r.kind}${r.amountFen ? `（注册资本 ${yuan(r.amountFen)}）` : ''}`,
    )
    .join('、');
  return {
    summary: `市场主体登记显示${list}，共 ${counted.length} 户，超过规定的 ${p.maxCount} 户。`,
    evidence: { maxCount: p.maxCount, records: counted.map(recordEvidence) },
  };
}

/** Financial assets (DOMAIN §3.5, 2021 Art. 14): deposits, securities and savings-type insurance cash value. */
export function financialAssets(
  records: readonly DeptRow[],
  opts: { includeSecurities: boolean; includeSavingsInsurance: boolean },
): { totalFen: number; rows: DeptRow[] } {
  const rows = records.filter(
    (r) =>
      r.sourceCode === 'bank_deposit' ||
      (opts.includeSecurities && r.sourceCode === 'securities') ||
      (opts.includeSavingsInsurance &&
        r.sourceCode === 'commercial_insurance' &&
        r.kind === 'savings' &&
        r.status !== 'lapsed'),
  );
  return { totalFen: rows.reduce((s, r) => s + (r.amountFen ?? 0), 0), rows };
}

/** The per-household cap: months × the standard (own or urban) × counted persons. */
export function assetLimitFen(
  monthsOfStandard: number,
  basis: 'own' | 'urban',
  c: Pick<HouseholdCandidate, 'standardFen' | 'urbanStandardFen' | 'persons'>,
): number {
  const standard = basis === 'urban' ? c.urbanStandardFen : c.standardFen;
  return monthsOfStandard * standard * c.persons;
}

export function judgeDeposits(p: ParamsOf<'deposits_over_limit'>, c: HouseholdCandidate): Judgement | null {
  const { totalFen, rows } = financialAssets(c.records, p);
  const limitFen = assetLimitFen(p.monthsOfStandard, p.standardBasis, c);
  if (totalFen <= limitFen) return null;
  const standard = p.standardBasis === 'urban' ? c.urbanStandardFen : c.standardFen;
  return {
    summary: `家庭存款等金融资产合计 ${yuan(totalFen)}，超过规定上限 ${yuan(limitFen)}（人均 ${p.monthsOfStandard} 个月${p.standardBasis === 'urban' ? '城市' : ''}低保标准 ${yuan(standard)} × ${c.persons} 人）。`,
    evidence: {
      totalFen,
      limitFen,
      monthsOfStandard: p.monthsOfStandard,
      standardBasis: p.standardBasis,
      standardFen: standard,
      persons: c.persons,
      records: rows.map(recordEvidence),
    },
  };
}

export function judgePublicPayroll(p: ParamsOf<'public_payroll'>, c: HouseholdCandidate): Judgement | null {
  const hits = c.records.filter(
    (r) =>
      r.sourceCode === 'public_payroll' &&
      r.status !== 'left' &&
      registeredBy(r, c.asOf) &&
      (r.monthlyFen ?? 0) >= p.minMonthlyFen,
  );
  if (hits.length === 0) return null;
  const list = hits
    .map(
      (r) =>
        `${nameOf(c.members, r.idNumber, r.name)}在${r.ref ?? '财政供养单位'}任职${r.monthlyFen ? `，月工资 ${yuan(r.monthlyFen)}` : ''}`,
    )
    .join('；');
  return {
    summary: `财政供养人员数据显示：${list}。`,
    evidence: { records: hits.map(recordEvidence) },
  };
}

interface MemberIncome {
  idNumber: string;
  name: string;
  wageFen: Ratio;
  wageBasis: string | null;
  transferFen: number;
}

/** DOMAIN §4.4: a member's monthly wage is the highest of the three sources that evidence it; pensions add. */
export function memberIncomes(
  records: readonly DeptRow[],
  members: readonly Subject[],
  asOf: string,
  countPensions: boolean,
): MemberIncome[] {
  const byPerson = new Map<string, MemberIncome>();
  const get = (r: DeptRow) => {
    let m = byPerson.get(r.idNumber);
    if (!m) {
      m = {
        idNumber: r.idNumber,
        name: nameOf(members, r.idNumber, r.name),
        wageFen: int(0),
        wageBasis: null,
        transferFen: 0,
      };
      byPerson.set(r.idNumber, m);
    }
    return m;
  };
  const latestTax = new Map<string, DeptRow>();
  for (const r of records) {
    if (!registeredBy(r, asOf)) continue;
    if (r.sourceCode === 'tax' && r.kind === 'wage') {
      const prev = latestTax.get(r.idNumber);
      if (!prev || (r.eventDate ?? '') > (prev.eventDate ?? '')) latestTax.set(r.idNumber, r);
    }
  }
  const offer = (r: DeptRow, value: Ratio, basis: string) => {
    const m = get(r);
    if (cmp(value, m.wageFen) > 0) {
      m.wageFen = value;
      m.wageBasis = basis;
    }
  };
  for (const r of records) {
    if (!registeredBy(r, asOf)) continue;
    if (r.sourceCode === 'public_payroll' && r.status !== 'left' && r.monthlyFen)
      offer(r, int(r.monthlyFen), '财政供养工资');
    else if (r.sourceCode === 'social_insurance' && r.status !== 'stopped') {
      if (r.kind === 'contribution' && r.monthlyFen) offer(r, int(r.monthlyFen), '社保缴费基数');
      else if (
        countPensions &&
        (r.kind === 'employee_pension' || r.kind === 'unemployment_benefit') &&
        r.monthlyFen
      )
        get(r).transferFen += r.monthlyFen;
    }
  }
  for (const r of latestTax.values())
    if (r.amountFen) offer(r, div(int(r.amountFen), int(12)), '个税工资薪金收入÷12');
  return [...byPerson.values()];
}

export function judgeIncome(p: ParamsOf<'income_above_standard'>, c: HouseholdCandidate): Judgement | null {
  const incomes = memberIncomes(c.records, c.members, c.asOf, p.countPensions);
  const totalFen = add(int(0), ...incomes.map((m) => add(m.wageFen, int(m.transferFen))));
  const perCapita = div(totalFen, int(c.persons));
  const threshold = mul(decimal(p.multiple), int(c.standardFen));
  // DOMAIN §9: dibao needs per-capita income *below* the standard, so equal to it no longer qualifies.
  if (cmp(perCapita, threshold) < 0) return null;
  const lines = incomes
    .filter((m) => m.wageBasis !== null || m.transferFen > 0)
    .map((m) => {
      const parts = [];
      if (m.wageBasis)
        parts.push(`工资 ${ratioToDecimalString(div(m.wageFen, int(100)))} 元（${m.wageBasis}）`);
      if (m.transferFen > 0) parts.push(`养老金/失业保险金 ${yuan(m.transferFen)}`);
      return `${m.name}${parts.join('、')}`;
    });
  return {
    summary: `部门数据反映家庭月收入：${lines.join('；')}；人均 ${ratioToDecimalString(div(perCapita, int(100)))} 元/月，不低于${p.multiple === '1' ? '' : ` ${p.multiple} 倍`}低保标准 ${yuan(c.standardFen)}（${c.persons} 人）。`,
    evidence: {
      perCapitaFen: ratioToDecimalString(perCapita),
      thresholdFen: ratioToDecimalString(threshold),
      standardFen: c.standardFen,
      multiple: p.multiple,
      persons: c.persons,
      members: incomes.map((m) => ({
        idNumber: masked(m.idNumber),
        name: m.name,
        wageFen: ratioToDecimalString(m.wageFen),
        wageBasis: m.wageBasis,
        transferFen: m.transferFen,
      })),
    },
  };
}

export interface StaffLink {
  staffId: number;
  staffName: string;
  staffKind: string;
  organisation: string;
  relation: 'self' | 'spouse' | 'same_hukou';
  /** Declared in the staff_relative register (DOMAIN §10). */
  declared: boolean;
  /** The department record the link rests on (marriage certificate, 户号). */
  basis: string | null;
}

export interface StaffRelativeCandidate {
  subject: Subject;
  links: StaffLink[];
}

const STAFF_KIND_LABELS: Record<string, string> = {
  official: '低保经办人员',
  village_cadre: '村（居）委会干部',
};
const RELATION_LABELS: Record<StaffLink['relation'], string> = {
  self: '本人',
  spouse: '配偶（婚姻登记）',
  same_hukou: '同一户籍户号的亲属',
};

export function judgeStaffRelative(
  p: ParamsOf<'staff_relative'>,
  c: StaffRelativeCandidate,
): Judgement | null {
  const links = c.links.filter(
    (l) => (p.includeDeclared || !l.declared) && (p.matchSameHukou || l.relation !== 'same_hukou'),
  );
  if (links.length === 0) return null;
  const text = links
    .map(
      (l) =>
        `${l.relation === 'self' ? `本人即${l.organisation}${STAFF_KIND_LABELS[l.staffKind] ?? l.staffKind}` : `为${l.organisation}${STAFF_KIND_LABELS[l.staffKind] ?? l.staffKind}${l.staffName}的${RELATION_LABELS[l.relation]}`}${l.declared ? '（已备案）' : '（未备案）'}`,
    )
    .join('；');
  return {
    summary: `${c.subject.name}（${masked(c.subject.idNumber)}）${text}。`,
    evidence: {
      links: links.map((l) => ({
        staffId: l.staffId,
        staffName: l.staffName,
        staffKind: l.staffKind,
        organisation: l.organisation,
        relation: l.relation,
        declared: l.declared,
        basis: l.basis,
      })),
    },
  };
}

export interface MissedCandidate extends HouseholdCandidate {
  programLabel: string;
  /** The low-income records (low_income source) of the household's members. */
  lowIncome: DeptRow[];
}

/** DOMAIN §11, §9: a low-income family below the standard whose property passes, not enrolled (漏保). */
export function judgeMissed(p: ParamsOf<'missed_eligible'>, c: MissedCandidate): Judgement | null {
  const active = c.lowIncome.filter((r) => r.status !== 'closed' && r.monthlyFen !== null);
  if (active.length === 0) return null;
  // The family's declared per-capita income: the latest record (they share the family key).
  const latest = active.reduce((a, b) => ((b.eventDate ?? '') > (a.eventDate ?? '') ? b : a));
  const income = latest.monthlyFen ?? 0;
  const threshold = mul(decimal(p.incomeBelowMultiple), int(c.standardFen));
  if (cmp(int(income), threshold) >= 0) return null;
  const { totalFen } = financialAssets(c.records, { includeSecurities: true, includeSavingsInsurance: true });
  if (totalFen > assetLimitFen(p.monthsOfStandard, p.standardBasis, c)) return null;
  const houses = c.records.filter(
    (r) => r.sourceCode === 'real_estate' && !r.exempt && registeredBy(r, c.asOf),
  );
  if (houses.some((r) => r.kind !== 'residential') || houses.length > p.maxResidential) return null;
  if (countedVehicles(c.records, p.exemptVehicleTypes, c.asOf).length > p.maxVehicles) return null;
  if (countedBusinesses(c.records, true, c.asOf).length > p.maxBusiness) return null;
  return {
    summary: `低收入人口库登记家庭人均月收入 ${yuan(income)}，低于${c.programLabel}标准 ${yuan(c.standardFen)}，部门数据未见超标财产（金融资产 ${yuan(totalFen)}、住房 ${houses.length} 套），但未纳入低保或特困供养，请入户核实并告知申请。`,
    evidence: {
      perCapitaFen: income,
      standardFen: c.standardFen,
      financialAssetsFen: totalFen,
      houses: houses.length,
      persons: c.persons,
      lowIncome: active.map(recordEvidence),
    },
  };
}
