/** 工作台: the user's area at a glance, computed from the registry (never stored figures). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { requirePermission } from '../access/require-permission.ts';
import { caseloadByProgramAndTown, registryTotals } from './dashboard.repository.ts';

export async function dashboard(db: Kysely<Database>, actor: Actor) {
  requirePermission(actor, 'registry.read');
  const scope = scopeOf(actor);
  const [rows, totals, programs, towns, area] = await Promise.all([
    caseloadByProgramAndTown(db, scope),
    registryTotals(db, scope),
    db.selectFrom('program').selectAll().orderBy('sort_order').execute(),
    db
      .selectFrom('area')
      .select(['code', 'name'])
      .where('parent_code', '=', scope.countyCode)
      .$if(scope.townCode !== null, (q) => q.where('code', '=', scope.townCode))
      .orderBy('code')
      .execute(),
    db.selectFrom('area').select(['code', 'name']).where('code', '=', actor.areaCode).executeTakeFirst(),
  ]);
  const sum = (list: typeof rows, key: 'households' | 'persons') => list.reduce((n, r) => n + r[key], 0);
  return {
    area: {
      code: actor.areaCode,
      name: area?.name ?? actor.areaCode,
      level: scope.townCode ? 'town' : 'county',
    },
    totals,
    programs: programs.map((p) => {
      const mine = rows.filter((r) => r.program_code === p.code);
      return {
        code: p.code,
        name: p.name,
        households: sum(mine, 'households'),
        persons: sum(mine, 'persons'),
      };
    }),
    towns: towns.map((t) => ({
      code: t.code,
      name: t.name,
      programs: Object.fromEntries(
        programs.map((p) => {
          const r = rows.find((x) => x.town_code === t.code && x.program_code === p.code);
          return [p.code, { households: r?.households ?? 0, persons: r?.persons ?? 0 }];
        }),
      ),
    })),
    // Deadlines and reviews due arrive with the workflow issue; the list is empty, not invented.
    todos: [] as { kind: string; title: string; due: string; link: string }[],
  };
}
