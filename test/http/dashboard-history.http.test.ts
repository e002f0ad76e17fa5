/** 工作台 figures from the registry, the household change history, and serving the web app. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/http/error-handler.ts';
import { installWebApp } from '../../src/http/web.ts';
import { DAQIAO, type Fixtures, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

describe.each(ENGINES)('dashboard and history on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let clerk: Client;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    const ts = new Date().toISOString();
    const daqiaoPerson = await tdb.db
      .selectFrom('household_member')
      .select('person_id')
      .where('household_id', '=', fx.daqiaoHousehold)
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('enrolment')
      .values([
        {
          county_code: '440232',
          town_code: RUCHENG,
          program_code: 'urban_dibao',
          household_id: fx.ruchengHousehold,
          person_id: null,
          start_month: '2014-01',
          end_month: null,
          status: 'active',
          support_mode: null,
          single_person: 0,
          end_reason: null,
          created_at: ts,
          updated_at: ts,
        },
        {
          county_code: '440232',
          town_code: DAQIAO,
          program_code: 'rural_tekun',
          household_id: fx.daqiaoHousehold,
          person_id: daqiaoPerson.person_id,
          start_month: '2012-01',
          end_month: null,
          status: 'active',
          support_mode: 'dispersed',
          single_person: 0,
          end_reason: null,
          created_at: ts,
          updated_at: ts,
        },
        {
          county_code: '440232',
          town_code: RUCHENG,
          program_code: 'medical_aid',
          household_id: fx.ruchengHousehold,
          person_id: null,
          start_month: '2013-01',
          end_month: '2013-12',
          status: 'ended',
          support_mode: null,
          single_person: 0,
          end_reason: '到期',
          created_at: ts,
          updated_at: ts,
        },
      ])
      .execute();
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    clerk = await login(app, USERS.ruchengClerk.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('counts active cases per program and town for the county', async () => {
    const res = await admin.get('/api/v1/dashboard');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.totals).toEqual({ households: 2, persons: 4 });
    const program = (code: string) => body.programs.find((p: { code: string }) => p.code === code);
    expect(program('urban_dibao')).toMatchObject({ households: 1, persons: 3 });
    expect(program('rural_tekun')).toMatchObject({ households: 1, persons: 1 });
    expect(program('medical_aid')).toMatchObject({ households: 0, persons: 0 }); // ended cases do not count
    const daqiao = body.towns.find((t: { code: string }) => t.code === DAQIAO);
    expect(daqiao.programs.rural_tekun).toEqual({ households: 1, persons: 1 });
  });

  it('shows a town clerk only their own town', async () => {
    const body = (await clerk.get('/api/v1/dashboard')).json();
    expect(body.area).toMatchObject({ code: RUCHENG, name: '乳城镇', level: 'town' });
    expect(body.towns.map((t: { code: string }) => t.code)).toEqual([RUCHENG]);
    expect(body.totals).toEqual({ households: 1, persons: 3 });
    expect(body.todos).toEqual([]);
  });

  it('keeps partner departments out of the dashboard', async () => {
    const partner = await login(app, USERS.partner.username);
    expect((await partner.get('/api/v1/dashboard')).statusCode).toBe(403);
  });

  it('lists a household’s changes, masked, without reads, and refuses another town’s history', async () => {
    const household = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    const wife = household.members.find((m: { relation: string }) => m.relation === '配偶');
    const res = await clerk.send('PATCH', `/api/v1/persons/${wife.id}`, {
      version: wife.version,
      employmentStatus: 'farming',
      phone: '13812345678',
    });
    expect(res.statusCode).toBe(200);
    const history = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}/history`)).json();
    const actions = history.items.map((i: { action: string }) => i.action);
    expect(actions).toContain('person.update');
    expect(actions).toContain('household.create');
    expect(actions).not.toContain('household.read');
    const update = history.items.find((i: { action: string }) => i.action === 'person.update');
    expect(update).toMatchObject({ personName: '陈秀英', username: USERS.ruchengClerk.username });
    expect(update.before).toMatchObject({ employment_status: 'none' });
    expect(update.after).toMatchObject({ employment_status: 'farming', phone: '138****5678' });
    expect((await clerk.get(`/api/v1/households/${fx.daqiaoHousehold}/history`)).statusCode).toBe(403);
  });

  it('records both sides of a relation change and of a change of head', async () => {
    const household = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    const child = household.members.find((m: { relation: string }) => m.relation === '子女');
    expect(
      (
        await clerk.send('PATCH', `/api/v1/persons/${child.id}`, {
          version: child.version,
          relation: '孙子女',
        })
      ).statusCode,
    ).toBe(200);
    const wife = household.members.find((m: { relation: string }) => m.relation === '配偶');
    const head = household.members.find((m: { relation: string }) => m.relation === '户主');
    const fresh = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}`)).json();
    expect(
      (
        await clerk.send('PATCH', `/api/v1/households/${fx.ruchengHousehold}`, {
          version: fresh.version,
          headPersonId: wife.id,
        })
      ).statusCode,
    ).toBe(200);
    const items = (await clerk.get(`/api/v1/households/${fx.ruchengHousehold}/history`)).json().items as {
      entityId: string;
      before: { relation?: string } | null;
      after: { relation?: string } | null;
    }[];
    const relationChanges = items
      .filter((i) => i.after?.relation)
      .map((i) => [Number(i.entityId), i.before?.relation, i.after?.relation]);
    expect(relationChanges).toEqual(
      expect.arrayContaining([
        [child.id, '子女', '孙子女'],
        [wife.id, '配偶', '户主'],
        [head.id, '户主', '其他'],
      ]),
    );
  });
});

describe('serving the web app', () => {
  let dist: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'jiuzhu-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>jiuzhu</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    app = Fastify();
    installErrorHandler(app);
    app.get('/api/v1/ping', async () => ({ ok: true }));
    await installWebApp(app, dist);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html for client routes, never cached', async () => {
    for (const url of ['/', '/registry/households/12', '/admin/audit?username=x']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves a file added to dist after start (a rebuild needs no restart)', async () => {
    writeFileSync(join(dist, 'assets', 'later-def456.js'), 'console.log(2)');
    const res = await app.inject({ method: 'GET', url: '/assets/later-def456.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(2)');
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('caches hashed assets for a year and answers unknown API paths with JSON 404', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({ ok: true });
  });
});
