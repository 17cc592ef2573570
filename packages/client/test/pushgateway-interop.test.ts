// Pushes to Debian's real Pushgateway 1.5.1 and reads back what it stored (/api/v1/metrics);
// client_python pushes the same metrics to the same grouping key for comparison.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Pushgateway, PushgatewayError, Registry, Summary } from '../src/index.js';
import { deleteFromGateway, pushAddToGateway, pushToGateway } from '../src/index.js';
import { startDaemon, type Daemon } from './support/daemon.js';

const PGW = '/usr/bin/prometheus-pushgateway';
const PY = '/usr/bin/python3';
const run = promisify(execFile);

interface Group {
  labels: Record<string, string>;
  [family: string]: unknown;
}

async function groups(d: Daemon): Promise<Group[]> {
  const r = await fetch(`${d.base}/api/v1/metrics`);
  const j = (await r.json()) as { data: Group[] };
  return j.data;
}

function group(all: Group[], labels: Record<string, string>): Group | undefined {
  return all.find((g) => JSON.stringify(Object.entries(g.labels).sort()) === JSON.stringify(Object.entries(labels).sort()));
}

/** Pushgateway applies writes through a queue (DELETE answers 202): poll until it shows. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  let v = await read();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}

function registry(): Registry {
  const r = new Registry();
  const c = new Counter({ name: 'batch_records_total', help: 'Records.', labelNames: ['kind'], registers: [r] });
  c.inc({ kind: 'a' }, 5);
  new Gauge({ name: 'batch_last_success_seconds', help: 'Last success.', registers: [r] }).set(1700000000.5);
  new Histogram({ name: 'batch_duration_seconds', help: 'Duration.', buckets: [0.1, 1], registers: [r] }).observe(0.5);
  new Summary({ name: 'batch_size_bytes', help: 'Size.', percentiles: [0.5], registers: [r] }).observe(1024);
  return r;
}

describe.skipIf(!existsSync(PGW))('real Pushgateway 1.5.1', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon(PGW, (port, dir) => [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${dir}/pgw.db`], '/-/ready');
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('stores a push under a grouping key with / and empty values', async () => {
    await pushToGateway(`127.0.0.1:${d.port}`, 'nightly/batch', registry(), {
      groupingKey: { path: '/var/tmp', empty: '', instance: 'host 1' },
    });
    const g = group(await groups(d), { job: 'nightly/batch', path: '/var/tmp', empty: '', instance: 'host 1' });
    expect(g).toBeDefined();
    const fam = g!.batch_records_total as { type: string; help: string; metrics: { labels: Record<string, string>; value: string }[] };
    expect(fam.type).toBe('COUNTER');
    expect(fam.help).toBe('Records.');
    expect(fam.metrics[0]!.value).toBe('5');
    expect(fam.metrics[0]!.labels).toMatchObject({ kind: 'a', job: 'nightly/batch', path: '/var/tmp', instance: 'host 1' });
    const h = g!.batch_duration_seconds as { metrics: { buckets: Record<string, string>; count: string; sum: string }[] };
    expect(h.metrics[0]).toMatchObject({ buckets: { '0.1': '0', '1': '1' }, count: '1', sum: '0.5' });
    const s = g!.batch_size_bytes as { type: string; metrics: { count: string; quantiles: Record<string, string> }[] };
    expect(s.type).toBe('SUMMARY');
    expect(Math.abs(Number(s.metrics[0]!.quantiles['0.5']) - 1024) / 1024).toBeLessThanOrEqual(0.01);
    expect((g!.batch_last_success_seconds as { metrics: { value: string }[] }).metrics[0]!.value).toBe('1.7000000005e+09');
  });

  it('replaces with PUT, adds with POST and deletes the group', async () => {
    const gw = `127.0.0.1:${d.port}`;
    const r1 = new Registry();
    new Gauge({ name: 'a_gauge', help: 'A.', registers: [r1] }).set(1);
    const r2 = new Registry();
    new Gauge({ name: 'b_gauge', help: 'B.', registers: [r2] }).set(2);
    await pushToGateway(gw, 'modes', r1);
    await pushAddToGateway(gw, 'modes', r2, { compression: 'gzip' });
    const both = (x: Group | undefined) => x !== undefined && 'a_gauge' in x && 'b_gauge' in x;
    let g = (await eventually(async () => group(await groups(d), { job: 'modes' }), both))!;
    expect(Object.keys(g).filter((k) => k.endsWith('_gauge')).sort()).toEqual(['a_gauge', 'b_gauge']);
    await pushToGateway(gw, 'modes', r2);
    g = (await eventually(async () => group(await groups(d), { job: 'modes' }), (x) => x !== undefined && !('a_gauge' in x)))!;
    expect(Object.keys(g).filter((k) => k.endsWith('_gauge'))).toEqual(['b_gauge']);
    await deleteFromGateway(gw, 'modes');
    expect(await eventually(async () => group(await groups(d), { job: 'modes' }), (g) => g === undefined)).toBeUndefined();
  });

  it('surfaces the gateway’s 400 with status and body', async () => {
    const gw = `127.0.0.1:${d.port}`;
    const r1 = new Registry();
    new Gauge({ name: 'clash', help: 'c', registers: [r1] }).set(1);
    const r2 = new Registry();
    new Counter({ name: 'clash', help: 'c', registers: [r2] }).inc();
    await pushToGateway(gw, 'one', r1);
    const err = await pushToGateway(gw, 'two', r2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushgatewayError);
    expect(err).toMatchObject({ status: 400 });
    expect((err as PushgatewayError).body).toContain('pushed metrics are invalid or inconsistent with existing metrics');
  });

  it('prom-client-style Pushgateway class round-trips a / in a grouping value', async () => {
    const gw = new Pushgateway(`http://127.0.0.1:${d.port}`, {}, registry());
    await gw.push({ jobName: 'cls', groupings: { path: 'a/b' } });
    expect(group(await groups(d), { job: 'cls', path: 'a/b' })).toBeDefined();
    await gw.delete({ jobName: 'cls', groupings: { path: 'a/b' } });
    expect(await eventually(async () => group(await groups(d), { job: 'cls', path: 'a/b' }), (g) => g === undefined)).toBeUndefined();
  });

  it.skipIf(!existsSync(PY))('stores the same as client_python pushing the same metrics', async () => {
    const script = `
import sys
from prometheus_client import CollectorRegistry, Counter, Gauge, push_to_gateway
r = CollectorRegistry()
c = Counter('py_records', 'Records.', ['kind'], registry=r)
c.labels('a').inc(5)
Gauge('py_last_success_seconds', 'Last success.', registry=r).set(1700000000.5)
push_to_gateway(sys.argv[1], job='cmp/job', registry=r, grouping_key={'path': '/var/tmp', 'empty': ''})
`;
    await run(PY, ['-c', script, `127.0.0.1:${d.port}`], { env: { ...process.env, PROMETHEUS_DISABLE_CREATED_SERIES: 'true' } });
    const key = { job: 'cmp/job', path: '/var/tmp', empty: '' };
    const fromPython = group(await groups(d), key);
    expect(fromPython).toBeDefined();
    const r = new Registry();
    new Counter({ name: 'py_records_total', help: 'Records.', labelNames: ['kind'], registers: [r] }).inc({ kind: 'a' }, 5);
    new Gauge({ name: 'py_last_success_seconds', help: 'Last success.', registers: [r] }).set(1700000000.5);
    await pushToGateway(`127.0.0.1:${d.port}`, 'cmp/job', r, { groupingKey: { path: '/var/tmp', empty: '' } });
    const fromUs = group(await groups(d), key);
    // Same group (our PUT replaced python's), same families, values, labels and help.
    const strip = (g: Group) =>
      Object.fromEntries(
        Object.entries(g)
          .filter(([k]) => k.startsWith('py_'))
          .map(([k, v]) => [k, { ...(v as object), time_stamp: undefined }]),
      );
    expect(strip(fromUs!)).toEqual(strip(fromPython!));
  });
});
