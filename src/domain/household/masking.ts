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
