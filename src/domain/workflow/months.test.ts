import { describe, expect, it } from 'vitest';
import { addMonthsToDate, addMonthsToMonth, lastDayOfMonth, monthAfter } from './months.ts';

describe('benefit months', () => {
  it.each([
    ['2015-09-30', '2015-10', 'the month after the decision'],
    ['2015-12-15', '2016-01', 'across the year end'],
    ['2016-01-31', '2016-02', 'from the last day of a month'],
  ])('a decision on %s takes effect from %s (%s)', (date, month) => {
    expect(monthAfter(date)).toBe(month);
  });

  it.each([
    ['2016-01', 5, '2016-06'],
    ['2015-08', 6, '2016-02'],
    ['2015-01', -1, '2014-12'],
    ['2015-12', 0, '2015-12'],
  ])('%s + %i months = %s', (month, n, expected) => {
    expect(addMonthsToMonth(month, n)).toBe(expected);
  });

  it.each([
    ['2015-11-30', 3, '2016-02-29', 'clamped to the end of a leap February'],
    ['2014-11-30', 3, '2015-02-28', 'clamped to the end of an ordinary February'],
    ['2015-01-31', 1, '2015-02-28', 'a month after 31 January'],
    ['2015-10-15', 3, '2016-01-15', 'across the year end'],
  ])('%s + %i months = %s (%s)', (date, n, expected) => {
    expect(addMonthsToDate(date, n)).toBe(expected);
  });
});

describe('lastDayOfMonth', () => {
  it.each([
    ['2015-01', '2015-01-31'],
    ['2015-02', '2015-02-28'],
    ['2016-02', '2016-02-29'],
    ['2015-04', '2015-04-30'],
    ['2015-12', '2015-12-31'],
  ])('%s ends on %s', (month, day) => expect(lastDayOfMonth(month)).toBe(day));
});
