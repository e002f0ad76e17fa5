/**
 * Shapes of the verification platform API (contract §3, §4: src/modules/departments/departments.routes.ts,
 * src/modules/verification/verification.routes.ts). The report body is the domain's VerificationReportBody.
 */
import type { RowError } from '../../../../src/domain/verification/layouts.ts';
import type { VerificationReportBody } from '../../../../src/domain/verification/report.ts';

export type { RowError, VerificationReportBody };

export interface ReportListItem {
  id: number;
  reportNo: string;
  requestId?: number;
  caseId: number | null;
  householdId: number;
  headName?: string | null;
  townCode: string;
  townName?: string | null;
  checkType: string;
  checkTypeLabel?: string;
  conclusionCode: string;
  conclusionLabel: string;
  differenceCount: number;
  asOf: string;
  createdBy: string;
  createdAt: string;
  /** The persons checked (ID numbers masked). */
  subjects?: { name: string; idNumber: string; relation: string; role: 'member' | 'supporter' }[];
  basisLabel?: string | null;
  batchId?: number | null;
}

export interface ReportDetail extends ReportListItem {
  sha256?: string;
  intact?: boolean;
  address?: string | null;
  villageName?: string | null;
  masked?: boolean;
  report: VerificationReportBody;
}

export interface RequestResult {
  requestId: number;
  reportId: number;
  reportNo: string;
  conclusion: { code: string; label: string; reasons?: string[] } | string;
  conclusionLabel?: string;
  differenceCount: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface SourceItem {
  code: string;
  label: string;
  department: string;
  description?: string;
  layoutVersion: string;
  mode: 'snapshot' | 'connector';
  connectorUrl: string | null;
  timeoutMs: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  breaker: BreakerState;
  inForce: { id: number; asOf: string; rowCount: number; importedAt: string } | null;
}

export interface SnapshotItem {
  id: number;
  sourceCode: string;
  layoutVersion?: string;
  fileName: string;
  fileFormat?: string;
  asOf: string;
  status: 'loading' | 'in_force' | 'superseded' | 'rejected';
  rowCount: number;
  errorCount: number;
  importedBy: string;
  importedAt: string;
  activatedAt?: string | null;
  errors?: RowError[];
}

export interface ImportResult {
  snapshotId: number;
  status: 'in_force' | 'rejected';
  rowCount: number;
  errors: RowError[];
}

export interface QueryItem {
  id: number;
  requestedAt: string;
  requestedBy: string;
  sourceCode: string;
  idNumber: string;
  caseId: number | null;
  verificationRequestId: number | null;
  authorisationId: number | null;
  basis: 'authorisation' | 'periodic_recheck';
  channel: 'connector' | 'snapshot';
  status: string;
  attempts: number;
  durationMs?: number;
  recordCount?: number;
  error?: string | null;
}

export interface BatchItem {
  id: number;
  townCode: string | null;
  programCodes: string[];
  trigger: 'on_demand' | 'scheduled';
  status: 'running' | 'done' | 'failed';
  statusLabel?: string;
  programLabels?: string[];
  processed?: number;
  total: number;
  done: number;
  failed: number;
  flagged: number;
  error: string | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface Schedule {
  enabled: boolean;
  dayOfMonth: number;
  programCodes: string[];
}
