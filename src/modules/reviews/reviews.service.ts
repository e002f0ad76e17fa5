/**
 * 分类复核 (DOMAIN §4.9): every enrolled dibao household has a review class; the next review falls due
 * yearly, half-yearly (or, under the 2012 rules, monthly in towns and quarterly in villages). Due and
 * overdue reviews are to-dos; a review itself is a change case (start_review → keep/increase/…).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { addDays, chinaDate } from '../../domain/calendar/dates.ts';
import {
  nextReviewDate,
  REVIEW_CLASS_LABELS,
  type ReviewClass,
  reviewInterval,
} from '../../domain/workflow/enrolled-changes.ts';
import { ruleSetOn } from '../../domain/workflow/procedures.ts';
import { requirePermission } from '../access/require-permission.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { forbiddenArea, notFound, staleVersion, validationError } from '../errors/app-error.ts';

type Trx = Transaction<Database>;

export function isReviewClass(v: string): v is ReviewClass {
  return Object.hasOwn(REVIEW_CLASS_LABELS, v);
}

/** Sets an enrolment's review class; the next review is counted from the last review (or the start). */
export async function classifyForReview(
  trx: Trx,
  actor: Actor,
  enrolmentId: number,
  input: { version: number; reviewClass: string; lastReviewOn?: string },
  now = new Date(),
) {
  requirePermission(actor, 'registry.write');
  if (!isReviewClass(input.reviewClass)) {
    throw validationError(
      'reviewClass',
      `复核分类应为：${Object.entries(REVIEW_CLASS_LABELS)
        .map(([k, v]) => `${k}（${v}）`)
        .join('；')}`,
    );
  }
  const scope = scopeOf(actor);
  const e = await trx.selectFrom('enrolment').selectAll().where('id', '=', enrolmentId).executeTakeFirst();
  if (!e) throw notFound(`在保记录（编号 ${enrolmentId}）`);
  if (e.county_code !== scope.countyCode || (scope.townCode !== null && e.town_code !== scope.townCode)) {
    throw forbiddenArea('在保记录', {
      entityType: 'enrolment',
      entityId: enrolmentId,
      countyCode: e.county_code,
      townCode: e.town_code,
      attempted: '修改',
    });
  }
  if (!e.program_code.endsWith('dibao')) throw validationError('reviewClass', '分类复核适用于城乡低保');
  if (e.status !== 'active') throw validationError('enrolmentId', '该救助已停止，无需复核');
  const today = chinaDate(now);
  const last = input.lastReviewOn ?? e.last_review_on ?? `${e.start_month}-01`;
  const ruleSet = ruleSetOn(today) ?? '2021';
  const area = e.program_code === 'urban_dibao' ? 'urban' : 'rural';
  const next = nextReviewDate(last, input.reviewClass, { ruleSet, area });
  const after = await trx
    .updateTable('enrolment')
    .set((eb) => ({
      review_class: input.reviewClass,
      last_review_on: last,
      next_review_on: next,
      updated_at: now.toISOString(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', enrolmentId)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirst();
  if (!after) throw staleVersion('该在保记录');
  await appendAudit(
    trx,
    actor,
    {
      action: 'enrolment.review_class',
      entityType: 'enrolment',
      entityId: enrolmentId,
      countyCode: e.county_code,
      townCode: e.town_code,
      before: { review_class: e.review_class, next_review_on: e.next_review_on },
      after: { review_class: after.review_class, last_review_on: last, next_review_on: next },
    },
    now,
  );
  return {
    id: enrolmentId,
    version: after.version,
    reviewClass: input.reviewClass,
    nextReviewOn: next,
    interval: reviewInterval(input.reviewClass, { ruleSet, area }),
  };
}

/** Reviews due within `withinDays` or overdue, in the actor's area. */
export async function dueReviews(trx: Trx, actor: Actor, withinDays = 30, now = new Date()) {
  requirePermission(actor, 'registry.read');
  const scope = scopeOf(actor);
  const today = chinaDate(now);
  const rows = await trx
    .selectFrom('enrolment as e')
    .innerJoin('household as h', 'h.id', 'e.household_id')
    .leftJoin('person as head', 'head.id', 'h.head_person_id')
    .select([
      'e.id',
      'e.program_code',
      'e.household_id',
      'e.review_class',
      'e.next_review_on',
      'e.town_code',
      'head.name as head_name',
    ])
    .where('e.status', '=', 'active')
    .where('e.county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('e.town_code', '=', scope.townCode))
    .where('e.next_review_on', '<=', addDays(today, withinDays))
    .orderBy('e.next_review_on')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    enrolmentId: r.id,
    programCode: r.program_code,
    householdId: r.household_id,
    headName: r.head_name,
    townCode: r.town_code,
    reviewClass: r.review_class,
    reviewClassLabel:
      r.review_class && isReviewClass(r.review_class) ? REVIEW_CLASS_LABELS[r.review_class] : null,
    nextReviewOn: r.next_review_on,
    overdue: (r.next_review_on ?? today) < today,
  }));
}
