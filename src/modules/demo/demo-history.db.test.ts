/**
 * The demo's simulated 2014–2015 (issue 7) on both engines: after `seed demo`, the report for 2015-09 computed
 * from the ledger and the enrolments reads like the seed report's section 一 — every figure within 2% of DOMAIN
 * §17 — and the year went through the services (cases with their events, approved payrolls, the 2014 核查).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../../test/helpers/test-db.ts';
import type { SituationFigures } from '../../domain/reports/situation.ts';
import { actorOf } from '../auth/auth.service.ts';
import { situationFigures } from '../reports/situation.service.ts';
import { deriveFigures, deriveYear } from '../statistics/statistics.service.ts';
import { type DemoSeedResult, seedDemo } from './seed-demo.ts';

const COUNTY = '440232';

/** DOMAIN §17: the seed report's figures (fen for money, whole yuan levels as fen). */
const SEED = {
  urbanPersons: 427,
  ruralPersons: 5754,
  urbanSpendingFen: 145_360_000,
  ruralSpendingFen: 937_060_000,
  urbanLevelFen: 37_600,
  ruralLevelFen: 17_800,
  priceSubsidyFen: 52_710_000,
  wubaoPersons: 448,
  wubaoSpendingFen: 197_480_000,
  wubaoLevelFen: 49_200,
  springFestivalFen: 72_000_000 / 10,
  medicalGrants: 358,
  medicalFen: 78_540_000,
};

const within2 = (actual: number | null, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) / expected - 1)).toBeLessThanOrEqual(0.02);
};

describe.each(ENGINES)('demo history (%s)', (engine) => {
  let t: TestDatabase;
  let result: DemoSeedResult;
  let f: SituationFigures;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    result = await seedDemo(t, { seed: 2015, countyCode: COUNTY, now: new Date('2015-10-08T01:00:00Z') });
    const admin = await t.db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', 'xian_admin')
      .executeTakeFirstOrThrow();
    f = (await situationFigures(t.db, actorOf(admin), '2015-09')).figures;
  }, 240_000);
  afterAll(async () => {
    await t?.destroy();
  });

  it('reproduces section 一 of the seed report within 2%', () => {
    expect(f.urbanDibao.persons).toBe(SEED.urbanPersons);
    expect(f.ruralDibao.persons).toBe(SEED.ruralPersons);
    within2(f.urbanDibao.spendingYtdFen, SEED.urbanSpendingFen);
    within2(f.ruralDibao.spendingYtdFen, SEED.ruralSpendingFen);
    within2(f.urbanDibao.topUpLevelYtdFen, SEED.urbanLevelFen);
    within2(f.ruralDibao.topUpLevelYtdFen, SEED.ruralLevelFen);
    within2(f.dibaoPriceSubsidyYtdFen, SEED.priceSubsidyFen);
    expect(f.wubao.persons).toBe(SEED.wubaoPersons);
    within2(f.wubao.spendingYtdFen, SEED.wubaoSpendingFen);
    within2(f.wubao.monthlyLevelFen, SEED.wubaoLevelFen);
    within2(f.wubao.springFestivalFen, SEED.springFestivalFen);
    expect(f.medicalAid.grantsYtd).toBe(SEED.medicalGrants);
    within2(f.medicalAid.spendingYtdFen, SEED.medicalFen);
    expect(f.temporaryAid).toEqual({ casesAccepted: 0, grantsYtd: 0, spendingYtdFen: 0 });
  });

  it('has the 2015 approvals and the July 2014 核查 of section 二', () => {
    expect(f.approvals).toEqual({
      added: { urban: { households: 12, persons: 18 }, rural: { households: 52, persons: 131 } },
      removed: { urban: { households: 7, persons: 14 }, rural: { households: 77, persons: 263 } },
    });
    expect(f.campaign?.asOf).toBe('2014-07-10');
    expect(f.campaign?.dibao).toMatchObject({ exitedHouseholds: 58, exitedPersons: 219 });
    within2(f.campaign?.dibao?.households ?? null, 2652);
    within2(f.campaign?.dibao?.persons ?? null, 6594);
    within2(f.campaign?.tekun?.persons ?? null, 465);
    expect(f.campaign?.tekun?.exitedPersons).toBe(10);
    expect(f.windows.towns).toBe(9);
  });

  it('ran the year through the services: cases with events, approved payrolls, one per program and month', async () => {
    expect(result.history).toMatchObject({
      applications: 64,
      refusals: 6,
      deaths: 12,
      payrolls: 27,
      medicalClaims: 358,
    });
    // Each death recorded in its household's change case, its re-check task closed by the county's decision.
    const deaths = await t.db
      .selectFrom('case_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'record_member_death')
      .executeTakeFirstOrThrow();
    expect(Number(deaths.n)).toBe(12);
    const payrolls = await t.db
      .selectFrom('payroll')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    expect(payrolls.map((p) => [p.status, Number(p.n)])).toEqual([['approved', 27]]);
    const granted = await t.db
      .selectFrom('case_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'grant')
      .executeTakeFirstOrThrow();
    expect(Number(granted.n)).toBe(64);
    // Each new enrolment has its decision, recorded by the approver on the grant date.
    const undecided = await t.db
      .selectFrom('enrolment as e')
      .leftJoin('benefit_decision as d', 'd.enrolment_id', 'e.id')
      .select('e.id')
      .where('e.status', '=', 'active')
      .where('d.id', 'is', null)
      .execute();
    expect(undecided).toEqual([]);
  });

  it('derives a year of months in one read exactly as month by month (the trends screen)', async () => {
    const months = Array.from({ length: 9 }, (_, i) => `2015-0${i + 1}`);
    const year = await deriveYear(t.db, COUNTY, '2015-09');
    expect([...year.keys()]).toEqual(months);
    for (const m of months) expect(year.get(m)).toEqual(await deriveFigures(t.db, COUNTY, m));
  });
});
