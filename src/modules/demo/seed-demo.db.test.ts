import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../../test/helpers/test-db.ts';
import type { Database } from '../../db/schema.ts';
import { verifyPassword } from '../users/passwords.ts';
import { findUserByUsername } from '../users/users.repository.ts';
import type { DemoSeedResult } from './seed-demo.ts';
import { seedDemo } from './seed-demo.ts';

const COUNTY = '440232';
const NOW = new Date('2015-10-08T01:00:00.000Z');

/** Persons on active cases: current members of household cases plus the named person of person cases. */
async function personsPerProgram(db: Kysely<Database>): Promise<Record<string, number>> {
  const household = await db
    .selectFrom('enrolment as e')
    .innerJoin('household_member as m', 'm.household_id', 'e.household_id')
    .select((eb) => ['e.program_code', eb.fn.countAll<number>().as('n')])
    .where('e.status', '=', 'active')
    .where('e.person_id', 'is', null)
    .where('m.valid_to', 'is', null)
    .groupBy('e.program_code')
    .execute();
  const person = await db
    .selectFrom('enrolment')
    .select((eb) => ['program_code', eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'active')
    .where('person_id', 'is not', null)
    .groupBy('program_code')
    .execute();
  const out: Record<string, number> = {};
  for (const r of [...household, ...person]) out[r.program_code] = (out[r.program_code] ?? 0) + Number(r.n);
  return out;
}

async function count(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(ENGINES)('seedDemo (%s)', (engine) => {
  let t: TestDatabase;
  let result: DemoSeedResult;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const started = performance.now();
    result = await seedDemo(t, { seed: 2015, countyCode: COUNTY, now: NOW, history: false });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `[${engine}] demo seed: ${result.summary.households} households, ${result.summary.persons} persons in ${seconds} s`,
    );
  }, 180_000);

  afterAll(async () => {
    await t?.destroy();
  });

  it('reproduces the seed report counts (DOMAIN §17)', async () => {
    expect(await personsPerProgram(t.db)).toEqual({ urban_dibao: 427, rural_dibao: 5754, rural_tekun: 448 });
    expect(await count(t.db, 'household')).toBe(result.summary.households);
    expect(await count(t.db, 'person')).toBe(result.summary.persons);
    expect(await count(t.db, 'staff')).toBe(result.summary.staff);
    expect(await count(t.db, 'staff_relative')).toBe(result.summary.staffRelatives);
  });

  it('puts every living person in exactly one household, with the head as 户主', async () => {
    const doubled = await t.db
      .selectFrom('household_member')
      .select('person_id')
      .where('valid_to', 'is', null)
      .groupBy('person_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(doubled).toEqual([]);
    const living = await t.db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('death_date', 'is', null)
      .executeTakeFirstOrThrow();
    const members = await t.db
      .selectFrom('household_member')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('valid_to', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(members.n)).toBe(Number(living.n));

    const badHeads = await t.db
      .selectFrom('household as h')
      .leftJoin('household_member as m', (j) =>
        j
          .onRef('m.household_id', '=', 'h.id')
          .onRef('m.person_id', '=', 'h.head_person_id')
          .on('m.valid_to', 'is', null),
      )
      .select('h.id')
      .where((eb) => eb.or([eb('m.id', 'is', null), eb('m.relation', '!=', '户主')]))
      .execute();
    expect(badHeads).toEqual([]);
    const openAreas = await t.db
      .selectFrom('household_area_history')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('valid_to', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(openAreas.n)).toBe(result.summary.households);
  });

  it('flags some dibao households through the close-relative register (DOMAIN §10)', async () => {
    const flagged = await t.db
      .selectFrom('staff_relative as sr')
      .innerJoin('person as p', 'p.id_number', 'sr.id_number')
      .innerJoin('household_member as m', 'm.person_id', 'p.id')
      .innerJoin('enrolment as e', 'e.household_id', 'm.household_id')
      .select('p.id')
      .distinct()
      .where('m.valid_to', 'is', null)
      .where('e.program_code', 'in', ['urban_dibao', 'rural_dibao'])
      .execute();
    expect(flagged.length).toBeGreaterThanOrEqual(5);
  });

  it('creates one demo user per role, with the printed passwords', async () => {
    expect(result.users.map((u) => [u.username, u.role, u.areaCode])).toEqual([
      ['xian_admin', 'county_admin', COUNTY],
      ['xian_shenpi', 'county_approver', COUNTY],
      ['hecha', 'auditor', COUNTY],
      ['bumen', 'partner_department', COUNTY],
      ['rucheng_jingban', 'town_clerk', '440232100'],
      ['rucheng_shenhe', 'town_reviewer', '440232100'],
      ['rucheng_xieli', 'village_assistant', '440232100'],
      ['daqiao_jingban', 'town_clerk', '440232109'],
    ]);
    for (const u of result.users) {
      const row = await findUserByUsername(t.db, u.username);
      expect(row).toMatchObject({
        role: u.role,
        area_code: u.areaCode,
        county_code: COUNTY,
        display_name: u.displayName,
      });
      expect(u.password).toMatch(/^Jz\d{6}[a-z]$/);
    }
    const admin = await findUserByUsername(t.db, 'xian_admin');
    expect(await verifyPassword(admin?.password_hash ?? '', result.users[0]?.password ?? '')).toBe(true);
  });

  it('audits one entry per table, not one per row', async () => {
    const entries = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'detail'])
      .where('action', '=', 'demo.seed')
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.entity_type)).toEqual([
      'person',
      'household',
      'household_member',
      'household_area_history',
      'enrolment',
      'staff',
      'staff_relative',
    ]);
    expect(entries[1]?.detail).toBe(`演示数据：生成 ${result.summary.households.toLocaleString('en-US')} 户`);
    // The 核对平台 set-up and the planted application audit themselves (demo-departments.db.test.ts).
    const own = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', 'not like', 'dept.%')
      .where('action', 'not like', 'intake%')
      .where('action', 'not like', 'case.%')
      .executeTakeFirstOrThrow();
    expect(Number(own.n)).toBeLessThan(30);
  });

  it('refuses a second seed and changes nothing', async () => {
    const before = { households: await count(t.db, 'household'), audit: await count(t.db, 'audit_log') };
    await expect(seedDemo(t, { seed: 7, countyCode: COUNTY, now: NOW })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '数据库中已有家庭数据，演示数据只能在空库中生成',
    });
    expect({ households: await count(t.db, 'household'), audit: await count(t.db, 'audit_log') }).toEqual(
      before,
    );
  });
});
