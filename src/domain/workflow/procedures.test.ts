import { describe, expect, it } from 'vitest';
import { enrolledProcedureFor, MACHINES, type Program, procedureFor, ruleSetOn } from './procedures.ts';

describe('which procedure a case follows (by acceptance date)', () => {
  it.each([
    ['urban_dibao', '2012-12-12', 'dibao_2012', '220号 takes effect'],
    ['rural_dibao', '2015-09-30', 'dibao_2012', 'the ~2015 era'],
    ['urban_dibao', '2021-06-30', 'dibao_2012', 'the last day of 220号'],
    ['rural_dibao', '2021-07-01', 'dibao_2021', 'the 审核确认办法 takes effect'],
    ['urban_tekun', '2015-09-30', 'tekun_2016', 'before 2021: the 2016 办法 shape'],
    ['rural_tekun', '2021-06-30', 'tekun_2016', 'the last day before the 2021 认定办法'],
    ['rural_tekun', '2021-07-01', 'tekun_2021', 'the 2021 认定办法 takes effect'],
    ['temporary_aid', '2015-09-30', 'temporary_aid', 'one procedure for temporary aid'],
    ['temporary_aid', '2024-03-01', 'temporary_aid', 'one procedure for temporary aid'],
  ] as const)('%s accepted on %s follows %s (%s)', (program, acceptedOn, procedure, _why) => {
    const choice = procedureFor(program, acceptedOn);
    expect(choice?.procedure).toBe(procedure);
    expect(choice?.machine.code).toBe(procedure);
  });

  it('has no modelled dibao procedure before 220号 took effect', () => {
    expect(procedureFor('urban_dibao', '2012-12-11')).toBeNull();
    expect(ruleSetOn('2012-12-11')).toBeNull();
  });

  it.each([
    ['2015-09-30', '2012'],
    ['2021-07-01', '2021'],
  ] as const)('the dibao rule set on %s is %s', (date, ruleSet) => {
    expect(ruleSetOn(date)).toBe(ruleSet);
  });

  it.each([
    ['urban_dibao', 'dibao_changes'],
    ['rural_dibao', 'dibao_changes'],
    ['urban_tekun', 'tekun_termination'],
    ['rural_tekun', 'tekun_termination'],
    ['temporary_aid', null],
  ] as const)('an enrolled %s case changes by %s', (program: Program, procedure) => {
    expect(enrolledProcedureFor(program)?.procedure ?? null).toBe(procedure);
  });

  it('indexes every machine by its own code', () => {
    for (const [code, machine] of Object.entries(MACHINES)) expect(machine.code).toBe(code);
  });
});
