// The built UI served the way the server serves it: readUiAsset() for the UI routes and assets,
// every /api/* request forwarded to the backend (a real Prometheus in the tests).
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { uiResponse } from '../../src/index.js';

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

/** `prefix` mounts everything under a route prefix (as --web.route-prefix=/prom does), proxying /prefix/api/* to /api/*. */
export async function startUiServer(assetsDir: string, backendUrl: string, prefix = ''): Promise<UiServer> {
  const root = new Hono();
  const app = prefix ? root.basePath(prefix) : root;
  app.all('/api/*', async (c) => {
    const incoming = new URL(c.req.url);
    const init: RequestInit = { method: c.req.method, headers: { 'content-type': c.req.header('content-type') ?? '' } };
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') init.body = await c.req.arrayBuffer();
    const res = await fetch(`${backendUrl}${incoming.pathname.slice(prefix.length)}${incoming.search}`, init);
    return new Response(await res.arrayBuffer(), { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } });
  });
  app.get('*', async (c) => (await uiResponse(c.req.path.slice(prefix.length) || '/', assetsDir)) ?? c.text('404 page not found', 404));
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: root.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port));
  });
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
