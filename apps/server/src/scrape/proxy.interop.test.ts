// Debian's real Prometheus and our server with one config: targets reached only through a real
// forward proxy (plain HTTP in absolute form, HTTPS in a CONNECT tunnel with tls_config) are up
// in both, and a dead proxy gives both the same lastError.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hasOpenssl, makeTestCerts, type TestCerts } from '@promethium/web-toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from '../cli/server-flags.js';
import { NOP_LOGGER } from '../log/logger.js';
import { PromethiumServer } from '../server.js';
import { startForwardProxy, type ForwardProxy } from '../testing/forward-proxy.js';
import { freePort, startHttpTarget, type HttpTarget } from '../testing/http-target.js';
import { waitFor } from '../testing/wait.js';

const PROMETHEUS = '/usr/bin/prometheus';

interface ApiTarget {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}

describe.skipIf(!existsSync(PROMETHEUS) || !hasOpenssl)('scraping through a proxy, side by side with Prometheus', () => {
  let certs: TestCerts;
  let plain: HttpTarget;
  let secure: Server;
  let proxy: ForwardProxy;
  let prom: ChildProcess | undefined;
  let server: PromethiumServer | undefined;
  let promBase = '';
  let ourBase = '';

  beforeAll(async () => {
    certs = makeTestCerts();
    plain = await startHttpTarget((_q, r) => r.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end('proxied 1\n'));
    secure = createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, (_q, r) => r.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end('proxied 2\n'));
    await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
    proxy = await startForwardProxy({ hosts: { 'target.test': '127.0.0.1' } });
    const dead = await freePort();
    const securePort = (secure.address() as AddressInfo).port;
    const job = (name: string, target: string, lines: string[]): string =>
      `  - job_name: ${name}\n${lines.map((l) => `    ${l}\n`).join('')}    static_configs: [{ targets: ['${target}'] }]\n`;
    writeFileSync(
      join(certs.dir, 'prometheus.yml'),
      'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n' +
        job('http_via_proxy', `target.test:${plain.port}`, [`proxy_url: ${proxy.url}`]) +
        job('https_via_proxy', `target.test:${securePort}`, ['scheme: https', `proxy_url: ${proxy.url}`, 'tls_config: { ca_file: ca.pem, server_name: localhost }']) +
        job('http_dead_proxy', `target.test:${plain.port}`, [`proxy_url: http://127.0.0.1:${dead}`]) +
        job('https_dead_proxy', `target.test:${securePort}`, ['scheme: https', `proxy_url: http://127.0.0.1:${dead}`]),
        // (no_proxy and proxy_connect_header came after Debian's Prometheus 2.42: tested on ours alone)
    );
    const promPort = await freePort();
    prom = spawn(PROMETHEUS, [`--config.file=${join(certs.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(certs.dir, 'prom-data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
    promBase = `http://127.0.0.1:${promPort}`;
    const parsed = parseServerFlags([`--config.file=${join(certs.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(certs.dir, 'data')}`, '--web.listen-address=127.0.0.1:0']);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    ourBase = `http://127.0.0.1:${server.address().port}`;
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    prom?.kill('SIGKILL');
    await Promise.all([plain?.close(), proxy?.close(), new Promise<void>((r) => (secure ? secure.close(() => r()) : r()))]);
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  const targets = async (base: string): Promise<Record<string, { health: string; lastError: string }>> => {
    try {
      const body = (await (await fetch(`${base}/api/v1/targets`)).json()) as { data: { activeTargets: ApiTarget[] } };
      return Object.fromEntries(body.data.activeTargets.map((t) => [t.labels.job!, { health: t.health, lastError: t.lastError }]));
    } catch {
      return {};
    }
  };
  const settled = (ts: Record<string, { health: string }>): boolean => Object.keys(ts).length === 4 && Object.values(ts).every((t) => t.health !== 'unknown');

  it('reports the same health and errors as Prometheus', async () => {
    const theirs = await waitFor(() => targets(promBase), settled, 20_000);
    const ours = await waitFor(() => targets(ourBase), settled, 20_000);
    expect(theirs.http_via_proxy).toEqual({ health: 'up', lastError: '' });
    expect(theirs.https_via_proxy).toEqual({ health: 'up', lastError: '' });
    expect(ours).toEqual(theirs);
    expect(proxy.seen.some((s) => s.method === 'CONNECT')).toBe(true);
  }, 45_000);
});
