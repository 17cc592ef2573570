// Interop with Debian's real components: our server scrapes a real node exporter and a real
// pushgateway (the original prometheus.yml shape), promtool queries our API, and a real
// Prometheus both federates from us and scrapes the same node exporter, so answers compare.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from '../src/cli/server-flags.js';
import { NOP_LOGGER } from '../src/log/logger.js';
import { PromethiumServer } from '../src/server.js';
import { freePort } from '../src/testing/http-target.js';
import { waitFor } from '../src/testing/wait.js';

const run = promisify(execFile);
const BINS = ['/usr/bin/prometheus', '/usr/bin/promtool', '/usr/bin/prometheus-node-exporter', '/usr/bin/prometheus-pushgateway'];
const available = BINS.every((b) => existsSync(b));

interface Result {
  metric: Record<string, string>;
  value: [number, string];
}
async function query(base: string, q: string, time?: number): Promise<Result[]> {
  const t = time === undefined ? '' : `&time=${time}`;
  const body = (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}${t}`)).json()) as { data: { result: Result[] } };
  return body.data.result;
}

async function up(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

describe.skipIf(!available)('interop with Debian Prometheus components', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-interop-'));
  const procs: ChildProcess[] = [];
  let server: PromethiumServer;
  let ours = '';
  let theirs = '';
  let nodeAddr = '';
  let pgAddr = '';

  const daemon = (bin: string, args: string[]): void => {
    const p = spawn(bin, args, { stdio: 'ignore' });
    procs.push(p);
  };

  beforeAll(async () => {
    const [nodePort, pgPort, promPort] = [await freePort(), await freePort(), await freePort()];
    nodeAddr = `127.0.0.1:${nodePort}`;
    pgAddr = `127.0.0.1:${pgPort}`;
    daemon('/usr/bin/prometheus-node-exporter', ['--no-collector.systemd', `--web.listen-address=${nodeAddr}`]);
    daemon('/usr/bin/prometheus-pushgateway', [`--web.listen-address=${pgAddr}`]);
    await waitFor(() => up(`http://${nodeAddr}/metrics`), (v) => v, 15_000);
    await waitFor(() => up(`http://${pgAddr}/metrics`), (v) => v, 15_000);
    const push = await fetch(`http://${pgAddr}/metrics/job/my_job/instance/pushed`, {
      method: 'PUT',
      body: '# TYPE batch_runs_total counter\nbatch_runs_total 7\n',
      headers: { 'Content-Type': 'text/plain; version=0.0.4' },
    });
    expect(push.ok).toBe(true);

    // Our server: the original prometheus.yml shape (job pushgateway, honor_labels) plus the node exporter.
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 15s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['${pgAddr}']\n  - job_name: node\n    static_configs:\n      - targets: ['${nodeAddr}']\n`,
    );
    const parsed = parseServerFlags([
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'ours')}`,
      '--web.listen-address=127.0.0.1:0',
      '--web.enable-remote-write-receiver',
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    ours = `http://127.0.0.1:${server.address().port}`;

    // A real Prometheus: scrapes the same node exporter and federates everything of job node from us.
    writeFileSync(
      join(dir, 'real.yml'),
      `global:\n  scrape_interval: 1s\n  external_labels: { replica: real }\nremote_write:\n  - url: http://127.0.0.1:${server.address().port}/api/v1/write\n    queue_config: { batch_send_deadline: 1s }\n    write_relabel_configs: [{ source_labels: [__name__], regex: node_load1, action: keep }]\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['${nodeAddr}']\n  - job_name: federate\n    honor_labels: true\n    metrics_path: /federate\n    params:\n      'match[]': ['{job="pushgateway"}', '{__name__=~"batch_.*"}']\n    static_configs:\n      - targets: ['127.0.0.1:${server.address().port}']\n`,
    );
    daemon('/usr/bin/prometheus', [
      `--config.file=${join(dir, 'real.yml')}`,
      `--storage.tsdb.path=${join(dir, 'theirs')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    theirs = `http://127.0.0.1:${promPort}`;
    await waitFor(() => up(`${theirs}/-/ready`), (v) => v, 30_000);
    await waitFor(async () => (await query(ours, 'up')).length, (n) => n === 2, 15_000);
    await waitFor(async () => (await query(theirs, 'batch_runs_total')).length, (n) => n === 1, 30_000);
    await waitFor(async () => (await query(theirs, 'count(node_cpu_seconds_total)')).length, (n) => n === 1, 30_000);
    // A few scrapes on both sides.
    await new Promise((r) => setTimeout(r, 2500));
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes the node exporter and the pushgateway (honor_labels keeps the pushed job)', async () => {
    const ups = await query(ours, 'up');
    expect(ups.map((r) => [r.metric.job, r.value[1]]).sort()).toEqual([
      ['node', '1'],
      ['pushgateway', '1'],
    ]);
    const pushed = await query(ours, 'batch_runs_total');
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.metric).toMatchObject({ job: 'my_job', instance: 'pushed' });
    expect(pushed[0]!.value[1]).toBe('7');
    const targets = (await (await fetch(`${ours}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
    for (const t of targets.data.activeTargets) expect(t).toMatchObject({ health: 'up', lastError: '' });
    expect(Number((await query(ours, 'scrape_samples_scraped{job="node"}'))[0]!.value[1])).toBeGreaterThan(200);
  });

  it('answers promtool query instant, range, series and labels', async () => {
    const inst = await run('/usr/bin/promtool', ['query', 'instant', ours, 'up{job="node"}']);
    expect(inst.stdout).toMatch(new RegExp(`^up\\{instance="${nodeAddr.replace(/\./g, '\\.')}", job="node"\\} => 1 @\\[\\d+(\\.\\d+)?\\]\\n$`));
    const now = Math.floor(Date.now() / 1000);
    const range = await run('/usr/bin/promtool', ['query', 'range', `--start=${now - 3}`, `--end=${now}`, '--step=1s', ours, 'up{job="node"}']);
    expect(range.stdout).toMatch(/^up\{instance="[^"]+", job="node"\} =>\n(1 @\[\d+\]\n){2,4}$/);
    const series = await run('/usr/bin/promtool', ['query', 'series', '--match=up', ours]);
    expect(series.stdout.trim().split('\n').sort()).toEqual([
      `{__name__="up", instance="${nodeAddr}", job="node"}`,
      `{__name__="up", instance="${pgAddr}", job="pushgateway"}`,
    ].sort());
    const labels = await run('/usr/bin/promtool', ['query', 'labels', ours, 'job']);
    // Other tests on this machine may push to a pushgateway too; ours must be among the answers.
    expect(labels.stdout.trim().split('\n')).toEqual(expect.arrayContaining(['my_job', 'node', 'pushgateway']));
  });

  it('is federated by a real Prometheus', async () => {
    const fed = await query(theirs, 'batch_runs_total');
    expect(fed[0]!.metric).toMatchObject({ job: 'my_job', instance: 'pushed' });
    expect(fed[0]!.value[1]).toBe('7');
    const fedUp = await query(theirs, 'up{job="pushgateway"}');
    expect(fedUp.map((r) => [r.metric.instance, r.value[1]])).toEqual([[pgAddr, '1']]);
  });

  it('receives remote writes from a real Prometheus', async () => {
    const received = await waitFor(async () => query(ours, '{replica="real"}'), (r) => r.length >= 1, 20_000);
    expect(received.map((r) => [r.metric.__name__, r.metric.job, r.metric.instance])).toEqual([['node_load1', 'node', nodeAddr]]);
  });

  it('gives the same PromQL answers as the real Prometheus on the same node exporter', async () => {
    const t = Date.now() / 1000 - 1;
    const queries = [
      'count(node_cpu_seconds_total{job="node"}) by (mode)',
      'count by (__name__) ({job="node", __name__=~"node_(cpu|memory|filesystem|network)_.*"})',
      'sum(node_memory_MemTotal_bytes{job="node"})',
      'count(rate(node_cpu_seconds_total{job="node"}[10s]) >= 0)',
      'max(scrape_samples_post_metric_relabeling{job="node"}) > 0',
    ];
    for (const q of queries) {
      const norm = (rs: Result[]) =>
        rs.map((r) => `${JSON.stringify(Object.entries(r.metric).sort())} ${q.startsWith('max(scrape') ? 'n' : r.value[1]}`).sort();
      const a = norm(await query(ours, q, t));
      const b = norm(await query(theirs, q, t));
      expect(a, q).toEqual(b);
    }
  });
});
