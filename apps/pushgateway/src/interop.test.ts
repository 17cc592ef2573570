// Interop with Debian's real components: prometheus_client (python3) pushing to us, a real
// Prometheus 2.42 scraping us, and the real Pushgateway 1.5.1 given the same pushes as us.
// Each part skips when its binary is absent, so a clone without them still passes.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeProtobuf } from '@promethium/exposition';
import { freePort } from './testing/free-port.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createPushgateway, silentLogger, type Pushgateway } from './index.js';

const PYTHON = '/usr/bin/python3';
const PROMETHEUS = '/usr/bin/prometheus';
const REAL_PGW = '/usr/bin/prometheus-pushgateway';
const hasPythonClient = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import prometheus_client']).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'pg-interop-'));
const children: ChildProcess[] = [];
const gateways: Pushgateway[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const g of gateways) await g.close();
  rmSync(dir, { recursive: true, force: true });
});


async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch {
      // not there yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ours(): Promise<string> {
  const pg = createPushgateway({ listenAddress: '127.0.0.1:0', logger: silentLogger });
  gateways.push(pg);
  return (await pg.listen()).url;
}

async function realPushgateway(): Promise<string> {
  const port = await freePort();
  // Always pass --persistence.file: Debian's default is /var/lib/prometheus/pushgateway.data.
  const child = spawn(REAL_PGW, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, `real-${port}.data`)}`], { stdio: 'ignore' });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await until('the real pushgateway', async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined));
  return base;
}

const SCRIPT = `
import os, sys
from prometheus_client import CollectorRegistry, Counter, Gauge, delete_from_gateway, push_to_gateway, pushadd_to_gateway
gw = os.environ['PG']
# The project's seed example, verbatim apart from the address.
counter = Counter('errors', 'Errors in my app')
counter.inc()
push_to_gateway(gw, job='my_job', registry=None)
r = CollectorRegistry()
Gauge('batch_last_success', 'Last success', registry=r).set(1234.5)
pushadd_to_gateway(gw, job='batch', registry=r, grouping_key={'path': '/var/tmp', 'space': 'a b', 'empty': ''})
Gauge('batch_items', 'Items', registry=r).set(7)
pushadd_to_gateway(gw, job='batch', registry=r, grouping_key={'path': '/var/tmp', 'space': 'a b', 'empty': ''})
r2 = CollectorRegistry()
Gauge('temp', 'Temp', registry=r2).set(1)
push_to_gateway(gw, job='to_delete', registry=r2)
delete_from_gateway(gw, job='to_delete')
r3 = CollectorRegistry()
Gauge('errors_total', 'not a counter', registry=r3).set(1)
try:
    push_to_gateway(gw, job='clash', registry=r3)
    print('no error')
except Exception as e:
    print('refused:', e)
`;

// Asynchronous: our pushgateway runs in this process and must keep answering meanwhile.
function runPython(gw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', SCRIPT], { env: { ...process.env, PG: gw }, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python failed: ${err.message} ${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

interface ApiGroup {
  labels: Record<string, string>;
  last_push_successful: boolean;
  [family: string]: unknown;
}

/** /api/v1/metrics without push times (only whether they are set) and time stamps. */
async function storedView(base: string): Promise<unknown[]> {
  const j = (await (await fetch(`${base}/api/v1/metrics`)).json()) as { data: ApiGroup[] };
  return j.data
    .map((g) => {
      const out: Record<string, unknown> = { labels: g.labels, last_push_successful: g.last_push_successful };
      for (const [name, v] of Object.entries(g)) {
        if (name === 'labels' || name === 'last_push_successful') continue;
        const f = v as { type: string; help?: string; metrics: { value?: string }[] };
        const metrics = f.metrics.map((m) =>
          name.startsWith('push_') ? { ...m, value: m.value === '0' ? 'zero' : 'set' } : m,
        );
        out[name] = { type: f.type, help: f.help, metrics: metrics.map((m) => JSON.stringify(m)).sort() };
      }
      return out;
    })
    .sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1));
}

describe.skipIf(!hasPythonClient)('python prometheus_client against our pushgateway', () => {
  it('pushes, push-adds, deletes and gets a 400 for an inconsistent push', async () => {
    const base = await ours();
    expect(await runPython(new URL(base).host)).toBe('refused: HTTP Error 400: Bad Request');
    const view = await storedView(base);
    const byJob = (job: string): Record<string, unknown> | undefined =>
      view.find((g) => (g as { labels: { job: string } }).labels.job === job) as Record<string, unknown> | undefined;
    expect(byJob('my_job')!.errors_total).toMatchObject({ type: 'COUNTER', help: 'Errors in my app', metrics: ['{"labels":{"instance":"","job":"my_job"},"value":"1"}'] });
    expect(byJob('batch')!.labels).toEqual({ empty: '', job: 'batch', path: '/var/tmp', space: 'a+b' });
    expect(Object.keys(byJob('batch')!)).toEqual(expect.arrayContaining(['batch_last_success', 'batch_items']));
    expect(byJob('to_delete')).toBeUndefined();
    expect(byJob('clash')!.last_push_successful).toBe(false);
  });

  it.skipIf(!existsSync(REAL_PGW))('leaves the same stored metrics as the real pushgateway', async () => {
    const [a, b] = [await ours(), await realPushgateway()];
    expect(await runPython(new URL(a).host)).toBe(await runPython(new URL(b).host));
    await new Promise((r) => setTimeout(r, 300)); // the real one applies deletes asynchronously
    // process_*, python_* and *_created come from the Python process and differ run to run.
    const strip = (v: unknown[]): unknown[] =>
      v.map((g) => Object.fromEntries(Object.entries(g as object).filter(([k]) => !k.startsWith('process_') && !k.startsWith('python_') && !k.endsWith('_created'))));
    expect(strip(await storedView(a))).toEqual(strip(await storedView(b)));
  });
});

describe.skipIf(!hasPythonClient || !existsSync(PROMETHEUS))('a real Prometheus scraping us with honor_labels', () => {
  it('finds errors_total{job="my_job"}', async () => {
    const base = await ours();
    await runPython(new URL(base).host);
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['${new URL(base).host}']\n`,
    );
    const prom = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    children.push(prom);
    try {
      const result = await until('errors_total in Prometheus', async () => {
        const r = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('errors_total{job="my_job"}')}`)).json()) as {
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        };
        return r.data.result.length > 0 ? r.data.result : undefined;
      });
      // honor_labels keeps the pushed job; the empty instance label is dropped.
      expect(result).toEqual([{ metric: { __name__: 'errors_total', job: 'my_job' }, value: [expect.any(Number), '1'] }]);
      const up = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=up`)).json()) as { data: { result: { value: [number, string] }[] } };
      expect(up.data.result[0]!.value[1]).toBe('1');
    } finally {
      prom.kill('SIGTERM');
      await new Promise((r) => (prom.exitCode !== null ? r(null) : prom.once('exit', r)));
    }
  });
});

const PB = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/**
 * [method, path, body, headers, how to compare the answer bodies]: 'exact'; 'parse' for parse
 * errors (ours say line:column on purpose); 'clash' for type clashes, where the real one names
 * whichever of the two clashing metrics its Go map iteration meets second (it varies run to run;
 * ours always names the pushed one).
 */
type Step = [string, string, string | Uint8Array | undefined, Record<string, string>, 'exact' | 'parse' | 'clash'];
const STEPS: Step[] = [
  ['PUT', '/metrics/job/t', '# TYPE t1 counter\nt1 1\n', {}, 'exact'],
  ['POST', '/metrics/job/t', '# TYPE t2 gauge\nt2 5\n', {}, 'exact'],
  ['POST', '/metrics/job/bad', 'foo{a="1" 1\n', {}, 'parse'],
  ['POST', '/metrics/job/bad', 'foo abc\n', {}, 'parse'],
  ['POST', '/metrics/job/bad', '# TYPE x counter\n# TYPE x gauge\nx 1\n', {}, 'parse'],
  ['POST', '/metrics/job/other', '# TYPE t1 gauge\nt1 2\n', {}, 'clash'],
  ['POST', '/metrics/job/t', '# TYPE t1 gauge\nt1 2\n', {}, 'exact'],
  ['PUT', '/metrics/job/ha', '# HELP h1 first\n# TYPE h1 gauge\nh1 1\n', {}, 'exact'],
  ['POST', '/metrics/job/hc', 'h1 3\n', {}, 'clash'],
  ['POST', '/metrics/job/hb', '# HELP h1 second\n# TYPE h1 gauge\nh1 2\n', {}, 'exact'],
  ['POST', '/metrics/job/ts', 'ts_metric 1 1600000000000\n', {}, 'exact'],
  ['POST', '/metrics/job/dup', 'dup 1\ndup 2\n', {}, 'exact'],
  ['POST', '/metrics/job/url', 'lbl_metric{job="body",instance="i1",k="v"} 1\n', {}, 'exact'],
  ['POST', '/metrics/job/empty', '', {}, 'exact'],
  ['POST', '/metrics/', 'x 1\n', {}, 'exact'],
  ['POST', '/metrics/job@base64/L3Zhci90bXA=/instance/i', 'b64 1\n', {}, 'exact'],
  ['POST', '/metrics/job/sp/x/a%20b/e@base64/=/p@base64/YS9i', 'sp 1\n', {}, 'exact'],
  ['GET', '/metrics/job/t', undefined, {}, 'exact'],
  ['DELETE', '/metrics/job/t', undefined, {}, 'exact'],
  ['DELETE', '/metrics/job/never', undefined, {}, 'exact'],
  ['POST', '/metrics/job/j/__a/a', 'x 1\n', {}, 'exact'],
  ['POST', '/metrics/job/j/a', 'x 1\n', {}, 'exact'],
  ['POST', '/metrics/job/j/1bad/x', 'x 1\n', {}, 'exact'],
  ['POST', '/metrics/job@base64/a', 'x 1\n', {}, 'exact'],
  ['PUT', '/metrics/job/sum', '# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 2\ns_count 3\n# TYPE hh histogram\nhh_bucket{le="1"} 1\nhh_bucket{le="+Inf"} 2\nhh_sum 3\nhh_count 2\n', {}, 'exact'],
  ['POST', '/metrics/job/o2', '# TYPE hh_sum gauge\nhh_sum 1\n', {}, 'clash'],
  ['POST', '/metrics/job/o3', '# TYPE s gauge\ns 1e6\n', {}, 'clash'],
  ['POST', '/metrics/job/o4', '# TYPE pushgateway_build_info counter\npushgateway_build_info 1\n', {}, 'exact'],
  ['POST', '/metrics/job/gz', gzipSync(Buffer.from('# TYPE gz gauge\ngz{a="b"} 7\n')), { 'Content-Encoding': 'gzip' }, 'exact'],
  ['PUT', '/metrics/job/pb', encodeProtobuf([{ name: 'pbm', type: 'counter', help: 'From protobuf.', samples: [{ name: 'pbm', labels: { a: 'b' }, value: 3 }] }]), { 'Content-Type': PB }, 'exact'],
  ['PUT', '/metrics/job/url', '', {}, 'exact'],
  ['POST', '/metrics/job/j2', 'x2{instance="a"} 1\n', {}, 'exact'],
  ['POST', '/metrics/job/j2/instance/a', 'x2 1\n', {}, 'exact'],
  ['PUT', '/api/v1/admin/wipe', undefined, {}, 'exact'],
  ['PUT', '/-/quit', undefined, {}, 'exact'],
  ['GET', '/-/healthy', undefined, {}, 'exact'],
];

describe.skipIf(!existsSync(REAL_PGW))('the same pushes against the real Pushgateway 1.5.1 and ours', () => {
  it('give the same status codes, the same messages and the same stored metrics', async () => {
    const [a, b] = [await ours(), await realPushgateway()];
    for (const [method, path, body, headers, mode] of STEPS) {
      const send = async (base: string): Promise<{ status: number; body: string }> => {
        const r = await fetch(base + path, { method, body, headers, redirect: 'manual' });
        return { status: r.status, body: (await r.text()).trim() };
      };
      const [x, y] = [await send(a), await send(b)];
      const what = `${method} ${path}`;
      expect({ what, status: x.status }).toEqual({ what, status: y.status });
      if (mode === 'exact') expect({ what, body: x.body }).toEqual({ what, body: y.body });
      else if (mode === 'parse') expect(x.body).toMatch(/^text parse error at \d+:\d+: /);
      else {
        const clash =
          /^pushed metrics are invalid or inconsistent with existing metrics: (collected metric "\w+" \{ .* \} is not a [A-Z]+|collected [\w ]+ named "\w+" collides with previously collected \w+ named "\w+")$/;
        expect(x.body).toMatch(clash);
        expect(y.body).toMatch(clash);
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await storedView(a)).toEqual(await storedView(b));
  });
});
