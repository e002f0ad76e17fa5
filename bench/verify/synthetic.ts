/**
 * A synthetic county for the verification benchmark (issue 6): N enrolled households of 1–5 members (sizes
 * cycle 3,2,4,1,3,5,2,3,4,3, so exactly 3N persons) — single persons on 特困 (one person-level enrolment each),
 * the others on urban or rural 低保 — with memberships, one benefit decision and three months of payments per
 * enrolment, a few hundred staff and cadres (some declaring relatives), the demo county's 2015 policy
 * parameters, and one snapshot in force per department source (DOMAIN §3, contract §1) whose records total R
 * (default 10,000,000): most for a county-wide registry of 0.3 R people outside the caseload, the rest for the
 * caseload itself (hukou for everyone, marriages of couples, one house, small deposits, some e-bikes: all clean),
 * plus a superseded vehicle snapshot whose cars a correct engine ignores.
 *
 * Into this clean data it plants a known number of hits per rule type (contract §5), each in a household of
 * its own, so a campaign's findings can be checked: see `PLANT_KINDS` and `Plan`. Every plant is far from the
 * thresholds of the demo policy (DOMAIN §3.5: 24 months of the urban standard per person, 1 house, no car, no
 * business), and nothing else in the caseload comes near them.
 *
 * Not timed by the benchmark, but built fast: rows are generated in JS in chunks and written with prepared
 * statements in large transactions on SQLite (synchronous=OFF while loading) and with
 * `insert … select from unnest(arrays)` on PostgreSQL; secondary indexes are dropped during the load and rebuilt
 * from their own definitions after it, then `analyze`. Ids are explicit. Deterministic: same rows on both
 * engines.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { checkCharacter } from '../../src/domain/identity/resident-id.ts';
import { listCountyVillages, listTowns } from '../../src/modules/areas/areas.repository.ts';
import { ensureCountyAreas } from '../../src/modules/areas/areas.service.ts';
import { insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import {
  type Chunk as BulkChunk,
  bulkWriter,
  dropSecondaryIndexes,
  type Rng,
  rng,
  type TableSpec,
} from '../shared/bulk-load.ts';

export const COUNTY = '440232';
/** The campaign's date: enrolments active and members current on this day are its population. */
export const AS_OF = '2015-09-30';
/** The date the department snapshots describe. */
export const SNAPSHOT_AS_OF = '2015-09-15';
/** Bumped whenever the generated rows change, so a cached database of an older generator is rebuilt. */
export const GENERATOR_VERSION = 1;

/**
 * Planted hits (contract §5 rule types). Each plant is one household (pairs: two), and each rule type should
 * report exactly the planted households — `staff_relative_declared` are staff relatives linked in department
 * data but declared in staff_relative (found only with includeDeclared).
 */
export const PLANT_KINDS = [
  'deceased_paid',
  'duplicate_person',
  'shared_bank_account',
  'vehicle',
  'real_estate_excess',
  'business_registration',
  'deposits_over_limit',
  'public_payroll',
  'income_above_standard',
  'staff_relative',
  'missed_eligible',
] as const;
export type PlantKind = (typeof PLANT_KINDS)[number];

export interface Plan {
  /** Household ids per rule type (pairs: both households). */
  households: Record<PlantKind | 'staff_relative_declared', number[]>;
  /** Plants per rule type (pairs count once). */
  perRule: number;
}

export interface SyntheticOptions {
  households: number;
  records: number;
  /** Plants per rule type (default: 20, fewer for small caseloads). */
  plants?: number;
  seed?: number;
  now?: Date;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface SyntheticCounty {
  countyCode: string;
  households: number;
  persons: number;
  enrolments: number;
  records: number;
  /** Records per source code in the snapshots in force (the superseded one apart). */
  recordsBySource: Record<string, number>;
  supersededRecords: number;
  snapshots: number;
  staff: number;
  plan: Plan;
  /** Where the build time went, ms. */
  timings: { setup: number; caseload: number; registry: number; indexes: number; analyze: number };
}

// ---------------------------------------------------------------------------------------------------------
// Deterministic helpers

/** Household sizes cycle: mean exactly 3 persons. Size 1 → 特困, size 5 → the plants' households. */
const SIZES = [3, 2, 4, 1, 3, 5, 2, 3, 4, 3] as const;
const sizeOf = (h: number): number => SIZES[h % SIZES.length] as number;
const SURNAMES = '李陈黄张刘邓赵盘邱罗冯林何吴周叶谢曾朱钟潘蓝房雷唐'.split('');
const GIVEN = '明华英国建秀玉兰金桂春平亚珍文志德红丽芳伟强军梅凤海燕云飞龙振宇晓静'.split('');
const OTHER_COUNTIES = ['440203', '440204', '440205', '440222', '440224', '440229', '440281', '440282'];
const BANKS = ['乳源农村商业银行', '中国邮政储蓄银行', '中国农业银行', '中国工商银行'];
/** Birth days of the registry outside the caseload: 25,000 days from 1940-01-01. */
const REGISTRY_DAYS = 25_000;

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DAY_MS = 86_400_000;
const dayStrings = (() => {
  const base = Date.UTC(1940, 0, 1);
  const out: string[] = [];
  for (let d = 0; d < REGISTRY_DAYS; d++) out.push(new Date(base + d * DAY_MS).toISOString().slice(0, 10));
  return out;
})();

function idNumber(county: string, birth: string, seq: number): string {
  const first17 = `${county}${birth.replaceAll('-', '')}${pad(seq, 3)}`;
  return first17 + checkCharacter(first17);
}

const hukouNo = (h: number) => `H${COUNTY}${pad(h + 1, 8)}`;

// ---------------------------------------------------------------------------------------------------------
// Tables

const stamps: [string, string][] = [
  ['created_at', 'text'],
  ['updated_at', 'text'],
];

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
      ['bank_name', 'text'],
      ['bank_account', 'text'],
      ['bank_account_holder', 'text'],
      ['version', 'int'],
      ...stamps,
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
      ['labour_capacity', 'text'],
      ['serious_illness', 'int'],
      ['self_care', 'text'],
      ['school_status', 'text'],
      ['employment_status', 'text'],
      ['version', 'int'],
      ...stamps,
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
      ['person_id', 'bigint'],
      ['start_month', 'text'],
      ['status', 'text'],
      ['support_mode', 'text'],
      ['single_person', 'int'],
      ['review_class', 'text'],
      ['version', 'int'],
      ...stamps,
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
  ledger: {
    name: 'payment_ledger',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['town_code', 'text'],
      ['program_code', 'text'],
      ['household_id', 'bigint'],
      ['person_id', 'bigint'],
      ['enrolment_id', 'bigint'],
      ['benefit_month', 'text'],
      ['pay_month', 'text'],
      ['component', 'text'],
      ['fund_source', 'text'],
      ['amount_fen', 'bigint'],
      ['entry_kind', 'text'],
      ['posted_by', 'text'],
      ['posted_at', 'text'],
    ],
  },
  staff: {
    name: 'staff',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['town_code', 'text'],
      ['id_number', 'text'],
      ['name', 'text'],
      ['kind', 'text'],
      ['organisation', 'text'],
      ['position', 'text'],
      ['term_start', 'text'],
      ['version', 'int'],
      ...stamps,
    ],
  },
  relative: {
    name: 'staff_relative',
    cols: [
      ['id', 'bigint'],
      ['county_code', 'text'],
      ['staff_id', 'bigint'],
      ['id_number', 'text'],
      ['name', 'text'],
      ['relation', 'text'],
      ['created_at', 'text'],
    ],
  },
  record: {
    name: 'dept_record',
    cols: [
      ['id', 'bigint'],
      ['snapshot_id', 'bigint'],
      ['source_code', 'text'],
      ['id_number', 'text'],
      ['name', 'text'],
      ['kind', 'text'],
      ['status', 'text'],
      ['amount_fen', 'bigint'],
      ['monthly_fen', 'bigint'],
      ['event_date', 'text'],
      ['exempt', 'int'],
      ['ref', 'text'],
      ['data_json', 'text'],
    ],
  },
} satisfies Record<string, TableSpec>;
type TableKey = keyof typeof T;
const LOADED_TABLES = Object.values(T).map((t) => t.name);
type Chunk = BulkChunk<TableKey>;

/** The normalised fields of a department record (contract §1) other than who and kind; absent = null. */
interface RecordFields {
  status?: string;
  amount?: number;
  monthly?: number;
  date?: string;
  exempt?: number;
  ref?: string;
  /** Written to the superseded snapshot of the source. */
  superseded?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// The plan of plants

/**
 * Plants live in 5-person 低保 households (members: head, spouse, two children, a parent of 60–85), spread evenly
 * over the county; 漏保 plants in 2-person households left without enrolment.
 */
function makePlan(households: number, wanted: number | undefined): Plan {
  const five: number[] = [];
  const two: number[] = [];
  for (let h = 0; h < households; h++) {
    if (sizeOf(h) === 5) five.push(h);
    else if (sizeOf(h) === 2) two.push(h);
  }
  // 13 slots per plant (pairs take two), the declared staff relatives half a slot, the superseded cars apart.
  const slots = 14;
  const perRule = wanted ?? Math.max(1, Math.min(20, Math.floor(five.length / (slots * 2))));
  if (perRule * slots > five.length || perRule > two.length)
    throw new Error(`--plants ${perRule}: 户数太少（${households}），请减少埋点数或增加户数`);
  const take = (n: number, from: number[], used: { i: number }) => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) {
      const idx = Math.floor(((used.i + j) * from.length) / (perRule * slots));
      out.push(from[idx] as number);
    }
    used.i += n;
    return out;
  };
  const used = { i: 0 };
  const households_: Plan['households'] = {
    deceased_paid: take(perRule, five, used),
    duplicate_person: take(perRule * 2, five, used),
    shared_bank_account: take(perRule * 2, five, used),
    vehicle: take(perRule, five, used),
    real_estate_excess: take(perRule, five, used),
    business_registration: take(perRule, five, used),
    deposits_over_limit: take(perRule, five, used),
    public_payroll: take(perRule, five, used),
    income_above_standard: take(perRule, five, used),
    staff_relative: take(perRule, five, used),
    staff_relative_declared: take(perRule, five, used),
    missed_eligible: two.filter((_, j) => j % Math.floor(two.length / perRule) === 0).slice(0, perRule),
  };
  // Households are 0-based here; ids are h + 1.
  for (const k of Object.keys(households_) as (keyof Plan['households'])[])
    households_[k] = households_[k].map((h) => h + 1);
  return { households: households_, perRule };
}

// ---------------------------------------------------------------------------------------------------------
// The build

interface Area {
  townCode: string;
  townName: string;
  villageCode: string;
  villageName: string;
}

interface Member {
  relation: string;
  sex: 'M' | 'F';
  birth: string;
  /** Index of the spouse in the household, for marriage records. */
  spouse: number | null;
}

function birthOf(r: Rng, ageLo: number, ageHi: number): string {
  const year = 2015 - r.int(ageLo, ageHi);
  return `${year}-${pad(r.int(1, 9), 2)}-${pad(r.int(1, 28), 2)}`;
}

function compose(r: Rng, size: number): Member[] {
  const m = (relation: string, lo: number, hi: number, sex?: 'M' | 'F', spouse: number | null = null) => ({
    relation,
    sex: sex ?? (r.next() < 0.5 ? 'M' : 'F'),
    birth: birthOf(r, lo, hi),
    spouse,
  });
  switch (size) {
    case 1:
      return [m('户主', 60, 92)];
    case 2:
      return r.next() < 0.5
        ? [m('户主', 62, 90, 'M', 1), m('配偶', 60, 88, 'F', 0)]
        : [m('户主', 28, 55), m('子女', 1, 17)];
    case 3:
      return r.next() < 0.6
        ? [m('户主', 30, 58, 'M', 1), m('配偶', 28, 56, 'F', 0), m('子女', 0, 17)]
        : [m('户主', 60, 85), m('孙子女', 3, 17), m('孙子女', 0, 15)];
    case 4:
      return [m('户主', 30, 55, 'M', 1), m('配偶', 28, 53, 'F', 0), m('子女', 0, 17), m('子女', 0, 17)];
    default:
      return [
        m('户主', 32, 55, 'M', 1),
        m('配偶', 30, 53, 'F', 0),
        m('子女', 0, 17),
        m('子女', 0, 17),
        m('父母', 60, 85),
      ];
  }
}

/** Source code → weight per 1,000 of the registry's records beyond its hukou records. */
const REGISTRY_MIX: [string, number][] = [
  ['social_insurance', 170],
  ['bank_deposit', 170],
  ['real_estate', 110],
  ['tax', 90],
  ['vehicle', 80],
  ['marriage', 70],
  ['housing_fund', 60],
  ['securities', 40],
  ['commercial_insurance', 40],
  ['business', 40],
  ['low_income', 40],
  ['death', 30],
  ['public_payroll', 60],
];
export const SOURCE_ORDER = [
  'hukou',
  'death',
  'marriage',
  'real_estate',
  'vehicle',
  'business',
  'tax',
  'social_insurance',
  'housing_fund',
  'bank_deposit',
  'securities',
  'commercial_insurance',
  'public_payroll',
  'low_income',
] as const;

/** Builds the county in an empty, migrated database. */
export async function buildSyntheticCounty(
  handle: DatabaseHandle,
  options: SyntheticOptions,
): Promise<SyntheticCounty> {
  const N = options.households;
  const R = options.records;
  const nowDate = options.now ?? new Date();
  const now = nowDate.toISOString();
  const timings = { setup: 0, caseload: 0, registry: 0, indexes: 0, analyze: 0 };
  let mark = performance.now();
  const lap = (k: keyof typeof timings) => {
    const t = performance.now();
    timings[k] += t - mark;
    mark = t;
  };
  const plan = makePlan(N, options.plants);
  const plantOf = new Map<number, keyof Plan['households']>();
  for (const [k, ids] of Object.entries(plan.households) as [keyof Plan['households'], number[]][])
    for (const id of ids) plantOf.set(id, k);
  // Pairs: the second household of each pair copies from the first.
  const pairFirst = new Map<number, number>();
  for (const k of ['duplicate_person', 'shared_bank_account'] as const) {
    const ids = plan.households[k];
    for (let j = 0; j + 1 < ids.length; j += 2) pairFirst.set(ids[j + 1] as number, ids[j] as number);
  }

  await handle.db.transaction().execute(async (trx) => {
    await ensureCountyAreas(trx, systemActor(COUNTY, 'bench'), COUNTY, nowDate);
    await insertDemoPolicy(trx, COUNTY, nowDate);
  });
  const towns = new Map((await listTowns(handle.db, COUNTY)).map((t) => [t.code, t.name]));
  const areas: Area[] = (await listCountyVillages(handle.db, COUNTY)).map((v) => ({
    townCode: v.parent_code as string,
    townName: towns.get(v.parent_code as string) ?? '',
    villageCode: v.code,
    villageName: v.name,
  }));
  if (areas.length === 0) throw new Error(`区划 ${COUNTY} 没有村（居）`);

  // Snapshots: one in force per source, and one superseded vehicle snapshot. Row counts are set at the end.
  const snapshotId = new Map<string, number>();
  let snapId = 0;
  const snapshotRows: unknown[][] = [];
  for (const source of [...SOURCE_ORDER, 'vehicle:old']) {
    const id = ++snapId;
    snapshotId.set(source, id);
    const code = source.replace(':old', '');
    const old = source.endsWith(':old');
    snapshotRows.push([
      id,
      COUNTY,
      code,
      'v1',
      `${code}-${old ? '2015-06-15' : SNAPSHOT_AS_OF}.csv`,
      `bench-${source}`,
      'csv',
      old ? '2015-06-15' : SNAPSHOT_AS_OF,
      old ? 'superseded' : 'in_force',
      'bench',
      now,
      now,
    ]);
  }
  for (const row of snapshotRows) {
    await sql`insert into dept_snapshot (id, county_code, source_code, layout_version, file_name, file_sha256,
      file_format, as_of, status, imported_by, imported_at, activated_at)
      values (${sql.join(row.map((v) => sql`${v}`))})`.execute(handle.db);
  }

  const indexes = await dropSecondaryIndexes(handle, LOADED_TABLES);
  if (handle.sqlite) {
    handle.sqlite.pragma('foreign_keys = OFF');
    handle.sqlite.pragma('synchronous = OFF');
    handle.sqlite.pragma('cache_size = -262144');
  }
  lap('setup');
  const writer = bulkWriter(handle, T);
  const chunkRows = handle.engine === 'sqlite' ? 200_000 : 20_000;

  const recordsBySource: Record<string, number> = Object.fromEntries(SOURCE_ORDER.map((s) => [s, 0]));
  let supersededRecords = 0;
  let recordId = 0;
  let chunk: Chunk = {};
  let pending = 0;
  const push = (k: TableKey, row: unknown[]) => {
    const rows = chunk[k] ?? [];
    chunk[k] = rows;
    rows.push(row);
    pending++;
  };
  const flush = async () => {
    if (pending === 0) return;
    const c = chunk;
    chunk = {};
    pending = 0;
    await writer.write(c);
  };
  const record = (source: string, id: string, name: string, kind: string, f: RecordFields = {}) => {
    const snap = snapshotId.get(f.superseded ? `${source}:old` : source);
    if (snap === undefined) throw new Error(source);
    if (f.superseded) supersededRecords++;
    else recordsBySource[source] = (recordsBySource[source] ?? 0) + 1;
    const row = [++recordId, snap, source, id, name, kind, f.status ?? null, f.amount ?? null];
    push('record', [...row, f.monthly ?? null, f.date ?? null, f.exempt ?? 0, f.ref ?? null, '{}']);
  };

  // --- the caseload ---------------------------------------------------------------------------------
  const r = rng(options.seed ?? 2015);
  const seqByDay = new Map<string, number>();
  const nextSeq = (birth: string, sex: 'M' | 'F', base: number, limit: number): number => {
    const key = `${base}:${birth}`;
    const n = (seqByDay.get(key) ?? 0) + 1;
    seqByDay.set(key, n);
    const seq = base + n * 2 - (sex === 'M' ? 1 : 0); // odd = male, even = female (GB 11643)
    if (seq >= limit) throw new Error('synthetic ID sequence overflow');
    return seq;
  };
  // (name, birth date, sex) unique across the caseload except for the duplicate_person plants.
  const identities = new Set<string>();
  const pickName = (surname: string, sex: string, birth: string): string => {
    for (let attempt = 0; ; attempt++) {
      const name =
        surname +
        (GIVEN[r.int(0, GIVEN.length - 1)] as string) +
        (attempt > 3 || r.next() < 0.7 ? (GIVEN[r.int(0, GIVEN.length - 1)] as string) : '') +
        (attempt > 8 ? (GIVEN[r.int(0, GIVEN.length - 1)] as string) : '');
      const key = `${name}|${birth}|${sex}`;
      if (!identities.has(key)) {
        identities.add(key);
        return name;
      }
    }
  };
  /** The persons of plant households, by household id: [id, idNumber, name, sex, birth][] */
  const plantPersons = new Map<
    number,
    { pid: number; idNumber: string; name: string; sex: 'M' | 'F'; birth: string }[]
  >();
  const bankAccount = (hid: number) => `62215${pad(hid, 14)}`;

  let personId = 0;
  let memberId = 0;
  let enrolmentId = 0;
  let ledgerId = 0;
  const payMonths = ['2015-07', '2015-08', '2015-09'];
  for (let h = 0; h < N; h++) {
    const hid = h + 1;
    const plant = plantOf.get(hid);
    const area = areas[h % areas.length] as Area;
    const urban = h % 5 === 0;
    const hukouType = urban ? 'urban' : 'rural';
    const members = compose(r, sizeOf(h));
    const surname = SURNAMES[r.int(0, SURNAMES.length - 1)] as string;
    const persons: { pid: number; idNumber: string; name: string; sex: 'M' | 'F'; birth: string }[] = [];
    const first = pairFirst.get(hid);
    for (const [i, m] of members.entries()) {
      const pid = ++personId;
      // duplicate_person: the parent of the second household copies the first's name, sex and birth date.
      const copy =
        plant === 'duplicate_person' && first !== undefined && i === 4
          ? plantPersons.get(first)?.[4]
          : undefined;
      const sex = copy?.sex ?? m.sex;
      const birth = copy?.birth ?? m.birth;
      const name =
        copy?.name ??
        pickName(
          i === 0 || m.relation === '子女' ? surname : (SURNAMES[r.int(0, SURNAMES.length - 1)] as string),
          sex,
          birth,
        );
      const id = idNumber(COUNTY, birth, nextSeq(birth, sex, 0, 600));
      persons.push({ pid, idNumber: id, name, sex, birth });
      const age = 2015 - Number(birth.slice(0, 4));
      push('person', [
        pid,
        COUNTY,
        area.townCode,
        id,
        name,
        sex,
        birth,
        '汉族',
        hukouType,
        age < 16 || age >= 60 ? 'none' : 'partial',
        0,
        'self_reliant',
        age >= 6 && age < 15 ? 'primary' : 'none',
        age >= 16 && age < 60 ? 'farming' : 'none',
        1,
        now,
        now,
      ]);
      push('member', [++memberId, COUNTY, area.townCode, hid, pid, m.relation, '2010-01-01']);
      // Clean department data of the caseload: hukou for everyone, marriages of couples.
      record('hukou', id, name, hukouType, { status: 'normal', date: '1990-01-01', ref: hukouNo(h) });
    }
    for (const [i, m] of members.entries()) {
      const p = persons[i];
      const s = m.spouse === null ? undefined : persons[m.spouse];
      if (p && s) record('marriage', p.idNumber, p.name, 'married', { date: '2000-05-01', ref: s.idNumber });
    }
    if (plant) plantPersons.set(hid, persons);
    const head = persons[0];
    if (!head) throw new Error('empty household');
    const account =
      first !== undefined && plant === 'shared_bank_account' ? bankAccount(first) : bankAccount(hid);
    push('household', [
      hid,
      COUNTY,
      area.townCode,
      area.villageCode,
      `${area.townName}${area.villageName}${(h % 300) + 1}号`,
      hukouType,
      head.pid,
      BANKS[h % BANKS.length],
      account,
      head.name,
      1,
      now,
      now,
    ]);
    if (plant !== 'missed_eligible') {
      // Clean assets of an enrolled household: one house, a small deposit, an e-bike in one of five.
      record('real_estate', head.idNumber, head.name, 'residential', {
        date: '2005-03-01',
        ref: `粤房${hid}`,
      });
      record('bank_deposit', head.idNumber, head.name, 'current', {
        amount: r.int(0, 100_000),
        date: SNAPSHOT_AS_OF,
        ref: 'RCB',
      });
      if (h % 5 === 2)
        record('vehicle', head.idNumber, head.name, 'ebike', {
          status: 'normal',
          date: '2014-04-01',
          ref: `粤F${hid}`,
        });
      // Enrolment, decision, payments. Single persons: 特困 (person-level); the others: 低保.
      const tekun = members.length === 1;
      const program = tekun ? (urban ? 'urban_tekun' : 'rural_tekun') : urban ? 'urban_dibao' : 'rural_dibao';
      const eid = ++enrolmentId;
      push('enrolment', [
        eid,
        COUNTY,
        area.townCode,
        program,
        hid,
        tekun ? head.pid : null,
        '2014-01',
        'active',
        tekun ? 'dispersed' : null,
        0,
        'stable',
        1,
        now,
        now,
      ]);
      const income = r.int(0, 10_000);
      const amount = tekun
        ? urban
          ? 73_200
          : 49_200
        : (urban ? 41_000 - income : 26_000 - income) * members.length;
      push('decision', [
        eid,
        COUNTY,
        area.townCode,
        eid,
        program,
        '2015-01',
        tekun ? null : income,
        JSON.stringify(
          tekun
            ? { selfCare: 'full_self_care', supportMode: 'dispersed' }
            : persons.map((p) => ({
                personId: p.pid,
                categories: [],
                fullStandard: false,
                age: 2015 - Number(p.birth.slice(0, 4)),
              })),
        ),
        amount,
        '[]',
        '2014-12-20',
        'bench',
        now,
      ]);
      for (const month of payMonths) {
        push('ledger', [
          ++ledgerId,
          COUNTY,
          area.townCode,
          program,
          hid,
          tekun ? head.pid : null,
          eid,
          month,
          month,
          tekun ? 'tekun_basic' : 'dibao_base',
          'central',
          amount,
          'payment',
          'bench',
          `${month}-10T00:00:00.000Z`,
        ]);
      }
    }
    // Plants (contract §5), far from every threshold of the demo policy.
    const parent = persons[4];
    const spouse = persons[1];
    switch (plant) {
      case 'deceased_paid':
        if (parent)
          record('death', parent.idNumber, parent.name, 'cremation', { date: '2015-06-10', ref: `殡${hid}` });
        break;
      case 'vehicle':
        record('vehicle', head.idNumber, head.name, 'car', {
          status: 'normal',
          date: '2013-08-01',
          ref: `粤F${hid}A`,
        });
        break;
      case 'real_estate_excess':
        for (const j of [1, 2])
          record('real_estate', head.idNumber, head.name, 'residential', {
            date: '2012-01-01',
            ref: `粤房${hid}-${j}`,
          });
        break;
      case 'business_registration':
        record('business', head.idNumber, head.name, 'enterprise', {
          status: 'active',
          amount: 50_000_000,
          date: '2012-01-01',
          ref: `91440232${pad(hid, 10)}`,
        });
        break;
      case 'deposits_over_limit':
        record('bank_deposit', head.idNumber, head.name, 'fixed', {
          amount: 30_000_000,
          date: SNAPSHOT_AS_OF,
          ref: 'BOC',
        });
        break;
      case 'public_payroll':
        // 1,000 元 a month in a 5-person household: 200 元 per person, under every standard.
        if (spouse)
          record('public_payroll', spouse.idNumber, spouse.name, 'staff', {
            status: 'active',
            monthly: 100_000,
            date: '2010-09-01',
            ref: '乳源瑶族自治县某事业单位',
          });
        break;
      case 'income_above_standard':
        // 3,500 元 a month in a 5-person household: 700 元 per person, above every standard.
        if (spouse)
          record('social_insurance', spouse.idNumber, spouse.name, 'contribution', {
            status: 'active',
            monthly: 350_000,
            date: '2015-08-31',
            ref: '韶关某公司',
          });
        break;
      case 'missed_eligible':
        record('low_income', head.idNumber, head.name, 'edge', {
          status: 'active',
          monthly: 10_000,
          date: '2015-03-01',
          ref: `DSR${hid}`,
        });
        break;
      default:
        break;
    }
    if (pending >= chunkRows) {
      lap('caseload');
      await flush();
      options.onProgress?.('households', hid, N);
    }
  }

  // --- staff and cadres ---------------------------------------------------------------------------
  const staffCount = Math.max(4 * plan.perRule, Math.min(200, Math.ceil(N / 500)));
  const staffPlants = plan.households.staff_relative;
  const declared = plan.households.staff_relative_declared;
  let relativeId = 0;
  for (let s = 0; s < staffCount; s++) {
    const sid = s + 1;
    const area = areas[(s * 7) % areas.length] as Area;
    const official = s % 4 === 0;
    const sex = s % 2 === 0 ? 'M' : 'F';
    const birth = birthOf(r, 25, 58);
    const name = pickName(SURNAMES[r.int(0, SURNAMES.length - 1)] as string, sex, birth);
    const id = idNumber(COUNTY, birth, nextSeq(birth, sex, 700, 1000));
    push('staff', [
      sid,
      COUNTY,
      official ? null : area.townCode,
      id,
      name,
      official ? 'official' : 'village_cadre',
      official ? '乳源瑶族自治县民政局' : `${area.townName}${area.villageName}村民委员会`,
      official ? '科员' : '村委委员',
      '2012-01-01',
      1,
      now,
      now,
    ]);
    if (official)
      record('public_payroll', id, name, 'staff', {
        status: 'active',
        monthly: 450_000,
        date: '2008-07-01',
        ref: '乳源瑶族自治县民政局',
      });
    // staff_relative plants: the first half married (by marriage record) to a plant household's parent, the
    // second half in the same hukou (户号) as a plant household; none declared. Then staff in the same hukou as
    // a household whose members are all declared in staff_relative.
    let hukouRef = `S${COUNTY}${pad(sid, 6)}`;
    const p = s < staffPlants.length ? staffPlants[s] : undefined;
    const half = Math.ceil(staffPlants.length / 2);
    if (p !== undefined && s < half) {
      const relative = plantPersons.get(p)?.[4];
      if (relative) {
        record('marriage', id, name, 'married', { date: '2014-10-01', ref: relative.idNumber });
        record('marriage', relative.idNumber, relative.name, 'married', { date: '2014-10-01', ref: id });
      }
    } else if (p !== undefined) {
      hukouRef = hukouNo(p - 1);
    } else {
      const d = declared[s - staffPlants.length];
      if (d !== undefined) {
        hukouRef = hukouNo(d - 1);
        for (const rel of plantPersons.get(d) ?? [])
          push('relative', [++relativeId, COUNTY, sid, rel.idNumber, rel.name, '父母', now]);
      } else if (s % 3 !== 0) {
        // married to someone outside the caseload
        record('marriage', id, name, 'married', {
          date: '2005-10-01',
          ref: idNumber('440203', birth, 900 + (s % 50) * 2),
        });
      }
    }
    record('hukou', id, name, 'urban', { status: 'normal', date: '1995-01-01', ref: hukouRef });
  }

  lap('caseload');
  await flush();

  // --- the superseded vehicle snapshot: cars of clean enrolled heads (a correct engine ignores them) --
  for (const c of await supersededCars(handle, plan.perRule, N))
    record('vehicle', c.id_number, c.name, 'car', {
      status: 'normal',
      date: '2013-01-01',
      ref: `粤F旧${c.id}`,
      superseded: true,
    });

  // --- the county-wide registry outside the caseload ------------------------------------------------
  const outside = R - recordId;
  if (outside < 0) throw new Error(`--records ${R} 小于户籍等基础记录数 ${recordId}`);
  const M = Math.max(1000, Math.floor(R * 0.3));
  const mix: string[] = [];
  for (const [s, w] of REGISTRY_MIX) for (let i = 0; i < w; i++) mix.push(s);
  const rr = rng((options.seed ?? 2015) + 1);
  const regPerson = (k: number) => {
    const county = OTHER_COUNTIES[k % OTHER_COUNTIES.length] as string;
    const d = Math.floor(k / OTHER_COUNTIES.length);
    const day = d % REGISTRY_DAYS;
    const n = Math.floor(d / REGISTRY_DAYS);
    const sex = k % 2 === 0 ? 'M' : 'F';
    const seq = 1 + n * 2 + (sex === 'M' ? 0 : 1);
    if (seq > 999) throw new Error('registry ID sequence overflow');
    const birth = dayStrings[day] as string;
    const name =
      (SURNAMES[k % SURNAMES.length] as string) +
      (GIVEN[(k >> 3) % GIVEN.length] as string) +
      (GIVEN[(k >> 7) % GIVEN.length] as string);
    return { id: idNumber(county, birth, seq), name, k };
  };
  for (let j = 0; j < outside; j++) {
    if (j < M) {
      const p = regPerson(j);
      record('hukou', p.id, p.name, j % 3 === 0 ? 'urban' : 'rural', {
        status: j % 50 === 0 ? 'moved_out' : 'normal',
        date: '1995-01-01',
        ref: `W${pad(Math.floor(j / 3), 9)}`,
      });
    } else {
      const p = regPerson((j * 7919 + 13) % M);
      const source = mix[(j * 617) % mix.length] as string;
      const x = rr.next();
      switch (source) {
        case 'social_insurance':
          record(
            source,
            p.id,
            p.name,
            x < 0.6 ? 'contribution' : x < 0.8 ? 'employee_pension' : 'resident_basic_pension',
            {
              status: 'active',
              monthly: rr.int(8_000, 800_000),
              date: '2015-08-31',
              ref: '企业职工基本养老保险',
            },
          );
          break;
        case 'bank_deposit':
          record(source, p.id, p.name, x < 0.6 ? 'current' : 'fixed', {
            amount: rr.int(0, 50_000_000),
            date: SNAPSHOT_AS_OF,
            ref: BANKS[j % BANKS.length] as string,
          });
          break;
        case 'real_estate':
          record(source, p.id, p.name, x < 0.85 ? 'residential' : 'non_residential', {
            date: '2010-01-01',
            exempt: x < 0.05 ? 1 : 0,
            ref: `粤W${j}`,
          });
          break;
        case 'tax':
          record(source, p.id, p.name, x < 0.8 ? 'wage' : 'business', {
            amount: rr.int(1_000_000, 20_000_000),
            date: '2014-12-31',
            ref: '2014',
          });
          break;
        case 'vehicle':
          record(
            source,
            p.id,
            p.name,
            x < 0.5 ? 'car' : x < 0.7 ? 'fuel_motorcycle' : x < 0.9 ? 'ebike' : 'truck',
            { status: x < 0.95 ? 'normal' : 'scrapped', date: '2012-06-01', ref: `粤F${j}` },
          );
          break;
        case 'marriage':
          record(source, p.id, p.name, x < 0.85 ? 'married' : 'divorced', {
            date: '2001-01-01',
            ref: regPerson((j * 31) % M).id,
          });
          break;
        case 'housing_fund':
          record(source, p.id, p.name, 'contribution', {
            status: x < 0.8 ? 'active' : 'stopped',
            amount: rr.int(0, 10_000_000),
            monthly: rr.int(10_000, 200_000),
            date: '2015-08-31',
            ref: '某单位',
          });
          break;
        case 'securities':
          record(source, p.id, p.name, x < 0.6 ? 'stock' : x < 0.9 ? 'fund' : 'bond', {
            amount: rr.int(0, 100_000_000),
            date: SNAPSHOT_AS_OF,
            ref: '某证券',
          });
          break;
        case 'commercial_insurance':
          record(source, p.id, p.name, x < 0.4 ? 'savings' : 'protection', {
            status: x < 0.9 ? 'active' : 'lapsed',
            amount: rr.int(0, 10_000_000),
            date: '2013-01-01',
            ref: `P${j}`,
          });
          break;
        case 'business':
          record(source, p.id, p.name, x < 0.6 ? 'individual' : x < 0.9 ? 'enterprise' : 'shareholder', {
            status: x < 0.85 ? 'active' : 'cancelled',
            amount: rr.int(1_000_000, 100_000_000),
            date: '2011-01-01',
            exempt: x < 0.1 ? 1 : 0,
            ref: `92440${pad(j, 13)}`,
          });
          break;
        case 'low_income':
          // Above 1.5 × every standard: none of them qualifies (DOMAIN §11).
          record(source, p.id, p.name, x < 0.5 ? 'edge' : x < 0.7 ? 'rigid_expenditure' : 'monitoring', {
            status: x < 0.9 ? 'active' : 'closed',
            monthly: rr.int(70_000, 150_000),
            date: '2015-01-01',
            ref: `DSW${j}`,
          });
          break;
        case 'death':
          record(source, p.id, p.name, x < 0.8 ? 'cremation' : 'burial', {
            date: '2014-03-01',
            ref: `殡W${j}`,
          });
          break;
        default:
          record(source, p.id, p.name, 'staff', {
            status: x < 0.9 ? 'active' : 'left',
            monthly: rr.int(200_000, 900_000),
            date: '2005-09-01',
            ref: '某机关',
          });
          break;
      }
    }
    if (pending >= chunkRows) {
      await flush();
      options.onProgress?.('records', recordId, R);
    }
  }
  await flush();
  options.onProgress?.('records', recordId, R);
  lap('registry');

  for (const [source, n] of Object.entries(recordsBySource))
    await sql`update dept_snapshot set row_count = ${n} where id = ${snapshotId.get(source) ?? 0}`.execute(
      handle.db,
    );
  await sql`update dept_snapshot set row_count = ${supersededRecords} where id = ${snapshotId.get('vehicle:old') ?? 0}`.execute(
    handle.db,
  );
  if (handle.engine === 'postgres') await sql`set maintenance_work_mem = '512MB'`.execute(handle.db);
  for (const ddl of indexes) await sql.raw(ddl).execute(handle.db);
  lap('indexes');
  if (handle.sqlite) {
    handle.sqlite.pragma('foreign_keys = ON');
    handle.sqlite.pragma('synchronous = NORMAL');
    handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
  if (handle.engine === 'postgres') {
    for (const t of LOADED_TABLES) {
      await sql`select setval(pg_get_serial_sequence(${t}, 'id'), greatest((select max(id) from ${sql.table(t)}), 1))`.execute(
        handle.db,
      );
    }
    await sql`select setval(pg_get_serial_sequence('dept_snapshot', 'id'), ${snapId})`.execute(handle.db);
  }
  await sql`analyze`.execute(handle.db);
  lap('analyze');
  return {
    countyCode: COUNTY,
    households: N,
    persons: personId,
    enrolments: enrolmentId,
    records: recordId,
    recordsBySource,
    supersededRecords,
    snapshots: snapId,
    staff: staffCount,
    plan,
    timings,
  };
}

/** Heads of clean 4-person households, for the superseded snapshot's cars. */
async function supersededCars(
  handle: DatabaseHandle,
  n: number,
  households: number,
): Promise<{ id: number; id_number: string; name: string }[]> {
  const ids: number[] = [];
  for (let j = 0; j < n; j++) {
    let h = Math.floor((j * households) / n);
    while (h < households && sizeOf(h) !== 4) h++;
    if (h < households) ids.push(h + 1);
  }
  if (ids.length === 0) return [];
  return handle.db
    .selectFrom('household as h')
    .innerJoin('person as p', 'p.id', 'h.head_person_id')
    .select(['h.id', 'p.id_number', 'p.name'])
    .where('h.id', 'in', ids)
    .execute();
}
