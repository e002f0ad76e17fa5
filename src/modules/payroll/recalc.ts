/**
 * Recalculation requests (补发/追回, DOMAIN §4.8): when a standard, a rule or a decision changes with
 * effect in a month already paid, the next payroll of the program recomputes the earlier months from
 * `fromMonth` and pays the difference (arrears) or recovers it (recovery).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface RecalculationRequest {
  countyCode: string;
  /** Limit to one town (a town policy version); omit for the whole county. */
  townCode?: string | null;
  programCode: string;
  /** Limit to one enrolment (a changed decision); omit for every enrolment of the program. */
  enrolmentId?: number | null;
  /** First benefit month to recompute ('YYYY-MM'). */
  fromMonth: string;
  /** Chinese reason shown on the arrears/recovery lines, e.g. '低保标准调整（乳府〔2015〕12号）'. */
  reason: string;
  now?: Date;
}

/** Records a request in the caller's transaction; the next generated payroll of the program honours it. */
export async function requestRecalculation(
  trx: Kysely<Database> | Transaction<Database>,
  req: RecalculationRequest,
): Promise<number> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(req.fromMonth)) {
    throw new Error(`重算起始月份格式应为 YYYY-MM：${req.fromMonth}`);
  }
  const row = await trx
    .insertInto('payroll_recalc')
    .values({
      county_code: req.countyCode,
      town_code: req.townCode ?? null,
      program_code: req.programCode,
      enrolment_id: req.enrolmentId ?? null,
      from_month: req.fromMonth,
      reason: req.reason,
      created_at: (req.now ?? new Date()).toISOString(),
      done_payroll_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Requests not yet honoured by a payroll, oldest first. */
export async function pendingRecalculations(
  db: Kysely<Database> | Transaction<Database>,
  countyCode: string,
  programCode: string,
) {
  return db
    .selectFrom('payroll_recalc')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('program_code', '=', programCode)
    .where('done_payroll_id', 'is', null)
    .orderBy('id')
    .execute();
}
