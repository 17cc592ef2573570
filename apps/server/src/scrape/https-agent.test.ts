// The https agent per tls_config: shared while the files stay, renewed when one is rotated.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpClientConfig } from '../config/types.js';
import { hasOpenssl, makeTestCerts } from '@promethium/web-toolkit';
import { authorizationHeader } from './config-headers.js';
import { fetchScrape, httpsAgent } from './http-client.js';

describe('httpsAgent', () => {
  it('reuses the agent for one config and makes a new one when the CA file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-agent-'));
    try {
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, 'not checked until a handshake');
      const cfg: HttpClientConfig = { tls_config: { ca_file: ca, insecure_skip_verify: false }, follow_redirects: true, enable_http2: true };
      const a = await httpsAgent(cfg);
      expect(await httpsAgent(cfg)).toBe(a);
      expect(a.options.minVersion).toBe('TLSv1.2');
      utimesSync(ca, new Date(), new Date(Date.now() + 5000));
      const b = await httpsAgent(cfg);
      expect(b).not.toBe(a);
      expect(await httpsAgent(cfg)).toBe(b);
      const tls13 = await httpsAgent({ ...cfg, tls_config: { ...cfg.tls_config, min_version: 'TLS13' } });
      expect(tls13.options.minVersion).toBe('TLSv1.3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('authorizationHeader', () => {
  it('re-reads password_file and credentials_file on every call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-auth-'));
    try {
      const pw = join(dir, 'pw');
      writeFileSync(pw, 'first\n');
      const basic: HttpClientConfig = { basic_auth: { username: 'u', password_file: pw }, tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true };
      expect(await authorizationHeader(basic)).toBe(`Basic ${Buffer.from('u:first').toString('base64')}`);
      writeFileSync(pw, 'second\n');
      expect(await authorizationHeader(basic)).toBe(`Basic ${Buffer.from('u:second').toString('base64')}`);
      writeFileSync(join(dir, 'token'), 'abc\n');
      const bearer: HttpClientConfig = { authorization: { type: 'Bearer', credentials_file: join(dir, 'token') }, tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true };
      expect(await authorizationHeader(bearer)).toBe('Bearer abc');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasOpenssl)('certificate errors in lastError', () => {
  it("say what Prometheus says, and what to do", async () => {
    const certs = makeTestCerts();
    const server = createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, (_q, r) => r.end('x 1\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const scrape = (tls: HttpClientConfig['tls_config']): Promise<string> =>
      fetchScrape({ url, accept: '*/*', timeoutMs: 5000, bodySizeLimit: 0, compression: true, client: { tls_config: tls, follow_redirects: true, enable_http2: true } }).then(
        (r) => r.body.toString(),
        (e: Error) => e.message,
      );
    try {
      expect(await scrape({ insecure_skip_verify: false })).toMatch(/^Get "https:\/\/127\.0\.0\.1:\d+\/metrics": x509: certificate signed by unknown authority \(.*set tls_config\.ca_file/);
      expect(await scrape({ ca_file: certs.ca, server_name: 'wrong.example', insecure_skip_verify: false })).toMatch(/wrong\.example.*altnames/);
      expect(await scrape({ ca_file: certs.ca, insecure_skip_verify: false })).toBe('x 1\n');
    } finally {
      server.close();
      rmSync(certs.dir, { recursive: true, force: true });
    }
  });
});
