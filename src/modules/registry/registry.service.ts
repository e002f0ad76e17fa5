/**
 * Registry service: load → decide → persist → audit, inside the caller's transaction.
 * Households (家庭/户), persons and their membership history (DOMAIN §4.2): a person belongs to one
 * household at a time; moves close one membership and open another, so "who was in the household on
 * a past date" is always answerable.
 */
import type { Transaction } from 'kysely';
import type { Database, HouseholdRow, PersonRow } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { type AreaScope, isWithinScope, scopeOf } from '../../domain/access/area-scope.ts';
import { diffRecords } from '../../domain/audit/hash-chain.ts';
import { chinaDate } from '../../domain/calendar/dates.ts';
import { maskPhone } from '../../domain/household/masking.ts';
import { checkPersonAttributes } from '../../domain/household/person-attributes.ts';
import { ageOn, maskIdNumber, validateResidentId } from '../../domain/identity/resident-id.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  AppError,
  ErrorCode,
  type FieldIssue,
  forbiddenArea,
  notFound,
  staleVersion,
  validationError,
} from '../errors/app-error.ts';
import { bankAccountOut, personDto } from './registry.dto.ts';
import * as repo from './registry.repository.ts';
import type {
  CreateHouseholdInput,
  ListQueryInput,
  MoveHouseholdInput,
  MovePersonInput,
  NewMemberInput,
  UpdateHouseholdInput,
  UpdatePersonInput,
} from './registry.schemas.ts';

type Trx = Transaction<Database>;

/** Finds a household in the actor's area; tells "does not exist" from "not yours" (the latter is audited). */
async function householdInScopeOrThrow(
  trx: Trx,
  actor: Actor,
  id: number,
  attempted: string,
): Promise<HouseholdRow> {
  const scope = scopeOf(actor);
  const row = await repo.findHousehold(trx, scope, id);
  if (row) return row;
  const located = await repo.locateHousehold(trx, id);
  if (!located) throw notFound(`家庭（编号 ${id}）`);
  throw forbiddenArea('家庭', {
    entityType: 'household',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

async function personInScopeOrThrow(
  trx: Trx,
  actor: Actor,
  id: number,
  attempted: string,
): Promise<PersonRow> {
  const row = await repo.findPerson(trx, scopeOf(actor), id);
  if (row) return row;
  const located = await repo.locatePerson(trx, id);
  if (!located) throw notFound(`人员（编号 ${id}）`);
  throw forbiddenArea('人员', {
    entityType: 'person',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

/** The town (and village) must exist in the county and lie inside the actor's area. */
async function checkTargetArea(
  trx: Trx,
  actor: Actor,
  townCode: string,
  villageCode: string | null | undefined,
): Promise<void> {
  const town = await repo.findArea(trx, townCode);
  if (town?.level !== 'town' || !townCode.startsWith(actor.countyCode)) {
    throw validationError('townCode', `乡镇代码 ${townCode} 不是本县（${actor.countyCode}）的乡镇`);
  }
  if (!isWithinScope(scopeOf(actor), actor.countyCode, townCode)) {
    throw new AppError(ErrorCode.FORBIDDEN_AREA, `${town.name}不在您的管辖区域内`, { field: 'townCode' });
  }
  if (villageCode) {
    const village = await repo.findArea(trx, villageCode);
    if (!village || village.parent_code !== townCode) {
      throw validationError('villageCode', `村（居）代码 ${villageCode} 不属于${town.name}`);
    }
  }
}

interface CheckedPerson {
  idNumber: string;
  sex: 'M' | 'F';
  birthDate: string;
}

function checkIdNumber(raw: string, field: string, today: string): CheckedPerson {
  const result = validateResidentId(raw, { asOf: today });
  if (!result.valid) {
    throw new AppError(
      ErrorCode.VALIDATION,
      `身份证号码无效：${result.errors.map((e) => e.message).join('；')}`,
      {
        issues: result.errors.map((e) => ({ field, message: e.message })),
      },
    );
  }
  return { idNumber: result.idNumber, sex: result.sex, birthDate: result.birthDate };
}

function attributeIssues(
  p: {
    birthDate: string;
    disabilityCategory?: string | null;
    disabilityGrade?: number | null;
    deathDate?: string | null;
  },
  prefix: string,
  today: string,
): FieldIssue[] {
  return checkPersonAttributes(
    {
      birthDate: p.birthDate,
      disabilityCategory: p.disabilityCategory ?? null,
      disabilityGrade: p.disabilityGrade ?? null,
      deathDate: p.deathDate ?? null,
    },
    today,
  ).map((i) => ({ field: `${prefix}${i.field}`, message: i.message }));
}

/** Defaults a clerk would expect when a field is left blank: work ability by age (16–59 able). */
function newPersonRow(
  m: NewMemberInput,
  checked: CheckedPerson,
  area: { countyCode: string; townCode: string | null },
  householdHukou: 'urban' | 'rural',
  today: string,
  ts: string,
) {
  const age = ageOn(checked.birthDate, today);
  return {
    county_code: area.countyCode,
    town_code: area.townCode,
    id_number: checked.idNumber,
    name: m.name,
    sex: checked.sex,
    birth_date: checked.birthDate,
    ethnicity: m.ethnicity ?? null,
    hukou_type: m.hukouType ?? householdHukou,
    disability_category: m.disabilityCategory ?? null,
    disability_grade: m.disabilityGrade ?? null,
    labour_capacity: m.labourCapacity ?? (age >= 16 && age < 60 ? 'full' : 'none'),
    serious_illness: m.seriousIllness ? 1 : 0,
    self_care: m.selfCare ?? 'self_reliant',
    school_status: m.schoolStatus ?? 'none',
    employment_status: m.employmentStatus ?? 'none',
    death_date: m.deathDate ?? null,
    phone: m.phone ?? null,
    created_at: ts,
    updated_at: ts,
  };
}

// ---------------------------------------------------------------------------------------------
// Reads

function filterOf(q: ListQueryInput): repo.HouseholdFilter {
  return {
    ...(q.townCode ? { townCode: q.townCode } : {}),
    ...(q.villageCode ? { villageCode: q.villageCode } : {}),
    ...(q.program ? { programCode: q.program } : {}),
    ...(q.name ? { name: q.name } : {}),
    ...(q.idNumber ? { idNumber: q.idNumber } : {}),
    ...(q.closeRelative === 'true' ? { closeRelative: true } : {}),
  };
}

export async function listPersons(trx: Trx, actor: Actor, q: ListQueryInput, now: Date = new Date()) {
  requirePermission(actor, 'registry.read');
  const scope = scopeOf(actor);
  const filter = filterOf(q);
  const [total, rows] = await Promise.all([
    repo.countPersons(trx, scope, filter),
    repo.listPersons(trx, scope, filter, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize }),
  ]);
  const today = chinaDate(now);
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    items: rows.map((r) => ({
      ...personDto(r, { reveal: false, asOf: today }),
      householdId: r.household_id,
      relation: r.relation,
      townName: r.town_name,
    })),
  };
}

export async function listHouseholds(trx: Trx, actor: Actor, q: ListQueryInput) {
  requirePermission(actor, 'registry.read');
  const scope: AreaScope = scopeOf(actor);
  const filter = filterOf(q);
  const [total, rows] = await Promise.all([
    repo.countHouseholds(trx, scope, filter),
    repo.listHouseholds(trx, scope, filter, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize }),
  ]);
  const ids = rows.map((r) => r.id);
  const [counts, enrolments] = await Promise.all([
    repo.currentMemberCounts(trx, ids),
    repo.enrolmentsOf(trx, ids, true),
  ]);
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    items: rows.map((r) => ({
      id: r.id,
      countyCode: r.county_code,
      townCode: r.town_code,
      townName: r.town_name,
      villageCode: r.village_code,
      villageName: r.village_name,
      address: r.address,
      hukouType: r.hukou_type,
      headPersonId: r.head_person_id,
      headName: r.head_name,
      headIdNumber: r.head_id_number ? maskIdNumber(r.head_id_number) : null,
      memberCount: Number(counts.find((c) => c.household_id === r.id)?.n ?? 0),
      programs: enrolments
        .filter((e) => e.household_id === r.id)
        .map((e) => ({ code: e.program_code, name: e.program_name, startMonth: e.start_month })),
      bankName: r.bank_name,
      bankAccount: bankAccountOut(r.bank_account, false),
      closeRelativeFlag: Boolean(r.close_relative),
      version: r.version,
    })),
  };
}

export async function getHousehold(
  trx: Trx,
  actor: Actor,
  id: number,
  options: { reveal: boolean; asOf?: string },
  now: Date = new Date(),
) {
  requirePermission(actor, 'registry.read');
  if (options.reveal) requirePermission(actor, 'registry.reveal');
  const h = await householdInScopeOrThrow(trx, actor, id, '查看');
  const today = chinaDate(now);
  const [members, enrolments, areaHistory, relatives, town, village] = await Promise.all([
    repo.membersOf(trx, id),
    repo.enrolmentsOf(trx, [id], false),
    repo.areaHistoryOf(trx, id),
    repo.closeRelativeMatches(trx, id),
    repo.findArea(trx, h.town_code),
    h.village_code ? repo.findArea(trx, h.village_code) : Promise.resolve(undefined),
  ]);
  const asOfMembers = options.asOf ? await repo.membersOf(trx, id, options.asOf) : null;
  const member = (m: (typeof members)[number]) => ({
    ...personDto(m, { reveal: options.reveal, asOf: today }),
    relation: m.relation,
    validFrom: m.valid_from,
    validTo: m.valid_to,
    leaveReason: m.reason,
  });
  await appendAudit(
    trx,
    actor,
    {
      action: options.reveal ? 'household.reveal' : 'household.read',
      entityType: 'household',
      entityId: id,
      countyCode: h.county_code,
      townCode: h.town_code,
      detail: options.reveal ? '查看完整身份证号码和银行账号' : null,
    },
    now,
  );
  return {
    id: h.id,
    countyCode: h.county_code,
    townCode: h.town_code,
    townName: town?.name ?? null,
    villageCode: h.village_code,
    villageName: village?.name ?? null,
    address: h.address,
    hukouType: h.hukou_type,
    headPersonId: h.head_person_id,
    phone: options.reveal ? h.phone : maskPhone(h.phone),
    bankName: h.bank_name,
    bankAccount: bankAccountOut(h.bank_account, options.reveal),
    bankAccountHolder: h.bank_account_holder,
    masked: !options.reveal,
    version: h.version,
    createdAt: h.created_at,
    updatedAt: h.updated_at,
    members: members.filter((m) => m.valid_to === null).map(member),
    formerMembers: members.filter((m) => m.valid_to !== null).map(member),
    ...(asOfMembers ? { asOf: options.asOf, membersAsOf: asOfMembers.map(member) } : {}),
    areaHistory: areaHistory.map((a) => ({
      townCode: a.town_code,
      villageCode: a.village_code,
      validFrom: a.valid_from,
      validTo: a.valid_to,
      reason: a.reason,
    })),
    enrolments: enrolments.map((e) => ({
      id: e.id,
      programCode: e.program_code,
      programName: e.program_name,
      personId: e.person_id,
      personName: e.person_name,
      startMonth: e.start_month,
      endMonth: e.end_month,
      status: e.status,
      supportMode: e.support_mode,
      singlePerson: Boolean(e.single_person),
      endReason: e.end_reason,
      reviewClass: e.review_class,
      nextReviewOn: e.next_review_on,
      version: e.version,
    })),
    closeRelativeFlag: relatives.length > 0,
    closeRelatives: relatives.map((r) => ({
      personId: r.person_id,
      personName: r.person_name,
      relation: r.relation,
      staffId: r.staff_id,
      staffName: r.staff_name,
      staffKind: r.staff_kind,
      organisation: r.organisation,
      position: r.position,
    })),
  };
}

export async function getPerson(
  trx: Trx,
  actor: Actor,
  id: number,
  options: { reveal: boolean },
  now = new Date(),
) {
  requirePermission(actor, 'registry.read');
  if (options.reveal) requirePermission(actor, 'registry.reveal');
  const p = await personInScopeOrThrow(trx, actor, id, '查看');
  const history = await repo.membershipHistoryOfPerson(trx, id);
  await appendAudit(
    trx,
    actor,
    {
      action: options.reveal ? 'person.reveal' : 'person.read',
      entityType: 'person',
      entityId: id,
      countyCode: p.county_code,
      townCode: p.town_code,
      detail: options.reveal ? '查看完整身份证号码' : null,
    },
    now,
  );
  const current = history.find((h) => h.valid_to === null);
  return {
    ...personDto(p, { reveal: options.reveal, asOf: chinaDate(now) }),
    householdId: current?.household_id ?? null,
    relation: current?.relation ?? null,
    households: history.map((h) => ({
      householdId: h.household_id,
      relation: h.relation,
      townCode: h.town_code,
      villageCode: h.village_code,
      validFrom: h.valid_from,
      validTo: h.valid_to,
      reason: h.reason,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Changes

export async function createHousehold(
  trx: Trx,
  actor: Actor,
  input: CreateHouseholdInput,
  now: Date = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const today = chinaDate(now);
  const ts = now.toISOString();
  const effective = input.effectiveDate ?? today;
  await checkTargetArea(trx, actor, input.townCode, input.villageCode);

  const heads = input.members.filter((m) => m.relation === '户主');
  if (heads.length !== 1) {
    throw validationError('members', `每户应有且只有一名户主，当前为 ${heads.length} 名`);
  }
  const issues: FieldIssue[] = [];
  const checked: (CheckedPerson | null)[] = input.members.map((m, i) => {
    try {
      const c = checkIdNumber(m.idNumber, `members[${i}].idNumber`, today);
      issues.push(...attributeIssues({ ...m, birthDate: c.birthDate }, `members[${i}].`, today));
      return c;
    } catch (e) {
      if (e instanceof AppError) issues.push(...e.issues);
      return null;
    }
  });
  const seen = new Map<string, number>();
  for (const [i, c] of checked.entries()) {
    if (!c) continue;
    const earlier = seen.get(c.idNumber);
    if (earlier !== undefined) {
      issues.push({ field: `members[${i}].idNumber`, message: `与第 ${earlier + 1} 名成员的身份证号码重复` });
    }
    seen.set(c.idNumber, i);
    const existing = await repo.findPersonByIdNumber(trx, c.idNumber);
    if (existing) {
      issues.push({
        field: `members[${i}].idNumber`,
        message: `身份证号码 ${c.idNumber.slice(0, 6)}…${c.idNumber.slice(-4)} 已登记（人员编号 ${existing.id}），如需迁入本户请使用“人员迁移”`,
      });
    }
  }
  if (issues.length > 0) {
    const first = issues[0] as FieldIssue;
    const index = Number(/^members\[(\d+)\]/.exec(first.field)?.[1] ?? Number.NaN);
    const who = Number.isNaN(index) ? '' : `第 ${index + 1} 名成员（${input.members[index]?.name}）：`;
    throw new AppError(ErrorCode.VALIDATION, `家庭信息有 ${issues.length} 处错误。${who}${first.message}`, {
      issues,
    });
  }

  const household = await repo.insertHousehold(trx, {
    county_code: actor.countyCode,
    town_code: input.townCode,
    village_code: input.villageCode ?? null,
    address: input.address,
    hukou_type: input.hukouType,
    head_person_id: null,
    phone: input.phone ?? null,
    bank_name: input.bankName ?? null,
    bank_account: input.bankAccount ?? null,
    bank_account_holder: input.bankAccountHolder ?? null,
    created_at: ts,
    updated_at: ts,
  });
  await repo.insertAreaHistory(trx, {
    household_id: household.id,
    county_code: household.county_code,
    town_code: household.town_code,
    village_code: household.village_code,
    valid_from: effective,
    valid_to: null,
    reason: '建档',
  });
  const area = { countyCode: household.county_code, townCode: household.town_code };
  const created: { id: number; name: string; relation: string }[] = [];
  let headId: number | null = null;
  for (const [i, m] of input.members.entries()) {
    const c = checked[i] as CheckedPerson;
    const person = await repo.insertPerson(trx, newPersonRow(m, c, area, input.hukouType, today, ts));
    await repo.insertMembership(trx, {
      county_code: household.county_code,
      town_code: household.town_code,
      household_id: household.id,
      person_id: person.id,
      relation: m.relation,
      valid_from: effective,
      valid_to: null,
      reason: null,
    });
    if (m.relation === '户主') headId = person.id;
    created.push({ id: person.id, name: person.name, relation: m.relation });
  }
  const final = await repo.updateHouseholdVersioned(trx, household.id, household.version, {
    head_person_id: headId,
    updated_at: ts,
  });
  await appendAudit(
    trx,
    actor,
    {
      action: 'household.create',
      entityType: 'household',
      entityId: household.id,
      countyCode: household.county_code,
      townCode: household.town_code,
      after: { ...final, members: created },
    },
    now,
  );
  return { id: household.id, version: final?.version ?? household.version + 1, members: created };
}

export async function updateHousehold(
  trx: Trx,
  actor: Actor,
  id: number,
  input: UpdateHouseholdInput,
  now: Date = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const before = await householdInScopeOrThrow(trx, actor, id, '修改');
  if (before.version !== input.version) throw staleVersion('该家庭信息');
  if (input.villageCode) await checkTargetArea(trx, actor, before.town_code, input.villageCode);
  const ts = now.toISOString();
  if (input.headPersonId !== undefined && input.headPersonId !== before.head_person_id) {
    const membership = await repo.currentMembership(trx, input.headPersonId);
    if (!membership || membership.household_id !== id) {
      throw validationError('headPersonId', '新户主必须是本户现有成员');
    }
    await trx
      .updateTable('household_member')
      .set({ relation: '户主' })
      .where('id', '=', membership.id)
      .execute();
    // Relations are part of each person's record: the history shows both sides of a change of head.
    await appendAudit(
      trx,
      actor,
      {
        action: 'person.update',
        entityType: 'person',
        entityId: input.headPersonId,
        countyCode: before.county_code,
        townCode: before.town_code,
        before: { relation: membership.relation },
        after: { relation: '户主' },
        detail: '变更户主',
      },
      now,
    );
    if (before.head_person_id !== null) {
      await trx
        .updateTable('household_member')
        .set({ relation: '其他' })
        .where('household_id', '=', id)
        .where('person_id', '=', before.head_person_id)
        .where('valid_to', 'is', null)
        .execute();
      await appendAudit(
        trx,
        actor,
        {
          action: 'person.update',
          entityType: 'person',
          entityId: before.head_person_id,
          countyCode: before.county_code,
          townCode: before.town_code,
          before: { relation: '户主' },
          after: { relation: '其他' },
          detail: '变更户主：原户主改为“其他”，请核实其与新户主的关系',
        },
        now,
      );
    }
  }
  const after = await repo.updateHouseholdVersioned(trx, id, input.version, {
    ...(input.villageCode !== undefined ? { village_code: input.villageCode } : {}),
    ...(input.address !== undefined ? { address: input.address } : {}),
    ...(input.hukouType !== undefined ? { hukou_type: input.hukouType } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.bankName !== undefined ? { bank_name: input.bankName } : {}),
    ...(input.bankAccount !== undefined ? { bank_account: input.bankAccount } : {}),
    ...(input.bankAccountHolder !== undefined ? { bank_account_holder: input.bankAccountHolder } : {}),
    ...(input.headPersonId !== undefined ? { head_person_id: input.headPersonId } : {}),
    updated_at: ts,
  });
  if (!after) throw staleVersion('该家庭信息');
  if (input.villageCode !== undefined && input.villageCode !== before.village_code) {
    await repo.closeAreaHistory(trx, id, chinaDate(now));
    await repo.insertAreaHistory(trx, {
      household_id: id,
      county_code: after.county_code,
      town_code: after.town_code,
      village_code: after.village_code,
      valid_from: chinaDate(now),
      valid_to: null,
      reason: '变更所属村（居）',
    });
  }
  await auditChange(trx, actor, 'household.update', 'household', before, after, now);
  return { id, version: after.version };
}

async function auditChange(
  trx: Trx,
  actor: Actor,
  action: string,
  entityType: string,
  before: { id: number; county_code: string; town_code: string | null } & Record<string, unknown>,
  after: Record<string, unknown>,
  now: Date,
  detail?: string,
) {
  const diff = diffRecords(before, after);
  await appendAudit(
    trx,
    actor,
    {
      action,
      entityType,
      entityId: before.id,
      countyCode: before.county_code,
      townCode: (after.town_code as string | null | undefined) ?? before.town_code,
      before: diff.before,
      after: diff.after,
      detail: detail ?? null,
    },
    now,
  );
}

export async function updatePerson(
  trx: Trx,
  actor: Actor,
  id: number,
  input: UpdatePersonInput,
  now = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const before = await personInScopeOrThrow(trx, actor, id, '修改');
  if (before.version !== input.version) throw staleVersion('该人员信息');
  const today = chinaDate(now);
  let idChanges: Partial<PersonRow> = {};
  if (input.idNumber !== undefined) {
    const c = checkIdNumber(input.idNumber, 'idNumber', today);
    if (c.idNumber !== before.id_number) {
      const other = await repo.findPersonByIdNumber(trx, c.idNumber);
      if (other && other.id !== id) {
        throw new AppError(ErrorCode.CONFLICT, `身份证号码已登记给另一人员（编号 ${other.id}）`, {
          field: 'idNumber',
        });
      }
    }
    idChanges = { id_number: c.idNumber, sex: c.sex, birth_date: c.birthDate };
  }
  const merged = {
    birthDate: idChanges.birth_date ?? before.birth_date,
    disabilityCategory:
      input.disabilityCategory !== undefined ? input.disabilityCategory : before.disability_category,
    disabilityGrade: input.disabilityGrade !== undefined ? input.disabilityGrade : before.disability_grade,
    deathDate: input.deathDate !== undefined ? input.deathDate : before.death_date,
  };
  const issues = attributeIssues(merged, '', today);
  if (issues.length > 0) {
    throw new AppError(ErrorCode.VALIDATION, issues.map((i) => i.message).join('；'), { issues });
  }
  const after = await repo.updatePersonVersioned(trx, id, input.version, {
    ...idChanges,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.ethnicity !== undefined ? { ethnicity: input.ethnicity } : {}),
    ...(input.hukouType !== undefined ? { hukou_type: input.hukouType } : {}),
    ...(input.disabilityCategory !== undefined ? { disability_category: input.disabilityCategory } : {}),
    ...(input.disabilityGrade !== undefined ? { disability_grade: input.disabilityGrade } : {}),
    ...(input.labourCapacity !== undefined ? { labour_capacity: input.labourCapacity } : {}),
    ...(input.seriousIllness !== undefined ? { serious_illness: input.seriousIllness ? 1 : 0 } : {}),
    ...(input.selfCare !== undefined ? { self_care: input.selfCare } : {}),
    ...(input.schoolStatus !== undefined ? { school_status: input.schoolStatus } : {}),
    ...(input.employmentStatus !== undefined ? { employment_status: input.employmentStatus } : {}),
    ...(input.deathDate !== undefined ? { death_date: input.deathDate } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    updated_at: now.toISOString(),
  });
  if (!after) throw staleVersion('该人员信息');
  let relationChange: Record<string, unknown> = {};
  let relationBefore: Record<string, unknown> = {};
  if (input.relation !== undefined) {
    const membership = await repo.currentMembership(trx, id);
    if (!membership) throw validationError('relation', '该人员当前不在任何家庭中，无法设置与户主关系');
    if (membership.relation !== input.relation) {
      if (input.relation === '户主' || membership.relation === '户主') {
        throw validationError('relation', '变更户主请在家庭信息中选择新户主');
      }
      await trx
        .updateTable('household_member')
        .set({ relation: input.relation })
        .where('id', '=', membership.id)
        .execute();
      relationChange = { relation: input.relation };
      relationBefore = { relation: membership.relation };
    }
  }
  await auditChange(
    trx,
    actor,
    'person.update',
    'person',
    { ...before, ...relationBefore },
    { ...after, ...relationChange },
    now,
  );
  return { id, version: after.version };
}

/** Registers a new member in a household (birth, marriage, or someone who joins). */
export async function addMember(
  trx: Trx,
  actor: Actor,
  householdId: number,
  input: NewMemberInput & { effectiveDate?: string },
  now = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const household = await householdInScopeOrThrow(trx, actor, householdId, '修改');
  const today = chinaDate(now);
  if (input.relation === '户主')
    throw validationError('relation', '本户已有户主；变更户主请在家庭信息中选择新户主');
  const c = checkIdNumber(input.idNumber, 'idNumber', today);
  const issues = attributeIssues({ ...input, birthDate: c.birthDate }, '', today);
  if (issues.length > 0)
    throw new AppError(ErrorCode.VALIDATION, issues.map((i) => i.message).join('；'), { issues });
  const existing = await repo.findPersonByIdNumber(trx, c.idNumber);
  if (existing) {
    throw new AppError(
      ErrorCode.CONFLICT,
      `该身份证号码已登记（人员编号 ${existing.id}），如需迁入本户请使用“人员迁移”`,
      { field: 'idNumber' },
    );
  }
  const ts = now.toISOString();
  const person = await repo.insertPerson(
    trx,
    newPersonRow(
      input,
      c,
      { countyCode: household.county_code, townCode: household.town_code },
      household.hukou_type,
      today,
      ts,
    ),
  );
  await repo.insertMembership(trx, {
    county_code: household.county_code,
    town_code: household.town_code,
    household_id: householdId,
    person_id: person.id,
    relation: input.relation,
    valid_from: input.effectiveDate ?? today,
    valid_to: null,
    reason: null,
  });
  await appendAudit(
    trx,
    actor,
    {
      action: 'household.add_member',
      entityType: 'household',
      entityId: householdId,
      countyCode: household.county_code,
      townCode: household.town_code,
      after: { person, relation: input.relation, validFrom: input.effectiveDate ?? today },
    },
    now,
  );
  return { id: person.id, version: person.version };
}

/**
 * Moves a person to another household (or out of every household) from a date. The old membership
 * is closed, never deleted, so past composition stays answerable. Both households must be in the
 * actor's area.
 */
export async function movePerson(
  trx: Trx,
  actor: Actor,
  personId: number,
  input: MovePersonInput,
  now = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const person = await personInScopeOrThrow(trx, actor, personId, '迁移');
  if (person.version !== input.version) throw staleVersion('该人员信息');
  const current = await repo.currentMembership(trx, personId);
  if (current && input.effectiveDate <= current.valid_from) {
    throw validationError('effectiveDate', `迁移日期应晚于其加入现家庭的日期 ${current.valid_from}`);
  }
  if (current && input.toHouseholdId === current.household_id) {
    throw validationError('toHouseholdId', '该人员已在此家庭中');
  }
  if (!current && input.toHouseholdId === null)
    throw validationError('toHouseholdId', '该人员当前不在任何家庭中');
  let oldHousehold: HouseholdRow | undefined;
  if (current) {
    oldHousehold = await householdInScopeOrThrow(trx, actor, current.household_id, '迁出人员');
    if (oldHousehold.head_person_id === personId) {
      const others = (await repo.membersOf(trx, current.household_id)).filter(
        (m) => m.valid_to === null && m.id !== personId,
      );
      if (others.length > 0) {
        throw validationError('personId', '该人员是户主，请先在家庭信息中为原家庭指定新户主');
      }
    }
  }
  let target: HouseholdRow | null = null;
  if (input.toHouseholdId !== null) {
    target = await householdInScopeOrThrow(trx, actor, input.toHouseholdId, '迁入人员');
    if (!input.relation) throw validationError('relation', '请填写在新家庭中与户主的关系');
    if (input.relation === '户主' && target.head_person_id !== null) {
      throw validationError('relation', '目标家庭已有户主');
    }
  }
  if (current) await repo.closeMembership(trx, current.id, input.effectiveDate, input.reason);
  if (oldHousehold && oldHousehold.head_person_id === personId) {
    await repo.updateHouseholdVersioned(trx, oldHousehold.id, oldHousehold.version, {
      head_person_id: null,
      updated_at: now.toISOString(),
    });
  }
  if (target) {
    await repo.insertMembership(trx, {
      county_code: target.county_code,
      town_code: target.town_code,
      household_id: target.id,
      person_id: personId,
      relation: input.relation ?? '其他',
      valid_from: input.effectiveDate,
      valid_to: null,
      reason: input.reason,
    });
    if (input.relation === '户主') {
      await repo.updateHouseholdVersioned(trx, target.id, target.version, {
        head_person_id: personId,
        updated_at: now.toISOString(),
      });
    }
  }
  const after = await repo.updatePersonVersioned(trx, personId, input.version, {
    county_code: target?.county_code ?? person.county_code,
    town_code: target?.town_code ?? null,
    updated_at: now.toISOString(),
  });
  if (!after) throw staleVersion('该人员信息');
  await appendAudit(
    trx,
    actor,
    {
      action: 'person.move',
      entityType: 'person',
      entityId: personId,
      countyCode: person.county_code,
      townCode: person.town_code,
      before: current
        ? { householdId: current.household_id, relation: current.relation, townCode: person.town_code }
        : null,
      after: target
        ? {
            householdId: target.id,
            relation: input.relation,
            townCode: target.town_code,
            validFrom: input.effectiveDate,
          }
        : { householdId: null, validFrom: input.effectiveDate },
      detail: input.reason,
    },
    now,
  );
  return { id: personId, version: after.version };
}

/** Moves a household to another village or town (迁移), keeping its area history. */
export async function moveHousehold(
  trx: Trx,
  actor: Actor,
  id: number,
  input: MoveHouseholdInput,
  now = new Date(),
) {
  requirePermission(actor, 'registry.write');
  const before = await householdInScopeOrThrow(trx, actor, id, '迁移');
  if (before.version !== input.version) throw staleVersion('该家庭信息');
  await checkTargetArea(trx, actor, input.townCode, input.villageCode);
  const history = await repo.areaHistoryOf(trx, id);
  const open = history.find((h) => h.valid_to === null);
  if (open && input.effectiveDate <= open.valid_from) {
    throw validationError('effectiveDate', `迁移日期应晚于现住址的起始日期 ${open.valid_from}`);
  }
  const after = await repo.updateHouseholdVersioned(trx, id, input.version, {
    town_code: input.townCode,
    village_code: input.villageCode ?? null,
    address: input.address,
    updated_at: now.toISOString(),
  });
  if (!after) throw staleVersion('该家庭信息');
  await repo.closeAreaHistory(trx, id, input.effectiveDate);
  await repo.insertAreaHistory(trx, {
    household_id: id,
    county_code: after.county_code,
    town_code: after.town_code,
    village_code: after.village_code,
    valid_from: input.effectiveDate,
    valid_to: null,
    reason: input.reason,
  });
  await repo.setMembersArea(trx, id, after.county_code, after.town_code);
  // Active cases follow the household to its new town (the town that now owns payment, DOMAIN §4.2).
  await trx
    .updateTable('enrolment')
    .set({ town_code: after.town_code })
    .where('household_id', '=', id)
    .where('status', '=', 'active')
    .execute();
  await auditChange(trx, actor, 'household.move', 'household', before, after, now, input.reason);
  return { id, version: after.version };
}

const SENSITIVE = new Set(['id_number', 'bank_account', 'phone']);

/** Masks personal numbers inside an audit before/after object; history is for reading changes, not numbers. */
function maskAuditValues(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  const value = JSON.parse(json) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { value };
  const masked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SENSITIVE.has(k) && typeof v === 'string') {
      masked[k] =
        k === 'id_number' ? maskIdNumber(v) : k === 'bank_account' ? bankAccountOut(v, false) : maskPhone(v);
    } else if (k === 'person' && typeof v === 'object' && v !== null) {
      masked[k] = maskAuditValues(JSON.stringify(v));
    } else if (k === 'members' && Array.isArray(v)) {
      masked[k] = v;
    } else masked[k] = v;
  }
  return masked;
}

/**
 * The change history of a household from the audit log: changes to the household and to anyone who
 * was ever its member. Reads are left out (they are in the audit log viewer); numbers are masked.
 */
export async function householdHistory(trx: Trx, actor: Actor, id: number) {
  requirePermission(actor, 'registry.read');
  await householdInScopeOrThrow(trx, actor, id, '查看');
  const members = await repo.membersOf(trx, id);
  const personIds = [...new Set(members.map((m) => String(m.id)))];
  const rows = await trx
    .selectFrom('audit_log')
    .leftJoin('app_user', 'app_user.id', 'audit_log.user_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.username',
      'app_user.display_name',
      'audit_log.action',
      'audit_log.entity_type',
      'audit_log.entity_id',
      'audit_log.before_json',
      'audit_log.after_json',
      'audit_log.detail',
    ])
    .where('audit_log.chain', '=', actor.countyCode)
    .where((eb) =>
      eb.or([
        eb.and([eb('audit_log.entity_type', '=', 'household'), eb('audit_log.entity_id', '=', String(id))]),
        ...(personIds.length
          ? [eb.and([eb('audit_log.entity_type', '=', 'person'), eb('audit_log.entity_id', 'in', personIds)])]
          : []),
      ]),
    )
    .where('audit_log.action', 'not in', [
      'household.read',
      'household.reveal',
      'person.read',
      'person.reveal',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(200)
    .execute();
  const names = new Map(members.map((m) => [String(m.id), m.name]));
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      username: r.username,
      displayName: r.display_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      personName: r.entity_type === 'person' ? (names.get(r.entity_id ?? '') ?? null) : null,
      before: maskAuditValues(r.before_json),
      after: maskAuditValues(r.after_json),
      detail: r.detail,
    })),
  };
}
