import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../domain/access/area-scope.ts';
import { sessionOf } from '../../http/auth.ts';
import { requirePermission } from '../access/require-permission.ts';
import { forbiddenArea } from '../errors/app-error.ts';
import { parseScenario, runParsedScenario, scenarioJsonSchema } from './scenario.ts';

// The scenario is checked by parseScenario (the same messages as the CLI, naming the field path); here it is only
// required to be a JSON object.
const ScenarioBody = z.looseObject({}).describe('测算情景，格式见 GET /api/v1/calc/schema 与 docs/calc.md');

export function registerCalcRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['政策测算'];

  app.get('/calc/schema', { schema: { tags, summary: '测算情景的 JSON Schema' } }, async (req) => {
    requirePermission(sessionOf(req).actor, 'policy.read');
    return scenarioJsonSchema();
  });

  app.post(
    '/calc',
    {
      schema: {
        tags,
        summary: '政策测算：按情景计算一次（不写入任何数据），结果含逐步说明',
        body: ScenarioBody,
      },
    },
    async (req) => {
      const actor = sessionOf(req).actor;
      requirePermission(actor, 'policy.read');
      const scenario = parseScenario(req.body);
      const scope = scopeOf(actor);
      // Parameters and standards of the user's own county, and for a town user their own town.
      const named = [scenario.policy.source === 'database' ? scenario.policy : {}, scenario.area ?? {}];
      const town =
        named.map((n) => n.townCode).find((t) => t !== undefined) ?? (scope.townCode as string | null);
      for (const n of named) {
        const county = n.countyCode ?? scope.countyCode;
        const t = n.townCode ?? town;
        if (county !== scope.countyCode || (scope.townCode !== null && t !== scope.townCode)) {
          throw forbiddenArea('地区的政策参数', {
            entityType: 'policy_parameter',
            entityId: n.townCode ?? county,
            countyCode: scope.countyCode,
            townCode: n.townCode ?? null,
            attempted: '测算',
          });
        }
      }
      return runParsedScenario(scenario, { db: app.db, countyCode: scope.countyCode, townCode: town });
    },
  );
}
