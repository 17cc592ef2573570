// A real Prometheus 2.42 scraping itself, a real node_exporter and an unreachable target,
// with one recording and one alerting rule, all on loopback with temp dirs. Stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const PROMETHIUM_MAIN = join(REPO_ROOT, 'apps/server/src/main.ts');
export const NODE_EXPORTER_BIN = '/usr/bin/prometheus-node-exporter';
export const referenceStackAvailable = existsSync(PROMETHEUS_BIN) && existsSync(NODE_EXPORTER_BIN);

/** The API the UI talks to: Debian's Prometheus, or our own server with the same config and rules. */
export type Backend = 'prometheus' | 'promethium';

export interface ReferenceStack {
  backend: Backend;
  prometheusUrl: string;
  /** What the status page shows as the version. */
  version: RegExp;
  deadPort: number;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startReferenceStack(backend: Backend = 'prometheus'): Promise<ReferenceStack> {
  const dir = await mkdtemp(join(tmpdir(), 'web-ui-prom-'));
  const [promPort, nodePort, deadPort] = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  const spawnLogged = (bin: string, args: string[]) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => {
      logs.push(b.toString());
      if (logs.length > 200) logs.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
    return child;
  };
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    spawnLogged(NODE_EXPORTER_BIN, [`--web.listen-address=127.0.0.1:${nodePort}`, '--no-collector.systemd']);
    await writeFile(
      join(dir, 'rules.yml'),
      [
        'groups:',
        '  - name: ui-test',
        '    interval: 1s',
        '    rules:',
        '      - record: job:up:sum',
        '        expr: sum by (job) (up)',
        '      - alert: TargetDown',
        '        expr: up == 0',
        '        labels: { severity: page }',
        '        annotations: { summary: "{{ $labels.instance }} is down" }',
        '      - alert: NeverFires',
        '        expr: vector(1) == 2',
        '        for: 5m',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'rule_files: [rules.yml]',
        'scrape_configs:',
        '  - job_name: prometheus',
        `    static_configs: [{ targets: ["127.0.0.1:${promPort}"] }]`,
        '  - job_name: node',
        `    static_configs: [{ targets: ["127.0.0.1:${nodePort}"] }]`,
        '  - job_name: unreachable',
        '    static_configs:',
        `      - targets: ["127.0.0.1:${deadPort}"]`,
        '      - targets: ["127.0.0.1:1"]',
        '        labels: { drop_me: "yes" }',
        '    relabel_configs:',
        '      - source_labels: [drop_me]',
        '        regex: "yes"',
        '        action: drop',
        '',
      ].join('\n'),
    );
    const flags = [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ];
    if (backend === 'prometheus') spawnLogged(PROMETHEUS_BIN, flags);
    // The server's own entry point through tsx, exactly as `npm start` runs it from source.
    else spawnLogged(process.execPath, ['--import', 'tsx', '--conditions=@promethium/source', PROMETHIUM_MAIN, ...flags]);
    const prometheusUrl = `http://127.0.0.1:${promPort}`;
    await waitFor(async () => (await fetch(`${prometheusUrl}/-/ready`)).ok, 'prometheus /-/ready', 30_000);
    // Every target has been scraped once and node_exporter's series are queryable.
    await waitFor(
      async () => {
        const t = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
        const q = (await (await fetch(`${prometheusUrl}/api/v1/query?query=node_cpu_seconds_total`)).json()) as { data: { result: unknown[] } };
        return t.data.activeTargets.length === 3 && t.data.activeTargets.every((x) => x.health !== 'unknown') && q.data.result.length > 0;
      },
      'first scrapes',
      30_000,
    );
    return { backend, prometheusUrl, deadPort, stop, version: backend === 'prometheus' ? /Version\s*2\.42/ : /Version\s*\d+\.\d+\.\d+/ };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- daemon logs ---\n${logs.join('')}`, { cause: err });
  }
}
