/**
 * 核对平台 department data (DOMAIN §3.1, §3.2): per-source settings (snapshot files or a live connector),
 * dated snapshots imported whole or not at all, and person lookups that are allowed only under an
 * authorisation (授权书) or as the periodic re-check of an enrolled household, each one logged.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DeptQueryTable } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { hasPermission, type Permission, ROLES } from '../../domain/access/roles.ts';
import { chinaDate, isIsoDate } from '../../domain/calendar/dates.ts';
import { maskIdNumber } from '../../domain/identity/resident-id.ts';
import { toCsv } from '../../domain/payments/csv.ts';
import { checkHeaders, layoutOf, type RowError, validateRows } from '../../domain/verification/layouts.ts';
import type { SourceResult } from '../../domain/verification/report.ts';
import {
  type DeptRecord,
  isSourceCode,
  SOURCE_CODES,
  SOURCES,
  type SourceCode,
} from '../../domain/verification/sources.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, notFound, validationError } from '../errors/app-error.ts';
import {
  type BreakerState,
  breakerState,
  type ConnectorOutcome,
  type ConnectorSettings,
  callConnector,
  forgetConnector,
  LAYOUT_VERSION,
  SIM_URL,
} from './connector.ts';
import { fileDeathRechecks } from './death-rechecks.ts';
import * as repo from './departments.repository.ts';
import { type FileFormat, readDeptFile } from './file-rows.ts';
import { exampleRow, headerKeyMap } from './layout-rows.ts';
import { encodeXlsx } from './xlsx.ts';

type Db = repo.Db;

export const DEFAULT_SETTINGS: ConnectorSettings = {
  timeoutMs: 5000,
  maxRetries: 2,
  breakerThreshold: 5,
  breakerCooldownMs: 30000,
};
/** At most this many row errors are stored with a rejected snapshot and returned. */
export const MAX_STORED_ERRORS = 200;
/** A 'loading' snapshot older than this is the leftover of an interrupted import. */
const STALE_LOADING_MS = 15 * 60 * 1000;
/** Subjects per connector call. */
const CONNECTOR_BATCH = 100;

function requireAny(actor: Actor, permissions: Permission[]): void {
  if (actor.role === 'system') return;
  if (!permissions.some((p) => hasPermission(actor.role as Exclude<Actor['role'], 'system'>, p))) {
    throw new AppError(ErrorCode.FORBIDDEN, `您的角色（${ROLES[actor.role].label}）无权执行此操作`);
  }
}

/** Department data is the county's: a town user reaches none of it (DOMAIN §3.1: the county verifies). */
function countyOf(actor: Actor, what: string): string {
  const scope = scopeOf(actor);
  if (scope.townCode !== null) {
    throw new AppError(ErrorCode.FORBIDDEN, `${what}由县级民政部门办理，乡镇（街道）用户无权操作`);
  }
  return scope.countyCode;
}

function sourceOf(code: string): SourceCode {
  if (!isSourceCode(code)) throw notFound(`数据源「${code}」`);
  return code;
}

// ── sources ─────────────────────────────────────────────────────────────────────────────────────

export interface SourceView {
  code: SourceCode;
  label: string;
  department: string;
  description: string;
  layoutVersion: string;
  mode: 'snapshot' | 'connector';
  connectorUrl: string | null;
  timeoutMs: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  breaker: BreakerState;
  inForce: { id: number; asOf: string; rowCount: number; importedAt: string; fileName: string } | null;
}

function sourceView(
  code: SourceCode,
  config: repo.ConfigRow | undefined,
  snap: repo.SnapshotRow | undefined,
) {
  return {
    code,
    label: SOURCES[code].label,
    department: SOURCES[code].department,
    description: SOURCES[code].description,
    layoutVersion: layoutOf(code).version,
    mode: config?.mode ?? 'snapshot',
    connectorUrl: config?.connector_url ?? null,
    timeoutMs: config?.timeout_ms ?? DEFAULT_SETTINGS.timeoutMs,
    maxRetries: config?.max_retries ?? DEFAULT_SETTINGS.maxRetries,
    breakerThreshold: config?.breaker_threshold ?? DEFAULT_SETTINGS.breakerThreshold,
    breakerCooldownMs: config?.breaker_cooldown_ms ?? DEFAULT_SETTINGS.breakerCooldownMs,
    breaker: breakerState(code),
    inForce: snap
      ? {
          id: snap.id,
          asOf: snap.as_of,
          rowCount: snap.row_count,
          importedAt: snap.imported_at,
          fileName: snap.file_name,
        }
      : null,
  } satisfies SourceView;
}

export async function listSources(db: Db, actor: Actor): Promise<SourceView[]> {
  requireAny(actor, ['dept.manage', 'dept.submit', 'dept.query_log']);
  const county = scopeOf(actor).countyCode;
  const configs = new Map((await repo.configs(db)).map((c) => [c.source_code, c]));
  const snaps = new Map((await repo.inForce(db, county)).map((s) => [s.source_code, s]));
  return SOURCE_CODES.map((code) => sourceView(code, configs.get(code), snaps.get(code)));
}

export interface SourceConfigInput {
  mode: 'snapshot' | 'connector';
  connectorUrl?: string | null;
  timeoutMs?: number;
  maxRetries?: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
}

function checkRange(field: string, label: string, v: number, min: number, max: number, unit = '') {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw validationError(field, `${label}应为 ${min}–${max}${unit} 之间的整数`);
  }
}

export async function updateSourceConfig(
  db: Db,
  actor: Actor,
  code: string,
  input: SourceConfigInput,
  now = new Date(),
): Promise<SourceView> {
  requireAny(actor, ['dept.manage']);
  const county = countyOf(actor, '设置核对数据源');
  const source = sourceOf(code);
  if (input.mode !== 'snapshot' && input.mode !== 'connector') {
    throw validationError('mode', '接入方式应为 snapshot（数据快照）或 connector（实时接口）');
  }
  return repo.inTransaction(db, async (trx) => {
    const before = await repo.configOf(trx, source);
    const url =
      (input.connectorUrl === undefined ? before?.connector_url : input.connectorUrl)?.trim() || null;
    if (input.mode === 'connector') {
      if (!url) throw validationError('connectorUrl', '实时接口方式须填写接口地址');
      if (url !== SIM_URL && !/^https?:\/\/[^\s/]+/.test(url)) {
        throw validationError(
          'connectorUrl',
          '接口地址应以 http:// 或 https:// 开头（或为 sim: 使用模拟部门接口）',
        );
      }
    }
    const next = {
      source_code: source,
      mode: input.mode,
      connector_url: url,
      timeout_ms: input.timeoutMs ?? before?.timeout_ms ?? DEFAULT_SETTINGS.timeoutMs,
      max_retries: input.maxRetries ?? before?.max_retries ?? DEFAULT_SETTINGS.maxRetries,
      breaker_threshold:
        input.breakerThreshold ?? before?.breaker_threshold ?? DEFAULT_SETTINGS.breakerThreshold,
      breaker_cooldown_ms:
        input.breakerCooldownMs ?? before?.breaker_cooldown_ms ?? DEFAULT_SETTINGS.breakerCooldownMs,
      updated_by: actor.username,
      updated_at: now.toISOString(),
    };
    checkRange('timeoutMs', '超时时间', next.timeout_ms, 100, 120000, ' 毫秒');
    checkRange('maxRetries', '重试次数', next.max_retries, 0, 10, ' 次');
    checkRange('breakerThreshold', '熔断阈值（连续失败次数）', next.breaker_threshold, 1, 100, ' 次');
    checkRange('breakerCooldownMs', '熔断恢复时间', next.breaker_cooldown_ms, 1000, 3600000, ' 毫秒');
    if (before) {
      await trx.updateTable('dept_source_config').set(next).where('source_code', '=', source).execute();
    } else {
      await trx.insertInto('dept_source_config').values(next).execute();
    }
    forgetConnector(source);
    const { updated_by: _b, updated_at: _a, ...after } = next;
    await appendAudit(
      trx,
      actor,
      {
        action: 'dept.source_config',
        entityType: 'dept_source_config',
        entityId: source,
        countyCode: county,
        townCode: null,
        before: before ? { ...before, updated_by: undefined, updated_at: undefined } : null,
        after,
        detail: `设置核对数据源「${SOURCES[source].label}」：${input.mode === 'connector' ? `实时接口 ${url}` : '数据快照'}`,
      },
      now,
    );
    return sourceView(source, { ...next }, await repo.inForceOf(trx, county, source));
  });
}

// ── snapshots ───────────────────────────────────────────────────────────────────────────────────

export interface ImportResult {
  snapshotId: number;
  status: 'in_force' | 'rejected';
  rowCount: number;
  errorCount: number;
  /** The first MAX_STORED_ERRORS problems, by row. */
  errors: RowError[];
  /** 殡葬/死亡 snapshots: re-check tasks filed for enrolled households with a death the registry lacks. */
  recheckTasks?: number;
}

/** Validates a whole file: its own problems, the header, then every row (all of them, not the first bad one). */
async function checkFile(source: SourceCode, fileName: string, bytes: Buffer, today: string) {
  const file = await readDeptFile(fileName, bytes);
  const errors: RowError[] = [...file.errors];
  const records: DeptRecord[] = [];
  if (file.headers.length > 0) errors.push(...checkHeaders(source, file.headers));
  const keyOf = headerKeyMap(source);
  // Rows keyed by column key; contiguous runs keep validateRows' row numbers equal to the file's.
  let run: Record<string, unknown>[] = [];
  let runStart = 0;
  const flush = () => {
    if (run.length === 0) return;
    const r = validateRows(source, run, runStart, { asOf: today });
    records.push(...r.records);
    errors.push(...r.errors);
    run = [];
  };
  for (const { row, values } of file.rows) {
    if (run.length > 0 && row !== runStart + run.length) flush();
    if (run.length === 0) runStart = row;
    const keyed: Record<string, unknown> = {};
    for (const [h, v] of Object.entries(values)) {
      const key = keyOf.get(h.trim());
      if (key !== undefined) keyed[key] = v;
    }
    run.push(keyed);
  }
  flush();
  errors.sort((a, b) => a.row - b.row);
  return { format: file.format, rowCount: file.rows.length, records, errors };
}

/** Deletes what interrupted imports left behind ('loading' snapshots nobody will finish). */
async function cleanStaleLoading(db: Db, county: string, source: SourceCode, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - STALE_LOADING_MS).toISOString();
  const stale = await db
    .selectFrom('dept_snapshot')
    .select('id')
    .where('county_code', '=', county)
    .where('source_code', '=', source)
    .where('status', '=', 'loading')
    .where('imported_at', '<', cutoff)
    .execute();
  for (const s of stale) {
    await repo.inTransaction(db, async (trx) => {
      await trx.deleteFrom('dept_record').where('snapshot_id', '=', s.id).execute();
      await trx
        .updateTable('dept_snapshot')
        .set({
          status: 'rejected',
          errors_json: JSON.stringify([
            { row: 0, column: '', value: '', reason: '导入未完成（进程中断），已清理' },
          ] satisfies RowError[]),
          error_count: 1,
        })
        .where('id', '=', s.id)
        .where('status', '=', 'loading')
        .execute();
    });
  }
}

/**
 * Imports a department's batch file as a dated snapshot. Every row is checked first; any problem rejects
 * the whole file (a 'rejected' snapshot keeps the reasons) and the snapshot in force stays. Otherwise the
 * records are written in chunks under a 'loading' snapshot nobody reads, then one transaction supersedes
 * the old snapshot and puts the new one in force.
 */
export async function importSnapshot(
  db: Db,
  actor: Actor,
  input: { sourceCode: string; fileName: string; bytes: Buffer; asOf: string },
  now = new Date(),
): Promise<ImportResult> {
  requireAny(actor, ['dept.manage', 'dept.submit']);
  const county = countyOf(actor, '导入部门数据');
  const source = sourceOf(input.sourceCode);
  if (!isIsoDate(input.asOf)) throw validationError('asOf', '数据截止日期应为 YYYY-MM-DD 格式的日期');
  const fileName = input.fileName.trim() || `${source}.csv`;
  const sha = createHash('sha256').update(input.bytes).digest('hex');
  const current = await repo.inForceOf(db, county, source);
  if (current && current.file_sha256 === sha) {
    throw new AppError(
      ErrorCode.CONFLICT,
      `该文件与现行的「${SOURCES[source].label}」数据快照（编号 ${current.id}，${current.as_of}）完全相同，无需重复导入`,
      { field: 'file' },
    );
  }
  await cleanStaleLoading(db, county, source, now);

  const checked = await checkFile(source, fileName, input.bytes, chinaDate(now));
  const stamp = now.toISOString();
  const base = {
    county_code: county,
    source_code: source,
    layout_version: layoutOf(source).version,
    file_name: fileName,
    file_sha256: sha,
    file_format: checked.format satisfies FileFormat,
    as_of: input.asOf,
    row_count: checked.rowCount,
    imported_by: actor.username,
    imported_at: stamp,
    activated_at: null,
  };
  const label = SOURCES[source].label;

  if (checked.errors.length > 0 || checked.rowCount === 0) {
    const errors =
      checked.errors.length > 0
        ? checked.errors
        : [{ row: 2, column: '', value: '', reason: '文件中没有数据行' }];
    const stored = errors.slice(0, MAX_STORED_ERRORS);
    const id = await repo.inTransaction(db, async (trx) => {
      const row = await trx
        .insertInto('dept_snapshot')
        .values({
          ...base,
          status: 'rejected',
          error_count: errors.length,
          errors_json: JSON.stringify(stored),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(
        trx,
        actor,
        {
          action: 'dept.snapshot_rejected',
          entityType: 'dept_snapshot',
          entityId: row.id,
          countyCode: county,
          townCode: null,
          after: {
            source,
            fileName,
            sha256: sha,
            asOf: input.asOf,
            rowCount: checked.rowCount,
            errorCount: errors.length,
          },
          detail: `「${label}」数据文件 ${fileName} 有 ${errors.length} 处问题，未导入`,
        },
        now,
      );
      return row.id;
    });
    return {
      snapshotId: id,
      status: 'rejected',
      rowCount: checked.rowCount,
      errorCount: errors.length,
      errors: stored,
    };
  }

  const snap = await db
    .insertInto('dept_snapshot')
    .values({ ...base, status: 'loading', error_count: 0, errors_json: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    for (const part of repo.chunks(checked.records)) {
      await db
        .insertInto('dept_record')
        .values(part.map((r) => repo.recordRow(snap.id, r)))
        .execute();
    }
  } catch (e) {
    await db.deleteFrom('dept_record').where('snapshot_id', '=', snap.id).execute();
    await db.deleteFrom('dept_snapshot').where('id', '=', snap.id).execute();
    throw e;
  }
  let recheckTasks = 0;
  await repo.inTransaction(db, async (trx) => {
    const old = await repo.inForceOf(trx, county, source);
    if (old && old.file_sha256 === sha) {
      // Another import of the same file won the race: this one is dropped.
      await trx.deleteFrom('dept_record').where('snapshot_id', '=', snap.id).execute();
      await trx.deleteFrom('dept_snapshot').where('id', '=', snap.id).execute();
      throw new AppError(ErrorCode.CONFLICT, `该文件已作为现行的「${label}」数据快照导入，无需重复导入`, {
        field: 'file',
      });
    }
    await trx
      .updateTable('dept_snapshot')
      .set({ status: 'superseded' })
      .where('county_code', '=', county)
      .where('source_code', '=', source)
      .where('status', '=', 'in_force')
      .execute();
    await trx
      .updateTable('dept_snapshot')
      .set({ status: 'in_force', activated_at: stamp })
      .where('id', '=', snap.id)
      .execute();
    if (source === 'death') {
      recheckTasks = await fileDeathRechecks(trx, { id: snap.id, countyCode: county, asOf: input.asOf }, now);
    }
    await appendAudit(
      trx,
      actor,
      {
        action: 'dept.snapshot_import',
        entityType: 'dept_snapshot',
        entityId: snap.id,
        countyCode: county,
        townCode: null,
        before: old ? { snapshotId: old.id, asOf: old.as_of, rowCount: old.row_count } : null,
        after: { source, fileName, sha256: sha, asOf: input.asOf, rowCount: checked.rowCount },
        detail: `导入「${label}」数据快照 ${fileName}（${checked.rowCount} 条，截至 ${input.asOf}）${old ? `，替换编号 ${old.id} 的快照` : ''}${recheckTasks > 0 ? `；生成死亡复核任务 ${recheckTasks} 件` : ''}`,
      },
      now,
    );
  });
  return {
    snapshotId: snap.id,
    status: 'in_force',
    rowCount: checked.rowCount,
    errorCount: 0,
    errors: [],
    ...(source === 'death' ? { recheckTasks } : {}),
  };
}

export interface SnapshotView {
  id: number;
  sourceCode: string;
  sourceLabel: string;
  layoutVersion: string;
  fileName: string;
  fileFormat: string;
  fileSha256: string;
  asOf: string;
  status: repo.SnapshotRow['status'];
  rowCount: number;
  errorCount: number;
  importedBy: string;
  importedAt: string;
  activatedAt: string | null;
}

const snapshotView = (s: repo.SnapshotRow): SnapshotView => ({
  id: s.id,
  sourceCode: s.source_code,
  sourceLabel: isSourceCode(s.source_code) ? SOURCES[s.source_code].label : s.source_code,
  layoutVersion: s.layout_version,
  fileName: s.file_name,
  fileFormat: s.file_format,
  fileSha256: s.file_sha256,
  asOf: s.as_of,
  status: s.status,
  rowCount: s.row_count,
  errorCount: s.error_count,
  importedBy: s.imported_by,
  importedAt: s.imported_at,
  activatedAt: s.activated_at,
});

export async function listSnapshots(
  db: Db,
  actor: Actor,
  filter: { sourceCode?: string; limit?: number } = {},
): Promise<{ items: SnapshotView[] }> {
  requireAny(actor, ['dept.manage', 'dept.submit', 'dept.query_log']);
  const county = scopeOf(actor).countyCode;
  let q = db.selectFrom('dept_snapshot').selectAll().where('county_code', '=', county);
  if (filter.sourceCode !== undefined) q = q.where('source_code', '=', sourceOf(filter.sourceCode));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 200)
    .execute();
  return { items: rows.map(snapshotView) };
}

export async function getSnapshot(
  db: Db,
  actor: Actor,
  id: number,
): Promise<SnapshotView & { errors: RowError[] }> {
  requireAny(actor, ['dept.manage', 'dept.submit', 'dept.query_log']);
  const s = await repo.findSnapshot(db, scopeOf(actor).countyCode, id);
  if (!s) throw notFound(`数据快照（编号 ${id}）`);
  return { ...snapshotView(s), errors: s.errors_json ? (JSON.parse(s.errors_json) as RowError[]) : [] };
}

/** The layout of a source as a file for the department: the header row and one example row. */
export async function exportLayoutTemplate(source: string, format: 'csv' | 'xlsx' | 'json'): Promise<Buffer> {
  const code = sourceOf(source);
  const layout = layoutOf(code);
  const headers = layout.columns.map((c) => c.header);
  const example = exampleRow(code);
  if (format === 'json') {
    return Buffer.from(
      `${JSON.stringify([Object.fromEntries(headers.map((h, i) => [h, example[i] ?? '']))], null, 2)}\n`,
    );
  }
  if (format === 'csv') return Buffer.from(toCsv([headers, example]), 'utf8');
  return encodeXlsx(SOURCES[code].label, layout.columns, [headers, example]);
}

// ── lookups ─────────────────────────────────────────────────────────────────────────────────────

export interface LookupContext {
  actor: Actor;
  countyCode: string;
  townCode: string | null;
  caseId: number | null;
  verificationRequestId: number | null;
  basis: 'authorisation' | 'periodic_recheck';
  /** idNumber → verification_authorisation.id */
  authorisations: Map<string, number>;
  /** What the query is for, sent to the department (default 家庭经济状况核对). */
  purpose?: string;
}

type QueryRow = Omit<DeptQueryTable, 'id'>;

const BASIS_LABEL = { authorisation: '授权核对', periodic_recheck: '定期复核' } as const;

async function insertQueries(db: Db, rows: QueryRow[]): Promise<void> {
  for (const part of repo.chunks(rows, 400)) await db.insertInto('dept_query').values(part).execute();
}

/**
 * Looks people up in the department sources (DOMAIN §3.1). Allowed only for a subject with a recorded
 * authorisation (DOMAIN §3.2) or, for a periodic re-check (2022 通知 §5(1)), a current member of a household
 * with an active enrolment; otherwise nothing is queried, the refusal is logged and an AppError thrown.
 * Snapshot sources: one query per source against the snapshot in force. Connector sources: batched calls
 * through the connector; on failure the snapshot in force answers (noted), else the source is unavailable.
 * One dept_query row per subject × source. Pass the database (not a transaction) so the log of a refusal
 * survives the refusal.
 */
export async function lookupPersons(
  db: Db,
  ctx: LookupContext,
  subjects: { idNumber: string; personId: number | null }[],
  sources: readonly SourceCode[] = SOURCE_CODES,
  now = new Date(),
): Promise<Map<string, SourceResult[]>> {
  const stamp = now.toISOString();
  const ids = [...new Set(subjects.map((s) => s.idNumber))];
  const personOf = new Map(subjects.map((s) => [s.idNumber, s.personId]));
  const configs = new Map((await repo.configs(db)).map((c) => [c.source_code, c]));
  const channelOf = (s: SourceCode) => (configs.get(s)?.mode === 'connector' ? 'connector' : 'snapshot');
  const logRow = (source: SourceCode, idNumber: string, fields: Partial<QueryRow>): QueryRow => ({
    county_code: ctx.countyCode,
    town_code: ctx.townCode,
    source_code: source,
    id_number: idNumber,
    person_id: personOf.get(idNumber) ?? null,
    case_id: ctx.caseId,
    verification_request_id: ctx.verificationRequestId,
    authorisation_id: ctx.authorisations.get(idNumber) ?? null,
    basis: ctx.basis,
    channel: channelOf(source),
    snapshot_id: null,
    status: 'ok',
    attempts: 0,
    duration_ms: 0,
    record_count: 0,
    error: null,
    requested_by: ctx.actor.username,
    user_id: ctx.actor.userId,
    requested_at: stamp,
    ...fields,
  });

  // DOMAIN §3.2: no authorisation, no query. A periodic re-check needs an enrolled household (§3.1).
  let refused: string[];
  let reason: string;
  if (ctx.basis === 'authorisation') {
    refused = ids.filter((id) => !ctx.authorisations.has(id));
    reason = '尚未登记核对授权书';
  } else {
    const enrolled = await repo.enrolledMembers(db, ctx.countyCode, ids);
    refused = ids.filter((id) => !enrolled.has(id) && !ctx.authorisations.has(id));
    reason = '不是在保家庭的现有成员，不能定期复核（且未登记核对授权书）';
  }
  if (refused.length > 0) {
    const error = `${reason}，未查询`;
    await repo.inTransaction(db, async (trx) => {
      await insertQueries(
        trx,
        refused.flatMap((id) => sources.map((s) => logRow(s, id, { status: 'refused', error }))),
      );
      await appendAudit(
        trx,
        ctx.actor,
        {
          action: 'dept.lookup_refused',
          entityType: 'dept_query',
          entityId: ctx.verificationRequestId ?? ctx.caseId,
          countyCode: ctx.countyCode,
          townCode: ctx.townCode,
          after: { basis: ctx.basis, caseId: ctx.caseId, refused: refused.map(maskIdNumber) },
          detail: `拒绝查询部门数据：${refused.length} 人${reason}`,
        },
        now,
      );
    });
    throw new AppError(
      ErrorCode.REFUSED,
      `以下人员${reason}，不能查询部门数据：${refused.map(maskIdNumber).join('、')}`,
      { field: 'subjects' },
    );
  }

  const results = new Map<string, SourceResult[]>(ids.map((id) => [id, []]));
  const log: QueryRow[] = [];
  const snapshots = new Map((await repo.inForce(db, ctx.countyCode)).map((s) => [s.source_code, s]));

  // Names and authorisation dates for the connector protocol.
  const names = new Map<string, string>();
  const signedOn = new Map<number, string>();
  if (sources.some((s) => channelOf(s) === 'connector')) {
    for (const part of repo.chunks(ids, 900)) {
      const people = await db
        .selectFrom('person')
        .select(['id_number', 'name'])
        .where('id_number', 'in', part)
        .execute();
      for (const p of people) names.set(p.id_number, p.name);
    }
    const authIds = [...ctx.authorisations.values()];
    for (const part of repo.chunks(authIds, 900)) {
      const rows = await db
        .selectFrom('verification_authorisation')
        .select(['id', 'signed_on'])
        .where('id', 'in', part)
        .execute();
      for (const r of rows) signedOn.set(r.id, r.signed_on);
    }
  }

  /** Answers from the snapshot in force; `fields` and `error` note a fallback from a failed connector. */
  const fromSnapshot = async (
    source: SourceCode,
    snap: repo.SnapshotRow,
    idList: string[],
    fields: Partial<QueryRow>,
    error: string | null,
  ) => {
    const started = Date.now();
    const records = await repo.recordsOf(db, snap.id, idList);
    const ms = Date.now() - started;
    for (const id of idList) {
      const mine = records.filter((r) => r.idNumber === id);
      const status = mine.length > 0 ? 'ok' : 'not_found';
      results.get(id)?.push({
        sourceCode: source,
        status,
        channel: 'snapshot',
        snapshotAsOf: snap.as_of,
        records: mine,
        error,
      });
      log.push(
        logRow(source, id, {
          snapshot_id: snap.id,
          status,
          attempts: 1,
          duration_ms: ms,
          record_count: mine.length,
          error,
          ...fields,
        }),
      );
    }
  };

  const unavailable = (
    source: SourceCode,
    channel: 'connector' | 'snapshot',
    idList: string[],
    error: string,
    fields: Partial<QueryRow>,
  ) => {
    for (const id of idList) {
      results.get(id)?.push({
        sourceCode: source,
        status: 'unavailable',
        channel,
        snapshotAsOf: null,
        records: [],
        error,
      });
      log.push(logRow(source, id, { status: 'error', error, ...fields, channel }));
    }
  };

  const viaConnector = async (source: SourceCode, config: repo.ConfigRow) => {
    const settings: ConnectorSettings = {
      timeoutMs: config.timeout_ms,
      maxRetries: config.max_retries,
      breakerThreshold: config.breaker_threshold,
      breakerCooldownMs: config.breaker_cooldown_ms,
    };
    for (const part of repo.chunks(ids, CONNECTOR_BATCH)) {
      const outcome: ConnectorOutcome = await callConnector(
        db as Kysely<Database>,
        config.connector_url ?? '',
        settings,
        {
          requestId: randomUUID(),
          source,
          layoutVersion: LAYOUT_VERSION,
          purpose: ctx.purpose ?? '居民家庭经济状况核对',
          basis: ctx.basis,
          subjects: part.map((id) => {
            const auth = ctx.authorisations.get(id) ?? null;
            return {
              idNumber: id,
              name: names.get(id) ?? '',
              authorisationId: auth,
              authorisedOn: auth === null ? null : (signedOn.get(auth) ?? null),
            };
          }),
        },
      );
      const timing = {
        attempts: outcome.attempts,
        duration_ms: outcome.durationMs,
        channel: 'connector' as const,
      };
      if (outcome.status !== 'ok') {
        const snap = snapshots.get(source);
        if (snap) {
          // Fall back to the snapshot in force; the result and the log say so (the log keeps the connector's status).
          await fromSnapshot(
            source,
            snap,
            part,
            { ...timing, status: outcome.status },
            `${outcome.error}，已改用 ${snap.as_of} 的数据快照`,
          );
        } else {
          unavailable(source, 'connector', part, outcome.error, { ...timing, status: outcome.status });
        }
        continue;
      }
      const byId = new Map(outcome.response.results.map((r) => [r.idNumber, r]));
      for (const id of part) {
        const answer = byId.get(id);
        if (!answer) {
          unavailable(source, 'connector', [id], '部门接口的应答中没有该人员', timing);
          continue;
        }
        const checked = validateRows(source, answer.rows, 1, { asOf: chinaDate(now) });
        const wrongPerson = checked.records.find((r) => r.idNumber !== id);
        if (checked.errors.length > 0 || wrongPerson) {
          const e = checked.errors[0];
          const error = e
            ? `部门接口返回的数据有误：第 ${e.row} 条「${e.column}」${e.reason}`
            : '部门接口返回了其他人员的数据';
          unavailable(source, 'connector', [id], error, timing);
          continue;
        }
        const found = checked.records.length > 0;
        results.get(id)?.push({
          sourceCode: source,
          status: found ? 'ok' : 'not_found',
          channel: 'connector',
          snapshotAsOf: null,
          records: checked.records,
          error: null,
        });
        log.push(
          logRow(source, id, {
            ...timing,
            status: found ? 'ok' : 'not_found',
            record_count: checked.records.length,
          }),
        );
      }
    }
  };

  await Promise.all(
    sources.map(async (source) => {
      const config = configs.get(source);
      if (config?.mode === 'connector') return viaConnector(source, config);
      const snap = snapshots.get(source);
      if (snap) await fromSnapshot(source, snap, ids, {}, null);
      else unavailable(source, 'snapshot', ids, '该数据源尚无生效的数据快照', { attempts: 0 });
    }),
  );

  // Results in the order of `sources`, whatever order the sources answered in.
  const order = new Map(sources.map((s, i) => [s, i]));
  for (const list of results.values())
    list.sort((a, b) => (order.get(a.sourceCode) ?? 0) - (order.get(b.sourceCode) ?? 0));

  await repo.inTransaction(db, async (trx) => {
    await insertQueries(trx, log);
    await appendAudit(
      trx,
      ctx.actor,
      {
        action: 'dept.lookup',
        entityType: 'dept_query',
        entityId: ctx.verificationRequestId ?? ctx.caseId,
        countyCode: ctx.countyCode,
        townCode: ctx.townCode,
        after: { basis: ctx.basis, caseId: ctx.caseId, subjects: ids.length, sources: [...sources] },
        detail: `查询部门数据（${BASIS_LABEL[ctx.basis]}）：${ids.length} 人 × ${sources.length} 个数据源`,
      },
      now,
    );
  });
  return results;
}

export interface QueryView {
  id: number;
  sourceCode: string;
  sourceLabel: string;
  idNumber: string;
  personId: number | null;
  caseId: number | null;
  verificationRequestId: number | null;
  authorisationId: number | null;
  basis: string;
  channel: string;
  snapshotId: number | null;
  status: string;
  attempts: number;
  durationMs: number;
  recordCount: number;
  error: string | null;
  requestedBy: string;
  requestedAt: string;
}

/** The query log (who asked which department about whom, under which authorisation); ID numbers masked. */
export async function listQueries(
  db: Db,
  actor: Actor,
  filter: { caseId?: number; idNumber?: string; sourceCode?: string; page: number; pageSize: number },
): Promise<{ items: QueryView[]; total: number; page: number; pageSize: number }> {
  requireAny(actor, ['dept.query_log']);
  const scope = scopeOf(actor);
  let q = db.selectFrom('dept_query').where('county_code', '=', scope.countyCode);
  if (scope.townCode !== null) q = q.where('town_code', '=', scope.townCode);
  if (filter.caseId !== undefined) q = q.where('case_id', '=', filter.caseId);
  if (filter.idNumber !== undefined) q = q.where('id_number', '=', filter.idNumber.toUpperCase());
  if (filter.sourceCode !== undefined) q = q.where('source_code', '=', sourceOf(filter.sourceCode));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('id', 'desc')
    .offset((filter.page - 1) * filter.pageSize)
    .limit(filter.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      sourceCode: r.source_code,
      sourceLabel: isSourceCode(r.source_code) ? SOURCES[r.source_code].label : r.source_code,
      idNumber: maskIdNumber(r.id_number),
      personId: r.person_id,
      caseId: r.case_id,
      verificationRequestId: r.verification_request_id,
      authorisationId: r.authorisation_id,
      basis: r.basis,
      channel: r.channel,
      snapshotId: r.snapshot_id,
      status: r.status,
      attempts: r.attempts,
      durationMs: r.duration_ms,
      recordCount: r.record_count,
      error: r.error,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
    })),
    total: Number(total.n),
    page: filter.page,
    pageSize: filter.pageSize,
  };
}
