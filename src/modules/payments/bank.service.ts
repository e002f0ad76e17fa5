/**
 * 社会化发放 (DOMAIN §4.8): bank files of an approved payroll, the bank's return (回盘) and what follows
 * a failed transfer (重新发放, 暂停发放). Load → decide (domain/payments) → persist → audit, inside the
 * caller's transaction. The payment ledger is append-only: a bank failure is a negative 'bank_failure'
 * entry, a reissue a positive 'reissue' entry (delivery, not entitlement: payroll generation ignores them).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { formatYuan } from '../../domain/money/money.ts';
import { type BankLayout, bankRows, layoutFor, parseBankLayouts } from '../../domain/payments/bank-layout.ts';
import { groupTransfers, payable, type TransferGroup } from '../../domain/payments/transfers.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, notFound } from '../errors/app-error.ts';
import { encodeBankFile, MIME } from './bank.files.ts';
import * as repo from './bank.repository.ts';
import {
  BANK_LAYOUTS_KEY,
  type BankFile,
  batchDto,
  checkReturn,
  contentDisposition,
  outcomeOfStates,
  type ReturnImportResult,
  readBankLayouts,
  recordReturnOutcome,
  requireCountyUser,
  returnResult,
  transfersOf,
  yearMonth,
} from './bank.shared.ts';
import { importOneOffReturn, oneOffBatchFile } from './one-off-bank.service.ts';

export { BANK_LAYOUTS_KEY, type BankFile, contentDisposition, type ReturnImportResult, readBankLayouts };

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;
type Line = repo.LineRow;
type Group = TransferGroup<
  Line & { householdId: number; bankAccount: string | null; accountHolder: string | null; amountFen: number }
>;

export async function writeBankLayouts(trx: Trx, actor: Actor, body: unknown, now = new Date()) {
  requirePermission(actor, 'payroll.generate');
  requireCountyUser(actor, '修改银行文件格式');
  const parsed = parseBankLayouts(body);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new AppError(
      ErrorCode.VALIDATION,
      first ? `${first.path}：${first.message}` : '银行文件格式不正确',
      {
        issues: parsed.issues.map((i) => ({
          field: `layouts${i.path.startsWith('[') ? '' : '.'}${i.path}`,
          message: i.message,
        })),
      },
    );
  }
  const before = await readBankLayouts(trx);
  await trx.deleteFrom('setting').where('key', '=', BANK_LAYOUTS_KEY).execute();
  await trx
    .insertInto('setting')
    .values({ key: BANK_LAYOUTS_KEY, value: JSON.stringify(parsed.value) })
    .execute();
  await appendAudit(
    trx,
    actor,
    {
      action: 'settings.bank_layouts',
      entityType: 'setting',
      entityId: BANK_LAYOUTS_KEY,
      before: before.configured ? before.layouts : null,
      after: parsed.value,
    },
    now,
  );
  return { layouts: parsed.value, configured: true };
}

// ── helpers ───────────────────────────────────────────────────────────────────────────────────

function groupsOf(lines: Line[]): Group[] {
  return groupTransfers(
    lines.map((l) => ({
      ...l,
      householdId: l.household_id,
      bankAccount: l.bank_account,
      accountHolder: l.account_holder,
      amountFen: l.amount_fen,
    })),
  );
}

async function approvedPayroll(db: Db, actor: Actor, payrollId: number) {
  const payroll = await repo.findPayroll(db, actor.countyCode, payrollId);
  if (!payroll) throw notFound(`发放名册（编号 ${payrollId}）`);
  if (payroll.status !== 'approved') {
    throw new AppError(ErrorCode.REFUSED, '发放名册尚未审批，不能生成银行代发文件（须先审核、审批）');
  }
  return payroll;
}

function fileOf(payMonth: string, program: string) {
  return { payMonth, program, memo: `${program}${yearMonth(payMonth)}` };
}

function fileNameOf(
  batch: { id: number; bank_name: string; format: string },
  payMonth: string,
  program: string,
) {
  return `${payMonth}_${program}_${batch.bank_name}_代发批次${batch.id}.${batch.format}`;
}

// ── bank files ────────────────────────────────────────────────────────────────────────────────

/** What each bank's file would carry now: the lines of the approved payroll not yet exported. */
export async function listBankFiles(db: Db, actor: Actor, payrollId: number) {
  requirePermission(actor, 'payroll.read');
  requireCountyUser(actor, '查看银行代发文件');
  const payroll = await approvedPayroll(db, actor, payrollId);
  const { layouts } = await readBankLayouts(db);
  const lines = await repo.unexportedLines(db, actor.countyCode, payroll.id);
  const byBank = new Map<string, Line[]>();
  const unregistered: Line[] = [];
  for (const l of lines) {
    if (!l.bank_name || !l.bank_account) unregistered.push(l);
    else byBank.set(l.bank_name, [...(byBank.get(l.bank_name) ?? []), l]);
  }
  const notPayable: Line[] = [...unregistered];
  const items = [...byBank.entries()]
    .map(([bankName, ls]) => {
      const groups = groupsOf(ls);
      const ok = groups.filter(payable);
      notPayable.push(...groups.filter((g) => !payable(g)).flatMap((g) => g.lines));
      return {
        bankName,
        format: layoutFor(layouts, bankName).format,
        lineCount: ok.length,
        payrollLineCount: ok.reduce((n, g) => n + g.lines.length, 0),
        householdCount: new Set(ok.map((g) => (g.lines[0] as Line).household_id)).size,
        totalFen: ok.reduce((s, g) => s + g.amountFen, 0),
      };
    })
    .filter((i) => i.lineCount > 0)
    .sort((a, b) => b.lineCount - a.lineCount || a.bankName.localeCompare(b.bankName, 'zh'));
  return {
    payrollId: payroll.id,
    payMonth: payroll.pay_month,
    programCode: payroll.program_code,
    items,
    /** Lines no file can carry: no bank or account on record, or nothing left to pay after a recovery. */
    notExportable: {
      lineCount: notPayable.length,
      householdCount: new Set(notPayable.map((l) => l.household_id)).size,
      noAccountLineCount: unregistered.length,
    },
  };
}

/**
 * Exports the bank's file: a new batch of every line of the approved payroll for that bank not yet in a
 * file. The file holds whole account and ID numbers (the bank needs them), so the export is audited as a
 * read of personal data.
 */
export async function exportBankFile(
  trx: Trx,
  actor: Actor,
  input: { payrollId: number; bankName: string; format?: 'csv' | 'xlsx' },
  now = new Date(),
): Promise<BankFile> {
  requirePermission(actor, 'payroll.generate');
  requireCountyUser(actor, '导出银行代发文件');
  const payroll = await approvedPayroll(trx, actor, input.payrollId);
  const { layouts } = await readBankLayouts(trx);
  const layout = layoutFor(layouts, input.bankName);
  const format = input.format ?? layout.format;
  const lines = (await repo.unexportedLines(trx, actor.countyCode, payroll.id)).filter(
    (l) => l.bank_name === input.bankName && l.bank_account,
  );
  const groups = groupsOf(lines).filter(payable);
  if (groups.length === 0) {
    const done = await repo.listBatches(trx, actor.countyCode, payroll.id);
    const earlier = done.filter((b) => b.bank_name === input.bankName).map((b) => b.id);
    throw new AppError(
      ErrorCode.REFUSED,
      earlier.length > 0
        ? `「${input.bankName}」的代发明细已全部导出（批次 ${earlier.join('、')}），如需再次下载请到该批次下载`
        : `发放名册中没有开户行为「${input.bankName}」的待发放明细`,
    );
  }
  const program = await repo.programName(trx, payroll.program_code);
  const totalFen = groups.reduce((s, g) => s + g.amountFen, 0);
  const batch = await repo.insertBatch(trx, {
    county_code: actor.countyCode,
    payroll_id: payroll.id,
    one_off_batch_id: null,
    bank_name: input.bankName,
    format,
    layout_json: JSON.stringify(layout),
    file_name: '',
    line_count: groups.length,
    total_fen: totalFen,
    exported_by: actor.username,
    exported_at: now.toISOString(),
    return_imported_at: null,
    return_file_name: null,
  });
  const fileName = fileNameOf(batch, payroll.pay_month, program);
  await trx.updateTable('bank_batch').set({ file_name: fileName }).where('id', '=', batch.id).execute();
  const lineIds = groups.flatMap((g) => g.lines.map((l) => l.id));
  if ((await repo.assignLines(trx, batch.id, lineIds)) !== lineIds.length) {
    throw new AppError(ErrorCode.CONFLICT, '其他人刚刚导出了同一银行的代发文件，请刷新后查看已导出的批次');
  }
  const bytes = await encodeBankFile(
    layout,
    format,
    bankRows(layout, await transfersOf(trx, groups, fileOf(payroll.pay_month, program))),
  );
  await appendAudit(
    trx,
    actor,
    {
      action: 'bank_batch.export',
      entityType: 'bank_batch',
      entityId: batch.id,
      countyCode: actor.countyCode,
      townCode: null,
      after: {
        payrollId: payroll.id,
        bankName: input.bankName,
        format,
        transfers: groups.length,
        lines: lineIds.length,
        totalFen,
      },
      detail: `导出银行代发文件（含完整银行账号和身份证号码）：${input.bankName}，${groups.length} 笔，合计 ${formatYuan(totalFen)} 元`,
    },
    now,
  );
  return {
    batch: batchDto({ ...batch, file_name: fileName }),
    fileName,
    contentType: MIME[format],
    contentDisposition: contentDisposition(fileName, batch.id, format),
    bytes,
  };
}

/** The file of an earlier batch again (same lines, same layout); audited like the export. */
export async function bankBatchFile(
  trx: Trx,
  actor: Actor,
  batchId: number,
  now = new Date(),
): Promise<BankFile> {
  requirePermission(actor, 'payroll.generate');
  requireCountyUser(actor, '下载银行代发文件');
  const batch = await repo.findBatch(trx, actor.countyCode, batchId);
  if (batch?.kind === 'one_off') return oneOffBatchFile(trx, actor, batch, now);
  if (!batch || batch.payroll_id === null) throw notFound(`代发批次（编号 ${batchId}）`);
  const payroll = await approvedPayroll(trx, actor, batch.payroll_id);
  const layout = JSON.parse(batch.layout_json) as BankLayout;
  const groups = groupsOf(await repo.linesOfBatch(trx, actor.countyCode, batch.id));
  const program = await repo.programName(trx, payroll.program_code);
  const format = batch.format;
  const bytes = await encodeBankFile(
    layout,
    format,
    bankRows(layout, await transfersOf(trx, groups, fileOf(payroll.pay_month, program))),
  );
  await appendAudit(
    trx,
    actor,
    {
      action: 'bank_batch.download',
      entityType: 'bank_batch',
      entityId: batch.id,
      countyCode: actor.countyCode,
      townCode: null,
      detail: `再次下载银行代发文件（含完整银行账号和身份证号码）：${batch.bank_name}，批次 ${batch.id}`,
    },
    now,
  );
  return {
    batch: batchDto(batch),
    fileName: batch.file_name,
    contentType: MIME[format],
    contentDisposition: contentDisposition(batch.file_name, batch.id, format),
    bytes,
  };
}

export async function listBankBatches(
  db: Db,
  actor: Actor,
  payrollId: number | null,
  oneOff: { oneOffBatchId?: number; payMonth?: string } = {},
) {
  requirePermission(actor, 'payroll.read');
  requireCountyUser(actor, '查看银行代发批次');
  const rows = await repo.listBatches(db, actor.countyCode, payrollId, oneOff);
  return { items: rows.map(batchDto) };
}

// ── return files ──────────────────────────────────────────────────────────────────────────────

const FAILED_STATES: readonly string[] = ['failed', 'held', 'reissued'];

function outcomeOf(g: Group) {
  return outcomeOfStates(
    g.lines.map((l) => l.status),
    FAILED_STATES,
  );
}

/**
 * Imports the bank's return file of a batch. Every row is checked against the file that was sent
 * (reference, account, amount); any problem refuses the whole file with its rows and columns, and
 * nothing changes. Otherwise, in the caller's transaction: paid transfers → lines 'paid'; failed ones →
 * lines 'failed' and a negative 'bank_failure' ledger entry each with the bank's reason. A return
 * imported again changes nothing. A batch of one-off payments is handled by one-off-bank.service.ts.
 */
export async function importBankReturn(
  trx: Trx,
  actor: Actor,
  batchId: number,
  file: { fileName: string; bytes: Buffer },
  now = new Date(),
): Promise<ReturnImportResult> {
  requirePermission(actor, 'payroll.generate');
  requireCountyUser(actor, '导入银行回盘文件');
  const batch = await repo.findBatch(trx, actor.countyCode, batchId);
  if (batch?.kind === 'one_off') return importOneOffReturn(trx, actor, batch, file, now);
  if (!batch || batch.payroll_id === null) throw notFound(`代发批次（编号 ${batchId}）`);
  const payroll = await repo.findPayroll(trx, actor.countyCode, batch.payroll_id);
  if (!payroll) throw notFound(`发放名册（编号 ${batch.payroll_id}）`);
  const layout = JSON.parse(batch.layout_json) as BankLayout;
  const groups = groupsOf(await repo.linesOfBatch(trx, actor.countyCode, batch.id));
  const checked = await checkReturn(layout, groups, outcomeOf, file.bytes);
  const { paid, failed } = checked;
  const changed = [...paid, ...failed.map((f) => f.g)].filter((g) => outcomeOf(g) === 'pending').length;
  const newlyPaid = paid.filter((g) => outcomeOf(g) === 'pending');
  const newlyFailed = failed.filter(({ g }) => outcomeOf(g) === 'pending');
  await repo.setLineStatus(
    trx,
    newlyPaid.flatMap((g) => g.lines.map((l) => l.id)),
    'pending',
    'paid',
  );
  // Each failed transfer's lines keep the bank's reason (payroll_line.failure_reason, for the lines API).
  for (const { g, reason } of newlyFailed) {
    await repo.setLineStatus(
      trx,
      g.lines.map((l) => l.id),
      'pending',
      'failed',
      reason,
    );
  }
  const postedAt = now.toISOString();
  const ledger = newlyFailed.flatMap(({ g, reason }) =>
    g.lines.map((l) => ({
      county_code: l.county_code,
      town_code: l.town_code,
      program_code: l.program_code,
      household_id: l.household_id,
      person_id: l.person_id,
      enrolment_id: l.enrolment_id,
      benefit_month: l.benefit_month,
      pay_month: payroll.pay_month,
      component: l.component,
      fund_source: l.fund_source,
      amount_fen: -l.amount_fen,
      entry_kind: 'bank_failure' as const,
      payroll_id: payroll.id,
      payroll_line_id: l.id,
      one_off_id: null,
      reason,
      posted_by: actor.username,
      posted_at: postedAt,
    })),
  );
  for (const part of repo.chunks(ledger, 500)) await trx.insertInto('payment_ledger').values(part).execute();

  const pending = await recordReturnOutcome(
    trx,
    actor,
    {
      batchId: batch.id,
      fileName: file.fileName,
      outcomesAfter: groupsOf(await repo.linesOfBatch(trx, actor.countyCode, batch.id)).map(outcomeOf),
      changed,
      postedAt,
      auditAfter: {
        paid: newlyPaid.map((g) => g.lineRef),
        failed: newlyFailed.map(({ g, reason }) => ({ lineRef: g.lineRef, reason })),
      },
      paidCount: newlyPaid.length,
      failedCount: newlyFailed.length,
    },
    now,
  );
  return returnResult(batch.id, checked, changed, pending);
}

// ── after a failure ───────────────────────────────────────────────────────────────────────────

async function lineForAction(trx: Trx, actor: Actor, lineId: number, what: string) {
  requirePermission(actor, 'payroll.generate');
  requireCountyUser(actor, what);
  const line = await repo.findLine(trx, actor.countyCode, lineId);
  if (!line) throw notFound(`发放明细（编号 ${lineId}）`);
  return line;
}

const STATUS_LABELS: Record<string, string> = {
  pending: '待发放',
  paid: '已发放',
  failed: '发放失败',
  held: '暂停发放',
  reissued: '已重新发放',
};

/**
 * 重新发放 after the household's account has been corrected: the failed (or held) line becomes
 * 'reissued', a 'reissue' line with the household's current bank details joins the same payroll (the
 * next bank file of that payroll carries it), and a positive 'reissue' ledger entry records it.
 */
export async function reissueLine(trx: Trx, actor: Actor, lineId: number, reason: string, now = new Date()) {
  const line = await lineForAction(trx, actor, lineId, '重新发放');
  if (line.status !== 'failed' && line.status !== 'held') {
    throw new AppError(
      ErrorCode.REFUSED,
      `只有发放失败或暂停发放的明细才能重新发放（该明细为「${STATUS_LABELS[line.status] ?? line.status}」）`,
    );
  }
  const household = await trx
    .selectFrom('household')
    .select(['bank_name', 'bank_account', 'bank_account_holder'])
    .where('id', '=', line.household_id)
    .executeTakeFirstOrThrow();
  if (!household.bank_name || !household.bank_account || !household.bank_account_holder) {
    throw new AppError(
      ErrorCode.REFUSED,
      '该户尚未登记完整的开户银行、账号和户名，请先在救助对象中更正银行账户',
    );
  }
  const payroll = (await repo.findPayroll(trx, actor.countyCode, line.payroll_id)) as NonNullable<
    Awaited<ReturnType<typeof repo.findPayroll>>
  >;
  const failure = await repo.lastFailureReason(trx, line.id);
  const text = `重新发放（原明细 ${line.id}${failure ? `，银行退回：${failure}` : ''}）：${reason}`;
  const bank = {
    bank_name: household.bank_name,
    bank_account: household.bank_account,
    account_holder: household.bank_account_holder,
  };
  let newLineId: number;
  if (line.line_kind === 'reissue') {
    // A reissue that failed again is sent again in place: the line's key (payroll, enrolment, month,
    // component, kind) admits one reissue line; the ledger and the audit log keep each attempt.
    await trx
      .updateTable('payroll_line')
      .set({ ...bank, status: 'pending', bank_batch_id: null, reason: text })
      .where('id', '=', line.id)
      .execute();
    newLineId = line.id;
  } else {
    const clash = await trx
      .selectFrom('payroll_line')
      .select('id')
      .where('payroll_id', '=', line.payroll_id)
      .where('enrolment_id', '=', line.enrolment_id)
      .where('benefit_month', '=', line.benefit_month)
      .where('component', '=', line.component)
      .where('line_kind', '=', 'reissue')
      .executeTakeFirst();
    if (clash) {
      throw new AppError(ErrorCode.CONFLICT, `该笔款项已有重新发放明细（编号 ${clash.id}），请处理该明细`);
    }
    await trx.updateTable('payroll_line').set({ status: 'reissued' }).where('id', '=', line.id).execute();
    const { id: _id, ...copy } = line;
    const inserted = await trx
      .insertInto('payroll_line')
      .values({
        ...copy,
        ...bank,
        line_kind: 'reissue',
        status: 'pending',
        bank_batch_id: null,
        failure_reason: null,
        reason: text,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    newLineId = inserted.id;
  }
  await trx
    .insertInto('payment_ledger')
    .values({
      county_code: line.county_code,
      town_code: line.town_code,
      program_code: line.program_code,
      household_id: line.household_id,
      person_id: line.person_id,
      enrolment_id: line.enrolment_id,
      benefit_month: line.benefit_month,
      pay_month: payroll.pay_month,
      component: line.component,
      fund_source: line.fund_source,
      amount_fen: line.amount_fen,
      entry_kind: 'reissue',
      payroll_id: line.payroll_id,
      payroll_line_id: newLineId,
      one_off_id: null,
      reason: text,
      posted_by: actor.username,
      posted_at: now.toISOString(),
    })
    .execute();
  await appendAudit(
    trx,
    actor,
    {
      action: 'payroll_line.reissue',
      entityType: 'payroll_line',
      entityId: line.id,
      countyCode: line.county_code,
      townCode: line.town_code,
      before: { status: line.status, bankName: line.bank_name, bankAccount: line.bank_account },
      after: { reissueLineId: newLineId, bankName: bank.bank_name, bankAccount: bank.bank_account },
      detail: text,
    },
    now,
  );
  return {
    lineId: line.id,
    status: line.line_kind === 'reissue' ? 'pending' : 'reissued',
    reissueLineId: newLineId,
  };
}

/** 暂停发放 of a failed line (account to be checked, recipient to be verified), with the reason. */
export async function holdLine(trx: Trx, actor: Actor, lineId: number, reason: string, now = new Date()) {
  const line = await lineForAction(trx, actor, lineId, '暂停发放');
  if (line.status !== 'failed') {
    throw new AppError(
      ErrorCode.REFUSED,
      `只有发放失败的明细才能暂停发放（该明细为「${STATUS_LABELS[line.status] ?? line.status}」）`,
    );
  }
  const text = `暂停发放：${reason}`;
  await trx
    .updateTable('payroll_line')
    .set({ status: 'held', reason: line.reason ? `${line.reason}；${text}` : text })
    .where('id', '=', line.id)
    .where('status', '=', 'failed')
    .execute();
  await appendAudit(
    trx,
    actor,
    {
      action: 'payroll_line.hold',
      entityType: 'payroll_line',
      entityId: line.id,
      countyCode: line.county_code,
      townCode: line.town_code,
      before: { status: line.status },
      after: { status: 'held' },
      detail: text,
    },
    now,
  );
  return { lineId: line.id, status: 'held' as const };
}
