/**
 * Benefit-month arithmetic for workflow effects. Benefits start and stop by whole months
 * ('YYYY-MM'); the "next month" rule is the common case (DOMAIN §4.7 "Start and stop").
 */
import { monthOf } from '../calendar/dates.ts';

function splitMonth(month: string): { year: number; month: number } {
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

function formatMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** 'YYYY-MM' plus n months (n may be negative). */
export function addMonthsToMonth(month: string, n: number): string {
  const { year, month: m } = splitMonth(month);
  const index = year * 12 + (m - 1) + n;
  return formatMonth(Math.floor(index / 12), (index % 12) + 1);
}

/**
 * The benefit month after the month of `date`: DOMAIN §4.6 Art. 21 "pay from the month after the
 * decision date", §5.4 Art. 25 "terminate from the next month".
 */
export function monthAfter(date: string): string {
  return addMonthsToMonth(monthOf(date), 1);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last calendar day of a benefit month ('2015-02' → '2015-02-28'): where ages in that month are taken. */
export function lastDayOfMonth(month: string): string {
  const { year, month: m } = splitMonth(month);
  return `${month}-${String(daysInMonth(year, m)).padStart(2, '0')}`;
}

/**
 * The calendar date n months after `date`, clamped to the end of a shorter month
 * (2015-11-30 + 3 months = 2016-02-29): "within 3 months of the death" (DOMAIN §4.9).
 */
export function addMonthsToDate(date: string, n: number): string {
  const target = splitMonth(addMonthsToMonth(monthOf(date), n));
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(target.year, target.month));
  return `${formatMonth(target.year, target.month)}-${String(day).padStart(2, '0')}`;
}
