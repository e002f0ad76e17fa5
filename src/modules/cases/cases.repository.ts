import type { Insertable, Kysely, Transaction } from 'kysely';
import type { CaseEventTable, CaseFileTable, CaseTaskTable, Database } from '../../db/schema.ts';
import type { AreaScope } from '../../domain/access/area-scope.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findCase(db: Db, scope: AreaScope, id: number) {
  return db
    .selectFrom('case_file')
    .selectAll()
    .where('id', '=', id)
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('town_code', '=', scope.townCode))
    .executeTakeFirst();
}

export function locateCase(db: Db, id: number) {
  return db
    .selectFrom('case_file')
    .select(['id', 'county_code', 'town_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface CaseFilter {
  state?: string | undefined;
  programCode?: string | undefined;
  townCode?: string | undefined;
  open?: boolean | undefined;
}

export function listCases(
  db: Db,
  scope: AreaScope,
  f: CaseFilter,
  terminalStates: string[],
  page: { offset: number; limit: number },
) {
  let q = db
    .selectFrom('case_file as c')
    .innerJoin('household as h', 'h.id', 'c.household_id')
    .leftJoin('person as head', 'head.id', 'h.head_person_id')
    .leftJoin('area as town', 'town.code', 'c.town_code')
    .where('c.county_code', '=', scope.countyCode);
  if (scope.townCode !== null) q = q.where('c.town_code', '=', scope.townCode);
  if (f.townCode) q = q.where('c.town_code', '=', f.townCode);
  if (f.state) q = q.where('c.state', '=', f.state);
  if (f.programCode) q = q.where('c.program_code', '=', f.programCode);
  if (f.open && terminalStates.length > 0) q = q.where('c.state', 'not in', terminalStates);
  return q
    .selectAll('c')
    .select(['head.name as head_name', 'h.address', 'town.name as town_name'])
    .orderBy('c.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export function insertCase(db: Transaction<Database>, row: Insertable<CaseFileTable>) {
  return db.insertInto('case_file').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertEvent(db: Transaction<Database>, row: Insertable<CaseEventTable>) {
  return db.insertInto('case_event').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertTask(db: Transaction<Database>, row: Insertable<CaseTaskTable>) {
  return db.insertInto('case_task').values(row).execute();
}

/** Optimistic lock: the update happens only if nobody changed the case since the clerk loaded it. */
export function updateCaseVersioned(
  db: Transaction<Database>,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<CaseFileTable, 'id' | 'version'>>,
) {
  return db
    .updateTable('case_file')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function eventsOf(db: Db, caseId: number) {
  return db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export function tasksOf(db: Db, caseId: number) {
  return db.selectFrom('case_task').selectAll().where('case_id', '=', caseId).orderBy('due_on').execute();
}

/** Users who are registered officials related to a current member of the household (DOMAIN §10). */
export async function relatedStaffUserIds(db: Db, householdId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('household_member as hm')
    .innerJoin('person as p', 'p.id', 'hm.person_id')
    .innerJoin('staff_relative as sr', 'sr.id_number', 'p.id_number')
    .innerJoin('staff as s', 's.id', 'sr.staff_id')
    .select('s.user_id')
    .where('hm.household_id', '=', householdId)
    .where('hm.valid_to', 'is', null)
    .execute();
  return [...new Set(rows.map((r) => r.user_id).filter((u): u is number => u !== null))];
}
