/**
 * SQL of the filings (备案表, 花名册, 公示名单): the enrolments in force at a date, their household members at that
 * date and their benefit decisions up to that month. Three queries per export whatever the size of the town
 * (joins on the same filter, no `in (…)` lists).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface FilingScope {
  countyCode: string;
  /** One town, or null for every town of the county. */
  townCode: string | null;
  /** One village (the household's current village), or null. */
  villageCode: string | null;
  programs: readonly string[];
  /** The month whose enrolments are in force ('YYYY-MM'). */
  month: string;
  /** The date the household members are taken at ('YYYY-MM-DD'). */
  asOf: string;
  /** Suspended enrolments (暂停发放) are listed on a filing, not on a public notice. */
  includeSuspended: boolean;
}

/**
 * Enrolments in force in the month: started, and not ended before it (an ended enrolment still counts for the
 * months up to its end month, DOMAIN §4.9); open ones that were closed without an end month are left out.
 */
function inForce(db: Db, s: FilingScope) {
  return db
    .selectFrom('enrolment as e')
    .innerJoin('household as h', 'h.id', 'e.household_id')
    .where('e.county_code', '=', s.countyCode)
    .where('e.program_code', 'in', [...s.programs])
    .$if(s.townCode !== null, (q) => q.where('e.town_code', '=', s.townCode as string))
    .$if(s.villageCode !== null, (q) => q.where('h.village_code', '=', s.villageCode as string))
    .$if(!s.includeSuspended, (q) => q.where('e.status', '<>', 'suspended'))
    .where('e.start_month', '<=', s.month)
    .where((eb) =>
      eb.or([
        eb('e.end_month', '>=', s.month),
        eb.and([eb('e.end_month', 'is', null), eb('e.status', '<>', 'ended')]),
      ]),
    );
}

export function listEnrolmentsInForce(db: Db, s: FilingScope) {
  return inForce(db, s)
    .select([
      'e.id as enrolment_id',
      'e.program_code',
      'e.town_code',
      'e.household_id',
      'e.person_id',
      'e.start_month',
      'e.status',
      'e.support_mode',
      'e.review_class',
      'e.last_review_on',
      'h.village_code',
      'h.head_person_id',
      'h.bank_name',
      'h.bank_account',
    ])
    .orderBy('e.town_code')
    .orderBy('h.village_code')
    .orderBy('e.household_id')
    .orderBy('e.id')
    .execute();
}

/** Every member of the enrolments' households at the as-of date (one row per enrolment × member). */
export function listMembersAt(db: Db, s: FilingScope) {
  return inForce(db, s)
    .innerJoin('household_member as hm', 'hm.household_id', 'e.household_id')
    .innerJoin('person as p', 'p.id', 'hm.person_id')
    .where('hm.valid_from', '<=', s.asOf)
    .where((eb) => eb.or([eb('hm.valid_to', 'is', null), eb('hm.valid_to', '>', s.asOf)]))
    .select([
      'e.id as enrolment_id',
      'p.id as person_id',
      'p.name',
      'p.sex',
      'p.id_number',
      'p.birth_date',
      'p.death_date',
      'hm.relation',
    ])
    .orderBy('e.id')
    .orderBy('hm.valid_from')
    .orderBy('p.id')
    .execute();
}

/** The enrolments' benefit decisions effective up to the month, oldest first (the last one is in force). */
export function listDecisionsUpTo(db: Db, s: FilingScope) {
  return inForce(db, s)
    .innerJoin('benefit_decision as d', 'd.enrolment_id', 'e.id')
    .where('d.effective_month', '<=', s.month)
    .select([
      'd.id',
      'd.enrolment_id',
      'd.program_code',
      'd.effective_month',
      'd.members_json',
      'd.monthly_amount_fen',
    ])
    .orderBy('d.enrolment_id')
    .orderBy('d.effective_month')
    .orderBy('d.id')
    .execute();
}

/** Names of the county's towns and villages, by code. */
export async function areaNamesOf(db: Db, countyCode: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('area')
    .select(['code', 'name'])
    .where('code', 'like', `${countyCode}%`)
    .where('level', 'in', ['county', 'town', 'village'])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
