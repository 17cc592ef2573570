// The same pushes land in Debian's real Pushgateway 1.5.1 and in Promethium's own
// (apps/pushgateway in this repository), and both store the same thing (/api/v1/metrics).
// Skips when either is absent (the app lives outside this package; a clone of the client alone
// has no apps/).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry, Summary, deleteFromGateway, pushAddToGateway, pushToGateway } from '../src/index.js';
import { startDaemon, type Daemon } from './support/daemon.js';

const REAL = '/usr/bin/prometheus-pushgateway';
const APP = join(dirname(fileURLToPath(import.meta.url)), '../../../apps/pushgateway/src');
const OURS = join(APP, 'main.ts');
// The push API (a bare app skeleton has main.ts but no API yet).
const OURS_READY = existsSync(OURS) && existsSync(join(APP, 'api-v1.ts'));
// The daemon runs in a temp dir, where a bare `--import tsx` would not resolve.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type Group = Record<string, unknown> & { labels: Record<string, string> };

async function stored(d: Daemon, job: string): Promise<Group | undefined> {
  const j = (await (await fetch(`${d.base}/api/v1/metrics`)).json()) as { data: Group[] };
  const g = j.data.find((x) => x.labels.job === job);
  if (g === undefined) return undefined;
  // Push times differ between the two runs; everything else must not.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(g)) {
    if (k === 'push_time_seconds' || k === 'push_failure_time_seconds') continue;
    out[k] = typeof v === 'object' && v !== null && 'time_stamp' in v ? { ...v, time_stamp: undefined } : v;
  }
  return out as Group;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  let v = await read();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}

function registry(n: number): Registry {
  const r = new Registry();
  const c = new Counter({ name: 'cmp_records_total', help: 'Records processed.', labelNames: ['kind'], registers: [r] });
  c.inc({ kind: 'a' }, 5 * n);
  c.inc({ kind: 'b\\"quoted"' }, 1);
  new Gauge({ name: 'cmp_last_success_seconds', help: 'Last success.', registers: [r] }).set(1700000000.5 + n);
  const h = new Histogram({ name: 'cmp_duration_seconds', help: 'Duration.', buckets: [0.1, 1], registers: [r] });
  h.observe(0.5 * n);
  new Summary({ name: 'cmp_size_bytes', help: 'Size.', percentiles: [0.5, 0.9], registers: [r] }).observe(1024);
  return r;
}

describe.skipIf(!existsSync(REAL) || !OURS_READY)('pushes to the real and to our Pushgateway', () => {
  let real: Daemon;
  let ours: Daemon;
  beforeAll(async () => {
    [real, ours] = await Promise.all([
      startDaemon(REAL, (port, dir) => [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${dir}/pgw.db`], '/-/ready'),
      startDaemon(
        process.execPath,
        (port, dir) => [
          '--conditions=@promethium/source',
          '--import',
          TSX,
          OURS,
          `--web.listen-address=127.0.0.1:${port}`,
          `--persistence.file=${dir}/pgw.db`,
        ],
        '/-/ready',
      ),
    ]);
  });
  afterAll(async () => {
    await Promise.all([real?.stop(), ours?.stop()]);
  });

  it('store identical groups after PUT, POST and DELETE', async () => {
    const key = { path: '/var/tmp', empty: '', instance: 'host 1' };
    const job = 'cmp/job';
    for (const d of [real, ours]) {
      await pushToGateway(`127.0.0.1:${d.port}`, job, registry(1), { groupingKey: key });
    }
    const [a, b] = await Promise.all([stored(real, job), stored(ours, job)]);
    expect(a).toBeDefined();
    expect(b).toEqual(a);

    const extra = new Registry();
    new Gauge({ name: 'cmp_extra', help: 'Added by POST.', registers: [extra] }).set(3);
    for (const d of [real, ours]) {
      await pushAddToGateway(`127.0.0.1:${d.port}`, job, extra, { groupingKey: key, compression: 'gzip' });
    }
    const withExtra = (g: Group | undefined) => g !== undefined && 'cmp_extra' in g;
    const [c, e] = await Promise.all([eventually(() => stored(real, job), withExtra), eventually(() => stored(ours, job), withExtra)]);
    expect(e).toEqual(c);

    for (const d of [real, ours]) await deleteFromGateway(`127.0.0.1:${d.port}`, job, { groupingKey: key });
    const gone = (g: Group | undefined) => g === undefined;
    expect(await eventually(() => stored(real, job), gone)).toBeUndefined();
    expect(await eventually(() => stored(ours, job), gone)).toBeUndefined();
  });
});
