/**
 * The set-based SQL of the 核查 engine (one code path for SQLite and PostgreSQL). Every rule starts from the
 * campaign population — the enrolments of the campaign's programs and towns active at as-of, with the members of
 * their households at as-of (the covered person only for a person-level enrolment) — joined on
 * dept_record(id_number, source_code) restricted to the snapshots in force, aggregated in SQL so only the
 * candidates come back; the pure judges in src/domain/campaign/rules.ts then decide.
 */
import { type Expression, expressionBuilder, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database, DeptRecordTable } from '../../db/schema.ts';
import type { DeptRow, Subject } from '../../domain/campaign/rules.ts';
import type { FindingFact } from '../../domain/campaign/summary.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface PopulationScope {
  countyCode: string;
  programCodes: string[];
  /** [] = the whole county. */
  townCodes: string[];
  asOf: string;
  asOfMonth: string;
}

/** Chunk size for `in (…)` lists: far below both engines' parameter limits. */
export const IN_CHUNK = 2000;

export function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Enrolments active at as-of (DOMAIN §4.9: an ended enrolment still counts for the months up to its end). */
function activeEnrolments(db: Db, s: PopulationScope) {
  return db
    .selectFrom('enrolment as e')
    .where('e.county_code', '=', s.countyCode)
    .where('e.program_code', 'in', s.programCodes)
    .$if(s.townCodes.length > 0, (q) => q.where('e.town_code', 'in', s.townCodes))
    .where('e.start_month', '<=', s.asOfMonth)
    .where((eb) =>
      eb.or([
        eb('e.end_month', '>=', s.asOfMonth),
        eb.and([eb('e.end_month', 'is', null), eb('e.status', '<>', 'ended')]),
      ]),
    );
}

/** The population rows: enrolment × covered person at as-of. */
export function populationQuery(db: Db, s: PopulationScope) {
  return activeEnrolments(db, s)
    .innerJoin('household_member as hm', 'hm.household_id', 'e.household_id')
    .innerJoin('person as p', 'p.id', 'hm.person_id')
    .where('hm.valid_from', '<=', s.asOf)
    .where((eb) => eb.or([eb('hm.valid_to', 'is', null), eb('hm.valid_to', '>', s.asOf)]))
    .where((eb) => eb.or([eb('e.person_id', 'is', null), eb('e.person_id', '=', eb.ref('p.id'))]))
    .select([
      'e.id as enrolment_id',
      'e.program_code as program_code',
      'e.household_id as household_id',
      'e.town_code as town_code',
      'e.person_id as covered_person_id',
      'p.id as person_id',
      'p.id_number as id_number',
      'p.name as name',
      'p.sex as sex',
      'p.birth_date as birth_date',
      'p.death_date as death_date',
    ]);
}

/** `with pop as (…)`: the population as a named table for the rule queries. */
export function withPop(db: Db, s: PopulationScope) {
  return db.with('pop', () => populationQuery(db, s));
}

/** The snapshots in force per source (only their records are read). */
export async function snapshotsInForce(db: Db, countyCode: string): Promise<Map<string, number[]>> {
  const rows = await db
    .selectFrom('dept_snapshot')
    .select(['id', 'source_code'])
    .where('county_code', '=', countyCode)
    .where('status', '=', 'in_force')
    .execute();
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.source_code, [...(out.get(r.source_code) ?? []), r.id]);
  return out;
}

/** Households and persons per town × program. */
export async function populationCells(db: Db, s: PopulationScope) {
  const rows = await withPop(db, s)
    .selectFrom('pop')
    .select((eb) => [
      'pop.town_code',
      'pop.program_code',
      sql<number>`count(distinct pop.household_id)`.as('households'),
      eb.fn.countAll<number>().as('persons'),
    ])
    .groupBy(['pop.town_code', 'pop.program_code'])
    .execute();
  return rows.map((r) => ({
    townCode: r.town_code,
    programCode: r.program_code,
    households: Number(r.households),
    persons: Number(r.persons),
  }));
}

export interface EnrolmentDetail {
  enrolmentId: number;
  programCode: string;
  householdId: number;
  townCode: string;
  coveredPersonId: number | null;
  members: (Subject & { sex: string; birthDate: string; deathDate: string | null })[];
  records: DeptRow[];
}

type RecordRow = {
  source_code: string;
  id_number: string;
  name: string;
  kind: string;
  status: string | null;
  amount_fen: number | string | null;
  monthly_fen: number | string | null;
  event_date: string | null;
  exempt: number;
  ref: string | null;
};

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toDeptRow(r: RecordRow): DeptRow {
  return {
    sourceCode: r.source_code,
    idNumber: r.id_number,
    name: r.name,
    kind: r.kind,
    status: r.status,
    amountFen: num(r.amount_fen),
    monthlyFen: num(r.monthly_fen),
    eventDate: r.event_date,
    exempt: Number(r.exempt) === 1,
    ref: r.ref,
  };
}

function snapshotIds(snapshots: Map<string, number[]>, sources: readonly string[]): number[] {
  return sources.flatMap((s) => snapshots.get(s) ?? []);
}

/**
 * The members and department records (of the given sources, snapshots in force) of the candidate enrolments,
 * in chunks. Only candidates reach this: it is the evidence read, not the search.
 */
export async function enrolmentDetails(
  db: Db,
  s: PopulationScope,
  enrolmentIds: readonly number[],
  sources: readonly string[],
  snapshots: Map<string, number[]>,
): Promise<Map<number, EnrolmentDetail>> {
  const out = new Map<number, EnrolmentDetail>();
  const snaps = snapshotIds(snapshots, sources);
  for (const ids of chunks([...new Set(enrolmentIds)])) {
    const members = await populationQuery(db, s).where('e.id', 'in', ids).orderBy('p.id').execute();
    for (const m of members) {
      let d = out.get(m.enrolment_id);
      if (!d) {
        d = {
          enrolmentId: m.enrolment_id,
          programCode: m.program_code,
          householdId: m.household_id,
          townCode: m.town_code,
          coveredPersonId: m.covered_person_id,
          members: [],
          records: [],
        };
        out.set(m.enrolment_id, d);
      }
      d.members.push({
        personId: m.person_id,
        name: m.name,
        idNumber: m.id_number,
        sex: m.sex,
        birthDate: m.birth_date,
        deathDate: m.death_date,
      });
    }
    if (snaps.length === 0 || sources.length === 0) continue;
    const records = await populationQuery(db, s)
      .where('e.id', 'in', ids)
      .innerJoin('dept_record as dr', (j) =>
        j.onRef('dr.id_number', '=', 'p.id_number').on('dr.source_code', 'in', [...sources]),
      )
      .where('dr.snapshot_id', 'in', snaps)
      .select([...DR_FIELDS, 'dr.id_number as dr_id_number', 'dr.name as dr_name'])
      .orderBy('dr.id')
      .execute();
    for (const r of records) {
      out.get(r.enrolment_id)?.records.push(toDeptRow({ ...r, id_number: r.dr_id_number, name: r.dr_name }));
    }
  }
  return out;
}

/** A query creator that has the population as `pop` (withPop, or a `with` inside it). */
type PopCreator = ReturnType<typeof withPop>;

/**
 * `pop` joined on dept_record(id_number, source_code) to its records of one or more sources, in the given
 * snapshots only.
 */
function joinRecords(qb: PopCreator, sources: readonly string[], snaps: number[]) {
  return qb
    .selectFrom('pop')
    .innerJoin('dept_record as dr', (j) =>
      j.onRef('dr.id_number', '=', 'pop.id_number').on('dr.source_code', 'in', [...sources]),
    )
    .where('dr.snapshot_id', 'in', snaps);
}

/** The pop × dept_record join of one or more sources (snapshots in force). */
function popRecords(db: Db, s: PopulationScope, sources: readonly string[], snaps: number[]) {
  return joinRecords(withPop(db, s), sources, snaps);
}

/** Persons per enrolment of the population (`sizes`), of the given enrolments only when `enrolmentIds` is set. */
function sizes(qb: PopCreator, enrolmentIds?: number[]) {
  return qb
    .selectFrom('pop')
    .$if(enrolmentIds !== undefined, (q) => q.where('pop.enrolment_id', 'in', enrolmentIds ?? []))
    .select((eb) => ['pop.enrolment_id', eb.fn.countAll<number>().as('persons')])
    .groupBy('pop.enrolment_id');
}

/** `with pop as (…), sizes as (…)`: the population and its persons per enrolment. */
function withPopSizes(db: Db, s: PopulationScope) {
  return withPop(db, s).with('sizes', (qb) => sizes(qb));
}

const dr = expressionBuilder<{ dr: DeptRecordTable }, 'dr'>();

/** The record's status is not `endedStatus` (a record without a status counts as active). */
function activeStatus(endedStatus: string): Expression<SqlBool> {
  return dr.or([dr('dr.status', 'is', null), dr('dr.status', '<>', endedStatus)]);
}

/** The record's event happened on or before as-of (a record without a date counts). */
function eventBy(asOf: string): Expression<SqlBool> {
  return dr.or([dr('dr.event_date', 'is', null), dr('dr.event_date', '<=', asOf)]);
}

/** The dept_record columns of a DeptRow but id_number and name (which a join with the population has twice). */
const RECORD_FIELDS = [
  'source_code',
  'kind',
  'status',
  'amount_fen',
  'monthly_fen',
  'event_date',
  'exempt',
  'ref',
] as const;

/** RECORD_FIELDS of `dr`. */
const DR_FIELDS = RECORD_FIELDS.map((c) => `dr.${c}` as const);

const enrolmentIdsOf = (rows: { enrolment_id: number }[]) => rows.map((r) => r.enrolment_id);

/** The enrolments with more than `max` of the records the query keeps. */
async function enrolmentsWithMoreThan(
  records: ReturnType<typeof popRecords>,
  max: number,
): Promise<number[]> {
  const rows = await records
    .select('pop.enrolment_id')
    .groupBy('pop.enrolment_id')
    .having((eb) => eb.fn.countAll(), '>', max)
    .execute();
  return enrolmentIdsOf(rows);
}

/** Enrolments with more than `max` counted vehicles (not scrapped, not exempt, not an exempt type). */
export async function vehicleCandidates(
  db: Db,
  s: PopulationScope,
  snapshots: Map<string, number[]>,
  p: { maxCount: number; exemptTypes: readonly string[] },
): Promise<number[]> {
  const snaps = snapshotIds(snapshots, ['vehicle']);
  if (snaps.length === 0) return [];
  const vehicles = popRecords(db, s, ['vehicle'], snaps)
    .where(activeStatus('scrapped'))
    .where('dr.exempt', '=', 0)
    .where('dr.kind', 'not in', ['disability_vehicle', ...p.exemptTypes])
    .where('dr.event_date', '<=', s.asOf);
  return enrolmentsWithMoreThan(vehicles, p.maxCount);
}

const countWhen = (cond: Expression<SqlBool>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;

export async function realEstateCandidates(
  db: Db,
  s: PopulationScope,
  snapshots: Map<string, number[]>,
  p: { maxResidential: number; maxNonResidential: number },
): Promise<number[]> {
  const snaps = snapshotIds(snapshots, ['real_estate']);
  if (snaps.length === 0) return [];
  const rows = await popRecords(db, s, ['real_estate'], snaps)
    .where('dr.exempt', '=', 0)
    .where(eventBy(s.asOf))
    .select('pop.enrolment_id')
    .groupBy('pop.enrolment_id')
    .having((eb) =>
      eb.or([
        eb(countWhen(sql<SqlBool>`dr.kind = 'residential'`), '>', p.maxResidential),
        eb(countWhen(sql<SqlBool>`dr.kind <> 'residential'`), '>', p.maxNonResidential),
      ]),
    )
    .execute();
  return enrolmentIdsOf(rows);
}

export async function businessCandidates(
  db: Db,
  s: PopulationScope,
  snapshots: Map<string, number[]>,
  p: { maxCount: number; exemptSmallFamilyShop: boolean },
): Promise<number[]> {
  const snaps = snapshotIds(snapshots, ['business']);
  if (snaps.length === 0) return [];
  const businesses = popRecords(db, s, ['business'], snaps)
    .where(activeStatus('cancelled'))
    .$if(p.exemptSmallFamilyShop, (q) => q.where('dr.exempt', '=', 0))
    .where(eventBy(s.asOf));
  return enrolmentsWithMoreThan(businesses, p.maxCount);
}

export async function publicPayrollCandidates(
  db: Db,
  s: PopulationScope,
  snapshots: Map<string, number[]>,
  p: { minMonthlyFen: number },
): Promise<number[]> {
  const snaps = snapshotIds(snapshots, ['public_payroll']);
  if (snaps.length === 0) return [];
  const rows = await popRecords(db, s, ['public_payroll'], snaps)
    .where(activeStatus('left'))
    .where(eventBy(s.asOf))
    .$if(p.minMonthlyFen > 0, (q) => q.where('dr.monthly_fen', '>=', p.minMonthlyFen))
    .select('pop.enrolment_id')
    .distinct()
    .execute();
  return enrolmentIdsOf(rows);
}

/**
 * Households whose financial assets exceed `perPersonFloorFen` × persons, `perPersonFloorFen` being the lowest
 * per-person cap of any town × program (a safe pre-filter; the judge applies each household's own cap).
 */
export async function depositCandidates(
  db: Db,
  s: PopulationScope,
  snapshots: Map<string, number[]>,
  p: { includeSecurities: boolean; includeSavingsInsurance: boolean; perPersonFloorFen: number },
): Promise<number[]> {
  const sources = [
    'bank_deposit',
    ...(p.includeSecurities ? ['securities'] : []),
    ...(p.includeSavingsInsurance ? ['commercial_insurance'] : []),
  ];
  const snaps = snapshotIds(snapshots, sources);
  if (snaps.length === 0) return [];
  const rows = await withPopSizes(db, s)
    .with('assets', (qb) =>
      joinRecords(qb, sources, snaps)
        .where((eb) =>
          eb.or([
            eb('dr.source_code', '<>', 'commercial_insurance'),
            eb.and([eb('dr.kind', '=', 'savings'), activeStatus('lapsed')]),
          ]),
        )
        .select((eb) => [
          'pop.enrolment_id',
          eb.fn.sum<number>(eb.fn.coalesce('dr.amount_fen', sql.lit(0))).as('total'),
        ])
        .groupBy('pop.enrolment_id'),
    )
    .selectFrom('assets')
    .innerJoin('sizes', 'sizes.enrolment_id', 'assets.enrolment_id')
    .where(sql<SqlBool>`assets.total > sizes.persons * ${p.perPersonFloorFen}`)
    .select('assets.enrolment_id')
    .execute();
  return enrolmentIdsOf(rows);
}

/**
 * Households whose department-evidenced monthly income (per member the highest wage evidence, plus pensions)
 * reaches `perPersonFloorFen` × persons (a pre-filter below every household's own threshold).
 */
export async function incomeCandidates(
  db: Db,
  s: PopulationScope,
  snapshots: Map<string, number[]>,
  p: { countPensions: boolean; perPersonFloorFen: number },
): Promise<number[]> {
  const sources = ['public_payroll', 'social_insurance', 'tax'];
  const snaps = snapshotIds(snapshots, sources);
  if (snaps.length === 0) return [];
  const pension = p.countPensions
    ? sql<number>`sum(case when dr.source_code = 'social_insurance' and dr.kind in ('employee_pension', 'unemployment_benefit') and (dr.status is null or dr.status <> 'stopped') then coalesce(dr.monthly_fen, 0) else 0 end)`
    : sql<number>`0`;
  const rows = await withPopSizes(db, s)
    .with('member_income', (qb) =>
      joinRecords(qb, sources, snaps)
        .where(eventBy(s.asOf))
        .select([
          'pop.enrolment_id',
          'pop.person_id',
          sql<number>`max(case
            when dr.source_code = 'public_payroll' and (dr.status is null or dr.status <> 'left') then coalesce(dr.monthly_fen, 0)
            when dr.source_code = 'social_insurance' and dr.kind = 'contribution' and (dr.status is null or dr.status <> 'stopped') then coalesce(dr.monthly_fen, 0)
            when dr.source_code = 'tax' and dr.kind = 'wage' then coalesce(dr.amount_fen, 0) / 12
            else 0 end)`.as('wage'),
          pension.as('transfer'),
        ])
        .groupBy(['pop.enrolment_id', 'pop.person_id']),
    )
    .with('household_income', (qb) =>
      qb
        .selectFrom('member_income')
        .select([
          'member_income.enrolment_id',
          sql<number>`sum(member_income.wage + member_income.transfer)`.as('total'),
        ])
        .groupBy('member_income.enrolment_id'),
    )
    .selectFrom('household_income as hi')
    .innerJoin('sizes', 'sizes.enrolment_id', 'hi.enrolment_id')
    .where(sql<SqlBool>`hi.total >= sizes.persons * ${p.perPersonFloorFen}`)
    .select('hi.enrolment_id')
    .execute();
  return enrolmentIdsOf(rows);
}

/** Population members with a death record dated on or before as-of. */
export async function deathCandidates(db: Db, s: PopulationScope, snapshots: Map<string, number[]>) {
  const snaps = snapshotIds(snapshots, ['death']);
  if (snaps.length === 0) return [];
  const rows = await popRecords(db, s, ['death'], snaps)
    .where('dr.event_date', '<=', s.asOf)
    .select([
      'pop.enrolment_id',
      'pop.program_code',
      'pop.household_id',
      'pop.town_code',
      'pop.covered_person_id',
      'pop.person_id',
      'pop.id_number',
      'pop.name',
      'pop.death_date',
      ...DR_FIELDS,
      'dr.name as dr_name',
    ])
    .orderBy('dr.event_date')
    .execute();
  return rows.map((r) => ({
    enrolmentId: r.enrolment_id,
    programCode: r.program_code,
    householdId: r.household_id,
    townCode: r.town_code,
    coveredPersonId: r.covered_person_id,
    subject: { personId: r.person_id, name: r.name, idNumber: r.id_number },
    registryDeathDate: r.death_date,
    death: toDeptRow({ ...r, name: r.dr_name }),
  }));
}

/** Persons per enrolment (for the candidates only). */
export async function enrolmentSizes(db: Db, s: PopulationScope, enrolmentIds: readonly number[]) {
  const out = new Map<number, number>();
  for (const ids of chunks([...new Set(enrolmentIds)])) {
    const rows = await sizes(withPop(db, s), ids).execute();
    for (const r of rows) out.set(r.enrolment_id, Number(r.persons));
  }
  return out;
}

/** Ledger totals per enrolment and benefit month (payment_ledger is the only source of what was paid). */
export async function ledgerByMonth(db: Db, enrolmentIds: readonly number[]) {
  const out = new Map<number, { month: string; fen: number }[]>();
  for (const ids of chunks([...new Set(enrolmentIds)])) {
    const rows = await db
      .selectFrom('payment_ledger')
      .where('enrolment_id', 'in', ids)
      .select((eb) => ['enrolment_id', 'benefit_month', eb.fn.sum<number>('amount_fen').as('fen')])
      .groupBy(['enrolment_id', 'benefit_month'])
      .orderBy('benefit_month')
      .execute();
    for (const r of rows) {
      const id = Number(r.enrolment_id);
      out.set(id, [...(out.get(id) ?? []), { month: r.benefit_month, fen: Number(r.fen) }]);
    }
  }
  return out;
}

export interface PopRow {
  enrolmentId: number;
  programCode: string;
  householdId: number;
  townCode: string;
  personId: number;
  idNumber: string;
  name: string;
  sex: string;
  birthDate: string;
}

const toPopRow = (r: {
  enrolment_id: number;
  program_code: string;
  household_id: number;
  town_code: string;
  person_id: number;
  id_number: string;
  name: string;
  sex: string;
  birth_date: string;
}): PopRow => ({
  enrolmentId: r.enrolment_id,
  programCode: r.program_code,
  householdId: r.household_id,
  townCode: r.town_code,
  personId: r.person_id,
  idNumber: r.id_number,
  name: r.name,
  sex: r.sex,
  birthDate: r.birth_date,
});

/** Persons in two enrolments, and persons sharing name + birth date + sex under different ID numbers. */
export async function duplicateCandidates(
  db: Db,
  s: PopulationScope,
  matchNameBirthSex: boolean,
): Promise<PopRow[]> {
  const twice = await withPop(db, s)
    .selectFrom('pop')
    .select('pop.person_id')
    .groupBy('pop.person_id')
    .having(sql<number>`count(distinct pop.enrolment_id)`, '>', 1)
    .execute();
  const personIds = twice.map((r) => r.person_id);
  const out: PopRow[] = [];
  for (const ids of chunks(personIds)) {
    const rows = await populationQuery(db, s).where('p.id', 'in', ids).execute();
    out.push(...rows.map(toPopRow));
  }
  if (!matchNameBirthSex) return out;
  const same = await withPop(db, s)
    .selectFrom('pop')
    .select(['pop.name', 'pop.birth_date', 'pop.sex'])
    .groupBy(['pop.name', 'pop.birth_date', 'pop.sex'])
    .having(sql<number>`count(distinct pop.id_number)`, '>', 1)
    .execute();
  const keys = new Set(same.map((r) => `${r.name}|${r.birth_date}|${r.sex}`));
  for (const names of chunks([...new Set(same.map((r) => r.name))])) {
    const rows = await populationQuery(db, s).where('p.name', 'in', names).execute();
    out.push(...rows.filter((r) => keys.has(`${r.name}|${r.birth_date}|${r.sex}`)).map(toPopRow));
  }
  return out;
}

/** Enrolled households of the population sharing a bank account with more than `max` households. */
export async function sharedAccountCandidates(db: Db, s: PopulationScope, max: number) {
  const households = (qb: Db) =>
    activeEnrolments(qb, s)
      .innerJoin('household as h', 'h.id', 'e.household_id')
      .where('h.bank_account', 'is not', null)
      .where('h.bank_account', '<>', '');
  const shared = households(db)
    .select('h.bank_account')
    .groupBy('h.bank_account')
    .having(sql<number>`count(distinct h.id)`, '>', max);
  const rows = await households(db)
    .where('h.bank_account', 'in', shared)
    .select([
      'h.id',
      'e.town_code',
      'h.bank_account',
      'h.bank_name',
      'h.bank_account_holder',
      'e.id as enrolment_id',
      'e.program_code',
    ])
    .orderBy('h.id')
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    householdId: r.id,
    townCode: r.town_code,
    account: r.bank_account ?? '',
    bankName: r.bank_name,
    holder: r.bank_account_holder,
    enrolmentId: r.enrolment_id,
    programCode: r.program_code,
  }));
}

export interface StaffRow {
  id: number;
  idNumber: string;
  name: string;
  kind: string;
  organisation: string;
}

/** Staff and cadres in office at as-of (DOMAIN §10). */
export async function staffInOffice(db: Db, countyCode: string, asOf: string): Promise<StaffRow[]> {
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'id_number', 'name', 'kind', 'organisation'])
    .where('county_code', '=', countyCode)
    .where('term_start', '<=', asOf)
    .where((eb) => eb.or([eb('term_end', 'is', null), eb('term_end', '>=', asOf)]))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    idNumber: r.id_number,
    name: r.name,
    kind: r.kind,
    organisation: r.organisation,
  }));
}

export async function declaredRelatives(db: Db, countyCode: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('staff_relative')
    .select(['staff_id', 'id_number'])
    .where('county_code', '=', countyCode)
    .execute();
  return new Set(rows.map((r) => `${r.staff_id}|${r.id_number}`));
}

/** Department records (snapshots in force) of the given persons. */
export async function recordsOf(
  db: Db,
  idNumbers: readonly string[],
  sources: readonly string[],
  snapshots: Map<string, number[]>,
): Promise<DeptRow[]> {
  const snaps = snapshotIds(snapshots, sources);
  if (snaps.length === 0) return [];
  const out: DeptRow[] = [];
  for (const ids of chunks([...new Set(idNumbers)])) {
    const rows = await db
      .selectFrom('dept_record')
      .select(['id_number', 'name', ...RECORD_FIELDS])
      .where('id_number', 'in', ids)
      .where('source_code', 'in', [...sources])
      .where('snapshot_id', 'in', snaps)
      .orderBy('id')
      .execute();
    out.push(...rows.map(toDeptRow));
  }
  return out;
}

/** Population members whose record of `source` has a ref in `refs` (marriage → spouse is staff; hukou → 户号). */
export async function popByRecordRef(
  db: Db,
  s: PopulationScope,
  snapshots: Map<string, number[]>,
  source: string,
  refs: readonly string[],
) {
  const snaps = snapshotIds(snapshots, [source]);
  const out: (PopRow & { record: DeptRow })[] = [];
  if (snaps.length === 0) return out;
  for (const chunk of chunks([...new Set(refs)])) {
    const rows = await popRecords(db, s, [source], snaps)
      .where('dr.ref', 'in', chunk)
      .select([
        'pop.enrolment_id',
        'pop.program_code',
        'pop.household_id',
        'pop.town_code',
        'pop.person_id',
        'pop.id_number',
        'pop.name',
        'pop.sex',
        'pop.birth_date',
        ...DR_FIELDS,
        'dr.name as dr_name',
      ])
      .execute();
    out.push(...rows.map((r) => ({ ...toPopRow(r), record: toDeptRow({ ...r, name: r.dr_name }) })));
  }
  return out;
}

/** Population members with one of the given ID numbers. */
export async function popByIdNumbers(
  db: Db,
  s: PopulationScope,
  idNumbers: readonly string[],
): Promise<PopRow[]> {
  const out: PopRow[] = [];
  for (const ids of chunks([...new Set(idNumbers)])) {
    const rows = await populationQuery(db, s).where('p.id_number', 'in', ids).execute();
    out.push(...rows.map(toPopRow));
  }
  return out;
}

/**
 * 漏保 candidates (DOMAIN §11): persons with an active low_income record who are current members of a household of
 * the campaign's towns that has no active dibao or 特困 enrolment at as-of.
 */
export async function lowIncomeCandidates(db: Db, s: PopulationScope, snapshots: Map<string, number[]>) {
  const snaps = snapshotIds(snapshots, ['low_income']);
  if (snaps.length === 0) return [];
  const enrolled = activeEnrolments(db, {
    ...s,
    programCodes: ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun'],
    townCodes: [],
  }).select('e.household_id');
  const rows = await db
    .selectFrom('dept_record as dr')
    .innerJoin('person as p', 'p.id_number', 'dr.id_number')
    .innerJoin('household_member as hm', 'hm.person_id', 'p.id')
    .innerJoin('household as h', 'h.id', 'hm.household_id')
    .where('dr.source_code', '=', 'low_income')
    .where('dr.snapshot_id', 'in', snaps)
    .where(activeStatus('closed'))
    .where('h.county_code', '=', s.countyCode)
    .$if(s.townCodes.length > 0, (q) => q.where('h.town_code', 'in', s.townCodes))
    .where('hm.valid_from', '<=', s.asOf)
    .where((eb) => eb.or([eb('hm.valid_to', 'is', null), eb('hm.valid_to', '>', s.asOf)]))
    .where('h.id', 'not in', enrolled)
    .select(['h.id as household_id', 'h.town_code', 'h.hukou_type', 'dr.id_number', 'dr.name', ...DR_FIELDS])
    .orderBy('h.id')
    .execute();
  return rows.map((r) => ({
    householdId: r.household_id,
    townCode: r.town_code,
    hukouType: r.hukou_type,
    record: toDeptRow(r),
  }));
}

/** Current members (at as-of) of the given households. */
export async function householdMembers(db: Db, householdIds: readonly number[], asOf: string) {
  const out = new Map<number, Subject[]>();
  for (const ids of chunks([...new Set(householdIds)])) {
    const rows = await db
      .selectFrom('household_member as hm')
      .innerJoin('person as p', 'p.id', 'hm.person_id')
      .where('hm.household_id', 'in', ids)
      .where('hm.valid_from', '<=', asOf)
      .where((eb) => eb.or([eb('hm.valid_to', 'is', null), eb('hm.valid_to', '>', asOf)]))
      .select(['hm.household_id', 'p.id', 'p.name', 'p.id_number'])
      .orderBy('p.id')
      .execute();
    for (const r of rows) {
      out.set(r.household_id, [
        ...(out.get(r.household_id) ?? []),
        { personId: r.id, name: r.name, idNumber: r.id_number },
      ]);
    }
  }
  return out;
}

/** A campaign's findings with what the summary counts (town and program, outcome, persons); `townCode` null = all towns. */
export async function campaignFindingFacts(
  db: Db,
  campaignId: number,
  townCode: string | null,
): Promise<FindingFact[]> {
  const findings = await db
    .selectFrom('audit_finding')
    .select([
      'town_code',
      'program_code',
      'category',
      'household_id',
      'enrolment_id',
      'persons',
      'outcome',
      'recovery_fen',
    ])
    .where('campaign_id', '=', campaignId)
    .$if(townCode !== null, (q) => q.where('town_code', '=', townCode ?? ''))
    .execute();
  return findings.map((f) => ({
    townCode: f.town_code,
    programCode: f.program_code,
    category: f.category,
    householdId: f.household_id,
    enrolmentId: f.enrolment_id,
    persons: f.persons,
    outcome: f.outcome,
    recoveryFen: f.recovery_fen === null ? null : Number(f.recovery_fen),
  }));
}
