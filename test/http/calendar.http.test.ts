/** The holiday calendar behind working-day limits: shipped for 2015, edited by the county admin. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/domain/calendar/working-days.ts';
import { loadWorkCalendar } from '../../src/modules/calendar/calendar.service.ts';
import { seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

describe.each(ENGINES)('holiday calendar on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await seedFixtures(tdb.db);
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('ships the 2015 national holidays, so 2015 deadlines skip National Day and count the 调休 Saturday', async () => {
    const days = (await admin.get('/api/v1/calendar/2015')).json().days as { date: string; kind: string }[];
    expect(days.filter((d) => d.kind === 'holiday')).toHaveLength(31);
    expect(days.filter((d) => d.kind === 'workday').map((d) => d.date)).toContain('2015-10-10');
    const calendar = await loadWorkCalendar(tdb.db, '2015-01-01', '2015-12-31');
    expect(addWorkingDays('2015-09-30', 3, calendar)).toBe('2015-10-10');
  });

  it('lets the county admin enter a year, refusing dates of another year, and audits it', async () => {
    const bad = await admin.send('PUT', '/api/v1/calendar/2026', {
      days: [{ date: '2025-10-01', kind: 'holiday', name: '国庆节' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].field).toBe('days[0].date');
    const ok = await admin.send('PUT', '/api/v1/calendar/2026', {
      days: [
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' },
      ],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().days).toHaveLength(2);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'calendar.update')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('lets other roles read but not change the calendar', async () => {
    const clerk = await login(app, USERS.ruchengClerk.username);
    expect((await clerk.get('/api/v1/calendar/2015')).statusCode).toBe(200);
    expect((await clerk.send('PUT', '/api/v1/calendar/2015', { days: [] })).statusCode).toBe(403);
  });
});
