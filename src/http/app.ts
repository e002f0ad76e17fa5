/**
 * The HTTP application: Fastify + zod under /api/v1, OpenAPI at /api/openapi.json, health at /healthz.
 * Routes are thin: validate → open the transaction → call the service → map the result.
 */
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { registerAreaRoutes } from '../modules/areas/areas.routes.ts';
import { registerAuditRoutes } from '../modules/audit/audit.routes.ts';
import { registerAuthRoutes } from '../modules/auth/auth.routes.ts';
import type { SessionContext } from '../modules/auth/auth.service.ts';
import { registerCalcRoutes } from '../modules/calc/calc.routes.ts';
import { registerCalendarRoutes } from '../modules/calendar/calendar.routes.ts';
import { registerCampaignRoutes } from '../modules/campaigns/campaigns.routes.ts';
import { registerCaseRoutes } from '../modules/cases/cases.routes.ts';
import { registerDashboardRoutes } from '../modules/dashboard/dashboard.routes.ts';
import { registerDepartmentRoutes } from '../modules/departments/departments.routes.ts';
import { registerSimulatorRoutes } from '../modules/departments/simulator/simulator.routes.ts';
import { registerFilingRoutes } from '../modules/filings/filings.routes.ts';
import { registerIntakeRoutes } from '../modules/intake/intake.routes.ts';
import { registerBankRoutes } from '../modules/payments/bank.routes.ts';
import { registerOneOffRoutes } from '../modules/payments/one-off.routes.ts';
import { registerPayrollRoutes } from '../modules/payroll/payroll.routes.ts';
import { registerPolicyRoutes } from '../modules/policy/policy.routes.ts';
import { registerRegistryRoutes } from '../modules/registry/registry.routes.ts';
import { registerReportRoutes } from '../modules/reports/reports.routes.ts';
import { registerReviewRoutes } from '../modules/reviews/reviews.routes.ts';
import { registerRosterRoutes } from '../modules/roster/roster.routes.ts';
import { registerWorkflowSettingsRoutes } from '../modules/settings/workflow-settings.ts';
import { registerStaffRoutes } from '../modules/staff/staff.routes.ts';
import { registerStatisticsRoutes } from '../modules/statistics/statistics.routes.ts';
import { registerUserRoutes } from '../modules/users/users.routes.ts';
import { registerVerificationRoutes } from '../modules/verification/verification.routes.ts';
import { installAuth } from './auth.ts';
import { installErrorHandler } from './error-handler.ts';
import { installWebApp } from './web.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    config: AppConfig;
  }
  interface FastifyRequest {
    session: SessionContext | null;
  }
}

// Generic validation messages in Chinese for users (field-specific ones are set in the schemas).
z.config(z.locales.zhCN());

export async function buildApp(handle: DatabaseHandle, config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
    genReqId: () => Math.random().toString(36).slice(2, 10),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', handle.db);
  app.decorate('config', config);
  app.decorateRequest('session', null);
  installErrorHandler(app);

  // Town windows often sit on slow lines: gzip/brotli the web bundle and large JSON lists.
  await app.register(fastifyCompress, { threshold: 1024 });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'jiuzhu 社会救助管理信息系统 API',
        description:
          '所有接口位于 /api/v1 之下。登录后使用会话 Cookie；修改类请求须在请求头 x-csrf-token 中携带登录时返回的 csrfToken。错误统一为 { error: { code, message, field?, issues? } }。',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'jiuzhu_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
  });

  installAuth(app);

  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(handle.db);
      return { status: 'ok', database: handle.engine, county: config.countyCode };
    } catch {
      return reply.status(503).send({ status: 'error', database: handle.engine, message: '数据库不可用' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await installWebApp(app);

  await app.register(
    async (api) => {
      registerAuthRoutes(api);
      registerRegistryRoutes(api);
      registerUserRoutes(api);
      registerAreaRoutes(api);
      registerAuditRoutes(api);
      registerStaffRoutes(api);
      registerDashboardRoutes(api);
      registerCalendarRoutes(api);
      registerCaseRoutes(api);
      registerReviewRoutes(api);
      registerWorkflowSettingsRoutes(api);
      registerIntakeRoutes(api);
      registerOneOffRoutes(api);
      registerBankRoutes(api);
      registerPolicyRoutes(api);
      registerPayrollRoutes(api);
      registerCalcRoutes(api);
      registerCampaignRoutes(api);
      registerVerificationRoutes(api);
      registerStatisticsRoutes(api);
      registerDepartmentRoutes(api);
      registerRosterRoutes(api);
      registerReportRoutes(api);
      registerFilingRoutes(api);
    },
    { prefix: '/api/v1' },
  );
  // 模拟部门接口（演示、测试用）: outside /api/v1, no session, only when asked for (docs/department-interface.md).
  if (config.simulatorHttp) registerSimulatorRoutes(app);
  return app;
}
