/**
 * The registry API as a user meets it: area scoping, masking and audited reveals, validation with
 * Chinese messages that change nothing, optimistic locking, and membership history.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

describe.each(ENGINES)('registry API on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let clerk: Client; // 乳城镇 town clerk
  let admin: Client;

  const auditCount = async (action: string, entityId?: number) => {
    let q = tdb.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', action);
    if (entityId !== undefined) q = q.where('entity_id', '=', String(entityId));
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const householdRow = (hid: number) =>
    tdb.db.selectFrom('household').selectAll().where('id', '=', hid).executeTakeFirstOrThrow();
  const countRows = async (table: 'household' | 'person') =>
    Number(
      (
        await tdb.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
    clerk = await login(app, USERS.ruchengClerk.username);
    admin = await login(app, USERS.admin.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('answers the health check', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: engine, county: '440232' });
  });

  it('refuses the API without a session, in Chinese', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/households' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(res.json().error.message).toContain('登录');
  });

  it('shows a town clerk only the households of their own town', async () => {
    const res = await clerk.get('/api/v1/households');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(1);
    expect(body.items.map((h: { townCode: string }) => h.townCode)).toEqual([RUCHENG]);
    const all = await admin.get('/api/v1/households');
    expect(all.json().total).toBe(2);
    // Even filtering explicitly by another town gives nothing.
    const other = await clerk.get(`/api/v1/households?townCode=${DAQIAO}`);
    expect(other.json().total).toBe(0);
  });

  it('masks ID numbers and bank accounts in lists', async () => {
    const item = (await clerk.get('/api/v1/households')).json().items[0];
    expect(item.headIdNumber).toBe(`${fx.ruchengHeadId.slice(0, 6)}********${fx.ruchengHeadId.slice(-4)}`);
    expect(item.bankAccount).toBe('***************2345');
    const persons = (await clerk.get('/api/v1/persons')).json();
    expect(persons.items.every((p: { idNumber: string }) => p.idNumber.includes('********'))).toBe(true);
  });

  it('finds a household by full ID number and by its last digits', async () => {
    const full = await clerk.get(`/api/v1/households?idNumber=${fx.ruchengHeadId}`);
    expect(full.json().items.map((h: { id: number }) => h.id)).toEqual([fx.ruchengHousehold]);
    const tail = await clerk.get(`/api/v1/households?idNumber=${fx.ruchengHeadId.slice(-6)}`);
    expect(tail.json().items.map((h: { id: number }) => h.id)).toEqual([fx.ruchengHousehold]);
    const byName = await clerk.get(`/api/v1/households?name=${encodeURIComponent('秀英')}`);
    expect(byName.json().total).toBe(1);
  });

  it('refuses, and audits, a town clerk reading another town’s household by id', async () => {
    const before = await auditCount('access.denied', fx.daqiaoHousehold);
    const res = await clerk.get(`/api/v1/households/${fx.daqiaoHousehold}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN_AREA');
    expect(res.json().error.message).toContain('管辖区域');
    expect(await auditCount('access.denied', fx.daqiaoHousehold)).toBe(before + 1);
  });

  it('refuses a town clerk updating another town’s household, and changes nothing', async () => {
    const before = await householdRow(fx.daqiaoHousehold);
    const res = await clerk.send('PATCH', `/api/v1/households/${fx.daqiaoHousehold}`, {
      version: before.version,
      address: '篡改的地址',
    });
    expect(res.statusCode).toBe(403);
    expect(await householdRow(fx.daqiaoHousehold)).toEqual(before);
  });

  it('refuses a person of another town by id, and their update', async () => {
    const dqPerson = await tdb.db
      .selectFrom('person')
      .selectAll()
      .where('town_code', '=', DAQIAO)
      .executeTakeFirstOrThrow();
    expect((await clerk.get(`/api/v1/persons/${dqPerson.id}`)).statusCode).toBe(403);
    const upd = await clerk.send('PATCH', `/api/v1/persons/${dqPerson.id}`, {
      version: dqPerson.version,
      name: '改名',
    });
    expect(upd.statusCode).toBe(403);
    const after = await tdb.db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', dqPerson.id)
      .executeTakeFirstOrThrow();
    expect(after.name).toBe(dqPerson.name);
  });

  it('shows the full record masked, and reveals the full ID only on request, auditing both reads', async () => {
    const reads = await auditCount('household.read', fx.ruchengHousehold);
    const masked = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    expect(masked.members).toHaveLength(3);
    expect(masked.members[0].idNumber).toContain('********');
    expect(await auditCount('household.read', fx.ruchengHousehold)).toBe(reads + 1);

    const reveals = await auditCount('household.reveal', fx.ruchengHousehold);
    const full = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}?reveal=true`)).json();
    expect(full.members.map((m: { idNumber: string }) => m.idNumber)).toContain(fx.ruchengHeadId);
    expect(full.bankAccount).toBe('6230123456789012345');
    expect(await auditCount('household.reveal', fx.ruchengHousehold)).toBe(reveals + 1);
  });

  it('does not let a village assistant reveal full ID numbers', async () => {
    const assistant = await login(app, USERS.ruchengAssistant.username);
    expect((await assistant.get(`/api/v1/households/${fx.ruchengHousehold}`)).statusCode).toBe(200);
    const res = await assistant.get(`/api/v1/households/${fx.ruchengHousehold}?reveal=true`);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('keeps partner departments out of the registry', async () => {
    const partner = await login(app, USERS.partner.username);
    expect((await partner.get('/api/v1/households')).statusCode).toBe(403);
  });

  it('rejects a member with a wrong check character, naming the field and 校验位, and saves nothing', async () => {
    const households = await countRows('household');
    const persons = await countRows('person');
    const good = id('1980-01-01', 101);
    const bad = `${good.slice(0, 17)}${good.endsWith('1') ? '2' : '1'}`;
    const res = await clerk.send('POST', '/api/v1/households', {
      townCode: RUCHENG,
      address: '乳城镇测试路1号',
      hukouType: 'urban',
      members: [
        { idNumber: good, name: '张三', relation: '户主' },
        { idNumber: bad, name: '李四', relation: '配偶' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION');
    expect(error.issues[0].field).toBe('members[1].idNumber');
    expect(error.issues[0].message).toContain('校验位');
    expect(await countRows('household')).toBe(households);
    expect(await countRows('person')).toBe(persons);
  });

  it('rejects malformed JSON with a clear message', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/households',
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken, 'content-type': 'application/json' },
      payload: '{"townCode": "440232100", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
    expect(res.json().error.message).toContain('JSON');
  });

  it('rejects an unknown town and a town outside the clerk’s area', async () => {
    const body = (townCode: string) => ({
      townCode,
      address: '某地',
      hukouType: 'rural',
      members: [{ idNumber: id('1970-05-05', 201), name: '王五', relation: '户主' }],
    });
    const unknown = await admin.send('POST', '/api/v1/households', body('440232999'));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe('townCode');
    expect(unknown.json().error.message).toContain('不是本县');
    const outside = await clerk.send('POST', '/api/v1/households', body(DAQIAO));
    expect(outside.statusCode).toBe(403);
    expect(await countRows('household')).toBe(2);
  });

  it('rejects schema violations with the field path in Chinese', async () => {
    const res = await clerk.send('POST', '/api/v1/households', {
      townCode: '123',
      address: '',
      hukouType: 'x',
      members: [],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['townCode', 'address', 'hukouType', 'members']));
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('requires the CSRF token on changes', async () => {
    const hh = await householdRow(fx.ruchengHousehold);
    const res = await clerk.send(
      'PATCH',
      `/api/v1/households/${fx.ruchengHousehold}`,
      { version: hh.version, address: 'x' },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF');
    expect((await householdRow(fx.ruchengHousehold)).address).toBe(hh.address);
  });

  it('creates a household, then refuses an update made on a stale version', async () => {
    const created = await clerk.send('POST', '/api/v1/households', {
      townCode: RUCHENG,
      villageCode: '440232100201',
      address: '乳城镇河北村委会下村3号',
      hukouType: 'rural',
      members: [
        { idNumber: id('1975-04-04', 301), name: '黄志强', relation: '户主' },
        { idNumber: id('2012-06-06', 302), name: '黄小红', relation: '子女' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const { id: hid, version } = created.json();
    const first = await clerk.send('PATCH', `/api/v1/households/${hid}`, {
      version,
      address: '乳城镇河北村委会下村5号',
    });
    expect(first.statusCode).toBe(200);
    const stale = await admin.send('PATCH', `/api/v1/households/${hid}`, { version, address: '另一个地址' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    expect(stale.json().error.message).toContain('已被其他人修改');
    expect((await householdRow(hid)).address).toBe('乳城镇河北村委会下村5号');
    // The change is in the audit log with before → after.
    const entry = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'household.update')
      .where('entity_id', '=', String(hid))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before_json ?? '{}')).toEqual({ address: '乳城镇河北村委会下村3号' });
    expect(JSON.parse(entry.after_json ?? '{}')).toEqual({ address: '乳城镇河北村委会下村5号' });
  });

  it('refuses registering an ID number that is already in a household', async () => {
    const res = await clerk.send('POST', `/api/v1/households/${fx.ruchengHousehold}/members`, {
      idNumber: fx.ruchengHeadId,
      name: '重复',
      relation: '其他',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('已登记');
  });

  it('moves a person between households and keeps who was where on a past date', async () => {
    const created = await clerk.send('POST', '/api/v1/households', {
      townCode: RUCHENG,
      address: '乳城镇新建路9号',
      hukouType: 'urban',
      effectiveDate: '2015-01-01',
      members: [{ idNumber: id('1990-09-09', 401), name: '李华', relation: '户主' }],
    });
    const target = created.json().id;
    const hh = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    const child = hh.members.find((m: { relation: string }) => m.relation === '子女');
    const moved = await clerk.send('POST', `/api/v1/persons/${child.id}/move`, {
      version: child.version,
      toHouseholdId: target,
      relation: '配偶',
      effectiveDate: '2024-05-01',
      reason: '结婚迁入',
    });
    expect(moved.statusCode).toBe(200);
    const before = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}?asOf=2020-01-01`)).json();
    expect(before.membersAsOf.map((m: { id: number }) => m.id)).toContain(child.id);
    const now = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    expect(now.members.map((m: { id: number }) => m.id)).not.toContain(child.id);
    expect(now.formerMembers.map((m: { id: number }) => m.id)).toContain(child.id);
    const person = (await clerk.get(`/api/v1/persons/${child.id}`)).json();
    expect(person.householdId).toBe(target);
    expect(
      person.households.map((h: { householdId: number; validTo: string | null }) => [
        h.householdId,
        h.validTo,
      ]),
    ).toEqual([
      [fx.ruchengHousehold, '2024-05-01'],
      [target, null],
    ]);
  });

  it('lets the county move a household to another town, and the town clerk then loses it', async () => {
    const created = await admin.send('POST', '/api/v1/households', {
      townCode: RUCHENG,
      address: '乳城镇搬迁户1号',
      hukouType: 'rural',
      effectiveDate: '2012-01-01',
      members: [{ idNumber: id('1960-01-20', 501), name: '邓伟', relation: '户主' }],
    });
    const hid = created.json().id;
    expect((await clerk.get(`/api/v1/households/${hid}`)).statusCode).toBe(200);
    const clerkMove = await clerk.send('POST', `/api/v1/households/${hid}/move`, {
      version: created.json().version,
      townCode: DAQIAO,
      address: '大桥镇',
      effectiveDate: '2025-01-01',
      reason: '迁居',
    });
    expect(clerkMove.statusCode).toBe(403);
    const res = await admin.send('POST', `/api/v1/households/${hid}/move`, {
      version: created.json().version,
      townCode: DAQIAO,
      villageCode: '440232109202',
      address: '大桥镇红星村委会2号',
      effectiveDate: '2025-01-01',
      reason: '易地搬迁',
    });
    expect(res.statusCode).toBe(200);
    expect((await clerk.get(`/api/v1/households/${hid}`)).statusCode).toBe(403);
    const detail = (await admin.get(`/api/v1/households/${hid}`)).json();
    expect(
      detail.areaHistory.map((a: { townCode: string; validTo: string | null }) => [a.townCode, a.validTo]),
    ).toEqual([
      [RUCHENG, '2025-01-01'],
      [DAQIAO, null],
    ]);
    expect(detail.members[0].townCode).toBe(DAQIAO);
  });

  it('publishes an OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/households', '/api/v1/households/{id}', '/api/v1/auth/login']),
    );
  });
});
