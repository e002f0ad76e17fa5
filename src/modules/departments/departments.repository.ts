/**
 * SQL of the department data module: source settings, snapshots and their records, the query log.
 * Every function takes the connection or the transaction first; snapshots and queries are per county.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DeptRecordTable, DeptSnapshotTable, DeptSourceConfigTable } from '../../db/schema.ts';
import type { DeptRecord, SourceCode } from '../../domain/verification/sources.ts';

export type Db = Kysely<Database> | Transaction<Database>;
export type SnapshotRow = Selectable<DeptSnapshotTable>;
export type ConfigRow = Selectable<DeptSourceConfigTable>;

/** Rows per INSERT: 12 columns × 500 stays far below both engines' parameter limits. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `body` in a transaction, or in the caller's when it already is one. */
export function inTransaction<T>(db: Db, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? body(db as Transaction<Database>) : db.transaction().execute(body);
}

export function configs(db: Db): Promise<ConfigRow[]> {
  return db.selectFrom('dept_source_config').selectAll().execute();
}

export function configOf(db: Db, source: string): Promise<ConfigRow | undefined> {
  return db.selectFrom('dept_source_config').selectAll().where('source_code', '=', source).executeTakeFirst();
}

export function inForce(db: Db, countyCode: string): Promise<SnapshotRow[]> {
  return db
    .selectFrom('dept_snapshot')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('status', '=', 'in_force')
    .execute();
}

export function inForceOf(db: Db, countyCode: string, source: string): Promise<SnapshotRow | undefined> {
  return db
    .selectFrom('dept_snapshot')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('source_code', '=', source)
    .where('status', '=', 'in_force')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export function findSnapshot(db: Db, countyCode: string, id: number): Promise<SnapshotRow | undefined> {
  return db
    .selectFrom('dept_snapshot')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function recordRow(snapshotId: number, r: DeptRecord): Omit<DeptRecordTable, 'id'> {
  return {
    snapshot_id: snapshotId,
    source_code: r.sourceCode,
    id_number: r.idNumber,
    name: r.name,
    kind: r.kind,
    status: r.status,
    amount_fen: r.amountFen,
    monthly_fen: r.monthlyFen,
    event_date: r.eventDate,
    exempt: r.exempt ? 1 : 0,
    ref: r.ref,
    data_json: Object.keys(r.data).length > 0 ? JSON.stringify(r.data) : null,
  };
}

type RecordLike = Pick<
  Selectable<DeptRecordTable>,
  | 'source_code'
  | 'id_number'
  | 'name'
  | 'kind'
  | 'status'
  | 'amount_fen'
  | 'monthly_fen'
  | 'event_date'
  | 'exempt'
  | 'ref'
  | 'data_json'
>;

export function recordOf(row: RecordLike): DeptRecord {
  return {
    sourceCode: row.source_code as SourceCode,
    idNumber: row.id_number,
    name: row.name,
    kind: row.kind,
    status: row.status,
    amountFen: row.amount_fen === null ? null : Number(row.amount_fen),
    monthlyFen: row.monthly_fen === null ? null : Number(row.monthly_fen),
    eventDate: row.event_date,
    exempt: Number(row.exempt) === 1,
    ref: row.ref,
    data: row.data_json ? (JSON.parse(row.data_json) as DeptRecord['data']) : {},
  };
}

/** The records of one snapshot for some people (ID numbers in chunks), in file order. */
export async function recordsOf(
  db: Db,
  snapshotId: number,
  idNumbers: readonly string[],
): Promise<DeptRecord[]> {
  const out: DeptRecord[] = [];
  for (const part of chunks([...new Set(idNumbers)], 900)) {
    const rows = await db
      .selectFrom('dept_record')
      .selectAll()
      .where('snapshot_id', '=', snapshotId)
      .where('id_number', 'in', part)
      .orderBy('id')
      .execute();
    out.push(...rows.map(recordOf));
  }
  return out;
}

/** The ID numbers (of those given) of current members of a household with an active enrolment in the county. */
export async function enrolledMembers(
  db: Db,
  countyCode: string,
  idNumbers: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks([...new Set(idNumbers)], 900)) {
    const rows = await db
      .selectFrom('person as p')
      .innerJoin('household_member as hm', (j) =>
        j.onRef('hm.person_id', '=', 'p.id').on('hm.valid_to', 'is', null),
      )
      .innerJoin('enrolment as e', 'e.household_id', 'hm.household_id')
      .select('p.id_number')
      .where('p.id_number', 'in', part)
      .where('e.county_code', '=', countyCode)
      .where('e.status', '=', 'active')
      .distinct()
      .execute();
    for (const r of rows) found.add(r.id_number);
  }
  return found;
}
