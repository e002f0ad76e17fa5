/**
 * Which procedure a case follows, by program and acceptance date (ADR 0005; DOMAIN §0 "the system
 * should version its rules by effective date"): dibao under 民发〔2012〕220号 from 2012-12-12 to
 * 2021-06-30 and under the 审核确认办法 from 2021-07-01; 特困 under the 2021 认定办法 from 2021-07-01
 * and, before that, the same shape labelled with the 2016 办法 (DOMAIN §5.3).
 */
import { DIBAO_2012 } from './dibao-2012.ts';
import { DIBAO_2021 } from './dibao-2021.ts';
import { DIBAO_CHANGES, type RuleSet } from './enrolled-changes.ts';
import type { MachineDef, ProcedureCode } from './machine.ts';
import { TEKUN_2016, TEKUN_2021, TEKUN_TERMINATION } from './tekun-2021.ts';
import { TEMPORARY_AID } from './temporary-aid.ts';

export type Program = 'urban_dibao' | 'rural_dibao' | 'urban_tekun' | 'rural_tekun' | 'temporary_aid';

/** 民发〔2012〕220号 took effect on 2012-12-12; the 审核确认办法 and 2021 认定办法 on 2021-07-01. */
export const RULES_2012_FROM = '2012-12-12';
export const RULES_2021_FROM = '2021-07-01';

/** Every machine by its code, for code that loads a case and looks its procedure up. */
export const MACHINES: Record<ProcedureCode, MachineDef<string>> = {
  dibao_2012: DIBAO_2012,
  dibao_2021: DIBAO_2021,
  dibao_changes: DIBAO_CHANGES,
  tekun_2016: TEKUN_2016,
  tekun_2021: TEKUN_2021,
  tekun_termination: TEKUN_TERMINATION,
  temporary_aid: TEMPORARY_AID,
};

/** The dibao rule set in force on a date, or null before 220号 (earlier rules are not modelled). */
export function ruleSetOn(date: string): RuleSet | null {
  if (date >= RULES_2021_FROM) return '2021';
  return date >= RULES_2012_FROM ? '2012' : null;
}

export interface ProcedureChoice {
  procedure: ProcedureCode;
  machine: MachineDef<string>;
}

function choice(procedure: ProcedureCode): ProcedureChoice {
  return { procedure, machine: MACHINES[procedure] };
}

/**
 * The application procedure for a case accepted on `acceptedOn`, or null when no modelled rule set
 * applies (dibao before 2012-12-12). 临时救助 has one procedure for all dates the system handles
 * (暂行办法 from 2014-05-01). 特困 before 2021-07-01 uses the 2016 办法's shape; the 2006 五保 条例's
 * 20-calendar-day limits for rural cases before the 2016 integration are not modelled separately.
 */
export function procedureFor(program: Program, acceptedOn: string): ProcedureChoice | null {
  switch (program) {
    case 'urban_dibao':
    case 'rural_dibao': {
      const ruleSet = ruleSetOn(acceptedOn);
      if (ruleSet === null) return null;
      return choice(ruleSet === '2021' ? 'dibao_2021' : 'dibao_2012');
    }
    case 'urban_tekun':
    case 'rural_tekun':
      return choice(acceptedOn >= RULES_2021_FROM ? 'tekun_2021' : 'tekun_2016');
    case 'temporary_aid':
      return choice('temporary_aid');
  }
}

/** The procedure for an enrolled case's changes: dibao reviews, or a 特困 person's termination. */
export function enrolledProcedureFor(program: Program): ProcedureChoice | null {
  if (program === 'urban_dibao' || program === 'rural_dibao') return choice('dibao_changes');
  if (program === 'urban_tekun' || program === 'rural_tekun') return choice('tekun_termination');
  return null;
}
