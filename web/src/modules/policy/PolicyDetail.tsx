import { Descriptions, Typography } from 'antd';
import type { ReactNode } from 'react';
import { COMPONENTS, FUND_SOURCES } from '../../../../src/domain/benefit/components.ts';
import {
  INCOME_TYPES,
  type IncomeType,
  VEHICLE_TYPES,
  type VehicleType,
} from '../../../../src/domain/policy/dibao.params.ts';
import type { PolicyBody, PolicyKind } from '../../../../src/domain/policy/kinds.ts';
import { MEDICAL_CATEGORIES, MEDICAL_PAYERS } from '../../../../src/domain/policy/medical-aid.params.ts';
import { PRICE_SUBSIDY_GROUPS } from '../../../../src/domain/policy/price-subsidy.params.ts';
import { SELF_CARE_LABELS } from '../../../../src/domain/policy/tekun.params.ts';
import {
  AID_TYPE_LABELS,
  DIBAO_CATEGORY_LABELS,
  DIBAO_PROGRAM_LABELS,
  formulaText,
  fractionOrShare,
  roundingLabel,
  shareText,
  yuan,
} from './format.ts';

type Body<K extends PolicyKind> = PolicyBody<K>;
type Funding = Body<'dibao'>['funding'];

interface Section {
  title: string;
  items: { label: string; value: ReactNode }[];
}

const STD = (fen: number) => `${yuan(fen)} 元/人·月`;

function fundingItems(f: Funding): Section {
  const rules = f.rules ?? [];
  return {
    title: '资金来源',
    items: [
      { label: '默认', value: `${FUND_SOURCES[f.defaultSource]}资金` },
      ...rules.map((r, i) => {
        const what = [
          r.component ? (COMPONENTS[r.component as keyof typeof COMPONENTS] ?? r.component) : null,
          r.category ? (DIBAO_CATEGORY_LABELS[r.category] ?? r.category) : null,
        ]
          .filter(Boolean)
          .join('、');
        return { label: `规则 ${i + 1}`, value: `${what || '全部'}：${FUND_SOURCES[r.source]}资金` };
      }),
    ],
  };
}

function assetRuleText(rule: Body<'dibao'>['assets'][number]): { label: string; value: string } {
  switch (rule.category) {
    case 'financial_assets': {
      const basis = rule.standardBasis === 'urban' ? '城市低保标准' : '本项目低保标准';
      const amount = rule.urbanStandardFen !== undefined ? `（${yuan(rule.urbanStandardFen)} 元）` : '';
      return {
        label: '金融资产',
        value: `人均不超过 ${rule.perPersonMaxMonthsOfStandard} 个月的${basis}${rule.standardBasis === 'urban' ? amount : ''}`,
      };
    }
    case 'residential_property':
      return { label: '住房', value: `不超过 ${rule.maxCount} 套` };
    case 'non_residential_property':
      return { label: '非住宅类房产', value: `不超过 ${rule.maxCount} 处（商铺、车库车位、写字楼等）` };
    case 'motor_vehicle': {
      const exempt = (rule.exemptTypes ?? []).map((t) => VEHICLE_TYPES[t as VehicleType]).join('、');
      return { label: '机动车辆', value: `不超过 ${rule.maxCount} 辆${exempt ? `（${exempt}不计）` : ''}` };
    }
    case 'business_registration':
      return {
        label: '工商登记',
        value: `不超过 ${rule.maxCount} 户${rule.exemptSmallFamilyShop ? '（无雇工的夫妻小店视同无登记）' : ''}`,
      };
  }
}

function dibaoSections(b: Body<'dibao'>): Section[] {
  const inc = b.income;
  const emp = inc.employmentCostDeduction;
  const imp = inc.imputed;
  return [
    {
      title: '标准与计算方式',
      items: [
        { label: '低保标准', value: STD(b.standardFen) },
        {
          label: '计算方式',
          value:
            b.method === 'gap'
              ? '差额补助：（低保标准 − 家庭月人均收入）× 计入人数'
              : '分档补助：按家庭所属档次的金额 × 计入人数',
        },
        ...(b.method === 'band'
          ? b.bands.map((x) => ({ label: `档次 ${x.code}`, value: `${x.label}：${STD(x.amountFen)}` }))
          : []),
        {
          label: '保底',
          value:
            b.floor.kind === 'none'
              ? '不设保底'
              : b.floor.kind === 'per_person'
                ? `每人每月不低于 ${yuan(b.floor.amountFen)} 元`
                : `每人每月不低于低保标准的 ${shareText(b.floor.rate)}`,
        },
        {
          label: '全额保障',
          value: b.fullStandardCategories.length
            ? `${b.fullStandardCategories.map((c) => DIBAO_CATEGORY_LABELS[c] ?? c).join('；')}：按低保标准全额发放`
            : '无',
        },
        { label: '低保边缘家庭', value: `月人均收入低于低保标准的 ${b.edgeIncomeMultiple} 倍` },
      ],
    },
    {
      title: '分类施保',
      items: [
        {
          label: '叠加方式',
          value: b.addOns.stacking === 'sum' ? '累加' : '就高，不叠加',
        },
        { label: '每人封顶', value: b.addOns.capAtStandard ? '不超过低保标准' : '不封顶' },
        ...b.addOns.items.map((item) => ({
          label: item.label,
          value:
            (item.rate !== undefined
              ? `低保标准的 ${shareText(item.rate)}（每人每月）`
              : `每人每月 ${yuan(item.amountFen ?? 0)} 元`) +
            (item.minAge !== undefined ? `，${item.minAge} 周岁起` : ''),
        })),
      ],
    },
    {
      title: '收入核算',
      items: [
        { label: '计算期', value: `申请前 ${inc.referenceMonths} 个月` },
        {
          label: '不计入收入',
          value: inc.exemptTypes.map((t) => INCOME_TYPES[t as IncomeType]).join('、') || '无',
        },
        {
          label: '就业成本扣减',
          value: !emp
            ? '不扣减'
            : 'rate' in emp
              ? `每名就业成员每月扣减低保标准的 ${shareText(emp.rate)}`
              : `每名就业成员每月扣减 ${yuan(emp.amountFen)} 元`,
        },
        {
          label: '虚拟收入',
          value: !imp
            ? '不计算'
            : imp.kind === 'amount'
              ? `有劳动能力而无工资收入的劳动年龄成员每月按 ${yuan(imp.amountFen)} 元计`
              : `有劳动能力而无工资收入的劳动年龄成员每月按最低工资 ${yuan(imp.minimumWageFen)} 元的 ${shareText(imp.rate)} 计`,
        },
        {
          label: '劳动年龄',
          value: `${inc.workingAge.from} 周岁至男 ${inc.workingAge.toMale} 周岁、女 ${inc.workingAge.toFemale} 周岁`,
        },
      ],
    },
    { title: '家庭财产', items: b.assets.map(assetRuleText) },
    {
      title: '取整',
      items: [
        { label: '月人均收入', value: roundingLabel(b.rounding.perCapitaIncome) },
        { label: '低保金', value: roundingLabel(b.rounding.benefit) },
        { label: '分类施保', value: roundingLabel(b.rounding.addOn) },
      ],
    },
    fundingItems(b.funding),
  ];
}

function tekunSections(b: Body<'tekun'>): Section[] {
  const basic = b.basic;
  const care = b.care;
  return [
    {
      title: '基本生活标准',
      items:
        basic.method === 'fixed'
          ? [
              { label: '集中供养', value: `${yuan(basic.concentratedFen)} 元/人·月` },
              { label: '分散供养', value: `${yuan(basic.dispersedFen)} 元/人·月` },
            ]
          : [
              {
                label: '计算方式',
                value: `当月${DIBAO_PROGRAM_LABELS[basic.dibaoProgram]}标准的 ${basic.multiple} 倍`,
              },
              ...(basic.floorFen !== undefined
                ? [{ label: '不低于', value: `${yuan(basic.floorFen)} 元/人·月（原标准）` }]
                : []),
              { label: '取整', value: roundingLabel(basic.rounding) },
            ],
    },
    {
      title: '照料护理标准',
      items:
        care.basis === 'fixed'
          ? Object.entries(care.tiers).map(([t, fen]) => ({
              label: SELF_CARE_LABELS[t as keyof typeof SELF_CARE_LABELS],
              value: `${yuan(fen)} 元/人·月`,
            }))
          : [
              { label: '最低工资标准', value: `${yuan(care.minimumWageFen)} 元/月` },
              ...Object.entries(care.tiers).map(([t, r]) => ({
                label: SELF_CARE_LABELS[t as keyof typeof SELF_CARE_LABELS],
                value: `最低工资的 ${fractionOrShare(r)}`,
              })),
              { label: '取整', value: roundingLabel(care.rounding) },
            ],
    },
    fundingItems(b.funding),
  ];
}

function temporaryAidSections(b: Body<'temporary_aid'>): Section[] {
  const basis =
    b.standardBasis === 'household'
      ? '家庭所在地（城市或农村）低保标准'
      : `${DIBAO_PROGRAM_LABELS[b.standardBasis]}标准`;
  return [
    {
      title: '救助档次',
      items: [
        { label: '计算基数', value: `月${basis}` },
        ...b.bands.map((x) => ({
          label: `${x.code} ${x.label}`,
          value: `${AID_TYPE_LABELS[x.type]}，${x.monthsOfStandard} 个月标准${x.perPerson ? ' × 家庭人口数' : ''}${
            x.capFen !== undefined ? `，最高 ${yuan(x.capFen)} 元` : ''
          }`,
        })),
      ],
    },
    {
      title: '上限与审批',
      items: [
        ...(b.typeCaps.emergency !== undefined
          ? [{ label: '急难型上限', value: `${yuan(b.typeCaps.emergency)} 元/次` }]
          : []),
        ...(b.typeCaps.expenditure !== undefined
          ? [{ label: '支出型上限', value: `${yuan(b.typeCaps.expenditure)} 元/次` }]
          : []),
        ...(b.householdAnnualCapFen !== undefined
          ? [{ label: '家庭年度上限', value: `${yuan(b.householdAnnualCapFen)} 元` }]
          : []),
        ...(b.yearlyTimesLimit !== undefined
          ? [{ label: '年度救助次数', value: `不超过 ${b.yearlyTimesLimit} 次` }]
          : []),
        {
          label: '乡镇审批',
          value:
            b.townApprovalLimit.kind === 'months_of_standard'
              ? `不超过 ${b.townApprovalLimit.months} 个月低保标准的，由乡镇审批；超过的报县级审批`
              : `不超过 ${yuan(b.townApprovalLimit.amountFen)} 元的，由乡镇审批；超过的报县级审批`,
        },
        { label: '取整', value: roundingLabel(b.rounding) },
      ],
    },
    fundingItems(b.funding),
  ];
}

function medicalAidSections(b: Body<'medical_aid'>): Section[] {
  return [
    ...b.layers.map((layer, i) => {
      const cats = Object.entries(layer.byCategory);
      return {
        title: `第 ${i + 1} 层：${layer.label}（${MEDICAL_PAYERS[layer.payer]}）`,
        items: cats.length
          ? cats.map(([c, r]) => ({
              label: MEDICAL_CATEGORIES[c as keyof typeof MEDICAL_CATEGORIES] ?? c,
              value: `起付线 ${yuan(r.deductibleFen)} 元，支付 ${shareText(r.rate)}，${
                r.annualCapFen === null ? '不设年度限额' : `年度限额 ${yuan(r.annualCapFen)} 元`
              }`,
            }))
          : [{ label: '支付', value: '按医保结算单的实际支付金额' }],
      };
    }),
    { title: '取整', items: [{ label: '救助金额', value: roundingLabel(b.rounding) }] },
    fundingItems(b.funding),
  ];
}

function priceSubsidySections(b: Body<'price_subsidy'>): Section[] {
  const both = { higher: '取较高的涨幅', cpi: '取 CPI 涨幅', food: '取食品价格涨幅' } as const;
  return [
    {
      title: '启动条件',
      items: [
        { label: '居民消费价格指数（CPI）', value: `单月同比涨幅 ≥ ${b.cpiThreshold}%` },
        { label: '食品价格指数', value: `单月同比涨幅 ≥ ${b.foodThreshold}%` },
        { label: '两者同时达到', value: both[b.whenBoth] },
      ],
    },
    {
      title: '补贴标准',
      items: [
        { label: '计算公式', value: formulaText(b.formula) },
        { label: '最低补贴', value: `${yuan(b.floorFen)} 元/人·月` },
        { label: '取整', value: roundingLabel(b.rounding) },
        { label: '保障对象', value: b.groups.map((g) => PRICE_SUBSIDY_GROUPS[g]).join('、') },
      ],
    },
    fundingItems(b.funding),
  ];
}

export function policySections(kind: PolicyKind, body: unknown): Section[] | null {
  try {
    switch (kind) {
      case 'dibao':
        return dibaoSections(body as Body<'dibao'>);
      case 'tekun':
        return tekunSections(body as Body<'tekun'>);
      case 'temporary_aid':
        return temporaryAidSections(body as Body<'temporary_aid'>);
      case 'medical_aid':
        return medicalAidSections(body as Body<'medical_aid'>);
      case 'price_subsidy':
        return priceSubsidySections(body as Body<'price_subsidy'>);
    }
  } catch {
    return null;
  }
}

/** A version's parameters in readable form: one titled block per section. */
export function PolicyDetail({ kind, body }: { kind: PolicyKind; body: unknown }) {
  const sections = policySections(kind, body);
  if (!sections) return <Typography.Text type="danger">参数格式无法识别，请查看原始 JSON。</Typography.Text>;
  return (
    <div data-testid="policy-detail">
      {sections
        .filter((s) => s.items.length > 0)
        .map((s) => (
          <Descriptions
            key={s.title}
            title={s.title}
            size="small"
            bordered
            column={1}
            style={{ marginBottom: 16 }}
            items={s.items.map((it, i) => ({ key: `${i}`, label: it.label, children: it.value }))}
          />
        ))}
    </div>
  );
}
