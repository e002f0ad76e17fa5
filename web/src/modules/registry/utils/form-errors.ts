/** Puts a server's field errors (`issues[].field` like 'members[1].idNumber') onto the form's fields. */
import type { FormInstance } from 'antd';
import { ApiError } from '../../../api/client.ts';

export type NamePath = (string | number)[];

/** 'members[1].idNumber' → ['members', 1, 'idNumber'] */
export function fieldPath(field: string): NamePath {
  return field
    .split(/[.[\]]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Shows each issue under its field when the form has that field (`known` decides), and returns the
 * messages that have no field on the form, for an Alert above it.
 */
export function applyServerErrors(
  form: FormInstance,
  error: ApiError,
  known: (path: NamePath) => boolean,
): string[] {
  const issues =
    error.issues.length > 0
      ? error.issues
      : error.field
        ? [{ field: error.field, message: error.message }]
        : [];
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const unplaced: string[] = [];
  for (const issue of issues) {
    const name = fieldPath(issue.field);
    if (name.length === 0 || !known(name)) {
      unplaced.push(issue.message);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return unplaced;
}

export function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : '操作失败，请稍后重试';
}

export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, { message: String(e) });
}
