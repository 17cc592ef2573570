// --web.config.file on the server: basic auth and TLS as Prometheus does them, checked with
// Debian's promtool as the client.
import bcrypt from 'bcryptjs';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from './cli/server-flags.js';
import { Logger, NOP_LOGGER } from './log/logger.js';
import { PromethiumServer } from './server.js';

const PROMTOOL = '/usr/bin/promtool';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** Runs promtool without blocking the event loop: the server under test lives in this process. */
function promtool(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PROMTOOL, args, { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function start(dir: string, webConfig: string, logger: Logger = NOP_LOGGER): Promise<PromethiumServer> {
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1s\nscrape_configs: []\n');
  writeFileSync(join(dir, 'web.yml'), webConfig);
  const parsed = parseServerFlags([
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--web.listen-address=127.0.0.1:0',
    `--web.config.file=${join(dir, 'web.yml')}`,
  ]);
  const s = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger });
  return s;
}

describe.skipIf(!existsSync(PROMTOOL))('basic auth from --web.config.file, with promtool as the client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-webcfg-'));
  let server: PromethiumServer;
  let port = 0;
  beforeAll(async () => {
    server = await start(dir, `basic_auth_users:\n  alice: ${bcrypt.hashSync('s3cret', 10)}\n`);
    port = server.address().port;
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets promtool query with user:password in the URL', async () => {
    const r = await promtool(['query', 'instant', `http://alice:s3cret@127.0.0.1:${port}`, 'vector(42)']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\{\} => 42 @\[/);
  });
  it('answers 401 with WWW-Authenticate without or with wrong credentials', async () => {
    const r = await promtool(['query', 'instant', `http://127.0.0.1:${port}`, 'vector(1)']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('401');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=1`, { headers: { Authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic');
    expect((await fetch(`http://127.0.0.1:${port}/-/healthy`)).status).toBe(401);
  });
});

describe.skipIf(!existsSync(PROMTOOL) || !hasOpenssl)('TLS from --web.config.file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-webtls-'));
  let server: PromethiumServer;
  beforeAll(async () => {
    const ssl = (...a: string[]): void => {
      execFileSync('openssl', a, { cwd: dir, stdio: 'ignore' });
    };
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test-ca');
    writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=server');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext');
    server = await start(dir, 'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n');
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over HTTPS to a client that trusts the CA', async () => {
    const { request } = await import('node:https');
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.address().port, path: '/api/v1/query?query=vector(7)', ca: execFileSync('cat', [join(dir, 'ca.pem')]) }, (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d.toString()));
        res.on('end', () => resolve(b));
      })
        .on('error', reject)
        .end();
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'success', data: { result: [{ value: [expect.any(Number), '7'] }] } });
  });
});

describe('failed logins in the server log', () => {
  it('names the user and the path, never the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-weblog-'));
    let log = '';
    const server = await start(dir, `basic_auth_users:\n  alice: ${bcrypt.hashSync('s3cret', 4)}\n`, new Logger({ level: 'info', sink: { write: (l: string) => (log += l) } }));
    try {
      const url = `http://127.0.0.1:${server.address().port}/api/v1/query?query=1`;
      const bad = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from('alice:Guess-PLUGH').toString('base64')}` } });
      expect(bad.status).toBe(401);
      const good = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` } });
      expect(good.status).toBe(200);
      expect(log).toMatch(/level=warn component=web msg="Unauthorized request" user=alice path=\/api\/v1\/query/);
      expect(log).not.toContain('PLUGH');
      expect(log).not.toContain('s3cret');
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a bad web config file at start', () => {
  const cases: [string, string, number, RegExp][] = [
    ['a missing certificate', 'tls_server_config:\n  cert_file: nowhere.pem\n  key_file: nowhere.key\n', 2, /cannot read .*nowhere\.pem: ENOENT/],
    ['a bad hash', 'basic_auth_users:\n  alice: plain-password\n', 2, /not a bcrypt hash/],
    ['an unknown key', 'basic_auth_users: {}\ntls_config:\n  cert_file: x\n', 2, /tls_config/],
  ];
  for (const [what, text, line, reason] of cases) {
    it(`stops the binary with file:line and the reason: ${what}`, async () => {
      const { runServer } = await import('./testing/child-server.js');
      const dir = mkdtempSync(join(tmpdir(), 'pm-badweb-'));
      try {
        writeFileSync(join(dir, 'prometheus.yml'), 'scrape_configs: []\n');
        const web = join(dir, 'web.yml');
        writeFileSync(web, text);
        const child = runServer([`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', `--web.config.file=${web}`]);
        expect(await child.exited).toBe(1);
        const out = child.output();
        expect(out).toContain('msg="Error loading web config file"');
        expect(out).toContain(`${web}:${line}:`);
        expect(out).toMatch(reason);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 20_000);
  }
});
