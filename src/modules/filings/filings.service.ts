/**
 * 备案与公示: the lists a town files with the county and posts in the villages, as xlsx.
 *
 * - 低保 / 特困（五保）对象信息备案表 (record form): one row per enrolment in force at a date — a household for 低保
 *   (with a second sheet of its members), a person for 特困 — with the monthly amount of the benefit decision in
 *   force that month (benefit_decision, the payroll's decisionInForce; 核定月保障金, without the 价格临时补贴 that
 *   depends on the month's price index), masked ID numbers and bank accounts, and a totals row.
 * - 花名册 (roster): one row per member of every 低保 and 特困 enrolment in force, the household's amount on its
 *   block (merged over the block's rows).
 * - 公示名单 (public notice) of a village and a month: the household head's name partly masked, household size,
 *   covered persons, amount and category — nothing else (DOMAIN §16; 2021 审核确认办法 Art. 24): no ID numbers,
 *   no bank accounts.
 *
 * A county user exporting without a town gets one workbook with one sheet per town (and, for the 低保 record
 * form, one members sheet per town); a town user gets their own town only, and asking for another town is
 * refused (and audited by the error handler). Every export writes an audit entry: the files hold personal data.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { SUPPORT_MODES } from '../../domain/benefit/tekun.ts';
import { chinaDate, isIsoDate, isIsoMonth } from '../../domain/calendar/dates.ts';
import { maskBankAccount, maskNameForNotice } from '../../domain/household/masking.ts';
import { ageOn, maskIdNumber, sexLabel } from '../../domain/identity/resident-id.ts';
import type { ReviewClass } from '../../domain/workflow/enrolled-changes.ts';
import { lastDayOfMonth } from '../../domain/workflow/months.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, forbiddenArea, notFound, validationError } from '../errors/app-error.ts';
import { decisionInForce, PAYROLL_PROGRAMS, type PayDecision, payDecisionOf } from '../payroll/calculator.ts';
import { XLSX_MIME } from '../statistics/monthly-tables.ts';
import {
  areaNamesOf,
  type FilingScope,
  listDecisionsUpTo,
  listEnrolmentsInForce,
  listMembersAt,
} from './filings.repository.ts';
import {
  type CellValue,
  COUNT_FORMAT,
  type Column,
  type Span,
  type TableSpec,
  writeTable,
  YUAN_FORMAT,
} from './filings.xlsx.ts';

type Db = Kysely<Database>;

export const FILING_PROGRAMS = {
  dibao: { label: '城乡低保', programs: ['urban_dibao', 'rural_dibao'] },
  tekun: { label: '特困（五保）供养', programs: ['urban_tekun', 'rural_tekun'] },
} as const;
export type FilingProgram = keyof typeof FILING_PROGRAMS;
export function isFilingProgram(v: string): v is FilingProgram {
  return Object.hasOwn(FILING_PROGRAMS, v);
}

/** Short labels of the review classes (分类复核, DOMAIN §4.9) for a narrow column. */
const REVIEW_CLASS_SHORT: Record<ReviewClass, string> = {
  stable: '基本稳定',
  short_term_stable: '短期稳定',
  irregular_income: '收入不固定',
};

export interface FilingMember {
  personId: number;
  name: string;
  sex: '男' | '女';
  idNumberMasked: string;
  relation: string;
  age: number | null;
  /** Counted in the benefit decision (保障对象); for 特困 the covered person. */
  covered: boolean;
  deceased: boolean;
}

/** One enrolment in force: a 低保 household or a 特困 person. */
export interface FilingUnit {
  enrolmentId: number;
  program: string;
  programLabel: string;
  category: '城市' | '农村';
  townCode: string;
  townName: string;
  villageCode: string | null;
  villageName: string;
  /** 低保: the household head; 特困: the covered person. */
  name: string;
  idNumberMasked: string;
  sex: '男' | '女' | null;
  age: number | null;
  householdSize: number;
  /** 保障人口: members counted in the decision in force (特困: 1); null without a decision. */
  coveredPersons: number | null;
  startMonth: string;
  monthlyAmountFen: number | null;
  supportMode: string | null;
  bankAccountMasked: string | null;
  reviewClass: string;
  lastReviewOn: string | null;
  note: string;
  suspended: boolean;
  /** 低保: every member of the household at the date, head first; 特困: the covered person. */
  members: FilingMember[];
}

export interface TownUnits {
  townCode: string;
  townName: string;
  units: FilingUnit[];
}

export interface FilingFile {
  title: string;
  /** What a row of the main table stands for: 户 (低保), 人 (特困), 户（人） (花名册: both). */
  unitLabel: '户' | '人' | '户（人）';
  fileName: string;
  bytes: Buffer;
  contentType: string;
  contentDisposition: string;
  towns: { townCode: string; townName: string; units: number; persons: number; monthlyAmountFen: number }[];
}

// ---------------------------------------------------------------------------------------------------------------
// Input checks and scope.

function checkDate(asOf: string | undefined, now: Date): string {
  if (asOf === undefined) return chinaDate(now);
  if (!isIsoDate(asOf)) throw validationError('asOf', '截至日期应为 YYYY-MM-DD 格式，如 2015-09-30');
  return asOf;
}

/** The town the actor may export: their own (town users), or the one asked for inside the county, or all. */
function townFor(actor: Actor, requested: string | undefined, attempted: string): string | null {
  const scope = scopeOf(actor);
  if (requested !== undefined && !/^\d{9}$/.test(requested)) {
    throw validationError('town', '乡镇区划代码应为 9 位数字');
  }
  const outside =
    requested !== undefined &&
    (!requested.startsWith(scope.countyCode) || (scope.townCode !== null && requested !== scope.townCode));
  if (outside) {
    throw forbiddenArea('乡镇', {
      entityType: 'area',
      entityId: requested,
      countyCode: scope.countyCode,
      townCode: requested,
      attempted,
    });
  }
  return requested ?? scope.townCode;
}

// ---------------------------------------------------------------------------------------------------------------
// Loading.

function dateLabel(date: string): string {
  return `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

function ageAt(birthDate: string, on: string): number | null {
  return on < birthDate ? null : ageOn(birthDate, on);
}

/** The enrolments in force with their members and decisions, masked, grouped by town (all county towns when `townCode` is null). */
export async function loadUnits(
  db: Db,
  scope: Omit<FilingScope, 'month'>,
): Promise<{ countyName: string; towns: TownUnits[]; names: Map<string, string> }> {
  const s: FilingScope = { ...scope, month: scope.asOf.slice(0, 7) };
  const [enrolments, members, decisions, names] = await Promise.all([
    listEnrolmentsInForce(db, s),
    listMembersAt(db, s),
    listDecisionsUpTo(db, s),
    areaNamesOf(db, s.countyCode),
  ]);
  const membersOf = new Map<number, typeof members>();
  for (const m of members) {
    const id = Number(m.enrolment_id);
    const list = membersOf.get(id) ?? [];
    list.push(m);
    membersOf.set(id, list);
  }
  const decisionsOf = new Map<number, { pay: PayDecision; amountFen: number }[]>();
  for (const d of decisions) {
    const id = Number(d.enrolment_id);
    const list = decisionsOf.get(id) ?? [];
    list.push({
      pay: payDecisionOf({
        id: Number(d.id),
        program_code: d.program_code,
        effective_month: d.effective_month,
        per_capita_income_fen: null,
        members_json: d.members_json,
        band_code: null,
      }),
      amountFen: Number(d.monthly_amount_fen),
    });
    decisionsOf.set(id, list);
  }

  const units: FilingUnit[] = enrolments.map((e) => {
    const enrolmentId = Number(e.enrolment_id);
    const tekun = e.program_code.endsWith('_tekun');
    const all = membersOf.get(enrolmentId) ?? [];
    const sorted = decisionsOf.get(enrolmentId) ?? [];
    const inForce = decisionInForce(
      sorted.map((d) => d.pay),
      s.month,
    );
    const decided = inForce ? sorted.find((d) => d.pay.id === inForce.id) : undefined;
    const countedIds = new Set(
      (inForce?.dibao?.members ?? [])
        .map((m) => m.personId)
        .filter((id): id is number => typeof id === 'number'),
    );
    const headId = e.head_person_id === null ? null : Number(e.head_person_id);
    const coveredId = e.person_id === null ? null : Number(e.person_id);
    const toMember = (m: (typeof all)[number]): FilingMember => {
      const personId = Number(m.person_id);
      return {
        personId,
        name: m.name,
        sex: sexLabel(m.sex),
        idNumberMasked: maskIdNumber(m.id_number),
        relation: m.relation,
        age: ageAt(m.birth_date, s.asOf),
        covered: tekun
          ? personId === coveredId
          : inForce !== null && (countedIds.size === 0 || countedIds.has(personId)),
        deceased: m.death_date !== null && m.death_date <= s.asOf,
      };
    };
    const household = all
      .map(toMember)
      .sort((a, b) => Number(b.personId === headId) - Number(a.personId === headId));
    const shown = tekun ? household.filter((m) => m.personId === coveredId) : household;
    const lead = tekun ? shown[0] : (household.find((m) => m.personId === headId) ?? household[0]);
    const notes: string[] = [];
    if (e.status === 'suspended') notes.push('暂停发放');
    if (!inForce) notes.push('未核定待遇');
    const dead = shown.filter((m) => m.deceased).map((m) => m.name);
    if (dead.length > 0) notes.push(`${dead.join('、')}已死亡`);
    const review = e.review_class as ReviewClass | null;
    return {
      enrolmentId,
      program: e.program_code,
      programLabel: PAYROLL_PROGRAMS[e.program_code as keyof typeof PAYROLL_PROGRAMS] ?? e.program_code,
      category: e.program_code.startsWith('urban_') ? '城市' : '农村',
      townCode: e.town_code,
      townName: names.get(e.town_code) ?? e.town_code,
      villageCode: e.village_code,
      villageName: e.village_code ? (names.get(e.village_code) ?? e.village_code) : '',
      name: lead?.name ?? '',
      idNumberMasked: lead?.idNumberMasked ?? '',
      sex: tekun ? (lead?.sex ?? null) : null,
      age: tekun ? (lead?.age ?? null) : null,
      householdSize: household.length,
      coveredPersons: tekun ? 1 : inForce?.dibao ? inForce.dibao.members.length : null,
      startMonth: e.start_month,
      monthlyAmountFen: decided?.amountFen ?? null,
      supportMode: e.support_mode
        ? (SUPPORT_MODES[e.support_mode as keyof typeof SUPPORT_MODES] ?? e.support_mode)
        : null,
      bankAccountMasked: maskBankAccount(e.bank_account),
      reviewClass: review ? (REVIEW_CLASS_SHORT[review] ?? review) : '',
      lastReviewOn: e.last_review_on,
      note: notes.join('；'),
      suspended: e.status === 'suspended',
      members: shown,
    };
  });

  if (s.townCode !== null && !names.has(s.townCode)) throw notFound(`乡镇 ${s.townCode}`);
  const countyName = names.get(s.countyCode) ?? s.countyCode;
  const townCodes =
    s.townCode !== null
      ? [s.townCode]
      : [
          ...new Set([
            ...[...names.keys()].filter((c) => c.length === 9 && c.startsWith(s.countyCode)).sort(),
            ...units.map((u) => u.townCode),
          ]),
        ];
  const towns = townCodes.map((code) => ({
    townCode: code,
    townName: names.get(code) ?? code,
    units: units.filter((u) => u.townCode === code),
  }));
  return { countyName, towns, names };
}

// ---------------------------------------------------------------------------------------------------------------
// Workbooks.

const yuan = (fen: number | null): number | null => (fen === null ? null : fen / 100);
const sumFen = (units: FilingUnit[]) => units.reduce((a, u) => a + (u.monthlyAmountFen ?? 0), 0);

const SIGNATURE =
  '填表人：　　　　　　审核人：　　　　　　乡镇（街道）负责人：　　　　　　填报日期：　　　　年　　月　　日';
const MASK_NOTE = '身份证号码只显示前6位和后4位，银行账号只显示后4位（个人信息脱敏）。';

/** A totals row of `width` cells: 合计 first, the given cells at their (0-based) columns, empty elsewhere. */
function totalsRow(width: number, cells: Record<number, CellValue>): CellValue[] {
  return Array.from({ length: width }, (_, k) => (k === 0 ? '合计' : (cells[k] ?? null)));
}

/** One row per member (the k-th) of each unit (the i-th), the unit's block merged over its rows in `cols`. */
function memberRows(
  units: FilingUnit[],
  cols: number[],
  row: (u: FilingUnit, m: FilingMember, i: number, k: number) => CellValue[],
): { rows: CellValue[][]; spans: Span[] } {
  const rows: CellValue[][] = [];
  const spans: Span[] = [];
  units.forEach((u, i) => {
    spans.push({ row: rows.length, rows: u.members.length, cols: [...cols] });
    u.members.forEach((m, k) => {
      rows.push(row(u, m, i, k));
    });
  });
  return { rows, spans };
}

/** A column of a record form: its header, its cell for a unit (the i-th) and its total over the units, if any. */
interface RecordField {
  column: Column;
  cell: (u: FilingUnit, i: number) => CellValue;
  total?: (units: FilingUnit[]) => CellValue;
}

/** The columns both record forms open with: 序号, 乡镇, 村（居）, the name (counted in `per`) and the ID number. */
function leadFields(per: '户' | '人', group?: string): RecordField[] {
  const grouped = group === undefined ? {} : { group };
  return [
    { column: { header: '序号', width: 5, align: 'center' }, cell: (_u, i) => i + 1, total: () => '合计' },
    { column: { header: '乡镇', width: 10 }, cell: (u) => u.townName },
    { column: { header: '村（居）', width: 12 }, cell: (u) => u.villageName },
    {
      column: { header: '姓名', ...grouped, width: 8 },
      cell: (u) => u.name,
      total: (units) => `${units.length}${per}`,
    },
    { column: { header: '身份证号码', ...grouped, width: 20 }, cell: (u) => u.idNumberMasked },
  ];
}

/** The columns both record forms close with: start month, the monthly amount, bank account, review, note. */
function tailFields(amountHeader: string): RecordField[] {
  return [
    { column: { header: '保障起始月', width: 9, align: 'center' }, cell: (u) => u.startMonth },
    {
      column: { header: amountHeader, width: 11, numFmt: YUAN_FORMAT },
      cell: (u) => yuan(u.monthlyAmountFen),
      total: (units) => sumFen(units) / 100,
    },
    { column: { header: '银行账号', width: 22 }, cell: (u) => u.bankAccountMasked },
    { column: { header: '复核类别', group: '复核', width: 9, align: 'center' }, cell: (u) => u.reviewClass },
    {
      column: { header: '上次复核', group: '复核', width: 11, align: 'center' },
      cell: (u) => u.lastReviewOn,
    },
    { column: { header: '备注', width: 14 }, cell: (u) => u.note },
  ];
}

/** A record form of a town: one row per unit over `fields`, their totals, the note and the masking note. */
function recordSpec(
  t: TownUnits,
  title: string,
  unitOf: string,
  unit: string,
  fields: RecordField[],
  note: string,
): TableSpec {
  return {
    sheetName: t.townName,
    title,
    unitOf,
    unit,
    orientation: 'landscape',
    columns: fields.map((f) => f.column),
    rows: t.units.map((u, i) => fields.map((f) => f.cell(u, i))),
    totals: fields.map((f) => f.total?.(t.units) ?? null),
    notes: [note, MASK_NOTE],
    signature: SIGNATURE,
  };
}

function dibaoRecordSpec(t: TownUnits, title: string, unitOf: string): TableSpec {
  return recordSpec(
    t,
    title,
    unitOf,
    '单位：户、人、元',
    [
      ...leadFields('户', '户主'),
      {
        column: { header: '家庭人口', group: '人口', width: 8, numFmt: COUNT_FORMAT, align: 'center' },
        cell: (u) => u.householdSize,
        total: (units) => units.reduce((a, u) => a + u.householdSize, 0),
      },
      {
        column: { header: '保障人口', group: '人口', width: 8, numFmt: COUNT_FORMAT, align: 'center' },
        cell: (u) => u.coveredPersons,
        total: (units) => units.reduce((a, u) => a + (u.coveredPersons ?? 0), 0),
      },
      { column: { header: '类别', width: 6, align: 'center' }, cell: (u) => u.category },
      ...tailFields('月保障金（元）'),
    ],
    '说明：月保障金为截至日所在月份有效的待遇核定金额（不含价格临时补贴）；保障人口为核定时计入保障的家庭成员数；家庭成员见“成员”工作表。',
  );
}

function dibaoMembersSpec(t: TownUnits, title: string, unitOf: string): TableSpec {
  const { rows, spans } = memberRows(t.units, [1, 2], (u, m, i) => [
    i + 1,
    u.name,
    m.name,
    m.sex,
    m.idNumberMasked,
    m.relation,
    m.age,
    m.covered ? '是' : '否',
    m.deceased ? '已死亡' : '',
  ]);
  const columns: Column[] = [
    { header: '序号', width: 5, align: 'center' },
    { header: '户主姓名', width: 9 },
    { header: '姓名', group: '家庭成员', width: 9 },
    { header: '性别', group: '家庭成员', width: 5, align: 'center' },
    { header: '身份证号码', group: '家庭成员', width: 20 },
    { header: '与户主关系', group: '家庭成员', width: 9, align: 'center' },
    { header: '年龄', group: '家庭成员', width: 5, numFmt: COUNT_FORMAT, align: 'center' },
    { header: '是否保障对象', width: 8, align: 'center' },
    { header: '备注', width: 10 },
  ];
  return {
    sheetName: `${t.townName}成员`,
    title,
    unitOf,
    unit: '单位：人',
    orientation: 'portrait',
    columns,
    rows,
    spans,
    totals: totalsRow(columns.length, { 2: `${t.units.length}户${rows.length}人` }),
    notes: ['说明：序号与备案表序号一致；年龄按截至日计算。', MASK_NOTE],
    signature: SIGNATURE,
  };
}

function tekunRecordSpec(t: TownUnits, title: string, unitOf: string): TableSpec {
  return recordSpec(
    t,
    title,
    unitOf,
    '单位：人、元',
    [
      ...leadFields('人'),
      { column: { header: '性别', width: 5, align: 'center' }, cell: (u) => u.sex },
      { column: { header: '年龄', width: 5, numFmt: COUNT_FORMAT, align: 'center' }, cell: (u) => u.age },
      { column: { header: '类别', width: 6, align: 'center' }, cell: (u) => u.category },
      { column: { header: '供养方式', width: 9, align: 'center' }, cell: (u) => u.supportMode },
      ...tailFields('月供养金（元）'),
    ],
    '说明：月供养金为截至日所在月份有效的待遇核定金额（基本生活费与照料护理费，不含价格临时补贴）。',
  );
}

function rosterSpec(t: TownUnits, title: string, unitOf: string): TableSpec {
  const { rows, spans } = memberRows(t.units, [1, 2, 9, 10], (u, m, i, k) => {
    const notes = [
      ...(k === 0 && u.note ? [u.note] : []),
      ...(m.covered ? [] : ['不计入保障']),
      ...(m.deceased ? ['已死亡'] : []),
    ];
    return [
      i + 1,
      u.villageName,
      m.name,
      m.sex,
      m.idNumberMasked,
      m.relation,
      m.age,
      u.program.endsWith('_tekun') ? (u.supportMode ?? '') : '',
      u.programLabel,
      k === 0 ? yuan(u.monthlyAmountFen) : null,
      notes.join('；'),
    ];
  });
  const columns: Column[] = [
    { header: '序号', width: 5, align: 'center' },
    { header: '村（居）', width: 12 },
    { header: '姓名', width: 8 },
    { header: '性别', width: 5, align: 'center' },
    { header: '身份证号码', width: 20 },
    { header: '与户主关系', width: 8, align: 'center' },
    { header: '年龄', width: 5, numFmt: COUNT_FORMAT, align: 'center' },
    { header: '供养方式', width: 8, align: 'center' },
    { header: '保障类别', width: 11, align: 'center' },
    { header: '月保障金（元）', width: 11, numFmt: YUAN_FORMAT },
    { header: '备注', width: 12 },
  ];
  return {
    sheetName: t.townName,
    title,
    unitOf,
    unit: '单位：人、元',
    orientation: 'portrait',
    columns,
    rows,
    spans,
    totals: totalsRow(columns.length, {
      2: `${t.units.length}户（人）${rows.length}人`,
      9: sumFen(t.units) / 100,
    }),
    notes: [
      '说明：每位家庭成员一行，同一户（特困为一人）的序号、村（居）、保障类别和月保障金合并显示；月保障金为截至日所在月份有效的待遇核定金额（不含价格临时补贴）。',
      MASK_NOTE,
    ],
    signature: SIGNATURE,
  };
}

function noticeSpec(
  units: FilingUnit[],
  program: FilingProgram,
  title: string,
  townName: string,
  month: string,
): TableSpec {
  const dibao = program === 'dibao';
  const rows = units.map((u, i) =>
    dibao
      ? [
          i + 1,
          maskNameForNotice(u.name),
          u.householdSize,
          u.coveredPersons,
          u.category,
          yuan(u.monthlyAmountFen),
          '',
        ]
      : [i + 1, maskNameForNotice(u.name), u.supportMode, u.category, yuan(u.monthlyAmountFen), ''],
  );
  const persons = units.reduce((a, u) => a + (u.coveredPersons ?? 0), 0);
  return {
    sheetName: '公示名单',
    title,
    unitOf: `公示单位：${townName}人民政府`,
    unit: `公示月份：${monthLabel(month)}　单位：人、元`,
    orientation: 'portrait',
    columns: dibao
      ? [
          { header: '序号', width: 6, align: 'center' },
          { header: '户主姓名', width: 12, align: 'center' },
          { header: '家庭人口', width: 9, numFmt: COUNT_FORMAT, align: 'center' },
          { header: '保障人数', width: 9, numFmt: COUNT_FORMAT, align: 'center' },
          { header: '类别', width: 9, align: 'center' },
          { header: '月保障金（元）', width: 14, numFmt: YUAN_FORMAT },
          { header: '备注', width: 18 },
        ]
      : [
          { header: '序号', width: 6, align: 'center' },
          { header: '姓名', width: 12, align: 'center' },
          { header: '供养方式', width: 11, align: 'center' },
          { header: '类别', width: 9, align: 'center' },
          { header: '月供养金（元）', width: 14, numFmt: YUAN_FORMAT },
          { header: '备注', width: 18 },
        ],
    rows,
    totals: dibao
      ? [
          '合计',
          `${units.length}户`,
          units.reduce((a, u) => a + u.householdSize, 0),
          persons,
          null,
          sumFen(units) / 100,
          null,
        ]
      : ['合计', `${units.length}人`, null, null, sumFen(units) / 100, null],
    notes: [
      '公示期：　　　　年　　月　　日至　　　　年　　月　　日（共7天）。',
      `如对公示对象有异议，请在公示期内向${townName}人民政府或县民政局反映；实名反映的，将逐一核实并反馈结果。`,
      '监督电话：乡镇（街道）＿＿＿＿＿＿＿＿　县民政局＿＿＿＿＿＿＿＿',
      '根据《最低生活保障审核确认办法》第二十四条，公示内容仅含姓名（部分隐去）、家庭人口和保障金额，不公示身份证号码、银行账号等个人信息。',
    ],
    signature: `${townName}人民政府（盖章）　　　　　　　　　　　　　　　　　　　年　　月　　日`,
  };
}

function asFile(
  title: string,
  slug: string,
  bytes: Buffer,
  towns: TownUnits[],
  unitLabel: FilingFile['unitLabel'],
): FilingFile {
  const fileName = `${title}.xlsx`;
  return {
    title,
    unitLabel,
    fileName,
    bytes,
    contentType: XLSX_MIME,
    contentDisposition: `attachment; filename="${slug}.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    towns: towns.map((t) => ({
      townCode: t.townCode,
      townName: t.townName,
      units: t.units.length,
      persons: t.units.reduce((a, u) => a + u.members.length, 0),
      monthlyAmountFen: sumFen(t.units),
    })),
  };
}

async function toBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function newWorkbook(title: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'jiuzhu';
  wb.title = title;
  return wb;
}

// ---------------------------------------------------------------------------------------------------------------
// The three exports.

function checkProgram(program: string): FilingProgram {
  if (!isFilingProgram(program)) {
    throw validationError('program', '救助项目应为 dibao（城乡低保）或 tekun（特困供养）');
  }
  return program;
}

/**
 * The units of a town's (or the county's, one sheet per town) filing at a date — the record form and the roster —
 * with the workbook's title and each town sheet's title and 填报单位 line.
 */
async function loadTownFiling(
  db: Db,
  actor: Actor,
  input: { townCode?: string | undefined; asOf?: string | undefined },
  now: Date,
  attempted: string,
  programs: readonly string[],
) {
  const asOf = checkDate(input.asOf, now);
  const townCode = townFor(actor, input.townCode, attempted);
  const { countyName, towns } = await loadUnits(db, {
    countyCode: actor.countyCode,
    townCode,
    villageCode: null,
    programs,
    asOf,
    includeSuspended: true,
  });
  return {
    asOf,
    townCode,
    towns,
    title: (what: string) => `${countyName}${townCode ? (towns[0]?.townName ?? townCode) : ''}${what}`,
    sheetTitle: (t: TownUnits, what: string) => `${countyName}${t.townName}${what}`,
    unitOf: (t: TownUnits) => `填报单位：${countyName}${t.townName}人民政府（盖章）`,
  };
}

/** 低保 / 特困（五保）对象信息备案表 of a town (or of every town, one sheet each) at a date. */
export async function exportRecordForm(
  db: Db,
  actor: Actor,
  input: { program: string; townCode?: string | undefined; asOf?: string | undefined },
  now = new Date(),
): Promise<FilingFile> {
  requirePermission(actor, 'registry.read');
  const program = checkProgram(input.program);
  const f = await loadTownFiling(db, actor, input, now, '导出备案表', FILING_PROGRAMS[program].programs);
  const { asOf, townCode, towns } = f;
  const what = `${FILING_PROGRAMS[program].label}对象信息备案表（截至${dateLabel(asOf)}）`;
  const title = f.title(what);
  const wb = newWorkbook(title);
  for (const t of towns) {
    const spec = program === 'dibao' ? dibaoRecordSpec : tekunRecordSpec;
    writeTable(wb, spec(t, f.sheetTitle(t, what), f.unitOf(t)));
  }
  if (program === 'dibao') {
    for (const t of towns) {
      writeTable(
        wb,
        dibaoMembersSpec(
          t,
          f.sheetTitle(t, `城乡低保对象家庭成员信息（截至${dateLabel(asOf)}）`),
          f.unitOf(t),
        ),
      );
    }
  }
  return exportFile(db, actor, now, wb, {
    title,
    slug: `record-form-${program}-${townCode ?? actor.countyCode}-${asOf}`,
    towns,
    unitLabel: program === 'dibao' ? '户' : '人',
    action: 'filings.record_form_export',
    entityId: townCode ?? actor.countyCode,
    townCode,
    after: (file) => ({
      program,
      asOf,
      towns: file.towns.map(({ townCode, units }) => ({ townCode, units })),
    }),
    what: '备案表',
  });
}

/** 花名册 of a town (or of every town, one sheet each): one row per member of every 低保 and 特困 enrolment in force. */
export async function exportRoster(
  db: Db,
  actor: Actor,
  input: { townCode?: string | undefined; asOf?: string | undefined },
  now = new Date(),
): Promise<FilingFile> {
  requirePermission(actor, 'registry.read');
  const f = await loadTownFiling(db, actor, input, now, '导出花名册', Object.keys(PAYROLL_PROGRAMS));
  const { asOf, townCode, towns } = f;
  const what = `社会救助对象花名册（截至${dateLabel(asOf)}）`;
  const title = f.title(what);
  const wb = newWorkbook(title);
  for (const t of towns) {
    writeTable(wb, rosterSpec(t, f.sheetTitle(t, what), f.unitOf(t)));
  }
  return exportFile(db, actor, now, wb, {
    title,
    slug: `roster-${townCode ?? actor.countyCode}-${asOf}`,
    towns,
    unitLabel: '户（人）',
    action: 'filings.roster_export',
    entityId: townCode ?? actor.countyCode,
    townCode,
    after: (file) => ({
      asOf,
      towns: file.towns.map(({ townCode, units, persons }) => ({ townCode, units, persons })),
    }),
    what: '花名册',
  });
}

/** 公示名单 of a village for a month: masked names, household size, covered persons, amount; no IDs, no accounts. */
export async function exportPublicNotice(
  db: Db,
  actor: Actor,
  input: { villageCode: string; month: string; program?: string | undefined },
  now = new Date(),
): Promise<FilingFile> {
  requirePermission(actor, 'registry.read');
  const program = checkProgram(input.program ?? 'dibao');
  if (!isIsoMonth(input.month)) throw validationError('month', '月份格式应为 YYYY-MM');
  if (!/^\d{12}$/.test(input.villageCode)) throw validationError('village', '村（居）区划代码应为 12 位数字');
  const village = await db
    .selectFrom('area')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('code', '=', input.villageCode)
    .executeTakeFirst();
  if (village?.level !== 'village') throw notFound(`村（居）${input.villageCode}`);
  const townCode = townFor(actor, input.villageCode.slice(0, 9), '导出公示名单');
  if (townCode === null) throw new AppError(ErrorCode.VALIDATION, '村（居）不属于任何乡镇');
  const { towns, names } = await loadUnits(db, {
    countyCode: actor.countyCode,
    townCode,
    villageCode: input.villageCode,
    programs: FILING_PROGRAMS[program].programs,
    asOf: lastDayOfMonth(input.month),
    includeSuspended: false,
  });
  const units = towns.flatMap((t) => t.units);
  const townName = names.get(townCode) ?? townCode;
  const kind = program === 'dibao' ? '城乡低保对象' : '特困（五保）供养对象';
  const title = `${townName}${village.name}${kind}公示名单（${monthLabel(input.month)}）`;
  const wb = newWorkbook(title);
  writeTable(wb, noticeSpec(units, program, title, townName, input.month));
  return exportFile(db, actor, now, wb, {
    title,
    slug: `public-notice-${program}-${input.villageCode}-${input.month}`,
    towns,
    unitLabel: program === 'dibao' ? '户' : '人',
    action: 'filings.public_notice_export',
    entityId: input.villageCode,
    townCode,
    after: () => ({ program, month: input.month, villageCode: input.villageCode, units: units.length }),
    what: '公示名单',
  });
}

/** The written workbook as the file to send, after the audit entry of its export (`导出<what>：<file name>`). */
async function exportFile(
  db: Db,
  actor: Actor,
  now: Date,
  wb: ExcelJS.Workbook,
  e: {
    title: string;
    slug: string;
    towns: TownUnits[];
    unitLabel: FilingFile['unitLabel'];
    action: string;
    entityId: string;
    townCode: string | null;
    after: (file: FilingFile) => unknown;
    what: string;
  },
): Promise<FilingFile> {
  const file = asFile(e.title, e.slug, await toBytes(wb), e.towns, e.unitLabel);
  await appendAudit(
    db,
    actor,
    {
      action: e.action,
      entityType: 'filing',
      entityId: e.entityId,
      countyCode: actor.countyCode,
      townCode: e.townCode,
      after: e.after(file),
      detail: `导出${e.what}：${file.fileName}`,
    },
    now,
  );
  return file;
}
