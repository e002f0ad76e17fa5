/**
 * 花名册导入 through the API, on both engines: a roster with deliberately broken rows of every kind imports its
 * good households in one transaction and lists each bad one with its row, column and reason; a failure during
 * the commit leaves nothing imported; a town user imports only their own town.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/domain/payments/csv.ts';
import { id, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { breakEnrolmentInserts, brokenRoster, EXPECTED_BAD } from '../helpers/roster-fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

async function countAll(tdb: TestDatabase) {
  const n = async (t: 'household' | 'person' | 'household_member' | 'enrolment' | 'household_area_history') =>
    Number(
      (
        await tdb.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    household: await n('household'),
    person: await n('person'),
    member: await n('household_member'),
    enrolment: await n('enrolment'),
    area: await n('household_area_history'),
  };
}

describe.each(ENGINES)('roster import on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let admin: Client;
  let townClerk: Client;
  let auditor: Client;
  const csv = toCsv(brokenRoster());

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await seedFixtures(tdb.db);
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    townClerk = await login(app, USERS.ruchengClerk.username);
    auditor = await login(app, USERS.auditor.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('previews: the mapping, the counts, each bad row with its row, column and reason, masked', async () => {
    const before = await countAll(tdb);
    const res = await admin.send('POST', '/api/v1/roster-imports/preview', {
      fileName: '花名册.csv',
      contentBase64: b64(csv),
      startMonth: '2026-12',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.dryRun).toBe(true);
    expect(body.mapping.idNumber).toEqual({ header: '身份证号（码）', label: '身份证号码' });
    expect(body.counts).toMatchObject({
      rows: 14,
      goodHouseholds: 2,
      badHouseholds: 7,
      persons: 4,
      enrolments: 2,
      monthlyAmountFen: 179050,
    });
    for (const e of EXPECTED_BAD) {
      expect(body.badRows, `row ${e.row}`).toContainEqual(
        expect.objectContaining({ row: e.row, column: e.column, reason: expect.stringContaining(e.reason) }),
      );
    }
    // ID numbers never leave in full.
    expect(res.body).not.toContain(id('1940-02-02', 42));
    expect(res.body).toContain('440232********');
    expect(body.households.map((h: { headName: string }) => h.headName)).toEqual(['黄大海', '邓老伯']);
    expect(await countAll(tdb)).toEqual(before);
  });

  it('refuses a user without registry.write', async () => {
    const res = await auditor.send('POST', '/api/v1/roster-imports/preview', {
      fileName: '花名册.csv',
      contentBase64: b64(csv),
    });
    expect(res.statusCode).toBe(403);
  });

  it('leaves nothing imported when the commit fails after some inserts', async () => {
    const before = await countAll(tdb);
    const restore = await breakEnrolmentInserts(tdb);
    try {
      const res = await admin.send('POST', '/api/v1/roster-imports/commit', {
        fileName: '花名册.csv',
        contentBase64: b64(csv),
        startMonth: '2026-12',
      });
      expect(res.statusCode).toBe(500);
    } finally {
      await restore();
    }
    expect(await countAll(tdb)).toEqual(before);
  });

  it('asks for a start month when the roster names programs', async () => {
    const res = await admin.send('POST', '/api/v1/roster-imports/commit', {
      fileName: '花名册.csv',
      contentBase64: b64(csv),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('保障起始月份');
  });

  it('a town user: other towns are bad rows; commits only the good households of the own town', async () => {
    const preview = await townClerk.send('POST', '/api/v1/roster-imports/preview', {
      fileName: '花名册.csv',
      contentBase64: b64(csv),
      startMonth: '2026-12',
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().badRows).toContainEqual(
      expect.objectContaining({
        row: 6,
        column: '乡镇',
        reason: '大桥镇不在您的管辖区域内（您只能导入乳城镇的人员）',
      }),
    );
    expect(preview.json().counts.goodHouseholds).toBe(1);
  });

  it('commits the good households in one go, with enrolments, bank details and one audit entry', async () => {
    const before = await countAll(tdb);
    const auditBefore = Number(
      (
        await tdb.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const res = await admin.send('POST', '/api/v1/roster-imports/commit', {
      fileName: '花名册.csv',
      contentBase64: b64(csv),
      startMonth: '2026-12',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.counts).toMatchObject({ goodHouseholds: 2, badHouseholds: 7, persons: 4 });
    expect(body.badHouseholds).toHaveLength(7);
    expect(await countAll(tdb)).toEqual({
      household: before.household + 2,
      person: before.person + 4,
      member: before.member + 4,
      enrolment: before.enrolment + 2,
      area: before.area + 2,
    });
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .orderBy('id', 'desc')
      .execute();
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit[0]?.action).toBe('roster.import');

    const [familyId] = body.householdIds as number[];
    const detail = await admin.get(`/api/v1/households/${familyId}?reveal=true`);
    expect(detail.statusCode, detail.body).toBe(200);
    const h = detail.json();
    expect(h).toMatchObject({
      townCode: '440232100',
      villageCode: '440232100101',
      hukouType: 'urban',
      bankName: '农商银行',
      bankAccount: '6230111122223333',
    });
    expect(h.members.map((m: { name: string; relation: string }) => [m.name, m.relation])).toEqual([
      ['黄大海', '户主'],
      ['林小红', '配偶'],
      ['黄小海', '子女'],
    ]);
    expect(h.enrolments).toEqual([
      expect.objectContaining({
        programCode: 'urban_dibao',
        startMonth: '2026-12',
        status: 'active',
        personId: null,
      }),
    ]);

    // The same roster again: every household is now in the registry, so nothing is good and it is refused.
    const again = await admin.send('POST', '/api/v1/roster-imports/commit', {
      fileName: '花名册.csv',
      contentBase64: b64(csv),
      startMonth: '2026-12',
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toContain('没有可以导入的家庭');
  });

  it('reads an xlsx roster sent as raw bytes, with a user mapping', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['所属镇', '村居', '姓名', '证件号码', '与户主关系', '救助类别', '月救助金']);
    ws.addRow(['乳城', '河北', '罗一', id('1966-01-02', 51), '户主', '农村低保', 320.5]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const mapping = encodeURIComponent(JSON.stringify({ town: '所属镇', idNumber: '证件号码' }));
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/roster-imports/preview?fileName=roster.xlsx&mapping=${mapping}`,
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrfToken,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: bytes,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.badRows).toEqual([]);
    expect(body.counts).toMatchObject({ goodHouseholds: 1, monthlyAmountFen: 32050 });
    expect(body.households[0]).toMatchObject({ villageName: '河北村委会', program: 'rural_dibao' });
  });
});
