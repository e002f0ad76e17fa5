/** Maps rows to the API's shapes. Lists always mask; a record page unmasks only on request (audited). */

import type { PersonRow } from '../../db/schema.ts';
import { maskBankAccount, maskPhone } from '../../domain/household/masking.ts';
import { ageOn, maskIdNumber, sexLabel } from '../../domain/identity/resident-id.ts';

export interface PersonDto {
  id: number;
  idNumber: string;
  masked: boolean;
  name: string;
  sex: 'M' | 'F';
  sexLabel: '男' | '女';
  birthDate: string;
  age: number | null;
  ethnicity: string | null;
  hukouType: 'urban' | 'rural';
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

type PersonLike = Omit<PersonRow, 'created_at' | 'updated_at'> & { updated_at?: string };

export function personDto(p: PersonLike, options: { reveal: boolean; asOf: string }): PersonDto {
  const onDate = p.death_date && p.death_date < options.asOf ? p.death_date : options.asOf;
  return {
    id: p.id,
    idNumber: options.reveal ? p.id_number : maskIdNumber(p.id_number),
    masked: !options.reveal,
    name: p.name,
    sex: p.sex,
    sexLabel: sexLabel(p.sex),
    birthDate: p.birth_date,
    age: p.birth_date <= onDate ? ageOn(p.birth_date, onDate) : null,
    ethnicity: p.ethnicity,
    hukouType: p.hukou_type,
    disabilityCategory: p.disability_category,
    disabilityGrade: p.disability_grade,
    labourCapacity: p.labour_capacity,
    seriousIllness: Boolean(p.serious_illness),
    selfCare: p.self_care,
    schoolStatus: p.school_status,
    employmentStatus: p.employment_status,
    deathDate: p.death_date,
    phone: options.reveal ? p.phone : maskPhone(p.phone),
    countyCode: p.county_code,
    townCode: p.town_code,
    version: p.version,
  };
}

export function bankAccountOut(account: string | null, reveal: boolean): string | null {
  return reveal ? account : maskBankAccount(account);
}
