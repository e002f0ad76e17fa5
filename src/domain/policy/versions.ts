/**
 * Version rules of effective-dated policy parameters (DOMAIN §12 recommendation, §15: standards and rules
 * change by document, with an effective month; nothing is hard-coded). The versions of one
 * (county, town | county-wide, program) form a timeline without overlaps or gaps:
 * - a new version starts after the latest version's start; the latest open version is closed the month
 *   before (effective_to is inclusive);
 * - after a closed latest version, the next one starts at the latest the month after it ends;
 * - a version that has paid money is never edited: a correction is a new version (DOMAIN §16, records of
 *   payments are not altered).
 * Pure: the caller loads the existing versions and writes the plan.
 */
import { isIsoMonth } from '../calendar/dates.ts';
import { addMonthsToMonth } from '../workflow/months.ts';

export interface ExistingVersion {
  id: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  docNo: string;
  usedInPayment: boolean;
}

export interface NewVersionInput {
  effectiveFrom: string;
  effectiveTo?: string | null;
  docNo: string;
}

export interface VersionRefusal {
  ok: false;
  field: string;
  reason: string;
}

export type VersionPlan =
  | {
      ok: true;
      /** The latest open version, to be closed the month before the new one starts. */
      close: { id: number; effectiveTo: string } | null;
    }
  | VersionRefusal;

export const USED_VERSION_REFUSAL = '已用于发放，不能修改；请录入新版本';

/** 'YYYY-MM' → '2015年1月' for messages. */
export function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

function describeVersion(v: ExistingVersion): string {
  const to = v.effectiveTo ? `至${monthLabel(v.effectiveTo)}` : '起';
  return `${monthLabel(v.effectiveFrom)}${to}的版本（文号：${v.docNo}）`;
}

/** Months, the 文号 and the range of a version on its own. */
export function checkVersionFields(input: NewVersionInput): VersionRefusal | null {
  if (!isIsoMonth(input.effectiveFrom)) {
    return { ok: false, field: 'effectiveFrom', reason: '生效月份应为 YYYY-MM 格式，如 2015-01' };
  }
  if (input.effectiveTo !== undefined && input.effectiveTo !== null) {
    if (!isIsoMonth(input.effectiveTo)) {
      return { ok: false, field: 'effectiveTo', reason: '截止月份应为 YYYY-MM 格式，如 2015-12' };
    }
    if (input.effectiveTo < input.effectiveFrom) {
      return { ok: false, field: 'effectiveTo', reason: '截止月份不能早于生效月份' };
    }
  }
  if (input.docNo.trim() === '') {
    return { ok: false, field: 'docNo', reason: '请填写政策文件文号（如 韶民〔2015〕12号）' };
  }
  return null;
}

/** The version with the latest start, or null. */
export function latestVersion(existing: readonly ExistingVersion[]): ExistingVersion | null {
  let latest: ExistingVersion | null = null;
  for (const v of existing) if (!latest || v.effectiveFrom > latest.effectiveFrom) latest = v;
  return latest;
}

/**
 * Validates a new version against the existing versions of the same (county, town | null, program) and
 * says which version to close. Refusals name the conflicting version and its 文号.
 */
export function planNewVersion(existing: readonly ExistingVersion[], input: NewVersionInput): VersionPlan {
  const fields = checkVersionFields(input);
  if (fields) return fields;
  const latest = latestVersion(existing);
  if (!latest) return { ok: true, close: null };
  const from = input.effectiveFrom;
  if (from <= latest.effectiveFrom) {
    return {
      ok: false,
      field: 'effectiveFrom',
      reason: `与${describeVersion(latest)}重叠：新版本的生效月份须晚于${monthLabel(latest.effectiveFrom)}`,
    };
  }
  if (latest.effectiveTo === null) {
    return { ok: true, close: { id: latest.id, effectiveTo: addMonthsToMonth(from, -1) } };
  }
  if (from <= latest.effectiveTo) {
    return {
      ok: false,
      field: 'effectiveFrom',
      reason: `与${describeVersion(latest)}重叠：新版本的生效月份须晚于${monthLabel(latest.effectiveTo)}`,
    };
  }
  const next = addMonthsToMonth(latest.effectiveTo, 1);
  if (from > next) {
    return {
      ok: false,
      field: 'effectiveFrom',
      reason: `与${describeVersion(latest)}之间有空档（${monthLabel(next)}至${monthLabel(addMonthsToMonth(from, -1))}无适用参数）：新版本应自${monthLabel(next)}起生效`,
    };
  }
  return { ok: true, close: null };
}

/** A version's body (and 文号) may be edited only while no payment has used it. */
export function checkEditable(version: Pick<ExistingVersion, 'usedInPayment'>): VersionRefusal | null {
  return version.usedInPayment ? { ok: false, field: 'body', reason: USED_VERSION_REFUSAL } : null;
}

/**
 * Whether a version starting at `newFrom` reaches back into months already paid by a locked (approved)
 * payroll: then the months newFrom … lastLockedPayMonth must be recalculated (arrears or recoveries).
 */
export function retroactiveFrom(
  newFrom: string,
  lastLockedPayMonth: string | null,
): { from: string; through: string; months: number } | null {
  if (lastLockedPayMonth === null || newFrom > lastLockedPayMonth) return null;
  const months =
    (Number(lastLockedPayMonth.slice(0, 4)) - Number(newFrom.slice(0, 4))) * 12 +
    (Number(lastLockedPayMonth.slice(5, 7)) - Number(newFrom.slice(5, 7))) +
    1;
  return { from: newFrom, through: lastLockedPayMonth, months };
}

/** The version in force in `month`, among the versions of one timeline. */
export function versionInForce<T extends Pick<ExistingVersion, 'effectiveFrom' | 'effectiveTo'>>(
  versions: readonly T[],
  month: string,
): T | null {
  let found: T | null = null;
  for (const v of versions) {
    if (v.effectiveFrom > month) continue;
    if (v.effectiveTo !== null && v.effectiveTo < month) continue;
    if (!found || v.effectiveFrom > found.effectiveFrom) found = v;
  }
  return found;
}
