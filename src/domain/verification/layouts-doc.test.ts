/**
 * docs/verification-layouts.md documents every column of every layout: partners build their files from it, so it
 * must not drift from layouts.ts. Each source has a section `### \`code\` …` with one table row per column:
 * | `key` | 中文表头 | 是/否 | type | meaning (enum codes, `→ field`) |
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutOf } from './layouts.ts';
import { SOURCE_CODES, SOURCES } from './sources.ts';

const DOC = readFileSync(resolve(import.meta.dirname, '../../../docs/verification-layouts.md'), 'utf8');

function section(code: string): string {
  const start = DOC.indexOf(`### \`${code}\` `);
  if (start < 0) return '';
  const next = DOC.indexOf('\n### ', start + 1);
  return DOC.slice(start, next < 0 ? undefined : next);
}

describe('docs/verification-layouts.md', () => {
  it('states the layout version rule', () => {
    expect(DOC).toContain('## 版本规则');
    expect(DOC).toContain('v1');
  });

  it.each(SOURCE_CODES)('documents every column of the %s layout, and no other', (code) => {
    const text = section(code);
    expect(text, `no section for ${code}`).not.toBe('');
    expect(text).toContain(SOURCES[code].label);
    const layout = layoutOf(code);
    const rows = text.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1])).toEqual(layout.columns.map((c) => c.key));
    layout.columns.forEach((c, i) => {
      const cells = (rows[i] ?? '').split('|').map((x) => x.trim());
      expect(cells.slice(1, 5), `${code}.${c.key}`).toEqual([
        `\`${c.key}\``,
        c.header,
        c.required ? '是' : '否',
        c.type,
      ]);
      const meaning = cells[5] ?? '';
      if (c.field) expect(meaning, `${code}.${c.key} field`).toContain(`→ \`${c.field}\``);
      else expect(meaning, `${code}.${c.key} field`).not.toContain('→');
      for (const [label, value] of Object.entries(c.values ?? {})) {
        expect(meaning, `${code}.${c.key} value ${label}`).toContain(`\`${value}\``);
        expect(meaning, `${code}.${c.key} value ${label}`).toContain(label);
      }
    });
  });

  it('has a row for every source in the normalised-field table', () => {
    for (const code of SOURCE_CODES) {
      expect(DOC).toMatch(new RegExp(`^\\| \`${code}\` \\| ${SOURCES[code].label.replace('/', '\\/')}`, 'm'));
    }
  });
});
