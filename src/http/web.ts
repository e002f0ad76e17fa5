/**
 * Serves the built web workbench (web/dist) from the same port as the API. Hashed assets are cached
 * for a year; index.html never, so a new release is picked up on the next page load. Any GET that is
 * not an API path gets index.html, and the client-side router takes over.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');

export async function installWebApp(app: FastifyInstance, dist = WEB_DIST): Promise<void> {
  if (!existsSync(resolve(dist, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>jiuzhu 社会救助管理信息系统</title>' +
            '<body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6">' +
            '<h1>jiuzhu 社会救助管理信息系统</h1><p>服务运行中，但网页端尚未构建：请运行 <code>npm run build:web</code> 后刷新。</p>' +
            '<ul><li><a href="/api/openapi.json">接口文档（OpenAPI）</a></li><li><a href="/healthz">健康检查</a></li></ul>' +
            '</body></html>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    // Files are looked up on each request, so a rebuilt web/dist is served without a restart.
    wildcard: true,
    index: false,
    setHeaders: (reply, path) => {
      reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.decorate('webIndex', true);
  app.get('/', { schema: { hide: true } }, (_req, reply) => sendWebIndex(reply));
}

/** Client routes (/registry/households/12 …) are not files: they get index.html and the router takes over. */
export function sendWebIndex(reply: FastifyReply) {
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
}

export function wantsWebIndex(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0] ?? '';
  return (
    req.method === 'GET' &&
    req.server.hasDecorator('webIndex') &&
    !path.startsWith('/api/') &&
    !path.startsWith('/assets/') &&
    path !== '/healthz'
  );
}
