/**
 * 资金发放 — the monthly payroll (DOMAIN §4.8): generate → review (审核) → approve (审批, a second person:
 * four-eyes, DOMAIN §16) → locked. Approval posts every line to the append-only payment ledger in one
 * transaction and marks the policy versions used, so neither can change afterwards. A town user sees their
 * town's lines and totals only.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Database, PayrollTable } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { COMPONENTS, FUND_SOURCES, LEDGER_ENTRY_KINDS } from '../../domain/benefit/components.ts';
import { isIsoMonth } from '../../domain/calendar/dates.ts';
import { maskBankAccount } from '../../domain/household/masking.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, forbiddenArea, notFound, validationError } from '../errors/app-error.ts';
import { markPolicyUsed, resolveDibaoStandard } from '../policy/policy.service.ts';
import { findHousehold, locateHousehold } from '../registry/registry.repository.ts';
import { isPayrollProgram, PAYROLL_PROGRAMS, PAYROLL_WARNINGS, type PayrollWarning } from './calculator.ts';
import { generationFailure, isGenerating, type PayrollWarnings } from './generate.ts';
import { requestRecalculation } from './recalc.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;
type PayrollRow = Selectable<PayrollTable>;

export const PAYROLL_STATUS = {
  generating: '生成中',
  generated: '已生成待审核',
  reviewed: '已审核待审批',
  approved: '已审批（锁定）',
} as const;

const LINE_KIND_LABELS = {
  regular: '正常发放',
  arrears: '补发',
  recovery: '追回',
  reissue: '重新发放',
} as const;

export const LINE_STATUS_LABELS = {
  pending: '待发放',
  paid: '已发放',
  failed: '发放失败',
  held: '暂停发放',
  reissued: '已重新发放',
} as const;
export type LineStatus = keyof typeof LINE_STATUS_LABELS;

function assertMonth(field: string, month: string): void {
  if (!isIsoMonth(month)) throw validationError(field, '月份格式应为 YYYY-MM，如 2015-09');
}

function assertProgram(programCode: string): asserts programCode is keyof typeof PAYROLL_PROGRAMS {
  if (!isPayrollProgram(programCode)) {
    throw validationError(
      'programCode',
      `按月发放的救助项目应为：${Object.entries(PAYROLL_PROGRAMS)
        .map(([c, l]) => `${c}（${l}）`)
        .join('、')}`,
    );
  }
}

function humanActor(actor: Actor, what: string): void {
  if (actor.role === 'system' || actor.userId === null) {
    throw new AppError(ErrorCode.FORBIDDEN, `${what}须由具名用户办理（命令行请用 --user 指定用户名）`);
  }
}

async function payrollOrThrow(db: Db, actor: Actor, id: number): Promise<PayrollRow> {
  const row = await db.selectFrom('payroll').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.county_code !== actor.countyCode) throw notFound(`发放名册（编号 ${id}）`);
  return row;
}

// ---------------------------------------------------------------------------------------------------------
// Generation (the work itself is in generate.ts)

export interface StartPayrollInput {
  programCode: string;
  payMonth: string;
  /** Start over a generated or reviewed (not approved) payroll: its lines are deleted. */
  regenerate?: boolean;
}

/**
 * Creates the payroll row (status 'generating') or finds it. Returns whether there is work to do: a new or
 * regenerated payroll, or one whose generation was interrupted (resume). An approved payroll is locked.
 */
export async function startPayroll(
  trx: Trx,
  actor: Actor,
  input: StartPayrollInput,
  now = new Date(),
): Promise<{ payroll: PayrollRow; run: boolean; resumed: boolean }> {
  requirePermission(actor, 'payroll.generate');
  if (scopeOf(actor).townCode !== null) {
    throw new AppError(ErrorCode.FORBIDDEN, '发放名册由县级生成');
  }
  assertProgram(input.programCode);
  assertMonth('payMonth', input.payMonth);
  const stamp = now.toISOString();
  const existing = await trx
    .selectFrom('payroll')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .where('program_code', '=', input.programCode)
    .where('pay_month', '=', input.payMonth)
    .executeTakeFirst();
  const label = `${PAYROLL_PROGRAMS[input.programCode]} ${input.payMonth} 发放名册`;
  if (existing) {
    if (existing.status === 'approved') {
      throw new AppError(ErrorCode.REFUSED, `${label}已审批锁定，不能重新生成；差额请在下月名册中补发或追回`);
    }
    if (existing.status === 'generating') return { payroll: existing, run: true, resumed: true };
    if (!input.regenerate) return { payroll: existing, run: false, resumed: false };
    if (isGenerating(existing.id)) throw new AppError(ErrorCode.CONFLICT, `${label}正在生成中`);
    await trx.deleteFrom('payroll_line').where('payroll_id', '=', existing.id).execute();
    // Requests honoured by the discarded lines are honoured again by the new ones.
    await trx
      .updateTable('payroll_recalc')
      .set({ done_payroll_id: null })
      .where('done_payroll_id', '=', existing.id)
      .execute();
    const reset = await trx
      .updateTable('payroll')
      .set((eb) => ({
        status: 'generating',
        cursor_enrolment_id: 0,
        expected_count: 0,
        done_count: 0,
        line_count: 0,
        total_fen: 0,
        warnings_json: null,
        generated_by: null,
        generated_at: null,
        reviewed_by: null,
        reviewed_at: null,
        updated_at: stamp,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      actor,
      {
        action: 'payroll.regenerate',
        entityType: 'payroll',
        entityId: existing.id,
        townCode: null,
        before: { status: existing.status, lines: existing.line_count, totalFen: existing.total_fen },
        detail: `重新生成${label}（删除原有 ${existing.line_count} 条未审批明细）`,
      },
      now,
    );
    return { payroll: reset, run: true, resumed: false };
  }
  const payroll = await trx
    .insertInto('payroll')
    .values({
      county_code: actor.countyCode,
      program_code: input.programCode,
      pay_month: input.payMonth,
      status: 'generating',
      warnings_json: null,
      created_at: stamp,
      updated_at: stamp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    actor,
    {
      action: 'payroll.generate',
      entityType: 'payroll',
      entityId: payroll.id,
      townCode: null,
      after: { programCode: input.programCode, payMonth: input.payMonth },
      detail: `开始生成${label}`,
    },
    now,
  );
  return { payroll, run: true, resumed: false };
}

// ---------------------------------------------------------------------------------------------------------
// Review and approval

export async function reviewPayroll(trx: Trx, actor: Actor, id: number, now = new Date()) {
  requirePermission(actor, 'payroll.review');
  humanActor(actor, '审核发放名册');
  const p = await payrollOrThrow(trx, actor, id);
  if (p.status !== 'generated') {
    throw new AppError(
      ErrorCode.REFUSED,
      `发放名册当前状态为“${PAYROLL_STATUS[p.status]}”，只有已生成的名册可以审核`,
    );
  }
  const stamp = now.toISOString();
  const res = await trx
    .updateTable('payroll')
    .set((eb) => ({
      status: 'reviewed',
      reviewed_by: actor.username,
      reviewed_at: stamp,
      updated_at: stamp,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'generated')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1)
    throw new AppError(ErrorCode.CONFLICT, '发放名册已被他人处理，请刷新');
  await appendAudit(
    trx,
    actor,
    {
      action: 'payroll.review',
      entityType: 'payroll',
      entityId: id,
      townCode: null,
      before: { status: p.status },
      after: { status: 'reviewed', lines: p.line_count, totalFen: p.total_fen },
      detail: `审核发放名册 ${p.program_code} ${p.pay_month}`,
    },
    now,
  );
  return getPayroll(trx, actor, id);
}

/**
 * 审批: a second person, neither the one who generated nor the one who reviewed (four-eyes). Posts every line
 * to the ledger (payment / arrears / recovery) in this transaction, marks the policy versions used, locks.
 */
export async function approvePayroll(trx: Trx, actor: Actor, id: number, now = new Date()) {
  requirePermission(actor, 'payroll.approve');
  humanActor(actor, '审批发放名册');
  const p = await payrollOrThrow(trx, actor, id);
  if (p.status !== 'reviewed') {
    throw new AppError(ErrorCode.REFUSED, `发放名册当前状态为“${PAYROLL_STATUS[p.status]}”，须先审核后审批`);
  }
  if (actor.username === p.generated_by) {
    throw new AppError(ErrorCode.REFUSED, '审批人不能是名册的生成人（双人复核，DOMAIN §16）');
  }
  if (actor.username === p.reviewed_by) {
    throw new AppError(ErrorCode.REFUSED, '审批人不能是名册的审核人（双人复核，DOMAIN §16）');
  }
  const stamp = now.toISOString();
  const res = await trx
    .updateTable('payroll')
    .set((eb) => ({
      status: 'approved',
      approved_by: actor.username,
      approved_at: stamp,
      updated_at: stamp,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'reviewed')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1)
    throw new AppError(ErrorCode.CONFLICT, '发放名册已被他人处理，请刷新');

  // One INSERT … SELECT: a million lines post without leaving the database.
  await trx
    .insertInto('payment_ledger')
    .columns([
      'county_code',
      'town_code',
      'program_code',
      'household_id',
      'person_id',
      'enrolment_id',
      'benefit_month',
      'pay_month',
      'component',
      'fund_source',
      'amount_fen',
      'entry_kind',
      'payroll_id',
      'payroll_line_id',
      'reason',
      'posted_by',
      'posted_at',
    ])
    .expression(
      trx
        .selectFrom('payroll_line as l')
        .select([
          'l.county_code',
          'l.town_code',
          'l.program_code',
          'l.household_id',
          'l.person_id',
          'l.enrolment_id',
          'l.benefit_month',
          sql<string>`${p.pay_month}`.as('pay_month'),
          'l.component',
          'l.fund_source',
          'l.amount_fen',
          sql<string>`case l.line_kind when 'regular' then 'payment' else l.line_kind end`.as('entry_kind'),
          'l.payroll_id',
          'l.id',
          'l.reason',
          sql<string>`${actor.username}`.as('posted_by'),
          sql<string>`${stamp}`.as('posted_at'),
        ])
        .where('l.payroll_id', '=', id),
    )
    .execute();
  const policies = await trx
    .selectFrom('payroll_line')
    .select('policy_id')
    .distinct()
    .where('payroll_id', '=', id)
    .where('policy_id', 'is not', null)
    .execute();
  await markPolicyUsed(trx, [
    ...policies.map((r) => r.policy_id as number),
    ...(await dibaoStandardsRead(trx, p.county_code, p.program_code, id)),
  ]);
  await appendAudit(
    trx,
    actor,
    {
      action: 'payroll.approve',
      entityType: 'payroll',
      entityId: id,
      townCode: null,
      before: { status: p.status },
      after: {
        status: 'approved',
        lines: p.line_count,
        totalFen: p.total_fen,
        generatedBy: p.generated_by,
        reviewedBy: p.reviewed_by,
        policyIds: policies.map((r) => r.policy_id),
      },
      detail: `审批发放名册 ${p.program_code} ${p.pay_month}：${p.line_count} 条记入发放台账，名册锁定`,
    },
    now,
  );
  return getPayroll(trx, actor, id);
}

// ---------------------------------------------------------------------------------------------------------
// Reading

function warningsFor(json: string | null, townCode: string | null) {
  const w = JSON.parse(json ?? '{}') as PayrollWarnings;
  return (Object.keys(PAYROLL_WARNINGS) as PayrollWarning[])
    .map((code) => {
      const byTown = w[code] ?? {};
      const count = Object.entries(byTown)
        .filter(([t]) => townCode === null || t === townCode)
        .reduce((s, [, n]) => s + n, 0);
      return { code, label: PAYROLL_WARNINGS[code], count, byTown: townCode === null ? byTown : undefined };
    })
    .filter((x) => x.count > 0);
}

function summary(p: PayrollRow) {
  return {
    id: p.id,
    countyCode: p.county_code,
    programCode: p.program_code,
    programLabel: PAYROLL_PROGRAMS[p.program_code as keyof typeof PAYROLL_PROGRAMS] ?? p.program_code,
    payMonth: p.pay_month,
    status: p.status,
    statusLabel: PAYROLL_STATUS[p.status],
    generatedBy: p.generated_by,
    generatedAt: p.generated_at,
    reviewedBy: p.reviewed_by,
    reviewedAt: p.reviewed_at,
    approvedBy: p.approved_by,
    approvedAt: p.approved_at,
    version: p.version,
  };
}

async function townTotals(db: Db, payrollId: number, townCode: string | null) {
  let q = db
    .selectFrom('payroll_line')
    .select((eb) => [
      'town_code',
      'component',
      'line_kind',
      eb.fn.countAll<number>().as('n'),
      eb.fn.count<number>('enrolment_id').distinct().as('enrolments'),
      eb.fn.count<number>('household_id').distinct().as('households'),
      eb.fn.sum<number>('amount_fen').as('total'),
    ])
    .where('payroll_id', '=', payrollId);
  if (townCode !== null) q = q.where('town_code', '=', townCode);
  return q.groupBy(['town_code', 'component', 'line_kind']).execute();
}

/**
 * 户数/人数 of payrolls (in the user's town, if any): the households and persons paid for the pay month
 * itself, i.e. having a 'regular' line (arrears, recoveries and reissues concern other months or
 * deliveries, and are counted in byTownComponent only). Persons: a person line (特困, 单人保: the
 * enrolment names its person) counts one person; a household line counts the members the decision
 * behind the line counted (benefit_decision.members_json, the counted members — not everyone living in
 * the household), falling back to the household's current members only if the line has no dibao
 * decision. One grouped query over all the payrolls asked for.
 */
async function coverage(
  db: Db,
  payrollIds: readonly number[],
  townCode: string | null,
): Promise<Map<number, { householdCount: number; personCount: number }>> {
  const out = new Map<number, { householdCount: number; personCount: number }>();
  if (payrollIds.length === 0) return out;
  const members = isPostgres(db as Kysely<Database>)
    ? sql<number>`case when json_typeof(d.members_json::json) = 'array' then json_array_length(d.members_json::json) end`
    : sql<number>`case when json_type(d.members_json) = 'array' then json_array_length(d.members_json) end`;
  const town = townCode === null ? sql`` : sql`and l.town_code = ${townCode}`;
  const ids = sql.join(payrollIds.map((id) => sql`${id}`));
  const res = await sql<{ payroll_id: number; households: number; persons: number }>`
    select x.payroll_id,
      count(distinct x.household_id) as households,
      sum(case when x.person_id is not null then 1
          else coalesce(${members}, (select count(*) from household_member m
                                     where m.household_id = x.household_id and m.valid_to is null)) end) as persons
    from (
      select distinct l.payroll_id, l.enrolment_id, l.household_id, l.person_id, l.decision_id
      from payroll_line l
      where l.payroll_id in (${ids}) and l.line_kind = 'regular' ${town}
    ) x
    left join benefit_decision d on d.id = x.decision_id and x.person_id is null
    group by x.payroll_id
  `.execute(db);
  for (const r of res.rows) {
    out.set(Number(r.payroll_id), {
      householdCount: Number(r.households),
      personCount: Number(r.persons ?? 0),
    });
  }
  return out;
}

export async function listPayrolls(db: Db, actor: Actor, filter: { month?: string; program?: string }) {
  requirePermission(actor, 'payroll.read');
  const scope = scopeOf(actor);
  let q = db.selectFrom('payroll').selectAll().where('county_code', '=', scope.countyCode);
  if (filter.month) q = q.where('pay_month', '=', filter.month);
  if (filter.program) q = q.where('program_code', '=', filter.program);
  const rows = await q.orderBy('pay_month', 'desc').orderBy('program_code').limit(200).execute();
  const counts = await coverage(
    db,
    rows.filter((p) => p.status !== 'generating').map((p) => p.id),
    scope.townCode,
  );
  const out = [];
  for (const p of rows) {
    let lineCount = p.line_count;
    let totalFen = p.total_fen;
    if (scope.townCode !== null) {
      const t = await db
        .selectFrom('payroll_line')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_fen').as('total')])
        .where('payroll_id', '=', p.id)
        .where('town_code', '=', scope.townCode)
        .executeTakeFirstOrThrow();
      lineCount = Number(t.n);
      totalFen = Number(t.total ?? 0);
    }
    // Unknown (null) while the payroll is being generated.
    const c = p.status === 'generating' ? null : (counts.get(p.id) ?? { householdCount: 0, personCount: 0 });
    out.push({
      ...summary(p),
      lineCount,
      totalFen,
      householdCount: c?.householdCount ?? null,
      personCount: c?.personCount ?? null,
    });
  }
  return { items: out, townCode: scope.townCode };
}

export async function getPayroll(db: Db, actor: Actor, id: number) {
  requirePermission(actor, 'payroll.read');
  const scope = scopeOf(actor);
  // Read before the row: a generation that ends meanwhile then shows as generated, never as stalled.
  const running = isGenerating(id);
  const failure = generationFailure(id);
  const p = await payrollOrThrow(db, actor, id);
  const rows = p.status === 'generating' ? [] : await townTotals(db, id, scope.townCode);
  const towns = await db
    .selectFrom('area')
    .select(['code', 'name'])
    .where('parent_code', '=', p.county_code)
    .where('level', '=', 'town')
    .execute();
  const townName = new Map(towns.map((t) => [t.code, t.name]));
  const byTown = new Map<
    string,
    { townCode: string; townName: string; lines: number; totalFen: number; households: number }
  >();
  const byComponent = new Map<
    string,
    { component: string; label: string; lineKind: string; kindLabel: string; lines: number; totalFen: number }
  >();
  // The 乡镇 × 组成 cross table: one cell per town, component and line kind (the rows of townTotals).
  const byTownComponent = rows
    .map((r) => ({
      townCode: r.town_code,
      townName: townName.get(r.town_code) ?? r.town_code,
      component: r.component,
      label: COMPONENTS[r.component as keyof typeof COMPONENTS] ?? r.component,
      lineKind: r.line_kind,
      kindLabel: LINE_KIND_LABELS[r.line_kind as keyof typeof LINE_KIND_LABELS] ?? r.line_kind,
      lines: Number(r.n),
      /** Distinct households with a line in this cell. */
      householdCount: Number(r.households),
      totalFen: Number(r.total ?? 0),
    }))
    .sort(
      (a, b) =>
        a.townCode.localeCompare(b.townCode) ||
        a.component.localeCompare(b.component) ||
        a.lineKind.localeCompare(b.lineKind),
    );
  const counts =
    p.status === 'generating' ? null : ((await coverage(db, [p.id], scope.townCode)).get(p.id) ?? null);
  let lines = 0;
  let totalFen = 0;
  for (const r of rows) {
    const n = Number(r.n);
    const total = Number(r.total ?? 0);
    lines += n;
    totalFen += total;
    const t = byTown.get(r.town_code) ?? {
      townCode: r.town_code,
      townName: townName.get(r.town_code) ?? r.town_code,
      lines: 0,
      totalFen: 0,
      households: 0,
    };
    t.lines += n;
    t.totalFen += total;
    if (r.line_kind === 'regular' && (r.component === 'dibao_base' || r.component === 'tekun_basic')) {
      t.households += Number(r.enrolments);
    }
    byTown.set(r.town_code, t);
    const key = `${r.component}|${r.line_kind}`;
    const c = byComponent.get(key) ?? {
      component: r.component,
      label: COMPONENTS[r.component as keyof typeof COMPONENTS] ?? r.component,
      lineKind: r.line_kind,
      kindLabel: LINE_KIND_LABELS[r.line_kind as keyof typeof LINE_KIND_LABELS] ?? r.line_kind,
      lines: 0,
      totalFen: 0,
    };
    c.lines += n;
    c.totalFen += total;
    byComponent.set(key, c);
  }
  return {
    ...summary(p),
    townCode: scope.townCode,
    progress: {
      done: p.done_count,
      total: p.expected_count,
      running,
      error: p.status === 'generating' ? failure : null,
    },
    lineCount: scope.townCode === null && p.status === 'generating' ? p.line_count : lines,
    totalFen: scope.townCode === null && p.status === 'generating' ? p.total_fen : totalFen,
    /** 户数/人数 paid for the pay month (see coverage()); null while generating. */
    householdCount: p.status === 'generating' ? null : (counts?.householdCount ?? 0),
    personCount: p.status === 'generating' ? null : (counts?.personCount ?? 0),
    byTown: [...byTown.values()].sort((a, b) => a.townCode.localeCompare(b.townCode)),
    byComponent: [...byComponent.values()].sort(
      (a, b) => a.component.localeCompare(b.component) || a.lineKind.localeCompare(b.lineKind),
    ),
    byTownComponent,
    warnings: warningsFor(p.warnings_json, scope.townCode),
  };
}

export async function listPayrollLines(
  db: Db,
  actor: Actor,
  id: number,
  filter: { townCode?: string; lineKind?: string; status?: LineStatus; page: number; pageSize: number },
) {
  requirePermission(actor, 'payroll.read');
  const scope = scopeOf(actor);
  await payrollOrThrow(db, actor, id);
  if (filter.townCode && scope.townCode !== null && filter.townCode !== scope.townCode) {
    throw forbiddenArea('乡镇的发放明细', {
      entityType: 'payroll',
      entityId: id,
      countyCode: scope.countyCode,
      townCode: filter.townCode,
      attempted: '查看',
    });
  }
  const town = scope.townCode ?? filter.townCode ?? null;
  let q = db
    .selectFrom('payroll_line as l')
    .leftJoin('household as h', 'h.id', 'l.household_id')
    .leftJoin('person as head', 'head.id', 'h.head_person_id')
    .leftJoin('person as p', 'p.id', 'l.person_id')
    .where('l.payroll_id', '=', id);
  if (town !== null) q = q.where('l.town_code', '=', town);
  if (filter.lineKind) q = q.where('l.line_kind', '=', filter.lineKind as 'regular');
  if (filter.status) q = q.where('l.status', '=', filter.status);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'l.id',
      'l.town_code',
      'l.village_code',
      'l.enrolment_id',
      'l.household_id',
      'l.person_id',
      'l.benefit_month',
      'l.component',
      'l.line_kind',
      'l.amount_fen',
      'l.fund_source',
      'l.policy_id',
      'l.decision_id',
      'l.reason',
      'l.bank_name',
      'l.bank_account',
      'l.account_holder',
      'l.status',
      'l.failure_reason',
      'head.name as head_name',
      'p.name as person_name',
    ])
    .orderBy('l.enrolment_id')
    .orderBy('l.benefit_month')
    .orderBy('l.component')
    .orderBy('l.line_kind')
    .offset((filter.page - 1) * filter.pageSize)
    .limit(filter.pageSize)
    .execute();
  return {
    total: Number(total.n),
    page: filter.page,
    pageSize: filter.pageSize,
    items: rows.map((r) => ({
      id: r.id,
      townCode: r.town_code,
      villageCode: r.village_code,
      enrolmentId: r.enrolment_id,
      householdId: r.household_id,
      personId: r.person_id,
      name: r.person_name ?? r.head_name,
      benefitMonth: r.benefit_month,
      component: r.component,
      componentLabel: COMPONENTS[r.component as keyof typeof COMPONENTS] ?? r.component,
      lineKind: r.line_kind,
      lineKindLabel: LINE_KIND_LABELS[r.line_kind] ?? r.line_kind,
      amountFen: r.amount_fen,
      fundSource: r.fund_source,
      fundSourceLabel: FUND_SOURCES[r.fund_source as keyof typeof FUND_SOURCES] ?? r.fund_source,
      policyId: r.policy_id,
      decisionId: r.decision_id,
      reason: r.reason,
      bankName: r.bank_name,
      bankAccount: maskBankAccount(r.bank_account),
      accountHolder: r.account_holder,
      status: r.status,
      statusLabel: LINE_STATUS_LABELS[r.status] ?? r.status,
      /** The bank's reason of the line's latest failed transfer (from the return file), if any. */
      failureReason: r.failure_reason,
    })),
  };
}

/** A household's payment history from the ledger, newest first. */
export async function householdPayments(
  db: Db,
  actor: Actor,
  householdId: number,
  page: { page: number; pageSize: number },
) {
  requirePermission(actor, 'payroll.read');
  const scope = scopeOf(actor);
  const h = await findHousehold(db, scope, householdId);
  if (!h) {
    const located = await locateHousehold(db, householdId);
    if (!located || located.county_code !== scope.countyCode) throw notFound(`家庭（编号 ${householdId}）`);
    throw forbiddenArea('家庭', {
      entityType: 'household',
      entityId: householdId,
      countyCode: located.county_code,
      townCode: located.town_code,
      attempted: '查看发放记录',
    });
  }
  const base = db.selectFrom('payment_ledger').where('household_id', '=', householdId);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('pay_month', 'desc')
    .orderBy('id', 'desc')
    .offset((page.page - 1) * page.pageSize)
    .limit(page.pageSize)
    .execute();
  return {
    total: Number(total.n),
    page: page.page,
    pageSize: page.pageSize,
    items: rows.map((r) => ({
      id: r.id,
      programCode: r.program_code,
      personId: r.person_id,
      enrolmentId: r.enrolment_id,
      benefitMonth: r.benefit_month,
      payMonth: r.pay_month,
      component: r.component,
      componentLabel: COMPONENTS[r.component as keyof typeof COMPONENTS] ?? r.component,
      fundSource: r.fund_source,
      amountFen: r.amount_fen,
      entryKind: r.entry_kind,
      entryKindLabel: LEDGER_ENTRY_KINDS[r.entry_kind] ?? r.entry_kind,
      payrollId: r.payroll_id,
      oneOffId: r.one_off_id,
      reason: r.reason,
      postedBy: r.posted_by,
      postedAt: r.posted_at,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Price indices (DOMAIN §8.4)

export interface PriceIndexInput {
  cpiYoY: string | null;
  foodYoY: string | null;
  publishedOn?: string | null;
  source?: string | null;
}

function priceIndexView(r: {
  month: string;
  cpi_yoy: string | null;
  food_yoy: string | null;
  published_on: string | null;
  source: string | null;
  created_by: string;
  created_at: string;
}) {
  return {
    month: r.month,
    cpiYoY: r.cpi_yoy,
    foodYoY: r.food_yoy,
    publishedOn: r.published_on,
    source: r.source,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export async function getPriceIndex(db: Db, actor: Actor, month: string) {
  requirePermission(actor, 'payroll.read');
  assertMonth('month', month);
  const row = await db
    .selectFrom('price_index')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .where('month', '=', month)
    .executeTakeFirst();
  if (!row) throw notFound(`${month} 的价格指数`);
  return priceIndexView(row);
}

export async function listPriceIndices(db: Db, actor: Actor) {
  requirePermission(actor, 'payroll.read');
  const rows = await db
    .selectFrom('price_index')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .orderBy('month', 'desc')
    .execute();
  return { items: rows.map(priceIndexView) };
}

/**
 * Records (or corrects) the year-on-year CPI and food-price rises of a month. A correction of a month an
 * approved payroll already paid asks the next payrolls to recalculate the price subsidy (补发/追回).
 */
export async function setPriceIndex(
  trx: Trx,
  actor: Actor,
  month: string,
  input: PriceIndexInput,
  now = new Date(),
) {
  requirePermission(actor, 'payroll.generate');
  if (scopeOf(actor).townCode !== null) throw new AppError(ErrorCode.FORBIDDEN, '价格指数由县级录入');
  assertMonth('month', month);
  const stamp = now.toISOString();
  const before = await trx
    .selectFrom('price_index')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .where('month', '=', month)
    .executeTakeFirst();
  const values = {
    cpi_yoy: input.cpiYoY,
    food_yoy: input.foodYoY,
    published_on: input.publishedOn ?? null,
    source: input.source ?? null,
    created_by: actor.username,
    created_at: stamp,
  };
  const row = before
    ? await trx
        .updateTable('price_index')
        .set(values)
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await trx
        .insertInto('price_index')
        .values({ county_code: actor.countyCode, month, ...values })
        .returningAll()
        .executeTakeFirstOrThrow();
  const recalculation: string[] = [];
  if (before && (before.cpi_yoy !== input.cpiYoY || before.food_yoy !== input.foodYoY)) {
    const paid = await trx
      .selectFrom('payroll')
      .select('program_code')
      .distinct()
      .where('county_code', '=', actor.countyCode)
      .where('status', '=', 'approved')
      .where('pay_month', '>=', month)
      .execute();
    for (const p of paid) {
      await requestRecalculation(trx, {
        countyCode: actor.countyCode,
        programCode: p.program_code,
        fromMonth: month,
        reason: `价格指数更正（${month}）`,
        now,
      });
      recalculation.push(p.program_code);
    }
  }
  await appendAudit(
    trx,
    actor,
    {
      action: 'price_index.set',
      entityType: 'price_index',
      entityId: row.id,
      townCode: null,
      before: before ? priceIndexView(before) : undefined,
      after: { ...priceIndexView(row), recalculation },
      detail: `录入 ${month} 价格指数：CPI 同比 ${input.cpiYoY ?? '—'}%，食品同比 ${input.foodYoY ?? '—'}%`,
    },
    now,
  );
  return { ...priceIndexView(row), recalculation };
}

/**
 * The dibao versions a payroll's amounts were built on without being the lines' own version: a 特困 basic
 * standard that is a multiple of the dibao standard (DOMAIN §5.5) and the price subsidy (standard × index rise,
 * §8.4). They count as used too, so none of them can be edited in place after the payment.
 */
async function dibaoStandardsRead(
  trx: Transaction<Database>,
  countyCode: string,
  programCode: string,
  payrollId: number,
): Promise<number[]> {
  const rows = await trx
    .selectFrom('payroll_line as l')
    .innerJoin('policy_parameter as pp', 'pp.id', 'l.policy_id')
    .select(['l.town_code', 'l.benefit_month', 'l.component', 'pp.body'])
    .distinct()
    .where('l.payroll_id', '=', payrollId)
    .where('l.component', 'in', ['tekun_basic', 'price_subsidy'])
    .execute();
  const ownGroup = programCode.startsWith('urban') ? 'urban_dibao' : 'rural_dibao';
  const ids: number[] = [];
  for (const r of rows) {
    let program: 'urban_dibao' | 'rural_dibao' | null = ownGroup;
    if (r.component === 'tekun_basic') {
      const basic = (
        JSON.parse(r.body) as { basic?: { method?: string; dibaoProgram?: 'urban_dibao' | 'rural_dibao' } }
      ).basic;
      program = basic?.method === 'multiple_of_dibao' ? (basic.dibaoProgram ?? null) : null;
    }
    if (!program) continue;
    const standard = await resolveDibaoStandard(trx, {
      countyCode,
      townCode: r.town_code,
      program,
      month: r.benefit_month,
    });
    if (standard) ids.push(standard.policyId);
  }
  return ids;
}
