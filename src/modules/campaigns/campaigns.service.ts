/**
 * 核查 campaigns (DOMAIN §3, §4.9, §9, §10, §11; seed report, July 2014): rules as data per county, a campaign over
 * a population (programs × towns, enrolments active at as-of), a run that applies the rules one by one (set-based
 * SQL in campaigns.repository.ts, pure judges in src/domain/campaign/rules.ts) and writes findings with a review
 * task for the town, the town's outcome (维持/退出/追回 — an exit or a recovery opens the enrolment's change case, so
 * the county's decision follows the workflow), and the summary in the words of the county's report.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AuditCampaignTable, AuditRuleTable, Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { isWithinScope, scopeOf } from '../../domain/access/area-scope.ts';
import { hasPermission } from '../../domain/access/roles.ts';
import { addDays, chinaDate, isIsoDate, monthOf } from '../../domain/calendar/dates.ts';
import {
  CATEGORIES,
  CATEGORY_CODES,
  type Category,
  DEFAULT_RULES,
  type DeptRow,
  type HouseholdCandidate,
  isRuleType,
  type Judgement,
  judgeBusiness,
  judgeDeceased,
  judgeDeposits,
  judgeDuplicate,
  judgeIncome,
  judgeMissed,
  judgePublicPayroll,
  judgeRealEstate,
  judgeSharedAccount,
  judgeStaffRelative,
  judgeVehicle,
  type ParamsOf,
  parseRuleParams,
  RULE_TYPES,
  type RuleType,
  type StaffLink,
} from '../../domain/campaign/rules.ts';
import { type PopulationCell, summarise } from '../../domain/campaign/summary.ts';
import { maskBankAccount } from '../../domain/household/masking.ts';
import { maskIdNumber } from '../../domain/identity/resident-id.ts';
import { decimal, int, mul, roundFen } from '../../domain/money/money.ts';
import { enrolledProcedureFor, MACHINES, type Program } from '../../domain/workflow/procedures.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { CASE_PROGRAMS, openCase, takeAction } from '../cases/cases.service.ts';
import {
  AppError,
  ErrorCode,
  forbiddenArea,
  notFound,
  staleVersion,
  validationError,
} from '../errors/app-error.ts';
import { loadPolicyTimeline, type PolicyTimeline } from '../policy/policy.service.ts';
import * as repo from './campaigns.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;
type RuleRow = Selectable<AuditRuleTable>;
type CampaignRow = Selectable<AuditCampaignTable>;

/** Programs a campaign can cover: the enrolled ones (低保, 特困). */
export const CAMPAIGN_PROGRAMS = ['urban_dibao', 'rural_dibao', 'urban_tekun', 'rural_tekun'] as const;

const STATUS_LABELS: Record<CampaignRow['status'], string> = {
  draft: '未运行',
  running: '运行中',
  done: '已完成',
  failed: '运行失败',
};
const OUTCOME_LABELS = { keep: '维持', exit: '退出', recover: '退出并追回' } as const;

// ---------------------------------------------------------------------------------------------------------
// Rules

function toRule(r: RuleRow) {
  const type = r.rule_type as RuleType;
  const def = isRuleType(type) ? RULE_TYPES[type] : null;
  return {
    id: r.id,
    code: r.code,
    type: r.rule_type,
    typeLabel: def?.label ?? r.rule_type,
    label: r.label,
    category: r.category,
    categoryLabel: CATEGORIES[r.category as Category] ?? r.category,
    params: JSON.parse(r.params_json) as Record<string, unknown>,
    enabled: r.enabled === 1,
    builtin: r.builtin === 1,
    description: def?.description ?? '',
    sources: def?.sources ?? [],
    version: r.version,
    updatedAt: r.updated_at,
  };
}

/** The default rule set (one per type, DOMAIN-cited defaults); inserts only the missing ones. */
export async function ensureDefaultRules(db: Db, countyCode: string, now = new Date()): Promise<number> {
  const existing = new Set(
    (await db.selectFrom('audit_rule').select('code').where('county_code', '=', countyCode).execute()).map(
      (r) => r.code,
    ),
  );
  const missing = DEFAULT_RULES.filter((r) => !existing.has(r.code));
  if (missing.length === 0) return 0;
  const ts = now.toISOString();
  await db
    .insertInto('audit_rule')
    .values(
      missing.map((r) => ({
        county_code: countyCode,
        code: r.code,
        rule_type: r.type,
        label: r.label,
        category: r.category,
        params_json: JSON.stringify(r.params),
        enabled: 1,
        builtin: 1,
        created_by: 'system',
        created_at: ts,
        updated_at: ts,
      })),
    )
    .onConflict((oc) => oc.columns(['county_code', 'code']).doNothing())
    .execute();
  return missing.length;
}

export async function listRules(db: Db, actor: Actor, now = new Date()) {
  requirePermission(actor, 'campaign.read');
  await ensureDefaultRules(db, actor.countyCode, now);
  const rows = await db
    .selectFrom('audit_rule')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .orderBy('builtin', 'desc')
    .orderBy('id')
    .execute();
  return { items: rows.map(toRule) };
}

function paramsOrThrow(type: RuleType, params: unknown): Record<string, unknown> {
  const parsed = parseRuleParams(type, params ?? {});
  if (parsed.ok) return parsed.params;
  const issues = parsed.issues.map((i) => ({
    field: i.path ? `params.${i.path}` : 'params',
    message: i.message,
  }));
  const first = issues[0] ?? { field: 'params', message: '规则参数不正确' };
  throw new AppError(ErrorCode.VALIDATION, `${first.field}：${first.message}`, {
    field: first.field,
    issues,
  });
}

export interface CreateRuleInput {
  code: string;
  type: string;
  label?: string;
  category?: string;
  params?: unknown;
  enabled?: boolean;
}

export async function createRule(trx: Trx, actor: Actor, input: CreateRuleInput, now = new Date()) {
  requirePermission(actor, 'campaign.manage');
  await ensureDefaultRules(trx, actor.countyCode, now);
  if (!isRuleType(input.type)) {
    throw validationError('type', `规则类型应为以下之一：${Object.keys(RULE_TYPES).join('、')}`);
  }
  if (!/^[a-z][a-z0-9_]{1,39}$/.test(input.code)) {
    throw validationError('code', '规则代码应为 2–40 位小写字母、数字或下划线，以字母开头');
  }
  if (input.category !== undefined && !Object.hasOwn(CATEGORIES, input.category)) {
    throw validationError(
      'category',
      `问题类别应为：${Object.entries(CATEGORIES)
        .map(([k, v]) => `${k}（${v}）`)
        .join('、')}`,
    );
  }
  const params = paramsOrThrow(input.type, input.params);
  const dup = await trx
    .selectFrom('audit_rule')
    .select('id')
    .where('county_code', '=', actor.countyCode)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (dup) throw new AppError(ErrorCode.CONFLICT, `规则代码 ${input.code} 已存在`, { field: 'code' });
  const def = RULE_TYPES[input.type];
  const ts = now.toISOString();
  const row = await trx
    .insertInto('audit_rule')
    .values({
      county_code: actor.countyCode,
      code: input.code,
      rule_type: input.type,
      label: input.label?.trim() || def.label,
      category: input.category ?? def.category,
      params_json: JSON.stringify(params),
      enabled: input.enabled === false ? 0 : 1,
      builtin: 0,
      created_by: actor.username,
      created_at: ts,
      updated_at: ts,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    actor,
    {
      action: 'campaign.rule.create',
      entityType: 'audit_rule',
      entityId: row.id,
      countyCode: actor.countyCode,
      townCode: null,
      after: toRule(row),
    },
    now,
  );
  return toRule(row);
}

export interface UpdateRuleInput {
  version: number;
  label?: string;
  params?: unknown;
  enabled?: boolean;
}

export async function updateRule(
  trx: Trx,
  actor: Actor,
  code: string,
  input: UpdateRuleInput,
  now = new Date(),
) {
  requirePermission(actor, 'campaign.manage');
  await ensureDefaultRules(trx, actor.countyCode, now);
  const row = await trx
    .selectFrom('audit_rule')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) throw notFound(`核查规则 ${code}`);
  if (row.version !== input.version) throw staleVersion('该核查规则');
  const type = row.rule_type as RuleType;
  const params =
    input.params === undefined
      ? (JSON.parse(row.params_json) as Record<string, unknown>)
      : paramsOrThrow(type, input.params);
  const updated = await trx
    .updateTable('audit_rule')
    .set({
      label: input.label?.trim() || row.label,
      params_json: JSON.stringify(params),
      enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
      version: row.version + 1,
      updated_at: now.toISOString(),
    })
    .where('id', '=', row.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw staleVersion('该核查规则');
  await appendAudit(
    trx,
    actor,
    {
      action: 'campaign.rule.update',
      entityType: 'audit_rule',
      entityId: row.id,
      countyCode: actor.countyCode,
      townCode: null,
      before: toRule(row),
      after: toRule(updated),
    },
    now,
  );
  return toRule(updated);
}

// ---------------------------------------------------------------------------------------------------------
// Campaigns

interface FrozenRule {
  code: string;
  type: RuleType;
  label: string;
  category: string;
  params: Record<string, unknown>;
  /** Filled as the run goes. */
  findings?: number;
  note?: string | null;
}

function parseJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

function toCampaign(c: CampaignRow) {
  return {
    id: c.id,
    title: c.title,
    programCodes: parseJson<string[]>(c.program_codes, []),
    townCodes: parseJson<string[]>(c.town_codes, []),
    ruleCodes: parseJson<string[]>(c.rule_codes, []),
    rules: parseJson<FrozenRule[] | null>(c.rules_json, null),
    asOf: c.as_of,
    reviewDueDays: c.review_due_days,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status] ?? c.status,
    progress: { rulesDone: c.rules_done, rulesTotal: c.rules_total },
    population: parseJson<{ cells: PopulationCell[] } | null>(c.population_json, null),
    findingCount: c.finding_count,
    error: c.error,
    createdBy: c.created_by,
    createdAt: c.created_at,
    startedAt: c.started_at,
    finishedAt: c.finished_at,
  };
}

export interface CreateCampaignInput {
  title: string;
  programCodes?: string[];
  townCodes?: string[];
  ruleCodes?: string[];
  asOf?: string;
  reviewDueDays?: number;
}

export async function createCampaign(trx: Trx, actor: Actor, input: CreateCampaignInput, now = new Date()) {
  requirePermission(actor, 'campaign.manage');
  await ensureDefaultRules(trx, actor.countyCode, now);
  const title = input.title?.trim() ?? '';
  if (title.length === 0) throw validationError('title', '请填写核查名称');
  const programCodes = input.programCodes?.length ? [...new Set(input.programCodes)] : [...CAMPAIGN_PROGRAMS];
  for (const p of programCodes) {
    if (!(CAMPAIGN_PROGRAMS as readonly string[]).includes(p)) {
      throw validationError(
        'programCodes',
        `核查项目应为：${CAMPAIGN_PROGRAMS.map((c) => `${c}（${CASE_PROGRAMS[c]}）`).join('、')}`,
      );
    }
  }
  const townCodes = [...new Set(input.townCodes ?? [])];
  if (townCodes.length > 0) {
    const towns = await trx
      .selectFrom('area')
      .select('code')
      .where('code', 'in', townCodes)
      .where('level', '=', 'town')
      .where('parent_code', '=', actor.countyCode)
      .execute();
    const known = new Set(towns.map((t) => t.code));
    const bad = townCodes.filter((t) => !known.has(t));
    if (bad.length > 0) throw validationError('townCodes', `${bad.join('、')} 不是本县的乡镇`);
  }
  const today = chinaDate(now);
  const asOf = input.asOf ?? today;
  if (!isIsoDate(asOf)) throw validationError('asOf', '核查基准日应为 YYYY-MM-DD 格式的有效日期');
  if (asOf > today) throw validationError('asOf', `核查基准日 ${asOf} 晚于今天`);
  const reviewDueDays = input.reviewDueDays ?? 30;
  if (!Number.isInteger(reviewDueDays) || reviewDueDays < 1 || reviewDueDays > 365) {
    throw validationError('reviewDueDays', '复核期限应为 1 至 365 天');
  }
  const rules = await trx
    .selectFrom('audit_rule')
    .select(['code', 'enabled'])
    .where('county_code', '=', actor.countyCode)
    .execute();
  let ruleCodes: string[];
  if (input.ruleCodes?.length) {
    ruleCodes = [...new Set(input.ruleCodes)];
    const known = new Map(rules.map((r) => [r.code, r.enabled]));
    const bad = ruleCodes.filter((c) => !known.has(c));
    if (bad.length > 0) throw validationError('ruleCodes', `没有这些核查规则：${bad.join('、')}`);
    const off = ruleCodes.filter((c) => known.get(c) !== 1);
    if (off.length > 0) throw validationError('ruleCodes', `这些核查规则已停用：${off.join('、')}`);
  } else {
    ruleCodes = rules.filter((r) => r.enabled === 1).map((r) => r.code);
  }
  if (ruleCodes.length === 0) throw validationError('ruleCodes', '至少选择一条启用的核查规则');
  const row = await trx
    .insertInto('audit_campaign')
    .values({
      county_code: actor.countyCode,
      title,
      program_codes: JSON.stringify(programCodes),
      town_codes: JSON.stringify(townCodes),
      rule_codes: JSON.stringify(ruleCodes),
      rules_json: null,
      as_of: asOf,
      review_due_days: reviewDueDays,
      status: 'draft',
      rules_done: 0,
      rules_total: ruleCodes.length,
      population_json: null,
      finding_count: 0,
      error: null,
      created_by: actor.username,
      created_at: now.toISOString(),
      started_at: null,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    actor,
    {
      action: 'campaign.create',
      entityType: 'audit_campaign',
      entityId: row.id,
      countyCode: actor.countyCode,
      townCode: null,
      after: toCampaign(row),
    },
    now,
  );
  return toCampaign(row);
}

async function campaignOrThrow(db: Db, actor: Actor, id: number): Promise<CampaignRow> {
  const row = await db
    .selectFrom('audit_campaign')
    .selectAll()
    .where('id', '=', id)
    .where('county_code', '=', actor.countyCode)
    .executeTakeFirst();
  if (!row) throw notFound(`核查（编号 ${id}）`);
  return row;
}

/**
 * The county's campaigns. `findingCount` and `openCount` (findings without an outcome yet) are the
 * user's own: a town user sees their town's findings only, a county user the whole county's.
 */
export async function listCampaigns(db: Db, actor: Actor) {
  requirePermission(actor, 'campaign.read');
  const scope = scopeOf(actor);
  const rows = await db
    .selectFrom('audit_campaign')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .orderBy('id', 'desc')
    .execute();
  const counts = new Map<number, { n: number; open: number }>();
  if (rows.length > 0) {
    const found = await db
      .selectFrom('audit_finding')
      .select((eb) => [
        'campaign_id',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('outcome', 'is', null).then(1).else(0).end()).as('open'),
      ])
      .where('county_code', '=', actor.countyCode)
      .$if(scope.townCode !== null, (q) => q.where('town_code', '=', scope.townCode))
      .groupBy('campaign_id')
      .execute();
    for (const f of found) counts.set(f.campaign_id, { n: Number(f.n), open: Number(f.open ?? 0) });
  }
  return {
    items: rows.map((r) => {
      const view = toCampaign(r);
      const c = counts.get(r.id) ?? { n: 0, open: 0 };
      return {
        ...view,
        // A county user: the campaign's own total (kept while a run is writing); a town user: their town's.
        findingCount: scope.townCode === null ? view.findingCount : c.n,
        openCount: c.open,
      };
    }),
  };
}

export async function getCampaign(db: Db, actor: Actor, id: number) {
  requirePermission(actor, 'campaign.read');
  const row = await campaignOrThrow(db, actor, id);
  const view = toCampaign(row);
  const scope = scopeOf(actor);
  if (scope.townCode !== null) {
    const mine = await db
      .selectFrom('audit_finding')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('campaign_id', '=', id)
      .where('town_code', '=', scope.townCode)
      .executeTakeFirstOrThrow();
    return { ...view, findingCount: Number(mine.n) };
  }
  return view;
}

// ---------------------------------------------------------------------------------------------------------
// Running

/** A finding before it is written. */
interface Draft {
  townCode: string;
  householdId: number;
  personId: number | null;
  enrolmentId: number | null;
  programCode: string | null;
  persons: number;
  judgement: Judgement;
}

interface RunContext {
  db: Kysely<Database>;
  scope: repo.PopulationScope;
  snapshots: Map<string, number[]>;
  towns: string[];
  timelines: Record<'urban_dibao' | 'rural_dibao', PolicyTimeline>;
  standards: Map<string, number | null>;
}

const dibaoProgramOf = (program: string): 'urban_dibao' | 'rural_dibao' =>
  program.startsWith('urban') ? 'urban_dibao' : 'rural_dibao';

/** The monthly dibao standard of a town (urban or rural) at as-of — resolved once per town × program. */
function standardOf(
  ctx: RunContext,
  townCode: string,
  program: 'urban_dibao' | 'rural_dibao',
): number | null {
  const key = `${townCode}|${program}`;
  if (!ctx.standards.has(key)) {
    const policy = ctx.timelines[program].at<'dibao'>(ctx.scope.asOfMonth, townCode);
    ctx.standards.set(key, policy ? policy.body.standardFen : null);
  }
  return ctx.standards.get(key) ?? null;
}

function standardsFor(ctx: RunContext, townCode: string, programCode: string) {
  const standardFen = standardOf(ctx, townCode, dibaoProgramOf(programCode));
  const urbanStandardFen = standardOf(ctx, townCode, 'urban_dibao');
  if (standardFen === null || urbanStandardFen === null) return null;
  return { standardFen, urbanStandardFen };
}

/** The lowest per-person figure over every town and program (a pre-filter below every household's own). */
function lowestStandard(ctx: RunContext, basis: 'own' | 'urban', programs: readonly string[]): number | null {
  const values: number[] = [];
  for (const town of ctx.towns) {
    for (const program of programs) {
      const s = standardsFor(ctx, town, program);
      if (s) values.push(basis === 'urban' ? s.urbanStandardFen : s.standardFen);
    }
  }
  return values.length > 0 ? Math.min(...values) : null;
}

function missingSources(ctx: RunContext, sources: readonly string[]): string[] {
  return sources.filter((s) => !ctx.snapshots.has(s));
}

type HouseholdJudge = (c: HouseholdCandidate) => Judgement | null;

async function judgeHouseholds(
  ctx: RunContext,
  enrolmentIds: number[],
  sources: readonly string[],
  judge: HouseholdJudge,
  personOf?: (d: repo.EnrolmentDetail) => number | null,
): Promise<{ drafts: Draft[]; noStandard: number }> {
  const details = await repo.enrolmentDetails(ctx.db, ctx.scope, enrolmentIds, sources, ctx.snapshots);
  const drafts: Draft[] = [];
  let noStandard = 0;
  for (const d of details.values()) {
    const standards = standardsFor(ctx, d.townCode, d.programCode);
    if (!standards) {
      noStandard += 1;
      continue;
    }
    const judgement = judge({
      asOf: ctx.scope.asOf,
      persons: d.members.length,
      members: d.members,
      records: d.records,
      ...standards,
    });
    if (!judgement) continue;
    drafts.push({
      townCode: d.townCode,
      householdId: d.householdId,
      personId: personOf ? personOf(d) : null,
      enrolmentId: d.enrolmentId,
      programCode: d.programCode,
      persons: d.members.length,
      judgement,
    });
  }
  return { drafts, noStandard };
}

/** Runs one rule: candidates by SQL, the judge per candidate. */
async function evaluateRule(
  ctx: RunContext,
  rule: FrozenRule,
): Promise<{ drafts: Draft[]; note: string | null }> {
  const def = RULE_TYPES[rule.type];
  const missing = missingSources(ctx, def.sources);
  const notes: string[] = [];
  if (missing.length > 0) notes.push(`以下数据源没有生效的数据快照，未比对：${missing.join('、')}`);
  const { db, scope, snapshots } = ctx;
  const noStandardNote = (n: number) => {
    if (n > 0) notes.push(`${n} 户所在乡镇没有生效的低保标准，未判断`);
  };
  let drafts: Draft[] = [];
  switch (rule.type) {
    case 'vehicle': {
      const p = rule.params as ParamsOf<'vehicle'>;
      const ids = await repo.vehicleCandidates(db, scope, snapshots, p);
      ({ drafts } = await judgeHouseholds(ctx, ids, ['vehicle'], (c) => judgeVehicle(p, c)));
      break;
    }
    case 'real_estate_excess': {
      const p = rule.params as ParamsOf<'real_estate_excess'>;
      const ids = await repo.realEstateCandidates(db, scope, snapshots, p);
      ({ drafts } = await judgeHouseholds(ctx, ids, ['real_estate'], (c) => judgeRealEstate(p, c)));
      break;
    }
    case 'business_registration': {
      const p = rule.params as ParamsOf<'business_registration'>;
      const ids = await repo.businessCandidates(db, scope, snapshots, p);
      ({ drafts } = await judgeHouseholds(ctx, ids, ['business'], (c) => judgeBusiness(p, c)));
      break;
    }
    case 'public_payroll': {
      const p = rule.params as ParamsOf<'public_payroll'>;
      const ids = await repo.publicPayrollCandidates(db, scope, snapshots, p);
      ({ drafts } = await judgeHouseholds(ctx, ids, ['public_payroll'], (c) => judgePublicPayroll(p, c)));
      break;
    }
    case 'deposits_over_limit': {
      const p = rule.params as ParamsOf<'deposits_over_limit'>;
      const lowest = lowestStandard(ctx, p.standardBasis, scope.programCodes);
      if (lowest === null) {
        notes.push('没有生效的低保标准，未判断');
        break;
      }
      const ids = await repo.depositCandidates(db, scope, snapshots, {
        ...p,
        perPersonFloorFen: lowest * p.monthsOfStandard,
      });
      const r = await judgeHouseholds(ctx, ids, ['bank_deposit', 'securities', 'commercial_insurance'], (c) =>
        judgeDeposits(p, c),
      );
      drafts = r.drafts;
      noStandardNote(r.noStandard);
      break;
    }
    case 'income_above_standard': {
      const p = rule.params as ParamsOf<'income_above_standard'>;
      const lowest = lowestStandard(ctx, 'own', scope.programCodes);
      if (lowest === null) {
        notes.push('没有生效的低保标准，未判断');
        break;
      }
      // Whole fen below the exact threshold; tax ÷ 12 is floored in SQL, so one fen per person more.
      const floor = roundFen(mul(decimal(p.multiple), int(lowest)), { mode: 'down', unit: 'fen' }) - 1;
      const ids = await repo.incomeCandidates(db, scope, snapshots, {
        countPensions: p.countPensions,
        perPersonFloorFen: Math.max(0, floor),
      });
      const r = await judgeHouseholds(ctx, ids, ['public_payroll', 'social_insurance', 'tax'], (c) =>
        judgeIncome(p, c),
      );
      drafts = r.drafts;
      noStandardNote(r.noStandard);
      break;
    }
    case 'deceased_paid':
      drafts = await evaluateDeceased(ctx, rule.params as ParamsOf<'deceased_paid'>);
      break;
    case 'duplicate_person':
      drafts = await evaluateDuplicates(ctx, rule.params as ParamsOf<'duplicate_person'>);
      break;
    case 'shared_bank_account':
      drafts = await evaluateSharedAccounts(ctx, rule.params as ParamsOf<'shared_bank_account'>);
      break;
    case 'staff_relative':
      drafts = await evaluateStaffRelatives(ctx, rule.params as ParamsOf<'staff_relative'>);
      break;
    case 'missed_eligible': {
      const r = await evaluateMissed(ctx, rule.params as ParamsOf<'missed_eligible'>);
      drafts = r.drafts;
      noStandardNote(r.noStandard);
      break;
    }
  }
  return { drafts, note: notes.length > 0 ? notes.join('；') : null };
}

async function evaluateDeceased(ctx: RunContext, p: ParamsOf<'deceased_paid'>): Promise<Draft[]> {
  const candidates = await repo.deathCandidates(ctx.db, ctx.scope, ctx.snapshots);
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.enrolmentId);
  const sizes = await repo.enrolmentSizes(ctx.db, ctx.scope, ids);
  const ledger = await repo.ledgerByMonth(ctx.db, ids);
  const drafts: Draft[] = [];
  for (const c of candidates) {
    const deathMonth = monthOf(c.death.eventDate ?? ctx.scope.asOf);
    const after = (ledger.get(c.enrolmentId) ?? []).filter((l) => l.month > deathMonth && l.fen !== 0);
    const persons = sizes.get(c.enrolmentId) ?? 1;
    const judgement = judgeDeceased(p, {
      asOf: ctx.scope.asOf,
      subject: c.subject,
      death: c.death,
      registryDeathDate: c.registryDeathDate,
      paidAfterDeathFen: after.reduce((s, l) => s + l.fen, 0),
      paidMonths: after.map((l) => l.month),
      coversOnlyPerson: c.coveredPersonId !== null || persons === 1,
    });
    if (!judgement) continue;
    drafts.push({
      townCode: c.townCode,
      householdId: c.householdId,
      personId: c.subject.personId,
      enrolmentId: c.enrolmentId,
      programCode: c.programCode,
      persons,
      judgement,
    });
  }
  return drafts;
}

async function evaluateDuplicates(ctx: RunContext, p: ParamsOf<'duplicate_person'>): Promise<Draft[]> {
  const rows = await repo.duplicateCandidates(ctx.db, ctx.scope, p.matchNameBirthSex);
  if (rows.length === 0) return [];
  const unique = new Map(rows.map((r) => [`${r.enrolmentId}|${r.personId}`, r]));
  const all = [...unique.values()];
  const sizes = await repo.enrolmentSizes(
    ctx.db,
    ctx.scope,
    all.map((r) => r.enrolmentId),
  );
  const drafts: Draft[] = [];
  for (const r of all) {
    const key = `${r.name}|${r.birthDate}|${r.sex}`;
    const others = all
      .filter(
        (o) =>
          (o.personId === r.personId && o.enrolmentId !== r.enrolmentId) ||
          (o.personId !== r.personId && `${o.name}|${o.birthDate}|${o.sex}` === key),
      )
      .map((o) => ({
        householdId: o.householdId,
        townCode: o.townCode,
        enrolmentId: o.enrolmentId,
        programCode: o.programCode,
        personId: o.personId,
        idNumber: o.idNumber,
        name: o.name,
      }));
    const judgement = judgeDuplicate(p, {
      subject: {
        personId: r.personId,
        name: r.name,
        idNumber: r.idNumber,
        sex: r.sex,
        birthDate: r.birthDate,
      },
      enrolmentId: r.enrolmentId,
      householdId: r.householdId,
      others,
    });
    if (!judgement) continue;
    drafts.push({
      townCode: r.townCode,
      householdId: r.householdId,
      personId: r.personId,
      enrolmentId: r.enrolmentId,
      programCode: r.programCode,
      persons: sizes.get(r.enrolmentId) ?? 1,
      judgement,
    });
  }
  return drafts;
}

async function evaluateSharedAccounts(ctx: RunContext, p: ParamsOf<'shared_bank_account'>): Promise<Draft[]> {
  const rows = await repo.sharedAccountCandidates(ctx.db, ctx.scope, p.maxHouseholdsPerAccount);
  if (rows.length === 0) return [];
  const sizes = await repo.enrolmentSizes(
    ctx.db,
    ctx.scope,
    rows.map((r) => r.enrolmentId),
  );
  const drafts: Draft[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.householdId)) continue;
    seen.add(r.householdId);
    const sameAccount = rows.filter((o) => o.account === r.account);
    const households = [...new Map(sameAccount.map((o) => [o.householdId, o])).values()].map((o) => ({
      householdId: o.householdId,
      townCode: o.townCode,
      holder: o.holder,
    }));
    const judgement = judgeSharedAccount(p, {
      householdId: r.householdId,
      accountMasked: maskBankAccount(r.account) ?? '',
      bankName: r.bankName,
      households,
    });
    if (!judgement) continue;
    drafts.push({
      townCode: r.townCode,
      householdId: r.householdId,
      personId: null,
      enrolmentId: r.enrolmentId,
      programCode: r.programCode,
      persons: sizes.get(r.enrolmentId) ?? 0,
      judgement,
    });
  }
  return drafts;
}

/** The latest record of each (person, ref) pair: a later divorce ends a marriage. */
function latestByPair(records: readonly DeptRow[]): DeptRow[] {
  const latest = new Map<string, DeptRow>();
  for (const r of records) {
    const key = `${r.idNumber}|${r.ref}`;
    const prev = latest.get(key);
    if (!prev || (r.eventDate ?? '') >= (prev.eventDate ?? '')) latest.set(key, r);
  }
  return [...latest.values()];
}

async function evaluateStaffRelatives(ctx: RunContext, p: ParamsOf<'staff_relative'>): Promise<Draft[]> {
  const staff = await repo.staffInOffice(ctx.db, ctx.scope.countyCode, ctx.scope.asOf);
  if (staff.length === 0) return [];
  const declared = await repo.declaredRelatives(ctx.db, ctx.scope.countyCode);
  const staffById = new Map<string, repo.StaffRow[]>();
  for (const s of staff) staffById.set(s.idNumber, [...(staffById.get(s.idNumber) ?? []), s]);
  const staffIds = [...staffById.keys()];
  const links = new Map<string, { row: repo.PopRow; links: Map<string, StaffLink> }>();
  const link = (
    row: repo.PopRow,
    s: repo.StaffRow,
    relation: StaffLink['relation'],
    basis: string | null,
  ) => {
    const key = `${row.enrolmentId}|${row.personId}`;
    let entry = links.get(key);
    if (!entry) {
      entry = { row, links: new Map() };
      links.set(key, entry);
    }
    const k = `${s.id}|${relation}`;
    if (entry.links.has(k)) return;
    entry.links.set(k, {
      staffId: s.id,
      staffName: s.name,
      staffKind: s.kind,
      organisation: s.organisation,
      relation,
      declared: relation !== 'self' && declared.has(`${s.id}|${row.idNumber}`),
      basis,
    });
  };
  const own = await repo.recordsOf(ctx.db, staffIds, ['marriage', 'hukou'], ctx.snapshots);
  // Spouses by the staff member's own marriage records (ref = spouse's ID number).
  const spouseOf = new Map<string, { staffIdNumber: string; basis: string | null }>();
  for (const r of latestByPair(own.filter((r) => r.sourceCode === 'marriage' && r.ref))) {
    if (r.kind === 'married' && r.ref) spouseOf.set(r.ref, { staffIdNumber: r.idNumber, basis: r.eventDate });
  }
  // Self and spouse (from the staff side).
  const direct = await repo.popByIdNumbers(ctx.db, ctx.scope, [...staffIds, ...spouseOf.keys()]);
  for (const row of direct) {
    for (const s of staffById.get(row.idNumber) ?? []) link(row, s, 'self', null);
    const sp = spouseOf.get(row.idNumber);
    if (sp) {
      for (const s of staffById.get(sp.staffIdNumber) ?? [])
        link(row, s, 'spouse', `婚姻登记${sp.basis ? ` ${sp.basis}` : ''}`);
    }
  }
  // Spouses by the member's own marriage record naming the staff member.
  const reverse = await repo.popByRecordRef(ctx.db, ctx.scope, ctx.snapshots, 'marriage', staffIds);
  const latestReverse = new Map(
    latestByPair(reverse.map((r) => r.record)).map((r) => [`${r.idNumber}|${r.ref}`, r]),
  );
  for (const row of reverse) {
    const latest = latestReverse.get(`${row.idNumber}|${row.record.ref}`);
    if (latest?.kind !== 'married' || latest !== row.record) continue;
    for (const s of staffById.get(row.record.ref ?? '') ?? [])
      link(row, s, 'spouse', `婚姻登记${row.record.eventDate ? ` ${row.record.eventDate}` : ''}`);
  }
  // Same 户号 (hukou household number) as a staff member.
  if (p.matchSameHukou) {
    const hukouOf = new Map<string, string[]>();
    for (const r of own) {
      if (r.sourceCode !== 'hukou' || !r.ref || r.status === 'moved_out' || r.status === 'cancelled')
        continue;
      hukouOf.set(r.ref, [...(hukouOf.get(r.ref) ?? []), r.idNumber]);
    }
    if (hukouOf.size > 0) {
      const same = await repo.popByRecordRef(ctx.db, ctx.scope, ctx.snapshots, 'hukou', [...hukouOf.keys()]);
      for (const row of same) {
        if (row.record.status === 'moved_out' || row.record.status === 'cancelled') continue;
        for (const staffIdNumber of hukouOf.get(row.record.ref ?? '') ?? []) {
          if (staffIdNumber === row.idNumber) continue;
          for (const s of staffById.get(staffIdNumber) ?? [])
            link(row, s, 'same_hukou', `户号 ${row.record.ref}`);
        }
      }
    }
  }
  if (links.size === 0) return [];
  const entries = [...links.values()];
  const sizes = await repo.enrolmentSizes(
    ctx.db,
    ctx.scope,
    entries.map((e) => e.row.enrolmentId),
  );
  // One finding per enrolment: several members linked to staff (e.g. a whole 户号) are one review.
  const byEnrolment = new Map<number, { row: repo.PopRow; judgement: Judgement }[]>();
  for (const { row, links: l } of entries) {
    const judgement = judgeStaffRelative(p, {
      subject: { personId: row.personId, name: row.name, idNumber: row.idNumber },
      links: [...l.values()],
    });
    if (!judgement) continue;
    byEnrolment.set(row.enrolmentId, [...(byEnrolment.get(row.enrolmentId) ?? []), { row, judgement }]);
  }
  const drafts: Draft[] = [];
  for (const [enrolmentId, hits] of byEnrolment) {
    const first = hits[0];
    if (!first) continue;
    drafts.push({
      townCode: first.row.townCode,
      householdId: first.row.householdId,
      personId: hits.length === 1 ? first.row.personId : null,
      enrolmentId,
      programCode: first.row.programCode,
      persons: sizes.get(enrolmentId) ?? 1,
      judgement:
        hits.length === 1
          ? first.judgement
          : {
              summary: hits.map((h) => h.judgement.summary).join(''),
              evidence: {
                members: hits.map((h) => ({
                  name: h.row.name,
                  personId: h.row.personId,
                  ...h.judgement.evidence,
                })),
              },
            },
    });
  }
  return drafts;
}

const ASSET_SOURCES = [
  'bank_deposit',
  'securities',
  'commercial_insurance',
  'vehicle',
  'real_estate',
  'business',
];

async function evaluateMissed(
  ctx: RunContext,
  p: ParamsOf<'missed_eligible'>,
): Promise<{ drafts: Draft[]; noStandard: number }> {
  const programs = ctx.scope.programCodes;
  const candidates = await repo.lowIncomeCandidates(ctx.db, ctx.scope, ctx.snapshots);
  const byHousehold = new Map<
    number,
    { townCode: string; program: 'urban_dibao' | 'rural_dibao'; lowIncome: DeptRow[] }
  >();
  for (const c of candidates) {
    const program = c.hukouType === 'urban' ? 'urban_dibao' : 'rural_dibao';
    if (!programs.includes(program)) continue;
    const entry = byHousehold.get(c.householdId) ?? { townCode: c.townCode, program, lowIncome: [] };
    entry.lowIncome.push(c.record);
    byHousehold.set(c.householdId, entry);
  }
  if (byHousehold.size === 0) return { drafts: [], noStandard: 0 };
  const members = await repo.householdMembers(ctx.db, [...byHousehold.keys()], ctx.scope.asOf);
  const allIds = [...members.values()].flat().map((m) => m.idNumber);
  const records = await repo.recordsOf(ctx.db, allIds, ASSET_SOURCES, ctx.snapshots);
  const recordsById = new Map<string, DeptRow[]>();
  for (const r of records) recordsById.set(r.idNumber, [...(recordsById.get(r.idNumber) ?? []), r]);
  const drafts: Draft[] = [];
  let noStandard = 0;
  for (const [householdId, h] of byHousehold) {
    const standards = standardsFor(ctx, h.townCode, h.program);
    if (!standards) {
      noStandard += 1;
      continue;
    }
    const m = members.get(householdId) ?? [];
    const judgement = judgeMissed(p, {
      asOf: ctx.scope.asOf,
      persons: Math.max(1, m.length),
      members: m,
      records: m.flatMap((x) => recordsById.get(x.idNumber) ?? []),
      lowIncome: h.lowIncome,
      programLabel: CASE_PROGRAMS[h.program],
      ...standards,
    });
    if (!judgement) continue;
    drafts.push({
      townCode: h.townCode,
      householdId,
      personId: null,
      enrolmentId: null,
      programCode: h.program,
      persons: m.length,
      judgement,
    });
  }
  return { drafts, noStandard };
}

const INSERT_CHUNK = 400;

async function writeFindings(
  trx: Trx,
  campaign: CampaignRow,
  rule: FrozenRule,
  drafts: readonly Draft[],
  now: Date,
): Promise<number> {
  // One finding per household × person and rule (the unique key); a household in two enrolments keeps the first.
  const unique = new Map<string, Draft>();
  for (const d of drafts) {
    const key = `${d.householdId}|${d.personId ?? '-'}`;
    const prev = unique.get(key);
    if (!prev || (d.enrolmentId ?? 0) < (prev.enrolmentId ?? 0)) unique.set(key, d);
  }
  const list = [...unique.values()].sort(
    (a, b) => a.householdId - b.householdId || (a.personId ?? 0) - (b.personId ?? 0),
  );
  const ts = now.toISOString();
  const due = addDays(chinaDate(now), campaign.review_due_days);
  for (let i = 0; i < list.length; i += INSERT_CHUNK) {
    const chunk = list.slice(i, i + INSERT_CHUNK);
    const taskNote = (d: Draft) =>
      `核查#${campaign.id}/${rule.code}/${d.householdId}/${d.personId ?? '-'}：${rule.label}`;
    const tasks = await trx
      .insertInto('case_task')
      .values(
        chunk.map((d) => ({
          county_code: campaign.county_code,
          town_code: d.townCode,
          case_id: null,
          household_id: d.householdId,
          kind: 'audit_review',
          due_on: due,
          status: 'open' as const,
          note: taskNote(d),
          created_at: ts,
        })),
      )
      .returning(['id', 'note'])
      .execute();
    const taskByNote = new Map(tasks.map((t) => [t.note, t.id]));
    await trx
      .insertInto('audit_finding')
      .values(
        chunk.map((d) => ({
          campaign_id: campaign.id,
          county_code: campaign.county_code,
          town_code: d.townCode,
          rule_code: rule.code,
          rule_type: rule.type,
          category: rule.category,
          household_id: d.householdId,
          person_id: d.personId,
          enrolment_id: d.enrolmentId,
          program_code: d.programCode,
          persons: d.persons,
          summary: d.judgement.summary,
          evidence_json: JSON.stringify(d.judgement.evidence),
          task_id: taskByNote.get(taskNote(d)) ?? null,
          created_at: ts,
        })),
      )
      .execute();
  }
  return list.length;
}

async function resetCampaign(trx: Trx, campaignId: number): Promise<void> {
  const taskIds = trx
    .selectFrom('audit_finding')
    .select('task_id')
    .where('campaign_id', '=', campaignId)
    .where('task_id', 'is not', null);
  await trx
    .deleteFrom('case_task')
    .where('id', 'in', taskIds as never)
    .execute();
  await trx.deleteFrom('audit_finding').where('campaign_id', '=', campaignId).execute();
}

export interface RunOptions {
  onProgress?: (rulesDone: number, rulesTotal: number, rule: string) => void;
}

/**
 * A campaign still marked 运行中 when the server starts was interrupted (a run takes seconds to minutes and lives in
 * one process): it is marked failed with the reason, so the county sees it and runs it again (its findings and
 * tasks are then deleted first). Returns how many were marked.
 */
export async function failInterruptedCampaigns(db: Kysely<Database>, now = new Date()): Promise<number> {
  const rows = await db
    .updateTable('audit_campaign')
    .set({ status: 'failed', error: '运行中断（服务重新启动），请重新运行', finished_at: now.toISOString() })
    .where('status', '=', 'running')
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Runs a campaign: freezes its rules, computes the population, then rule by rule writes the findings and their
 * review tasks and commits the progress. A failed (or interrupted) run can be run again: the campaign's findings
 * and tasks are deleted first. The bench calls this directly.
 */
export async function runCampaign(
  db: Kysely<Database>,
  actor: Actor,
  campaignId: number,
  now = new Date(),
  options: RunOptions = {},
) {
  requirePermission(actor, 'campaign.manage');
  const campaign = await campaignOrThrow(db, actor, campaignId);
  if (campaign.status === 'done') {
    throw new AppError(ErrorCode.CONFLICT, `核查（编号 ${campaignId}）已运行完成，如需重新核查请新建核查`);
  }
  const scope: repo.PopulationScope = {
    countyCode: campaign.county_code,
    programCodes: JSON.parse(campaign.program_codes) as string[],
    townCodes: JSON.parse(campaign.town_codes) as string[],
    asOf: campaign.as_of,
    asOfMonth: monthOf(campaign.as_of),
  };
  const started = await db.transaction().execute(async (trx) => {
    await resetCampaign(trx, campaignId);
    let rules = parseJson<FrozenRule[] | null>(campaign.rules_json, null);
    if (!rules) {
      const codes = JSON.parse(campaign.rule_codes) as string[];
      const rows = await trx
        .selectFrom('audit_rule')
        .selectAll()
        .where('county_code', '=', campaign.county_code)
        .where('code', 'in', codes)
        .execute();
      rules = codes
        .map((c) => rows.find((r) => r.code === c))
        .filter((r): r is RuleRow => r !== undefined && isRuleType(r.rule_type))
        .map((r) => ({
          code: r.code,
          type: r.rule_type as RuleType,
          label: r.label,
          category: r.category,
          params: JSON.parse(r.params_json) as Record<string, unknown>,
        }));
    }
    const cells = await repo.populationCells(trx, scope);
    const row = await trx
      .updateTable('audit_campaign')
      .set({
        status: 'running',
        rules_json: JSON.stringify(rules.map((r) => ({ ...r, findings: undefined, note: undefined }))),
        rules_done: 0,
        rules_total: rules.length,
        population_json: JSON.stringify({ cells }),
        finding_count: 0,
        error: null,
        started_at: now.toISOString(),
        finished_at: null,
      })
      .where('id', '=', campaignId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      actor,
      {
        action: 'campaign.run',
        entityType: 'audit_campaign',
        entityId: campaignId,
        countyCode: campaign.county_code,
        townCode: null,
        before: { status: campaign.status },
        after: { status: 'running', rules: rules.map((r) => r.code), asOf: campaign.as_of },
      },
      now,
    );
    return { row, rules };
  });
  const towns =
    scope.townCodes.length > 0
      ? scope.townCodes
      : (
          await db
            .selectFrom('area')
            .select('code')
            .where('parent_code', '=', scope.countyCode)
            .where('level', '=', 'town')
            .execute()
        ).map((t) => t.code);
  const ctx: RunContext = {
    db,
    scope,
    snapshots: await repo.snapshotsInForce(db, scope.countyCode),
    towns,
    timelines: {
      urban_dibao: await loadPolicyTimeline(db, scope.countyCode, 'urban_dibao'),
      rural_dibao: await loadPolicyTimeline(db, scope.countyCode, 'rural_dibao'),
    },
    standards: new Map(),
  };
  const rules = started.rules;
  let total = 0;
  try {
    for (const [i, rule] of rules.entries()) {
      const { drafts, note } = await evaluateRule(ctx, rule);
      await db.transaction().execute(async (trx) => {
        const n = await writeFindings(trx, started.row, rule, drafts, now);
        total += n;
        rule.findings = n;
        rule.note = note;
        await trx
          .updateTable('audit_campaign')
          .set({ rules_done: i + 1, finding_count: total, rules_json: JSON.stringify(rules) })
          .where('id', '=', campaignId)
          .execute();
      });
      options.onProgress?.(i + 1, rules.length, rule.label);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await db
      .updateTable('audit_campaign')
      .set({ status: 'failed', error: message.slice(0, 2000), finished_at: new Date().toISOString() })
      .where('id', '=', campaignId)
      .execute();
    throw e;
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('audit_campaign')
      .set({ status: 'done', finished_at: new Date().toISOString() })
      .where('id', '=', campaignId)
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'campaign.done',
        entityType: 'audit_campaign',
        entityId: campaignId,
        countyCode: campaign.county_code,
        townCode: null,
        after: { findings: total, byRule: rules.map((r) => ({ code: r.code, findings: r.findings ?? 0 })) },
      },
      now,
    );
  });
  return toCampaign(await campaignOrThrow(db, actor, campaignId));
}

// ---------------------------------------------------------------------------------------------------------
// Findings

export interface FindingFilter {
  campaignId?: number;
  /** Open findings (no outcome yet) of the user's own area. */
  mine?: boolean;
  townCode?: string;
  ruleCode?: string;
  category?: string;
  outcome?: 'open' | 'keep' | 'exit' | 'recover';
  page?: number;
  pageSize?: number;
}

export async function listFindings(db: Db, actor: Actor, filter: FindingFilter) {
  requirePermission(actor, 'campaign.read');
  const scope = scopeOf(actor);
  const page = filter.page ?? 1;
  const pageSize = Math.min(filter.pageSize ?? 50, 500);
  if (filter.campaignId !== undefined) await campaignOrThrow(db, actor, filter.campaignId);
  const base = db
    .selectFrom('audit_finding as f')
    .where('f.county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('f.town_code', '=', scope.townCode ?? ''))
    .$if(filter.campaignId !== undefined, (q) => q.where('f.campaign_id', '=', filter.campaignId ?? 0))
    .$if(filter.townCode !== undefined, (q) => q.where('f.town_code', '=', filter.townCode ?? ''))
    .$if(filter.ruleCode !== undefined, (q) => q.where('f.rule_code', '=', filter.ruleCode ?? ''))
    .$if(filter.category !== undefined, (q) => q.where('f.category', '=', filter.category ?? ''))
    .$if(filter.mine === true || filter.outcome === 'open', (q) => q.where('f.outcome', 'is', null))
    .$if(filter.outcome !== undefined && filter.outcome !== 'open', (q) =>
      q.where('f.outcome', '=', filter.outcome as 'keep'),
    );
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('audit_campaign as c', 'c.id', 'f.campaign_id')
    .innerJoin('household as h', 'h.id', 'f.household_id')
    .leftJoin('person as head', 'head.id', 'h.head_person_id')
    .leftJoin('person as p', 'p.id', 'f.person_id')
    .leftJoin('area as t', 't.code', 'f.town_code')
    .leftJoin('case_task as task', 'task.id', 'f.task_id')
    .leftJoin('audit_rule as r', (j) =>
      j.onRef('r.county_code', '=', 'f.county_code').onRef('r.code', '=', 'f.rule_code'),
    )
    .selectAll('f')
    .select([
      'c.title as campaign_title',
      'head.name as head_name',
      'p.name as person_name',
      'p.id_number as person_id_number',
      't.name as town_name',
      'task.due_on as task_due_on',
      'task.status as task_status',
      'r.label as rule_label',
      'h.address',
    ])
    .orderBy('f.campaign_id', 'desc')
    .orderBy('f.town_code')
    .orderBy('f.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(total.n),
    page,
    pageSize,
    items: rows.map((f) => ({
      id: f.id,
      campaignId: f.campaign_id,
      campaignTitle: f.campaign_title,
      townCode: f.town_code,
      townName: f.town_name ?? f.town_code,
      ruleCode: f.rule_code,
      ruleLabel: f.rule_label ?? f.rule_code,
      ruleType: f.rule_type,
      category: f.category,
      categoryLabel: CATEGORIES[f.category as Category] ?? f.category,
      householdId: f.household_id,
      headName: f.head_name,
      address: f.address,
      personId: f.person_id,
      personName: f.person_name,
      personIdNumber: f.person_id_number ? maskIdNumber(f.person_id_number) : null,
      enrolmentId: f.enrolment_id,
      programCode: f.program_code,
      programLabel: f.program_code ? (CASE_PROGRAMS[f.program_code as Program] ?? f.program_code) : null,
      persons: f.persons,
      summary: f.summary,
      evidence: JSON.parse(f.evidence_json) as Record<string, unknown>,
      taskId: f.task_id,
      taskDueOn: f.task_due_on,
      taskStatus: f.task_status,
      caseId: f.case_id,
      outcome: f.outcome,
      outcomeLabel: f.outcome ? OUTCOME_LABELS[f.outcome] : null,
      outcomeNote: f.outcome_note,
      recoveryFen: f.recovery_fen === null ? null : Number(f.recovery_fen),
      outcomeBy: f.outcome_by,
      outcomeAt: f.outcome_at,
      version: f.version,
    })),
  };
}

export interface OutcomeInput {
  version: number;
  outcome: 'keep' | 'exit' | 'recover';
  note: string;
  recoveryFen?: number | null;
}

function terminalStates(procedure: string): string[] {
  const machine = MACHINES[procedure as keyof typeof MACHINES];
  return Object.entries(machine.states as Record<string, { terminal?: boolean }>)
    .filter(([, s]) => s.terminal)
    .map(([k]) => k);
}

/**
 * The town's review outcome of a finding (维持/退出/追回). Closes the review task; an exit or a recovery opens the
 * enrolment's change case (or reuses the open one) and reports the change with the finding as the reasons, so the
 * stop and the recovery are decided by the county through the workflow (DOMAIN §4.9, §5.4).
 */
export async function recordOutcome(
  trx: Trx,
  actor: Actor,
  findingId: number,
  input: OutcomeInput,
  now = new Date(),
) {
  requirePermission(actor, 'campaign.resolve');
  const f = await trx.selectFrom('audit_finding').selectAll().where('id', '=', findingId).executeTakeFirst();
  if (!f || f.county_code !== actor.countyCode) throw notFound(`核查问题（编号 ${findingId}）`);
  if (!isWithinScope(scopeOf(actor), f.county_code, f.town_code)) {
    throw forbiddenArea('核查问题', {
      entityType: 'audit_finding',
      entityId: findingId,
      countyCode: f.county_code,
      townCode: f.town_code,
      attempted: '登记复核结果',
    });
  }
  if (f.version !== input.version) throw staleVersion('该核查问题');
  if (f.outcome !== null) {
    throw new AppError(ErrorCode.CONFLICT, `该核查问题已登记复核结果（${OUTCOME_LABELS[f.outcome]}）`, {
      field: 'outcome',
    });
  }
  if (!Object.hasOwn(OUTCOME_LABELS, input.outcome)) {
    throw validationError('outcome', '复核结果应为 keep（维持）、exit（退出）或 recover（退出并追回）');
  }
  const note = input.note?.trim() ?? '';
  if (note.length === 0) throw validationError('note', '请填写复核意见');
  if (input.outcome === 'recover') {
    if (!Number.isInteger(input.recoveryFen) || (input.recoveryFen ?? 0) <= 0) {
      throw validationError('recoveryFen', '追回时请填写应追回金额（分，正整数）');
    }
  } else if (input.recoveryFen) {
    throw validationError('recoveryFen', '只有“退出并追回”需要填写追回金额');
  }
  const ts = now.toISOString();
  let caseId: number | null = null;
  if (input.outcome !== 'keep') {
    if (f.enrolment_id === null || f.program_code === null) {
      throw validationError('outcome', '该问题不涉及在保对象（如漏保），只能登记“维持”并引导其申请');
    }
    const enrolment = await trx
      .selectFrom('enrolment')
      .selectAll()
      .where('id', '=', f.enrolment_id)
      .executeTakeFirst();
    if (enrolment?.status === 'active') caseId = await reportChange(trx, actor, f, enrolment, note, now);
  }
  if (f.task_id !== null) {
    await trx
      .updateTable('case_task')
      .set({ status: 'done', done_at: ts })
      .where('id', '=', f.task_id)
      .where('status', '=', 'open')
      .execute();
  }
  const updated = await trx
    .updateTable('audit_finding')
    .set({
      outcome: input.outcome,
      outcome_note: note,
      recovery_fen: input.outcome === 'recover' ? (input.recoveryFen ?? null) : null,
      outcome_by: actor.username,
      outcome_at: ts,
      case_id: caseId,
      version: f.version + 1,
    })
    .where('id', '=', findingId)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw staleVersion('该核查问题');
  await appendAudit(
    trx,
    actor,
    {
      action: 'campaign.finding.outcome',
      entityType: 'audit_finding',
      entityId: findingId,
      countyCode: f.county_code,
      townCode: f.town_code,
      before: { outcome: null },
      after: { outcome: input.outcome, recoveryFen: updated.recovery_fen, caseId },
      detail: note,
    },
    now,
  );
  return {
    id: updated.id,
    outcome: updated.outcome,
    outcomeLabel: OUTCOME_LABELS[input.outcome],
    caseId,
    recoveryFen: updated.recovery_fen === null ? null : Number(updated.recovery_fen),
    version: updated.version,
  };
}

async function reportChange(
  trx: Trx,
  actor: Actor,
  f: Selectable<Database['audit_finding']>,
  enrolment: Selectable<Database['enrolment']>,
  note: string,
  now: Date,
): Promise<number | null> {
  const choice = enrolledProcedureFor(enrolment.program_code as Program);
  if (!choice) return null;
  const reasons = `核查发现：${f.summary} 复核意见：${note}`;
  const open = await trx
    .selectFrom('case_file')
    .select(['id', 'state', 'version'])
    .where('household_id', '=', enrolment.household_id)
    .where('program_code', '=', enrolment.program_code)
    .where('procedure', '=', choice.procedure)
    .where('state', 'not in', terminalStates(choice.procedure))
    .$if(enrolment.person_id !== null, (q) => q.where('person_id', '=', enrolment.person_id ?? 0))
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!open && actor.role !== 'system' && !hasPermission(actor.role, 'registry.write')) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      '登记“退出”或“追回”需要开启该户的变更个案，您的角色不能开启个案，请由乡镇经办人登记',
    );
  }
  const c =
    open ??
    (await openCase(
      trx,
      actor,
      {
        programCode: enrolment.program_code,
        enrolmentId: enrolment.id,
        householdId: enrolment.household_id,
        personId: enrolment.person_id,
      },
      now,
    ));
  // Only a case still at 在保 needs the change reported; one already under review keeps its course.
  if (c.state !== 'enrolled') return c.id;
  if (choice.procedure === 'tekun_termination') {
    const evidence = JSON.parse(f.evidence_json) as { deathDate?: string };
    if (f.rule_type === 'deceased_paid' && evidence.deathDate) {
      await takeAction(
        trx,
        actor,
        c.id,
        'record_death',
        { version: c.version, input: { deathDate: evidence.deathDate, reasons } },
        now,
      );
    } else {
      await takeAction(
        trx,
        actor,
        c.id,
        'report_termination',
        { version: c.version, input: { terminationReason: 'means_test_failed', reasons } },
        now,
      );
    }
  } else {
    await takeAction(trx, actor, c.id, 'report_change', { version: c.version, input: { reasons } }, now);
  }
  return c.id;
}

// ---------------------------------------------------------------------------------------------------------
// 入户核查 findings

export interface VisitFindingInput {
  enrolmentId: number;
  category: string;
  summary: string;
}

/**
 * A problem found on a home visit during a campaign (入户核查: the July 2014 核查 of the seed report was done
 * door to door): recorded against an enrolment of the campaign's population, it becomes a finding with its
 * 核查问题复核 task like a rule's finding, and its outcome is recorded the same way (recordOutcome).
 */
export async function recordVisitFinding(
  trx: Trx,
  actor: Actor,
  campaignId: number,
  input: VisitFindingInput,
  now = new Date(),
) {
  requirePermission(actor, 'campaign.resolve');
  const campaign = await campaignOrThrow(trx, actor, campaignId);
  if (campaign.status !== 'done') {
    throw new AppError(ErrorCode.CONFLICT, '核查尚未运行完成，不能登记入户核查发现的问题');
  }
  if (!Object.hasOwn(CATEGORIES, input.category)) {
    throw validationError(
      'category',
      `问题类别应为：${CATEGORY_CODES.map((c) => `${c}（${CATEGORIES[c]}）`).join('、')}`,
    );
  }
  const summary = input.summary?.trim() ?? '';
  if (summary.length === 0) throw validationError('summary', '请填写入户核查发现的问题');
  const e = await trx
    .selectFrom('enrolment')
    .selectAll()
    .where('id', '=', input.enrolmentId)
    .executeTakeFirst();
  if (!e || e.county_code !== actor.countyCode) throw notFound(`在保记录（编号 ${input.enrolmentId}）`);
  if (!isWithinScope(scopeOf(actor), e.county_code, e.town_code)) {
    throw forbiddenArea('在保记录', {
      entityType: 'enrolment',
      entityId: e.id,
      countyCode: e.county_code,
      townCode: e.town_code,
      attempted: '登记入户核查问题',
    });
  }
  const programs = JSON.parse(campaign.program_codes) as string[];
  const towns = JSON.parse(campaign.town_codes) as string[];
  const inPopulation =
    programs.includes(e.program_code) &&
    (towns.length === 0 || towns.includes(e.town_code)) &&
    e.start_month <= monthOf(campaign.as_of) &&
    (e.end_month === null || e.end_month >= monthOf(campaign.as_of));
  if (!inPopulation)
    throw validationError('enrolmentId', '该在保记录不在本次核查范围内（项目、乡镇或核查基准日）');
  const date = `${campaign.as_of}`;
  const persons =
    e.person_id !== null
      ? 1
      : Number(
          (
            await trx
              .selectFrom('household_member')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('household_id', '=', e.household_id)
              .where('valid_from', '<=', date)
              .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
              .executeTakeFirstOrThrow()
          ).n,
        );
  const ts = now.toISOString();
  const task = await trx
    .insertInto('case_task')
    .values({
      county_code: e.county_code,
      town_code: e.town_code,
      case_id: null,
      household_id: e.household_id,
      kind: 'audit_review',
      due_on: addDays(chinaDate(now), campaign.review_due_days),
      status: 'open',
      note: `核查#${campaign.id}/home_visit/${e.household_id}/${e.person_id ?? '-'}：入户核查发现`,
      created_at: ts,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await trx
    .insertInto('audit_finding')
    .values({
      campaign_id: campaign.id,
      county_code: e.county_code,
      town_code: e.town_code,
      rule_code: 'home_visit',
      rule_type: 'home_visit',
      category: input.category,
      household_id: e.household_id,
      person_id: e.person_id,
      enrolment_id: e.id,
      program_code: e.program_code,
      persons,
      summary,
      evidence_json: JSON.stringify({ source: '入户核查', recordedBy: actor.username }),
      task_id: task.id,
      created_at: ts,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('audit_campaign')
    .set((eb) => ({ finding_count: eb('finding_count', '+', 1) }))
    .where('id', '=', campaign.id)
    .execute();
  await appendAudit(
    trx,
    actor,
    {
      action: 'campaign.finding.visit',
      entityType: 'audit_finding',
      entityId: row.id,
      countyCode: e.county_code,
      townCode: e.town_code,
      after: { campaignId: campaign.id, enrolmentId: e.id, category: input.category, persons },
      detail: summary,
    },
    now,
  );
  return { id: Number(row.id), version: row.version, persons };
}

// ---------------------------------------------------------------------------------------------------------
// Summary

export async function campaignSummary(db: Db, actor: Actor, campaignId: number) {
  requirePermission(actor, 'campaign.read');
  const campaign = await campaignOrThrow(db, actor, campaignId);
  const scope = scopeOf(actor);
  const population = (
    parseJson<{
      cells: { townCode: string; programCode: string; households: number; persons: number }[];
    } | null>(campaign.population_json, null)?.cells ?? []
  ).filter((c) => scope.townCode === null || c.townCode === scope.townCode);
  const facts = await repo.campaignFindingFacts(db, campaignId, scope.townCode);
  const towns = await db
    .selectFrom('area')
    .select(['code', 'name'])
    .where('parent_code', '=', campaign.county_code)
    .where('level', '=', 'town')
    .execute();
  const result = summarise({
    asOf: campaign.as_of,
    population,
    findings: facts,
    townNames: Object.fromEntries(towns.map((t) => [t.code, t.name])),
    programLabels: CASE_PROGRAMS,
  });
  return {
    campaignId,
    title: campaign.title,
    asOf: campaign.as_of,
    status: campaign.status,
    ...result,
    total: { ...result.total, categoryLabels: CATEGORIES },
  };
}

/** The contract's name for the summary. */
export const summary = campaignSummary;
