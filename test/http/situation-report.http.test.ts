/**
 * 落实社会救助政策情况报告 through the API, on both engines, with the small ledger of test/helpers/statistics-ledger.ts
 * (to 2015-03): the JSON figures equal the ledger's sums and section 一 reads them in the seed's words; a household
 * paid in March raises persons and spending by exactly its amounts, a cancelled one lowers them; 临时救助 cases and
 * a 核查 campaign fill their clauses; the docx carries the same text; a town user gets their town; audit.
 */
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { COUNTY, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { ledgerLine, seedStatisticsLedger } from '../helpers/statistics-ledger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

interface Report {
  title: string;
  townCode: string | null;
  basicSituation: string;
  sections: { level: number; heading: string; paragraphs: string[] }[];
  figures: {
    urbanDibao: {
      persons: number;
      households: number;
      spendingYtdFen: number;
      topUpLevelYtdFen: number | null;
    };
    ruralDibao: {
      persons: number;
      households: number;
      spendingYtdFen: number;
      topUpLevelYtdFen: number | null;
    };
    dibaoPriceSubsidyYtdFen: number;
    wubao: {
      persons: number;
      spendingYtdFen: number;
      personMonthsYtd: number;
      monthlyLevelFen: number | null;
      springFestivalFen: number;
    };
    medicalAid: { grantsYtd: number; spendingYtdFen: number };
    temporaryAid: { casesAccepted: number; grantsYtd: number; spendingYtdFen: number };
    windows: { towns: number; clerks: number };
  };
  sources: { month: string; kind: string }[];
  note: string;
}

/** Ledger sums straight from payment_ledger (benefit months Jan..month of 2015), independent of the service. */
async function ledgerSum(
  db: Kysely<Database>,
  program: string,
  components: string[] | null,
  month: string,
  town?: string,
): Promise<number> {
  const r = await db
    .selectFrom('payment_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('s'))
    .where('program_code', '=', program)
    .where('benefit_month', '>=', '2015-01')
    .where('benefit_month', '<=', month)
    .$if(components !== null, (q) => q.where('component', 'in', components ?? []))
    .$if(town !== undefined, (q) => q.where('town_code', '=', town ?? ''))
    .executeTakeFirst();
  return Number(r?.s ?? 0);
}

describe.each(ENGINES)('situation report on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let rcClerk: Client;

  const report = async (c: Client, month: string): Promise<Report> => {
    const res = await c.get(`/api/v1/reports/situation?month=${month}&format=json`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Report;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    await seedStatisticsLedger(tdb.db, fx);
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    rcClerk = await login(app, USERS.ruchengClerk.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('reports the ledger’s sums, in the seed’s sentence', async () => {
    const r = await report(admin, '2015-03');
    const f = r.figures;
    expect(r.title).toBe('乳源瑶族自治县民政局落实社会救助政策情况报告');
    // Spending = 低保金 + 分类施保 since January; the price subsidy apart.
    expect(f.urbanDibao.spendingYtdFen).toBe(
      await ledgerSum(tdb.db, 'urban_dibao', ['dibao_base', 'dibao_addon'], '2015-03'),
    );
    expect(f.urbanDibao.spendingYtdFen).toBe(288_000);
    expect(f.ruralDibao.spendingYtdFen).toBe(
      await ledgerSum(tdb.db, 'rural_dibao', ['dibao_base', 'dibao_addon'], '2015-03'),
    );
    expect(f.ruralDibao.spendingYtdFen).toBe(43_333);
    expect(f.dibaoPriceSubsidyYtdFen).toBe(
      (await ledgerSum(tdb.db, 'urban_dibao', ['price_subsidy'], '2015-03')) +
        (await ledgerSum(tdb.db, 'rural_dibao', ['price_subsidy'], '2015-03')),
    );
    // 五保: everything but price and holiday subsidies; 98,400 fen over 2 人次 = 492 元.
    expect(f.wubao.spendingYtdFen).toBe(
      await ledgerSum(tdb.db, 'rural_tekun', ['tekun_basic', 'tekun_care'], '2015-03'),
    );
    expect(f.wubao).toMatchObject({ persons: 1, personMonthsYtd: 2, monthlyLevelFen: 49_200 });
    expect(f.wubao.springFestivalFen).toBe(
      await ledgerSum(tdb.db, 'rural_tekun', ['holiday_subsidy'], '2015-03'),
    );
    expect(f.medicalAid).toEqual({
      grantsYtd: 1,
      spendingYtdFen: await ledgerSum(tdb.db, 'medical_aid', null, '2015-03'),
    });
    // 城市低保 李建国户 3 persons; 农村低保 E (1 person) in March; 补差 288,000 ÷ 9 人次, 43,333 ÷ 2 人次.
    expect([f.urbanDibao.persons, f.ruralDibao.persons]).toEqual([3, 1]);
    expect([f.urbanDibao.topUpLevelYtdFen, f.ruralDibao.topUpLevelYtdFen]).toEqual([32_000, 21_667]);
    // 临时救助 to the end of February: no case, nothing paid (the grant is in March).
    expect(f.temporaryAid).toEqual({ casesAccepted: 0, grantsYtd: 0, spendingYtdFen: 0 });
    expect(f.windows).toEqual({ towns: 2, clerks: 2 });
    expect(r.sources).toEqual([
      { month: '2015-03', kind: 'ledger' },
      { month: '2015-02', kind: 'ledger' },
    ]);
    expect(r.basicSituation).toBe(
      '城乡低保和农村五保供养情况：至3月，全县城镇低保保障人数为3人，农村低保人数为1人，1-3月，城镇低保累计救助支出0.29万元，农村低保累计救助支出0.04万元，城、乡低保月人均救助水平分别为320元和217元；发放临时价格补贴共计0.01万元。全县农村五保对象为1人，1-3月，农村五保供养累计救助支出0.10万元，月补助492元，春节期间发放临时价格补贴共计0.01万元；城乡困难群众医疗情况：至3月，全县医疗救助累计救助1人次，救助支出0.05万元；临时救助工作：至2月底，暂未收到救助申请。',
    );
    expect(r.sections[0]).toEqual({
      level: 1,
      heading: '一、社会救助基本情况',
      paragraphs: [r.basicSituation],
    });
    // 二.2: 新增/取消 to the end of February: D (1 户 1 人) ended in January → 取消 in February.
    const enforcement = r.sections[3]?.paragraphs[0] ?? '';
    expect(enforcement).toContain(
      '2015年1-2月，我局对全县低保申请对象，在审批过程中，共新增城镇低保1户3人，农村低保0户0人；在日常核查及复核过程中，共取消城镇低保0户0人，农村低保1户1人。',
    );
    expect(enforcement).not.toContain('核查过程中');
  });

  it('gives a town user their own town, and says so in the title', async () => {
    const r = await report(rcClerk, '2015-03');
    expect(r.townCode).toBe(RUCHENG);
    expect(r.title).toBe('乳源瑶族自治县民政局落实社会救助政策情况报告（乳城镇）');
    expect(r.figures.urbanDibao.spendingYtdFen).toBe(
      await ledgerSum(tdb.db, 'urban_dibao', ['dibao_base', 'dibao_addon'], '2015-03', RUCHENG),
    );
    // 大桥镇's 农村低保, 五保 and 医疗救助 are not in it.
    expect([r.figures.ruralDibao.persons, r.figures.wubao.persons, r.figures.medicalAid.grantsYtd]).toEqual([
      0, 0, 0,
    ]);
    expect(r.figures.windows).toEqual({ towns: 1, clerks: 1 });
    expect(r.basicSituation).toContain('至3月，乳城镇城镇低保保障人数为3人，农村低保人数为0人');
    expect(r.basicSituation).not.toContain('全县');
    // Another role without 民政统计 is refused.
    const partner = await login(app, USERS.partner.username);
    const res = await partner.get('/api/v1/reports/situation?month=2015-03');
    expect(res.statusCode).toBe(403);
    const bad = await admin.get('/api/v1/reports/situation?month=2015-13');
    expect(bad.statusCode).toBe(400);
  });

  it('rises by exactly a newly paid household’s amounts, and drops when one is cancelled', async () => {
    const before = (await report(admin, '2015-03')).figures;
    // A new 城市低保 household of 2 in 乳城镇, paid for March.
    const hh = await tdb.db.transaction().execute((trx) =>
      createHousehold(trx, fx.system, {
        townCode: RUCHENG,
        villageCode: '440232100201',
        address: '乳城镇河北村委会下村3号',
        hukouType: 'urban',
        bankName: '广东乳源农村商业银行',
        bankAccount: '6230123456789099999',
        bankAccountHolder: '赵春',
        effectiveDate: '2010-01-01',
        members: [
          { idNumber: id('1960-05-05', 51), name: '赵春', relation: '户主' },
          { idNumber: id('1990-06-06', 62), name: '赵小燕', relation: '子女' },
        ],
      }),
    );
    const ts = '2015-03-01T00:00:00.000Z';
    const e = await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: RUCHENG,
        program_code: 'urban_dibao',
        household_id: hh.id,
        person_id: null,
        start_month: '2015-03',
        end_month: null,
        status: 'active',
        support_mode: null,
        single_person: 0,
        end_reason: null,
        review_class: null,
        last_review_on: null,
        next_review_on: null,
        created_at: ts,
        updated_at: ts,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const unit = {
      program: 'urban_dibao',
      town: RUCHENG,
      household: hh.id,
      person: null,
      enrolment: Number(e.id),
    };
    await tdb.db
      .insertInto('payment_ledger')
      .values([
        ledgerLine(unit, '2015-03', 'dibao_base', 'provincial', 61_000),
        ledgerLine(unit, '2015-03', 'dibao_addon', 'county', 4_000),
        ledgerLine(unit, '2015-03', 'price_subsidy', 'central', 2_000),
      ])
      .execute();
    const added = (await report(admin, '2015-03')).figures;
    expect(added.urbanDibao.persons - before.urbanDibao.persons).toBe(2);
    expect(added.urbanDibao.households - before.urbanDibao.households).toBe(1);
    expect(added.urbanDibao.spendingYtdFen - before.urbanDibao.spendingYtdFen).toBe(65_000);
    expect(added.dibaoPriceSubsidyYtdFen - before.dibaoPriceSubsidyYtdFen).toBe(2_000);
    // Everything else stays as it was.
    expect(added.ruralDibao).toEqual(before.ruralDibao);
    expect(added.wubao).toEqual(before.wubao);
    // 补差 (288,000 + 65,000) ÷ (9 + 2) 人次 = 32,090.9 → 32,091 fen → 321 元.
    expect(added.urbanDibao.topUpLevelYtdFen).toBe(32_091);
    const text = (await report(admin, '2015-03')).basicSituation;
    expect(text).toContain('全县城镇低保保障人数为5人');
    expect(text).toContain('城镇低保累计救助支出0.35万元');
    expect(text).toContain('分别为321元和217元');

    // Cancel 李建国户 (A) after February: the enrolment ends and March's payment is recovered (the ledger is
    // append-only: a recovery entry per component nets the month to zero, so A is no longer a paid unit).
    const a = await tdb.db
      .selectFrom('enrolment')
      .select('id')
      .where('household_id', '=', fx.ruchengHousehold)
      .where('program_code', '=', 'urban_dibao')
      .executeTakeFirstOrThrow();
    await tdb.db
      .updateTable('enrolment')
      .set({ end_month: '2015-02', status: 'ended', end_reason: '收入超过标准' })
      .where('id', '=', a.id)
      .execute();
    const march = await tdb.db
      .selectFrom('payment_ledger')
      .select((eb) => eb.fn.sum<number>('amount_fen').as('s'))
      .where('enrolment_id', '=', Number(a.id))
      .where('benefit_month', '=', '2015-03')
      .executeTakeFirstOrThrow();
    expect(Number(march.s)).toBe(100_500);
    const aUnit = {
      program: 'urban_dibao',
      town: RUCHENG,
      household: fx.ruchengHousehold,
      person: null,
      enrolment: Number(a.id),
    };
    await tdb.db
      .insertInto('payment_ledger')
      .values([
        ledgerLine(aUnit, '2015-03', 'dibao_base', 'provincial', -90_000, 'recovery', '2015-04'),
        ledgerLine(aUnit, '2015-03', 'dibao_addon', 'county', -6_000, 'recovery', '2015-04'),
        ledgerLine(aUnit, '2015-03', 'price_subsidy', 'central', -4_500, 'recovery', '2015-04'),
      ])
      .execute();
    const cancelled = (await report(admin, '2015-03')).figures;
    expect(added.urbanDibao.persons - cancelled.urbanDibao.persons).toBe(3);
    expect(added.urbanDibao.households - cancelled.urbanDibao.households).toBe(1);
    // Its March 低保金 900 元 + 分类施保 60 元 and 价格临时补贴 45 元 are gone.
    expect(added.urbanDibao.spendingYtdFen - cancelled.urbanDibao.spendingYtdFen).toBe(96_000);
    expect(added.dibaoPriceSubsidyYtdFen - cancelled.dibaoPriceSubsidyYtdFen).toBe(4_500);
    expect(cancelled.urbanDibao.spendingYtdFen).toBe(
      await ledgerSum(tdb.db, 'urban_dibao', ['dibao_base', 'dibao_addon'], '2015-03'),
    );
    expect((await report(admin, '2015-03')).basicSituation).toContain('全县城镇低保保障人数为2人');
    // April's report counts the year to March: A cancelled (取消 in March), the new household added.
    const april = await report(admin, '2015-04');
    expect(april.sections[3]?.paragraphs[0]).toContain(
      '2015年1-3月，我局对全县低保申请对象，在审批过程中，共新增城镇低保2户5人，农村低保1户1人；在日常核查及复核过程中，共取消城镇低保1户3人，农村低保1户1人',
    );
  });

  it('fills the 临时救助 clause from the cases and the previous month’s statistics, and 二.2 from the latest 核查', async () => {
    const ts = '2015-03-10T00:00:00.000Z';
    await tdb.db
      .insertInto('case_file')
      .values(
        ['2015-03-10', '2015-03-20', '2015-04-02'].map((d) => ({
          county_code: COUNTY,
          town_code: RUCHENG,
          program_code: 'temporary_aid',
          procedure: 'temporary_aid',
          state: 'accepted',
          household_id: fx.ruchengHousehold,
          person_id: null,
          intake_item_id: null,
          accepted_on: d,
          state_entered_on: d,
          facts_json: '{}',
          decision: null,
          decided_on: null,
          reasons: null,
          enrolment_id: null,
          created_at: ts,
          updated_at: ts,
        })),
      )
      .execute();
    const campaign = async (asOf: string, title: string) => {
      const c = await tdb.db
        .insertInto('audit_campaign')
        .values({
          county_code: COUNTY,
          title,
          program_codes: JSON.stringify(['urban_dibao', 'rural_dibao', 'rural_tekun']),
          town_codes: '[]',
          rule_codes: '[]',
          rules_json: null,
          as_of: asOf,
          review_due_days: 30,
          status: 'done',
          rules_done: 1,
          rules_total: 1,
          population_json: JSON.stringify({
            cells: [
              { townCode: RUCHENG, programCode: 'urban_dibao', households: 20, persons: 45 },
              { townCode: '440232109', programCode: 'rural_dibao', households: 30, persons: 80 },
              { townCode: '440232109', programCode: 'rural_tekun', households: 12, persons: 12 },
            ],
          }),
          finding_count: 2,
          error: null,
          created_by: 'test',
          created_at: ts,
          started_at: ts,
          finished_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(c.id);
    };
    const finding = (
      campaignId: number,
      program: string,
      town: string,
      persons: number,
      outcome: 'exit' | 'keep',
    ) => ({
      campaign_id: campaignId,
      county_code: COUNTY,
      town_code: town,
      rule_code: 'income',
      rule_type: 'income',
      category: 'wrong',
      household_id: town === RUCHENG ? fx.ruchengHousehold : fx.daqiaoHousehold,
      person_id: null,
      enrolment_id: null,
      program_code: program,
      persons,
      summary: 's',
      evidence_json: '{}',
      task_id: null,
      case_id: null,
      outcome,
      outcome_note: null,
      recovery_fen: null,
      outcome_by: null,
      outcome_at: null,
      created_at: ts,
    });
    const july = await campaign('2014-07-15', '2014年城乡低保、五保核查');
    await tdb.db
      .insertInto('audit_finding')
      .values([
        finding(july, 'urban_dibao', RUCHENG, 3, 'exit'),
        finding(july, 'rural_tekun', '440232109', 1, 'exit'),
        finding(july, 'rural_dibao', '440232109', 1, 'keep'),
      ])
      .execute();
    // A campaign of the report month itself is not "before" it.
    const later = await campaign('2015-04-10', '2015年核查');

    const r = await report(admin, '2015-04');
    // Cases accepted 1 January – 31 March: 2 (the April one is after); 人次 and spending of March's statistics.
    expect(r.figures.temporaryAid).toEqual({
      casesAccepted: 2,
      grantsYtd: 1,
      spendingYtdFen: await ledgerSum(tdb.db, 'temporary_aid', null, '2015-03'),
    });
    expect(r.basicSituation).toMatch(
      /临时救助工作：至3月底，共受理临时救助申请2件，救助1人次，救助支出0\.09万元。$/,
    );
    const enforcement = (r.sections[3]?.paragraphs[0] ?? '').replace(/【请填写：[^】]*】/g, '');
    expect(enforcement).toContain(
      '；在2014年7月，我局在全县范围开展了城乡低保、五保核查工作。在核查过程中，共复核城乡低保对象50户、125人，其中，退出对象1户、3人；五保对象12人，其中，退出1人。',
    );
    // The town user: their town's part of the campaign (no 五保 in 乳城镇).
    const town = await report(rcClerk, '2015-04');
    expect(town.basicSituation).toContain('至3月底，共受理临时救助申请2件');
    expect(town.sections[3]?.paragraphs[0]).toContain(
      '在核查过程中，乳城镇共复核城乡低保对象20户、45人，其中，退出对象1户、3人。',
    );
    // May's report takes the later campaign.
    await tdb.db
      .insertInto('audit_finding')
      .values([finding(later, 'rural_dibao', '440232109', 2, 'exit')])
      .execute();
    const may = await report(admin, '2015-05');
    expect(may.sections[3]?.paragraphs[0]).toContain(
      '在2015年4月，我局在全县范围开展了城乡低保、五保核查工作',
    );
    expect(may.sections[3]?.paragraphs[0]).toContain('其中，退出对象1户、2人；五保对象12人，其中，退出0人。');
  });

  it('returns a Word document carrying the same text, A4, 仿宋, page numbers; the export is audited', async () => {
    const json = await report(admin, '2015-03');
    const res = await admin.get('/api/v1/reports/situation?month=2015-03&format=docx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(String(res.headers['content-disposition'])).toContain(
      encodeURIComponent('乳源瑶族自治县民政局落实社会救助政策情况报告（2015年3月）.docx'),
    );
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain(json.basicSituation);
    expect(xml).toContain('乳源瑶族自治县民政局落实社会救助政策情况报告');
    for (const s of json.sections) expect(xml).toContain(s.heading);
    expect(xml).toContain('w:w="11906"');
    expect(xml).toContain('w:h="16838"');
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('w:firstLineChars="200"');
    expect(xml).toContain('<w:highlight w:val="yellow"/>');
    const footers = Object.keys(zip.files).filter((n) => /^word\/footer\d*\.xml$/.test(n));
    const footer = (await Promise.all(footers.map((n) => zip.file(n)?.async('string')))).join('');
    expect(footer).toMatch(/PAGE/);

    const town = await rcClerk.get('/api/v1/reports/situation?month=2015-03&format=docx');
    expect(town.statusCode).toBe(200);
    const townXml =
      (await (await JSZip.loadAsync(town.rawPayload)).file('word/document.xml')?.async('string')) ?? '';
    expect(townXml).toContain('乳源瑶族自治县民政局落实社会救助政策情况报告（乳城镇）');
    expect(townXml).toContain('乳城镇城镇低保保障人数为');

    const audits = await tdb.db
      .selectFrom('audit_log')
      .select(['username', 'town_code', 'entity_id'])
      .where('action', '=', 'reports.situation_export')
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      { username: 'admin', town_code: null, entity_id: '2015-03' },
      { username: 'rc_clerk', town_code: RUCHENG, entity_id: '2015-03' },
    ]);
  });
  it('takes a frozen month’s snapshot (what was reported) and names it in the note', async () => {
    const live = await report(admin, '2015-03');
    const frozen = await admin.send('POST', '/api/v1/statistics/snapshots', { month: '2015-03' });
    expect(frozen.statusCode, frozen.body).toBe(201);
    // A 补发 posted after the freeze for March does not change the reported figures.
    const e = await tdb.db
      .selectFrom('enrolment')
      .select(['id', 'household_id'])
      .where('program_code', '=', 'rural_dibao')
      .where('start_month', '=', '2015-03')
      .executeTakeFirstOrThrow();
    const unit = {
      program: 'rural_dibao',
      town: '440232109',
      household: e.household_id,
      person: null,
      enrolment: Number(e.id),
    };
    await tdb.db
      .insertInto('payment_ledger')
      .values([ledgerLine(unit, '2015-03', 'dibao_base', 'provincial', 5_000, 'arrears', '2015-05')])
      .execute();
    const r = await report(admin, '2015-03');
    expect(r.sources[0]).toMatchObject({ month: '2015-03', kind: 'snapshot', version: 1 });
    expect(r.figures).toEqual(live.figures);
    expect(r.note).toContain('2015年3月统计快照第1版');
  });
});
