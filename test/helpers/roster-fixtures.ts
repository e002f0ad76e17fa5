/** A county roster (花名册) with deliberately broken rows of every kind, shared by the HTTP and CLI tests. */
import { sql } from 'kysely';
import { id } from './fixtures.ts';
import type { TestDatabase } from './test-db.ts';

export const ROSTER_HEADER = [
  '乡镇',
  '村（居）委会',
  '户主姓名',
  '姓名',
  '身份证号（码）',
  '与户主关系',
  '家庭人口',
  '保障类别',
  '月保障金（元）',
  '开户银行',
  '银行账号',
];
const badCheck = (n: string) => n.slice(0, 17) + (n[17] === '0' ? '1' : '0');

/** Two good households (乳城镇 低保 family, 大桥镇 五保) and one broken household per kind of mistake. */
export function brokenRoster(): string[][] {
  const r = (
    town: string,
    village: string,
    head: string,
    name: string,
    idNumber: string,
    relation: string,
    size: string,
    program = '',
    amount = '',
    bank = '',
    account = '',
  ) => [town, village, head, name, idNumber, relation, size, program, amount, bank, account];
  const dup = id('1970-01-01', 61);
  return [
    ROSTER_HEADER,
    // row 2: a member before any head (missing head)
    r('乳城镇', '河北村委会', '', '无户主', id('1990-01-01', 71), '子女', '1'),
    // rows 3–5: good 城市低保 family
    r(
      '乳城镇',
      '鹰峰居委会',
      '黄大海',
      '黄大海',
      id('1960-05-05', 13),
      '户主',
      '3',
      '城市低保',
      '1230.50',
      '农商银行',
      '6230111122223333',
    ),
    r('乳城镇', '鹰峰居委会', '黄大海', '林小红', id('1962-06-06', 24), '妻', '3'),
    r('乳城镇', '鹰峰居委会', '黄大海', '黄小海', id('2010-07-07', 35), '子', '3'),
    // row 6: good 五保 person in 大桥镇
    r(
      '大桥镇',
      '大桥村委会',
      '邓老伯',
      '邓老伯',
      id('1938-08-08', 15),
      '户主',
      '1',
      '五保',
      '560',
      '邮储银行',
      '6210999988887777',
    ),
    // rows 7–8: bad ID checksum
    r('乳城镇', '河北村委会', '张三', '张三', id('1970-03-03', 17), '户主', '2', '农村低保'),
    r('乳城镇', '河北村委会', '张三', '李四', badCheck(id('1972-04-04', 28)), '配偶', '2'),
    // row 9: unknown village
    r('大桥镇', '月亮村委会', '王五', '王五', id('1965-09-09', 19), '户主', '1', '农村低保'),
    // rows 10–11: the same person twice
    r('大桥镇', '红星村委会', '赵六', '赵六', dup, '户主', '2', '农村低保'),
    r('大桥镇', '红星村委会', '赵六', '赵六', dup, '子女', '2'),
    // row 12: already in the registry (the fixtures' 盘桂兰)
    r('大桥镇', '大桥村委会', '盘桂兰', '盘桂兰', id('1940-02-02', 42), '户主', '1', '五保'),
    // rows 13–14: household size mismatch
    r('乳城镇', '河北村委会', '钱七', '钱七', id('1955-10-10', 21), '户主', '4', '农村低保'),
    r('乳城镇', '河北村委会', '钱七', '孙八', id('1957-11-11', 32), '配偶', '4'),
    // row 15: unknown program
    r('乳城镇', '河北村委会', '周九', '周九', id('1950-12-12', 23), '户主', '1', '优抚对象'),
  ];
}

export const EXPECTED_BAD: { row: number; column: string; reason: string }[] = [
  { row: 2, column: '与户主关系', reason: '该行之前没有户主行，无法确定所属家庭' },
  { row: 8, column: '身份证号（码）', reason: '身份证号码无效' },
  { row: 9, column: '村（居）委会', reason: '村（居）委会「月亮村委会」不属于大桥镇' },
  { row: 10, column: '身份证号（码）', reason: '与第 11 行重复' },
  { row: 11, column: '身份证号（码）', reason: '与第 10 行重复' },
  { row: 12, column: '身份证号（码）', reason: '已在系统中登记' },
  { row: 13, column: '家庭人口', reason: '家庭人口为 4 人，但名册中该户有 2 行' },
  { row: 15, column: '保障类别', reason: '保障类别「优抚对象」无法识别' },
];

/** Makes every enrolment insert fail, after persons, households and memberships were written. */
export async function breakEnrolmentInserts(tdb: TestDatabase): Promise<() => Promise<void>> {
  if (tdb.engine === 'sqlite') {
    await sql`create trigger roster_test_fail before insert on enrolment begin select raise(abort, 'roster test failure'); end`.execute(
      tdb.db,
    );
    return async () => {
      await sql`drop trigger roster_test_fail`.execute(tdb.db);
    };
  }
  await sql`create function roster_test_fail() returns trigger language plpgsql as $$ begin raise exception 'roster test failure'; end $$`.execute(
    tdb.db,
  );
  await sql`create trigger roster_test_fail before insert on enrolment for each row execute function roster_test_fail()`.execute(
    tdb.db,
  );
  return async () => {
    await sql`drop trigger roster_test_fail on enrolment`.execute(tdb.db);
    await sql`drop function roster_test_fail()`.execute(tdb.db);
  };
}
