/**
 * The death-data feed triggers re-checks (DOMAIN §4.9: "a death-data feed (殡葬, 公安) must trigger a re-check task
 * with a 3-month due date"; 2022 通知 §1(3): re-check the household within 3 months of a member's death).
 * When a 殡葬/死亡 snapshot goes in force, every death record of a current member of a household with an active
 * enrolment, whom the registry does not yet know to be dead, becomes a town task `recheck_after_death` due three
 * months after the death — unless the household already has one open. The task is closed by the change case's
 * outcome (维持/增发/减发/停发/渐退, see cases.service.ts).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { RECHECK_AFTER_DEATH_MONTHS } from '../../domain/workflow/enrolled-changes.ts';
import { addMonthsToDate } from '../../domain/workflow/months.ts';

export async function fileDeathRechecks(
  trx: Transaction<Database>,
  snapshot: { id: number; countyCode: string; asOf: string },
  now: Date,
): Promise<number> {
  const deaths = await trx
    .selectFrom('dept_record as dr')
    .innerJoin('person as p', 'p.id_number', 'dr.id_number')
    .innerJoin('household_member as hm', 'hm.person_id', 'p.id')
    .innerJoin('household as h', 'h.id', 'hm.household_id')
    .select(['dr.name', 'dr.event_date', 'h.id as household_id', 'h.town_code'])
    .where('dr.snapshot_id', '=', snapshot.id)
    .where('dr.event_date', 'is not', null)
    .where('p.death_date', 'is', null)
    .where('hm.valid_to', 'is', null)
    .where('h.county_code', '=', snapshot.countyCode)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('enrolment as e')
          .select('e.id')
          .whereRef('e.household_id', '=', 'h.id')
          .where('e.status', '=', 'active'),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('case_task as t')
            .select('t.id')
            .whereRef('t.household_id', '=', 'h.id')
            .where('t.kind', '=', 'recheck_after_death')
            .where('t.status', '=', 'open'),
        ),
      ),
    )
    .orderBy('h.id')
    .orderBy('dr.event_date')
    .execute();
  const seen = new Set<number>();
  const ts = now.toISOString();
  const rows = [];
  for (const d of deaths) {
    if (seen.has(d.household_id) || d.event_date === null) continue;
    seen.add(d.household_id);
    rows.push({
      county_code: snapshot.countyCode,
      town_code: d.town_code,
      case_id: null,
      household_id: d.household_id,
      kind: 'recheck_after_death',
      due_on: addMonthsToDate(d.event_date, RECHECK_AFTER_DEATH_MONTHS),
      status: 'open' as const,
      note: `殡葬/死亡数据（截至 ${snapshot.asOf}）：${d.name} 于 ${d.event_date} 死亡，救助对象库尚未登记`,
      created_at: ts,
    });
  }
  for (let i = 0; i < rows.length; i += 200) {
    await trx
      .insertInto('case_task')
      .values(rows.slice(i, i + 200))
      .execute();
  }
  return rows.length;
}
