// The built UI served the way the server serves it: readUiAsset() for the UI routes and assets,
// every /api/* request forwarded to the backend (a real Prometheus in the tests).
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { readUiAsset } from '../../src/index.js';

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

export async function startUiServer(assetsDir: string, backendUrl: string): Promise<UiServer> {
  const app = new Hono();
  app.all('/api/*', async (c) => {
    const incoming = new URL(c.req.url);
    const init: RequestInit = { method: c.req.method, headers: { 'content-type': c.req.header('content-type') ?? '' } };
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') init.body = await c.req.arrayBuffer();
    const res = await fetch(`${backendUrl}${incoming.pathname}${incoming.search}`, init);
    return new Response(await res.arrayBuffer(), { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } });
  });
  app.get('*', async (c) => {
    const asset = await readUiAsset(c.req.path, assetsDir);
    if (!asset) return c.text('404 page not found', 404);
    return c.body(asset.body, asset.status, asset.headers);
  });
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
