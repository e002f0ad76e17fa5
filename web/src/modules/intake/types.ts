/** Shapes of the intake API (src/modules/intake/intake.service.ts). */
import type {
  Channel,
  ForwardStatus,
  IntakeItemCode,
  ItemActionCode,
  ItemDecision,
  ItemHandling,
  MaterialCode,
  RequestStatus,
  Signer,
} from '../../../../src/domain/intake/intake-rules.ts';

export interface IntakeListItem {
  id: number;
  townCode: string;
  townName: string | null;
  villageName: string | null;
  applicantName: string;
  applicantIdNumber: string | null;
  channel: Channel;
  channelLabel: string;
  receivedAt: string;
  receivedBy: string;
  status: RequestStatus;
  statusLabel: string;
  noticeOpen: boolean;
  overdue: boolean;
  items: {
    id: number;
    itemCode: IntakeItemCode;
    label: string;
    decision: ItemDecision;
    decisionLabel: string;
  }[];
  version: number;
}

export interface IntakeList {
  total: number;
  page: number;
  pageSize: number;
  today: string;
  items: IntakeListItem[];
}

export interface Deadline {
  status: ForwardStatus;
  workingDaysLeft: number;
  label: string;
}

export interface IntakeItem {
  id: number;
  itemCode: IntakeItemCode;
  label: string;
  handling: ItemHandling;
  defaultDepartment: string | null;
  decision: ItemDecision;
  decisionLabel: string;
  department: string | null;
  forwardedOn: string | null;
  dueOn: string | null;
  deadline: Deadline | null;
  repliedLate: boolean;
  reply: string | null;
  repliedOn: string | null;
  applicantInformedOn: string | null;
  reason: string | null;
  caseId: number | null;
  version: number;
  actions: ItemActionCode[];
  outstanding: string[];
}

export interface NoticeMaterialView {
  itemCode: IntakeItemCode;
  itemLabel: string;
  code: MaterialCode;
  label: string;
  note: string | null;
  receivedOn: string | null;
}

export interface Authorisation {
  id: number;
  personId: number | null;
  name: string;
  idNumber: string;
  signer: Signer;
  signerLabel: string;
  signerName: string | null;
  signedOn: string;
  note: string | null;
}

export interface IntakeRequest {
  id: number;
  countyCode: string;
  countyName: string | null;
  townCode: string;
  townName: string | null;
  villageCode: string | null;
  villageName: string | null;
  householdId: number | null;
  applicantPersonId: number | null;
  applicantName: string;
  applicantIdNumber: string | null;
  applicantPhone: string | null;
  masked: boolean;
  channel: Channel;
  channelLabel: string;
  description: string;
  receivedBy: string;
  receivedAt: string;
  status: RequestStatus;
  statusLabel: string;
  version: number;
  today: string;
  suggestedForwardDue: string;
  forwardWarnWorkingDays: number;
  notice: null | {
    issuedOn: string;
    issuedBy: string;
    issuedAt: string | null;
    open: boolean;
    materials: NoticeMaterialView[];
  };
  items: IntakeItem[];
  checklist: {
    demand: { itemCode: IntakeItemCode; code: MaterialCode; label: string; when: string | null }[];
    notDemanded: { code: MaterialCode; label: string; source: string }[];
    pendingItems: IntakeItemCode[];
    noticeAllowed: boolean;
  };
  authorisationNeeded: boolean;
  authorisations: Authorisation[];
  householdMembers: {
    personId: number;
    name: string;
    idNumber: string;
    relation: string;
    deceased: boolean;
    authorised: boolean;
  }[];
  closeRelatives: {
    idNumber: string;
    name: string;
    relation: string;
    staffName: string;
    staffKind: string;
  }[];
}

export interface OverdueForward {
  itemId: number;
  requestId: number;
  itemCode: IntakeItemCode;
  label: string;
  applicantName: string;
  townCode: string;
  townName: string | null;
  department: string | null;
  forwardedOn: string | null;
  dueOn: string;
  status: ForwardStatus;
  statusLabel: string;
  workingDaysLeft: number;
}

export interface OverdueForwards {
  today: string;
  overdue: number;
  dueSoon: number;
  items: OverdueForward[];
}

/** What every change returns. */
export interface ChangeResult {
  id: number;
  version: number;
  status: RequestStatus;
  statusLabel: string;
}
