// A real Prometheus 2.42 scrapes our Pushgateway over TLS with basic auth: a CA and server
// certificate made with openssl, the bcrypt hash made with a Debian command (htpasswd), the
// pushed metric then queried from Prometheus with up == 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { debianBcrypt, hasOpenssl, makeTestCerts, type TestCerts } from '@promethium/web-toolkit';
import { freePort } from './testing/free-port.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushgateway, silentLogger, type Pushgateway } from './index.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PASSWORD = 'scrape-me-0k';
const hash = hasOpenssl && existsSync(PROMETHEUS) ? debianBcrypt(PASSWORD) : undefined;


function push(url: string, ca: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', ca, auth: `prometheus:${PASSWORD}`, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(base: string, q: string): Promise<Vector[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data: { result: Vector[] } };
  return body.data.result;
}

describe.skipIf(hash === undefined)('Prometheus 2.42 scrapes our pushgateway over TLS with basic auth', () => {
  let certs: TestCerts;
  let pg: Pushgateway;
  let prom: ChildProcess | undefined;
  let promBase = '';
  let promLog = '';

  beforeAll(async () => {
    certs = makeTestCerts();
    const web = join(certs.dir, 'web.yml');
    writeFileSync(web, `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\nbasic_auth_users:\n  prometheus: ${hash}\n`);
    pg = createPushgateway({ listenAddress: '127.0.0.1:0', webConfigFile: web, logger: silentLogger });
    const { url, port } = await pg.listen();
    expect(await push(`${url}/metrics/job/nightly_backup/instance/db1`, readFileSync(certs.ca, 'utf8'), 'backup_last_success_seconds 1700000000\n')).toBe(200);

    writeFileSync(
      join(certs.dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: pushgateway',
        '    honor_labels: true',
        '    scheme: https',
        '    basic_auth:',
        '      username: prometheus',
        `      password: ${PASSWORD}`,
        '    tls_config:',
        '      ca_file: ca.pem',
        '      server_name: localhost',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${port}']`,
        '',
      ].join('\n'),
    );
    const promPort = await freePort();
    promBase = `http://127.0.0.1:${promPort}`;
    prom = spawn(
      PROMETHEUS,
      [`--config.file=${join(certs.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(certs.dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prom.stderr!.on('data', (d: Buffer) => (promLog += d.toString()));
  }, 30_000);
  afterAll(async () => {
    if (prom && prom.exitCode === null && prom.signalCode === null) prom.kill('SIGKILL');
    await pg?.close();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('shows up == 1 and the pushed metric with its grouping labels', async () => {
    const deadline = Date.now() + 30_000;
    let up: Vector[] = [];
    let pushed: Vector[] = [];
    while (Date.now() < deadline) {
      try {
        up = await query(promBase, 'up{job="pushgateway"}');
        pushed = await query(promBase, 'backup_last_success_seconds');
        if (up[0]?.value[1] === '1' && pushed.length > 0) break;
      } catch {
        // Prometheus still starting
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(up, promLog.slice(-2000)).toHaveLength(1);
    expect(up[0]!.value[1]).toBe('1');
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.metric).toMatchObject({ __name__: 'backup_last_success_seconds', job: 'nightly_backup', instance: 'db1' });
    expect(pushed[0]!.value[1]).toBe('1700000000');
  }, 40_000);

  it('is a healthy target with no scrape error in Prometheus', async () => {
    const targets = (await (await fetch(`${promBase}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
    expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
  });
});
