/**
 * Which payroll lines make one bank transfer: the lines of one household paid to the same account and
 * holder in one batch (a household gets one credit, not one per component or month). The transfer's
 * reference is its smallest line id, so the same lines always give the same reference — at export and
 * again when the bank's return is read.
 */
export interface TransferLine {
  id: number;
  householdId: number;
  bankAccount: string | null;
  accountHolder: string | null;
  amountFen: number;
}

export interface TransferGroup<L extends TransferLine> {
  lineRef: number;
  account: string;
  holder: string;
  amountFen: number;
  lines: L[];
}

export function groupTransfers<L extends TransferLine>(lines: readonly L[]): TransferGroup<L>[] {
  const byKey = new Map<string, TransferGroup<L>>();
  for (const l of lines) {
    const account = l.bankAccount ?? '';
    const holder = l.accountHolder ?? '';
    const key = `${l.householdId}|${account}|${holder}`;
    const g = byKey.get(key);
    if (g) {
      g.lines.push(l);
      g.amountFen += l.amountFen;
      g.lineRef = Math.min(g.lineRef, l.id);
    } else byKey.set(key, { lineRef: l.id, account, holder, amountFen: l.amountFen, lines: [l] });
  }
  return [...byKey.values()].sort((a, b) => a.lineRef - b.lineRef);
}

/**
 * A transfer the bank can make: an account, and a positive sum (a recovery larger than the month's
 * benefit leaves nothing to pay: those lines stay pending and are not sent to the bank).
 */
export function payable(g: TransferGroup<TransferLine>): boolean {
  return g.account.trim() !== '' && g.amountFen > 0;
}
