/** Calls of the 核对 screens that are more than a GET: a department file upload and the layout template. */
import { api } from '../../api/client.ts';
import { download, readAsBase64 } from '../payments/api.ts';
import type { ImportResult } from './types.ts';

export { download };

/** 导入部门数据: the file's bytes as base64, with the date the department's data describes. */
export async function importSnapshot(sourceCode: string, file: File, asOf: string): Promise<ImportResult> {
  const contentBase64 = await readAsBase64(file);
  return api.post<ImportResult>(`/api/v1/departments/sources/${sourceCode}/snapshots`, {
    fileName: file.name,
    asOf,
    contentBase64,
  });
}

export function templateUrl(sourceCode: string, format: 'xlsx' | 'csv'): string {
  return `/api/v1/departments/layouts/${sourceCode}/template?format=${format}`;
}

export function printUrl(reportId: number): string {
  return `/api/v1/verification/reports/${reportId}/print`;
}
