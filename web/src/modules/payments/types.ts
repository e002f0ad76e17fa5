/**
 * Response shapes of the 资金发放 API (src/modules/payroll/*.routes.ts, src/modules/payments/*.routes.ts).
 * Money is integer fen; months are 'YYYY-MM'.
 */

import type { ExplanationLine } from '../../../../src/domain/benefit/explanation.ts';

export type PayrollStatus = 'generating' | 'generated' | 'reviewed' | 'approved';
export type LineKind = 'regular' | 'arrears' | 'recovery' | 'reissue';
export type LineStatus = 'pending' | 'paid' | 'failed' | 'held' | 'reissued';

export interface PayrollSummary {
  id: number;
  programCode: string;
  programLabel?: string | null;
  payMonth: string;
  status: PayrollStatus;
  statusLabel?: string;
  /**
   * 户数/人数 paid for the pay month (households with a regular line; persons: the members each decision
   * counted, one per person line); null while generating.
   */
  householdCount: number | null;
  personCount: number | null;
  lineCount: number;
  totalFen: number;
  generatedBy: string | null;
  generatedAt: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  version: number;
}

export interface PayrollWarning {
  code: string;
  label: string;
  /** Enrolments (households or persons) concerned. */
  count: number;
  /** By town code (county users only). */
  byTown?: Record<string, number>;
}

export interface TownTotal {
  townCode: string;
  townName: string;
  lines: number;
  totalFen: number;
  households: number;
}

export interface ComponentTotal {
  component: string;
  label: string;
  lineKind: LineKind;
  kindLabel: string;
  lines: number;
  totalFen: number;
}

/** One cell of the 乡镇 × 组成 cross table: a town, a component and a line kind. */
export interface TownComponentTotal {
  townCode: string;
  townName: string;
  component: string;
  label: string;
  lineKind: LineKind;
  kindLabel: string;
  lines: number;
  /** Distinct households with a line in this cell. */
  householdCount: number;
  totalFen: number;
}

export interface PayrollDetail extends PayrollSummary {
  /** Set for a town user: the figures are that town's. */
  townCode: string | null;
  progress: { done: number; total: number; running?: boolean };
  byTown: TownTotal[];
  byComponent: ComponentTotal[];
  byTownComponent: TownComponentTotal[];
  warnings: PayrollWarning[];
}

export interface PayrollLine {
  id: number;
  townCode: string;
  villageCode: string | null;
  enrolmentId: number;
  householdId: number;
  personId: number | null;
  /** The person paid, else the household head. */
  name: string | null;
  benefitMonth: string;
  component: string;
  componentLabel?: string;
  lineKind: LineKind;
  lineKindLabel?: string;
  amountFen: number;
  fundSource: string;
  fundSourceLabel?: string;
  reason: string | null;
  bankName: string | null;
  bankAccount: string | null;
  accountHolder: string | null;
  status: LineStatus;
  statusLabel?: string;
  /** The bank's reason of the line's latest failed transfer (from the return file), if any. */
  failureReason: string | null;
}

export interface Paged<T> {
  items: T[];
  total?: number;
  count?: number;
  totalFen?: number;
  page?: number;
  pageSize?: number;
}

export interface BankFile {
  bankName: string;
  format: 'csv' | 'xlsx';
  /** Transfers (rows of the file): the lines of one account are summed into one transfer. */
  lineCount: number;
  payrollLineCount: number;
  householdCount: number;
  totalFen: number;
}

export interface BankFiles {
  payrollId: number;
  payMonth: string;
  programCode: string;
  items: BankFile[];
  notExportable: { lineCount: number; householdCount: number; noAccountLineCount: number };
}

export interface BankBatch {
  id: number;
  payrollId: number | null;
  oneOffBatchId?: number | null;
  bankName: string;
  format: string;
  fileName: string;
  lineCount: number;
  totalFen: number;
  exportedBy: string;
  exportedAt: string;
  returnImportedAt: string | null;
  returnFileName: string | null;
  paidCount: number;
  failedCount: number;
}

export interface LedgerEntry {
  id: number;
  programCode: string;
  personId: number | null;
  enrolmentId: number | null;
  benefitMonth: string;
  payMonth: string;
  component: string;
  componentLabel?: string;
  fundSource: string;
  amountFen: number;
  entryKind: string;
  entryKindLabel?: string;
  payrollId: number | null;
  oneOffId: number | null;
  reason: string | null;
  postedBy: string;
  postedAt: string;
}

export interface OneOffPayment {
  id: number;
  townCode: string;
  townName?: string | null;
  programCode: string;
  kind: 'temporary_aid' | 'medical_aid' | 'holiday_subsidy';
  kindLabel?: string;
  component?: string;
  batchId?: number | null;
  benefitMonth?: string;
  bankName?: string | null;
  bankAccount?: string | null;
  /** How the amount was computed (医疗救助, 临时救助). */
  explanation?: ExplanationLine[] | null;
  householdId: number;
  headName?: string | null;
  personId?: number | null;
  personName?: string | null;
  amountFen: number;
  fundSource: string;
  reason: string;
  status: 'pending' | 'approved' | 'paid' | 'failed';
  createdBy: string;
  createdAt: string;
  approvedBy?: string | null;
  approvedAt?: string | null;
}

export interface OneOffBatch {
  id: number;
  kind: 'holiday_subsidy';
  kindLabel?: string;
  title: string;
  programCodes: string[];
  referenceDate: string;
  amountPerPersonFen: number | null;
  lineCount: number;
  totalFen: number;
  status: 'pending' | 'approved';
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}
