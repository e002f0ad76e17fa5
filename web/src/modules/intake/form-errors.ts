/** Puts the server's field errors on the form field they name (a list field such as 'items[0]' on 'items'). */
import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client.ts';
import { fieldPath } from '../registry/utils/form-errors.ts';

/**
 * Shows each issue under its field when the form has it (`fields`: top-level names), and returns the
 * messages that have no field on the form, for an Alert above it.
 */
export function placeServerErrors(form: FormInstance, error: unknown, fields: readonly string[]): string[] {
  if (!(error instanceof ApiError)) return [error instanceof Error ? error.message : '操作失败，请稍后重试'];
  const issues =
    error.issues.length > 0
      ? error.issues
      : error.field
        ? [{ field: error.field, message: error.message }]
        : [];
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const issue of issues) {
    const top = String(fieldPath(issue.field)[0] ?? '');
    if (fields.includes(top)) byField.set(top, [...(byField.get(top) ?? []), issue.message]);
    else unplaced.push(issue.message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  if (issues.length === 0) unplaced.push(error.message);
  return unplaced;
}

/** A stale version: someone else changed the request meanwhile. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'STALE_VERSION';
}
