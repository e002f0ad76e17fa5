/**
 * The holiday calendar (法定节假日与调休) behind every working-day time limit. Administrators enter each
 * year's days from the State Council's notice; the deadline arithmetic reads them as a WorkCalendar.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import type { WorkCalendar } from '../../domain/calendar/working-days.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { isoDate } from '../registry/registry.schemas.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function loadWorkCalendar(db: Db, from: string, to: string): Promise<WorkCalendar> {
  const rows = await db
    .selectFrom('calendar_day')
    .select(['date', 'kind'])
    .where('date', '>=', from)
    .where('date', '<=', to)
    .execute();
  return {
    holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.date)),
    workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.date)),
  };
}

export function listYear(db: Db, year: number) {
  return db
    .selectFrom('calendar_day')
    .selectAll()
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute();
}

export const CalendarYearBody = z
  .object({
    days: z
      .array(
        z
          .object({
            date: isoDate,
            kind: z.enum(['holiday', 'workday'], {
              message: '类型应为 holiday（放假）或 workday（调休上班）',
            }),
            name: z.string().trim().min(1, '请填写节日名称').max(40),
          })
          .strict(),
      )
      .max(80),
  })
  .strict();

/** Replaces one year's days in one audited transaction; dates must belong to that year. */
export async function replaceYear(
  trx: Transaction<Database>,
  actor: Actor,
  year: number,
  days: z.infer<typeof CalendarYearBody>['days'],
  now = new Date(),
) {
  requirePermission(actor, 'users.manage');
  const issues = days
    .map((d, i) =>
      d.date.startsWith(`${year}-`)
        ? null
        : { field: `days[${i}].date`, message: `${d.date} 不属于 ${year} 年` },
    )
    .filter((x): x is { field: string; message: string } => x !== null);
  const seen = new Set<string>();
  days.forEach((d, i) => {
    if (seen.has(d.date)) issues.push({ field: `days[${i}].date`, message: `${d.date} 重复` });
    seen.add(d.date);
  });
  if (issues.length > 0) {
    throw new AppError(ErrorCode.VALIDATION, issues[0]?.message ?? '日期有误', { issues });
  }
  const before = await listYear(trx, year);
  await trx
    .deleteFrom('calendar_day')
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .execute();
  if (days.length > 0) {
    await trx
      .insertInto('calendar_day')
      .values(days.map((d) => ({ ...d, updated_at: now.toISOString() })))
      .execute();
  }
  await appendAudit(
    trx,
    actor,
    {
      action: 'calendar.update',
      entityType: 'calendar',
      entityId: year,
      before: before.map(({ date, kind, name }) => ({ date, kind, name })),
      after: days,
    },
    now,
  );
  return listYear(trx, year);
}
