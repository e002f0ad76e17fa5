import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { bigintType, isPg, notNull, withId } from './schema-helpers.ts';

/**
 * 家庭经济状况核对平台 and 核查 (DOMAIN §3, §9, §10, §11):
 * - department data: per-source connector settings, dated snapshots of batch files, their normalised records,
 *   the log of every query made (who, for which case, under which authorisation), and the simulated
 *   departments' own data (demo and tests only);
 * - verification: requests, immutable reports (UPDATE/DELETE refused on both engines), batch re-checks;
 * - audit campaigns (核查): rules as data, campaigns, findings with their review outcomes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);

  await db.schema
    .createTable('dept_source_config')
    .addColumn('source_code', 'text', (c) => c.primaryKey())
    .addColumn('mode', 'text', notNull) // 'snapshot' | 'connector'
    .addColumn('connector_url', 'text')
    .addColumn('timeout_ms', 'integer', (c) => c.notNull().defaultTo(5000))
    .addColumn('max_retries', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('breaker_threshold', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('breaker_cooldown_ms', 'integer', (c) => c.notNull().defaultTo(30000))
    .addColumn('updated_by', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();

  await withId(db, db.schema.createTable('dept_snapshot'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('source_code', 'text', notNull)
    .addColumn('layout_version', 'text', notNull)
    .addColumn('file_name', 'text', notNull)
    .addColumn('file_sha256', 'text', notNull)
    .addColumn('file_format', 'text', notNull) // csv | xlsx | json
    .addColumn('as_of', 'text', notNull) // the date the department's data describes
    .addColumn('status', 'text', notNull) // loading | in_force | superseded | rejected
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors_json', 'text')
    .addColumn('imported_by', 'text', notNull)
    .addColumn('imported_at', 'text', notNull)
    .addColumn('activated_at', 'text')
    .execute();
  await db.schema
    .createIndex('dept_snapshot_source_idx')
    .on('dept_snapshot')
    .columns(['county_code', 'source_code', 'status'])
    .execute();

  await recordColumns(
    withId(db, db.schema.createTable('dept_record')).addColumn('snapshot_id', big, notNull),
    big,
  ).execute();
  await db.schema
    .createIndex('dept_record_person_idx')
    .on('dept_record')
    .columns(['id_number', 'source_code'])
    .execute();
  await db.schema.createIndex('dept_record_snapshot_idx').on('dept_record').column('snapshot_id').execute();

  await recordColumns(withId(db, db.schema.createTable('sim_dept_record')), big).execute();
  await db.schema
    .createIndex('sim_dept_record_person_idx')
    .on('sim_dept_record')
    .columns(['source_code', 'id_number'])
    .execute();

  await withId(db, db.schema.createTable('dept_query'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text')
    .addColumn('source_code', 'text', notNull)
    .addColumn('id_number', 'text', notNull)
    .addColumn('person_id', big)
    .addColumn('case_id', big)
    .addColumn('verification_request_id', big)
    .addColumn('authorisation_id', big)
    .addColumn('basis', 'text', notNull) // authorisation | periodic_recheck
    .addColumn('channel', 'text', notNull) // connector | snapshot
    .addColumn('snapshot_id', big)
    .addColumn('status', 'text', notNull) // ok | not_found | error | timeout | circuit_open | refused
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duration_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('record_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('requested_by', 'text', notNull)
    .addColumn('user_id', big)
    .addColumn('requested_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('dept_query_request_idx')
    .on('dept_query')
    .columns(['verification_request_id'])
    .execute();
  await db.schema
    .createIndex('dept_query_area_idx')
    .on('dept_query')
    .columns(['county_code', 'requested_at'])
    .execute();

  await withId(db, db.schema.createTable('verification_batch'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text')
    .addColumn('program_codes', 'text', notNull) // JSON array
    .addColumn('trigger', 'text', notNull) // on_demand | scheduled
    .addColumn('status', 'text', notNull) // running | done | failed
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor', big, (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('started_by', 'text', notNull)
    .addColumn('started_at', 'text', notNull)
    .addColumn('finished_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('verification_request'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('case_id', big)
    .addColumn('household_id', big, notNull)
    .addColumn('enrolment_id', big)
    .addColumn('batch_id', big)
    .addColumn('basis', 'text', notNull) // authorisation | periodic_recheck
    .addColumn('check_type', 'text', notNull) // 01 城市低保 | 02 农村低保 | 03 低收入 | 05 特困
    .addColumn('subjects_json', 'text', notNull)
    .addColumn('declaration_json', 'text')
    .addColumn('status', 'text', notNull) // running | done | failed
    .addColumn('requested_on', 'text', notNull)
    .addColumn('requested_by', 'text', notNull)
    .addColumn('requested_at', 'text', notNull)
    .addColumn('completed_at', 'text')
    .addColumn('report_id', big)
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('verification_request_case_idx')
    .on('verification_request')
    .columns(['case_id'])
    .execute();
  await db.schema
    .createIndex('verification_request_household_idx')
    .on('verification_request')
    .columns(['household_id'])
    .execute();
  await db.schema
    .createIndex('verification_request_batch_idx')
    .on('verification_request')
    .columns(['batch_id', 'household_id'])
    .unique()
    .execute();

  await withId(db, db.schema.createTable('verification_report'))
    .addColumn('request_id', big, notNull)
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('case_id', big)
    .addColumn('household_id', big, notNull)
    .addColumn('report_no', 'text', notNull)
    .addColumn('check_type', 'text', notNull)
    .addColumn('conclusion_code', 'text', notNull)
    .addColumn('conclusion_label', 'text', notNull)
    .addColumn('difference_count', 'integer', notNull)
    .addColumn('as_of', 'text', notNull)
    .addColumn('report_json', 'text', notNull)
    .addColumn('sha256', 'text', notNull)
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('verification_report_no_uq')
    .on('verification_report')
    .column('report_no')
    .unique()
    .execute();
  await db.schema
    .createIndex('verification_report_household_idx')
    .on('verification_report')
    .columns(['household_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('verification_report_case_idx')
    .on('verification_report')
    .columns(['case_id'])
    .execute();
  if (isPg(db)) {
    await sql`create function verification_report_immutable() returns trigger language plpgsql as $$
      begin raise exception 'verification_report is immutable'; end $$`.execute(db);
    await sql`create trigger verification_report_no_change before update or delete on verification_report
      for each row execute function verification_report_immutable()`.execute(db);
  } else {
    await sql`create trigger verification_report_no_update before update on verification_report
      begin select raise(abort, 'verification_report is immutable'); end`.execute(db);
    await sql`create trigger verification_report_no_delete before delete on verification_report
      begin select raise(abort, 'verification_report is immutable'); end`.execute(db);
  }

  await withId(db, db.schema.createTable('audit_rule'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('code', 'text', notNull)
    .addColumn('rule_type', 'text', notNull)
    .addColumn('label', 'text', notNull)
    .addColumn('category', 'text', notNull) // 漏保 | 错保 | 关系保 | 人情保 | 骗保 (codes in domain/campaign)
    .addColumn('params_json', 'text', notNull)
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('audit_rule_code_uq')
    .on('audit_rule')
    .columns(['county_code', 'code'])
    .unique()
    .execute();

  await withId(db, db.schema.createTable('audit_campaign'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('title', 'text', notNull)
    .addColumn('program_codes', 'text', notNull) // JSON array
    .addColumn('town_codes', 'text', notNull) // JSON array; [] = whole county
    .addColumn('rule_codes', 'text', notNull) // JSON array
    .addColumn('rules_json', 'text') // the rules (type, params) as run, frozen at start
    .addColumn('as_of', 'text', notNull)
    .addColumn('review_due_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('status', 'text', notNull) // draft | running | done | failed
    .addColumn('rules_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rules_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('population_json', 'text')
    .addColumn('finding_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('audit_finding'))
    .addColumn('campaign_id', big, notNull)
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('rule_code', 'text', notNull)
    .addColumn('rule_type', 'text', notNull)
    .addColumn('category', 'text', notNull)
    .addColumn('household_id', big, notNull)
    .addColumn('person_id', big)
    .addColumn('enrolment_id', big)
    .addColumn('program_code', 'text')
    .addColumn('persons', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'text', notNull)
    .addColumn('evidence_json', 'text', notNull)
    .addColumn('task_id', big)
    .addColumn('case_id', big)
    .addColumn('outcome', 'text') // keep | exit | recover
    .addColumn('outcome_note', 'text')
    .addColumn('recovery_fen', big)
    .addColumn('outcome_by', 'text')
    .addColumn('outcome_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('audit_finding_campaign_idx')
    .on('audit_finding')
    .columns(['campaign_id', 'town_code'])
    .execute();
  await db.schema
    .createIndex('audit_finding_uq')
    .on('audit_finding')
    .columns(['campaign_id', 'rule_code', 'household_id', 'person_id'])
    .unique()
    .execute();
}

/** The normalised department record (domain/verification/sources.ts), shared by real and simulated data. */
function recordColumns<T extends string>(table: CreateTableBuilder<T, never>, big: 'bigint' | 'integer') {
  return table
    .addColumn('source_code', 'text', notNull)
    .addColumn('id_number', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('status', 'text')
    .addColumn('amount_fen', big)
    .addColumn('monthly_fen', big)
    .addColumn('event_date', 'text')
    .addColumn('exempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ref', 'text')
    .addColumn('data_json', 'text');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPg(db)) {
    await sql`drop trigger if exists verification_report_no_change on verification_report`.execute(db);
    await sql`drop function if exists verification_report_immutable()`.execute(db);
  }
  for (const t of [
    'audit_finding',
    'audit_campaign',
    'audit_rule',
    'verification_report',
    'verification_request',
    'verification_batch',
    'dept_query',
    'sim_dept_record',
    'dept_record',
    'dept_snapshot',
    'dept_source_config',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
