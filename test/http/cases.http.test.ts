/**
 * A 农村低保 application under the 2021 rules (DOMAIN §4.6), through the API: acceptance, a team of two,
 * the town's opinion, a 7-day 公示 with an objection, county confirmation, enrolment from the next month.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

describe.each(ENGINES)('dibao case workflow on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let clerk: Client;
  let reviewer: Client;
  let approver: Client;
  let caseId: number;
  let version: number;
  const userId = async (username: string) =>
    (
      await tdb.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;

  const act = async (who: Client, action: string, decidedOn: string, input: Record<string, unknown> = {}) => {
    const res = await who.send('POST', `/api/v1/cases/${caseId}/actions/${action}`, {
      version,
      decidedOn,
      input,
    });
    if (res.statusCode === 200) version = res.json().version;
    return res;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
    clerk = await login(app, USERS.ruchengClerk.username);
    reviewer = await login(app, USERS.ruchengReviewer.username);
    approver = await login(app, USERS.approver.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('accepts an application under the procedure in force on the acceptance date', async () => {
    const res = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'rural_dibao',
      householdId: fx.ruchengHousehold,
      acceptedOn: '2026-03-02',
    });
    expect(res.statusCode).toBe(201);
    caseId = res.json().id;
    version = res.json().version;
    const c = (await clerk.get(`/api/v1/cases/${caseId}`)).json();
    expect(c).toMatchObject({ procedure: 'dibao_2021', state: 'accepted', stateLabel: '已受理' });
    // DOMAIN §4.6 Art. 15: the investigation starts within 3 WD of acceptance (Mon 2 March → Thu 5 March).
    expect(c.deadline).toMatchObject({ due: '2026-03-05', unit: 'working_days' });
    expect(c.actions.find((a: { action: string }) => a.action === 'start_investigation')).toMatchObject({
      allowed: true,
      label: '开始调查',
    });
  });

  it('puts a case whose step is past its time limit on the 工作台 to-do list', async () => {
    const todos = (await clerk.get('/api/v1/dashboard')).json().todos as {
      link: string;
      overdue: boolean;
      due: string;
    }[];
    expect(todos).toContainEqual(
      expect.objectContaining({ link: `/approval/cases/${caseId}`, overdue: true, due: '2026-03-05' }),
    );
  });

  it('refuses an opinion until a team of two has investigated', async () => {
    expect((await act(clerk, 'start_investigation', '2026-03-03')).statusCode).toBe(200);
    const early = await act(reviewer, 'submit_opinion', '2026-03-04', {
      opinion: 'grant',
      reasons: '家庭人均收入低于保障标准',
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('REFUSED');
    const team = await clerk.send('POST', `/api/v1/cases/${caseId}/facts`, {
      version,
      fact: {
        kind: 'investigation',
        investigatorUserIds: [await userId('rc_clerk'), await userId('rc_review')],
        findings: '入户调查：家庭成员3人，主要收入为务农',
      },
    });
    expect(team.statusCode).toBe(200);
    version = team.json().version;
    expect(
      (await act(reviewer, 'submit_opinion', '2026-03-05', { opinion: 'grant', reasons: '符合条件' }))
        .statusCode,
    ).toBe(200);
  });

  it('posts a 7-day public notice and refuses to go to the county before it has run', async () => {
    expect((await act(clerk, 'start_public_notice', '2026-03-06')).statusCode).toBe(200);
    const c = (await clerk.get(`/api/v1/cases/${caseId}`)).json();
    expect(c.facts.publicNoticeEndsOn).toBe('2026-03-13');
    const early = await act(clerk, 'submit_to_county', '2026-03-09');
    expect(early.statusCode).toBe(422);
    expect(early.json().error.message).toContain('尚未期满');
  });

  it('handles an objection by re-investigating, then sends the new opinion to the county', async () => {
    const objection = await clerk.send('POST', `/api/v1/cases/${caseId}/facts`, {
      version,
      fact: { kind: 'objection', summary: '村民反映该户有经营性收入' },
    });
    expect(objection.statusCode).toBe(200);
    version = objection.json().version;
    expect((await act(clerk, 'submit_to_county', '2026-03-13')).json().error.message).toContain('异议');
    expect((await act(clerk, 'reinvestigate', '2026-03-10', { reasons: '核实经营性收入' })).statusCode).toBe(
      200,
    );
    expect(
      (
        await act(reviewer, 'submit_opinion', '2026-03-12', {
          opinion: 'grant',
          reasons: '经核实无经营性收入',
        })
      ).statusCode,
    ).toBe(200);
    expect((await act(clerk, 'submit_to_county', '2026-03-13')).statusCode).toBe(200);
  });

  it('does not let the town confirm, nor an investigator, and lets the county approver confirm', async () => {
    const town = await act(reviewer, 'confirm', '2026-03-16');
    expect(town.statusCode).toBe(422);
    const stale = await approver.send('POST', `/api/v1/cases/${caseId}/actions/confirm`, {
      version: version - 1,
      decidedOn: '2026-03-16',
    });
    expect(stale.statusCode).toBe(409);
    const ok = await act(approver, 'confirm', '2026-03-16');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      state: 'approved',
      effects: [{ kind: 'enrol', fromMonth: '2026-04' }],
    });
    const enrolment = await tdb.db
      .selectFrom('enrolment')
      .selectAll()
      .where('household_id', '=', fx.ruchengHousehold)
      .where('program_code', '=', 'rural_dibao')
      .executeTakeFirstOrThrow();
    expect(enrolment).toMatchObject({ start_month: '2026-04', status: 'active', town_code: '440232100' });
  });

  it('keeps the decision as an event that statistics can count per month, and audits every step', async () => {
    const c = (await approver.get(`/api/v1/cases/${caseId}`)).json();
    expect(c.events.map((e: { action: string }) => e.action)).toEqual([
      'open',
      'start_investigation',
      'record_investigation',
      'submit_opinion',
      'start_public_notice',
      'record_objection',
      'reinvestigate',
      'submit_opinion',
      'submit_to_county',
      'confirm',
    ]);
    const confirmations = await tdb.db
      .selectFrom('case_event')
      .select(['decided_on'])
      .where('action', '=', 'confirm')
      .where('decided_on', '>=', '2026-03-01')
      .where('decided_on', '<', '2026-04-01')
      .execute();
    expect(confirmations).toHaveLength(1);
    const audited = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'case')
      .execute();
    expect(audited.map((a) => a.action)).toContain('case.confirm');
  });

  it('refuses a future step date, a date before the step began, and a second open case for the same household', async () => {
    const c = (await clerk.get(`/api/v1/cases/${caseId}`)).json();
    const future = await clerk.send('POST', `/api/v1/cases/${caseId}/actions/serve_refusal_notice`, {
      version: c.version,
      decidedOn: '2999-01-01',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.field).toBe('decidedOn');
    const second = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'rural_dibao',
      householdId: fx.daqiaoHousehold,
    });
    expect(second.statusCode).toBe(403); // another town's household
    const again = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'urban_dibao',
      householdId: fx.ruchengHousehold,
      acceptedOn: '2026-11-01',
    });
    expect(again.statusCode).toBe(201);
    const duplicate = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'urban_dibao',
      householdId: fx.ruchengHousehold,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toContain('正在办理');
    const early = await clerk.send('POST', `/api/v1/cases/${again.json().id}/actions/start_investigation`, {
      version: again.json().version,
      decidedOn: '2026-10-31',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('早于本环节开始日期');
  });

  it('keeps another town’s clerk out of the case', async () => {
    const daqiao = await login(app, USERS.daqiaoClerk.username);
    expect((await daqiao.get(`/api/v1/cases/${caseId}`)).statusCode).toBe(403);
    expect(
      (await daqiao.send('POST', `/api/v1/cases/${caseId}/actions/serve_refusal_notice`, { version }))
        .statusCode,
    ).toBe(403);
  });
});

describe.each(ENGINES)('ending a 特困 case on death on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('records the death, and the county’s approval stops support from the month after the death (DOMAIN §5.4)', async () => {
    const member = await tdb.db
      .selectFrom('household_member')
      .select('person_id')
      .where('household_id', '=', fx.daqiaoHousehold)
      .executeTakeFirstOrThrow();
    const ts = new Date().toISOString();
    const enrolment = await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: '440232',
        town_code: '440232109',
        program_code: 'rural_tekun',
        household_id: fx.daqiaoHousehold,
        person_id: member.person_id,
        start_month: '2012-01',
        end_month: null,
        status: 'active',
        support_mode: 'dispersed',
        single_person: 0,
        end_reason: null,
        created_at: ts,
        updated_at: ts,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const clerk = await login(app, USERS.daqiaoClerk.username);
    const approver = await login(app, USERS.approver.username);
    const opened = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'rural_tekun',
      householdId: fx.daqiaoHousehold,
      enrolmentId: enrolment.id,
      acceptedOn: '2026-05-12',
    });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({ state: 'enrolled' });
    const id = opened.json().id;
    // The 特困 checklist (DOMAIN §5.4 Art. 5): a person born 1940 has no work ability by age.
    const detail = (await clerk.get(`/api/v1/cases/${id}`)).json();
    expect(detail.criteria.noWorkAbility).toMatchObject({ met: true });
    expect(detail.criteria.noWorkAbility.reason).toContain('年满60周岁');
    // The other two conditions of Art. 4 are recorded from the verification and the investigation.
    const recorded = await clerk.send('POST', `/api/v1/cases/${id}/facts`, {
      version: opened.json().version,
      recordedOn: '2026-05-12',
      fact: {
        kind: 'tekun_criteria',
        noLivelihood: true,
        livelihoodNote: '无收入，无存款',
        supporter: 'supporter_dibao_60',
      },
    });
    expect(recorded.statusCode).toBe(200);
    const checked = (await clerk.get(`/api/v1/cases/${id}`)).json();
    expect(checked.criteria.noLivelihood).toMatchObject({ met: true, reason: '无收入，无存款' });
    expect(checked.criteria.noSupporter).toMatchObject({ met: true, reason: '义务人是60周岁以上的低保对象' });
    const death = await clerk.send('POST', `/api/v1/cases/${id}/actions/record_death`, {
      version: recorded.json().version,
      decidedOn: '2026-05-12',
      input: { deathDate: '2026-05-10' },
    });
    expect(death.statusCode).toBe(200);
    const approved = await approver.send('POST', `/api/v1/cases/${id}/actions/approve_termination`, {
      version: death.json().version,
      decidedOn: '2026-05-20',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().effects).toContainEqual(
      expect.objectContaining({ kind: 'stop_payment', fromMonth: '2026-06' }),
    );
    const ended = await tdb.db
      .selectFrom('enrolment')
      .selectAll()
      .where('id', '=', enrolment.id)
      .executeTakeFirstOrThrow();
    expect(ended).toMatchObject({ status: 'ended', end_month: '2026-05', end_reason: 'death' });
  });
});

describe.each(ENGINES)('periodic review (分类复核) on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('schedules the next review by class, lists it when due, and restarts the clock after the review', async () => {
    const ts = new Date().toISOString();
    const enrolment = await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: '440232',
        town_code: '440232100',
        program_code: 'urban_dibao',
        household_id: fx.ruchengHousehold,
        person_id: null,
        start_month: '2025-06',
        end_month: null,
        status: 'active',
        support_mode: null,
        single_person: 0,
        end_reason: null,
        created_at: ts,
        updated_at: ts,
      })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    const clerk = await login(app, USERS.ruchengClerk.username);
    const bad = await clerk.send('PATCH', `/api/v1/enrolments/${enrolment.id}/review-class`, {
      version: enrolment.version,
      reviewClass: 'sometimes',
    });
    expect(bad.statusCode).toBe(400);
    // DOMAIN §4.9 (2021 Art. 31): irregular income with able-bodied members → every 6 months.
    const classed = await clerk.send('PATCH', `/api/v1/enrolments/${enrolment.id}/review-class`, {
      version: enrolment.version,
      reviewClass: 'irregular_income',
      lastReviewOn: '2025-06-01',
    });
    expect(classed.statusCode).toBe(200);
    expect(classed.json()).toMatchObject({ nextReviewOn: '2025-12-01', interval: { months: 6 } });
    const due = (await clerk.get('/api/v1/reviews/due')).json().items;
    expect(due).toContainEqual(expect.objectContaining({ enrolmentId: enrolment.id, overdue: true }));
    const todos = (await clerk.get('/api/v1/dashboard')).json().todos as { kind: string }[];
    expect(todos.map((t) => t.kind)).toContain('review_due');

    // A death-data feed's re-check filed outside any case (departments/death-rechecks.ts), here and elsewhere.
    const feedTask = (householdId: number, townCode: string) => ({
      county_code: COUNTY,
      town_code: townCode,
      case_id: null,
      household_id: householdId,
      kind: 'recheck_after_death',
      due_on: '2026-03-01',
      status: 'open' as const,
      note: '殡葬/死亡数据',
      created_at: ts,
    });
    await tdb.db
      .insertInto('case_task')
      .values([feedTask(fx.ruchengHousehold, RUCHENG), feedTask(fx.daqiaoHousehold, DAQIAO)])
      .execute();
    const review = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'urban_dibao',
      householdId: fx.ruchengHousehold,
      enrolmentId: enrolment.id,
      acceptedOn: '2026-01-05',
    });
    expect(review.statusCode).toBe(201);
    const started = await clerk.send('POST', `/api/v1/cases/${review.json().id}/actions/start_review`, {
      version: review.json().version,
      decidedOn: '2026-01-05',
    });
    expect(started.statusCode).toBe(200);
    const reviewer = await login(app, USERS.ruchengReviewer.username);
    const approver = await login(app, USERS.approver.username);
    const actions = (await reviewer.get(`/api/v1/cases/${review.json().id}`)).json().actions as {
      action: string;
      allowed: boolean;
    }[];
    const keep = actions.find((a) => a.action === 'keep');
    expect(keep).toBeDefined();
    const who = keep?.allowed ? reviewer : approver;
    const kept = await who.send('POST', `/api/v1/cases/${review.json().id}/actions/keep`, {
      version: started.json().version,
      decidedOn: '2026-01-06',
      input: { reasons: '家庭经济状况无明显变化' },
    });
    expect(kept.statusCode).toBe(200);
    const after = await tdb.db
      .selectFrom('enrolment')
      .selectAll()
      .where('id', '=', enrolment.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      last_review_on: '2026-01-06',
      next_review_on: '2026-07-06',
      status: 'active',
    });
    // The review's outcome completes this household's feed task, not another household's.
    const feed = await tdb.db
      .selectFrom('case_task')
      .select(['household_id', 'status'])
      .where('kind', '=', 'recheck_after_death')
      .where('case_id', 'is', null)
      .orderBy('household_id')
      .execute();
    expect(feed).toEqual(
      [
        { household_id: fx.ruchengHousehold, status: 'done' },
        { household_id: fx.daqiaoHousehold, status: 'open' },
      ].sort((a, b) => a.household_id - b.household_id),
    );
  });
});

describe.each(ENGINES)('a close-relative case (近亲属备案, DOMAIN §10) on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('needs county confirmation and a county home visit even where the county delegated, and recusal of the official', async () => {
    const admin = await login(app, USERS.admin.username);
    const clerk = await login(app, USERS.ruchengClerk.username);
    const reviewer = await login(app, USERS.ruchengReviewer.username);
    const approver = await login(app, USERS.approver.username);
    const idOf = async (u: string) =>
      (await tdb.db.selectFrom('app_user').select('id').where('username', '=', u).executeTakeFirstOrThrow())
        .id;

    const settings = await admin.send('PUT', '/api/v1/settings/workflow', {
      delegation: { rural_dibao: 'town' },
      temporaryAidTownApprovalLimitFen: 150000,
    });
    expect(settings.statusCode).toBe(200);
    expect(settings.json().delegation.rural_dibao).toBe('town');
    const official = await admin.send('POST', '/api/v1/staff', {
      idNumber: id('1980-01-01', 71),
      name: '何志明',
      kind: 'official',
      townCode: '440232100',
      organisation: '乳城镇人民政府',
      termStart: '2020-01-01',
      userId: await idOf('dq_clerk'),
      relatives: [{ idNumber: fx.ruchengHeadId, name: '李建国', relation: '父母' }],
    });
    expect(official.statusCode).toBe(201);

    const opened = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'rural_dibao',
      householdId: fx.ruchengHousehold,
      acceptedOn: '2026-03-02',
    });
    const caseNo = opened.json().id;
    let version = opened.json().version;
    const c0 = (await clerk.get(`/api/v1/cases/${caseNo}`)).json();
    expect(c0.facts).toMatchObject({
      closeRelative: true,
      delegatedToTown: true,
      relatedStaffUserIds: [await idOf('dq_clerk')],
    });
    const step = async (
      who: typeof clerk,
      action: string,
      decidedOn: string,
      input: Record<string, unknown> = {},
    ) => {
      const res = await who.send('POST', `/api/v1/cases/${caseNo}/actions/${action}`, {
        version,
        decidedOn,
        input,
      });
      if (res.statusCode === 200) version = res.json().version;
      return res;
    };
    const fact = async (who: typeof clerk, f: Record<string, unknown>) => {
      const res = await who.send('POST', `/api/v1/cases/${caseNo}/facts`, { version, fact: f });
      if (res.statusCode === 200) version = res.json().version;
      return res;
    };
    expect((await step(clerk, 'start_investigation', '2026-03-03')).statusCode).toBe(200);
    const withRelated = await fact(clerk, {
      kind: 'investigation',
      investigatorUserIds: [await idOf('rc_clerk'), await idOf('dq_clerk')],
      findings: '入户',
    });
    expect(withRelated.statusCode).toBe(400);
    expect(withRelated.json().error.message).toContain('回避');
    expect(
      (
        await fact(clerk, {
          kind: 'investigation',
          investigatorUserIds: [await idOf('rc_clerk'), await idOf('rc_review')],
          findings: '入户调查',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await step(reviewer, 'submit_opinion', '2026-03-05', { opinion: 'grant', reasons: '符合条件' }))
        .statusCode,
    ).toBe(200);
    expect((await step(clerk, 'start_public_notice', '2026-03-06')).statusCode).toBe(200);

    const noticeRes = await clerk.get('/api/v1/cases/public-notice');
    expect(noticeRes.statusCode, noticeRes.body).toBe(200);
    const notice = noticeRes.json();
    expect(notice.items).toEqual([
      expect.objectContaining({
        caseId: caseNo,
        name: '李*国',
        householdSize: 3,
        noticeEndsOn: '2026-03-13',
      }),
    ]);
    expect(JSON.stringify(notice)).not.toContain(fx.ruchengHeadId);

    expect((await step(clerk, 'submit_to_county', '2026-03-13')).statusCode).toBe(200);
    const town = await step(reviewer, 'confirm', '2026-03-16');
    expect(town.statusCode).toBe(422);
    expect(town.json().error.message).toMatch(/县级/);
    const noVisit = await step(approver, 'confirm', '2026-03-16');
    expect(noVisit.statusCode).toBe(422);
    expect(noVisit.json().error.message).toContain('入户');
    expect(
      (await fact(approver, { kind: 'county_home_visit', findings: '县级入户核查：情况属实' })).statusCode,
    ).toBe(200);
    expect((await step(approver, 'confirm', '2026-03-17')).statusCode).toBe(200);
  });
});

describe.each(ENGINES)('transfer to another town (转至本县其他乡镇) on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('moves the household, its members and its active enrolment to the new town, which now owns the case', async () => {
    const ts = new Date().toISOString();
    const enrolment = await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: '440232',
        town_code: '440232100',
        program_code: 'urban_dibao',
        household_id: fx.ruchengHousehold,
        person_id: null,
        start_month: '2024-01',
        end_month: null,
        status: 'active',
        support_mode: null,
        single_person: 0,
        end_reason: null,
        created_at: ts,
        updated_at: ts,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const clerk = await login(app, USERS.ruchengClerk.username);
    const opened = await clerk.send('POST', '/api/v1/cases', {
      programCode: 'urban_dibao',
      householdId: fx.ruchengHousehold,
      enrolmentId: enrolment.id,
    });
    expect(opened.statusCode).toBe(201);
    const moved = await clerk.send('POST', `/api/v1/cases/${opened.json().id}/actions/transfer_town`, {
      version: opened.json().version,
      input: { toTownCode: '440232109' },
    });
    expect(moved.statusCode).toBe(200);
    const household = await tdb.db
      .selectFrom('household')
      .selectAll()
      .where('id', '=', fx.ruchengHousehold)
      .executeTakeFirstOrThrow();
    expect(household.town_code).toBe('440232109');
    const e = await tdb.db
      .selectFrom('enrolment')
      .selectAll()
      .where('id', '=', enrolment.id)
      .executeTakeFirstOrThrow();
    expect(e).toMatchObject({ town_code: '440232109', status: 'active' });
    // The old town's clerk no longer reaches the household; the new town's clerk does.
    expect((await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).statusCode).toBe(403);
    const daqiao = await login(app, USERS.daqiaoClerk.username);
    const record = (await daqiao.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    expect(record.areaHistory.map((a: { townCode: string }) => a.townCode)).toEqual([
      '440232100',
      '440232109',
    ]);
    expect((await daqiao.get(`/api/v1/cases/${opened.json().id}`)).statusCode).toBe(200);
  });
});
