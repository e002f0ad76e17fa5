/**
 * 社会化发放 through the API (DOMAIN §4.8): an approved payroll's bank files (Excel for the 农商银行,
 * CSV for the 邮储银行), the bank's return with one failed transfer, a malformed return refused whole,
 * the same return imported twice, then 暂停发放 and 重新发放 to the corrected account.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, parseCsv, toCsv } from '../../src/domain/payments/csv.ts';
import { type BankFixtures, PSBC, RCB, seedApprovedPayroll } from '../helpers/bank-fixtures.ts';
import { type Fixtures, id, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function xlsxRows(bytes: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws?.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('回盘');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(ENGINES)('bank files and returns on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let townClerk: Client;
  let payrollId: number;
  let thirdHousehold: number;
  let line: BankFixtures['line'];
  let rcbBatch: number;
  let psbcBatch: number;

  const lineRow = (lineId: number) =>
    tdb.db.selectFrom('payroll_line').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow();
  const ledgerOf = (kind: 'bank_failure' | 'reissue') =>
    tdb.db.selectFrom('payment_ledger').selectAll().where('entry_kind', '=', kind).orderBy('id').execute();
  const upload = (batchId: number, bytes: Buffer, contentType: string, fileName = 'return') =>
    app.inject({
      method: 'POST',
      url: `/api/v1/bank-batches/${batchId}/return?fileName=${encodeURIComponent(fileName)}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': contentType },
      payload: bytes,
    });

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    ({ payrollId, thirdHousehold, line } = await seedApprovedPayroll(tdb.db, fx));
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    townClerk = await login(app, USERS.ruchengClerk.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('lists each bank with its transfers (one per account) and what no file can carry', async () => {
    const res = await admin.get(`/api/v1/payrolls/${payrollId}/bank-files`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toEqual([
      {
        bankName: RCB,
        format: 'xlsx',
        lineCount: 2,
        payrollLineCount: 3,
        householdCount: 2,
        totalFen: 86850 + 12000 + 41000,
      },
      {
        bankName: PSBC,
        format: 'csv',
        lineCount: 1,
        payrollLineCount: 2,
        householdCount: 1,
        totalFen: 100000,
      },
    ]);
    expect(body.notExportable).toEqual({ lineCount: 1, householdCount: 1, noAccountLineCount: 1 });
  });

  it('keeps bank files with whole account numbers to the county', async () => {
    const list = await townClerk.get(`/api/v1/payrolls/${payrollId}/bank-files`);
    expect(list.statusCode).toBe(403);
    expect(list.json().error.message).toContain('县级');
    const res = await townClerk.get(`/api/v1/payrolls/${payrollId}/bank-files/${encodeURIComponent(RCB)}`);
    expect(res.statusCode).toBe(403);
  });

  it('exports the 农商银行 file as Excel with full accounts, and audits the export', async () => {
    const res = await admin.get(
      `/api/v1/payrolls/${payrollId}/bank-files/${encodeURIComponent(RCB)}?format=xlsx`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const cd = String(res.headers['content-disposition']);
    expect(cd).toMatch(/^attachment; filename="bank-batch-\d+\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1] ?? '')).toMatch(
      /^2026-12_农村低保_广东乳源农村商业银行_代发批次\d+\.xlsx$/,
    );
    rcbBatch = Number(res.headers['x-bank-batch-id']);
    const rows = await xlsxRows(res.rawPayload);
    expect(rows[0]).toEqual(['流水号', '收款账号', '收款户名', '证件号码', '金额', '乡镇', '村居', '摘要']);
    expect(rows.slice(1)).toEqual([
      [
        String(line.liBase),
        '6230123456789012345',
        '李建国',
        fx.ruchengHeadId,
        '988.50',
        '乳城镇',
        '鹰峰居委会',
        '农村低保2026年12月',
      ],
      [
        String(line.wangBase),
        '6230111122223333444',
        '王小红',
        id('1970-05-05', 53),
        '410.00',
        '乳城镇',
        '河北村委会',
        '农村低保2026年12月',
      ],
    ]);
    expect((await lineRow(line.liAddon)).bank_batch_id).toBe(rcbBatch);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'bank_batch.export')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ username: 'admin', entity_id: String(rcbBatch) });
    expect(audit.detail).toContain('含完整银行账号');
  });

  it('does not export the same lines twice', async () => {
    const res = await admin.get(`/api/v1/payrolls/${payrollId}/bank-files/${encodeURIComponent(RCB)}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('已全部导出');
  });

  it('exports the 邮储银行 file as CSV (UTF-8 with BOM), amounts in 分, arrears in the same transfer', async () => {
    const res = await admin.get(
      `/api/v1/payrolls/${payrollId}/bank-files/${encodeURIComponent(PSBC)}?format=csv`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    psbcBatch = Number(res.headers['x-bank-batch-id']);
    const rows = parseCsv(decodeText(res.rawPayload));
    expect(rows).toEqual([
      ['业务参考号', '收款人账号', '收款人姓名', '证件号码', '金额（分）', '用途'],
      [
        String(line.panBase),
        '6210987654321098765',
        '盘桂兰',
        id('1940-02-02', 42),
        '100000',
        '农村低保2026年12月',
      ],
    ]);
    const batches = (await admin.get(`/api/v1/bank-batches?payrollId=${payrollId}`)).json().items;
    expect(batches).toHaveLength(2);
    expect(batches.find((b: { id: number }) => b.id === rcbBatch)).toMatchObject({
      bankName: RCB,
      format: 'xlsx',
      lineCount: 2,
      totalFen: 139850,
      returnImportedAt: null,
      failedCount: 0,
    });
  });

  it('refuses a malformed return whole, naming each row and column, and changes nothing', async () => {
    const head = ['流水号', '收款账号', '金额', '处理结果', '失败原因'];
    const bad = await upload(
      rcbBatch,
      await xlsxOf([
        head,
        [String(line.liBase), '6230123456789012345', '988.00', '成功', ''],
        ['99999', '6230111122223333444', '410.00', '失败', '账户已冻结'],
      ]),
      XLSX,
    );
    expect(bad.statusCode).toBe(400);
    const err = bad.json().error;
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('未导入任何数据');
    expect(err.issues).toEqual([
      { row: 2, field: 'rows[2].金额', message: '金额 988.00 元与导出的 988.50 元不一致' },
      { row: 3, field: 'rows[3].流水号', message: '明细编号 99999 不在本批次的发放文件中' },
    ]);
    const missing = await upload(
      rcbBatch,
      Buffer.from(
        toCsv([
          ['流水号', '收款账号', '金额'],
          [String(line.liBase), '6230123456789012345', '988.50'],
        ]),
      ),
      'text/csv',
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toEqual([
      { row: 1, field: 'rows[1].处理结果', message: '缺少「处理结果」列' },
    ]);
    expect((await lineRow(line.liBase)).status).toBe('pending');
    expect(await ledgerOf('bank_failure')).toEqual([]);
  });

  it('imports the return: the paid transfer is paid, the failed one failed with a negative ledger entry', async () => {
    const file = await xlsxOf([
      ['乳源农商银行批量代发回盘', '', '', '', ''],
      ['流水号', '收款账号', '金额', '处理结果', '失败原因'],
      [String(line.liBase), '6230123456789012345', 988.5, '成功', ''],
      [String(line.wangBase), '6230111122223333444', '410.00', '失败', '账户已冻结'],
    ]);
    const res = await upload(rcbBatch, file, XLSX, '回盘20261205.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      paidCount: 1,
      failedCount: 1,
      changedCount: 2,
      alreadyImported: false,
    });
    expect((await lineRow(line.liBase)).status).toBe('paid');
    expect((await lineRow(line.liAddon)).status).toBe('paid');
    expect(await lineRow(line.wangBase)).toMatchObject({ status: 'failed', failure_reason: '账户已冻结' });
    expect((await lineRow(line.liBase)).failure_reason).toBeNull();
    expect(await ledgerOf('bank_failure')).toEqual([
      expect.objectContaining({
        payroll_line_id: line.wangBase,
        household_id: thirdHousehold,
        amount_fen: -41000,
        reason: '账户已冻结',
        pay_month: '2026-12',
        posted_by: 'admin',
      }),
    ]);
    const batch = (await admin.get(`/api/v1/bank-batches?payrollId=${payrollId}`))
      .json()
      .items.find((b: { id: number }) => b.id === rcbBatch);
    expect(batch).toMatchObject({ paidCount: 1, failedCount: 1, returnFileName: '回盘20261205.xlsx' });
    expect(batch.returnImportedAt).not.toBeNull();

    const again = await upload(rcbBatch, file, XLSX, '回盘20261205.xlsx');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ changedCount: 0, alreadyImported: true });
    expect(again.json().message).toContain('已导入');
    expect(await ledgerOf('bank_failure')).toHaveLength(1);
  });

  it('refuses a later return that contradicts the one imported', async () => {
    const res = await upload(
      rcbBatch,
      Buffer.from(
        toCsv([
          ['流水号', '收款账号', '金额', '处理结果', '失败原因'],
          [String(line.liBase), '6230123456789012345', '988.50', '失败', '户名不符'],
        ]),
      ),
      'text/csv',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0].message).toContain('已按此前的回盘处理为「发放成功」');
  });

  it('imports a CSV return sent as base64 JSON (the web upload)', async () => {
    const csv = toCsv([
      ['业务参考号', '收款人账号', '金额（分）', '状态', '备注'],
      [String(line.panBase), '6210987654321098765', '100000', 'S', ''],
    ]);
    const res = await admin.send('POST', `/api/v1/bank-batches/${psbcBatch}/return`, {
      fileName: 'psbc.csv',
      contentBase64: Buffer.from(csv).toString('base64'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ paidCount: 1, failedCount: 0 });
    expect((await lineRow(line.panArrears)).status).toBe('paid');
  });

  it('holds a failed line with its reason, and refuses to hold a paid one', async () => {
    const paid = await admin.send('POST', `/api/v1/payroll-lines/${line.liBase}/hold`, { reason: '核查' });
    expect(paid.statusCode).toBe(422);
    const res = await admin.send('POST', `/api/v1/payroll-lines/${line.wangBase}/hold`, {
      reason: '账户冻结，待本人到银行解冻',
    });
    expect(res.statusCode).toBe(200);
    const held = await lineRow(line.wangBase);
    expect(held.status).toBe('held');
    expect(held.reason).toContain('待本人到银行解冻');
  });

  it('reissues to the corrected account: a reissue line in the next file and a positive ledger entry', async () => {
    await tdb.db
      .updateTable('household')
      .set({ bank_name: PSBC, bank_account: '6210555566667777888', bank_account_holder: '王小红' })
      .where('id', '=', thirdHousehold)
      .execute();
    const res = await admin.send('POST', `/api/v1/payroll-lines/${line.wangBase}/reissue`, {
      reason: '已更正为邮储银行账户',
    });
    expect(res.statusCode).toBe(200);
    const { reissueLineId } = res.json();
    expect((await lineRow(line.wangBase)).status).toBe('reissued');
    expect(await lineRow(reissueLineId)).toMatchObject({
      line_kind: 'reissue',
      status: 'pending',
      amount_fen: 41000,
      bank_name: PSBC,
      bank_account: '6210555566667777888',
      bank_batch_id: null,
      failure_reason: null,
    });
    expect((await lineRow(line.wangBase)).failure_reason).toBe('账户已冻结');
    expect(await ledgerOf('reissue')).toEqual([
      expect.objectContaining({ payroll_line_id: reissueLineId, amount_fen: 41000, entry_kind: 'reissue' }),
    ]);
    const files = (await admin.get(`/api/v1/payrolls/${payrollId}/bank-files`)).json().items;
    expect(files).toEqual([expect.objectContaining({ bankName: PSBC, lineCount: 1, totalFen: 41000 })]);
    const file = await admin.get(`/api/v1/payrolls/${payrollId}/bank-files/${encodeURIComponent(PSBC)}`);
    expect(file.statusCode).toBe(200);
    expect(parseCsv(decodeText(file.rawPayload))[1]?.slice(0, 2)).toEqual([
      String(reissueLineId),
      '6210555566667777888',
    ]);
    const twice = await admin.send('POST', `/api/v1/payroll-lines/${line.wangBase}/reissue`, {
      reason: '再次',
    });
    expect(twice.statusCode).toBe(422);
  });

  it('stores bank layouts as a setting, validated with Chinese messages', async () => {
    const current = (await admin.get('/api/v1/bank-layouts')).json();
    expect(current.configured).toBe(false);
    const bad = await admin.send('PUT', '/api/v1/bank-layouts', {
      layouts: [{ ...current.layouts[0], format: 'txt' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({
      field: 'layouts[0].format',
      message: '文件格式应为 csv 或 xlsx',
    });
    const ok = await admin.send('PUT', '/api/v1/bank-layouts', { layouts: current.layouts.slice(0, 1) });
    expect(ok.statusCode).toBe(200);
    expect((await admin.get('/api/v1/bank-layouts')).json()).toMatchObject({ configured: true });
    expect((await townClerk.send('PUT', '/api/v1/bank-layouts', { layouts: [] })).statusCode).toBe(403);
  });
});
