/**
 * 统计报表 trends (DOMAIN §14, §17): the monthly indicators of a range of months side by side, for the charts of
 * the 统计报表 screen — per program and month: persons, households, the month's spending split (低保金 /
 * 分类施保 / 价格临时补贴 / other), the cumulative spending since January, 当月人均补助水平, 月人均补差水平, and the
 * dibao standard in force that month; and, for the last month of the range, the same per town.
 *
 * Stated choices:
 * - Every month is read through monthlyStatisticsRange, so a month with a frozen snapshot shows its latest
 *   version (what was reported) and the other months are derived from the ledger, one read per year;
 *   `sources` says which, per month.
 * - 累计 (cumulative) is since January of the point's own year (the monthly report's 累计, §14), so a range
 *   crossing a new year starts again from zero in January.
 * - The standard is the dibao standard of the policy timeline in force that month (a town's own version over
 *   the county's when a town is chosen); null for the other programs and for months no version covers.
 * - Without from/to the range is January to the latest benefit month of the ledger in the caller's area (the
 *   latest paid month), of that month's year; with no ledger at all, January to the current month.
 * - A town user always gets their own town (area scope); a county user may choose one town.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { chinaDate, isIsoMonth } from '../../domain/calendar/dates.ts';
import {
  DIBAO_PROGRAMS,
  GRANT_PROGRAMS,
  type SpendingSplit,
  STAT_PROGRAM_CODES,
  STAT_PROGRAMS,
  splitSpending,
} from '../../domain/statistics/indicators.ts';
import { sessionOf } from '../../http/auth.ts';
import { requirePermission } from '../access/require-permission.ts';
import { validationError } from '../errors/app-error.ts';
import { loadPolicyTimeline, type PolicyTimeline } from '../policy/policy.service.ts';
import { type Indicators, type MonthlyView, monthlyStatisticsRange } from './statistics.service.ts';

type Db = Kysely<Database>;

/** The longest range one request may ask for (three years of monthly reports). */
export const MAX_TREND_MONTHS = 36;

export interface TrendPoint {
  month: string;
  persons: number;
  households: number;
  personMonthsYtd: number;
  grantsMonth: number;
  grantsYtd: number;
  spendingMonth: SpendingSplit;
  /** Cumulative since January of the point's year. */
  spendingYtd: SpendingSplit;
  levelMonthFen: number | null;
  levelYtdFen: number | null;
  topUpLevelMonthFen: number | null;
  topUpLevelYtdFen: number | null;
  /** The dibao standard in force that month (fen per person and month); null for other programs. */
  standardFen: number | null;
  standardDocNo: string | null;
}

export interface TownPoint {
  program: string;
  persons: number;
  households: number;
  spendingMonth: SpendingSplit;
  spendingYtd: SpendingSplit;
  grantsMonth: number;
  topUpLevelMonthFen: number | null;
}

export interface TrendsView {
  from: string;
  to: string;
  /** True when from/to were not given and the range is January .. the latest paid month. */
  defaultRange: boolean;
  latestPaidMonth: string | null;
  countyCode: string;
  townCode: string | null;
  /** The towns the caller may choose (a town user: only their own). */
  towns: { code: string; name: string }[];
  months: string[];
  sources: { month: string; kind: 'snapshot' | 'ledger'; version: number | null }[];
  programs: { program: string; label: string; kind: 'stock' | 'grant'; points: TrendPoint[] }[];
  /** The last month of the range, per town in scope (every town, zero when nothing was paid there). */
  byTown: {
    month: string;
    towns: { townCode: string; townName: string; programs: TownPoint[] }[];
  };
}

/** 'YYYY-MM' .. 'YYYY-MM' inclusive. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) break;
    out.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

const ZERO_SPLIT: SpendingSplit = splitSpending({});

function pointOf(
  month: string,
  ind: Indicators | undefined,
): Omit<TrendPoint, 'standardFen' | 'standardDocNo'> {
  return {
    month,
    persons: ind?.persons ?? 0,
    households: ind?.households ?? 0,
    personMonthsYtd: ind?.personMonthsYtd ?? 0,
    grantsMonth: ind?.grantsMonth ?? 0,
    grantsYtd: ind?.grantsYtd ?? 0,
    spendingMonth: ind?.spendingMonth ?? ZERO_SPLIT,
    spendingYtd: ind?.spendingYtd ?? ZERO_SPLIT,
    levelMonthFen: ind?.levelMonthFen ?? null,
    levelYtdFen: ind?.levelYtdFen ?? null,
    topUpLevelMonthFen: ind?.topUpLevelMonthFen ?? null,
    topUpLevelYtdFen: ind?.topUpLevelYtdFen ?? null,
  };
}

async function latestPaidMonth(db: Db, countyCode: string, townCode: string | null): Promise<string | null> {
  const row = await db
    .selectFrom('payment_ledger')
    .select((eb) => eb.fn.max('benefit_month').as('month'))
    .where('county_code', '=', countyCode)
    .$if(townCode !== null, (q) => q.where('town_code', '=', townCode ?? ''))
    .executeTakeFirst();
  return row?.month ?? null;
}

async function townsInScope(db: Db, countyCode: string, townCode: string | null) {
  const rows = await db
    .selectFrom('area')
    .select(['code', 'name'])
    .where('parent_code', '=', countyCode)
    .where('level', '=', 'town')
    .$if(townCode !== null, (q) => q.where('code', '=', townCode ?? ''))
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name }));
}

/** GET /statistics/trends: the months of a range side by side, and the last month per town. */
export async function statisticsTrends(
  db: Db,
  actor: Actor,
  input: { from?: string | undefined; to?: string | undefined; townCode?: string | undefined },
  now = new Date(),
): Promise<TrendsView> {
  requirePermission(actor, 'stats.read');
  for (const [field, v] of [
    ['from', input.from],
    ['to', input.to],
  ] as const) {
    if (v !== undefined && !isIsoMonth(v)) throw validationError(field, '月份格式应为 YYYY-MM');
  }
  const scope = scopeOf(actor);
  // The area the default range and the town list are read for; monthlyStatisticsRange checks the request itself.
  const town = scope.townCode ?? input.townCode ?? null;
  const latest = await latestPaidMonth(db, actor.countyCode, town);
  const to = input.to ?? latest ?? chinaDate(now).slice(0, 7);
  const from = input.from ?? `${to.slice(0, 4)}-01`;
  if (from > to) throw validationError('from', '起始月份不能晚于截止月份');
  const months = monthRange(from, to);
  if (months.length > MAX_TREND_MONTHS) {
    throw validationError('from', `一次最多查询 ${MAX_TREND_MONTHS} 个月`);
  }

  // Frozen months from their snapshots; the others from one read of the ledger per year.
  const views: MonthlyView[] = await monthlyStatisticsRange(db, actor, { months, townCode: input.townCode });
  const townCode = views[0]?.townCode ?? null;
  const [towns, urban, rural] = await Promise.all([
    townsInScope(db, actor.countyCode, scope.townCode),
    loadPolicyTimeline(db, actor.countyCode, 'urban_dibao'),
    loadPolicyTimeline(db, actor.countyCode, 'rural_dibao'),
  ]);
  const timelines: Record<string, PolicyTimeline> = { urban_dibao: urban, rural_dibao: rural };

  const present = new Set(views.flatMap((v) => v.programs.map((p) => p.program)));
  const order = [
    ...STAT_PROGRAM_CODES,
    ...[...present].filter((p) => !Object.hasOwn(STAT_PROGRAMS as object, p)).sort(),
  ].filter((p) => present.has(p));

  const programs = order.map((program) => {
    const timeline = timelines[program];
    return {
      program,
      label: (STAT_PROGRAMS as Record<string, string>)[program] ?? program,
      kind: (GRANT_PROGRAMS as readonly string[]).includes(program) ? ('grant' as const) : ('stock' as const),
      points: views.map((v): TrendPoint => {
        const policy = timeline?.at<'dibao'>(v.month, townCode) ?? null;
        return {
          ...pointOf(v.month, v.programs.find((p) => p.program === program)?.total),
          standardFen:
            policy && (DIBAO_PROGRAMS as readonly string[]).includes(program)
              ? policy.body.standardFen
              : null,
          standardDocNo: policy ? policy.docNo : null,
        };
      }),
    };
  });

  const last = views[views.length - 1];
  const byTown = {
    month: to,
    towns: towns
      .filter((t) => townCode === null || t.code === townCode)
      .map((t) => ({
        townCode: t.code,
        townName: t.name,
        programs: order.map((program): TownPoint => {
          const ind = last?.programs
            .find((p) => p.program === program)
            ?.byTown.find((x) => x.townCode === t.code)?.indicators;
          return {
            program,
            persons: ind?.persons ?? 0,
            households: ind?.households ?? 0,
            spendingMonth: ind?.spendingMonth ?? ZERO_SPLIT,
            spendingYtd: ind?.spendingYtd ?? ZERO_SPLIT,
            grantsMonth: ind?.grantsMonth ?? 0,
            topUpLevelMonthFen: ind?.topUpLevelMonthFen ?? null,
          };
        }),
      })),
  };

  return {
    from,
    to,
    defaultRange: input.from === undefined && input.to === undefined,
    latestPaidMonth: latest,
    countyCode: actor.countyCode,
    townCode,
    towns,
    months,
    sources: views.map((v) => ({
      month: v.month,
      kind: v.source.kind,
      version: v.source.kind === 'snapshot' ? v.source.version : null,
    })),
    programs,
    byTown,
  };
}

const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

/** The route, registered by registerStatisticsRoutes (statistics.routes.ts). */
export function registerTrendsRoute(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/statistics/trends',
    {
      schema: {
        tags: ['民政统计'],
        summary:
          '统计趋势：起止月份内各救助项目逐月的人数、户数、支出（低保金/分类施保/价格临时补贴/其他）、累计支出、人均补助水平、低保标准，及截止月份分乡镇数据（默认当年1月至最近发放月份）',
        querystring: z
          .object({
            from: monthParam.optional(),
            to: monthParam.optional(),
            town: z
              .string()
              .regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字')
              .optional(),
          })
          .strict(),
      },
    },
    async (req) =>
      statisticsTrends(app.db, sessionOf(req).actor, {
        from: req.query.from,
        to: req.query.to,
        townCode: req.query.town,
      }),
  );
}
