// Remote write receiver (behind --web.enable-remote-write-receiver) and remote read.
import type { Hono } from 'hono';
import { handleRemoteRead } from '../remote/read-handler.js';
import { handleRemoteWrite, writtenHeaders } from '../remote/write-handler.js';
import type { ApiContext } from './context.js';

const MAX_BODY = 64 * 1024 * 1024;

export function registerRemoteRoutes(api: Hono, ctx: ApiContext): void {
  api.post('/write', async (c) => {
    if (!ctx.flags.enableRemoteWriteReceiver) {
      return c.text('remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n', 404);
    }
    const db = ctx.db();
    if (!db) return c.text('Service Unavailable\n', 503);
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.length > MAX_BODY) return c.text(`request body of ${body.length} bytes exceeds the ${MAX_BODY}-byte limit\n`, 413);
    const r = await handleRemoteWrite(body, db, { contentType: c.req.header('Content-Type'), contentEncoding: c.req.header('Content-Encoding') });
    if (r.status !== 204) ctx.logger.with({ component: 'web' }).warn('Rejected remote write request', { err: r.message });
    const headers = writtenHeaders(r);
    return r.status === 204 ? c.body(null, 204, headers) : c.text(`${r.message}\n`, r.status, headers);
  });
  api.post('/read', async (c) => {
    const db = ctx.db();
    if (!db) return c.text('Service Unavailable\n', 503);
    const r = handleRemoteRead(new Uint8Array(await c.req.arrayBuffer()), db, {
      externalLabels: ctx.config().config.global.external_labels,
      maxSamples: ctx.flags.queryMaxSamples,
    });
    const headers: Record<string, string> = { 'Content-Type': r.contentType };
    if (r.contentEncoding) headers['Content-Encoding'] = r.contentEncoding;
    return c.body(typeof r.body === 'string' ? r.body : Buffer.from(r.body), r.status, headers);
  });
}
