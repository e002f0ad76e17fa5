/**
 * SQL of the one-window intake (intake_request, intake_item, verification_authorisation). Every
 * function that reads or changes caseload rows takes the caller's AreaScope and applies it in SQL.
 */
import {
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import { likePattern } from '../../db/dialect.ts';
import type {
  Database,
  IntakeItemTable,
  IntakeRequestTable,
  VerificationAuthorisationTable,
} from '../../db/schema.ts';
import type { AreaScope } from '../../domain/access/area-scope.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type IntakeRequestRow = Selectable<IntakeRequestTable>;
export type IntakeItemRow = Selectable<IntakeItemTable>;
export type AuthorisationRow = Selectable<VerificationAuthorisationTable>;

function requestInScope(scope: AreaScope) {
  return (eb: ExpressionBuilder<Database, 'intake_request'>) =>
    scope.townCode === null
      ? eb('intake_request.county_code', '=', scope.countyCode)
      : eb.and([
          eb('intake_request.county_code', '=', scope.countyCode),
          eb('intake_request.town_code', '=', scope.townCode),
        ]);
}

function itemInScope(scope: AreaScope) {
  return (eb: ExpressionBuilder<Database, 'intake_item'>) =>
    scope.townCode === null
      ? eb('intake_item.county_code', '=', scope.countyCode)
      : eb.and([
          eb('intake_item.county_code', '=', scope.countyCode),
          eb('intake_item.town_code', '=', scope.townCode),
        ]);
}

/** Where a request is, without scope: only to tell "not found" from "outside your area". */
export function locateRequest(db: Db, id: number) {
  return db
    .selectFrom('intake_request')
    .select(['id', 'county_code', 'town_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function locateItem(db: Db, id: number) {
  return db
    .selectFrom('intake_item')
    .select(['id', 'request_id', 'county_code', 'town_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findRequest(db: Db, scope: AreaScope, id: number) {
  return db
    .selectFrom('intake_request')
    .selectAll()
    .where('id', '=', id)
    .where(requestInScope(scope))
    .executeTakeFirst();
}

export function findItem(db: Db, scope: AreaScope, id: number) {
  return db
    .selectFrom('intake_item')
    .selectAll()
    .where('id', '=', id)
    .where(itemInScope(scope))
    .executeTakeFirst();
}

export function itemsOf(db: Db, requestIds: number[]) {
  if (requestIds.length === 0) return Promise.resolve([] as IntakeItemRow[]);
  return db
    .selectFrom('intake_item')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .orderBy('request_id')
    .orderBy('id')
    .execute();
}

export function authorisationsOf(db: Db, requestId: number) {
  return db
    .selectFrom('verification_authorisation')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

export function insertRequest(db: Db, row: Insertable<IntakeRequestTable>) {
  return db.insertInto('intake_request').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertItems(db: Db, rows: Insertable<IntakeItemTable>[]) {
  return db.insertInto('intake_item').values(rows).returningAll().execute();
}

export function insertAuthorisation(db: Db, row: Insertable<VerificationAuthorisationTable>) {
  return db.insertInto('verification_authorisation').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic lock: changes the request only if it still has the version the clerk saw. */
export function updateRequestVersioned(
  db: Transaction<Database>,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<IntakeRequestTable, 'id' | 'version'>>,
) {
  return db
    .updateTable('intake_request')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Bumps the request's version whatever it is. Called first when an item changes: the row lock it takes
 * on PostgreSQL serialises decisions on items of one request, so the status derived afterwards sees
 * every committed item.
 */
export function touchRequest(
  db: Transaction<Database>,
  id: number,
  changes: Partial<Omit<IntakeRequestTable, 'id' | 'version'>>,
) {
  return db
    .updateTable('intake_request')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateItemVersioned(
  db: Transaction<Database>,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<IntakeItemTable, 'id' | 'version'>>,
) {
  return db
    .updateTable('intake_item')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export interface RequestFilter {
  status?: string;
  channel?: string;
  itemCode?: string;
  townCode?: string;
  name?: string;
  /** Only requests with a forwarded item past its due date (`today` is the business date). */
  overdueOn?: string;
}

function filteredRequests(db: Db, scope: AreaScope, f: RequestFilter) {
  let q = db.selectFrom('intake_request').where(requestInScope(scope));
  if (f.status) q = q.where('intake_request.status', '=', f.status);
  if (f.channel) q = q.where('intake_request.channel', '=', f.channel);
  if (f.townCode) q = q.where('intake_request.town_code', '=', f.townCode);
  if (f.name) {
    q = q.where(sql<boolean>`intake_request.applicant_name like ${likePattern(f.name)} escape '\\'`);
  }
  if (f.itemCode) {
    const code = f.itemCode;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('intake_item as i')
          .select(sql.lit(1).as('one'))
          .whereRef('i.request_id', '=', 'intake_request.id')
          .where('i.item_code', '=', code),
      ),
    );
  }
  if (f.overdueOn) {
    const today = f.overdueOn;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('intake_item as i')
          .select(sql.lit(1).as('one'))
          .whereRef('i.request_id', '=', 'intake_request.id')
          .where('i.decision', '=', 'forwarded')
          .where('i.due_on', '<', today),
      ),
    );
  }
  return q;
}

export async function countRequests(db: Db, scope: AreaScope, f: RequestFilter): Promise<number> {
  const row = await filteredRequests(db, scope, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listRequests(
  db: Db,
  scope: AreaScope,
  f: RequestFilter,
  page: { offset: number; limit: number },
) {
  return filteredRequests(db, scope, f)
    .leftJoin('area as town', 'town.code', 'intake_request.town_code')
    .leftJoin('area as village', 'village.code', 'intake_request.village_code')
    .selectAll('intake_request')
    .select(['town.name as town_name', 'village.name as village_name'])
    .orderBy('intake_request.received_at', 'desc')
    .orderBy('intake_request.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

/** Forwarded items (no reply yet) due on or before `until`, in the scope, earliest first. */
export function forwardedDueBy(db: Db, scope: AreaScope, until: string) {
  return db
    .selectFrom('intake_item')
    .innerJoin('intake_request as r', 'r.id', 'intake_item.request_id')
    .leftJoin('area as town', 'town.code', 'intake_item.town_code')
    .select([
      'intake_item.id',
      'intake_item.request_id',
      'intake_item.item_code',
      'intake_item.department',
      'intake_item.forwarded_on',
      'intake_item.due_on',
      'intake_item.town_code',
      'r.applicant_name',
      'town.name as town_name',
    ])
    .where(itemInScope(scope))
    .where('intake_item.decision', '=', 'forwarded')
    .where('intake_item.due_on', 'is not', null)
    .where('intake_item.due_on', '<=', until)
    .orderBy('intake_item.due_on')
    .orderBy('intake_item.id')
    .execute();
}

export function findArea(db: Db, code: string) {
  return db.selectFrom('area').selectAll().where('code', '=', code).executeTakeFirst();
}

export function userDisplayName(db: Db, userId: number) {
  return db.selectFrom('app_user').select('display_name').where('id', '=', userId).executeTakeFirst();
}

/** A registered person with this ID number in the scope (to link the applicant or a signer). */
export function findPersonByIdNumber(db: Db, scope: AreaScope, idNumber: string) {
  return db
    .selectFrom('person')
    .select(['id', 'name', 'town_code'])
    .where('id_number', '=', idNumber)
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (qb) => qb.where('town_code', '=', scope.townCode))
    .executeTakeFirst();
}

/** Close-relative register entries (DOMAIN §10) for any of these ID numbers. */
export function closeRelativesOf(db: Db, countyCode: string, idNumbers: string[]) {
  if (idNumbers.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('staff_relative as sr')
    .innerJoin('staff as s', 's.id', 'sr.staff_id')
    .select(['sr.id_number', 'sr.name', 'sr.relation', 's.name as staff_name', 's.kind as staff_kind'])
    .where('sr.county_code', '=', countyCode)
    .where('sr.id_number', 'in', idNumbers)
    .execute();
}
