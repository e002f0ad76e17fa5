import type { Kysely } from 'kysely';
import { bigintType, notNull, withId } from './schema-helpers.ts';

/**
 * One-window intake (一门受理、协同办理, DOMAIN §2) and the case workflow (DOMAIN §4–§6): requests with
 * their requested items, verification authorisations, cases with their transition log, and tasks with
 * due dates (先行救助 paperwork, re-checks after a death, county home visits).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const big = bigintType(db);
  const version = (c: import('kysely').ColumnDefinitionBuilder) => c.notNull().defaultTo(1);

  // A registered official who is also a system user: the workflow makes them recuse themselves from
  // cases of their close relatives (DOMAIN §10).
  await db.schema.alterTable('staff').addColumn('user_id', big).execute();

  await withId(db, db.schema.createTable('intake_request'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('village_code', 'text')
    .addColumn('household_id', big, (c) => c.references('household.id'))
    .addColumn('applicant_person_id', big, (c) => c.references('person.id'))
    .addColumn('applicant_name', 'text', notNull)
    .addColumn('applicant_id_number', 'text')
    .addColumn('applicant_phone', 'text')
    .addColumn('channel', 'text', notNull) // window | online | active_discovery | hotline_12349 | delegated
    .addColumn('description', 'text', notNull) // 困难情况、致贫原因
    .addColumn('received_by_user_id', big)
    .addColumn('received_by', 'text', notNull)
    .addColumn('received_at', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('missing_materials_json', 'text')
    .addColumn('notice_issued_at', 'text')
    .addColumn('version', 'integer', version)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('intake_request_area_idx')
    .on('intake_request')
    .columns(['county_code', 'town_code', 'status'])
    .execute();

  await withId(db, db.schema.createTable('intake_item'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('request_id', big, (c) => c.notNull().references('intake_request.id'))
    .addColumn('item_code', 'text', notNull)
    .addColumn('decision', 'text', notNull) // pending | accepted | forwarded | referred | rejected | replied | closed
    .addColumn('department', 'text')
    .addColumn('forwarded_on', 'text')
    .addColumn('due_on', 'text')
    .addColumn('reply', 'text')
    .addColumn('replied_on', 'text')
    .addColumn('applicant_informed_on', 'text')
    .addColumn('reason', 'text')
    .addColumn('case_id', big)
    .addColumn('version', 'integer', version)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();
  await db.schema.createIndex('intake_item_request_idx').on('intake_item').column('request_id').execute();
  await db.schema
    .createIndex('intake_item_due_idx')
    .on('intake_item')
    .columns(['county_code', 'decision', 'due_on'])
    .execute();

  await withId(db, db.schema.createTable('verification_authorisation'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('request_id', big, (c) => c.notNull().references('intake_request.id'))
    .addColumn('person_id', big, (c) => c.references('person.id'))
    .addColumn('id_number', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('signer', 'text', notNull) // self | guardian | proxy | heir (DOMAIN §3.2)
    .addColumn('signer_name', 'text')
    .addColumn('signed_on', 'text', notNull)
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('verification_authorisation_request_idx')
    .on('verification_authorisation')
    .column('request_id')
    .execute();
  await db.schema
    .createIndex('verification_authorisation_id_number_idx')
    .on('verification_authorisation')
    .column('id_number')
    .execute();

  await withId(db, db.schema.createTable('case_file'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('program_code', 'text', (c) => c.notNull().references('program.code'))
    .addColumn('procedure', 'text', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('household_id', big, (c) => c.notNull().references('household.id'))
    .addColumn('person_id', big, (c) => c.references('person.id'))
    .addColumn('intake_item_id', big, (c) => c.references('intake_item.id'))
    .addColumn('accepted_on', 'text', notNull)
    .addColumn('state_entered_on', 'text', notNull)
    .addColumn('facts_json', 'text', notNull)
    .addColumn('decision', 'text')
    .addColumn('decided_on', 'text')
    .addColumn('reasons', 'text')
    .addColumn('enrolment_id', big, (c) => c.references('enrolment.id'))
    .addColumn('version', 'integer', version)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();
  await db.schema
    .createIndex('case_file_area_idx')
    .on('case_file')
    .columns(['county_code', 'town_code', 'state'])
    .execute();
  await db.schema.createIndex('case_file_household_idx').on('case_file').column('household_id').execute();

  await withId(db, db.schema.createTable('case_event'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('case_id', big, (c) => c.notNull().references('case_file.id'))
    .addColumn('action', 'text', notNull)
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', notNull)
    .addColumn('actor_user_id', big)
    .addColumn('actor', 'text', notNull)
    .addColumn('at', 'text', notNull)
    .addColumn('decided_on', 'text', notNull)
    .addColumn('input_json', 'text')
    .addColumn('effects_json', 'text')
    .execute();
  await db.schema.createIndex('case_event_case_idx').on('case_event').columns(['case_id', 'id']).execute();
  // Statistics count 新增/取消 by decision month and program (the statistics issue builds on this).
  await db.schema
    .createIndex('case_event_decision_idx')
    .on('case_event')
    .columns(['county_code', 'action', 'decided_on'])
    .execute();

  await withId(db, db.schema.createTable('case_task'))
    .addColumn('county_code', 'text', notNull)
    .addColumn('town_code', 'text', notNull)
    .addColumn('case_id', big, (c) => c.references('case_file.id'))
    .addColumn('household_id', big, (c) => c.references('household.id'))
    .addColumn('kind', 'text', notNull)
    .addColumn('due_on', 'text', notNull)
    .addColumn('status', 'text', notNull) // open | done | cancelled
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', notNull)
    .addColumn('done_at', 'text')
    .execute();
  await db.schema
    .createIndex('case_task_due_idx')
    .on('case_task')
    .columns(['county_code', 'status', 'due_on'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'case_task',
    'case_event',
    'case_file',
    'verification_authorisation',
    'intake_item',
    'intake_request',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('staff').dropColumn('user_id').execute();
}
