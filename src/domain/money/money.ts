/**
 * Exact money arithmetic. Amounts are integer fen (docs/decisions/0001); rates and multipliers
 * (1.3×, 40%, CPI +3.6%) are decimal strings turned into exact fractions of BigInts, so a product such as
 * 410 元 × 1.6 × 3.6% is exact until it is rounded once, by the rounding the policy sets (DOMAIN §4.7,
 * §5.5, §8.4: "rounding is a local choice").
 */

/** 'up' = away from zero (进一), 'half_up' = half away from zero (四舍五入), 'down' = toward zero (舍去). */
export type RoundingMode = 'up' | 'half_up' | 'down';
/** The unit a derived amount is rounded to: 分, 角 or 元. */
export type RoundingUnit = 'fen' | 'jiao' | 'yuan';
export interface Rounding {
  mode: RoundingMode;
  unit: RoundingUnit;
}

export const ROUNDING_MODE_LABELS: Record<RoundingMode, string> = {
  up: '进一',
  half_up: '四舍五入',
  down: '舍去',
};
export const ROUNDING_UNIT_LABELS: Record<RoundingUnit, string> = { fen: '分', jiao: '角', yuan: '元' };
const UNIT_FEN: Record<RoundingUnit, bigint> = { fen: 1n, jiao: 10n, yuan: 100n };

/** "四舍五入到元" and the like, for explanations. */
export function roundingLabel(r: Rounding): string {
  return `${ROUNDING_MODE_LABELS[r.mode]}到${ROUNDING_UNIT_LABELS[r.unit]}`;
}

/** An exact fraction num/den with den > 0. Values are in fen unless said otherwise. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

function make(num: bigint, den: bigint): Ratio {
  if (den === 0n) throw new RangeError('division by zero');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** True for a plain decimal string such as "1.3", "0.035", "24". */
export function isDecimalString(s: string): boolean {
  return DECIMAL.test(s);
}

/** "1.3" → 13/10 exactly. Throws on anything that is not a plain decimal (no exponents, no commas). */
export function decimal(s: string): Ratio {
  if (!DECIMAL.test(s)) throw new RangeError(`not a decimal: ${s}`);
  const negative = s.startsWith('-');
  const [int, frac = ''] = (negative ? s.slice(1) : s).split('.');
  const num = BigInt(`${int}${frac}`) * (negative ? -1n : 1n);
  return make(num, 10n ** BigInt(frac.length));
}

/** An integer (fen, persons, months) as a Ratio. */
export function int(n: number | bigint): Ratio {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return { num: BigInt(n), den: 1n };
}

export const ZERO: Ratio = { num: 0n, den: 1n };
export const ONE: Ratio = { num: 1n, den: 1n };

export function add(...xs: Ratio[]): Ratio {
  return xs.reduce((a, b) => make(a.num * b.den + b.num * a.den, a.den * b.den), ZERO);
}
export function sub(a: Ratio, b: Ratio): Ratio {
  return make(a.num * b.den - b.num * a.den, a.den * b.den);
}
export function mul(...xs: Ratio[]): Ratio {
  return xs.reduce((a, b) => make(a.num * b.num, a.den * b.den), ONE);
}
export function div(a: Ratio, b: Ratio): Ratio {
  if (b.num === 0n) throw new RangeError('division by zero');
  return make(a.num * b.den, a.den * b.num);
}
export function cmp(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
export function max(a: Ratio, b: Ratio): Ratio {
  return cmp(a, b) >= 0 ? a : b;
}
export function min(a: Ratio, b: Ratio): Ratio {
  return cmp(a, b) <= 0 ? a : b;
}
export function isZero(a: Ratio): boolean {
  return a.num === 0n;
}

/** Rounds an exact amount in fen to whole fen at the given unit and mode: the one rounding of a figure. */
export function roundFen(value: Ratio, rounding: Rounding): number {
  const unit = UNIT_FEN[rounding.unit];
  // value / unit, rounded to an integer, times unit.
  const den = value.den * unit;
  const negative = value.num < 0n;
  const absNum = negative ? -value.num : value.num;
  let q = absNum / den;
  const r = absNum % den;
  if (r !== 0n) {
    if (rounding.mode === 'up') q += 1n;
    else if (rounding.mode === 'half_up' && r * 2n >= den) q += 1n;
  }
  const result = (negative ? -q : q) * unit;
  const n = Number(result);
  if (!Number.isSafeInteger(n)) throw new RangeError('amount out of range');
  return n === 0 ? 0 : n; // no -0
}

/** An exact value as a short decimal for explanations: 2 places when it is not whole. */
export function ratioToDecimalString(r: Ratio, places = 2): string {
  const scale = 10n ** BigInt(places);
  const scaled = roundFen(mul(r, int(scale)), { mode: 'half_up', unit: 'fen' });
  const neg = scaled < 0;
  const abs = BigInt(Math.abs(scaled));
  const whole = abs / scale;
  const frac = (abs % scale).toString().padStart(places, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Integer fen → "1,234.50" (元, two places, grouping). The only place fen becomes 元 in the server. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Integer fen → "145.36" 万元 with exactly the given places (report columns keep "145.30"), rounded
 * half away from zero (for the bureau's reports, DOMAIN §14, §17).
 */
export function formatWanYuan(fen: number, places = 2): string {
  const scale = 10n ** BigInt(places);
  const scaled = roundFen(mul(div(int(fen), int(1_000_000)), int(scale)), { mode: 'half_up', unit: 'fen' });
  const abs = BigInt(Math.abs(scaled));
  const frac = places > 0 ? `.${(abs % scale).toString().padStart(places, '0')}` : '';
  return `${scaled < 0 ? '-' : ''}${abs / scale}${frac}`;
}

/** "410" / "410.5" / "410.50" 元 → 41050 fen; throws if it has more than two decimals. */
export function yuanToFen(yuan: string): number {
  const t = yuan.trim();
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) throw new RangeError(`not an amount in yuan: ${yuan}`);
  return roundFen(mul(decimal(t), int(100)), { mode: 'half_up', unit: 'fen' });
}

/** A percentage string such as "3.6" (meaning 3.6%) as an exact fraction 36/1000. */
export function percent(s: string): Ratio {
  return div(decimal(s), int(100));
}
