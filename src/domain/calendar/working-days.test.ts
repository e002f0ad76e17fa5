import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  deadlineStatus,
  EMPTY_CALENDAR,
  isWorkingDay,
  type WorkCalendar,
  workingDaysBetween,
} from './working-days.ts';

// National Day 2015: 1–7 October off, Saturday 10 October worked (国务院办公厅 2015 holiday notice).
const CAL_2015: WorkCalendar = {
  holidays: new Set(['2015-10-01', '2015-10-02', '2015-10-05', '2015-10-06', '2015-10-07']),
  workdays: new Set(['2015-10-10']),
};

describe('working days (工作日)', () => {
  it.each([
    ['2015-09-30', true, 'a Wednesday'],
    ['2015-10-03', false, 'a Saturday'],
    ['2015-10-05', false, 'a Monday in the National Day holiday'],
    ['2015-10-10', true, 'a Saturday made a working day (调休)'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(date, CAL_2015)).toBe(expected);
  });

  it.each([
    // start, n, deadline, why, calendar
    ['2015-09-28', 3, '2015-10-01', 'Mon + 3 WD without holidays is Thursday', EMPTY_CALENDAR],
    ['2015-09-28', 3, '2015-10-08', 'the National Day week does not count', CAL_2015],
    ['2015-09-30', 3, '2015-10-10', 'the 调休 Saturday counts', CAL_2015],
    ['2015-10-02', 10, '2015-10-20', 'counting from inside the holiday', CAL_2015],
    ['2015-09-04', 0, '2015-09-04', 'zero days is the start day', EMPTY_CALENDAR],
    ['2015-09-04', 1, '2015-09-07', 'a Friday + 1 WD is Monday', EMPTY_CALENDAR],
  ] as const)('%s + %i WD → %s (%s)', (start, n, due, _why, calendar) => {
    expect(addWorkingDays(start, n, calendar)).toBe(due);
  });

  it('counts working days between two dates', () => {
    // 29, 30 September; 8, 9, 10 (调休 Saturday), 12 October
    expect(workingDaysBetween('2015-09-28', '2015-10-12', CAL_2015)).toBe(6);
    expect(workingDaysBetween('2015-10-12', '2015-09-28', CAL_2015)).toBe(0);
  });

  it.each([
    ['2015-10-12', '2015-10-08', 'on_time'],
    ['2015-10-12', '2015-10-09', 'due_soon'],
    ['2015-10-12', '2015-10-12', 'due_today'],
    ['2015-10-12', '2015-10-13', 'overdue'],
  ] as const)('a deadline of %s seen on %s is %s', (due, today, status) => {
    expect(deadlineStatus(due, today, CAL_2015).status).toBe(status);
  });
});
