import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../../test/helpers/test-db.ts';
import { systemActor } from '../../domain/access/actor.ts';
import { countAreas, findArea, listAreaChildren, listCountyVillages, listTowns } from './areas.repository.ts';
import { ensureCountyAreas } from './areas.service.ts';

const RUYUAN = '440232';

// DOMAIN §12: the 9 towns of 乳源瑶族自治县 plus its two forest farms.
const RUYUAN_TOWNS = [
  ['440232100', '乳城镇'],
  ['440232103', '一六镇'],
  ['440232104', '桂头镇'],
  ['440232106', '洛阳镇'],
  ['440232108', '大布镇'],
  ['440232109', '大桥镇'],
  ['440232111', '东坪镇'],
  ['440232112', '游溪镇'],
  ['440232113', '必背镇'],
  ['440232450', '天井山林场'],
  ['440232451', '乳阳林场'],
];

describe.each(ENGINES)('ensureCountyAreas (%s)', (engine) => {
  let t: TestDatabase;
  const actor = systemActor(RUYUAN, 'test');

  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('loads 乳源 with its 9 towns, 2 forest farms and 118 villages', async () => {
    const result = await t.db.transaction().execute((trx) => ensureCountyAreas(trx, actor, RUYUAN));
    expect(result).toEqual({ loaded: true, towns: 11, villages: 118 });

    const towns = await listTowns(t.db, RUYUAN);
    expect(towns.map((a) => [a.code, a.name])).toEqual(RUYUAN_TOWNS);
    expect(towns.every((a) => a.parent_code === RUYUAN && a.level === 'town')).toBe(true);
  });

  it('links every level to its parent', async () => {
    expect(await findArea(t.db, '44')).toMatchObject({
      name: '广东省',
      level: 'province',
      parent_code: null,
    });
    expect(await findArea(t.db, '4402')).toMatchObject({ name: '韶关市', level: 'city', parent_code: '44' });
    expect(await findArea(t.db, RUYUAN)).toMatchObject({
      name: '乳源瑶族自治县',
      level: 'county',
      parent_code: '4402',
    });

    const villages = await listCountyVillages(t.db, RUYUAN);
    expect(villages).toHaveLength(118);
    for (const v of villages) {
      expect(v.level).toBe('village');
      expect(v.code).toHaveLength(12);
      expect(v.parent_code).toBe(v.code.slice(0, 9));
    }
    const rucheng = await listAreaChildren(t.db, '440232100');
    expect(rucheng.slice(0, 5).map((v) => v.name)).toEqual([
      '鹰峰居委会',
      '源峰居委会',
      '云峰居委会',
      '松峰居委会',
      '康乐居委会',
    ]);
    expect(rucheng.map((v) => v.sort_order)).toEqual(rucheng.map((_, i) => i + 1));
  });

  it('records the county setting and one audit entry', async () => {
    const setting = await t.db
      .selectFrom('setting')
      .selectAll()
      .where('key', '=', 'county_code')
      .executeTakeFirst();
    expect(setting?.value).toBe(RUYUAN);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'areas.load').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entity_type: 'area',
      entity_id: RUYUAN,
      county_code: RUYUAN,
      detail: '载入 440232 区划：11 个乡镇级单位，118 个村（居）',
    });
  });

  it('does nothing the second time', async () => {
    const again = await t.db.transaction().execute((trx) => ensureCountyAreas(trx, actor, RUYUAN));
    expect(again).toEqual({ loaded: false, towns: 11, villages: 118 });
    expect(await countAreas(t.db, RUYUAN)).toEqual({ towns: 11, villages: 118 });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'areas.load')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
