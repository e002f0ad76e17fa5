/**
 * 政策参数: effective-dated versions of each program's parameters per county (and per town, overriding the
 * county for that town), each with its 文号 (DOMAIN §12 recommendation, §15). Entering a version validates its
 * body against the kind's schema and its months against the timeline (src/domain/policy/versions.ts), closes the
 * previous open version, and — when it reaches back into months an approved payroll already paid — asks the
 * next payroll to recalculate them (补发/追回), all in one audited transaction.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, PolicyParameterTable } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import {
  kindOfProgram,
  POLICY_KINDS,
  type PolicyBody,
  type PolicyKind,
  parsePolicyBody,
} from '../../domain/policy/kinds.ts';
import {
  checkEditable,
  type ExistingVersion,
  planNewVersion,
  retroactiveFrom,
  versionInForce,
} from '../../domain/policy/versions.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  AppError,
  ErrorCode,
  forbiddenArea,
  notFound,
  staleVersion,
  validationError,
} from '../errors/app-error.ts';
import { requestRecalculation } from '../payroll/recalc.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Row = Selectable<PolicyParameterTable>;

export interface PolicyVersion {
  id: number;
  countyCode: string;
  townCode: string | null;
  kind: PolicyKind;
  kindLabel: string;
  programCode: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  docNo: string;
  docTitle: string | null;
  body: unknown;
  usedInPayment: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ResolvedPolicy<K extends PolicyKind = PolicyKind> {
  id: number;
  kind: K;
  programCode: string;
  /** null: the county's version; a town code: that town's own version. */
  townCode: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  docNo: string;
  body: PolicyBody<K>;
}

function toVersion(r: Row): PolicyVersion {
  const kind = r.kind as PolicyKind;
  return {
    id: r.id,
    countyCode: r.county_code,
    townCode: r.town_code,
    kind,
    kindLabel: POLICY_KINDS[kind]?.label ?? r.kind,
    programCode: r.program_code,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    docNo: r.doc_no,
    docTitle: r.doc_title,
    body: JSON.parse(r.body) as unknown,
    usedInPayment: r.used_in_payment === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

const toExisting = (r: Row): ExistingVersion => ({
  id: r.id,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
  docNo: r.doc_no,
  usedInPayment: r.used_in_payment === 1,
});

function kindOrThrow(programCode: string): PolicyKind {
  const kind = kindOfProgram(programCode);
  if (!kind) throw validationError('programCode', `没有“${programCode}”这一救助项目的政策参数`);
  return kind;
}

async function assertTownOfCounty(db: Db, countyCode: string, townCode: string): Promise<void> {
  const town = await db
    .selectFrom('area')
    .select('code')
    .where('code', '=', townCode)
    .where('parent_code', '=', countyCode)
    .where('level', '=', 'town')
    .executeTakeFirst();
  if (!town) throw validationError('townCode', `乡镇代码 ${townCode} 不是本县的乡镇`);
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export interface VersionFilter {
  programCode?: string;
  /** A town's own versions; 'county' for the county-wide ones only; omitted: all the actor may see. */
  townCode?: string;
}

/**
 * The versions the actor may see: a county user every version of the county, a town user the county's
 * versions and their own town's. Ordered by program, area, then start month.
 */
export async function listVersions(
  db: Db,
  actor: Actor,
  filter: VersionFilter = {},
): Promise<PolicyVersion[]> {
  requirePermission(actor, 'policy.read');
  const scope = scopeOf(actor);
  if (
    filter.townCode &&
    filter.townCode !== 'county' &&
    scope.townCode &&
    filter.townCode !== scope.townCode
  ) {
    throw forbiddenArea('乡镇的政策参数', {
      entityType: 'policy_parameter',
      entityId: filter.townCode,
      countyCode: scope.countyCode,
      townCode: filter.townCode,
      attempted: '查看',
    });
  }
  let q = db.selectFrom('policy_parameter').selectAll().where('county_code', '=', scope.countyCode);
  if (filter.programCode) q = q.where('program_code', '=', filter.programCode);
  if (filter.townCode === 'county') q = q.where('town_code', 'is', null);
  else if (filter.townCode) q = q.where('town_code', '=', filter.townCode);
  else if (scope.townCode) {
    const town = scope.townCode;
    q = q.where((eb) => eb.or([eb('town_code', 'is', null), eb('town_code', '=', town)]));
  }
  const rows = await q.orderBy('program_code').orderBy('town_code').orderBy('effective_from').execute();
  // NULL sorts first on SQLite and last on PostgreSQL: put the county's versions first on both.
  return rows
    .map(toVersion)
    .sort(
      (a, b) =>
        a.programCode.localeCompare(b.programCode) ||
        (a.townCode ?? '').localeCompare(b.townCode ?? '') ||
        a.effectiveFrom.localeCompare(b.effectiveFrom),
    );
}

export async function getVersion(db: Db, actor: Actor, id: number): Promise<PolicyVersion> {
  requirePermission(actor, 'policy.read');
  const row = await db.selectFrom('policy_parameter').selectAll().where('id', '=', id).executeTakeFirst();
  const scope = scopeOf(actor);
  if (!row || row.county_code !== scope.countyCode) throw notFound('政策参数版本');
  if (row.town_code !== null && scope.townCode !== null && row.town_code !== scope.townCode) {
    throw forbiddenArea('政策参数版本', {
      entityType: 'policy_parameter',
      entityId: id,
      countyCode: row.county_code,
      townCode: row.town_code,
      attempted: '查看',
    });
  }
  return toVersion(row);
}

async function timelineRows(db: Db, countyCode: string, townCode: string | null, programCode: string) {
  let q = db
    .selectFrom('policy_parameter')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('program_code', '=', programCode);
  q = townCode === null ? q.where('town_code', 'is', null) : q.where('town_code', '=', townCode);
  return q.orderBy('effective_from').execute();
}

/**
 * The parameters in force for a program in a month, in a town: the town's own version when one is in force
 * that month, else the county's. Null when no version covers the month.
 */
export async function resolvePolicy<K extends PolicyKind = PolicyKind>(
  db: Db,
  q: { countyCode: string; townCode?: string | null; programCode: string; month: string },
): Promise<ResolvedPolicy<K> | null> {
  const rows = await db
    .selectFrom('policy_parameter')
    .selectAll()
    .where('county_code', '=', q.countyCode)
    .where('program_code', '=', q.programCode)
    .where('effective_from', '<=', q.month)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', q.month)]))
    .where((eb) =>
      q.townCode
        ? eb.or([eb('town_code', 'is', null), eb('town_code', '=', q.townCode)])
        : eb('town_code', 'is', null),
    )
    .execute();
  const pick =
    versionInForce(
      rows.filter((r) => r.town_code !== null).map((r) => ({ ...toExisting(r), row: r })),
      q.month,
    ) ??
    versionInForce(
      rows.filter((r) => r.town_code === null).map((r) => ({ ...toExisting(r), row: r })),
      q.month,
    );
  return pick ? toResolved<K>(pick.row) : null;
}

function toResolved<K extends PolicyKind>(r: Row): ResolvedPolicy<K> {
  return {
    id: r.id,
    kind: r.kind as K,
    programCode: r.program_code,
    townCode: r.town_code,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    docNo: r.doc_no,
    body: JSON.parse(r.body) as PolicyBody<K>,
  };
}

/** Every version of a program in the county (county-wide and towns'), for a payroll to cache and pick from. */
export async function loadPolicyTimeline(
  db: Db,
  countyCode: string,
  programCode: string,
): Promise<PolicyTimeline> {
  const rows = await db
    .selectFrom('policy_parameter')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('program_code', '=', programCode)
    .orderBy('effective_from')
    .execute();
  return new PolicyTimeline(rows.map((r) => toResolved(r)));
}

/** A program's versions in memory: `at(month, townCode)` applies the same town-over-county rule as resolvePolicy. */
export class PolicyTimeline {
  constructor(readonly versions: readonly ResolvedPolicy[]) {}

  at<K extends PolicyKind = PolicyKind>(month: string, townCode?: string | null): ResolvedPolicy<K> | null {
    const town = townCode
      ? versionInForce(
          this.versions.filter((v) => v.townCode === townCode),
          month,
        )
      : null;
    return (town ??
      versionInForce(
        this.versions.filter((v) => v.townCode === null),
        month,
      )) as ResolvedPolicy<K> | null;
  }
}

/** Marks versions as used by a payment: from now on they are never edited (a change is a new version). */
export async function markPolicyUsed(db: Db, ids: readonly number[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  await db
    .updateTable('policy_parameter')
    .set({ used_in_payment: 1 })
    .where('id', 'in', unique)
    .where('used_in_payment', '=', 0)
    .execute();
}

/**
 * The monthly dibao standard (urban or rural) in force in a town, for the engines that build on it: 特困 basic
 * standard (DOMAIN §5.5), 临时救助 bands (§6.4), price subsidy (§8.4).
 */
export async function resolveDibaoStandard(
  db: Db,
  q: { countyCode: string; townCode?: string | null; program: 'urban_dibao' | 'rural_dibao'; month: string },
): Promise<{ standardFen: number; policyId: number; docNo: string } | null> {
  const policy = await resolvePolicy<'dibao'>(db, {
    countyCode: q.countyCode,
    townCode: q.townCode ?? null,
    programCode: q.program,
    month: q.month,
  });
  return policy ? { standardFen: policy.body.standardFen, policyId: policy.id, docNo: policy.docNo } : null;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

export interface CreateVersionInput {
  programCode: string;
  townCode?: string | null;
  effectiveFrom: string;
  effectiveTo?: string | null;
  docNo: string;
  docTitle?: string | null;
  body: unknown;
}

/** ('body', 'addOns.items.0.rate') → 'body.addOns.items[0].rate'. */
export function dottedToField(prefix: string, dotted: string): string {
  if (dotted === '') return prefix;
  return dotted.split('.').reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : `${acc}.${s}`), prefix);
}

function bodyOrThrow(kind: PolicyKind, body: unknown) {
  const parsed = parsePolicyBody(kind, body);
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) => ({ field: dottedToField('body', i.path), message: i.message }));
    const first = issues[0] ?? { field: 'body', message: '政策参数不正确' };
    throw new AppError(ErrorCode.VALIDATION, `${first.field}：${first.message}`, {
      field: first.field,
      issues,
    });
  }
  return parsed.value;
}

/** The pay month of the program's latest approved (locked) payroll, or null. */
async function lastLockedPayMonth(db: Db, countyCode: string, programCode: string): Promise<string | null> {
  const row = await db
    .selectFrom('payroll')
    .select((eb) => eb.fn.max('pay_month').as('month'))
    .where('county_code', '=', countyCode)
    .where('program_code', '=', programCode)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return (row?.month as string | null | undefined) ?? null;
}

/** Programs whose amounts are built on a dibao standard (DOMAIN §5.5, §8.4): a new standard recalculates them. */
const DIBAO_DEPENDENTS = ['urban_tekun', 'rural_tekun', 'price_subsidy'] as const;

export async function createVersion(
  trx: Transaction<Database>,
  actor: Actor,
  input: CreateVersionInput,
  now = new Date(),
): Promise<PolicyVersion & { recalculation: { programCode: string; fromMonth: string; through: string }[] }> {
  requirePermission(actor, 'policy.manage');
  const kind = kindOrThrow(input.programCode);
  const countyCode = actor.countyCode;
  const townCode = input.townCode ?? null;
  if (townCode !== null) await assertTownOfCounty(trx, countyCode, townCode);
  const body = bodyOrThrow(kind, input.body);
  const existing = await timelineRows(trx, countyCode, townCode, input.programCode);
  const plan = planNewVersion(existing.map(toExisting), {
    effectiveFrom: input.effectiveFrom,
    effectiveTo: input.effectiveTo ?? null,
    docNo: input.docNo,
  });
  if (!plan.ok) {
    const code =
      plan.field === 'effectiveFrom' && existing.length > 0 ? ErrorCode.CONFLICT : ErrorCode.VALIDATION;
    throw new AppError(code, plan.reason, { field: plan.field });
  }
  const stamp = now.toISOString();
  if (plan.close) {
    await trx
      .updateTable('policy_parameter')
      .set((eb) => ({
        effective_to: plan.close?.effectiveTo ?? null,
        updated_at: stamp,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', plan.close.id)
      .execute();
  }
  const row = await trx
    .insertInto('policy_parameter')
    .values({
      county_code: countyCode,
      town_code: townCode,
      kind,
      program_code: input.programCode,
      effective_from: input.effectiveFrom,
      effective_to: input.effectiveTo ?? null,
      doc_no: input.docNo.trim(),
      doc_title: input.docTitle?.trim() || null,
      body: JSON.stringify(body),
      used_in_payment: 0,
      created_by: actor.username,
      created_at: stamp,
      updated_at: stamp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  // A version reaching back into paid months: the next payroll pays the difference (DOMAIN §4.8).
  const recalculation: { programCode: string; fromMonth: string; through: string }[] = [];
  const reason = `${POLICY_KINDS[kind].label}调整（${row.doc_no}）`;
  const affected =
    kind === 'dibao'
      ? [input.programCode, ...(await dependentsOf(trx, countyCode, input.programCode))]
      : [input.programCode];
  for (const programCode of affected) {
    const retro = retroactiveFrom(
      input.effectiveFrom,
      await lastLockedPayMonth(trx, countyCode, programCode),
    );
    if (!retro) continue;
    await requestRecalculation(trx, {
      countyCode,
      townCode,
      programCode,
      fromMonth: retro.from,
      reason: programCode === input.programCode ? reason : `${reason}（随低保标准联动）`,
      now,
    });
    recalculation.push({ programCode, fromMonth: retro.from, through: retro.through });
  }

  const created = toVersion(row);
  await appendAudit(
    trx,
    actor,
    {
      action: 'policy.create',
      entityType: 'policy_parameter',
      entityId: row.id,
      townCode,
      after: { ...created, closedVersion: plan.close, recalculation },
      detail: `录入政策参数：${POLICY_KINDS[kind].label}（${input.programCode}），${row.effective_from} 起，文号 ${row.doc_no}`,
    },
    now,
  );
  return { ...created, recalculation };
}

/** 特困 versions built on a multiple of this dibao standard, and the price subsidy (built on every standard). */
async function dependentsOf(db: Db, countyCode: string, dibaoProgram: string): Promise<string[]> {
  const out: string[] = [];
  for (const programCode of DIBAO_DEPENDENTS) {
    if (programCode === 'price_subsidy') {
      out.push(programCode);
      continue;
    }
    const rows = await db
      .selectFrom('policy_parameter')
      .select('body')
      .where('county_code', '=', countyCode)
      .where('program_code', '=', programCode)
      .execute();
    const uses = rows.some((r) => {
      const basic = (JSON.parse(r.body) as { basic?: { method?: string; dibaoProgram?: string } }).basic;
      return basic?.method === 'multiple_of_dibao' && basic.dibaoProgram === dibaoProgram;
    });
    if (uses) out.push(programCode);
  }
  return out;
}

export interface UpdateVersionInput {
  version: number;
  docNo?: string;
  docTitle?: string | null;
  body?: unknown;
}

/** Corrects a version no payment has used yet (a typo in the figures or the 文号). */
export async function updateUnusedVersion(
  trx: Transaction<Database>,
  actor: Actor,
  id: number,
  input: UpdateVersionInput,
  now = new Date(),
): Promise<PolicyVersion> {
  requirePermission(actor, 'policy.manage');
  const row = await trx.selectFrom('policy_parameter').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.county_code !== actor.countyCode) throw notFound('政策参数版本');
  const refusal = checkEditable(toExisting(row));
  if (refusal) throw new AppError(ErrorCode.REFUSED, refusal.reason, { field: refusal.field });
  if (row.version !== input.version) throw staleVersion('该政策参数版本');
  const kind = row.kind as PolicyKind;
  const body = input.body === undefined ? JSON.parse(row.body) : bodyOrThrow(kind, input.body);
  if (input.docNo !== undefined && input.docNo.trim() === '') {
    throw validationError('docNo', '请填写政策文件文号（如 韶民〔2015〕12号）');
  }
  const before = toVersion(row);
  const updated = await trx
    .updateTable('policy_parameter')
    .set({
      body: JSON.stringify(body),
      doc_no: input.docNo?.trim() ?? row.doc_no,
      doc_title: input.docTitle === undefined ? row.doc_title : input.docTitle?.trim() || null,
      updated_at: now.toISOString(),
      version: row.version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', input.version)
    .where('used_in_payment', '=', 0)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw staleVersion('该政策参数版本');
  const after = toVersion(updated);
  await appendAudit(
    trx,
    actor,
    {
      action: 'policy.update',
      entityType: 'policy_parameter',
      entityId: id,
      townCode: row.town_code,
      before,
      after,
      detail: `修改未用于发放的政策参数：${after.kindLabel}（${after.programCode}），${after.effectiveFrom} 起，文号 ${after.docNo}`,
    },
    now,
  );
  return after;
}
