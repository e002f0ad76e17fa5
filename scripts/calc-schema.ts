/**
 * Rewrites the JSON Schema block of docs/calc.md from the scenario schema (the same output as `jiuzhu calc --schema`).
 * Run after changing a parameter kind or an engine input: `npx tsx scripts/calc-schema.ts`.
 * test/cli/calc.test.ts fails while the copy in docs/calc.md is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarioJsonSchema } from '../src/modules/calc/scenario.ts';

const file = resolve(import.meta.dirname, '../docs/calc.md');
const doc = readFileSync(file, 'utf8');
const start = '<!-- schema:start -->';
const end = '<!-- schema:end -->';
const a = doc.indexOf(start);
const b = doc.indexOf(end);
if (a < 0 || b < a) throw new Error('docs/calc.md: schema markers not found');
const block = `\n\`\`\`json\n${JSON.stringify(scenarioJsonSchema(), null, 2)}\n\`\`\`\n`;
const next = doc.slice(0, a + start.length) + block + doc.slice(b);
writeFileSync(file, next);
process.stdout.write(next === doc ? 'docs/calc.md is up to date\n' : 'docs/calc.md: schema updated\n');
