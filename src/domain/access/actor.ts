import type { Role } from './roles.ts';

/** Who is acting: a logged-in user, or the system (CLI, seed, jobs). */
export interface Actor {
  userId: number | null;
  username: string;
  role: Role | 'system';
  countyCode: string;
  /** The user's bound area: the county (6 digits) or a town (9 digits). */
  areaCode: string;
  ip?: string | null;
}

export function systemActor(countyCode: string, name = 'system'): Actor {
  return { userId: null, username: `system:${name}`, role: 'system', countyCode, areaCode: countyCode };
}
