// Scrapes through a real forward proxy: plain HTTP in absolute form on the scrape pool, HTTPS in
// a CONNECT tunnel with the config's TLS, no_proxy, the environment, credentials, http_headers.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasOpenssl, makeTestCerts } from '@promethium/web-toolkit';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import type { HttpClientConfig } from '../config/types.js';
import { NOP_LOGGER } from '../log/logger.js';
import { compileRelabel } from '../relabel/relabel.js';
import { startForwardProxy } from '../testing/forward-proxy.js';
import type { ForwardProxy } from '../testing/forward-proxy.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { TempDB } from '../testing/temp-db.js';
import { fetchScrape } from './http-client.js';
import { closeIdleConnections } from './http1-pool.js';
import { environmentResolver } from './proxy-resolver.js';
import { ScrapeLoop } from './scrape-loop.js';
import { ScrapeMetrics } from './scrape-metrics.js';
import { Target, populateTargetLabels } from './target.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  closeIdleConnections();
});

async function target(): Promise<HttpTarget> {
  const t = await startHttpTarget((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('# TYPE via_proxy gauge\nvia_proxy 42\n');
  });
  cleanups.push(() => t.close());
  return t;
}

async function proxy(opts: Parameters<typeof startForwardProxy>[0] = {}): Promise<ForwardProxy> {
  const p = await startForwardProxy({ hosts: { 'target.test': '127.0.0.1' }, ...opts });
  cleanups.push(() => p.close());
  return p;
}

function client(extra: Partial<HttpClientConfig>): HttpClientConfig {
  return { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, ...extra };
}

function scrape(url: string, cfg: HttpClientConfig): Promise<string> {
  return fetchScrape({ url, accept: 'text/plain', timeoutMs: 5000, bodySizeLimit: 0, compression: false, client: cfg }).then((r) => r.body.toString());
}

function configFrom(jobYaml: string) {
  return parseConfig(`scrape_configs:\n  - job_name: test\n    scrape_interval: 1s\n    scrape_timeout: 500ms\n${jobYaml}`, 'test.yml').config.scrape_configs[0]!;
}

async function loopFor(address: string, jobYaml: string) {
  const storage = await TempDB.open();
  cleanups.push(() => storage.close());
  const cfg = configFrom(jobYaml);
  const pop = populateTargetLabels({ __address__: address }, {}, cfg, cfg.relabel_configs.map(compileRelabel));
  const t = new Target(pop.labels!, pop.discovered, cfg.job_name, cfg.params);
  const loop = new ScrapeLoop({ target: t, config: cfg, metricRelabel: [], appendable: storage, logger: NOP_LOGGER, metrics: new ScrapeMetrics(), offsetSeed: 0 });
  cleanups.push(() => loop.stop(false));
  return { loop, storage, target: t };
}

describe('scrapes through proxy_url', () => {
  it('sends plain HTTP in absolute form to the proxy; up=1 with the samples', async () => {
    const t = await target();
    const p = await proxy();
    // target.test resolves only inside the proxy: the scrape cannot have gone direct.
    const { loop, storage, target: tg } = await loopFor(`target.test:${t.port}`, `    proxy_url: ${p.url}\n`);
    await loop.scrapeOnce(1_000_000);
    expect(tg.lastError).toBe('');
    expect(storage.find('up')[0]!.samples).toEqual([[1_000_000, 1]]);
    expect(storage.find('via_proxy')[0]!.samples).toEqual([[1_000_000, 42]]);
    expect(p.seen).toHaveLength(1);
    expect(p.seen[0]).toMatchObject({ method: 'GET', target: `http://target.test:${t.port}/metrics` });
    expect(p.seen[0]!.headers.host).toBe(`target.test:${t.port}`);
    expect(p.seen[0]!.headers['proxy-authorization']).toBeUndefined();
    // A second scrape reuses the pooled connection to the proxy.
    await loop.scrapeOnce(1_015_000);
    expect(p.seen).toHaveLength(2);
    expect(t.requests).toHaveLength(2);
  });

  it('keeps the connections to the proxy for the next scrapes of every target', async () => {
    const t = await target();
    const p = await proxy();
    const cfg = client({ proxy_url: p.url });
    // Eight targets scraped at once (distinct paths stand for distinct targets behind one proxy).
    const round = (): Promise<string[]> => Promise.all(Array.from({ length: 8 }, (_v, i) => scrape(`http://target.test:${t.port}/metrics?t=${i}`, cfg)));
    await round();
    expect(p.connections()).toBe(8);
    await round();
    await round();
    expect(p.seen).toHaveLength(24);
    expect(p.connections()).toBe(8);
  });

  it('sends Proxy-Authorization from the proxy URL userinfo, and the proxy answer counts', async () => {
    const t = await target();
    const auth = `Basic ${Buffer.from('alice:s3cr:t').toString('base64')}`;
    const p = await proxy({ requireAuth: auth });
    const url = `http://target.test:${t.port}/metrics`;
    expect(await scrape(url, client({ proxy_url: `http://alice:s3cr%3At@127.0.0.1:${p.port}` }))).toContain('via_proxy 42');
    expect(p.seen[0]!.headers['proxy-authorization']).toBe(auth);
    await expect(scrape(url, client({ proxy_url: `http://alice:wrong@127.0.0.1:${p.port}` }))).rejects.toThrow('server returned HTTP status 407 Proxy Authentication Required');
  });

  it('says proxyconnect when the proxy cannot be reached', async () => {
    const port = await freePort();
    const { loop, storage, target: tg } = await loopFor('target.test:9100', `    proxy_url: http://127.0.0.1:${port}\n`);
    await loop.scrapeOnce(1_000_000);
    expect(tg.lastError).toBe(`Get "http://target.test:9100/metrics": proxyconnect tcp: dial tcp 127.0.0.1:${port}: connect: connection refused`);
    expect(storage.find('up')[0]!.samples).toEqual([[1_000_000, 0]]);
  });

  it('goes direct for no_proxy hosts, domains and CIDRs', async () => {
    const t = await target();
    const p = await proxy();
    for (const noProxy of ['127.0.0.0/8', 'example.com', '127.0.0.1']) {
      // A loopback target is never proxied once no_proxy is set (Go's httpproxy), whatever it lists.
      expect(await scrape(`http://127.0.0.1:${t.port}/metrics`, client({ proxy_url: p.url, no_proxy: noProxy }))).toContain('via_proxy');
    }
    expect(p.seen).toHaveLength(0);
    // A host outside no_proxy still goes through the proxy.
    expect(await scrape(`http://target.test:${t.port}/metrics`, client({ proxy_url: p.url, no_proxy: 'example.com,10.0.0.0/8' }))).toContain('via_proxy');
    expect(p.seen).toHaveLength(1);
  });

  it('sends http_headers (values, secrets, files re-read) to the target', async () => {
    const t = await target();
    const p = await proxy();
    const dir = mkdtempSync(join(tmpdir(), 'pm-hdr-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'token');
    writeFileSync(file, 'first\n');
    const cfg = client({ http_headers: { 'X-Tenant': { values: ['a', 'b'], secrets: ['s'], files: [] }, 'X-Token': { values: [], secrets: [], files: [file] } } });
    await scrape(`http://127.0.0.1:${t.port}/metrics`, cfg);
    writeFileSync(file, 'second\n');
    await scrape(`http://target.test:${t.port}/metrics`, { ...cfg, proxy_url: p.url });
    expect(t.requests.map((r) => r.headers['x-token'])).toEqual(['first', 'second']);
    expect(t.requests[0]!.headers['x-tenant']).toBe('a, b, s');
    expect(t.requests[1]!.headers['x-tenant']).toBe('a, b, s');
    rmSync(file);
    await expect(scrape(`http://127.0.0.1:${t.port}/metrics`, cfg)).rejects.toThrow(`unable to read headers file ${file}`);
  });
});

describe('proxy_from_environment', () => {
  it('uses HTTP_PROXY for http and HTTPS_PROXY for https, NO_PROXY and loopback direct', () => {
    const r = environmentResolver({ HTTP_PROXY: 'proxy.corp:3128', https_proxy: 'http://u:p@secure.corp:8080', NO_PROXY: '.internal,10.0.0.0/8' });
    expect(r(new URL('http://app.example:9100/metrics'))?.address).toBe('proxy.corp:3128');
    expect(r(new URL('https://app.example/metrics'))).toMatchObject({ address: 'secure.corp:8080', authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
    expect(r(new URL('http://db.internal:9100/'))).toBeUndefined();
    expect(r(new URL('http://10.1.2.3:9100/'))).toBeUndefined();
    expect(r(new URL('http://localhost:9100/'))).toBeUndefined();
    expect(environmentResolver({})(new URL('http://app.example/'))).toBeUndefined();
  });

  it('scrapes through the proxy named by HTTP_PROXY in a child process', async () => {
    const t = await target();
    const p = await proxy();
    const script = [
      "import { fetchScrape } from './src/scrape/http-client.ts';",
      `const r = await fetchScrape({ url: 'http://target.test:${t.port}/metrics', accept: '*/*', timeoutMs: 5000, bodySizeLimit: 0, compression: false,`,
      "  client: { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: true } });",
      'process.stdout.write(r.body.toString()); process.exit(0);',
    ].join('\n');
    const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '--conditions=@promethium/source', '--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '../..'),
        env: { ...process.env, HTTP_PROXY: p.url, NO_PROXY: '' },
      });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      c.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toContain('via_proxy 42');
    expect(p.seen.map((s) => s.target)).toEqual([`http://target.test:${t.port}/metrics`]);
  }, 30_000);
});

describe.skipIf(!hasOpenssl)('https targets through a CONNECT tunnel', () => {
  it('tunnels with proxy_connect_header and the config tls_config; unknown CA still fails as Go says', async () => {
    const certs = makeTestCerts();
    cleanups.push(() => rmSync(certs.dir, { recursive: true, force: true }));
    const server = createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, (_q, r) => r.end('tls_via_proxy 1\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const port = (server.address() as AddressInfo).port;
    const p = await proxy({ requireAuth: `Basic ${Buffer.from('bob:pw').toString('base64')}` });
    const url = `https://target.test:${port}/metrics`;
    const cfg = client({
      proxy_url: `http://bob:pw@127.0.0.1:${p.port}`,
      proxy_connect_header: { 'X-Proxy-Team': ['obs', 'infra'] },
      tls_config: { ca_file: certs.ca, server_name: 'localhost', insecure_skip_verify: false },
    });
    expect(await scrape(url, cfg)).toBe('tls_via_proxy 1\n');
    expect(p.seen[0]).toMatchObject({ method: 'CONNECT', target: `target.test:${port}` });
    // The tunnel is a keep-alive connection of the agent: the next scrape reuses it.
    expect(await scrape(url, cfg)).toBe('tls_via_proxy 1\n');
    expect(p.seen).toHaveLength(1);
    expect(p.seen[0]!.headers['x-proxy-team']).toBe('obs, infra');
    await expect(scrape(url, { ...cfg, tls_config: { server_name: 'localhost', insecure_skip_verify: false } })).rejects.toThrow('x509: certificate signed by unknown authority');
    await expect(scrape(url, { ...cfg, proxy_url: `http://127.0.0.1:${p.port}` })).rejects.toThrow(`Get "${url}": Proxy Authentication Required`);
  });
});
