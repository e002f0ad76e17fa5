import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AppUserTable, Database } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Db, id: number) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertUser(db: Db, row: Insertable<AppUserTable>) {
  return db.insertInto('app_user').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listUsers(db: Db, countyCode: string) {
  return db
    .selectFrom('app_user')
    .select([
      'id',
      'username',
      'display_name',
      'role',
      'county_code',
      'area_code',
      'disabled',
      'locked_until',
      'must_change_password',
      'version',
      'created_at',
      'updated_at',
    ])
    .where('county_code', '=', countyCode)
    .orderBy('id')
    .execute();
}
