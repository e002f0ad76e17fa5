/** 工作台: the user's area at a glance, computed from the registry (never stored figures). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { addDays, chinaDate } from '../../domain/calendar/dates.ts';
import { requirePermission } from '../access/require-permission.ts';
import { listCases } from '../cases/cases.service.ts';
import { overdueForwards } from '../intake/intake.service.ts';
import { dueReviews } from '../reviews/reviews.service.ts';
import { caseloadByProgramAndTown, registryTotals } from './dashboard.repository.ts';

const TASK_LABELS: Record<string, string> = {
  notice_refusal: '送达不予确认书面告知',
  notice_termination: '送达终止书面告知',
  notice_decision: '送达书面告知',
  county_home_visit: '县级入户核查',
  complete_paperwork: '先行救助补齐手续',
  recheck_after_death: '成员死亡后复核',
  audit_review: '核查问题复核',
};

export interface Todo {
  kind: string;
  title: string;
  due: string;
  link: string;
  overdue: boolean;
}

/** Where a task is done: its case; a campaign finding's review on 核查; else the household's record. */
function taskLink(t: { kind: string; case_id: number | null; household_id: number | null }): string {
  if (t.case_id) return `/approval/cases/${t.case_id}`;
  if (t.kind === 'audit_review') return '/inspection';
  return t.household_id ? `/registry/households/${t.household_id}` : '/approval';
}

/**
 * 待办: case steps whose statutory time limit is near or past (DOMAIN §4.6, §5.4) and open tasks
 * (notices to serve, county home visits, paperwork after 先行救助, re-checks after a death).
 */
async function todosFor(db: Transaction<Database>, actor: Actor, now = new Date()): Promise<Todo[]> {
  const today = chinaDate(now);
  const soon = addDays(today, 7);
  const cases = await listCases(db, actor, { open: true, page: 1, pageSize: 200 }, now);
  const fromCases: Todo[] = cases.items
    .filter((c) => c.deadline && c.deadline.status !== 'on_time')
    .map((c) => ({
      kind: 'case_deadline',
      title: `${c.headName ?? ''}户 ${c.programName}：${c.stateLabel}${c.deadline?.status === 'overdue' ? '（已逾期）' : ''}`,
      due: c.deadline?.due ?? today,
      link: `/approval/cases/${c.id}`,
      overdue: c.deadline?.status === 'overdue',
    }));
  const scope = scopeOf(actor);
  const tasks = await db
    .selectFrom('case_task as t')
    .leftJoin('household as h', 'h.id', 't.household_id')
    .leftJoin('person as head', 'head.id', 'h.head_person_id')
    .select(['t.id', 't.kind', 't.due_on', 't.case_id', 't.household_id', 'head.name as head_name'])
    .where('t.status', '=', 'open')
    .where('t.county_code', '=', scope.countyCode)
    .$if(scope.townCode !== null, (q) => q.where('t.town_code', '=', scope.townCode))
    .where('t.due_on', '<=', soon)
    .orderBy('t.due_on')
    .limit(100)
    .execute();
  const fromTasks: Todo[] = tasks.map((t) => ({
    kind: t.kind,
    title: `${t.head_name ?? ''}户：${TASK_LABELS[t.kind] ?? t.kind}${t.due_on < today ? '（已逾期）' : ''}`,
    due: t.due_on,
    link: taskLink(t),
    overdue: t.due_on < today,
  }));
  const forwards = await overdueForwards(db, actor, now);
  const fromForwards: Todo[] = forwards.items.map((f) => ({
    kind: 'forward_due',
    title: `${f.applicantName}：${f.label}转办${f.department}${f.status === 'overdue' ? '（已逾期）' : ''}`,
    due: f.dueOn ?? today,
    link: `/intake/${f.requestId}`,
    overdue: f.status === 'overdue',
  }));
  const reviews = await dueReviews(db, actor, 7, now);
  const fromReviews: Todo[] = reviews.map((r) => ({
    kind: 'review_due',
    title: `${r.headName ?? ''}户：定期复核${r.overdue ? '（已逾期）' : ''}`,
    due: r.nextReviewOn ?? today,
    link: `/registry/households/${r.householdId}`,
    overdue: r.overdue,
  }));
  return [...fromCases, ...fromTasks, ...fromForwards, ...fromReviews]
    .sort((a, b) => a.due.localeCompare(b.due))
    .slice(0, 50);
}

export async function dashboard(db: Kysely<Database>, actor: Actor) {
  requirePermission(actor, 'registry.read');
  const scope = scopeOf(actor);
  const [rows, totals, programs, towns, area] = await Promise.all([
    caseloadByProgramAndTown(db, scope),
    registryTotals(db, scope),
    db.selectFrom('program').selectAll().orderBy('sort_order').execute(),
    db
      .selectFrom('area')
      .select(['code', 'name'])
      .where('parent_code', '=', scope.countyCode)
      .$if(scope.townCode !== null, (q) => q.where('code', '=', scope.townCode))
      .orderBy('code')
      .execute(),
    db.selectFrom('area').select(['code', 'name']).where('code', '=', actor.areaCode).executeTakeFirst(),
  ]);
  const sum = (list: typeof rows, key: 'households' | 'persons') => list.reduce((n, r) => n + r[key], 0);
  return {
    area: {
      code: actor.areaCode,
      name: area?.name ?? actor.areaCode,
      level: scope.townCode ? 'town' : 'county',
    },
    totals,
    programs: programs.map((p) => {
      const mine = rows.filter((r) => r.program_code === p.code);
      return {
        code: p.code,
        name: p.name,
        households: sum(mine, 'households'),
        persons: sum(mine, 'persons'),
      };
    }),
    towns: towns.map((t) => ({
      code: t.code,
      name: t.name,
      programs: Object.fromEntries(
        programs.map((p) => {
          const r = rows.find((x) => x.town_code === t.code && x.program_code === p.code);
          return [p.code, { households: r?.households ?? 0, persons: r?.persons ?? 0 }];
        }),
      ),
    })),
    // One read transaction for the whole to-do list (cases, tasks, forwards, reviews).
    todos: await db.transaction().execute((trx) => todosFor(trx, actor)),
  };
}
