/**
 * The demo county's simulated 2014–2015 (issue 7), driven through the real services: the July 2014 核查 with its
 * door-to-door findings and the change cases that stop the households it took off, the other exits of 2014 and
 * 2015 (change case → 停发 by the county), the 2015 applications under the 2012 procedure (DOMAIN §4.5:
 * investigation by two, 民主评议, town notice, county approval and notice) with their benefit decisions, refusals,
 * routine reviews, the monthly payrolls January–September with the price-linked subsidy, the 五保 Spring Festival
 * subsidy, and the medical-assistance claims. No temporary-assistance application (the seed report: none to the
 * end of August). Each step carries its own simulated date, so the audit log and the ledger read like the year.
 *
 * The volumes are demo calibration from the seed report (DOMAIN §17, history-plan.ts); the figures the reports
 * show are computed from the ledger and the enrolments this writes, never from these constants.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { systemActor } from '../../domain/access/actor.ts';
import { ageOn } from '../../domain/identity/resident-id.ts';
import type { PolicyBody } from '../../domain/policy/kinds.ts';
import { addMonthsToMonth } from '../../domain/workflow/months.ts';
import { actorOf } from '../auth/auth.service.ts';
import {
  createCampaign,
  recordOutcome,
  recordVisitFinding,
  runCampaign,
} from '../campaigns/campaigns.service.ts';
import { type OpenCaseInput, openCase, recordFact, takeAction } from '../cases/cases.service.ts';
import {
  addMedicalClaim,
  approveBatch,
  approvePayment,
  createHolidayBatch,
} from '../payments/one-off.service.ts';
import { recordDecision } from '../payroll/decisions.service.ts';
import { categoriesOf, demoPerCapitaIncome } from '../payroll/demo-decisions.ts';
import { runGeneration } from '../payroll/generate.ts';
import { approvePayroll, reviewPayroll, setPriceIndex, startPayroll } from '../payroll/payroll.service.ts';
import { loadPolicyTimeline } from '../policy/policy.service.ts';
import { createUser } from '../users/users.service.ts';
import { type HistoryPlan, hasServiceWindow } from './history-plan.ts';
import { createRng, deriveSeed, type Rng } from './random.ts';

type Db = Kysely<Database>;

export interface HistoryUser {
  username: string;
  role: 'town_clerk' | 'town_reviewer';
  townCode: string;
  townName: string;
  password: string;
}

export interface DemoHistoryOptions {
  seed: number;
  countyCode: string;
  plan: HistoryPlan;
  householdId: (key: number) => number;
  personId: (key: number) => number;
  /** The income factor per dibao program found by the seed's calibration (demo-decisions.ts). */
  incomeScale: Record<string, number>;
  onStep?: (label: string) => void;
}

export interface DemoHistoryResult {
  applications: number;
  refusals: number;
  exits: number;
  reviews: number;
  deaths: number;
  payrolls: number;
  medicalClaims: number;
  campaignId: number | null;
  users: HistoryUser[];
}

/**
 * The 2015 food-price index of the demo (year on year, %): the linkage mechanism (DOMAIN §8.1: food ≥ 7%) is
 * triggered from April to July. DEMO values, not published statistics.
 */
const DEMO_PRICE_INDEX: Record<string, { cpi: string; food: string }> = {
  '2015-01': { cpi: '1.2', food: '2.9' },
  '2015-02': { cpi: '1.6', food: '4.8' },
  '2015-03': { cpi: '1.8', food: '5.6' },
  '2015-04': { cpi: '2.1', food: '7.6' },
  '2015-05': { cpi: '2.2', food: '7.5' },
  '2015-06': { cpi: '2.4', food: '8.1' },
  '2015-07': { cpi: '2.3', food: '8.1' },
  '2015-08': { cpi: '2.0', food: '6.1' },
  '2015-09': { cpi: '1.9', food: '5.2' },
};

/** 五保 Spring Festival subsidy (the seed report: 7.2万元 in the Spring Festival period), per person. DEMO amount. */
const SPRING_FESTIVAL = { referenceDate: '2015-02-10', amountFen: 16_000 };

/** Medical-assistance claims January–September (the seed report: 358 人次, 78.54万元). DEMO calibration. */
const MEDICAL = { claims: 358, assistanceFen: 78_540_000 };

const HOSPITALS = ['乳源瑶族自治县人民医院', '乳源瑶族自治县中医院', '韶关市第一人民医院', '粤北人民医院'];

const TOWN_PINYIN: Record<string, string> = {
  乳城镇: 'rucheng',
  桂头镇: 'guitou',
  大桥镇: 'daqiao',
  一六镇: 'yiliu',
  洛阳镇: 'luoyang',
  大布镇: 'dabu',
  东坪镇: 'dongping',
  游溪镇: 'youxi',
  必背镇: 'bibei',
};

/** A simulated instant on a China date (09:00 local). */
function at(date: string): Date {
  return new Date(`${date}T09:00:00+08:00`);
}

function day(month: string, d: number): string {
  return `${month}-${String(d).padStart(2, '0')}`;
}

class History {
  private readonly rng: Rng;
  private readonly towns = new Map<
    string,
    { clerk: Actor; reviewer: Actor; clerkId: number; reviewerId: number }
  >();
  private admin!: Actor;
  private approver!: Actor;
  readonly result: DemoHistoryResult = {
    applications: 0,
    refusals: 0,
    exits: 0,
    reviews: 0,
    deaths: 0,
    payrolls: 0,
    medicalClaims: 0,
    campaignId: null,
    users: [],
  };

  constructor(
    private readonly db: Db,
    private readonly o: DemoHistoryOptions,
  ) {
    this.rng = createRng(deriveSeed(o.seed, 'history-run'));
  }

  private async user(username: string): Promise<Actor> {
    const u = await this.db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    if (!u) throw new Error(`演示历史：缺少演示用户 ${username}`);
    return actorOf(u);
  }

  /** Every town's window: a clerk and a reviewer (the seed report: 9 towns, 9 window staff). */
  async setUp(): Promise<void> {
    this.admin = await this.user('xian_admin');
    this.approver = await this.user('xian_shenpi');
    // Towns with people on a program and a service window (a forest farm is served by a neighbouring town).
    const towns = await this.db
      .selectFrom('area')
      .select(['code', 'name'])
      .where('parent_code', '=', this.o.countyCode)
      .where('level', '=', 'town')
      .where('code', 'in', (eb) =>
        eb.selectFrom('enrolment').select('town_code').where('county_code', '=', this.o.countyCode),
      )
      .orderBy('code')
      .execute();
    const rng = createRng(deriveSeed(this.o.seed, 'history-users'));
    for (const t of towns.filter((x) => hasServiceWindow(x.name))) {
      const users = await this.db
        .selectFrom('app_user')
        .select(['id', 'username', 'role'])
        .where('area_code', '=', t.code)
        .where('disabled', '=', 0)
        .execute();
      const stem = TOWN_PINYIN[t.name] ?? `t${t.code.slice(-3)}`;
      const ensure = async (role: 'town_clerk' | 'town_reviewer', suffix: string) => {
        const found = users.find((u) => u.role === role);
        if (found) return found.username;
        const username = `${stem}_${suffix}`;
        const password = `Jz${rng.digits(6)}${rng.pick('abcdefghjkmnpqrstuvwxyz'.split(''))}`;
        await this.db.transaction().execute((trx) =>
          createUser(
            trx,
            systemActor(this.o.countyCode, 'seed'),
            {
              username,
              displayName: `${t.name}${role === 'town_clerk' ? '窗口经办' : '审核'}`,
              role,
              areaCode: t.code,
              password,
            },
            at('2014-06-30'),
          ),
        );
        this.result.users.push({ username, role, townCode: t.code, townName: t.name, password });
        return username;
      };
      const clerk = await this.user(await ensure('town_clerk', 'jingban'));
      const reviewer = await this.user(await ensure('town_reviewer', 'shenhe'));
      this.towns.set(t.code, {
        clerk,
        reviewer,
        clerkId: clerk.userId as number,
        reviewerId: reviewer.userId as number,
      });
    }
  }

  private town(code: string) {
    const t = this.towns.get(code);
    if (!t) throw new Error(`演示历史：乡镇 ${code} 没有窗口人员`);
    return t;
  }

  private async act(
    actor: Actor,
    caseId: number,
    version: number,
    action: string,
    date: string,
    input: Record<string, unknown> = {},
  ): Promise<number> {
    const r = await this.db
      .transaction()
      .execute((trx) =>
        takeAction(trx, actor, caseId, action, { version, decidedOn: date, input }, at(date)),
      );
    return r.version;
  }

  private async enrolmentOf(householdId: number, program: string, personId: number | null) {
    let q = this.db
      .selectFrom('enrolment')
      .selectAll()
      .where('household_id', '=', householdId)
      .where('program_code', '=', program)
      .where('status', '=', 'active');
    q = personId === null ? q.where('person_id', 'is', null) : q.where('person_id', '=', personId);
    return q.executeTakeFirstOrThrow();
  }

  /** The active enrolment of a planned household (or person) and the staff of its town. */
  private async enrolled(householdKey: number, personKey: number | null, program: string) {
    const householdId = this.o.householdId(householdKey);
    const personId = personKey === null ? null : this.o.personId(personKey);
    const e = await this.enrolmentOf(householdId, program, personId);
    return { householdId, personId, e, t: this.town(e.town_code) };
  }

  /** Opens the change case of an enrolled household on a date (DOMAIN §4.9). */
  private async openChangeCase(
    householdKey: number,
    personKey: number | null,
    program: string,
    date: string,
  ) {
    const { householdId, personId, e, t } = await this.enrolled(householdKey, personKey, program);
    const opened = await this.open(
      t.clerk,
      { programCode: program, enrolmentId: e.id, householdId, personId },
      date,
    );
    return { opened, t };
  }

  /** Opens a case at the window on its acceptance date. */
  private open(clerk: Actor, input: Omit<OpenCaseInput, 'acceptedOn'>, date: string) {
    return this.db
      .transaction()
      .execute((trx) => openCase(trx, clerk, { ...input, acceptedOn: date }, at(date)));
  }

  /** An application under the 2012 procedure, accepted on the 3rd; granted (or refused) by the 21st. */
  async application(householdKey: number, program: string, month: string, refuse: boolean): Promise<number> {
    const householdId = this.o.householdId(householdKey);
    const h = await this.db
      .selectFrom('household')
      .select('town_code')
      .where('id', '=', householdId)
      .executeTakeFirstOrThrow();
    const t = this.town(h.town_code);
    const opened = await this.open(t.clerk, { programCode: program, householdId }, day(month, 3));
    const id = opened.id;
    let v = opened.version;
    const fact = await this.db.transaction().execute((trx) =>
      recordFact(
        trx,
        t.clerk,
        id,
        v,
        {
          kind: 'investigation',
          investigatorUserIds: [t.clerkId, t.reviewerId],
          findings: refuse
            ? '入户调查：家庭成员有稳定务工收入，家庭人均收入高于当地低保标准'
            : '入户调查：家庭主要收入为务农及零星务工，人均收入低于当地低保标准',
        },
        at(day(month, 5)),
      ),
    );
    v = fact.version;
    v = await this.act(t.clerk, id, v, 'complete_investigation', day(month, 5));
    v = await this.act(t.clerk, id, v, 'complete_appraisal', day(month, 6), {
      reasons: refuse ? '民主评议：多数代表认为该户收入较高' : '民主评议：代表一致认为该户生活困难',
    });
    v = await this.act(t.reviewer, id, v, 'start_public_notice', day(month, 6), {
      opinion: refuse ? 'refuse' : 'grant',
      reasons: refuse ? '家庭人均收入高于低保标准' : '家庭人均收入低于低保标准，符合条件',
    });
    v = await this.act(t.clerk, id, v, 'submit_to_county', day(month, 13));
    if (refuse) {
      v = await this.act(this.approver, id, v, 'refuse', day(month, 14), {
        reasons: '经审核，家庭人均收入高于当地低保标准，不符合城乡低保条件',
      });
      await this.act(t.clerk, id, v, 'serve_refusal_notice', day(month, 16));
      return id;
    }
    v = await this.act(this.approver, id, v, 'approve', day(month, 14), { reasons: '符合条件，同意' });
    await this.act(this.approver, id, v, 'grant', day(month, 21));
    return id;
  }

  /** The benefit decision of a new enrolment: the household's members and an income drawn like the seed's. */
  async decide(householdKey: number, program: string, startMonth: string, caseId: number): Promise<void> {
    const householdId = this.o.householdId(householdKey);
    const e = await this.enrolmentOf(householdId, program, null);
    const timeline = await loadPolicyTimeline(this.db, this.o.countyCode, program);
    const policy = timeline.at(startMonth, e.town_code);
    if (!policy) throw new Error(`演示历史：${program} 在 ${startMonth} 没有政策参数`);
    const params = policy.body as PolicyBody<'dibao'>;
    const asOf = `${startMonth}-01`;
    const members = await this.db
      .selectFrom('household_member as m')
      .innerJoin('person as p', 'p.id', 'm.person_id')
      .select([
        'm.person_id',
        'p.birth_date',
        'p.disability_category',
        'p.disability_grade',
        'p.serious_illness',
        'm.household_id',
      ])
      .where('m.household_id', '=', householdId)
      .where('m.valid_from', '<=', asOf)
      .where((eb) => eb.or([eb('m.valid_to', 'is', null), eb('m.valid_to', '>', asOf)]))
      .orderBy('m.person_id')
      .execute();
    const perCapitaIncomeFen = demoPerCapitaIncome(
      params.standardFen,
      0.2 + this.rng.next() * 0.65,
      this.rng.chance(0.25),
      this.o.incomeScale[program] ?? 1,
    );
    const decidedOn = day(addMonthsToMonth(startMonth, -1), 21);
    await this.db.transaction().execute((trx) =>
      recordDecision(
        trx,
        this.approver,
        e.id,
        {
          effectiveMonth: startMonth,
          decidedOn,
          caseId,
          dibaoAssessed: {
            perCapitaIncomeFen,
            bandCode: null,
            members: members.map((m) => {
              const age = ageOn(m.birth_date, asOf);
              return {
                personId: m.person_id,
                categories: categoriesOf(m, age),
                fullStandard: false,
                age,
                birthDate: m.birth_date,
              };
            }),
          },
        },
        at(decidedOn),
      ),
    );
  }

  /** A reported change, and the county's 停发 from the month after the decision (DOMAIN §4.7, §4.9). */
  async stop(
    householdKey: number,
    personKey: number | null,
    program: string,
    endMonth: string,
    reason: string,
  ) {
    const { opened, t } = await this.openChangeCase(householdKey, personKey, program, day(endMonth, 5));
    let v = await this.act(t.clerk, opened.id, opened.version, 'report_change', day(endMonth, 5), {
      reasons: reason,
    });
    v = await this.act(this.approver, opened.id, v, 'stop', day(endMonth, 20), { reasons: reason });
  }

  /** The July 2014 核查: the campaign, the door-to-door findings, the exits through the change cases. */
  async campaign2014(): Promise<void> {
    const asOf = '2014-07-10';
    const auditor = await this.user('hecha').catch(() => this.admin);
    const manager = auditor.role === 'auditor' ? auditor : this.admin;
    const created = await this.db.transaction().execute((trx) =>
      createCampaign(
        trx,
        manager,
        {
          title: '2014年城乡低保、五保核查',
          programCodes: ['urban_dibao', 'rural_dibao', 'rural_tekun'],
          ruleCodes: ['deceased_paid'],
          asOf,
          reviewDueDays: 30,
        },
        at(asOf),
      ),
    );
    await runCampaign(this.db, manager, created.id, at(asOf));
    this.result.campaignId = created.id;
    for (const x of this.o.plan.exits.filter((e) => e.kind === 'campaign_2014')) {
      const { e, t } = await this.enrolled(x.householdKey, x.personKey, x.program);
      const finding = await this.db.transaction().execute((trx) =>
        recordVisitFinding(
          trx,
          t.clerk,
          created.id,
          {
            enrolmentId: e.id,
            category: 'cuoBao',
            summary: x.reason,
          },
          at('2014-07-18'),
        ),
      );
      const outcome = await this.db
        .transaction()
        .execute((trx) =>
          recordOutcome(
            trx,
            t.clerk,
            finding.id,
            { version: finding.version, outcome: 'exit', note: `经入户复核属实，${x.reason}，拟退出` },
            at('2014-07-22'),
          ),
        );
      if (outcome.caseId === null) throw new Error('演示历史：核查退出没有开启变更个案');
      await this.finishExit(outcome.caseId, x.program, t, x.reason, '2014-07');
      this.result.exits += 1;
    }
  }

  /** Drives the change case opened by a 核查 outcome to the stop (dibao) or the termination (特困). */
  private async finishExit(
    caseId: number,
    program: string,
    t: { clerk: Actor; reviewer: Actor },
    reason: string,
    month: string,
  ): Promise<void> {
    const c = await this.db
      .selectFrom('case_file')
      .select(['version'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    if (program === 'rural_tekun') {
      let v = await this.act(t.reviewer, caseId, c.version, 'start_termination_notice', day(month, 23), {
        reasons: reason,
      });
      v = await this.act(t.clerk, caseId, v, 'submit_termination', day(month, 30));
      await this.act(this.approver, caseId, v, 'approve_termination', day(month, 31), { reasons: reason });
      return;
    }
    await this.act(this.approver, caseId, c.version, 'stop', day(month, 28), { reasons: reason });
  }

  /**
   * A member's death in an enrolled dibao household, recorded by the window the month after (DOMAIN §4.9: re-check
   * within 3 months); the county keeps the household on, as its assessment already counts the living members.
   */
  async memberDeath(householdKey: number, program: string, deathDate: string): Promise<void> {
    const month = addMonthsToMonth(deathDate.slice(0, 7), 1);
    const { opened, t } = await this.openChangeCase(householdKey, null, program, day(month, 3));
    const v = await this.act(t.clerk, opened.id, opened.version, 'record_member_death', day(month, 3), {
      deathDate,
    });
    await this.act(this.approver, opened.id, v, 'keep', day(month, 12), {
      reasons: '成员死亡后复核：家庭其他成员收入、财产无变化，维持原保障',
    });
  }

  async review(householdKey: number, program: string, month: string): Promise<void> {
    const { opened, t } = await this.openChangeCase(householdKey, null, program, day(month, 10));
    const v = await this.act(t.clerk, opened.id, opened.version, 'start_review', day(month, 10));
    await this.act(this.approver, opened.id, v, 'keep', day(month, 15));
  }

  async payrolls(month: string): Promise<void> {
    const index = DEMO_PRICE_INDEX[month];
    const date = day(month, 8);
    if (index) {
      await this.db
        .transaction()
        .execute((trx) =>
          setPriceIndex(
            trx,
            this.admin,
            month,
            { cpiYoY: index.cpi, foodYoY: index.food, publishedOn: day(month, 5), source: '演示数据' },
            at(date),
          ),
        );
    }
    for (const program of ['urban_dibao', 'rural_dibao', 'rural_tekun']) {
      const started = await this.db
        .transaction()
        .execute((trx) => startPayroll(trx, this.admin, { programCode: program, payMonth: month }, at(date)));
      if (started.run) await runGeneration(this.db, started.payroll.id, this.admin, { now: () => at(date) });
      await this.db
        .transaction()
        .execute((trx) => reviewPayroll(trx, this.admin, started.payroll.id, at(day(month, 9))));
      await this.db
        .transaction()
        .execute((trx) => approvePayroll(trx, this.approver, started.payroll.id, at(day(month, 10))));
      this.result.payrolls += 1;
    }
  }

  async springFestival(): Promise<void> {
    const batch = await this.db.transaction().execute((trx) =>
      createHolidayBatch(
        trx,
        this.admin,
        {
          kind: 'holiday_subsidy',
          title: '2015年春节五保对象临时价格补贴',
          programCodes: ['rural_tekun'],
          referenceDate: SPRING_FESTIVAL.referenceDate,
          amountPerPersonFen: SPRING_FESTIVAL.amountFen,
        },
        at(SPRING_FESTIVAL.referenceDate),
      ),
    );
    await this.db
      .transaction()
      .execute((trx) => approveBatch(trx, this.approver, batch.id, at(day('2015-02', 11))));
  }

  /**
   * Medical claims of one month: people on dibao or 五保, each claim's assistance around the year's average;
   * the engine computes the assistance from the slip (70% / 80% of what insurance left, DOMAIN §7.2).
   */
  async medical(month: string, count: number, budgetFen: number, people: { id: number; rate: number }[]) {
    // The month's budget shared out by random weights (0.4–1.6 of the average), the last claim taking the rest.
    const weights = Array.from({ length: count }, () => 0.4 + this.rng.next() * 1.2);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    let left = budgetFen;
    for (let i = 0; i < count; i++) {
      const person = this.rng.pick(people);
      const target = i === count - 1 ? left : Math.round((budgetFen * (weights[i] ?? 1)) / weightSum);
      left -= target;
      // Remaining after insurance R with assistance = R × rate (rounded to the fen by the engine).
      const remaining = Math.round(target / person.rate);
      const basic = Math.round(remaining * (1.2 + this.rng.next()));
      const eligible = remaining + basic;
      const bill = eligible + Math.round(eligible * this.rng.next() * 0.15);
      const d = this.rng.int(1, 20);
      const claim = await this.db.transaction().execute((trx) =>
        addMedicalClaim(
          trx,
          this.admin,
          {
            personId: person.id,
            hospital: this.rng.pick(HOSPITALS),
            admittedOn: day(month, d),
            dischargedOn: day(month, d + this.rng.int(2, 8)),
            billFen: bill,
            eligibleFen: eligible,
            basicInsuranceFen: basic,
            criticalIllnessFen: 0,
          },
          at(day(month, 28)),
        ),
      );
      if (claim.payment) {
        const paymentId = claim.payment.id;
        await this.db
          .transaction()
          .execute((trx) => approvePayment(trx, this.approver, paymentId, at(day(month, 28))));
      }
      this.result.medicalClaims += 1;
    }
  }
}

export async function runDemoHistory(db: Db, o: DemoHistoryOptions): Promise<DemoHistoryResult> {
  const h = new History(db, o);
  await h.setUp();
  h.result.users.sort((a, b) => a.townCode.localeCompare(b.townCode) || a.role.localeCompare(b.role));
  const plan = o.plan;
  await h.campaign2014();
  o.onStep?.('2014年7月核查');
  for (const x of plan.exits.filter((e) => e.kind === 'churn_2014')) {
    await h.stop(x.householdKey, x.personKey, x.program, x.endMonth, x.reason);
    h.result.exits += 1;
  }
  o.onStep?.('2014年下半年退出');

  // 2015, month by month: the cases decided before the 8th are in that month's payroll.
  const medicalPeople = await db
    .selectFrom('enrolment')
    .select(['person_id', 'household_id', 'program_code'])
    .where('county_code', '=', o.countyCode)
    .where('status', '=', 'active')
    .where('program_code', 'in', ['rural_tekun', 'urban_dibao', 'rural_dibao'])
    .orderBy('id')
    .execute();
  const heads = await db
    .selectFrom('household')
    .select(['id', 'head_person_id'])
    .where('county_code', '=', o.countyCode)
    .execute();
  const headOf = new Map(heads.map((x) => [x.id, x.head_person_id]));
  // People on a program all year: not among the households the plan takes off in 2015.
  const leaving = new Set(plan.exits.map((x) => o.householdId(x.householdKey)));
  const people = medicalPeople
    .filter((e) => !leaving.has(e.household_id))
    .map((e) => ({
      id: e.person_id ?? headOf.get(e.household_id) ?? 0,
      rate: e.program_code === 'rural_tekun' ? 0.8 : 0.7,
    }))
    .filter((p) => p.id > 0);
  const months = Array.from({ length: 9 }, (_, i) => `2015-0${i + 1}`);
  const perMonth = months.map((_, i) => Math.floor(MEDICAL.claims / 9) + (i < MEDICAL.claims % 9 ? 1 : 0));
  const budgets = perMonth.map((n) => Math.round((MEDICAL.assistanceFen * n) / MEDICAL.claims));
  budgets[budgets.length - 1] = MEDICAL.assistanceFen - budgets.slice(0, -1).reduce((a, b) => a + b, 0);
  for (const [i, month] of months.entries()) {
    const previous = addMonthsToMonth(month, -1);
    // Applications accepted last month start this month.
    for (const a of plan.applications.filter((x) => x.acceptedMonth === previous)) {
      const caseId = await h.application(a.householdKey, a.program, a.acceptedMonth, false);
      await h.decide(a.householdKey, a.program, a.startMonth, caseId);
      h.result.applications += 1;
    }
    for (const r of plan.refusals.filter((x) => x.acceptedMonth === previous)) {
      await h.application(r.householdKey, r.program, r.acceptedMonth, true);
      h.result.refusals += 1;
    }
    // Stops decided last month: paid up to last month.
    for (const x of plan.exits.filter((e) => e.kind === 'cancel_2015' && e.endMonth === previous)) {
      await h.stop(x.householdKey, x.personKey, x.program, x.endMonth, x.reason);
      h.result.exits += 1;
    }
    for (const d of plan.deaths.filter((x) => x.deathDate.slice(0, 7) === previous)) {
      await h.memberDeath(d.householdKey, d.program, d.deathDate);
      h.result.deaths += 1;
    }
    for (const r of plan.reviews.filter((x) => x.month === previous)) {
      await h.review(r.householdKey, r.program, r.month);
      h.result.reviews += 1;
    }
    await h.payrolls(month);
    if (month === '2015-02') await h.springFestival();
    await h.medical(month, perMonth[i] ?? 0, budgets[i] ?? 0, people);
    o.onStep?.(`${month} 发放与个案`);
  }
  return h.result;
}
