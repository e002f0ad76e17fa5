/**
 * The demo county's policy parameters (2015). They are DEMO data: the 文号 say 演示, and only the dibao standards
 * are published figures — Guangdong's provincial minimum for a class-4 area (韶关) in 2015: 城镇 410, 农村 260
 * 元/人·月 (DOMAIN §17). Everything else (add-on rates, asset thresholds, 特困 multiple and care amounts, 临时救助
 * bands, medical-assistance rates and caps, price-subsidy formula) is a documented example from DOMAIN, chosen to
 * be plausible for 2015, and must be replaced by the bureau's own documents (DOMAIN §12: "do not invent amounts").
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { systemActor } from '../../domain/access/actor.ts';
import { kindOfProgram, parsePolicyBody } from '../../domain/policy/kinds.ts';
import { type ExistingVersion, planNewVersion } from '../../domain/policy/versions.ts';
import { appendAudit } from '../audit/audit.service.ts';

export interface DemoPolicyVersion {
  programCode: string;
  effectiveFrom: string;
  docNo: string;
  docTitle: string;
  body: Record<string, unknown>;
}

const FROM = '2015-01';
const DEMO = '（演示数据，非真实文件）';

const URBAN_STANDARD_FEN = 41_000; // DOMAIN §17: Guangdong class 4, 2015, 城镇 410 元
const RURAL_STANDARD_FEN = 26_000; // DOMAIN §17: Guangdong class 4, 2015, 农村 260 元

const yuan = { mode: 'half_up', unit: 'yuan' } as const;
const fen = { mode: 'half_up', unit: 'fen' } as const;

/** 低保 (DOMAIN §3.5, §4.4, §4.7). */
function dibao(standardFen: number, urban: boolean): Record<string, unknown> {
  return {
    standardFen,
    method: 'gap',
    bands: [],
    // No floor: none was found for Guangdong 2015 (DOMAIN §4.7 "not set nationally").
    floor: { kind: 'none' },
    // 分类施保: Guangdong's percentages are unverified (DOMAIN §12); these are the Jilin example of DOMAIN §4.7,
    // highest single add-on, not stacked.
    addOns: {
      stacking: 'highest',
      capAtStandard: false,
      items: [
        { category: 'serious_illness', label: '重病患者', rate: '0.3' },
        { category: 'severe_disability', label: '重度残疾人', rate: '0.2' },
        { category: 'elderly', label: '70周岁以上老年人', rate: '0.1', minAge: 70 },
      ],
    },
    // 1999 条例 Art. 8: no income, no work ability, no legal supporter → the full standard (DOMAIN §4.7).
    fullStandardCategories: ['sanwu', 'no_income_no_work_no_supporter'],
    income: {
      referenceMonths: 6, // DOMAIN §4.4: commonly the previous 6 or 12 months
      // DOMAIN §4.4: 优待抚恤金, 计划生育奖励扶助金, scholarships, 见义勇为 awards and social-assistance payments are not
      // income. The basic-pension exclusion is a 2021–2025 rule, so it is not in the 2015 list.
      exemptTypes: ['special_care', 'family_planning', 'scholarship', 'heroism_award', 'social_assistance'],
      employmentCostDeduction: null, // introduced by the 2020 意见 (DOMAIN §4.4), not in force in 2015
      imputed: null,
      workingAge: { from: 16, toMale: 60, toFemale: 55 },
    },
    // DOMAIN §3.5: the Guangdong rule table (published for edge families; used here as the demo's dibao rule).
    assets: [
      {
        category: 'financial_assets',
        perPersonMaxMonthsOfStandard: '24',
        standardBasis: 'urban',
        urbanStandardFen: URBAN_STANDARD_FEN,
      },
      { category: 'residential_property', maxCount: 1 },
      { category: 'non_residential_property', maxCount: 0 },
      {
        category: 'motor_vehicle',
        maxCount: 0,
        exemptTypes: ['disability_vehicle', 'fuel_motorcycle', 'ebike'],
      },
      { category: 'business_registration', maxCount: 0, exemptSmallFamilyShop: true },
    ],
    edgeIncomeMultiple: '1.5',
    rounding: { perCapitaIncome: fen, benefit: yuan, addOn: yuan },
    // 资金来源 (the seed report's problem (3)): dibao from the central subsidy, add-ons from the province; the urban
    // 三无 are the county's to fund.
    funding: {
      defaultSource: 'central',
      rules: [
        ...(urban ? [{ category: 'sanwu', source: 'county' }] : []),
        { component: 'dibao_addon', source: 'provincial' },
      ],
    },
  };
}

/**
 * 特困 (DOMAIN §5.5, §17). Basic living = 1.6 × the dibao standard, rounded up to whole yuan: 1.6 is Guangdong's
 * multiple since 2023-01-01 [S]; the 2015 multiple is NOT verified (DOMAIN §12). Care amounts are fixed tiers; the
 * 76 元 (the same for every tier in 2015) makes a rural person's total 416 + 76 = 492 元, the seed report's 五保 monthly
 * figure for 2015 (DOMAIN §17).
 */
function tekun(dibaoProgram: 'urban_dibao' | 'rural_dibao', urban: boolean): Record<string, unknown> {
  return {
    basic: {
      method: 'multiple_of_dibao',
      multiple: '1.6',
      dibaoProgram,
      rounding: { mode: 'up', unit: 'yuan' },
    },
    // 2015: one flat 五保 供养标准 for everyone (the seed report's "月补助492元"); care tiers by self-care ability came
    // with the 2016 特困 rules, so the three tiers carry the same amount here.
    care: { basis: 'fixed', tiers: { full_self_care: 7_600, partial_care: 7_600, full_care: 7_600 } },
    // Rural 五保: provincial funds, care by the county; urban 三无: the county (seed report, problem (3)).
    funding: urban
      ? { defaultSource: 'county', rules: [] }
      : { defaultSource: 'provincial', rules: [{ component: 'tekun_care', source: 'county' }] },
  };
}

/**
 * 临时救助 (DOMAIN §6.3, §6.4): bands in months of the household's dibao standard — the Wuwei example of 2–6 × the
 * standard for families, per person for 支出型 — caps, a yearly frequency limit, and town approval up to 3 months
 * of the standard (the Shenqiu example). Guangdong's multiples are unverified (DOMAIN §12).
 */
const temporaryAid = {
  standardBasis: 'household',
  bands: [
    { code: 'E1', label: '急难型一般困难', type: 'emergency', monthsOfStandard: '2', perPerson: false },
    { code: 'E2', label: '急难型较重困难', type: 'emergency', monthsOfStandard: '4', perPerson: false },
    { code: 'E3', label: '急难型严重困难', type: 'emergency', monthsOfStandard: '6', perPerson: false },
    { code: 'X1', label: '支出型一般困难', type: 'expenditure', monthsOfStandard: '1', perPerson: true },
    {
      code: 'X2',
      label: '支出型严重困难',
      type: 'expenditure',
      monthsOfStandard: '2',
      perPerson: true,
      capFen: 400_000,
    },
  ],
  typeCaps: { emergency: 300_000, expenditure: 500_000 },
  householdAnnualCapFen: 800_000,
  yearlyTimesLimit: 2,
  townApprovalLimit: { kind: 'months_of_standard', months: '3' },
  rounding: yuan,
  funding: { defaultSource: 'county', rules: [] },
};

/**
 * 医疗救助 (DOMAIN §7.2, 国办发〔2015〕30号): the basic insurance and 大病保险 payments come from the hospital's
 * settlement slip (no rules here: the claim gives them); assistance pays ≥70% of what is left for key groups within
 * an annual cap. Rates above 70% for 特困 and the caps are local examples.
 */
const medicalAid = {
  layers: [
    { payer: 'basic_insurance', label: '城乡居民基本医疗保险', byCategory: {} },
    { payer: 'critical_illness', label: '城乡居民大病保险', byCategory: {} },
    {
      payer: 'assistance',
      label: '医疗救助',
      byCategory: {
        tekun: { deductibleFen: 0, rate: '0.8', annualCapFen: 2_000_000 },
        dibao: { deductibleFen: 0, rate: '0.7', annualCapFen: 1_000_000 },
        edge: { deductibleFen: 100_000, rate: '0.5', annualCapFen: 500_000 },
        illness_poverty: { deductibleFen: 100_000, rate: '0.5', annualCapFen: 500_000 },
      },
    },
  ],
  rounding: fen,
  funding: { defaultSource: 'county', rules: [] },
};

/**
 * 价格临时补贴 (DOMAIN §8.1): in 2015 the 2011 mechanism applied — the Guangdong-looking rule of CPI ≥ 3% or food
 * ≥ 7% year on year (province attribution unverified), groups dibao, 五保 and 优抚对象 (urban 三无 added locally).
 * The 2011 rule's "3 consecutive months" and quarterly payment are not modelled: the engine judges each month
 * alone, as the 2016 rule does (DOMAIN §8.2). Amount = standard × rise, whole yuan, floor 10 元 (Guilin example).
 */
const priceSubsidy = {
  cpiThreshold: '3',
  foodThreshold: '7',
  whenBoth: 'higher',
  groups: ['urban_dibao', 'rural_dibao', 'rural_tekun', 'urban_tekun', 'special_care'],
  formula: { kind: 'standard_times_rise' },
  floorFen: 1_000,
  rounding: yuan,
  funding: { defaultSource: 'provincial', rules: [] },
};

export const DEMO_POLICY_VERSIONS: readonly DemoPolicyVersion[] = [
  {
    programCode: 'urban_dibao',
    effectiveFrom: FROM,
    docNo: '乳民〔2015〕演示1号',
    docTitle: `乳源瑶族自治县2015年城镇低保标准及计算办法${DEMO}`,
    body: dibao(URBAN_STANDARD_FEN, true),
  },
  {
    programCode: 'rural_dibao',
    effectiveFrom: FROM,
    docNo: '乳民〔2015〕演示2号',
    docTitle: `乳源瑶族自治县2015年农村低保标准及计算办法${DEMO}`,
    body: dibao(RURAL_STANDARD_FEN, false),
  },
  {
    programCode: 'urban_tekun',
    effectiveFrom: FROM,
    docNo: '乳民〔2015〕演示3号',
    docTitle: `乳源瑶族自治县城市“三无”人员供养标准${DEMO}`,
    body: tekun('urban_dibao', true),
  },
  {
    programCode: 'rural_tekun',
    effectiveFrom: FROM,
    docNo: '乳民〔2015〕演示4号',
    docTitle: `乳源瑶族自治县农村五保供养标准${DEMO}`,
    body: tekun('rural_dibao', false),
  },
  {
    programCode: 'temporary_aid',
    effectiveFrom: FROM,
    docNo: '乳民〔2015〕演示5号',
    docTitle: `乳源瑶族自治县临时救助标准${DEMO}`,
    body: temporaryAid,
  },
  {
    programCode: 'medical_aid',
    effectiveFrom: FROM,
    docNo: '乳民〔2015〕演示6号',
    docTitle: `乳源瑶族自治县城乡医疗救助实施办法${DEMO}`,
    body: medicalAid,
  },
  {
    programCode: 'price_subsidy',
    effectiveFrom: FROM,
    docNo: '乳民〔2015〕演示7号',
    docTitle: `乳源瑶族自治县社会救助和保障标准与物价上涨挂钩联动机制${DEMO}`,
    body: priceSubsidy,
  },
];

/**
 * Inserts the demo versions (validated like any entered version) with one audit entry for all of them. Skips a
 * program that already has a county version.
 */
export async function insertDemoPolicy(
  trx: Transaction<Database>,
  countyCode: string,
  now: Date,
): Promise<number> {
  const stamp = now.toISOString();
  const actor = systemActor(countyCode, 'seed');
  const inserted: string[] = [];
  for (const v of DEMO_POLICY_VERSIONS) {
    const kind = kindOfProgram(v.programCode);
    if (!kind) throw new Error(`demo policy: unknown program ${v.programCode}`);
    const parsed = parsePolicyBody(kind, v.body);
    if (!parsed.ok) {
      throw new Error(
        `demo policy ${v.programCode}: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      );
    }
    const existing = await trx
      .selectFrom('policy_parameter')
      .select(['id', 'effective_from', 'effective_to', 'doc_no', 'used_in_payment'])
      .where('county_code', '=', countyCode)
      .where('town_code', 'is', null)
      .where('program_code', '=', v.programCode)
      .execute();
    if (existing.length > 0) continue;
    const plan = planNewVersion(
      existing.map(
        (r): ExistingVersion => ({
          id: r.id,
          effectiveFrom: r.effective_from,
          effectiveTo: r.effective_to,
          docNo: r.doc_no,
          usedInPayment: r.used_in_payment === 1,
        }),
      ),
      { effectiveFrom: v.effectiveFrom, docNo: v.docNo },
    );
    if (!plan.ok) throw new Error(`demo policy ${v.programCode}: ${plan.reason}`);
    await trx
      .insertInto('policy_parameter')
      .values({
        county_code: countyCode,
        town_code: null,
        kind,
        program_code: v.programCode,
        effective_from: v.effectiveFrom,
        effective_to: null,
        doc_no: v.docNo,
        doc_title: v.docTitle,
        body: JSON.stringify(parsed.value),
        used_in_payment: 0,
        created_by: actor.username,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
    inserted.push(`${v.programCode}（${v.docNo}）`);
  }
  if (inserted.length > 0) {
    await appendAudit(
      trx,
      actor,
      {
        action: 'policy.create',
        entityType: 'policy_parameter',
        countyCode,
        detail: `演示数据：录入 ${inserted.length} 个政策参数版本（${FROM} 起）：${inserted.join('、')}`,
      },
      now,
    );
  }
  return inserted.length;
}
