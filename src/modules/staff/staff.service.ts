/**
 * The close-relative register (近亲属备案, DOMAIN §10): county and town social-assistance officials
 * (低保经办人员) and village/residents' committee cadres, with their declared close relatives. Any
 * household whose current members include a registered relative is flagged wherever it appears
 * (registry lists and records), which later triggers the separate register, the mandatory county home
 * visit and recusal.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { isWithinScope, scopeOf } from '../../domain/access/area-scope.ts';
import { chinaDate } from '../../domain/calendar/dates.ts';
import { maskIdNumber, validateResidentId } from '../../domain/identity/resident-id.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { AppError, ErrorCode, notFound, validationError } from '../errors/app-error.ts';
import { isoDate } from '../registry/registry.schemas.ts';

/** DOMAIN §10 (220号 Art. 14): the national minimum list of close relatives; localities may add more. */
export const CLOSE_RELATIONS = [
  '配偶',
  '父母',
  '子女',
  '兄弟姐妹',
  '祖父母',
  '外祖父母',
  '孙子女',
  '外孙子女',
] as const;

export const STAFF_KINDS = { official: '低保经办人员', village_cadre: '村（居）委会干部' } as const;

const name = z.string().trim().min(1, '姓名不能为空').max(50);
export const RelativeBody = z
  .object({
    idNumber: z.string().trim().min(1, '身份证号码不能为空'),
    name,
    relation: z.enum(CLOSE_RELATIONS, { message: `亲属关系应为：${CLOSE_RELATIONS.join('、')}` }),
  })
  .strict();
export const StaffBody = z
  .object({
    idNumber: z.string().trim().min(1, '身份证号码不能为空'),
    name,
    kind: z.enum(['official', 'village_cadre'], {
      message: '人员类别应为 official（低保经办人员）或 village_cadre（村居委会干部）',
    }),
    townCode: z
      .string()
      .regex(/^\d{9}$/, '乡镇代码应为9位数字')
      .nullable()
      .optional(),
    organisation: z.string().trim().min(1, '请填写工作单位').max(100),
    position: z.string().trim().max(50).nullable().optional(),
    termStart: isoDate,
    termEnd: isoDate.nullable().optional(),
    /** The system user this official logs in as, so the workflow can make them recuse themselves. */
    userId: z.number().int().positive().nullable().optional(),
    relatives: z.array(RelativeBody).max(50).default([]),
  })
  .strict();
export type StaffInput = z.infer<typeof StaffBody>;
export type RelativeInput = z.infer<typeof RelativeBody>;

type Trx = Transaction<Database>;

function checkedId(raw: string, field: string, today: string): string {
  const r = validateResidentId(raw, { asOf: today });
  if (!r.valid) {
    throw new AppError(ErrorCode.VALIDATION, `身份证号码无效：${r.errors.map((e) => e.message).join('；')}`, {
      issues: r.errors.map((e) => ({ field, message: e.message })),
    });
  }
  return r.idNumber;
}

export async function listStaff(trx: Trx, actor: Actor) {
  requirePermission(actor, 'registry.read');
  const scope = scopeOf(actor);
  const staff = await trx
    .selectFrom('staff')
    .selectAll()
    .where('county_code', '=', actor.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('town_code', '=', scope.townCode))
    .orderBy('id')
    .execute();
  const relatives = staff.length
    ? await trx
        .selectFrom('staff_relative as sr')
        .leftJoin('person as p', 'p.id_number', 'sr.id_number')
        .leftJoin('household_member as hm', (j) =>
          j.onRef('hm.person_id', '=', 'p.id').on('hm.valid_to', 'is', null),
        )
        .select(['sr.id', 'sr.staff_id', 'sr.id_number', 'sr.name', 'sr.relation', 'hm.household_id'])
        .where(
          'sr.staff_id',
          'in',
          staff.map((s) => s.id),
        )
        .execute()
    : [];
  return {
    items: staff.map((s) => ({
      id: s.id,
      name: s.name,
      idNumber: maskIdNumber(s.id_number),
      kind: s.kind,
      kindLabel: STAFF_KINDS[s.kind as keyof typeof STAFF_KINDS] ?? s.kind,
      townCode: s.town_code,
      organisation: s.organisation,
      position: s.position,
      termStart: s.term_start,
      termEnd: s.term_end,
      userId: s.user_id,
      version: s.version,
      relatives: relatives
        .filter((r) => r.staff_id === s.id)
        .map((r) => ({
          id: r.id,
          name: r.name,
          idNumber: maskIdNumber(r.id_number),
          relation: r.relation,
          householdId: r.household_id,
        })),
    })),
  };
}

export async function registerStaff(trx: Trx, actor: Actor, input: StaffInput, now = new Date()) {
  requirePermission(actor, 'staff.manage');
  const today = chinaDate(now);
  const idNumber = checkedId(input.idNumber, 'idNumber', today);
  const townCode = input.townCode ?? null;
  if (townCode !== null) {
    const town = await trx.selectFrom('area').select('level').where('code', '=', townCode).executeTakeFirst();
    if (town?.level !== 'town' || !isWithinScope(scopeOf(actor), actor.countyCode, townCode)) {
      throw validationError('townCode', `乡镇代码 ${townCode} 不是本县的乡镇`);
    }
  }
  if (input.termEnd && input.termEnd < input.termStart)
    throw validationError('termEnd', '任职结束日期不能早于开始日期');
  if (input.userId) {
    const user = await trx
      .selectFrom('app_user')
      .select('id')
      .where('id', '=', input.userId)
      .where('county_code', '=', actor.countyCode)
      .executeTakeFirst();
    if (!user) throw validationError('userId', `用户编号 ${input.userId} 不存在`);
  }
  const relativeIds = input.relatives.map((r, i) => checkedId(r.idNumber, `relatives[${i}].idNumber`, today));
  const person = await trx
    .selectFrom('person')
    .select('id')
    .where('id_number', '=', idNumber)
    .executeTakeFirst();
  const ts = now.toISOString();
  const staff = await trx
    .insertInto('staff')
    .values({
      county_code: actor.countyCode,
      town_code: townCode,
      person_id: person?.id ?? null,
      id_number: idNumber,
      name: input.name,
      kind: input.kind,
      organisation: input.organisation,
      position: input.position ?? null,
      term_start: input.termStart,
      term_end: input.termEnd ?? null,
      user_id: input.userId ?? null,
      created_at: ts,
      updated_at: ts,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const [i, r] of input.relatives.entries()) {
    await addRelativeRow(trx, staff.id, actor.countyCode, { ...r, idNumber: relativeIds[i] as string }, ts);
  }
  await appendAudit(
    trx,
    actor,
    {
      action: 'staff.register',
      entityType: 'staff',
      entityId: staff.id,
      townCode,
      after: { ...staff, relatives: input.relatives.map((r, i) => ({ ...r, idNumber: relativeIds[i] })) },
    },
    now,
  );
  return { id: staff.id, version: staff.version };
}

function addRelativeRow(trx: Trx, staffId: number, countyCode: string, r: RelativeInput, ts: string) {
  return trx
    .insertInto('staff_relative')
    .values({
      county_code: countyCode,
      staff_id: staffId,
      id_number: r.idNumber,
      name: r.name,
      relation: r.relation,
      created_at: ts,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addRelative(
  trx: Trx,
  actor: Actor,
  staffId: number,
  input: RelativeInput,
  now = new Date(),
) {
  requirePermission(actor, 'staff.manage');
  const staff = await trx
    .selectFrom('staff')
    .selectAll()
    .where('id', '=', staffId)
    .where('county_code', '=', actor.countyCode)
    .executeTakeFirst();
  if (!staff) throw notFound(`备案人员（编号 ${staffId}）`);
  const idNumber = checkedId(input.idNumber, 'idNumber', chinaDate(now));
  const dup = await trx
    .selectFrom('staff_relative')
    .select('id')
    .where('staff_id', '=', staffId)
    .where('id_number', '=', idNumber)
    .executeTakeFirst();
  if (dup) throw new AppError(ErrorCode.CONFLICT, '该亲属已登记', { field: 'idNumber' });
  const row = await addRelativeRow(trx, staffId, actor.countyCode, { ...input, idNumber }, now.toISOString());
  await appendAudit(
    trx,
    actor,
    {
      action: 'staff.add_relative',
      entityType: 'staff',
      entityId: staffId,
      townCode: staff.town_code,
      after: row,
    },
    now,
  );
  return { id: row.id };
}
