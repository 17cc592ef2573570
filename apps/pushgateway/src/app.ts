// The HTTP surface, answering like Prometheus' Pushgateway 1.x (status codes, bodies, headers).
import { encodeProtobuf, ExpositionError, negotiate } from '@promethium/exposition';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { webConfigMiddleware, type WebConfigSource, type WebLogger } from '@promethium/web-toolkit';
import { createGzip, gzipSync } from 'node:zlib';
import { metricsJson, statusJson } from './api-v1.js';
import { BodyError, decodeContent, DEFAULT_MAX_BODY_BYTES, parseBody, readBody } from './body.js';
import { collectFamilies, renderOpenMetricsParts, renderTextParts } from './exposition.js';
import { GroupingKeyError, parseGroupingKey, splitPath } from './grouping-key.js';
import { silentLogger, type Logger } from './logger.js';
import { OWN_METRIC_TYPES, OwnMetrics, VERSION } from './own-metrics.js';
import { renderPage } from './page.js';
import { MetricStore } from './store.js';

export interface AppOptions {
  store?: MetricStore;
  ownMetrics?: OwnMetrics;
  logger?: Logger;
  /** --web.enable-admin-api */
  enableAdminApi?: boolean;
  /** --web.enable-lifecycle */
  enableLifecycle?: boolean;
  /** --web.telemetry-path, default /metrics */
  telemetryPath?: string;
  /** --web.route-prefix, default "" */
  routePrefix?: string;
  /** --push.max-body-bytes */
  maxBodyBytes?: number;
  /** Flag values shown by /api/v1/status. */
  flags?: Record<string, string>;
  /** --web.config.file: basic auth and headers on every endpoint (TLS is the listener's job). */
  webConfig?: WebConfigSource;
  /** Where failed logins are logged (never with the password). */
  webLog?: WebLogger;
  /** Called by PUT/POST /-/quit when the lifecycle API is on. */
  onQuit?: () => void;
}

const TEXT_PLAIN = 'text/plain; charset=utf-8';

function plain(c: Context, status: number, body: string): Response {
  return c.newResponse(body, status as 200, { 'Content-Type': TEXT_PLAIN });
}

/** Normalizes a prefix to "" or "/x" (no trailing slash). */
export function normalizePrefix(p: string | undefined): string {
  const trimmed = (p ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

const COLLECT_AFTER_BYTES = 8 << 20;
const GZIP_BATCH_BYTES = 256 << 10;
let collectPending = false;

/**
 * A big scrape keeps thousands of chunk and write objects alive while the socket drains, so they
 * reach the old generation and RSS climbs by about the body size per scrape until V8 gets round
 * to a full collection. When the bin runs with --expose-gc, collect right after such a scrape has
 * been sent (off the latency path; a 10k-group heap takes ~10 ms): RSS stays near the live set.
 */
function collectGarbageSoon(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || collectPending) return;
  collectPending = true;
  setImmediate(() => {
    collectPending = false;
    gc();
  });
}

/** True when Accept-Encoding lists gzip with a non-zero quality. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

export function createApp(options: AppOptions = {}): Hono {
  const own = options.ownMetrics ?? new OwnMetrics();
  const store = options.store ?? new MetricStore({ ownMetricTypes: OWN_METRIC_TYPES });
  const log = options.logger ?? silentLogger;
  const prefix = normalizePrefix(options.routePrefix);
  const telemetryPath = options.telemetryPath ?? '/metrics';
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const startTime = new Date();
  const app = new Hono();
  const r = prefix === '' ? app : app.basePath(prefix);
  if (options.webConfig) app.use('*', webConfigMiddleware(options.webConfig, options.webLog));

  const push = async (c: Context): Promise<Response> => {
    const started = performance.now();
    const method = c.req.method;
    const lower = method.toLowerCase();
    const handler = method === 'DELETE' ? 'delete' : 'push';
    const done = (res: Response, bytes = 0): Response => {
      own.countRequest(res.status, handler, lower);
      if (method !== 'DELETE') own.observePush(lower, (performance.now() - started) / 1000, bytes);
      return res;
    };
    // Under @hono/node-server, read the Node request directly: building a web Request per push
    // costs more than parsing a 50-series body.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const header = (name: string): string | null => {
      if (!incoming) return c.req.header(name) ?? null;
      const v = incoming.headers[name];
      return (Array.isArray(v) ? v[0] : v) ?? null;
    };
    const url = incoming?.url ?? c.req.url;
    const pathStart = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2);
    const q = url.indexOf('?', pathStart);
    const rawPath = url.slice(pathStart + prefix.length + '/metrics'.length, q === -1 ? undefined : q);
    const split = splitPath(rawPath);
    if (!split) return done(plain(c, 400, '400 Bad Request'));
    if (split.segments.length === 0) return done(plain(c, 404, '404 page not found'));
    if (split.cleaned) {
      // Go's router cleans the path and redirects (307 keeps the method and body).
      return done(c.newResponse(null, 307, { Location: `${prefix}/metrics/${split.segments.join('/')}` }));
    }
    let key;
    try {
      key = parseGroupingKey(split.segments);
    } catch (e) {
      if (e instanceof GroupingKeyError) return done(plain(c, e.status, e.message));
      throw e;
    }
    if (method === 'DELETE') {
      store.delete(key);
      log.debug('group deleted', { component: 'handler', group: JSON.stringify(key) });
      return done(c.body(null, 202));
    }
    let families;
    let size = 0;
    try {
      const stream = incoming ?? (c.req.raw.body as unknown as AsyncIterable<Uint8Array> | null);
      const raw = await readBody(stream, header('content-length'), maxBody);
      size = raw.byteLength;
      const body = decodeContent(raw, header('content-encoding'), maxBody);
      families = parseBody(body, header('content-type'));
    } catch (e) {
      if (e instanceof BodyError || e instanceof ExpositionError) {
        const status = e instanceof BodyError ? e.status : 400;
        log.debug('push refused', { component: 'handler', status, err: e.message });
        return done(plain(c, status, e.message), size);
      }
      throw e;
    }
    const result = store.push(method === 'PUT' ? 'PUT' : 'POST', key, families);
    if (!result.ok) {
      log.error('pushed metrics are invalid or inconsistent with existing metrics', {
        component: 'handler',
        method,
        source: header('x-forwarded-for') ?? incoming?.socket.remoteAddress,
        group: JSON.stringify(key),
        err: result.message,
      });
      // With the check disabled the real one answers 202 even when it drops the push.
      return done(store.consistencyCheck ? plain(c, 400, result.message) : c.body(null, 202), size);
    }
    return done(c.body(null, store.consistencyCheck ? 200 : 202), size);
  };

  r.on(['PUT', 'POST', 'DELETE'], '/metrics/*', push);
  r.on(['GET', 'HEAD'], '/metrics/job*', (c) => plain(c, 405, 'Method Not Allowed'));

  r.get(telemetryPath, (c) => {
    const neg = negotiate(c.req.header('accept'));
    const ownFamilies = own.families();
    // Written past Hono below, so the web config's headers are added by hand.
    const extra = options.webConfig?.get()?.headers ?? {};
    const gzip = acceptsGzip(c.req.header('accept-encoding'));
    const head = gzip
      ? { ...extra, 'Content-Type': neg.contentType, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }
      : { ...extra, 'Content-Type': neg.contentType };
    if (neg.format === 'protobuf') {
      const pb = encodeProtobuf(collectFamilies(store, ownFamilies));
      return c.newResponse((gzip ? gzipSync(pb, { level: 1 }) : pb) as Uint8Array<ArrayBuffer>, 200, head);
    }
    const parts = neg.format === 'openmetrics' ? renderOpenMetricsParts(store, ownFamilies) : renderTextParts(store, ownFamilies);
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    // Hono answers HEAD by re-wrapping the GET handler's Response, so it cannot go past Hono.
    if (c.req.method === 'HEAD') return c.newResponse(null, 200, head);
    if (outgoing) {
      let length = 0;
      for (const p of parts) length += p.length;
      if (length >= COLLECT_AFTER_BYTES) outgoing.once('finish', collectGarbageSoon);
      if (gzip) {
        // As promhttp does: gzip whenever the scraper accepts it (Prometheus always does).
        // Fastest level: the scrape is latency-bound, and exposition text compresses well anyway.
        outgoing.writeHead(200, head);
        // Written in ~256 KiB batches: zlib runs each write as a thread-pool task, and one per
        // small cached part costs ~10x the compression itself.
        const gz = createGzip({ level: 1, chunkSize: 64 * 1024 });
        gz.pipe(outgoing);
        let batch: Buffer[] = [];
        let batchBytes = 0;
        for (const p of parts) {
          batch.push(p);
          batchBytes += p.length;
          if (batchBytes >= GZIP_BATCH_BYTES) {
            gz.write(Buffer.concat(batch, batchBytes));
            batch = [];
            batchBytes = 0;
          }
        }
        gz.end(Buffer.concat(batch, batchBytes));
        return RESPONSE_ALREADY_SENT;
      }
      // Hand the cached chunks to the socket as they are: no 15 MB concatenation per scrape.
      outgoing.writeHead(200, { ...head, 'Content-Length': length });
      outgoing.cork();
      for (const p of parts) outgoing.write(p);
      outgoing.end();
      return RESPONSE_ALREADY_SENT;
    }
    if (gzip) return c.newResponse(gzipSync(Buffer.concat(parts), { level: 1 }) as Uint8Array<ArrayBuffer>, 200, head);
    return c.newResponse(Buffer.concat(parts) as Uint8Array<ArrayBuffer>, 200, head);
  });

  r.get('/api/v1/metrics', (c) => {
    own.countRequest(200, 'api/v1/metrics', 'get');
    return c.newResponse(metricsJson(store), 200, { 'Content-Type': 'application/json' });
  });
  r.get('/api/v1/status', (c) => {
    own.countRequest(200, 'api/v1/status', 'get');
    return c.newResponse(statusJson(options.flags ?? {}, startTime, VERSION), 200, { 'Content-Type': 'application/json' });
  });
  if (options.enableAdminApi) {
    r.put('/api/v1/admin/wipe', (c) => {
      store.wipe();
      log.info('all groups wiped', { component: 'api' });
      own.countRequest(202, 'api/v1/admin/wipe', 'put');
      return c.body(null, 202);
    });
  }

  r.get('/-/healthy', (c) => plain(c, 200, 'OK'));
  r.get('/-/ready', (c) => plain(c, 200, 'OK'));
  r.on(['PUT', 'POST'], '/-/quit', (c) => {
    if (!options.enableLifecycle) return plain(c, 403, 'Lifecycle API is not enabled.');
    log.warn('received an HTTP request to quit, shutting down', { component: 'web' });
    setImmediate(() => options.onQuit?.());
    return plain(c, 200, 'Requesting termination... Goodbye!');
  });
  r.get('/-/quit', (c) => plain(c, 405, 'Method Not Allowed'));

  app.get(`${prefix}/`, (c) => c.html(renderPage(store, { prefix, admin: options.enableAdminApi ?? false, version: VERSION })));
  if (prefix !== '') app.get(prefix, (c) => c.redirect(`${prefix}/`, 302));

  app.notFound((c) => plain(c, 404, '404 page not found'));
  app.onError((err, c) => {
    log.error('internal error', { component: 'web', err: err.message });
    return plain(c, 500, `internal error: ${err.message}`);
  });
  return app;
}
