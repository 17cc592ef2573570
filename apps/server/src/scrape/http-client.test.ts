import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpClientConfig } from '../config/types.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { ScrapeHttpError, fetchScrape, tlsAgentOptions } from './http-client.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function target(handler: Parameters<typeof startHttpTarget>[0]): Promise<HttpTarget> {
  const t = await startHttpTarget(handler);
  cleanups.push(() => t.close());
  return t;
}

const client: HttpClientConfig = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: false };
const BODY = Buffer.from('x'.repeat(100_000) + '\n');

function get(t: HttpTarget, extra: { timeoutMs?: number; bodySizeLimit?: number; signal?: AbortSignal } = {}) {
  return fetchScrape({
    url: `http://${t.address}/metrics`,
    accept: 'text/plain',
    timeoutMs: extra.timeoutMs ?? 2000,
    bodySizeLimit: extra.bodySizeLimit ?? 0,
    compression: true,
    client,
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
}

describe('fetchScrape', () => {
  it('reads bodies with and without Content-Length, and gzip, byte for byte', async () => {
    const t = await target((req, res) => {
      if (req.url === '/metrics' && req.headers['accept-encoding'] === 'gzip') {
        const mode = t.requests.length % 3;
        if (mode === 1) res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': BODY.length });
        else if (mode === 2) res.writeHead(200, { 'Content-Type': 'text/plain' });
        else {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
          res.end(gzipSync(BODY));
          return;
        }
        // Several writes, so the body arrives in several chunks.
        for (let i = 0; i < BODY.length; i += 7000) res.write(BODY.subarray(i, i + 7000));
        res.end();
      }
    });
    for (let k = 0; k < 3; k++) {
      const r = await get(t);
      expect(r.body.equals(BODY)).toBe(true);
      expect(r.contentType).toBe('text/plain');
    }
  });

  it('enforces the body size limit on the uncompressed body, announced or not', async () => {
    let announce = true;
    const t = await target((_req, res) => {
      res.writeHead(200, announce ? { 'Content-Length': BODY.length } : {});
      res.end(BODY);
    });
    await expect(get(t, { bodySizeLimit: BODY.length - 1 })).rejects.toThrow(`body size limit exceeded (limit: ${BODY.length - 1} bytes)`);
    expect((await get(t, { bodySizeLimit: BODY.length })).body.length).toBe(BODY.length);
    announce = false;
    await expect(get(t, { bodySizeLimit: 1000 })).rejects.toThrow('body size limit exceeded (limit: 1000 bytes)');
  });

  it('times out with Prometheus\' message and stops when the loop aborts', async () => {
    const t = await target(() => {
      // never answers
    });
    const err = await get(t, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScrapeHttpError);
    expect((err as Error).message).toBe(`Get "http://${t.address}/metrics": context deadline exceeded`);
    const ac = new AbortController();
    const pending = get(t, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toThrow('scrape aborted');
    ac.abort();
    await expect(get(t, { signal: ac.signal })).rejects.toThrow('scrape aborted');
  });

  it('reports HTTP errors and unsupported encodings', async () => {
    const t = await target((req, res) => {
      if (req.url === '/metrics' && t.requests.length === 1) {
        res.writeHead(503);
        res.end('busy');
      } else {
        res.writeHead(200, { 'Content-Encoding': 'br' });
        res.end('zz');
      }
    });
    await expect(get(t)).rejects.toThrow('server returned HTTP status 503 Service Unavailable');
    await expect(get(t)).rejects.toThrow('unsupported Content-Encoding "br"');
  });
});

describe('fetchScrape: redirects, compression limits and bad answers', () => {
  const req = (url: string, over: Partial<Parameters<typeof fetchScrape>[0]> = {}) =>
    fetchScrape({ url, accept: 'text/plain', timeoutMs: 2000, bodySizeLimit: 0, compression: true, client, ...over });

  it('follows redirects as Go does: relative Location, credentials only to the same host, at most 10', async () => {
    const other = await target((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`other auth=${req.headers.authorization ?? 'none'}`);
    });
    const t = await target((req, res) => {
      if (req.url === '/metrics') res.writeHead(302, { Location: '/real?x=1' }).end();
      else if (req.url === '/real?x=1') res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`real auth=${req.headers.authorization ?? 'none'}`);
      else if (req.url === '/away') res.writeHead(301, { Location: `http://localhost:${other.port}/m` }).end();
      else if (req.url?.startsWith('/loop')) res.writeHead(307, { Location: `/loop${Number(req.url.slice(5) || 0) + 1}` }).end();
      else res.writeHead(404).end();
    });
    const withAuth = { ...client, authorization: { type: 'Bearer', credentials: 'sekrit' } };
    expect((await req(`http://${t.address}/metrics`, { client: withAuth })).body.toString()).toBe('real auth=Bearer sekrit');
    expect((await req(`http://${t.address}/away`, { client: withAuth })).body.toString()).toBe('other auth=none');
    await expect(req(`http://${t.address}/loop`)).rejects.toThrow(`Get "http://${t.address}/loop11": stopped after 10 redirects`);
    await expect(req(`http://${t.address}/metrics`, { client: { ...client, follow_redirects: false } })).rejects.toThrow('server returned HTTP status 302 Found');
  });

  it('applies the body size limit to the decompressed body and names bad gzip', async () => {
    const t = await target((req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(req.url === '/bad' ? Buffer.from('not gzip at all') : gzipSync(BODY));
    });
    // BODY compresses to a few hundred bytes: only the decompressed size can hit the limit.
    await expect(req(`http://${t.address}/metrics`, { bodySizeLimit: BODY.length - 1 })).rejects.toThrow(`body size limit exceeded (limit: ${BODY.length - 1} bytes)`);
    expect((await req(`http://${t.address}/metrics`, { bodySizeLimit: BODY.length })).body.equals(BODY)).toBe(true);
    await expect(req(`http://${t.address}/bad`)).rejects.toThrow('decompressing response: incorrect header check');
  });

  it('reports the status of an error page however large its body', async () => {
    const t = await target((_req, res) => {
      res.writeHead(500, 'Internal Server Error', { 'Content-Type': 'text/html' });
      res.end('x'.repeat(1 << 20));
    });
    await expect(req(`http://${t.address}/metrics`, { bodySizeLimit: 1000 })).rejects.toThrow('server returned HTTP status 500 Internal Server Error');
  });

  it('says what was wrong with a target that does not speak HTTP, or refuses connections', async () => {
    // resume(): a socket that never reads would never see the client's close.
    const server = createNetServer((s) => s.resume().end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    await expect(req(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow(`Get "http://127.0.0.1:${port}/metrics": malformed HTTP response "SSH-2.0-OpenSSH_9.2"`);
    const closed = await freePort();
    await expect(req(`http://127.0.0.1:${closed}/metrics`)).rejects.toThrow(`Get "http://127.0.0.1:${closed}/metrics": dial tcp 127.0.0.1:${closed}: connect: connection refused`);
  });

  it('refuses credentials that would break the request apart', async () => {
    const t = await target((_req, res) => res.end('ok'));
    const bad = { ...client, authorization: { type: 'Bearer', credentials: 'a\r\nX-Injected: 1' } };
    await expect(req(`http://${t.address}/metrics`, { client: bad })).rejects.toThrow('net/http: invalid header field value for "Authorization"');
    expect(t.requests).toHaveLength(0);
  });
});

describe('tlsAgentOptions (scrapes, remote write and remote read)', () => {
  it('reads the CA file and maps verification, server name and TLS versions as Prometheus does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-tls-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
      const o = await tlsAgentOptions({ ca_file: join(dir, 'ca.pem'), server_name: 'node1', insecure_skip_verify: true, min_version: 'TLS13' });
      expect(String(o.ca)).toBe('CA PEM');
      expect(o).toMatchObject({ servername: 'node1', rejectUnauthorized: false, minVersion: 'TLSv1.3' });
      const d = await tlsAgentOptions({ insecure_skip_verify: false, max_version: 'TLS12' });
      expect(d).toMatchObject({ rejectUnauthorized: true, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
      await expect(tlsAgentOptions({ ca_file: join(dir, 'missing.pem'), insecure_skip_verify: false })).rejects.toThrow(/missing\.pem/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
