/**
 * The dibao engine (DOMAIN §4.1–4.4, §4.7): a household's income, per-capita figure and property test decide
 * eligibility; the monthly benefit is the gap to the standard (or a band amount) per counted member, the full
 * standard for 全额 members, a floor, and the 分类施保 add-ons. Every step leaves an explanation line.
 *
 * Two entry points:
 * - assessDibaoHousehold: the assessment of an application or review, from the household's declared facts;
 * - dibaoMonthlyBenefit: the amount of an assessed decision under the parameters of a given month. The payroll
 *   calls it for every household every month, so it must stay cheap: parameters are compiled once per object
 *   (WeakMap) and no explanation is built when explain is false.
 */
import { z } from 'zod';
import { isIsoMonth } from '../calendar/dates.ts';
import { DISABILITY_CATEGORIES, isSeverelyDisabled } from '../household/person-attributes.ts';
import { ageOn } from '../identity/resident-id.ts';
import {
  add,
  cmp,
  decimal,
  formatYuan,
  int,
  max,
  mul,
  type Ratio,
  type Rounding,
  roundFen,
  roundingLabel,
  ZERO,
} from '../money/money.ts';
import { fenSchema } from '../policy/common.ts';
import {
  type AddOnCategory,
  DIBAO_MEMBER_CATEGORIES,
  DIBAO_MEMBER_CATEGORY_CODES,
  type DibaoMemberCategory,
  type DibaoParams,
  INCOME_TYPE_CODES,
  type IncomeType,
  VEHICLE_TYPE_CODES,
  type VehicleType,
} from '../policy/dibao.params.ts';
import { lastDayOfMonth } from '../workflow/months.ts';
import { DibaoRuleError, testDibaoAssets } from './assets.ts';
import { Explainer, type ExplanationLine } from './explanation.ts';
import { computeDibaoIncome, type IncomeMember, monthlyPerCapitaIncome, yuanText } from './income.ts';

export { DibaoRuleError } from './assets.ts';

export const RULE_ELIGIBILITY = '社会救助暂行办法 第9条（DOMAIN §4.1）';
export const RULE_GAP = '民发〔2012〕220号 第27条；社会救助暂行办法 第12条（DOMAIN §4.7）';
export const RULE_BAND = '审核确认办法 第23条（DOMAIN §4.7）';
export const RULE_FULL = '城市居民最低生活保障条例 第8条（DOMAIN §4.7）';
export const RULE_ADD_ON = '民发〔2012〕220号 第28条；社会救助暂行办法 第12条（DOMAIN §4.7）';
export const RULE_FLOOR = '地方规定的保底金额（DOMAIN §4.7）';
export const RULE_SINGLE = '审核确认办法 第8条（DOMAIN §4.3）';
export const RULE_EDGE = '审核确认办法 第8条：低保边缘家庭（DOMAIN §4.3）';

// ---------------------------------------------------------------------------------------------------------------
// Inputs

const incomeItemSchema = z.object({
  type: z.enum(INCOME_TYPE_CODES as [IncomeType, ...IncomeType[]], {
    error: `收入类型应为以下之一：${INCOME_TYPE_CODES.join('、')}`,
  }),
  /** Total over the reference period. */
  amountFen: fenSchema,
  note: z.string().trim().max(200, { error: '备注不超过 200 字' }).optional(),
});

const memberCategorySchema = z.enum(
  DIBAO_MEMBER_CATEGORY_CODES as [DibaoMemberCategory, ...DibaoMemberCategory[]],
  {
    error: `人员类别应为以下之一：${DIBAO_MEMBER_CATEGORY_CODES.join('、')}`,
  },
);

const isoDateSchema = z.iso.date({ error: '日期格式应为 YYYY-MM-DD' });

export const dibaoMemberInputSchema = z
  .object({
    name: z.string().trim().max(50).optional(),
    personId: z.number().int().positive().nullable().optional(),
    birthDate: isoDateSchema.optional(),
    age: z.number({ error: '年龄应为整数' }).int({ error: '年龄应为整数' }).min(0).max(130).optional(),
    sex: z.enum(['M', 'F'], { error: '性别应为 M（男）或 F（女）' }),
    /** False for a member who does not count (DOMAIN §4.2: in prison, clergy away ≥3 years…): no income, no share. */
    counted: z.boolean().default(true),
    /** Categories recorded explicitly; more are derived from the attributes below. */
    categories: z.array(memberCategorySchema).default([]),
    disabilityGrade: z
      .number()
      .int()
      .min(1, { error: '残疾等级应为1–4级' })
      .max(4, { error: '残疾等级应为1–4级' })
      .nullable()
      .optional(),
    disabilityCategory: z.enum(DISABILITY_CATEGORIES, { error: '残疾类别不正确' }).nullable().optional(),
    seriousIllness: z.boolean().default(false),
    labourCapacity: z
      .enum(['full', 'partial', 'none'], { error: '劳动能力应为 full、partial 或 none' })
      .optional(),
    employed: z.boolean().default(false),
    student: z.boolean().default(false),
    sanwu: z.boolean().default(false),
    /** No legal supporter able to support (with no income and no work ability: paid the full standard). */
    noSupporter: z.boolean().default(false),
    incomes: z.array(incomeItemSchema).max(50).default([]),
    /** The clerk's decision on imputed income, per month; the reason is mandatory (DOMAIN §4.4). */
    imputedIncome: z
      .object({
        amountFen: fenSchema,
        reason: z
          .string({ error: '调整虚拟收入必须写明理由' })
          .trim()
          .min(2, { error: '调整虚拟收入必须写明理由' })
          .max(500),
      })
      .nullable()
      .optional(),
  })
  .refine((m) => m.birthDate !== undefined || m.age !== undefined, {
    error: '应填写出生日期或年龄',
    path: ['birthDate'],
  });

export const dibaoHouseholdInputSchema = z
  .object({
    members: z.array(dibaoMemberInputSchema).min(1, { error: '至少需要一名家庭成员' }).max(30),
    /** Household-level income (the family's farm or shop), totals over the reference period. */
    householdIncomes: z.array(incomeItemSchema).max(50).default([]),
    assets: z
      .object({
        financialAssetsFen: fenSchema.default(0),
        residentialProperties: z.number().int().min(0).max(99).default(0),
        nonResidentialProperties: z.number().int().min(0).max(99).default(0),
        vehicles: z
          .array(
            z.object({
              type: z.enum(VEHICLE_TYPE_CODES as [VehicleType, ...VehicleType[]], {
                error: `车辆类型应为以下之一：${VEHICLE_TYPE_CODES.join('、')}`,
              }),
            }),
          )
          .max(20)
          .default([]),
        businessRegistrations: z
          .array(z.object({ smallFamilyShop: z.boolean().default(false) }))
          .max(20)
          .default([]),
      })
      .default({
        financialAssetsFen: 0,
        residentialProperties: 0,
        nonResidentialProperties: 0,
        vehicles: [],
        businessRegistrations: [],
      }),
    /** 单人保 (DOMAIN §4.3): the benefit unit is this one member. */
    singlePerson: z
      .object({ personIndex: z.number().int().min(0) })
      .nullable()
      .optional(),
    /** 分档: the household's band (method 'band'). */
    bandCode: z.string().trim().min(1).nullable().optional(),
    /** The month of the assessment: ages are taken at its end. */
    asOfMonth: z.string().refine(isIsoMonth, { error: '月份格式应为 YYYY-MM' }),
  })
  .superRefine((h, ctx) => {
    if (!h.members.some((m) => m.counted)) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: '至少需要一名计入保障的家庭成员' });
    }
    if (h.singlePerson) {
      const m = h.members[h.singlePerson.personIndex];
      if (!m) {
        ctx.addIssue({
          code: 'custom',
          path: ['singlePerson', 'personIndex'],
          message: '单人保的申请人不在家庭成员中',
        });
      } else if (!m.counted) {
        ctx.addIssue({
          code: 'custom',
          path: ['singlePerson', 'personIndex'],
          message: '单人保的申请人应为计入的家庭成员',
        });
      }
    }
  });
export type DibaoHouseholdInput = z.output<typeof dibaoHouseholdInputSchema>;
export type DibaoMemberInput = z.output<typeof dibaoMemberInputSchema>;

export const dibaoDecisionMemberSchema = z.object({
  personId: z.number().int().positive().nullable().optional(),
  categories: z.array(z.string().min(1)).default([]),
  fullStandard: z.boolean().default(false),
  /** Age in the benefit month, when known: decides age-based add-ons (老年人 ≥ minAge, 未成年人 < 18). */
  age: z.number().int().min(0).max(130).optional(),
  /** Birth date, when known: the payroll derives `age` in each benefit month from it (a member turning 70 gets the add-on that month). */
  birthDate: z.iso.date().optional(),
});

/** An assessed decision: what the payroll needs to compute the month's amount. Counted members only. */
export const dibaoDecisionInputSchema = z.object({
  perCapitaIncomeFen: z.number().int().min(0),
  bandCode: z.string().min(1).nullable().optional(),
  members: z.array(dibaoDecisionMemberSchema).min(1, { error: '至少需要一名计入保障的成员' }),
});
export type DibaoDecisionInput = z.input<typeof dibaoDecisionInputSchema>;
export type DibaoDecisionMember = DibaoDecisionInput['members'][number];

// ---------------------------------------------------------------------------------------------------------------
// Results

export interface DibaoBenefitComponent {
  component: 'dibao_base' | 'dibao_addon';
  amountFen: number;
  /** Index into decision.members, for an add-on. */
  personIndex?: number;
}

export interface DibaoBenefit {
  totalFen: number;
  /** Components with a positive amount: the base, and one add-on per member who has one. */
  components: DibaoBenefitComponent[];
  explanation: ExplanationLine[];
}

export interface DibaoRefusal {
  /** 'income_not_below_standard' or the property category that failed. */
  code: string;
  rule: string;
  text: string;
}

export interface DibaoAssessment {
  eligible: boolean;
  refusals: DibaoRefusal[];
  /** Counted income over the reference period (of the benefit unit), rounded half-up to fen for display. */
  periodIncomeFen: number;
  /** The per-capita figure compared with the standard (the applicant's own for 单人保). */
  monthlyPerCapitaIncomeFen: number;
  /** The household's per-capita figure (equal to the above unless 单人保). */
  householdPerCapitaIncomeFen: number;
  membersCounted: number;
  decision: {
    perCapitaIncomeFen: number;
    bandCode: string | null;
    members: {
      personId: number | null;
      categories: string[];
      fullStandard: boolean;
      age: number;
      birthDate?: string;
    }[];
  };
  benefit: DibaoBenefit | null;
  /** 低保边缘家庭: not eligible on income, per-capita < edgeIncomeMultiple × standard, property test met. */
  edgeFamily: boolean;
  explanation: ExplanationLine[];
}

// ---------------------------------------------------------------------------------------------------------------
// Categories

/** Age at the end of the assessment month: a person who turns 70 during the month counts as 70 for it. */
export function memberAge(m: Pick<DibaoMemberInput, 'age' | 'birthDate'>, asOfMonth: string): number {
  if (m.age !== undefined) return m.age;
  if (m.birthDate === undefined) throw new DibaoRuleError('应填写出生日期或年龄');
  return ageOn(m.birthDate, lastDayOfMonth(asOfMonth));
}

/**
 * The member's categories: the recorded ones plus those the attributes imply (DOMAIN §4.3, §4.7):
 * ≥60 老年人 (an add-on's own minAge still applies), <18 未成年人, grade 1–2 (or grade 3 intellectual/mental)
 * 重度残疾, other grades 残疾, 重病, 三无; no work ability + no supporter + no income of one's own → the 1999
 * 条例 Art. 8 full-standard case; a severely disabled adult without work → 无业重度残疾人 (Fujian 2016).
 */
export function deriveCategories(
  m: DibaoMemberInput,
  age: number,
  hasOwnIncome: boolean,
): DibaoMemberCategory[] {
  const set = new Set<DibaoMemberCategory>(m.categories);
  if (age >= 60) set.add('elderly');
  if (age < 18) set.add('minor');
  const grade = m.disabilityGrade ?? null;
  if (grade !== null) {
    const severe = m.disabilityCategory ? isSeverelyDisabled(m.disabilityCategory, grade) : grade <= 2;
    set.add(severe ? 'severe_disability' : 'disability');
  }
  if (m.seriousIllness) set.add('serious_illness');
  if (m.sanwu) set.add('sanwu');
  if (m.labourCapacity === 'none' && m.noSupporter && !hasOwnIncome)
    set.add('no_income_no_work_no_supporter');
  if (set.has('severe_disability') && !m.employed && age >= 18) set.add('unemployed_severe_disability');
  // Keep the registry's order, so stored decisions compare equal.
  return DIBAO_MEMBER_CATEGORY_CODES.filter((c) => set.has(c));
}

// ---------------------------------------------------------------------------------------------------------------
// Monthly benefit

interface CompiledAddOn {
  index: number;
  category: AddOnCategory;
  label: string;
  minAge: number | undefined;
  amount: Ratio;
  /** The amount as a number when it is whole fen: the payroll's fast path stays in plain numbers. */
  whole: number | null;
  text: string;
}

interface Compiled {
  standard: Ratio;
  fullCategories: ReadonlySet<string>;
  bands: ReadonlyMap<string, { label: string; amountFen: number }>;
  floorPerPerson: Ratio | null;
  floorWhole: number | null;
  floorText: string;
  addOns: CompiledAddOn[];
}

const compiledCache = new WeakMap<DibaoParams, Compiled>();

function wholeOf(r: Ratio | null): number | null {
  return r !== null && r.den === 1n ? Number(r.num) : null;
}

const UNIT: Record<Rounding['unit'], number> = { fen: 1, jiao: 10, yuan: 100 };

/** roundFen for a whole, non-negative number of fen, without BigInt (same results; tested against roundFen). */
export function roundWholeFen(n: number, r: Rounding): number {
  const unit = UNIT[r.unit];
  if (unit === 1) return n;
  let q = Math.floor(n / unit);
  const rem = n - q * unit;
  if (rem !== 0 && (r.mode === 'up' || (r.mode === 'half_up' && rem * 2 >= unit))) q += 1;
  return q * unit;
}

function compile(params: DibaoParams): Compiled {
  const hit = compiledCache.get(params);
  if (hit) return hit;
  const standard = int(params.standardFen);
  const f = params.floor;
  const floorPerPerson =
    f.kind === 'per_person'
      ? int(f.amountFen)
      : f.kind === 'share_of_standard'
        ? mul(decimal(f.rate), standard)
        : null;
  const floorText =
    f.kind === 'per_person'
      ? `${formatYuan(f.amountFen)} 元/人·月`
      : f.kind === 'share_of_standard'
        ? `低保标准 ${formatYuan(params.standardFen)} 元 × ${f.rate} = ${floorPerPerson ? yuanText(floorPerPerson) : ''} 元/人·月`
        : '';
  const compiled: Compiled = {
    standard,
    fullCategories: new Set(params.fullStandardCategories),
    bands: new Map(params.bands.map((b) => [b.code, { label: b.label, amountFen: b.amountFen }])),
    floorPerPerson,
    floorWhole: wholeOf(floorPerPerson),
    floorText,
    addOns: params.addOns.items.map((item, index) => {
      const amount = item.rate !== undefined ? mul(decimal(item.rate), standard) : int(item.amountFen ?? 0);
      const text =
        item.rate !== undefined
          ? `低保标准 ${formatYuan(params.standardFen)} 元 × ${item.rate} = ${yuanText(amount)} 元`
          : `${formatYuan(item.amountFen ?? 0)} 元`;
      return {
        index,
        category: item.category,
        label: item.label,
        minAge: item.minAge,
        amount,
        whole: wholeOf(amount),
        text,
      };
    }),
  };
  compiledCache.set(params, compiled);
  return compiled;
}

/**
 * Whether a member is in an add-on's group. Age decides the age groups when it is known (the payroll passes
 * the age in the benefit month, so a member who turns 70 starts receiving the 老年人 add-on that month);
 * otherwise the recorded category does.
 */
function addOnApplies(a: CompiledAddOn, m: DibaoDecisionMember): boolean {
  if (a.category === 'elderly') {
    if (m.age !== undefined) return m.age >= (a.minAge ?? 60);
    return (m.categories ?? []).includes('elderly');
  }
  if (a.category === 'minor' && m.age !== undefined) return m.age < 18;
  return (m.categories ?? []).includes(a.category);
}

function isFullStandard(c: Compiled, m: DibaoDecisionMember): boolean {
  if (m.fullStandard) return true;
  const cats = m.categories;
  if (!cats || c.fullCategories.size === 0) return false;
  for (const x of cats) if (c.fullCategories.has(x)) return true;
  return false;
}

function memberName(i: number): string {
  return `成员${i + 1}`;
}

/**
 * The month's benefit of an assessed decision (DOMAIN §4.7). Reading of the §4.7 pseudo-code
 *   base    = Σ over counted members of (全额 member ? standard : standard − per-capita)   [gap, 220号 Art. 27]
 *          or Σ over counted members of (全额 member ? standard : band amount)           [band, 2021 Art. 23]
 *   base    = max(base, floor per person × counted members)    ["benefit = max(base, floor_amount*members?)"]:
 *             the floor is a household minimum of floor × members, compared with the base only (add-ons are
 *             paid on top, as the pseudo-code adds them after the max)
 *   add-on  = per member: the highest applicable item ('highest') or their sum ('sum'); capped at the standard
 *             when capAtStandard; rounded once per member by rounding.addOn
 *   total   = round(base, rounding.benefit) + Σ add-ons
 * "Rounded once": each figure paid as its own component (the base, each member's add-on) is computed exactly
 * and rounded once at its end; the total is the sum of the rounded components, so it equals the payment lines.
 */
export function dibaoMonthlyBenefit(
  params: DibaoParams,
  decision: DibaoDecisionInput,
  opts?: { explain?: boolean },
): DibaoBenefit {
  const c = compile(params);
  const explain = opts?.explain ?? true;
  const lines: ExplanationLine[] = [];
  const members = decision.members;
  const n = members.length;
  if (n === 0) throw new DibaoRuleError('没有计入保障的成员，无法计算低保金');
  const standardFen = params.standardFen;
  const perCapita = decision.perCapitaIncomeFen;

  let full = 0;
  for (const m of members) if (isFullStandard(c, m)) full += 1;
  const others = n - full;

  // The base stays a plain number of fen unless a fractional floor lifts it (then `exact`).
  let base: number;
  let exact: Ratio | null = null;
  if (params.method === 'gap') {
    const gap = Math.max(0, standardFen - perCapita);
    base = full * standardFen + others * gap;
    if (explain) {
      if (others > 0)
        lines.push({
          step: '差额补助',
          text: `（${formatYuan(standardFen)} − ${formatYuan(perCapita)}）元/人 × ${others} 人 = ${formatYuan(others * gap)} 元`,
          amountFen: others * gap,
          rule: RULE_GAP,
          param: 'standardFen',
        });
      if (full > 0)
        lines.push({
          step: '全额保障',
          text: `全额保障成员 ${full} 人 × 低保标准 ${formatYuan(standardFen)} 元 = ${formatYuan(full * standardFen)} 元`,
          amountFen: full * standardFen,
          rule: RULE_FULL,
          param: 'fullStandardCategories',
        });
    }
  } else {
    const code = decision.bandCode ?? null;
    const band = code === null ? undefined : c.bands.get(code);
    if (band === undefined) {
      throw new DibaoRuleError(
        code === null ? '分档计算方式需要指定家庭所属档次' : `分档“${code}”不在当前低保参数的档次中`,
      );
    }
    base = full * standardFen + others * band.amountFen;
    if (explain) {
      if (others > 0)
        lines.push({
          step: '分档补助',
          text: `${band.label}（${code}）${formatYuan(band.amountFen)} 元/人 × ${others} 人 = ${formatYuan(others * band.amountFen)} 元`,
          amountFen: others * band.amountFen,
          rule: RULE_BAND,
          param: 'bands',
        });
      if (full > 0)
        lines.push({
          step: '全额保障',
          text: `全额保障成员 ${full} 人 × 低保标准 ${formatYuan(standardFen)} 元 = ${formatYuan(full * standardFen)} 元`,
          amountFen: full * standardFen,
          rule: RULE_FULL,
          param: 'fullStandardCategories',
        });
    }
  }

  if (c.floorPerPerson !== null) {
    const below =
      c.floorWhole !== null ? base < c.floorWhole * n : cmp(int(base), mul(c.floorPerPerson, int(n))) < 0;
    if (below) {
      const floorTotal = mul(c.floorPerPerson, int(n));
      if (explain)
        lines.push({
          step: '保底',
          text: `计算金额 ${formatYuan(base)} 元低于保底 ${c.floorText} × ${n} 人 = ${yuanText(floorTotal)} 元，按保底发放`,
          amountFen: roundFen(floorTotal, { mode: 'half_up', unit: 'fen' }),
          rule: RULE_FLOOR,
          param: params.floor.kind === 'per_person' ? 'floor.amountFen' : 'floor.rate',
        });
      if (c.floorWhole !== null) base = c.floorWhole * n;
      else exact = floorTotal;
    }
  }

  const baseFen =
    exact === null ? roundWholeFen(base, params.rounding.benefit) : roundFen(exact, params.rounding.benefit);
  if (explain) {
    lines.push({
      step: '取整',
      text:
        exact === null && baseFen === base
          ? `低保金 ${formatYuan(baseFen)} 元（${roundingLabel(params.rounding.benefit)}，无需调整）`
          : `低保金 ${exact === null ? formatYuan(base) : yuanText(exact)} 元，${roundingLabel(params.rounding.benefit)}为 ${formatYuan(baseFen)} 元`,
      amountFen: baseFen,
      param: 'rounding.benefit',
    });
  }

  const components: DibaoBenefitComponent[] = [];
  if (baseFen > 0) components.push({ component: 'dibao_base', amountFen: baseFen });
  let total = baseFen;

  if (c.addOns.length > 0) {
    const sum = params.addOns.stacking === 'sum';
    const cap = params.addOns.capAtStandard;
    for (let i = 0; i < n; i++) {
      const m = members[i] as DibaoDecisionMember;
      // The member's add-on: a whole number `w` while every applicable item is whole fen, else exact `r`.
      let has = false;
      let frac = false;
      let w = 0;
      let r: Ratio = ZERO;
      let chosen: CompiledAddOn | null = null;
      const applied: CompiledAddOn[] | null = explain ? [] : null;
      for (const a of c.addOns) {
        if (!addOnApplies(a, m)) continue;
        applied?.push(a);
        if (!has) {
          has = true;
          chosen = a;
          if (a.whole !== null) w = a.whole;
          else [frac, r] = [true, a.amount];
        } else if (sum) {
          if (!frac && a.whole !== null) w += a.whole;
          else [frac, r] = [true, add(frac ? r : int(w), a.amount)];
        } else if (!frac && a.whole !== null ? a.whole > w : cmp(a.amount, frac ? r : int(w)) > 0) {
          chosen = a;
          if (a.whole !== null) [frac, w] = [false, a.whole];
          else [frac, r] = [true, a.amount];
        }
      }
      if (!has) continue;
      let capped = false;
      let fen: number;
      if (frac) {
        capped = cap && cmp(r, c.standard) > 0;
        fen = roundFen(capped ? c.standard : r, params.rounding.addOn);
      } else {
        capped = cap && w > standardFen;
        fen = roundWholeFen(capped ? standardFen : w, params.rounding.addOn);
      }
      if (explain) {
        const items = sum ? (applied ?? []) : chosen ? [chosen] : [];
        const desc = items.map((a) => `${a.label}（${a.text}）`).join(' + ');
        const many = (applied?.length ?? 0) > 1;
        const how = many ? (sum ? '，各项相加' : '，就高不叠加') : '';
        const capText = capped ? `，以低保标准 ${formatYuan(standardFen)} 元为限` : '';
        lines.push({
          step: '分类施保',
          text: `${memberName(i)}：${desc}${how}${capText}，${roundingLabel(params.rounding.addOn)}为 ${formatYuan(fen)} 元`,
          amountFen: fen,
          rule: RULE_ADD_ON,
          param: sum
            ? 'addOns.items'
            : `addOns.items[${chosen?.index ?? 0}].${params.addOns.items[chosen?.index ?? 0]?.rate !== undefined ? 'rate' : 'amountFen'}`,
        });
      }
      if (fen > 0) {
        components.push({ component: 'dibao_addon', amountFen: fen, personIndex: i });
        total += fen;
      }
    }
  }

  if (explain) {
    lines.push({
      step: '月保障金额',
      text:
        components.length > 1
          ? `低保金 ${formatYuan(baseFen)} 元 + 分类施保 ${formatYuan(total - baseFen)} 元 = ${formatYuan(total)} 元/月`
          : `月保障金额 ${formatYuan(total)} 元`,
      amountFen: total,
    });
  }
  return { totalFen: total, components, explanation: lines };
}

// ---------------------------------------------------------------------------------------------------------------
// Assessment

/**
 * Assesses a household (DOMAIN §4.1): income over the reference period (§4.4) → monthly per-capita → property
 * test (§3.5) → eligible when the per-capita figure is below the standard and the property test is met →
 * the benefit (§4.7). 全额 members are not exempt from the property test.
 * 单人保 (§4.3): the benefit unit is the applicant alone and eligibility uses the applicant's own income;
 * the household's figure is still computed, for the edge-family status (< edgeIncomeMultiple × standard).
 */
export function assessDibaoHousehold(
  params: DibaoParams,
  input: DibaoHouseholdInput,
  opts?: { urbanStandardFen?: number },
): DibaoAssessment {
  const ex = new Explainer(true);
  const standardFen = params.standardFen;
  const counted = input.members.map((m, i) => ({ m, i })).filter((x) => x.m.counted);
  const labelOf = (m: DibaoMemberInput, i: number) => m.name || memberName(i);
  for (const { m, i } of input.members.map((m, i) => ({ m, i })).filter((x) => !x.m.counted)) {
    ex.add({
      step: '家庭成员',
      text: `${labelOf(m, i)}不计入共同生活的家庭成员，其收入不计入家庭收入`,
      rule: '审核确认办法 第7条（DOMAIN §4.2）',
    });
  }
  const ages = counted.map(({ m }) => memberAge(m, input.asOfMonth));
  const incomeMembers: IncomeMember[] = counted.map(({ m, i }, k) => ({
    label: labelOf(m, i),
    sex: m.sex,
    age: ages[k] as number,
    labourCapacity: m.labourCapacity,
    employed: m.employed,
    student: m.student,
    incomes: m.incomes,
    imputedIncome: m.imputedIncome,
  }));
  const income = computeDibaoIncome(
    params,
    { members: incomeMembers, householdIncomes: input.householdIncomes },
    ex,
  );
  if (ex.enabled)
    ex.add({
      step: '家庭收入合计',
      text: `计算期 ${params.income.referenceMonths} 个月家庭收入合计 ${yuanText(income.total)} 元`,
      amountFen: roundFen(income.total, { mode: 'half_up', unit: 'fen' }),
    });
  const householdPerCapita = monthlyPerCapitaIncome(params, income.total, counted.length, ex);

  // 单人保: the applicant's own income, one person. Household-level items (the family's farm or shop) stay with
  // the family; the applicant's own items, deductions and imputed income count (DOMAIN §4.3 "eligibility uses
  // that person's income").
  const single = input.singlePerson ? counted.findIndex((x) => x.i === input.singlePerson?.personIndex) : -1;
  let perCapita = householdPerCapita;
  let periodIncome = income.total;
  if (single >= 0) {
    const who = incomeMembers[single]?.label ?? '申请人';
    periodIncome = income.members[single]?.net ?? ZERO;
    ex.add({
      step: '单人保',
      text: `${who}单独申请（单人保），以本人收入认定，保障人数为 1 人`,
      rule: RULE_SINGLE,
    });
    perCapita = monthlyPerCapitaIncome(params, periodIncome, 1, ex, who);
  }

  const assets = testDibaoAssets(
    params.assets,
    input.assets,
    { persons: counted.length, standardFen, urbanStandardFen: opts?.urbanStandardFen },
    ex,
  );

  const refusals: DibaoRefusal[] = [];
  const incomeBelow = perCapita < standardFen;
  const whose = single >= 0 ? '申请人本人月收入' : '家庭月人均收入';
  ex.add({
    step: '收入条件',
    text: `${whose} ${formatYuan(perCapita)} 元${incomeBelow ? '低于' : '不低于'}低保标准 ${formatYuan(standardFen)} 元${incomeBelow ? '，符合收入条件' : ''}`,
    rule: RULE_ELIGIBILITY,
    param: 'standardFen',
  });
  if (!incomeBelow) {
    refusals.push({
      code: 'income_not_below_standard',
      rule: RULE_ELIGIBILITY,
      text: `${whose} ${formatYuan(perCapita)} 元，不低于低保标准 ${formatYuan(standardFen)} 元`,
    });
  }
  for (const r of assets.refusals) refusals.push(r);
  const eligible = refusals.length === 0;

  // 低保边缘家庭 (DOMAIN §4.3, 2021 Art. 8): the household is not eligible on income, its per-capita income is
  // below the multiple of the standard, and it meets the property test.
  const edgeLimit = mul(decimal(params.edgeIncomeMultiple), int(standardFen));
  const edgeFamily =
    assets.passed && householdPerCapita >= standardFen && cmp(int(householdPerCapita), edgeLimit) < 0;
  if (edgeFamily || single >= 0) {
    ex.add({
      step: '低保边缘家庭',
      text: `家庭月人均收入 ${formatYuan(householdPerCapita)} 元，${edgeFamily ? '属于' : '不属于'}低保边缘家庭（不低于低保标准 ${formatYuan(standardFen)} 元、低于 ${params.edgeIncomeMultiple} 倍即 ${yuanText(edgeLimit)} 元，且财产符合规定）`,
      rule: RULE_EDGE,
      param: 'edgeIncomeMultiple',
    });
  }

  const unit = single >= 0 ? [single] : counted.map((_, k) => k);
  const decisionMembers = unit.map((k) => {
    const { m } = counted[k] as { m: DibaoMemberInput; i: number };
    const age = ages[k] as number;
    const categories = deriveCategories(m, age, income.members[k]?.hasOwnIncome ?? false);
    const fullStandard = categories.some((cat) => params.fullStandardCategories.includes(cat));
    if (fullStandard) {
      ex.add({
        step: '全额保障',
        text: `${incomeMembers[k]?.label}属于${categories
          .filter((cat) => params.fullStandardCategories.includes(cat))
          .map((cat) => DIBAO_MEMBER_CATEGORIES[cat])
          .join('、')}，按低保标准全额保障`,
        rule: RULE_FULL,
        param: 'fullStandardCategories',
      });
    }
    return {
      personId: m.personId ?? null,
      categories: categories as string[],
      fullStandard,
      age,
      ...(m.birthDate ? { birthDate: m.birthDate } : {}),
    };
  });
  const decision = {
    perCapitaIncomeFen: perCapita,
    bandCode: input.bandCode ?? null,
    members: decisionMembers,
  };

  let benefit: DibaoBenefit | null = null;
  if (eligible) {
    benefit = dibaoMonthlyBenefit(params, decision, { explain: true });
    // Name members in the benefit lines as in the rest of the explanation.
    const names = unit.map((k) => incomeMembers[k]?.label ?? '');
    for (const line of benefit.explanation) {
      ex.add({
        ...line,
        text: line.text.replace(/^成员(\d+)：/, (s, d) => `${names[Number(d) - 1] ?? s.slice(0, -1)}：`),
      });
    }
  } else {
    ex.add({ step: '认定结论', text: `不符合低保条件：${refusals.map((r) => r.text).join('；')}` });
  }

  return {
    eligible,
    refusals,
    periodIncomeFen: roundFen(max(periodIncome, ZERO), { mode: 'half_up', unit: 'fen' }),
    monthlyPerCapitaIncomeFen: perCapita,
    householdPerCapitaIncomeFen: householdPerCapita,
    membersCounted: unit.length,
    decision,
    benefit,
    edgeFamily,
    explanation: ex.lines,
  };
}

/** Labels for category codes (the decision stores codes). */
export function dibaoCategoryLabel(code: string): string {
  return (DIBAO_MEMBER_CATEGORIES as Record<string, string>)[code] ?? code;
}
