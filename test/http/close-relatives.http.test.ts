/** The close-relative register (DOMAIN §10): a registered relative flags their household everywhere. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

describe.each(ENGINES)('close-relative register on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let clerk: Client;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    clerk = await login(app, USERS.ruchengClerk.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('flags no household before anything is registered', async () => {
    const list = (await clerk.get('/api/v1/households')).json();
    expect(list.items.every((h: { closeRelativeFlag: boolean }) => !h.closeRelativeFlag)).toBe(true);
  });

  it('flags a household in lists and on its record once a member is registered as an official’s relative', async () => {
    const res = await admin.send('POST', '/api/v1/staff', {
      idNumber: id('1985-08-08', 601),
      name: '何志明',
      kind: 'official',
      townCode: RUCHENG,
      organisation: '乳城镇人民政府',
      position: '社会救助专职工作人员',
      termStart: '2014-01-01',
      relatives: [{ idNumber: fx.ruchengHeadId, name: '李建国', relation: '父母' }],
    });
    expect(res.statusCode).toBe(201);

    const list = (await clerk.get('/api/v1/households')).json();
    const flagged = list.items.find((h: { id: number }) => h.id === fx.ruchengHousehold);
    expect(flagged.closeRelativeFlag).toBe(true);
    const onlyFlagged = (await clerk.get('/api/v1/households?closeRelative=true')).json();
    expect(onlyFlagged.items.map((h: { id: number }) => h.id)).toEqual([fx.ruchengHousehold]);

    const record = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    expect(record.closeRelativeFlag).toBe(true);
    expect(record.closeRelatives).toEqual([
      expect.objectContaining({
        personName: '李建国',
        relation: '父母',
        staffName: '何志明',
        organisation: '乳城镇人民政府',
      }),
    ]);
  });

  it('rejects a relative with an invalid ID number and a relation outside the list', async () => {
    const bad = await admin.send('POST', '/api/v1/staff', {
      idNumber: id('1970-01-01', 611),
      name: '某干部',
      kind: 'village_cadre',
      townCode: RUCHENG,
      organisation: '鹰峰居委会',
      termStart: '2015-01-01',
      relatives: [{ idNumber: '440232197001010000', name: '某亲属', relation: '表亲' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('relatives[0].relation');
    const count = await tdb.db.selectFrom('staff').select('id').execute();
    expect(count).toHaveLength(1);
  });

  it('lets only the county admin keep the register', async () => {
    const res = await clerk.send('POST', '/api/v1/staff', {
      idNumber: id('1980-02-02', 621),
      name: '某人',
      kind: 'official',
      organisation: '县民政局',
      termStart: '2015-01-01',
    });
    expect(res.statusCode).toBe(403);
  });
});
