/**
 * 统计趋势 through the API (GET /statistics/trends): every month's point equals the monthly endpoint's figures
 * for that month (GET /statistics/monthly), the hand-worked figures of the small ledger
 * (test/helpers/statistics-ledger.ts), the dibao standard from the policy timeline (a new version from March),
 * the per-town figures of the last month adding up to the county's, a frozen month read from its snapshot,
 * the default range (January .. latest paid month), validation, and town scoping.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access/actor.ts';
import { insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import { createVersion } from '../../src/modules/policy/policy.service.ts';
import { COUNTY, DAQIAO, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { ledgerLine, seedStatisticsLedger } from '../helpers/statistics-ledger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

interface Split {
  dibaoBaseFen: number;
  dibaoAddonFen: number;
  priceSubsidyFen: number;
  otherFen: number;
  totalFen: number;
}
interface Ind {
  persons: number;
  households: number;
  personMonthsYtd: number;
  grantsMonth: number;
  grantsYtd: number;
  spendingMonth: Split;
  spendingYtd: Split;
  levelMonthFen: number | null;
  levelYtdFen: number | null;
  topUpLevelMonthFen: number | null;
  topUpLevelYtdFen: number | null;
}
interface Monthly {
  month: string;
  townCode: string | null;
  source: { kind: string; version?: number };
  programs: { program: string; total: Ind; byTown: { townCode: string; indicators: Ind }[] }[];
}
interface Point extends Ind {
  month: string;
  standardFen: number | null;
  standardDocNo: string | null;
}
interface TownPoint {
  program: string;
  persons: number;
  households: number;
  spendingMonth: Split;
  spendingYtd: Split;
  grantsMonth: number;
  topUpLevelMonthFen: number | null;
}
interface Trends {
  from: string;
  to: string;
  defaultRange: boolean;
  latestPaidMonth: string | null;
  townCode: string | null;
  towns: { code: string; name: string }[];
  months: string[];
  sources: { month: string; kind: string; version: number | null }[];
  programs: { program: string; label: string; kind: string; points: Point[] }[];
  byTown: { month: string; towns: { townCode: string; townName: string; programs: TownPoint[] }[] };
}

const FIELDS = [
  'persons',
  'households',
  'personMonthsYtd',
  'grantsMonth',
  'grantsYtd',
  'spendingMonth',
  'spendingYtd',
  'levelMonthFen',
  'levelYtdFen',
  'topUpLevelMonthFen',
  'topUpLevelYtdFen',
] as const;

const pick = (x: Ind) => Object.fromEntries(FIELDS.map((f) => [f, x[f]]));

const split = (base: number, addon: number, price: number, other: number): Split => ({
  dibaoBaseFen: base,
  dibaoAddonFen: addon,
  priceSubsidyFen: price,
  otherFen: other,
  totalFen: base + addon + price + other,
});

describe.each(ENGINES)('统计趋势 /statistics/trends on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;
  let rcClerk: Client;

  async function trends(client: Client, q = ''): Promise<Trends> {
    const res = await client.get(`/api/v1/statistics/trends${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Trends;
  }
  async function monthly(client: Client, month: string, extra = ''): Promise<Monthly> {
    const res = await client.get(`/api/v1/statistics/monthly?month=${month}${extra}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Monthly;
  }
  const series = (t: Trends, program: string) => {
    const p = t.programs.find((x) => x.program === program);
    if (!p) throw new Error(`no ${program} in trends`);
    return p.points;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    const fx = await seedFixtures(tdb.db);
    await seedStatisticsLedger(tdb.db, fx);
    const now = new Date('2015-01-05T02:00:00Z');
    await tdb.db.transaction().execute(async (trx) => {
      await insertDemoPolicy(trx, COUNTY, now);
      // 城市低保 standard raised from March: 410 → 430 元 (a new version closes the January one).
      const jan = await trx
        .selectFrom('policy_parameter')
        .select('body')
        .where('program_code', '=', 'urban_dibao')
        .where('town_code', 'is', null)
        .executeTakeFirstOrThrow();
      const body = { ...(JSON.parse(jan.body) as Record<string, unknown>), standardFen: 43_000 };
      await createVersion(
        trx,
        systemActor(COUNTY, 'test'),
        { programCode: 'urban_dibao', effectiveFrom: '2015-03', docNo: '乳民〔2015〕3号', body },
        now,
      );
    });
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    rcClerk = await login(app, USERS.ruchengClerk.username);
  });

  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('defaults to January .. the latest paid month, and each point equals the monthly figures', async () => {
    const t = await trends(admin);
    expect(t).toMatchObject({
      from: '2015-01',
      to: '2015-03',
      defaultRange: true,
      latestPaidMonth: '2015-03',
      townCode: null,
      months: ['2015-01', '2015-02', '2015-03'],
    });
    expect(t.towns.map((x) => x.code)).toEqual([RUCHENG, DAQIAO]);
    expect(t.sources.map((s) => s.kind)).toEqual(['ledger', 'ledger', 'ledger']);
    expect(t.programs.map((p) => p.program)).toEqual([
      'urban_dibao',
      'rural_dibao',
      'urban_tekun',
      'rural_tekun',
      'medical_aid',
      'temporary_aid',
    ]);
    expect(t.programs.find((p) => p.program === 'medical_aid')?.kind).toBe('grant');
    let compared = 0;
    for (const [i, month] of t.months.entries()) {
      const m = await monthly(admin, month);
      for (const p of t.programs) {
        const point = p.points[i] as Point;
        expect(point.month).toBe(month);
        const total = m.programs.find((x) => x.program === p.program)?.total;
        if (total) {
          expect(pick(point), `${p.program} ${month}`).toEqual(pick(total));
          compared++;
        } else {
          // Nothing of the program that month: zeros, no level.
          expect(point.persons + point.spendingMonth.totalFen + point.grantsMonth).toBe(0);
          expect(point.levelMonthFen).toBeNull();
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  it('reproduces the hand-worked ledger: 城市低保 split, cumulative and levels, 五保 and grants', async () => {
    const t = await trends(admin, '?from=2015-01&to=2015-03');
    const urban = series(t, 'urban_dibao');
    // A: 3 persons, 900 + 60 元 a month, 价格临时补贴 30 元 in January and 45 元 in March.
    expect(urban.map((p) => p.persons)).toEqual([3, 3, 3]);
    expect(urban.map((p) => p.households)).toEqual([1, 1, 1]);
    expect(urban.map((p) => p.spendingMonth)).toEqual([
      split(90_000, 6_000, 3_000, 0),
      split(90_000, 6_000, 0, 0),
      split(90_000, 6_000, 4_500, 0),
    ]);
    expect(urban.map((p) => p.spendingYtd.totalFen)).toEqual([99_000, 195_000, 295_500]);
    // 月人均补差水平 = (低保金 + 分类施保) ÷ persons = 960 ÷ 3 = 320 元; 当月人均补助水平 includes the subsidy.
    expect(urban.map((p) => p.topUpLevelMonthFen)).toEqual([32_000, 32_000, 32_000]);
    expect(urban.map((p) => p.levelMonthFen)).toEqual([33_000, 32_000, 33_500]);
    expect(urban[2]?.personMonthsYtd).toBe(9);
    // The rural series: D paid in January only, E from March (233.33 元 + 10 元).
    const rural = series(t, 'rural_dibao');
    expect(rural.map((p) => p.spendingMonth.dibaoBaseFen)).toEqual([20_000, 0, 23_333]);
    expect(rural.map((p) => p.spendingMonth.priceSubsidyFen)).toEqual([0, 0, 1_000]);
    expect(rural[1]?.persons).toBe(0);
    // 五保 B: 416 + 76 元 from February, 节日补贴 100 元 in March → "other".
    expect(series(t, 'rural_tekun').map((p) => p.spendingMonth)).toEqual([
      split(0, 0, 0, 0),
      split(0, 0, 0, 49_200),
      split(0, 0, 0, 59_200),
    ]);
    expect(series(t, 'rural_tekun').map((p) => p.persons)).toEqual([0, 1, 1]);
    // Grants: one each in March.
    expect(series(t, 'medical_aid').map((p) => p.grantsMonth)).toEqual([0, 0, 1]);
    expect(series(t, 'temporary_aid')[2]?.spendingYtd.totalFen).toBe(85_000);
  });

  it('shows the dibao standard in force each month from the policy timeline', async () => {
    const t = await trends(admin, '?from=2015-01&to=2015-03');
    expect(series(t, 'urban_dibao').map((p) => p.standardFen)).toEqual([41_000, 41_000, 43_000]);
    expect(series(t, 'urban_dibao')[2]?.standardDocNo).toBe('乳民〔2015〕3号');
    expect(series(t, 'rural_dibao').map((p) => p.standardFen)).toEqual([26_000, 26_000, 26_000]);
    expect(series(t, 'rural_tekun').map((p) => p.standardFen)).toEqual([null, null, null]);
    // Before any version (the demo policy starts in 2015-01): no standard. D's 2014 enrolment shows the
    // program (its 新增 in June), with nothing paid.
    const before = await trends(admin, '?from=2014-11&to=2014-12');
    expect(before.months).toEqual(['2014-11', '2014-12']);
    expect(before.programs.map((p) => p.program)).toEqual(['rural_dibao']);
    expect(series(before, 'rural_dibao').map((p) => [p.standardFen, p.persons])).toEqual([
      [null, 0],
      [null, 0],
    ]);
  });

  it('restarts the cumulative figures in January when the range crosses a year', async () => {
    const t = await trends(admin, '?from=2014-12&to=2015-02');
    expect(t.months).toEqual(['2014-12', '2015-01', '2015-02']);
    const urban = series(t, 'urban_dibao');
    expect(urban[0]?.spendingYtd.totalFen).toBe(0);
    expect(urban[1]?.spendingYtd.totalFen).toBe(urban[1]?.spendingMonth.totalFen);
    expect(urban[1]?.spendingYtd.totalFen).toBe(99_000);
  });

  it('gives the last month per town, adding up to the county', async () => {
    const t = await trends(admin, '?from=2015-01&to=2015-03');
    expect(t.byTown.month).toBe('2015-03');
    expect(t.byTown.towns.map((x) => [x.townCode, x.townName])).toEqual([
      [RUCHENG, '乳城镇'],
      [DAQIAO, '大桥镇'],
    ]);
    const m = await monthly(admin, '2015-03');
    for (const p of t.programs) {
      const last = p.points[2] as Point;
      const towns = t.byTown.towns.map((x) => x.programs.find((y) => y.program === p.program) as TownPoint);
      expect(
        towns.reduce((s, x) => s + x.persons, 0),
        p.program,
      ).toBe(last.persons);
      expect(
        towns.reduce((s, x) => s + x.spendingMonth.totalFen, 0),
        p.program,
      ).toBe(last.spendingMonth.totalFen);
      expect(
        towns.reduce((s, x) => s + x.spendingYtd.totalFen, 0),
        p.program,
      ).toBe(last.spendingYtd.totalFen);
      for (const town of t.byTown.towns) {
        const ours = town.programs.find((y) => y.program === p.program) as TownPoint;
        const theirs = m.programs
          .find((x) => x.program === p.program)
          ?.byTown.find((x) => x.townCode === town.townCode)?.indicators;
        expect(ours.persons).toBe(theirs?.persons ?? 0);
        expect(ours.spendingYtd.totalFen).toBe(theirs?.spendingYtd.totalFen ?? 0);
      }
    }
    const rc = t.byTown.towns.find((x) => x.townCode === RUCHENG);
    expect(rc?.programs.find((p) => p.program === 'urban_dibao')?.persons).toBe(3);
    expect(rc?.programs.find((p) => p.program === 'rural_tekun')?.persons).toBe(0);
    const dq = t.byTown.towns.find((x) => x.townCode === DAQIAO);
    expect(dq?.programs.find((p) => p.program === 'rural_tekun')?.spendingMonth.totalFen).toBe(59_200);
  });

  it('gives a town user only their own town, and refuses another town', async () => {
    const t = await trends(rcClerk);
    expect(t.townCode).toBe(RUCHENG);
    expect(t.towns).toEqual([{ code: RUCHENG, name: '乳城镇' }]);
    expect(t.to).toBe('2015-03');
    // 乳城镇 has 城市低保 (A), 城市特困 (C) and 临时救助; the 大桥镇 programs are not there.
    expect(t.programs.map((p) => p.program)).toEqual(['urban_dibao', 'urban_tekun', 'temporary_aid']);
    expect(t.byTown.towns.map((x) => x.townCode)).toEqual([RUCHENG]);
    for (const [i, month] of t.months.entries()) {
      const m = await monthly(rcClerk, month);
      expect(m.townCode).toBe(RUCHENG);
      for (const p of t.programs) {
        const total = m.programs.find((x) => x.program === p.program)?.total;
        if (total) expect(pick(p.points[i] as Point)).toEqual(pick(total));
      }
    }
    expect(JSON.stringify(t)).not.toContain(DAQIAO);
    const other = await rcClerk.get(`/api/v1/statistics/trends?town=${DAQIAO}`);
    expect(other.statusCode).toBe(403);
    // A county user may choose a town.
    const dq = await trends(admin, `?from=2015-01&to=2015-03&town=${DAQIAO}`);
    expect(dq.townCode).toBe(DAQIAO);
    expect(dq.programs.map((p) => p.program)).toEqual(['rural_dibao', 'rural_tekun', 'medical_aid']);
    expect(dq.byTown.towns.map((x) => x.townCode)).toEqual([DAQIAO]);
  });

  it('refuses a bad range and an anonymous caller, and is documented in OpenAPI', async () => {
    for (const q of [
      '?from=2015-03&to=2015-01',
      '?from=2012-01&to=2015-03',
      '?from=2015-13',
      '?to=2015-1',
      '?from=2015-01&month=2015-02',
    ]) {
      const res = await admin.get(`/api/v1/statistics/trends${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    const anon = await app.inject({ method: 'GET', url: '/api/v1/statistics/trends' });
    expect(anon.statusCode).toBe(401);
    const doc = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys((doc.json() as { paths: Record<string, unknown> }).paths)).toContain(
      '/api/v1/statistics/trends',
    );
  });

  it('reads a frozen month from its snapshot, not from later ledger corrections', async () => {
    const frozen = await admin.send('POST', '/api/v1/statistics/snapshots', { month: '2015-02' });
    expect(frozen.statusCode, frozen.body).toBe(201);
    const before = await trends(admin, '?from=2015-01&to=2015-03');
    // A 补发 for February posted in April, after the freeze.
    const a = await tdb.db
      .selectFrom('enrolment')
      .select(['id', 'household_id'])
      .where('program_code', '=', 'urban_dibao')
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('payment_ledger')
      .values(
        ledgerLine(
          {
            program: 'urban_dibao',
            town: RUCHENG,
            household: Number(a.household_id),
            person: null,
            enrolment: Number(a.id),
          },
          '2015-02',
          'dibao_base',
          'provincial',
          5_000,
          'arrears',
          '2015-04',
        ),
      )
      .execute();
    const after = await trends(admin, '?from=2015-01&to=2015-03');
    expect(after.sources).toEqual([
      { month: '2015-01', kind: 'ledger', version: null },
      { month: '2015-02', kind: 'snapshot', version: 1 },
      { month: '2015-03', kind: 'ledger', version: null },
    ]);
    const feb = (t: Trends) => series(t, 'urban_dibao')[1] as Point;
    expect(feb(after).spendingMonth.dibaoBaseFen).toBe(90_000);
    expect(feb(after)).toEqual(feb(before));
    // March is not frozen: its cumulative includes the 补发 for February.
    expect(series(after, 'urban_dibao')[2]?.spendingYtd.totalFen).toBe(295_500 + 5_000);
    // The live monthly view of February has it too; the trend shows what was reported.
    const live = await monthly(admin, '2015-02', '&live=true');
    expect(live.programs.find((p) => p.program === 'urban_dibao')?.total.spendingMonth.dibaoBaseFen).toBe(
      95_000,
    );
  });
});
