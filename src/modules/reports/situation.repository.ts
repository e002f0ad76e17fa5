/**
 * The reads of the 情况报告 that the monthly statistics do not carry: 临时救助 cases accepted, the latest 核查
 * campaign before the report month, the county's towns and its window clerks. Read only; `townCode` null = the
 * whole county.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** 临时救助 cases (case_file) accepted between two dates, inclusive ('YYYY-MM-DD'). */
export async function countTemporaryAidCases(
  db: Db,
  countyCode: string,
  townCode: string | null,
  fromDate: string,
  toDate: string,
): Promise<number> {
  const r = await db
    .selectFrom('case_file')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('county_code', '=', countyCode)
    .where('program_code', '=', 'temporary_aid')
    .where('accepted_on', '>=', fromDate)
    .where('accepted_on', '<=', toDate)
    .$if(townCode !== null, (q) => q.where('town_code', '=', townCode ?? ''))
    .executeTakeFirst();
  return n(r?.n);
}

/** The latest completed 核查 campaign whose as_of is before a date (any year); undefined when none. */
export function latestCampaignBefore(db: Db, countyCode: string, beforeDate: string) {
  return db
    .selectFrom('audit_campaign')
    .select(['id', 'title', 'as_of', 'population_json'])
    .where('county_code', '=', countyCode)
    .where('status', '=', 'done')
    .where('as_of', '<', beforeDate)
    .orderBy('as_of', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Towns with a service window (社会救助综合服务窗口): town-level units of the county (or just the one town) with an
 * enabled window clerk. A forest farm or a town without window staff is not counted.
 */
export async function countTowns(db: Db, countyCode: string, townCode: string | null): Promise<number> {
  const r = await db
    .selectFrom('area')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', countyCode)
    .where('level', '=', 'town')
    .where('code', 'in', (eb) =>
      eb
        .selectFrom('app_user')
        .select('area_code')
        .where('role', '=', 'town_clerk')
        .where('disabled', '=', 0)
        .where('county_code', '=', countyCode),
    )
    .$if(townCode !== null, (q) => q.where('code', '=', townCode ?? ''))
    .executeTakeFirst();
  return n(r?.n);
}

/** Enabled users with the window clerk role (town_clerk) of the county or the town. */
export async function countWindowClerks(
  db: Db,
  countyCode: string,
  townCode: string | null,
): Promise<number> {
  const r = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('county_code', '=', countyCode)
    .where('role', '=', 'town_clerk')
    .where('disabled', '=', 0)
    .$if(townCode !== null, (q) => q.where('area_code', '=', townCode ?? ''))
    .executeTakeFirst();
  return n(r?.n);
}
