/**
 * 公民身份号码 (GB 11643-1999) — pure validation, normalisation and helpers.
 *
 * No I/O and no clock: anything time-dependent takes an explicit `asOf` / `onDate`.
 *
 * Layout of an 18-character number:
 *   6-digit address code (GB/T 2260, county level, as when issued)
 *   8-digit birth date YYYYMMDD
 *   3-digit sequence (odd = male, even = female)
 *   1 check character ("10X98765432"[Σ aᵢ·wᵢ mod 11])
 *
 * Legacy 15-digit numbers (6 address + YYMMDD + 3 sequence) are upgraded by inserting the
 * century ("19", or "18" for sequences 996–999, reserved for centenarians) and appending the
 * check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** Earliest birth year accepted. */
const MIN_BIRTH_YEAR = 1800;

/** Province-level prefixes of GB/T 2260 (71 = 台湾, 81 = 香港, 82 = 澳门). */
const PROVINCE_CODES: ReadonlySet<string> = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
    ' ',
  ),
);

export type ResidentIdErrorCode = 'LENGTH' | 'CHARACTERS' | 'BIRTH_DATE' | 'PROVINCE' | 'CHECK_CHARACTER';

export type ResidentIdError = { code: ResidentIdErrorCode; message: string };

export type ResidentIdWarning = { code: string; message: string };

export type ResidentIdResult =
  | {
      valid: true;
      /** Normalised 18-character number, check character upper-case. */
      idNumber: string;
      upgradedFrom15: boolean;
      addressCode: string;
      provinceCode: string;
      /** YYYY-MM-DD */
      birthDate: string;
      sex: 'M' | 'F';
      sequence: string;
      warnings: ResidentIdWarning[];
    }
  | {
      valid: false;
      input: string;
      errors: ResidentIdError[];
    };

export type ValidateResidentIdOptions = {
  /** The date to judge "in the future" against, YYYY-MM-DD. */
  asOf: string;
  /** GB/T 2260 county codes known to the caller; unknown codes produce a warning, never an error. */
  knownCountyCodes?: ReadonlySet<string>;
};

const DIGITS_17 = /^\d{17}$/;
const DIGITS_15 = /^\d{15}$/;
const DIGITS_6 = /^\d{6}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

type YMD = { year: number; month: number; day: number };

/** Parses a strict YYYY-MM-DD calendar date, or throws. */
function parseIsoDate(value: string, label: string): YMD {
  const m = ISO_DATE.exec(value);
  if (!m) throw new Error(`${label} must be a YYYY-MM-DD date, got '${value}'`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isRealDate(year, month, day)) throw new Error(`${label} is not a real calendar date: '${value}'`);
  return { year, month, day };
}

/**
 * The check character for the first 17 digits of a resident ID number.
 * @throws Error if `first17` is not exactly 17 ASCII digits.
 */
export function checkCharacter(first17: string): string {
  if (!DIGITS_17.test(first17)) {
    throw new Error(`checkCharacter expects exactly 17 digits, got '${first17}'`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += Number(first17[i]) * (WEIGHTS[i] as number);
  }
  return CHECK_CHARACTERS[sum % 11] as string;
}

/**
 * Upgrades a legacy 15-digit number to 18 characters: inserts "19" before the 2-digit year
 * ("18" when the sequence is 996–999, used for centenarians) and appends the check character.
 * Only the format is checked here; use `validateResidentId` to check the date and province.
 * @throws Error if `id15` is not exactly 15 ASCII digits.
 */
export function upgradeTo18(id15: string): string {
  if (!DIGITS_15.test(id15)) {
    throw new Error(`upgradeTo18 expects exactly 15 digits, got '${id15}'`);
  }
  const sequence = Number(id15.slice(12, 15));
  const century = sequence >= 996 ? '18' : '19';
  const first17 = `${id15.slice(0, 6)}${century}${id15.slice(6)}`;
  return first17 + checkCharacter(first17);
}

/**
 * Validates (and normalises) a resident ID number.
 *
 * Leading/trailing whitespace is ignored; a lower-case 'x' check character is accepted. 15-digit
 * numbers are upgraded to 18 characters. All applicable errors are reported, except that a
 * LENGTH or CHARACTERS error stops further checks.
 *
 * @throws Error if `options.asOf` is not a real YYYY-MM-DD date (a programming error).
 */
export function validateResidentId(input: string, options: ValidateResidentIdOptions): ResidentIdResult {
  parseIsoDate(options.asOf, 'asOf');
  const trimmed = input.trim();
  const invalid = (errors: ResidentIdError[]): ResidentIdResult => ({ valid: false, input: trimmed, errors });

  const length = [...trimmed].length;
  if (length !== 18 && length !== 15) {
    return invalid([
      { code: 'LENGTH', message: `身份证号码长度应为18位（或15位旧号码），实际为${length}位` },
    ]);
  }
  const charactersOk = length === 18 ? /^\d{17}[\dXx]$/.test(trimmed) : DIGITS_15.test(trimmed);
  if (!charactersOk) {
    return invalid([
      {
        code: 'CHARACTERS',
        message:
          length === 18 ? '身份证号码只能由数字组成，最后一位可以是X' : '15位旧身份证号码只能由数字组成',
      },
    ]);
  }

  const upgradedFrom15 = length === 15;
  const idNumber = upgradedFrom15 ? upgradeTo18(trimmed) : trimmed.toUpperCase();
  const errors: ResidentIdError[] = [];

  const addressCode = idNumber.slice(0, 6);
  const provinceCode = idNumber.slice(0, 2);
  const birthDigits = idNumber.slice(6, 14);
  const sequence = idNumber.slice(14, 17);

  const year = Number(birthDigits.slice(0, 4));
  const month = Number(birthDigits.slice(4, 6));
  const day = Number(birthDigits.slice(6, 8));
  const birthDate = `${birthDigits.slice(0, 4)}-${birthDigits.slice(4, 6)}-${birthDigits.slice(6, 8)}`;
  if (!isRealDate(year, month, day)) {
    errors.push({ code: 'BIRTH_DATE', message: `出生日期 ${birthDigits} 不是有效日期` });
  } else if (year < MIN_BIRTH_YEAR) {
    errors.push({ code: 'BIRTH_DATE', message: `出生日期 ${birthDate} 早于${MIN_BIRTH_YEAR}年` });
  } else if (birthDate > options.asOf) {
    errors.push({ code: 'BIRTH_DATE', message: `出生日期 ${birthDate} 晚于当前日期` });
  }

  if (!PROVINCE_CODES.has(provinceCode)) {
    errors.push({ code: 'PROVINCE', message: `行政区划代码前两位 ${provinceCode} 不是有效的省级代码` });
  }

  const expected = checkCharacter(idNumber.slice(0, 17));
  const actual = idNumber.slice(17);
  if (expected !== actual) {
    errors.push({ code: 'CHECK_CHARACTER', message: `校验位错误：第18位应为 ${expected}，实际为 ${actual}` });
  }

  if (errors.length > 0) return invalid(errors);

  const warnings: ResidentIdWarning[] = [];
  if (options.knownCountyCodes && !options.knownCountyCodes.has(addressCode)) {
    warnings.push({
      code: 'UNKNOWN_COUNTY',
      message: `行政区划代码 ${addressCode} 不在已知县级代码表中（可能是已撤销的历史代码）`,
    });
  }

  return {
    valid: true,
    idNumber,
    upgradedFrom15,
    addressCode,
    provinceCode,
    birthDate,
    sex: Number(sequence) % 2 === 1 ? 'M' : 'F',
    sequence,
    warnings,
  };
}

/**
 * Age in full years on `onDate` for someone born on `birthDate` (both YYYY-MM-DD).
 * Someone born on 29 February turns a year older on 1 March in non-leap years.
 * @throws Error on malformed dates or if `onDate` is before `birthDate`.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const birth = parseIsoDate(birthDate, 'birthDate');
  const on = parseIsoDate(onDate, 'onDate');
  if (onDate < birthDate) throw new Error(`onDate ${onDate} is before birthDate ${birthDate}`);
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age -= 1;
  return age;
}

export function sexLabel(sex: 'M' | 'F'): '男' | '女' {
  return sex === 'M' ? '男' : '女';
}

/**
 * Masks an ID number for display: keeps the first 6 and last 4 characters and replaces the
 * middle with '*' of the same length ('440232********1234'). Strings shorter than 10 characters
 * keep only their last 2 characters; strings of 2 characters or fewer are masked entirely.
 */
export function maskIdNumber(idNumber: string): string {
  const chars = [...idNumber];
  const n = chars.length;
  if (n >= 10) return chars.slice(0, 6).join('') + '*'.repeat(n - 10) + chars.slice(n - 4).join('');
  if (n <= 2) return '*'.repeat(n);
  return '*'.repeat(n - 2) + chars.slice(n - 2).join('');
}

/**
 * Builds a valid 18-character ID number (for test and demo data). An odd sequence gives a male,
 * an even one a female.
 * @throws Error if the address code is not 6 digits, the date is not a real YYYY-MM-DD date,
 *   or the sequence is not an integer in 0..999.
 */
export function buildResidentId(parts: { addressCode: string; birthDate: string; sequence: number }): string {
  if (!DIGITS_6.test(parts.addressCode)) {
    throw new Error(`addressCode must be 6 digits, got '${parts.addressCode}'`);
  }
  parseIsoDate(parts.birthDate, 'birthDate');
  if (!Number.isInteger(parts.sequence) || parts.sequence < 0 || parts.sequence > 999) {
    throw new Error(`sequence must be an integer 0..999, got ${parts.sequence}`);
  }
  const first17 =
    parts.addressCode + parts.birthDate.replaceAll('-', '') + String(parts.sequence).padStart(3, '0');
  return first17 + checkCharacter(first17);
}
