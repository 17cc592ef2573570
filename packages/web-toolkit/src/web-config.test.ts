import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadWebConfig, parseWebConfig } from './index.js';
import { hasOpenssl, makeCerts } from './test-certs.js';

const HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';
const dir = mkdtempSync(join(tmpdir(), 'pm-wc-'));
writeFileSync(join(dir, 'cert.pem'), 'x');
writeFileSync(join(dir, 'key.pem'), 'x');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fails(text: string): ConfigError {
  try {
    parseWebConfig(text, join(dir, 'web.yml'));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected the config to be rejected');
}

describe('web config file', () => {
  it.skipIf(!hasOpenssl)('accepts the documented fields, resolving files next to the config', () => {
    const certs = makeCerts();
    writeFileSync(join(dir, 'cert.pem'), readFileSync(certs.serverCert));
    writeFileSync(join(dir, 'key.pem'), readFileSync(certs.serverKey));
    rmSync(certs.dir, { recursive: true, force: true });
    const cfg = parseWebConfig(
      `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS13\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\nbasic_auth_users:\n  alice: ${HASH}\n`,
      join(dir, 'web.yml'),
    );
    expect(cfg.tls?.certFile).toBe(join(dir, 'cert.pem'));
    expect(cfg.tls?.minVersion).toBe('TLS13');
    expect(cfg.tls?.cipherSuites).toEqual(['ECDHE-RSA-AES128-GCM-SHA256']);
    expect(cfg.headers).toEqual({ 'X-Frame-Options': 'deny' });
    expect(cfg.users.get('alice')).toBe(HASH);
  });
  it('treats an empty file as no TLS and no auth', () => {
    const cfg = parseWebConfig('', 'web.yml');
    expect(cfg.tls).toBeUndefined();
    expect(cfg.users.size).toBe(0);
  });
  it('rejects bad files with file, line and reason', () => {
    expect(fails('tls_server_config:\n  key_file: key.pem\n').message).toBe(`${join(dir, 'web.yml')}:2: tls_server_config: missing cert_file`);
    expect(fails('tls_server_config:\n  cert_file: cert.pem\n').reason).toBe('missing key_file');
    const missing = fails('tls_server_config:\n  cert_file: nope.pem\n  key_file: key.pem\n');
    expect(missing.line).toBe(2);
    expect(missing.reason).toMatch(/cannot read .*nope\.pem: ENOENT/);
    const unknown = fails('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nfoo: 1\n');
    expect(unknown.line).toBe(4);
    expect(unknown.reason).toContain('field foo is not allowed here');
    const hash = fails('basic_auth_users:\n  alice: notahash\n');
    expect(hash.line).toBe(2);
    expect(hash.field).toBe('basic_auth_users.alice');
    expect(hash.reason).toContain('not a bcrypt hash');
    expect(fails('basic_auth_users:\n  alice: x\n  alice: y\n').line).toBe(3);
    expect(fails('basic_auth_users: [\n').reason).toContain('invalid YAML');
    expect(fails('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: Bogus\n').reason).toContain('invalid client_auth_type "Bogus"');
    expect(fails('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS9\n').reason).toContain('unknown TLS version "TLS9"');
    expect(fails('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  cipher_suites: [FOO]\n').reason).toContain('unknown cipher suite "FOO"');
    expect(fails('http_server_config:\n  headers:\n    X-Foo: bar\n').reason).toContain('HTTP header "X-Foo" can not be configured');
    expect(fails('http_server_config:\n  headers:\n    Authorization: x\n').reason).toContain('can not be configured');
    expect(fails('http_server_config:\n  headers:\n    X-Frame-Options: foo\n').reason).toContain('expected one of "deny", "sameorigin"');
  });
  it('rejects a certificate/key pair that does not load', () => {
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    expect(fails('tls_server_config:\n  cert_file: junk.pem\n  key_file: junk.pem\n').reason).toContain('cannot load the certificate/key pair');
  });
  it('says when the file cannot be read', () => {
    expect(() => loadWebConfig(join(dir, 'absent.yml'))).toThrow(/absent\.yml: cannot read web config file/);
  });
});
