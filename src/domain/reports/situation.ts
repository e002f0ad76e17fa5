/**
 * 落实社会救助政策情况报告 (the seed report, ../shared/seed/000_3c2d6c07cb2aa69a.txt; DOMAIN §14, §17): the
 * report's text built from the figures the statistics service reads from the payment ledger. Pure: the service
 * passes every number (fen and integers); this module only words them, in the seed's sentences and units.
 *
 * Section 一 (社会救助基本情况) is generated whole. Sections 二 and 三 are editable templates: the seed's headings,
 * prose left as 【请填写：…】 placeholders, except the figures the system knows (二.2 新增/取消 and the latest
 * 核查 campaign; 二.3 service windows and window clerks).
 *
 * Definitions (each figure of section 一; "month" is the report month, "previous" the month before it):
 * - 城镇/农村低保保障人数 = persons at the month's end (MonthlyView total `persons` of urban_dibao, rural_dibao).
 * - 城镇/农村低保累计救助支出 = spendingYtd.dibaoBaseFen + dibaoAddonFen: 低保金 including 分类施保 (the Guangdong
 *   补差 definition, DOMAIN §17); the price subsidy is reported apart in the same sentence.
 * - 城、乡低保月人均救助水平 = topUpLevelYtdFen (累计补差 ÷ 人次), shown in whole 元 half-up (formatLevelYuan).
 * - 发放临时价格补贴 = spendingYtd.priceSubsidyFen of urban_dibao + rural_dibao.
 * - 农村五保对象 = rural_tekun persons; 累计救助支出 = rural_tekun spendingYtd.totalFen − its price subsidy − its
 *   holiday_subsidy component; 月补助 = that ÷ personMonthsYtd (whole 元 half-up).
 * - 春节期间发放临时价格补贴 = rural_tekun componentsYtd.holiday_subsidy + its price_subsidy of benefit months
 *   01–02; the clause is left out when zero.
 * - 医疗救助 = medical_aid grantsYtd (人次) and spendingYtd.totalFen.
 * - 临时救助 = temporary_aid cases accepted from 1 January to the end of the previous month (case_file), with
 *   人次 and spending from the previous month's statistics; nothing accepted and nothing paid → "暂未收到救助申请".
 * - Units: 人, 户, 件, 人次 integers; money in 万元 with two decimals (formatWan); levels in whole 元.
 */
import { tekunWord } from '../campaign/summary.ts';
import { formatLevelYuan, formatWan, levelFen, previousMonth } from '../statistics/indicators.ts';

export interface HouseholdsPersons {
  households: number;
  persons: number;
}

export interface DibaoFigures {
  /** Month-end stock. */
  persons: number;
  households: number;
  /** 低保金 + 分类施保 since January (fen). */
  spendingYtdFen: number;
  /** 累计补差 ÷ 人次 (fen, rounded once half-up to the fen); null when nobody was paid. */
  topUpLevelYtdFen: number | null;
}

export interface SituationFigures {
  /** 'YYYY-MM': the report month. */
  month: string;
  /** The month before (临时救助 and 二.2 cover January up to its end). */
  previousMonth: string;
  countyCode: string;
  countyName: string;
  /** Set for a town user: every figure is that town's. */
  townCode: string | null;
  townName: string | null;
  urbanDibao: DibaoFigures;
  ruralDibao: DibaoFigures;
  /** 价格临时补贴 paid with urban and rural dibao since January (fen). */
  dibaoPriceSubsidyYtdFen: number;
  wubao: {
    persons: number;
    /** rural_tekun spending since January without its price subsidy and holiday subsidy (fen). */
    spendingYtdFen: number;
    personMonthsYtd: number;
    /** spendingYtdFen ÷ personMonthsYtd (fen, half-up); null when nobody was paid. */
    monthlyLevelFen: number | null;
    holidaySubsidyYtdFen: number;
    /** price_subsidy of benefit months 01–02 (fen). */
    priceSubsidyJanFebFen: number;
    /** holidaySubsidyYtdFen + priceSubsidyJanFebFen. */
    springFestivalFen: number;
  };
  medicalAid: { grantsYtd: number; spendingYtdFen: number };
  temporaryAid: {
    /** Cases accepted from 1 January of the previous month's year to its end. */
    casesAccepted: number;
    /** From the previous month's statistics. */
    grantsYtd: number;
    spendingYtdFen: number;
  };
  /** 二.2: 新增/取消 since January up to the previous month (its statistics' ytd flows). */
  approvals: {
    added: { urban: HouseholdsPersons; rural: HouseholdsPersons };
    removed: { urban: HouseholdsPersons; rural: HouseholdsPersons };
  };
  /** 二.2: the latest completed 核查 campaign whose as_of is before the report month; null when none. */
  campaign: {
    campaignId: number;
    title: string;
    asOf: string;
    dibao: (HouseholdsPersons & { exitedHouseholds: number; exitedPersons: number }) | null;
    tekun: { persons: number; exitedPersons: number } | null;
  } | null;
  /** 二.3: town-level units of the county (or the user's town) and active window clerks (role town_clerk). */
  windows: { towns: number; clerks: number };
}

export interface ReportSection {
  /** 1 = 一、二、三; 2 = the numbered items under 二. */
  level: 1 | 2;
  heading: string;
  paragraphs: string[];
}

export interface SituationReport {
  title: string;
  /** Section 一 as one paragraph (what the CLI prints). */
  basicSituation: string;
  /** The opening paragraph (before 一). */
  preamble: string[];
  sections: ReportSection[];
}

/** Marks text the bureau writes itself; the docx highlights it. */
export const PLACEHOLDER = /【请填写：[^】]*】/g;
const fill = (what: string) => `【请填写：${what}】`;

function monthNumber(month: string): number {
  return Number(month.slice(5, 7));
}

function yearOf(month: string): number {
  return Number(month.slice(0, 4));
}

/** The wording of the periods, from the report month (2015-09 → 至9月, 1-9月, 至8月底, 2015年1-8月). */
export function periodWords(month: string): {
  asAt: string;
  ytd: string;
  previousEnd: string;
  previousYtd: string;
} {
  const m = monthNumber(month);
  const prev = previousMonth(month);
  const pm = monthNumber(prev);
  const sameYear = yearOf(prev) === yearOf(month);
  return {
    asAt: `至${m}月`,
    ytd: m === 1 ? '1月' : `1-${m}月`,
    // January's report looks back at the whole of last year: name the year.
    previousEnd: sameYear ? `至${pm}月底` : `至${yearOf(prev)}年${pm}月底`,
    previousYtd: `${yearOf(prev)}年${pm === 1 ? '1月' : `1-${pm}月`}`,
  };
}

/** "全县" for the county; the town's name for a town user. */
function areaWord(f: SituationFigures): string {
  return f.townName ?? '全县';
}

export function situationTitle(f: Pick<SituationFigures, 'countyName' | 'townName'>): string {
  const base = `${f.countyName}民政局落实社会救助政策情况报告`;
  return f.townName ? `${base}（${f.townName}）` : base;
}

const wan = (fen: number) => `${formatWan(fen)}万元`;

/** Section 一 in the seed's sentence, every figure computed. */
export function basicSituationText(f: SituationFigures): string {
  const p = periodWords(f.month);
  const area = areaWord(f);
  const u = f.urbanDibao;
  const r = f.ruralDibao;
  const w = f.wubao;
  const spring = w.springFestivalFen !== 0 ? `，春节期间发放临时价格补贴共计${wan(w.springFestivalFen)}` : '';
  const t = f.temporaryAid;
  const temp =
    t.casesAccepted === 0 && t.grantsYtd === 0 && t.spendingYtdFen === 0
      ? `${p.previousEnd}，暂未收到救助申请。`
      : `${p.previousEnd}，共受理临时救助申请${t.casesAccepted}件，救助${t.grantsYtd}人次，救助支出${wan(t.spendingYtdFen)}。`;
  return (
    `城乡低保和农村五保供养情况：${p.asAt}，${area}城镇低保保障人数为${u.persons}人，农村低保人数为${r.persons}人，` +
    `${p.ytd}，城镇低保累计救助支出${wan(u.spendingYtdFen)}，农村低保累计救助支出${wan(r.spendingYtdFen)}，` +
    `城、乡低保月人均救助水平分别为${formatLevelYuan(u.topUpLevelYtdFen)}元和${formatLevelYuan(r.topUpLevelYtdFen)}元；` +
    `发放临时价格补贴共计${wan(f.dibaoPriceSubsidyYtdFen)}。` +
    `${area}农村五保对象为${w.persons}人，${p.ytd}，农村五保供养累计救助支出${wan(w.spendingYtdFen)}，` +
    `月补助${formatLevelYuan(w.monthlyLevelFen)}元${spring}；` +
    `城乡困难群众医疗情况：${p.asAt}，${area}医疗救助累计救助${f.medicalAid.grantsYtd}人次，救助支出${wan(f.medicalAid.spendingYtdFen)}；` +
    `临时救助工作：${temp}`
  );
}

/** 二.2 一是: the year's approvals and the latest 核查, in the seed's sentence; prose left to the bureau. */
function enforcementParagraph(f: SituationFigures): string {
  const p = periodWords(f.month);
  const a = f.approvals;
  const area = areaWord(f);
  const hp = (x: HouseholdsPersons) => `${x.households}户${x.persons}人`;
  let text =
    `一是组织开展城乡低保核查工作，集中整治重点、难点问题。${fill('开展核查工作的目的和依据')}` +
    `${p.previousYtd}，我局对${area}低保申请对象，在审批过程中，共新增城镇低保${hp(a.added.urban)}，农村低保${hp(a.added.rural)}；` +
    `在日常核查及复核过程中，共取消城镇低保${hp(a.removed.urban)}，农村低保${hp(a.removed.rural)}`;
  const c = f.campaign;
  if (c && (c.dibao || c.tekun)) {
    const when = `${c.asOf.slice(0, 4)}年${Number(c.asOf.slice(5, 7))}月`;
    const word = tekunWord(c.asOf);
    const scopeWords = [c.dibao ? '城乡低保' : null, c.tekun ? word.replace(/对象$/, '') : null]
      .filter((x): x is string => x !== null)
      .join('、');
    const parts: string[] = [];
    if (c.dibao) {
      parts.push(
        `城乡低保对象${c.dibao.households}户、${c.dibao.persons}人，其中，退出对象${c.dibao.exitedHouseholds}户、${c.dibao.exitedPersons}人`,
      );
    }
    if (c.tekun) parts.push(`${word}${c.tekun.persons}人，其中，退出${c.tekun.exitedPersons}人`);
    const who = f.townName ? `${f.townName}` : '';
    text +=
      `；在${when}，我局在全县范围开展了${scopeWords}核查工作${fill('核查的重点')}。` +
      `在核查过程中，${who}共复核${parts.join('；')}。`;
  } else {
    text += '。';
  }
  return `${text}${fill('核查后续工作，如更新低保、五保对象信息备案表')}`;
}

function windowsParagraph(f: SituationFigures): string {
  const w = f.windows;
  const where = f.townName
    ? `${f.townName}已设立社会救助综合服务窗口`
    : `全县${w.towns}个乡镇均设立了社会救助综合服务窗口`;
  return (
    `${fill('充实基层社会救助工作队伍的做法，如通过政府购买服务配备专职社会救助工作人员和办公设备')}` +
    `建立和完善“一门受理、协同办理”机制，目前，${where}，配备窗口经办人员${w.clerks}名。` +
    fill('窗口建设情况，如窗口标识、职责上墙')
  );
}

/** The whole report: title, opening, 一 generated, 二 and 三 as templates with the known figures filled in. */
export function buildSituationReport(f: SituationFigures): SituationReport {
  const basic = basicSituationText(f);
  return {
    title: situationTitle(f),
    basicSituation: basic,
    preamble: [
      `${fill('开篇概述：学习贯彻《社会救助暂行办法》、保障困难群众基本生活的总体情况')}现将我局承担牵头工作的加强社会救助、保障困难群众基本生活政策落实情况汇报如下：`,
    ],
    sections: [
      { level: 1, heading: '一、社会救助基本情况', paragraphs: [basic] },
      { level: 1, heading: '二、社会救助工作措施', paragraphs: [] },
      {
        level: 2,
        heading: '1.深入贯彻学习《社会救助暂行办法》',
        paragraphs: [fill('组织学习、宣传贯彻《社会救助暂行办法》的做法和成效')],
      },
      {
        level: 2,
        heading: '2.落实政策，突破工作重点、难点',
        paragraphs: [
          enforcementParagraph(f),
          `二是加强五保供养工作管理。${fill('五保供养精细化管理的做法，如及时落实政策、及时注销已故对象')}`,
        ],
      },
      { level: 2, heading: '3.救助申请家庭经济状况核对机制建立', paragraphs: [windowsParagraph(f)] },
      {
        level: 2,
        heading: '4.积极推进社会救助体制机制改革',
        paragraphs: [
          `（1）${fill('完成的工作目标任务')}`,
          `（2）${fill('明确的工作措施')}`,
          `（3）${fill('组织保障措施')}`,
        ],
      },
      {
        level: 1,
        heading: '三、民政救助工作存在问题和困难',
        paragraphs: [
          `（1）${fill('存在的问题和困难之一，如基层工作机构和人员配置')}`,
          `（2）${fill('存在的问题和困难之二，如居民家庭经济状况核对')}`,
          `（3）${fill('存在的问题和困难之三，如政策操作层面')}`,
        ],
      },
    ],
  };
}

/** 月补助 of 五保: the spending without price and holiday subsidies ÷ 人次, half-up to the fen. */
export function wubaoMonthlyLevelFen(spendingYtdFen: number, personMonthsYtd: number): number | null {
  return levelFen(spendingYtdFen, personMonthsYtd);
}
