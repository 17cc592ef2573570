// Remote write receiver (POST /api/v1/write, behind --web.enable-remote-write-receiver) and
// remote read (POST /api/v1/read), on the handlers in remote/.
import type { Hono } from 'hono';
import { handleRemoteRead } from '../remote/read-handler.js';
import { handleRemoteWrite } from '../remote/write-handler.js';
import type { ApiContext } from './context.js';

export function registerRemoteRoutes(api: Hono, ctx: ApiContext): void {
  api.post('/write', async (c) => {
    if (!ctx.flags.enableRemoteWriteReceiver) {
      return c.text('remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n', 404);
    }
    const db = ctx.db();
    if (!db) return c.text('Service Unavailable: TSDB not ready\n', 503);
    const r = await handleRemoteWrite(new Uint8Array(await c.req.arrayBuffer()), db);
    if (r.status !== 204) ctx.logger.with({ component: 'web' }).warn('Remote write request rejected', { status: r.status, err: r.message });
    return r.status === 204 ? c.body(null, 204) : c.text(`${r.message}\n`, r.status);
  });
  api.post('/read', async (c) => {
    const db = ctx.db();
    if (!db) return c.text('Service Unavailable: TSDB not ready\n', 503);
    const r = handleRemoteRead(new Uint8Array(await c.req.arrayBuffer()), db, {
      externalLabels: ctx.config().config.global.external_labels,
      maxSamples: ctx.flags.queryMaxSamples,
    });
    const headers: Record<string, string> = { 'Content-Type': r.contentType };
    if (r.contentEncoding) headers['Content-Encoding'] = r.contentEncoding;
    return c.body(typeof r.body === 'string' ? r.body : (r.body as Uint8Array<ArrayBuffer>), r.status, headers);
  });
}
