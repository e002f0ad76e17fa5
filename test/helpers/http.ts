import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { buildApp } from '../../src/http/app.ts';
import { PASSWORD } from './fixtures.ts';

export async function testApp(handle: DatabaseHandle, env: NodeJS.ProcessEnv = {}): Promise<FastifyInstance> {
  const app = await buildApp(handle, { ...loadConfig(env), logLevel: 'silent' });
  await app.ready();
  return app;
}

export interface Client {
  get(url: string): Promise<LightMyRequestResponse>;
  send(
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    options?: { csrf?: boolean },
  ): Promise<LightMyRequestResponse>;
  csrfToken: string;
  cookie: string;
}

export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<Client> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'jiuzhu_session');
  if (!session) throw new Error('no session cookie');
  const cookie = `jiuzhu_session=${session.value}`;
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrfToken,
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    send: (method, url, body, options = {}) => {
      const opts: InjectOptions = {
        method,
        url,
        headers: { cookie, ...(options.csrf === false ? {} : { 'x-csrf-token': csrfToken }) },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      };
      return app.inject(opts);
    },
  };
}
