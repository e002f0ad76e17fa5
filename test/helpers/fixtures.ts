/**
 * A small county for database and HTTP tests: two towns of 乳源 with a few villages, one user per
 * role, and households in both towns. (The full demo county is tested in modules/demo.)
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { type Actor, systemActor } from '../../src/domain/access/actor.ts';
import { buildResidentId } from '../../src/domain/identity/resident-id.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { createUser } from '../../src/modules/users/users.service.ts';

export const COUNTY = '440232';
export const RUCHENG = '440232100';
export const DAQIAO = '440232109';
export const PASSWORD = 'Test1234pw';

const AREAS = [
  { code: '44', name: '广东省', level: 'province', parent_code: null },
  { code: '4402', name: '韶关市', level: 'city', parent_code: '44' },
  { code: COUNTY, name: '乳源瑶族自治县', level: 'county', parent_code: '4402' },
  { code: RUCHENG, name: '乳城镇', level: 'town', parent_code: COUNTY },
  { code: DAQIAO, name: '大桥镇', level: 'town', parent_code: COUNTY },
  { code: '440232100101', name: '鹰峰居委会', level: 'village', parent_code: RUCHENG },
  { code: '440232100201', name: '河北村委会', level: 'village', parent_code: RUCHENG },
  { code: '440232109201', name: '大桥村委会', level: 'village', parent_code: DAQIAO },
  { code: '440232109202', name: '红星村委会', level: 'village', parent_code: DAQIAO },
] as const;

export const USERS = {
  admin: { username: 'admin', role: 'county_admin', areaCode: COUNTY },
  approver: { username: 'approver', role: 'county_approver', areaCode: COUNTY },
  auditor: { username: 'auditor', role: 'auditor', areaCode: COUNTY },
  partner: { username: 'partner', role: 'partner_department', areaCode: COUNTY },
  ruchengClerk: { username: 'rc_clerk', role: 'town_clerk', areaCode: RUCHENG },
  ruchengReviewer: { username: 'rc_review', role: 'town_reviewer', areaCode: RUCHENG },
  ruchengAssistant: { username: 'rc_assist', role: 'village_assistant', areaCode: RUCHENG },
  daqiaoClerk: { username: 'dq_clerk', role: 'town_clerk', areaCode: DAQIAO },
} as const;

export const id = (birthDate: string, sequence: number) =>
  buildResidentId({ addressCode: COUNTY, birthDate, sequence });

export interface Fixtures {
  system: Actor;
  ruchengHousehold: number;
  daqiaoHousehold: number;
  ruchengHeadId: string;
}

export async function seedFixtures(
  db: Kysely<Database>,
  now = new Date('2026-11-28T02:00:00Z'),
): Promise<Fixtures> {
  const system = systemActor(COUNTY, 'test');
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('area')
      .values(AREAS.map((a, i) => ({ ...a, urban_rural: null, sort_order: i })))
      .execute();
    for (const [name, u] of Object.entries(USERS)) {
      await createUser(trx, system, { ...u, displayName: `测试${name}`, password: PASSWORD }, now);
    }
    const ruchengHeadId = id('1956-03-12', 11);
    const rc = await createHousehold(
      trx,
      system,
      {
        townCode: RUCHENG,
        villageCode: '440232100101',
        address: '乳城镇鹰峰居委会建设路12号',
        hukouType: 'urban',
        bankName: '广东乳源农村商业银行',
        bankAccount: '6230123456789012345',
        bankAccountHolder: '李建国',
        effectiveDate: '2010-01-01',
        members: [
          { idNumber: ruchengHeadId, name: '李建国', relation: '户主' },
          {
            idNumber: id('1958-07-01', 22),
            name: '陈秀英',
            relation: '配偶',
            disabilityCategory: '肢体',
            disabilityGrade: 2,
          },
          { idNumber: id('2004-10-05', 31), name: '李明', relation: '子女', schoolStatus: 'senior' },
        ],
      },
      now,
    );
    const dq = await createHousehold(
      trx,
      system,
      {
        townCode: DAQIAO,
        villageCode: '440232109201',
        address: '大桥镇大桥村委会上村8号',
        hukouType: 'rural',
        bankName: '中国邮政储蓄银行',
        bankAccount: '6210987654321098765',
        bankAccountHolder: '盘桂兰',
        effectiveDate: '2010-01-01',
        members: [{ idNumber: id('1940-02-02', 42), name: '盘桂兰', relation: '户主', ethnicity: '瑶族' }],
      },
      now,
    );
    return { system, ruchengHousehold: rc.id, daqiaoHousehold: dq.id, ruchengHeadId };
  });
}
