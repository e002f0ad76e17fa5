import { describe, expect, it } from 'vitest';
import { areaLevel, isWithinScope, parentAreaCode, scopeOf } from './area-scope.ts';
import { hasPermission, ROLES, type Role } from './roles.ts';

describe('area codes (统计用区划代码, DOMAIN §18)', () => {
  it.each([
    ['44', 'province', null],
    ['4402', 'city', '44'],
    ['440232', 'county', '4402'],
    ['440232100', 'town', '440232'],
    ['440232100101', 'village', '440232100'],
    ['4402321', null, null],
  ])('%s is a %s whose parent is %s', (code, level, parent) => {
    expect(areaLevel(code)).toBe(level);
    expect(parentAreaCode(code)).toBe(parent);
  });
});

describe('each user sees only their own area', () => {
  const county = scopeOf({ countyCode: '440232', areaCode: '440232' });
  const town = scopeOf({ countyCode: '440232', areaCode: '440232100' });
  it.each([
    ['a county user', county, '440232', '440232109', true],
    ['a county user, another county', county, '440203', '440203001', false],
    ['a town user, own town', town, '440232', '440232100', true],
    ['a town user, another town', town, '440232', '440232109', false],
    ['a town user, a record with no town', town, '440232', null, false],
    ['a county user, a record with no town', county, '440232', null, true],
  ])('%s: (%s, %s) → %s', (_label, scope, countyCode, townCode, expected) => {
    expect(isWithinScope(scope, countyCode, townCode)).toBe(expected);
  });
});

describe('role permissions', () => {
  const table: [Role, boolean, boolean, boolean, boolean][] = [
    // role, read registry, write registry, reveal IDs, manage users
    ['county_admin', true, true, true, true],
    ['county_approver', true, false, true, false],
    ['town_clerk', true, true, true, false],
    ['town_reviewer', true, false, true, false],
    ['village_assistant', true, false, false, false],
    ['auditor', true, false, true, false],
    ['partner_department', false, false, false, false],
  ];
  it.each(table)('%s: read %s, write %s, reveal %s, users %s', (role, read, write, reveal, users) => {
    expect(hasPermission(role, 'registry.read')).toBe(read);
    expect(hasPermission(role, 'registry.write')).toBe(write);
    expect(hasPermission(role, 'registry.reveal')).toBe(reveal);
    expect(hasPermission(role, 'users.manage')).toBe(users);
  });
  it('labels every role in Chinese and binds it to the county or a town', () => {
    expect(Object.values(ROLES).map((r) => r.label)).toEqual([
      '县级管理员',
      '县级审批人',
      '乡镇经办人（窗口）',
      '乡镇审核人',
      '村级协理员',
      '核查员',
      '协作部门',
    ]);
  });
});
