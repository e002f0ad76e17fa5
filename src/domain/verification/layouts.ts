/**
 * File and connector layouts of the department sources (DOMAIN §3.1, §3.4; contract §1). One documented,
 * versioned layout per source: the columns a department's file (xlsx/csv/json) or connector answer carries,
 * and how a row becomes a normalised DeptRecord. docs/verification-layouts.md documents every column
 * (layouts-doc.test.ts keeps it in step).
 *
 * Version rule: a layout is frozen once published ('v1'). A change of columns is a new version with its own
 * layout; files written in an older version stay readable by their version.
 */
import { isIsoDate } from '../calendar/dates.ts';
import { maskBankAccount } from '../household/masking.ts';
import { validateResidentId } from '../identity/resident-id.ts';
import { yuanToFen } from '../money/money.ts';
import { VEHICLE_TYPES } from '../policy/dibao.params.ts';
import { type DeptRecord, SOURCES, type SourceCode } from './sources.ts';

export type ColumnType = 'text' | 'id_number' | 'date' | 'yuan' | 'int' | 'enum' | 'bool';

export const COLUMN_TYPE_LABELS: Record<ColumnType, string> = {
  text: '文本',
  id_number: '身份证号码',
  date: '日期（YYYY-MM-DD）',
  yuan: '金额（元，最多两位小数）',
  int: '整数',
  enum: '代码（中文名称或代码）',
  bool: '是/否',
};

/** The normalised DeptRecord field a column fills; columns without one go to `data`. */
export type RecordField = 'kind' | 'status' | 'amountFen' | 'monthlyFen' | 'eventDate' | 'exempt' | 'ref';

export interface LayoutColumn {
  /** The key a connector sends and a file may use as its header. */
  key: string;
  /** The Chinese header of a file. */
  header: string;
  required: boolean;
  type: ColumnType;
  /** enum columns: Chinese label → code (several labels may give one code). */
  values?: Record<string, string>;
  /** What the column holds (Chinese). */
  meaning: string;
  field?: RecordField;
  /** text columns: a regular expression the value must match, and its Chinese description. */
  pattern?: string;
  patternHint?: string;
}

export interface Layout {
  source: SourceCode;
  version: 'v1';
  columns: LayoutColumn[];
  /** The kind of every record when the layout has no kind column (e.g. housing_fund 'contribution'). */
  fixedKind?: string;
}

/** row = 1-based row of the file (the header row is 1); column = the Chinese header. */
export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The layouts (v1)

const ID: LayoutColumn = {
  key: 'id_number',
  header: '身份证号码',
  required: true,
  type: 'id_number',
  meaning: '公民身份号码（18位；15位旧号码自动升位）',
};
const NAME: LayoutColumn = { key: 'name', header: '姓名', required: true, type: 'text', meaning: '姓名' };

function col(
  key: string,
  header: string,
  required: boolean,
  type: ColumnType,
  meaning: string,
  extra: Partial<Pick<LayoutColumn, 'values' | 'field' | 'pattern' | 'patternHint'>> = {},
): LayoutColumn {
  return { key, header, required, type, meaning, ...extra };
}

const vehicleValues: Record<string, string> = {
  ...Object.fromEntries(Object.entries(VEHICLE_TYPES).map(([code, label]) => [label, code])),
  小型客车: 'car',
  轿车: 'car',
  摩托车: 'fuel_motorcycle',
  残疾人专用车: 'disability_vehicle',
};

const LAYOUTS: Record<SourceCode, Layout> = {
  hukou: {
    source: 'hukou',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('hukou_type', '户口性质', true, 'enum', '户口性质：城镇（非农业）或农村（农业）', {
        field: 'kind',
        values: {
          城镇: 'urban',
          非农业: 'urban',
          非农业户口: 'urban',
          农村: 'rural',
          农业: 'rural',
          农业户口: 'rural',
        },
      }),
      col('hukou_status', '户籍状态', true, 'enum', '户籍状态：正常、迁出、注销', {
        field: 'status',
        values: { 正常: 'normal', 迁出: 'moved_out', 注销: 'cancelled' },
      }),
      col('household_no', '户号', true, 'text', '户籍户号（同一户口簿的成员户号相同）', { field: 'ref' }),
      col('registered_on', '登记日期', false, 'date', '在本户登记（迁入）的日期', { field: 'eventDate' }),
      col('relation_to_head', '与户主关系', false, 'text', '与户主关系，如 户主、配偶、子、女'),
      col('address', '户籍地址', false, 'text', '户籍地详细地址'),
    ],
  },
  death: {
    source: 'death',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('death_type', '信息类别', true, 'enum', '死亡信息来源：火化、土葬（殡葬）或户籍注销（公安）', {
        field: 'kind',
        values: { 火化: 'cremation', 土葬: 'burial', 户籍注销: 'police_cancel', 死亡注销: 'police_cancel' },
      }),
      col('death_date', '死亡日期', true, 'date', '死亡日期', { field: 'eventDate' }),
      col('certificate_no', '证明编号', false, 'text', '火化证明、死亡医学证明或注销证明编号', {
        field: 'ref',
      }),
      col('place', '死亡地点', false, 'text', '死亡地点或殡仪馆'),
    ],
  },
  marriage: {
    source: 'marriage',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('marriage_type', '登记类别', true, 'enum', '婚姻登记类别：结婚、离婚', {
        field: 'kind',
        values: { 结婚: 'married', 结婚登记: 'married', 离婚: 'divorced', 离婚登记: 'divorced' },
      }),
      col('registered_on', '登记日期', true, 'date', '婚姻登记日期', { field: 'eventDate' }),
      col('spouse_id_number', '配偶身份证号码', true, 'id_number', '配偶的公民身份号码', { field: 'ref' }),
      col('spouse_name', '配偶姓名', false, 'text', '配偶姓名'),
      col('registry', '登记机关', false, 'text', '办理登记的婚姻登记机关'),
    ],
  },
  real_estate: {
    source: 'real_estate',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('property_use', '房屋用途', true, 'enum', '住宅，或非住宅（商铺、车库车位、写字楼等）', {
        field: 'kind',
        values: {
          住宅: 'residential',
          非住宅: 'non_residential',
          商铺: 'non_residential',
          商业: 'non_residential',
          车库车位: 'non_residential',
          车位: 'non_residential',
          写字楼: 'non_residential',
          办公: 'non_residential',
        },
      }),
      col('certificate_no', '不动产权证号', true, 'text', '不动产权证书号（或房屋所有权证号）', {
        field: 'ref',
      }),
      col('registered_on', '登记日期', false, 'date', '不动产登记日期', { field: 'eventDate' }),
      col('area_m2', '建筑面积（平方米）', false, 'text', '建筑面积，平方米，最多两位小数', {
        pattern: '^\\d{1,7}(\\.\\d{1,2})?$',
        patternHint: '应为数字，最多两位小数，如 89.50',
      }),
      col('address', '坐落', false, 'text', '不动产坐落地址'),
      col(
        'not_counted',
        '是否不计入',
        false,
        'bool',
        '是 = 泥砖房或祖屋且不作居住使用，不计入住房（DOMAIN §3.5 揭阳）',
        {
          field: 'exempt',
        },
      ),
    ],
  },
  vehicle: {
    source: 'vehicle',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('vehicle_type', '车辆类型', true, 'enum', '车辆类型；残疾人机动轮椅车记为豁免（DOMAIN §3.5）', {
        field: 'kind',
        values: vehicleValues,
      }),
      col('vehicle_status', '车辆状态', true, 'enum', '车辆状态：正常、报废（注销）', {
        field: 'status',
        values: { 正常: 'normal', 报废: 'scrapped', 注销: 'scrapped' },
      }),
      col('plate_no', '号牌号码', true, 'text', '机动车号牌号码', { field: 'ref' }),
      col('registered_on', '初次登记日期', false, 'date', '初次登记日期', { field: 'eventDate' }),
      col('brand', '品牌型号', false, 'text', '品牌型号'),
    ],
  },
  business: {
    source: 'business',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('entity_type', '主体类型', true, 'enum', '个体工商户经营者、企业法定代表人或股东（出资人）', {
        field: 'kind',
        values: {
          个体工商户: 'individual',
          企业: 'enterprise',
          企业法定代表人: 'enterprise',
          股东: 'shareholder',
          出资人: 'shareholder',
        },
      }),
      col('entity_status', '登记状态', true, 'enum', '登记状态：存续（在业）、注销（吊销）', {
        field: 'status',
        values: { 存续: 'active', 在业: 'active', 注销: 'cancelled', 吊销: 'cancelled' },
      }),
      col('credit_code', '统一社会信用代码', true, 'text', '市场主体的统一社会信用代码（18位）', {
        field: 'ref',
        pattern: '^[0-9A-Z]{18}$',
        patternHint: '应为18位数字或大写字母',
      }),
      col('entity_name', '主体名称', false, 'text', '个体工商户字号或企业名称'),
      col('registered_capital', '注册资本（元）', false, 'yuan', '注册资本或出资额，元', {
        field: 'amountFen',
      }),
      col('established_on', '成立日期', false, 'date', '成立日期', { field: 'eventDate' }),
      col(
        'family_shop',
        '是否夫妻店无雇工',
        false,
        'bool',
        '是 = 无雇工的夫妻小店，可视同无登记（DOMAIN §3.5 揭阳）',
        {
          field: 'exempt',
        },
      ),
    ],
  },
  tax: {
    source: 'tax',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('income_type', '所得项目', true, 'enum', '纳税所得的类别：工资薪金、经营所得、财产性所得', {
        field: 'kind',
        values: {
          工资薪金所得: 'wage',
          工资薪金: 'wage',
          经营所得: 'business',
          财产租赁所得: 'property',
          财产转让所得: 'property',
          利息股息红利所得: 'property',
          财产性所得: 'property',
        },
      }),
      col('tax_year', '纳税年度', true, 'text', '纳税年度，四位年份', {
        field: 'ref',
        pattern: '^(19|20)\\d{2}$',
        patternHint: '应为四位年份，如 2025',
      }),
      col('income_amount', '收入额（元）', true, 'yuan', '该年度该项目的收入额，元', { field: 'amountFen' }),
      col('period_end', '所属期止', false, 'date', '所属期的最后一天；空则为纳税年度的 12 月 31 日', {
        field: 'eventDate',
      }),
      col('tax_paid', '已缴税额（元）', false, 'yuan', '已缴纳的个人所得税，元'),
      col('withholding_agent', '扣缴义务人', false, 'text', '扣缴单位名称'),
    ],
  },
  social_insurance: {
    source: 'social_insurance',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col(
        'benefit_item',
        '参保或待遇项目',
        true,
        'enum',
        '参保缴费（缴费基数即工资）、职工基本养老金、城乡居民基础养老金、失业保险金',
        {
          field: 'kind',
          values: {
            参保缴费: 'contribution',
            缴费: 'contribution',
            职工基本养老金: 'employee_pension',
            职工养老金: 'employee_pension',
            城乡居民基础养老金: 'resident_basic_pension',
            城乡居民养老金: 'resident_basic_pension',
            失业保险金: 'unemployment_benefit',
          },
        },
      ),
      col('item_status', '项目状态', true, 'enum', '正常（在保、发放中）或停止（停保、暂停、终止）', {
        field: 'status',
        values: {
          正常: 'active',
          在保: 'active',
          发放中: 'active',
          停止: 'stopped',
          停保: 'stopped',
          暂停: 'stopped',
          终止: 'stopped',
        },
      }),
      col(
        'monthly_amount',
        '月缴费基数或待遇（元）',
        true,
        'yuan',
        '参保缴费为月缴费基数，待遇为月发放金额，元',
        {
          field: 'monthlyFen',
        },
      ),
      col('last_date', '最近缴费或发放日期', false, 'date', '最近一个月缴费或发放的日期', {
        field: 'eventDate',
      }),
      col('employer', '参保单位', false, 'text', '参保单位；无单位时为险种名称', { field: 'ref' }),
      col('insurance_type', '险种', false, 'text', '险种名称，如 企业职工基本养老保险'),
    ],
  },
  housing_fund: {
    source: 'housing_fund',
    version: 'v1',
    fixedKind: 'contribution',
    columns: [
      ID,
      NAME,
      col('fund_status', '缴存状态', true, 'enum', '正常缴存，或封存、停缴', {
        field: 'status',
        values: { 正常: 'active', 缴存: 'active', 封存: 'stopped', 停缴: 'stopped' },
      }),
      col('monthly_contribution', '月缴存额（元）', true, 'yuan', '个人和单位合计月缴存额，元', {
        field: 'monthlyFen',
      }),
      col('balance', '账户余额（元）', false, 'yuan', '公积金账户余额，元', { field: 'amountFen' }),
      col('last_paid_on', '最近缴存日期', false, 'date', '最近一次缴存的日期', { field: 'eventDate' }),
      col('employer', '缴存单位', false, 'text', '缴存单位名称', { field: 'ref' }),
    ],
  },
  bank_deposit: {
    source: 'bank_deposit',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('deposit_type', '存款类型', true, 'enum', '活期或定期', {
        field: 'kind',
        values: { 活期: 'current', 定期: 'fixed' },
      }),
      col('balance', '余额（元）', true, 'yuan', '余额日期的账户余额，元', { field: 'amountFen' }),
      col('balance_date', '余额日期', true, 'date', '余额对应的日期', { field: 'eventDate' }),
      col('bank_name', '开户银行', true, 'text', '开户银行名称'),
      col('account_no', '账号', true, 'text', '银行账号；只保存脱敏后的账号（保留后4位）', {
        pattern: '^[0-9A-Za-z-]{4,40}$',
        patternHint: '应为4–40位数字或字母',
      }),
    ],
  },
  securities: {
    source: 'securities',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('security_type', '证券类别', true, 'enum', '股票、基金或债券', {
        field: 'kind',
        values: { 股票: 'stock', 基金: 'fund', 债券: 'bond' },
      }),
      col('market_value', '市值（元）', true, 'yuan', '估值日的市值，元', { field: 'amountFen' }),
      col('valuation_date', '估值日期', true, 'date', '市值对应的日期', { field: 'eventDate' }),
      col('broker', '证券公司', false, 'text', '证券公司或基金管理人', { field: 'ref' }),
    ],
  },
  commercial_insurance: {
    source: 'commercial_insurance',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col('policy_type', '险种类别', true, 'enum', '储蓄型（含分红、万能、投资连结）或保障型', {
        field: 'kind',
        values: {
          储蓄型: 'savings',
          分红型: 'savings',
          万能型: 'savings',
          投资连结型: 'savings',
          保障型: 'protection',
        },
      }),
      col('policy_status', '保单状态', true, 'enum', '有效，或失效（终止、退保）', {
        field: 'status',
        values: { 有效: 'active', 失效: 'lapsed', 终止: 'lapsed', 退保: 'lapsed' },
      }),
      col('cash_value', '现金价值（元）', true, 'yuan', '保单现金价值，元', { field: 'amountFen' }),
      col('policy_date', '生效日期', false, 'date', '保单生效日期', { field: 'eventDate' }),
      col('policy_no', '保单号', false, 'text', '保单号', { field: 'ref' }),
      col('insurer', '保险公司', false, 'text', '保险公司名称'),
      col('annual_premium', '年缴保费（元）', false, 'yuan', '年缴保费，元'),
    ],
  },
  public_payroll: {
    source: 'public_payroll',
    version: 'v1',
    fixedKind: 'staff',
    columns: [
      ID,
      NAME,
      col('payroll_status', '在编状态', true, 'enum', '在职（在编）或离职（调出）', {
        field: 'status',
        values: { 在职: 'active', 在编: 'active', 离职: 'left', 调出: 'left' },
      }),
      col('monthly_salary', '月工资（元）', true, 'yuan', '应发月工资，元', { field: 'monthlyFen' }),
      col('employer', '工作单位', true, 'text', '工作单位名称', { field: 'ref' }),
      col('start_date', '入职日期', false, 'date', '入职（进编）日期', { field: 'eventDate' }),
      col('position', '职务', false, 'text', '职务或岗位'),
    ],
  },
  low_income: {
    source: 'low_income',
    version: 'v1',
    columns: [
      ID,
      NAME,
      col(
        'monitor_type',
        '监测类别',
        true,
        'enum',
        '低保边缘家庭、刚性支出困难家庭或其他监测对象（DOMAIN §11）',
        {
          field: 'kind',
          values: {
            低保边缘家庭: 'edge',
            低保边缘: 'edge',
            刚性支出困难家庭: 'rigid_expenditure',
            刚性支出困难: 'rigid_expenditure',
            其他监测对象: 'monitoring',
            监测对象: 'monitoring',
          },
        },
      ),
      col('monitor_status', '监测状态', true, 'enum', '监测中或已退出', {
        field: 'status',
        values: { 监测中: 'active', 在库: 'active', 已退出: 'closed', 退出: 'closed' },
      }),
      col('family_no', '低收入家庭编号', true, 'text', '低收入家庭编号，同一家庭的成员相同', {
        field: 'ref',
      }),
      col(
        'monthly_per_capita_income',
        '家庭月人均收入（元）',
        false,
        'yuan',
        '申报或核定的家庭月人均收入，元',
        {
          field: 'monthlyFen',
        },
      ),
      col('recorded_on', '纳入日期', false, 'date', '纳入低收入人口库的日期', { field: 'eventDate' }),
      col('relation_to_head', '与户主关系', false, 'text', '与户主关系'),
      col('family_size', '家庭人口', false, 'int', '家庭人口数'),
    ],
  },
};

export const LAYOUT_VERSION = 'v1' as const;

export function layoutOf(source: SourceCode): Layout {
  return LAYOUTS[source];
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

/** Each file header resolved to a column (by Chinese header or key); unknown, duplicate and missing columns are errors. */
export function checkHeaders(source: SourceCode, headers: string[]): RowError[] {
  const layout = layoutOf(source);
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const raw of headers) {
    const h = String(raw ?? '').trim();
    if (h === '') continue;
    const c = layout.columns.find((x) => x.header === h || x.key === h);
    if (!c) {
      errors.push({
        row: 1,
        column: h,
        value: h,
        reason: `“${h}”不是${SOURCES[source].label}数据格式（${layout.version}）中的列`,
      });
      continue;
    }
    if (seen.has(c.key)) {
      errors.push({ row: 1, column: c.header, value: h, reason: `列“${c.header}”重复出现` });
      continue;
    }
    seen.add(c.key);
  }
  for (const c of layout.columns) {
    if (c.required && !seen.has(c.key)) {
      errors.push({ row: 1, column: c.header, value: '', reason: `缺少必填列“${c.header}”` });
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

type Cell = string | number | boolean | null;

function textOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return String(v);
    return v.toISOString().slice(0, 10);
  }
  return String(v).trim();
}

const BOOL_TRUE = new Set(['是', '1', 'true', 'TRUE', 'True', 'Y', 'y']);
const BOOL_FALSE = new Set(['否', '0', 'false', 'FALSE', 'False', 'N', 'n']);
const TEXT_MAX = 200;

function enumHint(c: LayoutColumn): string {
  const values = c.values ?? {};
  const labels = Object.keys(values).join('、');
  const codes = [...new Set(Object.values(values))].join('、');
  return `应为：${labels}（或代码 ${codes}）`;
}

/** A cell parsed by its column type; `error` is the Chinese reason when it is not valid. */
function parseCell(
  c: LayoutColumn,
  text: string,
  asOf: string,
): { value: Cell; error?: undefined } | { error: string } {
  switch (c.type) {
    case 'text':
      if ([...text].length > TEXT_MAX) return { error: `不能超过 ${TEXT_MAX} 个字` };
      if (c.pattern !== undefined && !new RegExp(c.pattern).test(text)) {
        return { error: c.patternHint ?? '格式不正确' };
      }
      return { value: text };
    case 'id_number': {
      const r = validateResidentId(text, { asOf });
      if (!r.valid) return { error: r.errors.map((e) => e.message).join('；') };
      return { value: r.idNumber };
    }
    case 'date':
      if (!isIsoDate(text)) return { error: '日期应为 YYYY-MM-DD 格式的有效日期' };
      return { value: text };
    case 'yuan': {
      if (!/^-?\d+(\.\d+)?$/.test(text)) return { error: '金额应为数字（元），如 1234.50' };
      if (text.startsWith('-')) return { error: '金额不能为负数' };
      if (!/^\d+(\.\d{1,2})?$/.test(text)) return { error: '金额最多两位小数（精确到分）' };
      const fen = yuanToFen(text);
      if (!Number.isSafeInteger(fen) || fen > 1e15) return { error: '金额过大' };
      return { value: fen };
    }
    case 'int': {
      if (!/^\d{1,9}$/.test(text)) return { error: '应为非负整数' };
      return { value: Number(text) };
    }
    case 'enum': {
      const values = c.values ?? {};
      if (Object.hasOwn(values, text)) return { value: values[text] as string };
      if (Object.values(values).includes(text)) return { value: text };
      return { error: `“${text}”不是有效的${c.header}，${enumHint(c)}` };
    }
    case 'bool':
      if (BOOL_TRUE.has(text)) return { value: true };
      if (BOOL_FALSE.has(text)) return { value: false };
      return { error: '应为“是”或“否”' };
  }
}

/** The value shown in an error: bank account numbers are masked even there. */
function shownValue(source: SourceCode, c: LayoutColumn, text: string): string {
  if (source === 'bank_deposit' && c.key === 'account_no') return maskBankAccount(text) ?? '';
  return text;
}

export interface ValidateOptions {
  /** The date birth dates in ID numbers are judged against (no clock in the domain); default: no future check. */
  asOf?: string;
}

/**
 * Validates every row (a file's data rows, or a connector's rows keyed by column key) and normalises the good
 * ones. Cells are looked up by key, then by Chinese header. All errors are reported, row by row; a row with an
 * error gives no record. Row numbers start at firstRow (2 for a file whose row 1 is the header).
 */
export function validateRows(
  source: SourceCode,
  rows: Record<string, unknown>[],
  firstRow = 2,
  opts: ValidateOptions = {},
): { records: DeptRecord[]; errors: RowError[] } {
  const layout = layoutOf(source);
  const asOf = opts.asOf ?? '9999-12-31';
  const records: DeptRecord[] = [];
  const errors: RowError[] = [];
  rows.forEach((row, i) => {
    const rowNo = firstRow + i;
    const values = new Map<string, Cell>();
    let bad = false;
    for (const c of layout.columns) {
      const raw = Object.hasOwn(row, c.key) ? row[c.key] : row[c.header];
      const text = textOf(raw);
      if (text === '') {
        if (c.required) {
          errors.push({ row: rowNo, column: c.header, value: '', reason: `${c.header}不能为空` });
          bad = true;
        }
        values.set(c.key, c.type === 'bool' ? false : null);
        continue;
      }
      const parsed = parseCell(c, text, asOf);
      if ('error' in parsed && parsed.error !== undefined) {
        errors.push({
          row: rowNo,
          column: c.header,
          value: shownValue(source, c, text),
          reason: parsed.error,
        });
        bad = true;
        continue;
      }
      values.set(c.key, (parsed as { value: Cell }).value);
    }
    if (!bad) records.push(toRecord(layout, values));
  });
  return { records, errors };
}

function toRecord(layout: Layout, values: Map<string, Cell>): DeptRecord {
  const source = layout.source;
  const record: DeptRecord = {
    sourceCode: source,
    idNumber: String(values.get('id_number')),
    name: String(values.get('name')),
    kind: layout.fixedKind ?? '',
    status: null,
    amountFen: null,
    monthlyFen: null,
    eventDate: null,
    exempt: false,
    ref: null,
    data: {},
  };
  for (const c of layout.columns) {
    if (c.key === 'id_number' || c.key === 'name') continue;
    const v = values.get(c.key) ?? null;
    switch (c.field) {
      case 'kind':
        record.kind = String(v);
        break;
      case 'status':
        record.status = v === null ? null : String(v);
        break;
      case 'amountFen':
        record.amountFen = typeof v === 'number' ? v : null;
        break;
      case 'monthlyFen':
        record.monthlyFen = typeof v === 'number' ? v : null;
        break;
      case 'eventDate':
        record.eventDate = v === null ? null : String(v);
        break;
      case 'exempt':
        record.exempt = v === true;
        break;
      case 'ref':
        record.ref = v === null ? null : String(v);
        break;
      case undefined:
        // The bank account is never kept whole (DOMAIN §16): it goes into ref masked.
        // Empty optional cells are left out of data, which stays small (10M records, DOMAIN §13).
        if (v !== null && !(source === 'bank_deposit' && c.key === 'account_no')) record.data[c.key] = v;
        break;
    }
  }
  // Per-source derivations (docs/verification-layouts.md, normalised fields).
  if (source === 'vehicle') record.exempt = record.kind === 'disability_vehicle';
  if (source === 'tax' && record.eventDate === null) record.eventDate = `${record.ref}-12-31`;
  if (source === 'social_insurance' && record.ref === null) {
    const t = values.get('insurance_type');
    record.ref = typeof t === 'string' ? t : null;
  }
  if (source === 'bank_deposit') {
    record.ref = `${String(values.get('bank_name'))} ${maskBankAccount(String(values.get('account_no')))}`;
  }
  return record;
}

/**
 * The Chinese label of a normalised code of a record (its kind or status), for screens and prints: the first
 * label of the layout's value list that maps to the code (火化 for cremation), or the code itself when unknown.
 */
export function recordValueLabel(source: SourceCode, field: 'kind' | 'status', code: string | null): string {
  if (code === null) return '—';
  for (const column of layoutOf(source).columns) {
    if (column.field !== field || !column.values) continue;
    for (const [label, value] of Object.entries(column.values)) if (value === code) return label;
  }
  return code;
}
