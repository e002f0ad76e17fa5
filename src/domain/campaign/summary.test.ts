import { describe, expect, it } from 'vitest';
import { type FindingFact, narrativeLine, summarise, tekunWord } from './summary.ts';

const RC = '440232100';
const DQ = '440232109';
const labels = { urban_dibao: '城市低保', rural_dibao: '农村低保', rural_tekun: '农村特困供养' };

const finding = (over: Partial<FindingFact>): FindingFact => ({
  townCode: RC,
  programCode: 'rural_dibao',
  category: 'cuoBao',
  householdId: 1,
  enrolmentId: 1,
  persons: 3,
  outcome: null,
  recoveryFen: null,
  ...over,
});

describe('campaign summary', () => {
  it('reproduces the seed report sentence (July 2014) from county figures', () => {
    const rows = [
      { townCode: RC, programCode: 'urban_dibao', households: 400, persons: 900 },
      { townCode: RC, programCode: 'rural_dibao', households: 2252, persons: 5694 },
      { townCode: RC, programCode: 'rural_tekun', households: 465, persons: 465 },
    ];
    const findings: FindingFact[] = [];
    // 58 households / 219 persons exited from dibao, 10 五保 persons exited.
    for (let i = 0; i < 58; i++) {
      findings.push(
        finding({ householdId: i + 1, enrolmentId: i + 1, persons: i < 45 ? 4 : 3, outcome: 'exit' }),
      );
    }
    for (let i = 0; i < 10; i++) {
      findings.push(
        finding({
          programCode: 'rural_tekun',
          householdId: 1000 + i,
          enrolmentId: 1000 + i,
          persons: 1,
          outcome: 'exit',
        }),
      );
    }
    const s = summarise({
      asOf: '2014-07-31',
      population: rows,
      findings,
      townNames: { [RC]: '乳城镇' },
      programLabels: labels,
    });
    expect(s.lines[0]).toBe(
      '全县共复核城乡低保对象2652户、6594人，其中，退出对象58户、219人；五保对象465人，其中，退出10人。',
    );
  });

  it('counts findings by category, reviews, keeps, exits once per enrolment, recoveries; per town', () => {
    const s = summarise({
      asOf: '2016-06-30',
      population: [
        { townCode: RC, programCode: 'rural_dibao', households: 10, persons: 25 },
        { townCode: DQ, programCode: 'rural_dibao', households: 5, persons: 12 },
        { townCode: DQ, programCode: 'rural_tekun', households: 3, persons: 3 },
      ],
      findings: [
        finding({ householdId: 1, enrolmentId: 1, persons: 3, outcome: 'exit' }),
        // A second finding on the same enrolment: exited once.
        finding({
          householdId: 1,
          enrolmentId: 1,
          persons: 3,
          category: 'pianBao',
          outcome: 'recover',
          recoveryFen: 78_000,
        }),
        finding({ householdId: 2, enrolmentId: 2, persons: 2, outcome: 'keep' }),
        finding({ householdId: 3, enrolmentId: null, category: 'louBao', persons: 2 }),
        finding({
          townCode: DQ,
          programCode: 'rural_tekun',
          householdId: 7,
          enrolmentId: 7,
          persons: 1,
          outcome: 'exit',
          category: 'guanxiBao',
        }),
      ],
      townNames: { [RC]: '乳城镇', [DQ]: '大桥镇' },
      programLabels: labels,
    });
    const rc = s.rows.find((r) => r.townCode === RC);
    expect(rc).toMatchObject({
      townName: '乳城镇',
      programLabel: '农村低保',
      households: 10,
      persons: 25,
      findings: 4,
      flaggedHouseholds: 3,
      reviewed: 3,
      kept: 1,
      exitedHouseholds: 1,
      exitedPersons: 3,
      recoveryFen: 78_000,
    });
    expect(rc?.byCategory).toMatchObject({ cuoBao: 2, pianBao: 1, louBao: 1, guanxiBao: 0 });
    expect(s.total.findings).toBe(5);
    expect(s.lines[0]).toBe(
      '全县共复核城乡低保对象15户、37人，其中，退出对象1户、3人；特困人员3人，其中，退出1人。',
    );
    expect(s.lines[1]).toBe(
      '全县发现疑似问题5条（漏保1条、错保2条、关系保1条、骗保1条），涉及4户；已复核4条，维持1条，退出2户，追回资金780.00元。',
    );
    expect(s.lines[2]).toMatch(
      /^乳城镇共复核城乡低保对象10户、25人，其中，退出对象1户、3人。发现疑似问题4条/,
    );
    expect(s.lines[3]).toMatch(
      /^大桥镇共复核城乡低保对象5户、12人，其中，退出对象0户、0人；特困人员3人，其中，退出1人。/,
    );
  });

  it('names 五保 before the 2016 integration and 特困人员 after it', () => {
    expect(tekunWord('2015-12-31')).toBe('五保对象');
    expect(tekunWord('2016-06-30')).toBe('特困人员');
    expect(narrativeLine([], '2015-01-01')).toBeNull();
  });
});
