import { describe, expect, it } from 'vitest';
import { groupTransfers, payable, type TransferLine } from './transfers.ts';

const l = (
  id: number,
  householdId: number,
  amountFen: number,
  bankAccount: string | null = `62${householdId}`,
) => ({
  id,
  householdId,
  bankAccount,
  accountHolder: `户${householdId}`,
  amountFen,
});

describe('bank transfers from payroll lines', () => {
  it('pays a household one transfer per account, referenced by its smallest line id', () => {
    const groups = groupTransfers<TransferLine>([
      l(7, 1, 41000),
      l(3, 1, 12000),
      l(5, 2, 30000),
      l(9, 1, 5000),
    ]);
    expect(groups.map((g) => ({ ref: g.lineRef, fen: g.amountFen, ids: g.lines.map((x) => x.id) }))).toEqual([
      { ref: 3, fen: 58000, ids: [7, 3, 9] },
      { ref: 5, fen: 30000, ids: [5] },
    ]);
  });

  it('keeps a household paid to two accounts as two transfers', () => {
    expect(groupTransfers([l(1, 1, 100, '621'), l(2, 1, 100, '622')])).toHaveLength(2);
  });

  it.each([
    ['a positive sum to an account', [l(1, 1, 41000)], true],
    ['a recovery larger than the benefit', [l(1, 1, 41000), l(2, 1, -50000)], false],
    ['nothing left after a recovery', [l(1, 1, 41000), l(2, 1, -41000)], false],
    ['no account on record', [l(1, 1, 41000, null)], false],
  ])('%s is payable: %s', (_label, lines, expected) => {
    const [g] = groupTransfers(lines);
    expect(g && payable(g)).toBe(expected);
  });
});
