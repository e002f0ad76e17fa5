/**
 * The household economic verification report (居民家庭经济状况核对报告; DOMAIN §3.4, §4.4, §9; contract §2):
 * per member and source what the departments hold, the income and property the family is assessed on, the
 * items that differ from the family's declaration (申报), and a conclusion code (DOMAIN §3.3).
 *
 * Pure and deterministic: the caller passes the department results, the declaration and the resolved dibao
 * parameters; the assessment is the dibao engine's (assessDibaoHousehold), so the verification and the case
 * decide by the same rules.
 */
import { z } from 'zod';
import { assessDibaoHousehold, type DibaoAssessment, type DibaoHouseholdInput } from '../benefit/dibao.ts';
import type { ExplanationLine } from '../benefit/explanation.ts';
import { DISABILITY_CATEGORIES } from '../household/person-attributes.ts';
import { maskIdNumber } from '../identity/resident-id.ts';
import { cmp, decimal, div, formatYuan, int, mul, roundFen } from '../money/money.ts';
import {
  type DibaoParams,
  INCOME_TYPE_CODES,
  INCOME_TYPES,
  type IncomeType,
  VEHICLE_TYPE_CODES,
  VEHICLE_TYPES,
  type VehicleType,
} from '../policy/dibao.params.ts';
import {
  CHECK_TYPES,
  type CheckType,
  CONCLUSIONS,
  type ConclusionCode,
  failsCode,
  meetsCode,
} from './conclusion.ts';
import { layoutOf } from './layouts.ts';
import { type DeptRecord, SOURCE_CODES, SOURCES, type SourceCode } from './sources.ts';

export * from './conclusion.ts';

export const RULE_VERIFICATION = '社会救助暂行办法 第58条；审核确认办法 第17条（DOMAIN §3.1、§3.4）';
export const RULE_TEKUN_INCOME =
  '特困人员认定办法 第6条：本人收入不计基础养老金、优待抚恤金、高龄津贴（DOMAIN §4.4）';
export const RULE_SUPPORTER = '特困人员认定办法 第10条：法定义务人履行义务能力（DOMAIN §9）';

// ---------------------------------------------------------------------------------------------------------------
// Types (contract §2)

export interface ReportSubject {
  personId: number | null;
  name: string;
  idNumber: string;
  relation: string;
  /** 'supporter': a legally obliged supporter of a 特困 applicant (DOMAIN §3.2), not a household member. */
  role: 'member' | 'supporter';
  sex: 'M' | 'F';
  birthDate: string;
  /** False for a member who does not count (DOMAIN §4.2). */
  counted: boolean;
  labourCapacity?: 'full' | 'partial' | 'none';
  employed?: boolean;
  student?: boolean;
  disabilityGrade?: number | null;
  disabilityCategory?: string | null;
  seriousIllness?: boolean;
}

export interface SourceResult {
  sourceCode: SourceCode;
  status: 'ok' | 'not_found' | 'unavailable';
  channel: 'connector' | 'snapshot';
  snapshotAsOf: string | null;
  records: DeptRecord[];
  error: string | null;
}

/** The family's 申报: monthly figures per member and type, and the property it declares. */
export interface Declaration {
  members: { idNumber: string; incomes: { type: IncomeType; monthlyFen: number }[] }[];
  assets: {
    financialAssetsFen: number;
    residentialProperties: number;
    nonResidentialProperties: number;
    vehicles: number;
    businessRegistrations: number;
  };
}

const fen = z
  .number({ error: '金额应为整数（分）' })
  .int({ error: '金额应为整数（分）' })
  .min(0, { error: '金额不能为负数' })
  .max(1e13, { error: '金额过大' });
const count = (what: string) =>
  z
    .number({ error: `${what}应为整数` })
    .int({ error: `${what}应为整数` })
    .min(0, { error: `${what}不能为负数` })
    .max(99, { error: `${what}过大` });

export const declarationSchema: z.ZodType<Declaration> = z.object(
  {
    members: z
      .array(
        z.object({
          idNumber: z
            .string({ error: '身份证号码应为文字' })
            .trim()
            .regex(/^(\d{17}[\dXx]|\d{15})$/, { error: '身份证号码应为18位（或15位旧号码）' }),
          incomes: z
            .array(
              z.object({
                type: z.enum(INCOME_TYPE_CODES as [IncomeType, ...IncomeType[]], {
                  error: `收入类型应为以下之一：${INCOME_TYPE_CODES.join('、')}`,
                }),
                monthlyFen: fen,
              }),
              { error: '申报收入应为列表' },
            )
            .max(50, { error: '申报收入项目过多' }),
        }),
        { error: '申报成员应为列表' },
      )
      .max(30, { error: '申报成员过多' }),
    assets: z.object(
      {
        financialAssetsFen: fen,
        residentialProperties: count('住房套数'),
        nonResidentialProperties: count('非住宅类房产数'),
        vehicles: count('机动车辆数'),
        businessRegistrations: count('工商登记数'),
      },
      { error: '申报财产应为对象' },
    ),
  },
  { error: '申报内容应为对象' },
);

export interface ReportInput {
  checkType: CheckType;
  /** The verification date, YYYY-MM-DD (the assessment month is its month). */
  asOf: string;
  subjects: ReportSubject[];
  /** Department results per subject ID number. */
  results: Record<string, SourceResult[]>;
  declaration: Declaration | null;
  /** The dibao parameters in force at asOf for the household's area (urban or rural program by check type). */
  dibaoParams: DibaoParams;
  urbanStandardFen?: number;
  /** The previous year's per-capita disposable income, a YEARLY figure (DOMAIN §9 supporter capacity). */
  previousYearDisposableIncomeFen?: number | null;
  /**
   * People the civil-affairs registry itself knows to be dead (ID number → death date): a widow(er)'s marriage
   * record still names the late spouse, who is then not a missing member.
   */
  knownDeceased?: Record<string, string>;
}

export interface ReportFinding {
  sourceCode: SourceCode;
  label: string;
  status: SourceResult['status'];
  channel: SourceResult['channel'];
  snapshotAsOf: string | null;
  lines: string[];
  records: DeptRecord[];
}

export interface ReportIncomeItem {
  type: IncomeType;
  monthlyFen: number;
  /** Where the figure comes from (Chinese). */
  basis: string;
}

export interface ReportDifference {
  idNumber: string | null;
  name: string | null;
  item: string;
  declared: string;
  found: string;
  major: boolean;
}

export interface ReportSupporter {
  idNumber: string;
  name: string;
  relation: string;
  items: ReportIncomeItem[];
  /** Counted monthly income (exempt types left out, transfers out subtracted, not below 0). */
  monthlyIncomeFen: number;
  /** previousYearDisposableIncomeFen ÷ 12, when given. */
  thresholdMonthlyFen: number | null;
  /** Income below the threshold: no capacity to support by income (DOMAIN §9); null without a threshold. */
  belowThreshold: boolean | null;
  text: string;
}

export interface VerificationReportBody {
  version: 1;
  checkType: CheckType;
  checkTypeLabel: string;
  asOf: string;
  subjects: (ReportSubject & { findings: ReportFinding[] })[];
  income: {
    referenceMonths: number;
    members: { idNumber: string; name: string; items: ReportIncomeItem[] }[];
    monthlyPerCapitaFen: number;
    lines: ExplanationLine[];
  };
  assets: {
    financialAssetsFen: number;
    residentialProperties: number;
    nonResidentialProperties: number;
    vehicles: { type: VehicleType }[];
    businessRegistrations: number;
    passed: boolean;
    refusals: { code: string; text: string }[];
    lines: ExplanationLine[];
  };
  differences: ReportDifference[];
  conclusion: { code: ConclusionCode; label: string; reasons: string[] };
  /** Labels of the sources that were unavailable for a counted member. */
  unavailableSources: string[];
  /** 特困 (05): the legally obliged supporters and their income against the threshold (DOMAIN §9). */
  supporters: ReportSupporter[];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the department records

function okRecords(results: SourceResult[] | undefined, source: SourceCode): DeptRecord[] {
  return (results ?? [])
    .filter((r) => r.sourceCode === source && r.status === 'ok')
    .flatMap((r) => r.records);
}

const isActive = (r: DeptRecord) => r.status === null || r.status === 'active' || r.status === 'normal';
const yuan = (f: number) => `${formatYuan(f)} 元`;
const perMonth = (f: number) => `${formatYuan(f)} 元/月`;
const sumFen = (rs: DeptRecord[], pick: (r: DeptRecord) => number | null) =>
  rs.reduce((s, r) => s + (pick(r) ?? 0), 0);

/** The latest tax year (not after asOf) with records of the kind, and its total. */
function latestTaxYear(
  tax: DeptRecord[],
  kind: string,
  asOf: string,
): { year: string; totalFen: number; monthlyFen: number } | null {
  const asOfYear = asOf.slice(0, 4);
  const rs = tax.filter((r) => r.kind === kind && r.ref !== null && r.ref <= asOfYear);
  if (rs.length === 0) return null;
  const year = rs.map((r) => r.ref as string).sort()[rs.length - 1] as string;
  const totalFen = sumFen(
    rs.filter((r) => r.ref === year),
    (r) => r.amountFen,
  );
  // The year's income ÷ 12, rounded once to fen (half up).
  return {
    year,
    totalFen,
    monthlyFen: roundFen(div(int(totalFen), int(12)), { mode: 'half_up', unit: 'fen' }),
  };
}

/**
 * Monthly incomes the department data evidence for one person (DOMAIN §4.4, contract §2):
 * - wage: the HIGHEST of the public-payroll salary, the social-insurance contribution base and the tax wage income
 *   of the latest year ÷ 12 — each evidences the same wage, so they are never added;
 * - employee pension and unemployment benefit: transfer income; resident basic pension: basic_pension (the
 *   parameters decide whether it is excluded, 2021 Art. 13);
 * - business and property income: the tax records of the latest year ÷ 12.
 */
export function foundIncomes(results: SourceResult[] | undefined, asOf: string): ReportIncomeItem[] {
  const items: ReportIncomeItem[] = [];
  const payroll = okRecords(results, 'public_payroll').filter(isActive);
  const social = okRecords(results, 'social_insurance').filter(isActive);
  const tax = okRecords(results, 'tax');

  const wage: { label: string; monthlyFen: number; text: string }[] = [];
  if (payroll.length > 0) {
    const m = Math.max(...payroll.map((r) => r.monthlyFen ?? 0));
    wage.push({ label: '财政供养人员月工资', monthlyFen: m, text: `财政供养人员月工资 ${yuan(m)}` });
  }
  const contributions = social.filter((r) => r.kind === 'contribution');
  if (contributions.length > 0) {
    const m = Math.max(...contributions.map((r) => r.monthlyFen ?? 0));
    wage.push({ label: '社会保险缴费基数', monthlyFen: m, text: `社会保险缴费基数 ${yuan(m)}` });
  }
  const taxWage = latestTaxYear(tax, 'wage', asOf);
  if (taxWage) {
    wage.push({
      label: `${taxWage.year}年度个人所得税工资薪金收入÷12`,
      monthlyFen: taxWage.monthlyFen,
      text: `${taxWage.year}年度个人所得税工资薪金收入 ${yuan(taxWage.totalFen)} ÷ 12 = ${yuan(taxWage.monthlyFen)}`,
    });
  }
  if (wage.length > 0) {
    // Ties keep the first in this order: payroll, contribution base, tax.
    const best = wage.reduce((a, b) => (b.monthlyFen > a.monthlyFen ? b : a));
    items.push({
      type: 'wage',
      monthlyFen: best.monthlyFen,
      basis:
        wage.length === 1
          ? `按${best.text}计`
          : `${wage.map((w) => w.text).join('、')}为同一工资的不同证据，取最高者，按${best.label}计（不累加）`,
    });
  }
  const benefit = (kind: string, type: IncomeType, label: string) => {
    const rs = social.filter((r) => r.kind === kind);
    if (rs.length === 0) return;
    const m = sumFen(rs, (r) => r.monthlyFen);
    items.push({ type, monthlyFen: m, basis: `社会保险：${label} ${perMonth(m)}` });
  };
  benefit('employee_pension', 'transfer_in', '职工基本养老金');
  benefit('unemployment_benefit', 'transfer_in', '失业保险金');
  benefit('resident_basic_pension', 'basic_pension', '城乡居民基础养老金');
  for (const [kind, label] of [
    ['business', '经营所得'],
    ['property', '财产性所得'],
  ] as const) {
    const t = latestTaxYear(tax, kind, asOf);
    if (t) {
      items.push({
        type: kind,
        monthlyFen: t.monthlyFen,
        basis: `${t.year}年度个人所得税${label} ${yuan(t.totalFen)} ÷ 12 = ${perMonth(t.monthlyFen)}`,
      });
    }
  }
  return items;
}

/** Income types the department data can evidence; only these are compared with the declaration. */
const FOUND_TYPES: readonly IncomeType[] = ['wage', 'business', 'property', 'transfer_in', 'basic_pension'];

function declaredByType(decl: Declaration | null, idNumber: string): Map<IncomeType, number> {
  const m = new Map<IncomeType, number>();
  for (const member of decl?.members ?? []) {
    if (member.idNumber.trim().toUpperCase() !== idNumber) continue;
    for (const i of member.incomes) m.set(i.type, (m.get(i.type) ?? 0) + i.monthlyFen);
  }
  return m;
}

/** Per type, the higher of declared and found is counted (contract §2). */
function countedIncomes(found: ReportIncomeItem[], declared: Map<IncomeType, number>): ReportIncomeItem[] {
  const out: ReportIncomeItem[] = [];
  for (const type of INCOME_TYPE_CODES) {
    const f = found.filter((i) => i.type === type);
    const d = declared.get(type);
    if (f.length === 0) {
      if (d !== undefined) out.push({ type, monthlyFen: d, basis: `申报 ${perMonth(d)}` });
      continue;
    }
    const fSum = f.reduce((s, i) => s + i.monthlyFen, 0);
    if (d !== undefined && d > fSum) {
      out.push({
        type,
        monthlyFen: d,
        basis: `申报 ${perMonth(d)}，高于核对所得 ${perMonth(fSum)}（${f.map((i) => i.basis).join('；')}），按申报计`,
      });
      continue;
    }
    f.forEach((item, k) => {
      const note =
        d !== undefined && d < fSum && k === f.length - 1
          ? `；申报 ${perMonth(d)}，低于核对所得，按核对结果计`
          : '';
      out.push({ ...item, basis: item.basis + note });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Finding lines

function enumLabel(source: SourceCode, field: 'kind' | 'status', code: string | null): string | null {
  if (code === null) return null;
  if (source === 'vehicle' && field === 'kind' && (VEHICLE_TYPES as Record<string, string>)[code]) {
    return (VEHICLE_TYPES as Record<string, string>)[code] as string;
  }
  const c = layoutOf(source).columns.find((x) => x.field === field);
  const hit = Object.entries(c?.values ?? {}).find(([, v]) => v === code);
  return hit ? hit[0] : code;
}

/** One Chinese line describing a record, from its layout's headers. */
export function describeRecord(r: DeptRecord): string {
  const layout = layoutOf(r.sourceCode);
  const parts: string[] = [];
  for (const c of layout.columns) {
    if (c.key === 'id_number' || c.key === 'name' || c.key === 'account_no') continue;
    const header = c.header.replace(/（元）$/, '');
    if (c.key === 'bank_name') {
      if (r.ref) parts.push(`开户银行及账号 ${r.ref}`);
      continue;
    }
    const v: string | number | boolean | null =
      c.field === undefined ? (r.data[c.key] ?? null) : (r[c.field] as string | number | boolean | null);
    if (v === null || v === '' || v === false) continue;
    if (c.type === 'bool') parts.push(`${header}：是`);
    else if (c.type === 'yuan' && typeof v === 'number') parts.push(`${header} ${yuan(v)}`);
    // Lines are printed as they are: another person's ID number is masked in them (DOMAIN §16).
    else if (c.type === 'id_number') parts.push(`${header} ${maskIdNumber(String(v))}`);
    else if (c.type === 'enum' && (c.field === 'kind' || c.field === 'status'))
      parts.push(`${header} ${enumLabel(r.sourceCode, c.field, String(v))}`);
    else parts.push(`${header} ${String(v)}`);
  }
  if (r.sourceCode === 'vehicle' && r.exempt) parts.push('不计入机动车辆');
  return parts.join('，');
}

function findingOf(res: SourceResult): ReportFinding {
  const lines: string[] = [];
  if (res.status === 'unavailable') lines.push(`数据暂不可用：${res.error ?? '部门未返回结果'}`);
  else if (res.status === 'not_found' || res.records.length === 0) lines.push('未查到记录');
  else for (const r of res.records) lines.push(describeRecord(r));
  if (res.status !== 'unavailable') {
    lines.push(
      res.channel === 'snapshot'
        ? `数据来源：部门数据文件${res.snapshotAsOf ? `（数据截至 ${res.snapshotAsOf}）` : ''}`
        : '数据来源：部门接口实时查询',
    );
  }
  return {
    sourceCode: res.sourceCode,
    label: SOURCES[res.sourceCode].label,
    status: res.status,
    channel: res.channel,
    snapshotAsOf: res.snapshotAsOf,
    lines,
    records: res.records,
  };
}

const SOURCE_ORDER = new Map(SOURCE_CODES.map((s, i) => [s, i]));

// ---------------------------------------------------------------------------------------------------------------
// The report

/** 特困 own-income rule (DOMAIN §4.4 special rule): basic pension, 优待抚恤金 and 高龄津贴 are not counted. */
function tekunParams(p: DibaoParams): DibaoParams {
  const extra: IncomeType[] = ['basic_pension', 'special_care', 'old_age_allowance'];
  return {
    ...p,
    income: { ...p.income, exemptTypes: [...new Set([...p.income.exemptTypes, ...extra])], imputed: null },
  };
}

const ASSET_STEP = '财产核查';
/** Engine steps that belong to the benefit amount, not to a verification report. */
const BENEFIT_STEPS = new Set([
  '差额补助',
  '分档补助',
  '全额保障',
  '保底',
  '取整',
  '分类施保',
  '月保障金额',
  '认定结论',
]);

function isVehicleType(v: string): v is VehicleType {
  return (VEHICLE_TYPE_CODES as string[]).includes(v);
}

export function buildVerificationReport(input: ReportInput): VerificationReportBody {
  const { checkType, asOf, declaration } = input;
  const tekun = checkType === '05';
  const params = tekun ? tekunParams(input.dibaoParams) : input.dibaoParams;
  const months = params.income.referenceMonths;
  const resultsOf = (s: ReportSubject) => input.results[s.idNumber];

  const members = input.subjects.filter((s) => s.role === 'member');
  const counted = members.filter((s) => s.counted);
  const supporterSubjects = input.subjects.filter((s) => s.role === 'supporter');
  if (counted.length === 0) throw new Error('没有计入的家庭成员，无法出具核对报告');

  // Findings per subject, in the sources' order (DOMAIN §3.4).
  const subjects = input.subjects.map((s) => ({
    ...s,
    findings: [...(resultsOf(s) ?? [])]
      .sort((a, b) => (SOURCE_ORDER.get(a.sourceCode) ?? 0) - (SOURCE_ORDER.get(b.sourceCode) ?? 0))
      .map(findingOf),
  }));

  // Income per counted member: found evidence merged with the declaration.
  const incomeMembers = counted.map((s) => ({
    idNumber: s.idNumber,
    name: s.name,
    items: countedIncomes(foundIncomes(resultsOf(s), asOf), declaredByType(declaration, s.idNumber)),
  }));

  // Property of the counted members (DOMAIN §3.5).
  const all = (source: SourceCode) => counted.flatMap((s) => okRecords(resultsOf(s), source));
  const deposits = sumFen(all('bank_deposit'), (r) => r.amountFen);
  const securities = sumFen(all('securities'), (r) => r.amountFen);
  const insurance = sumFen(
    all('commercial_insurance').filter((r) => r.kind === 'savings' && isActive(r)),
    (r) => r.amountFen,
  );
  const foundFinancial = deposits + securities + insurance;
  const houses = all('real_estate').filter((r) => !r.exempt);
  const foundResidential = houses.filter((r) => r.kind === 'residential').length;
  const foundNonResidential = houses.filter((r) => r.kind === 'non_residential').length;
  const vehicleRecords = all('vehicle').filter((r) => r.status !== 'scrapped');
  const vehicles = vehicleRecords.map((r) => ({ type: isVehicleType(r.kind) ? r.kind : ('other' as const) }));
  const businesses = all('business').filter(isActive);
  const declaredAssets = declaration?.assets ?? null;
  const financialAssetsFen = Math.max(foundFinancial, declaredAssets?.financialAssetsFen ?? 0);
  const residentialProperties = Math.max(foundResidential, declaredAssets?.residentialProperties ?? 0);
  const nonResidentialProperties = Math.max(
    foundNonResidential,
    declaredAssets?.nonResidentialProperties ?? 0,
  );

  const householdInput: DibaoHouseholdInput = {
    asOfMonth: asOf.slice(0, 7),
    members: members.map((s) => {
      const items = incomeMembers.find((m) => m.idNumber === s.idNumber)?.items ?? [];
      const grade = s.disabilityGrade ?? null;
      const cat = s.disabilityCategory ?? null;
      return {
        name: s.name,
        personId: s.personId,
        birthDate: s.birthDate,
        sex: s.sex,
        counted: s.counted,
        categories: [],
        disabilityGrade: grade !== null && grade >= 1 && grade <= 4 ? grade : null,
        disabilityCategory:
          cat !== null && (DISABILITY_CATEGORIES as readonly string[]).includes(cat)
            ? (cat as (typeof DISABILITY_CATEGORIES)[number])
            : null,
        seriousIllness: s.seriousIllness ?? false,
        labourCapacity: s.labourCapacity,
        employed: s.employed ?? false,
        student: s.student ?? false,
        sanwu: false,
        noSupporter: false,
        incomes: items.map((i) => ({ type: i.type, amountFen: i.monthlyFen * months, note: i.basis })),
      };
    }),
    householdIncomes: [],
    assets: {
      financialAssetsFen,
      residentialProperties,
      nonResidentialProperties,
      vehicles,
      businessRegistrations: businesses.map((r) => ({ smallFamilyShop: r.exempt })),
    },
  };
  const assessment: DibaoAssessment = assessDibaoHousehold(
    params,
    householdInput,
    input.urbanStandardFen === undefined ? undefined : { urbanStandardFen: input.urbanStandardFen },
  );

  const assetLines: ExplanationLine[] = [
    {
      step: '金融资产',
      text:
        `核对所得金融资产：银行存款 ${yuan(deposits)} + 证券 ${yuan(securities)} + 储蓄型商业保险现金价值 ${yuan(insurance)} = ${yuan(foundFinancial)}` +
        (declaredAssets && declaredAssets.financialAssetsFen > foundFinancial
          ? `；申报 ${yuan(declaredAssets.financialAssetsFen)}，高于核对所得，按申报计`
          : ''),
      amountFen: financialAssetsFen,
      rule: RULE_VERIFICATION,
    },
    ...assessment.explanation.filter((l) => l.step === ASSET_STEP),
  ];
  const incomeLines = assessment.explanation.filter(
    (l) => l.step !== ASSET_STEP && !BENEFIT_STEPS.has(l.step),
  );
  if (tekun) {
    incomeLines.unshift({
      step: '特困人员收入',
      text: '特困人员以本人收入认定，城乡居民基础养老金、优待抚恤金、高龄津贴不计入收入',
      rule: RULE_TEKUN_INCOME,
      param: 'income.exemptTypes',
    });
  }
  const assetsPassed = !assessment.refusals.some((r) => r.code !== 'income_not_below_standard');

  // Supporters of a 特困 applicant (DOMAIN §9): own income against the previous year's disposable income.
  const yearly = input.previousYearDisposableIncomeFen ?? null;
  const thresholdMonthlyFen =
    yearly === null ? null : roundFen(div(int(yearly), int(12)), { mode: 'half_up', unit: 'fen' });
  const supporters: ReportSupporter[] = supporterSubjects.map((s) => {
    const items = countedIncomes(foundIncomes(resultsOf(s), asOf), declaredByType(declaration, s.idNumber));
    const exempt = input.dibaoParams.income.exemptTypes;
    const net = items.reduce(
      (sum, i) =>
        exempt.includes(i.type) ? sum : i.type === 'transfer_out' ? sum - i.monthlyFen : sum + i.monthlyFen,
      0,
    );
    const monthlyIncomeFen = Math.max(0, net);
    const belowThreshold = thresholdMonthlyFen === null ? null : monthlyIncomeFen < thresholdMonthlyFen;
    let text =
      `${s.relation || '法定义务人'}${s.name}：月收入 ${yuan(monthlyIncomeFen)}` +
      (yearly === null || thresholdMonthlyFen === null
        ? '（未提供上年度居民人均可支配收入，请结合调查认定其履行义务能力）'
        : `，${belowThreshold ? '低于' : '不低于'}上年度居民人均可支配收入 ${yuan(yearly)} ÷ 12 = ${yuan(thresholdMonthlyFen)}` +
          (belowThreshold ? '，按收入无履行义务能力' : '，可能具有履行义务能力，请结合调查认定'));
    const gaps = (resultsOf(s) ?? [])
      .filter((r) => r.status === 'unavailable')
      .map((r) => SOURCES[r.sourceCode].label);
    if (gaps.length > 0) text += `（${gaps.join('、')}数据暂不可用）`;
    return {
      idNumber: s.idNumber,
      name: s.name,
      relation: s.relation,
      items,
      monthlyIncomeFen,
      thresholdMonthlyFen,
      belowThreshold,
      text,
    };
  });

  // Sources unavailable for a counted member (contract §2; a supporter's gaps are noted on the supporter).
  const unavailable = counted.flatMap((s) =>
    (resultsOf(s) ?? [])
      .filter((r) => r.status === 'unavailable')
      .map((r) => ({ who: s.name, source: r.sourceCode, error: r.error })),
  );
  const unavailableSources = SOURCE_CODES.filter((c) => unavailable.some((u) => u.source === c)).map(
    (c) => SOURCES[c].label,
  );

  const differences = buildDifferences(input, counted, {
    financialAssetsFen: foundFinancial,
    residentialProperties: foundResidential,
    nonResidentialProperties: foundNonResidential,
    vehicles: vehicleRecords,
    businesses: businesses.length,
  });

  const conclusion = decide(input, params, assessment, assetsPassed, unavailable, supporters);
  return {
    version: 1,
    checkType,
    checkTypeLabel: CHECK_TYPES[checkType],
    asOf,
    subjects,
    income: {
      referenceMonths: months,
      members: incomeMembers,
      monthlyPerCapitaFen: assessment.householdPerCapitaIncomeFen,
      lines: incomeLines,
    },
    assets: {
      financialAssetsFen,
      residentialProperties,
      nonResidentialProperties,
      vehicles,
      businessRegistrations: businesses.length,
      passed: assetsPassed,
      refusals: assessment.refusals
        .filter((r) => r.code !== 'income_not_below_standard')
        .map((r) => ({ code: r.code, text: r.text })),
      lines: assetLines,
    },
    differences,
    conclusion,
    unavailableSources,
    supporters,
  };
}

/**
 * The conclusion (DOMAIN §3.3): meets (01/02/03/05) or not (11/12/13/15) on the data found; 04 无法确认 when a
 * source was unavailable for a counted member and the data found would otherwise meet the conditions (missing
 * data can only add income or property, so a family that fails on the data found fails for certain).
 */
function decide(
  input: ReportInput,
  params: DibaoParams,
  a: DibaoAssessment,
  assetsPassed: boolean,
  unavailable: { who: string; source: SourceCode; error: string | null }[],
  supporters: ReportSupporter[],
): VerificationReportBody['conclusion'] {
  const { checkType } = input;
  const standardFen = params.standardFen;
  const pc = a.householdPerCapitaIncomeFen;
  const reasons: string[] = [];
  const refusalTexts = a.refusals.map((r) => r.text);
  let meets: boolean;
  if (checkType === '03') {
    // 低收入（低保边缘）: per-capita < edgeIncomeMultiple × standard and the property test met (DOMAIN §4.3, §9).
    const limit = mul(decimal(params.edgeIncomeMultiple), int(standardFen));
    const incomeOk = cmp(int(pc), limit) < 0;
    meets = incomeOk && assetsPassed;
    const limitText = `低保标准 ${yuan(standardFen)} × ${params.edgeIncomeMultiple} = ${formatYuan(roundFen(limit, { mode: 'half_up', unit: 'fen' }))} 元`;
    reasons.push(`家庭月人均收入 ${yuan(pc)}，${incomeOk ? '低于' : '不低于'}${limitText}`);
    if (incomeOk && pc < standardFen)
      reasons.push(`家庭月人均收入低于低保标准 ${yuan(standardFen)}，可按低保申请`);
    for (const r of a.refusals) if (r.code !== 'income_not_below_standard') reasons.push(r.text);
    if (assetsPassed) reasons.push('家庭财产符合规定');
  } else {
    meets = a.eligible;
    const whose = checkType === '05' ? '本人月收入' : '家庭月人均收入';
    if (meets) {
      reasons.push(`${whose} ${yuan(pc)}，低于低保标准 ${yuan(standardFen)}`, '家庭财产符合规定');
    } else {
      reasons.push(...refusalTexts.map((t) => (checkType === '05' ? t.replace('家庭月人均收入', whose) : t)));
      if (checkType !== '05' && a.edgeFamily) {
        reasons.push(
          `家庭月人均收入不低于低保标准、低于 ${params.edgeIncomeMultiple} 倍，且财产符合规定，属于低保边缘家庭，可按低收入家庭申请`,
        );
      }
    }
    if (checkType === '05') for (const s of supporters) reasons.push(s.text);
  }
  let code: ConclusionCode = meets ? meetsCode(checkType) : failsCode(checkType);
  if (unavailable.length > 0) {
    // One entry per source (its persons and first error), so a missing department reads as one line.
    const bySource = new Map<SourceCode, { who: string[]; error: string | null }>();
    for (const u of unavailable) {
      const entry = bySource.get(u.source) ?? { who: [], error: u.error };
      if (!entry.who.includes(u.who)) entry.who.push(u.who);
      bySource.set(u.source, entry);
    }
    const list = [...bySource].map(
      ([source, e]) => `${SOURCES[source].label}（${e.who.join('、')}${e.error ? `；${e.error}` : ''}）`,
    );
    if (meets) {
      code = '04';
      reasons.unshift(`以下核对数据暂不可用，无法确认：${list.join('、')}`);
    } else {
      reasons.push(`另有核对数据暂不可用：${list.join('、')}；已查得的数据已足以认定`);
    }
  }
  return { code, label: CONCLUSIONS[code], reasons };
}

interface FoundAssets {
  financialAssetsFen: number;
  residentialProperties: number;
  nonResidentialProperties: number;
  vehicles: DeptRecord[];
  businesses: number;
}

/**
 * Items where the department data differ from the declaration (DOMAIN §3.4, contract §2). Income: a found figure
 * above the declared by more than 10% of the declared or more than 100 元/月 is major (under-declaration); a
 * found figure below the declared is listed, not major. Property: anything found beyond the declared is major.
 * Without a declaration only the facts that change who counts are listed: a death record of a member, a spouse
 * by marriage record not among the members (DOMAIN §4.2).
 */
function buildDifferences(
  input: ReportInput,
  counted: ReportSubject[],
  found: FoundAssets,
): ReportDifference[] {
  const out: ReportDifference[] = [];
  const decl = input.declaration;
  const ids = new Set(input.subjects.filter((s) => s.role === 'member').map((s) => s.idNumber));
  for (const s of counted) {
    const results = input.results[s.idNumber];
    const deaths = okRecords(results, 'death');
    if (deaths.length > 0) {
      const d = deaths[0] as DeptRecord;
      out.push({
        idNumber: s.idNumber,
        name: s.name,
        item: '死亡信息',
        declared: '在世的共同生活家庭成员',
        found: `${SOURCES.death.label}：${describeRecord(d)}`,
        major: true,
      });
    }
    const marriages = okRecords(results, 'marriage')
      .filter((r) => r.eventDate !== null)
      .sort((a, b) => String(a.eventDate).localeCompare(String(b.eventDate)));
    const last = marriages[marriages.length - 1];
    const spouseDeceased = last?.ref != null && input.knownDeceased?.[last.ref] !== undefined;
    if (last && last.kind === 'married' && last.ref !== null && !ids.has(last.ref) && !spouseDeceased) {
      out.push({
        idNumber: s.idNumber,
        name: s.name,
        item: '配偶',
        declared: '未列入家庭成员',
        found: `婚姻登记：${last.eventDate} 结婚登记，配偶${typeof last.data.spouse_name === 'string' ? ` ${last.data.spouse_name}` : ''}`,
        major: true,
      });
    }
  }
  if (decl === null) return out;

  for (const s of counted) {
    const declared = declaredByType(decl, s.idNumber);
    const foundItems = foundIncomes(input.results[s.idNumber], input.asOf);
    for (const type of FOUND_TYPES) {
      const d = declared.get(type) ?? 0;
      const f = foundItems.filter((i) => i.type === type).reduce((sum, i) => sum + i.monthlyFen, 0);
      if (d === f) continue;
      const gap = f - d;
      // > 10% of the declared (exact: 10 × gap > declared) or > 100 元.
      const major = gap > 0 && (gap * 10 > d || gap > 10_000);
      out.push({
        idNumber: s.idNumber,
        name: s.name,
        item: INCOME_TYPES[type],
        declared: perMonth(d),
        found: perMonth(f),
        major,
      });
    }
  }

  const a = decl.assets;
  const countDiff = (item: string, unit: string, declared: number, f: number, foundText?: string) => {
    if (declared === f) return;
    out.push({
      idNumber: null,
      name: null,
      item,
      declared: `${declared} ${unit}`,
      found: foundText ?? `${f} ${unit}`,
      major: f > declared,
    });
  };
  if (a.financialAssetsFen !== found.financialAssetsFen) {
    out.push({
      idNumber: null,
      name: null,
      item: '金融资产（存款、证券、储蓄型保险）',
      declared: yuan(a.financialAssetsFen),
      found: yuan(found.financialAssetsFen),
      major: found.financialAssetsFen > a.financialAssetsFen,
    });
  }
  countDiff('住房', '套', a.residentialProperties, found.residentialProperties);
  countDiff('非住宅类房产', '处', a.nonResidentialProperties, found.nonResidentialProperties);
  const vehicleText =
    found.vehicles.length === 0
      ? '0 辆'
      : `${found.vehicles.length} 辆（${found.vehicles.map((v) => `${enumLabel('vehicle', 'kind', v.kind)} ${v.ref ?? ''}`.trim()).join('、')}）`;
  countDiff('机动车辆', '辆', a.vehicles, found.vehicles.length, vehicleText);
  countDiff('工商登记', '户', a.businessRegistrations, found.businesses);
  return out;
}
