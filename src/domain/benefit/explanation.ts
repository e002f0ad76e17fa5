/**
 * Every engine result carries a line-by-line explanation in Chinese: which rule, which parameter, which number.
 * A clerk shows it to the applicant; it is stored with the decision.
 */
export interface ExplanationLine {
  /** Short Chinese label: '家庭月人均收入', '差额补助', '分类施保', '保底', '取整'. */
  step: string;
  /** The full sentence with the numbers, e.g. '（410.00 − 120.50）元 × 3 人 = 868.50 元'. */
  text: string;
  /** The figure this line produces, when it is money (fen). */
  amountFen?: number;
  /** The policy source, e.g. '民发〔2012〕220号 第27条（DOMAIN §4.7）'. */
  rule?: string;
  /** The parameter path used, e.g. 'standardFen', 'addOns.items[0].rate'. */
  param?: string;
}

/** Collects explanation lines; a no-op collector when the caller does not want them (the payroll's fast path). */
export class Explainer {
  readonly lines: ExplanationLine[] = [];
  constructor(readonly enabled = true) {}

  add(line: ExplanationLine | (() => ExplanationLine)): void {
    if (!this.enabled) return;
    this.lines.push(typeof line === 'function' ? line() : line);
  }
}
