/**
 * 民政统计 (DOMAIN §14, §17): a month's indicators per program, town and village, derived from the payment
 * ledger only; a closed month frozen as an immutable, dated snapshot (a re-freeze after corrections is a new
 * version marked as the correction of the previous); a snapshot re-derived from the ledger to prove agreement.
 *
 * Stated choices:
 * - Persons and households at month end = distinct paid units of the benefit month (DOMAIN §14 MIS implications):
 *   an enrolment whose ledger entries for the month net above zero; 特困 and 单人保 lines count their person,
 *   a household line the household's members at the month's end.
 * - Spending is attributed to the benefit month (the month the money is for), every entry kind signed, so a
 *   补发 posted later for a closed month changes that month's re-derived figures (and verify shows it).
 * - 新增/取消 come from the enrolments' start and end months (an enrolment is opened by the approving case event
 *   and closed by the terminating one, with its reason): 新增 in its first covered month, 取消 in the month after
 *   its last covered month.
 * - 人次 = the sum of the monthly person counts since January; 医疗救助 and 临时救助 count each grant as 1 人次.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { COMPONENTS, FUND_SOURCE_CODES, FUND_SOURCES } from '../../domain/benefit/components.ts';
import { chinaDate, isIsoMonth } from '../../domain/calendar/dates.ts';
import {
  AGE_GROUP_LABELS,
  type AgeGroups,
  addFenMaps,
  ageGroupBounds,
  averagePerGrantFen,
  cumulativeLevelFen,
  DIBAO_PROGRAMS,
  formatWan,
  GRANT_PROGRAMS,
  monthlyLevelFen,
  monthsSinceJanuary,
  previousMonth,
  type SpendingSplit,
  STAT_PROGRAM_CODES,
  STAT_PROGRAMS,
  SUPPORT_MODES,
  splitSpending,
  topUpLevelFen,
} from '../../domain/statistics/indicators.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, forbiddenArea, notFound, validationError } from '../errors/app-error.ts';
import { campaignOutcomes, flows, paidPersonsByAge, paidUnits, spending } from './statistics.repository.ts';

type Db = Kysely<Database>;

/** 2: cells carry the month's age groups (DOMAIN §14); a format-1 snapshot is compared without them. */
export const FIGURES_FORMAT = 2;

/** One program × town × village × 集中/分散 cell of a month (all money in fen). */
export interface Cell {
  program: string;
  townCode: string;
  villageCode: string | null;
  supportMode: string | null;
  persons: number;
  households: number;
  personMonthsYtd: number;
  householdMonthsYtd: number;
  grantsMonth: number;
  grantsYtd: number;
  componentsMonth: Record<string, number>;
  componentsYtd: Record<string, number>;
  fundMonth: Record<string, number>;
  fundYtd: Record<string, number>;
  /** The month-end persons by age group (DOMAIN §14; absent in format-1 snapshots). */
  ageGroups?: AgeGroups;
}

export interface Flow {
  kind: 'added' | 'removed';
  /** The month the flow shows in (新增: first covered month; 取消: the month after the last covered one). */
  month: string;
  program: string;
  townCode: string;
  villageCode: string | null;
  supportMode: string | null;
  reason: string | null;
  households: number;
  persons: number;
}

export interface CampaignResult {
  campaignId: number;
  title: string;
  asOf: string;
  townCode: string;
  program: string | null;
  populationHouseholds: number;
  populationPersons: number;
  findings: number;
  reviewed: number;
  kept: number;
  exitedHouseholds: number;
  exitedPersons: number;
  recoveryFen: number;
}

/** The frozen content: exactly what re-derivation reproduces (no clock, no user). */
export interface Figures {
  format: number;
  countyCode: string;
  month: string;
  cells: Cell[];
  flows: Flow[];
  campaigns: CampaignResult[];
}

const cellKey = (c: Pick<Cell, 'program' | 'townCode' | 'villageCode' | 'supportMode'>) =>
  `${c.program}|${c.townCode}|${c.villageCode ?? ''}|${c.supportMode ?? ''}`;

function sortedMap(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(m)
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Re-derives a month's figures from the ledger, the enrolments and the campaigns (read only). */
export async function deriveFigures(db: Db, countyCode: string, month: string): Promise<Figures> {
  return (await deriveYear(db, countyCode, month, [month])).get(month) as Figures;
}

/** What one read of the ledger for January … `toMonth` holds (every month of the year up to it). */
interface YearData {
  units: Awaited<ReturnType<typeof paidUnits>>;
  money: Awaited<ReturnType<typeof spending>>;
  starts: Awaited<ReturnType<typeof flows>>;
  ends: Awaited<ReturnType<typeof flows>>;
  camp: Awaited<ReturnType<typeof campaignOutcomes>>;
  ages: Map<string, Awaited<ReturnType<typeof paidPersonsByAge>>>;
}

/**
 * The figures of several months of one year from a single read of the ledger: the year's set-based queries are
 * the expensive part, and each month's figures are that data cut at the month (the trends screen asks for every
 * month of a year at once). `months` default to every month from January to `toMonth`.
 */
export async function deriveYear(
  db: Db,
  countyCode: string,
  toMonth: string,
  months: readonly string[] = monthsSinceJanuary(toMonth),
): Promise<Map<string, Figures>> {
  const from = monthsSinceJanuary(toMonth)[0] as string;
  const [units, money, starts, ends, camp, ...ages] = await Promise.all([
    paidUnits(db, countyCode, from, toMonth),
    spending(db, countyCode, from, toMonth),
    flows(db, countyCode, 'start', from, toMonth),
    flows(db, countyCode, 'end', previousMonth(from), previousMonth(toMonth)),
    campaignOutcomes(db, countyCode, `${from}-01`, `${toMonth}-31`),
    ...months.map((m) => paidPersonsByAge(db, countyCode, m, ageGroupBounds(m))),
  ]);
  const data: YearData = {
    units,
    money,
    starts,
    ends,
    camp,
    ages: new Map(months.map((m, i) => [m, ages[i] ?? []])),
  };
  return new Map(months.map((m) => [m, assemble(countyCode, m, data)]));
}

/** One month's figures from the year's data: what was paid, started, ended or checked up to the month. */
function assemble(countyCode: string, month: string, data: YearData): Figures {
  const units = data.units.filter((u) => u.month <= month);
  const money = data.money.filter((x) => x.month <= month);
  const starts = data.starts.filter((f) => f.month <= month);
  const ends = data.ends.filter((f) => f.month <= previousMonth(month));
  const monthEnd = `${month}-31`;
  const camp = {
    campaigns: data.camp.campaigns.filter((c) => c.as_of <= monthEnd),
    cells: data.camp.cells.filter((c) => c.asOf <= monthEnd),
  };
  const ages = data.ages.get(month) ?? [];
  const cells = new Map<string, Cell>();
  const cellOf = (k: Pick<Cell, 'program' | 'townCode' | 'villageCode' | 'supportMode'>): Cell => {
    const key = cellKey(k);
    let c = cells.get(key);
    if (!c) {
      c = {
        program: k.program,
        townCode: k.townCode,
        villageCode: k.villageCode,
        supportMode: k.supportMode,
        persons: 0,
        households: 0,
        personMonthsYtd: 0,
        householdMonthsYtd: 0,
        grantsMonth: 0,
        grantsYtd: 0,
        componentsMonth: {},
        componentsYtd: {},
        fundMonth: {},
        fundYtd: {},
      };
      cells.set(key, c);
    }
    return c;
  };
  for (const u of units) {
    const c = cellOf(u);
    c.personMonthsYtd += u.persons;
    c.householdMonthsYtd += u.households;
    if (u.month === month) {
      c.persons += u.persons;
      c.households += u.households;
    }
  }
  for (const s of money) {
    const c = cellOf(s);
    c.componentsYtd[s.component] = (c.componentsYtd[s.component] ?? 0) + s.amountFen;
    c.fundYtd[s.fundSource] = (c.fundYtd[s.fundSource] ?? 0) + s.amountFen;
    c.grantsYtd += s.grants;
    if (s.month === month) {
      c.componentsMonth[s.component] = (c.componentsMonth[s.component] ?? 0) + s.amountFen;
      c.fundMonth[s.fundSource] = (c.fundMonth[s.fundSource] ?? 0) + s.amountFen;
      c.grantsMonth += s.grants;
    }
  }
  for (const a of ages) {
    cellOf(a).ageGroups = { minors: a.minors, adults: a.adults, elderly: a.elderly };
  }
  const flowList: Flow[] = [
    ...starts.map((f) => ({ ...f, kind: 'added' as const })),
    ...ends.map((f) => ({ ...f, kind: 'removed' as const, month: nextMonth(f.month) })),
  ].map((f) => ({
    kind: f.kind,
    month: f.month,
    program: f.program,
    townCode: f.townCode,
    villageCode: f.villageCode,
    supportMode: f.supportMode,
    reason: f.reason,
    households: f.households,
    persons: f.persons,
  }));
  flowList.sort((a, b) =>
    `${a.kind}|${a.month}|${cellKey(a)}|${a.reason ?? ''}`.localeCompare(
      `${b.kind}|${b.month}|${cellKey(b)}|${b.reason ?? ''}`,
    ),
  );
  const campaigns = campaignResults(camp);
  return {
    format: FIGURES_FORMAT,
    countyCode,
    month,
    cells: [...cells.values()]
      .map((c) => ({
        ...c,
        componentsMonth: sortedMap(c.componentsMonth),
        componentsYtd: sortedMap(c.componentsYtd),
        fundMonth: sortedMap(c.fundMonth),
        fundYtd: sortedMap(c.fundYtd),
      }))
      .sort((a, b) => cellKey(a).localeCompare(cellKey(b))),
    flows: flowList,
    campaigns,
  };
}

function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function campaignResults(camp: Awaited<ReturnType<typeof campaignOutcomes>>): CampaignResult[] {
  const out = new Map<string, CampaignResult>();
  const slot = (
    campaignId: number,
    title: string,
    asOf: string,
    townCode: string,
    program: string | null,
  ) => {
    const key = `${campaignId}|${townCode}|${program ?? ''}`;
    let r = out.get(key);
    if (!r) {
      r = {
        campaignId,
        title,
        asOf,
        townCode,
        program,
        populationHouseholds: 0,
        populationPersons: 0,
        findings: 0,
        reviewed: 0,
        kept: 0,
        exitedHouseholds: 0,
        exitedPersons: 0,
        recoveryFen: 0,
      };
      out.set(key, r);
    }
    return r;
  };
  for (const c of camp.campaigns) {
    let cells: { townCode: string; programCode: string; households: number; persons: number }[] = [];
    try {
      cells = (JSON.parse(c.population_json ?? 'null') as { cells?: typeof cells } | null)?.cells ?? [];
    } catch {
      cells = [];
    }
    for (const p of cells) {
      const r = slot(Number(c.id), c.title, c.as_of, p.townCode, p.programCode);
      r.populationHouseholds += p.households;
      r.populationPersons += p.persons;
    }
  }
  for (const f of camp.cells) {
    const r = slot(f.campaignId, f.title, f.asOf, f.townCode, f.program);
    r.findings += f.findings;
    if (f.outcome !== null) r.reviewed += f.findings;
    if (f.outcome === 'keep') r.kept += f.findings;
    if (f.outcome === 'exit') {
      r.exitedHouseholds += f.households;
      r.exitedPersons += f.persons;
    }
    r.recoveryFen += f.recoveryFen;
  }
  return [...out.values()].sort((a, b) =>
    `${a.campaignId}|${a.townCode}|${a.program ?? ''}`.localeCompare(
      `${b.campaignId}|${b.townCode}|${b.program ?? ''}`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The view: indicators per program, town and village, computed from figures (frozen or live).

export interface FlowFigures {
  households: number;
  persons: number;
}

export interface Indicators {
  persons: number;
  households: number;
  personMonthsYtd: number;
  householdMonthsYtd: number;
  added: { month: FlowFigures; ytd: FlowFigures; reasonsYtd: (FlowFigures & { reason: string })[] };
  removed: { month: FlowFigures; ytd: FlowFigures; reasonsYtd: (FlowFigures & { reason: string })[] };
  spendingMonth: SpendingSplit;
  spendingYtd: SpendingSplit;
  componentsMonth: Record<string, number>;
  componentsYtd: Record<string, number>;
  fundMonth: Record<string, number>;
  fundYtd: Record<string, number>;
  grantsMonth: number;
  grantsYtd: number;
  /** DOMAIN §14 当月人均补助水平 (fen/人·月): all of the month's spending of the program ÷ persons. */
  levelMonthFen: number | null;
  /** DOMAIN §14 累计月人均补助水平: 累计支出 ÷ 人次. */
  levelYtdFen: number | null;
  /** DOMAIN §17 Guangdong 月人均补差水平 (dibao only): (低保金 + 分类施保) ÷ persons; the cumulative likewise per 人次. */
  topUpLevelMonthFen: number | null;
  topUpLevelYtdFen: number | null;
  /** DOMAIN §14 平均救助水平 (医疗救助, 临时救助): 累计支出 ÷ 累计人次. */
  averagePerGrantFen: number | null;
  /** DOMAIN §14: the month-end persons by age group (null for a format-1 snapshot, which did not keep them). */
  ageGroups: AgeGroups | null;
  /** The edge: 万元 with two decimals. */
  wan: { spendingMonth: string; spendingYtd: string };
}

function emptyFlow(): FlowFigures {
  return { households: 0, persons: 0 };
}

function indicatorsOf(program: string | null, cells: Cell[], fl: Flow[], month: string): Indicators {
  let persons = 0;
  let households = 0;
  let personMonthsYtd = 0;
  let householdMonthsYtd = 0;
  let grantsMonth = 0;
  let grantsYtd = 0;
  let componentsMonth: Record<string, number> = {};
  let componentsYtd: Record<string, number> = {};
  let fundMonth: Record<string, number> = {};
  let fundYtd: Record<string, number> = {};
  let ageGroups: AgeGroups | null = { minors: 0, adults: 0, elderly: 0 };
  for (const c of cells) {
    if (c.ageGroups && ageGroups) {
      ageGroups.minors += c.ageGroups.minors;
      ageGroups.adults += c.ageGroups.adults;
      ageGroups.elderly += c.ageGroups.elderly;
    } else if (c.persons > 0) ageGroups = null;
    persons += c.persons;
    households += c.households;
    personMonthsYtd += c.personMonthsYtd;
    householdMonthsYtd += c.householdMonthsYtd;
    grantsMonth += c.grantsMonth;
    grantsYtd += c.grantsYtd;
    componentsMonth = addFenMaps(componentsMonth, c.componentsMonth);
    componentsYtd = addFenMaps(componentsYtd, c.componentsYtd);
    fundMonth = addFenMaps(fundMonth, c.fundMonth);
    fundYtd = addFenMaps(fundYtd, c.fundYtd);
  }
  for (const f of FUND_SOURCE_CODES) {
    fundMonth[f] ??= 0;
    fundYtd[f] ??= 0;
  }
  const flowsOf = (kind: Flow['kind']) => {
    const mine = fl.filter((f) => f.kind === kind);
    const m = emptyFlow();
    const y = emptyFlow();
    const reasons = new Map<string, FlowFigures>();
    for (const f of mine) {
      y.households += f.households;
      y.persons += f.persons;
      if (f.month === month) {
        m.households += f.households;
        m.persons += f.persons;
      }
      const reason = f.reason ?? (kind === 'added' ? '审批新增' : '未注明');
      const r = reasons.get(reason) ?? emptyFlow();
      r.households += f.households;
      r.persons += f.persons;
      reasons.set(reason, r);
    }
    return { month: m, ytd: y, reasonsYtd: [...reasons].map(([reason, v]) => ({ reason, ...v })) };
  };
  const spendingMonth = splitSpending(componentsMonth);
  const spendingYtd = splitSpending(componentsYtd);
  const isDibao = program !== null && (DIBAO_PROGRAMS as readonly string[]).includes(program);
  const isGrant = program !== null && (GRANT_PROGRAMS as readonly string[]).includes(program);
  return {
    persons,
    households,
    personMonthsYtd,
    householdMonthsYtd,
    ageGroups,
    added: flowsOf('added'),
    removed: flowsOf('removed'),
    spendingMonth,
    spendingYtd,
    componentsMonth,
    componentsYtd,
    fundMonth,
    fundYtd,
    grantsMonth,
    grantsYtd,
    levelMonthFen: isGrant
      ? null
      : monthlyLevelFen({ spendingMonthFen: spendingMonth.totalFen, personsMonth: persons }),
    levelYtdFen: isGrant
      ? null
      : cumulativeLevelFen({ spendingYtdFen: spendingYtd.totalFen, personMonthsYtd: personMonthsYtd }),
    topUpLevelMonthFen: isDibao
      ? topUpLevelFen({
          dibaoBaseFen: spendingMonth.dibaoBaseFen,
          dibaoAddonFen: spendingMonth.dibaoAddonFen,
          persons,
        })
      : null,
    topUpLevelYtdFen: isDibao
      ? topUpLevelFen({
          dibaoBaseFen: spendingYtd.dibaoBaseFen,
          dibaoAddonFen: spendingYtd.dibaoAddonFen,
          persons: personMonthsYtd,
        })
      : null,
    averagePerGrantFen: isGrant
      ? averagePerGrantFen({ spendingYtdFen: spendingYtd.totalFen, grantsYtd })
      : null,
    wan: { spendingMonth: formatWan(spendingMonth.totalFen), spendingYtd: formatWan(spendingYtd.totalFen) },
  };
}

export interface MonthlyView {
  month: string;
  countyCode: string;
  townCode: string | null;
  source:
    | { kind: 'snapshot'; snapshotId: number; version: number; frozenAt: string; frozenBy: string }
    | {
        kind: 'ledger';
      };
  programs: {
    program: string;
    label: string;
    total: Indicators;
    bySupportMode: { supportMode: string; label: string; indicators: Indicators }[];
    byTown: {
      townCode: string;
      townName: string;
      indicators: Indicators;
      byVillage: { villageCode: string | null; villageName: string; indicators: Indicators }[];
    }[];
  }[];
  /** 资金来源 across all programs. */
  fundSources: { month: Record<string, number>; ytd: Record<string, number> };
  /** 价格临时补贴 by group (the program the subsidy was paid with). */
  priceSubsidies: { program: string; label: string; monthFen: number; ytdFen: number }[];
  campaigns: CampaignResult[];
}

function programLabel(p: string): string {
  return (STAT_PROGRAMS as Record<string, string>)[p] ?? p;
}

export function viewOf(
  figures: Figures,
  filter: { program?: string | undefined; townCode?: string | null | undefined },
  names: Map<string, string>,
): Omit<MonthlyView, 'source'> {
  const town = filter.townCode ?? null;
  const inTown = <T extends { townCode: string }>(x: T) => town === null || x.townCode === town;
  const cells = figures.cells.filter(inTown);
  const fl = figures.flows.filter(inTown);
  const present = new Set([...cells.map((c) => c.program), ...fl.map((f) => f.program)]);
  const order = [
    ...STAT_PROGRAM_CODES,
    ...[...present].filter((p) => !Object.hasOwn(STAT_PROGRAMS as object, p)),
  ];
  const programs = order
    .filter((p) => (filter.program ? p === filter.program : present.has(p)))
    .map((program) => {
      const pc = cells.filter((c) => c.program === program);
      const pf = fl.filter((f) => f.program === program);
      const towns = [...new Set([...pc.map((c) => c.townCode), ...pf.map((f) => f.townCode)])].sort();
      const modes = [...new Set(pc.map((c) => c.supportMode).filter((m): m is string => m !== null))].sort();
      return {
        program,
        label: programLabel(program),
        total: indicatorsOf(program, pc, pf, figures.month),
        bySupportMode: modes.map((m) => ({
          supportMode: m,
          label: (SUPPORT_MODES as Record<string, string>)[m] ?? m,
          indicators: indicatorsOf(
            program,
            pc.filter((c) => c.supportMode === m),
            pf.filter((f) => f.supportMode === m),
            figures.month,
          ),
        })),
        byTown: towns.map((t) => {
          const tc = pc.filter((c) => c.townCode === t);
          const tf = pf.filter((f) => f.townCode === t);
          const villages = [
            ...new Set([...tc.map((c) => c.villageCode), ...tf.map((f) => f.villageCode)]),
          ].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
          return {
            townCode: t,
            townName: names.get(t) ?? t,
            indicators: indicatorsOf(program, tc, tf, figures.month),
            byVillage: villages.map((v) => ({
              villageCode: v,
              villageName: v === null ? '（未登记村）' : (names.get(v) ?? v),
              indicators: indicatorsOf(
                program,
                tc.filter((c) => c.villageCode === v),
                tf.filter((f) => f.villageCode === v),
                figures.month,
              ),
            })),
          };
        }),
      };
    });
  let fundMonth: Record<string, number> = {};
  let fundYtd: Record<string, number> = {};
  const price = new Map<string, { monthFen: number; ytdFen: number }>();
  for (const c of cells) {
    if (filter.program && c.program !== filter.program) continue;
    fundMonth = addFenMaps(fundMonth, c.fundMonth);
    fundYtd = addFenMaps(fundYtd, c.fundYtd);
    const m = c.componentsMonth.price_subsidy ?? 0;
    const y = c.componentsYtd.price_subsidy ?? 0;
    if (m !== 0 || y !== 0) {
      const p = price.get(c.program) ?? { monthFen: 0, ytdFen: 0 };
      p.monthFen += m;
      p.ytdFen += y;
      price.set(c.program, p);
    }
  }
  return {
    month: figures.month,
    countyCode: figures.countyCode,
    townCode: town,
    programs,
    fundSources: { month: fundMonth, ytd: fundYtd },
    priceSubsidies: [...price].map(([program, v]) => ({ program, label: programLabel(program), ...v })),
    campaigns: figures.campaigns.filter(inTown),
  };
}

async function areaNames(db: Db, countyCode: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('area')
    .select(['code', 'name'])
    .where('code', 'like', `${countyCode}%`)
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

function checkMonth(month: string): void {
  if (!isIsoMonth(month)) throw validationError('month', '月份格式应为 YYYY-MM');
}

/** The town the actor may see: a town user always gets their own town (area scoping). */
function townFor(actor: Actor, requested: string | undefined): string | null {
  const scope = scopeOf(actor);
  if (scope.townCode !== null) {
    if (requested && requested !== scope.townCode) {
      throw forbiddenArea('乡镇', {
        entityType: 'area',
        entityId: requested,
        countyCode: scope.countyCode,
        townCode: requested,
        attempted: '查看统计',
      });
    }
    return scope.townCode;
  }
  if (requested && !requested.startsWith(scope.countyCode)) {
    throw forbiddenArea('乡镇', {
      entityType: 'area',
      entityId: requested,
      countyCode: scope.countyCode,
      townCode: requested,
      attempted: '查看统计',
    });
  }
  return requested ?? null;
}

type SnapshotRow = Awaited<ReturnType<typeof latestSnapshotRow>>;

async function latestSnapshotRow(db: Db, countyCode: string, month: string) {
  return db
    .selectFrom('statistics_snapshot')
    .selectAll()
    .where('county_code', '=', countyCode)
    .where('month', '=', month)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * 月度统计: from the month's latest frozen snapshot when there is one (fast, and what was reported), else
 * derived from the ledger; `live` derives from the ledger regardless.
 */
export async function monthlyStatistics(
  db: Db,
  actor: Actor,
  input: {
    month: string;
    program?: string | undefined;
    townCode?: string | undefined;
    live?: boolean | undefined;
  },
): Promise<MonthlyView> {
  const [view] = await monthlyStatisticsRange(db, actor, {
    months: [input.month],
    program: input.program,
    townCode: input.townCode,
    live: input.live,
  });
  return view as MonthlyView;
}

/**
 * 月度统计 of several months (the 统计报表 trends): each frozen month from its latest snapshot, the others derived
 * from the ledger with one read per year (deriveYear) instead of one per month.
 */
export async function monthlyStatisticsRange(
  db: Db,
  actor: Actor,
  input: {
    months: readonly string[];
    program?: string | undefined;
    townCode?: string | undefined;
    live?: boolean | undefined;
  },
): Promise<MonthlyView[]> {
  requirePermission(actor, 'stats.read');
  for (const m of input.months) checkMonth(m);
  const town = townFor(actor, input.townCode);
  const [snaps, names] = await Promise.all([
    Promise.all(
      input.months.map((m) =>
        input.live ? Promise.resolve(undefined) : latestSnapshotRow(db, actor.countyCode, m),
      ),
    ),
    areaNames(db, actor.countyCode),
  ]);
  const toDerive = input.months.filter((_, i) => !snaps[i]);
  const derived = new Map<string, Figures>();
  for (const year of [...new Set(toDerive.map((m) => m.slice(0, 4)))]) {
    const ofYear = toDerive.filter((m) => m.startsWith(year));
    const last = [...ofYear].sort().at(-1) as string;
    for (const [m, f] of await deriveYear(db, actor.countyCode, last, ofYear)) derived.set(m, f);
  }
  return input.months.map((m, i) => {
    const snap = snaps[i];
    const filter = { program: input.program, townCode: town };
    if (snap) {
      const figures = JSON.parse(snap.figures_json) as Figures;
      return {
        ...viewOf(figures, filter, names),
        source: {
          kind: 'snapshot' as const,
          snapshotId: Number(snap.id),
          version: snap.version,
          frozenAt: snap.frozen_at,
          frozenBy: snap.frozen_by,
        },
      };
    }
    return { ...viewOf(derived.get(m) as Figures, filter, names), source: { kind: 'ledger' as const } };
  });
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function toSnapshot(r: NonNullable<SnapshotRow>) {
  return {
    id: Number(r.id),
    countyCode: r.county_code,
    month: r.month,
    version: r.version,
    correctsId: r.corrects_id === null ? null : Number(r.corrects_id),
    isCorrection: r.corrects_id !== null,
    sha256: r.figures_sha256,
    note: r.note,
    frozenBy: r.frozen_by,
    frozenAt: r.frozen_at,
  };
}
export type Snapshot = ReturnType<typeof toSnapshot>;

/**
 * 冻结: stores the closed month's figures as a new immutable version. The first freeze is version 1; a later
 * one (after 补发/追回 or other corrections) is the next version, marked as the correction of the previous one.
 * Refused for a month not yet closed, and when nothing changed since the latest version.
 */
export async function freezeMonth(
  trx: Transaction<Database>,
  actor: Actor,
  input: { month: string; note?: string | undefined },
  now = new Date(),
): Promise<Snapshot & { differences: Difference[] }> {
  requirePermission(actor, 'stats.freeze');
  checkMonth(input.month);
  if (input.month >= chinaDate(now).slice(0, 7)) {
    throw new AppError(ErrorCode.REFUSED, `${input.month} 尚未结束，只能冻结已结束的月份`);
  }
  const figures = await deriveFigures(trx, actor.countyCode, input.month);
  const json = JSON.stringify(figures);
  const hash = sha256(json);
  const prev = await latestSnapshotRow(trx, actor.countyCode, input.month);
  let differences: Difference[] = [];
  if (prev) {
    if (prev.figures_sha256 === hash) {
      throw new AppError(
        ErrorCode.CONFLICT,
        `${input.month} 的统计与已冻结的第 ${prev.version} 版一致，无需更正`,
      );
    }
    differences = diffFigures(JSON.parse(prev.figures_json) as Figures, figures);
  }
  const row = await trx
    .insertInto('statistics_snapshot')
    .values({
      county_code: actor.countyCode,
      month: input.month,
      version: prev ? prev.version + 1 : 1,
      corrects_id: prev ? Number(prev.id) : null,
      figures_json: json,
      figures_sha256: hash,
      note: input.note ?? null,
      frozen_by: actor.username,
      frozen_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    actor,
    {
      action: prev ? 'statistics.correct' : 'statistics.freeze',
      entityType: 'statistics_snapshot',
      entityId: Number(row.id),
      countyCode: actor.countyCode,
      townCode: null,
      after: { month: input.month, version: row.version, sha256: hash, correctsId: row.corrects_id },
    },
    now,
  );
  return { ...toSnapshot(row), differences };
}

export async function listSnapshots(db: Db, actor: Actor, month?: string) {
  requirePermission(actor, 'stats.read');
  if (month !== undefined) checkMonth(month);
  const rows = await db
    .selectFrom('statistics_snapshot')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .$if(month !== undefined, (q) => q.where('month', '=', month ?? ''))
    .orderBy('month', 'desc')
    .orderBy('version', 'desc')
    .execute();
  return { items: rows.map(toSnapshot) };
}

export interface Difference {
  /** e.g. "rural_dibao|440232109|440232109201|.componentsMonth.dibao_base" */
  path: string;
  label: string;
  frozen: number | string | null;
  current: number | string | null;
}

/** Flattens figures into path → value, cells keyed by program|town|village|mode, flows and campaigns alike. */
function flatten(f: Figures): Map<string, number | string> {
  const out = new Map<string, number | string>();
  const put = (prefix: string, obj: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'number') {
        if (v !== 0) out.set(`${prefix}.${k}`, v);
      } else if (v && typeof v === 'object') put(`${prefix}.${k}`, v as Record<string, unknown>);
    }
  };
  for (const c of f.cells) {
    const { program: _p, townCode: _t, villageCode: _v, supportMode: _m, ...rest } = c;
    put(`cell:${cellKey(c)}`, rest);
  }
  for (const x of f.flows) {
    put(`flow:${x.kind}|${x.month}|${cellKey(x)}|${x.reason ?? ''}`, {
      households: x.households,
      persons: x.persons,
    });
  }
  for (const x of f.campaigns) {
    const { campaignId, title: _t, asOf: _a, townCode, program, ...rest } = x;
    put(`campaign:${campaignId}|${townCode}|${program ?? ''}`, rest);
  }
  return out;
}

const FIELD_LABELS: Record<string, string> = {
  ...COMPONENTS,
  ...FUND_SOURCES,
  persons: '人数',
  households: '户数',
  personMonthsYtd: '累计人次',
  householdMonthsYtd: '累计户次',
  grantsMonth: '当月救助人次',
  grantsYtd: '累计救助人次',
  componentsMonth: '当月支出',
  componentsYtd: '累计支出',
  fundMonth: '当月支出（资金来源）',
  fundYtd: '累计支出（资金来源）',
  ageGroups: '年龄构成',
  ...AGE_GROUP_LABELS,
};

function labelOf(path: string): string {
  const [head, ...fields] = path.split('.');
  const [kind, key] = (head ?? '').split(/:(.*)/s);
  const parts = (key ?? '').split('|');
  const where =
    kind === 'cell'
      ? `${programLabel(parts[0] ?? '')} ${parts[2] || parts[1]}${parts[3] ? ` ${(SUPPORT_MODES as Record<string, string>)[parts[3]] ?? parts[3]}` : ''}`
      : kind === 'flow'
        ? `${parts[0] === 'added' ? '新增' : '取消'} ${parts[1]} ${programLabel(parts[2] ?? '')} ${parts[4] || parts[3]}`
        : `核查 ${parts[0]} ${parts[1]}`;
  const field = fields.map((f) => FIELD_LABELS[f] ?? f).join(' ');
  return `${where}：${field}`;
}

export function diffFigures(frozen: Figures, current: Figures): Difference[] {
  const a = flatten(frozen);
  const b = flatten(current);
  // A snapshot frozen before the age groups were kept is compared on what it has.
  if ((frozen.format ?? 1) < 2) for (const k of [...b.keys()]) if (k.includes('.ageGroups.')) b.delete(k);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: Difference[] = [];
  for (const k of keys) {
    const x = a.get(k) ?? null;
    const y = b.get(k) ?? null;
    if (x !== y) out.push({ path: k, label: labelOf(k), frozen: x, current: y });
  }
  return out;
}

/** 核验: re-derives the snapshot's month from the ledger and reports agreement or each difference. */
export async function verifySnapshot(db: Db, actor: Actor, id: number) {
  requirePermission(actor, 'stats.read');
  const row = await db.selectFrom('statistics_snapshot').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.county_code !== actor.countyCode) throw notFound('统计快照');
  const frozen = JSON.parse(row.figures_json) as Figures;
  const storedIntact = sha256(row.figures_json) === row.figures_sha256;
  const current = await deriveFigures(db, row.county_code, row.month);
  const town = scopeOf(actor).townCode;
  const differences = diffFigures(frozen, current).filter(
    (d) => town === null || d.path.includes(`|${town}|`),
  );
  return {
    snapshot: toSnapshot(row),
    storedIntact,
    agrees: storedIntact && differences.length === 0,
    differences,
    summary:
      differences.length === 0
        ? `${row.month} 第 ${row.version} 版统计与台账重新计算的结果一致`
        : `${row.month} 第 ${row.version} 版统计与台账重新计算的结果有 ${differences.length} 处不同（冻结后台账有更正，可重新冻结生成更正版）`,
  };
}

/** The month's latest snapshot (for the CLI's verify --month). */
export async function latestSnapshot(db: Db, actor: Actor, month: string) {
  requirePermission(actor, 'stats.read');
  checkMonth(month);
  const row = await latestSnapshotRow(db, actor.countyCode, month);
  return row ? toSnapshot(row) : null;
}
