// pmtool query --http.config.file (promtool 3's flag): basic_auth, tls_config with a CA,
// server_name, a client certificate and insecure_skip_verify, against our server started
// with a web config demanding TLS with client certificates and basic auth.
import { rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NOP_LOGGER, parseServerFlags, PromethiumServer } from '@promethium/server';
import { hashPassword, hasOpenssl, makeTestCerts, type TestCerts } from '@promethium/web-toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../index.js';

async function pmtool(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe.skipIf(!hasOpenssl)('pmtool query --http.config.file', () => {
  let certs: TestCerts;
  let server: PromethiumServer | undefined;
  let url = '';
  const file = (name: string, text: string): string => {
    const p = join(certs.dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    certs = makeTestCerts();
    file('prometheus.yml', 'scrape_configs: []\n');
    file(
      'web.yml',
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n' +
        `basic_auth_users:\n  ops: ${hashPassword('op-pass', 4)}\n`,
    );
    const parsed = parseServerFlags([
      `--config.file=${join(certs.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(certs.dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      `--web.config.file=${join(certs.dir, 'web.yml')}`,
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    url = `https://127.0.0.1:${server.address().port}`;
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  const client = 'cert_file: client.pem\n  key_file: client.key\n';

  it('queries with basic_auth, a CA, server_name and a client certificate', async () => {
    const cfg = file('http-ok.yml', `basic_auth:\n  username: ops\n  password: op-pass\ntls_config:\n  ca_file: ca.pem\n  server_name: localhost\n  ${client}`);
    const r = await pmtool(['query', 'instant', `--http.config.file=${cfg}`, url, 'vector(42)']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^\{\} => 42 @\[[\d.]+\]\n$/);
    // As promtool places it: a flag of `query` itself, before the subcommand.
    const before = await pmtool(['query', '--http.config.file', cfg, 'range', url, 'vector(1)', '--start=1000', '--end=1002', '--step=1s']);
    expect(before.code).toBe(0);
    expect(before.out).toContain('{} =>\n1 @[1000]');
  });
  it('reads password_file and honours insecure_skip_verify', async () => {
    file('pw', 'op-pass\n');
    const cfg = file('http-insecure.yml', `basic_auth:\n  username: ops\n  password_file: pw\ntls_config:\n  insecure_skip_verify: true\n  ${client}`);
    const r = await pmtool(['query', 'instant', `--http.config.file=${cfg}`, url, 'vector(7)']);
    expect(r.out).toMatch(/^\{\} => 7 @/);
  });
  it('fails without the CA, without a client certificate, or with a wrong password', async () => {
    const noCa = await pmtool(['query', 'instant', url, 'vector(1)']);
    expect(noCa.code).toBe(1);
    expect(noCa.err).toMatch(/^query error: Post ".*": .*certificate/);
    const noCert = file('http-nocert.yml', 'basic_auth:\n  username: ops\n  password: op-pass\ntls_config:\n  ca_file: ca.pem\n');
    expect((await pmtool(['query', 'instant', `--http.config.file=${noCert}`, url, 'vector(1)'])).code).toBe(1);
    const wrong = file('http-wrong.yml', `basic_auth:\n  username: ops\n  password: nope\ntls_config:\n  ca_file: ca.pem\n  ${client}`);
    const r = await pmtool(['query', 'instant', `--http.config.file=${wrong}`, url, 'vector(1)']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('401 Unauthorized');
  });
  it('goes through proxy_url in a CONNECT tunnel, with proxy_connect_header', async () => {
    // A minimal CONNECT proxy: the request head is recorded, then bytes are piped both ways.
    const heads: string[] = [];
    const proxy = net.createServer((client) => {
      client.once('data', (d: Buffer) => {
        const head = d.toString('latin1');
        heads.push(head);
        const [host, port] = head.split(' ')[1]!.split(':');
        const upstream = net.connect({ host: host === 'prom.test' ? '127.0.0.1' : host, port: Number(port) }, () => {
          client.write('HTTP/1.1 200 OK\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
      client.on('error', () => undefined);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const proxyPort = (proxy.address() as AddressInfo).port;
      const cfg = file(
        'http-proxy.yml',
        `basic_auth:\n  username: ops\n  password: op-pass\ntls_config:\n  ca_file: ca.pem\n  server_name: localhost\n  ${client}proxy_url: http://127.0.0.1:${proxyPort}\nproxy_connect_header:\n  X-Via: [pmtool]\n`,
      );
      const viaName = url.replace('127.0.0.1', 'prom.test');
      const r = await pmtool(['query', 'instant', `--http.config.file=${cfg}`, viaName, 'vector(3)']);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^\{\} => 3 @/);
      expect(heads[0]).toMatch(/^CONNECT prom\.test:\d+ HTTP\/1\.1\r\n/);
      expect(heads[0]).toContain('X-Via: pmtool\r\n');
    } finally {
      proxy.close();
    }
  });
  it('rejects a bad HTTP config file with file:line and the reason', async () => {
    const bad = file('http-bad.yml', 'basic_auth:\n  username: ops\n  pasword: typo\n');
    const r = await pmtool(['query', 'instant', `--http.config.file=${bad}`, url, 'vector(1)']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:3:`);
    expect(r.err).toContain('pasword');
  });
});
