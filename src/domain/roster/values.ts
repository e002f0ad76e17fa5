/**
 * Cell values of a roster as counties write them: 保障类别 wording → program codes, 与户主关系 wording →
 * the registry's relations, 户口性质, and amounts in 元 → integer fen (exactly, through domain/money).
 */

import { RELATIONS, type Relation } from '../household/person-attributes.ts';
import { yuanToFen } from '../money/money.ts';

export type RosterProgram = 'urban_dibao' | 'rural_dibao' | 'urban_tekun' | 'rural_tekun';
/** Programs whose enrolment covers the whole household (DOMAIN §4); the others cover one person (§5). */
export const HOUSEHOLD_PROGRAMS: ReadonlySet<RosterProgram> = new Set(['urban_dibao', 'rural_dibao']);

export const PROGRAM_LABELS: Record<RosterProgram, string> = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困供养',
  rural_tekun: '农村特困供养（五保）',
};

const squash = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');

const PROGRAM_WORDS: Record<string, RosterProgram | 'dibao' | 'tekun'> = {
  城市低保: 'urban_dibao',
  城镇低保: 'urban_dibao',
  城市最低生活保障: 'urban_dibao',
  城镇最低生活保障: 'urban_dibao',
  农村低保: 'rural_dibao',
  农村最低生活保障: 'rural_dibao',
  城市特困: 'urban_tekun',
  城市特困供养: 'urban_tekun',
  城市特困人员: 'urban_tekun',
  城市三无: 'urban_tekun',
  城市三无人员: 'urban_tekun',
  农村特困: 'rural_tekun',
  农村特困供养: 'rural_tekun',
  农村特困人员: 'rural_tekun',
  农村五保: 'rural_tekun',
  五保: 'rural_tekun',
  五保户: 'rural_tekun',
  '农村特困供养(五保)': 'rural_tekun',
  低保: 'dibao',
  最低生活保障: 'dibao',
  低保户: 'dibao',
  特困: 'tekun',
  特困供养: 'tekun',
  特困人员: 'tekun',
  特困供养人员: 'tekun',
};

/**
 * 保障类别 → program code. A bare 低保 or 特困 takes the household's hukou (城镇 → urban, 农村 → rural);
 * null for wording no county roster uses for these programs.
 */
export function programOf(raw: string, hukou: 'urban' | 'rural' | null): RosterProgram | null {
  const word = PROGRAM_WORDS[squash(raw)];
  if (word === undefined) {
    const code = squash(raw);
    return code in PROGRAM_LABELS ? (code as RosterProgram) : null;
  }
  if (word === 'dibao') return hukou === 'urban' ? 'urban_dibao' : 'rural_dibao';
  if (word === 'tekun') return hukou === 'urban' ? 'urban_tekun' : 'rural_tekun';
  return word;
}

/** The hukou a program implies (城市低保 → urban), or null for a bare 低保/特困. */
export function hukouOfProgramWord(raw: string): 'urban' | 'rural' | null {
  const word = PROGRAM_WORDS[squash(raw)];
  if (word === undefined || word === 'dibao' || word === 'tekun') return null;
  return word.startsWith('urban') ? 'urban' : 'rural';
}

const RELATION_WORDS: Record<string, Relation> = {
  本人: '户主',
  户主本人: '户主',
  妻: '配偶',
  妻子: '配偶',
  夫: '配偶',
  丈夫: '配偶',
  夫妻: '配偶',
  子: '子女',
  女: '子女',
  儿子: '子女',
  女儿: '子女',
  长子: '子女',
  次子: '子女',
  三子: '子女',
  长女: '子女',
  次女: '子女',
  三女: '子女',
  养子: '子女',
  养女: '子女',
  继子: '子女',
  继女: '子女',
  父亲: '父母',
  母亲: '父母',
  父: '父母',
  母: '父母',
  孙子: '孙子女',
  孙女: '孙子女',
  外孙: '外孙子女',
  外孙子: '外孙子女',
  外孙女: '外孙子女',
  兄: '兄弟姐妹',
  弟: '兄弟姐妹',
  姐: '兄弟姐妹',
  妹: '兄弟姐妹',
  哥哥: '兄弟姐妹',
  弟弟: '兄弟姐妹',
  姐姐: '兄弟姐妹',
  妹妹: '兄弟姐妹',
  祖父: '祖父母',
  祖母: '祖父母',
  爷爷: '祖父母',
  奶奶: '祖父母',
  外祖父: '外祖父母',
  外祖母: '外祖父母',
  儿媳妇: '儿媳',
  媳妇: '儿媳',
};

/** 与户主关系 → the registry's relation, or null when the wording is not recognised. */
export function relationOf(raw: string): Relation | null {
  const s = squash(raw);
  if ((RELATIONS as readonly string[]).includes(s)) return s as Relation;
  return RELATION_WORDS[s] ?? null;
}

/** 户口性质: 城镇/非农业/城市 → urban, 农村/农业 → rural; null when unrecognised. */
export function hukouOf(raw: string): 'urban' | 'rural' | null {
  const s = squash(raw);
  if (['城镇', '城市', '非农业', '非农', '城镇户口', '非农业户口', '居民', 'urban'].includes(s))
    return 'urban';
  if (['农村', '农业', '农业户口', '农村户口', 'rural'].includes(s)) return 'rural';
  return null;
}

/**
 * An amount in 元 as written in a cell ('410', '410.50', '1,230.00', '410元', or an Excel number) → fen,
 * exactly. Null when it is not an amount with at most two decimals (a third decimal would need rounding,
 * which an import must not do silently).
 */
export function yuanCellToFen(v: unknown): number | null {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    // Excel stores 410.5 as a binary double; its shortest decimal form is what the clerk typed.
    s = String(v);
    if (/e/i.test(s)) return null;
  } else s = String(v ?? '');
  s = s
    .replace(/[,，\s]/g, '')
    .replace(/元$/, '')
    .replace(/^¥/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const fen = yuanToFen(s);
  return Number.isSafeInteger(fen) ? fen : null;
}

/** A whole number of persons from a cell ('3', 3, '3人'). */
export function countCell(v: unknown): number | null {
  const s = String(v ?? '')
    .trim()
    .replace(/人$/, '');
  if (!/^\d{1,3}$/.test(s)) return null;
  return Number(s);
}
