// The https agent per tls_config: shared while the files stay, renewed when one is rotated.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpClientConfig } from '../config/types.js';
import { authorizationHeader, httpsAgent } from './http-client.js';

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
