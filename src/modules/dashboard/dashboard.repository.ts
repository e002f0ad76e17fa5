import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AreaScope } from '../../domain/access/area-scope.ts';

/**
 * Active caseload per program and town: households, and persons covered (the living current members of
 * a household-level case, or the one person of a person-level or 单人保 case).
 */
export async function caseloadByProgramAndTown(db: Kysely<Database>, scope: AreaScope) {
  const covered = db
    .selectFrom('enrolment as e')
    .innerJoin('household_member as hm', (j) =>
      j.onRef('hm.household_id', '=', 'e.household_id').on('hm.valid_to', 'is', null),
    )
    .innerJoin('person as p', 'p.id', 'hm.person_id')
    .select(['e.id as enrolment_id', 'e.program_code', 'e.town_code', 'e.household_id', 'p.id as person_id'])
    .where('e.status', '=', 'active')
    .where('e.county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('e.town_code', '=', scope.townCode))
    .where('p.death_date', 'is', null)
    .where((eb) => eb.or([eb('e.person_id', 'is', null), eb('e.person_id', '=', eb.ref('p.id'))]));
  const rows = await db
    .selectFrom(covered.as('c'))
    .select([
      'c.program_code',
      'c.town_code',
      sql<number>`count(distinct c.household_id)`.as('households'),
      sql<number>`count(distinct c.person_id)`.as('persons'),
    ])
    .groupBy(['c.program_code', 'c.town_code'])
    .execute();
  return rows.map((r) => ({ ...r, households: Number(r.households), persons: Number(r.persons) }));
}

export async function registryTotals(db: Kysely<Database>, scope: AreaScope) {
  const households = await db
    .selectFrom('household')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('town_code', '=', scope.townCode))
    .executeTakeFirstOrThrow();
  const persons = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('town_code', '=', scope.townCode))
    .where('death_date', 'is', null)
    .executeTakeFirstOrThrow();
  return { households: Number(households.n), persons: Number(persons.n) };
}
