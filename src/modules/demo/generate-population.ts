/**
 * The demo county's population, generated from a seed. Pure: no database and no clock (asOf is a
 * parameter), so the same seed gives byte-identical output everywhere.
 *
 * Sizes follow the 2015 seed report of 乳源瑶族自治县 (DOMAIN §17): 427 persons on 城市低保, 5,754 on
 * 农村低保 and 448 农村五保 persons at the end of September 2015, plus about 3,000 households on no
 * program, the staff and cadres of the close-relative register (DOMAIN §10), and a little history
 * (deaths, split households, moves between towns) so the history screens have something to show.
 */
import { addDays } from '../../domain/calendar/dates.ts';
import {
  type DisabilityCategory,
  type EmploymentStatus,
  type HukouType,
  isSeverelyDisabled,
  type LabourCapacity,
  type Relation,
  type SchoolStatus,
  type SelfCare,
} from '../../domain/household/person-attributes.ts';
import { ageOn, buildResidentId } from '../../domain/identity/resident-id.ts';
import { fullName, HAN, type Sex, surname, YAO, yaoShare } from './names.ts';
import { createRng, type Rng } from './random.ts';

// ---------------------------------------------------------------------------------------------
// Input and output
// ---------------------------------------------------------------------------------------------

export const DEMO_AS_OF = '2015-09-30';

/** DOMAIN §17: persons on each program at the end of September 2015 (the seed report). */
export const SEED_REPORT_PERSONS = { urban_dibao: 427, rural_dibao: 5754, rural_tekun: 448 } as const;

export type DemoProgram = keyof typeof SEED_REPORT_PERSONS;

export interface DemoArea {
  code: string;
  name: string;
}

export interface DemoVillage extends DemoArea {
  townCode: string;
}

export interface GenerateDemoInput {
  seed: number;
  countyCode: string;
  /** The county's name, for the staff's organisations (e.g. 乳源瑶族自治县民政局). */
  countyName?: string;
  towns: DemoArea[];
  villages: DemoVillage[];
  /** The demo's "today", YYYY-MM-DD (default DEMO_AS_OF). */
  asOf?: string;
  /** Households on no program (default 3,000, staff households included). */
  nonProgramHouseholds?: number;
}

export interface DemoPerson {
  key: number;
  idNumber: string;
  name: string;
  sex: Sex;
  birthDate: string;
  ethnicity: string;
  hukouType: HukouType;
  disabilityCategory: DisabilityCategory | null;
  disabilityGrade: number | null;
  labourCapacity: LabourCapacity;
  seriousIllness: boolean;
  selfCare: SelfCare;
  schoolStatus: SchoolStatus;
  employmentStatus: EmploymentStatus;
  deathDate: string | null;
  phone: string | null;
  /** The current household's town; null for the dead (they belong to no household any more). */
  townCode: string | null;
}

export interface DemoAreaPeriod {
  townCode: string;
  villageCode: string;
  validFrom: string;
  validTo: string | null;
  reason: string | null;
}

export interface DemoHousehold {
  key: number;
  townCode: string;
  villageCode: string;
  address: string;
  hukouType: HukouType;
  headKey: number;
  phone: string | null;
  bankName: string | null;
  bankAccount: string | null;
  bankAccountHolder: string | null;
  /** Oldest first; the last period is the current one (validTo null). */
  areaHistory: DemoAreaPeriod[];
}

export interface DemoMembership {
  householdKey: number;
  personKey: number;
  relation: Relation;
  validFrom: string;
  validTo: string | null;
  reason: string | null;
}

export interface DemoEnrolment {
  householdKey: number;
  /** The covered person of a person-level case (特困, 单人保); null = the whole household. */
  personKey: number | null;
  programCode: DemoProgram;
  townCode: string;
  startMonth: string;
  status: 'active';
  supportMode: 'dispersed' | 'concentrated' | null;
  singlePerson: boolean;
}

export type CloseRelation =
  | '配偶'
  | '父母'
  | '子女'
  | '兄弟姐妹'
  | '祖父母'
  | '外祖父母'
  | '孙子女'
  | '外孙子女';

export interface DemoStaffRelative {
  idNumber: string;
  name: string;
  /** What the relative is to the staff member (DOMAIN §10: 220号 Art. 14 list). */
  relation: CloseRelation;
  /** The relative's person record when they live in the county's registry; null otherwise. */
  personKey: number | null;
}

export interface DemoStaff {
  personKey: number;
  idNumber: string;
  name: string;
  townCode: string | null;
  kind: 'official' | 'village_cadre';
  organisation: string;
  position: string;
  termStart: string;
  relatives: DemoStaffRelative[];
}

export interface DemoSummary {
  seed: number;
  asOf: string;
  households: number;
  persons: number;
  livingPersons: number;
  deceasedPersons: number;
  programs: Record<DemoProgram, { households: number; persons: number }>;
  tekunSupport: { dispersed: number; concentrated: number };
  singlePersonCases: number;
  nonProgramHouseholds: number;
  yaoPersons: number;
  historicMemberships: number;
  movedHouseholds: number;
  staff: number;
  staffRelatives: number;
  staffRelativesInDibao: number;
}

export interface DemoPopulation {
  households: DemoHousehold[];
  persons: DemoPerson[];
  memberships: DemoMembership[];
  enrolments: DemoEnrolment[];
  staff: DemoStaff[];
  summary: DemoSummary;
}

export function generateDemoPopulation(input: GenerateDemoInput): DemoPopulation {
  const g = new PopulationGenerator(input);
  g.generate();
  return g.result();
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers (integer day numbers; Dates are built only in domain/calendar)
// ---------------------------------------------------------------------------------------------

/** Days since 1970-01-01 of a YYYY-MM-DD date (civil-from-days inverse, H. Hinnant). */
function dayNumber(date: string): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function monthFromIndex(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Household records of the demo begin with the first enrolment month. */
const RECORDS_BEGIN = '2009-01-01';
const FIRST_ENROLMENT_MONTH = '2009-01';
const DEFAULT_NON_PROGRAM_HOUSEHOLDS = 3000;

/** Rough relative population of Ruyuan's towns (乳城镇, the county seat, is the largest). */
const TOWN_WEIGHTS: Record<string, number> = {
  乳城镇: 26,
  桂头镇: 14,
  大桥镇: 13,
  一六镇: 10,
  大布镇: 8,
  洛阳镇: 7,
  东坪镇: 8,
  游溪镇: 8,
  必背镇: 6,
};
const DEFAULT_TOWN_WEIGHT = 8;

/** "A few" 单人保 cases (DOMAIN §4.3, 2012 rule: a severely disabled adult with a separate hukou). */
const SINGLE_PERSON_CASES = { urban_dibao: 3, rural_dibao: 10 } as const;
const SPLIT_FAMILIES = 25;
const FARM_HOUSEHOLDS_EACH = 3;
const MOVE_CHANCE = 0.012;
const TEKUN_CONCENTRATED_SHARE = 0.15;

const COUNTY_POSITIONS = [
  '局长',
  '副局长（分管社会救助）',
  '社会救助股股长',
  '社会救助股科员',
  '居民家庭经济状况核对中心主任',
];
const TOWN_WORKER_POSITION = '社会救助经办员（政府购买服务）';
const VILLAGE_POSITIONS = ['村委会主任', '党支部书记', '村委会委员（民政协理）'];

/** Address codes of older IDs: 原曲江县 and 原北江区 (GB/T 2260 codes withdrawn in 2004, still valid on IDs). */
const HISTORIC_ADDRESS_CODES = ['440221', '440202'];
/** Spouses married in from neighbouring counties: 乐昌市, 仁化县, 曲江区, 英德市. */
const NEIGHBOUR_ADDRESS_CODES = ['440281', '440224', '440205', '441881'];

const BANKS: readonly (readonly [{ name: string; bin: string }, number])[] = [
  [{ name: '广东乳源农村商业银行', bin: '621458' }, 60],
  [{ name: '中国邮政储蓄银行', bin: '621799' }, 30],
  [{ name: '中国农业银行', bin: '622848' }, 10],
];

const MOBILE_PREFIXES = '133 135 136 137 138 139 150 151 152 157 158 159 180'.split(' ');
const MOBILE_PREFIXES_MORE = '182 186 187 188 189 134 147 153 177'.split(' ');

const GENERIC_STREETS = '人民路 解放路 建设路 新华路 民族路 文明路 沿江路 环城路 城南路'.split(' ');
const GENERIC_STREETS_MORE = '新兴路 和平路 瑶山路 中山路 东门街 西门街 南门街 河堤路'.split(' ');
const GROUP_PREFIXES = '上下新老大小中东西石塘岭高松杉桐茶龙牛凤岩'
  .split('')
  .concat(['黄竹', '水口', '坪头']);
const GROUP_SUFFIXES = '围屋坪坑塘岭背头洞寨排村坝边尾脚冲岗'.split('');

const DISABILITY_CATEGORIES: readonly (readonly [DisabilityCategory, number])[] = [
  ['肢体', 40],
  ['视力', 12],
  ['听力', 10],
  ['言语', 3],
  ['智力', 13],
  ['精神', 14],
  ['多重', 8],
];
const DISABILITY_GRADES: readonly (readonly [number, number])[] = [
  [1, 15],
  [2, 30],
  [3, 30],
  [4, 25],
];

// ---------------------------------------------------------------------------------------------
// Drafts: a household is drafted, trimmed to the target if needed, then committed
// ---------------------------------------------------------------------------------------------

interface Disability {
  category: DisabilityCategory;
  grade: number;
}

interface Health {
  disability?: Disability | null;
  ill?: boolean;
}

interface MemberDraft {
  relation: Relation;
  sex: Sex;
  birthDate: string;
  surname: string;
  ethnicity: string;
  addressCode: string;
  deathDate: string | null;
  health: Health;
  /** An existing person (moving in from another household). */
  personKey?: number;
  joined?: { date: string; reason: string };
  left?: { date: string; reason: string };
}

type VillageKind = 'urban' | 'rural' | 'farm';

interface Place {
  town: DemoArea;
  village: DemoVillage;
  kind: VillageKind;
}

interface PersonMeta {
  surname: string;
  householdKey: number;
  program: DemoProgram | null;
  sex: Sex;
  birthDate: string;
  alive: boolean;
  current: boolean;
  townCode: string;
  villageCode: string;
}

/** Builds one family's members, keeping surnames consistent: children take their father's surname. */
class Family {
  readonly members: MemberDraft[] = [];
  private childSurname: string | null = null;

  constructor(
    private readonly g: PopulationGenerator,
    readonly yao: boolean,
  ) {}

  get headDraft(): MemberDraft {
    const head = this.members[0];
    if (!head) throw new Error('family has no head yet');
    return head;
  }

  head(sex: Sex, age: number, health?: Health, fixedSurname?: string): MemberDraft {
    const name = fixedSurname ?? surname(this.g.rng, this.yao);
    if (sex === 'M') this.childSurname = name;
    return this.push({ relation: '户主', sex, age, surname: name, ethnicity: this.ownEthnicity(), health });
  }

  /** An existing person who heads this new household from `joined.date` (分户). */
  headFrom(person: MemberDraft, personKey: number, joined: { date: string; reason: string }): MemberDraft {
    const { left: _left, ...rest } = person;
    if (person.sex === 'M') this.childSurname = person.surname;
    const draft: MemberDraft = { ...rest, relation: '户主', personKey, joined };
    this.members.push(draft);
    return draft;
  }

  spouse(age: number, health?: Health): MemberDraft {
    return this.partner(age, null, health);
  }

  /** A spouse who died during the records (DOMAIN: the dead stay in the household's history). */
  deceasedSpouse(age: number): MemberDraft {
    return this.partner(age, this.g.deathDate());
  }

  child(age: number, health?: Health, sex?: Sex): MemberDraft {
    return this.childBorn(this.g.birthDateForAge(Math.max(0, age)), health, sex);
  }

  childBorn(birthDate: string, health?: Health, sex?: Sex, relation: Relation = '子女'): MemberDraft {
    const s = sex ?? this.g.sex();
    return this.push({
      relation,
      sex: s,
      birthDate,
      surname: this.familySurname(),
      ethnicity: this.ownEthnicity(),
      health,
    });
  }

  grandchild(age: number): MemberDraft {
    return this.childBorn(this.g.birthDateForAge(Math.max(0, age)), undefined, undefined, '孙子女');
  }

  /** A parent of the head: the father shares the head's surname, the mother has her own. */
  parent(sex: Sex, age: number, health?: Health): MemberDraft {
    const name = sex === 'M' ? this.headDraft.surname : surname(this.g.rng, this.yao);
    return this.push({ relation: '父母', sex, age, surname: name, ethnicity: this.ownEthnicity(), health });
  }

  sibling(sex: Sex, age: number, health?: Health): MemberDraft {
    const name = this.headDraft.surname;
    return this.push({
      relation: '兄弟姐妹',
      sex,
      age,
      surname: name,
      ethnicity: this.ownEthnicity(),
      health,
    });
  }

  daughterInLaw(age: number): MemberDraft {
    const name = surname(this.g.rng, this.yao);
    return this.push({ relation: '儿媳', sex: 'F', age, surname: name, ethnicity: this.partnerEthnicity() });
  }

  private partner(age: number, deathDate: string | null, health?: Health): MemberDraft {
    const sex: Sex = this.headDraft.sex === 'M' ? 'F' : 'M';
    const name = surname(this.g.rng, this.yao);
    if (sex === 'M') this.childSurname = name;
    const ethnicity = this.partnerEthnicity();
    const draft = this.push({
      relation: '配偶',
      sex,
      age: Math.max(20, age),
      surname: name,
      ethnicity,
      health,
    });
    draft.deathDate = deathDate;
    if (this.g.rng.chance(0.04)) draft.addressCode = this.g.rng.pick(NEIGHBOUR_ADDRESS_CODES);
    return draft;
  }

  private familySurname(): string {
    if (this.childSurname === null) this.childSurname = surname(this.g.rng, this.yao);
    return this.childSurname;
  }

  private ownEthnicity(): string {
    return this.yao ? YAO : HAN;
  }

  private partnerEthnicity(): string {
    if (this.yao) return this.g.rng.chance(0.85) ? YAO : HAN;
    return this.g.rng.weighted([
      [HAN, 97.5],
      [YAO, 2],
      ['壮族', 0.5],
    ]);
  }

  /** Adds a member born on `birthDate`, or `age` full years old on asOf. */
  private push(m: {
    relation: Relation;
    sex: Sex;
    surname: string;
    ethnicity: string;
    age?: number;
    birthDate?: string;
    health?: Health;
  }): MemberDraft {
    const birthDate = m.birthDate ?? this.g.birthDateForAge(m.age ?? 0);
    const draft: MemberDraft = {
      relation: m.relation,
      sex: m.sex,
      birthDate,
      surname: m.surname,
      ethnicity: m.ethnicity,
      addressCode: this.g.addressCodeFor(birthDate),
      deathDate: null,
      health: m.health ?? {},
    };
    this.members.push(draft);
    return draft;
  }

  livingCount(): number {
    return this.members.filter((m) => m.deathDate === null && !m.left).length;
  }

  /** Drops the most recently added living members (never the head) until `size` remain. */
  trimTo(size: number): void {
    for (let i = this.members.length - 1; i > 0 && this.livingCount() > size; i--) {
      const m = this.members[i] as MemberDraft;
      if (m.deathDate === null && !m.left) this.members.splice(i, 1);
    }
  }
}

type Template = (f: Family, g: PopulationGenerator) => void;

// ---------------------------------------------------------------------------------------------
// Household templates: what real dibao, 五保 and ordinary households of a mountain county look like
// ---------------------------------------------------------------------------------------------

const lonelyElder: Template = (f, g) => {
  const age = g.rng.int(62, 90);
  f.head(g.sex(0.55), age, g.healthOfElder(0.25, 0.2));
  if (g.rng.chance(0.35)) f.deceasedSpouse(age + g.rng.int(-3, 6));
};

const elderlyCouple =
  (minAge: number, illness: number): Template =>
  (f, g) => {
    const age = g.rng.int(minAge, 86);
    const headIll = g.rng.chance(illness);
    f.head('M', age, headIll ? { ill: true } : g.healthOfElder(0, 0.15));
    f.spouse(Math.max(minAge - 5, age + g.rng.int(-7, 2)), headIll ? {} : g.healthOfElder(illness, 0.1));
  };

const elderWithDisabledChild: Template = (f, g) => {
  const age = g.rng.int(55, 85);
  f.head(g.sex(0.7), age, g.healthOfElder(0.15, 0.1));
  if (g.rng.chance(0.5)) f.spouse(age + g.rng.int(-6, 3));
  f.child(Math.max(16, age - g.rng.int(22, 36)), {
    disability: g.disability(['智力', '精神', '肢体', '多重'], 3),
  });
};

const singleParent: Template = (f, g) => {
  const age = g.rng.int(28, 50);
  f.head(g.sex(0.3), age, g.rng.chance(0.2) ? { ill: true } : {});
  if (g.rng.chance(0.35)) f.deceasedSpouse(age + g.rng.int(-2, 5));
  const n = g.rng.weighted([
    [1, 45],
    [2, 40],
    [3, 15],
  ]);
  for (let i = 0; i < n; i++) f.child(g.rng.int(0, Math.min(17, age - 20)));
};

const illnessFamily: Template = (f, g) => {
  const age = g.rng.int(30, 55);
  const headIll = g.rng.chance(0.6);
  f.head('M', age, headIll ? { ill: true } : {});
  f.spouse(age + g.rng.int(-6, 2), headIll ? {} : { ill: true });
  const n = g.rng.weighted([
    [1, 60],
    [2, 37],
    [3, 3],
  ]);
  for (let i = 0; i < n; i++) f.child(g.rng.int(0, Math.min(20, age - 21)));
};

const disabledHeadFamily: Template = (f, g) => {
  const age = g.rng.int(30, 58);
  f.head('M', age, { disability: g.disability(['肢体', '视力', '听力', '多重'], 3) });
  f.spouse(age + g.rng.int(-6, 2));
  const n = g.rng.int(1, 2);
  for (let i = 0; i < n; i++) f.child(g.rng.int(0, Math.min(20, age - 21)));
};

/** Grandparents raising grandchildren whose parent died or left (留守儿童). */
const grandparentsGrandchildren: Template = (f, g) => {
  const age = g.rng.int(58, 80);
  f.head(g.sex(0.6), age, g.healthOfElder(0.2, 0.1));
  if (g.rng.chance(0.5)) f.spouse(age + g.rng.int(-5, 3));
  if (g.rng.chance(0.3)) {
    const parent = f.child(age - g.rng.int(22, 30));
    parent.deathDate = g.deathDate();
  }
  const n = g.rng.int(1, 2);
  for (let i = 0; i < n; i++) f.grandchild(g.rng.int(3, 15));
};

const threeGeneration: Template = (f, g) => {
  const age = g.rng.int(35, 55);
  f.head('M', age, g.rng.chance(0.5) ? { ill: true } : { disability: g.disability(null, 3) });
  f.spouse(age + g.rng.int(-6, 2));
  const n = g.rng.int(1, 2);
  for (let i = 0; i < n; i++) f.child(g.rng.int(0, Math.min(20, age - 21)));
  f.parent(g.sex(), Math.min(92, age + g.rng.int(22, 32)), g.healthOfElder(0.3, 0.15));
};

const unemployedSingle: Template = (f, g) => {
  const ill = g.rng.chance(0.5);
  f.head(g.sex(0.6), g.rng.int(40, 58), ill ? { ill } : { disability: g.disability(null, 4) });
};

/** DOMAIN §4.3 (2012): a severely disabled adult with a separate hukou applies alone. */
const singlePersonCase: Template = (f, g) => {
  f.head(g.sex(0.6), g.rng.int(20, 55), { disability: g.severeDisability() });
};

/** DOMAIN §5.1: 五保 — old or disabled villagers with no work ability, livelihood or supporter. */
const tekunElder: Template = (f, g) => {
  const age = g.rng.int(60, 95);
  f.head(g.sex(0.7), age, g.healthOfElder(0.2, 0.25));
  if (g.rng.chance(0.1)) f.deceasedSpouse(age + g.rng.int(-3, 5));
};

const tekunDisabled: Template = (f, g) => {
  f.head(g.sex(0.65), g.rng.int(18, 59), { disability: g.severeDisability() });
};

const tekunSiblings: Template = (f, g) => {
  const age = g.rng.int(62, 85);
  f.head('M', age, g.healthOfElder(0.2, 0.2));
  f.sibling(g.sex(0.6), Math.max(58, age + g.rng.int(-5, 5)), g.healthOfElder(0.2, 0.2));
};

const nuclearFamily: Template = (f, g) => {
  const age = g.rng.int(28, 50);
  f.head(g.sex(0.9), age);
  f.spouse(age + g.rng.int(-5, 3));
  const n = g.rng.weighted([
    [1, 50],
    [2, 42],
    [3, 8],
  ]);
  for (let i = 0; i < n; i++) f.child(g.rng.int(0, Math.min(22, age - 21)));
};

const threeGenerationOrdinary: Template = (f, g) => {
  const age = g.rng.int(32, 55);
  f.head('M', age);
  f.spouse(age + g.rng.int(-5, 2));
  const n = g.rng.int(1, 2);
  for (let i = 0; i < n; i++) f.child(g.rng.int(0, Math.min(22, age - 21)));
  const parentAge = Math.min(90, age + g.rng.int(22, 32));
  if (g.rng.chance(0.6)) f.parent('M', parentAge);
  f.parent('F', parentAge + g.rng.int(-5, 2));
};

const youngCouple: Template = (f, g) => {
  const age = g.rng.int(22, 32);
  f.head('M', age);
  f.spouse(Math.max(20, age + g.rng.int(-4, 1)));
  if (g.rng.chance(0.5)) f.child(g.rng.int(0, 3));
};

const singleAdult: Template = (f, g) => {
  f.head(g.sex(0.6), g.rng.int(20, 70));
};

const extendedFamily: Template = (f, g) => {
  const age = g.rng.int(50, 68);
  f.head('M', age);
  f.spouse(age + g.rng.int(-5, 2));
  const sonAge = Math.max(22, age - g.rng.int(22, 30));
  f.child(sonAge, {}, 'M');
  f.daughterInLaw(Math.max(20, sonAge + g.rng.int(-4, 1)));
  const n = g.rng.int(1, 2);
  for (let i = 0; i < n; i++) f.grandchild(g.rng.int(0, Math.min(10, sonAge - 21)));
};

// Weights give about 2.5 persons per rural dibao household, the seed report's July 2014 ratio (6,594 / 2,652).
const RURAL_DIBAO: readonly (readonly [Template, number])[] = [
  [lonelyElder, 24],
  [elderlyCouple(60, 0.35), 19],
  [elderWithDisabledChild, 12],
  [singleParent, 12],
  [illnessFamily, 14],
  [disabledHeadFamily, 9],
  [grandparentsGrandchildren, 9],
  [threeGeneration, 8],
];

const URBAN_DIBAO: readonly (readonly [Template, number])[] = [
  [lonelyElder, 22],
  [elderlyCouple(60, 0.35), 12],
  [singleParent, 18],
  [unemployedSingle, 9],
  [elderWithDisabledChild, 10],
  [illnessFamily, 10],
  [disabledHeadFamily, 6],
];

const TEKUN: readonly (readonly [Template, number])[] = [
  [tekunElder, 80],
  [tekunDisabled, 14],
  [tekunSiblings, 6],
];

const ORDINARY: readonly (readonly [Template, number])[] = [
  [nuclearFamily, 35],
  [threeGenerationOrdinary, 20],
  [elderlyCouple(58, 0.05), 15],
  [youngCouple, 10],
  [singleAdult, 12],
  [extendedFamily, 5],
];

// ---------------------------------------------------------------------------------------------
// Places and addresses
// ---------------------------------------------------------------------------------------------

function villageKind(village: DemoVillage, town: DemoArea): VillageKind {
  if (town.name.includes('林场') || village.name.includes('生活区')) return 'farm';
  return /居委会$|社区$/.test(village.name) ? 'urban' : 'rural';
}

/** Picks villages in proportion to a plausible population; gives each village stable addresses. */
class Places {
  readonly urban: readonly (readonly [Place, number])[];
  readonly rural: readonly (readonly [Place, number])[];
  readonly farms: Place[];
  readonly realTowns: DemoArea[];
  private readonly lanes = new Map<string, string[]>();
  private readonly numbers = new Map<string, number>();

  constructor(
    private readonly rng: Rng,
    towns: DemoArea[],
    villages: DemoVillage[],
  ) {
    const townByCode = new Map(towns.map((t) => [t.code, t]));
    const places = villages
      .filter((v) => townByCode.has(v.townCode))
      .map((v) => {
        const town = townByCode.get(v.townCode) as DemoArea;
        return { town, village: v, kind: villageKind(v, town) } satisfies Place;
      });
    this.farms = places.filter((p) => p.kind === 'farm');
    this.realTowns = towns.filter((t) => places.some((p) => p.town.code === t.code && p.kind !== 'farm'));
    this.urban = places.filter((p) => p.kind === 'urban').map((p) => [p, townWeight(p.town)] as const);
    this.rural = this.ruralWeights(places.filter((p) => p.kind === 'rural'));
    if (this.rural.length === 0) throw new Error('区县没有村委会，无法生成演示数据');
    if (this.urban.length === 0) throw new Error('区县没有居委会，无法生成城市低保演示数据');
  }

  /** A town's weight is spread over its villages, each village a little bigger or smaller. */
  private ruralWeights(places: Place[]): (readonly [Place, number])[] {
    const perTown = new Map<string, number>();
    for (const p of places) perTown.set(p.town.code, (perTown.get(p.town.code) ?? 0) + 1);
    return places.map((p) => [
      p,
      (townWeight(p.town) / (perTown.get(p.town.code) ?? 1)) * (0.6 + this.rng.next()),
    ]);
  }

  pick(kind: 'urban' | 'rural'): Place {
    return this.rng.weighted(kind === 'urban' ? this.urban : this.rural);
  }

  pickIn(townCode: string, kind: 'urban' | 'rural'): Place {
    const inTown = (kind === 'urban' ? this.urban : this.rural).filter(([p]) => p.town.code === townCode);
    return inTown.length > 0 ? this.rng.weighted(inTown) : this.pick(kind);
  }

  /** A unique street or village-group address inside the village. */
  address(place: Place): string {
    const lane = this.rng.pick(this.lanesOf(place));
    const key = `${place.village.code}|${lane}`;
    const n = (this.numbers.get(key) ?? 0) + this.rng.int(1, 3);
    this.numbers.set(key, n);
    if (place.kind === 'farm') return `${place.town.name}生活区${n}号`;
    return `${place.town.name}${place.village.name}${lane}${n}号`;
  }

  private lanesOf(place: Place): string[] {
    let lanes = this.lanes.get(place.village.code);
    if (!lanes) {
      lanes =
        place.kind === 'urban' ? this.streets(place.village) : place.kind === 'rural' ? this.groups() : [''];
      this.lanes.set(place.village.code, lanes);
    }
    return lanes;
  }

  private streets(village: DemoVillage): string[] {
    const stem = village.name.replace(/(社区)?居委会$/, '').replace(/街$/, '');
    const generic = this.rng.shuffle([...GENERIC_STREETS, ...GENERIC_STREETS_MORE]).slice(0, 4);
    return [`${stem}路`, `${stem}新村`, ...generic];
  }

  /** 村民小组 names such as 上围, 石坑, 黄竹坪. */
  private groups(): string[] {
    const names = new Set<string>();
    const count = this.rng.int(6, 12);
    while (names.size < count) names.add(this.rng.pick(GROUP_PREFIXES) + this.rng.pick(GROUP_SUFFIXES));
    return [...names].map((n) => `${n}村小组`);
  }
}

function townWeight(town: DemoArea): number {
  return TOWN_WEIGHTS[town.name] ?? DEFAULT_TOWN_WEIGHT;
}

/** Luhn check digit, as on every Chinese bank card number. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isLuhnValid(number: string): boolean {
  return /^\d+$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

interface CommitOptions {
  program: DemoProgram | null;
  place: Place;
  hukou: HukouType;
  since?: string;
  sinceReason?: string;
  singlePerson?: boolean;
}

interface StaffPlan {
  kind: DemoStaff['kind'];
  organisation: string;
  position: string;
  townCode: string | null;
  place: Place;
  termStart: string;
  sexMale: number;
  declare: 'none' | 'family' | 'dibao';
}

class PopulationGenerator {
  readonly rng: Rng;
  readonly asOf: string;
  private readonly input: GenerateDemoInput;
  private readonly places: Places;
  private readonly households: DemoHousehold[] = [];
  private readonly persons: DemoPerson[] = [];
  private readonly memberships: DemoMembership[] = [];
  private readonly enrolments: DemoEnrolment[] = [];
  private readonly staff: DemoStaff[] = [];
  private readonly meta: PersonMeta[] = [];
  private readonly usedIds = new Set<string>();
  private readonly usedAccounts = new Set<string>();
  private readonly usedRelatives = new Set<number>();

  constructor(input: GenerateDemoInput) {
    this.input = input;
    this.asOf = input.asOf ?? DEMO_AS_OF;
    this.rng = createRng(input.seed);
    this.places = new Places(this.rng, input.towns, input.villages);
  }

  generate(): void {
    this.dibao('urban_dibao', URBAN_DIBAO);
    this.dibao('rural_dibao', RURAL_DIBAO);
    this.tekun();
    const staffHouseholds = this.staffRegister();
    const splitHouseholds = this.splitFamilies();
    const farmHouseholds = this.farmHouseholds();
    const target = this.input.nonProgramHouseholds ?? DEFAULT_NON_PROGRAM_HOUSEHOLDS;
    for (let n = staffHouseholds + splitHouseholds + farmHouseholds; n < target; n++) {
      const urban = this.rng.chance(0.3);
      const place = this.places.pick(urban ? 'urban' : 'rural');
      this.commit(this.draft(ORDINARY, place), { program: null, place, hukou: urban ? 'urban' : 'rural' });
    }
    this.plantDuplicatePerson();
  }

  /**
   * The audit campaigns' planted 重复享受 case (demo-departments.ts): two living non-head members of dibao households
   * in different towns who share sex and birth date; the later one takes the earlier one's name, so one person
   * appears to be registered twice under two ID numbers. Draws nothing from the RNG, so the rest is unchanged.
   */
  private plantDuplicatePerson(): void {
    const heads = new Set(this.households.map((h) => h.headKey));
    const eligible = (key: number) => {
      const m = this.meta[key] as PersonMeta;
      return (
        m.alive &&
        m.current &&
        (m.program === 'urban_dibao' || m.program === 'rural_dibao') &&
        !heads.has(key) &&
        !this.usedRelatives.has(key)
      );
    };
    const first = new Map<string, number>();
    let fallback: [number, number] | null = null;
    for (let key = 0; key < this.meta.length; key++) {
      if (!eligible(key)) continue;
      const m = this.meta[key] as PersonMeta;
      const slot = `${m.sex}|${m.birthDate}`;
      const earlier = first.get(slot);
      if (earlier === undefined) {
        first.set(slot, key);
        continue;
      }
      const e = this.meta[earlier] as PersonMeta;
      if (e.townCode === m.townCode) continue;
      if (e.surname === m.surname) {
        this.copyName(earlier, key);
        return;
      }
      fallback ??= [earlier, key];
    }
    if (fallback) this.copyName(fallback[0], fallback[1]);
  }

  private copyName(from: number, to: number): void {
    (this.persons[to] as DemoPerson).name = (this.persons[from] as DemoPerson).name;
  }

  // --- programs --------------------------------------------------------------------------------

  /** Adds whole households until the program has exactly its seed-report persons (DOMAIN §17). */
  private dibao(
    program: 'urban_dibao' | 'rural_dibao',
    templates: readonly (readonly [Template, number])[],
  ): void {
    const kind = program === 'urban_dibao' ? 'urban' : 'rural';
    let persons = 0;
    for (let i = 0; persons < SEED_REPORT_PERSONS[program]; i++) {
      const place = this.places.pick(kind);
      const single = i < SINGLE_PERSON_CASES[program];
      const family = this.draft(single ? [[singlePersonCase, 1]] : templates, place);
      family.trimTo(SEED_REPORT_PERSONS[program] - persons);
      persons += family.livingCount();
      this.commit(family, { program, place, hukou: kind, singlePerson: single });
    }
  }

  /** 农村五保: one enrolment per person, mostly people living alone (DOMAIN §5.1). */
  private tekun(): void {
    let persons = 0;
    while (persons < SEED_REPORT_PERSONS.rural_tekun) {
      const place = this.places.pick('rural');
      const family = this.draft(TEKUN, place);
      family.trimTo(SEED_REPORT_PERSONS.rural_tekun - persons);
      persons += family.livingCount();
      this.commit(family, { program: 'rural_tekun', place, hukou: 'rural' });
    }
  }

  private draft(templates: readonly (readonly [Template, number])[], place: Place): Family {
    const family = new Family(this, this.rng.chance(yaoShare(place.town.name)));
    this.rng.weighted(templates)(family, this);
    return family;
  }

  // --- history: split households and farms ------------------------------------------------------

  /** A grown son leaves his parents' household to head his own (分户): one closed and one open membership. */
  private splitFamilies(): number {
    for (let i = 0; i < SPLIT_FAMILIES; i++) {
      const place = this.places.pick('rural');
      const parents = new Family(this, this.rng.chance(yaoShare(place.town.name)));
      const age = this.rng.int(55, 75);
      parents.head('M', age);
      parents.spouse(age + this.rng.int(-5, 2));
      const son = parents.child(Math.max(24, age - this.rng.int(22, 32)), {}, 'M');
      const splitDate = this.dateBetween(
        maxDate('2009-06-01', addDays(son.birthDate, 22 * 366)),
        addDays(this.asOf, -200),
      );
      son.left = { date: splitDate, reason: '分户' };
      if (this.rng.chance(0.4)) parents.child(Math.max(16, age - this.rng.int(20, 30)));
      const parentKeys = this.commit(parents, { program: null, place, hukou: 'rural' });

      const own = new Family(this, parents.yao);
      own.headFrom(son, parentKeys[2] as number, { date: splitDate, reason: '分户' });
      own.spouse(Math.max(20, this.ageOf(son.birthDate) + this.rng.int(-4, 1)));
      const firstBirth = addDays(splitDate, 300);
      const kids = firstBirth < this.asOf ? this.rng.int(0, 2) : 0;
      for (let k = 0; k < kids; k++) own.childBorn(this.dateBetween(firstBirth, this.asOf));
      this.commit(own, { program: null, place, hukou: 'rural', since: splitDate, sinceReason: '分户' });
    }
    return SPLIT_FAMILIES * 2;
  }

  /** A few households in the forest farms' living areas (国有林场职工，非农业户口). */
  private farmHouseholds(): number {
    for (const place of this.places.farms) {
      for (let i = 0; i < FARM_HOUSEHOLDS_EACH; i++) {
        this.commit(this.draft(ORDINARY, place), { program: null, place, hukou: 'urban' });
      }
    }
    return this.places.farms.length * FARM_HOUSEHOLDS_EACH;
  }

  // --- staff and cadres (DOMAIN §10) -----------------------------------------------------------

  /** Staff, their households, and the declared close relatives of about a third of them. */
  private staffRegister(): number {
    const plans = this.staffPlans();
    for (const plan of plans) this.addStaff(plan);
    return plans.length;
  }

  private staffPlans(): StaffPlan[] {
    const plans = [...this.countyOfficials(), ...this.townStaff(), ...this.villageCadres()];
    this.chooseDeclarations(plans);
    return plans;
  }

  /** 县民政局: the officials who approve and check cases; they live in the county seat. */
  private countyOfficials(): StaffPlan[] {
    const organisation = `${this.input.countyName ?? '本县'}民政局`;
    const seat = this.places.realTowns[0] as DemoArea;
    return COUNTY_POSITIONS.map((position) => ({
      kind: 'official',
      organisation,
      position,
      townCode: null,
      place: this.places.pickIn(seat.code, 'urban'),
      termStart: this.dateBetween('2006-01-01', '2014-12-31'),
      sexMale: 0.6,
      declare: 'none',
    }));
  }

  /** One purchased-service worker per town window (DOMAIN §17), and five towns' leaders in charge. */
  private townStaff(): StaffPlan[] {
    const towns = this.places.realTowns;
    const workers: StaffPlan[] = towns.map((town) => ({
      kind: 'official',
      organisation: `${town.name}人民政府`,
      position: TOWN_WORKER_POSITION,
      townCode: town.code,
      place: this.places.pickIn(town.code, this.rng.chance(0.6) ? 'urban' : 'rural'),
      termStart: this.dateBetween('2013-01-01', '2014-06-30'),
      sexMale: 0.5,
      declare: 'none',
    }));
    const leaders: StaffPlan[] = this.rng
      .shuffle(towns)
      .slice(0, 5)
      .map((town) => ({
        kind: 'official',
        organisation: `${town.name}人民政府`,
        position: this.rng.pick(['副镇长（分管民政）', '社会事务办主任']),
        townCode: town.code,
        place: this.places.pickIn(town.code, 'urban'),
        termStart: this.dateBetween('2008-01-01', '2014-12-31'),
        sexMale: 0.7,
        declare: 'none',
      }));
    return [...workers, ...leaders];
  }

  /** Twenty village and residents' committee cadres, each living in the village they serve. */
  private villageCadres(): StaffPlan[] {
    const villages = this.rng
      .shuffle([...this.places.urban, ...this.places.rural].map(([p]) => p))
      .slice(0, 20);
    villages.sort((a, b) => (a.village.code < b.village.code ? -1 : 1));
    return villages.map((place) => ({
      kind: 'village_cadre',
      organisation: place.village.name,
      position: place.kind === 'urban' ? '居委会主任' : this.rng.pick(VILLAGE_POSITIONS),
      townCode: place.town.code,
      place,
      // Guangdong's village committees were elected in March 2011 and March 2014.
      termStart: `${this.rng.pick(['2011', '2014'])}-03-${String(this.rng.int(10, 31)).padStart(2, '0')}`,
      sexMale: 0.8,
      declare: 'none',
    }));
  }

  /** About a third declare relatives; six of those have a relative on dibao, so the flag shows up. */
  private chooseDeclarations(plans: StaffPlan[]): void {
    const cadres = this.rng.shuffle(plans.filter((p) => p.kind === 'village_cadre'));
    const workers = this.rng.shuffle(plans.filter((p) => p.position === TOWN_WORKER_POSITION));
    for (const p of [...cadres.slice(0, 4), ...workers.slice(0, 2)]) p.declare = 'dibao';
    const rest = this.rng.shuffle(plans.filter((p) => p.declare === 'none'));
    const target = Math.round(plans.length / 3);
    for (const p of rest.slice(0, Math.max(0, target - 6))) p.declare = 'family';
  }

  private addStaff(plan: StaffPlan): void {
    const relative = plan.declare === 'dibao' ? this.findDibaoRelative(plan) : null;
    const yao = relative
      ? this.persons[relative.key]?.ethnicity === YAO
      : this.rng.chance(yaoShare(plan.place.town.name));
    const family = new Family(this, yao);
    const sex = this.sex(plan.sexMale);
    const age = relative ? relative.staffAge : this.rng.int(28, 57);
    family.head(sex, age, {}, relative?.surname);
    if (age >= 26 && this.rng.chance(0.9))
      family.spouse(age + (sex === 'M' ? this.rng.int(-6, 2) : this.rng.int(-2, 6)));
    const kids = age >= 24 ? this.rng.int(0, 2) : 0;
    for (let i = 0; i < kids; i++) family.child(this.rng.int(0, Math.min(22, age - 22)));
    // A parent at home, unless the declared dibao relative is the father (he lives in his own household).
    if (relative?.relation !== '父母' && this.rng.chance(0.2))
      family.parent(this.sex(), Math.min(90, age + this.rng.int(23, 32)));
    const hukou: HukouType = plan.place.kind === 'rural' ? 'rural' : 'urban';
    const keys = this.commit(family, { program: null, place: plan.place, hukou });
    const head = this.persons[keys[0] as number] as DemoPerson;
    const relatives = plan.declare === 'none' ? [] : this.declaredRelatives(family, keys, relative);
    this.staff.push({
      personKey: head.key,
      idNumber: head.idNumber,
      name: head.name,
      townCode: plan.townCode,
      kind: plan.kind,
      organisation: plan.organisation,
      position: plan.position,
      termStart: plan.termStart,
      relatives,
    });
  }

  /**
   * A living dibao member near the staff member who can be their brother or sister (shared surname,
   * similar age) or father (same surname, 23–32 years older).
   */
  private findDibaoRelative(
    plan: StaffPlan,
  ): { key: number; relation: CloseRelation; surname: string; staffAge: number } | null {
    const fits = (m: PersonMeta, key: number) =>
      m.alive &&
      m.current &&
      m.program !== null &&
      m.program !== 'rural_tekun' &&
      !this.usedRelatives.has(key);
    const scopes: ((m: PersonMeta) => boolean)[] = [
      (m) => m.villageCode === plan.place.village.code,
      (m) => m.townCode === plan.place.town.code,
      () => true,
    ];
    for (const inScope of scopes) {
      const candidates: { key: number; relation: CloseRelation; surname: string; staffAge: number }[] = [];
      this.meta.forEach((m, key) => {
        if (!fits(m, key) || !inScope(m)) return;
        const age = this.ageOf(m.birthDate);
        if (age >= 28 && age <= 58) {
          const staffAge = Math.min(57, Math.max(26, age + this.rng.int(-6, 6)));
          candidates.push({ key, relation: '兄弟姐妹', surname: m.surname, staffAge });
        } else if (m.sex === 'M' && age >= 55 && age <= 85) {
          candidates.push({
            key,
            relation: '父母',
            surname: m.surname,
            staffAge: Math.max(26, age - this.rng.int(23, 32)),
          });
        }
      });
      if (candidates.length > 0) {
        const chosen = this.rng.pick(candidates);
        this.usedRelatives.add(chosen.key);
        return chosen;
      }
    }
    return null;
  }

  /** 1–4 declared relatives: the dibao relative if any, then the spouse, children and parents at home, then one elsewhere. */
  private declaredRelatives(
    family: Family,
    keys: number[],
    dibaoRelative: { key: number; relation: CloseRelation } | null,
  ): DemoStaffRelative[] {
    const out: DemoStaffRelative[] = [];
    const add = (key: number, relation: CloseRelation) => {
      const p = this.persons[key] as DemoPerson;
      out.push({ idNumber: p.idNumber, name: p.name, relation, personKey: key });
    };
    if (dibaoRelative) add(dibaoRelative.key, dibaoRelative.relation);
    const home: Partial<Record<Relation, CloseRelation>> = { 配偶: '配偶', 子女: '子女', 父母: '父母' };
    family.members.forEach((m, i) => {
      const relation = home[m.relation];
      if (relation && out.length < 4 && this.rng.chance(0.8)) add(keys[i] as number, relation);
    });
    if (out.length < 4 && (out.length === 0 || this.rng.chance(0.4)))
      out.push(this.relativeElsewhere(family));
    return out;
  }

  /** A brother or sister living outside the registry (worked away, married out). */
  private relativeElsewhere(family: Family): DemoStaffRelative {
    const head = family.headDraft;
    const sex = this.sex();
    const birthDate = this.birthDateForAge(Math.max(20, this.ageOf(head.birthDate) + this.rng.int(-8, 8)));
    const name = fullName(this.rng, {
      surname: head.surname,
      sex,
      birthYear: Number(birthDate.slice(0, 4)),
      yao: family.yao,
    });
    const idNumber = this.allocateId(birthDate, sex, this.input.countyCode);
    return { idNumber, name, relation: '兄弟姐妹', personKey: null };
  }

  // --- committing a household ------------------------------------------------------------------

  /** Turns a draft into household, persons, memberships and (for a program) enrolments. Returns person keys. */
  private commit(family: Family, options: CommitOptions): number[] {
    const householdKey = this.households.length;
    const since = options.since ?? RECORDS_BEGIN;
    const townCode = options.place.town.code;
    const personKeys = family.members.map((m) => this.commitMember(m, householdKey, options, since));
    const head = this.persons[personKeys[0] as number] as DemoPerson;
    const phone = options.program === null && this.rng.chance(0.15) ? null : this.mobile();
    if (family.headDraft.personKey === undefined) head.phone = phone;
    const bank = options.program !== null || this.rng.chance(0.4) ? this.bankAccount() : null;
    this.households.push({
      key: householdKey,
      townCode,
      villageCode: options.place.village.code,
      address: this.places.address(options.place),
      hukouType: options.hukou,
      headKey: head.key,
      phone,
      bankName: bank?.name ?? null,
      bankAccount: bank?.account ?? null,
      bankAccountHolder: bank ? head.name : null,
      areaHistory: this.areaHistory(options, since),
    });
    if (options.program) this.enrol(family, personKeys, householdKey, options);
    return personKeys;
  }

  private commitMember(m: MemberDraft, householdKey: number, options: CommitOptions, since: string): number {
    const key = m.personKey ?? this.createPerson(m, options);
    const current = m.deathDate === null && !m.left;
    const meta = this.meta[key] as PersonMeta;
    Object.assign(meta, {
      householdKey,
      program: options.program,
      current,
      townCode: options.place.town.code,
      villageCode: options.place.village.code,
    });
    if (current) (this.persons[key] as DemoPerson).townCode = options.place.town.code;
    const end = m.deathDate ? { date: m.deathDate, reason: '死亡' } : (m.left ?? null);
    this.memberships.push({
      householdKey,
      personKey: key,
      relation: m.relation,
      validFrom: m.joined?.date ?? maxDate(since, m.birthDate),
      validTo: end?.date ?? null,
      reason: end?.reason ?? m.joined?.reason ?? null,
    });
    return key;
  }

  private createPerson(m: MemberDraft, options: CommitOptions): number {
    const key = this.persons.length;
    const asOfPerson = m.deathDate ?? this.asOf;
    const age = ageOn(m.birthDate, asOfPerson);
    const attributes = personAttributes(this.rng, {
      age,
      hukou: options.hukou,
      program: options.program,
      health: m.health,
    });
    const yao = m.ethnicity === YAO;
    this.persons.push({
      key,
      idNumber: this.allocateId(m.birthDate, m.sex, m.addressCode),
      name: fullName(this.rng, {
        surname: m.surname,
        sex: m.sex,
        birthYear: Number(m.birthDate.slice(0, 4)),
        yao,
      }),
      sex: m.sex,
      birthDate: m.birthDate,
      ethnicity: m.ethnicity,
      hukouType: options.hukou,
      ...attributes,
      deathDate: m.deathDate,
      phone: m.deathDate === null && age >= 18 && this.rng.chance(0.25) ? this.mobile() : null,
      townCode: null,
    });
    this.meta.push({
      surname: m.surname,
      householdKey: -1,
      program: null,
      sex: m.sex,
      birthDate: m.birthDate,
      alive: m.deathDate === null,
      current: false,
      townCode: options.place.town.code,
      villageCode: options.place.village.code,
    });
    return key;
  }

  /** One current period, and for a few households an earlier one in another town (搬迁). */
  private areaHistory(options: CommitOptions, since: string): DemoAreaPeriod[] {
    const place = options.place;
    const current = { townCode: place.town.code, villageCode: place.village.code, validTo: null };
    const otherTowns = this.places.realTowns.filter((t) => t.code !== place.town.code);
    if (
      place.kind === 'farm' ||
      otherTowns.length === 0 ||
      since !== RECORDS_BEGIN ||
      !this.rng.chance(MOVE_CHANCE)
    ) {
      return [{ ...current, validFrom: since, reason: options.sinceReason ?? '建档' }];
    }
    const from = this.places.pickIn(this.rng.pick(otherTowns).code, 'rural');
    const moved = this.dateBetween('2010-03-01', addDays(this.asOf, -60));
    const reason = options.program ? '易地扶贫搬迁' : '迁居';
    return [
      {
        townCode: from.town.code,
        villageCode: from.village.code,
        validFrom: since,
        validTo: moved,
        reason: '建档',
      },
      { ...current, validFrom: moved, reason },
    ];
  }

  /** Household-level dibao cases cover the household; 五保 and 单人保 cases name the person. */
  private enrol(family: Family, personKeys: number[], householdKey: number, options: CommitOptions): void {
    const program = options.program as DemoProgram;
    const base = {
      householdKey,
      programCode: program,
      townCode: options.place.town.code,
      status: 'active' as const,
      singlePerson: options.singlePerson ?? false,
    };
    if (program !== 'rural_tekun') {
      const personKey = options.singlePerson ? (personKeys[0] as number) : null;
      this.enrolments.push({ ...base, personKey, startMonth: this.startMonth(), supportMode: null });
      return;
    }
    family.members.forEach((m, i) => {
      if (m.deathDate !== null) return;
      const supportMode = this.rng.chance(TEKUN_CONCENTRATED_SHARE) ? 'concentrated' : 'dispersed';
      this.enrolments.push({
        ...base,
        personKey: personKeys[i] as number,
        startMonth: this.startMonth(),
        supportMode,
      });
    });
  }

  private startMonth(): string {
    return monthFromIndex(this.rng.int(monthIndex(FIRST_ENROLMENT_MONTH), monthIndex(this.asOf.slice(0, 7))));
  }

  // --- small random facts ----------------------------------------------------------------------

  sex(maleShare = 0.5): Sex {
    return this.rng.chance(maleShare) ? 'M' : 'F';
  }

  ageOf(birthDate: string): number {
    return ageOn(birthDate, this.asOf);
  }

  /** A birth date giving exactly `age` full years on asOf. */
  birthDateForAge(age: number): string {
    const [y, m, d] = this.asOf.split('-');
    const anchor = `${String(Number(y) - age).padStart(4, '0')}-${m}-${m === '02' && d === '29' ? '28' : d}`;
    return addDays(anchor, -this.rng.int(0, 363));
  }

  dateBetween(from: string, to: string): string {
    const span = dayNumber(to) - dayNumber(from);
    return span <= 0 ? from : addDays(from, this.rng.int(0, span));
  }

  /** A death during the records, at least two months after they begin and a month before asOf. */
  deathDate(): string {
    return this.dateBetween('2009-03-01', addDays(this.asOf, -30));
  }

  /** Most IDs carry the county's code; a few older people still have a withdrawn code (DOMAIN §18). */
  addressCodeFor(birthDate: string): string {
    if (birthDate < '1975-01-01' && this.rng.chance(0.04)) return this.rng.pick(HISTORIC_ADDRESS_CODES);
    return this.input.countyCode;
  }

  healthOfElder(illness: number, disability: number): Health {
    if (this.rng.chance(illness)) return { ill: true };
    if (this.rng.chance(disability)) return { disability: this.disability(null, 4) };
    return {};
  }

  disability(categories: DisabilityCategory[] | null, worstAllowedGrade: number): Disability {
    const pool = categories
      ? DISABILITY_CATEGORIES.filter(([c]) => categories.includes(c))
      : DISABILITY_CATEGORIES;
    return {
      category: this.rng.weighted(pool),
      grade: this.rng.weighted(DISABILITY_GRADES.filter(([g]) => g <= worstAllowedGrade)),
    };
  }

  /** DOMAIN §4.3: grade 1–2 of any type, or grade 3 intellectual or mental. */
  severeDisability(): Disability {
    for (;;) {
      const d = this.disability(null, 3);
      if (isSeverelyDisabled(d.category, d.grade)) return d;
    }
  }

  private allocateId(birthDate: string, sex: Sex, addressCode: string): string {
    for (;;) {
      const sequence = sex === 'M' ? 2 * this.rng.int(0, 499) + 1 : 2 * this.rng.int(1, 499);
      const id = buildResidentId({ addressCode, birthDate, sequence });
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  private mobile(): string {
    return this.rng.pick(this.rng.chance(0.7) ? MOBILE_PREFIXES : MOBILE_PREFIXES_MORE) + this.rng.digits(8);
  }

  /** 19-digit card numbers with a valid Luhn check digit, unique in the county. */
  private bankAccount(): { name: string; account: string } {
    const bank = this.rng.weighted(BANKS);
    for (;;) {
      const body = bank.bin + this.rng.digits(12);
      const account = body + luhnCheckDigit(body);
      if (!this.usedAccounts.has(account)) {
        this.usedAccounts.add(account);
        return { name: bank.name, account };
      }
    }
  }

  // --- result ----------------------------------------------------------------------------------

  result(): DemoPopulation {
    return {
      households: this.households,
      persons: this.persons,
      memberships: this.memberships,
      enrolments: this.enrolments,
      staff: this.staff,
      summary: this.summary(),
    };
  }

  private summary(): DemoSummary {
    const programs = {
      urban_dibao: { households: 0, persons: 0 },
      rural_dibao: { households: 0, persons: 0 },
      rural_tekun: { households: 0, persons: 0 },
    };
    const livingByHousehold = new Map<number, number>();
    for (const m of this.memberships) {
      if (m.validTo === null)
        livingByHousehold.set(m.householdKey, (livingByHousehold.get(m.householdKey) ?? 0) + 1);
    }
    const counted = new Set<string>();
    for (const e of this.enrolments) {
      const p = programs[e.programCode];
      if (!counted.has(`${e.programCode}|${e.householdKey}`)) p.households++;
      counted.add(`${e.programCode}|${e.householdKey}`);
      p.persons += e.personKey !== null ? 1 : (livingByHousehold.get(e.householdKey) ?? 0);
    }
    const tekun = this.enrolments.filter((e) => e.programCode === 'rural_tekun');
    const relatives = this.staff.flatMap((s) => s.relatives);
    const dibaoHouseholds = new Set(
      this.enrolments.filter((e) => e.programCode !== 'rural_tekun').map((e) => e.householdKey),
    );
    const inDibao = relatives.filter((r) => {
      const m = r.personKey === null ? undefined : this.meta[r.personKey];
      return m?.current === true && dibaoHouseholds.has(m.householdKey);
    });
    const deceased = this.persons.filter((p) => p.deathDate !== null).length;
    return {
      seed: this.input.seed,
      asOf: this.asOf,
      households: this.households.length,
      persons: this.persons.length,
      livingPersons: this.persons.length - deceased,
      deceasedPersons: deceased,
      programs,
      tekunSupport: {
        dispersed: tekun.filter((e) => e.supportMode === 'dispersed').length,
        concentrated: tekun.filter((e) => e.supportMode === 'concentrated').length,
      },
      singlePersonCases: this.enrolments.filter((e) => e.singlePerson).length,
      nonProgramHouseholds: this.households.length - new Set(this.enrolments.map((e) => e.householdKey)).size,
      yaoPersons: this.persons.filter((p) => p.ethnicity === YAO).length,
      historicMemberships: this.memberships.filter((m) => m.validTo !== null).length,
      movedHouseholds: this.households.filter((h) => h.areaHistory.length > 1).length,
      staff: this.staff.length,
      staffRelatives: relatives.length,
      staffRelativesInDibao: inDibao.length,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Person attributes from age, hukou, program and health
// ---------------------------------------------------------------------------------------------

interface AttributeInput {
  age: number;
  hukou: HukouType;
  program: DemoProgram | null;
  health: Health;
}

type Attributes = Pick<
  DemoPerson,
  | 'disabilityCategory'
  | 'disabilityGrade'
  | 'labourCapacity'
  | 'seriousIllness'
  | 'selfCare'
  | 'schoolStatus'
  | 'employmentStatus'
>;

function personAttributes(rng: Rng, p: AttributeInput): Attributes {
  const disability = p.health.disability ?? null;
  const ill = p.health.ill ?? false;
  const schoolStatus = schoolFor(rng, p.age, disability);
  const labourCapacity = labourFor(p.age, disability, ill, rng);
  return {
    disabilityCategory: disability?.category ?? null,
    disabilityGrade: disability?.grade ?? null,
    labourCapacity,
    seriousIllness: ill,
    selfCare: selfCareFor(rng, p.age, disability, ill),
    schoolStatus,
    employmentStatus: employmentFor(rng, { ...p, labourCapacity, schoolStatus }),
  };
}

function schoolFor(rng: Rng, age: number, disability: Disability | null): SchoolStatus {
  if (disability && disability.grade <= 2 && age >= 6 && age <= 17 && rng.chance(0.6)) return 'none';
  if (age < 3) return 'none';
  if (age <= 5) return rng.chance(0.85) ? 'preschool' : 'none';
  if (age <= 11) return 'primary';
  if (age <= 14) return 'junior';
  if (age <= 17) {
    return rng.weighted([
      ['senior', 60],
      ['vocational', 25],
      ['none', 15],
    ] as const);
  }
  if (age <= 21) return rng.chance(0.25) ? 'college' : 'none';
  return 'none';
}

function labourFor(age: number, disability: Disability | null, ill: boolean, rng: Rng): LabourCapacity {
  if (age < 16 || age >= 70) return 'none';
  if (disability && isSeverelyDisabled(disability.category, disability.grade)) return 'none';
  if (ill) return rng.chance(0.5) ? 'none' : 'partial';
  if (disability || age >= 60) return 'partial';
  return 'full';
}

function selfCareFor(rng: Rng, age: number, disability: Disability | null, ill: boolean): SelfCare {
  if (disability?.grade === 1) return rng.chance(0.6) ? 'fully_dependent' : 'partly_dependent';
  if (disability?.grade === 2 && rng.chance(0.5)) return 'partly_dependent';
  if (age >= 85)
    return rng.weighted([
      ['self_reliant', 45],
      ['partly_dependent', 40],
      ['fully_dependent', 15],
    ] as const);
  if (ill && rng.chance(0.2)) return 'partly_dependent';
  return 'self_reliant';
}

function employmentFor(
  rng: Rng,
  p: AttributeInput & { labourCapacity: LabourCapacity; schoolStatus: SchoolStatus },
): EmploymentStatus {
  if (p.schoolStatus !== 'none' && p.age >= 6) return 'student';
  if (p.age < 16) return 'none';
  const dibao = p.program !== null;
  if (p.age >= 60) {
    if (p.hukou === 'urban') return rng.chance(dibao ? 0.1 : 0.35) ? 'retired' : 'none';
    return p.labourCapacity !== 'none' && rng.chance(0.4) ? 'farming' : 'none';
  }
  if (p.labourCapacity === 'none') return 'none';
  if (p.hukou === 'urban') {
    return rng.weighted(
      dibao
        ? ([
            ['employed', 20],
            ['unemployed', 60],
            ['none', 20],
          ] as const)
        : ([
            ['employed', 65],
            ['unemployed', 20],
            ['none', 15],
          ] as const),
    );
  }
  return rng.weighted(
    dibao
      ? ([
          ['farming', 60],
          ['employed', 15],
          ['unemployed', 25],
        ] as const)
      : ([
          ['farming', 50],
          ['employed', 42],
          ['unemployed', 8],
        ] as const),
  );
}
