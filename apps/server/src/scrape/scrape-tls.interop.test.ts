// Our server scrapes Debian's real node exporter started with its own --web.config.file
// (TLS + basic auth, and a second one requiring a client certificate): basic_auth and
// tls_config (ca_file + server_name, insecure_skip_verify, cert_file/key_file) on the scrape
// side, and a wrong password reported as Prometheus words it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debianBcrypt, hasOpenssl, makeTestCerts, type TestCerts } from '@promethium/web-toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from '../cli/server-flags.js';
import { NOP_LOGGER } from '../log/logger.js';
import { PromethiumServer } from '../server.js';
import { freePort } from '../testing/http-target.js';
import { waitFor } from '../testing/wait.js';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const PASSWORD = 'node-pass-1';
const hash = hasOpenssl && existsSync(NODE_EXPORTER) ? debianBcrypt(PASSWORD) : undefined;


interface Target {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}

describe.skipIf(hash === undefined)('scraping a real node exporter over TLS with basic auth', () => {
  let certs: TestCerts;
  const exporters: ChildProcess[] = [];
  let server: PromethiumServer | undefined;
  let base = '';

  async function exporter(webYml: string): Promise<number> {
    const port = await freePort();
    const file = join(certs.dir, `web-${port}.yml`);
    writeFileSync(file, webYml);
    const child = spawn(
      NODE_EXPORTER,
      [`--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${file}`, '--collector.disable-defaults', '--collector.loadavg', '--collector.meminfo'],
      { stdio: 'ignore' },
    );
    exporters.push(child);
    // Up when it refuses us: TLS is answering.
    await waitFor(
      () => fetch(`https://127.0.0.1:${port}/`).then(() => 'up', (e: Error) => ((e.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED' ? 'down' : 'up')),
      (s) => s === 'up',
      10_000,
    );
    return port;
  }

  beforeAll(async () => {
    certs = makeTestCerts();
    const tls = 'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n';
    const plainPort = await exporter(`${tls}basic_auth_users:\n  scraper: ${hash}\n`);
    const mtlsPort = await exporter(`${tls}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\nbasic_auth_users:\n  scraper: ${hash}\n`);
    const job = (name: string, port: number, lines: string[]): string[] => [
      `  - job_name: ${name}`,
      '    scheme: https',
      ...lines.map((l) => `    ${l}`),
      '    static_configs:',
      `      - targets: ['127.0.0.1:${port}']`,
    ];
    const auth = (pw: string): string[] => ['basic_auth:', '  username: scraper', `  password: ${pw}`];
    writeFileSync(join(certs.dir, 'pw'), `${PASSWORD}\n`);
    writeFileSync(
      join(certs.dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        ...job('node_ca', plainPort, [...auth(PASSWORD), 'tls_config:', '  ca_file: ca.pem', '  server_name: localhost']),
        ...job('node_insecure', plainPort, ['basic_auth:', '  username: scraper', '  password_file: pw', 'tls_config:', '  insecure_skip_verify: true']),
        ...job('node_mtls', mtlsPort, [...auth(PASSWORD), 'tls_config:', '  ca_file: ca.pem', '  cert_file: client.pem', '  key_file: client.key']),
        ...job('node_no_client_cert', mtlsPort, [...auth(PASSWORD), 'tls_config:', '  ca_file: ca.pem']),
        ...job('node_wrong_password', plainPort, [...auth('not-it'), 'tls_config:', '  ca_file: ca.pem']),
        ...job('node_untrusted', plainPort, auth(PASSWORD)),
        '',
      ].join('\n'),
    );
    const parsed = parseServerFlags([
      `--config.file=${join(certs.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(certs.dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    base = `http://127.0.0.1:${server.address().port}`;
  }, 40_000);
  afterAll(async () => {
    await server?.stop();
    for (const c of exporters) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  const targets = async (): Promise<Map<string, Target>> => {
    const body = (await (await fetch(`${base}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
    return new Map(body.data.activeTargets.map((t) => [t.labels.job!, t]));
  };

  it('reports every target healthy or down with the reason Prometheus gives', async () => {
    const all = await waitFor(targets, (m) => m.size === 6 && [...m.values()].every((t) => t.health !== 'unknown'), 20_000);
    for (const job of ['node_ca', 'node_insecure', 'node_mtls']) {
      expect(all.get(job), job).toMatchObject({ health: 'up', lastError: '' });
    }
    expect(all.get('node_wrong_password')).toMatchObject({ health: 'down', lastError: 'server returned HTTP status 401 Unauthorized' });
    expect(all.get('node_untrusted')!.health).toBe('down');
    expect(all.get('node_untrusted')!.lastError).toMatch(/x509: certificate signed by unknown authority/);
    expect(all.get('node_no_client_cert')!.health).toBe('down');
  }, 30_000);

  it('stores node_* metrics from the authenticated targets', async () => {
    const q = async (expr: string): Promise<{ metric: Record<string, string> }[]> => {
      const body = (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { data: { result: { metric: Record<string, string> }[] } };
      return body.data.result;
    };
    const jobs = await waitFor(
      async () => (await q('count by (job) (node_load1)')).map((r) => r.metric.job).sort(),
      (j) => j.length === 3,
      10_000,
    );
    expect(jobs).toEqual(['node_ca', 'node_insecure', 'node_mtls']);
    expect((await q('node_memory_MemTotal_bytes{job="node_ca"} > 0')).length).toBe(1);
    expect((await q('up{job="node_wrong_password"} == 0')).length).toBe(1);
  }, 20_000);
});
