/** Response shapes of the registry API (see src/modules/registry/registry.service.ts). */
import type { HukouType } from '../../../../src/domain/household/person-attributes.ts';

export interface ProgramRef {
  code: string;
  name: string;
  startMonth: string;
}

export interface HouseholdListItem {
  id: number;
  countyCode: string;
  townCode: string;
  townName: string | null;
  villageCode: string | null;
  villageName: string | null;
  address: string;
  hukouType: HukouType;
  headPersonId: number | null;
  headName: string | null;
  headIdNumber: string | null;
  memberCount: number;
  programs: ProgramRef[];
  bankName: string | null;
  bankAccount: string | null;
  closeRelativeFlag: boolean;
  version: number;
}

export interface Paged<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface Person {
  id: number;
  idNumber: string;
  masked: boolean;
  name: string;
  sex: 'M' | 'F';
  sexLabel: '男' | '女';
  birthDate: string;
  age: number | null;
  ethnicity: string | null;
  hukouType: HukouType;
  disabilityCategory: string | null;
  disabilityGrade: number | null;
  labourCapacity: string;
  seriousIllness: boolean;
  selfCare: string;
  schoolStatus: string;
  employmentStatus: string;
  deathDate: string | null;
  phone: string | null;
  countyCode: string;
  townCode: string | null;
  version: number;
}

export interface Member extends Person {
  relation: string;
  validFrom: string;
  validTo: string | null;
  leaveReason: string | null;
}

export interface Enrolment {
  id: number;
  programCode: string;
  programName: string;
  personId: number | null;
  personName: string | null;
  startMonth: string;
  endMonth: string | null;
  status: 'active' | 'suspended' | 'ended';
  supportMode: string | null;
  singlePerson: boolean;
  endReason: string | null;
  /** 分类复核 (DOMAIN §4.9). */
  reviewClass: string | null;
  nextReviewOn: string | null;
  version: number;
}

export interface CloseRelative {
  personId: number;
  personName: string;
  relation: string;
  staffId: number;
  staffName: string;
  staffKind: string;
  organisation: string;
  position: string | null;
}

export interface AreaPeriod {
  townCode: string;
  villageCode: string | null;
  validFrom: string;
  validTo: string | null;
  reason: string | null;
}

export interface Household {
  id: number;
  countyCode: string;
  townCode: string;
  townName: string | null;
  villageCode: string | null;
  villageName: string | null;
  address: string;
  hukouType: HukouType;
  headPersonId: number | null;
  phone: string | null;
  bankName: string | null;
  bankAccount: string | null;
  bankAccountHolder: string | null;
  masked: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  members: Member[];
  formerMembers: Member[];
  areaHistory: AreaPeriod[];
  enrolments: Enrolment[];
  closeRelativeFlag: boolean;
  closeRelatives: CloseRelative[];
}

export interface PersonRecord extends Person {
  householdId: number | null;
  relation: string | null;
}

export interface HistoryEntry {
  id: number;
  at: string;
  username: string | null;
  displayName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  personName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: string | null;
}

export interface Area {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  inScope: boolean;
}
