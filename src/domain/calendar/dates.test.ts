import { describe, expect, it } from 'vitest';
import { addDays, chinaDate, isIsoDate, isIsoMonth, monthOf } from './dates.ts';

describe('calendar dates', () => {
  it.each([
    ['2015-09-30T15:59:59Z', '2015-09-30'],
    ['2015-09-30T16:00:00Z', '2015-10-01'], // midnight in Beijing
    ['2015-12-31T20:00:00Z', '2016-01-01'],
  ])('the China date at %s is %s', (instant, date) => {
    expect(chinaDate(new Date(instant))).toBe(date);
  });

  it.each([
    ['2016-02-29', true],
    ['2015-02-29', false],
    ['2015-13-01', false],
    ['2015-9-30', false],
    ['20150930', false],
  ])('isIsoDate(%s) is %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    ['2015-09', true],
    ['2015-00', false],
    ['2015-13', false],
    ['2015-9', false],
  ])('isIsoMonth(%s) is %s', (value, expected) => {
    expect(isIsoMonth(value)).toBe(expected);
  });

  it('adds days across a month and a leap day', () => {
    expect(addDays('2016-02-28', 1)).toBe('2016-02-29');
    expect(addDays('2016-02-28', 2)).toBe('2016-03-01');
    expect(addDays('2015-01-01', -1)).toBe('2014-12-31');
    expect(monthOf('2015-09-30')).toBe('2015-09');
  });
});
