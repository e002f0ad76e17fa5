/** Calls of the 资金发放 screens that are more than a GET (downloads and file uploads). */
import { ApiError, api } from '../../api/client.ts';
import type { PayrollDetail } from './types.ts';

export function loadPayroll(id: number): Promise<PayrollDetail> {
  return api.get<PayrollDetail>(`/api/v1/payrolls/${id}`);
}

function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain?.[1] ?? fallback;
}

/**
 * Downloads a file from the server and hands it to the browser as a download; an error answer (JSON)
 * becomes an ApiError with the server's message instead of a page of JSON.
 */
export async function download(url: string, fallbackName: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) {
    const text = await res.text();
    let body: { error?: object } | null = null;
    try {
      body = text ? (JSON.parse(text) as { error?: object }) : null;
    } catch {
      body = null;
    }
    throw new ApiError(res.status, body?.error ?? {});
  }
  const blob = await res.blob();
  const name = fileNameOf(res, fallbackName);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}

/** Reads a chosen file as base64 (the bytes of a CSV or Excel return file, unchanged). */
export function readAsBase64(file: File): Promise<string> {
  return new Promise((ok, fail) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      ok(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => fail(new ApiError(0, { message: '无法读取所选文件' }));
    reader.readAsDataURL(file);
  });
}

export interface ReturnResult {
  batchId: number;
  paidCount: number;
  failedCount: number;
  changedCount: number;
  awaitingCount: number;
  alreadyImported: boolean;
  message: string;
  failed: { lineRef: number; holder: string; amountFen: number; reason: string }[];
}

/** 回盘导入: sends the bank's return file of a batch. */
export async function importReturn(batchId: number, file: File): Promise<ReturnResult> {
  const contentBase64 = await readAsBase64(file);
  return api.post<ReturnResult>(`/api/v1/bank-batches/${batchId}/return`, {
    fileName: file.name,
    contentBase64,
  });
}
