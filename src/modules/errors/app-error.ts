/**
 * Refused commands throw an AppError with a code from a closed set and a message in Chinese.
 * http/error-handler.ts maps each code to an HTTP status in one exhaustive switch.
 * Expected outcomes (ineligible, partially paid…) are return values, not errors.
 */
export const ErrorCode = {
  VALIDATION: 'VALIDATION', // bad input: field + reason
  INVALID_JSON: 'INVALID_JSON',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN', // role lacks the permission
  FORBIDDEN_AREA: 'FORBIDDEN_AREA', // record outside the user's area
  CSRF: 'CSRF',
  LOGIN_FAILED: 'LOGIN_FAILED',
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  STALE_VERSION: 'STALE_VERSION', // optimistic lock: someone else changed the record
  CONFLICT: 'CONFLICT', // uniqueness or state conflict (e.g. ID number already registered)
  REFUSED: 'REFUSED', // a workflow action the rules do not allow now (the reasons say why)
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldIssue {
  field: string;
  message: string;
  row?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly issues: FieldIssue[];
  /** For refusals that must themselves be audited (a try to reach another area's record). */
  readonly audit: DeniedAccess | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { field?: string; issues?: FieldIssue[]; audit?: DeniedAccess } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.issues = options.issues ?? (options.field ? [{ field: options.field, message }] : []);
    this.audit = options.audit;
  }
}

export interface DeniedAccess {
  entityType: string;
  entityId: number | string;
  countyCode: string | null;
  townCode: string | null;
  attempted: string;
}

export const forbiddenArea = (what: string, audit: DeniedAccess) =>
  new AppError(ErrorCode.FORBIDDEN_AREA, `该${what}不在您的管辖区域内，无权${audit.attempted}`, { audit });

export const validationError = (field: string, message: string) =>
  new AppError(ErrorCode.VALIDATION, message, { field });
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what}不存在`);
export const staleVersion = (what: string) =>
  new AppError(
    ErrorCode.STALE_VERSION,
    `${what}已被其他人修改，请刷新后重新编辑（您提交的版本已过期，本次修改未保存）`,
    { field: 'version' },
  );
