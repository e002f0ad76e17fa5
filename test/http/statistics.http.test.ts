/**
 * 民政统计 through the API (DOMAIN §14, §17): a small ledger posted directly, each indicator against figures
 * worked out by hand from the rule text; freezing a closed month, a 补发 posted afterwards leaving the frozen
 * snapshot as it was, verify naming the difference, a re-freeze stored as a correction; town scoping.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { ageOn } from '../../src/domain/identity/resident-id.ts';
import { DAQIAO, type Fixtures, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { type EnrolmentSpec, insertEnrolment, ledgerLine } from '../helpers/statistics-ledger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

type LedgerRow = Omit<import('kysely').Insertable<Database['payment_ledger']>, 'id'>;

interface Ind {
  persons: number;
  households: number;
  personMonthsYtd: number;
  ageGroups: { minors: number; adults: number; elderly: number } | null;
  spendingMonth: { dibaoBaseFen: number; dibaoAddonFen: number; priceSubsidyFen: number; totalFen: number };
  spendingYtd: { dibaoBaseFen: number; dibaoAddonFen: number; priceSubsidyFen: number; totalFen: number };
  fundMonth: Record<string, number>;
  fundYtd: Record<string, number>;
  grantsMonth: number;
  grantsYtd: number;
  levelMonthFen: number | null;
  levelYtdFen: number | null;
  topUpLevelMonthFen: number | null;
  topUpLevelYtdFen: number | null;
  averagePerGrantFen: number | null;
  added: { month: { households: number; persons: number }; ytd: { households: number; persons: number } };
  removed: {
    month: { households: number; persons: number };
    ytd: { households: number; persons: number };
    reasonsYtd: { reason: string; households: number; persons: number }[];
  };
  wan: { spendingMonth: string; spendingYtd: string };
}
interface View {
  source: { kind: string; version?: number; snapshotId?: number };
  townCode: string | null;
  programs: {
    program: string;
    total: Ind;
    bySupportMode: { supportMode: string; indicators: Ind }[];
    byTown: {
      townCode: string;
      indicators: Ind;
      byVillage: { villageCode: string | null; indicators: Ind }[];
    }[];
  }[];
  fundSources: { month: Record<string, number>; ytd: Record<string, number> };
  priceSubsidies: { program: string; monthFen: number; ytdFen: number }[];
}

describe.each(ENGINES)('statistics on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let approver: Client;
  let rcClerk: Client;
  let enrolA: number; // 城市低保, 李建国户 (3 persons), 乳城镇, from 2015-01
  let enrolB: number; // 农村五保 分散, 盘桂兰, 大桥镇, from 2015-02
  let enrolD: number; // 农村低保, 盘桂兰户 (1 person), 2014-06 to 2015-01, 收入超过标准
  let pan: number;

  const post = async (rows: LedgerRow[]) => {
    await tdb.db.insertInto('payment_ledger').values(rows).execute();
  };
  const line = ledgerLine;
  const monthly = async (c: Client, q: string) => {
    const res = await c.get(`/api/v1/statistics/monthly?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as View;
  };
  const prog = (v: View, p: string) => {
    const found = v.programs.find((x) => x.program === p);
    if (!found) throw new Error(`no ${p}`);
    return found;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    approver = await login(app, USERS.approver.username);
    rcClerk = await login(app, USERS.ruchengClerk.username);
    const m = await tdb.db
      .selectFrom('household_member')
      .select('person_id')
      .where('household_id', '=', fx.daqiaoHousehold)
      .executeTakeFirstOrThrow();
    pan = Number(m.person_id);
    const enrol = async (v: EnrolmentSpec) => (await insertEnrolment(tdb.db, v)).enrolment as number;
    enrolA = await enrol({
      town: RUCHENG,
      program: 'urban_dibao',
      household: fx.ruchengHousehold,
      person: null,
      start: '2015-01',
      end: null,
      mode: null,
      reason: null,
    });
    enrolB = await enrol({
      town: DAQIAO,
      program: 'rural_tekun',
      household: fx.daqiaoHousehold,
      person: pan,
      start: '2015-02',
      end: null,
      mode: 'dispersed',
      reason: null,
    });
    enrolD = await enrol({
      town: DAQIAO,
      program: 'rural_dibao',
      household: fx.daqiaoHousehold,
      person: null,
      start: '2014-06',
      end: '2015-01',
      mode: null,
      reason: '收入超过标准',
    });
    const A = {
      program: 'urban_dibao',
      town: RUCHENG,
      household: fx.ruchengHousehold,
      person: null,
      enrolment: enrolA,
    };
    const B = {
      program: 'rural_tekun',
      town: DAQIAO,
      household: fx.daqiaoHousehold,
      person: pan,
      enrolment: enrolB,
    };
    const D = {
      program: 'rural_dibao',
      town: DAQIAO,
      household: fx.daqiaoHousehold,
      person: null,
      enrolment: enrolD,
    };
    const MED = {
      program: 'medical_aid',
      town: DAQIAO,
      household: fx.daqiaoHousehold,
      person: pan,
      enrolment: null,
    };
    const TMP = {
      program: 'temporary_aid',
      town: RUCHENG,
      household: fx.ruchengHousehold,
      person: null,
      enrolment: null,
    };
    await post([
      // January: 城市低保 A with 分类施保 and a price subsidy (3 persons × 10 元); 农村低保 D's last month.
      line(A, '2015-01', 'dibao_base', 'provincial', 90_000),
      line(A, '2015-01', 'dibao_addon', 'county', 6_000),
      line(A, '2015-01', 'price_subsidy', 'central', 3_000),
      line(D, '2015-01', 'dibao_base', 'provincial', 20_000),
      // February and March: A; 五保 B (分散) from February.
      line(A, '2015-02', 'dibao_base', 'provincial', 90_000),
      line(A, '2015-02', 'dibao_addon', 'county', 6_000),
      line(B, '2015-02', 'tekun_basic', 'provincial', 41_600),
      line(B, '2015-02', 'tekun_care', 'county', 7_600),
      line(A, '2015-03', 'dibao_base', 'provincial', 90_000),
      line(A, '2015-03', 'dibao_addon', 'county', 6_000),
      line(B, '2015-03', 'tekun_basic', 'provincial', 41_600),
      line(B, '2015-03', 'tekun_care', 'county', 7_600),
      // March: one 医疗救助 grant and one 临时救助 grant.
      line(MED, '2015-03', 'medical_aid', 'county', 50_000, 'one_off'),
      line(TMP, '2015-03', 'temporary_aid', 'county', 80_000, 'one_off'),
      // A bank return of January's D payment and its reissue net to the same payment.
      line(D, '2015-01', 'dibao_base', 'provincial', -20_000, 'bank_failure', '2015-02'),
      line(D, '2015-01', 'dibao_base', 'provincial', 20_000, 'reissue', '2015-02'),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('computes each indicator of the month from the ledger (DOMAIN §14, §17)', async () => {
    const v = await monthly(admin, 'month=2015-03');
    expect(v.source.kind).toBe('ledger');

    const urban = prog(v, 'urban_dibao').total;
    // Month-end stock: 1 household of 3 persons; 人次 since January 3 × 3 = 9.
    expect([urban.persons, urban.households, urban.personMonthsYtd]).toEqual([3, 1, 9]);
    expect(urban.spendingMonth).toMatchObject({
      dibaoBaseFen: 90_000,
      dibaoAddonFen: 6_000,
      priceSubsidyFen: 0,
    });
    expect(urban.spendingYtd).toMatchObject({
      dibaoBaseFen: 270_000,
      dibaoAddonFen: 18_000,
      priceSubsidyFen: 3_000,
      totalFen: 291_000,
    });
    // 当月人均补助水平 = 96,000 ÷ 3 = 32,000 fen; 累计月人均 = 291,000 ÷ 9 人次 = 32,333.33 → 32,333 (half-up).
    expect(urban.levelMonthFen).toBe(32_000);
    expect(urban.levelYtdFen).toBe(32_333);
    // Guangdong 补差水平 (低保金 + 分类施保, no price subsidy): 96,000 ÷ 3; cumulative 288,000 ÷ 9.
    expect(urban.topUpLevelMonthFen).toBe(32_000);
    expect(urban.topUpLevelYtdFen).toBe(32_000);
    expect(urban.added.ytd).toEqual({ households: 1, persons: 3 });
    expect(urban.added.month).toEqual({ households: 0, persons: 0 });
    expect(urban.fundYtd).toMatchObject({ provincial: 270_000, county: 18_000, central: 3_000 });
    // 291,000 fen = 2,910 元 = 0.29 万元 at the edge.
    expect(urban.wan.spendingYtd).toBe('0.29');
    expect(prog(v, 'urban_dibao').byTown[0]?.byVillage[0]?.villageCode).toBe('440232100101');

    // 农村低保: none at the end of March; January's payment stands (the bank return was reissued); 取消 in
    // February (the month after the last covered month) with its reason.
    const rural = prog(v, 'rural_dibao').total;
    expect([rural.persons, rural.households, rural.personMonthsYtd]).toEqual([0, 0, 1]);
    expect(rural.spendingYtd.dibaoBaseFen).toBe(20_000);
    expect(rural.levelMonthFen).toBeNull();
    expect(rural.removed.ytd).toEqual({ households: 1, persons: 1 });
    expect(rural.removed.month).toEqual({ households: 0, persons: 0 });
    expect(rural.removed.reasonsYtd).toEqual([{ reason: '收入超过标准', households: 1, persons: 1 }]);
    const feb = prog(await monthly(admin, 'month=2015-02&program=rural_dibao'), 'rural_dibao').total;
    expect(feb.removed.month).toEqual({ households: 1, persons: 1 });

    // 五保 分散: 49,200 a month; 2 人次.
    const tekun = prog(v, 'rural_tekun');
    expect([tekun.total.persons, tekun.total.personMonthsYtd, tekun.total.levelMonthFen]).toEqual([
      1, 2, 49_200,
    ]);
    expect(tekun.total.levelYtdFen).toBe(49_200);
    expect(tekun.bySupportMode.map((m) => [m.supportMode, m.indicators.persons])).toEqual([['dispersed', 1]]);
    expect(tekun.total.added.ytd).toEqual({ households: 1, persons: 1 });

    // 医疗救助 and 临时救助: 人次 per grant, 平均救助水平 = 累计支出 ÷ 累计人次.
    const med = prog(v, 'medical_aid').total;
    expect([med.grantsMonth, med.grantsYtd, med.spendingYtd.totalFen, med.averagePerGrantFen]).toEqual([
      1, 1, 50_000, 50_000,
    ]);
    const tmp = prog(v, 'temporary_aid').total;
    expect([tmp.grantsYtd, tmp.averagePerGrantFen, tmp.levelMonthFen]).toEqual([1, 80_000, null]);

    // 资金来源 across programs, and the price subsidy by group.
    expect(v.fundSources.ytd).toEqual({
      provincial: 270_000 + 20_000 + 83_200,
      county: 18_000 + 15_200 + 50_000 + 80_000,
      central: 3_000,
    });
    expect(v.priceSubsidies).toEqual([
      { program: 'urban_dibao', label: '城市低保', monthFen: 0, ytdFen: 3_000 },
    ]);
  });

  it('breaks the month-end persons down by age group, as the ages on the month’s last day say (DOMAIN §14)', async () => {
    const v = await monthly(admin, 'month=2015-03');
    // Independently: the members of the paid 城市低保 household and the 五保 person, aged on 31 March in code.
    const ages = async (householdId: number, personId: number | null) => {
      const rows = await tdb.db
        .selectFrom('household_member as m')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .select(['p.id', 'p.birth_date'])
        .where('m.household_id', '=', householdId)
        .where('m.valid_from', '<=', '2015-03-31')
        .where((eb) => eb.or([eb('m.valid_to', 'is', null), eb('m.valid_to', '>', '2015-03-31')]))
        .execute();
      const groups = { minors: 0, adults: 0, elderly: 0 };
      for (const r of rows.filter((x) => personId === null || x.id === personId)) {
        const age = ageOn(r.birth_date, '2015-03-31');
        groups[age < 18 ? 'minors' : age >= 60 ? 'elderly' : 'adults'] += 1;
      }
      return groups;
    };
    const urban = prog(v, 'urban_dibao').total;
    expect(urban.ageGroups).toEqual(await ages(fx.ruchengHousehold, null));
    expect(prog(v, 'rural_tekun').total.ageGroups).toEqual(await ages(fx.daqiaoHousehold, pan));
    for (const p of v.programs.filter((x) => x.program.endsWith('dibao') || x.program.endsWith('tekun'))) {
      const g = p.total.ageGroups;
      expect(g === null ? null : g.minors + g.adults + g.elderly).toBe(p.total.persons);
    }
  });

  it('documents its routes in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    const paths = Object.keys((res.json() as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/statistics/monthly',
        '/api/v1/statistics/snapshots',
        '/api/v1/statistics/snapshots/{id}/verify',
      ]),
    );
  });

  it('gives a town user their own town only', async () => {
    const v = await monthly(rcClerk, 'month=2015-03');
    expect(v.townCode).toBe(RUCHENG);
    expect(v.programs.map((p) => p.program)).toEqual(['urban_dibao', 'temporary_aid']);
    const other = await rcClerk.get(`/api/v1/statistics/monthly?month=2015-03&townCode=${DAQIAO}`);
    expect(other.statusCode).toBe(403);
    const county = await monthly(admin, `month=2015-03&townCode=${DAQIAO}`);
    expect(county.programs.map((p) => p.program)).toEqual(['rural_dibao', 'rural_tekun', 'medical_aid']);
  });

  it('freezes a closed month, keeps it through a later 补发, verifies and stores a correction', async () => {
    expect(
      (await rcClerk.send('POST', '/api/v1/statistics/snapshots', { month: '2015-03' })).statusCode,
    ).toBe(403);
    expect(
      (await approver.send('POST', '/api/v1/statistics/snapshots', { month: '2015-03' })).statusCode,
    ).toBe(403);
    const open = await admin.send('POST', '/api/v1/statistics/snapshots', { month: '2999-01' });
    expect(open.statusCode).toBe(422);

    const res = await admin.send('POST', '/api/v1/statistics/snapshots', { month: '2015-03' });
    expect(res.statusCode, res.body).toBe(201);
    const v1 = res.json() as { id: number; version: number; isCorrection: boolean; frozenBy: string };
    expect([v1.version, v1.isCorrection, v1.frozenBy]).toEqual([1, false, 'admin']);
    const ok = (await admin.get(`/api/v1/statistics/snapshots/${v1.id}/verify`)).json() as {
      agrees: boolean;
    };
    expect(ok.agrees).toBe(true);

    // A 补发 for March, paid in April: the frozen March stays, the live figures and verify see it.
    await post([
      line(
        {
          program: 'urban_dibao',
          town: RUCHENG,
          household: fx.ruchengHousehold,
          person: null,
          enrolment: enrolA,
        },
        '2015-03',
        'dibao_base',
        'provincial',
        3_000,
        'arrears',
        '2015-04',
      ),
    ]);
    const frozen = await monthly(admin, 'month=2015-03');
    expect(frozen.source).toMatchObject({ kind: 'snapshot', version: 1, snapshotId: v1.id });
    expect(prog(frozen, 'urban_dibao').total.spendingMonth.dibaoBaseFen).toBe(90_000);
    const live = await monthly(admin, 'month=2015-03&live=true');
    expect(prog(live, 'urban_dibao').total.spendingMonth.dibaoBaseFen).toBe(93_000);
    expect(prog(live, 'urban_dibao').total.levelMonthFen).toBe(33_000);

    const check = (await admin.get(`/api/v1/statistics/snapshots/${v1.id}/verify`)).json() as {
      agrees: boolean;
      differences: { path: string; frozen: number; current: number }[];
    };
    expect(check.agrees).toBe(false);
    expect(check.differences).toContainEqual(
      expect.objectContaining({
        path: `cell:urban_dibao|${RUCHENG}|440232100101|.componentsMonth.dibao_base`,
        frozen: 90_000,
        current: 93_000,
      }),
    );
    // The 大桥 clerk's view of the same check shows nothing of 乳城.
    const dq = await login(app, USERS.daqiaoClerk.username);
    const dqCheck = (await dq.get(`/api/v1/statistics/snapshots/${v1.id}/verify`)).json() as {
      differences: unknown[];
    };
    expect(dqCheck.differences).toEqual([]);

    const again = await admin.send('POST', '/api/v1/statistics/snapshots', {
      month: '2015-03',
      note: '补发更正',
    });
    expect(again.statusCode, again.body).toBe(201);
    const v2 = again.json() as { id: number; version: number; correctsId: number; isCorrection: boolean };
    expect([v2.version, v2.correctsId, v2.isCorrection]).toEqual([2, v1.id, true]);
    expect((await admin.send('POST', '/api/v1/statistics/snapshots', { month: '2015-03' })).statusCode).toBe(
      409,
    );

    const list = (await approver.get('/api/v1/statistics/snapshots?month=2015-03')).json() as {
      items: { id: number; version: number }[];
    };
    expect(list.items.map((s) => s.version)).toEqual([2, 1]);
    const now = await monthly(admin, 'month=2015-03');
    expect(now.source).toMatchObject({ kind: 'snapshot', version: 2 });
    expect(prog(now, 'urban_dibao').total.spendingMonth.dibaoBaseFen).toBe(93_000);
    // Version 1 is kept as it was (and still differs from the ledger).
    expect(
      ((await admin.get(`/api/v1/statistics/snapshots/${v1.id}/verify`)).json() as { agrees: boolean })
        .agrees,
    ).toBe(false);
    // The table refuses changes on both engines.
    await expect(
      sql`update statistics_snapshot set figures_json = '{}' where id = ${v1.id}`.execute(tdb.db),
    ).rejects.toThrow(/immutable/);
    await expect(sql`delete from statistics_snapshot where id = ${v1.id}`.execute(tdb.db)).rejects.toThrow(
      /immutable/,
    );
  });
});
