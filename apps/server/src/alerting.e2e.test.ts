// Rules and alerting end to end: a server scraping a target, an alerting rule, and Debian's real
// Alertmanager receiving the alert when it fires and seeing it resolve.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from './cli/server-flags.js';
import { NOP_LOGGER } from './log/logger.js';
import { PromethiumServer } from './server.js';
import { freePort, startHttpTarget, type HttpTarget } from './testing/http-target.js';
import { waitFor } from './testing/wait.js';

const AM_BIN = '/usr/bin/prometheus-alertmanager';


interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
}

describe.skipIf(!existsSync(AM_BIN))('alerting rules through a real Alertmanager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-alerting-'));
  const configFile = join(dir, 'prometheus.yml');
  const rulesFile = join(dir, 'rules.yml');
  let target: HttpTarget;
  let server: PromethiumServer;
  let am: ChildProcess;
  let amUrl = '';
  let base = '';
  let healthy = 1;

  beforeAll(async () => {
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    writeFileSync(join(dir, 'am.yml'), "route:\n  receiver: 'null'\n  group_wait: 0s\nreceivers:\n  - name: 'null'\n");
    am = spawn(AM_BIN, [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address='], { stdio: 'ignore' });
    target = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE app_healthy gauge\napp_healthy ${healthy}\n`);
    });
    writeFileSync(
      rulesFile,
      `groups:
  - name: app
    rules:
      - alert: AppUnhealthy
        expr: app_healthy == 0
        for: 1s
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.instance }} is unhealthy (value {{ $value }})"
      - record: app:healthy:sum
        expr: sum(app_healthy)
`,
    );
    writeFileSync(
      configFile,
      `global:
  scrape_interval: 200ms
  evaluation_interval: 500ms
  external_labels: { cluster: test }
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['127.0.0.1:${amPort}'] }]
scrape_configs:
  - job_name: app
    static_configs: [{ targets: ['${target.address}'] }]
`,
    );
    const parsed = parseServerFlags([
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--web.enable-lifecycle',
      '--rules.alert.resend-delay=1s',
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    base = `http://127.0.0.1:${server.address().port}`;
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await target?.close();
    am?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const amAlerts = async (): Promise<AmAlert[]> => {
    try {
      return (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[];
    } catch {
      return [];
    }
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are checked field by field.
  const api = async (path: string): Promise<any> => (await fetch(`${base}${path}`)).json();

  it('evaluates recording rules and lists the rules', async () => {
    await waitFor(async () => (await api('/api/v1/query?query=app:healthy:sum')).data.result.length as number, (n) => n === 1);
    const rules = await api('/api/v1/rules');
    expect(rules.data.groups[0].name).toBe('app');
    expect((rules.data.groups[0].rules as { type: string }[]).map((r) => r.type)).toEqual(['alerting', 'recording']);
    expect((await api('/api/v1/rules?type=record')).data.groups[0].rules).toHaveLength(1);
    expect((await fetch(`${base}/api/v1/rules?type=bogus`)).status).toBe(400);
  });

  it('fires an alert that reaches Alertmanager, then resolves it', async () => {
    healthy = 0;
    const fired = await waitFor(amAlerts, (l) => l.some((a) => a.labels.alertname === 'AppUnhealthy'), 20_000);
    const a = fired.find((x) => x.labels.alertname === 'AppUnhealthy')!;
    expect(a.labels).toEqual({ alertname: 'AppUnhealthy', cluster: 'test', instance: target.address, job: 'app', severity: 'page' });
    expect(a.annotations.summary).toBe(`${target.address} is unhealthy (value 0)`);
    expect(a.status.state).toBe('active');
    const ours = await api('/api/v1/alerts');
    expect(ours.data.alerts[0].state).toBe('firing');
    expect((await api('/api/v1/query?query=ALERTS{alertstate="firing"}')).data.result).toHaveLength(1);

    healthy = 1;
    await waitFor(amAlerts, (l) => !l.some((x) => x.labels.alertname === 'AppUnhealthy'), 20_000);
    expect((await api('/api/v1/alerts')).data.alerts).toEqual([]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`prometheus_notifications_sent_total\\{alertmanager="${amUrl}/api/v2/alerts"\\} [1-9]`));
    expect(metrics).toContain('prometheus_notifications_alertmanagers_discovered 1');
  }, 45_000);

  it('keeps the running rules when a reload brings a bad rule file', async () => {
    writeFileSync(rulesFile, 'groups:\n  - name: app\n    rules:\n      - record: x\n        expr: sum(\n');
    const res = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/rules\.yml: 5:15: group "app", rule 1, "x": could not parse expression/);
    expect((await api('/api/v1/rules')).data.groups[0].rules).toHaveLength(2);
  });
});
