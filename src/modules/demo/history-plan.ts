/**
 * The demo county's simulated 2014–2015 (issue 7): which households apply, are refused, leave, or are reviewed,
 * and when. Pure: the plan is computed from the generated population (the county as it stands on 2015-09-30) and
 * a seed; demo-history.ts then drives every step through the real case, payroll and payment services.
 *
 * The volumes come from the seed report (DOMAIN §17) and are DEMO calibration, not rules:
 * - 2015-01..08 新增 城镇 12 户 18 人, 农村 52 户 131 人 (first covered month January–August);
 * - 2015-01..08 取消 城镇 7 户 14 人, 农村 77 户 263 人 (stopped from a month January–August);
 * - the July 2014 核查 re-checked 2,652 户 6,594 人 on dibao and 465 五保 persons, and took 58 户 219 人 and 10
 *   五保 persons off; the other exits of August–December 2014 bring the July stock to the report's figure.
 * Persons are counted as the statistics count them (statistics.repository.ts): the members on the last day of
 * the month in question.
 */
import { addMonthsToMonth } from '../../domain/workflow/months.ts';
import type { DemoEnrolment, DemoPopulation } from './generate-population.ts';
import type { Rng } from './random.ts';

export const HISTORY_TARGETS = {
  added: { urban_dibao: { households: 12, persons: 18 }, rural_dibao: { households: 52, persons: 131 } },
  removed: { urban_dibao: { households: 7, persons: 14 }, rural_dibao: { households: 77, persons: 263 } },
  campaign: {
    asOf: '2014-07-10',
    dibao: { households: 2652, persons: 6594 },
    dibaoExits: { households: 58, persons: 219 },
    tekunPersons: 465,
    tekunExits: 10,
  },
  /** Applications refused in 2015 and routine reviews kept (no figure in the report; plausible volumes). */
  refusals: 6,
  reviews: 40,
  /** Deaths in dibao households in 2015, recorded the month after and re-checked (DOMAIN §4.9). */
  memberDeaths: 12,
} as const;

export type DibaoProgram = 'urban_dibao' | 'rural_dibao';

export interface PlannedApplication {
  householdKey: number;
  program: DibaoProgram;
  /** Accepted on the 3rd of the month before the first covered month (DOMAIN §4.5 procedure of 2012). */
  acceptedMonth: string;
  startMonth: string;
  persons: number;
}

export type ExitKind = 'campaign_2014' | 'churn_2014' | 'cancel_2015';

export interface PlannedExit {
  kind: ExitKind;
  householdKey: number;
  /** The covered person of a 五保 enrolment; null for a dibao household. */
  personKey: number | null;
  program: 'urban_dibao' | 'rural_dibao' | 'rural_tekun';
  /** The last covered month (the stop takes effect the month after, DOMAIN §4.7). */
  endMonth: string;
  reason: string;
  persons: number;
}

export interface PlannedRefusal {
  householdKey: number;
  program: DibaoProgram;
  acceptedMonth: string;
}

export interface HistoryPlan {
  applications: PlannedApplication[];
  exits: PlannedExit[];
  refusals: PlannedRefusal[];
  /** Enrolled households reviewed and kept in 2015, with the review month. */
  reviews: { householdKey: number; program: DibaoProgram; month: string }[];
  /** A member of an enrolled dibao household who died in 2015 (the generator's death), recorded the month after. */
  deaths: { householdKey: number; program: DibaoProgram; personKey: number; deathDate: string }[];
  /** The population to write: enrolments without the 2015 applicants, plus the households that leave later. */
  enrolments: DemoEnrolment[];
}

const EXIT_REASONS = [
  '家庭人均收入超过低保标准',
  '家庭成员外出务工收入增加',
  '家庭财产状况不符合低保条件',
  '家庭成员就业，收入超过标准',
];
const CAMPAIGN_REASONS = [
  '核查发现家庭成员有稳定工资收入，家庭人均收入超过低保标准',
  '核查发现家庭拥有机动车辆，不符合低保条件',
  '核查发现家庭成员经商办企业，收入超过标准',
  '核查发现家庭在县城购有商品房，财产不符合条件',
];

function monthDay(month: string): string {
  return `${month}-31`;
}

/** Members on the last day of the month, as the statistics count them. */
function membersAt(pop: DemoPopulation, householdKey: number, date: string): number {
  return (byHousehold(pop).get(householdKey) ?? []).filter(
    (m) => m.validFrom <= date && (m.validTo === null || m.validTo > date),
  ).length;
}

const cache = new WeakMap<DemoPopulation, Map<number, DemoPopulation['memberships']>>();
function byHousehold(pop: DemoPopulation) {
  let m = cache.get(pop);
  if (!m) {
    m = new Map();
    for (const x of pop.memberships) {
      const list = m.get(x.householdKey) ?? [];
      list.push(x);
      m.set(x.householdKey, list);
    }
    cache.set(pop, m);
  }
  return m;
}

/** Households whose make-up and address did not change since 2014 (so every count of them is the same). */
function stableSince2014(pop: DemoPopulation, key: number): boolean {
  const h = pop.households[key];
  if (!h || h.areaHistory.some((a) => a.validFrom > '2014-01-01')) return false;
  return (byHousehold(pop).get(key) ?? []).every(
    (m) => m.validFrom <= '2014-01-01' && (m.validTo === null || m.validTo <= '2014-01-01'),
  );
}

/**
 * Picks `count` items whose sizes sum to exactly `total` (random tries; the candidates are plentiful).
 * Throws when no exact pick is found: the demo must not silently miss the report's figures.
 */
function pickExact<T>(
  rng: Rng,
  items: readonly T[],
  size: (t: T) => number,
  count: number,
  total: number,
): T[] {
  const sized = items.map((it) => ({ it, s: size(it) })).filter((x) => x.s > 0);
  for (let attempt = 0; attempt < 200; attempt++) {
    const pool = rng.shuffle(sized);
    const chosen: { it: T; s: number }[] = [];
    let sum = 0;
    while (chosen.length < count) {
      const slots = count - chosen.length;
      const need = (total - sum) / slots;
      // Each pick keeps the running average on course: a size next to what the remaining slots need on average.
      const fits = (x: { s: number }) =>
        slots === 1
          ? x.s === total - sum
          : Math.abs(x.s - need) <= 1 + attempt / 50 && x.s <= total - sum - (slots - 1);
      const i = pool.findIndex(fits);
      if (i < 0) break;
      const [x] = pool.splice(i, 1);
      if (!x) break;
      chosen.push(x);
      sum += x.s;
    }
    if (chosen.length === count && sum === total) return chosen.map((x) => x.it);
  }
  throw new Error(`演示历史：无法从 ${items.length} 个候选中选出 ${count} 户合计 ${total} 人`);
}

/** Towns and townships have a service window; a state forest farm is served by a neighbouring town's. */
export function hasServiceWindow(townName: string): boolean {
  return /(镇|乡|街道)$/.test(townName);
}

/** `windowTowns`: the towns whose households the simulated year may touch (all when omitted). */
export function planHistory(pop: DemoPopulation, rng: Rng, windowTowns?: ReadonlySet<string>): HistoryPlan {
  const T = HISTORY_TARGETS;
  const inWindowTown = (key: number) => {
    const h = pop.households[key];
    return h !== undefined && (windowTowns === undefined || windowTowns.has(h.townCode));
  };
  const staffHomes = new Set<number>();
  const staffPersons = new Set(
    pop.staff.flatMap((s) => [s.personKey, ...s.relatives.map((r) => r.personKey)]),
  );
  for (const m of pop.memberships) if (staffPersons.has(m.personKey)) staffHomes.add(m.householdKey);
  // Generator-planted duplicates (same name, birth date, sex) stay as they are for the 核查 demo.
  const seen = new Map<string, number>();
  const planted = new Set<number>();
  for (const m of pop.memberships) {
    if (m.validTo !== null) continue;
    const p = pop.persons[m.personKey];
    if (!p) continue;
    const k = `${p.name}|${p.birthDate}|${p.sex}`;
    const other = seen.get(k);
    if (other !== undefined && other !== m.householdKey) {
      planted.add(other);
      planted.add(m.householdKey);
    }
    seen.set(k, m.householdKey);
  }
  const enrolledKeys = new Set(pop.enrolments.map((e) => e.householdKey));
  // The year's flows are the plan's alone: every other enrolment began before the July 2014 核查.
  const earlier = pop.enrolments.map((e) =>
    e.startMonth <= '2014-06' ? e : { ...e, startMonth: addMonthsToMonth('2009-01', rng.int(0, 65)) },
  );

  // 1. 2015 applicants: enrolled household-level dibao cases, first covered month January–August.
  const applications: PlannedApplication[] = [];
  const usedNow = new Set<number>();
  for (const program of ['urban_dibao', 'rural_dibao'] as const) {
    const target = T.added[program];
    const candidates = earlier
      .filter(
        (e) =>
          e.programCode === program &&
          e.personKey === null &&
          !e.singlePerson &&
          !planted.has(e.householdKey) &&
          !staffHomes.has(e.householdKey) &&
          inWindowTown(e.householdKey) &&
          stableSince2014(pop, e.householdKey) &&
          earlier.filter((x) => x.householdKey === e.householdKey).length === 1,
      )
      .map((e) => ({ e, start: `2015-${String(rng.int(1, 8)).padStart(2, '0')}` }));
    const chosen = pickExact(
      rng,
      candidates,
      (c) => membersAt(pop, c.e.householdKey, monthDay(c.start)),
      target.households,
      target.persons,
    );
    for (const c of chosen) {
      usedNow.add(c.e.householdKey);
      applications.push({
        householdKey: c.e.householdKey,
        program,
        startMonth: c.start,
        acceptedMonth: addMonthsToMonth(c.start, -1),
        persons: membersAt(pop, c.e.householdKey, monthDay(c.start)),
      });
    }
  }

  // 2. Leavers: households on no program today, enrolled since before 2014, stopped at the planned month.
  const free = pop.households
    .map((h) => h.key)
    .filter(
      (k) =>
        !enrolledKeys.has(k) &&
        !staffHomes.has(k) &&
        !planted.has(k) &&
        inWindowTown(k) &&
        stableSince2014(pop, k) &&
        membersAt(pop, k, '2015-09-30') > 0,
    );
  const taken = new Set<number>();
  const exits: PlannedExit[] = [];
  const take = (
    kind: ExitKind,
    program: DibaoProgram,
    count: number,
    persons: number,
    months: () => string,
    reasons: readonly string[],
  ) => {
    const urban = program === 'urban_dibao';
    const candidates = free
      .filter((k) => !taken.has(k) && (pop.households[k]?.hukouType === 'urban') === urban)
      .map((k) => ({ k, end: months() }));
    const chosen = pickExact(
      rng,
      candidates,
      (c) => membersAt(pop, c.k, kind === 'campaign_2014' ? T.campaign.asOf : monthDay(c.end)),
      count,
      persons,
    );
    for (const c of chosen) {
      taken.add(c.k);
      exits.push({
        kind,
        householdKey: c.k,
        personKey: null,
        program,
        endMonth: c.end,
        reason: rng.pick(reasons),
        persons: membersAt(pop, c.k, kind === 'campaign_2014' ? T.campaign.asOf : monthDay(c.end)),
      });
    }
  };
  // 取消 in January–August: the last covered month is December 2014 … July 2015.
  const cancelMonth = () => addMonthsToMonth('2014-12', rng.int(0, 7));
  take(
    'cancel_2015',
    'urban_dibao',
    T.removed.urban_dibao.households,
    T.removed.urban_dibao.persons,
    cancelMonth,
    EXIT_REASONS,
  );
  take(
    'cancel_2015',
    'rural_dibao',
    T.removed.rural_dibao.households,
    T.removed.rural_dibao.persons,
    cancelMonth,
    EXIT_REASONS,
  );
  // The July 2014 核查: stopped from August 2014 (a rural-heavy split, as the county is).
  const urbanCampaign = { households: 5, persons: 14 };
  take(
    'campaign_2014',
    'urban_dibao',
    urbanCampaign.households,
    urbanCampaign.persons,
    () => '2014-07',
    CAMPAIGN_REASONS,
  );
  take(
    'campaign_2014',
    'rural_dibao',
    T.campaign.dibaoExits.households - urbanCampaign.households,
    T.campaign.dibaoExits.persons - urbanCampaign.persons,
    () => '2014-07',
    CAMPAIGN_REASONS,
  );
  // 五保 exits of the 核查: a person with a supporter able to support them (not 五保 any more).
  const tekunFree = free.filter((k) => !taken.has(k) && pop.households[k]?.hukouType === 'rural');
  for (const k of rng.shuffle(tekunFree)) {
    if (exits.filter((x) => x.program === 'rural_tekun').length >= T.campaign.tekunExits) break;
    const elder = (byHousehold(pop).get(k) ?? [])
      .filter((m) => m.validTo === null)
      .map((m) => pop.persons[m.personKey])
      .find((p) => p !== undefined && p.birthDate <= '1950-01-01' && p.deathDate === null);
    if (!elder) continue;
    taken.add(k);
    exits.push({
      kind: 'campaign_2014',
      householdKey: k,
      personKey: elder.key,
      program: 'rural_tekun',
      endMonth: '2014-07',
      reason: '核查发现有赡养能力的法定赡养义务人，不符合五保供养条件',
      persons: 1,
    });
  }

  // 3. The July 2014 stock: today's dibao households enrolled by then, the 2015 leavers and the 核查 exits; the
  // other exits of August–November 2014 make up the difference to the report's 2,652 户 6,594 人.
  const asOf = T.campaign.asOf;
  let households = 0;
  let persons = 0;
  for (const e of earlier) {
    if (e.programCode === 'rural_tekun' || usedNow.has(e.householdKey) || e.startMonth > asOf.slice(0, 7))
      continue;
    households += 1;
    persons += e.personKey !== null ? 1 : membersAt(pop, e.householdKey, asOf);
  }
  for (const x of exits) {
    if (x.program === 'rural_tekun') continue;
    households += 1;
    persons += membersAt(pop, x.householdKey, asOf);
  }
  const gapHouseholds = T.campaign.dibao.households - households;
  const gapPersons = T.campaign.dibao.persons - persons;
  if (gapHouseholds > 0 && gapPersons >= gapHouseholds) {
    const churnMonth = () => addMonthsToMonth('2014-08', rng.int(0, 3));
    const ruralShare = Math.max(1, Math.round(gapHouseholds * 0.9));
    const urbanHouseholds = gapHouseholds - ruralShare;
    const urbanPersons = Math.min(urbanHouseholds * 2, gapPersons - ruralShare);
    if (urbanHouseholds > 0) {
      take('churn_2014', 'urban_dibao', urbanHouseholds, urbanPersons, churnMonth, EXIT_REASONS);
    }
    take('churn_2014', 'rural_dibao', ruralShare, gapPersons - urbanPersons, churnMonth, EXIT_REASONS);
  }
  // churn persons are counted at their end month; restate them at the campaign date for the record.
  for (const x of exits) if (x.kind === 'churn_2014') x.persons = membersAt(pop, x.householdKey, asOf);

  // 4. Refusals and reviews.
  const refusals: PlannedRefusal[] = rng
    .shuffle(free.filter((k) => !taken.has(k)))
    .slice(0, T.refusals)
    .map((k) => {
      taken.add(k);
      return {
        householdKey: k,
        program: pop.households[k]?.hukouType === 'urban' ? 'urban_dibao' : 'rural_dibao',
        acceptedMonth: `2015-0${rng.int(2, 7)}`,
      };
    });
  const reviews = rng
    .shuffle(
      earlier.filter(
        (e) =>
          (e.programCode === 'urban_dibao' || e.programCode === 'rural_dibao') &&
          e.personKey === null &&
          !usedNow.has(e.householdKey) &&
          !planted.has(e.householdKey) &&
          inWindowTown(e.householdKey),
      ),
    )
    .slice(0, T.reviews)
    .map((e) => ({
      householdKey: e.householdKey,
      program: e.programCode as DibaoProgram,
      month: `2015-0${rng.int(3, 8)}`,
    }));

  // Deaths in enrolled dibao households between January and August (the generator let these members die).
  const reviewed = new Set(reviews.map((r) => r.householdKey));
  const dibaoOf = new Map(
    earlier
      .filter(
        (e) => (e.programCode === 'urban_dibao' || e.programCode === 'rural_dibao') && e.personKey === null,
      )
      .map((e) => [e.householdKey, e.programCode as DibaoProgram]),
  );
  const deaths: HistoryPlan['deaths'] = [];
  for (const m of pop.memberships) {
    if (deaths.length >= T.memberDeaths) break;
    const p = pop.persons[m.personKey];
    const program = dibaoOf.get(m.householdKey);
    if (m.reason !== '死亡' || !p?.deathDate || !program) continue;
    if (p.deathDate < '2015-01-01' || p.deathDate > '2015-08-20') continue;
    const k = m.householdKey;
    if (usedNow.has(k) || planted.has(k) || reviewed.has(k) || !inWindowTown(k)) continue;
    // At least two live on in the household: a lone member's death is a 注销 (one more 取消), and the case reads
    // the household's size from the registry of today, where the dead member is already gone.
    if (membersAt(pop, k, '2015-09-30') < 2) continue;
    if (deaths.some((d) => d.householdKey === k)) continue;
    deaths.push({ householdKey: k, program, personKey: p.key, deathDate: p.deathDate });
  }

  // 5. The enrolments to write: today's without the applicants, plus the leavers (enrolled 2010–2013).
  const enrolments: DemoEnrolment[] = earlier.filter((e) => !usedNow.has(e.householdKey));
  for (const x of exits) {
    const h = pop.households[x.householdKey];
    if (!h) continue;
    enrolments.push({
      householdKey: x.householdKey,
      personKey: x.personKey,
      programCode: x.program,
      townCode: h.townCode,
      startMonth: `${rng.int(2010, 2013)}-${String(rng.int(1, 12)).padStart(2, '0')}`,
      status: 'active',
      supportMode: x.program === 'rural_tekun' ? 'dispersed' : null,
      singlePerson: false,
    });
  }
  return { applications, exits, refusals, reviews, deaths, enrolments };
}
