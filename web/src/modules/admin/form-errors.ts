import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client.ts';

/**
 * Puts the server's validation messages on the form fields they name (ApiError.field / issues).
 * Returns the message to show above the form when no field of this form was named, or null.
 */
export function showServerErrors(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
): string | null {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const issues = error.issues.length
    ? error.issues
    : error.field
      ? [{ field: error.field, message: error.message }]
      : [];
  const onFields = issues.filter((i) => fields.includes(i.field));
  if (onFields.length) {
    const byField = new Map<string, string[]>();
    for (const i of onFields) byField.set(i.field, [...(byField.get(i.field) ?? []), i.message]);
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    return null;
  }
  return error.message;
}

/** The password policy of the server (at least 8 characters with letters and digits), checked early. */
export function passwordPolicyError(value: string | undefined): string | null {
  if (!value) return null;
  if (value.length < 8) return '密码至少需要8位';
  if (value.length > 128) return '密码不能超过128位';
  if (!/[A-Za-z]/.test(value) || !/\d/.test(value)) return '密码必须同时包含字母和数字';
  return null;
}

export const PASSWORD_HINT = '至少8位，须同时包含字母和数字';
