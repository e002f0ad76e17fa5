/**
 * 批量复核核对 (DOMAIN §3.1, 2022 通知 §5(1)): the periodic re-check of every enrolled household of some programs
 * (optionally one town), through the same verification as one household. Households are walked by id in chunks;
 * each household's request and report commit on their own, and each chunk's cursor and counts commit together,
 * so a killed run resumes after the last committed chunk, and the unique index (batch, household) keeps one
 * request per household per batch. A household that fails is recorded on its request; the batch goes on.
 * A county schedule (`setting` verification_schedule) starts one batch a month on its day.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, VerificationBatchTable } from '../../db/schema.ts';
import { type Actor, systemActor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { chinaDate, monthOf } from '../../domain/calendar/dates.ts';
import type { VerificationReportBody } from '../../domain/verification/report.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, forbiddenArea, notFound, validationError } from '../errors/app-error.ts';
import {
  executeVerification,
  insertRequestRow,
  isFlagged,
  prepareVerification,
} from './verification.service.ts';

type Db = Kysely<Database>;
type BatchRow = Selectable<VerificationBatchTable>;

/** Programs whose recipients are re-checked (DOMAIN §4.9 分类复核, §5). */
export const RECHECK_PROGRAMS = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困',
  rural_tekun: '农村特困',
} as const;
export type RecheckProgram = keyof typeof RECHECK_PROGRAMS;
const PROGRAM_CODES = Object.keys(RECHECK_PROGRAMS) as [RecheckProgram, ...RecheckProgram[]];

export const programCodesSchema = z
  .array(
    z.enum(PROGRAM_CODES, {
      error: `救助项目应为：${PROGRAM_CODES.map((c) => `${c}（${RECHECK_PROGRAMS[c]}）`).join('、')}`,
    }),
  )
  .min(1, { error: '请至少选择一个救助项目' })
  .max(PROGRAM_CODES.length);

export const DEFAULT_BATCH_CHUNK = 50;

const BATCH_STATUS = { running: '进行中', done: '已完成', failed: '已中止' } as const;
const TRIGGERS = { on_demand: '手动发起', scheduled: '按计划' } as const;

function activeEnrolledHouseholds(
  db: Db | Transaction<Database>,
  b: { county_code: string; town_code: string | null; program_codes: string },
  month: string,
) {
  const programs = JSON.parse(b.program_codes) as string[];
  return db
    .selectFrom('enrolment')
    .where('county_code', '=', b.county_code)
    .$if(b.town_code !== null, (q) => q.where('town_code', '=', b.town_code))
    .where('program_code', 'in', programs)
    .where('status', '=', 'active')
    .where('start_month', '<=', month)
    .where((eb) => eb.or([eb('end_month', 'is', null), eb('end_month', '>=', month)]));
}

function batchView(b: BatchRow) {
  const programs = JSON.parse(b.program_codes) as RecheckProgram[];
  return {
    id: b.id,
    townCode: b.town_code,
    programCodes: programs,
    programLabels: programs.map((p) => RECHECK_PROGRAMS[p] ?? p),
    trigger: b.trigger,
    triggerLabel: TRIGGERS[b.trigger],
    status: b.status,
    statusLabel: BATCH_STATUS[b.status],
    total: b.total,
    done: b.done,
    failed: b.failed,
    flagged: b.flagged,
    processed: b.done + b.failed,
    running: running.has(b.id),
    error: b.error,
    startedBy: b.started_by,
    startedAt: b.started_at,
    finishedAt: b.finished_at,
  };
}
export type BatchView = ReturnType<typeof batchView>;

/** Creates a re-check batch with its total (households with an active enrolment of the programs now). */
export async function startRecheckBatch(
  db: Db,
  actor: Actor,
  input: {
    programCodes: string[];
    townCode?: string | null | undefined;
    trigger?: 'on_demand' | 'scheduled';
  },
  now: Date = new Date(),
): Promise<BatchView> {
  requirePermission(actor, 'verify.batch');
  const parsed = programCodesSchema.safeParse(input.programCodes);
  if (!parsed.success)
    throw validationError('programCodes', parsed.error.issues[0]?.message ?? '救助项目有误');
  const scope = scopeOf(actor);
  let townCode = input.townCode ?? null;
  if (scope.townCode !== null) {
    if (townCode !== null && townCode !== scope.townCode) {
      throw forbiddenArea('乡镇', {
        entityType: 'area',
        entityId: townCode,
        countyCode: scope.countyCode,
        townCode,
        attempted: '发起批量复核核对',
      });
    }
    townCode = scope.townCode;
  }
  if (townCode !== null) {
    const town = await db
      .selectFrom('area')
      .select('code')
      .where('code', '=', townCode)
      .where('parent_code', '=', scope.countyCode)
      .executeTakeFirst();
    if (!town) throw validationError('townCode', `乡镇代码 ${townCode} 不是本县的乡镇`);
  }
  const programs = [...new Set(parsed.data)].sort();
  const month = monthOf(chinaDate(now));
  return db.transaction().execute(async (trx) => {
    const spec = {
      county_code: scope.countyCode,
      town_code: townCode,
      program_codes: JSON.stringify(programs),
    };
    const count = await activeEnrolledHouseholds(trx, spec, month)
      .select((eb) => eb.fn.count<number>('household_id').distinct().as('n'))
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('verification_batch')
      .values({
        ...spec,
        trigger: input.trigger ?? 'on_demand',
        status: 'running',
        total: Number(count.n),
        done: 0,
        failed: 0,
        flagged: 0,
        cursor: 0,
        error: null,
        started_by: actor.username,
        started_at: now.toISOString(),
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      actor,
      {
        action: 'verification_batch.start',
        entityType: 'verification_batch',
        entityId: row.id,
        countyCode: row.county_code,
        townCode: row.town_code,
        after: { programs, townCode, total: row.total, trigger: row.trigger },
        detail: `发起批量复核核对：${programs.map((p) => RECHECK_PROGRAMS[p]).join('、')}，共 ${row.total} 户`,
      },
      now,
    );
    return batchView(row);
  });
}

export interface RunBatchOptions {
  chunkSize?: number;
  /** Stop (as if killed) after this many chunks; the batch stays running and resumes on the next call. */
  maxChunks?: number;
  onProgress?: (processed: number, total: number) => void;
  now?: () => Date;
}

const running = new Set<number>();
let stopping = false;

/** Asks running batches of this process to stop after the household in hand (server shutdown). */
export function stopBatches(): void {
  stopping = true;
}

/**
 * Runs (or resumes) a batch: households by id after the cursor, a chunk at a time. Safe to call again after a
 * crash: households already verified in this batch are not asked again (their requests are counted).
 */
export async function runRecheckBatch(
  db: Db,
  batchId: number,
  options: RunBatchOptions = {},
): Promise<BatchView> {
  if (running.has(batchId)) {
    throw new AppError(ErrorCode.CONFLICT, `批量复核核对（编号 ${batchId}）正在进行中，请稍候`);
  }
  running.add(batchId);
  try {
    return await run(db, batchId, options);
  } finally {
    running.delete(batchId);
  }
}

async function run(db: Db, batchId: number, options: RunBatchOptions): Promise<BatchView> {
  const now = options.now ?? (() => new Date());
  const chunkSize = options.chunkSize ?? DEFAULT_BATCH_CHUNK;
  const found = await db
    .selectFrom('verification_batch')
    .selectAll()
    .where('id', '=', batchId)
    .executeTakeFirst();
  if (!found) throw notFound(`批量复核核对（编号 ${batchId}）`);
  let batch: BatchRow = found;
  if (batch.status !== 'running') return batchView(batch);
  const actor: Actor = systemActor(batch.county_code, `verify-batch-${batchId}`);
  const month = monthOf(chinaDate(new Date(batch.started_at)));
  options.onProgress?.(batch.done + batch.failed, batch.total);
  let chunks = 0;
  try {
    for (;;) {
      if (options.maxChunks !== undefined && chunks >= options.maxChunks) return batchView(batch);
      if (stopping) return batchView(batch);
      const cursor = batch.cursor;
      const households = (
        await activeEnrolledHouseholds(db, batch, month)
          .select('household_id')
          .distinct()
          .where('household_id', '>', cursor)
          .orderBy('household_id')
          .limit(chunkSize)
          .execute()
      ).map((r) => r.household_id);
      if (households.length === 0) break;
      const existing = await db
        .selectFrom('verification_request')
        .select(['id', 'household_id', 'status'])
        .where('batch_id', '=', batchId)
        .where('household_id', 'in', households)
        .execute();
      const byHousehold = new Map(existing.map((r) => [r.household_id, r]));
      for (const householdId of households) {
        if (stopping) return batchView(batch);
        const prior = byHousehold.get(householdId);
        if (prior && prior.status !== 'running') continue;
        await verifyOne(db, actor, batch, householdId, prior?.id ?? null, now());
        await nextTurn();
      }
      // Counts of the chunk from its requests (whatever run of this batch made them), then the cursor.
      const rows = await db
        .selectFrom('verification_request as q')
        .leftJoin('verification_report as r', 'r.id', 'q.report_id')
        .select(['q.status', 'r.report_json'])
        .where('q.batch_id', '=', batchId)
        .where('q.household_id', 'in', households)
        .execute();
      let done = 0;
      let failed = 0;
      let flagged = 0;
      for (const r of rows) {
        if (r.status === 'done' && r.report_json) {
          done++;
          if (isFlagged(JSON.parse(r.report_json) as VerificationReportBody)) flagged++;
        } else failed++;
      }
      const last = households[households.length - 1] as number;
      const next: Pick<BatchRow, 'cursor' | 'done' | 'failed' | 'flagged'> = {
        cursor: last,
        done: batch.done + done,
        failed: batch.failed + failed,
        flagged: batch.flagged + flagged,
      };
      const res = await db
        .updateTable('verification_batch')
        .set(next)
        .where('id', '=', batchId)
        .where('status', '=', 'running')
        .where('cursor', '=', cursor)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) {
        throw new AppError(ErrorCode.CONFLICT, `批量复核核对（编号 ${batchId}）正由其他进程处理，本批未计入`);
      }
      batch = { ...batch, ...next };
      chunks++;
      options.onProgress?.(batch.done + batch.failed, batch.total);
    }
    const finished = now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('verification_batch')
        .set({ status: 'done', finished_at: finished })
        .where('id', '=', batchId)
        .where('status', '=', 'running')
        .execute();
      await appendAudit(
        trx,
        actor,
        {
          action: 'verification_batch.done',
          entityType: 'verification_batch',
          entityId: batchId,
          countyCode: batch.county_code ?? null,
          townCode: batch.town_code ?? null,
          after: { total: batch.total, done: batch.done, failed: batch.failed, flagged: batch.flagged },
          detail: `批量复核核对完成：核对 ${batch.done} 户，失败 ${batch.failed} 户，需关注 ${batch.flagged} 户`,
        },
        now(),
      );
    });
    batch = { ...batch, status: 'done', finished_at: finished };
    options.onProgress?.(batch.done + batch.failed, batch.total);
    return batchView(batch);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db
      .updateTable('verification_batch')
      .set({ error: message.slice(0, 1000) })
      .where('id', '=', batchId)
      .execute();
    throw err;
  }
}

/** One household of a batch: a periodic re-check; any refusal or failure is kept on its request. */
async function verifyOne(
  db: Db,
  actor: Actor,
  batch: BatchRow,
  householdId: number,
  priorRequestId: number | null,
  now: Date,
): Promise<void> {
  let requestId = priorRequestId;
  try {
    const p = await prepareVerification(db, actor, { householdId, basis: 'periodic_recheck' }, now);
    if (requestId === null) {
      requestId = (await insertRequestRow(db, actor, p, now, batch.id, batch.started_by)).id;
    }
    await executeVerification(db, actor, p, requestId, now);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    if (requestId !== null) {
      await db
        .updateTable('verification_request')
        .set({ status: 'failed', error: message, completed_at: now.toISOString() })
        .where('id', '=', requestId)
        .where('status', '=', 'running')
        .execute();
      return;
    }
    const h = await db
      .selectFrom('household')
      .select(['county_code', 'town_code', 'hukou_type'])
      .where('id', '=', householdId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('verification_request')
      .values({
        county_code: h.county_code,
        town_code: h.town_code,
        case_id: null,
        household_id: householdId,
        enrolment_id: null,
        batch_id: batch.id,
        basis: 'periodic_recheck',
        check_type: h.hukou_type === 'urban' ? '01' : '02',
        subjects_json: '[]',
        declaration_json: null,
        status: 'failed',
        requested_on: chinaDate(now),
        requested_by: batch.started_by,
        requested_at: now.toISOString(),
        completed_at: now.toISOString(),
        error: message,
      })
      .execute();
  }
}

function batchScope(actor: Actor) {
  const scope = scopeOf(actor);
  return (q: ReturnType<typeof baseBatches>) =>
    q
      .where('county_code', '=', scope.countyCode)
      .$if(scope.townCode !== null, (x) => x.where('town_code', '=', scope.townCode));
}

function baseBatches(db: Db) {
  return db.selectFrom('verification_batch');
}

export async function listBatches(db: Db, actor: Actor) {
  requirePermission(actor, 'verify.batch');
  const rows = await batchScope(actor)(baseBatches(db))
    .selectAll()
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return { items: rows.map(batchView) };
}

/** A batch's progress and its households that failed or were flagged (names only). */
export async function getBatch(db: Db, actor: Actor, id: number) {
  requirePermission(actor, 'verify.batch');
  const b = await batchScope(actor)(baseBatches(db)).selectAll().where('id', '=', id).executeTakeFirst();
  if (!b) throw notFound(`批量复核核对（编号 ${id}）`);
  const failures = await db
    .selectFrom('verification_request')
    .select(['id', 'household_id', 'error'])
    .where('batch_id', '=', id)
    .where('status', '=', 'failed')
    .orderBy('household_id')
    .limit(200)
    .execute();
  const reports = await db
    .selectFrom('verification_report as r')
    .innerJoin('verification_request as q', 'q.id', 'r.request_id')
    .select([
      'r.id',
      'r.household_id',
      'r.report_no',
      'r.conclusion_code',
      'r.conclusion_label',
      'r.difference_count',
    ])
    .where('q.batch_id', '=', id)
    .where('r.conclusion_code', 'not in', ['01', '02', '03', '05'])
    .orderBy('r.household_id')
    .limit(200)
    .execute();
  return {
    ...batchView(b),
    failures: failures.map((f) => ({ requestId: f.id, householdId: f.household_id, error: f.error })),
    notMeeting: reports.map((r) => ({
      reportId: r.id,
      householdId: r.household_id,
      reportNo: r.report_no,
      conclusionCode: r.conclusion_code,
      conclusionLabel: r.conclusion_label,
      differenceCount: r.difference_count,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Background jobs (API, serve) and the monthly schedule

const jobs = new Set<Promise<unknown>>();

export function startBackgroundBatch(db: Db, batchId: number, log: (err: unknown) => void): void {
  const job = runRecheckBatch(db, batchId)
    .catch(log)
    .finally(() => jobs.delete(job));
  jobs.add(job);
}

export async function waitForBatchJobs(): Promise<void> {
  while (jobs.size > 0) await Promise.allSettled([...jobs]);
}

/** Resumes the batches a stopped process left running (serve calls it at start). */
export async function resumeRunningBatches(db: Db, log: (err: unknown) => void): Promise<number[]> {
  const rows = await db
    .selectFrom('verification_batch')
    .select('id')
    .where('status', '=', 'running')
    .execute();
  const ids = rows.map((r) => r.id).filter((id) => !running.has(id));
  for (const id of ids) startBackgroundBatch(db, id, log);
  return ids;
}

export const SCHEDULE_KEY = 'verification_schedule';

export const scheduleSchema = z
  .object({
    enabled: z.boolean({ error: 'enabled 应为 true 或 false' }),
    dayOfMonth: z
      .number({ error: '每月执行日应为 1–28 的整数' })
      .int({ error: '每月执行日应为 1–28 的整数' })
      .min(1, { error: '每月执行日应为 1–28 的整数' })
      .max(28, { error: '每月执行日应为 1–28 的整数（避开月末）' }),
    programCodes: programCodesSchema,
  })
  .strict();
export type VerificationSchedule = z.infer<typeof scheduleSchema>;

interface StoredSchedule extends VerificationSchedule {
  countyCode: string;
}

const DEFAULT_SCHEDULE: VerificationSchedule = {
  enabled: false,
  dayOfMonth: 1,
  programCodes: ['urban_dibao', 'rural_dibao'],
};

async function readStored(db: Db): Promise<StoredSchedule | null> {
  const row = await db
    .selectFrom('setting')
    .select('value')
    .where('key', '=', SCHEDULE_KEY)
    .executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.value) as StoredSchedule;
  } catch {
    return null;
  }
}

/** The month's scheduled batch, if one was started (China time). */
async function scheduledBatchOfMonth(db: Db, countyCode: string, month: string) {
  const from = new Date(`${month}-01T00:00:00+08:00`).toISOString();
  return db
    .selectFrom('verification_batch')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('trigger', '=', 'scheduled')
    .where('started_at', '>=', from)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function getSchedule(db: Db, actor: Actor) {
  requirePermission(actor, 'verify.batch');
  const stored = await readStored(db);
  const s: VerificationSchedule = stored
    ? { enabled: stored.enabled, dayOfMonth: stored.dayOfMonth, programCodes: stored.programCodes }
    : DEFAULT_SCHEDULE;
  const last = await db
    .selectFrom('verification_batch')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .where('trigger', '=', 'scheduled')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return { ...s, lastRun: last ? batchView(last) : null };
}

export async function putSchedule(db: Db, actor: Actor, input: VerificationSchedule, now: Date = new Date()) {
  requirePermission(actor, 'verify.batch');
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw validationError(i?.path.map(String).join('.') || 'body', i?.message ?? '计划设置有误');
  }
  if (scopeOf(actor).townCode !== null) {
    throw new AppError(ErrorCode.FORBIDDEN, '复核核对计划由县级设置');
  }
  const value: StoredSchedule = { ...parsed.data, countyCode: actor.countyCode };
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('setting')
      .select('value')
      .where('key', '=', SCHEDULE_KEY)
      .executeTakeFirst();
    await trx.deleteFrom('setting').where('key', '=', SCHEDULE_KEY).execute();
    await trx
      .insertInto('setting')
      .values({ key: SCHEDULE_KEY, value: JSON.stringify(value) })
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'settings.verification_schedule',
        entityType: 'setting',
        entityId: SCHEDULE_KEY,
        before: before ? JSON.parse(before.value) : null,
        after: value,
        detail: value.enabled
          ? `复核核对计划：每月 ${value.dayOfMonth} 日核对 ${value.programCodes.map((p) => RECHECK_PROGRAMS[p]).join('、')}`
          : '停用复核核对计划',
      },
      now,
    );
  });
  return getSchedule(db, actor);
}

/**
 * Starts this month's scheduled re-check when the schedule is on, its day has come (or passed while the server
 * was down) and no scheduled batch was started this month: at most one a month. Runs it to the end.
 */
export async function runScheduledRechecks(
  db: Db,
  now: Date = new Date(),
  options: Omit<RunBatchOptions, 'now'> = {},
): Promise<{ started: boolean; reason: string; batch: BatchView | null }> {
  const s = await readStored(db);
  if (!s?.enabled) return { started: false, reason: '未启用复核核对计划', batch: null };
  const today = chinaDate(now);
  const month = monthOf(today);
  if (Number(today.slice(8, 10)) < s.dayOfMonth) {
    return { started: false, reason: `本月 ${s.dayOfMonth} 日执行，尚未到期`, batch: null };
  }
  const existing = await scheduledBatchOfMonth(db, s.countyCode, month);
  if (existing) {
    return {
      started: false,
      reason: `本月已按计划发起批量复核核对（编号 ${existing.id}）`,
      batch: batchView(existing),
    };
  }
  const actor = systemActor(s.countyCode, 'verify-schedule');
  const batch = await startRecheckBatch(
    db,
    actor,
    { programCodes: s.programCodes, trigger: 'scheduled' },
    now,
  );
  const result = await runRecheckBatch(db, batch.id, options);
  return { started: true, reason: `已按计划发起批量复核核对（编号 ${batch.id}）`, batch: result };
}

/** serve: resume running batches now, check the schedule now and every hour. Returns a stop function. */
export function startVerificationScheduler(db: Db, log: (err: unknown) => void): () => Promise<void> {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await runScheduledRechecks(db);
    } catch (err) {
      log(err);
    } finally {
      busy = false;
    }
  };
  void resumeRunningBatches(db, log).then(tick, log);
  const timer = setInterval(() => void tick(), 60 * 60 * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    stopBatches();
    await waitForBatchJobs();
    while (busy) await new Promise((r) => setTimeout(r, 50));
  };
}
