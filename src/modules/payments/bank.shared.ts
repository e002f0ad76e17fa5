/**
 * What the bank files of payrolls and of one-off payments share (社会化发放, DOMAIN §4.8): the bank
 * layouts setting, who may handle files with whole account numbers, the transfers of a file, and the
 * checking of a return file against what was sent. bank.service.ts (payroll lines) and
 * one-off-bank.service.ts (one-off payments) build on it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { COMPONENTS, isComponent } from '../../domain/benefit/components.ts';
import {
  type BankLayout,
  type BankTransfer,
  DEFAULT_BANK_LAYOUTS,
  type ExportedTransfer,
  parseBankLayouts,
  parseReturnRows,
} from '../../domain/payments/bank-layout.ts';
import type { TransferGroup, TransferLine } from '../../domain/payments/transfers.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { readReturnFile } from './bank.files.ts';
import * as repo from './bank.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const BANK_LAYOUTS_KEY = 'bank_layouts';

/** The configured layouts, or the shipped defaults when none are configured. */
export async function readBankLayouts(db: Db): Promise<{ layouts: BankLayout[]; configured: boolean }> {
  const row = await db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', BANK_LAYOUTS_KEY)
    .executeTakeFirst();
  if (!row) return { layouts: DEFAULT_BANK_LAYOUTS, configured: false };
  let stored: unknown = null;
  try {
    stored = JSON.parse(row.value);
  } catch {
    stored = null;
  }
  const parsed = parseBankLayouts(stored);
  // A stored value was validated when saved; a broken one falls back rather than blocking payments.
  return parsed.ok
    ? { layouts: parsed.value, configured: true }
    : { layouts: DEFAULT_BANK_LAYOUTS, configured: false };
}

/** Bank files carry whole account and ID numbers of the county: the county office makes them. */
export function requireCountyUser(actor: Actor, what: string) {
  if (actor.role !== 'system' && actor.areaCode.length !== 6) {
    throw new AppError(ErrorCode.FORBIDDEN, `银行代发由县级统一办理，乡镇用户无权${what}`);
  }
}

export const yearMonth = (m: string) => `${m.slice(0, 4)}年${m.slice(5, 7)}月`;

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(fileName: string, batchId: number, format: string): string {
  return `attachment; filename="bank-batch-${batchId}.${format}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** File names may not hold path separators or characters Windows refuses. */
export function safeFileName(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '_');
}

export function batchDto(b: repo.BankBatchRow) {
  return {
    id: b.id,
    kind: b.kind,
    payrollId: b.payroll_id,
    oneOffBatchId: b.one_off_batch_id,
    payMonth: b.pay_month,
    bankName: b.bank_name,
    format: b.format,
    fileName: b.file_name,
    lineCount: b.line_count,
    totalFen: b.total_fen,
    exportedBy: b.exported_by,
    exportedAt: b.exported_at,
    returnImportedAt: b.return_imported_at,
    returnFileName: b.return_file_name,
    paidCount: b.paid_count,
    failedCount: b.failed_count,
  };
}

export interface BankFile {
  batch: ReturnType<typeof batchDto>;
  fileName: string;
  contentType: string;
  contentDisposition: string;
  bytes: Buffer;
}

/** A line of a bank file: a payroll line, or what a file sent for a one-off payment. */
export interface FileLine extends TransferLine {
  household_id: number;
  person_id: number | null;
  town_code: string;
  village_code: string | null;
  component: string;
}

/**
 * The transfers of a file: names, the holder's ID number (the person's own when the transfer pays one
 * person, else the member named as holder, else the head), the memo.
 */
export async function transfersOf<L extends FileLine>(
  db: Db,
  groups: TransferGroup<L>[],
  file: { payMonth: string; program: string; memo: string },
): Promise<BankTransfer[]> {
  const lines = groups.flatMap((g) => g.lines);
  const names = await repo.areaNames(
    db,
    lines.flatMap((l) => [l.town_code, ...(l.village_code ? [l.village_code] : [])]),
  );
  const persons = await repo.personIdNumbers(
    db,
    lines.flatMap((l) => (l.person_id === null ? [] : [l.person_id])),
  );
  const members = await repo.currentMembers(
    db,
    lines.map((l) => l.household_id),
  );
  const idNumberOf = (g: TransferGroup<L>): string | null => {
    const personIds = [...new Set(g.lines.map((l) => l.person_id))];
    if (personIds.length === 1 && personIds[0] !== null && personIds[0] !== undefined) {
      const own = persons.get(personIds[0]);
      if (own) return own;
    }
    const household = (g.lines[0] as L).household_id;
    const inHousehold = members.filter((m) => m.household_id === household);
    return (
      inHousehold.find((m) => m.name === g.holder)?.id_number ??
      inHousehold.find((m) => m.head)?.id_number ??
      null
    );
  };
  return groups.map((g) => {
    const first = g.lines[0] as L;
    const components = [
      ...new Set(g.lines.map((l) => (isComponent(l.component) ? COMPONENTS[l.component] : l.component))),
    ];
    return {
      lineRef: g.lineRef,
      account: g.account,
      holder: g.holder,
      idNumber: idNumberOf(g),
      amountFen: g.amountFen,
      town: names.get(first.town_code) ?? first.town_code,
      village: first.village_code ? (names.get(first.village_code) ?? first.village_code) : null,
      program: file.program,
      component: components.join('、'),
      benefitMonth: file.payMonth,
      memo: file.memo,
    };
  });
}

// ── return files ──────────────────────────────────────────────────────────────────────────────

export type Outcome = 'pending' | 'paid' | 'failed' | 'mixed';

/** The outcome of a transfer from the states of its lines; 'failed' covers what followed a failure. */
export function outcomeOfStates(states: readonly string[], failedStates: readonly string[]): Outcome {
  const set = new Set(states.map((s) => (failedStates.includes(s) ? 'failed' : s)));
  if (set.size !== 1) return 'mixed';
  const [s] = [...set];
  return s === 'pending' || s === 'paid' || s === 'failed' ? s : 'mixed';
}

export interface CheckedReturn<G> {
  paid: G[];
  failed: { g: G; reason: string }[];
}

/**
 * Reads a return file against the transfers of its batch. Every row is checked (reference, account,
 * amount, and that it does not contradict an earlier return); any problem refuses the whole file with
 * its rows and columns (400), before anything is changed.
 */
export async function checkReturn<L extends TransferLine, G extends TransferGroup<L>>(
  layout: BankLayout,
  groups: readonly G[],
  outcomeOf: (g: G) => Outcome,
  bytes: Buffer,
): Promise<CheckedReturn<G>> {
  const byRef = new Map(groups.map((g) => [g.lineRef, g]));
  const exported = new Map<number, ExportedTransfer>(
    groups.map((g) => [g.lineRef, { account: g.account, amountFen: g.amountFen }]),
  );
  const rows = await readReturnFile(bytes);
  const parsed = parseReturnRows(layout, rows, exported);
  const issues = parsed.errors.map((e) => ({ row: e.row, field: e.field, reason: e.reason }));
  for (const r of parsed.ok) {
    const g = byRef.get(r.lineRef) as G;
    const was = outcomeOf(g);
    if (was === 'mixed' || (was !== 'pending' && was !== (r.success ? 'paid' : 'failed'))) {
      issues.push({
        row: r.row,
        field: layout.returnColumns.result,
        reason: `明细 ${r.lineRef} 已按此前的回盘处理为「${was === 'paid' ? '发放成功' : '发放失败'}」，与本文件的结果不一致`,
      });
    }
  }
  if (issues.length > 0) {
    issues.sort((a, b) => a.row - b.row);
    const first = issues[0] as (typeof issues)[number];
    throw new AppError(
      ErrorCode.VALIDATION,
      `回盘文件有 ${issues.length} 处问题，未导入任何数据。第 ${first.row} 行「${first.field}」：${first.reason}`,
      { issues: issues.map((i) => ({ row: i.row, field: `rows[${i.row}].${i.field}`, message: i.reason })) },
    );
  }
  const paid: G[] = [];
  const failed: { g: G; reason: string }[] = [];
  for (const r of parsed.ok) {
    const g = byRef.get(r.lineRef) as G;
    if (r.success) paid.push(g);
    else failed.push({ g, reason: r.reason ?? '银行未说明原因' });
  }
  return { paid, failed };
}

export interface ReturnImportResult {
  batchId: number;
  /** Transfers the file reports paid / failed. */
  paidCount: number;
  failedCount: number;
  /** Transfers this import changed (0 when the same return is imported again). */
  changedCount: number;
  /** Transfers of the batch the file does not mention (still waiting for the bank). */
  awaitingCount: number;
  alreadyImported: boolean;
  message: string;
  failed: { lineRef: number; holder: string; amountFen: number; reason: string }[];
}

export function returnResult<G extends TransferGroup<TransferLine>>(
  batchId: number,
  checked: CheckedReturn<G>,
  changed: number,
  awaiting: number,
): ReturnImportResult {
  const { paid, failed } = checked;
  return {
    batchId,
    paidCount: paid.length,
    failedCount: failed.length,
    changedCount: changed,
    awaitingCount: awaiting,
    alreadyImported: changed === 0,
    message:
      changed === 0
        ? '该回盘文件已导入，本次未作任何修改'
        : `回盘已导入：成功 ${paid.length} 笔，失败 ${failed.length} 笔${awaiting > 0 ? `，尚有 ${awaiting} 笔未回盘` : ''}`,
    failed: failed.map(({ g, reason }) => ({
      lineRef: g.lineRef,
      holder: g.holder,
      amountFen: g.amountFen,
      reason,
    })),
  };
}

/**
 * The end of a return import, the same for payroll and one-off batches: count the batch's transfers by
 * outcome after the changes, and — when anything changed — record the counts on the batch (closed once no
 * transfer awaits the bank) and append the audit entry. Returns how many transfers still await the bank.
 */
export async function recordReturnOutcome(
  trx: Transaction<Database>,
  actor: Actor,
  r: {
    batchId: number;
    fileName: string;
    outcomesAfter: readonly Outcome[];
    changed: number;
    postedAt: string;
    auditAfter: Record<string, unknown>;
    paidCount: number;
    failedCount: number;
  },
  now: Date,
): Promise<number> {
  const counts = { paid: 0, failed: 0, pending: 0, mixed: 0 };
  for (const o of r.outcomesAfter) counts[o]++;
  if (r.changed > 0) {
    await trx
      .updateTable('bank_batch')
      .set({
        paid_count: counts.paid,
        failed_count: counts.failed,
        return_file_name: r.fileName,
        return_imported_at: counts.pending === 0 ? r.postedAt : null,
      })
      .where('id', '=', r.batchId)
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'bank_batch.return_import',
        entityType: 'bank_batch',
        entityId: r.batchId,
        countyCode: actor.countyCode,
        townCode: null,
        after: { fileName: r.fileName, ...r.auditAfter },
        detail: `导入回盘文件「${r.fileName}」：成功 ${r.paidCount} 笔，失败 ${r.failedCount} 笔`,
      },
      now,
    );
  }
  return counts.pending;
}
