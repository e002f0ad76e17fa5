/**
 * The department data sources of the verification platform (DOMAIN §3.1, §3.4, §9, §11): which department holds
 * what about a person. Each source has one versioned file/connector layout (layouts.ts); every row is normalised
 * into a DeptRecord whose fields mean, per source, what docs/verification-layouts.md says.
 */

export interface SourceInfo {
  /** Chinese name shown to users. */
  label: string;
  /** The department that supplies it. */
  department: string;
  /** What it says about a person (Chinese). */
  description: string;
}

export const SOURCES = {
  hukou: {
    label: '公安户籍',
    department: '公安机关',
    description: '户籍登记：户口性质、户号、户籍状态（迁出、注销）',
  },
  death: {
    label: '殡葬/死亡',
    department: '民政殡葬管理机构、卫生健康部门、公安机关',
    description: '死亡信息：火化、土葬或户籍注销，死亡日期',
  },
  marriage: {
    label: '婚姻登记',
    department: '民政婚姻登记机关',
    description: '结婚、离婚登记及配偶身份证号码',
  },
  real_estate: {
    label: '不动产登记',
    department: '自然资源部门（不动产登记机构）',
    description: '住宅、非住宅类房产（商铺、车库车位、写字楼等）登记',
  },
  vehicle: {
    label: '车辆登记',
    department: '公安交通管理部门',
    description: '机动车登记：车辆类型、号牌、状态（正常、报废）',
  },
  business: {
    label: '市场主体登记',
    department: '市场监督管理部门',
    description: '个体工商户、企业登记及出资情况',
  },
  tax: {
    label: '税务',
    department: '税务部门',
    description: '个人所得税纳税记录：工资薪金、经营所得、财产性所得',
  },
  social_insurance: {
    label: '社会保险',
    department: '人力资源社会保障部门',
    description: '社会保险缴费基数、职工养老金、城乡居民基础养老金、失业保险金',
  },
  housing_fund: {
    label: '住房公积金',
    department: '住房公积金管理中心',
    description: '住房公积金缴存：月缴存额、余额、缴存单位',
  },
  bank_deposit: {
    label: '银行存款',
    department: '银行业金融机构',
    description: '活期、定期存款余额',
  },
  securities: {
    label: '证券',
    department: '证券公司、证券登记结算机构',
    description: '股票、基金、债券市值',
  },
  commercial_insurance: {
    label: '商业保险',
    department: '保险公司',
    description: '商业保险保单及现金价值（储蓄型、保障型）',
  },
  public_payroll: {
    label: '财政供养人员',
    department: '财政部门、机构编制部门',
    description: '机关事业单位在编人员及月工资',
  },
  low_income: {
    label: '低收入人口库',
    department: '民政部门（低收入人口动态监测信息平台）',
    description: '低收入人口监测：低保边缘、刚性支出困难、其他监测对象，申报的家庭月人均收入（DOMAIN §11）',
  },
} as const satisfies Record<string, SourceInfo>;

export type SourceCode = keyof typeof SOURCES;
export const SOURCE_CODES = Object.keys(SOURCES) as SourceCode[];

export function isSourceCode(v: string): v is SourceCode {
  return Object.hasOwn(SOURCES, v);
}

/** The Chinese label of a source code (the code itself when unknown). */
export function sourceLabel(code: string): string {
  return isSourceCode(code) ? SOURCES[code].label : code;
}

/**
 * One dept_record / sim_dept_record row, normalised (contract §1; meaning of each field per source in
 * docs/verification-layouts.md). Money in integer fen; dates ISO YYYY-MM-DD.
 */
export interface DeptRecord {
  sourceCode: SourceCode;
  idNumber: string;
  name: string;
  kind: string;
  status: string | null;
  amountFen: number | null;
  monthlyFen: number | null;
  eventDate: string | null;
  exempt: boolean;
  ref: string | null;
  data: Record<string, string | number | boolean | null>;
}
