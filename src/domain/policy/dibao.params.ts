/**
 * 低保标准与计算规则 parameters (DOMAIN §3.5, §4.4, §4.7, §15): the standard, 差额 or 分档, floor, 分类施保
 * add-ons, who is paid the full standard, the income rules, the property rule table, the edge-family multiple,
 * rounding and funding. All local figures, so all data, effective-dated by the policy row.
 */
import { z } from 'zod';
import { cmp, decimal, isDecimalString, isZero, ONE } from '../money/money.ts';
import { fenSchema, fundingSchema, rateSchema, roundingSchema } from './common.ts';

/** Income types of DOMAIN §4.4 (2021 Art. 13): the four counted kinds, transfers out, and the excluded kinds. */
export const INCOME_TYPES = {
  wage: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  transfer_in: '转移性收入',
  transfer_out: '转移性支出',
  basic_pension: '城乡居民基础养老金',
  special_care: '优待抚恤金',
  family_planning: '计划生育奖励与扶助金',
  scholarship: '奖学金',
  heroism_award: '见义勇为等奖励',
  social_assistance: '社会救助款物',
  old_age_allowance: '高龄津贴',
  other: '其他应计入收入',
} as const;
export type IncomeType = keyof typeof INCOME_TYPES;
export const INCOME_TYPE_CODES = Object.keys(INCOME_TYPES) as IncomeType[];

/**
 * Member categories used by 分类施保 and full-standard payment (DOMAIN §4.7: 220号 Art. 28 lists 老年人,
 * 未成年人, 重度残疾人, 重病患者; 1999 条例 Art. 8 the "三无" person paid the full standard).
 */
export const DIBAO_MEMBER_CATEGORIES = {
  elderly: '老年人',
  minor: '未成年人',
  severe_disability: '重度残疾人',
  disability: '残疾人',
  serious_illness: '重病患者',
  single_parent: '单亲家庭成员',
  sanwu: '“三无”人员',
  no_income_no_work_no_supporter: '无收入、无劳动能力、无法定赡养抚养扶养人',
  unemployed_severe_disability: '无业重度残疾人',
  other: '其他',
} as const;
export type DibaoMemberCategory = keyof typeof DIBAO_MEMBER_CATEGORIES;
export const DIBAO_MEMBER_CATEGORY_CODES = Object.keys(DIBAO_MEMBER_CATEGORIES) as DibaoMemberCategory[];

/** The add-on (分类施保) categories of the contract. */
export const ADD_ON_CATEGORIES = [
  'elderly',
  'minor',
  'severe_disability',
  'disability',
  'serious_illness',
  'single_parent',
  'other',
] as const satisfies readonly DibaoMemberCategory[];
export type AddOnCategory = (typeof ADD_ON_CATEGORIES)[number];

/** Vehicles for the property test (DOMAIN §3.5: disability vehicles, fuel motorcycles and e-bikes may be exempt). */
export const VEHICLE_TYPES = {
  car: '小型汽车',
  truck: '货车',
  farm_vehicle: '农用车',
  fuel_motorcycle: '燃油摩托车',
  ebike: '电动自行车',
  disability_vehicle: '残疾人机动轮椅车',
  other: '其他机动车',
} as const;
export type VehicleType = keyof typeof VEHICLE_TYPES;
export const VEHICLE_TYPE_CODES = Object.keys(VEHICLE_TYPES) as VehicleType[];

export const ASSET_CATEGORIES = {
  financial_assets: '金融资产',
  residential_property: '住房',
  non_residential_property: '非住宅类房产',
  motor_vehicle: '机动车辆',
  business_registration: '工商登记',
} as const;
export type AssetCategory = keyof typeof ASSET_CATEGORIES;

/** A schema-level message for a value of the wrong type only; other issues (unknown keys…) keep their own. */
function onlyType(message: string) {
  return (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined);
}

const incomeTypeSchema = z.enum(INCOME_TYPE_CODES as [IncomeType, ...IncomeType[]], {
  error: `收入类型应为以下之一：${INCOME_TYPE_CODES.join('、')}`,
});
const vehicleTypeSchema = z.enum(VEHICLE_TYPE_CODES as [VehicleType, ...VehicleType[]], {
  error: `车辆类型应为以下之一：${VEHICLE_TYPE_CODES.join('、')}`,
});
const memberCategorySchema = z.enum(
  DIBAO_MEMBER_CATEGORY_CODES as [DibaoMemberCategory, ...DibaoMemberCategory[]],
  {
    error: `人员类别应为以下之一：${DIBAO_MEMBER_CATEGORY_CODES.join('、')}`,
  },
);
const countSchema = z
  .number({ error: '数量应为整数' })
  .int({ error: '数量应为整数' })
  .min(0, { error: '数量不能为负' })
  .max(99, { error: '数量过大' });

const bandSchema = z.object({
  code: z.string({ error: '分档代码应为文字' }).trim().min(1, { error: '分档代码不能为空' }).max(20),
  label: z.string({ error: '分档名称应为文字' }).trim().min(1, { error: '分档名称不能为空' }).max(50),
  /** 元/人·月 in fen. */
  amountFen: fenSchema,
});

const floorSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('per_person'), amountFen: fenSchema }),
    z.object({ kind: z.literal('share_of_standard'), rate: rateSchema }),
  ],
  {
    error:
      '保底方式 kind 应为 none（不设保底）、per_person（每人每月金额）或 share_of_standard（低保标准的比例）',
  },
);

const addOnItemSchema = z.strictObject({
  category: z.enum(ADD_ON_CATEGORIES, {
    error: `分类施保类别应为以下之一：${ADD_ON_CATEGORIES.join('、')}`,
  }),
  label: z.string({ error: '分类施保名称应为文字' }).trim().min(1, { error: '分类施保名称不能为空' }).max(50),
  /** Share of the standard per month, e.g. "0.1" = +10%. */
  rate: rateSchema.optional(),
  /** A flat amount per month instead of a rate. */
  amountFen: fenSchema.optional(),
  /** 老年人: the age from which the add-on is paid (e.g. 70 in Jilin, DOMAIN §4.7). */
  minAge: z
    .number({ error: '起始年龄应为整数' })
    .int({ error: '起始年龄应为整数' })
    .min(0, { error: '起始年龄不能为负' })
    .max(120, { error: '起始年龄过大' })
    .optional(),
});

const addOnsSchema = z.strictObject({
  /** 'highest': only the highest single add-on (Jilin: "不叠加"); 'sum': add-ons add up. */
  stacking: z.enum(['highest', 'sum'], { error: '叠加方式应为 highest（就高不叠加）或 sum（累加）' }),
  /** Caps each member's add-on at the standard (Fujian 2016, DOMAIN §4.7). */
  capAtStandard: z.boolean({ error: 'capAtStandard 应为 true 或 false' }),
  items: z.array(addOnItemSchema, { error: '分类施保项目应为列表' }).max(30),
});

const employmentCostSchema = z.union(
  [z.object({ rate: rateSchema }).strict(), z.object({ amountFen: fenSchema }).strict()],
  { error: '必要就业成本扣减应为 { rate }（低保标准的比例）或 { amountFen }（每人每月金额），或 null' },
);

const imputedSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('amount'), amountFen: fenSchema }),
    z.object({ kind: z.literal('share_of_minimum_wage'), rate: rateSchema, minimumWageFen: fenSchema }),
  ],
  { error: '虚拟收入方式 kind 应为 amount（每人每月金额）或 share_of_minimum_wage（最低工资的比例）' },
);

const ageSchema = z.number({ error: '年龄应为整数' }).int({ error: '年龄应为整数' }).min(0).max(120);

const incomeRulesSchema = z.strictObject({
  /** DOMAIN §4.4: the reference period, commonly the previous 6 or 12 months. */
  referenceMonths: z
    .number({ error: '收入计算期应为月数' })
    .int({ error: '收入计算期应为整月数' })
    .min(1, { error: '收入计算期至少 1 个月' })
    .max(36, { error: '收入计算期不应超过 36 个月' }),
  /** Income types not counted (2021 Art. 13 exclusions plus local additions). */
  exemptTypes: z.array(incomeTypeSchema, { error: '不计入收入的类型应为列表' }),
  /** 必要的就业成本, per employed member per month. */
  employmentCostDeduction: employmentCostSchema.nullable().default(null),
  /** 劳动力系数 / 虚拟收入, per able-bodied working-age member without wage income, per month. */
  imputed: imputedSchema.nullable().default(null),
  workingAge: z
    .object({ from: ageSchema, toMale: ageSchema, toFemale: ageSchema })
    .default({ from: 16, toMale: 60, toFemale: 55 }),
});

const assetRuleSchema = z.discriminatedUnion(
  'category',
  [
    z.object({
      category: z.literal('financial_assets'),
      /** Per-person financial assets ≤ N × the monthly standard (6, 12, 24, 36 are seen; DOMAIN §3.5). */
      perPersonMaxMonthsOfStandard: rateSchema,
      /** 'urban': Guangdong measures against the local *urban* standard even for rural applicants. */
      standardBasis: z.enum(['own', 'urban'], {
        error: '标准依据应为 own（本项目标准）或 urban（城市低保标准）',
      }),
      urbanStandardFen: fenSchema.optional(),
    }),
    z.object({ category: z.literal('residential_property'), maxCount: countSchema }),
    z.object({ category: z.literal('non_residential_property'), maxCount: countSchema }),
    z.object({
      category: z.literal('motor_vehicle'),
      maxCount: countSchema,
      exemptTypes: z.array(vehicleTypeSchema, { error: '豁免车辆类型应为列表' }).default([]),
    }),
    z.object({
      category: z.literal('business_registration'),
      maxCount: countSchema,
      /** Jieyang: a husband-and-wife shop without employees is treated as no registration. */
      exemptSmallFamilyShop: z.boolean({ error: 'exemptSmallFamilyShop 应为 true 或 false' }),
    }),
  ],
  {
    error:
      '财产规则 category 应为 financial_assets、residential_property、non_residential_property、motor_vehicle 或 business_registration',
  },
);
export type AssetRule = z.infer<typeof assetRuleSchema>;

export const dibaoParamsSchema = z
  .strictObject(
    {
      /** 低保标准, per person per month. */
      standardFen: fenSchema.refine((v) => v > 0, { error: '低保标准应大于 0' }),
      method: z.enum(['gap', 'band'], { error: '计算方式应为 gap（差额）或 band（分档）' }),
      bands: z.array(bandSchema, { error: '分档应为列表' }).max(20).default([]),
      floor: floorSchema.default({ kind: 'none' }),
      addOns: addOnsSchema.default({ stacking: 'highest', capAtStandard: false, items: [] }),
      fullStandardCategories: z.array(memberCategorySchema, { error: '全额保障类别应为列表' }).default([]),
      income: incomeRulesSchema,
      assets: z.array(assetRuleSchema, { error: '财产规则应为列表' }).default([]),
      /** 低保边缘: per-capita income below this multiple of the standard (1.5 nationally, DOMAIN §4.3, §15). */
      edgeIncomeMultiple: rateSchema.default('1.5'),
      rounding: z.object(
        { perCapitaIncome: roundingSchema, benefit: roundingSchema, addOn: roundingSchema },
        { error: onlyType('应给出 perCapitaIncome、benefit、addOn 三项取整规则') },
      ),
      funding: fundingSchema,
    },
    { error: onlyType('低保参数应为对象') },
  )
  .superRefine((p, ctx) => {
    if (p.method === 'band') {
      if (p.bands.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['bands'], message: '分档计算方式至少需要设置一个档次' });
      }
    }
    const seen = new Set<string>();
    p.bands.forEach((b, i) => {
      if (seen.has(b.code)) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'code'], message: `分档代码“${b.code}”重复` });
      }
      seen.add(b.code);
    });
    p.addOns.items.forEach((item, i) => {
      const hasRate = item.rate !== undefined;
      const hasAmount = item.amountFen !== undefined;
      if (hasRate === hasAmount) {
        ctx.addIssue({
          code: 'custom',
          path: ['addOns', 'items', i],
          message: `分类施保“${item.label}”应在 rate（低保标准的比例）和 amountFen（固定金额）中恰好设置一项`,
        });
      }
      if (item.category === 'elderly' && item.minAge === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['addOns', 'items', i, 'minAge'],
          message: `老年人分类施保“${item.label}”应设置起始年龄 minAge（如 60 或 70）`,
        });
      }
      if (item.category !== 'elderly' && item.minAge !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['addOns', 'items', i, 'minAge'],
          message: `只有老年人分类施保可以设置起始年龄，“${item.label}”不适用`,
        });
      }
    });
    const { workingAge } = p.income;
    if (workingAge.toMale <= workingAge.from || workingAge.toFemale <= workingAge.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['income', 'workingAge'],
        message: '劳动年龄上限应大于下限',
      });
    }
    if (p.income.exemptTypes.includes('wage')) {
      ctx.addIssue({
        code: 'custom',
        path: ['income', 'exemptTypes'],
        message: '工资性收入不能设为不计入收入（社会救助暂行办法 第12条，审核确认办法 第13条）',
      });
    }
    const seenAsset = new Set<string>();
    p.assets.forEach((rule, i) => {
      if (seenAsset.has(rule.category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['assets', i, 'category'],
          message: `同一类财产（${ASSET_CATEGORIES[rule.category]}）只能设置一条规则`,
        });
      }
      seenAsset.add(rule.category);
      if (rule.category === 'financial_assets' && isDecimalString(rule.perPersonMaxMonthsOfStandard)) {
        if (isZero(decimal(rule.perPersonMaxMonthsOfStandard))) {
          ctx.addIssue({
            code: 'custom',
            path: ['assets', i, 'perPersonMaxMonthsOfStandard'],
            message: '金融资产上限的月数应大于 0',
          });
        }
      }
    });
    if (isDecimalString(p.edgeIncomeMultiple) && cmp(decimal(p.edgeIncomeMultiple), ONE) < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['edgeIncomeMultiple'],
        message: '低保边缘家庭收入倍数应不小于 1（全国一般为 1.5）',
      });
    }
  });

export type DibaoParams = z.infer<typeof dibaoParamsSchema>;
/** What an admin may write: the defaults (bands, floor, add-ons, …) filled in by the schema. */
export type DibaoParamsInput = z.input<typeof dibaoParamsSchema>;
