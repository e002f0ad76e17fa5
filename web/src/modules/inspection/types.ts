/** Shapes of the 核查 API (contract §5: src/modules/campaigns/campaigns.routes.ts). */
import type { CampaignSummary, SummaryRow } from '../../../../src/domain/campaign/summary.ts';

export type { CampaignSummary, SummaryRow };

export interface Rule {
  id?: number;
  code: string;
  type: string;
  typeLabel?: string;
  label: string;
  category: string;
  params: Record<string, unknown>;
  enabled: boolean;
  builtin: boolean;
  description?: string;
  version: number;
}

export type CampaignStatus = 'draft' | 'running' | 'done' | 'failed';

export interface Campaign {
  id: number;
  title: string;
  programCodes: string[];
  townCodes: string[];
  ruleCodes: string[];
  asOf: string;
  reviewDueDays?: number;
  status: CampaignStatus;
  statusLabel?: string;
  progress: { rulesDone: number; rulesTotal: number };
  findingCount: number;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type Outcome = 'keep' | 'exit' | 'recover';

export interface Finding {
  id: number;
  campaignId: number;
  campaignTitle?: string;
  townCode: string;
  townName?: string | null;
  ruleCode: string;
  ruleType: string;
  ruleLabel?: string;
  category: string;
  householdId: number;
  headName?: string | null;
  personId: number | null;
  personName?: string | null;
  /** Masked. */
  personIdNumber?: string | null;
  address?: string | null;
  enrolmentId: number | null;
  programCode: string | null;
  persons: number;
  summary: string;
  evidence: Record<string, unknown>;
  taskId: number | null;
  caseId: number | null;
  outcome: Outcome | null;
  outcomeNote: string | null;
  recoveryFen: number | null;
  outcomeBy: string | null;
  outcomeAt: string | null;
  version: number;
  createdAt?: string;
}

/** What POST /findings/:id/outcome answers. */
export interface OutcomeResult {
  id: number;
  outcome: Outcome;
  outcomeLabel: string;
  caseId: number | null;
  recoveryFen: number | null;
  version: number;
}
