/**
 * 一次性发放 (one-off payments): 医疗救助 claims (DOMAIN §7.2), 临时救助 grants (§6.3–6.4) and holiday subsidies
 * (the seed report's 五保 Spring Festival subsidy, §17). Each payment carries its fund source (中央/省/县, from the
 * policy's funding rules) and waits for a second person's approval (DOMAIN §16 four eyes); approval copies the
 * household's bank details and posts the payment to the append-only ledger, in one audited transaction.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { CaseFileTable, Database, OneOffPaymentTable, PaymentLedgerTable } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { COMPONENTS, type FundSource } from '../../domain/benefit/components.ts';
import type { ExplanationLine } from '../../domain/benefit/explanation.ts';
import { medicalAidClaim } from '../../domain/benefit/medical-aid.ts';
import { temporaryAidAmount } from '../../domain/benefit/temporary-aid.ts';
import { chinaDate, monthOf } from '../../domain/calendar/dates.ts';
import { maskBankAccount } from '../../domain/household/masking.ts';
import { formatYuan } from '../../domain/money/money.ts';
import { resolveFundSource } from '../../domain/policy/common.ts';
import {
  MEDICAL_CATEGORIES,
  type MedicalCategory,
  type MedicalPayer,
} from '../../domain/policy/medical-aid.params.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, forbiddenArea, notFound, validationError } from '../errors/app-error.ts';
import { markPolicyUsed, resolveDibaoStandard, resolvePolicy } from '../policy/policy.service.ts';
import { findHousehold, findPerson, locateHousehold, locatePerson } from '../registry/registry.repository.ts';
import * as repo from './one-off.repository.ts';
import type {
  HolidayBatchBody,
  MedicalClaimBody,
  PaymentListQuery,
  TemporaryAidQuoteBody,
} from './one-off.schemas.ts';

type Trx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

export const ONE_OFF_KINDS = {
  temporary_aid: '临时救助',
  medical_aid: '医疗救助',
  holiday_subsidy: '节日补贴',
} as const;
export type OneOffKind = keyof typeof ONE_OFF_KINDS;

const STATUS_LABELS = {
  pending: '待审批',
  approved: '已审批',
  paid: '已发放',
  failed: '发放失败',
  held: '暂停发放',
} as const;

const FOUR_EYES = '审批人不能是发放记录的创建人（DOMAIN §16 双人审核）';

async function programNames(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom('program').select(['code', 'name']).execute();
  return Object.fromEntries(rows.map((r) => [r.code, r.name]));
}

// ---------------------------------------------------------------------------------------------------------
// 医疗救助

export interface MedicalClaimResult {
  claim: ReturnType<typeof claimDto>;
  payment: { id: number; amountFen: number; fundSource: FundSource; status: string } | null;
  explanation: ExplanationLine[];
}

/**
 * Records one hospital stay and computes the assistance under the 医疗救助 rules in force for the person's area
 * in the discharge month (DOMAIN §7.2: what insurance leaves, at the policy's rate, within the annual cap less what
 * was already paid this calendar year). A payable amount becomes a pending one-off payment.
 */
export async function addMedicalClaim(
  trx: Trx,
  actor: Actor,
  body: MedicalClaimBody,
  now = new Date(),
): Promise<MedicalClaimResult> {
  requirePermission(actor, 'payments.one_off');
  const scope = scopeOf(actor);
  const person = await findPerson(trx, scope, body.personId);
  if (!person) {
    const located = await locatePerson(trx, body.personId);
    if (!located) throw validationError('personId', `人员（编号 ${body.personId}）不存在`);
    throw forbiddenArea('人员', {
      entityType: 'person',
      entityId: body.personId,
      countyCode: located.county_code,
      townCode: located.town_code,
      attempted: '登记医疗救助',
    });
  }
  if (body.dischargedOn < body.admittedOn) throw validationError('dischargedOn', '出院日期不能早于入院日期');
  if (body.dischargedOn > chinaDate(now))
    throw validationError('dischargedOn', `出院日期 ${body.dischargedOn} 晚于今天`);
  if (person.death_date !== null && body.admittedOn > person.death_date) {
    throw validationError('admittedOn', `入院日期晚于该人员的死亡日期 ${person.death_date}`);
  }
  if (body.eligibleFen > body.billFen)
    throw validationError('eligibleFen', '政策范围内费用不应超过医疗总费用');
  if ((body.basicInsuranceFen ?? 0) + (body.criticalIllnessFen ?? 0) > body.billFen) {
    throw validationError('basicInsuranceFen', '基本医疗保险与大病保险支付合计不应超过医疗总费用');
  }
  await repo.lockPerson(trx, person.id);

  const month = monthOf(body.dischargedOn);
  const householdId = await repo.householdOfPersonOn(trx, person.id, body.dischargedOn);
  if (householdId === null) throw validationError('personId', '该人员不属于任何家庭，无法发放');
  const household = await trx
    .selectFrom('household')
    .select(['id', 'county_code', 'town_code'])
    .where('id', '=', householdId)
    .executeTakeFirstOrThrow();

  // DOMAIN §7.1 Art. 30: dibao members and 特困 persons are assisted on their status, without a new means test.
  const programs = await repo.programsCoveringPerson(trx, person.id, householdId, month);
  const enrolled = new Set<MedicalCategory>();
  if (programs.some((p) => p.endsWith('_tekun'))) enrolled.add('tekun');
  if (programs.some((p) => p.endsWith('_dibao'))) enrolled.add('dibao');
  const category: MedicalCategory | undefined =
    body.category ?? (enrolled.has('tekun') ? 'tekun' : enrolled.has('dibao') ? 'dibao' : undefined);
  if (!category) {
    throw validationError(
      'category',
      `该人员 ${month} 不在特困、低保在保名单中，请指定人员类别（edge 低保边缘、illness_poverty 因病致贫或 other 其他）`,
    );
  }
  if ((category === 'tekun' || category === 'dibao') && !enrolled.has(category)) {
    throw validationError(
      'category',
      `该人员 ${month} 不是${MEDICAL_CATEGORIES[category]}，不能按此类别救助`,
    );
  }

  const policy = await resolvePolicy<'medical_aid'>(trx, {
    countyCode: household.county_code,
    townCode: household.town_code,
    programCode: 'medical_aid',
    month,
  });
  if (!policy) {
    throw new AppError(ErrorCode.REFUSED, `${month} 没有生效的医疗救助规则，请先录入政策参数`, {
      field: 'dischargedOn',
    });
  }
  const year = body.dischargedOn.slice(0, 4);
  const totals = await repo.claimTotalsOfYear(trx, person.id, year);
  const paidThisYear: Partial<Record<MedicalPayer, number>> = {
    basic_insurance: totals.basic_insurance,
    critical_illness: totals.critical_illness,
    assistance: totals.assistance,
    tilted_assistance: totals.tilted_assistance,
  };
  const paidByPayer: { basic_insurance?: number; critical_illness?: number } = {};
  if (body.basicInsuranceFen !== undefined) paidByPayer.basic_insurance = body.basicInsuranceFen;
  if (body.criticalIllnessFen !== undefined) paidByPayer.critical_illness = body.criticalIllnessFen;
  const result = medicalAidClaim(policy.body, {
    category,
    billFen: body.billFen,
    eligibleFen: body.eligibleFen,
    paidByPayer,
    paidThisYear,
  });
  const layer = (payer: MedicalPayer) =>
    result.layers.filter((l) => l.payer === payer).reduce((s, l) => s + l.amountFen, 0);
  const explanation: ExplanationLine[] = [
    {
      step: '适用政策',
      text: `医疗救助规则 ${policy.docNo}（${policy.effectiveFrom} 起施行），按出院月份 ${month} 适用`,
      rule: '国办发〔2015〕30号（DOMAIN §7.2）',
    },
    {
      step: '本年度已救助',
      text: `${year} 年已登记 ${totals.claims} 次住院，医疗救助已支付 ${formatYuan(
        totals.assistance + totals.tilted_assistance,
      )} 元（其中倾斜救助 ${formatYuan(totals.tilted_assistance)} 元），计入年度限额`,
      amountFen: totals.assistance + totals.tilted_assistance,
    },
    ...result.explanation,
  ];
  const fundSource = resolveFundSource(policy.body.funding, {
    component: 'medical_aid',
    categories: [category],
  });
  const ts = now.toISOString();
  const claim = await repo.insertClaim(trx, {
    county_code: household.county_code,
    town_code: household.town_code,
    person_id: person.id,
    household_id: householdId,
    category,
    hospital: body.hospital,
    admitted_on: body.admittedOn,
    discharged_on: body.dischargedOn,
    bill_fen: body.billFen,
    eligible_fen: body.eligibleFen,
    basic_insurance_fen: layer('basic_insurance'),
    critical_illness_fen: layer('critical_illness'),
    assistance_fen: layer('assistance'),
    tilted_fen: layer('tilted_assistance'),
    out_of_pocket_fen: result.outOfPocketFen,
    explanation_json: JSON.stringify(explanation),
    policy_id: policy.id,
    status: result.assistanceFen > 0 ? 'pending' : 'no_assistance',
    created_by: actor.username,
    created_at: ts,
  });
  let payment: MedicalClaimResult['payment'] = null;
  if (result.assistanceFen > 0) {
    const row = await repo.insertPayment(trx, {
      county_code: household.county_code,
      town_code: household.town_code,
      program_code: 'medical_aid',
      kind: 'medical_aid',
      component: 'medical_aid',
      household_id: householdId,
      person_id: person.id,
      enrolment_id: null,
      case_id: null,
      claim_id: claim.id,
      batch_id: null,
      benefit_month: month,
      amount_fen: result.assistanceFen,
      fund_source: fundSource,
      policy_id: policy.id,
      reason: `医疗救助：${body.hospital} ${body.admittedOn} 至 ${body.dischargedOn} 住院`,
      explanation_json: JSON.stringify(explanation),
      status: 'pending',
      bank_name: null,
      bank_account: null,
      account_holder: null,
      bank_batch_id: null,
      created_by: actor.username,
      created_at: ts,
      approved_by: null,
      approved_at: null,
    });
    payment = { id: row.id, amountFen: row.amount_fen, fundSource, status: row.status };
  }
  await appendAudit(
    trx,
    actor,
    {
      action: 'medical_claim.create',
      entityType: 'medical_claim',
      entityId: claim.id,
      countyCode: claim.county_code,
      townCode: claim.town_code,
      after: {
        personId: person.id,
        category,
        hospital: body.hospital,
        dischargedOn: body.dischargedOn,
        eligibleFen: body.eligibleFen,
        assistanceFen: result.assistanceFen,
        paymentId: payment?.id ?? null,
        fundSource,
        policyId: policy.id,
      },
    },
    now,
  );
  return {
    claim: claimDto({ ...claim, person_name: person.name, payment_id: payment?.id ?? null }),
    payment,
    explanation,
  };
}

function claimDto(
  c: repo.ClaimRow & { person_name?: string; payment_id?: number | null; payment_status?: string | null },
) {
  return {
    id: c.id,
    personId: c.person_id,
    personName: c.person_name ?? null,
    householdId: c.household_id,
    townCode: c.town_code,
    category: c.category,
    categoryLabel: MEDICAL_CATEGORIES[c.category] ?? c.category,
    hospital: c.hospital,
    admittedOn: c.admitted_on,
    dischargedOn: c.discharged_on,
    billFen: c.bill_fen,
    eligibleFen: c.eligible_fen,
    basicInsuranceFen: c.basic_insurance_fen,
    criticalIllnessFen: c.critical_illness_fen,
    assistanceFen: c.assistance_fen,
    tiltedFen: c.tilted_fen,
    outOfPocketFen: c.out_of_pocket_fen,
    policyId: c.policy_id,
    status: c.status,
    paymentId: c.payment_id ?? null,
    paymentStatus: c.payment_status ?? null,
    explanation: JSON.parse(c.explanation_json) as ExplanationLine[],
    createdBy: c.created_by,
    createdAt: c.created_at,
  };
}

export async function listMedicalClaims(
  db: Db,
  actor: Actor,
  q: { personId?: number; year?: number; page: number; pageSize: number },
) {
  requirePermission(actor, 'payroll.read');
  const rows = await repo.listClaims(
    db,
    scopeOf(actor),
    { personId: q.personId, year: q.year },
    { offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
  );
  return { page: q.page, pageSize: q.pageSize, items: rows.map(claimDto) };
}

// ---------------------------------------------------------------------------------------------------------
// 临时救助

async function householdInScopeOrThrow(db: Db, actor: Actor, id: number, attempted: string) {
  const household = await findHousehold(db, scopeOf(actor), id);
  if (household) return household;
  const located = await locateHousehold(db, id);
  if (!located) throw validationError('householdId', `家庭（编号 ${id}）不存在`);
  throw forbiddenArea('家庭', {
    entityType: 'household',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

/**
 * 临时救助测算: the amount of a band under the standards in force for the town and month (DOMAIN §6.4), held under
 * the household's annual cap less what it had this year (ledger + pending), and who approves it (§6.3).
 */
export async function quoteTemporaryAid(db: Db, actor: Actor, body: TemporaryAidQuoteBody) {
  requirePermission(actor, 'policy.read');
  const scope = scopeOf(actor);
  const household = body.householdId
    ? await householdInScopeOrThrow(db, actor, body.householdId, '测算')
    : null;
  if (household && body.townCode && body.townCode !== household.town_code) {
    throw validationError('townCode', '乡镇与该家庭所在乡镇不一致');
  }
  const townCode = household?.town_code ?? body.townCode ?? scope.townCode;
  if (!townCode) throw validationError('townCode', '请指定乡镇（townCode）或家庭（householdId）');
  if (scope.townCode !== null && townCode !== scope.townCode) {
    throw forbiddenArea('乡镇', {
      entityType: 'area',
      entityId: townCode,
      countyCode: scope.countyCode,
      townCode,
      attempted: '测算',
    });
  }
  const town = await db
    .selectFrom('area')
    .select('code')
    .where('code', '=', townCode)
    .where('parent_code', '=', scope.countyCode)
    .where('level', '=', 'town')
    .executeTakeFirst();
  if (!town) throw validationError('townCode', `${townCode} 不是本县的乡镇`);
  const policy = await resolvePolicy<'temporary_aid'>(db, {
    countyCode: scope.countyCode,
    townCode,
    programCode: 'temporary_aid',
    month: body.month,
  });
  if (!policy)
    throw new AppError(ErrorCode.REFUSED, `${body.month} 没有生效的临时救助标准，请先录入政策参数`);
  const bands = policy.body.bands;
  if (!bands.some((b) => b.code === body.bandCode)) {
    throw validationError(
      'bandCode',
      `救助档次“${body.bandCode}”不在现行临时救助标准中，可选：${bands.map((b) => `${b.code}（${b.label}）`).join('、')}`,
    );
  }
  const basis = policy.body.standardBasis;
  let program: 'urban_dibao' | 'rural_dibao';
  if (basis === 'household') {
    if (!household)
      throw validationError('householdId', '该标准按家庭户籍类别取低保标准，请指定家庭（householdId）');
    program = household.hukou_type === 'urban' ? 'urban_dibao' : 'rural_dibao';
  } else {
    program = basis;
  }
  const standard = await resolveDibaoStandard(db, {
    countyCode: scope.countyCode,
    townCode,
    program,
    month: body.month,
  });
  if (!standard) {
    throw new AppError(
      ErrorCode.REFUSED,
      `${body.month} 没有生效的${program === 'urban_dibao' ? '城市' : '农村'}低保标准，无法测算`,
    );
  }
  const history = household
    ? await repo.temporaryAidOfYear(db, household.id, body.month.slice(0, 4))
    : { paidFen: 0, times: 0 };
  const result = temporaryAidAmount(policy.body, {
    bandCode: body.bandCode,
    persons: body.persons,
    dibaoStandardFen: standard.standardFen,
    ...(body.requestedFen !== undefined ? { requestedFen: body.requestedFen } : {}),
    ...(household ? { paidThisYearFen: history.paidFen, timesThisYear: history.times } : {}),
  });
  return {
    ...result,
    approvalLevelLabel: result.approvalLevel === 'town' ? '乡镇审批（受委托）' : '县级审批',
    policy: { id: policy.id, docNo: policy.docNo, effectiveFrom: policy.effectiveFrom },
    dibaoStandard: { program, standardFen: standard.standardFen, docNo: standard.docNo },
    paidThisYearFen: household ? history.paidFen : null,
    timesThisYear: household ? history.times : null,
  };
}

/**
 * The payment a 临时救助 case's 'disburse' effect creates (先行救助 or 发放 after approval, DOMAIN §6.3): pending,
 * with the fund source of the standards in force that month (县级 when the county has entered none).
 */
export async function createTemporaryAidPayment(
  trx: Trx,
  actor: Actor,
  c: Pick<CaseFileTable, 'county_code' | 'town_code' | 'household_id' | 'person_id'> & { id: number },
  input: { amountFen: number; decidedOn: string; advance: boolean; aidType?: string | null },
  now = new Date(),
) {
  if (!(Number.isInteger(input.amountFen) && input.amountFen > 0)) return null;
  const month = monthOf(input.decidedOn);
  const policy = await resolvePolicy<'temporary_aid'>(trx, {
    countyCode: c.county_code,
    townCode: c.town_code,
    programCode: 'temporary_aid',
    month,
  });
  const fundSource: FundSource = policy
    ? resolveFundSource(policy.body.funding, {
        component: 'temporary_aid',
        categories: input.aidType ? [input.aidType] : [],
      })
    : 'county';
  const row = await repo.insertPayment(trx, {
    county_code: c.county_code,
    town_code: c.town_code,
    program_code: 'temporary_aid',
    kind: 'temporary_aid',
    component: 'temporary_aid',
    household_id: c.household_id,
    person_id: c.person_id,
    enrolment_id: null,
    case_id: c.id,
    claim_id: null,
    batch_id: null,
    benefit_month: month,
    amount_fen: input.amountFen,
    fund_source: fundSource,
    policy_id: policy?.id ?? null,
    reason: `临时救助（个案 ${c.id}${input.advance ? '，先行救助' : ''}）${
      policy ? '' : '；本月无临时救助政策参数，资金来源按县级'
    }`,
    explanation_json: null,
    status: 'pending',
    bank_name: null,
    bank_account: null,
    account_holder: null,
    bank_batch_id: null,
    created_by: actor.username,
    created_at: now.toISOString(),
    approved_by: null,
    approved_at: null,
  });
  await appendAudit(
    trx,
    actor,
    {
      action: 'one_off_payment.create',
      entityType: 'one_off_payment',
      entityId: row.id,
      countyCode: row.county_code,
      townCode: row.town_code,
      after: { kind: row.kind, caseId: c.id, amountFen: row.amount_fen, fundSource, benefitMonth: month },
    },
    now,
  );
  return row;
}

// ---------------------------------------------------------------------------------------------------------
// 节日补贴 batches

/**
 * A holiday subsidy: one pending payment per person enrolled in the programs on the reference date (per person
 * for 特困, per household member for 低保), with each program's fund source unless one is given.
 */
export async function createHolidayBatch(trx: Trx, actor: Actor, body: HolidayBatchBody, now = new Date()) {
  requirePermission(actor, 'payments.one_off');
  const scope = scopeOf(actor);
  if (scope.townCode !== null) throw new AppError(ErrorCode.FORBIDDEN, '节日补贴批次须由县级人员创建');
  const programs = [...new Set(body.programCodes)];
  const month = monthOf(body.referenceDate);
  const names = await programNames(trx);
  const found = await repo.holidayRecipients(trx, scope.countyCode, programs, body.referenceDate);
  // A person counted once even when two of the chosen programs cover them (first program in the request wins).
  const byPerson = new Map<number, repo.HolidayRecipient>();
  for (const program of programs) {
    for (const r of found)
      if (r.programCode === program && !byPerson.has(r.personId)) byPerson.set(r.personId, r);
  }
  const recipients = [...byPerson.values()];
  if (recipients.length === 0) {
    throw new AppError(
      ErrorCode.REFUSED,
      `${body.referenceDate} ${programs.map((p) => names[p] ?? p).join('、')}没有在保人员，未创建批次`,
      { field: 'programCodes' },
    );
  }
  const funds = new Map<string, { source: FundSource; policyId: number | null }>();
  for (const r of recipients) {
    const key = `${r.programCode}|${r.townCode}`;
    if (funds.has(key)) continue;
    if (body.fundSource) {
      funds.set(key, { source: body.fundSource, policyId: null });
      continue;
    }
    const policy = await resolvePolicy(trx, {
      countyCode: scope.countyCode,
      townCode: r.townCode,
      programCode: r.programCode,
      month,
    });
    if (!policy) {
      throw validationError(
        'fundSource',
        `${names[r.programCode] ?? r.programCode}在 ${month} 没有生效的政策参数（资金来源规则），请指定资金来源`,
      );
    }
    funds.set(key, {
      source: resolveFundSource(policy.body.funding, { component: 'holiday_subsidy' }),
      policyId: policy.id,
    });
  }
  const ts = now.toISOString();
  const batch = await repo.insertBatch(trx, {
    county_code: scope.countyCode,
    kind: 'holiday_subsidy',
    title: body.title,
    program_codes: JSON.stringify(programs),
    reference_date: body.referenceDate,
    amount_per_person_fen: body.amountPerPersonFen,
    line_count: recipients.length,
    total_fen: recipients.length * body.amountPerPersonFen,
    status: 'pending',
    created_by: actor.username,
    created_at: ts,
    approved_by: null,
    approved_at: null,
  });
  const rows: Insertable<OneOffPaymentTable>[] = recipients.map((r) => {
    const fund = funds.get(`${r.programCode}|${r.townCode}`);
    return {
      county_code: scope.countyCode,
      town_code: r.townCode,
      program_code: r.programCode,
      kind: 'holiday_subsidy',
      component: 'holiday_subsidy',
      household_id: r.householdId,
      person_id: r.personId,
      enrolment_id: r.enrolmentId,
      case_id: null,
      claim_id: null,
      batch_id: batch.id,
      benefit_month: month,
      amount_fen: body.amountPerPersonFen,
      fund_source: fund?.source ?? 'county',
      policy_id: fund?.policyId ?? null,
      reason: `${body.title}（${names[r.programCode] ?? r.programCode}）`,
      explanation_json: null,
      status: 'pending',
      bank_name: null,
      bank_account: null,
      account_holder: null,
      bank_batch_id: null,
      created_by: actor.username,
      created_at: ts,
      approved_by: null,
      approved_at: null,
    };
  });
  await repo.insertPayments(trx, rows);
  await appendAudit(
    trx,
    actor,
    {
      action: 'one_off_batch.create',
      entityType: 'one_off_batch',
      entityId: batch.id,
      countyCode: scope.countyCode,
      townCode: null,
      after: {
        title: body.title,
        programs,
        referenceDate: body.referenceDate,
        amountPerPersonFen: body.amountPerPersonFen,
        lineCount: batch.line_count,
        totalFen: batch.total_fen,
        fundSource: body.fundSource ?? null,
      },
      detail: `${body.title}：${batch.line_count} 人，每人 ${formatYuan(body.amountPerPersonFen)} 元，合计 ${formatYuan(
        batch.total_fen,
      )} 元`,
    },
    now,
  );
  return getBatch(trx, actor, batch.id);
}

export async function getBatch(db: Db, actor: Actor, id: number) {
  requirePermission(actor, 'payroll.read');
  const batch = await repo.findBatch(db, actor.countyCode, id);
  if (!batch) throw notFound(`发放批次（编号 ${id}）`);
  const summary = await repo.batchSummary(db, scopeOf(actor), id);
  return {
    ...batchDto(batch),
    summary: summary.map((s) => ({
      townCode: s.town_code,
      townName: s.town_name,
      programCode: s.program_code,
      fundSource: s.fund_source,
      count: Number(s.n),
      totalFen: Number(s.fen),
    })),
  };
}

function batchDto(b: repo.BatchRow) {
  return {
    id: b.id,
    kind: b.kind,
    kindLabel: ONE_OFF_KINDS[b.kind] ?? b.kind,
    title: b.title,
    programCodes: JSON.parse(b.program_codes) as string[],
    referenceDate: b.reference_date,
    amountPerPersonFen: b.amount_per_person_fen,
    lineCount: b.line_count,
    totalFen: b.total_fen,
    status: b.status,
    statusLabel: STATUS_LABELS[b.status] ?? b.status,
    createdBy: b.created_by,
    createdAt: b.created_at,
    approvedBy: b.approved_by,
    approvedAt: b.approved_at,
  };
}

export async function listBatches(db: Db, actor: Actor) {
  requirePermission(actor, 'payroll.read');
  return { items: (await repo.listBatches(db, actor.countyCode)).map(batchDto) };
}

// ---------------------------------------------------------------------------------------------------------
// Approval and the ledger

/** Posts approved payments to the ledger: entry_kind 'one_off', the event month, paid in the approval month. */
async function postToLedger(trx: Trx, actor: Actor, rows: repo.PaymentRow[], now: Date) {
  const ts = now.toISOString();
  const payMonth = monthOf(chinaDate(now));
  const entries: Insertable<PaymentLedgerTable>[] = rows.map((r) => ({
    county_code: r.county_code,
    town_code: r.town_code,
    program_code: r.program_code,
    household_id: r.household_id,
    person_id: r.person_id,
    enrolment_id: r.enrolment_id,
    benefit_month: r.benefit_month,
    pay_month: payMonth,
    component: r.component,
    fund_source: r.fund_source,
    amount_fen: r.amount_fen,
    entry_kind: 'one_off',
    payroll_id: null,
    payroll_line_id: null,
    one_off_id: r.id,
    reason: r.reason,
    posted_by: actor.username,
    posted_at: ts,
  }));
  await repo.appendLedger(trx, entries);
  const claimIds = rows.map((r) => r.claim_id).filter((id): id is number => id !== null);
  if (claimIds.length > 0) {
    await trx.updateTable('medical_claim').set({ status: 'approved' }).where('id', 'in', claimIds).execute();
  }
  await markPolicyUsed(
    trx,
    rows.map((r) => r.policy_id).filter((id): id is number => id !== null),
  );
  return { count: rows.length, totalFen: rows.reduce((s, r) => s + r.amount_fen, 0), payMonth };
}

async function paymentInScopeOrThrow(db: Db, actor: Actor, id: number, attempted: string) {
  const row = await repo.findPayment(db, scopeOf(actor), id);
  if (row) return row;
  const located = await repo.locatePayment(db, id);
  if (!located || located.county_code !== actor.countyCode) throw notFound(`发放记录（编号 ${id}）`);
  throw forbiddenArea('发放记录', {
    entityType: 'one_off_payment',
    entityId: id,
    countyCode: located.county_code,
    townCode: located.town_code,
    attempted,
  });
}

/** 审批 one payment (not part of a batch): a second person, then the ledger. */
export async function approvePayment(trx: Trx, actor: Actor, id: number, now = new Date()) {
  requirePermission(actor, 'payroll.approve');
  const row = await paymentInScopeOrThrow(trx, actor, id, '审批');
  if (row.batch_id !== null) {
    throw new AppError(ErrorCode.REFUSED, `该笔属于发放批次 ${row.batch_id}，请整批审批`);
  }
  if (row.status !== 'pending') {
    throw new AppError(ErrorCode.CONFLICT, `该笔已${STATUS_LABELS[row.status] ?? row.status}，不能重复审批`);
  }
  if (row.created_by === actor.username) throw new AppError(ErrorCode.REFUSED, FOUR_EYES);
  const approved = await repo.approvePending(
    trx,
    { id },
    actor.username,
    now.toISOString(),
    monthOf(chinaDate(now)),
  );
  if (approved.length === 0) throw new AppError(ErrorCode.CONFLICT, '该笔已被他人审批，请刷新');
  const posted = await postToLedger(trx, actor, approved, now);
  const after = approved[0] as repo.PaymentRow;
  await appendAudit(
    trx,
    actor,
    {
      action: 'one_off_payment.approve',
      entityType: 'one_off_payment',
      entityId: id,
      countyCode: row.county_code,
      townCode: row.town_code,
      before: { status: row.status },
      after: {
        status: after.status,
        amountFen: after.amount_fen,
        fundSource: after.fund_source,
        payMonth: posted.payMonth,
        bankAccount: maskBankAccount(after.bank_account),
      },
    },
    now,
  );
  return paymentDto({ ...after, household_bank_account: null, household_bank_name: null });
}

/** 审批 a whole batch: every pending line approved and posted, or none. */
export async function approveBatch(trx: Trx, actor: Actor, id: number, now = new Date()) {
  requirePermission(actor, 'payroll.approve');
  if (scopeOf(actor).townCode !== null) throw new AppError(ErrorCode.FORBIDDEN, '发放批次须由县级审批');
  const batch = await repo.findBatch(trx, actor.countyCode, id);
  if (!batch) throw notFound(`发放批次（编号 ${id}）`);
  if (batch.status !== 'pending') throw new AppError(ErrorCode.CONFLICT, '该批次已审批，不能重复审批');
  if (batch.created_by === actor.username) throw new AppError(ErrorCode.REFUSED, FOUR_EYES);
  const ts = now.toISOString();
  const locked = await trx
    .updateTable('one_off_batch')
    .set({ status: 'approved', approved_by: actor.username, approved_at: ts })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) === 0)
    throw new AppError(ErrorCode.CONFLICT, '该批次已被他人审批，请刷新');
  const approved = await repo.approvePending(
    trx,
    { batchId: id },
    actor.username,
    ts,
    monthOf(chinaDate(now)),
  );
  const posted = await postToLedger(trx, actor, approved, now);
  await appendAudit(
    trx,
    actor,
    {
      action: 'one_off_batch.approve',
      entityType: 'one_off_batch',
      entityId: id,
      countyCode: batch.county_code,
      townCode: null,
      before: { status: batch.status },
      after: {
        status: 'approved',
        count: posted.count,
        totalFen: posted.totalFen,
        payMonth: posted.payMonth,
      },
      detail: `${batch.title}：审批 ${posted.count} 笔，合计 ${formatYuan(posted.totalFen)} 元，记入 ${posted.payMonth} 发放台账`,
    },
    now,
  );
  return { ...(await getBatch(trx, actor, id)), posted };
}

// ---------------------------------------------------------------------------------------------------------
// Lists

function paymentDto(
  r: repo.PaymentRow & {
    person_name?: string | null;
    head_name?: string | null;
    town_name?: string | null;
    household_bank_name: string | null;
    household_bank_account: string | null;
  },
) {
  // Before approval the household's current account is shown; from approval on, the one copied onto the payment.
  const approved = r.status !== 'pending';
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: ONE_OFF_KINDS[r.kind] ?? r.kind,
    programCode: r.program_code,
    component: r.component,
    componentLabel: COMPONENTS[r.component as keyof typeof COMPONENTS] ?? r.component,
    townCode: r.town_code,
    townName: r.town_name ?? null,
    householdId: r.household_id,
    headName: r.head_name ?? null,
    personId: r.person_id,
    personName: r.person_name ?? null,
    caseId: r.case_id,
    claimId: r.claim_id,
    batchId: r.batch_id,
    benefitMonth: r.benefit_month,
    amountFen: r.amount_fen,
    fundSource: r.fund_source,
    reason: r.reason,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status] ?? r.status,
    bankName: approved ? r.bank_name : r.household_bank_name,
    bankAccount: maskBankAccount(approved ? r.bank_account : r.household_bank_account),
    /** The month it is paid in (from approval) and the bank file carrying it (社会化发放). */
    payMonth: r.pay_month ?? null,
    bankBatchId: r.bank_batch_id,
    explanation: r.explanation_json ? (JSON.parse(r.explanation_json) as ExplanationLine[]) : null,
    createdBy: r.created_by,
    createdAt: r.created_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
  };
}

export async function listPayments(db: Db, actor: Actor, q: PaymentListQuery) {
  requirePermission(actor, 'payroll.read');
  const scope = scopeOf(actor);
  const filter: repo.PaymentFilter = {
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.month ? { month: q.month } : {}),
    ...(q.batchId ? { batchId: q.batchId } : {}),
    ...(q.townCode ? { townCode: q.townCode } : {}),
  };
  const totals = await repo.paymentTotals(db, scope, filter);
  const rows = await repo.listPayments(db, scope, filter, {
    offset: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
  });
  return { page: q.page, pageSize: q.pageSize, ...totals, items: rows.map(paymentDto) };
}
