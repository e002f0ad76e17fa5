import { type Kysely, sql } from 'kysely';

/**
 * 社会化发放 (DOMAIN §4.8): the bank's reason for a failed transfer on the payroll line itself
 * (payroll_line.failure_reason), written when the return is imported, so that the lines API can list
 * failed and held lines with their reasons without reading the ledger. Existing lines get the reason of
 * their latest 'bank_failure' ledger entry (the ledger keeps every attempt). The ledger has no index on
 * payroll_line_id, so it is read once here rather than once per line.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payroll_line').addColumn('failure_reason', 'text').execute();
  const failures = await sql<{ payroll_line_id: number; reason: string | null }>`
    SELECT payroll_line_id, reason FROM payment_ledger
    WHERE entry_kind = 'bank_failure' AND payroll_line_id IS NOT NULL
    ORDER BY id
  `.execute(db);
  const latest = new Map<number, string | null>();
  for (const r of failures.rows) latest.set(Number(r.payroll_line_id), r.reason);
  for (const [lineId, reason] of latest) {
    await sql`UPDATE payroll_line SET failure_reason = ${reason} WHERE id = ${lineId}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payroll_line').dropColumn('failure_reason').execute();
}
