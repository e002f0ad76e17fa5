/** How the case screens read a failed request: a refusal with its reasons, a stale version, or a field error. */
import type { FormInstance } from 'antd';
import { ApiError } from '../../../api/client.ts';

export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, { message: e instanceof Error ? e.message : String(e) });
}

/** 409: someone else took an action on the case since it was loaded. */
export function isStale(e: ApiError): boolean {
  return e.status === 409 || e.code === 'STALE_VERSION';
}

/** 422 REFUSED: the rules do not allow the action now; each issue is one reason (with its legal source). */
export function isRefused(e: ApiError): boolean {
  return e.code === 'REFUSED';
}

/**
 * The reasons to show in an Alert. A refusal lists every reason the server gave; other errors put their
 * field issues under the form's fields (`fields` maps a server field to a form field) and list the rest.
 */
export function reasonsOf(e: ApiError, form?: FormInstance, fields: Record<string, string> = {}): string[] {
  if (isRefused(e)) return e.issues.length > 0 ? e.issues.map((i) => i.message) : [e.message];
  const issues = e.issues.length > 0 ? e.issues : e.field ? [{ field: e.field, message: e.message }] : [];
  const placed = new Map<string, string[]>();
  const rest: string[] = [];
  for (const issue of issues) {
    const key = Object.keys(fields).find((f) => issue.field === f || issue.field.endsWith(`.${f}`));
    const name = key ? fields[key] : undefined;
    if (form && name) placed.set(name, [...(placed.get(name) ?? []), issue.message]);
    else rest.push(issue.message);
  }
  if (form && placed.size > 0) form.setFields([...placed].map(([name, errors]) => ({ name, errors })));
  if (issues.length === 0) rest.push(e.message);
  return rest;
}
