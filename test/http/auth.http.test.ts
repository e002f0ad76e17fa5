/** Login, lock-out, sessions in the database, logout and password change, as the API exposes them. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { PASSWORD, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

describe.each(ENGINES)('authentication on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;

  const attempt = (username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await seedFixtures(tdb.db);
    app = await testApp(tdb);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('logs in with httpOnly SameSite=strict session cookie and returns the user with area and role', async () => {
    const res = await attempt(USERS.ruchengClerk.username, PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'jiuzhu_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const body = res.json();
    expect(body.user).toMatchObject({
      username: 'rc_clerk',
      role: 'town_clerk',
      roleLabel: '乡镇经办人（窗口）',
      areaName: '乳城镇',
    });
    expect(body.user.permissions).toContain('registry.write');
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    // The session lives in the database, not in process memory.
    const sessions = await tdb.db.selectFrom('session').selectAll().execute();
    expect(sessions.some((s) => s.token_hash !== cookie?.value && s.token_hash.length === 64)).toBe(true);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await attempt('nobody', 'whatever1');
    const wrong = await attempt(USERS.approver.username, 'wrong-pass1');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error).toEqual(wrong.json().error);
    expect(wrong.json().error.message).toBe('用户名或密码错误');
  });

  it('locks an account after 5 wrong passwords, refuses even the right one, and audits it', async () => {
    const user = USERS.auditor.username;
    for (let i = 1; i <= 4; i++) expect((await attempt(user, `wrong${i}abc`)).statusCode).toBe(401);
    const fifth = await attempt(user, 'wrong5abc');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(fifth.json().error.message).toContain('锁定');
    const right = await attempt(user, PASSWORD);
    expect(right.statusCode).toBe(423);
    const locked = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.locked')
      .execute();
    expect(locked).toHaveLength(1);
  });

  it('lets the lock expire', async () => {
    const user = await tdb.db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', USERS.auditor.username)
      .executeTakeFirstOrThrow();
    await tdb.db
      .updateTable('app_user')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', user.id)
      .execute();
    expect((await attempt(USERS.auditor.username, PASSWORD)).statusCode).toBe(200);
  });

  it('serves a session created by another server process (shared database)', async () => {
    const client = await login(app, USERS.approver.username);
    const second = await buildApp(tdb, { ...loadConfig({}), logLevel: 'silent' });
    try {
      const res = await second.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { cookie: client.cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.username).toBe(USERS.approver.username);
    } finally {
      await second.close();
    }
  });

  it('ends the session on logout', async () => {
    const client = await login(app, USERS.approver.username);
    expect((await client.send('POST', '/api/v1/auth/logout')).statusCode).toBe(200);
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('expires an idle session', async () => {
    const client = await login(app, USERS.ruchengAssistant.username);
    await tdb.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - 3 * 3600_000).toISOString() })
      .execute();
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('changes the password, checking the old one and the policy', async () => {
    const client = await login(app, USERS.daqiaoClerk.username);
    const wrongOld = await client.send('POST', '/api/v1/auth/password', {
      oldPassword: 'nope',
      newPassword: 'NewPass123',
    });
    expect(wrongOld.statusCode).toBe(400);
    expect(wrongOld.json().error.field).toBe('oldPassword');
    const weak = await client.send('POST', '/api/v1/auth/password', {
      oldPassword: PASSWORD,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('8位');
    const ok = await client.send('POST', '/api/v1/auth/password', {
      oldPassword: PASSWORD,
      newPassword: 'NewPass123',
    });
    expect(ok.statusCode).toBe(200);
    expect((await attempt(USERS.daqiaoClerk.username, PASSWORD)).statusCode).toBe(401);
    expect((await attempt(USERS.daqiaoClerk.username, 'NewPass123')).statusCode).toBe(200);
  });

  it('lets the county admin create and disable users, bound to a valid area', async () => {
    const admin = await login(app, USERS.admin.username);
    const badArea = await admin.send('POST', '/api/v1/users', {
      username: 'newclerk',
      displayName: '新经办',
      role: 'town_clerk',
      areaCode: '440232',
      password: 'Welcome123',
    });
    expect(badArea.statusCode).toBe(400);
    expect(badArea.json().error.field).toBe('areaCode');
    const created = await admin.send('POST', '/api/v1/users', {
      username: 'newclerk',
      displayName: '新经办',
      role: 'town_clerk',
      areaCode: '440232109',
      password: 'Welcome123',
    });
    expect(created.statusCode).toBe(201);
    const newClerk = await login(app, 'newclerk', 'Welcome123');
    const disabled = await admin.send('PATCH', `/api/v1/users/${created.json().id}`, {
      version: created.json().version,
      disabled: true,
    });
    expect(disabled.statusCode).toBe(200);
    expect((await newClerk.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await attempt('newclerk', 'Welcome123')).statusCode).toBe(403);
    const clerk = await login(app, USERS.ruchengClerk.username);
    expect((await clerk.get('/api/v1/users')).statusCode).toBe(403);
  });
});
