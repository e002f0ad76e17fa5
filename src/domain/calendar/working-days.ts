/**
 * Working days (工作日) for statutory time limits (DOMAIN §4.5, §4.6, §5.4: "≤3 WD", "≤10 WD", "≤30 WD").
 * Weekends are rest days unless the State Council's holiday notice makes one a working day (调休);
 * statutory holidays are rest days. The calendar is data (an admin edits it), passed in here.
 */
import { addDays } from './dates.ts';

export interface WorkCalendar {
  /** Rest days that fall on a weekday (法定节假日). */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days (调休上班). */
  workdays: ReadonlySet<string>;
}

export const EMPTY_CALENDAR: WorkCalendar = { holidays: new Set(), workdays: new Set() };

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
}

export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const d = weekday(date);
  return d !== 0 && d !== 6;
}

/**
 * The date by which something must be done when the rule says "within n working days of `start`":
 * counting begins the day after `start`, and the deadline is the n-th working day counted.
 */
export function addWorkingDays(start: string, n: number, calendar: WorkCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`工作日数应为非负整数：${n}`);
  let date = start;
  let counted = 0;
  while (counted < n) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) counted++;
  }
  return date;
}

/** Working days after `from` up to and including `to` (0 when `to` ≤ `from`). */
export function workingDaysBetween(from: string, to: string, calendar: WorkCalendar): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count++;
  return count;
}

export type DeadlineStatus = 'on_time' | 'due_soon' | 'due_today' | 'overdue';

/**
 * Where a deadline stands on `today`: overdue after the due date, a warning when at most
 * `warnWorkingDays` working days remain.
 */
export function deadlineStatus(
  due: string,
  today: string,
  calendar: WorkCalendar,
  warnWorkingDays = 2,
): { status: DeadlineStatus; workingDaysLeft: number } {
  if (today > due) return { status: 'overdue', workingDaysLeft: -workingDaysBetween(due, today, calendar) };
  if (today === due) return { status: 'due_today', workingDaysLeft: 0 };
  const left = workingDaysBetween(today, due, calendar);
  return { status: left <= warnWorkingDays ? 'due_soon' : 'on_time', workingDaysLeft: left };
}
