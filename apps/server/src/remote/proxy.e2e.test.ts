// remote_write and remote_read through an HTTP proxy: the real binary sends its samples through
// proxy_url (with http_headers) to a receiver whose host name only the proxy resolves; the
// clients say "proxyconnect" when the proxy is down.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer } from '../testing/child-server.js';
import type { Child } from '../testing/child-server.js';
import { startForwardProxy } from '../testing/forward-proxy.js';
import type { ForwardProxy } from '../testing/forward-proxy.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { startTestReceiver } from '../testing/remote-receiver.js';
import type { TestReceiver } from '../testing/remote-receiver.js';
import { waitFor } from '../testing/wait.js';
import { ReadClient, RemoteReadError } from './read-client.js';
import { RecoverableWriteError, WriteClient } from './write-client.js';

const client = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true };

describe('remote_write through proxy_url', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-rw-proxy-'));
  let target: HttpTarget;
  let receiver: TestReceiver;
  let proxy: ForwardProxy;
  let child: Child | undefined;
  beforeAll(async () => {
    target = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('proxied_gauge 7\n');
    });
    receiver = await startTestReceiver();
    proxy = await startForwardProxy({ hosts: { 'receiver.test': '127.0.0.1' }, requireAuth: `Basic ${Buffer.from('rw:pw').toString('base64')}` });
  });
  afterAll(async () => {
    child?.proc.kill('SIGKILL');
    await child?.exited;
    await Promise.all([target.close(), receiver.close(), proxy.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the samples through the proxy with http_headers', async () => {
    const port = await freePort();
    const url = receiver.url.replace('127.0.0.1', 'receiver.test');
    writeFileSync(join(dir, 'tenant'), 'team-a\n');
    writeFileSync(
      join(dir, 'p.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: r\n    static_configs:\n      - targets: ['${target.address}']\n` +
        `remote_write:\n  - url: ${url}\n    proxy_url: http://rw:pw@127.0.0.1:${proxy.port}\n    http_headers:\n      X-Scope-OrgID:\n        files: [tenant]\n    queue_config:\n      batch_send_deadline: 100ms\n`,
    );
    child = runServer([`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`]);
    await waitFor(() => receiver.samples.filter((s) => s.series.startsWith('__name__="proxied_gauge"')).length, (n) => n >= 1, 20_000);
    expect(receiver.protocolErrors).toEqual([]);
    expect(receiver.lastHeaders?.['x-scope-orgid']).toBe('team-a');
    const posts = proxy.seen.filter((s) => s.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts[0]!.target).toBe(url);
  }, 40_000);
});

describe('remote clients when the proxy is down', () => {
  it('say proxyconnect, as Go does', async () => {
    const port = await freePort();
    const proxied = { ...client, proxy_url: `http://127.0.0.1:${port}` };
    const w = new WriteClient({ url: 'http://receiver.test:9201/api/v1/write', timeoutMs: 5000, headers: {}, client: proxied, maxSockets: 1 });
    const err = await w.store(new Uint8Array([1])).catch((e: unknown) => e);
    w.close();
    expect(err).toBeInstanceOf(RecoverableWriteError);
    expect((err as Error).message).toBe(`Post "http://receiver.test:9201/api/v1/write": proxyconnect tcp: dial tcp 127.0.0.1:${port}: connect: connection refused`);
    const r = new ReadClient({ ...proxied, url: 'https://reader.test/api/v1/read', remote_timeout: 5000, headers: {}, read_recent: true, required_matchers: {}, filter_external_labels: true });
    const rerr = await r.read({ startTimestampMs: 0, endTimestampMs: 1, matchers: [] }).catch((e: unknown) => e);
    r.close();
    expect(rerr).toBeInstanceOf(RemoteReadError);
    expect((rerr as Error).message).toBe(`Post "https://reader.test/api/v1/read": proxyconnect tcp: dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  it('remote read goes through the proxy too', async () => {
    const upstream = await startHttpTarget((_req, res) => res.writeHead(503).end('read unavailable'));
    const proxy = await startForwardProxy({ hosts: { 'reader.test': '127.0.0.1' } });
    try {
      const r = new ReadClient({ ...client, proxy_url: proxy.url, url: `http://reader.test:${upstream.port}/api/v1/read`, remote_timeout: 5000, headers: {}, read_recent: true, required_matchers: {}, filter_external_labels: true });
      const err = await r.read({ startTimestampMs: 0, endTimestampMs: 1, matchers: [] }).catch((e: unknown) => e);
      r.close();
      expect((err as Error).message).toContain('returned HTTP status 503');
      expect(proxy.seen.map((s) => s.target)).toEqual([`http://reader.test:${upstream.port}/api/v1/read`]);
    } finally {
      await Promise.all([upstream.close(), proxy.close()]);
    }
  });
});
