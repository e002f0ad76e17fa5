/**
 * 社会化发放 of one-off payments (DOMAIN §4.8 — paid through the bank to the recipient's account, like the
 * monthly benefit): the bank files of an approved holiday-subsidy batch (节日补贴), and of the single
 * approved payments (临时救助, 医疗救助) of a pay month; the bank's return; 重新发放 and 暂停发放 of a
 * failed payment. Same layouts, grouping (one transfer per household account), file builders, bank_batch
 * rows, audit entries and checks as the payroll files (bank.service.ts).
 *
 * one_off_bank_item records what a file sent for each payment; a transfer's reference (明细编号) is its
 * smallest item id. The ledger stays append-only: a failure is a negative 'bank_failure' entry, a reissue a
 * positive 'reissue' entry, both with one_off_id set.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, OneOffPaymentTable } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { chinaDate, monthOf } from '../../domain/calendar/dates.ts';
import { maskBankAccount } from '../../domain/household/masking.ts';
import { formatYuan } from '../../domain/money/money.ts';
import { type BankLayout, bankRows, layoutFor } from '../../domain/payments/bank-layout.ts';
import { groupTransfers, payable, type TransferGroup } from '../../domain/payments/transfers.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, notFound } from '../errors/app-error.ts';
import { encodeBankFile, MIME } from './bank.files.ts';
import type { BankBatchRow } from './bank.repository.ts';
import * as bankRepo from './bank.repository.ts';
import {
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
  safeFileName,
  transfersOf,
  yearMonth,
} from './bank.shared.ts';
import type { OneOffSource } from './one-off-bank.repository.ts';
import * as repo from './one-off-bank.repository.ts';

export type { OneOffSource };

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

const KIND_LABELS: Record<string, string> = {
  temporary_aid: '临时救助',
  medical_aid: '医疗救助',
  holiday_subsidy: '节日补贴',
};

const STATUS_LABELS: Record<OneOffPaymentTable['status'], string> = {
  pending: '待审批',
  approved: '已审批',
  paid: '已发放',
  failed: '发放失败',
  held: '暂停发放',
};

type Item = repo.BatchItem & {
  householdId: number;
  bankAccount: string;
  accountHolder: string;
  amountFen: number;
};
type ItemGroup = TransferGroup<Item>;

function groupsOfItems(items: repo.BatchItem[]): ItemGroup[] {
  return groupTransfers(
    items.map((i) => ({
      ...i,
      householdId: i.household_id,
      bankAccount: i.bank_account,
      accountHolder: i.account_holder,
      amountFen: i.amount_fen,
    })),
  );
}

function groupsOfPayments(payments: repo.UnexportedPayment[]) {
  return groupTransfers(
    payments.map((p) => ({
      ...p,
      householdId: p.household_id,
      bankAccount: p.bank_account,
      accountHolder: p.account_holder,
      amountFen: p.amount_fen,
    })),
  );
}

/** What the file is for: a holiday batch (its title is the memo) or the single payments of a pay month. */
interface FileMeta {
  source: OneOffSource;
  /** For the file name and the 所属月份 column. */
  month: string;
  title: string;
}

async function metaOf(db: Db, actor: Actor, source: OneOffSource, forExport: boolean): Promise<FileMeta> {
  if ('payMonth' in source) {
    return { source, month: source.payMonth, title: '临时救助医疗救助' };
  }
  const batch = await db
    .selectFrom('one_off_batch')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .where('id', '=', source.batchId)
    .executeTakeFirst();
  if (!batch) throw notFound(`发放批次（编号 ${source.batchId}）`);
  if (forExport && batch.status !== 'approved') {
    throw new AppError(ErrorCode.REFUSED, '发放批次尚未审批，不能生成银行代发文件（须先审批）');
  }
  return { source, month: monthOf(batch.reference_date), title: batch.title };
}

function sourceOfBatch(batch: BankBatchRow): OneOffSource {
  if (batch.one_off_batch_id !== null) return { batchId: batch.one_off_batch_id };
  return { payMonth: batch.pay_month ?? '' };
}

function fileNameOf(meta: FileMeta, batch: { id: number; bank_name: string; format: string }) {
  const what = 'batchId' in meta.source ? meta.title : `${meta.month}_${meta.title}`;
  return safeFileName(`${what}_${batch.bank_name}_代发批次${batch.id}.${batch.format}`);
}

/** The rows of the file: a holiday batch's transfers carry its title; single payments their kinds. */
async function fileBytes(
  db: Db,
  layout: BankLayout,
  format: 'csv' | 'xlsx',
  meta: FileMeta,
  groups: ItemGroup[],
) {
  const base = await transfersOf(db, groups, { payMonth: meta.month, program: meta.title, memo: meta.title });
  const transfers = base.map((t, n) => {
    if ('batchId' in meta.source) return { ...t, program: KIND_LABELS.holiday_subsidy as string };
    const g = groups[n] as ItemGroup;
    const program = [...new Set(g.lines.map((l) => KIND_LABELS[l.kind] ?? l.kind))].join('、');
    return { ...t, program, memo: `${program}${yearMonth(meta.month)}` };
  });
  return encodeBankFile(layout, format, bankRows(layout, transfers));
}

const describe = (source: OneOffSource) =>
  'batchId' in source ? `发放批次 ${source.batchId}` : `${source.payMonth} 单笔一次性发放`;

// ── bank files ────────────────────────────────────────────────────────────────────────────────

/** What each bank's file would carry now: the approved payments of the source not yet exported. */
export async function listOneOffBankFiles(db: Db, actor: Actor, source: OneOffSource) {
  requirePermission(actor, 'payroll.read');
  requireCountyUser(actor, '查看银行代发文件');
  await metaOf(db, actor, source, true);
  const { layouts } = await readBankLayouts(db);
  const payments = await repo.unexportedPayments(db, actor.countyCode, source);
  const byBank = new Map<string, repo.UnexportedPayment[]>();
  const unregistered: repo.UnexportedPayment[] = [];
  for (const p of payments) {
    if (!p.bank_name || !p.bank_account) unregistered.push(p);
    else byBank.set(p.bank_name, [...(byBank.get(p.bank_name) ?? []), p]);
  }
  const notPayable: repo.UnexportedPayment[] = [...unregistered];
  const items = [...byBank.entries()]
    .map(([bankName, ps]) => {
      const groups = groupsOfPayments(ps);
      const ok = groups.filter(payable);
      notPayable.push(...groups.filter((g) => !payable(g)).flatMap((g) => g.lines));
      return {
        bankName,
        format: layoutFor(layouts, bankName).format,
        lineCount: ok.length,
        paymentCount: ok.reduce((n, g) => n + g.lines.length, 0),
        householdCount: new Set(ok.map((g) => g.lines[0]?.household_id)).size,
        totalFen: ok.reduce((s, g) => s + g.amountFen, 0),
      };
    })
    .filter((i) => i.lineCount > 0)
    .sort((a, b) => b.lineCount - a.lineCount || a.bankName.localeCompare(b.bankName, 'zh'));
  return {
    oneOffBatchId: 'batchId' in source ? source.batchId : null,
    payMonth: 'payMonth' in source ? source.payMonth : null,
    items,
    /** Payments no file can carry: no bank or account copied at approval. */
    notExportable: {
      paymentCount: notPayable.length,
      householdCount: new Set(notPayable.map((p) => p.household_id)).size,
      noAccountPaymentCount: unregistered.length,
    },
  };
}

/**
 * Exports a bank's file of one-off payments: a new bank batch of every approved payment of the source for
 * that bank not yet in a file (the account copied at approval). Audited as a read of personal data.
 */
export async function exportOneOffBankFile(
  trx: Trx,
  actor: Actor,
  input: { source: OneOffSource; bankName: string; format?: 'csv' | 'xlsx' },
  now = new Date(),
): Promise<BankFile> {
  requirePermission(actor, 'payroll.generate');
  requireCountyUser(actor, '导出银行代发文件');
  const meta = await metaOf(trx, actor, input.source, true);
  const { layouts } = await readBankLayouts(trx);
  const layout = layoutFor(layouts, input.bankName);
  const format = input.format ?? layout.format;
  const payments = (await repo.unexportedPayments(trx, actor.countyCode, input.source)).filter(
    (p) => p.bank_name === input.bankName && p.bank_account,
  );
  const groups = groupsOfPayments(payments).filter(payable);
  if (groups.length === 0) {
    const earlier = await repo.earlierBatches(trx, actor.countyCode, input.source, input.bankName);
    throw new AppError(
      ErrorCode.REFUSED,
      earlier.length > 0
        ? `「${input.bankName}」的代发明细已全部导出（批次 ${earlier.join('、')}），如需再次下载请到该批次下载`
        : `${describe(input.source)}中没有开户行为「${input.bankName}」的待发放款项`,
    );
  }
  const chosen = groups.flatMap((g) => g.lines);
  const totalFen = groups.reduce((s, g) => s + g.amountFen, 0);
  const batch = await bankRepo.insertBatch(trx, {
    county_code: actor.countyCode,
    kind: 'one_off',
    payroll_id: null,
    one_off_batch_id: 'batchId' in input.source ? input.source.batchId : null,
    pay_month: 'payMonth' in input.source ? input.source.payMonth : null,
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
  const fileName = fileNameOf(meta, batch);
  await trx.updateTable('bank_batch').set({ file_name: fileName }).where('id', '=', batch.id).execute();
  const ids = chosen.map((p) => p.id);
  if ((await repo.assignPayments(trx, batch.id, ids)) !== ids.length) {
    throw new AppError(ErrorCode.CONFLICT, '其他人刚刚导出了同一银行的代发文件，请刷新后查看已导出的批次');
  }
  await repo.insertItems(
    trx,
    chosen.map((p) => ({
      county_code: p.county_code,
      bank_batch_id: batch.id,
      one_off_id: p.id,
      household_id: p.household_id,
      bank_account: p.bank_account ?? '',
      account_holder: p.account_holder ?? '',
      amount_fen: p.amount_fen,
      status: 'pending' as const,
    })),
  );
  const itemGroups = groupsOfItems(await repo.itemsOfBatch(trx, actor.countyCode, batch.id));
  const bytes = await fileBytes(trx, layout, format, meta, itemGroups);
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
        kind: 'one_off',
        ...('batchId' in input.source
          ? { oneOffBatchId: input.source.batchId }
          : { payMonth: input.source.payMonth }),
        bankName: input.bankName,
        format,
        transfers: groups.length,
        payments: ids.length,
        totalFen,
      },
      detail: `导出银行代发文件（含完整银行账号和身份证号码）：${describe(input.source)}，${input.bankName}，${groups.length} 笔，合计 ${formatYuan(totalFen)} 元`,
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

/** The file of an earlier one-off bank batch again (same items, same layout); audited. */
export async function oneOffBatchFile(
  trx: Trx,
  actor: Actor,
  batch: BankBatchRow,
  now = new Date(),
): Promise<BankFile> {
  const meta = await metaOf(trx, actor, sourceOfBatch(batch), false);
  const layout = JSON.parse(batch.layout_json) as BankLayout;
  const groups = groupsOfItems(await repo.itemsOfBatch(trx, actor.countyCode, batch.id));
  const bytes = await fileBytes(trx, layout, batch.format, meta, groups);
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
    contentType: MIME[batch.format],
    contentDisposition: contentDisposition(batch.file_name, batch.id, batch.format),
    bytes,
  };
}

// ── return files ──────────────────────────────────────────────────────────────────────────────

const outcomeOf = (g: ItemGroup) =>
  outcomeOfStates(
    g.lines.map((l) => l.status),
    ['failed', 'reissued'],
  );

/**
 * The bank's return of a one-off batch (called by importBankReturn, which has checked the permission):
 * checked whole first; then paid transfers → items and payments 'paid'; failed ones → 'failed' and a
 * negative 'bank_failure' ledger entry per payment with the bank's reason. Imported again: no change.
 */
export async function importOneOffReturn(
  trx: Trx,
  actor: Actor,
  batch: BankBatchRow,
  file: { fileName: string; bytes: Buffer },
  now = new Date(),
): Promise<ReturnImportResult> {
  const layout = JSON.parse(batch.layout_json) as BankLayout;
  const groups = groupsOfItems(await repo.itemsOfBatch(trx, actor.countyCode, batch.id));
  const checked = await checkReturn(layout, groups, outcomeOf, file.bytes);
  const newlyPaid = checked.paid.filter((g) => outcomeOf(g) === 'pending');
  const newlyFailed = checked.failed.filter(({ g }) => outcomeOf(g) === 'pending');
  const changed = newlyPaid.length + newlyFailed.length;
  const paidItems = newlyPaid.flatMap((g) => g.lines);
  const failedItems = newlyFailed.flatMap(({ g, reason }) => g.lines.map((l) => ({ ...l, reason })));
  await repo.setItemStatus(
    trx,
    paidItems.map((i) => i.id),
    'pending',
    'paid',
  );
  await repo.settlePayments(
    trx,
    batch.id,
    paidItems.map((i) => i.one_off_id),
    'paid',
  );
  await repo.setItemStatus(
    trx,
    failedItems.map((i) => i.id),
    'pending',
    'failed',
  );
  await repo.settlePayments(
    trx,
    batch.id,
    failedItems.map((i) => i.one_off_id),
    'failed',
  );
  const postedAt = now.toISOString();
  const ledger = failedItems.map((i) => ({
    county_code: i.county_code,
    town_code: i.town_code,
    program_code: i.program_code,
    household_id: i.household_id,
    person_id: i.person_id,
    enrolment_id: i.enrolment_id,
    benefit_month: i.benefit_month,
    pay_month: i.pay_month ?? batch.pay_month ?? monthOf(chinaDate(now)),
    component: i.component,
    fund_source: i.fund_source,
    amount_fen: -i.amount_fen,
    entry_kind: 'bank_failure' as const,
    payroll_id: null,
    payroll_line_id: null,
    one_off_id: i.one_off_id,
    reason: i.reason,
    posted_by: actor.username,
    posted_at: postedAt,
  }));
  for (const part of bankRepo.chunks(ledger, 200))
    await trx.insertInto('payment_ledger').values(part).execute();

  const pending = await recordReturnOutcome(
    trx,
    actor,
    {
      batchId: batch.id,
      fileName: file.fileName,
      outcomesAfter: groupsOfItems(await repo.itemsOfBatch(trx, actor.countyCode, batch.id)).map(outcomeOf),
      changed,
      postedAt,
      auditAfter: {
        kind: 'one_off',
        paid: newlyPaid.map((g) => ({ lineRef: g.lineRef, payments: g.lines.map((l) => l.one_off_id) })),
        failed: newlyFailed.map(({ g, reason }) => ({
          lineRef: g.lineRef,
          payments: g.lines.map((l) => l.one_off_id),
          reason,
        })),
      },
      paidCount: newlyPaid.length,
      failedCount: newlyFailed.length,
    },
    now,
  );
  return returnResult(batch.id, checked, changed, pending);
}

// ── after a failure ───────────────────────────────────────────────────────────────────────────

async function paymentForAction(trx: Trx, actor: Actor, id: number, what: string) {
  requirePermission(actor, 'payroll.generate');
  requireCountyUser(actor, what);
  const payment = await trx
    .selectFrom('one_off_payment')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!payment) throw notFound(`发放记录（编号 ${id}）`);
  return payment;
}

/**
 * 重新发放 after the household's account has been corrected: the failed (or held) payment goes back to be
 * exported — in the next bank file of its batch or pay month — with the household's current bank details,
 * and a positive 'reissue' ledger entry records it (the earlier file's item stays, marked 'reissued').
 */
export async function reissueOneOff(trx: Trx, actor: Actor, id: number, reason: string, now = new Date()) {
  const payment = await paymentForAction(trx, actor, id, '重新发放');
  if (payment.status !== 'failed' && payment.status !== 'held') {
    throw new AppError(
      ErrorCode.REFUSED,
      `只有发放失败或暂停发放的款项才能重新发放（该笔为「${STATUS_LABELS[payment.status] ?? payment.status}」）`,
    );
  }
  const household = await trx
    .selectFrom('household')
    .select(['bank_name', 'bank_account', 'bank_account_holder'])
    .where('id', '=', payment.household_id)
    .executeTakeFirstOrThrow();
  if (!household.bank_name || !household.bank_account || !household.bank_account_holder) {
    throw new AppError(
      ErrorCode.REFUSED,
      '该户尚未登记完整的开户银行、账号和户名，请先在救助对象中更正银行账户',
    );
  }
  const failure = await repo.lastFailureReason(trx, payment.id);
  const text = `重新发放（发放记录 ${payment.id}${failure ? `，银行退回：${failure}` : ''}）：${reason}`;
  const updated = await trx
    .updateTable('one_off_payment')
    .set({
      status: 'approved',
      bank_name: household.bank_name,
      bank_account: household.bank_account,
      account_holder: household.bank_account_holder,
      bank_batch_id: null,
    })
    .where('id', '=', payment.id)
    .where('status', '=', payment.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError(ErrorCode.CONFLICT, '该笔款项刚被他人处理，请刷新');
  }
  await trx
    .updateTable('one_off_bank_item')
    .set({ status: 'reissued' })
    .where('one_off_id', '=', payment.id)
    .where('status', '=', 'failed')
    .execute();
  await trx
    .insertInto('payment_ledger')
    .values({
      county_code: payment.county_code,
      town_code: payment.town_code,
      program_code: payment.program_code,
      household_id: payment.household_id,
      person_id: payment.person_id,
      enrolment_id: payment.enrolment_id,
      benefit_month: payment.benefit_month,
      pay_month: payment.pay_month ?? monthOf(chinaDate(now)),
      component: payment.component,
      fund_source: payment.fund_source,
      amount_fen: payment.amount_fen,
      entry_kind: 'reissue',
      payroll_id: null,
      payroll_line_id: null,
      one_off_id: payment.id,
      reason: text,
      posted_by: actor.username,
      posted_at: now.toISOString(),
    })
    .execute();
  await appendAudit(
    trx,
    actor,
    {
      action: 'one_off_payment.reissue',
      entityType: 'one_off_payment',
      entityId: payment.id,
      countyCode: payment.county_code,
      townCode: payment.town_code,
      before: {
        status: payment.status,
        bankName: payment.bank_name,
        bankAccount: maskBankAccount(payment.bank_account),
        bankBatchId: payment.bank_batch_id,
      },
      after: {
        status: 'approved',
        bankName: household.bank_name,
        bankAccount: maskBankAccount(household.bank_account),
      },
      detail: text,
    },
    now,
  );
  return {
    id: payment.id,
    status: 'approved' as const,
    bankName: household.bank_name,
    bankAccount: maskBankAccount(household.bank_account),
    ...(payment.batch_id !== null ? { batchId: payment.batch_id } : { payMonth: payment.pay_month }),
  };
}

/** 暂停发放 of a failed payment (account to be checked, recipient to be verified), with the reason. */
export async function holdOneOff(trx: Trx, actor: Actor, id: number, reason: string, now = new Date()) {
  const payment = await paymentForAction(trx, actor, id, '暂停发放');
  if (payment.status !== 'failed') {
    throw new AppError(
      ErrorCode.REFUSED,
      `只有发放失败的款项才能暂停发放（该笔为「${STATUS_LABELS[payment.status] ?? payment.status}」）`,
    );
  }
  const text = `暂停发放：${reason}`;
  await trx
    .updateTable('one_off_payment')
    .set({ status: 'held', reason: `${payment.reason}；${text}` })
    .where('id', '=', payment.id)
    .where('status', '=', 'failed')
    .execute();
  await appendAudit(
    trx,
    actor,
    {
      action: 'one_off_payment.hold',
      entityType: 'one_off_payment',
      entityId: payment.id,
      countyCode: payment.county_code,
      townCode: payment.town_code,
      before: { status: payment.status },
      after: { status: 'held' },
      detail: text,
    },
    now,
  );
  return { id: payment.id, status: 'held' as const };
}
