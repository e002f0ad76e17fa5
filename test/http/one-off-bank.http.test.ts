/**
 * 社会化发放 of one-off payments through the API (DOMAIN §4.8): an approved 节日补贴 batch exported per bank
 * (a 低保 household's three subsidies in one transfer), the return with one failed transfer (payments
 * 'failed', a negative 'bank_failure' ledger entry each), a malformed return refused whole, the same return
 * imported twice, 暂停发放 and 重新发放 to the corrected account; then a 医疗救助 payment exported by pay month.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/calendar/dates.ts';
import { decodeText, parseCsv, toCsv } from '../../src/domain/payments/csv.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { PSBC, RCB } from '../helpers/bank-fixtures.ts';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TITLE = '2015年春节慰问金';
const RETURN_HEAD = ['流水号', '收款账号', '金额', '处理结果', '失败原因'];

async function xlsxRows(bytes: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]?.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

describe.each(ENGINES)('one-off payments to the bank on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let admin: Client;
  let approver: Client;
  let townClerk: Client;
  let batchId: number;
  let rcbBatch: number;
  let psbcBatch: number;
  let rcbRef: string;
  let rcbReturn: Buffer;
  let liPayments: number[]; // the three members of 李建国's 城镇低保 household
  let panPayment: number; // 盘桂兰, 五保
  const payMonth = chinaDate(new Date()).slice(0, 7);

  const payments = (ids: number[]) =>
    tdb.db.selectFrom('one_off_payment').selectAll().where('id', 'in', ids).orderBy('id').execute();
  const ledgerOf = (kind: 'bank_failure' | 'reissue') =>
    tdb.db
      .selectFrom('payment_ledger')
      .selectAll()
      .where('entry_kind', '=', kind)
      .where('one_off_id', 'is not', null)
      .orderBy('id')
      .execute();
  const upload = (batch: number, bytes: Buffer, contentType: string, fileName = 'return') =>
    app.inject({
      method: 'POST',
      url: `/api/v1/bank-batches/${batch}/return?fileName=${encodeURIComponent(fileName)}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': contentType },
      payload: bytes,
    });
  const enrol = async (householdId: number, townCode: string, program: string, personId: number | null) => {
    const ts = new Date().toISOString();
    await tdb.db
      .insertInto('enrolment')
      .values({
        county_code: COUNTY,
        town_code: townCode,
        program_code: program,
        household_id: householdId,
        person_id: personId,
        start_month: '2014-01',
        end_month: null,
        status: 'active',
        support_mode: program.endsWith('tekun') ? 'dispersed' : null,
        single_person: 0,
        end_reason: null,
        created_at: ts,
        updated_at: ts,
      })
      .execute();
  };
  const personOf = async (householdId: number, name: string) =>
    (
      await tdb.db
        .selectFrom('household_member as hm')
        .innerJoin('person as p', 'p.id', 'hm.person_id')
        .select('p.id')
        .where('hm.household_id', '=', householdId)
        .where('p.name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    // 黄老: 五保 without a bank account on record — no file can carry his subsidy.
    const huang = await tdb.db.transaction().execute((trx) =>
      createHousehold(
        trx,
        fx.system,
        {
          townCode: RUCHENG,
          villageCode: '440232100201',
          address: '乳城镇河北村委会1号',
          hukouType: 'rural',
          effectiveDate: '2010-01-01',
          members: [{ idNumber: id('1930-01-01', 61), name: '黄老', relation: '户主' }],
        },
        new Date('2026-11-28T02:00:00Z'),
      ),
    );
    await enrol(fx.ruchengHousehold, RUCHENG, 'urban_dibao', null);
    await enrol(fx.daqiaoHousehold, DAQIAO, 'rural_tekun', await personOf(fx.daqiaoHousehold, '盘桂兰'));
    await enrol(huang.id, RUCHENG, 'rural_tekun', await personOf(huang.id, '黄老'));
    app = await testApp(tdb);
    admin = await login(app, USERS.admin.username);
    approver = await login(app, USERS.approver.username);
    townClerk = await login(app, USERS.ruchengClerk.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  describe('节日补贴 batch', () => {
    it('refuses a bank file before the batch is approved', async () => {
      const res = await admin.send('POST', '/api/v1/one-off-batches', {
        kind: 'holiday_subsidy',
        title: TITLE,
        programCodes: ['urban_dibao', 'rural_tekun'],
        amountPerPersonFen: 10_000,
        referenceDate: '2015-02-10',
        fundSource: 'county',
      });
      expect(res.statusCode).toBe(201);
      batchId = res.json().id;
      expect(res.json()).toMatchObject({ lineCount: 5, totalFen: 50_000 });
      const early = await admin.get(
        `/api/v1/one-off-batches/${batchId}/bank-files/${encodeURIComponent(RCB)}`,
      );
      expect(early.statusCode).toBe(422);
      expect(early.json().error.message).toContain('尚未审批');
      const approved = await approver.send('POST', `/api/v1/one-off-batches/${batchId}/approve`);
      expect(approved.statusCode).toBe(200);
      const rows = await tdb.db
        .selectFrom('one_off_payment')
        .select(['id', 'household_id', 'status', 'pay_month'])
        .where('batch_id', '=', batchId)
        .orderBy('id')
        .execute();
      expect(rows.every((r) => r.status === 'approved' && r.pay_month === payMonth)).toBe(true);
      liPayments = rows.filter((r) => r.household_id === fx.ruchengHousehold).map((r) => r.id);
      panPayment = rows.find((r) => r.household_id === fx.daqiaoHousehold)?.id ?? 0;
      expect(liPayments).toHaveLength(3);
    });

    it('lists each bank with one transfer per household account, and what no file can carry', async () => {
      const res = await admin.get(`/api/v1/one-off-batches/${batchId}/bank-files`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        oneOffBatchId: batchId,
        payMonth: null,
        items: [
          {
            bankName: RCB,
            format: 'xlsx',
            lineCount: 1,
            paymentCount: 3,
            householdCount: 1,
            totalFen: 30_000,
          },
          {
            bankName: PSBC,
            format: 'csv',
            lineCount: 1,
            paymentCount: 1,
            householdCount: 1,
            totalFen: 10_000,
          },
        ],
        notExportable: { paymentCount: 1, householdCount: 1, noAccountPaymentCount: 1 },
      });
      expect((await townClerk.get(`/api/v1/one-off-batches/${batchId}/bank-files`)).statusCode).toBe(403);
    });

    it('exports the 农商银行 file with the batch title as memo, once', async () => {
      const res = await admin.get(
        `/api/v1/one-off-batches/${batchId}/bank-files/${encodeURIComponent(RCB)}?format=xlsx`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX);
      const cd = String(res.headers['content-disposition']);
      expect(decodeURIComponent(cd.split("UTF-8''")[1] ?? '')).toMatch(
        /^2015年春节慰问金_广东乳源农村商业银行_代发批次\d+\.xlsx$/,
      );
      rcbBatch = Number(res.headers['x-bank-batch-id']);
      const rows = await xlsxRows(res.rawPayload);
      expect(rows[0]).toEqual(['流水号', '收款账号', '收款户名', '证件号码', '金额', '乡镇', '村居', '摘要']);
      expect(rows).toHaveLength(2);
      rcbRef = String(rows[1]?.[0]);
      expect(rows[1]?.slice(1)).toEqual([
        '6230123456789012345',
        '李建国',
        fx.ruchengHeadId,
        '300.00',
        '乳城镇',
        expect.any(String),
        TITLE,
      ]);
      const batch = await tdb.db
        .selectFrom('bank_batch')
        .selectAll()
        .where('id', '=', rcbBatch)
        .executeTakeFirstOrThrow();
      expect(batch).toMatchObject({
        kind: 'one_off',
        payroll_id: null,
        one_off_batch_id: batchId,
        pay_month: null,
        line_count: 1,
        total_fen: 30_000,
      });
      expect((await payments(liPayments)).map((p) => p.bank_batch_id)).toEqual([
        rcbBatch,
        rcbBatch,
        rcbBatch,
      ]);
      const audit = await tdb.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'bank_batch.export')
        .where('entity_id', '=', String(rcbBatch))
        .executeTakeFirstOrThrow();
      expect(audit.detail).toContain('含完整银行账号');

      const again = await admin.get(
        `/api/v1/one-off-batches/${batchId}/bank-files/${encodeURIComponent(RCB)}`,
      );
      expect(again.statusCode).toBe(422);
      expect(again.json().error.message).toContain('已全部导出');
      const psbc = await admin.get(
        `/api/v1/one-off-batches/${batchId}/bank-files/${encodeURIComponent(PSBC)}?format=csv`,
      );
      expect(psbc.statusCode).toBe(200);
      psbcBatch = Number(psbc.headers['x-bank-batch-id']);
      expect(parseCsv(decodeText(psbc.rawPayload))[1]?.slice(1)).toEqual([
        '6210987654321098765',
        '盘桂兰',
        id('1940-02-02', 42),
        '10000',
        TITLE,
      ]);
    });

    it('refuses a malformed return whole, naming rows and columns, and changes nothing', async () => {
      const bad = await upload(
        rcbBatch,
        Buffer.from(
          toCsv([
            RETURN_HEAD,
            [rcbRef, '6230123456789012345', '100.00', '失败', '账户已销户'],
            ['99999', '6230123456789012345', '300.00', '成功', ''],
          ]),
        ),
        'text/csv',
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('未导入任何数据');
      expect(bad.json().error.issues).toEqual([
        { row: 2, field: 'rows[2].金额', message: '金额 100.00 元与导出的 300.00 元不一致' },
        { row: 3, field: 'rows[3].流水号', message: '明细编号 99999 不在本批次的发放文件中' },
      ]);
      expect((await payments(liPayments)).map((p) => p.status)).toEqual(['approved', 'approved', 'approved']);
      expect(await ledgerOf('bank_failure')).toEqual([]);
    });

    it('imports the return: the failed transfer fails each payment with a negative ledger entry', async () => {
      rcbReturn = Buffer.from(
        toCsv([RETURN_HEAD, [rcbRef, '6230123456789012345', '300.00', '失败', '账户已销户']]),
      );
      const res = await upload(rcbBatch, rcbReturn, 'text/csv', '春节回盘.csv');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        paidCount: 0,
        failedCount: 1,
        changedCount: 1,
        alreadyImported: false,
      });
      expect((await payments(liPayments)).map((p) => p.status)).toEqual(['failed', 'failed', 'failed']);
      const failures = await ledgerOf('bank_failure');
      expect(failures).toHaveLength(3);
      for (const [n, e] of failures.entries()) {
        expect(e).toMatchObject({
          one_off_id: liPayments[n],
          payroll_id: null,
          payroll_line_id: null,
          household_id: fx.ruchengHousehold,
          component: 'holiday_subsidy',
          program_code: 'urban_dibao',
          fund_source: 'county',
          benefit_month: '2015-02',
          pay_month: payMonth,
          amount_fen: -10_000,
          reason: '账户已销户',
          posted_by: 'admin',
        });
      }
      const paid = await admin.send('POST', `/api/v1/bank-batches/${psbcBatch}/return`, {
        fileName: 'psbc.csv',
        contentBase64: Buffer.from(
          toCsv([
            ['业务参考号', '收款人账号', '金额（分）', '状态', '备注'],
            [
              String(
                (
                  await tdb.db
                    .selectFrom('one_off_bank_item')
                    .select('id')
                    .where('one_off_id', '=', panPayment)
                    .executeTakeFirstOrThrow()
                ).id,
              ),
              '6210987654321098765',
              '10000',
              'S',
              '',
            ],
          ]),
        ).toString('base64'),
      });
      expect(paid.statusCode).toBe(200);
      expect((await payments([panPayment]))[0]?.status).toBe('paid');
      const batches = (await admin.get(`/api/v1/bank-batches?oneOffBatchId=${batchId}`)).json().items;
      expect(batches.find((b: { id: number }) => b.id === rcbBatch)).toMatchObject({
        kind: 'one_off',
        paidCount: 0,
        failedCount: 1,
        returnFileName: '春节回盘.csv',
      });
    });

    it('imports the same return again without changing anything', async () => {
      const again = await upload(rcbBatch, rcbReturn, 'text/csv', '春节回盘.csv');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ changedCount: 0, alreadyImported: true });
      expect(await ledgerOf('bank_failure')).toHaveLength(3);
      const contradicting = await upload(
        rcbBatch,
        Buffer.from(toCsv([RETURN_HEAD, [rcbRef, '6230123456789012345', '300.00', '成功', '']])),
        'text/csv',
      );
      expect(contradicting.statusCode).toBe(400);
      expect(contradicting.json().error.issues[0].message).toContain('已按此前的回盘处理为「发放失败」');
    });

    it('holds a failed payment, then reissues the three to the corrected account in a new file', async () => {
      const [first, second, third] = liPayments as [number, number, number];
      expect(
        (await admin.send('POST', `/api/v1/one-off-payments/${panPayment}/hold`, { reason: '核查' }))
          .statusCode,
      ).toBe(422);
      const held = await admin.send('POST', `/api/v1/one-off-payments/${first}/hold`, {
        reason: '待核实账户',
      });
      expect(held.statusCode).toBe(200);
      expect((await payments([first]))[0]).toMatchObject({ status: 'held' });
      await tdb.db
        .updateTable('household')
        .set({ bank_name: PSBC, bank_account: '6210555566667777888', bank_account_holder: '李建国' })
        .where('id', '=', fx.ruchengHousehold)
        .execute();
      for (const p of [first, second, third]) {
        const res = await admin.send('POST', `/api/v1/one-off-payments/${p}/reissue`, {
          reason: '已更正为邮储账户',
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'approved', batchId, bankName: PSBC });
      }
      expect(await payments(liPayments)).toEqual(
        liPayments.map(() =>
          expect.objectContaining({
            status: 'approved',
            bank_name: PSBC,
            bank_account: '6210555566667777888',
            bank_batch_id: null,
          }),
        ),
      );
      const reissues = await ledgerOf('reissue');
      expect(reissues.map((e) => [e.one_off_id, e.amount_fen])).toEqual(liPayments.map((p) => [p, 10_000]));
      expect(reissues[0]?.reason).toContain('银行退回：账户已销户');
      // Each failed payment nets to what it paid: one_off + bank_failure + reissue.
      const net = await tdb.db
        .selectFrom('payment_ledger')
        .select((eb) => eb.fn.sum<number>('amount_fen').as('fen'))
        .where('one_off_id', '=', first)
        .executeTakeFirstOrThrow();
      expect(Number(net.fen)).toBe(10_000);
      const files = (await admin.get(`/api/v1/one-off-batches/${batchId}/bank-files`)).json().items;
      expect(files).toEqual([
        expect.objectContaining({ bankName: PSBC, lineCount: 1, paymentCount: 3, totalFen: 30_000 }),
      ]);
      const file = await admin.get(
        `/api/v1/one-off-batches/${batchId}/bank-files/${encodeURIComponent(PSBC)}`,
      );
      expect(file.statusCode).toBe(200);
      expect(parseCsv(decodeText(file.rawPayload))[1]?.slice(1, 5)).toEqual([
        '6210555566667777888',
        '李建国',
        fx.ruchengHeadId,
        '30000',
      ]);
      // The first file's return still reads the same: nothing to change.
      const old = await upload(rcbBatch, rcbReturn, 'text/csv', '春节回盘.csv');
      expect(old.statusCode).toBe(200);
      expect(old.json()).toMatchObject({ changedCount: 0 });
      const twice = await admin.send('POST', `/api/v1/one-off-payments/${second}/reissue`, {
        reason: '再次',
      });
      expect(twice.statusCode).toBe(422);
    });
  });

  describe('医疗救助 by pay month', () => {
    let medical: number;

    it('exports an approved single payment in its pay month, and takes its return', async () => {
      const row = await tdb.db
        .insertInto('one_off_payment')
        .values({
          county_code: COUNTY,
          town_code: DAQIAO,
          program_code: 'medical_aid',
          kind: 'medical_aid',
          component: 'medical_aid',
          household_id: fx.daqiaoHousehold,
          person_id: await personOf(fx.daqiaoHousehold, '盘桂兰'),
          enrolment_id: null,
          case_id: null,
          claim_id: null,
          batch_id: null,
          benefit_month: '2015-04',
          amount_fen: 80_000,
          fund_source: 'provincial',
          policy_id: null,
          reason: '医疗救助：大桥镇卫生院 2015-04-01 至 2015-04-05 住院',
          explanation_json: null,
          status: 'pending',
          created_by: USERS.daqiaoClerk.username,
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      medical = row.id;
      expect((await approver.send('POST', `/api/v1/one-off-payments/${medical}/approve`)).statusCode).toBe(
        200,
      );
      expect((await admin.get('/api/v1/one-off-payments/bank-files?payMonth=2015-13')).statusCode).toBe(400);
      const list = await admin.get(`/api/v1/one-off-payments/bank-files?payMonth=${payMonth}`);
      expect(list.statusCode).toBe(200);
      expect(list.json()).toMatchObject({
        oneOffBatchId: null,
        payMonth,
        items: [{ bankName: PSBC, lineCount: 1, paymentCount: 1, totalFen: 80_000 }],
      });
      const res = await admin.get(
        `/api/v1/one-off-payments/bank-files/${encodeURIComponent(PSBC)}?payMonth=${payMonth}&format=csv`,
      );
      expect(res.statusCode).toBe(200);
      const batch = Number(res.headers['x-bank-batch-id']);
      const rows = parseCsv(decodeText(res.rawPayload));
      const [y, m] = payMonth.split('-');
      expect(rows.slice(1)).toEqual([
        [
          expect.any(String),
          '6210987654321098765',
          '盘桂兰',
          id('1940-02-02', 42),
          '80000',
          `医疗救助${y}年${m}月`,
        ],
      ]);
      expect(
        await tdb.db.selectFrom('bank_batch').selectAll().where('id', '=', batch).executeTakeFirstOrThrow(),
      ).toMatchObject({ kind: 'one_off', one_off_batch_id: null, pay_month: payMonth });
      const again = await admin.get(
        `/api/v1/one-off-payments/bank-files/${encodeURIComponent(PSBC)}?payMonth=${payMonth}`,
      );
      expect(again.statusCode).toBe(422);
      expect(again.json().error.message).toContain('已全部导出');
      const ret = await upload(
        batch,
        Buffer.from(
          toCsv([
            ['业务参考号', '收款人账号', '金额（分）', '状态', '备注'],
            [String(rows[1]?.[0]), '6210987654321098765', '80000', 'S', ''],
          ]),
        ),
        'text/csv',
      );
      expect(ret.statusCode).toBe(200);
      expect(ret.json()).toMatchObject({ paidCount: 1, changedCount: 1 });
      expect((await payments([medical]))[0]).toMatchObject({ status: 'paid', bank_batch_id: batch });
      const listed = (await admin.get(`/api/v1/one-off-payments?kind=medical_aid`)).json().items;
      expect(listed).toEqual([
        expect.objectContaining({ id: medical, status: 'paid', payMonth, bankBatchId: batch }),
      ]);
      // Downloading the batch again gives the same file.
      const download = await admin.get(`/api/v1/bank-batches/${batch}/file`);
      expect(download.statusCode).toBe(200);
      expect(parseCsv(decodeText(download.rawPayload))).toEqual(rows);
    });
  });
});
