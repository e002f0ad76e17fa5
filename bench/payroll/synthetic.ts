/**
 * A synthetic rural dibao caseload for the payroll benchmark: N households of 1–3 members (exactly 2N
 * persons), each with household_member rows, one active rural_dibao enrolment and one benefit decision
 * (per-capita income, counted members with their add-on categories), in the areas of a real county,
 * plus one rural_dibao policy version (gap method, floor, highest add-on, rounding to whole yuan).
 *
 * Not timed by the benchmark, but built fast: the rows are generated in JS in chunks of households
 * (the same rows on both engines, so the two engines must pay the same total) and written with
 * prepared statements in large transactions on SQLite and with `insert … select from unnest(arrays)`
 * on PostgreSQL. Ids are explicit (household h has id h+1, and so do its enrolment and decision).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { checkCharacter } from '../../src/domain/identity/resident-id.ts';
import { parsePolicyBody } from '../../src/domain/policy/kinds.ts';
import { listCountyVillages, listTowns } from '../../src/modules/areas/areas.repository.ts';
import { ensureCountyAreas } from '../../src/modules/areas/areas.service.ts';
import { bulkWriter, dropSecondaryIndexes, type Rng, rng, type TableSpec } from '../shared/bulk-load.ts';

export const PROGRAM = 'rural_dibao';
/** The decisions' month; the payroll month is later, so every enrolment is paid. */
export const DECISION_MONTH = '2015-01';

/**
 * The rural_dibao parameters of the benchmark (DOMAIN §4.7, §17: Guangdong class-4 rural line 2015 =
 * 260 元). Add-on rates are chosen so that the rounding rules matter: 0.125 × 260 元 = 32.50 元 is
 * rounded half-up to whole yuan; the base (gap × members) is rounded up to whole yuan.
 */
export const BENCH_DIBAO_BODY = {
  standardFen: 26000,
  method: 'gap',
  bands: [],
  floor: { kind: 'per_person', amountFen: 3000 },
  addOns: {
    stacking: 'highest',
    capAtStandard: true,
    items: [
      { category: 'serious_illness', label: '重病患者', rate: '0.3' },
      { category: 'severe_disability', label: '重度残疾人', rate: '0.125' },
      { category: 'elderly', label: '70周岁以上老年人', rate: '0.1', minAge: 70 },
      { category: 'minor', label: '未成年人', rate: '0.1' },
    ],
  },
  fullStandardCategories: ['sanwu'],
  income: {
    referenceMonths: 3,
    exemptTypes: ['special_care', 'family_planning', 'scholarship', 'heroism_award', 'social_assistance'],
    employmentCostDeduction: null,
    imputed: null,
    workingAge: { from: 16, toMale: 60, toFemale: 55 },
  },
  assets: [],
  edgeIncomeMultiple: '1.5',
  rounding: {
    perCapitaIncome: { mode: 'half_up', unit: 'fen' },
    benefit: { mode: 'up', unit: 'yuan' },
    addOn: { mode: 'half_up', unit: 'yuan' },
  },
  funding: { defaultSource: 'central', rules: [{ component: 'dibao_addon', source: 'county' }] },
} as const;

export interface SyntheticOptions {
  households: number;
  countyCode: string;
  /** Households per generated chunk (one transaction on SQLite, one statement per table on PG). */
  chunk?: number;
  seed?: number;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface SyntheticCaseload {
  countyCode: string;
  programCode: string;
  households: number;
  persons: number;
  policyId: number;
  /** Σ decisions' monthly_amount_fen as computed here at build time (a third cross-check). */
  decisionsTotalFen: number;
  /** Decisions with at least one add-on member. */
  withAddOn: number;
  /** Where the build time went, ms. */
  timings: { areas: number; rows: number; write: number; indexes: number; analyze: number };
}

interface Member {
  relation: string;
  age: number;
  sex: 'M' | 'F';
  categories: string[];
  fullStandard: boolean;
  disabilityGrade: number | null;
  seriousIllness: boolean;
}

/** Household sizes cycle 1,2,3,2,2,1,3,2,3,1: mean exactly 2 persons per household. */
const SIZES = [1, 2, 3, 2, 2, 1, 3, 2, 3, 1] as const;
const SURNAMES = '李陈黄张刘邓赵盘邱罗冯林何吴周叶谢曾朱钟'.split('');
const GIVEN = '明华英国建秀玉兰金桂春平亚珍文志德红丽芳伟强军梅凤'.split('');
const BANKS = ['乳源农村商业银行', '中国邮政储蓄银行', '中国农业银行'];
const AS_OF_YEAR = 2015;

function person(r: Rng, relation: string, ageLo: number, ageHi: number, sex?: 'M' | 'F'): Member {
  const age = r.int(ageLo, ageHi);
  const disabled = r.next() < 0.08;
  const disabilityGrade = disabled ? r.int(1, 4) : null;
  const seriousIllness = r.next() < 0.05;
  const categories: string[] = [];
  if (seriousIllness) categories.push('serious_illness');
  if (disabilityGrade !== null && disabilityGrade <= 2) categories.push('severe_disability');
  if (age >= 70) categories.push('elderly');
  if (age < 18) categories.push('minor');
  return {
    relation,
    age,
    sex: sex ?? (r.next() < 0.5 ? 'M' : 'F'),
    categories,
    fullStandard: false,
    disabilityGrade,
    seriousIllness,
  };
}

/** Members of household h: singles are old or disabled; pairs and triples mix elderly, adults and minors. */
function composeHousehold(r: Rng, size: number): Member[] {
  if (size === 1) {
    const m = person(r, '户主', 45, 92);
    // 三无 (no income, no work ability, no supporter): the full standard (1999 条例 Art. 8).
    if (m.age >= 60 && r.next() < 0.2) {
      m.fullStandard = true;
      m.categories.push('sanwu');
    }
    return [m];
  }
  const kind = r.next();
  if (size === 2) {
    if (kind < 0.5) return [person(r, '户主', 62, 90, 'M'), person(r, '配偶', 60, 88, 'F')];
    return [person(r, '户主', 28, 55), person(r, '子女', 1, 17)];
  }
  if (kind < 0.6)
    return [person(r, '户主', 30, 58, 'M'), person(r, '配偶', 28, 56, 'F'), person(r, '子女', 0, 17)];
  return [person(r, '户主', 60, 85), person(r, '孙子女', 3, 17), person(r, '孙子女', 0, 15)];
}

const ratioTimes = (rate: string, fen: number): { num: bigint; den: bigint } => {
  const [i = '0', f = ''] = rate.split('.');
  const den = 10n ** BigInt(f.length);
  return { num: BigInt(i + f) * BigInt(fen), den };
};

/** Rounds num/den (≥ 0) fen to the unit with the mode, exactly. */
function roundFen(num: bigint, den: bigint, mode: 'up' | 'half_up' | 'down', unitFen: number): number {
  const d = den * BigInt(unitFen);
  let q = num / d;
  const rem = num % d;
  if (rem !== 0n && (mode === 'up' || (mode === 'half_up' && rem * 2n >= d))) q += 1n;
  return Number(q * BigInt(unitFen));
}

/**
 * The bench's own statement of the monthly amount (DOMAIN §4.7) — base: Σ per counted member of
 * (full standard | standard − per-capita income), at least floor × members, rounded up to whole yuan;
 * add-ons: per member the highest applicable rate × standard (老年人 and 未成年人 by age), capped at the
 * standard, rounded half-up to whole yuan.
 * The SQL baseline (baseline.ts) restates the same arithmetic.
 */
export function referenceAmount(
  perCapitaIncomeFen: number,
  members: Member[],
): { base: number; addOn: number } {
  const b = BENCH_DIBAO_BODY;
  let base = 0;
  for (const m of members)
    base += m.fullStandard ? b.standardFen : Math.max(b.standardFen - perCapitaIncomeFen, 0);
  base = roundFen(BigInt(Math.max(base, b.floor.amountFen * members.length)), 1n, 'up', 100);
  let addOn = 0;
  for (const m of members) {
    let best: { num: bigint; den: bigint } | null = null;
    for (const item of b.addOns.items) {
      const applies =
        item.category === 'elderly'
          ? m.age >= item.minAge
          : item.category === 'minor'
            ? m.age < 18
            : m.categories.includes(item.category);
      if (!applies) continue;
      const v = ratioTimes(item.rate, b.standardFen);
      if (!best || v.num * best.den > best.num * v.den) best = v;
    }
    if (!best) continue;
    const capped =
      best.num > BigInt(b.standardFen) * best.den ? { num: BigInt(b.standardFen), den: 1n } : best;
    addOn += roundFen(capped.num, capped.den, 'half_up', 100);
  }
  return { base, addOn };
}

const T = {
  household: {
    name: 'household',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['town_code', 'text'],
      ['village_code', 'text'],
      ['address', 'text'],
      ['hukou_type', 'text'],
      ['head_person_id', 'bigint'],
      ['phone', 'text'],
      ['bank_name', 'text'],
      ['bank_account', 'text'],
      ['bank_account_holder', 'text'],
      ['version', 'int'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ],
  },
  person: {
    name: 'person',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['town_code', 'text'],
      ['id_number', 'text'],
      ['name', 'text'],
      ['sex', 'text'],
      ['birth_date', 'text'],
      ['ethnicity', 'text'],
      ['hukou_type', 'text'],
      ['disability_category', 'text'],
      ['disability_grade', 'int'],
      ['labour_capacity', 'text'],
      ['serious_illness', 'int'],
      ['self_care', 'text'],
      ['school_status', 'text'],
      ['employment_status', 'text'],
      ['version', 'int'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ],
  },
  member: {
    name: 'household_member',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['town_code', 'text'],
      ['household_id', 'bigint'],
      ['person_id', 'bigint'],
      ['relation', 'text'],
      ['valid_from', 'text'],
    ],
  },
  enrolment: {
    name: 'enrolment',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['town_code', 'text'],
      ['program_code', 'text'],
      ['household_id', 'bigint'],
      ['start_month', 'text'],
      ['status', 'text'],
      ['single_person', 'int'],
      ['review_class', 'text'],
      ['version', 'int'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ],
  },
  decision: {
    name: 'benefit_decision',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['town_code', 'text'],
      ['enrolment_id', 'bigint'],
      ['program_code', 'text'],
      ['effective_month', 'text'],
      ['per_capita_income_fen', 'bigint'],
      ['members_json', 'text'],
      ['monthly_amount_fen', 'bigint'],
      ['explanation_json', 'text'],
      ['decided_on', 'text'],
      ['created_by', 'text'],
      ['created_at', 'text'],
    ],
  },
} satisfies Record<string, TableSpec>;

type Chunk = Record<keyof typeof T, unknown[][]>;
const LOADED_TABLES = Object.values(T).map((t) => t.name);

interface Area {
  townCode: string;
  townName: string;
  villageCode: string;
  villageName: string;
}

/** Builds the caseload in an empty, migrated database. */
export async function buildSyntheticCaseload(
  handle: DatabaseHandle,
  options: SyntheticOptions,
): Promise<SyntheticCaseload> {
  const { countyCode, households } = options;
  const now = (options.now ?? new Date()).toISOString();
  const chunkSize = options.chunk ?? (handle.engine === 'sqlite' ? 50_000 : 20_000);
  const timings = { areas: 0, rows: 0, write: 0, indexes: 0, analyze: 0 };
  let mark = performance.now();
  const lap = (k: keyof typeof timings) => {
    const now = performance.now();
    timings[k] += now - mark;
    mark = now;
  };
  await handle.db
    .transaction()
    .execute((trx) => ensureCountyAreas(trx, systemActor(countyCode, 'bench'), countyCode));
  const towns = new Map((await listTowns(handle.db, countyCode)).map((t) => [t.code, t.name]));
  const areas: Area[] = (await listCountyVillages(handle.db, countyCode)).map((v) => ({
    townCode: v.parent_code as string,
    townName: towns.get(v.parent_code as string) ?? '',
    villageCode: v.code,
    villageName: v.name,
  }));
  if (areas.length === 0) throw new Error(`区划 ${countyCode} 没有村（居）`);

  const body = parsePolicyBody('dibao', BENCH_DIBAO_BODY);
  if (!body.ok) throw new Error(`bench policy body invalid: ${JSON.stringify(body.issues)}`);
  const policy = await handle.db
    .insertInto('policy_parameter')
    .values({
      county_code: countyCode,
      town_code: null,
      kind: 'dibao',
      program_code: PROGRAM,
      effective_from: '2015-01',
      effective_to: null,
      doc_no: '乳民〔2015〕1号（基准测试）',
      doc_title: '农村低保标准（基准测试）',
      body: JSON.stringify(body.value),
      created_by: 'bench',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Bulk load: secondary indexes are dropped and rebuilt afterwards from their own definitions (a sorted
  // build is several times faster than 2 million single-row index insertions), and foreign-key checks are
  // off while loading (the rows are consistent by construction).
  const indexes = await dropSecondaryIndexes(handle, LOADED_TABLES);
  if (handle.sqlite) handle.sqlite.pragma('foreign_keys = OFF');
  lap('areas');
  const writer = bulkWriter(handle, T);
  const r = rng(options.seed ?? 2015);
  // Unique ID numbers: 440232 + birth date + a sequence counted per birth date.
  const seqByDay = new Map<string, number>();
  let personId = 0;
  let decisionsTotalFen = 0;
  let withAddOn = 0;
  for (let start = 0; start < households; start += chunkSize) {
    const end = Math.min(households, start + chunkSize);
    const chunk: Chunk = { household: [], person: [], member: [], enrolment: [], decision: [] };
    for (let h = start; h < end; h++) {
      const id = h + 1;
      const area = areas[h % areas.length] as Area;
      const members = composeHousehold(r, SIZES[h % SIZES.length] as number);
      const surname = SURNAMES[r.int(0, SURNAMES.length - 1)] as string;
      const decisionMembers: {
        personId: number;
        categories: string[];
        fullStandard: boolean;
        age: number;
      }[] = [];
      let headId = 0;
      let headName = '';
      for (const m of members) {
        const pid = ++personId;
        if (m.relation === '户主') headId = pid;
        const year = AS_OF_YEAR - m.age;
        const month = r.int(1, 9);
        const day = r.int(1, 28);
        const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const seqBase = (seqByDay.get(birth) ?? 0) + 1;
        seqByDay.set(birth, seqBase);
        // odd sequence = male, even = female (GB 11643)
        const seq = seqBase * 2 - (m.sex === 'M' ? 1 : 0);
        if (seq > 999) throw new Error('synthetic ID sequence overflow');
        const first17 = `${countyCode}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
        const name =
          surname +
          (GIVEN[r.int(0, GIVEN.length - 1)] as string) +
          (m.age > 50 ? '' : GIVEN[r.int(0, GIVEN.length - 1)]);
        if (pid === headId) headName = name;
        chunk.person.push([
          pid,
          countyCode,
          area.townCode,
          first17 + checkCharacter(first17),
          name,
          m.sex,
          birth,
          '汉族',
          'rural',
          m.disabilityGrade === null ? null : '肢体',
          m.disabilityGrade,
          m.age < 16 || m.age >= 60 || m.disabilityGrade !== null ? 'none' : 'partial',
          m.seriousIllness ? 1 : 0,
          'self_reliant',
          m.age >= 6 && m.age < 15 ? 'primary' : 'none',
          m.age >= 16 && m.age < 60 ? 'farming' : 'none',
          1,
          now,
          now,
        ]);
        chunk.member.push([pid, countyCode, area.townCode, id, pid, m.relation, '2010-01-01']);
        decisionMembers.push({
          personId: pid,
          categories: m.categories,
          fullStandard: m.fullStandard,
          age: m.age,
        });
      }
      // Per-capita income: 0 for 三无 singles, else 0–258 元 in fen (the floor applies near the line).
      const income = members.some((m) => m.fullStandard) ? 0 : r.int(0, 25_800);
      const amount = referenceAmount(income, members);
      decisionsTotalFen += amount.base + amount.addOn;
      if (amount.addOn > 0) withAddOn++;
      chunk.household.push([
        id,
        countyCode,
        area.townCode,
        area.villageCode,
        `${area.townName}${area.villageName}${(h % 300) + 1}号`,
        'rural',
        headId,
        null,
        BANKS[h % BANKS.length],
        `62215${String(h).padStart(14, '0')}`,
        headName,
        1,
        now,
        now,
      ]);
      chunk.enrolment.push([
        id,
        countyCode,
        area.townCode,
        PROGRAM,
        id,
        DECISION_MONTH,
        'active',
        0,
        'stable',
        1,
        now,
        now,
      ]);
      chunk.decision.push([
        id,
        countyCode,
        area.townCode,
        id,
        PROGRAM,
        DECISION_MONTH,
        income,
        JSON.stringify(decisionMembers),
        amount.base + amount.addOn,
        '[]',
        '2014-12-20',
        'bench',
        now,
      ]);
    }
    lap('rows');
    await writer.write(chunk);
    lap('write');
    options.onProgress?.(end, households);
  }
  for (const ddl of indexes) await sql.raw(ddl).execute(handle.db);
  lap('indexes');
  if (handle.sqlite) handle.sqlite.pragma('foreign_keys = ON');
  if (handle.engine === 'postgres') {
    for (const t of ['household', 'person', 'household_member', 'enrolment', 'benefit_decision']) {
      await sql`select setval(pg_get_serial_sequence(${t}, 'id'), (select max(id) from ${sql.table(t)}))`.execute(
        handle.db,
      );
    }
  }
  await sql`analyze`.execute(handle.db);
  lap('analyze');
  return {
    countyCode,
    programCode: PROGRAM,
    households,
    persons: personId,
    policyId: policy.id,
    decisionsTotalFen,
    withAddOn,
    timings,
  };
}
