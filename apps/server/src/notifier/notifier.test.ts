import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClientConfig } from '../config/types.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import { Notifier, type Alert } from './notifier.js';

const AM_BIN = '/usr/bin/prometheus-alertmanager';


interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  endsAt: string;
}

const alert = (name: string, extra: Partial<Alert> = {}): Alert => ({
  labels: { alertname: name, severity: 'page' },
  annotations: { summary: `${name} fired` },
  startsAt: Date.now() - 60_000,
  generatorURL: 'http://promethium:9090/graph?g0.expr=up',
  ...extra,
});

describe.skipIf(!existsSync(AM_BIN))('notifier against a real Alertmanager', () => {
  let dir = '';
  let am: ChildProcess;
  let url = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pm-am-'));
    writeFileSync(join(dir, 'am.yml'), "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
    const port = await freePort();
    am = spawn(AM_BIN, [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' });
    url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${url}/-/ready`)).ok) return;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('alertmanager did not start');
  }, 20_000);
  afterAll(() => {
    am?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const amAlerts = async (): Promise<AmAlert[]> => (await (await fetch(`${url}/api/v2/alerts`)).json()) as AmAlert[];

  it('delivers firing alerts with external labels, then resolves them', async () => {
    const n = new Notifier({ alertmanagers: () => [{ url }], externalLabels: { cluster: 'eu1', severity: 'ignored' } });
    n.start();
    n.send([alert('HighLatency')]);
    await n.stop();
    const got = (await amAlerts()).find((a) => a.labels.alertname === 'HighLatency');
    expect(got?.labels).toEqual({ alertname: 'HighLatency', severity: 'page', cluster: 'eu1' });
    expect(got?.annotations.summary).toBe('HighLatency fired');
    expect(got?.status.state).toBe('active');

    const resolved = new Notifier({ alertmanagers: () => [{ url }], externalLabels: { cluster: 'eu1' } });
    resolved.send([alert('HighLatency', { endsAt: Date.now() - 1000 })]);
    expect(await resolved.flush()).toBe(true);
    // Alertmanager's API lists only unresolved alerts by default: the resolved one is gone.
    expect((await amAlerts()).find((a) => a.labels.alertname === 'HighLatency')).toBeUndefined();
  });

  it('applies alert relabeling and drops alerts whose labels become empty', async () => {
    const n = new Notifier({
      alertmanagers: () => [{ url }],
      relabel: (l) => (l.alertname === 'Dropped' ? undefined : { ...l, team: 'db' }),
    });
    n.send([alert('Dropped')]);
    expect(n.queueLength).toBe(0);
    n.send([alert('Relabelled')]);
    expect(await n.flush()).toBe(true);
    expect((await amAlerts()).find((a) => a.labels.alertname === 'Relabelled')?.labels.team).toBe('db');
  });

  it('counts errors per Alertmanager and keeps delivering to the healthy one', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const logs: string[] = [];
    const n = new Notifier({ alertmanagers: () => [{ url: dead }, { url }], log: (_l, m, f) => logs.push(`${m} ${JSON.stringify(f)}`) });
    n.send([alert('Partial')]);
    expect(await n.flush()).toBe(true);
    const fams = Object.fromEntries(n.collect().map((f) => [f.name, f.samples]));
    expect(fams.prometheus_notifications_errors?.find((s) => s.labels.alertmanager?.startsWith(dead))?.value).toBe(1);
    expect(fams.prometheus_notifications_sent?.find((s) => s.labels.alertmanager?.startsWith(url))?.value).toBe(1);
    expect(logs.join('\n')).toContain('Error sending alerts');
  });

  it('reports Alertmanager rejections with the status and its message', async () => {
    const logs: string[] = [];
    const n = new Notifier({ alertmanagers: () => [{ url }], log: (_l, m, f) => logs.push(`${m} ${JSON.stringify(f)}`) });
    n.send([{ ...alert('x'), labels: {} }]);
    expect(await n.flush()).toBe(false);
    expect(logs.join('\n')).toContain('bad response status 400');
    expect(logs.join('\n')).toContain('at least one label pair required');
  });
});

describe('notifier queue', () => {
  it('drops the oldest alerts when the queue is full and counts them', () => {
    const n = new Notifier({ alertmanagers: () => [], queueCapacity: 3 });
    n.send([alert('a'), alert('b')]);
    n.send([alert('c'), alert('d')]);
    expect(n.queueLength).toBe(3);
    const dropped = n.collect().find((f) => f.name === 'prometheus_notifications_dropped')!.samples[0]!.value;
    expect(dropped).toBe(1);
  });
});

describe('notifier credentials', () => {
  it('re-reads password_file for every request, as Prometheus does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-am-auth-'));
    const seen: string[] = [];
    const am = await startHttpTarget((req, res) => {
      seen.push(req.headers.authorization ?? 'none');
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    try {
      const file = join(dir, 'pass');
      writeFileSync(file, 'first\n');
      const client: HttpClientConfig = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: false, basic_auth: { username: 'prom', password_file: file } };
      const n = new Notifier({ alertmanagers: () => [{ url: `http://${am.address}`, client }] });
      n.start();
      n.send([alert('One')]);
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      // Rotated without a config reload: the next request must carry the new password.
      writeFileSync(file, 'second\n');
      n.send([alert('Two')]);
      await n.stop();
      const basic = (p: string) => `Basic ${Buffer.from(`prom:${p}`).toString('base64')}`;
      expect(seen).toEqual([basic('first'), basic('second')]);
    } finally {
      await am.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
