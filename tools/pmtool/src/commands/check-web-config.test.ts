import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../index.js';
import { hasPrometheus, PROMTOOL_BIN } from '../test-support/real-prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'pm-cwc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'cert.pem'), 'placeholder');
writeFileSync(join(dir, 'key.pem'), 'placeholder');

const HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';
// name -> [file content, valid?]; verdicts agree with promtool check web-config.
const FILES: Record<string, string> = {
  ok: `basic_auth_users:\n  alice: ${HASH}\n`,
  empty: '',
  headers: 'http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Content-Security-Policy: default-src self\n',
  'missing-cert': 'tls_server_config:\n  key_file: key.pem\n',
  'missing-key': 'tls_server_config:\n  cert_file: cert.pem\n',
  'no-such-file': 'tls_server_config:\n  cert_file: nope.pem\n  key_file: key.pem\n',
  'unknown-field': `basic_auth_users:\n  alice: ${HASH}\nfoo: 1\n`,
  'bad-hash': 'basic_auth_users:\n  alice: notahash\n',
  'bad-client-auth': 'tls_server_config:\n  client_auth_type: Bogus\n',
  'bad-header': 'http_server_config:\n  headers:\n    X-Foo: bar\n',
  'bad-header-value': 'http_server_config:\n  headers:\n    X-Frame-Options: foo\n',
  'bad-version': 'tls_server_config:\n  min_version: TLS9\n',
  'bad-yaml': 'basic_auth_users: [\n',
  'duplicate-user': 'basic_auth_users:\n  alice: x\n  alice: y\n',
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, `${name}.yml`), text);

async function pmtool(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('pmtool check web-config', () => {
  it('reports SUCCESS and FAILED per file with the line and reason', async () => {
    const r = await pmtool(['check', 'web-config', join(dir, 'ok.yml'), join(dir, 'bad-hash.yml')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'ok.yml')} SUCCESS`);
    expect(r.err).toContain(`${join(dir, 'bad-hash.yml')} FAILED: line 2: basic_auth_users.alice: not a bcrypt hash`);
  });
  it('refuses a path that does not exist', async () => {
    const r = await pmtool(['check', 'web-config', join(dir, 'absent.yml')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('does not exist');
  });
});

describe.skipIf(!hasPrometheus)('pmtool and promtool agree on web config verdicts', () => {
  for (const name of Object.keys(FILES)) {
    it(`${name}.yml`, async () => {
      const file = join(dir, `${name}.yml`);
      const ours = await pmtool(['check', 'web-config', file]);
      const theirs = spawnSync(PROMTOOL_BIN, ['check', 'web-config', file], { encoding: 'utf8', cwd: dir });
      expect(ours.code).toBe(theirs.status);
    });
  }
});
