/**
 * 演示县的模拟部门数据（核对平台，DOMAIN §3, §10, §11）。
 *
 * After the population is seeded, this fills `sim_dept_record` — what the county's departments would hold about
 * its people — deterministically from the seed and the registry just written:
 * - 公安户籍: one record per person (户口性质 from the registry, one 户号 per household; the dead cancelled);
 * - 殡葬/死亡: one record per person the registry knows to be dead;
 * - 婚姻登记: both partners of every couple in the registry (a widow(er) stays married to the deceased);
 * - enrolled families hold what a dibao family holds (DOMAIN §3.5, demo-policy.ts asset rules): at most one house,
 *   an e-bike or a disability vehicle at most, a small deposit, 城乡居民基础养老金 from 60, no business, no public
 *   payroll, no taxable wage — so their found income stays below the standard, as their benefit decisions say;
 * - other families live ordinary lives: wages with social insurance (staff and some others on the public
 *   payroll, with housing fund and tax), pensions, houses, cars, deposits, securities, insurance, shops;
 * - 低收入人口库: a few 低保边缘 and 刚性支出 families that do NOT qualify for dibao (income above the standard).
 *
 * Then the 核对平台 is set up as a county would: bank deposits, securities and vehicles answer a verification
 * through live connectors (`sim:`, the built-in 模拟部门接口); every source, these three included (their monthly
 * bulk file, which campaigns read), is imported as a dated snapshot (as of the demo's day) from the simulated
 * department's own file, through the ordinary import and its validation, the files mixing CSV, Excel and JSON.
 *
 * Planted cases (PLANTED; the ids are resolved at seed time and returned in the seed result):
 * 1. `applicant_assets` — a family of 乳城镇 applies for dibao at the window (the demo clerk rucheng_jingban
 *    registers the request with the description 预置的核对发现案例, records an authorisation for every member and
 *    accepts the item → a case under investigation, dated at the seed's time so no deadline is overdue); no wage
 *    on record, but the vehicle source holds a car and the banks hold a fixed deposit of 1.2 × the limit (24 months
 *    of the urban standard per person) plus a current account. Found by the verification (核对报告, 非…低保对象).
 * 2. `deceased_enrolled` — a lone dibao recipient died about three months before the demo month: the death source
 *    has the cremation, the registry does not know, the household is still enrolled and paid (rule deceased_paid).
 * 3. `duplicate_person` — one person registered twice: same name, birth date and sex, two ID numbers, members of
 *    two enrolled households in different towns (rule duplicate_person; the generator copies the name).
 * 4. `undeclared_staff_relative` — a staff member without a spouse at home is married (marriage records linking
 *    both ID numbers) to a dibao recipient who is not in the close-relative register (rule staff_relative).
 * 5. `missed_eligible` — a family in the low-income database (monitoring) whose income and assets qualify for
 *    dibao but who is not enrolled (rule missed_eligible, 漏保).
 * The default campaign over all programs finds exactly 2–5 (the duplicate once in each household) and nothing
 * else: the enrolled families' data is clean (their vehicles are exempt, their deposits far below the limit). Changing the generation here means re-running demo-departments.db.test.ts, which checks it.
 */
import type { Insertable, Transaction } from 'kysely';
import type { Database, SimDeptRecordTable } from '../../db/schema.ts';
import { type Actor, systemActor } from '../../domain/access/actor.ts';
import type { Role } from '../../domain/access/roles.ts';
import { addDays, chinaDate } from '../../domain/calendar/dates.ts';
import { maskBankAccount } from '../../domain/household/masking.ts';
import { ageOn } from '../../domain/identity/resident-id.ts';
import type { SourceCode } from '../../domain/verification/sources.ts';
import { SOURCE_CODES } from '../../domain/verification/sources.ts';
import { takeAction } from '../cases/cases.service.ts';
import { importSnapshot, updateSourceConfig } from '../departments/departments.service.ts';
import { exportSimulatedFile } from '../departments/simulator/simulator.ts';
import { addAuthorisation, decideItem, registerRequest } from '../intake/intake.service.ts';
import { DEMO_POLICY_VERSIONS } from './demo-policy.ts';
import { luhnCheckDigit } from './generate-population.ts';
import { createRng, deriveSeed, type Rng } from './random.ts';

type Trx = Transaction<Database>;

// ---------------------------------------------------------------------------------------------
// Planted cases
// ---------------------------------------------------------------------------------------------

export const PLANTED = [
  {
    code: 'applicant_assets',
    label: '申请家庭隐瞒车辆和大额存款',
    ruleType: null,
    description:
      '乳城镇一户正在调查中的低保申请家庭，车辆登记有一辆小汽车，银行存款远超每人24个月城市低保标准，由核对报告发现',
  },
  {
    code: 'deceased_enrolled',
    label: '死亡未销户仍在保',
    ruleType: 'deceased_paid',
    description: '一名独居低保对象约三个月前已火化，户籍系统未注销，该户仍在保并按月领取低保金',
  },
  {
    code: 'duplicate_person',
    label: '同一人重复享受',
    ruleType: 'duplicate_person',
    description: '同一姓名、出生日期、性别的人员以两个身份证号码分别在两个乡镇的低保家庭中享受',
  },
  {
    code: 'undeclared_staff_relative',
    label: '经办人员近亲属未备案',
    ruleType: 'staff_relative',
    description: '一名经办人员或村干部的配偶（婚姻登记可查）在低保家庭中，未登记近亲属备案',
  },
  {
    code: 'missed_eligible',
    label: '符合条件未纳入（漏保）',
    ruleType: 'missed_eligible',
    description: '低收入人口库中的一户监测家庭，收入低于低保标准、财产符合规定，但未纳入低保',
  },
] as const;

export type PlantedCode = (typeof PLANTED)[number]['code'];

export interface PlantedCase {
  code: PlantedCode;
  label: string;
  /** The campaign rule type expected to find it (null: found by verifying the case). */
  ruleType: string | null;
  householdIds: number[];
  personIds: number[];
  caseId: number | null;
  /** What exactly was planted (Chinese, names and dates). */
  detail: string;
}

export interface DemoDepartmentsResult {
  simRecords: number;
  bySource: Record<SourceCode, number>;
  connectors: SourceCode[];
  snapshots: {
    sourceCode: SourceCode;
    fileName: string;
    snapshotId: number;
    status: string;
    rowCount: number;
  }[];
  planted: PlantedCase[];
}

/** The window clerk who registers the applicant family (a demo user of the county seat). */
export interface DemoClerk {
  userId: number;
  username: string;
  role: Role;
  areaCode: string;
}

export interface DemoDepartmentsOptions {
  seed: number;
  countyCode: string;
  asOf: string;
  now: Date;
  clerk: DemoClerk | null;
}

/** Sources asked live through the simulated connector; the others are imported as snapshots. */
export const CONNECTOR_SOURCES: readonly SourceCode[] = ['bank_deposit', 'securities', 'vehicle'];

/** The file format each snapshot source is delivered in (big files as CSV: Excel is slow to write and read). */
const SNAPSHOT_FORMATS: Partial<Record<SourceCode, 'csv' | 'xlsx' | 'json'>> = {
  hukou: 'csv',
  death: 'json',
  marriage: 'csv',
  real_estate: 'csv',
  business: 'csv',
  tax: 'json',
  social_insurance: 'csv',
  housing_fund: 'xlsx',
  commercial_insurance: 'json',
  public_payroll: 'xlsx',
  low_income: 'json',
  // The live sources also send a monthly bulk file, so campaigns (which read snapshots) see them too.
  bank_deposit: 'csv',
  securities: 'xlsx',
  vehicle: 'csv',
};

// ---------------------------------------------------------------------------------------------
// Figures (demo values, 2015; not published figures unless said)
// ---------------------------------------------------------------------------------------------

/** 城乡居民基础养老金, 元/月 (demo figure). */
const BASIC_PENSION_FEN = 8_000;
/** The demo's 2015 dibao standards (demo-policy.ts). */
const standardFen = (program: string): number => {
  const body = DEMO_POLICY_VERSIONS.find((v) => v.programCode === program)?.body as { standardFen?: number };
  if (typeof body?.standardFen !== 'number') throw new Error(`演示数据内部错误：缺少${program}的低保标准`);
  return body.standardFen;
};
const URBAN_STANDARD_FEN = standardFen('urban_dibao');
const RURAL_STANDARD_FEN = standardFen('rural_dibao');
/** DOMAIN §3.5 (demo-policy.ts): financial assets ≤ 24 × the urban standard per person. */
const ASSET_MONTHS = 24;
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const EMPLOYERS = [
  '乳源瑶族自治县第一中学',
  '乳源瑶族自治县人民医院',
  '乳源瑶族自治县财政局',
  '乳源瑶族自治县公安局',
  '乳源瑶族自治县教育局',
  '乳源瑶族自治县林业局',
];
const PRIVATE_EMPLOYERS = [
  '乳源东阳光药业有限公司',
  '韶关市乳源水泥厂',
  '乳源瑶族自治县南岭酒店',
  '乳源瑶族自治县供电局',
  '乳源瑶族自治县汽车客运站',
  '韶关市第一建筑工程公司乳源分公司',
];
const DEFAULT_BANK = '广东乳源农村商业银行';
const BANK_NAMES = [
  '广东乳源农村商业银行',
  '中国邮政储蓄银行',
  '中国农业银行',
  '中国建设银行',
  '中国工商银行',
];
const FUNERAL_HOME = '乳源瑶族自治县殡仪馆';
const MARRIAGE_REGISTRY = '乳源瑶族自治县民政局婚姻登记处';
const SHOPS = ['杂货店', '小食店', '五金店', '农资店', '理发店', '摩托车修理店'];
const COMPANIES = ['农业发展', '竹木加工', '茶业', '建材', '旅游开发'];
const BRANDS: Partial<Record<string, string[]>> = {
  car: ['五菱宏光', '比亚迪F3', '大众捷达', '丰田卡罗拉', '长安之星'],
  fuel_motorcycle: ['豪爵铃木', '五羊本田', '嘉陵'],
  ebike: ['雅迪', '爱玛', '新日'],
  disability_vehicle: ['残疾人机动轮椅车'],
  truck: ['解放', '东风'],
  farm_vehicle: ['时风三轮', '五征三轮'],
};
const BROKERS = ['广发证券韶关营业部', '招商证券韶关营业部', '国信证券韶关营业部'];
const INSURERS = ['中国人寿保险', '中国平安人寿保险', '太平洋人寿保险'];

// ---------------------------------------------------------------------------------------------
// The registry as read back
// ---------------------------------------------------------------------------------------------

interface PersonRow {
  id: number;
  id_number: string;
  name: string;
  sex: string;
  birth_date: string;
  hukou_type: string;
  death_date: string | null;
  employment_status: string;
  disability_category: string | null;
  disability_grade: number | null;
}

interface HouseholdRow {
  id: number;
  address: string;
  town_code: string;
  village_code: string;
  hukou_type: string;
  head_person_id: number | null;
  bank_name: string | null;
  bank_account: string | null;
}

interface Member {
  person: PersonRow;
  relation: string;
}

interface World {
  persons: Map<number, PersonRow>;
  households: HouseholdRow[];
  householdById: Map<number, HouseholdRow>;
  /** Current living members, by household, in person id order. */
  members: Map<number, Member[]>;
  /** The household a person last belonged to, and their relation there. */
  lastHousehold: Map<number, number>;
  relation: Map<number, string>;
  /** Deceased spouses: person id → the deceased partner. */
  deceasedSpouseOf: Map<number, number>;
  enrolled: Map<number, Set<string>>;
  staffByPerson: Map<
    number,
    { id: number; kind: string; position: string; organisation: string; termStart: string }
  >;
  staffHouseholds: Set<number>;
  registered: Set<string>;
  hukouNo: Map<number, string>;
}

async function loadWorld(trx: Trx, countyCode: string): Promise<World> {
  const persons = new Map<number, PersonRow>();
  for (const p of await trx
    .selectFrom('person')
    .select([
      'id',
      'id_number',
      'name',
      'sex',
      'birth_date',
      'hukou_type',
      'death_date',
      'employment_status',
      'disability_category',
      'disability_grade',
    ])
    .where('county_code', '=', countyCode)
    .orderBy('id')
    .execute()) {
    persons.set(p.id, p as PersonRow);
  }
  const households = (await trx
    .selectFrom('household')
    .select([
      'id',
      'address',
      'town_code',
      'village_code',
      'hukou_type',
      'head_person_id',
      'bank_name',
      'bank_account',
    ])
    .where('county_code', '=', countyCode)
    .orderBy('id')
    .execute()) as HouseholdRow[];
  const memberships = await trx
    .selectFrom('household_member')
    .select(['household_id', 'person_id', 'relation', 'valid_from', 'valid_to', 'reason'])
    .where('county_code', '=', countyCode)
    .orderBy('person_id')
    .orderBy('valid_from')
    .execute();
  const members = new Map<number, Member[]>();
  const lastHousehold = new Map<number, number>();
  const relation = new Map<number, string>();
  const deceasedSpouseOf = new Map<number, number>();
  const deceasedSpouses: { household_id: number; person_id: number }[] = [];
  for (const m of memberships) {
    lastHousehold.set(m.person_id, m.household_id);
    relation.set(m.person_id, m.relation);
    const person = persons.get(m.person_id);
    if (!person) continue;
    if (m.valid_to === null && person.death_date === null) {
      const list = members.get(m.household_id) ?? [];
      list.push({ person, relation: m.relation });
      members.set(m.household_id, list);
    } else if (m.relation === '配偶' && m.reason === '死亡') {
      deceasedSpouses.push(m);
    }
  }
  const householdById = new Map(households.map((h) => [h.id, h]));
  for (const d of deceasedSpouses) {
    const head = householdById.get(d.household_id)?.head_person_id;
    if (head && persons.get(head)?.death_date === null) deceasedSpouseOf.set(head, d.person_id);
  }
  const enrolled = new Map<number, Set<string>>();
  for (const e of await trx
    .selectFrom('enrolment')
    .select(['household_id', 'program_code'])
    .where('county_code', '=', countyCode)
    .where('status', '=', 'active')
    .execute()) {
    const set = enrolled.get(e.household_id) ?? new Set<string>();
    set.add(e.program_code);
    enrolled.set(e.household_id, set);
  }
  const staffByPerson: World['staffByPerson'] = new Map();
  const staffHouseholds = new Set<number>();
  for (const s of await trx
    .selectFrom('staff')
    .select(['id', 'person_id', 'kind', 'position', 'organisation', 'term_start'])
    .where('county_code', '=', countyCode)
    .orderBy('id')
    .execute()) {
    if (s.person_id === null) continue;
    staffByPerson.set(s.person_id, {
      id: s.id,
      kind: s.kind,
      position: s.position ?? '',
      organisation: s.organisation ?? '',
      termStart: s.term_start ?? '2010-01-01',
    });
    const h = lastHousehold.get(s.person_id);
    if (h !== undefined) staffHouseholds.add(h);
  }
  const registered = new Set(
    (
      await trx
        .selectFrom('staff_relative')
        .select('id_number')
        .where('county_code', '=', countyCode)
        .execute()
    ).map((r) => r.id_number),
  );
  const hukouNo = new Map<number, string>();
  households.forEach((h, i) => {
    hukouNo.set(h.id, `${h.town_code.slice(6)}${String(i + 1).padStart(6, '0')}`);
  });
  return {
    persons,
    households,
    householdById,
    members,
    lastHousehold,
    relation,
    deceasedSpouseOf,
    enrolled,
    staffByPerson,
    staffHouseholds,
    registered,
    hukouNo,
  };
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

type Row = Insertable<SimDeptRecordTable>;

interface RecordInput {
  kind: string;
  status?: string | null;
  amountFen?: number | null;
  monthlyFen?: number | null;
  eventDate?: string | null;
  exempt?: boolean;
  ref?: string | null;
  data?: Record<string, string | number | boolean | null>;
}

class Records {
  readonly rows: Row[] = [];

  add(source: SourceCode, p: PersonRow, r: RecordInput): void {
    this.rows.push({
      source_code: source,
      id_number: p.id_number,
      name: p.name,
      kind: r.kind,
      status: r.status ?? null,
      amount_fen: r.amountFen ?? null,
      monthly_fen: r.monthlyFen ?? null,
      event_date: r.eventDate ?? null,
      exempt: r.exempt ? 1 : 0,
      ref: r.ref ?? null,
      data_json: r.data && Object.keys(r.data).length > 0 ? JSON.stringify(r.data) : null,
    });
  }

  count(): Record<SourceCode, number> {
    const out = Object.fromEntries(SOURCE_CODES.map((s) => [s, 0])) as Record<SourceCode, number>;
    for (const r of this.rows) out[r.source_code as SourceCode]++;
    return out;
  }
}

/** Full years on `asOf` (YYYY-MM-DD strings compare as dates). */
function ageAt(p: PersonRow, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(p.birth_date.slice(0, 4));
  return asOf.slice(5) < p.birth_date.slice(5) ? years - 1 : years;
}

/** Whole yuan in fen, uniformly in [minYuan, maxYuan]. */
const yuan = (rng: Rng, minYuan: number, maxYuan: number) => rng.int(minYuan, maxYuan) * 100;
/** Hundreds of yuan in fen. */
const hundreds = (rng: Rng, minYuan: number, maxYuan: number) =>
  rng.int(Math.ceil(minYuan / 100), Math.floor(maxYuan / 100)) * 10_000;

function dateBetween(rng: Rng, from: string, to: string): string {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  return days <= 0 ? from : addDays(from, rng.int(0, days));
}

function plate(rng: Rng): string {
  return `粤F${rng.pick(PLATE_LETTERS.split(''))}${rng.digits(4)}`;
}

function account(rng: Rng, bin: string): string {
  const body = bin + rng.digits(12);
  return body + luhnCheckDigit(body);
}

/** Generates one county's department data, household by household, from one seeded stream. */
class DepartmentData {
  readonly records = new Records();
  private readonly rng: Rng;
  private readonly asOf: string;
  private readonly lastMonthEnd: string;
  private certificate = 0;

  constructor(
    private readonly w: World,
    seed: number,
    asOf: string,
  ) {
    this.rng = createRng(deriveSeed(seed, 'departments'));
    this.asOf = asOf;
    this.lastMonthEnd = addDays(`${asOf.slice(0, 7)}-01`, -1);
  }

  age(p: PersonRow): number {
    return ageAt(p, this.asOf);
  }

  // --- everyone: 户籍, 死亡, 婚姻 -------------------------------------------------------------

  hukouAndDeaths(plantedDead: Set<number>): void {
    for (const p of this.w.persons.values()) {
      const household = this.w.lastHousehold.get(p.id);
      const dead = p.death_date !== null;
      this.records.add('hukou', p, {
        kind: p.hukou_type,
        status: dead ? 'cancelled' : 'normal',
        eventDate: addDays(p.birth_date, this.rng.int(20, 200)),
        ref: household === undefined ? null : (this.w.hukouNo.get(household) ?? null),
        data: {
          relation_to_head: this.w.relation.get(p.id) ?? null,
          address: household === undefined ? null : (this.w.householdById.get(household)?.address ?? null),
        },
      });
      if (!dead || plantedDead.has(p.id)) continue;
      const death = p.death_date as string;
      const kind = this.rng.weighted([
        ['cremation', 70],
        ['burial', 20],
        ['police_cancel', 10],
      ] as const);
      this.records.add('death', p, {
        kind,
        eventDate: death,
        ref: this.certificateNo(death),
        data: { place: kind === 'police_cancel' ? null : FUNERAL_HOME },
      });
    }
  }

  certificateNo(date: string): string {
    this.certificate++;
    return `${date.slice(0, 4)}${String(this.certificate).padStart(6, '0')}`;
  }

  /** Couples of the registry: 户主 and 配偶, a son and his wife; a widow(er) and the deceased partner. */
  marriages(extra: [PersonRow, PersonRow][]): void {
    const pairs: [PersonRow, PersonRow][] = [];
    for (const h of this.w.households) {
      const members = this.w.members.get(h.id) ?? [];
      const head = members.find((m) => m.relation === '户主');
      const spouse = members.find((m) => m.relation === '配偶');
      if (head && spouse) pairs.push([head.person, spouse.person]);
      const son = members.find(
        (m) => m.relation === '子女' && m.person.sex === 'M' && this.age(m.person) >= 20,
      );
      const wife = members.find((m) => m.relation === '儿媳');
      if (son && wife) pairs.push([son.person, wife.person]);
      if (head && !spouse) {
        const late = this.w.deceasedSpouseOf.get(head.person.id);
        const partner = late === undefined ? undefined : this.w.persons.get(late);
        if (partner) pairs.push([head.person, partner]);
      }
    }
    for (const [a, b] of [...pairs, ...extra]) {
      const younger = a.birth_date > b.birth_date ? a : b;
      const from = addDays(younger.birth_date, 20 * 366);
      const date = dateBetween(this.rng, from, addDays(from, 6 * 365));
      const on = date < this.asOf ? date : addDays(this.asOf, -400);
      this.records.add('marriage', a, {
        kind: 'married',
        eventDate: on,
        ref: b.id_number,
        data: { spouse_name: b.name, registry: MARRIAGE_REGISTRY },
      });
      this.records.add('marriage', b, {
        kind: 'married',
        eventDate: on,
        ref: a.id_number,
        data: { spouse_name: a.name, registry: MARRIAGE_REGISTRY },
      });
    }
  }

  // --- households -----------------------------------------------------------------------------

  /** 城乡居民基础养老金 from 60 (everyone not retired from a job). */
  pension(p: PersonRow): number {
    if (this.age(p) < 60) return 0;
    this.records.add('social_insurance', p, {
      kind: 'resident_basic_pension',
      status: 'active',
      monthlyFen: BASIC_PENSION_FEN,
      eventDate: this.lastMonthEnd,
      ref: '城乡居民基本养老保险',
      data: { insurance_type: '城乡居民基本养老保险' },
    });
    return BASIC_PENSION_FEN;
  }

  house(p: PersonRow, address: string, kind: 'residential' | 'non_residential', exempt = false): void {
    this.records.add('real_estate', p, {
      kind,
      eventDate: dateBetween(this.rng, '1995-01-01', addDays(this.asOf, -90)),
      exempt,
      ref: `粤（${this.rng.int(2005, 2015)}）乳源县不动产权第${this.rng.digits(7)}号`,
      data: {
        area_m2: `${kind === 'residential' ? this.rng.int(45, 160) : this.rng.int(15, 80)}.${this.rng.digits(2)}`,
        address: kind === 'residential' ? address : `${address.replace(/\d+号$/, '')}商铺`,
      },
    });
  }

  vehicle(p: PersonRow, kind: string, exempt = false): void {
    this.records.add('vehicle', p, {
      kind,
      status: 'normal',
      eventDate: dateBetween(this.rng, '2006-01-01', addDays(this.asOf, -60)),
      exempt,
      ref: kind === 'ebike' ? `乳源${this.rng.digits(6)}` : plate(this.rng),
      data: { brand: this.rng.pick(BRANDS[kind] ?? ['其他']) },
    });
  }

  deposit(
    p: PersonRow,
    bank: string,
    acct: string,
    amountFen: number,
    kind: 'current' | 'fixed' = 'current',
  ): void {
    this.records.add('bank_deposit', p, {
      kind,
      amountFen,
      eventDate: this.asOf,
      ref: `${bank} ${maskBankAccount(acct)}`,
      data: { bank_name: bank, account_no: acct },
    });
  }

  /** An enrolled family (DOMAIN §3.5): ≤ 1 house, an e-bike or a disability vehicle at most, a small deposit. */
  enrolledHousehold(h: HouseholdRow, members: Member[]): void {
    const head = (members.find((m) => m.relation === '户主') ?? members[0])?.person;
    for (const m of members) this.pension(m.person);
    if (!head) return;
    const rural = h.hukou_type === 'rural';
    if (this.rng.chance(rural ? 0.8 : 0.3))
      this.house(head, h.address, 'residential', rural && this.rng.chance(0.25));
    const disabled = members.find(
      (m) =>
        m.person.disability_category === '肢体' &&
        (m.person.disability_grade ?? 9) <= 3 &&
        this.age(m.person) >= 18,
    );
    if (disabled && this.rng.chance(0.3)) this.vehicle(disabled.person, 'disability_vehicle', true);
    else if (this.rng.chance(0.1)) this.vehicle(head, 'ebike');
    if (h.bank_account && this.rng.chance(0.6)) {
      this.deposit(head, h.bank_name ?? DEFAULT_BANK, h.bank_account, yuan(this.rng, 20, 1500));
    }
  }

  /** A family on no program: wages or pensions, and ordinary assets. */
  ordinaryHousehold(h: HouseholdRow, members: Member[]): void {
    const head = (members.find((m) => m.relation === '户主') ?? members[0])?.person;
    for (const m of members) this.income(m.person);
    if (!head) return;
    this.ordinaryAssets(h, head, members.length);
  }

  /**
   * The applicant family: no wage on record (they farm), one house, and what they did not declare — a car and deposits of
   * about 1.2 × the limit on a fixed account plus a current account (DOMAIN §3.5: 24 months of the urban standard
   * per person).
   */
  applicantHousehold(h: HouseholdRow, members: Member[]): void {
    const head = (members.find((m) => m.relation === '户主') ?? members[0])?.person as PersonRow;
    for (const m of members) this.pension(m.person);
    this.house(head, h.address, 'residential');
    this.vehicle(head, 'car');
    const limit = ASSET_MONTHS * URBAN_STANDARD_FEN * members.length;
    this.deposit(
      head,
      '中国建设银行',
      account(this.rng, '621700'),
      Math.round((limit * 1.2) / 10_000) * 10_000,
      'fixed',
    );
    this.deposit(head, '中国工商银行', account(this.rng, '622202'), hundreds(this.rng, 20_000, 60_000));
  }

  /** Wages or pensions (staff and some others on the public payroll, with housing fund and tax). Monthly fen. */
  income(p: PersonRow): number {
    const staff = this.w.staffByPerson.get(p.id);
    const age = this.age(p);
    if (staff) return this.staffIncome(p, staff);
    if (p.employment_status === 'retired') {
      const pension = yuan(this.rng, 1500, 3200);
      this.records.add('social_insurance', p, {
        kind: 'employee_pension',
        status: 'active',
        monthlyFen: pension,
        eventDate: this.lastMonthEnd,
        ref: '城镇职工基本养老保险',
        data: { insurance_type: '企业职工基本养老保险' },
      });
      return pension;
    }
    if (age >= 60) return this.pension(p);
    if (p.employment_status !== 'employed' || age < 18 || !this.rng.chance(0.75)) return 0;
    if (this.rng.chance(0.12)) {
      const since = addDays(p.birth_date, 365 * this.rng.int(21, 26));
      return this.publicJob(p, this.rng.pick(EMPLOYERS), hundreds(this.rng, 2800, 5200), since, '职员');
    }
    const base = hundreds(this.rng, 1600, 4500);
    const employer = this.rng.pick(PRIVATE_EMPLOYERS);
    this.records.add('social_insurance', p, {
      kind: 'contribution',
      status: 'active',
      monthlyFen: base,
      eventDate: this.lastMonthEnd,
      ref: employer,
      data: { insurance_type: '企业职工基本养老保险' },
    });
    if (base > 350_000) this.tax(p, base, employer);
    return base;
  }

  private staffIncome(
    p: PersonRow,
    staff: { kind: string; position: string; organisation: string; termStart: string },
  ) {
    if (staff.kind === 'village_cadre') return this.age(p) >= 60 ? this.pension(p) : 0;
    if (staff.position.includes('政府购买服务')) {
      const base = 180_000;
      this.records.add('social_insurance', p, {
        kind: 'contribution',
        status: 'active',
        monthlyFen: base,
        eventDate: this.lastMonthEnd,
        ref: staff.organisation,
        data: { insurance_type: '企业职工基本养老保险' },
      });
      return base;
    }
    return this.publicJob(
      p,
      staff.organisation,
      hundreds(this.rng, 3600, 6200),
      staff.termStart,
      staff.position,
    );
  }

  /** 财政供养人员: salary, contribution base = salary, housing fund, and tax above the 3,500 元 threshold. */
  private publicJob(
    p: PersonRow,
    employer: string,
    salaryFen: number,
    since: string,
    position: string,
  ): number {
    this.records.add('public_payroll', p, {
      kind: 'staff',
      status: 'active',
      monthlyFen: salaryFen,
      eventDate: since < this.asOf ? since : addDays(this.asOf, -365),
      ref: employer,
      data: { position },
    });
    this.records.add('social_insurance', p, {
      kind: 'contribution',
      status: 'active',
      monthlyFen: salaryFen,
      eventDate: this.lastMonthEnd,
      ref: employer,
      data: { insurance_type: '机关事业单位养老保险' },
    });
    const monthly = Math.round((salaryFen * 0.24) / 100) * 100;
    this.records.add('housing_fund', p, {
      kind: 'contribution',
      status: 'active',
      amountFen: monthly * this.rng.int(12, 96),
      monthlyFen: monthly,
      eventDate: this.lastMonthEnd,
      ref: employer,
    });
    if (salaryFen > 350_000) this.tax(p, salaryFen, employer);
    return salaryFen;
  }

  private tax(p: PersonRow, monthlyFen: number, employer: string): void {
    const year = String(Number(this.asOf.slice(0, 4)) - 1);
    this.records.add('tax', p, {
      kind: 'wage',
      amountFen: monthlyFen * 12,
      eventDate: `${year}-12-31`,
      ref: year,
      data: { withholding_agent: employer },
    });
  }

  private ordinaryAssets(h: HouseholdRow, head: PersonRow, size: number): void {
    const rng = this.rng;
    const rural = h.hukou_type === 'rural';
    if (rng.chance(rural ? 0.95 : 0.75)) this.house(head, h.address, 'residential');
    const inTown = () =>
      `乳城镇${rng.pick(['鹰峰路', '人民路', '新兴路', '沿江路', '城南路'])}${rng.int(1, 200)}号`;
    if (rng.chance(rural ? 0.08 : 0.2)) this.house(head, inTown(), 'residential');
    if (rng.chance(0.04)) this.house(head, inTown(), 'non_residential');
    if (rng.chance(rural ? 0.25 : 0.4)) this.vehicle(head, 'car');
    if (rng.chance(0.25)) this.vehicle(head, 'fuel_motorcycle');
    else if (rng.chance(0.2)) this.vehicle(head, 'ebike');
    if (rural && rng.chance(0.04)) this.vehicle(head, rng.pick(['truck', 'farm_vehicle']));
    const accounts = rng.weighted([
      [0, 10],
      [1, 55],
      [2, 30],
      [3, 5],
    ] as const);
    for (let i = 0; i < accounts; i++) {
      const bank = i === 0 && h.bank_name && h.bank_account ? h.bank_name : rng.pick(BANK_NAMES);
      const acct = i === 0 && h.bank_account ? h.bank_account : account(rng, '621700');
      this.deposit(head, bank, acct, hundreds(rng, 1000, 40_000 * size), i === 2 ? 'fixed' : 'current');
    }
    if (rng.chance(0.04)) {
      this.records.add('securities', head, {
        kind: rng.pick(['stock', 'fund', 'bond']),
        amountFen: hundreds(rng, 5_000, 150_000),
        eventDate: this.asOf,
        ref: rng.pick(BROKERS),
      });
    }
    if (rng.chance(0.15)) {
      const savings = rng.chance(0.4);
      this.records.add('commercial_insurance', head, {
        kind: savings ? 'savings' : 'protection',
        status: 'active',
        amountFen: savings ? hundreds(rng, 3_000, 60_000) : 0,
        eventDate: dateBetween(rng, '2008-01-01', addDays(this.asOf, -30)),
        ref: rng.digits(12),
        data: { insurer: rng.pick(INSURERS) },
      });
    }
    if (rng.chance(0.08)) {
      const kind = rng.weighted([
        ['individual', 80],
        ['enterprise', 12],
        ['shareholder', 8],
      ] as const);
      this.records.add('business', head, {
        kind,
        status: 'active',
        amountFen: kind === 'individual' ? hundreds(rng, 1_000, 50_000) : hundreds(rng, 100_000, 2_000_000),
        eventDate: dateBetween(rng, '2003-01-01', addDays(this.asOf, -60)),
        exempt: kind === 'individual' && rng.chance(0.3),
        ref: `92440232MA${rng.digits(7)}${rng.pick(PLATE_LETTERS.split(''))}`,
        data: {
          entity_name:
            kind === 'individual'
              ? `乳源县${head.name}${rng.pick(SHOPS)}`
              : `乳源瑶族自治县${rng.pick(['瑶山', '南岭', '必背', '大峡谷', '云门'])}${rng.pick(COMPANIES)}有限公司`,
        },
      });
    }
  }

  // --- 低收入人口库 (DOMAIN §11) -----------------------------------------------------------------

  /**
   * A low-income family: modest assets (one house, a small deposit, sometimes an e-bike or a car) and the income
   * found by the departments = what the family declared to the monitoring platform. `perCapitaFen` is met by the
   * wage of its working member (contribution base) on top of any pensions.
   */
  lowIncomeHousehold(
    h: HouseholdRow,
    members: Member[],
    worker: PersonRow | null,
    kind: 'edge' | 'rigid_expenditure' | 'monitoring',
    perCapitaFen: number,
    withCar: boolean,
    familyNo: string,
  ): void {
    const head = (members.find((m) => m.relation === '户主') ?? members[0])?.person as PersonRow;
    let pensions = 0;
    for (const m of members) if (m.person !== worker) pensions += this.pension(m.person);
    const wage = Math.max(0, perCapitaFen * members.length - pensions);
    if (worker && wage > 0) {
      this.records.add('social_insurance', worker, {
        kind: 'contribution',
        status: 'active',
        monthlyFen: Math.round(wage / 1000) * 1000,
        eventDate: this.lastMonthEnd,
        ref: '灵活就业人员',
        data: { insurance_type: '企业职工基本养老保险（灵活就业）' },
      });
    }
    const declared = Math.round((pensions + (worker ? Math.round(wage / 1000) * 1000 : 0)) / members.length);
    this.house(head, h.address, 'residential');
    if (withCar) this.vehicle(head, 'car');
    else if (this.rng.chance(0.3)) this.vehicle(head, 'ebike');
    if (h.bank_account)
      this.deposit(head, h.bank_name ?? DEFAULT_BANK, h.bank_account, yuan(this.rng, 300, 4000));
    const recorded = dateBetween(this.rng, addDays(this.asOf, -300), addDays(this.asOf, -30));
    for (const m of members) {
      this.records.add('low_income', m.person, {
        kind,
        status: 'active',
        monthlyFen: kind === 'monitoring' ? perCapitaFen : Math.max(declared, perCapitaFen),
        eventDate: recorded,
        ref: familyNo,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Choosing the planted households
// ---------------------------------------------------------------------------------------------

interface Plan {
  deceased: { household: HouseholdRow; person: PersonRow; deathDate: string } | null;
  duplicate: { a: PersonRow; b: PersonRow; households: [number, number] } | null;
  staffSpouse: { staff: PersonRow; spouse: PersonRow; household: number } | null;
  missed: { household: HouseholdRow; members: Member[] } | null;
  applicant: { household: HouseholdRow; members: Member[] } | null;
  lowIncome: {
    household: HouseholdRow;
    members: Member[];
    worker: PersonRow | null;
    kind: 'edge' | 'rigid_expenditure';
    factor: number;
    car: boolean;
  }[];
}

function standardOf(h: HouseholdRow): number {
  return h.hukou_type === 'urban' ? URBAN_STANDARD_FEN : RURAL_STANDARD_FEN;
}

function householdEnrolled(w: World, id: number): boolean {
  return (w.enrolled.get(id)?.size ?? 0) > 0;
}

function dibaoHousehold(w: World, id: number): boolean {
  const set = w.enrolled.get(id);
  return set !== undefined && (set.has('urban_dibao') || set.has('rural_dibao'));
}

function plan(w: World, seed: number, asOf: string, clerkTown: string | null): Plan {
  const rng = createRng(deriveSeed(seed, 'departments-planted'));
  const age = (p: PersonRow) => ageAt(p, asOf);
  const taken = new Set<number>();
  const clean = (members: Member[]) => members.every((m) => !w.registered.has(m.person.id_number));

  // 3. The duplicate the generator planted: same name, birth date and sex in two enrolled households.
  const seen = new Map<string, { person: PersonRow; household: number }>();
  let duplicate: Plan['duplicate'] = null;
  for (const h of w.households) {
    if (!dibaoHousehold(w, h.id)) continue;
    for (const m of w.members.get(h.id) ?? []) {
      const key = `${m.person.name}|${m.person.birth_date}|${m.person.sex}`;
      const other = seen.get(key);
      if (other && other.household !== h.id && !duplicate) {
        duplicate = { a: other.person, b: m.person, households: [other.household, h.id] };
      }
      seen.set(key, { person: m.person, household: h.id });
    }
  }
  if (duplicate) for (const id of duplicate.households) taken.add(id);

  // 2. A lone rural dibao recipient of 75 or more dies three months before the demo month.
  const lone = w.households.filter((h) => {
    const members = w.members.get(h.id) ?? [];
    const only = members[0];
    return (
      !taken.has(h.id) &&
      w.enrolled.get(h.id)?.has('rural_dibao') === true &&
      members.length === 1 &&
      only !== undefined &&
      age(only.person) >= 75 &&
      clean(members)
    );
  });
  let deceased: Plan['deceased'] = null;
  if (lone.length > 0) {
    const household = rng.pick(lone);
    const person = (w.members.get(household.id) as Member[])[0]?.person as PersonRow;
    const month = addDays(`${asOf.slice(0, 7)}-01`, -80).slice(0, 7);
    deceased = { household, person, deathDate: `${month}-${String(rng.int(3, 27)).padStart(2, '0')}` };
    taken.add(household.id);
  }

  // 4. A staff member with no spouse at home, married to a dibao recipient with no spouse at home.
  let staffSpouse: Plan['staffSpouse'] = null;
  const staffHome = new Map<number, number>();
  for (const [hid, members] of w.members) {
    for (const m of members) if (w.staffByPerson.has(m.person.id)) staffHome.set(m.person.id, hid);
  }
  const hasSpouse = (hid: number, pid: number) => {
    const members = w.members.get(hid) ?? [];
    const me = members.find((m) => m.person.id === pid);
    if (me?.relation === '户主') return members.some((m) => m.relation === '配偶');
    return me?.relation === '配偶' || me?.relation === '儿媳';
  };
  for (const [pid, hid] of [...staffHome].sort((a, b) => a[0] - b[0])) {
    const staff = w.persons.get(pid) as PersonRow;
    if (hasSpouse(hid, pid) || w.deceasedSpouseOf.has(pid) || age(staff) < 22) continue;
    const home = w.householdById.get(hid) as HouseholdRow;
    let best: { person: PersonRow; household: number; score: number } | null = null;
    for (const h of w.households) {
      if (taken.has(h.id) || !dibaoHousehold(w, h.id)) continue;
      for (const m of w.members.get(h.id) ?? []) {
        const p = m.person;
        if (p.sex === staff.sex || age(p) < 22 || w.registered.has(p.id_number)) continue;
        if (hasSpouse(h.id, p.id) || w.deceasedSpouseOf.has(p.id) || m.relation !== '户主') continue;
        const gap = Math.abs(age(p) - age(staff) - (staff.sex === 'F' ? 2 : -2));
        if (gap > 8) continue;
        const score =
          gap + (h.village_code === home.village_code ? 0 : h.town_code === home.town_code ? 10 : 20);
        if (!best || score < best.score) best = { person: p, household: h.id, score };
      }
    }
    if (best) {
      staffSpouse = { staff, spouse: best.person, household: best.household };
      taken.add(best.household);
      break;
    }
  }

  // Ordinary candidates: on no program, no staff at home, nobody in the close-relative register.
  const ordinary = w.households.filter((h) => {
    const members = w.members.get(h.id) ?? [];
    return (
      members.length > 0 && !householdEnrolled(w, h.id) && !w.staffHouseholds.has(h.id) && clean(members)
    );
  });
  const pickFrom = (list: HouseholdRow[]) => {
    const free = list.filter((h) => !taken.has(h.id));
    if (free.length === 0) return null;
    const h = rng.pick(free);
    taken.add(h.id);
    return { household: h, members: w.members.get(h.id) as Member[] };
  };

  // 1. The applicant: a family of 3–4 in the clerk's town, head 30–50.
  const applicant =
    clerkTown === null
      ? null
      : pickFrom(
          ordinary.filter((h) => {
            const members = w.members.get(h.id) ?? [];
            const head = members.find((m) => m.relation === '户主')?.person;
            return (
              h.town_code === clerkTown &&
              members.length >= 3 &&
              members.length <= 4 &&
              head !== undefined &&
              age(head) >= 30 &&
              age(head) <= 50
            );
          }),
        );

  // 5. The 漏保 family: a rural elderly couple with nothing but the basic pension.
  const missed = pickFrom(
    ordinary.filter((h) => {
      const members = w.members.get(h.id) ?? [];
      return (
        h.hukou_type === 'rural' &&
        members.length === 2 &&
        members.every((m) => age(m.person) >= 62 && m.person.employment_status !== 'retired')
      );
    }),
  );

  // Edge and rigid-expenditure families (not eligible): a working-age member earns enough.
  const lowIncome: Plan['lowIncome'] = [];
  const workerOf = (members: Member[]) =>
    members.find((m) => age(m.person) >= 18 && age(m.person) < 55 && m.person.employment_status !== 'student')
      ?.person ?? null;
  const candidates = ordinary.filter((h) => {
    const members = w.members.get(h.id) ?? [];
    return members.length >= 2 && members.length <= 5 && workerOf(members) !== null;
  });
  for (let i = 0; i < 12; i++) {
    const picked = pickFrom(candidates);
    if (!picked) break;
    const rigid = i >= 9;
    lowIncome.push({
      ...picked,
      worker: workerOf(picked.members),
      kind: rigid ? 'rigid_expenditure' : 'edge',
      factor: rigid ? 1.6 + rng.next() * 0.8 : 1.1 + rng.next() * 0.35,
      car: i === 3 || i === 7,
    });
  }
  return { deceased, duplicate, staffSpouse, missed, applicant, lowIncome };
}

// ---------------------------------------------------------------------------------------------
// The seed step
// ---------------------------------------------------------------------------------------------

/**
 * Writes the simulated department data and the planted cases, configures the connectors and imports the snapshot
 * sources — all inside the seed's transaction (the department module runs in the caller's transaction).
 */
export async function seedDemoDepartments(
  trx: Trx,
  options: DemoDepartmentsOptions,
): Promise<DemoDepartmentsResult> {
  const { countyCode, asOf } = options;
  const w = await loadWorld(trx, countyCode);
  const clerkTown = options.clerk && options.clerk.areaCode.length === 9 ? options.clerk.areaCode : null;
  const p = plan(w, options.seed, asOf, clerkTown);
  const data = new DepartmentData(w, options.seed, asOf);

  const plantedDead = new Set<number>();
  data.hukouAndDeaths(plantedDead);
  data.marriages(p.staffSpouse ? [[p.staffSpouse.staff, p.staffSpouse.spouse]] : []);

  const special = new Set<number>([
    ...(p.applicant ? [p.applicant.household.id] : []),
    ...(p.missed ? [p.missed.household.id] : []),
    ...p.lowIncome.map((l) => l.household.id),
  ]);
  for (const h of w.households) {
    const members = w.members.get(h.id) ?? [];
    if (members.length === 0 || special.has(h.id)) continue;
    if (householdEnrolled(w, h.id)) data.enrolledHousehold(h, members);
    else data.ordinaryHousehold(h, members);
  }

  const planted: PlantedCase[] = [];
  const spec = (code: PlantedCode) => PLANTED.find((x) => x.code === code) as (typeof PLANTED)[number];

  // 2. Deceased: the death record the registry never got.
  if (p.deceased) {
    const { person, household, deathDate } = p.deceased;
    data.records.add('death', person, {
      kind: 'cremation',
      eventDate: deathDate,
      ref: data.certificateNo(deathDate),
    });
    planted.push({
      code: 'deceased_enrolled',
      label: spec('deceased_enrolled').label,
      ruleType: spec('deceased_enrolled').ruleType,
      householdIds: [household.id],
      personIds: [person.id],
      caseId: null,
      detail: `${person.name}于 ${deathDate} 火化（殡葬数据），户籍未注销，该户仍在保`,
    });
  }
  if (p.duplicate) {
    const { a, b, households } = p.duplicate;
    planted.push({
      code: 'duplicate_person',
      label: spec('duplicate_person').label,
      ruleType: spec('duplicate_person').ruleType,
      householdIds: [...households],
      personIds: [a.id, b.id],
      caseId: null,
      detail: `${a.name}（${a.birth_date}）以两个身份证号码分别在两个乡镇的低保家庭中`,
    });
  }
  if (p.staffSpouse) {
    const { staff, spouse, household } = p.staffSpouse;
    const info = w.staffByPerson.get(staff.id);
    planted.push({
      code: 'undeclared_staff_relative',
      label: spec('undeclared_staff_relative').label,
      ruleType: spec('undeclared_staff_relative').ruleType,
      householdIds: [household],
      personIds: [spouse.id, staff.id],
      caseId: null,
      detail: `${info?.organisation ?? ''}${info?.position ? `（${info.position}）` : ''}${staff.name}与低保对象${spouse.name}有婚姻登记，未备案`,
    });
  }
  if (p.missed) {
    const { household, members } = p.missed;
    data.lowIncomeHousehold(household, members, null, 'monitoring', 15_000, false, `DSR${household.id}`);
    planted.push({
      code: 'missed_eligible',
      label: spec('missed_eligible').label,
      ruleType: spec('missed_eligible').ruleType,
      householdIds: [household.id],
      personIds: members.map((m) => m.person.id),
      caseId: null,
      detail: `低收入人口库监测家庭（${members.map((m) => m.person.name).join('、')}），月人均收入 150 元，未纳入低保`,
    });
  }
  for (const l of p.lowIncome) {
    const perCapita = Math.round((standardOf(l.household) * l.factor) / 100) * 100;
    data.lowIncomeHousehold(
      l.household,
      l.members,
      l.worker,
      l.kind,
      perCapita,
      l.car,
      `DSR${l.household.id}`,
    );
  }
  let applicantCase: PlantedCase | null = null;
  if (p.applicant && options.clerk) {
    const { household, members } = p.applicant;
    data.applicantHousehold(household, members);
    const head = (members.find((m) => m.relation === '户主') ?? members[0])?.person as PersonRow;
    const caseId = await applyAtWindow(trx, options.clerk, household, members, options.now);
    applicantCase = {
      code: 'applicant_assets',
      label: spec('applicant_assets').label,
      ruleType: null,
      householdIds: [household.id],
      personIds: members.map((m) => m.person.id),
      caseId,
      detail: `${head.name}户（${members.length} 人）申请低保，调查中；车辆登记有小汽车 1 辆，银行存款超过财产标准`,
    };
  }
  if (applicantCase) planted.unshift(applicantCase);

  // 2,000 rows × 11 columns stay under SQLite's 32,766 bind parameters.
  for (let i = 0; i < data.records.rows.length; i += 2000) {
    await trx
      .insertInto('sim_dept_record')
      .values(data.records.rows.slice(i, i + 2000))
      .execute();
  }
  const { connectors, snapshots } = await setUpPlatform(trx, countyCode, asOf, options.now);
  return {
    simRecords: data.records.rows.length,
    bySource: data.records.count(),
    connectors,
    snapshots,
    planted,
  };
}

/** The window: register the request, record an authorisation for every member, accept → a case investigating. */
async function applyAtWindow(
  trx: Trx,
  clerk: DemoClerk,
  household: HouseholdRow,
  members: Member[],
  now: Date,
): Promise<number | null> {
  const actor: Actor = {
    userId: clerk.userId,
    username: clerk.username,
    role: clerk.role,
    countyCode: clerk.areaCode.slice(0, 6),
    areaCode: clerk.areaCode,
  };
  // Registered at the seed's time (not the demo's 2015 day): a case dated in 2015 would show as overdue on
  // every dashboard of a demo started today. Before 2021-07 the 2012 procedure starts in the investigation.
  const day = chinaDate(now);
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const head = (members.find((m) => m.relation === '户主') ?? members[0])?.person as PersonRow;
  const item = household.hukou_type === 'urban' ? 'urban_dibao' : 'rural_dibao';
  const registered = await registerRequest(
    trx,
    actor,
    {
      applicantName: head.name,
      applicantIdNumber: head.id_number,
      householdId: household.id,
      channel: 'window',
      description: '家庭主要劳动力务农收入低，子女上学开支大，申请低保（演示数据：预置的核对发现案例）',
      items: [item],
    },
    at(0),
  );
  let version = registered.version;
  let minute = 1;
  for (const m of members) {
    const minor = ageOn(m.person.birth_date, day) < 18;
    const done = await addAuthorisation(
      trx,
      actor,
      registered.id,
      {
        version,
        name: m.person.name,
        idNumber: m.person.id_number,
        signer: minor ? 'guardian' : 'self',
        signerName: minor ? head.name : null,
        signedOn: day,
        note: null,
      },
      at(minute++),
    );
    version = done.version;
  }
  const itemRow = registered.items[0];
  if (!itemRow) return null;
  const accepted = await decideItem(
    trx,
    actor,
    itemRow.id,
    { version: itemRow.version, action: 'accept' },
    at(minute + 5),
  );
  if (accepted.caseId === null) return null;
  const opened = await trx
    .selectFrom('case_file')
    .select(['state', 'version'])
    .where('id', '=', accepted.caseId)
    .executeTakeFirstOrThrow();
  if (opened.state === 'accepted') {
    await takeAction(
      trx,
      actor,
      accepted.caseId,
      'start_investigation',
      { version: opened.version },
      at(minute + 30),
    );
  }
  return accepted.caseId;
}

/** Connectors for the live sources; the others imported from the simulated departments' files. */
async function setUpPlatform(
  trx: Trx,
  countyCode: string,
  asOf: string,
  now: Date,
): Promise<Pick<DemoDepartmentsResult, 'connectors' | 'snapshots'>> {
  const actor = systemActor(countyCode, 'seed');
  for (const source of CONNECTOR_SOURCES) {
    await updateSourceConfig(trx, actor, source, { mode: 'connector', connectorUrl: 'sim:' }, now);
  }
  const snapshots: DemoDepartmentsResult['snapshots'] = [];
  for (const source of SOURCE_CODES) {
    const format = SNAPSHOT_FORMATS[source];
    if (!format) continue;
    const bytes = await exportSimulatedFile(trx, source, format);
    const fileName = `${source}_${asOf.replaceAll('-', '')}.${format}`;
    const r = await importSnapshot(trx, actor, { sourceCode: source, fileName, bytes, asOf }, now);
    if (r.status !== 'in_force') {
      const first = r.errors[0];
      throw new Error(
        `演示数据内部错误：「${source}」模拟数据文件未通过校验（${r.errorCount} 处问题，如第 ${first?.row} 行 ${first?.column}：${first?.reason}）`,
      );
    }
    snapshots.push({
      sourceCode: source,
      fileName,
      snapshotId: r.snapshotId,
      status: r.status,
      rowCount: r.rowCount,
    });
  }
  return { connectors: [...CONNECTOR_SOURCES], snapshots };
}
