/**
 * 受理登记 (one-window intake, DOMAIN §2) through the API on both engines: one-form registration, the
 * one-time notice, authorisations (DOMAIN §3.2), decisions per item up to 办结 and 归档, the village
 * assistant's active discovery, overdue forwards, area scoping, optimistic locking and refusals.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/domain/calendar/dates.ts';
import { DAQIAO, type Fixtures, id, RUCHENG, seedFixtures, USERS } from '../helpers/fixtures.ts';
import { type Client, login, testApp } from '../helpers/http.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/test-db.ts';

interface Detail {
  id: number;
  version: number;
  status: string;
  statusLabel: string;
  applicantIdNumber: string | null;
  notice: null | {
    open: boolean;
    materials: { itemCode: string; code: string; label: string; receivedOn: string | null }[];
  };
  items: {
    id: number;
    itemCode: string;
    decision: string;
    version: number;
    actions: string[];
    outstanding: string[];
    dueOn: string | null;
    deadline: null | { status: string; workingDaysLeft: number };
    caseId: number | null;
  }[];
  authorisations: { name: string; signer: string; signerName: string | null; idNumber: string }[];
  householdMembers: { name: string; authorised: boolean }[];
  checklist: { demand: { itemCode: string; code: string }[]; notDemanded: { code: string }[] };
}

describe.each(ENGINES)('intake API on %s', (engine) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  let fx: Fixtures;
  let clerk: Client; // 乳城镇 town clerk
  let assistant: Client; // 乳城镇 village assistant
  let daqiao: Client; // 大桥镇 town clerk
  let admin: Client;
  const today = chinaDate(new Date());
  const base = '/api/v1/intake';

  const detail = async (c: Client, rid: number): Promise<Detail> => {
    const res = await c.get(`${base}/requests/${rid}`);
    expect(res.statusCode).toBe(200);
    return res.json() as Detail;
  };
  const auditCount = async (action: string, entityId?: number) => {
    let q = tdb.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', action);
    if (entityId !== undefined) q = q.where('entity_id', '=', String(entityId));
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const register = (c: Client, body: Record<string, unknown>) =>
    c.send('POST', `${base}/requests`, {
      applicantName: '李建国',
      applicantIdNumber: fx.ruchengHeadId,
      applicantPhone: '13800138000',
      channel: 'window',
      description: '老伴残疾，儿子在读高中，家庭收入低；住房漏雨',
      items: ['rural_dibao', 'housing'],
      ...body,
    });
  const item = (d: Detail, code: string) => {
    const found = d.items.find((i) => i.itemCode === code);
    if (!found) throw new Error(`no item ${code}`);
    return found;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    fx = await seedFixtures(tdb.db);
    app = await testApp(tdb);
    clerk = await login(app, USERS.ruchengClerk.username);
    assistant = await login(app, USERS.ruchengAssistant.username);
    daqiao = await login(app, USERS.daqiaoClerk.username);
    admin = await login(app, USERS.admin.username);
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('publishes the endpoints in OpenAPI under 受理登记', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { tags?: string[] }>>;
    for (const p of [
      '/api/v1/intake/requests',
      '/api/v1/intake/requests/{id}',
      '/api/v1/intake/requests/{id}/notice',
      '/api/v1/intake/requests/{id}/materials-received',
      '/api/v1/intake/requests/{id}/authorisations',
      '/api/v1/intake/requests/{id}/archive',
      '/api/v1/intake/items/{id}/accept',
      '/api/v1/intake/items/{id}/forward',
      '/api/v1/intake/items/{id}/reply',
      '/api/v1/intake/items/{id}/inform',
      '/api/v1/intake/items/{id}/refer',
      '/api/v1/intake/items/{id}/reject',
      '/api/v1/intake/overdue-forwards',
    ]) {
      const ops = Object.values(paths[p] ?? {});
      expect(ops.length, p).toBeGreaterThan(0);
      expect(
        ops.every((o) => o.tags?.includes('受理登记')),
        p,
      ).toBe(true);
    }
  });

  describe('a request from registration to 办结 and 归档', () => {
    let rid: number;

    it('registers one form with two items, for the clerk’s own town, received by the clerk', async () => {
      const res = await register(clerk, { householdId: fx.ruchengHousehold, villageCode: '440232100101' });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ status: 'registered', statusLabel: '登记', version: 1 });
      expect(body.items.map((i: { itemCode: string }) => i.itemCode)).toEqual(['rural_dibao', 'housing']);
      rid = body.id;
      const row = await tdb.db
        .selectFrom('intake_request')
        .selectAll()
        .where('id', '=', rid)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        town_code: RUCHENG,
        county_code: '440232',
        received_by: '测试ruchengClerk',
        channel: 'window',
        household_id: fx.ruchengHousehold,
      });
      expect(row.applicant_person_id).not.toBeNull();
      expect(await auditCount('intake_request.create', rid)).toBe(1);
      const audit = await tdb.db
        .selectFrom('audit_log')
        .select(['town_code', 'county_code'])
        .where('action', '=', 'intake_request.create')
        .where('entity_id', '=', String(rid))
        .executeTakeFirstOrThrow();
      expect(audit).toEqual({ town_code: RUCHENG, county_code: '440232' });
    });

    it('shows each item with what can be done next, and the checklist', async () => {
      const d = await detail(clerk, rid);
      expect(d.statusLabel).toBe('登记');
      expect(item(d, 'rural_dibao').actions).toEqual(['accept', 'forward', 'reject']);
      expect(item(d, 'housing').actions).toEqual(['forward', 'refer', 'reject']);
      expect(d.checklist.demand.filter((m) => m.itemCode === 'rural_dibao').map((m) => m.code)).toContain(
        'authorisation',
      );
      expect(d.checklist.notDemanded.map((m) => m.code)).toContain('real_estate');
      // The household's current members, none of whom has signed yet.
      expect(d.householdMembers.map((m) => [m.name, m.authorised])).toEqual([
        ['李建国', false],
        ['陈秀英', false],
        ['李明', false],
      ]);
      expect(d.applicantIdNumber).toBe(fx.ruchengHeadId);
    });

    it('refuses to demand a document the county gets from a government platform', async () => {
      const d = await detail(clerk, rid);
      const res = await clerk.send('POST', `${base}/requests/${rid}/notice`, {
        version: d.version,
        materials: [
          { itemCode: 'rural_dibao', code: 'declaration' },
          { itemCode: 'rural_dibao', code: 'real_estate' },
        ],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('materials[1].code');
      expect(res.json().error.message).toContain('不得要求申请人提供');
      expect((await detail(clerk, rid)).notice).toBeNull();
    });

    it('issues one notice listing everything missing at once, and refuses a second one', async () => {
      const d = await detail(clerk, rid);
      const res = await clerk.send('POST', `${base}/requests/${rid}/notice`, {
        version: d.version,
        materials: [
          { itemCode: 'rural_dibao', code: 'declaration' },
          { itemCode: 'rural_dibao', code: 'authorisation', note: '配偶、儿子须到场签名' },
          { itemCode: 'housing', code: 'housing_condition' },
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'awaiting_materials', statusLabel: '补正中' });
      const after = await detail(clerk, rid);
      expect(after.notice?.open).toBe(true);
      expect(after.notice?.materials.map((m) => m.label)).toEqual([
        '家庭收入及财产申报表',
        '家庭经济状况核对授权书（每位核对对象签名）',
        '现住房情况说明（村（居）委会出具）',
      ]);
      expect(item(after, 'housing').outstanding).toEqual(['现住房情况说明（村（居）委会出具）']);

      const again = await clerk.send('POST', `${base}/requests/${rid}/notice`, {
        version: after.version,
        materials: [{ itemCode: 'housing', code: 'hukou_book' }],
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('不得再次要求');
    });

    it('does not accept an item while its materials are missing', async () => {
      const d = await detail(clerk, rid);
      const dibao = item(d, 'rural_dibao');
      const res = await clerk.send('POST', `${base}/items/${dibao.id}/accept`, { version: dibao.version });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toContain('家庭收入及财产申报表');
    });

    it('records the materials brought, which closes the notice', async () => {
      const d = await detail(clerk, rid);
      const res = await clerk.send('POST', `${base}/requests/${rid}/materials-received`, {
        version: d.version,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'registered', stillMissing: 0 });
      const after = await detail(clerk, rid);
      expect(after.notice?.open).toBe(false);
      expect(after.notice?.materials.every((m) => m.receivedOn === today)).toBe(true);
    });

    it('records authorisations for two members, one signed by a guardian', async () => {
      let d = await detail(clerk, rid);
      const missingSigner = await clerk.send('POST', `${base}/requests/${rid}/authorisations`, {
        version: d.version,
        name: '陈秀英',
        idNumber: id('1958-07-01', 22),
        signer: 'guardian',
        signedOn: today,
      });
      expect(missingSigner.statusCode).toBe(400);
      expect(missingSigner.json().error.field).toBe('signerName');
      expect(missingSigner.json().error.message).toContain('监护人姓名');

      const self = await clerk.send('POST', `${base}/requests/${rid}/authorisations`, {
        version: d.version,
        name: '李建国',
        idNumber: fx.ruchengHeadId,
        signer: 'self',
        signedOn: today,
      });
      expect(self.statusCode).toBe(201);
      const guardian = await clerk.send('POST', `${base}/requests/${rid}/authorisations`, {
        version: self.json().version,
        name: '陈秀英',
        idNumber: id('1958-07-01', 22),
        signer: 'guardian',
        signerName: '李建国',
        signedOn: today,
      });
      expect(guardian.statusCode).toBe(201);
      const dup = await clerk.send('POST', `${base}/requests/${rid}/authorisations`, {
        version: guardian.json().version,
        name: '李建国',
        idNumber: fx.ruchengHeadId,
        signer: 'self',
        signedOn: today,
      });
      expect(dup.statusCode).toBe(409);

      d = await detail(clerk, rid);
      expect(d.authorisations.map((a) => [a.name, a.signer, a.signerName])).toEqual([
        ['李建国', 'self', null],
        ['陈秀英', 'guardian', '李建国'],
      ]);
      expect(d.householdMembers.map((m) => [m.name, m.authorised])).toEqual([
        ['李建国', true],
        ['陈秀英', true],
        ['李明', false],
      ]);
      expect(await auditCount('intake_request.authorisation', rid)).toBe(2);
    });

    it('refuses illegal decisions with the reason', async () => {
      const d = await detail(clerk, rid);
      const housing = item(d, 'housing');
      const acceptHousing = await clerk.send('POST', `${base}/items/${housing.id}/accept`, {
        version: housing.version,
      });
      expect(acceptHousing.statusCode).toBe(409);
      expect(acceptHousing.json().error.message).toContain('由住建部门办理，窗口不能直接受理');
      const reply = await clerk.send('POST', `${base}/items/${housing.id}/reply`, {
        version: housing.version,
        reply: '已办理',
      });
      expect(reply.statusCode).toBe(409);
      expect(reply.json().error.message).toContain('未转办');
      const pastDue = await clerk.send('POST', `${base}/items/${housing.id}/forward`, {
        version: housing.version,
        department: '住建部门',
        dueOn: addDays(today, -1),
      });
      expect(pastDue.statusCode).toBe(400);
      expect(pastDue.json().error.field).toBe('dueOn');
      const noReason = await clerk.send('POST', `${base}/items/${housing.id}/reject`, {
        version: housing.version,
        reason: '  ',
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.field).toBe('reason');
      const dibao = item(d, 'rural_dibao');
      const refer = await clerk.send('POST', `${base}/items/${dibao.id}/refer`, {
        version: dibao.version,
        department: '慈善组织',
      });
      expect(refer.statusCode).toBe(409);
      expect(refer.json().error.message).toContain('不能转介');
      // Nothing changed.
      const after = await detail(clerk, rid);
      expect(after.items.map((i) => [i.decision, i.version])).toEqual(
        d.items.map((i) => ['pending', i.version]),
      );
    });

    it('accepts 低保 here, forwards 住房 to 住建部门, records the reply and the applicant told → 办结', async () => {
      let d = await detail(clerk, rid);
      const dibao = item(d, 'rural_dibao');
      const accepted = await clerk.send('POST', `${base}/items/${dibao.id}/accept`, {
        version: dibao.version,
      });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({
        status: 'in_progress',
        item: { decision: 'accepted', version: 2 },
      });

      const housing = item(d, 'housing');
      const due = addDays(today, 14);
      const forwarded = await clerk.send('POST', `${base}/items/${housing.id}/forward`, {
        version: housing.version,
        department: '住建部门',
        dueOn: due,
      });
      expect(forwarded.statusCode).toBe(200);
      expect(forwarded.json()).toMatchObject({ status: 'in_progress', item: { decision: 'forwarded' } });
      d = await detail(clerk, rid);
      expect(item(d, 'housing')).toMatchObject({
        dueOn: due,
        actions: ['reply'],
        deadline: { status: 'on_time' },
      });
      expect(item(d, 'rural_dibao')).toMatchObject({ decision: 'accepted', actions: ['inform'] });
      // 受理 opened the 低保 case in the same transaction, in the first state of today's procedure.
      const caseId = item(d, 'rural_dibao').caseId as number;
      expect(caseId).toBeGreaterThan(0);
      const opened = await clerk.get(`/api/v1/cases/${caseId}`);
      expect(opened.json()).toMatchObject({
        programCode: 'rural_dibao',
        procedure: 'dibao_2021',
        state: 'accepted',
      });

      // Telling the applicant before the department replied is refused.
      const early = await clerk.send('POST', `${base}/items/${housing.id}/inform`, {
        version: item(d, 'housing').version,
      });
      expect(early.statusCode).toBe(409);

      const replied = await clerk.send('POST', `${base}/items/${housing.id}/reply`, {
        version: item(d, 'housing').version,
        reply: '已纳入农村危房改造对象，年内安排改造',
      });
      expect(replied.statusCode).toBe(200);
      expect(replied.json()).toMatchObject({ status: 'in_progress', item: { decision: 'replied' } });
      const informed = await clerk.send('POST', `${base}/items/${housing.id}/inform`, {
        version: replied.json().item.version,
      });
      expect(informed.statusCode).toBe(200);
      expect(informed.json()).toMatchObject({
        status: 'closed',
        statusLabel: '办结',
        item: { decision: 'closed' },
      });

      d = await detail(clerk, rid);
      expect(d.statusLabel).toBe('办结');
      for (const action of ['accept', 'forward', 'reply', 'inform']) {
        expect(await auditCount(`intake_item.${action}`)).toBeGreaterThanOrEqual(1);
      }
    });

    it('archives the finished request, after which nothing more is done on it', async () => {
      const d = await detail(clerk, rid);
      const stale = await clerk.send('POST', `${base}/requests/${rid}/archive`, { version: d.version - 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('STALE_VERSION');
      const res = await clerk.send('POST', `${base}/requests/${rid}/archive`, { version: d.version });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'archived', statusLabel: '归档' });
      const dibao = item(await detail(clerk, rid), 'rural_dibao');
      expect(dibao.actions).toEqual([]);
      const inform = await clerk.send('POST', `${base}/items/${dibao.id}/inform`, { version: dibao.version });
      expect(inform.statusCode).toBe(409);
      expect(inform.json().error.message).toContain('已归档');
    });

    it('lists the clerk’s requests with filters', async () => {
      const all = await clerk.get(`${base}/requests`);
      expect(all.statusCode).toBe(200);
      expect(all.json().items.some((r: { id: number }) => r.id === rid)).toBe(true);
      const row = all.json().items.find((r: { id: number }) => r.id === rid);
      expect(row.applicantIdNumber).toContain('********');
      expect(row.items.map((i: { label: string }) => i.label)).toEqual(['农村低保', '住房救助（住建部门）']);
      const archived = await clerk.get(`${base}/requests?status=archived&item=housing&channel=window`);
      expect(archived.json().items.map((r: { id: number }) => r.id)).toEqual([rid]);
      const none = await clerk.get(`${base}/requests?status=archived&item=tekun`);
      expect(none.json().total).toBe(0);
      const bad = await clerk.get(`${base}/requests?status=done`);
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('the village assistant (村级协理员)', () => {
    let rid: number;

    it('registers a hardship they found (主动发现), without an ID number yet', async () => {
      const res = await register(assistant, {
        applicantName: '赵阿婆',
        applicantIdNumber: null,
        applicantPhone: null,
        channel: 'active_discovery',
        description: '独居老人，无子女，生活困难',
        items: ['tekun', 'charity'],
      });
      expect(res.statusCode).toBe(201);
      rid = res.json().id;
      const row = await tdb.db
        .selectFrom('intake_request')
        .selectAll()
        .where('id', '=', rid)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        town_code: RUCHENG,
        channel: 'active_discovery',
        applicant_id_number: null,
      });
    });

    it('may not register through another channel', async () => {
      const res = await register(assistant, { channel: 'window' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toContain('主动发现');
    });

    it('may read but not decide items', async () => {
      const d = await detail(assistant, rid);
      const tekun = item(d, 'tekun');
      const res = await assistant.send('POST', `${base}/items/${tekun.id}/accept`, {
        version: tekun.version,
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      const notice = await assistant.send('POST', `${base}/requests/${rid}/notice`, {
        version: d.version,
        materials: [{ itemCode: 'tekun', code: 'hukou_book' }],
      });
      expect(notice.statusCode).toBe(403);
      // The clerk can.
      const referred = await clerk.send('POST', `${base}/items/${item(d, 'charity').id}/refer`, {
        version: item(d, 'charity').version,
        department: '县慈善会',
        note: '申请临时生活物资',
      });
      expect(referred.statusCode).toBe(200);
      expect(referred.json().status).toBe('in_progress');
    });

    it('sees ID numbers masked', async () => {
      const rows = await register(clerk, { items: ['medical_aid'] });
      const d = await detail(assistant, rows.json().id);
      expect(d.applicantIdNumber).toContain('********');
    });
  });

  describe('overdue forwards (转办督办)', () => {
    let itemId: number;

    beforeAll(async () => {
      const res = await register(clerk, { items: ['housing', 'education'] });
      const housing = res.json().items.find((i: { itemCode: string }) => i.itemCode === 'housing');
      const fwd = await clerk.send('POST', `${base}/items/${housing.id}/forward`, {
        version: housing.version,
        department: '住建部门',
        dueOn: today,
      });
      expect(fwd.statusCode).toBe(200);
      itemId = housing.id;
      // Time passes: the due date is now a week ago.
      await tdb.db
        .updateTable('intake_item')
        .set({ due_on: addDays(today, -7), forwarded_on: addDays(today, -20) })
        .where('id', '=', itemId)
        .execute();
    });

    it('shows a forward past its due date to the town and the county, not to another town', async () => {
      const town = (await clerk.get(`${base}/overdue-forwards`)).json();
      const mine = town.items.find((i: { itemId: number }) => i.itemId === itemId);
      expect(mine).toMatchObject({
        status: 'overdue',
        statusLabel: '已超期',
        townName: '乳城镇',
        department: '住建部门',
      });
      expect(mine.workingDaysLeft).toBeLessThan(0);
      expect(town.overdue).toBeGreaterThanOrEqual(1);
      const county = (await admin.get(`${base}/overdue-forwards`)).json();
      expect(county.items.map((i: { itemId: number }) => i.itemId)).toContain(itemId);
      const other = (await daqiao.get(`${base}/overdue-forwards`)).json();
      expect(other.items.map((i: { itemId: number }) => i.itemId)).not.toContain(itemId);
    });

    it('marks the item overdue on its request and in the list filter', async () => {
      const overdue = (await clerk.get(`${base}/requests?overdue=true`)).json();
      expect(overdue.items.length).toBeGreaterThanOrEqual(1);
      expect(overdue.items.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
      const rid = (
        await tdb.db
          .selectFrom('intake_item')
          .select('request_id')
          .where('id', '=', itemId)
          .executeTakeFirstOrThrow()
      ).request_id;
      const d = await detail(clerk, rid);
      expect(item(d, 'housing').deadline).toMatchObject({ status: 'overdue' });
    });

    it('does not list forwards that are on time', async () => {
      const res = await register(clerk, { items: ['employment'] });
      const emp = res.json().items[0];
      await clerk.send('POST', `${base}/items/${emp.id}/forward`, {
        version: emp.version,
        department: '人社部门',
        dueOn: addDays(today, 30),
      });
      const town = (await clerk.get(`${base}/overdue-forwards`)).json();
      expect(town.items.map((i: { itemId: number }) => i.itemId)).not.toContain(emp.id);
    });
  });

  describe('areas, versions and bad input', () => {
    let rid: number;
    let first: { id: number; version: number };

    beforeAll(async () => {
      const res = await register(clerk, {
        items: ['temporary_aid', 'disability'],
        householdId: fx.ruchengHousehold,
      });
      rid = res.json().id;
      first = res.json().items[0];
    });

    it('refuses to accept a window item until the applicant’s household is linked', async () => {
      const loose = await register(clerk, { items: ['temporary_aid'] });
      const only = loose.json().items[0];
      const res = await clerk.send('POST', `${base}/items/${only.id}/accept`, { version: only.version });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.message).toContain('关联该家庭');
    });

    it('refuses, and audits, another town’s clerk reading or deciding', async () => {
      const before = await auditCount('access.denied', rid);
      const read = await daqiao.get(`${base}/requests/${rid}`);
      expect(read.statusCode).toBe(403);
      expect(read.json().error.code).toBe('FORBIDDEN_AREA');
      expect(await auditCount('access.denied', rid)).toBe(before + 1);
      const decide = await daqiao.send('POST', `${base}/items/${first.id}/reject`, {
        version: first.version,
        reason: '不符合条件',
      });
      expect(decide.statusCode).toBe(403);
      expect(decide.json().error.code).toBe('FORBIDDEN_AREA');
      expect(await auditCount('access.denied', first.id)).toBeGreaterThanOrEqual(1);
      const list = (await daqiao.get(`${base}/requests`)).json();
      expect(list.items.map((r: { id: number }) => r.id)).not.toContain(rid);
      // A county user sees every town.
      expect((await admin.get(`${base}/requests/${rid}`)).statusCode).toBe(200);
    });

    it('refuses another town’s household and another town as the place of intake', async () => {
      const household = await register(clerk, { householdId: fx.daqiaoHousehold });
      expect(household.statusCode).toBe(403);
      expect(household.json().error.code).toBe('FORBIDDEN_AREA');
      const town = await register(daqiao, { townCode: RUCHENG });
      expect(town.statusCode).toBe(403);
      expect(town.json().error.field).toBe('townCode');
    });

    it('lets a county user register for a town, which is required', async () => {
      const missing = await register(admin, {});
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.field).toBe('townCode');
      const ok = await register(admin, {
        townCode: DAQIAO,
        channel: 'hotline_12349',
        applicantIdNumber: null,
      });
      expect(ok.statusCode).toBe(201);
    });

    it('refuses a stale version of an item and of the request', async () => {
      const ok = await clerk.send('POST', `${base}/items/${first.id}/accept`, { version: first.version });
      expect(ok.statusCode).toBe(200);
      const stale = await clerk.send('POST', `${base}/items/${first.id}/inform`, { version: first.version });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('STALE_VERSION');
      expect(stale.json().error.message).toContain('已被其他人修改');
      const staleRequest = await clerk.send('POST', `${base}/requests/${rid}/authorisations`, {
        version: 1,
        name: '李建国',
        idNumber: fx.ruchengHeadId,
        signer: 'self',
        signedOn: today,
      });
      expect(staleRequest.statusCode).toBe(409);
      expect(staleRequest.json().error.code).toBe('STALE_VERSION');
    });

    it('refuses a bad ID number and an empty item list, naming the fields, and saves nothing', async () => {
      const count = async () =>
        Number(
          (
            await tdb.db
              .selectFrom('intake_request')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const wrongCheck = fx.ruchengHeadId.endsWith('0') ? '1' : '0';
      const badId = await register(clerk, {
        applicantIdNumber: `${fx.ruchengHeadId.slice(0, 17)}${wrongCheck}`,
      });
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.field).toBe('applicantIdNumber');
      expect(badId.json().error.message).toContain('校验位');
      const noId = await register(clerk, { applicantIdNumber: null });
      expect(noId.statusCode).toBe(400);
      expect(noId.json().error.field).toBe('applicantIdNumber');
      const noItems = await register(clerk, { items: [] });
      expect(noItems.statusCode).toBe(400);
      expect(noItems.json().error.field).toBe('items');
      expect(noItems.json().error.message).toContain('请至少选择一项申请事项');
      const dupItems = await register(clerk, { items: ['housing', 'housing'] });
      expect(dupItems.statusCode).toBe(400);
      const badChannel = await register(clerk, { channel: 'fax' });
      expect(badChannel.statusCode).toBe(400);
      expect(badChannel.json().error.field).toBe('channel');
      const badAuth = await clerk.send('POST', `${base}/requests/${rid}/authorisations`, {
        version: (await detail(clerk, rid)).version,
        name: '李建国',
        idNumber: '123',
        signer: 'proxy',
        signedOn: today,
      });
      expect(badAuth.statusCode).toBe(400);
      expect(badAuth.json().error.issues.map((i: { field: string }) => i.field)).toEqual(
        expect.arrayContaining(['idNumber', 'signerName', 'note']),
      );
      expect(await count()).toBe(before);
    });

    it('refuses roles without the registry', async () => {
      const partner = await login(app, USERS.partner.username);
      expect((await partner.get(`${base}/requests`)).statusCode).toBe(403);
      expect((await partner.get(`${base}/overdue-forwards`)).statusCode).toBe(403);
      const res = await register(partner, { channel: 'active_discovery' });
      expect(res.statusCode).toBe(403);
    });
  });
});
