import type { Kysely } from 'kysely';

/** 分类复核 (DOMAIN §4.9): each enrolled household has a review class and a next-review date. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('enrolment').addColumn('review_class', 'text').execute();
  await db.schema.alterTable('enrolment').addColumn('last_review_on', 'text').execute();
  await db.schema.alterTable('enrolment').addColumn('next_review_on', 'text').execute();
  await db.schema
    .createIndex('enrolment_next_review_idx')
    .on('enrolment')
    .columns(['county_code', 'status', 'next_review_on'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('enrolment_next_review_idx').execute();
  for (const c of ['next_review_on', 'last_review_on', 'review_class']) {
    await db.schema.alterTable('enrolment').dropColumn(c).execute();
  }
}
