/**
 * SQL of 一次性发放: payments, medical claims, holiday batches and the sums the annual caps need. Every
 * caseload read takes the caller's AreaScope; the ledger is only ever appended to.
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type {
  Database,
  MedicalClaimTable,
  OneOffBatchTable,
  OneOffPaymentTable,
  PaymentLedgerTable,
} from '../../db/schema.ts';
import type { AreaScope } from '../../domain/access/area-scope.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

export type PaymentRow = Selectable<OneOffPaymentTable>;
export type ClaimRow = Selectable<MedicalClaimTable>;
export type BatchRow = Selectable<OneOffBatchTable>;

/** Rows per multi-row INSERT: well under SQLite's bound-parameter limit. */
const CHUNK = 200;

function chunks<T>(xs: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

const yearRange = (year: string) => [`${year}-01`, `${year}-12`] as const;

/** The person row, locked on PostgreSQL so two claims of one person cannot both pass the annual cap. */
export function lockPerson(trx: Trx, personId: number) {
  return trx
    .selectFrom('person')
    .select('id')
    .where('id', '=', personId)
    .$if(isPostgres(trx), (q) => q.forUpdate())
    .executeTakeFirst();
}

/** The household a person belonged to on a date (the current one when the history has none). */
export async function householdOfPersonOn(db: Db, personId: number, date: string): Promise<number | null> {
  const on = await db
    .selectFrom('household_member')
    .select('household_id')
    .where('person_id', '=', personId)
    .where('valid_from', '<=', date)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
    .orderBy('valid_from', 'desc')
    .executeTakeFirst();
  if (on) return on.household_id;
  const current = await db
    .selectFrom('household_member')
    .select('household_id')
    .where('person_id', '=', personId)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  return current?.household_id ?? null;
}

/** Programs covering a person in a month: their own enrolment (特困, 单人保) or their household's (低保). */
export async function programsCoveringPerson(
  db: Db,
  personId: number,
  householdId: number,
  month: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('enrolment')
    .select('program_code')
    .where('status', '<>', 'suspended')
    .where('start_month', '<=', month)
    .where((eb) => eb.or([eb('end_month', 'is', null), eb('end_month', '>=', month)]))
    .where((eb) =>
      eb.or([
        eb('person_id', '=', personId),
        eb.and([eb('person_id', 'is', null), eb('household_id', '=', householdId)]),
      ]),
    )
    .execute();
  return rows.map((r) => r.program_code);
}

/** What each payer paid a person in a year, from the claims already recorded (for the annual caps, DOMAIN §7.2). */
export async function claimTotalsOfYear(db: Db, personId: number, year: string) {
  const row = await db
    .selectFrom('medical_claim')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('basic_insurance_fen'), eb.lit(0)).as('basic_insurance'),
      eb.fn.coalesce(eb.fn.sum<number>('critical_illness_fen'), eb.lit(0)).as('critical_illness'),
      eb.fn.coalesce(eb.fn.sum<number>('assistance_fen'), eb.lit(0)).as('assistance'),
      eb.fn.coalesce(eb.fn.sum<number>('tilted_fen'), eb.lit(0)).as('tilted_assistance'),
      eb.fn.countAll<number>().as('claims'),
    ])
    .where('person_id', '=', personId)
    .where('discharged_on', '>=', `${year}-01-01`)
    .where('discharged_on', '<=', `${year}-12-31`)
    .executeTakeFirstOrThrow();
  return {
    basic_insurance: Number(row.basic_insurance),
    critical_illness: Number(row.critical_illness),
    assistance: Number(row.assistance),
    tilted_assistance: Number(row.tilted_assistance),
    claims: Number(row.claims),
  };
}

/**
 * 临时救助 a household has had in a year (by the month of the event): what the ledger holds (net of bank
 * returns and recoveries) plus payments created but not yet approved, and how many grants.
 */
export async function temporaryAidOfYear(db: Db, householdId: number, year: string) {
  const [from, to] = yearRange(year);
  const ledger = await db
    .selectFrom('payment_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen'))
    .where('household_id', '=', householdId)
    .where('component', '=', 'temporary_aid')
    .where('benefit_month', '>=', from)
    .where('benefit_month', '<=', to)
    .executeTakeFirstOrThrow();
  const payments = await db
    .selectFrom('one_off_payment')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('pending_fen'),
    ])
    .where('household_id', '=', householdId)
    .where('kind', '=', 'temporary_aid')
    .where('status', '=', 'pending')
    .where('benefit_month', '>=', from)
    .where('benefit_month', '<=', to)
    .executeTakeFirstOrThrow();
  const times = await db
    .selectFrom('one_off_payment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household_id', '=', householdId)
    .where('kind', '=', 'temporary_aid')
    // A payment the bank returned (and one then stopped) is not a grant the household had.
    .where('status', 'not in', ['failed', 'held'])
    .where('benefit_month', '>=', from)
    .where('benefit_month', '<=', to)
    .executeTakeFirstOrThrow();
  return {
    paidFen: Number(ledger.fen) + Number(payments.pending_fen),
    times: Number(times.n),
  };
}

export interface HolidayRecipient {
  enrolmentId: number;
  programCode: string;
  householdId: number;
  townCode: string;
  personId: number;
}

/**
 * Persons enrolled in the programs on a date: the covered person of a person-level enrolment (特困, 单人保),
 * every member of the household of a household enrolment (低保) on that date; alive on that date.
 */
export async function holidayRecipients(
  db: Db,
  countyCode: string,
  programCodes: readonly string[],
  date: string,
): Promise<HolidayRecipient[]> {
  const month = date.slice(0, 7);
  const base = db
    .selectFrom('enrolment as e')
    .where('e.county_code', '=', countyCode)
    .where('e.program_code', 'in', [...programCodes])
    .where('e.status', '<>', 'suspended')
    .where('e.start_month', '<=', month)
    .where((eb) => eb.or([eb('e.end_month', 'is', null), eb('e.end_month', '>=', month)]));
  const personal = await base
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .select([
      'e.id as enrolmentId',
      'e.program_code as programCode',
      'e.household_id as householdId',
      'e.town_code as townCode',
      'p.id as personId',
    ])
    .where((eb) => eb.or([eb('p.death_date', 'is', null), eb('p.death_date', '>', date)]))
    .execute();
  const household = await base
    .innerJoin('household_member as hm', 'hm.household_id', 'e.household_id')
    .innerJoin('person as p', 'p.id', 'hm.person_id')
    .select([
      'e.id as enrolmentId',
      'e.program_code as programCode',
      'e.household_id as householdId',
      'e.town_code as townCode',
      'p.id as personId',
    ])
    .where('e.person_id', 'is', null)
    .where('hm.valid_from', '<=', date)
    .where((eb) => eb.or([eb('hm.valid_to', 'is', null), eb('hm.valid_to', '>', date)]))
    .where((eb) => eb.or([eb('p.death_date', 'is', null), eb('p.death_date', '>', date)]))
    .execute();
  return [...personal, ...household].sort(
    (a, b) =>
      a.townCode.localeCompare(b.townCode) || a.householdId - b.householdId || a.personId - b.personId,
  );
}

export function insertClaim(trx: Trx, row: Insertable<MedicalClaimTable>) {
  return trx.insertInto('medical_claim').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertPayment(trx: Trx, row: Insertable<OneOffPaymentTable>) {
  return trx.insertInto('one_off_payment').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertPayments(trx: Trx, rows: Insertable<OneOffPaymentTable>[]) {
  for (const part of chunks(rows)) await trx.insertInto('one_off_payment').values(part).execute();
}

export function insertBatch(trx: Trx, row: Insertable<OneOffBatchTable>) {
  return trx.insertInto('one_off_batch').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function appendLedger(trx: Trx, rows: Insertable<PaymentLedgerTable>[]) {
  for (const part of chunks(rows)) await trx.insertInto('payment_ledger').values(part).execute();
}

export function findPayment(db: Db, scope: AreaScope, id: number) {
  return db
    .selectFrom('one_off_payment')
    .selectAll()
    .where('id', '=', id)
    .where('county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('town_code', '=', scope.townCode))
    .executeTakeFirst();
}

export function locatePayment(db: Db, id: number) {
  return db
    .selectFrom('one_off_payment')
    .select(['id', 'county_code', 'town_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findBatch(db: Db, countyCode: string, id: number) {
  return db
    .selectFrom('one_off_batch')
    .selectAll()
    .where('id', '=', id)
    .where('county_code', '=', countyCode)
    .executeTakeFirst();
}

/**
 * Marks pending payments approved and copies the household's bank details onto them in one statement;
 * returns the rows it approved (a payment approved meanwhile by someone else is not among them).
 */
export function approvePending(
  trx: Trx,
  where: { id: number } | { batchId: number },
  by: string,
  at: string,
  payMonth: string,
): Promise<PaymentRow[]> {
  return trx
    .updateTable('one_off_payment')
    .set((eb) => ({
      status: 'approved',
      approved_by: by,
      approved_at: at,
      pay_month: payMonth,
      bank_name: eb
        .selectFrom('household')
        .select('household.bank_name')
        .whereRef('household.id', '=', 'one_off_payment.household_id'),
      bank_account: eb
        .selectFrom('household')
        .select('household.bank_account')
        .whereRef('household.id', '=', 'one_off_payment.household_id'),
      account_holder: eb
        .selectFrom('household')
        .select('household.bank_account_holder')
        .whereRef('household.id', '=', 'one_off_payment.household_id'),
    }))
    .$if('id' in where, (q) => q.where('id', '=', (where as { id: number }).id))
    .$if('batchId' in where, (q) => q.where('batch_id', '=', (where as { batchId: number }).batchId))
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
}

export interface PaymentFilter {
  kind?: string;
  status?: string;
  month?: string;
  batchId?: number;
  townCode?: string;
}

function filtered(db: Db, scope: AreaScope, f: PaymentFilter) {
  return db
    .selectFrom('one_off_payment as o')
    .where('o.county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('o.town_code', '=', scope.townCode))
    .$if(Boolean(f.townCode), (q) => q.where('o.town_code', '=', f.townCode ?? ''))
    .$if(Boolean(f.kind), (q) => q.where('o.kind', '=', (f.kind ?? '') as PaymentRow['kind']))
    .$if(Boolean(f.status), (q) => q.where('o.status', '=', (f.status ?? '') as PaymentRow['status']))
    .$if(Boolean(f.month), (q) => q.where('o.benefit_month', '=', f.month ?? ''))
    .$if(f.batchId !== undefined, (q) => q.where('o.batch_id', '=', f.batchId ?? 0));
}

export async function paymentTotals(db: Db, scope: AreaScope, f: PaymentFilter) {
  const row = await filtered(db, scope, f)
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number>('o.amount_fen'), eb.lit(0)).as('fen'),
    ])
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), totalFen: Number(row.fen) };
}

export function listPayments(
  db: Db,
  scope: AreaScope,
  f: PaymentFilter,
  page: { offset: number; limit: number },
) {
  return filtered(db, scope, f)
    .innerJoin('household as h', 'h.id', 'o.household_id')
    .leftJoin('person as p', 'p.id', 'o.person_id')
    .leftJoin('person as head', 'head.id', 'h.head_person_id')
    .leftJoin('area as t', 't.code', 'o.town_code')
    .selectAll('o')
    .select([
      'p.name as person_name',
      'head.name as head_name',
      't.name as town_name',
      'h.bank_name as household_bank_name',
      'h.bank_account as household_bank_account',
    ])
    .orderBy('o.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

/** Lines of a batch summed per town and fund source (within the caller's area). */
export function batchSummary(db: Db, scope: AreaScope, batchId: number) {
  return filtered(db, scope, { batchId })
    .leftJoin('area as t', 't.code', 'o.town_code')
    .select((eb) => [
      'o.town_code',
      't.name as town_name',
      'o.program_code',
      'o.fund_source',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('o.amount_fen').as('fen'),
    ])
    .groupBy(['o.town_code', 't.name', 'o.program_code', 'o.fund_source'])
    .orderBy('o.town_code')
    .orderBy('o.program_code')
    .orderBy('o.fund_source')
    .execute();
}

export function listBatches(db: Db, countyCode: string) {
  return db
    .selectFrom('one_off_batch')
    .selectAll()
    .where('county_code', '=', countyCode)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

export function listClaims(
  db: Db,
  scope: AreaScope,
  f: { personId?: number; year?: number },
  page: { offset: number; limit: number },
) {
  return db
    .selectFrom('medical_claim as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .leftJoin('one_off_payment as o', 'o.claim_id', 'c.id')
    .selectAll('c')
    .select(['p.name as person_name', 'o.id as payment_id', 'o.status as payment_status'])
    .where('c.county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('c.town_code', '=', scope.townCode))
    .$if(f.personId !== undefined, (q) => q.where('c.person_id', '=', f.personId ?? 0))
    .$if(f.year !== undefined, (q) =>
      q.where('c.discharged_on', '>=', `${f.year}-01-01`).where('c.discharged_on', '<=', `${f.year}-12-31`),
    )
    .orderBy('c.discharged_on', 'desc')
    .orderBy('c.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}
