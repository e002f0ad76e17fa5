/**
 * The files and answers the platform writes in a source's layout read back cleanly: every template (xlsx,
 * csv, json) passes the header and row checks, and a record written as a connector row or a file row
 * normalises to itself. Malformed files come back as row errors, not exceptions.
 */
import { describe, expect, it } from 'vitest';
import { buildResidentId } from '../../domain/identity/resident-id.ts';
import { toCsv } from '../../domain/payments/csv.ts';
import { checkHeaders, validateRows } from '../../domain/verification/layouts.ts';
import { type DeptRecord, SOURCE_CODES } from '../../domain/verification/sources.ts';
import { exportLayoutTemplate } from './departments.service.ts';
import { readDeptFile } from './file-rows.ts';
import { headerKeyMap, recordToRow } from './layout-rows.ts';

const ID = buildResidentId({ addressCode: '440232', birthDate: '1956-03-12', sequence: 11 });

const keyed = (source: (typeof SOURCE_CODES)[number], values: Record<string, unknown>) => {
  const map = headerKeyMap(source);
  return Object.fromEntries(Object.entries(values).map(([h, v]) => [map.get(h) ?? h, v]));
};

describe('layout templates', () => {
  for (const source of SOURCE_CODES) {
    it(`the ${source} template reads back without errors in every format`, async () => {
      for (const format of ['xlsx', 'csv', 'json'] as const) {
        const file = await readDeptFile(`t.${format}`, await exportLayoutTemplate(source, format));
        expect(file.errors).toEqual([]);
        expect(checkHeaders(source, file.headers)).toEqual([]);
        expect(file.rows).toHaveLength(1);
        const r = validateRows(source, [keyed(source, file.rows[0]?.values ?? {})], file.rows[0]?.row);
        expect(r.errors).toEqual([]);
        expect(r.records).toHaveLength(1);
      }
    });
  }
});

describe('records written as rows', () => {
  const records: DeptRecord[] = [
    {
      sourceCode: 'vehicle',
      idNumber: ID,
      name: '李建国',
      kind: 'car',
      status: 'normal',
      amountFen: null,
      monthlyFen: null,
      eventDate: '2020-05-01',
      exempt: false,
      ref: '粤F12345',
      data: { brand: '五菱宏光' },
    },
    {
      sourceCode: 'tax',
      idNumber: ID,
      name: '李建国',
      kind: 'wage',
      status: null,
      amountFen: 4800050,
      monthlyFen: null,
      eventDate: '2025-12-31',
      exempt: false,
      ref: '2025',
      data: { tax_paid: null, withholding_agent: '乳源县某公司' },
    },
  ];
  for (const r of records) {
    it(`a ${r.sourceCode} record survives the connector row and the file row`, () => {
      for (const labels of [false, true]) {
        const out = validateRows(r.sourceCode, [recordToRow(r, { labels })], 1);
        expect(out.errors).toEqual([]);
        expect(out.records[0]).toMatchObject({
          idNumber: r.idNumber,
          kind: r.kind,
          status: r.status,
          amountFen: r.amountFen,
          eventDate: r.eventDate,
          ref: r.ref,
        });
      }
    });
  }
  it('a bank deposit (account kept masked) still writes a valid row', () => {
    const r: DeptRecord = {
      sourceCode: 'bank_deposit',
      idNumber: ID,
      name: '李建国',
      kind: 'fixed',
      status: null,
      amountFen: 5000000,
      monthlyFen: null,
      eventDate: '2026-10-31',
      exempt: false,
      ref: '中国邮政储蓄银行 ***************4321',
      data: { bank_name: '中国邮政储蓄银行' },
    };
    const out = validateRows('bank_deposit', [recordToRow(r)], 1);
    expect(out.errors).toEqual([]);
    expect(out.records[0]?.ref).toBe(r.ref);
  });
});

describe('reading department files', () => {
  it('reads CSV with and without BOM, skips blank lines and keeps file row numbers', async () => {
    const csv = toCsv([
      ['身份证号码', '姓名'],
      [ID, '李建国'],
      ['', ''],
      [ID, '李二'],
    ]);
    for (const bytes of [Buffer.from(csv), Buffer.from(csv.slice(1))]) {
      const f = await readDeptFile('a.csv', bytes);
      expect(f.headers).toEqual(['身份证号码', '姓名']);
      expect(f.rows.map((r) => r.row)).toEqual([2, 4]);
    }
  });
  it('reports a row wider than the header, bad JSON and an .xls as row errors', async () => {
    const wide = await readDeptFile('a.csv', Buffer.from('a,b\n1,2,3\n'));
    expect(wide.errors[0]).toMatchObject({ row: 2, reason: expect.stringContaining('多于表头') });
    const json = await readDeptFile('a.json', Buffer.from('[\n{"a":1},\n{"a":\n'));
    expect(json.errors[0]?.reason).toContain('不是有效的 JSON');
    const notObject = await readDeptFile('a.json', Buffer.from('[{"a":1}, 5]'));
    expect(notObject.errors).toEqual([{ row: 2, column: '', value: '5', reason: '数组元素应为对象' }]);
    const xls = await readDeptFile('a.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]));
    expect(xls.errors[0]?.reason).toContain('不支持该文件格式');
  });
});
