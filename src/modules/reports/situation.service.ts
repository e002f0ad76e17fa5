/**
 * 落实社会救助政策情况报告: the figures gathered from the monthly statistics (the month's latest frozen snapshot
 * when there is one, else the payment ledger: monthlyStatistics), the 临时救助 cases, the latest 核查 campaign and
 * the windows; worded by the pure builder (src/domain/reports/situation.ts, where each figure's definition is
 * stated); as JSON or as a Word document. Area scope: a town user gets their own town's figures, and the title
 * says so. The report holds aggregates only (no names, ID numbers or accounts); the docx export is audited all
 * the same, like the statistical tables (who took which figures out of the system).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { isIsoMonth } from '../../domain/calendar/dates.ts';
import { summarise } from '../../domain/campaign/summary.ts';
import {
  buildSituationReport,
  type SituationFigures,
  type SituationReport,
  wubaoMonthlyLevelFen,
} from '../../domain/reports/situation.ts';
import { previousMonth } from '../../domain/statistics/indicators.ts';
import { findArea } from '../areas/areas.repository.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { campaignFindingFacts } from '../campaigns/campaigns.repository.ts';
import { validationError } from '../errors/app-error.ts';
import { type Indicators, type MonthlyView, monthlyStatistics } from '../statistics/statistics.service.ts';
import { renderSituationDocx } from './situation.docx.ts';
import {
  countTemporaryAidCases,
  countTowns,
  countWindowClerks,
  latestCampaignBefore,
} from './situation.repository.ts';

type Db = Kysely<Database>;

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const DIBAO = new Set(['urban_dibao', 'rural_dibao']);
const TEKUN = new Set(['urban_tekun', 'rural_tekun']);

/** Where a month's figures came from (a frozen snapshot or the ledger), as the report's note says. */
export type FigureSource =
  | { month: string; kind: 'snapshot'; snapshotId: number; version: number; frozenAt: string }
  | { month: string; kind: 'ledger' };

export interface SituationReportResult extends SituationReport {
  month: string;
  countyCode: string;
  countyName: string;
  townCode: string | null;
  townName: string | null;
  /** Every number behind the text (fen and integers). */
  figures: SituationFigures;
  sources: FigureSource[];
  /** One line on the data's origin for the document's end. */
  note: string;
}

function totalOf(view: MonthlyView, program: string): Indicators | null {
  return view.programs.find((p) => p.program === program)?.total ?? null;
}

function sourceOf(view: MonthlyView): FigureSource {
  return view.source.kind === 'snapshot'
    ? {
        month: view.month,
        kind: 'snapshot',
        snapshotId: view.source.snapshotId,
        version: view.source.version,
        frozenAt: view.source.frozenAt,
      }
    : { month: view.month, kind: 'ledger' };
}

function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

function noteOf(sources: FigureSource[]): string {
  const parts = sources.map((s) =>
    s.kind === 'snapshot'
      ? `${monthLabel(s.month)}统计快照第${s.version}版（${s.frozenAt.slice(0, 10)}冻结）`
      : `${monthLabel(s.month)}支付台账（该月统计尚未冻结）`,
  );
  return `注：文中数据由系统根据${parts.join('、')}生成；金额单位万元保留两位小数，人均水平取整到元（四舍五入）。`;
}

async function campaignFigures(
  db: Db,
  countyCode: string,
  townCode: string | null,
  month: string,
): Promise<SituationFigures['campaign']> {
  const c = await latestCampaignBefore(db, countyCode, `${month}-01`);
  if (!c) return null;
  let cells: { townCode: string; programCode: string; households: number; persons: number }[] = [];
  try {
    cells = (JSON.parse(c.population_json ?? 'null') as { cells?: typeof cells } | null)?.cells ?? [];
  } catch {
    cells = [];
  }
  const population = cells.filter((x) => townCode === null || x.townCode === townCode);
  const facts = await campaignFindingFacts(db, Number(c.id), townCode);
  // The campaign module's own summary (exits = exit and recovery outcomes, each enrolment once).
  const { rows } = summarise({
    asOf: c.as_of,
    population,
    findings: facts,
    townNames: {},
    programLabels: {},
  });
  const dibaoRows = rows.filter((r) => DIBAO.has(r.programCode));
  const tekunRows = rows.filter((r) => TEKUN.has(r.programCode));
  const sum = (rs: typeof rows, k: 'households' | 'persons' | 'exitedHouseholds' | 'exitedPersons') =>
    rs.reduce((s, r) => s + r[k], 0);
  return {
    campaignId: Number(c.id),
    title: c.title,
    asOf: c.as_of,
    dibao:
      dibaoRows.length === 0
        ? null
        : {
            households: sum(dibaoRows, 'households'),
            persons: sum(dibaoRows, 'persons'),
            exitedHouseholds: sum(dibaoRows, 'exitedHouseholds'),
            exitedPersons: sum(dibaoRows, 'exitedPersons'),
          },
    tekun:
      tekunRows.length === 0
        ? null
        : { persons: sum(tekunRows, 'persons'), exitedPersons: sum(tekunRows, 'exitedPersons') },
  };
}

/** Gathers every figure of the report for the actor's area (permission stats.read, via monthlyStatistics). */
export async function situationFigures(
  db: Db,
  actor: Actor,
  month: string,
): Promise<{ figures: SituationFigures; sources: FigureSource[] }> {
  if (!isIsoMonth(month)) throw validationError('month', '月份格式应为 YYYY-MM');
  const prev = previousMonth(month);
  const feb = `${month.slice(0, 4)}-02`;
  const [cur, before] = await Promise.all([
    monthlyStatistics(db, actor, { month }),
    monthlyStatistics(db, actor, { month: prev }),
  ]);
  // 春节: the price subsidy of benefit months 01–02 = February's year-to-date (January's, in a January report).
  const janFeb =
    month <= feb ? cur : prev === feb ? before : await monthlyStatistics(db, actor, { month: feb });
  const scope = scopeOf(actor);
  const townCode = cur.townCode ?? scope.townCode;
  const [county, town, casesAccepted, campaign, towns, clerks] = await Promise.all([
    findArea(db, actor.countyCode),
    townCode === null ? Promise.resolve(undefined) : findArea(db, townCode),
    countTemporaryAidCases(db, actor.countyCode, townCode, `${prev.slice(0, 4)}-01-01`, `${prev}-31`),
    campaignFigures(db, actor.countyCode, townCode, month),
    countTowns(db, actor.countyCode, townCode),
    countWindowClerks(db, actor.countyCode, townCode),
  ]);

  const dibao = (program: string) => {
    const t = totalOf(cur, program);
    return {
      persons: t?.persons ?? 0,
      households: t?.households ?? 0,
      spendingYtdFen: (t?.spendingYtd.dibaoBaseFen ?? 0) + (t?.spendingYtd.dibaoAddonFen ?? 0),
      topUpLevelYtdFen: t?.topUpLevelYtdFen ?? null,
    };
  };
  const urban = totalOf(cur, 'urban_dibao');
  const rural = totalOf(cur, 'rural_dibao');
  const wubao = totalOf(cur, 'rural_tekun');
  const holidayFen = wubao?.componentsYtd.holiday_subsidy ?? 0;
  const wubaoSpendingFen =
    (wubao?.spendingYtd.totalFen ?? 0) - (wubao?.spendingYtd.priceSubsidyFen ?? 0) - holidayFen;
  const wubaoPersonMonths = wubao?.personMonthsYtd ?? 0;
  const priceJanFebFen = totalOf(janFeb, 'rural_tekun')?.spendingYtd.priceSubsidyFen ?? 0;
  const medical = totalOf(cur, 'medical_aid');
  const temp = totalOf(before, 'temporary_aid');
  const flowOf = (program: string, kind: 'added' | 'removed') => {
    const t = totalOf(before, program);
    return { households: t?.[kind].ytd.households ?? 0, persons: t?.[kind].ytd.persons ?? 0 };
  };

  const figures: SituationFigures = {
    month,
    previousMonth: prev,
    countyCode: actor.countyCode,
    countyName: county?.name ?? actor.countyCode,
    townCode,
    townName: townCode === null ? null : (town?.name ?? townCode),
    urbanDibao: dibao('urban_dibao'),
    ruralDibao: dibao('rural_dibao'),
    dibaoPriceSubsidyYtdFen:
      (urban?.spendingYtd.priceSubsidyFen ?? 0) + (rural?.spendingYtd.priceSubsidyFen ?? 0),
    wubao: {
      persons: wubao?.persons ?? 0,
      spendingYtdFen: wubaoSpendingFen,
      personMonthsYtd: wubaoPersonMonths,
      monthlyLevelFen: wubaoMonthlyLevelFen(wubaoSpendingFen, wubaoPersonMonths),
      holidaySubsidyYtdFen: holidayFen,
      priceSubsidyJanFebFen: priceJanFebFen,
      springFestivalFen: holidayFen + priceJanFebFen,
    },
    medicalAid: { grantsYtd: medical?.grantsYtd ?? 0, spendingYtdFen: medical?.spendingYtd.totalFen ?? 0 },
    temporaryAid: {
      casesAccepted,
      grantsYtd: temp?.grantsYtd ?? 0,
      spendingYtdFen: temp?.spendingYtd.totalFen ?? 0,
    },
    approvals: {
      added: { urban: flowOf('urban_dibao', 'added'), rural: flowOf('rural_dibao', 'added') },
      removed: { urban: flowOf('urban_dibao', 'removed'), rural: flowOf('rural_dibao', 'removed') },
    },
    campaign,
    windows: { towns, clerks },
  };
  const sources = [sourceOf(cur), sourceOf(before)];
  if (janFeb !== cur && janFeb !== before) sources.push(sourceOf(janFeb));
  return { figures, sources };
}

/** The report as JSON: title, sections (一 generated, 二 and 三 templates) and every figure behind them. */
export async function situationReport(db: Db, actor: Actor, month: string): Promise<SituationReportResult> {
  const { figures, sources } = await situationFigures(db, actor, month);
  return {
    month,
    countyCode: figures.countyCode,
    countyName: figures.countyName,
    townCode: figures.townCode,
    townName: figures.townName,
    ...buildSituationReport(figures),
    figures,
    sources,
    note: noteOf(sources),
  };
}

/** The report as a Word document, the export written to the audit log. */
export async function exportSituationDocx(
  db: Db,
  actor: Actor,
  month: string,
  now = new Date(),
): Promise<{
  report: SituationReportResult;
  fileName: string;
  bytes: Buffer;
  contentType: string;
  contentDisposition: string;
}> {
  const report = await situationReport(db, actor, month);
  const bytes = await renderSituationDocx(report);
  const fileName = `${report.title}（${monthLabel(month)}）.docx`;
  await appendAudit(
    db,
    actor,
    {
      action: 'reports.situation_export',
      entityType: 'situation_report',
      entityId: month,
      countyCode: actor.countyCode,
      townCode: report.townCode,
      after: { month, townCode: report.townCode, sources: report.sources },
      detail: `导出落实社会救助政策情况报告：${fileName}`,
    },
    now,
  );
  return {
    report,
    fileName,
    bytes,
    contentType: DOCX_MIME,
    contentDisposition: `attachment; filename="situation-report-${month}.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  };
}
