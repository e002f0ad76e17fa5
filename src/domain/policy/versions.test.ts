import { describe, expect, it } from 'vitest';
import {
  checkEditable,
  type ExistingVersion,
  planNewVersion,
  retroactiveFrom,
  USED_VERSION_REFUSAL,
  versionInForce,
} from './versions.ts';

const v2014: ExistingVersion = {
  id: 1,
  effectiveFrom: '2014-01',
  effectiveTo: '2014-12',
  docNo: '乳民〔2014〕3号',
  usedInPayment: true,
};
const v2015open: ExistingVersion = {
  id: 2,
  effectiveFrom: '2015-01',
  effectiveTo: null,
  docNo: '乳民〔2015〕1号',
  usedInPayment: false,
};
const v2015closed: ExistingVersion = { ...v2015open, effectiveTo: '2015-06' };

describe('a new version against the existing timeline', () => {
  it.each([
    ['the first version of a program', [], '2015-01', null],
    [
      'after an open version: the open one is closed the month before',
      [v2014, v2015open],
      '2016-01',
      '2015-12',
    ],
    ['after an open version, one month later', [v2015open], '2015-02', '2015-01'],
    ['across a year end', [v2015open], '2016-01', '2015-12'],
    ['right after a closed version', [v2014, v2015closed], '2015-07', null],
  ] as const)('accepts %s', (_what, existing, from, closedTo) => {
    const plan = planNewVersion(existing, { effectiveFrom: from, docNo: '乳民〔2016〕1号' });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.close).toEqual(closedTo === null ? null : { id: 2, effectiveTo: closedTo });
  });

  it.each([
    [
      'the same start as the latest version',
      [v2014, v2015open],
      '2015-01',
      '与2015年1月起的版本（文号：乳民〔2015〕1号）重叠：新版本的生效月份须晚于2015年1月',
    ],
    [
      'a start before the latest version',
      [v2014, v2015open],
      '2014-06',
      '与2015年1月起的版本（文号：乳民〔2015〕1号）重叠',
    ],
    [
      'a start inside a closed latest version',
      [v2014, v2015closed],
      '2015-03',
      '与2015年1月至2015年6月的版本（文号：乳民〔2015〕1号）重叠：新版本的生效月份须晚于2015年6月',
    ],
    [
      'a gap after a closed latest version',
      [v2014, v2015closed],
      '2015-09',
      '与2015年1月至2015年6月的版本（文号：乳民〔2015〕1号）之间有空档（2015年7月至2015年8月无适用参数）：新版本应自2015年7月起生效',
    ],
  ] as const)('refuses %s, naming the version and its 文号', (_what, existing, from, reason) => {
    const plan = planNewVersion(existing, { effectiveFrom: from, docNo: '乳民〔2016〕1号' });
    expect(plan).toMatchObject({ ok: false, field: 'effectiveFrom' });
    if (plan.ok) return;
    expect(plan.reason).toContain(reason);
  });

  it.each([
    [{ effectiveFrom: '2015-13', docNo: 'x' }, 'effectiveFrom', '生效月份应为 YYYY-MM 格式'],
    [{ effectiveFrom: '2015-1', docNo: 'x' }, 'effectiveFrom', '生效月份应为 YYYY-MM 格式'],
    [{ effectiveFrom: '2015-01', effectiveTo: '2014-12', docNo: 'x' }, 'effectiveTo', '不能早于'],
    [{ effectiveFrom: '2015-01', effectiveTo: '2015/12', docNo: 'x' }, 'effectiveTo', 'YYYY-MM'],
    [{ effectiveFrom: '2015-01', docNo: '  ' }, 'docNo', '请填写政策文件文号'],
  ])('refuses malformed fields: %o', (input, field, reason) => {
    const plan = planNewVersion([], input);
    expect(plan).toMatchObject({ ok: false, field });
    if (!plan.ok) expect(plan.reason).toContain(reason);
  });
});

describe('editing a version', () => {
  it('allows an unused version and refuses one that paid money', () => {
    expect(checkEditable({ usedInPayment: false })).toBeNull();
    expect(checkEditable({ usedInPayment: true })).toEqual({
      ok: false,
      field: 'body',
      reason: USED_VERSION_REFUSAL,
    });
    expect(USED_VERSION_REFUSAL).toBe('已用于发放，不能修改；请录入新版本');
  });
});

describe('retroactive versions', () => {
  it.each([
    ['2015-10', null, null, 'nothing has been paid'],
    ['2015-10', '2015-09', null, 'it starts after the last paid month'],
    [
      '2015-09',
      '2015-09',
      { from: '2015-09', through: '2015-09', months: 1 },
      'it starts in the last paid month',
    ],
    ['2015-07', '2015-09', { from: '2015-07', through: '2015-09', months: 3 }, 'three paid months'],
    ['2014-11', '2015-02', { from: '2014-11', through: '2015-02', months: 4 }, 'across a year end'],
  ] as const)('from %s with the last locked month %s → %o (%s)', (from, locked, expected, _why) => {
    expect(retroactiveFrom(from, locked)).toEqual(expected);
  });
});

describe('the version in force', () => {
  const timeline = [
    v2014,
    { ...v2015open, effectiveTo: '2015-12' },
    { ...v2015open, id: 3, effectiveFrom: '2016-01' },
  ];
  it.each([
    ['2013-12', null],
    ['2014-01', 1],
    ['2014-12', 1],
    ['2015-01', 2],
    ['2015-12', 2],
    ['2016-01', 3],
    ['2030-05', 3],
  ] as const)('in %s is version %s', (month, id) => {
    expect(versionInForce(timeline, month)?.id ?? null).toBe(id);
  });

  it('finds none in a gap after a closed version', () => {
    expect(versionInForce([v2015closed], '2015-07')).toBeNull();
  });
});
