/**
 * Generating a monthly payroll (DOMAIN §4.8): every enrolment of the program active in the pay month, in
 * ascending id chunks; each chunk's lines and the payroll's cursor and counts commit in ONE transaction, so a
 * process killed at any moment leaves whole chunks and a cursor that says where to resume. The unique key of
 * payroll_line (payroll, enrolment, benefit month, component, kind) is the last guard against paying twice.
 * Then the arrears pass recomputes the months named by recalculation requests (补发/追回).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import { isPostgres, statementRunner, withoutParallelPlans } from '../../db/dialect.ts';
import type { Database, PayrollLineTable, PayrollTable } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { addMonthsToMonth } from '../../domain/workflow/months.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import {
  type ComputedLine,
  decisionInForce,
  PayCalculator,
  type PayDecision,
  type PayrollProgram,
  type PayrollWarning,
  payDecisionOf,
} from './calculator.ts';
import { pendingRecalculations } from './recalc.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
/** A line as computed; the area and bank details are copied from the enrolment and household by the INSERT. */
interface NewLine {
  enrolment_id: number;
  person_id: number | null;
  benefit_month: string;
  component: string;
  line_kind: PayrollLineTable['line_kind'];
  amount_fen: number;
  fund_source: string;
  policy_id: number | null;
  decision_id: number | null;
  reason: string | null;
}

/** Enrolments per chunk (one transaction each). */
export const DEFAULT_CHUNK_SIZE = 5000;
/** Rows per INSERT: 10 parameters a row, well under SQLite's 32,766 and PostgreSQL's 65,535 per statement. */
const INSERT_ROWS = 1000;
const LINE_PARAMS = 10;

export const LINE_CONFLICT_KEY = [
  'payroll_id',
  'enrolment_id',
  'benefit_month',
  'component',
  'line_kind',
] as const;

/** Warning counts per code, per town: { undecided: { '440232100': 3 } }. */
export type PayrollWarnings = Partial<Record<PayrollWarning, Record<string, number>>>;

export interface GenerationOptions {
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called after each committed chunk (tests simulate a crash here). */
  onChunk?: (info: { chunk: number; cursor: number; lines: number }) => void | Promise<void>;
  now?: () => Date;
}

export interface GenerationResult {
  payrollId: number;
  status: PayrollTable['status'];
  expectedCount: number;
  doneCount: number;
  lineCount: number;
  totalFen: number;
  arrearsLines: number;
  warnings: PayrollWarnings;
}

const running = new Set<number>();
const failures = new Map<number, string>();

/** Whether a generation of this payroll is running in this process. */
export function isGenerating(payrollId: number): boolean {
  return running.has(payrollId);
}

/** Why the last generation of this payroll in this process stopped, if it failed (shown with its progress). */
export function generationFailure(payrollId: number): string | null {
  return failures.get(payrollId) ?? null;
}

interface EnrolmentRow {
  id: number;
  household_id: number;
  person_id: number | null;
  town_code: string;
  start_month: string;
  end_month: string | null;
}

/** Enrolments of a program in the county; with `activeMonth`, only those paid that month (started, not ended, not suspended). */
function enrolmentBase(db: Db | Trx, countyCode: string, programCode: string, activeMonth?: string) {
  let q = db
    .selectFrom('enrolment as e')
    .innerJoin('household as h', 'h.id', 'e.household_id')
    .where('e.county_code', '=', countyCode)
    .where('e.program_code', '=', programCode);
  if (activeMonth !== undefined) {
    q = q
      .where('e.start_month', '<=', activeMonth)
      .where((eb) => eb.or([eb('e.end_month', 'is', null), eb('e.end_month', '>=', activeMonth)]))
      .where('e.status', '<>', 'suspended');
  }
  return q;
}

function enrolmentQuery(db: Db | Trx, countyCode: string, programCode: string, activeMonth?: string) {
  return enrolmentBase(db, countyCode, programCode, activeMonth).select([
    'e.id',
    'e.household_id',
    'e.person_id',
    'h.town_code',
    'e.start_month',
    'e.end_month',
  ]);
}

async function decisionsOf(
  db: Db | Trx,
  countyCode: string,
  firstId: number,
  lastId: number,
  throughMonth: string,
): Promise<Map<number, PayDecision[]>> {
  const rows = await db
    .selectFrom('benefit_decision')
    .select([
      'id',
      'enrolment_id',
      'program_code',
      'effective_month',
      'per_capita_income_fen',
      'members_json',
      'band_code',
    ])
    .where('county_code', '=', countyCode)
    .where('enrolment_id', '>=', firstId)
    .where('enrolment_id', '<=', lastId)
    .where('effective_month', '<=', throughMonth)
    .orderBy('enrolment_id')
    .orderBy('effective_month')
    .orderBy('id')
    .execute();
  const out = new Map<number, PayDecision[]>();
  for (const r of rows) {
    const list = out.get(r.enrolment_id) ?? [];
    // Two decisions effective the same month: the later one (higher id) wins.
    const last = list[list.length - 1];
    if (last && last.effectiveMonth === r.effective_month) list.pop();
    list.push(payDecisionOf(r));
    out.set(r.enrolment_id, list);
  }
  return out;
}

function lineOf(
  e: EnrolmentRow,
  month: string,
  l: ComputedLine,
  kind: NewLine['line_kind'],
  amountFen: number,
  reason: string | null,
): NewLine {
  return {
    enrolment_id: e.id,
    person_id: l.personId ?? e.person_id,
    benefit_month: month,
    component: l.component,
    line_kind: kind,
    amount_fen: amountFen,
    fund_source: l.fundSource,
    policy_id: l.policyId,
    decision_id: l.decisionId,
    reason,
  };
}

/** The SQL text of a full INSERT_ROWS insert (every insert of a chunk but its last). */
let fullInsertSql: string | undefined;

/**
 * SQLite: INSERT … SELECT from a VALUES list of the computed figures joined to enrolment and household, which
 * supply the area, the program and the bank details (copied onto the line as they are at generation). The SQL
 * text is written here, not built node by node, because a million lines are a thousand such statements;
 * parameters are still bound, and the statement is prepared once per shape (`statementRunner`). `where true`
 * lets SQLite parse the upsert after a join.
 */
function insertSqlSqlite(rows: number): string {
  if (rows === INSERT_ROWS && fullInsertSql !== undefined) return fullInsertSql;
  const payroll = '?';
  const row = `(${Array.from({ length: LINE_PARAMS }, () => '?').join(',')})`;
  const values = Array.from({ length: rows }, () => row);
  const text = `insert into payroll_line (payroll_id, county_code, town_code, village_code, program_code, enrolment_id,
      household_id, person_id, benefit_month, component, line_kind, amount_fen, fund_source, policy_id, decision_id,
      reason, bank_name, bank_account, account_holder, status)
    select cast(${payroll} as bigint), e.county_code, h.town_code, h.village_code, e.program_code, e.id,
      e.household_id, cast(v.column2 as bigint), cast(v.column3 as text), cast(v.column4 as text),
      cast(v.column5 as text), cast(v.column6 as bigint), cast(v.column7 as text), cast(v.column8 as bigint),
      cast(v.column9 as bigint), cast(v.column10 as text), h.bank_name, h.bank_account, h.bank_account_holder, 'pending'
    from (values ${values.join(',')}) as v
    join enrolment e on e.id = cast(v.column1 as bigint)
    join household h on h.id = e.household_id
    where true
    on conflict (${LINE_CONFLICT_KEY.join(', ')}) do nothing
    returning amount_fen`;
  if (rows === INSERT_ROWS) fullInsertSql = text;
  return text;
}

/** PostgreSQL: the same INSERT … SELECT over unnest() of one array per column: 11 parameters for any number of rows. */
const PG_INSERT_SQL = `insert into payroll_line (payroll_id, county_code, town_code, village_code, program_code, enrolment_id,
      household_id, person_id, benefit_month, component, line_kind, amount_fen, fund_source, policy_id, decision_id,
      reason, bank_name, bank_account, account_holder, status)
    select $1::bigint, e.county_code, h.town_code, h.village_code, e.program_code, e.id, e.household_id, v.person_id,
      v.benefit_month, v.component, v.line_kind, v.amount_fen, v.fund_source, v.policy_id, v.decision_id, v.reason,
      h.bank_name, h.bank_account, h.bank_account_holder, 'pending'
    from unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bigint[],
      $10::bigint[], $11::text[])
      as v(enrolment_id, person_id, benefit_month, component, line_kind, amount_fen, fund_source, policy_id, decision_id, reason)
    join enrolment e on e.id = v.enrolment_id
    join household h on h.id = e.household_id
    on conflict (${LINE_CONFLICT_KEY.join(', ')}) do nothing
    returning amount_fen`;

async function insertLinesPg(
  trx: Trx,
  payrollId: number,
  lines: NewLine[],
): Promise<{ count: number; totalFen: number }> {
  const columns: unknown[][] = Array.from({ length: LINE_PARAMS }, () => new Array(lines.length));
  lines.forEach((l, i) => {
    (columns[0] as unknown[])[i] = l.enrolment_id;
    (columns[1] as unknown[])[i] = l.person_id;
    (columns[2] as unknown[])[i] = l.benefit_month;
    (columns[3] as unknown[])[i] = l.component;
    (columns[4] as unknown[])[i] = l.line_kind;
    (columns[5] as unknown[])[i] = l.amount_fen;
    (columns[6] as unknown[])[i] = l.fund_source;
    (columns[7] as unknown[])[i] = l.policy_id;
    (columns[8] as unknown[])[i] = l.decision_id;
    (columns[9] as unknown[])[i] = l.reason;
  });
  const rows = await statementRunner(trx)<{ amount_fen: number }>(PG_INSERT_SQL, [payrollId, ...columns]);
  let totalFen = 0;
  for (const r of rows) totalFen += Number(r.amount_fen);
  return { count: rows.length, totalFen };
}

/** Inserts lines, skipping any already there; returns what was actually inserted. */
async function insertLines(
  trx: Trx,
  payrollId: number,
  lines: NewLine[],
): Promise<{ count: number; totalFen: number }> {
  if (lines.length === 0) return { count: 0, totalFen: 0 };
  if (isPostgres(trx)) return insertLinesPg(trx, payrollId, lines);
  const run = statementRunner(trx);
  let count = 0;
  let totalFen = 0;
  for (let i = 0; i < lines.length; i += INSERT_ROWS) {
    const part = lines.slice(i, i + INSERT_ROWS);
    const params: unknown[] = [payrollId];
    for (const l of part) {
      params.push(
        l.enrolment_id,
        l.person_id,
        l.benefit_month,
        l.component,
        l.line_kind,
        l.amount_fen,
        l.fund_source,
        l.policy_id,
        l.decision_id,
        l.reason,
      );
    }
    const rows = await run<{ amount_fen: number }>(insertSqlSqlite(part.length), params);
    count += rows.length;
    for (const r of rows) totalFen += Number(r.amount_fen);
  }
  return { count, totalFen };
}

function addWarning(w: PayrollWarnings, code: PayrollWarning, townCode: string): void {
  const byTown = w[code] ?? {};
  byTown[townCode] = (byTown[townCode] ?? 0) + 1;
  w[code] = byTown;
}

/**
 * Runs (or resumes) the generation of a payroll whose status is 'generating'. Safe to call again after a
 * crash: it continues after the committed cursor.
 */
export async function runGeneration(
  db: Db,
  payrollId: number,
  actor: Actor,
  options: GenerationOptions = {},
): Promise<GenerationResult> {
  if (running.has(payrollId)) {
    throw new AppError(ErrorCode.CONFLICT, `发放名册（编号 ${payrollId}）正在生成中，请稍候`);
  }
  running.add(payrollId);
  failures.delete(payrollId);
  try {
    return await generate(db, payrollId, actor, options);
  } catch (err) {
    failures.set(payrollId, err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    running.delete(payrollId);
  }
}

async function generate(
  db: Db,
  payrollId: number,
  actor: Actor,
  options: GenerationOptions,
): Promise<GenerationResult> {
  const now = options.now ?? (() => new Date());
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let payroll = await db
    .selectFrom('payroll')
    .selectAll()
    .where('id', '=', payrollId)
    .executeTakeFirstOrThrow();
  const result = (arrearsLines: number): GenerationResult => ({
    payrollId,
    status: payroll.status,
    expectedCount: payroll.expected_count,
    doneCount: payroll.done_count,
    lineCount: payroll.line_count,
    totalFen: payroll.total_fen,
    arrearsLines,
    warnings: JSON.parse(payroll.warnings_json ?? '{}') as PayrollWarnings,
  });
  if (payroll.status !== 'generating') return result(0);

  const program = payroll.program_code as PayrollProgram;
  const month = payroll.pay_month;
  const calc = await PayCalculator.load(db, payroll.county_code, program);

  const countRow = await enrolmentBase(db, payroll.county_code, program, month)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const expected = Number(countRow.n);
  if (expected !== payroll.expected_count) {
    await db.updateTable('payroll').set({ expected_count: expected }).where('id', '=', payrollId).execute();
    payroll = { ...payroll, expected_count: expected };
  }
  options.onProgress?.(payroll.done_count, expected);

  const warnings = JSON.parse(payroll.warnings_json ?? '{}') as PayrollWarnings;
  let chunkNo = 0;
  for (;;) {
    const cursor = payroll.cursor_enrolment_id;
    const read = await withoutParallelPlans(db, async (q) => {
      const batch = (await enrolmentQuery(q, payroll.county_code, program, month)
        .where('e.id', '>', cursor)
        .orderBy('e.id')
        .limit(chunkSize)
        .execute()) as EnrolmentRow[];
      if (batch.length === 0) return null;
      const first = (batch[0] as EnrolmentRow).id;
      const last = (batch[batch.length - 1] as EnrolmentRow).id;
      return { batch, last, decisions: await decisionsOf(q, payroll.county_code, first, last, month) };
    });
    if (read === null) break;
    const { batch, last, decisions } = read;
    const lines: NewLine[] = [];
    const chunkWarnings: PayrollWarnings = structuredClone(warnings);
    for (const e of batch) {
      const decision = decisionInForce(decisions.get(e.id) ?? [], month);
      const outcome = calc.compute({ townCode: e.town_code, personId: e.person_id }, decision, month);
      if (!outcome.ok) {
        addWarning(chunkWarnings, outcome.warning, e.town_code);
        continue;
      }
      for (const l of outcome.lines) lines.push(lineOf(e, month, l, 'regular', l.amountFen, null));
    }
    const updated = await db.transaction().execute(async (trx) => {
      const inserted = await insertLines(trx, payrollId, lines);
      const next = {
        cursor_enrolment_id: last,
        done_count: payroll.done_count + batch.length,
        line_count: payroll.line_count + inserted.count,
        total_fen: payroll.total_fen + inserted.totalFen,
        warnings_json: JSON.stringify(chunkWarnings),
        updated_at: now().toISOString(),
      };
      // The cursor guard: a second process generating the same payroll makes one of them roll back.
      const res = await trx
        .updateTable('payroll')
        .set(next)
        .where('id', '=', payrollId)
        .where('status', '=', 'generating')
        .where('cursor_enrolment_id', '=', cursor)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) {
        throw new AppError(
          ErrorCode.CONFLICT,
          `发放名册（编号 ${payrollId}）已被重置或正由其他进程生成，本批未写入`,
        );
      }
      return next;
    });
    payroll = { ...payroll, ...updated };
    Object.assign(warnings, chunkWarnings);
    chunkNo += 1;
    options.onProgress?.(payroll.done_count, expected);
    await options.onChunk?.({ chunk: chunkNo, cursor: last, lines: lines.length });
    // On SQLite every statement is synchronous: let the HTTP server of this process answer between chunks.
    await nextTurn();
  }

  const arrears = await arrearsPass(db, payroll, calc, chunkSize, now);

  // Totals from the lines themselves (regular and arrears), then the status, in one transaction.
  await db.transaction().execute(async (trx) => {
    const totals = await trx
      .selectFrom('payroll_line')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_fen').as('total')])
      .where('payroll_id', '=', payrollId)
      .executeTakeFirstOrThrow();
    const stamp = now().toISOString();
    const res = await trx
      .updateTable('payroll')
      .set((eb) => ({
        status: 'generated',
        line_count: Number(totals.n),
        total_fen: Number(totals.total ?? 0),
        generated_by: actor.username,
        generated_at: stamp,
        updated_at: stamp,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', payrollId)
      .where('status', '=', 'generating')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw new AppError(ErrorCode.CONFLICT, `发放名册（编号 ${payrollId}）已被重置，本次生成作废`);
    }
    if (arrears.requestIds.length > 0) {
      await trx
        .updateTable('payroll_recalc')
        .set({ done_payroll_id: payrollId })
        .where('id', 'in', arrears.requestIds)
        .where('done_payroll_id', 'is', null)
        .execute();
    }
    payroll = await trx
      .selectFrom('payroll')
      .selectAll()
      .where('id', '=', payrollId)
      .executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      actor,
      {
        action: 'payroll.generated',
        entityType: 'payroll',
        entityId: payrollId,
        countyCode: payroll.county_code,
        townCode: null,
        after: {
          programCode: payroll.program_code,
          payMonth: payroll.pay_month,
          enrolments: payroll.done_count,
          lines: payroll.line_count,
          totalFen: payroll.total_fen,
          arrearsLines: arrears.lines,
          recalculations: arrears.requestIds,
          warnings,
        },
        detail: `生成发放名册：${payroll.program_code} ${payroll.pay_month}，${payroll.line_count} 条，合计 ${payroll.total_fen} 分`,
      },
      now(),
    );
  });
  options.onProgress?.(payroll.done_count, expected);
  return result(arrears.lines);
}

// ---------------------------------------------------------------------------------------------------------
// Arrears and recoveries (补发/追回, DOMAIN §4.8–4.9)

/** Ledger entries that make up what a month was due (bank failures and reissues are delivery, not entitlement). */
const ENTITLEMENT_KINDS = ['payment', 'arrears', 'recovery'] as const;

interface Scope {
  fromMonth: string;
  reasons: string[];
}

/**
 * For each pending recalculation request: recompute every month from its from_month to the month before the
 * pay month that an approved payroll paid, with the policy and decision in force that month, compare with the
 * ledger, and add the difference as an 'arrears' (positive) or 'recovery' (negative) line.
 */
async function arrearsPass(
  db: Db,
  payroll: { id: number; county_code: string; program_code: string; pay_month: string },
  calc: PayCalculator,
  chunkSize: number,
  now: () => Date,
): Promise<{ lines: number; requestIds: number[] }> {
  const requests = await pendingRecalculations(db, payroll.county_code, payroll.program_code);
  if (requests.length === 0) return { lines: 0, requestIds: [] };
  const requestIds = requests.map((r) => r.id);
  const lastMonth = addMonthsToMonth(payroll.pay_month, -1);
  const paid = await db
    .selectFrom('payroll')
    .select('pay_month')
    .where('county_code', '=', payroll.county_code)
    .where('program_code', '=', payroll.program_code)
    .where('status', '=', 'approved')
    .where('pay_month', '<=', lastMonth)
    .orderBy('pay_month')
    .execute();
  const paidMonths = paid.map((p) => p.pay_month);
  const relevant = requests.filter((r) => r.from_month <= lastMonth);
  if (paidMonths.length === 0 || relevant.length === 0) return { lines: 0, requestIds };

  const byEnrolment = new Map<number, Scope>();
  const wide: { townCode: string | null; fromMonth: string; reason: string }[] = [];
  for (const r of relevant) {
    if (r.enrolment_id === null) {
      wide.push({ townCode: r.town_code, fromMonth: r.from_month, reason: r.reason });
      continue;
    }
    const s = byEnrolment.get(r.enrolment_id) ?? { fromMonth: r.from_month, reasons: [] };
    if (r.from_month < s.fromMonth) s.fromMonth = r.from_month;
    if (!s.reasons.includes(r.reason)) s.reasons.push(r.reason);
    byEnrolment.set(r.enrolment_id, s);
  }
  const minFrom = relevant.map((r) => r.from_month).sort()[0] ?? lastMonth;

  const scopeOf = (e: EnrolmentRow): Scope | null => {
    let s: Scope | null = null;
    const own = byEnrolment.get(e.id);
    if (own) s = { fromMonth: own.fromMonth, reasons: [...own.reasons] };
    for (const w of wide) {
      if (w.townCode !== null && w.townCode !== e.town_code) continue;
      if (!s) s = { fromMonth: w.fromMonth, reasons: [] };
      if (w.fromMonth < s.fromMonth) s.fromMonth = w.fromMonth;
      if (!s.reasons.includes(w.reason)) s.reasons.push(w.reason);
    }
    return s;
  };

  let lines = 0;
  let cursor = 0;
  const onlyListed = wide.length === 0;
  const listed = [...byEnrolment.keys()].sort((a, b) => a - b);
  for (;;) {
    let ids: number[] | null = null;
    if (onlyListed) {
      ids = listed.filter((id) => id > cursor).slice(0, chunkSize);
      if (ids.length === 0) break;
    }
    const after = cursor;
    const read = await withoutParallelPlans(db, async (r) => {
      let q = enrolmentQuery(r, payroll.county_code, payroll.program_code)
        .where('e.start_month', '<=', lastMonth)
        .where((eb) => eb.or([eb('e.end_month', 'is', null), eb('e.end_month', '>=', minFrom)]))
        .where('e.id', '>', after)
        .orderBy('e.id')
        .limit(chunkSize);
      if (ids !== null) q = q.where('e.id', 'in', ids);
      const batch = (await q.execute()) as EnrolmentRow[];
      if (batch.length === 0) return null;
      const first = (batch[0] as EnrolmentRow).id;
      const last = (batch[batch.length - 1] as EnrolmentRow).id;
      const decisions = await decisionsOf(r, payroll.county_code, first, last, lastMonth);
      const ledger = await r
        .selectFrom('payment_ledger')
        .select((eb) => [
          'enrolment_id',
          'benefit_month',
          'component',
          eb.fn.sum<number>('amount_fen').as('paid'),
          eb.fn.max('fund_source').as('fund_source'),
        ])
        .where('county_code', '=', payroll.county_code)
        .where('program_code', '=', payroll.program_code)
        .where('enrolment_id', '>=', first)
        .where('enrolment_id', '<=', last)
        .where('benefit_month', '>=', minFrom)
        .where('benefit_month', '<=', lastMonth)
        .where('entry_kind', 'in', [...ENTITLEMENT_KINDS])
        .groupBy(['enrolment_id', 'benefit_month', 'component'])
        .execute();
      return { batch, last, decisions, ledger };
    });
    if (read === null) break;
    const { batch, last, decisions, ledger } = read;
    cursor = last;
    const paidBy = new Map<string, { paid: number; fundSource: string }>();
    for (const r of ledger) {
      paidBy.set(`${r.enrolment_id}|${r.benefit_month}|${r.component}`, {
        paid: Number(r.paid ?? 0),
        fundSource: String(r.fund_source),
      });
    }

    const out: NewLine[] = [];
    for (const e of batch) {
      const scope = scopeOf(e);
      if (!scope) continue;
      const reason = scope.reasons.join('；');
      for (const m of paidMonths) {
        if (m < scope.fromMonth || m < e.start_month || (e.end_month !== null && m > e.end_month)) continue;
        const decision = decisionInForce(decisions.get(e.id) ?? [], m);
        const outcome = calc.compute({ townCode: e.town_code, personId: e.person_id }, decision, m);
        // Without a decision or parameters for the month nothing was due by the rules: leave the month alone.
        if (!outcome.ok && outcome.warning !== 'zero_amount') continue;
        const expected = outcome.ok ? outcome.lines : [];
        const seen = new Set<string>();
        for (const l of expected) {
          seen.add(l.component);
          const got = paidBy.get(`${e.id}|${m}|${l.component}`)?.paid ?? 0;
          const diff = l.amountFen - got;
          if (diff !== 0) out.push(diffLine(e, m, l, diff, reason));
        }
        for (const component of ['dibao_base', 'dibao_addon', 'tekun_basic', 'tekun_care', 'price_subsidy']) {
          if (seen.has(component)) continue;
          const got = paidBy.get(`${e.id}|${m}|${component}`);
          if (!got || got.paid === 0) continue;
          const l: ComputedLine = {
            component,
            amountFen: 0,
            fundSource: got.fundSource,
            policyId: calc.policy(payroll.program_code, e.town_code, m)?.id ?? 0,
            decisionId: decision?.id ?? 0,
            personId: e.person_id,
          };
          out.push(diffLine(e, m, l, -got.paid, reason));
        }
      }
    }
    if (out.length > 0) {
      const inserted = await db.transaction().execute(async (trx) => {
        const r = await insertLines(trx, payroll.id, out);
        await trx
          .updateTable('payroll')
          .set({ updated_at: now().toISOString() })
          .where('id', '=', payroll.id)
          .execute();
        return r;
      });
      lines += inserted.count;
    }
    await nextTurn();
  }
  return { lines, requestIds };
}

function diffLine(e: EnrolmentRow, month: string, l: ComputedLine, diff: number, reason: string): NewLine {
  const text = diff > 0 ? `${reason}补发${month}差额` : `${reason}追回${month}多发`;
  const line = lineOf(e, month, l, diff > 0 ? 'arrears' : 'recovery', diff, text);
  return { ...line, policy_id: l.policyId || null, decision_id: l.decisionId || null };
}
