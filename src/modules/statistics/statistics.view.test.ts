import { describe, expect, it } from 'vitest';
import { type Cell, diffFigures, type Figures, viewOf } from './statistics.service.ts';

const cell = (
  townCode: string,
  villageCode: string,
  persons: number,
  households: number,
  base: number,
): Cell => ({
  program: 'rural_dibao',
  townCode,
  villageCode,
  supportMode: null,
  persons,
  households,
  personMonthsYtd: persons * 2,
  householdMonthsYtd: households * 2,
  grantsMonth: 0,
  grantsYtd: 0,
  componentsMonth: { dibao_base: base },
  componentsYtd: { dibao_base: base * 2 },
  fundMonth: { central: base },
  fundYtd: { central: base * 2 },
});

const figures: Figures = {
  format: 1,
  countyCode: '440232',
  month: '2015-02',
  cells: [cell('440232100', '440232100201', 4, 2, 60_000), cell('440232109', '440232109201', 3, 1, 30_000)],
  flows: [
    {
      kind: 'removed',
      month: '2015-02',
      program: 'rural_dibao',
      townCode: '440232109',
      villageCode: '440232109201',
      supportMode: null,
      reason: '死亡',
      households: 1,
      persons: 2,
    },
  ],
  campaigns: [],
};

describe('the monthly view of figures', () => {
  it('adds towns and villages up to the county (distinct counts are additive across disjoint areas)', () => {
    const v = viewOf(figures, {}, new Map());
    const p = v.programs[0];
    expect(p?.total.persons).toBe(7);
    expect(p?.total.households).toBe(3);
    expect(p?.total.spendingMonth.dibaoBaseFen).toBe(90_000);
    // 当月人均 = 90,000 ÷ 7 = 12,857.14… → 12,857 fen; 累计 = 180,000 ÷ 14 人次, the same.
    expect([p?.total.levelMonthFen, p?.total.levelYtdFen]).toEqual([12_857, 12_857]);
    expect(p?.byTown.map((t) => t.indicators.persons)).toEqual([4, 3]);
    expect(p?.total.removed.reasonsYtd).toEqual([{ reason: '死亡', households: 1, persons: 2 }]);
  });

  it('keeps to one town when asked', () => {
    const v = viewOf(figures, { townCode: '440232109' }, new Map());
    expect(v.programs[0]?.total.persons).toBe(3);
    expect(v.programs[0]?.total.removed.month).toEqual({ households: 1, persons: 2 });
  });

  it('names each difference between a frozen and a re-derived month', () => {
    const changed: Figures = {
      ...figures,
      cells: [figures.cells[0] as Cell, cell('440232109', '440232109201', 3, 1, 33_000)],
    };
    const d = diffFigures(figures, changed);
    expect(d.map((x) => [x.path, x.frozen, x.current])).toEqual([
      ['cell:rural_dibao|440232109|440232109201|.componentsMonth.dibao_base', 30_000, 33_000],
      ['cell:rural_dibao|440232109|440232109201|.componentsYtd.dibao_base', 60_000, 66_000],
      ['cell:rural_dibao|440232109|440232109201|.fundMonth.central', 30_000, 33_000],
      ['cell:rural_dibao|440232109|440232109201|.fundYtd.central', 60_000, 66_000],
    ]);
    expect(d[0]?.label).toBe('农村低保 440232109201：当月支出 低保金');
    expect(diffFigures(figures, figures)).toEqual([]);
  });
});
