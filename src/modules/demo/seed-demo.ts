/**
 * Fills an empty database with the demo county: areas, households, persons, membership and area
 * history, enrolments, the close-relative register (DOMAIN §10), one demo user per role, and the simulated
 * department data of the 核对平台 with its planted cases (demo-departments.ts).
 * Everything is written in one transaction, in multi-row inserts, so a failed seed leaves nothing
 * behind and a full county takes seconds on either engine.
 */
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type {
  Database,
  EnrolmentTable,
  HouseholdAreaHistoryTable,
  HouseholdMemberTable,
  HouseholdTable,
  PersonTable,
  StaffRelativeTable,
  StaffTable,
} from '../../db/schema.ts';
import { systemActor } from '../../domain/access/actor.ts';
import { ROLES, type Role } from '../../domain/access/roles.ts';
import { listCountyVillages, listTowns } from '../areas/areas.repository.ts';
import { ensureCountyAreas } from '../areas/areas.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { type DecisionCalibration, insertDemoDecisions } from '../payroll/demo-decisions.ts';
import { createUser } from '../users/users.service.ts';
import { type DemoDepartmentsResult, seedDemoDepartments } from './demo-departments.ts';
import { type DemoHistoryResult, runDemoHistory } from './demo-history.ts';
import { insertDemoPolicy } from './demo-policy.ts';
import {
  DEMO_AS_OF,
  type DemoPopulation,
  type DemoSummary,
  generateDemoPopulation,
} from './generate-population.ts';
import { type HistoryPlan, hasServiceWindow, planHistory } from './history-plan.ts';
import { fullName, surname } from './names.ts';
import { createRng, deriveSeed, type Rng } from './random.ts';

export interface SeedDemoOptions {
  seed: number;
  countyCode: string;
  /** The demo's "today" (default 2015-09-30, the date of the seed report). */
  asOf?: string;
  onProgress?: (done: number, total: number, label: string) => void;
  /** created_at / updated_at and audit time (default: the current time). */
  now?: Date;
  /**
   * The simulated 2014–2015 (demo-history.ts: 核查, applications, exits, payrolls January–September, subsidies,
   * medical claims) through the real services. Default true when asOf is the seed report's 2015-09-30.
   */
  history?: boolean;
}

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  areaCode: string;
  areaName: string;
  password: string;
}

export interface DemoSeedResult {
  seed: number;
  countyCode: string;
  asOf: string;
  summary: DemoSummary;
  users: DemoUser[];
  /** The simulated department data, the 核对平台 set-up and the planted cases (demo-departments.ts). */
  departments: DemoDepartmentsResult;
  /** What the simulated year did (null when skipped). */
  history: DemoHistoryResult | null;
  elapsedMs: number;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters and SQLite's 32,766. */
const CHUNK = 500;

type Trx = Transaction<Database>;

export async function seedDemo(
  handle: { db: Kysely<Database> },
  options: SeedDemoOptions,
): Promise<DemoSeedResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const asOf = options.asOf ?? DEMO_AS_OF;
  const actor = systemActor(options.countyCode, 'seed');
  const withHistory = options.history ?? asOf === DEMO_AS_OF;
  // 1. The county as it stood before the simulated year, in one transaction.
  const base = await handle.db.transaction().execute(async (trx) => {
    await assertNoHouseholds(trx);
    await ensureCountyAreas(trx, actor, options.countyCode, now);
    const population = await generateFor(trx, options.seed, options.countyCode, asOf);
    const windowTowns = new Set(
      (await listTowns(trx, options.countyCode)).filter((t) => hasServiceWindow(t.name)).map((t) => t.code),
    );
    const plan = withHistory
      ? planHistory(population, createRng(deriveSeed(options.seed, 'history')), windowTowns)
      : null;
    const writer = new SeedWriter(
      trx,
      options,
      now,
      plan ? { ...population, enrolments: plan.enrolments } : population,
    );
    await writer.writeAll();
    await insertDemoPolicy(trx, options.countyCode, now);
    const decisions = await insertDemoDecisions(
      trx,
      options.countyCode,
      options.seed,
      now,
      plan ? historyCalibration(plan, population, (k) => writer.householdIdOf(k)) : undefined,
    );
    const users = await createDemoUsers(trx, options, now, (label) => writer.progress.step(label));
    return { population, plan, writer, decisions, users };
  });
  // 2. The simulated 2014–2015, step by step through the services (each step its own transaction).
  const history = base.plan
    ? await runDemoHistory(handle.db, {
        seed: options.seed,
        countyCode: options.countyCode,
        plan: base.plan,
        householdId: (k) => base.writer.householdIdOf(k),
        personId: (k) => base.writer.personIdOf(k),
        incomeScale: base.decisions.incomeScale,
        onStep: (label) => base.writer.progress.step(label),
      })
    : null;
  // 3. The departments' data of September 2015 and the planted cases, on the county as the year left it.
  const result = await handle.db.transaction().execute(async (trx) => {
    const departments = await seedDemoDepartments(trx, {
      seed: options.seed,
      countyCode: options.countyCode,
      asOf,
      now,
      clerk: await demoClerk(trx, base.users),
    });
    base.writer.progress.step('部门核对数据');
    return {
      seed: options.seed,
      countyCode: options.countyCode,
      asOf,
      summary: base.population.summary,
      users: base.users,
      departments,
      history,
      elapsedMs: Math.round(performance.now() - started),
    };
  });
  // Fresh planner statistics after a bulk load: without them PostgreSQL picks nested loops over
  // thousands of rows until autovacuum catches up (bench/registry.bench.ts: 251 ms → 4 ms).
  await sql`analyze`.execute(handle.db);
  return result;
}

/**
 * Demo calibration (DOMAIN §17, the seed report): the dibao spending January–September 2015 (低保金 with 分类施保),
 * 城镇 145.36万元 and 农村 937.06万元, and the levels 376 / 178 元, over the months each enrolment is paid in the
 * simulated year; the 2015 applicants' share is taken off first, as their decisions are recorded later.
 */
const SEED_SPENDING_FEN = { urban_dibao: 145_360_000, rural_dibao: 937_060_000 } as const;
/** The same report's 月人均救助水平 (城 376, 乡 178 元): spending ÷ 人次 must read like it too. */
const SEED_LEVEL_FEN = { urban_dibao: 37_600, rural_dibao: 17_800 } as const;

function historyCalibration(
  plan: HistoryPlan,
  population: DemoPopulation,
  householdIdOf: (key: number) => number,
): DecisionCalibration {
  const YEAR = { from: '2015-01', to: '2015-09' };
  const months = (from: string, to: string) => {
    const a = from < YEAR.from ? YEAR.from : from;
    const b = to > YEAR.to ? YEAR.to : to;
    if (a > b) return 0;
    return (
      (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7)) + 1
    );
  };
  const endOf = new Map(plan.exits.map((x) => [`${householdIdOf(x.householdKey)}|${x.program}`, x.endMonth]));
  // Person-months of the applicants, and of everyone else, to share the year's spending between them.
  const sizeOf = new Map<number, number>();
  for (const m of population.memberships) {
    if (m.validTo === null) sizeOf.set(m.householdKey, (sizeOf.get(m.householdKey) ?? 0) + 1);
  }
  const targetFen: DecisionCalibration['targetFen'] = {};
  for (const program of ['urban_dibao', 'rural_dibao'] as const) {
    const newcomers = plan.applications
      .filter((a) => a.program === program)
      .reduce((n, a) => n + a.persons * months(a.startMonth, YEAR.to), 0);
    const others = plan.enrolments
      .filter((e) => e.programCode === program)
      .reduce((n, e) => {
        const end = endOf.get(`${householdIdOf(e.householdKey)}|${program}`) ?? YEAR.to;
        return n + (e.personKey !== null ? 1 : (sizeOf.get(e.householdKey) ?? 0)) * months(e.startMonth, end);
      }, 0);
    // The simulated caseload's 人次 differ a little from the county's; aim between the report's spending and
    // its level × our 人次 (geometric mean) so both read within a percent or so of the report.
    const year = Math.sqrt(SEED_SPENDING_FEN[program] * SEED_LEVEL_FEN[program] * (others + newcomers));
    targetFen[program] = Math.round((year * others) / (others + newcomers));
  }
  return {
    targetFen,
    monthsPaid: (e) => {
      const end = endOf.get(`${e.household_id}|${e.program_code}`) ?? YEAR.to;
      return months(e.start_month, end);
    },
  };
}

/** The county seat's window clerk, who registers the demo's planted dibao application. */
async function demoClerk(trx: Trx, users: DemoUser[]) {
  const clerk = users.find((u) => u.username === 'rucheng_jingban');
  if (!clerk) return null;
  const row = await trx
    .selectFrom('app_user')
    .select('id')
    .where('username', '=', clerk.username)
    .executeTakeFirstOrThrow();
  return { userId: row.id, username: clerk.username, role: clerk.role, areaCode: clerk.areaCode };
}

async function assertNoHouseholds(trx: Trx): Promise<void> {
  const any = await trx.selectFrom('household').select('id').limit(1).executeTakeFirst();
  if (any) throw new AppError(ErrorCode.CONFLICT, '数据库中已有家庭数据，演示数据只能在空库中生成');
}

async function generateFor(
  trx: Trx,
  seed: number,
  countyCode: string,
  asOf: string,
): Promise<DemoPopulation> {
  const county = await trx
    .selectFrom('area')
    .select('name')
    .where('code', '=', countyCode)
    .executeTakeFirstOrThrow();
  const towns = (await listTowns(trx, countyCode)).map((t) => ({ code: t.code, name: t.name }));
  const villages = (await listCountyVillages(trx, countyCode)).map((v) => ({
    code: v.code,
    name: v.name,
    townCode: v.parent_code as string,
  }));
  return generateDemoPopulation({ seed, countyCode, countyName: county.name, towns, villages, asOf });
}

/** Counts chunks across all tables so the CLI can show one progress bar. */
class Progress {
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly report: SeedDemoOptions['onProgress'],
  ) {}

  step(label: string): void {
    this.done++;
    this.report?.(this.done, this.total, label);
  }
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

const chunkCount = (n: number) => Math.ceil(n / CHUNK);

/** 1234567 → '1,234,567' (fixed, not locale-dependent: audit text must not vary by machine). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Writes the generated population, mapping the generator's keys to database ids as it goes. */
class SeedWriter {
  readonly progress: Progress;
  private readonly ts: string;
  private readonly county: string;
  private personIds: number[] = [];
  private householdIds: number[] = [];

  constructor(
    private readonly trx: Trx,
    options: SeedDemoOptions,
    private readonly now: Date,
    private readonly pop: DemoPopulation,
  ) {
    this.ts = now.toISOString();
    this.county = options.countyCode;
    const areaRows = pop.households.reduce((n, h) => n + h.areaHistory.length, 0);
    const relatives = pop.staff.reduce((n, s) => n + s.relatives.length, 0);
    const total =
      chunkCount(pop.persons.length) +
      chunkCount(pop.households.length) +
      chunkCount(pop.memberships.length) +
      chunkCount(areaRows) +
      chunkCount(pop.enrolments.length) +
      chunkCount(pop.staff.length) +
      chunkCount(relatives) +
      DEMO_USERS.length +
      1;
    this.progress = new Progress(total, options.onProgress);
  }

  async writeAll(): Promise<void> {
    await this.persons();
    await this.households();
    await this.memberships();
    await this.areaHistory();
    await this.enrolments();
    await this.staff();
  }

  private async audit(entityType: string, detail: string): Promise<void> {
    await appendAudit(
      this.trx,
      systemActor(this.county, 'seed'),
      { action: 'demo.seed', entityType, countyCode: this.county, detail: `演示数据：${detail}` },
      this.now,
    );
  }

  private async persons(): Promise<void> {
    const rows: Insertable<PersonTable>[] = this.pop.persons.map((p) => ({
      county_code: this.county,
      town_code: p.townCode,
      id_number: p.idNumber,
      name: p.name,
      sex: p.sex,
      birth_date: p.birthDate,
      ethnicity: p.ethnicity,
      hukou_type: p.hukouType,
      disability_category: p.disabilityCategory,
      disability_grade: p.disabilityGrade,
      labour_capacity: p.labourCapacity,
      serious_illness: p.seriousIllness ? 1 : 0,
      self_care: p.selfCare,
      school_status: p.schoolStatus,
      employment_status: p.employmentStatus,
      death_date: p.deathDate,
      phone: p.phone,
      created_at: this.ts,
      updated_at: this.ts,
    }));
    // RETURNING order is not guaranteed, so ids are mapped back by the unique ID number.
    const idByNumber = new Map<string, number>();
    for (const chunk of chunks(rows)) {
      const inserted = await this.trx
        .insertInto('person')
        .values(chunk)
        .returning(['id', 'id_number'])
        .execute();
      for (const r of inserted) idByNumber.set(r.id_number, r.id);
      this.progress.step('人员');
    }
    this.personIds = this.pop.persons.map((p) => idByNumber.get(p.idNumber) as number);
    const deceased = this.pop.summary.deceasedPersons;
    await this.audit('person', `生成 ${groupDigits(rows.length)} 人（其中已故 ${groupDigits(deceased)} 人）`);
  }

  private async households(): Promise<void> {
    const rows: Insertable<HouseholdTable>[] = this.pop.households.map((h) => ({
      county_code: this.county,
      town_code: h.townCode,
      village_code: h.villageCode,
      address: h.address,
      hukou_type: h.hukouType,
      head_person_id: this.personId(h.headKey),
      phone: h.phone,
      bank_name: h.bankName,
      bank_account: h.bankAccount,
      bank_account_holder: h.bankAccountHolder,
      created_at: this.ts,
      updated_at: this.ts,
    }));
    // Generated addresses are unique, and the table was empty: they identify the new rows.
    const idByAddress = new Map<string, number>();
    for (const chunk of chunks(rows)) {
      const inserted = await this.trx
        .insertInto('household')
        .values(chunk)
        .returning(['id', 'address'])
        .execute();
      for (const r of inserted) idByAddress.set(r.address, r.id);
      this.progress.step('家庭');
    }
    this.householdIds = this.pop.households.map((h) => idByAddress.get(h.address) as number);
    await this.audit('household', `生成 ${groupDigits(rows.length)} 户`);
  }

  private async memberships(): Promise<void> {
    const rows: Insertable<HouseholdMemberTable>[] = this.pop.memberships.map((m) => ({
      county_code: this.county,
      town_code: this.householdTown(m.householdKey),
      household_id: this.householdId(m.householdKey),
      person_id: this.personId(m.personKey),
      relation: m.relation,
      valid_from: m.validFrom,
      valid_to: m.validTo,
      reason: m.reason,
    }));
    await this.insertChunked(rows, '家庭成员', (c) =>
      this.trx.insertInto('household_member').values(c).execute(),
    );
    const closed = rows.filter((r) => r.valid_to !== null).length;
    await this.audit(
      'household_member',
      `生成 ${groupDigits(rows.length)} 条家庭成员记录（其中历史记录 ${groupDigits(closed)} 条）`,
    );
  }

  private async areaHistory(): Promise<void> {
    const rows: Insertable<HouseholdAreaHistoryTable>[] = this.pop.households.flatMap((h) =>
      h.areaHistory.map((a) => ({
        household_id: this.householdId(h.key),
        county_code: this.county,
        town_code: a.townCode,
        village_code: a.villageCode,
        valid_from: a.validFrom,
        valid_to: a.validTo,
        reason: a.reason,
      })),
    );
    await this.insertChunked(rows, '家庭住址记录', (c) =>
      this.trx.insertInto('household_area_history').values(c).execute(),
    );
    const moved = this.pop.summary.movedHouseholds;
    await this.audit(
      'household_area_history',
      `生成 ${groupDigits(rows.length)} 条住址记录（其中 ${groupDigits(moved)} 户曾跨乡镇迁移）`,
    );
  }

  private async enrolments(): Promise<void> {
    const rows: Insertable<EnrolmentTable>[] = this.pop.enrolments.map((e) => ({
      county_code: this.county,
      town_code: e.townCode,
      program_code: e.programCode,
      household_id: this.householdId(e.householdKey),
      person_id: e.personKey === null ? null : this.personId(e.personKey),
      start_month: e.startMonth,
      end_month: null,
      status: e.status,
      support_mode: e.supportMode,
      single_person: e.singlePerson ? 1 : 0,
      end_reason: null,
      created_at: this.ts,
      updated_at: this.ts,
    }));
    await this.insertChunked(rows, '救助对象', (c) => this.trx.insertInto('enrolment').values(c).execute());
    const p = this.pop.summary.programs;
    await this.audit(
      'enrolment',
      `生成 ${groupDigits(rows.length)} 条在保记录（城市低保 ${p.urban_dibao.households} 户 ${groupDigits(p.urban_dibao.persons)} 人，` +
        `农村低保 ${groupDigits(p.rural_dibao.households)} 户 ${groupDigits(p.rural_dibao.persons)} 人，` +
        `农村五保 ${groupDigits(p.rural_tekun.persons)} 人）`,
    );
  }

  private async staff(): Promise<void> {
    const rows: Insertable<StaffTable>[] = this.pop.staff.map((s) => ({
      county_code: this.county,
      town_code: s.townCode,
      person_id: this.personId(s.personKey),
      id_number: s.idNumber,
      name: s.name,
      kind: s.kind,
      organisation: s.organisation,
      position: s.position,
      term_start: s.termStart,
      term_end: null,
      created_at: this.ts,
      updated_at: this.ts,
    }));
    const idByNumber = new Map<string, number>();
    for (const chunk of chunks(rows)) {
      const inserted = await this.trx
        .insertInto('staff')
        .values(chunk)
        .returning(['id', 'id_number'])
        .execute();
      for (const r of inserted) idByNumber.set(r.id_number, r.id);
      this.progress.step('工作人员');
    }
    const relatives: Insertable<StaffRelativeTable>[] = this.pop.staff.flatMap((s) =>
      s.relatives.map((r) => ({
        county_code: this.county,
        staff_id: idByNumber.get(s.idNumber) as number,
        id_number: r.idNumber,
        name: r.name,
        relation: r.relation,
        created_at: this.ts,
      })),
    );
    await this.insertChunked(relatives, '近亲属备案', (c) =>
      this.trx.insertInto('staff_relative').values(c).execute(),
    );
    const officials = rows.filter((r) => r.kind === 'official').length;
    await this.audit(
      'staff',
      `生成 ${rows.length} 名经办人员和村（居）干部（经办人员 ${officials} 名，村（居）干部 ${rows.length - officials} 名）`,
    );
    await this.audit(
      'staff_relative',
      `生成 ${relatives.length} 条近亲属备案（其中 ${this.pop.summary.staffRelativesInDibao} 人在低保家庭中）`,
    );
  }

  private async insertChunked<R>(
    rows: R[],
    label: string,
    insert: (chunk: R[]) => Promise<unknown>,
  ): Promise<void> {
    for (const chunk of chunks(rows)) {
      await insert(chunk);
      this.progress.step(label);
    }
  }

  private personId(key: number): number {
    const id = this.personIds[key];
    if (id === undefined) throw new Error(`演示数据内部错误：人员 ${key} 没有数据库编号`);
    return id;
  }

  /** Membership rows carry the household's current town, as the registry keeps them (setMembersArea). */
  private householdTown(key: number): string {
    const household = this.pop.households[key];
    if (!household) throw new Error(`演示数据内部错误：家庭 ${key} 不存在`);
    return household.townCode;
  }

  householdIdOf(key: number): number {
    return this.householdId(key);
  }

  personIdOf(key: number): number {
    return this.personId(key);
  }

  private householdId(key: number): number {
    const id = this.householdIds[key];
    if (id === undefined) throw new Error(`演示数据内部错误：家庭 ${key} 没有数据库编号`);
    return id;
  }
}

// ---------------------------------------------------------------------------------------------
// Demo users: one per role, town roles in the county seat plus one in a second town
// ---------------------------------------------------------------------------------------------

interface DemoUserSpec {
  username: string;
  role: Role;
  /** 'county', or the last three digits of a town code (乳城镇 100, 大桥镇 109 in 乳源). */
  area: 'county' | '100' | '109';
}

const DEMO_USERS: readonly DemoUserSpec[] = [
  { username: 'xian_admin', role: 'county_admin', area: 'county' },
  { username: 'xian_shenpi', role: 'county_approver', area: 'county' },
  { username: 'hecha', role: 'auditor', area: 'county' },
  { username: 'bumen', role: 'partner_department', area: 'county' },
  { username: 'rucheng_jingban', role: 'town_clerk', area: '100' },
  { username: 'rucheng_shenhe', role: 'town_reviewer', area: '100' },
  { username: 'rucheng_xieli', role: 'village_assistant', area: '100' },
  // A clerk of another town shows that town users see only their own town.
  { username: 'daqiao_jingban', role: 'town_clerk', area: '109' },
];

const PASSWORD_LETTERS = 'abcdefghjkmnpqrstuvwxyz';

/** 'Jz' + 6 digits + a letter: meets the policy (≥8 characters, letters and digits), same for the same seed. */
function demoPassword(rng: Rng): string {
  return `Jz${rng.digits(6)}${rng.pick(PASSWORD_LETTERS.split(''))}`;
}

async function createDemoUsers(
  trx: Trx,
  options: SeedDemoOptions,
  now: Date,
  step: (label: string) => void,
): Promise<DemoUser[]> {
  const rng = createRng(deriveSeed(options.seed, 'users'));
  const actor = systemActor(options.countyCode, 'seed');
  const areas = await demoUserAreas(trx, options.countyCode);
  const users: DemoUser[] = [];
  for (const spec of DEMO_USERS) {
    const area = areas[spec.area];
    const sex = rng.chance(0.5) ? 'M' : 'F';
    const displayName = fullName(rng, {
      surname: surname(rng, false),
      sex,
      birthYear: rng.int(1970, 1990),
      yao: false,
    });
    const password = demoPassword(rng);
    await createUser(
      trx,
      actor,
      { username: spec.username, displayName, role: spec.role, areaCode: area.code, password },
      now,
    );
    users.push({
      username: spec.username,
      displayName,
      role: spec.role,
      roleLabel: ROLES[spec.role].label,
      areaCode: area.code,
      areaName: area.name,
      password,
    });
    step('演示用户');
  }
  return users;
}

/** The county, its seat (…100) and 大桥镇 (…109); another county falls back to its first two towns. */
async function demoUserAreas(
  trx: Trx,
  countyCode: string,
): Promise<Record<DemoUserSpec['area'], { code: string; name: string }>> {
  const county = await trx
    .selectFrom('area')
    .select(['code', 'name'])
    .where('code', '=', countyCode)
    .executeTakeFirstOrThrow();
  const towns = await listTowns(trx, countyCode);
  const town = (suffix: string, fallback: number) => {
    const found = towns.find((t) => t.code === countyCode + suffix) ?? towns[fallback] ?? towns[0];
    if (!found) throw new Error(`区县 ${countyCode} 没有乡镇，无法创建乡镇演示用户`);
    return { code: found.code, name: found.name };
  };
  return { county, '100': town('100', 0), '109': town('109', 1) };
}
