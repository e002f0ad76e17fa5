/**
 * An approved 农村低保 payroll for the bank tests (社会化发放), inserted directly: three households of the
 * fixtures with their bank accounts, six lines (two banks, an arrears line, a line without a bank), and
 * the ledger entries that approval posts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { createHousehold } from '../../src/modules/registry/registry.service.ts';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG } from './fixtures.ts';

export const RCB = '广东乳源农村商业银行';
export const PSBC = '中国邮政储蓄银行';

export interface BankFixtures {
  payrollId: number;
  thirdHousehold: number;
  /** Line ids: liBase, liAddon (李建国, 农商银行), panBase, panArrears (盘桂兰, 邮储), wangBase (王小红, 农商), wangPrice (no bank). */
  line: Record<'liBase' | 'liAddon' | 'panBase' | 'panArrears' | 'wangBase' | 'wangPrice', number>;
}

export async function seedApprovedPayroll(db: Kysely<Database>, fx: Fixtures): Promise<BankFixtures> {
  let payrollId = 0;
  let thirdHousehold = 0;
  const line: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    const now = new Date('2026-11-28T02:00:00Z');
    const stamp = now.toISOString();
    const third = await createHousehold(
      trx,
      fx.system,
      {
        townCode: RUCHENG,
        villageCode: '440232100201',
        address: '乳城镇河北村委会下村3号',
        hukouType: 'rural',
        bankName: RCB,
        bankAccount: '6230111122223333444',
        bankAccountHolder: '王小红',
        effectiveDate: '2010-01-01',
        members: [{ idNumber: id('1970-05-05', 53), name: '王小红', relation: '户主' }],
      },
      now,
    );
    thirdHousehold = third.id;
    const households = [
      { id: fx.ruchengHousehold, town: RUCHENG, village: '440232100101' },
      { id: fx.daqiaoHousehold, town: DAQIAO, village: '440232109201' },
      { id: thirdHousehold, town: RUCHENG, village: '440232100201' },
    ];
    const enrolment: Record<number, number> = {};
    for (const h of households) {
      const e = await trx
        .insertInto('enrolment')
        .values({
          county_code: COUNTY,
          town_code: h.town,
          program_code: 'rural_dibao',
          household_id: h.id,
          person_id: null,
          start_month: '2026-01',
          end_month: null,
          status: 'active',
          support_mode: null,
          single_person: 0,
          end_reason: null,
          review_class: null,
          last_review_on: null,
          next_review_on: null,
          created_at: stamp,
          updated_at: stamp,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      enrolment[h.id] = e.id;
    }
    const payroll = await trx
      .insertInto('payroll')
      .values({
        county_code: COUNTY,
        program_code: 'rural_dibao',
        pay_month: '2026-12',
        status: 'approved',
        line_count: 6,
        total_fen: 86850 + 12000 + 41000 + 50000 + 50000 + 3000,
        generated_by: 'admin',
        generated_at: stamp,
        reviewed_by: 'approver',
        reviewed_at: stamp,
        approved_by: 'approver',
        approved_at: stamp,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    payrollId = payroll.id;
    const bank = {
      [fx.ruchengHousehold]: {
        bank_name: RCB,
        bank_account: '6230123456789012345',
        account_holder: '李建国',
      },
      [fx.daqiaoHousehold]: {
        bank_name: PSBC,
        bank_account: '6210987654321098765',
        account_holder: '盘桂兰',
      },
      [thirdHousehold]: { bank_name: RCB, bank_account: '6230111122223333444', account_holder: '王小红' },
    };
    const add = async (
      key: string,
      householdId: number,
      component: string,
      amount: number,
      opts: { kind?: 'regular' | 'arrears'; month?: string; noBank?: boolean } = {},
    ) => {
      const h = households.find((x) => x.id === householdId) as (typeof households)[number];
      const r = await trx
        .insertInto('payroll_line')
        .values({
          payroll_id: payrollId,
          county_code: COUNTY,
          town_code: h.town,
          village_code: h.village,
          program_code: 'rural_dibao',
          enrolment_id: enrolment[householdId] as number,
          household_id: householdId,
          person_id: null,
          benefit_month: opts.month ?? '2026-12',
          component,
          line_kind: opts.kind ?? 'regular',
          amount_fen: amount,
          fund_source: 'central',
          policy_id: null,
          decision_id: null,
          reason: null,
          ...(opts.noBank
            ? { bank_name: null, bank_account: null, account_holder: null }
            : (bank[householdId] as object)),
          status: 'pending',
          bank_batch_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      line[key] = r.id;
    };
    await add('liBase', fx.ruchengHousehold, 'dibao_base', 86850);
    await add('liAddon', fx.ruchengHousehold, 'dibao_addon', 12000);
    await add('panBase', fx.daqiaoHousehold, 'dibao_base', 50000);
    await add('panArrears', fx.daqiaoHousehold, 'dibao_base', 50000, { kind: 'arrears', month: '2026-11' });
    await add('wangBase', thirdHousehold, 'dibao_base', 41000);
    await add('wangPrice', thirdHousehold, 'price_subsidy', 3000, { noBank: true });
    // What approval posts (payroll.service approvePayroll): one ledger entry per line.
    const lines = await trx.selectFrom('payroll_line').selectAll().execute();
    await trx
      .insertInto('payment_ledger')
      .values(
        lines.map((l) => ({
          county_code: l.county_code,
          town_code: l.town_code,
          program_code: l.program_code,
          household_id: l.household_id,
          person_id: l.person_id,
          enrolment_id: l.enrolment_id,
          benefit_month: l.benefit_month,
          pay_month: '2026-12',
          component: l.component,
          fund_source: l.fund_source,
          amount_fen: l.amount_fen,
          entry_kind: l.line_kind === 'regular' ? ('payment' as const) : ('arrears' as const),
          payroll_id: l.payroll_id,
          payroll_line_id: l.id,
          one_off_id: null,
          reason: null,
          posted_by: 'approver',
          posted_at: stamp,
        })),
      )
      .execute();
  });
  return { payrollId, thirdHousehold, line: line as BankFixtures['line'] };
}
