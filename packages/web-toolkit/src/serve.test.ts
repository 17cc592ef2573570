import bcrypt from 'bcryptjs';
import { Hono } from 'hono';
import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWeb, WebConfigSource, webConfigMiddleware, type WebServer } from './index.js';
import { hasOpenssl, makeCerts, type TestCerts } from './test-certs.js';

function app(source: WebConfigSource): Hono {
  const a = new Hono();
  a.use('*', webConfigMiddleware(source));
  a.get('/hello', (c) => c.text('hello'));
  return a;
}

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, certs: TestCerts, opts: { auth?: string; client?: boolean } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/hello',
        ca: certs.ca,
        auth: opts.auth,
        ...(opts.client ? { cert: certs.clientCert, key: certs.clientKey } : {}),
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!hasOpenssl)('HTTPS with basic auth from --web.config.file', () => {
  let certs: TestCerts;
  let file: string;
  let web: WebServer;
  const logs: string[] = [];
  const hashOf = (pw: string): string => bcrypt.hashSync(pw, 4);

  beforeAll(async () => {
    const { readFileSync } = await import('node:fs');
    const made = makeCerts();
    certs = { ...made, ca: readFileSync(made.ca, 'utf8') };
    certs.clientCert = readFileSync(made.clientCert, 'utf8');
    certs.clientKey = readFileSync(made.clientKey, 'utf8');
    file = join(made.dir, 'web.yml');
    writeFileSync(
      file,
      `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\nbasic_auth_users:\n  alice: ${hashOf('secret')}\n`,
    );
    const source = new WebConfigSource(file, (_l, msg, f) => logs.push(`${msg} ${JSON.stringify(f)}`));
    web = await serveWeb({ fetch: app(source).fetch, hostname: '127.0.0.1', port: 0, source });
  });
  afterAll(async () => {
    await web?.close();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('serves TLS and asks for credentials with 401 + WWW-Authenticate', async () => {
    expect(web.tls).toBe(true);
    const r = await get(web.address().port, certs);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Basic');
    expect(r.headers['x-frame-options']).toBe('deny');
  });
  it('accepts the right password and refuses a wrong one or an unknown user', async () => {
    expect((await get(web.address().port, certs, { auth: 'alice:secret' })).body).toBe('hello');
    expect((await get(web.address().port, certs, { auth: 'alice:wrong' })).status).toBe(401);
    expect((await get(web.address().port, certs, { auth: 'mallory:secret' })).status).toBe(401);
    expect(logs.join('\n')).not.toContain('wrong');
  });
  it('rotates credentials without a restart, and keeps the old file when the new one is bad', async () => {
    writeFileSync(file, `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\nbasic_auth_users:\n  bob: ${hashOf('pw2')}\n`);
    expect((await get(web.address().port, certs, { auth: 'bob:pw2' })).status).toBe(200);
    expect((await get(web.address().port, certs, { auth: 'alice:secret' })).status).toBe(401);
    writeFileSync(file, 'basic_auth_users:\n  bob: not-a-hash-at-all\n');
    expect((await get(web.address().port, certs, { auth: 'bob:pw2' })).status).toBe(200);
    expect(logs.join('\n')).toContain('Bad web config file on reload, keeping the previous one');
  });
});

describe.skipIf(!hasOpenssl)('client certificate policies', () => {
  let certs: TestCerts;
  let web: WebServer;
  beforeAll(async () => {
    const { readFileSync } = await import('node:fs');
    const made = makeCerts();
    const file = join(made.dir, 'web.yml');
    writeFileSync(file, 'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n');
    certs = { ...made, ca: readFileSync(made.ca, 'utf8'), clientCert: readFileSync(made.clientCert, 'utf8'), clientKey: readFileSync(made.clientKey, 'utf8') };
    const source = new WebConfigSource(file);
    web = await serveWeb({ fetch: app(source).fetch, hostname: '127.0.0.1', port: 0, source });
  });
  afterAll(async () => {
    await web?.close();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('refuses a client without a certificate and serves one with a CA-signed certificate', async () => {
    await expect(get(web.address().port, certs)).rejects.toThrow();
    expect((await get(web.address().port, certs, { client: true })).body).toBe('hello');
  });
});
