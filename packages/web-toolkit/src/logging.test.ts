// What the web layer logs: failed logins without the password, TLS handshake errors once per
// client address per interval instead of once per connection.
import { Hono } from 'hono';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './authenticator.js';
import { webConfigMiddleware } from './middleware.js';
import { serveWeb, TlsErrorLog, type WebServer } from './serve.js';
import { hasOpenssl, makeCerts, type TestCerts } from './test-certs.js';
import { WebConfigSource } from './web-config-source.js';

type Line = [string, string, Record<string, string> | undefined];

describe('failed basic auth', () => {
  it('is logged with the user and path, never the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-weblog-'));
    const file = join(dir, 'web.yml');
    writeFileSync(file, `basic_auth_users:\n  alice: ${hashPassword('right-one', 4)}\n`);
    const lines: Line[] = [];
    const app = new Hono();
    app.use('*', webConfigMiddleware(new WebConfigSource(file), (l, m, f) => lines.push([l, m, f])));
    app.get('/x', (c) => c.text('ok'));
    const basic = (cred: string): Record<string, string> => ({ Authorization: `Basic ${Buffer.from(cred).toString('base64')}` });
    expect((await app.request('/x', { headers: basic('alice:Hunter2-WRONG') })).status).toBe(401);
    expect((await app.request('/x', { headers: basic('nobody:Hunter3-WRONG') })).status).toBe(401);
    expect((await app.request('/x', { headers: basic('alice:right-one') })).status).toBe(200);
    expect(lines).toEqual([
      ['warn', 'Unauthorized request', { user: 'alice', path: '/x' }],
      ['warn', 'Unauthorized request', { user: 'nobody', path: '/x' }],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/Hunter|right-one/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('TlsErrorLog', () => {
  it('logs the first error per client, then one per interval with the suppressed count', () => {
    let now = 0;
    const lines: Line[] = [];
    const log = new TlsErrorLog((l, m, f) => lines.push([l, m, f]), 1000, () => now);
    for (let i = 0; i < 5; i++) log.report('10.0.0.1', 'bad certificate');
    log.report('10.0.0.2', 'bad certificate');
    expect(lines.map((l) => l[2])).toEqual([
      { client: '10.0.0.1', err: 'bad certificate' },
      { client: '10.0.0.2', err: 'bad certificate' },
    ]);
    now = 1500;
    log.report('10.0.0.1', 'bad certificate');
    expect(lines[2]![2]).toEqual({ client: '10.0.0.1', err: 'bad certificate', suppressed: '4' });
  });
});

describe.skipIf(!hasOpenssl)('TLS handshake errors on a real server', () => {
  let certs: TestCerts;
  let web: WebServer;
  const lines: Line[] = [];
  beforeAll(async () => {
    certs = makeCerts();
    const file = join(certs.dir, 'web.yml');
    writeFileSync(file, 'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n');
    const source = new WebConfigSource(file);
    web = await serveWeb({ fetch: () => new Response('ok'), hostname: '127.0.0.1', port: 0, source, log: (l, m, f) => lines.push([l, m, f]) });
  });
  afterAll(async () => {
    await web?.close();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  // Plain HTTP sent to the TLS port: the handshake fails on the server.
  const plainHttp = (): Promise<void> =>
    new Promise((resolve) => {
      const s = connect(web.address().port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });

  it('writes one line for many failed connections from one client', async () => {
    for (let i = 0; i < 8; i++) await plainHttp();
    const tls = lines.filter((l) => l[1] === 'TLS handshake error');
    expect(tls).toHaveLength(1);
    expect(tls[0]![2]).toMatchObject({ client: '127.0.0.1' });
    expect(tls[0]![2]!.err).toMatch(/http request|wrong version|unknown protocol/i);
  });
});
