/**
 * Area scoping: each user sees only their own area (the county, or one town).
 * 统计用区划代码 are prefix-nested, so "inside" is a prefix test on the right level.
 */
import type { Actor } from './actor.ts';

export type AreaLevel = 'province' | 'city' | 'county' | 'town' | 'village';

export function areaLevel(code: string): AreaLevel | null {
  switch (code.length) {
    case 2:
      return 'province';
    case 4:
      return 'city';
    case 6:
      return 'county';
    case 9:
      return 'town';
    case 12:
      return 'village';
    default:
      return null;
  }
}

export function parentAreaCode(code: string): string | null {
  switch (code.length) {
    case 4:
      return code.slice(0, 2);
    case 6:
      return code.slice(0, 4);
    case 9:
      return code.slice(0, 6);
    case 12:
      return code.slice(0, 9);
    default:
      return null;
  }
}

export interface AreaScope {
  countyCode: string;
  townCode: string | null;
}

export function scopeOf(actor: Pick<Actor, 'countyCode' | 'areaCode'>): AreaScope {
  const town = actor.areaCode.length >= 9 ? actor.areaCode.slice(0, 9) : null;
  return { countyCode: actor.countyCode, townCode: town };
}

/** Whether a record located in (county, town) is inside the actor's area. */
export function isWithinScope(scope: AreaScope, countyCode: string, townCode: string | null): boolean {
  if (countyCode !== scope.countyCode) return false;
  if (scope.townCode === null) return true;
  return townCode === scope.townCode;
}
