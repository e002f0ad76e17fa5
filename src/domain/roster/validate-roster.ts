/**
 * Checks a county roster (花名册) row by row and groups its rows into households. Pure: the caller passes the
 * county's towns and villages, the ID numbers already in the registry, the actor's town (a town user may only
 * import their own town) and `asOf`.
 *
 * A household with any bad row is left out whole and listed with every reason, so a clerk never gets half a
 * family (DOMAIN §4.2: the household is the unit of a dibao case). Bad rows carry the file's row number, the
 * file's column header and a reason in Chinese.
 */
import { RELATIONS, type Relation } from '../household/person-attributes.ts';
import { maskIdNumber, validateResidentId } from '../identity/resident-id.ts';
import { ROSTER_FIELDS, type RosterField, type RosterMapping } from './columns.ts';
import {
  countCell,
  HOUSEHOLD_PROGRAMS,
  hukouOf,
  hukouOfProgramWord,
  PROGRAM_LABELS,
  programOf,
  type RosterProgram,
  relationOf,
  yuanCellToFen,
} from './values.ts';

export interface RosterArea {
  code: string;
  name: string;
  /** Villages: their town's code. */
  parentCode: string | null;
  /** NBS urban-rural class of a village (1xx urban, 2xx rural), when known. */
  urbanRural: string | null;
}

export interface RosterRow {
  /** 1-based row number in the file (the header is row 1). */
  row: number;
  values: Record<string, unknown>;
}

export interface BadRow {
  row: number;
  /** The file's header of the offending column (or the field's label when it has no column). */
  column: string;
  /** The cell as written; ID numbers masked. */
  value: string;
  reason: string;
}

export interface RosterPerson {
  row: number;
  name: string;
  idNumber: string;
  sex: 'M' | 'F';
  birthDate: string;
  relation: Relation;
  ethnicity: string | null;
  phone: string | null;
  /** A person-level program (特困) named on this row. */
  personProgram: RosterProgram | null;
}

export interface RosterHousehold {
  /** The grouping key (户编号, 户主身份证号, or the head's row). */
  key: string;
  rows: number[];
  townCode: string;
  villageCode: string | null;
  address: string;
  hukouType: 'urban' | 'rural';
  phone: string | null;
  bankName: string | null;
  bankAccount: string | null;
  accountHolder: string | null;
  /** The head first, then the others in file order. */
  members: RosterPerson[];
  /** A household-level program (低保) named on its rows. */
  householdProgram: RosterProgram | null;
  /** 月保障金 of the household: the sum of its rows' amounts, in fen; null when no row gives one. */
  monthlyAmountFen: number | null;
}

export interface BadHousehold {
  key: string;
  headName: string | null;
  rows: number[];
  reasons: string[];
}

export interface ValidateRosterInput {
  rows: readonly RosterRow[];
  mapping: RosterMapping;
  towns: readonly RosterArea[];
  villages: readonly RosterArea[];
  /** Normalised 18-character ID numbers already in the registry → person id. */
  registered: ReadonlyMap<string, number>;
  /** A town user's town: rows of other towns are bad. Null for county users. */
  ownTownCode: string | null;
  asOf: string;
}

export interface ValidateRosterResult {
  households: RosterHousehold[];
  badRows: BadRow[];
  badHouseholds: BadHousehold[];
}

const NAME = /^[\p{L}·• ]+$/u;
const PHONE = /^[0-9+\- ]{5,20}$/;
const MAX_MEMBERS = 30;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** Town and village names are written with or without their suffix: 乳城镇 / 乳城, 鹰峰居委会 / 鹰峰社区居委会. */
function stem(name: string): string {
  return name
    .replace(/\s+/g, '')
    .replace(
      /(村民委员会|居民委员会|社区居委会|社区居民委员会|村委会|居委会|社区|街道办事处|街道|镇|乡|村)$/u,
      '',
    );
}

class AreaIndex {
  private readonly towns = new Map<string, RosterArea>();
  private readonly villages = new Map<string, RosterArea>();

  constructor(towns: readonly RosterArea[], villages: readonly RosterArea[]) {
    for (const t of towns) {
      this.towns.set(t.code, t);
      this.towns.set(t.name, t);
      if (!this.towns.has(stem(t.name))) this.towns.set(stem(t.name), t);
    }
    for (const v of villages) {
      this.villages.set(v.code, v);
      this.villages.set(`${v.parentCode}|${v.name}`, v);
      const k = `${v.parentCode}|${stem(v.name)}`;
      if (!this.villages.has(k)) this.villages.set(k, v);
    }
  }

  town(raw: string): RosterArea | undefined {
    const s = raw.replace(/\s+/g, '');
    return this.towns.get(s) ?? this.towns.get(stem(s));
  }

  village(townCode: string, raw: string): RosterArea | undefined {
    const s = raw.replace(/\s+/g, '');
    if (/^\d{12}$/.test(s)) {
      const v = this.villages.get(s);
      return v?.parentCode === townCode ? v : undefined;
    }
    return this.villages.get(`${townCode}|${s}`) ?? this.villages.get(`${townCode}|${stem(s)}`);
  }

  townName(code: string): string {
    return this.towns.get(code)?.name ?? code;
  }
}

/** The valid, normalised ID numbers of the file's rows (for the caller to look up in the registry). */
export function rosterIdNumbers(rows: readonly RosterRow[], mapping: RosterMapping, asOf: string): string[] {
  const header = mapping.idNumber;
  if (header === undefined) return [];
  const out = new Set<string>();
  for (const r of rows) {
    const v = validateResidentId(text(r.values[header]), { asOf });
    if (v.valid) out.add(v.idNumber);
  }
  return [...out];
}

interface ParsedRow {
  row: number;
  groupKey: string | null;
  person: RosterPerson | null;
  isHead: boolean;
  nameRaw: string;
  townCode: string | null;
  villageCode: string | null;
  villageUrban: boolean | null;
  hukou: 'urban' | 'rural' | null;
  programHukou: 'urban' | 'rural' | null;
  programRaw: string;
  declaredSize: number | null;
  amountFen: number | null;
  address: string;
  phone: string | null;
  bankName: string;
  bankAccount: string;
  accountHolder: string;
  bad: BadRow[];
}

export function validateRoster(input: ValidateRosterInput): ValidateRosterResult {
  const { mapping, asOf } = input;
  const areas = new AreaIndex(input.towns, input.villages);
  const col = (f: RosterField) => mapping[f] ?? ROSTER_FIELDS[f].label;
  const cell = (r: RosterRow, f: RosterField) => {
    const h = mapping[f];
    return h === undefined ? '' : text(r.values[h]);
  };
  const keyMode: 'key' | 'head' | 'sequence' =
    mapping.householdKey !== undefined ? 'key' : mapping.headIdNumber !== undefined ? 'head' : 'sequence';

  const parsed: ParsedRow[] = [];
  let currentSequence: string | null = null;
  for (const r of input.rows) {
    const bad: BadRow[] = [];
    const badAt = (f: RosterField, value: string, reason: string) =>
      bad.push({ row: r.row, column: col(f), value, reason });

    const name = cell(r, 'name');
    if (name === '') badAt('name', '', '姓名为空');
    else if (!NAME.test(name) || [...name].length > 50) {
      badAt('name', name, '姓名只能包含文字和间隔号“·”，且不超过50字');
    }

    const idRaw = cell(r, 'idNumber');
    let idNumber: string | null = null;
    let sex: 'M' | 'F' = 'M';
    let birthDate = '';
    if (idRaw === '') badAt('idNumber', '', '身份证号码为空');
    else {
      const v = validateResidentId(idRaw, { asOf });
      if (v.valid) {
        idNumber = v.idNumber;
        sex = v.sex;
        birthDate = v.birthDate;
        const known = input.registered.get(v.idNumber);
        if (known !== undefined) {
          badAt(
            'idNumber',
            maskIdNumber(v.idNumber),
            `该人员已在系统中登记（人员编号 ${known}），不能重复建档；如需调整家庭请使用“人员迁移”`,
          );
        }
      } else if (/^\d(\.\d+)?e\+?\d+$/i.test(idRaw)) {
        // Excel turned the number into a float: its last digits are gone and cannot be recovered here.
        badAt(
          'idNumber',
          idRaw,
          '身份证号码被 Excel 存成了数字（末几位已丢失），请将该列设为“文本”后重新填写',
        );
      } else {
        badAt(
          'idNumber',
          maskIdNumber(idRaw),
          `身份证号码无效：${v.errors.map((e) => e.message).join('；')}`,
        );
      }
    }

    // 与户主关系: a blank cell is the head when the name is the 户主姓名 (or the ID the 户主身份证号).
    const relationRaw = cell(r, 'relation');
    const headName = cell(r, 'headName');
    const headIdRaw = cell(r, 'headIdNumber');
    const headIdValid = headIdRaw === '' ? null : validateResidentId(headIdRaw, { asOf });
    const headId = headIdValid?.valid ? headIdValid.idNumber : null;
    const looksLikeHead =
      (idNumber !== null && headId === idNumber) ||
      (headName !== '' && name === headName && mapping.headIdNumber === undefined);
    let relation: Relation | null;
    if (relationRaw === '') {
      if (looksLikeHead) relation = '户主';
      else if (mapping.relation === undefined) relation = '其他';
      else {
        relation = null;
        badAt('relation', '', '与户主关系为空');
      }
    } else {
      relation = relationOf(relationRaw);
      if (relation === null) {
        badAt(
          'relation',
          relationRaw,
          `与户主关系「${relationRaw}」无法识别（应为：${RELATIONS.join('、')}）`,
        );
      }
    }
    const isHead = relation === '户主';

    const townRaw = cell(r, 'town');
    let townCode: string | null = null;
    if (townRaw === '') badAt('town', '', '乡镇为空');
    else {
      const town = areas.town(townRaw);
      if (!town) badAt('town', townRaw, `乡镇「${townRaw}」不是本县的乡镇`);
      else {
        townCode = town.code;
        if (input.ownTownCode !== null && town.code !== input.ownTownCode) {
          badAt(
            'town',
            townRaw,
            `${town.name}不在您的管辖区域内（您只能导入${areas.townName(input.ownTownCode)}的人员）`,
          );
        }
      }
    }
    const villageRaw = cell(r, 'village');
    let villageCode: string | null = null;
    let villageUrban: boolean | null = null;
    if (villageRaw !== '' && townCode !== null) {
      const village = areas.village(townCode, villageRaw);
      if (!village) {
        badAt('village', villageRaw, `村（居）委会「${villageRaw}」不属于${areas.townName(townCode)}`);
      } else {
        villageCode = village.code;
        villageUrban = village.urbanRural === null ? null : village.urbanRural.startsWith('1');
      }
    }

    const sizeRaw = cell(r, 'householdSize');
    const declaredSize = sizeRaw === '' ? null : countCell(sizeRaw);
    if (sizeRaw !== '' && (declaredSize === null || declaredSize < 1)) {
      badAt('householdSize', sizeRaw, `家庭人口「${sizeRaw}」应为正整数`);
    }

    const hukouRaw = cell(r, 'hukouType');
    const hukou = hukouRaw === '' ? null : hukouOf(hukouRaw);
    if (hukouRaw !== '' && hukou === null) {
      badAt('hukouType', hukouRaw, `户口性质「${hukouRaw}」无法识别（应为城镇或农村）`);
    }
    const programRaw = cell(r, 'program');
    const amountCell = mapping.monthlyAmount === undefined ? '' : r.values[mapping.monthlyAmount];
    const amountRaw = text(amountCell);
    const amountFen = amountRaw === '' ? null : yuanCellToFen(amountCell);
    if (amountRaw !== '' && amountFen === null) {
      badAt('monthlyAmount', amountRaw, `月保障金「${amountRaw}」不是有效金额（以元为单位，最多两位小数）`);
    }
    const bankAccount = cell(r, 'bankAccount').replace(/\s+/g, '');
    if (bankAccount !== '' && !/^\d{8,30}$/.test(bankAccount)) {
      badAt('bankAccount', cell(r, 'bankAccount'), '银行账号应为8–30位数字');
    }
    const phone = cell(r, 'phone');
    if (phone !== '' && !PHONE.test(phone)) badAt('phone', phone, '联系电话格式不正确');

    // Which household the row belongs to.
    let groupKey: string | null = null;
    if (keyMode === 'key') {
      const k = cell(r, 'householdKey');
      if (k === '') badAt('householdKey', '', '户编号为空，无法确定所属家庭');
      else groupKey = `户编号 ${k}`;
    } else if (keyMode === 'head') {
      if (headId !== null) groupKey = `户主 ${headId}`;
      else if (headIdRaw === '' && isHead && idNumber !== null) groupKey = `户主 ${idNumber}`;
      else if (headIdRaw === '') badAt('headIdNumber', '', '户主身份证号为空，无法确定所属家庭');
      else {
        badAt('headIdNumber', maskIdNumber(headIdRaw), '户主身份证号码无效，无法确定所属家庭');
      }
    } else if (isHead) {
      currentSequence = `第 ${r.row} 行户主`;
      groupKey = currentSequence;
    } else if (relation !== null) {
      if (currentSequence === null) badAt('relation', relationRaw, '该行之前没有户主行，无法确定所属家庭');
      groupKey = currentSequence;
    } else {
      groupKey = currentSequence;
    }

    parsed.push({
      row: r.row,
      groupKey,
      person:
        idNumber !== null && relation !== null && name !== ''
          ? {
              row: r.row,
              name,
              idNumber,
              sex,
              birthDate,
              relation,
              ethnicity: cell(r, 'ethnicity') || null,
              phone: phone === '' ? null : phone,
              personProgram: null,
            }
          : null,
      isHead,
      nameRaw: name,
      townCode,
      villageCode,
      villageUrban,
      hukou,
      programHukou: programRaw === '' ? null : hukouOfProgramWord(programRaw),
      programRaw,
      declaredSize,
      amountFen,
      address: cell(r, 'address'),
      phone: phone === '' ? null : phone,
      bankName: cell(r, 'bankName'),
      bankAccount,
      accountHolder: cell(r, 'accountHolder'),
      bad,
    });
  }

  // The same person twice in the file: every occurrence is bad (which one is right is the clerk's call).
  const rowsById = new Map<string, number[]>();
  for (const p of parsed) {
    if (!p.person) continue;
    const list = rowsById.get(p.person.idNumber) ?? [];
    list.push(p.row);
    rowsById.set(p.person.idNumber, list);
  }
  for (const p of parsed) {
    if (!p.person) continue;
    const rows = rowsById.get(p.person.idNumber) ?? [];
    if (rows.length > 1) {
      p.bad.push({
        row: p.row,
        column: col('idNumber'),
        value: maskIdNumber(p.person.idNumber),
        reason: `身份证号码与第 ${rows.filter((n) => n !== p.row).join('、')} 行重复（同一人在名册中出现多次）`,
      });
    }
  }

  // Group.
  const groups = new Map<string, ParsedRow[]>();
  const orphans: ParsedRow[] = [];
  for (const p of parsed) {
    if (p.groupKey === null) {
      orphans.push(p);
      continue;
    }
    const list = groups.get(p.groupKey) ?? [];
    list.push(p);
    groups.set(p.groupKey, list);
  }

  const households: RosterHousehold[] = [];
  const badHouseholds: BadHousehold[] = [];
  const badRows: BadRow[] = [];
  for (const [key, rows] of groups) {
    const first = rows[0] as ParsedRow;
    const heads = rows.filter((p) => p.isHead);
    const head = heads[0];
    const anchor = head ?? first;
    const householdBad = (p: ParsedRow, f: RosterField, value: string, reason: string) =>
      p.bad.push({ row: p.row, column: col(f), value, reason });
    if (heads.length === 0) {
      householdBad(first, 'relation', '', '该户没有户主（应有一行的与户主关系为“户主”）');
    }
    for (const extra of heads.slice(1)) {
      householdBad(extra, 'relation', '户主', `该户有 ${heads.length} 名户主，每户只能有一名户主`);
    }
    if (rows.length > MAX_MEMBERS) {
      householdBad(
        anchor,
        'name',
        anchor.nameRaw,
        `该户有 ${rows.length} 人，家庭成员不能超过 ${MAX_MEMBERS} 人`,
      );
    }
    // 家庭人口 must equal the rows of the household (a roster lists every member).
    const sizes = [...new Set(rows.map((p) => p.declaredSize).filter((n): n is number => n !== null))];
    if (sizes.length > 1) {
      const at = rows.find((p) => p.declaredSize !== null) as ParsedRow;
      householdBad(
        at,
        'householdSize',
        String(at.declaredSize),
        `同一户的家庭人口填写不一致（${sizes.join('、')}）`,
      );
    } else if (sizes.length === 1 && sizes[0] !== rows.length) {
      const at = rows.find((p) => p.declaredSize !== null) as ParsedRow;
      householdBad(
        at,
        'householdSize',
        String(at.declaredSize),
        `家庭人口为 ${sizes[0]} 人，但名册中该户有 ${rows.length} 行`,
      );
    }
    for (const p of rows) {
      if (p !== anchor && p.townCode !== null && anchor.townCode !== null && p.townCode !== anchor.townCode) {
        householdBad(p, 'town', areas.townName(p.townCode), '与户主所在乡镇不一致');
      }
    }
    // Hukou: the column, else what the program says (城市低保 → 城镇), else the village's class, else 农村.
    const hukou: 'urban' | 'rural' =
      rows.find((p) => p.hukou !== null)?.hukou ??
      rows.find((p) => p.programHukou !== null)?.programHukou ??
      (anchor.villageUrban === true ? 'urban' : 'rural');
    let householdProgram: RosterProgram | null = null;
    for (const p of rows) {
      if (p.programRaw === '') continue;
      const program = programOf(p.programRaw, hukou);
      if (program === null) {
        householdBad(
          p,
          'program',
          p.programRaw,
          `保障类别「${p.programRaw}」无法识别（应为：${Object.values(PROGRAM_LABELS).join('、')}）`,
        );
      } else if (HOUSEHOLD_PROGRAMS.has(program)) {
        if (householdProgram !== null && householdProgram !== program) {
          householdBad(
            p,
            'program',
            p.programRaw,
            `同一户的保障类别不一致（${PROGRAM_LABELS[householdProgram]}、${PROGRAM_LABELS[program]}）`,
          );
        }
        householdProgram ??= program;
      } else if (p.person) p.person.personProgram = program;
    }

    const reasons = rows.flatMap((p) => p.bad);
    if (reasons.length > 0) {
      badRows.push(...reasons);
      badHouseholds.push({
        key,
        headName: head?.nameRaw || null,
        rows: rows.map((p) => p.row),
        reasons: reasons.map((b) => `第 ${b.row} 行「${b.column}」：${b.reason}`),
      });
      continue;
    }
    const ordered = [anchor, ...rows.filter((p) => p !== anchor)];
    const firstOf = (pick: (p: ParsedRow) => string | null) => {
      for (const p of ordered) {
        const v = pick(p);
        if (v) return v;
      }
      return null;
    };
    const amounts = rows.map((p) => p.amountFen).filter((n): n is number => n !== null);
    const townCode = anchor.townCode as string;
    households.push({
      key,
      rows: rows.map((p) => p.row),
      townCode,
      villageCode: anchor.villageCode,
      address:
        firstOf((p) => p.address) ??
        `${areas.townName(townCode)}${anchor.villageCode ? (input.villages.find((v) => v.code === anchor.villageCode)?.name ?? '') : ''}`,
      hukouType: hukou,
      phone: firstOf((p) => p.phone),
      bankName: firstOf((p) => p.bankName),
      bankAccount: firstOf((p) => p.bankAccount),
      accountHolder: firstOf((p) => p.accountHolder),
      members: ordered.map((p) => p.person as RosterPerson),
      householdProgram,
      monthlyAmountFen: amounts.length === 0 ? null : amounts.reduce((a, b) => a + b, 0),
    });
  }
  for (const p of orphans) {
    badRows.push(...p.bad);
    badHouseholds.push({
      key: `第 ${p.row} 行`,
      headName: null,
      rows: [p.row],
      reasons: p.bad.map((b) => `第 ${b.row} 行「${b.column}」：${b.reason}`),
    });
  }
  badRows.sort((a, b) => a.row - b.row);
  badHouseholds.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
  return { households, badRows, badHouseholds };
}
