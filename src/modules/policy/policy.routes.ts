import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { isIsoMonth } from '../../domain/calendar/dates.ts';
import { POLICY_KIND_CODES, POLICY_KINDS, policyBodyJsonSchema } from '../../domain/policy/kinds.ts';
import { sessionOf } from '../../http/auth.ts';
import { requirePermission } from '../access/require-permission.ts';
import { forbiddenArea } from '../errors/app-error.ts';
import {
  createVersion,
  getVersion,
  listVersions,
  resolvePolicy,
  updateUnusedVersion,
} from './policy.service.ts';

const month = z.string().refine(isIsoMonth, '月份应为 YYYY-MM 格式，如 2015-09');
const townCode = z.string().regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字');
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const ListQuery = z
  .object({
    programCode: z.string().max(40).optional(),
    /** A town's own versions, or 'county' for the county-wide ones. */
    townCode: z.union([townCode, z.literal('county')]).optional(),
  })
  .strict();
const CreateBody = z
  .object({
    programCode: z.string().min(1, '请选择救助项目').max(40),
    townCode: townCode.nullable().optional(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable().optional(),
    docNo: z.string().max(100, '文号过长'),
    docTitle: z.string().max(200, '文件标题过长').nullable().optional(),
    body: z.unknown(),
  })
  .strict();
const UpdateBody = z
  .object({
    version: z.number().int().positive(),
    docNo: z.string().max(100, '文号过长').optional(),
    docTitle: z.string().max(200, '文件标题过长').nullable().optional(),
    body: z.unknown().optional(),
  })
  .strict();
const ResolveQuery = z
  .object({ programCode: z.string().min(1).max(40), townCode: townCode.optional(), month })
  .strict();

const PROGRAM_NAMES: Record<string, string> = {
  urban_dibao: '城市低保',
  rural_dibao: '农村低保',
  urban_tekun: '城市特困供养',
  rural_tekun: '农村特困供养（五保）',
  medical_aid: '医疗救助',
  temporary_aid: '临时救助',
  price_subsidy: '临时价格补贴',
};

export function registerPolicyRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tx = app.db.transaction.bind(app.db);
  const tags = ['政策参数'];

  app.get(
    '/policy/kinds',
    { schema: { tags, summary: '参数类型：名称、适用项目、参数 JSON Schema' } },
    async (req) => {
      requirePermission(sessionOf(req).actor, 'policy.read');
      return POLICY_KIND_CODES.map((kind) => ({
        kind,
        label: POLICY_KINDS[kind].label,
        programs: POLICY_KINDS[kind].programs.map((code) => ({ code, name: PROGRAM_NAMES[code] ?? code })),
        schema: policyBodyJsonSchema(kind),
      }));
    },
  );
  app.get(
    '/policy/versions',
    { schema: { tags, summary: '政策参数版本列表（县级版本及本乡镇版本）', querystring: ListQuery } },
    async (req) =>
      listVersions(app.db, sessionOf(req).actor, {
        ...(req.query.programCode ? { programCode: req.query.programCode } : {}),
        ...(req.query.townCode ? { townCode: req.query.townCode } : {}),
      }),
  );
  app.get(
    '/policy/versions/:id',
    { schema: { tags, summary: '一个政策参数版本', params: IdParam } },
    async (req) => getVersion(app.db, sessionOf(req).actor, req.params.id),
  );
  app.post(
    '/policy/versions',
    {
      schema: {
        tags,
        summary: '录入新版本（须晚于现行版本生效；追溯到已发放月份时下期发放自动补发或追回）',
        body: CreateBody,
      },
    },
    async (req, reply) => {
      const result = await tx().execute((trx) => createVersion(trx, sessionOf(req).actor, req.body));
      return reply.status(201).send(result);
    },
  );
  app.put(
    '/policy/versions/:id',
    { schema: { tags, summary: '修改尚未用于发放的版本', params: IdParam, body: UpdateBody } },
    async (req) =>
      tx().execute((trx) => updateUnusedVersion(trx, sessionOf(req).actor, req.params.id, req.body)),
  );
  app.get(
    '/policy/resolve',
    {
      schema: {
        tags,
        summary: '某月某乡镇适用的参数（乡镇版本优先于县级版本）',
        querystring: ResolveQuery,
      },
    },
    async (req) => {
      const actor = sessionOf(req).actor;
      requirePermission(actor, 'policy.read');
      const scope = scopeOf(actor);
      const town = req.query.townCode ?? scope.townCode;
      if (scope.townCode && town !== scope.townCode) {
        throw forbiddenArea('乡镇的政策参数', {
          entityType: 'policy_parameter',
          entityId: town ?? '',
          countyCode: scope.countyCode,
          townCode: town ?? null,
          attempted: '查看',
        });
      }
      const found = await resolvePolicy(app.db, {
        countyCode: scope.countyCode,
        townCode: town ?? null,
        programCode: req.query.programCode,
        month: req.query.month,
      });
      return { month: req.query.month, townCode: town ?? null, policy: found };
    },
  );
}
