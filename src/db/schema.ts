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
}

export type HouseholdRow = Selectable<HouseholdTable>;
export type PersonRow = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type EnrolmentRow = Selectable<EnrolmentTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
