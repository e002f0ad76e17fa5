/**
 * The 公示 list a village or community posts (DOMAIN §4.6 Art. 19/24, §16): cases under notice in a
 * town, with the applicant's name partly masked and no ID numbers — name, household size, and the
 * proposed amount where it is known.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/access/actor.ts';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { maskNameForNotice } from '../../domain/household/masking.ts';
import type { CaseFacts } from '../../domain/workflow/machine.ts';
import { requirePermission } from '../access/require-permission.ts';
import { validationError } from '../errors/app-error.ts';
import { CASE_PROGRAMS } from './cases.service.ts';

const NOTICE_STATES = ['public_notice', 'town_notice', 'county_notice', 'termination_notice'];

export async function publicNoticeList(trx: Transaction<Database>, actor: Actor, townCode?: string) {
  requirePermission(actor, 'registry.read');
  const scope = scopeOf(actor);
  const town = scope.townCode ?? townCode;
  if (!town) throw validationError('townCode', '请选择要公示的乡镇');
  if (scope.townCode !== null && townCode && townCode !== scope.townCode) {
    throw validationError('townCode', '只能打印本乡镇的公示名单');
  }
  const rows = await trx
    .selectFrom('case_file as c')
    .innerJoin('household as h', 'h.id', 'c.household_id')
    .leftJoin('person as head', 'head.id', 'h.head_person_id')
    .leftJoin('person as p', 'p.id', 'c.person_id')
    .leftJoin('area as v', 'v.code', 'h.village_code')
    .select([
      'c.id',
      'c.program_code',
      'c.state',
      'c.facts_json',
      'head.name as head_name',
      'p.name as person_name',
      'v.name as village_name',
    ])
    .where('c.county_code', '=', scope.countyCode)
    .where('c.town_code', '=', town)
    .where('c.state', 'in', NOTICE_STATES)
    .orderBy('v.name')
    .orderBy('c.id')
    .execute();
  const townRow = await trx.selectFrom('area').select('name').where('code', '=', town).executeTakeFirst();
  return {
    townCode: town,
    townName: townRow?.name ?? town,
    items: rows.map((r) => {
      const facts = JSON.parse(r.facts_json) as CaseFacts;
      const name = r.person_name ?? r.head_name ?? '';
      return {
        caseId: r.id,
        program: CASE_PROGRAMS[r.program_code as keyof typeof CASE_PROGRAMS] ?? r.program_code,
        village: r.village_name,
        name: maskNameForNotice(name),
        householdSize: facts.householdSize ?? null,
        proposedAmountFen: facts.amountFen ?? null,
        noticeEndsOn: facts.publicNoticeEndsOn,
        kind: r.state === 'termination_notice' ? '拟终止' : '拟纳入',
      };
    }),
  };
}
