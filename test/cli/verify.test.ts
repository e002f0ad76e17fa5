/**
 * `jiuzhu verify case` prints the conclusion of a case's verification (DOMAIN §3); `jiuzhu verify recheck` runs a
 * re-check batch of the enrolled households with its progress.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../src/modules/cases/cases.service.ts';
import { insertDemoPolicy } from '../../src/modules/demo/demo-policy.ts';
import { databaseUrlOf, runCli } from '../helpers/cli.ts';
import { COUNTY, DAQIAO, type Fixtures, id, RUCHENG, seedFixtures } from '../helpers/fixtures.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

const NOW = new Date('2026-11-28T02:00:00Z');

describe.each(ENGINES)('jiuzhu verify on %s', (engine) => {
  let tdb: TestDatabase;
  let fx: Fixtures;
  let caseId = 0;
  let env: Record<string, string>;

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    const ts = NOW.toISOString();
    await tdb.db.transaction().execute(async (trx) => {
      await insertDemoPolicy(trx, COUNTY, NOW);
      const request = await trx
        .insertInto('intake_request')
        .values({
          county_code: COUNTY,
          town_code: RUCHENG,
          village_code: null,
          household_id: fx.ruchengHousehold,
          applicant_person_id: null,
          applicant_name: '李建国',
          applicant_id_number: fx.ruchengHeadId,
          applicant_phone: null,
          channel: 'window',
          description: '申请城市低保',
          received_by_user_id: null,
          received_by: 'rc_clerk',
          received_at: ts,
          status: 'in_progress',
          missing_materials_json: null,
          notice_issued_at: null,
          created_at: ts,
          updated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const members = [
        [fx.ruchengHeadId, '李建国'],
        [id('1958-07-01', 22), '陈秀英'],
        [id('2004-10-05', 31), '李明'],
      ] as const;
      for (const [idNumber, name] of members) {
        await trx
          .insertInto('verification_authorisation')
          .values({
            county_code: COUNTY,
            town_code: RUCHENG,
            request_id: request.id,
            person_id: null,
            id_number: idNumber,
            name,
            signer: 'self',
            signer_name: null,
            signed_on: '2026-11-20',
            note: null,
            created_at: ts,
          })
          .execute();
      }
      caseId = (
        await openCase(trx, fx.system, { programCode: 'urban_dibao', householdId: fx.ruchengHousehold }, NOW)
      ).id;
      const snap = await trx
        .insertInto('dept_snapshot')
        .values({
          county_code: COUNTY,
          source_code: 'vehicle',
          layout_version: 'v1',
          file_name: 'vehicle.csv',
          file_sha256: 'sha-vehicle',
          file_format: 'csv',
          as_of: '2026-11-01',
          status: 'in_force',
          row_count: 1,
          error_count: 0,
          errors_json: null,
          imported_by: 'admin',
          imported_at: ts,
          activated_at: ts,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('dept_record')
        .values({
          snapshot_id: snap.id,
          source_code: 'vehicle',
          id_number: fx.ruchengHeadId,
          name: '李建国',
          kind: 'car',
          status: 'normal',
          amount_fen: null,
          monthly_fen: null,
          event_date: '2024-05-01',
          exempt: 0,
          ref: '粤F12345',
          data_json: null,
        })
        .execute();
      await trx
        .insertInto('enrolment')
        .values({
          county_code: COUNTY,
          town_code: DAQIAO,
          program_code: 'rural_dibao',
          household_id: fx.daqiaoHousehold,
          person_id: null,
          start_month: '2026-01',
          end_month: null,
          status: 'active',
          support_mode: null,
          single_person: 0,
          end_reason: null,
          created_at: ts,
          updated_at: ts,
        })
        .execute();
    });
    env = { DATABASE_URL: databaseUrlOf(tdb), JIUZHU_COUNTY: COUNTY };
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it('verify case prints the conclusion and the report number', () => {
    const res = runCli(['verify', 'case', '--case', String(caseId)], env);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('结论：11 非城市低保对象');
    expect(res.stdout).toMatch(new RegExp(`核对报告 HD${COUNTY}\\d{8}0001`));
  });

  it('verify recheck runs a batch of the enrolled households with progress', () => {
    const res = runCli(['verify', 'recheck', '--program', 'rural_dibao'], env);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('共 1 户');
    expect(res.stdout).toContain('已核对 1 户，失败 0 户');
    expect(res.stdout).toContain('核对中 100%');
  });

  it('refuses an unknown case in Chinese', () => {
    const res = runCli(['verify', 'case', '--case', '999999'], env);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('个案（编号 999999）不存在');
  });
});
