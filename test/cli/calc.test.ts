/**
 * `jiuzhu calc` on every worked example of docs/calc.md. The expected figures are worked out by hand from the rule
 * text and the demo parameters (src/modules/demo/demo-policy.ts), in the comments; they are not copied from output.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, runScenario, scenarioJsonSchema } from '../../src/modules/calc/scenario.ts';
import { insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import { AppError } from '../../src/modules/errors/app-error.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../docs/calc-examples');
const BIN = resolve(import.meta.dirname, '../../bin/jiuzhu.mjs');
/** A `jiuzhu` process takes a few seconds to start, more on a busy machine. */
const SPAWN_TIMEOUT = 120_000;

// The examples run concurrently: each `jiuzhu` process spends most of its time starting up.
type CalcOutput = ReturnType<typeof JSON.parse>;
const outputs = new Map<string, Promise<CalcOutput>>();
function calc(file: string): Promise<CalcOutput> {
  let p = outputs.get(file);
  if (!p) {
    p = promisify(execFile)(process.execPath, [BIN, 'calc', '--file', resolve(EXAMPLES, file)], {
      env: { ...process.env, JIUZHU_DEMO: 'false' },
      timeout: 120_000,
    }).then(({ stdout }) => JSON.parse(stdout) as CalcOutput);
    outputs.set(file, p);
  }
  return p;
}

// Every example is asserted below (a new example file without figures fails here).
const ASSERTED = [
  'dibao-gap-addons.json',
  'dibao-refused-assets.json',
  'dibao-single-person.json',
  'tekun-multiple.json',
  'temporary-aid.json',
  'medical-aid-annual-cap.json',
  'price-subsidy.json',
];

describe('jiuzhu calc: the worked examples of docs/calc.md', () => {
  beforeAll(async () => {
    await Promise.all(ASSERTED.map(calc));
  }, 180_000);

  it('has figures for every example file', () => {
    expect(
      readdirSync(EXAMPLES)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([...ASSERTED].sort());
  });

  it('dibao gap with add-ons (农村低保 260 元, 4 persons)', async () => {
    // Counted income over 6 months: pension 480 + wage 2,400 + farming 1,200 = 4,080 元 (scholarship 500 exempt);
    // per capita 4,080 ÷ 6 ÷ 4 = 170.00 元. Gap (260 − 170) × 4 = 360 元.
    // Add-ons, highest single item: the 72-year-old 260 × 0.1 = 26 元, the seriously ill 260 × 0.3 = 78 元.
    // Total 360 + 26 + 78 = 464 元. Assets: 20,000 ÷ 4 = 5,000 ≤ 24 × 410 = 9,840 per person; the motorcycle is exempt.
    const r = await calc('dibao-gap-addons.json');
    expect(r.policy).toEqual({ source: 'inline' });
    expect(r.result).toMatchObject({
      eligible: true,
      refusals: [],
      periodIncomeFen: 408_000,
      monthlyPerCapitaIncomeFen: 17_000,
      membersCounted: 4,
      benefit: {
        totalFen: 46_400,
        components: [
          { component: 'dibao_base', amountFen: 36_000 },
          { component: 'dibao_addon', amountFen: 2_600, personIndex: 0 },
          { component: 'dibao_addon', amountFen: 7_800, personIndex: 2 },
        ],
      },
    });
    expect(r.explanation.map((l: { step: string }) => l.step)).toContain('差额补助');
  });

  it('dibao refused on assets (城镇低保 410 元, 2 persons)', async () => {
    // Per person 20,000 ÷ 2 = 10,000 元 > 24 × 410 = 9,840 元; a car where none is allowed. Income alone would
    // qualify (1,200 ÷ 6 ÷ 2 = 100 元 < 410 元), so exactly the two property rules refuse.
    const r = await calc('dibao-refused-assets.json');
    expect(r.result).toMatchObject({ eligible: false, benefit: null, monthlyPerCapitaIncomeFen: 10_000 });
    expect(r.result.refusals.map((x: { code: string }) => x.code)).toEqual([
      'financial_assets',
      'motor_vehicle',
    ]);
    expect(r.result.refusals[0].text).toContain('9,840.00');
  });

  it('单人保: the severely disabled member alone', async () => {
    // Household per capita (3,600 + 2,880) ÷ 6 ÷ 3 = 360 元: ≥ 260 and < 1.5 × 260 = 390 → 低保边缘家庭.
    // The applicant alone: own income 0 → gap (260 − 0) × 1 = 260 元; 重度残疾 add-on 260 × 0.2 = 52 元; 312 元.
    const r = await calc('dibao-single-person.json');
    expect(r.result).toMatchObject({
      eligible: true,
      edgeFamily: true,
      householdPerCapitaIncomeFen: 36_000,
      monthlyPerCapitaIncomeFen: 0,
      membersCounted: 1,
      benefit: { totalFen: 31_200 },
    });
  });

  it('tekun: 1.6 × the dibao standard plus the care tier', async () => {
    // 1.6 × 260 = 416 元 (rounded up to yuan: already whole) + 全护理 300 元 = 716 元.
    const r = await calc('tekun-multiple.json');
    expect(r.result).toEqual({
      totalFen: 71_600,
      components: [
        { component: 'tekun_basic', amountFen: 41_600 },
        { component: 'tekun_care', amountFen: 30_000 },
      ],
    });
  });

  it('temporary aid: band, band cap, household annual cap, county approval', async () => {
    // Band X2: 260 × 2 months × 8 persons = 4,160 元 → band cap 4,000 元 → annual cap left 8,000 − 5,000 = 3,000 元.
    // Town limit 3 × 260 = 780 元 < 3,000 元 → the county approves.
    const r = await calc('temporary-aid.json');
    expect(r.result).toEqual({ amountFen: 300_000, approvalLevel: 'county', capped: true, refusals: [] });
  });

  it('medical aid: 70% within what is left of the annual cap', async () => {
    // Covered 40,000 − insurance 22,000 − 大病 6,000 = 12,000 元; × 0.7 = 8,400 元; cap 10,000 − 3,000 paid = 7,000 元.
    // Out of pocket: 50,000 − (22,000 + 6,000 + 7,000) = 15,000 元.
    const r = await calc('medical-aid-annual-cap.json');
    expect(r.result).toMatchObject({ assistanceFen: 700_000, outOfPocketFen: 1_500_000 });
    expect(r.result.layers.map((l: { amountFen: number }) => l.amountFen)).toEqual([
      2_200_000, 600_000, 700_000,
    ]);
  });

  it('price subsidy: the food index triggers, standard × rise', async () => {
    // CPI 2.1% < 3%; food 7.4% ≥ 7% → rise 7.4%; 260 × 7.4% = 19.24 元 → 19 元 (half up to yuan) ≥ floor 10 元.
    const r = await calc('price-subsidy.json');
    expect(r.result).toEqual({ triggered: true, rise: '7.4', amountFen: 1_900 });
  });
});

describe('jiuzhu calc: malformed scenarios', () => {
  const scenario = JSON.parse(readFileSync(resolve(EXAMPLES, 'dibao-gap-addons.json'), 'utf8'));

  it(
    'names the field path of a non-integer amount, exit code 2',
    () => {
      const bad = structuredClone(scenario);
      bad.input.members[1].incomes[0].amountFen = 2400.5;
      const res = runCli(['calc', '--file', '-'], {}, JSON.stringify(bad));
      expect(res.status).toBe(2);
      expect(res.stderr).toContain('input.members[1].incomes[0].amountFen: 金额应为整数（分）');
      expect(res.stdout).toBe('');
    },
    SPAWN_TIMEOUT,
  );

  it.each([
    [{ engine: 'pension' }, 'engine'],
    [{ month: '2015-9' }, 'month'],
    [{ policy: { ...scenario.policy, standardFen: -1 } }, 'policy.standardFen'],
    [{ policy: { fromDatabase: { programCode: 'rural_tekun' } } }, 'policy.fromDatabase.programCode'],
    [{ input: { ...scenario.input, members: [] } }, 'input.members'],
    [{ extra: 1 }, 'scenario'],
  ])('refuses %o naming %s (the check the CLI runs, in process)', (change, field) => {
    let error: unknown;
    try {
      parseScenario({ ...scenario, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION', field });
    expect((error as AppError).message.startsWith(`${field}: `)).toBe(true);
  });

  it(
    'refuses text that is not JSON with exit code 2',
    () => {
      const notJson = runCli(['calc', '--file', '-'], {}, '{ "engine": ');
      expect(notJson.status).toBe(2);
      expect(notJson.stderr).toContain('不是有效的 JSON');
    },
    SPAWN_TIMEOUT,
  );

  it(
    'refuses a missing file with exit code 2',
    () => {
      const missing = runCli(['calc', '--file', '/nonexistent/scenario.json']);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('无法读取情景文件');
    },
    SPAWN_TIMEOUT,
  );

  it(
    'prints the JSON Schema of the format with --schema',
    () => {
      const res = runCli(['calc', '--schema']);
      expect(res.status).toBe(0);
      const schema = JSON.parse(res.stdout);
      expect(schema.title).toContain('政策测算情景');
      expect(JSON.stringify(schema)).toContain('fromDatabase');
    },
    SPAWN_TIMEOUT,
  );
});

describe.each(ENGINES)('jiuzhu calc with parameters from the database on %s', (engine) => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await tdb.db
      .transaction()
      .execute((trx) => insertDemoPolicy(trx, '440232', new Date('2015-01-05T00:00:00Z')));
    env = { DATABASE_URL: databaseUrlOf(tdb) };
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it(
    'reads the version in force and the dibao standard the 特困 multiple builds on',
    () => {
      // Urban 三无 (urban_tekun): 1.6 × 410 = 656 元 + care 76 元 (the demo's flat 2015 amount for every tier) = 732 元.
      const res = runCli(
        ['calc', '--file', '-', '--county', '440232'],
        env,
        JSON.stringify({
          engine: 'tekun',
          month: '2015-09',
          policy: { fromDatabase: { programCode: 'urban_tekun' } },
          input: { supportMode: 'concentrated', selfCare: 'partial_care' },
        }),
      );
      expect(res.status).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({
        policy: { source: 'database', docNo: '乳民〔2015〕演示3号', effectiveFrom: '2015-01' },
        dibaoStandard: { program: 'urban_dibao', standardFen: 41_000, docNo: '乳民〔2015〕演示1号' },
        result: { totalFen: 73_200 },
      });
    },
    SPAWN_TIMEOUT,
  );

  it('takes the temporary-aid standard from the database when the scenario names only the program', async () => {
    // In process (the same function the CLI calls) to spare a process start.
    // Band E2 (emergency, not per person): 4 × 410 = 1,640 元 ≤ emergency cap 3,000 元; > town limit 3 × 410 = 1,230.
    const r = await runScenario(
      {
        engine: 'temporary_aid',
        month: '2015-09',
        dibaoProgram: 'urban_dibao',
        policy: { fromDatabase: { programCode: 'temporary_aid' } },
        input: { bandCode: 'E2', persons: 3 },
      },
      { db: tdb.db, countyCode: '440232' },
    );
    expect(r.dibaoStandard).toMatchObject({ program: 'urban_dibao', standardFen: 41_000 });
    expect(r.result).toMatchObject({ amountFen: 164_000, approvalLevel: 'county' });
  });

  it('says so when no version covers the month', async () => {
    await expect(
      runScenario(
        {
          engine: 'medical_aid',
          month: '2014-12',
          policy: { fromDatabase: { programCode: 'medical_aid' } },
          input: { category: 'dibao', billFen: 100_000, eligibleFen: 80_000 },
        },
        { db: tdb.db, countyCode: '440232' },
      ),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('2014-12 没有适用的 medical_aid 政策参数'),
    });
  });
});

describe('docs/calc.md', () => {
  it('carries the current JSON Schema of the scenario format', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/calc.md'), 'utf8');
    const block = /<!-- schema:start -->\s*```json\n([\s\S]*?)\n```\s*<!-- schema:end -->/.exec(doc);
    expect(block, 'docs/calc.md has no schema block').not.toBeNull();
    expect(JSON.parse(block?.[1] ?? '')).toEqual(scenarioJsonSchema());
  });
});
