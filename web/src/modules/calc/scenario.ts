/**
 * The 政策测算 form's values and the scenario they become (the format of POST /api/v1/calc, docs/calc.md).
 * Amounts are typed in 元 as strings and become integer fen here, exactly.
 */
import type { Dayjs } from 'dayjs';
import type { ExplanationLine } from '../../../../src/domain/benefit/explanation.ts';
import { yuanToFen } from '../../../../src/domain/money/money.ts';

export type Engine = 'dibao' | 'tekun' | 'temporary_aid' | 'medical_aid' | 'price_subsidy';

export const ENGINES: { value: Engine; label: string; programs: { code: string; name: string }[] }[] = [
  {
    value: 'dibao',
    label: '低保',
    programs: [
      { code: 'rural_dibao', name: '农村低保' },
      { code: 'urban_dibao', name: '城市低保' },
    ],
  },
  {
    value: 'tekun',
    label: '特困供养',
    programs: [
      { code: 'rural_tekun', name: '农村特困（五保）' },
      { code: 'urban_tekun', name: '城市特困' },
    ],
  },
  { value: 'temporary_aid', label: '临时救助', programs: [{ code: 'temporary_aid', name: '临时救助' }] },
  { value: 'medical_aid', label: '医疗救助', programs: [{ code: 'medical_aid', name: '医疗救助' }] },
  {
    value: 'price_subsidy',
    label: '价格临时补贴',
    programs: [{ code: 'price_subsidy', name: '价格临时补贴' }],
  },
];

/** Member flags shown as checkboxes: booleans of the engine input, or recorded categories. */
export const MEMBER_FLAGS = [
  { value: 'sanwu', label: '“三无”人员' },
  { value: 'noSupporter', label: '无法定赡养抚养扶养人' },
  { value: 'seriousIllness', label: '重病患者' },
  { value: 'severe_disability', label: '重度残疾' },
  { value: 'disability', label: '残疾（非重度）' },
  { value: 'single_parent', label: '单亲家庭' },
  { value: 'student', label: '在校学生' },
  { value: 'employed', label: '就业' },
  { value: 'notCounted', label: '不计入保障人口（服刑、出家等）' },
] as const;
type Flag = (typeof MEMBER_FLAGS)[number]['value'];

export interface IncomeRow {
  type?: string;
  amountYuan?: string | null;
  note?: string;
}

export interface MemberValues {
  name?: string;
  sex?: 'M' | 'F';
  age?: number | null;
  birthDate?: Dayjs | null;
  labourCapacity?: 'full' | 'partial' | 'none';
  flags?: Flag[];
  incomes?: IncomeRow[];
}

export interface DibaoValues {
  members?: MemberValues[];
  householdIncomes?: IncomeRow[];
  financialYuan?: string | null;
  residential?: number | null;
  nonResidential?: number | null;
  vehicles?: { type?: string }[];
  businesses?: number | null;
  smallShops?: number | null;
  singlePerson?: number | 'none';
  bandCode?: string;
}

export interface CalcValues {
  engine: Engine;
  programCode: string;
  month?: Dayjs;
  townCode?: string;
  source: 'database' | 'inline';
  policyJson?: string;
  dibao?: DibaoValues;
  tekun?: { supportMode?: string; selfCare?: string };
  temporary_aid?: {
    bandCode?: string;
    persons?: number | null;
    dibaoProgram?: string;
    requestedYuan?: string | null;
    paidThisYearYuan?: string | null;
    timesThisYear?: number | null;
  };
  medical_aid?: {
    category?: string;
    billYuan?: string | null;
    eligibleYuan?: string | null;
    basicInsuranceYuan?: string | null;
    criticalIllnessYuan?: string | null;
    assistanceThisYearYuan?: string | null;
  };
  price_subsidy?: { group?: string; cpiYoY?: string; foodYoY?: string; dibaoProgram?: string };
}

const fen = (y: string | null | undefined): number =>
  y === undefined || y === null || y === '' ? 0 : yuanToFen(String(y));
const optFen = (y: string | null | undefined): number | undefined =>
  y === undefined || y === null || y === '' ? undefined : yuanToFen(String(y));

function incomes(rows: IncomeRow[] | undefined) {
  return (rows ?? [])
    .filter((r) => r.type && r.amountYuan !== undefined && r.amountYuan !== null && r.amountYuan !== '')
    .map((r) => ({
      type: r.type,
      amountFen: fen(r.amountYuan),
      ...(r.note?.trim() ? { note: r.note.trim() } : {}),
    }));
}

function dibaoInput(v: DibaoValues, month: string): Record<string, unknown> {
  const members = (v.members ?? []).map((m) => {
    const flags = new Set(m.flags ?? []);
    const categories = (['severe_disability', 'disability', 'single_parent'] as const).filter((c) =>
      flags.has(c),
    );
    return {
      ...(m.name?.trim() ? { name: m.name.trim() } : {}),
      sex: m.sex ?? 'M',
      ...(m.birthDate ? { birthDate: m.birthDate.format('YYYY-MM-DD') } : {}),
      ...(!m.birthDate && m.age !== undefined && m.age !== null ? { age: m.age } : {}),
      counted: !flags.has('notCounted'),
      categories,
      seriousIllness: flags.has('seriousIllness'),
      ...(m.labourCapacity ? { labourCapacity: m.labourCapacity } : {}),
      employed: flags.has('employed'),
      student: flags.has('student'),
      sanwu: flags.has('sanwu'),
      noSupporter: flags.has('noSupporter'),
      incomes: incomes(m.incomes),
    };
  });
  return {
    members,
    householdIncomes: incomes(v.householdIncomes),
    assets: {
      financialAssetsFen: fen(v.financialYuan),
      residentialProperties: v.residential ?? 0,
      nonResidentialProperties: v.nonResidential ?? 0,
      vehicles: (v.vehicles ?? []).filter((x) => x.type).map((x) => ({ type: x.type })),
      businessRegistrations: [
        ...Array.from({ length: Math.max(0, (v.businesses ?? 0) - (v.smallShops ?? 0)) }, () => ({
          smallFamilyShop: false,
        })),
        ...Array.from({ length: Math.min(v.smallShops ?? 0, v.businesses ?? 0) }, () => ({
          smallFamilyShop: true,
        })),
      ],
    },
    singlePerson: typeof v.singlePerson === 'number' ? { personIndex: v.singlePerson } : null,
    ...(v.bandCode ? { bandCode: v.bandCode } : {}),
    asOfMonth: month,
  };
}

/** The scenario of the form. Throws an Error with a Chinese message when the inline parameters are not JSON. */
export function buildScenario(v: CalcValues, month: string): Record<string, unknown> {
  let policy: unknown;
  if (v.source === 'inline') {
    try {
      policy = JSON.parse(v.policyJson ?? '');
    } catch (e) {
      throw new Error(`自定义参数不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    policy = {
      fromDatabase: { programCode: v.programCode, ...(v.townCode ? { townCode: v.townCode } : {}) },
    };
  }
  const base = {
    engine: v.engine,
    month,
    ...(v.townCode ? { area: { townCode: v.townCode } } : {}),
    policy,
  };
  switch (v.engine) {
    case 'dibao':
      return { ...base, input: dibaoInput(v.dibao ?? {}, month) };
    case 'tekun':
      return { ...base, input: { supportMode: v.tekun?.supportMode, selfCare: v.tekun?.selfCare } };
    case 'temporary_aid': {
      const t = v.temporary_aid ?? {};
      return {
        ...base,
        ...(t.dibaoProgram ? { dibaoProgram: t.dibaoProgram } : {}),
        input: {
          bandCode: t.bandCode,
          persons: t.persons ?? 1,
          ...(optFen(t.requestedYuan) !== undefined ? { requestedFen: optFen(t.requestedYuan) } : {}),
          ...(optFen(t.paidThisYearYuan) !== undefined
            ? { paidThisYearFen: optFen(t.paidThisYearYuan) }
            : {}),
          ...(t.timesThisYear !== undefined && t.timesThisYear !== null
            ? { timesThisYear: t.timesThisYear }
            : {}),
        },
      };
    }
    case 'medical_aid': {
      const m = v.medical_aid ?? {};
      const paid = {
        ...(optFen(m.basicInsuranceYuan) !== undefined
          ? { basic_insurance: optFen(m.basicInsuranceYuan) }
          : {}),
        ...(optFen(m.criticalIllnessYuan) !== undefined
          ? { critical_illness: optFen(m.criticalIllnessYuan) }
          : {}),
      };
      return {
        ...base,
        input: {
          category: m.category,
          billFen: fen(m.billYuan),
          eligibleFen: fen(m.eligibleYuan),
          ...(Object.keys(paid).length ? { paidByPayer: paid } : {}),
          paidThisYear:
            optFen(m.assistanceThisYearYuan) !== undefined
              ? { assistance: optFen(m.assistanceThisYearYuan) }
              : {},
        },
      };
    }
    case 'price_subsidy': {
      const p = v.price_subsidy ?? {};
      return {
        ...base,
        ...(p.dibaoProgram ? { dibaoProgram: p.dibaoProgram } : {}),
        input: {
          group: p.group,
          cpiYoY: p.cpiYoY?.trim() ? p.cpiYoY.trim() : null,
          foodYoY: p.foodYoY?.trim() ? p.foodYoY.trim() : null,
        },
      };
    }
  }
}

/** What POST /api/v1/calc returns. */
export interface CalcResult {
  engine: Engine;
  month: string;
  policy: {
    source: 'inline' | 'database';
    versionId?: number;
    docNo?: string;
    programCode?: string;
    effectiveFrom?: string;
    townCode?: string | null;
  };
  dibaoStandard?: {
    program: string;
    standardFen: number;
    source: string;
    versionId?: number;
    docNo?: string;
  };
  result: Record<string, unknown>;
  explanation: ExplanationLine[];
}

export interface DibaoResult {
  eligible: boolean;
  refusals: { code: string; rule: string; text: string }[];
  periodIncomeFen: number;
  monthlyPerCapitaIncomeFen: number;
  householdPerCapitaIncomeFen: number;
  membersCounted: number;
  benefit: {
    totalFen: number;
    components: { component: 'dibao_base' | 'dibao_addon'; amountFen: number; personIndex?: number }[];
  } | null;
  edgeFamily: boolean;
}

/** 'input.members[1].incomes[0].amountFen' → '成员2 收入第1行 金额' (the server's field paths, for clerks). */
export function fieldLabel(field: string): string {
  const words: Record<string, string> = {
    age: '年龄',
    birthDate: '出生日期',
    sex: '性别',
    amountFen: '金额',
    type: '类型',
    financialAssetsFen: '金融资产',
    bandCode: '档次',
    persons: '家庭人口数',
    billFen: '医疗总费用',
    eligibleFen: '政策范围内费用',
    paidByPayer: '医保已支付',
    cpiYoY: 'CPI 同比涨幅',
    foodYoY: '食品价格同比涨幅',
    group: '保障对象类别',
    supportMode: '供养方式',
    selfCare: '生活自理能力',
    category: '人员类别',
    personIndex: '单人保成员',
    dibaoProgram: '低保标准（城市或农村）',
  };
  return field
    .replace(/^input\./, '')
    .replace(/members\[(\d+)\]/g, (_, i: string) => `成员${Number(i) + 1} `)
    .replace(/householdIncomes\[(\d+)\]/g, (_, i: string) => `家庭共同收入第${Number(i) + 1}行 `)
    .replace(/incomes\[(\d+)\]/g, (_, i: string) => `收入第${Number(i) + 1}行 `)
    .replace(/\b([A-Za-z]+)\b/g, (w: string) => words[w] ?? w)
    .replace(/\s*\.\s*/g, ' ')
    .trim();
}
