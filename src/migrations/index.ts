/** Static list of migrations, in order. Add new ones at the end; never edit an old one. */
import type { Migration } from 'kysely';
import * as foundation from './2026_11_28_0900_foundation.ts';
import * as calendar from './2026_11_29_0100_calendar.ts';
import * as intakeCases from './2026_11_29_0200_intake_cases.ts';
import * as reviewSchedule from './2026_11_29_0300_review_schedule.ts';
import * as policy from './2026_11_29_0400_policy.ts';
import * as payroll from './2026_11_29_0500_payroll.ts';
import * as bank from './2026_11_29_0600_bank.ts';
import * as oneOff from './2026_11_29_0700_one_off.ts';
import * as oneOffBank from './2026_11_29_0800_one_off_bank.ts';
import * as lineFailure from './2026_11_29_0900_line_failure.ts';
import * as verification from './2026_11_29_1000_verification.ts';
import * as statistics from './2026_11_29_1100_statistics.ts';

export const migrations: Record<string, Migration> = {
  '2026_11_28_0900_foundation': foundation,
  '2026_11_29_0100_calendar': calendar,
  '2026_11_29_0200_intake_cases': intakeCases,
  '2026_11_29_0300_review_schedule': reviewSchedule,
  '2026_11_29_0400_policy': policy,
  '2026_11_29_0500_payroll': payroll,
  '2026_11_29_0600_bank': bank,
  '2026_11_29_0700_one_off': oneOff,
  '2026_11_29_0800_one_off_bank': oneOffBank,
  '2026_11_29_0900_line_failure': lineFailure,
  '2026_11_29_1000_verification': verification,
  '2026_11_29_1100_statistics': statistics,
};
