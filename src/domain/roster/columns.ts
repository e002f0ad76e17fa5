/**
 * The columns of a county's existing roster (花名册) and how their headers are recognised. County rosters
 * differ in wording (身份证号 / 身份证号码 / 公民身份号码, 村（居）委会 / 村委会 …), so each field has a list of
 * header spellings; a header matches after whitespace, bracket width and a trailing unit such as （元） are
 * normalised. A mapping the user supplies wins over the automatic one.
 */

export const ROSTER_FIELDS = {
  town: { label: '乡镇', required: true },
  village: { label: '村（居）委会', required: false },
  householdKey: { label: '户编号', required: false },
  headName: { label: '户主姓名', required: false },
  headIdNumber: { label: '户主身份证号', required: false },
  name: { label: '姓名', required: true },
  idNumber: { label: '身份证号码', required: true },
  relation: { label: '与户主关系', required: false },
  householdSize: { label: '家庭人口', required: false },
  program: { label: '保障类别', required: false },
  monthlyAmount: { label: '月保障金（元）', required: false },
  bankName: { label: '开户银行', required: false },
  bankAccount: { label: '银行账号', required: false },
  accountHolder: { label: '开户人', required: false },
  address: { label: '地址', required: false },
  phone: { label: '联系电话', required: false },
  hukouType: { label: '户口性质', required: false },
  ethnicity: { label: '民族', required: false },
} as const;

export type RosterField = keyof typeof ROSTER_FIELDS;
export const ROSTER_FIELD_KEYS = Object.keys(ROSTER_FIELDS) as RosterField[];

export function isRosterField(s: string): s is RosterField {
  return Object.hasOwn(ROSTER_FIELDS, s);
}

/** Header spellings seen on county rosters, already normalised (see normaliseHeader). */
const ALIASES: Record<RosterField, string[]> = {
  town: ['乡镇', '乡镇(街道)', '乡镇街道', '所属乡镇', '乡(镇)', '镇', '街道', '镇(街)'],
  village: [
    '村(居)委会',
    '村居委会',
    '村委会',
    '村(居)',
    '村(社区)',
    '村居',
    '村',
    '社区',
    '所属村',
    '村(居)委',
    '村(居)民委员会',
  ],
  householdKey: ['户编号', '家庭编号', '户号', '户序号', '家庭序号'],
  headName: ['户主姓名', '户主'],
  headIdNumber: ['户主身份证号', '户主身份证号码', '户主证件号码', '户主公民身份号码'],
  name: ['姓名', '成员姓名', '家庭成员姓名', '保障对象姓名'],
  idNumber: [
    '身份证号',
    '身份证号码',
    '公民身份号码',
    '证件号码',
    '成员身份证号',
    '成员身份证号码',
    '身份证',
  ],
  relation: ['与户主关系', '与户主的关系', '关系', '家庭关系'],
  householdSize: ['家庭人口', '家庭人口数', '户人口数', '家庭人数', '人口数', '保障人口', '保障人数'],
  program: ['保障类别', '救助类别', '保障类型', '救助类型', '对象类别', '类别'],
  monthlyAmount: ['月保障金', '保障金额', '月保障金额', '月救助金', '月发放金额', '保障金', '月补助金额'],
  bankName: ['开户银行', '开户行', '银行名称', '代发银行'],
  bankAccount: ['银行账号', '银行卡号', '账号', '存折账号', '银行帐号', '卡号'],
  accountHolder: ['开户人', '户名', '账户名', '开户人姓名', '账户姓名'],
  address: ['地址', '家庭住址', '住址', '家庭地址', '居住地址'],
  phone: ['联系电话', '电话', '手机号码', '手机', '联系方式'],
  hukouType: ['户口性质', '户籍性质', '户口类别', '户口类型'],
  ethnicity: ['民族'],
};

/**
 * '身份证号（码）' and '身份证号码' are one header; so are '村（居）委会' and '村(居)委会', and '月保障金（元）' and
 * '月保障金'. Full-width brackets become ASCII, whitespace goes, a trailing unit in brackets goes.
 */
export function normaliseHeader(h: string): string {
  return h
    .replace(/\s+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\((元|元\/月|人|户)\)$/, '')
    .replace(/号\(码\)/, '号码');
}

const BY_ALIAS = new Map<string, RosterField>();
for (const field of ROSTER_FIELD_KEYS) {
  for (const a of ALIASES[field]) BY_ALIAS.set(a, field);
}

/** field → the file's header it is read from. */
export type RosterMapping = Partial<Record<RosterField, string>>;

export interface MappingResult {
  mapping: RosterMapping;
  /** Headers of the file that no field reads. */
  unmapped: string[];
  /** Problems with the mapping itself (a required field with no column, a user mapping naming no header). */
  problems: { field: string; reason: string }[];
}

/**
 * Maps the file's headers to fields: the user's mapping first (a field mapped to null or '' is left out),
 * then the automatic match for the remaining fields. The first header of a field wins.
 */
export function mapColumns(
  headers: readonly string[],
  override: Readonly<Record<string, string | null>> = {},
): MappingResult {
  const problems: MappingResult['problems'] = [];
  const mapping: RosterMapping = {};
  const used = new Set<string>();
  const skipped = new Set<RosterField>();
  for (const [key, header] of Object.entries(override)) {
    if (!isRosterField(key)) {
      problems.push({ field: key, reason: `列对应关系中的字段「${key}」无法识别` });
      continue;
    }
    if (header === null || header === '') {
      skipped.add(key);
      continue;
    }
    if (!headers.includes(header)) {
      problems.push({ field: key, reason: `列对应关系指定的表头「${header}」不在文件中` });
      continue;
    }
    mapping[key] = header;
    used.add(header);
  }
  for (const header of headers) {
    if (used.has(header)) continue;
    const field = BY_ALIAS.get(normaliseHeader(header));
    if (field === undefined || mapping[field] !== undefined || skipped.has(field)) continue;
    mapping[field] = header;
    used.add(header);
  }
  for (const field of ROSTER_FIELD_KEYS) {
    if (ROSTER_FIELDS[field].required && mapping[field] === undefined) {
      problems.push({ field, reason: `缺少必需的列「${ROSTER_FIELDS[field].label}」，请在列对应关系中指定` });
    }
  }
  if (
    mapping.relation === undefined &&
    mapping.householdKey === undefined &&
    mapping.headIdNumber === undefined
  ) {
    problems.push({
      field: 'relation',
      reason: '无法区分各户：请提供「与户主关系」「户编号」或「户主身份证号」中的至少一列',
    });
  }
  return { mapping, unmapped: headers.filter((h) => !used.has(h)), problems };
}
