/**
 * SQL of the registry (households, persons, membership history). Every function that reads or
 * changes caseload rows takes the caller's AreaScope and applies it in SQL, so no route can reach
 * another area's records by forgetting a check.
 */
import { type ExpressionBuilder, type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { likePattern } from '../../db/dialect.ts';
import type {
  Database,
  HouseholdAreaHistoryTable,
  HouseholdMemberTable,
  HouseholdTable,
  PersonTable,
} from '../../db/schema.ts';
import type { AreaScope } from '../../domain/access/area-scope.ts';

type Db = Kysely<Database> | Transaction<Database>;

function householdInScope(scope: AreaScope) {
  return (eb: ExpressionBuilder<Database, 'household'>) =>
    scope.townCode === null
      ? eb('household.county_code', '=', scope.countyCode)
      : eb.and([
          eb('household.county_code', '=', scope.countyCode),
          eb('household.town_code', '=', scope.townCode),
        ]);
}

/** Where a household is, without scope: used only to tell "not found" from "outside your area". */
export function locateHousehold(db: Db, id: number) {
  return db
    .selectFrom('household')
    .select(['id', 'county_code', 'town_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function locatePerson(db: Db, id: number) {
  return db
    .selectFrom('person')
    .select(['id', 'county_code', 'town_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findHousehold(db: Db, scope: AreaScope, id: number) {
  return db
    .selectFrom('household')
    .selectAll()
    .where('id', '=', id)
    .where(householdInScope(scope))
    .executeTakeFirst();
}

export function findPerson(db: Db, scope: AreaScope, id: number) {
  return db
    .selectFrom('person')
    .selectAll()
    .where('id', '=', id)
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (qb) => qb.where('town_code', '=', scope.townCode))
    .executeTakeFirst();
}

export function findPersonByIdNumber(db: Db, idNumber: string) {
  return db.selectFrom('person').selectAll().where('id_number', '=', idNumber).executeTakeFirst();
}

export interface HouseholdFilter {
  townCode?: string;
  villageCode?: string;
  programCode?: string;
  name?: string;
  /** Full 18-digit number (exact) or trailing digits (suffix match). */
  idNumber?: string;
  /** Only households with a current member who is a declared close relative of staff (DOMAIN §10). */
  closeRelative?: boolean;
}

function filteredHouseholds(db: Db, scope: AreaScope, f: HouseholdFilter) {
  let q = db.selectFrom('household').where(householdInScope(scope));
  if (f.townCode) q = q.where('household.town_code', '=', f.townCode);
  if (f.villageCode) q = q.where('household.village_code', '=', f.villageCode);
  if (f.programCode) {
    const program = f.programCode;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrolment')
          .select(sql.lit(1).as('one'))
          .whereRef('enrolment.household_id', '=', 'household.id')
          .where('enrolment.program_code', '=', program)
          .where('enrolment.status', '=', 'active'),
      ),
    );
  }
  if (f.name || f.idNumber) {
    const name = f.name;
    const idNumber = f.idNumber;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('household_member as hm')
          .innerJoin('person as p', 'p.id', 'hm.person_id')
          .select(sql.lit(1).as('one'))
          .whereRef('hm.household_id', '=', 'household.id')
          .where('hm.valid_to', 'is', null)
          .$if(name !== undefined, (qb) =>
            qb.where(sql<boolean>`p.name like ${likePattern(name ?? '')} escape '\\'`),
          )
          .$if(idNumber !== undefined, (qb) =>
            (idNumber ?? '').length === 18
              ? qb.where('p.id_number', '=', idNumber ?? '')
              : qb.where(sql<boolean>`p.id_number like ${likePattern(idNumber ?? '', 'suffix')} escape '\\'`),
          ),
      ),
    );
  }
  if (f.closeRelative) q = q.where(closeRelativeExists);
  return q;
}

/** A current member's ID number appears in the close-relative register (DOMAIN §10). */
function closeRelativeExists(eb: ExpressionBuilder<Database, 'household'>) {
  return eb.exists(
    eb
      .selectFrom('household_member as hm')
      .innerJoin('person as p', 'p.id', 'hm.person_id')
      .innerJoin('staff_relative as sr', 'sr.id_number', 'p.id_number')
      .select(sql.lit(1).as('one'))
      .whereRef('hm.household_id', '=', 'household.id')
      .where('hm.valid_to', 'is', null),
  );
}

export async function countHouseholds(db: Db, scope: AreaScope, f: HouseholdFilter): Promise<number> {
  const row = await filteredHouseholds(db, scope, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listHouseholds(
  db: Db,
  scope: AreaScope,
  f: HouseholdFilter,
  page: { offset: number; limit: number },
) {
  return filteredHouseholds(db, scope, f)
    .leftJoin('person as head', 'head.id', 'household.head_person_id')
    .leftJoin('area as town', 'town.code', 'household.town_code')
    .leftJoin('area as village', 'village.code', 'household.village_code')
    .select((eb) => [
      'household.id',
      'household.county_code',
      'household.town_code',
      'household.village_code',
      'household.address',
      'household.hukou_type',
      'household.bank_name',
      'household.bank_account',
      'household.version',
      'household.updated_at',
      'head.id as head_person_id',
      'head.name as head_name',
      'head.id_number as head_id_number',
      'town.name as town_name',
      'village.name as village_name',
      closeRelativeExists(eb).as('close_relative'),
    ])
    .orderBy('household.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export function currentMemberCounts(db: Db, householdIds: number[]) {
  if (householdIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('household_member')
    .select(['household_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('household_id', 'in', householdIds)
    .where('valid_to', 'is', null)
    .groupBy('household_id')
    .execute();
}

export function enrolmentsOf(db: Db, householdIds: number[], onlyActive: boolean) {
  if (householdIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('enrolment')
    .innerJoin('program', 'program.code', 'enrolment.program_code')
    .leftJoin('person', 'person.id', 'enrolment.person_id')
    .select([
      'enrolment.id',
      'enrolment.household_id',
      'enrolment.person_id',
      'person.name as person_name',
      'enrolment.program_code',
      'program.name as program_name',
      'enrolment.start_month',
      'enrolment.end_month',
      'enrolment.status',
      'enrolment.support_mode',
      'enrolment.single_person',
      'enrolment.end_reason',
      'enrolment.review_class',
      'enrolment.next_review_on',
      'enrolment.version',
    ])
    .where('enrolment.household_id', 'in', householdIds)
    .$if(onlyActive, (qb) => qb.where('enrolment.status', '=', 'active'))
    .orderBy('program.sort_order')
    .orderBy('enrolment.start_month')
    .execute();
}

/** Members of a household; `asOf` (a date) gives who was in it on that day, otherwise all, current and former. */
export function membersOf(db: Db, householdId: number, asOf?: string) {
  let q = db
    .selectFrom('household_member as hm')
    .innerJoin('person as p', 'p.id', 'hm.person_id')
    .select([
      'hm.id as membership_id',
      'hm.relation',
      'hm.valid_from',
      'hm.valid_to',
      'hm.reason',
      'p.id',
      'p.county_code',
      'p.town_code',
      'p.id_number',
      'p.name',
      'p.sex',
      'p.birth_date',
      'p.ethnicity',
      'p.hukou_type',
      'p.disability_category',
      'p.disability_grade',
      'p.labour_capacity',
      'p.serious_illness',
      'p.self_care',
      'p.school_status',
      'p.employment_status',
      'p.death_date',
      'p.phone',
      'p.version',
      'p.updated_at',
    ])
    .where('hm.household_id', '=', householdId);
  if (asOf) {
    q = q
      .where('hm.valid_from', '<=', asOf)
      .where((eb) => eb.or([eb('hm.valid_to', 'is', null), eb('hm.valid_to', '>', asOf)]));
  }
  return q.orderBy('hm.valid_to', 'desc').orderBy('hm.id').execute();
}

export function currentMembership(db: Db, personId: number) {
  return db
    .selectFrom('household_member')
    .selectAll()
    .where('person_id', '=', personId)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
}

export function membershipHistoryOfPerson(db: Db, personId: number) {
  return db
    .selectFrom('household_member as hm')
    .innerJoin('household as h', 'h.id', 'hm.household_id')
    .select([
      'hm.household_id',
      'hm.relation',
      'hm.valid_from',
      'hm.valid_to',
      'hm.reason',
      'h.town_code',
      'h.village_code',
    ])
    .where('hm.person_id', '=', personId)
    .orderBy('hm.valid_from')
    .orderBy('hm.id')
    .execute();
}

export function areaHistoryOf(db: Db, householdId: number) {
  return db
    .selectFrom('household_area_history')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('valid_from')
    .orderBy('id')
    .execute();
}

/** Close-relative register entries matching the household's current members (DOMAIN §10). */
export function closeRelativeMatches(db: Db, householdId: number) {
  return db
    .selectFrom('household_member as hm')
    .innerJoin('person as p', 'p.id', 'hm.person_id')
    .innerJoin('staff_relative as sr', 'sr.id_number', 'p.id_number')
    .innerJoin('staff as s', 's.id', 'sr.staff_id')
    .select([
      'p.id as person_id',
      'p.name as person_name',
      'sr.relation',
      's.id as staff_id',
      's.name as staff_name',
      's.kind as staff_kind',
      's.organisation',
      's.position',
    ])
    .where('hm.household_id', '=', householdId)
    .where('hm.valid_to', 'is', null)
    .execute();
}

export function insertHousehold(db: Db, row: Insertable<HouseholdTable>) {
  return db.insertInto('household').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertPerson(db: Db, row: Insertable<PersonTable>) {
  return db.insertInto('person').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertMembership(db: Db, row: Insertable<HouseholdMemberTable>) {
  return db.insertInto('household_member').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertAreaHistory(db: Db, row: Insertable<HouseholdAreaHistoryTable>) {
  return db.insertInto('household_area_history').values(row).execute();
}

export function closeMembership(
  db: Transaction<Database>,
  membershipId: number,
  validTo: string,
  reason: string | null,
) {
  return db
    .updateTable('household_member')
    .set({ valid_to: validTo, reason })
    .where('id', '=', membershipId)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
}

export function closeAreaHistory(db: Transaction<Database>, householdId: number, validTo: string) {
  return db
    .updateTable('household_area_history')
    .set({ valid_to: validTo })
    .where('household_id', '=', householdId)
    .where('valid_to', 'is', null)
    .execute();
}

/**
 * Optimistic lock: updates only if the row still has the version the clerk edited.
 * Returns the new row, or undefined when someone else changed it meanwhile.
 */
export function updateHouseholdVersioned(
  db: Transaction<Database>,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<HouseholdTable, 'id' | 'version'>>,
) {
  return db
    .updateTable('household')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function updatePersonVersioned(
  db: Transaction<Database>,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<PersonTable, 'id' | 'version'>>,
) {
  return db
    .updateTable('person')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** Moves the denormalised area of every current member along with the household. */
export async function setMembersArea(
  db: Transaction<Database>,
  householdId: number,
  countyCode: string,
  townCode: string,
) {
  const ids = db
    .selectFrom('household_member')
    .select('person_id')
    .where('household_id', '=', householdId)
    .where('valid_to', 'is', null);
  await db
    .updateTable('person')
    .set({ county_code: countyCode, town_code: townCode })
    .where('id', 'in', ids)
    .execute();
  await db
    .updateTable('household_member')
    .set({ county_code: countyCode, town_code: townCode })
    .where('household_id', '=', householdId)
    .where('valid_to', 'is', null)
    .execute();
}

export function findArea(db: Db, code: string) {
  return db.selectFrom('area').selectAll().where('code', '=', code).executeTakeFirst();
}

function filteredPersons(db: Db, scope: AreaScope, f: HouseholdFilter) {
  let q = db
    .selectFrom('person as p')
    .leftJoin('household_member as hm', (j) =>
      j.onRef('hm.person_id', '=', 'p.id').on('hm.valid_to', 'is', null),
    )
    .leftJoin('household as h', 'h.id', 'hm.household_id')
    .where('p.county_code', '=', scope.countyCode);
  if (scope.townCode !== null) q = q.where('p.town_code', '=', scope.townCode);
  if (f.townCode) q = q.where('p.town_code', '=', f.townCode);
  if (f.villageCode) q = q.where('h.village_code', '=', f.villageCode);
  if (f.name) q = q.where(sql<boolean>`p.name like ${likePattern(f.name)} escape '\\'`);
  if (f.idNumber) {
    q =
      f.idNumber.length === 18
        ? q.where('p.id_number', '=', f.idNumber)
        : q.where(sql<boolean>`p.id_number like ${likePattern(f.idNumber, 'suffix')} escape '\\'`);
  }
  if (f.programCode) {
    const program = f.programCode;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrolment as e')
          .select(sql.lit(1).as('one'))
          .whereRef('e.household_id', '=', 'hm.household_id')
          .where('e.program_code', '=', program)
          .where('e.status', '=', 'active')
          .where((eb) => eb.or([eb('e.person_id', 'is', null), eb('e.person_id', '=', eb.ref('p.id'))])),
      ),
    );
  }
  if (f.closeRelative) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('staff_relative as sr')
          .select(sql.lit(1).as('one'))
          .whereRef('sr.id_number', '=', 'p.id_number'),
      ),
    );
  }
  return q;
}

export async function countPersons(db: Db, scope: AreaScope, f: HouseholdFilter): Promise<number> {
  const row = await filteredPersons(db, scope, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listPersons(
  db: Db,
  scope: AreaScope,
  f: HouseholdFilter,
  page: { offset: number; limit: number },
) {
  return filteredPersons(db, scope, f)
    .leftJoin('area as town', 'town.code', 'p.town_code')
    .selectAll('p')
    .select(['hm.household_id', 'hm.relation', 'town.name as town_name'])
    .orderBy('p.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}
