import { describe, expect, it } from 'vitest';
import {
  basicSituationText,
  buildSituationReport,
  PLACEHOLDER,
  periodWords,
  type SituationFigures,
  situationTitle,
} from './situation.ts';

/** The seed report's figures (DOMAIN §17), as the statistics would hand them over (fen, integers). */
function seedFigures(over: Partial<SituationFigures> = {}): SituationFigures {
  return {
    month: '2015-09',
    previousMonth: '2015-08',
    countyCode: '440232',
    countyName: '乳源瑶族自治县',
    townCode: null,
    townName: null,
    urbanDibao: { persons: 427, households: 250, spendingYtdFen: 145_360_000, topUpLevelYtdFen: 37_600 },
    ruralDibao: { persons: 5754, households: 2400, spendingYtdFen: 937_060_000, topUpLevelYtdFen: 17_800 },
    dibaoPriceSubsidyYtdFen: 52_710_000,
    wubao: {
      persons: 448,
      spendingYtdFen: 197_480_000,
      personMonthsYtd: 4014,
      monthlyLevelFen: 49_200,
      holidaySubsidyYtdFen: 4_000_000,
      priceSubsidyJanFebFen: 3_200_000,
      springFestivalFen: 7_200_000,
    },
    medicalAid: { grantsYtd: 358, spendingYtdFen: 78_540_000 },
    temporaryAid: { casesAccepted: 0, grantsYtd: 0, spendingYtdFen: 0 },
    approvals: {
      added: { urban: { households: 12, persons: 18 }, rural: { households: 52, persons: 131 } },
      removed: { urban: { households: 7, persons: 14 }, rural: { households: 77, persons: 263 } },
    },
    campaign: {
      campaignId: 1,
      title: '2014年城乡低保、五保核查',
      asOf: '2014-07-15',
      dibao: { households: 2652, persons: 6594, exitedHouseholds: 58, exitedPersons: 219 },
      tekun: { persons: 465, exitedPersons: 10 },
    },
    windows: { towns: 9, clerks: 9 },
    ...over,
  };
}

describe('section 一 in the seed report’s words', () => {
  it('reproduces the seed paragraph from the seed figures (万元 always with two decimals: 7.2 → 7.20)', () => {
    expect(basicSituationText(seedFigures())).toBe(
      '城乡低保和农村五保供养情况：至9月，全县城镇低保保障人数为427人，农村低保人数为5754人，1-9月，城镇低保累计救助支出145.36万元，农村低保累计救助支出937.06万元，城、乡低保月人均救助水平分别为376元和178元；发放临时价格补贴共计52.71万元。全县农村五保对象为448人，1-9月，农村五保供养累计救助支出197.48万元，月补助492元，春节期间发放临时价格补贴共计7.20万元；城乡困难群众医疗情况：至9月，全县医疗救助累计救助358人次，救助支出78.54万元；临时救助工作：至8月底，暂未收到救助申请。',
    );
  });

  it.each([
    {
      name: 'nothing accepted and nothing paid: 暂未收到救助申请',
      temp: { casesAccepted: 0, grantsYtd: 0, spendingYtdFen: 0 },
      text: '临时救助工作：至8月底，暂未收到救助申请。',
    },
    {
      name: 'cases accepted: counts, 人次 and spending',
      temp: { casesAccepted: 3, grantsYtd: 2, spendingYtdFen: 170_000 },
      text: '临时救助工作：至8月底，共受理临时救助申请3件，救助2人次，救助支出0.17万元。',
    },
    {
      name: 'grants paid without a case on file are still reported, not hidden as 暂未收到',
      temp: { casesAccepted: 0, grantsYtd: 1, spendingYtdFen: 85_000 },
      text: '临时救助工作：至8月底，共受理临时救助申请0件，救助1人次，救助支出0.09万元。',
    },
  ])('临时救助 — $name', ({ temp, text }) => {
    expect(basicSituationText(seedFigures({ temporaryAid: temp }))).toMatch(new RegExp(`${text}$`));
  });

  it('leaves out the 春节 clause when nothing was paid for the festival', () => {
    const f = seedFigures();
    const t = basicSituationText({
      ...f,
      wubao: { ...f.wubao, holidaySubsidyYtdFen: 0, priceSubsidyJanFebFen: 0, springFestivalFen: 0 },
    });
    expect(t).toContain('月补助492元；城乡困难群众医疗情况');
    expect(t).not.toContain('春节');
  });

  it('words a town user’s report with the town instead of 全县, and says so in the title', () => {
    const f = seedFigures({ townCode: '440232100', townName: '乳城镇' });
    const t = basicSituationText(f);
    expect(t).toContain('至9月，乳城镇城镇低保保障人数为427人');
    expect(t).toContain('乳城镇农村五保对象为448人');
    expect(t).toContain('乳城镇医疗救助累计救助358人次');
    expect(t).not.toContain('全县');
    expect(situationTitle(f)).toBe('乳源瑶族自治县民政局落实社会救助政策情况报告（乳城镇）');
    expect(situationTitle(seedFigures())).toBe('乳源瑶族自治县民政局落实社会救助政策情况报告');
  });

  it('shows a dash, not a made-up level, when nobody was paid', () => {
    const t = basicSituationText(
      seedFigures({
        urbanDibao: { persons: 0, households: 0, spendingYtdFen: 0, topUpLevelYtdFen: null },
      }),
    );
    expect(t).toContain('城镇低保保障人数为0人');
    expect(t).toContain('分别为—元和178元');
  });
});

describe('period words come from the month', () => {
  it.each([
    {
      month: '2015-09',
      words: { asAt: '至9月', ytd: '1-9月', previousEnd: '至8月底', previousYtd: '2015年1-8月' },
    },
    {
      month: '2015-02',
      words: { asAt: '至2月', ytd: '1-2月', previousEnd: '至1月底', previousYtd: '2015年1月' },
    },
    {
      // January looks back at the whole of last year, and names it.
      month: '2016-01',
      words: { asAt: '至1月', ytd: '1月', previousEnd: '至2015年12月底', previousYtd: '2015年1-12月' },
    },
    {
      month: '2015-12',
      words: { asAt: '至12月', ytd: '1-12月', previousEnd: '至11月底', previousYtd: '2015年1-11月' },
    },
  ])('$month', ({ month, words }) => {
    expect(periodWords(month)).toEqual(words);
  });

  it('January’s paragraph reads 1月 and 至上年12月底 with the year', () => {
    const t = basicSituationText(seedFigures({ month: '2016-01', previousMonth: '2015-12' }));
    expect(t).toContain('至1月，全县城镇低保保障人数');
    expect(t).toContain('1月，城镇低保累计救助支出');
    expect(t).not.toContain('1-1月');
    expect(t).toContain('临时救助工作：至2015年12月底，暂未收到救助申请。');
  });
});

describe('sections 二 and 三: templates with the known figures filled in', () => {
  const report = buildSituationReport(seedFigures());
  const section = (heading: string) => {
    const s = report.sections.find((x) => x.heading.startsWith(heading));
    if (!s) throw new Error(`no section ${heading}`);
    return s;
  };

  it('keeps the seed’s headings in order', () => {
    expect(report.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, '一、社会救助基本情况'],
      [1, '二、社会救助工作措施'],
      [2, '1.深入贯彻学习《社会救助暂行办法》'],
      [2, '2.落实政策，突破工作重点、难点'],
      [2, '3.救助申请家庭经济状况核对机制建立'],
      [2, '4.积极推进社会救助体制机制改革'],
      [1, '三、民政救助工作存在问题和困难'],
    ]);
  });

  it('writes 二.2 with the approvals and the latest 核查 in the seed’s sentence', () => {
    const text = (section('2.').paragraphs[0] ?? '').replace(PLACEHOLDER, '');
    expect(text).toBe(
      '一是组织开展城乡低保核查工作，集中整治重点、难点问题。2015年1-8月，我局对全县低保申请对象，在审批过程中，共新增城镇低保12户18人，农村低保52户131人；在日常核查及复核过程中，共取消城镇低保7户14人，农村低保77户263人；在2014年7月，我局在全县范围开展了城乡低保、五保核查工作。在核查过程中，共复核城乡低保对象2652户、6594人，其中，退出对象58户、219人；五保对象465人，其中，退出10人。',
    );
  });

  it.each([
    { name: 'no campaign: the 核查 clause is left out', campaign: null, has: false },
    {
      name: 'a campaign of 特困 only after 2016: the word of its time',
      campaign: {
        campaignId: 2,
        title: 't',
        asOf: '2017-03-01',
        dibao: null,
        tekun: { persons: 40, exitedPersons: 2 },
      },
      has: true,
    },
  ])('二.2 — $name', ({ campaign, has }) => {
    const text = buildSituationReport(seedFigures({ campaign })).sections[3]?.paragraphs[0] ?? '';
    expect(text.includes('核查过程中')).toBe(has);
    if (campaign?.tekun) {
      expect(text).toContain('在2017年3月，我局在全县范围开展了特困人员核查工作');
      expect(text).toContain('共复核特困人员40人，其中，退出2人。');
    } else {
      expect(text).toContain('农村低保77户263人。');
    }
  });

  it('writes 二.3 with the towns and the window clerks', () => {
    expect(section('3.').paragraphs[0]?.replace(PLACEHOLDER, '')).toBe(
      '建立和完善“一门受理、协同办理”机制，目前，全县9个乡镇均设立了社会救助综合服务窗口，配备窗口经办人员9名。',
    );
    const town = buildSituationReport(
      seedFigures({ townCode: '440232100', townName: '乳城镇', windows: { towns: 1, clerks: 2 } }),
    );
    expect(town.sections[4]?.paragraphs[0]).toContain(
      '目前，乳城镇已设立社会救助综合服务窗口，配备窗口经办人员2名。',
    );
  });

  it('leaves the prose of 二.1, 二.4 and 三 to the bureau as placeholders', () => {
    for (const s of [section('1.'), section('4.'), section('三、')]) {
      for (const p of s.paragraphs) expect(p).toMatch(/【请填写：[^】]+】/);
    }
    expect(section('三、').paragraphs).toHaveLength(3);
  });
});
