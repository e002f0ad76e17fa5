/** What a payment line pays for (payroll_line.component, payment_ledger.component), and where its money comes from. */
export const COMPONENTS = {
  dibao_base: '低保金',
  dibao_addon: '分类施保',
  tekun_basic: '特困基本生活',
  tekun_care: '照料护理',
  price_subsidy: '价格临时补贴',
  temporary_aid: '临时救助金',
  medical_aid: '医疗救助金',
  holiday_subsidy: '节日补贴',
} as const;
export type Component = keyof typeof COMPONENTS;
export const COMPONENT_CODES = Object.keys(COMPONENTS) as Component[];
export function isComponent(v: string): v is Component {
  return Object.hasOwn(COMPONENTS, v);
}

/** 资金来源 (the seed report's problem (3): who funds urban 三无). */
export const FUND_SOURCES = { central: '中央', provincial: '省级', county: '县级' } as const;
export type FundSource = keyof typeof FUND_SOURCES;
export const FUND_SOURCE_CODES = Object.keys(FUND_SOURCES) as FundSource[];

/** Kinds of ledger entries: the ledger is append-only, a correction is a new entry. */
export const LEDGER_ENTRY_KINDS = {
  payment: '正常发放',
  arrears: '补发',
  recovery: '追回',
  bank_failure: '银行退回',
  reissue: '重新发放',
  one_off: '一次性发放',
} as const;
export type LedgerEntryKind = keyof typeof LEDGER_ENTRY_KINDS;
