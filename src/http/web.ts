/**
 * Serves the built web workbench (web/dist) from the same port as the API. Hashed assets are cached
 * for a year; index.html never, so a new release is picked up on the next page load. Any GET that is
 * not an API path gets index.html, and the client-side router takes over.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

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
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => {
      reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  app.get('/', { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path.startsWith('/assets/')) {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `接口或文件不存在：${path}` } });
    }
    return sendIndex(reply);
  });
}
