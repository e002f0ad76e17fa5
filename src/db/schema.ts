/**
 * Kysely table types. Conventions (see docs/decisions/0001-money-dates-ids.md):
 * - ids are integers (bigint on PostgreSQL, parsed to a safe JS number once in database.ts);
 * - money is integer fen; dates are 'YYYY-MM-DD' text, months 'YYYY-MM', timestamps ISO-8601 UTC text;
 * - booleans are 0/1 integers so both engines return the same JS value;
 * - every table that grows with the caseload carries county_code (and town_code where it applies).
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Id = Generated<number>;
/** 0 | 1 stored as integer on both engines. */
export type Flag = number;

export interface AreaTable {
  code: string; // 统计用区划代码: 2 (province), 4 (city), 6 (county), 9 (town), 12 (village)
  name: string;
  level: 'province' | 'city' | 'county' | 'town' | 'village';
  parent_code: string | null;
  /** NBS urban-rural class code of a village (111 主城区 … 220 村庄), when known. */
  urban_rural: string | null;
  sort_order: number;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface ProgramTable {
  code: string;
  name: string;
  /** Who a case covers: a whole household (低保) or one person (特困, 医疗救助…). */
  unit: 'household' | 'person';
  sort_order: number;
}

export interface HouseholdTable {
  id: Id;
  county_code: string;
  town_code: string;
  village_code: string | null;
  address: string;
  hukou_type: 'urban' | 'rural';
  head_person_id: number | null;
  phone: string | null;
  bank_name: string | null;
  bank_account: string | null;
  bank_account_holder: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface HouseholdAreaHistoryTable {
  id: Id;
  household_id: number;
  county_code: string;
  town_code: string;
  village_code: string | null;
  valid_from: string; // date
  valid_to: string | null; // date (exclusive); null = current
  reason: string | null;
}

export interface PersonTable {
  id: Id;
  /** Current household's area, denormalised for scoping and partitioning; null when in no household. */
  county_code: string;
  town_code: string | null;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  ethnicity: string | null;
  hukou_type: 'urban' | 'rural';
  disability_category: string | null;
  disability_grade: number | null;
  labour_capacity: string;
  serious_illness: Flag;
  self_care: string;
  school_status: string;
  employment_status: string;
  death_date: string | null;
  phone: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface HouseholdMemberTable {
  id: Id;
  county_code: string;
  town_code: string;
  household_id: number;
  person_id: number;
  relation: string;
  valid_from: string; // date
  valid_to: string | null; // date (exclusive); null = current member
  reason: string | null;
}

export interface EnrolmentTable {
  id: Id;
  county_code: string;
  town_code: string;
  program_code: string;
  household_id: number;
  /** The covered person for person-level programs (特困, 单人保); null = the whole household. */
  person_id: number | null;
  start_month: string;
  end_month: string | null;
  status: 'active' | 'suspended' | 'ended';
  /** 特困: 'concentrated' (集中) | 'dispersed' (分散); null otherwise. */
  support_mode: string | null;
  single_person: Flag;
  end_reason: string | null;
  /** 分类复核 (DOMAIN §4.9): 'stable' | 'short_term_stable' | 'irregular_income'; null = not yet classed. */
  review_class: string | null;
  last_review_on: string | null;
  next_review_on: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface StaffTable {
  id: Id;
  county_code: string;
  town_code: string | null;
  person_id: number | null;
  id_number: string;
  name: string;
  /** 'official' 低保经办人员 | 'village_cadre' 村(居)委会干部 */
  kind: string;
  organisation: string;
  position: string | null;
  term_start: string;
  term_end: string | null;
  /** The system user this official logs in as, if any (for recusal, DOMAIN §10). */
  user_id: number | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface StaffRelativeTable {
  id: Id;
  county_code: string;
  staff_id: number;
  id_number: string;
  name: string;
  relation: string;
  created_at: string;
}

export interface AppUserTable {
  id: Id;
  username: string;
  display_name: string;
  role: string;
  county_code: string;
  /** The area the user is bound to: the county (6 digits) or a town (9 digits). */
  area_code: string;
  password_hash: string;
  disabled: Flag;
  failed_logins: number;
  locked_until: string | null;
  must_change_password: Flag;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** sha256 of the cookie token: a leaked table does not give usable cookies. */
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Id;
  /** One hash chain per county (or '000000' for installation-wide events). */
  chain: string;
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  county_code: string | null;
  town_code: string | null;
  before_json: string | null;
  after_json: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  chain: string;
  last_seq: number;
  last_hash: string;
}

export interface CalendarDayTable {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  updated_at: string;
}

export interface IntakeRequestTable {
  id: Id;
  county_code: string;
  town_code: string;
  village_code: string | null;
  household_id: number | null;
  applicant_person_id: number | null;
  applicant_name: string;
  applicant_id_number: string | null;
  applicant_phone: string | null;
  channel: string;
  description: string;
  received_by_user_id: number | null;
  received_by: string;
  received_at: string;
  status: string;
  missing_materials_json: string | null;
  notice_issued_at: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface IntakeItemTable {
  id: Id;
  county_code: string;
  town_code: string;
  request_id: number;
  item_code: string;
  decision: string;
  department: string | null;
  forwarded_on: string | null;
  due_on: string | null;
  reply: string | null;
  replied_on: string | null;
  applicant_informed_on: string | null;
  reason: string | null;
  case_id: number | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface VerificationAuthorisationTable {
  id: Id;
  county_code: string;
  town_code: string;
  request_id: number;
  person_id: number | null;
  id_number: string;
  name: string;
  signer: string;
  signer_name: string | null;
  signed_on: string;
  note: string | null;
  created_at: string;
}

export interface CaseFileTable {
  id: Id;
  county_code: string;
  town_code: string;
  program_code: string;
  procedure: string;
  state: string;
  household_id: number;
  person_id: number | null;
  intake_item_id: number | null;
  accepted_on: string;
  state_entered_on: string;
  /** The facts the state machine's guards need (delegation, close relative, investigators…), as JSON. */
  facts_json: string;
  decision: string | null;
  decided_on: string | null;
  reasons: string | null;
  enrolment_id: number | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

export interface CaseEventTable {
  id: Id;
  county_code: string;
  town_code: string;
  case_id: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_user_id: number | null;
  actor: string;
  at: string;
  decided_on: string;
  input_json: string | null;
  effects_json: string | null;
}

export interface CaseTaskTable {
  id: Id;
  county_code: string;
  town_code: string;
  case_id: number | null;
  household_id: number | null;
  kind: string;
  due_on: string;
  status: 'open' | 'done' | 'cancelled';
  note: string | null;
  created_at: string;
  done_at: string | null;
}

export interface PolicyParameterTable {
  id: Id;
  county_code: string;
  /** null = the county's version; a town's version overrides it for that town. */
  town_code: string | null;
  kind: string;
  program_code: string;
  effective_from: string; // 'YYYY-MM'
  effective_to: string | null; // 'YYYY-MM' inclusive; null = open
  doc_no: string; // 文号
  doc_title: string | null;
  body: string; // JSON parameters of the kind (src/domain/policy)
  used_in_payment: ColumnType<Flag, Flag | undefined, Flag>;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: ColumnType<number, number | undefined, number>;
}

/** 待遇核定 (DOMAIN §4.7, §5.5): the assessed figures a monthly amount is computed from. */
export interface BenefitDecisionTable {
  id: Id;
  county_code: string;
  town_code: string;
  enrolment_id: number;
  program_code: string;
  /** First month the decision applies to ('YYYY-MM'); the latest one ≤ a month is in force. */
  effective_month: string;
  per_capita_income_fen: number | null;
  /** dibao: DibaoDecisionInput.members; tekun: { selfCare, supportMode }. */
  members_json: string;
  band_code: string | null;
  monthly_amount_fen: number;
  explanation_json: string;
  input_json: string | null;
  case_id: number | null;
  decided_on: string;
  created_by: string;
  created_at: string;
}

export interface PayrollTable {
  id: Id;
  county_code: string;
  program_code: string;
  pay_month: string;
  status: 'generating' | 'generated' | 'reviewed' | 'approved';
  /** Highest enrolment id whose lines are committed: a resumed generation starts after it. */
  cursor_enrolment_id: ColumnType<number, number | undefined, number>;
  expected_count: ColumnType<number, number | undefined, number>;
  done_count: ColumnType<number, number | undefined, number>;
  line_count: ColumnType<number, number | undefined, number>;
  total_fen: ColumnType<number, number | undefined, number>;
  /** { undecided: n, … } counts shown with the payroll. */
  warnings_json: string | null;
  generated_by: string | null;
  generated_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
  version: ColumnType<number, number | undefined, number>;
}

export interface PayrollLineTable {
  id: Id;
  payroll_id: number;
  county_code: string;
  town_code: string;
  village_code: string | null;
  program_code: string;
  enrolment_id: number;
  household_id: number;
  person_id: number | null;
  benefit_month: string;
  component: string;
  line_kind: 'regular' | 'arrears' | 'recovery' | 'reissue';
  amount_fen: number;
  fund_source: string;
  policy_id: number | null;
  decision_id: number | null;
  reason: string | null;
  bank_name: string | null;
  bank_account: string | null;
  account_holder: string | null;
  status: ColumnType<'pending' | 'paid' | 'failed' | 'held' | 'reissued', string | undefined, string>;
  bank_batch_id: number | null;
  /** The bank's reason of the line's latest failed transfer (set by the return import). */
  failure_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Append-only (triggers refuse UPDATE/DELETE): corrections are further entries. */
export interface PaymentLedgerTable {
  id: Id;
  county_code: string;
  town_code: string;
  program_code: string;
  household_id: number;
  person_id: number | null;
  enrolment_id: number | null;
  benefit_month: string;
  pay_month: string;
  component: string;
  fund_source: string;
  /** Signed: recoveries and bank failures are negative. */
  amount_fen: number;
  entry_kind: 'payment' | 'arrears' | 'recovery' | 'bank_failure' | 'reissue' | 'one_off';
  payroll_id: number | null;
  payroll_line_id: number | null;
  one_off_id: number | null;
  reason: string | null;
  posted_by: string;
  posted_at: string;
}

/** A request to recompute earlier months (补发/追回) in the next payroll of the program. */
export interface PayrollRecalcTable {
  id: Id;
  county_code: string;
  town_code: string | null;
  program_code: string;
  /** null = every enrolment of the program in the county (or town). */
  enrolment_id: number | null;
  from_month: string;
  reason: string;
  created_at: string;
  done_payroll_id: number | null;
}

/** 价格指数 (DOMAIN §8.4): year-on-year rises in percent, as decimal strings. */
export interface PriceIndexTable {
  id: Id;
  county_code: string;
  month: string;
  cpi_yoy: string | null;
  food_yoy: string | null;
  published_on: string | null;
  source: string | null;
  created_by: string;
  created_at: string;
}

/** 一次性发放 batch (节日补贴): one pending payment per person enrolled on the reference date. */
export interface OneOffBatchTable {
  id: Id;
  county_code: string;
  kind: 'holiday_subsidy';
  /** e.g. '2015年春节五保对象临时价格补贴'. */
  title: string;
  /** JSON array of program codes, e.g. ["rural_tekun"]. */
  program_codes: string;
  reference_date: string;
  amount_per_person_fen: number | null;
  line_count: ColumnType<number, number | undefined, number>;
  total_fen: ColumnType<number, number | undefined, number>;
  status: 'pending' | 'approved';
  created_by: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

/** 医疗救助 claim (DOMAIN §7.2): one hospital stay, the payers' shares and the annual cumulative. */
export interface MedicalClaimTable {
  id: Id;
  county_code: string;
  town_code: string;
  person_id: number;
  household_id: number;
  category: 'tekun' | 'dibao' | 'edge' | 'illness_poverty' | 'other';
  hospital: string;
  admitted_on: string;
  discharged_on: string;
  bill_fen: number;
  eligible_fen: number;
  basic_insurance_fen: number;
  critical_illness_fen: number;
  /** The 医疗救助 layer; the 倾斜救助 layer is tilted_fen; the payment is their sum. */
  assistance_fen: number;
  tilted_fen: number;
  out_of_pocket_fen: number;
  explanation_json: string;
  policy_id: number | null;
  /** 'pending' (payment awaits approval), 'approved', 'no_assistance' (nothing payable). */
  status: 'pending' | 'approved' | 'no_assistance';
  created_by: string;
  created_at: string;
}

/** 一次性发放: 临时救助, 医疗救助, 节日补贴; posted to payment_ledger on approval. */
export interface OneOffPaymentTable {
  id: Id;
  county_code: string;
  town_code: string;
  program_code: string;
  kind: 'temporary_aid' | 'medical_aid' | 'holiday_subsidy';
  component: string;
  household_id: number;
  person_id: number | null;
  enrolment_id: number | null;
  case_id: number | null;
  claim_id: number | null;
  batch_id: number | null;
  /** Month of the event (decision, discharge, holiday): the ledger's benefit_month. */
  benefit_month: string;
  amount_fen: number;
  fund_source: string;
  policy_id: number | null;
  reason: string;
  explanation_json: string | null;
  /** 'held': a failed payment stopped (暂停发放) until the account is checked. */
  status: 'pending' | 'approved' | 'paid' | 'failed' | 'held';
  /** Month it is paid in (its ledger entry's pay_month), set at approval; the bank export by pay month. */
  pay_month: string | null;
  /** Copied from the household when approved. */
  bank_name: string | null;
  bank_account: string | null;
  account_holder: string | null;
  bank_batch_id: number | null;
  created_by: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

/** 社会化发放: one bank file exported (payroll_line.bank_batch_id points here). */
export interface BankBatchTable {
  id: Id;
  county_code: string;
  payroll_id: number | null;
  one_off_batch_id: number | null;
  bank_name: string;
  format: 'csv' | 'xlsx';
  /** The BankLayout used (src/domain/payments/bank-layout.ts), so the return is read with the same columns. */
  layout_json: string;
  file_name: string;
  /** Rows (transfers) in the file; a row sums the lines of one account. */
  line_count: number;
  total_fen: number;
  exported_by: string;
  exported_at: string;
  return_imported_at: string | null;
  return_file_name: string | null;
  paid_count: ColumnType<number, number | undefined, number>;
  failed_count: ColumnType<number, number | undefined, number>;
  /** 'payroll' (payroll lines) or 'one_off' (one-off payments: one_off_batch_id, or pay_month for single ones). */
  kind: ColumnType<'payroll' | 'one_off', 'payroll' | 'one_off' | undefined, 'payroll' | 'one_off'>;
  pay_month: string | null;
}

/** What a bank batch sent for one one-off payment, and the bank's outcome. */
export interface OneOffBankItemTable {
  id: Id;
  county_code: string;
  bank_batch_id: number;
  one_off_id: number;
  household_id: number;
  bank_account: string;
  account_holder: string;
  amount_fen: number;
  /** 'reissued': failed, and the payment went back to be paid again (重新发放). */
  status: 'pending' | 'paid' | 'failed' | 'reissued';
}

/** Per-source connector settings of the 核对平台 (DOMAIN §3.1); a source without a row is fed by snapshots. */
export interface DeptSourceConfigTable {
  source_code: string;
  mode: 'snapshot' | 'connector';
  connector_url: string | null;
  timeout_ms: number;
  max_retries: number;
  breaker_threshold: number;
  breaker_cooldown_ms: number;
  updated_by: string;
  updated_at: string;
}

/** A dated batch file of one department (数据快照); only one per source is in force. */
export interface DeptSnapshotTable {
  id: Id;
  county_code: string;
  source_code: string;
  layout_version: string;
  file_name: string;
  file_sha256: string;
  file_format: 'csv' | 'xlsx' | 'json';
  as_of: string;
  status: 'loading' | 'in_force' | 'superseded' | 'rejected';
  row_count: number;
  error_count: number;
  errors_json: string | null;
  imported_by: string;
  imported_at: string;
  activated_at: string | null;
}

/** One normalised department record (see src/domain/verification/sources.ts for each source's meaning). */
export interface DeptRecordTable {
  id: Id;
  snapshot_id: number;
  source_code: string;
  id_number: string;
  name: string;
  kind: string;
  status: string | null;
  amount_fen: number | null;
  monthly_fen: number | null;
  event_date: string | null;
  exempt: Flag;
  ref: string | null;
  data_json: string | null;
}

/** The simulated departments' own data (模拟部门数据: demo and tests only), same shape without a snapshot. */
export interface SimDeptRecordTable {
  id: Id;
  source_code: string;
  id_number: string;
  name: string;
  kind: string;
  status: string | null;
  amount_fen: number | null;
  monthly_fen: number | null;
  event_date: string | null;
  exempt: Flag;
  ref: string | null;
  data_json: string | null;
}

/** Every query made to a department source: who, for which case, under which authorisation (DOMAIN §3.2). */
export interface DeptQueryTable {
  id: Id;
  county_code: string;
  town_code: string | null;
  source_code: string;
  id_number: string;
  person_id: number | null;
  case_id: number | null;
  verification_request_id: number | null;
  authorisation_id: number | null;
  basis: 'authorisation' | 'periodic_recheck';
  channel: 'connector' | 'snapshot';
  snapshot_id: number | null;
  status: 'ok' | 'not_found' | 'error' | 'timeout' | 'circuit_open' | 'refused';
  attempts: number;
  duration_ms: number;
  record_count: number;
  error: string | null;
  requested_by: string;
  user_id: number | null;
  requested_at: string;
}

/** 批量复核核对 of enrolled households (2022 通知 §5(1)), chunked with a cursor. */
export interface VerificationBatchTable {
  id: Id;
  county_code: string;
  town_code: string | null;
  program_codes: string;
  trigger: 'on_demand' | 'scheduled';
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: number;
  flagged: number;
  cursor: number;
  error: string | null;
  started_by: string;
  started_at: string;
  finished_at: string | null;
}

export interface VerificationRequestTable {
  id: Id;
  county_code: string;
  town_code: string;
  case_id: number | null;
  household_id: number;
  enrolment_id: number | null;
  batch_id: number | null;
  basis: 'authorisation' | 'periodic_recheck';
  check_type: string;
  subjects_json: string;
  declaration_json: string | null;
  status: 'running' | 'done' | 'failed';
  requested_on: string;
  requested_by: string;
  requested_at: string;
  completed_at: string | null;
  report_id: number | null;
  error: string | null;
}

/** 核对报告: immutable (UPDATE/DELETE refused by triggers); sha256 of report_json. */
export interface VerificationReportTable {
  id: Id;
  request_id: number;
  county_code: string;
  town_code: string;
  case_id: number | null;
  household_id: number;
  report_no: string;
  check_type: string;
  conclusion_code: string;
  conclusion_label: string;
  difference_count: number;
  as_of: string;
  report_json: string;
  sha256: string;
  created_by: string;
  created_at: string;
}

/** 核查规则: a rule type with its parameters (data, like policy parameters). */
export interface AuditRuleTable {
  id: Id;
  county_code: string;
  code: string;
  rule_type: string;
  label: string;
  category: string;
  params_json: string;
  enabled: Flag;
  builtin: Flag;
  version: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** 核查 campaign: a population (programs × towns) and the rules run on it. */
export interface AuditCampaignTable {
  id: Id;
  county_code: string;
  title: string;
  program_codes: string;
  town_codes: string;
  rule_codes: string;
  rules_json: string | null;
  as_of: string;
  review_due_days: number;
  status: 'draft' | 'running' | 'done' | 'failed';
  rules_done: number;
  rules_total: number;
  population_json: string | null;
  finding_count: number;
  error: string | null;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A campaign's finding: evidence, the town's review task and its outcome (维持/退出/追回). */
export interface AuditFindingTable {
  id: Id;
  campaign_id: number;
  county_code: string;
  town_code: string;
  rule_code: string;
  rule_type: string;
  category: string;
  household_id: number;
  person_id: number | null;
  enrolment_id: number | null;
  program_code: string | null;
  persons: number;
  summary: string;
  evidence_json: string;
  task_id: number | null;
  case_id: number | null;
  outcome: 'keep' | 'exit' | 'recover' | null;
  outcome_note: string | null;
  recovery_fen: number | null;
  outcome_by: string | null;
  outcome_at: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: string;
}

/** 民政统计: a closed month's figures, frozen; a correction is a new version (immutable, DOMAIN §14). */
export interface StatisticsSnapshotTable {
  id: Id;
  county_code: string;
  month: string;
  version: number;
  /** The version this one corrects; null for the first freeze of the month. */
  corrects_id: number | null;
  figures_json: string;
  figures_sha256: string;
  note: string | null;
  frozen_by: string;
  frozen_at: string;
}

export interface Database {
  calendar_day: CalendarDayTable;
  intake_request: IntakeRequestTable;
  intake_item: IntakeItemTable;
  verification_authorisation: VerificationAuthorisationTable;
  case_file: CaseFileTable;
  case_event: CaseEventTable;
  case_task: CaseTaskTable;
  area: AreaTable;
  setting: SettingTable;
  program: ProgramTable;
  household: HouseholdTable;
  household_area_history: HouseholdAreaHistoryTable;
  person: PersonTable;
  household_member: HouseholdMemberTable;
  enrolment: EnrolmentTable;
  staff: StaffTable;
  staff_relative: StaffRelativeTable;
  app_user: AppUserTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  policy_parameter: PolicyParameterTable;
  benefit_decision: BenefitDecisionTable;
  payroll: PayrollTable;
  payroll_line: PayrollLineTable;
  payment_ledger: PaymentLedgerTable;
  payroll_recalc: PayrollRecalcTable;
  price_index: PriceIndexTable;
  one_off_batch: OneOffBatchTable;
  medical_claim: MedicalClaimTable;
  one_off_payment: OneOffPaymentTable;
  bank_batch: BankBatchTable;
  one_off_bank_item: OneOffBankItemTable;
  dept_source_config: DeptSourceConfigTable;
  dept_snapshot: DeptSnapshotTable;
  dept_record: DeptRecordTable;
  sim_dept_record: SimDeptRecordTable;
  dept_query: DeptQueryTable;
  verification_batch: VerificationBatchTable;
  verification_request: VerificationRequestTable;
  verification_report: VerificationReportTable;
  audit_rule: AuditRuleTable;
  audit_campaign: AuditCampaignTable;
  audit_finding: AuditFindingTable;
  statistics_snapshot: StatisticsSnapshotTable;
}

export type HouseholdRow = Selectable<HouseholdTable>;
export type PersonRow = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type EnrolmentRow = Selectable<EnrolmentTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
