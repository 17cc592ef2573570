// The notifier's HTTP client config end to end: Debian's real Alertmanager started with its own
// --web.config.file (TLS + basic auth) receives our alerts through alertmanagers[].scheme https,
// basic_auth and tls_config; an entry without credentials counts errors instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { debianBcrypt, hasOpenssl, makeTestCerts, type TestCerts } from '@promethium/web-toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from './cli/server-flags.js';
import { Logger } from './log/logger.js';
import { PromethiumServer } from './server.js';
import { freePort } from './testing/http-target.js';
import { waitFor } from './testing/wait.js';

const AM_BIN = '/usr/bin/prometheus-alertmanager';
const PASSWORD = 'am-secret';
const hash = hasOpenssl && existsSync(AM_BIN) ? debianBcrypt(PASSWORD) : undefined;

describe.skipIf(hash === undefined)('alerts to an Alertmanager behind TLS and basic auth', () => {
  let certs: TestCerts;
  let am: ChildProcess | undefined;
  let server: PromethiumServer | undefined;
  let amPort = 0;
  let logs = '';

  const amAlerts = (): Promise<{ labels: Record<string, string> }[]> =>
    new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: amPort, path: '/api/v2/alerts', ca: readFileSync(certs.ca), auth: `prom:${PASSWORD}`, agent: false },
        (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d.toString()));
          res.on('end', () => {
            try {
              resolve(JSON.parse(b) as { labels: Record<string, string> }[]);
            } catch {
              resolve([]);
            }
          });
        },
      );
      req.on('error', () => resolve([]));
      req.end();
    });

  beforeAll(async () => {
    certs = makeTestCerts();
    const dir = certs.dir;
    amPort = await freePort();
    writeFileSync(join(dir, 'am.yml'), "route:\n  receiver: 'null'\n  group_wait: 0s\nreceivers:\n  - name: 'null'\n");
    writeFileSync(join(dir, 'am-web.yml'), `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\nbasic_auth_users:\n  prom: ${hash}\n`);
    am = spawn(
      AM_BIN,
      [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=', `--web.config.file=${join(dir, 'am-web.yml')}`],
      { stdio: 'ignore' },
    );
    writeFileSync(join(dir, 'rules.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: AlwaysFiring\n        expr: vector(1) > 0\n');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:
  evaluation_interval: 300ms
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - scheme: https
      basic_auth: { username: prom, password: ${PASSWORD} }
      tls_config: { ca_file: ca.pem, server_name: localhost }
      static_configs: [{ targets: ['127.0.0.1:${amPort}'] }]
    - scheme: https
      path_prefix: /no-credentials
      tls_config: { ca_file: ca.pem }
      static_configs: [{ targets: ['127.0.0.1:${amPort}'] }]
scrape_configs: []
`,
    );
    const parsed = parseServerFlags([
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--rules.alert.resend-delay=1s',
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: new Logger({ level: 'warn', sink: { write: (l: string) => (logs += l) } }) });
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    if (am && am.exitCode === null && am.signalCode === null) am.kill('SIGKILL');
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('delivers the alert over TLS with basic auth', async () => {
    const alerts = await waitFor(amAlerts, (l) => l.some((a) => a.labels.alertname === 'AlwaysFiring'), 20_000);
    expect(alerts.find((a) => a.labels.alertname === 'AlwaysFiring')).toBeDefined();
  }, 25_000);

  it('counts errors for the Alertmanager entry without credentials', async () => {
    const base = `http://127.0.0.1:${server!.address().port}`;
    const line = await waitFor(
      async () => (await (await fetch(`${base}/metrics`)).text()).split('\n').find((l) => l.startsWith('prometheus_notifications_errors_total') && l.includes('no-credentials')) ?? '',
      (l) => l !== '' && !l.endsWith(' 0'),
      10_000,
    );
    expect(line).toMatch(/no-credentials\/api\/v2\/alerts"\} [1-9]/);
    // Refused for the missing credentials, not for the path.
    expect(logs).toMatch(/Error sending alerts.*no-credentials.*401 Unauthorized/);
  }, 15_000);
});
