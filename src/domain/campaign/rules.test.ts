import { describe, expect, it } from 'vitest';
import {
  type DeptRow,
  type HouseholdCandidate,
  judgeBusiness,
  judgeDeceased,
  judgeDeposits,
  judgeDuplicate,
  judgeIncome,
  judgeMissed,
  judgePublicPayroll,
  judgeRealEstate,
  judgeSharedAccount,
  judgeStaffRelative,
  judgeVehicle,
  monthsBetween,
  type ParamsOf,
  parseRuleParams,
  RULE_TYPE_CODES,
  RULE_TYPES,
} from './rules.ts';

const A = '440232195603120011';
const B = '440232195807010022';
const AS_OF = '2015-06-30';

function rec(source: string, over: Partial<DeptRow> = {}): DeptRow {
  return {
    sourceCode: source,
    idNumber: A,
    name: '李建国',
    kind: '',
    status: null,
    amountFen: null,
    monthlyFen: null,
    eventDate: '2014-01-01',
    exempt: false,
    ref: null,
    ...over,
  };
}

function hh(records: DeptRow[], over: Partial<HouseholdCandidate> = {}): HouseholdCandidate {
  return {
    asOf: AS_OF,
    persons: 2,
    members: [
      { personId: 1, name: '李建国', idNumber: A },
      { personId: 2, name: '陈秀英', idNumber: B },
    ],
    records,
    standardFen: 26_000,
    urbanStandardFen: 41_000,
    ...over,
  };
}

const defaults = <T extends keyof typeof RULE_TYPES>(t: T) => RULE_TYPES[t].defaults as ParamsOf<T>;

describe('rule definitions', () => {
  it('every rule type has a label, a category, a DOMAIN citation and valid defaults', () => {
    for (const t of RULE_TYPE_CODES) {
      const def = RULE_TYPES[t];
      expect(def.label).toMatch(/\p{Script=Han}/u);
      expect(def.description).toMatch(/DOMAIN §/);
      const parsed = parseRuleParams(t, {});
      expect(parsed.ok, t).toBe(true);
    }
  });

  it('refuses bad parameters with the parameter and a Chinese reason', () => {
    const r = parseRuleParams('deposits_over_limit', { monthsOfStandard: -3 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toEqual({ path: 'monthsOfStandard', message: '月数不能为负' });
    const v = parseRuleParams('vehicle', { exemptTypes: ['tank'] });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.issues[0]?.message).toMatch(/车辆类型应为/);
    const u = parseRuleParams('vehicle', { colour: 'red' });
    expect(u.ok).toBe(false);
    if (!u.ok) expect(u.issues[0]?.message).toBe('不认识的参数：colour');
    const m = parseRuleParams('income_above_standard', { multiple: 'abc' });
    expect(m.ok).toBe(false);
  });

  it('merges given parameters over the defaults', () => {
    const r = parseRuleParams('vehicle', { maxCount: 1 });
    expect(r).toEqual({
      ok: true,
      params: { maxCount: 1, exemptTypes: ['disability_vehicle', 'fuel_motorcycle', 'ebike'] },
    });
  });

  it('counts months between dates by calendar month', () => {
    expect(monthsBetween('2015-03-20', '2015-07-01')).toBe(4);
    expect(monthsBetween('2014-12-31', '2015-01-01')).toBe(1);
    expect(monthsBetween('2015-06-01', '2015-06-30')).toBe(0);
  });
});

describe('vehicle (DOMAIN §3.5)', () => {
  const p = defaults('vehicle');
  it.each([
    ['a car', [rec('vehicle', { kind: 'car', status: 'normal', ref: '粤F12345' })], true],
    [
      'a disability vehicle (2012 Art. 17)',
      [rec('vehicle', { kind: 'disability_vehicle', exempt: true })],
      false,
    ],
    ['a car flagged exempt by the department', [rec('vehicle', { kind: 'car', exempt: true })], false],
    [
      'an e-bike and a fuel motorcycle (Guangdong)',
      [rec('vehicle', { kind: 'ebike' }), rec('vehicle', { kind: 'fuel_motorcycle' })],
      false,
    ],
    ['a scrapped truck', [rec('vehicle', { kind: 'truck', status: 'scrapped' })], false],
    ['a car registered after as-of', [rec('vehicle', { kind: 'car', eventDate: '2015-07-01' })], false],
  ])('%s → finding %s', (_label, records, found) => {
    expect(judgeVehicle(p, hh(records)) !== null).toBe(found);
  });
  it('allows one car when maxCount = 1 and names the owner', () => {
    const one = [rec('vehicle', { kind: 'car', ref: '粤F1' })];
    expect(judgeVehicle({ ...p, maxCount: 1 }, hh(one))).toBeNull();
    const two = [...one, rec('vehicle', { kind: 'truck', idNumber: B, ref: '粤F2' })];
    const j = judgeVehicle({ ...p, maxCount: 1 }, hh(two));
    expect(j?.summary).toContain('陈秀英名下货车 粤F2');
    expect(j?.summary).toContain('2 辆');
  });
  it('removing disability_vehicle from the exempt list still never counts it', () => {
    expect(
      judgeVehicle({ ...p, exemptTypes: [] }, hh([rec('vehicle', { kind: 'disability_vehicle' })])),
    ).toBeNull();
    expect(judgeVehicle({ ...p, exemptTypes: [] }, hh([rec('vehicle', { kind: 'ebike' })]))).not.toBeNull();
  });
});

describe('real estate (DOMAIN §3.5)', () => {
  const p = defaults('real_estate_excess');
  const house = (over: Partial<DeptRow> = {}) => rec('real_estate', { kind: 'residential', ...over });
  it.each([
    ['one house', [house()], false],
    ['two houses', [house(), house({ idNumber: B })], true],
    ['two houses, one an unused mud-brick house', [house(), house({ exempt: true })], false],
    ['one house and a shop', [house(), house({ kind: 'non_residential' })], true],
  ])('%s → finding %s', (_l, records, found) => {
    expect(judgeRealEstate(p, hh(records)) !== null).toBe(found);
  });
});

describe('business registration (DOMAIN §3.5)', () => {
  const p = defaults('business_registration');
  it.each([
    [
      'an individual business',
      [rec('business', { kind: 'individual', status: 'active', amountFen: 5_000_000 })],
      true,
    ],
    [
      'a husband-and-wife shop without employees (Jieyang)',
      [rec('business', { kind: 'individual', exempt: true })],
      false,
    ],
    ['a cancelled registration', [rec('business', { kind: 'enterprise', status: 'cancelled' })], false],
  ])('%s → finding %s', (_l, records, found) => {
    expect(judgeBusiness(p, hh(records)) !== null).toBe(found);
  });
  it('counts the small family shop when the exemption is off', () => {
    expect(
      judgeBusiness(
        { ...p, exemptSmallFamilyShop: false },
        hh([rec('business', { kind: 'individual', exempt: true })]),
      ),
    ).not.toBeNull();
  });
});

describe('deposits over the limit (months of standard × persons)', () => {
  const p = defaults('deposits_over_limit');
  // 24 months × urban 410 元 × 2 persons = 19,680 元.
  const limit = 24 * 41_000 * 2;
  it.each([
    ['exactly at the limit passes', limit, false],
    ['one fen over', limit + 1, true],
    ['well below', 500_000, false],
  ])('%s', (_l, amount, found) => {
    const j = judgeDeposits(p, hh([rec('bank_deposit', { kind: 'current', amountFen: amount })]));
    expect(j !== null).toBe(found);
  });
  it('adds deposits, securities and savings insurance of every member; lapsed and protection policies do not count', () => {
    const records = [
      rec('bank_deposit', { amountFen: limit - 100 }),
      rec('securities', { idNumber: B, kind: 'stock', amountFen: 60 }),
      rec('commercial_insurance', { kind: 'savings', status: 'active', amountFen: 50 }),
      rec('commercial_insurance', { kind: 'savings', status: 'lapsed', amountFen: 10_000 }),
      rec('commercial_insurance', { kind: 'protection', amountFen: 10_000 }),
    ];
    const j = judgeDeposits(p, hh(records));
    expect(j?.evidence.totalFen).toBe(limit + 10);
    expect(j?.summary).toContain('19,680.00 元');
    expect(judgeDeposits({ ...p, includeSecurities: false }, hh(records))).toBeNull();
  });
  it('uses the own standard when asked, and scales with the counted persons', () => {
    const amount = 24 * 26_000 * 2 + 1;
    expect(
      judgeDeposits({ ...p, standardBasis: 'own' }, hh([rec('bank_deposit', { amountFen: amount })])),
    ).not.toBeNull();
    expect(
      judgeDeposits(
        { ...p, standardBasis: 'own' },
        hh([rec('bank_deposit', { amountFen: amount })], { persons: 3 }),
      ),
    ).toBeNull();
  });
});

describe('public payroll', () => {
  const p = defaults('public_payroll');
  it.each([
    [
      'in post',
      rec('public_payroll', { kind: 'staff', status: 'active', monthlyFen: 350_000, ref: '县教育局' }),
      true,
    ],
    [
      'left before as-of',
      rec('public_payroll', { kind: 'staff', status: 'left', monthlyFen: 350_000 }),
      false,
    ],
    [
      'starts after as-of',
      rec('public_payroll', { kind: 'staff', status: 'active', eventDate: '2015-08-01' }),
      false,
    ],
  ])('%s → finding %s', (_l, r, found) => {
    expect(judgePublicPayroll(p, hh([r])) !== null).toBe(found);
  });
});

describe('income above the standard (DOMAIN §4.4, §9)', () => {
  const p = defaults('income_above_standard');
  // Rural standard 260 元 × 2 persons = 520 元 a month.
  it.each([
    ['per-capita income exactly at the standard (no longer below it)', 52_000, true],
    ['one fen below the standard', 51_999, false],
  ])('%s → finding %s', (_l, wage, found) => {
    const r = rec('social_insurance', { kind: 'contribution', status: 'active', monthlyFen: wage });
    expect(judgeIncome(p, hh([r])) !== null).toBe(found);
  });
  it('takes the highest of the wage evidences once, not their sum', () => {
    const records = [
      rec('public_payroll', { kind: 'staff', status: 'active', monthlyFen: 40_000 }),
      rec('social_insurance', { kind: 'contribution', status: 'active', monthlyFen: 30_000 }),
      rec('tax', { kind: 'wage', amountFen: 12 * 45_000, eventDate: '2014-12-31' }),
    ];
    // max = 450 元 < 520 元: no finding, although the sum would exceed it.
    expect(judgeIncome(p, hh(records))).toBeNull();
    const j = judgeIncome(
      p,
      hh([...records, rec('social_insurance', { idNumber: B, kind: 'employee_pension', monthlyFen: 7_000 })]),
    );
    expect(j?.summary).toContain('个税工资薪金收入÷12');
    expect(j?.evidence.perCapitaFen).toBe('26000');
  });
  it('does not count the resident basic pension, nor pensions when switched off', () => {
    const basic = rec('social_insurance', { kind: 'resident_basic_pension', monthlyFen: 60_000 });
    expect(judgeIncome(p, hh([basic]))).toBeNull();
    const pension = rec('social_insurance', { kind: 'employee_pension', monthlyFen: 60_000 });
    expect(judgeIncome(p, hh([pension]))).not.toBeNull();
    expect(judgeIncome({ ...p, countPensions: false }, hh([pension]))).toBeNull();
  });
  it('uses the latest tax year only', () => {
    const records = [
      rec('tax', { kind: 'wage', amountFen: 12 * 60_000, eventDate: '2013-12-31' }),
      rec('tax', { kind: 'wage', amountFen: 12 * 10_000, eventDate: '2014-12-31' }),
    ];
    expect(judgeIncome(p, hh(records))).toBeNull();
  });
});

describe('deceased still enrolled or paid (DOMAIN §4.9)', () => {
  const p = defaults('deceased_paid');
  const base = {
    asOf: AS_OF,
    subject: { personId: 1, name: '李建国', idNumber: A },
    registryDeathDate: null,
    paidAfterDeathFen: 0,
    paidMonths: [],
    coversOnlyPerson: false,
  };
  it.each([
    [
      'died three months ago, registry unaware',
      { death: rec('death', { kind: 'cremation', eventDate: '2015-03-10' }) },
      true,
    ],
    [
      'died this month (within the grace period)',
      { death: rec('death', { kind: 'cremation', eventDate: '2015-06-10' }) },
      false,
    ],
    [
      'registry knows, but the only covered person was paid after death',
      {
        death: rec('death', { eventDate: '2015-03-10' }),
        registryDeathDate: '2015-03-10',
        coversOnlyPerson: true,
        paidAfterDeathFen: 52_000,
        paidMonths: ['2015-04', '2015-05'],
      },
      true,
    ],
    [
      'registry knows; the household (others alive) is still paid',
      {
        death: rec('death', { eventDate: '2015-03-10' }),
        registryDeathDate: '2015-03-10',
        paidAfterDeathFen: 52_000,
      },
      false,
    ],
    ['death after as-of', { death: rec('death', { eventDate: '2015-07-02' }) }, false],
  ])('%s → finding %s', (_l, over, found) => {
    expect(judgeDeceased(p, { ...base, ...over }) !== null).toBe(found);
  });
  it('states the amount paid after death', () => {
    const j = judgeDeceased(p, {
      ...base,
      death: rec('death', { kind: 'cremation', eventDate: '2015-03-10' }),
      coversOnlyPerson: true,
      paidAfterDeathFen: 78_000,
      paidMonths: ['2015-04', '2015-05', '2015-06'],
    });
    expect(j?.summary).toContain('死亡后仍发放 3 个月共 780.00 元');
    expect(j?.summary).toContain('440232********0011');
  });
});

describe('duplicate person', () => {
  const p = defaults('duplicate_person');
  const subject = { personId: 1, name: '王芳', idNumber: A, sex: 'F', birthDate: '1960-01-01' };
  const other = {
    householdId: 9,
    townCode: '440232109',
    enrolmentId: 20,
    programCode: 'rural_dibao',
    personId: 2,
    idNumber: B,
    name: '王芳',
  };
  it('finds the same name, birth date and sex under another ID number in another household', () => {
    const j = judgeDuplicate(p, { subject, enrolmentId: 10, householdId: 1, others: [other] });
    expect(j?.summary).toContain('疑似重复享受');
    expect(
      judgeDuplicate(
        { matchNameBirthSex: false },
        { subject, enrolmentId: 10, householdId: 1, others: [other] },
      ),
    ).toBeNull();
  });
  it('does not match a namesake in the same household', () => {
    expect(judgeDuplicate(p, { subject, enrolmentId: 10, householdId: 9, others: [other] })).toBeNull();
  });
  it('finds one person in two enrolments', () => {
    const twice = {
      ...other,
      personId: 1,
      idNumber: A,
      householdId: 1,
      enrolmentId: 11,
      programCode: 'rural_tekun',
    };
    expect(
      judgeDuplicate(
        { matchNameBirthSex: false },
        { subject, enrolmentId: 10, householdId: 1, others: [twice] },
      )?.summary,
    ).toContain('2 个在保记录');
  });
});

describe('shared bank account', () => {
  it('flags an account paid to more households than allowed', () => {
    const c = {
      householdId: 1,
      accountMasked: '***************2345',
      bankName: '农商银行',
      households: [
        { householdId: 1, townCode: 'x', holder: '甲' },
        { householdId: 2, townCode: 'x', holder: '甲' },
      ],
    };
    expect(judgeSharedAccount({ maxHouseholdsPerAccount: 1 }, c)?.summary).toContain('2 个在保家庭');
    expect(judgeSharedAccount({ maxHouseholdsPerAccount: 2 }, c)).toBeNull();
  });
});

describe('staff relatives (DOMAIN §10)', () => {
  const subject = { personId: 1, name: '陈秀英', idNumber: B };
  const link = {
    staffId: 7,
    staffName: '张三',
    staffKind: 'official',
    organisation: '乳城镇社会事务办',
    relation: 'spouse' as const,
    declared: false,
    basis: '婚姻登记 2001-05-01',
  };
  it('finds an undeclared spouse; a declared one only with includeDeclared', () => {
    const p = defaults('staff_relative');
    expect(judgeStaffRelative(p, { subject, links: [link] })?.summary).toContain(
      '张三的配偶（婚姻登记）（未备案）',
    );
    expect(judgeStaffRelative(p, { subject, links: [{ ...link, declared: true }] })).toBeNull();
    expect(
      judgeStaffRelative({ ...p, includeDeclared: true }, { subject, links: [{ ...link, declared: true }] }),
    ).not.toBeNull();
  });
  it('same-hukou links can be switched off', () => {
    const p = { ...defaults('staff_relative'), matchSameHukou: false };
    expect(judgeStaffRelative(p, { subject, links: [{ ...link, relation: 'same_hukou' }] })).toBeNull();
  });
});

describe('missed eligible (漏保, DOMAIN §11)', () => {
  const p = defaults('missed_eligible');
  const low = (monthlyFen: number) =>
    rec('low_income', { kind: 'edge', status: 'active', monthlyFen, ref: 'F001' });
  const c = (lowIncome: DeptRow[], records: DeptRow[] = []) => ({
    ...hh(records),
    programLabel: '农村低保',
    lowIncome,
  });
  it.each([
    ['income below the standard, clean assets', [low(20_000)], [], true],
    ['income at the standard', [low(26_000)], [], false],
    ['a car', [low(20_000)], [rec('vehicle', { kind: 'car' })], false],
    ['an e-bike is fine', [low(20_000)], [rec('vehicle', { kind: 'ebike' })], true],
    [
      'deposits over the cap',
      [low(20_000)],
      [rec('bank_deposit', { amountFen: 24 * 41_000 * 2 + 1 })],
      false,
    ],
    ['a closed low-income record', [{ ...low(20_000), status: 'closed' }], [], false],
  ])('%s → finding %s', (_l, lowIncome, records, found) => {
    expect(judgeMissed(p, c(lowIncome, records)) !== null).toBe(found);
  });
});
