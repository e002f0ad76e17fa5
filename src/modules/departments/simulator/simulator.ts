/**
 * 模拟部门接口（演示、测试用）: simulated departments answering from table sim_dept_record, so the demo, the
 * CLI and the tests exercise the real connector path (validation, timeout, retry, breaker, log) and the real
 * snapshot import without any department. Answers and files are written in each source's layout.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.ts';
import { toCsv } from '../../../domain/payments/csv.ts';
import { layoutOf } from '../../../domain/verification/layouts.ts';
import { isSourceCode, SOURCES, type SourceCode } from '../../../domain/verification/sources.ts';
import { recordOf } from '../departments.repository.ts';
import { type Cell, recordToRow } from '../layout-rows.ts';
import { encodeXlsx } from '../xlsx.ts';

export const SIM_LABEL = '模拟部门接口（演示、测试用）';

/** What the simulator needs of a request (the rest of the protocol is accepted as sent). */
export const SimQuerySchema = z.object({
  requestId: z.string().optional(),
  source: z.string().optional(),
  layoutVersion: z.string().optional(),
  subjects: z
    .array(z.object({ idNumber: z.string().min(1, '身份证号码不能为空') }).passthrough())
    .max(1000, '一次最多查询 1000 人'),
});

export class SimRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SimAnswer {
  source: SourceCode;
  simulated: true;
  results: { idNumber: string; found: boolean; rows: Record<string, Cell>[] }[];
}

/** Answers one connector request from sim_dept_record (rows keyed by the layout's column keys). */
export async function answerSimQuery(
  db: Kysely<Database>,
  source: string,
  body: unknown,
): Promise<SimAnswer> {
  if (!isSourceCode(source)) throw new SimRequestError(404, `没有数据源「${source}」`);
  const parsed = SimQuerySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimRequestError(
      400,
      `请求不符合接口规范：${issue ? `${issue.path.join('.')} ${issue.message}` : ''}`,
    );
  }
  if (parsed.data.source !== undefined && parsed.data.source !== source) {
    throw new SimRequestError(400, `请求中的数据源 ${parsed.data.source} 与地址中的 ${source} 不一致`);
  }
  const ids = [...new Set(parsed.data.subjects.map((s) => s.idNumber.trim().toUpperCase()))];
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('sim_dept_record')
          .selectAll()
          .where('source_code', '=', source)
          .where('id_number', 'in', ids)
          .orderBy('id')
          .execute();
  const byId = new Map<string, Record<string, Cell>[]>();
  for (const r of rows) {
    const list = byId.get(r.id_number) ?? [];
    list.push(recordToRow(recordOf(r)));
    byId.set(r.id_number, list);
  }
  return {
    source,
    simulated: true,
    results: parsed.data.subjects.map((s) => {
      const found = byId.get(s.idNumber.trim().toUpperCase()) ?? [];
      return { idNumber: s.idNumber, found: found.length > 0, rows: found };
    }),
  };
}

/**
 * All simulated records of a source as a department file in its layout (Chinese headers, enum labels):
 * the demo imports these as snapshots, mixing the formats.
 */
export async function exportSimulatedFile(
  db: Kysely<Database>,
  source: SourceCode,
  format: 'csv' | 'xlsx' | 'json',
): Promise<Buffer> {
  const layout = layoutOf(source);
  const records = (
    await db
      .selectFrom('sim_dept_record')
      .selectAll()
      .where('source_code', '=', source)
      .orderBy('id')
      .execute()
  ).map(recordOf);
  const rows = records.map((r) => recordToRow(r, { labels: true }));
  const headers = layout.columns.map((c) => c.header);
  if (format === 'json') {
    const items = rows.map((row) =>
      Object.fromEntries(layout.columns.map((c) => [c.header, row[c.key] ?? ''])),
    );
    return Buffer.from(`${JSON.stringify(items, null, 1)}\n`, 'utf8');
  }
  const table = [headers, ...rows.map((row) => layout.columns.map((c) => String(row[c.key] ?? '')))];
  if (format === 'csv') return Buffer.from(toCsv(table), 'utf8');
  return encodeXlsx(SOURCES[source].label, layout.columns, table);
}
