/**
 * 模拟部门接口（演示、测试用）over HTTP: POST /sim/departments/:source/query, outside /api/v1 and without a
 * session (a department's endpoint is not a user's). createSimulatorApp is a standalone server for tests:
 * latency and injected failures make the connector's timeout, retry and breaker observable.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { answerSimQuery, SIM_LABEL, SimRequestError } from './simulator.ts';

export interface SimulatorOptions {
  db: Kysely<Database>;
  /** Delay before each answer, in milliseconds. */
  latencyMs?: number;
  /** The first N requests get HTTP 503 (the count goes down as they are used). */
  failTimes?: number;
}

/** What a test can watch and change while the simulator runs. */
export interface SimulatorState {
  calls: number;
  latencyMs: number;
  failTimes: number;
}

function plugin(db: () => Kysely<Database>, state: SimulatorState): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { source: string } }>(
      '/:source/query',
      { schema: { tags: [SIM_LABEL], summary: `${SIM_LABEL}：按身份证号码查询某部门的模拟数据` } },
      async (req, reply) => {
        state.calls++;
        if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
        if (state.failTimes > 0) {
          state.failTimes--;
          return reply
            .status(503)
            .send({ error: { code: 'UNAVAILABLE', message: `${SIM_LABEL}：模拟故障` } });
        }
        try {
          return await answerSimQuery(db(), req.params.source, req.body);
        } catch (e) {
          if (!(e instanceof SimRequestError)) throw e;
          return reply.status(e.statusCode).send({ error: { code: 'BAD_REQUEST', message: e.message } });
        }
      },
    );
  };
}

/** Mounts the simulator on the main app (prefix /sim/departments), answering from its database. */
export function registerSimulatorRoutes(app: FastifyInstance): void {
  app.register(
    plugin(() => app.db, { calls: 0, latencyMs: 0, failTimes: 0 }),
    { prefix: '/sim/departments' },
  );
}

/** A standalone simulator for tests: `await app.listen({ port: 0 })`, then use its address as connector URL. */
export async function createSimulatorApp(
  options: SimulatorOptions,
): Promise<{ app: FastifyInstance; state: SimulatorState }> {
  const state: SimulatorState = {
    calls: 0,
    latencyMs: options.latencyMs ?? 0,
    failTimes: options.failTimes ?? 0,
  };
  const app = Fastify({ logger: false });
  await app.register(
    plugin(() => options.db, state),
    { prefix: '/sim/departments' },
  );
  return { app, state };
}
