// --web.config.file on the Pushgateway: basic auth, TLS and headers from exporter-toolkit's
// file, gzip on /metrics, and a bad file refused at start with file:line: reason.
import bcrypt from 'bcryptjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hasOpenssl, makeTestCerts, type TestCerts } from '@promethium/web-toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from './app.js';
import { createLogger } from './logger.js';
import { createPushgateway, type Pushgateway } from './pushgateway.js';

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function call(url: string, opts: { method?: string; ca?: string; auth?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {}, ...(opts.ca ? { ca: opts.ca } : {}), ...(opts.auth ? { auth: opts.auth } : {}), agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe.skipIf(!hasOpenssl)('pushgateway with --web.config.file (TLS + basic auth)', () => {
  let certs: TestCerts;
  let ca: string;
  let pg: Pushgateway;
  let base: string;
  const logs: string[] = [];

  beforeAll(async () => {
    certs = makeTestCerts();
    ca = readFileSync(certs.ca, 'utf8');
    const file = join(certs.dir, 'web.yml');
    writeFileSync(
      file,
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n' +
        `basic_auth_users:\n  pusher: ${bcrypt.hashSync('push-secret', 4)}\n` +
        'http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n',
    );
    pg = createPushgateway({
      listenAddress: '127.0.0.1:0',
      webConfigFile: file,
      logger: createLogger({ level: 'info', write: (l) => logs.push(l) }),
    });
    base = (await pg.listen()).url;
  });
  afterAll(async () => {
    await pg?.close();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('listens over TLS', () => {
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });
  it('answers 401 with WWW-Authenticate without credentials, on every endpoint', async () => {
    for (const path of ['/metrics', '/-/healthy', '/api/v1/metrics', '/']) {
      const r = await call(`${base}${path}`, { ca });
      expect(r.status, path).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Basic');
    }
    const push = await call(`${base}/metrics/job/x`, { ca, method: 'PUT', body: 'm 1\n' });
    expect(push.status).toBe(401);
    expect(pg.store.groups().length).toBe(0);
  });
  it('refuses a wrong password and logs the user but never the password', async () => {
    const r = await call(`${base}/metrics`, { ca, auth: 'pusher:guess-XYZZY' });
    expect(r.status).toBe(401);
    const log = logs.join('\n');
    expect(log).toContain('Unauthorized request');
    expect(log).toContain('user=pusher');
    expect(log).not.toContain('XYZZY');
  });
  it('accepts a push and serves it gzipped with the configured headers', async () => {
    const auth = 'pusher:push-secret';
    const put = await call(`${base}/metrics/job/batch`, { ca, auth, method: 'PUT', body: 'batch_done 1\n' });
    expect(put.status).toBe(200);
    const gz = await call(`${base}/metrics`, { ca, auth, headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['x-content-type-options']).toBe('nosniff');
    expect(gunzipSync(gz.body).toString()).toContain('batch_done{instance="",job="batch"} 1');
    const plain = await call(`${base}/metrics`, { ca, auth });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.body.toString()).toContain('batch_done{instance="",job="batch"} 1');
  });
  it('refuses a client that does not trust the CA', async () => {
    await expect(call(`${base}/-/healthy`)).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });
});

describe('gzip negotiation', () => {
  it('follows Accept-Encoding', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('identity, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
  it('serves plain text without TLS when asked for gzip', async () => {
    const pg = createPushgateway({ listenAddress: '127.0.0.1:0' });
    try {
      const { url } = await pg.listen();
      await call(`${url}/metrics/job/j`, { method: 'PUT', body: 'x 2\n' });
      const r = await call(`${url}/metrics`, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
      expect(r.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(r.body).toString()).toContain('x{instance="",job="j"} 2');
      const pb = await call(`${url}/metrics`, {
        headers: { 'Accept-Encoding': 'gzip', Accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' },
      });
      expect(pb.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(pb.body).includes(Buffer.from('job'))).toBe(true);
      const head = await call(`${url}/metrics`, { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } });
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
    } finally {
      await pg.close();
    }
  });
});

describe('gzip of a large /metrics', () => {
  it('decompresses to exactly the identity body across compression batches', async () => {
    const pg = createPushgateway({ listenAddress: '127.0.0.1:0' });
    try {
      const { url } = await pg.listen();
      for (let g = 0; g < 40; g++) {
        let body = '# TYPE wide gauge\n';
        for (let i = 0; i < 300; i++) body += `wide{series="s${i}",pad="${'x'.repeat(20)}"} ${g * 1000 + i}\n`;
        expect((await call(`${url}/metrics/job/wide/instance/i${g}`, { method: 'PUT', body })).status).toBe(200);
      }
      const plain = await call(`${url}/metrics`);
      expect(plain.body.length).toBeGreaterThan(3 * 256 * 1024);
      const gz = await call(`${url}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      // Own metrics (push times, request counts) move between the two scrapes: compare the groups.
      const groups = (b: string): string => b.split('\n').filter((l) => l.startsWith('wide')).join('\n');
      expect(groups(gunzipSync(gz.body).toString())).toBe(groups(plain.body.toString()));
    } finally {
      await pg.close();
    }
  });
});

describe('a bad web config file', () => {
  const MAIN = join(import.meta.dirname, 'main.ts');
  it('stops the start with file, line and reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-badweb-'));
    const file = join(dir, 'web.yml');
    writeFileSync(file, 'basic_auth_users:\n  alice: $2y$10$short\n');
    try {
      const r = spawnSync(process.execPath, ['--conditions=@promethium/source', '--import', 'tsx', MAIN, '--web.listen-address=127.0.0.1:0', `--web.config.file=${file}`], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${file}:2:`);
      expect(r.stderr).toContain('not a bcrypt hash');
      writeFileSync(file, 'tls_server_config:\n  cert_file: /nonexistent/server.pem\n  key_file: /nonexistent/server.key\nextra: 1\n');
      const r2 = spawnSync(process.execPath, ['--conditions=@promethium/source', '--import', 'tsx', MAIN, '--web.listen-address=127.0.0.1:0', `--web.config.file=${file}`], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r2.status).toBe(1);
      expect(r2.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
