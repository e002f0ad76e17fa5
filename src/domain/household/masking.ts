/**
 * Personal data in lists, exports and public notices is masked (DOMAIN §16; 2021 办法 Art. 24).
 * The full value is shown only on a record page, and that read is audited.
 */

/** Bank account: keep the last 4 digits. */
export function maskBankAccount(account: string | null): string | null {
  if (account === null) return null;
  if (account.length <= 4) return '*'.repeat(account.length);
  return `${'*'.repeat(account.length - 4)}${account.slice(-4)}`;
}

/** Phone: keep the first 3 and last 4 digits. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  if (phone.length < 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/**
 * A name on a public notice (公示): partly masked, as the 2021 办法 Art. 24 asks to protect privacy
 * while naming the applicant. Keeps the surname and the last character: 李建国 → 李*国, 李明 → 李*,
 * 欧阳小明 → 欧**明.
 */
export function maskNameForNotice(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
