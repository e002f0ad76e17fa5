/** Turns change-history entries (audit before/after, DB column names) into lines a clerk can read. */
import { ACTION_LABELS, FIELD_LABELS } from '../../../../../src/domain/household/field-labels.ts';
import type { HistoryEntry } from '../types.ts';
import { VALUE_LABELS } from './labels.ts';

export interface ChangeLine {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface DescribedEntry {
  action: string;
  summary: string | null;
  lines: ChangeLine[];
}

export interface HistoryContext {
  householdId: number;
  personNames: Map<number, string>;
  areaNames: Map<string, string>;
}

const HIDDEN = new Set(['id', 'version', 'created_at', 'updated_at', 'county_code']);
const EMPTY = '（空）';

export function formatValue(field: string, value: unknown, ctx: HistoryContext): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  const map = VALUE_LABELS[field];
  if (map && typeof value === 'string') return map[value] ?? value;
  switch (field) {
    case 'serious_illness':
      return value === true || value === 1 ? '是' : '否';
    case 'disability_grade':
      return `${value}级`;
    case 'head_person_id':
      return ctx.personNames.get(Number(value)) ?? `人员编号 ${String(value)}`;
    case 'town_code':
    case 'village_code':
      return ctx.areaNames.get(String(value)) ?? String(value);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function changeLines(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  ctx: HistoryContext,
): ChangeLine[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const lines: ChangeLine[] = [];
  for (const field of keys) {
    if (HIDDEN.has(field)) continue;
    lines.push({
      field,
      label: FIELD_LABELS[field] ?? field,
      before: formatValue(field, before?.[field], ctx),
      after: formatValue(field, after?.[field], ctx),
    });
  }
  return lines;
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export function describeEntry(entry: HistoryEntry, ctx: HistoryContext): DescribedEntry {
  const action = ACTION_LABELS[entry.action] ?? entry.action;
  const after = entry.after ?? {};
  const before = entry.before ?? {};
  switch (entry.action) {
    case 'household.create': {
      const members = Array.isArray(after.members)
        ? (after.members as { name?: string; relation?: string }[])
        : [];
      return {
        action,
        summary: `建档${str(after.address) ? `，地址：${str(after.address)}` : ''}${
          members.length
            ? `；成员：${members.map((m) => `${m.name ?? ''}（${m.relation ?? ''}）`).join('、')}`
            : ''
        }`,
        lines: [],
      };
    }
    case 'household.add_member': {
      const person = (after.person ?? {}) as Record<string, unknown>;
      return {
        action,
        summary: `新增成员 ${str(person.name)}（${str(after.relation)}）${
          str(after.validFrom) ? `，自 ${str(after.validFrom)} 起` : ''
        }`,
        lines: [],
      };
    }
    case 'person.move': {
      const from = Number(before.householdId);
      const to =
        after.householdId === null || after.householdId === undefined ? null : Number(after.householdId);
      const since = str(after.validFrom) ? `，自 ${str(after.validFrom)} 起` : '';
      const summary =
        to === ctx.householdId
          ? `迁入本户（${str(after.relation)}）${since}`
          : from === ctx.householdId
            ? `迁出本户${to ? `，迁入家庭（编号 ${to}）` : ''}${since}`
            : `人员迁移${since}`;
      return { action, summary, lines: [] };
    }
    default:
      return { action, summary: null, lines: changeLines(entry.before, entry.after, ctx) };
  }
}
