import { type Kysely, sql } from 'kysely';
import { bigintType, isPg, notNull, withId } from './schema-helpers.ts';

// Frozen in time: the program catalogue as of this migration.
const PROGRAMS = [
  ['urban_dibao', '城市低保', 'household', 1],
  ['rural_dibao', '农村低保', 'household', 2],
  ['urban_tekun', '城市特困供养', 'person', 3],
  ['rural_tekun', '农村特困供养（五保）', 'person', 4],
  ['medical_aid', '医疗救助', 'person', 5],
  ['temporary_aid', '临时救助', 'household', 6],
  ['price_subsidy', '临时价格补贴', 'household', 7],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);
  const timestamps = <T extends string>(t: ReturnType<typeof db.schema.createTable<T>>) =>
    t.addColumn('created_at', 'text', notNull).addColumn('updated_at', 'text', notNull);
  const version = <T extends string>(t: ReturnType<typeof db.schema.createTable<T>>) =>
    t.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1));

  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', notNull)
    .execute();

  await db.schema
    .createTable('area')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', notNull)
    .addColumn('level', 'text', notNull)
    .addColumn('parent_code', 'text', (c) => c.references('area.code'))
    .addColumn('urban_rural', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('area_parent_idx').on('area').column('parent_code').execute();

  await db.schema
    .createTable('program')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', notNull)
    .addColumn('unit', 'text', notNull)
    .addColumn('sort_order', 'integer', notNull)
    .execute();
  await db
    .insertInto('program' as never)
    .values(PROGRAMS.map(([code, name, unit, sort_order]) => ({ code, name, unit, sort_order })) as never)
    .execute();

  await timestamps(
    version(
      withId(db, db.schema.createTable('household'))
        .addColumn('county_code', 'text', notNull)
        .addColumn('town_code', 'text', notNull)
        .addColumn('village_code', 'text')
        .addColumn('address', 'text', notNull)
        .addColumn('hukou_type', 'text', notNull)
        .addColumn('head_person_id', big)
        .addColumn('phone', 'text')
        .addColumn('bank_name', 'text')
        .addColumn('bank_account', 'text')
        .addColumn('bank_account_holder', 'text'),
    ),
  ).execute();
  await db.schema
    .createIndex('household_area_idx')
    .on('household')
    .columns(['county_code', 'town_code', 'village_code'])
    .execute();

  await withId(db, db.schema.createTable('household_area_history'))
    .addColumn('household_id', big, (c) => c.notNull().references('household.id'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('village_code', 'text')
    .addColumn('valid_from', 'text', notNull)
    .addColumn('valid_to', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('household_area_history_hh_idx')
    .on('household_area_history')
    .column('household_id')
    .execute();

  await timestamps(
    version(
      withId(db, db.schema.createTable('person'))
        .addColumn('county_code', 'text', notNull)
        .addColumn('town_code', 'text')
        .addColumn('id_number', 'text', notNull)
        .addColumn('name', 'text', notNull)
        .addColumn('sex', 'text', notNull)
        .addColumn('birth_date', 'text', notNull)
        .addColumn('ethnicity', 'text')
        .addColumn('hukou_type', 'text', notNull)
        .addColumn('disability_category', 'text')
        .addColumn('disability_grade', 'integer')
        .addColumn('labour_capacity', 'text', notNull)
        .addColumn('serious_illness', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('self_care', 'text', notNull)
        .addColumn('school_status', 'text', notNull)
        .addColumn('employment_status', 'text', notNull)
        .addColumn('death_date', 'text')
        .addColumn('phone', 'text'),
    ),
  ).execute();
  await db.schema.createIndex('person_id_number_uq').on('person').column('id_number').unique().execute();
  await db.schema.createIndex('person_area_idx').on('person').columns(['county_code', 'town_code']).execute();
  await db.schema.createIndex('person_name_idx').on('person').column('name').execute();

  await withId(db, db.schema.createTable('household_member'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('household_id', big, (c) => c.notNull().references('household.id'))
    .addColumn('person_id', big, (c) => c.notNull().references('person.id'))
    .addColumn('relation', 'text', notNull)
    .addColumn('valid_from', 'text', notNull)
    .addColumn('valid_to', 'text')
    .addColumn('reason', 'text')
    .execute();
  // A person belongs to one household at a time.
  await db.schema
    .createIndex('household_member_current_uq')
    .on('household_member')
    .column('person_id')
    .unique()
    .where(sql.ref('valid_to'), 'is', null)
    .execute();
  await db.schema
    .createIndex('household_member_hh_idx')
    .on('household_member')
    .columns(['household_id', 'valid_to'])
    .execute();

  await timestamps(
    version(
      withId(db, db.schema.createTable('enrolment'))
        .addColumn('county_code', 'text', notNull)
        .addColumn('town_code', 'text', notNull)
        .addColumn('program_code', 'text', (c) => c.notNull().references('program.code'))
        .addColumn('household_id', big, (c) => c.notNull().references('household.id'))
        .addColumn('person_id', big, (c) => c.references('person.id'))
        .addColumn('start_month', 'text', notNull)
        .addColumn('end_month', 'text')
        .addColumn('status', 'text', notNull)
        .addColumn('support_mode', 'text')
        .addColumn('single_person', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('end_reason', 'text'),
    ),
  ).execute();
  await db.schema.createIndex('enrolment_hh_idx').on('enrolment').column('household_id').execute();
  await db.schema
    .createIndex('enrolment_program_idx')
    .on('enrolment')
    .columns(['county_code', 'program_code', 'status'])
    .execute();

  await timestamps(
    version(
      withId(db, db.schema.createTable('staff'))
        .addColumn('county_code', 'text', notNull)
        .addColumn('town_code', 'text')
        .addColumn('person_id', big, (c) => c.references('person.id'))
        .addColumn('id_number', 'text', notNull)
        .addColumn('name', 'text', notNull)
        .addColumn('kind', 'text', notNull)
        .addColumn('organisation', 'text', notNull)
        .addColumn('position', 'text')
        .addColumn('term_start', 'text', notNull)
        .addColumn('term_end', 'text'),
    ),
  ).execute();
  await db.schema.createIndex('staff_id_number_idx').on('staff').column('id_number').execute();

  await withId(db, db.schema.createTable('staff_relative'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('staff_id', big, (c) => c.notNull().references('staff.id'))
    .addColumn('id_number', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('relation', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('staff_relative_id_number_idx')
    .on('staff_relative')
    .column('id_number')
    .execute();

  await timestamps(
    version(
      withId(db, db.schema.createTable('app_user'))
        .addColumn('username', 'text', notNull)
        .addColumn('display_name', 'text', notNull)
        .addColumn('role', 'text', notNull)
        .addColumn('county_code', 'text', notNull)
        .addColumn('area_code', 'text', notNull)
        .addColumn('password_hash', 'text', notNull)
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)),
    ),
  ).execute();
  await db.schema.createIndex('app_user_username_uq').on('app_user').column('username').unique().execute();

  await db.schema
    .createTable('session')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('app_user.id'))
    .addColumn('csrf_token', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('last_seen_at', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('chain', 'text', notNull)
    .addColumn('seq', big, notNull)
    .addColumn('at', 'text', notNull)
    .addColumn('user_id', big)
    .addColumn('username', 'text')
    .addColumn('action', 'text', notNull)
    .addColumn('entity_type', 'text', notNull)
    .addColumn('entity_id', 'text')
    .addColumn('county_code', 'text')
    .addColumn('town_code', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', notNull)
    .addColumn('hash', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('audit_log_chain_seq_uq')
    .on('audit_log')
    .columns(['chain', 'seq'])
    .unique()
    .execute();
  await db.schema
    .createIndex('audit_log_entity_idx')
    .on('audit_log')
    .columns(['entity_type', 'entity_id'])
    .execute();
  await db.schema.createIndex('audit_log_user_idx').on('audit_log').columns(['user_id', 'at']).execute();

  await db.schema
    .createTable('audit_chain_head')
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', big, notNull)
    .addColumn('last_hash', 'text', notNull)
    .execute();

  // Append-only: the application can never rewrite history. A superuser who drops the trigger
  // and edits a row is caught by the hash chain (jiuzhu audit verify).
  if (isPg(db)) {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'audit_chain_head',
    'audit_log',
    'session',
    'app_user',
    'staff_relative',
    'staff',
    'enrolment',
    'household_member',
    'person',
    'household_area_history',
    'household',
    'program',
    'area',
    'setting',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  if (isPg(db)) await sql`drop function if exists audit_log_append_only()`.execute(db);
}
