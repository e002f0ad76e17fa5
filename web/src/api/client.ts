/**
 * The one way the web app talks to the server: same-origin fetch with the session cookie, the CSRF
 * token echoed on changes, and errors turned into ApiError with the server's Chinese message.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly issues: FieldIssue[];
  constructor(
    status: number,
    body: { code?: string; message?: string; field?: string; issues?: FieldIssue[] },
  ) {
    super(body.message ?? `请求失败（${status}）`);
    this.status = status;
    this.code = body.code ?? 'ERROR';
    this.field = body.field;
    this.issues = body.issues ?? [];
  }
}

function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('jiuzhu_csrf='))
    ?.slice('jiuzhu_csrf='.length);
}

let onUnauthenticated: (() => void) | null = null;
/** The auth provider registers what to do when the session has ended (go to the login page). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const error = new ApiError(res.status, (data as { error?: object } | null)?.error ?? {});
    if (res.status === 401 && error.code === 'UNAUTHENTICATED' && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}),
  patch: <T>(url: string, body: unknown) => request<T>('PATCH', url, body),
  put: <T>(url: string, body: unknown) => request<T>('PUT', url, body),
};

/** Builds a query string, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
