// Our server (the real binary) scrapes a changing target every second and remote-writes to
// Debian's real VictoriaMetrics with the configuration from docs/remote-write.md. The raw
// samples and the answers to the same queries agree on both sides. With PROMETHIUM_VM_OUTAGE=1
// (CI suite 75-victoriametrics.sh), VictoriaMetrics is also stopped for 60 s mid-run and
// restarted on its data directory: afterwards no sample is missing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runServer } from '../testing/child-server.js';
import type { Child } from '../testing/child-server.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { Victoria, hasVictoria } from '../testing/victoria.js';
import type { ExportedSeries } from '../testing/victoria.js';

const OUTAGE = process.env.PROMETHIUM_VM_OUTAGE === '1';

/** The fenced block tagged `remote-write-victoriametrics` in docs/remote-write.md. */
export function docVictoriaBlock(): string {
  const md = readFileSync(join(REPO_ROOT, 'docs/remote-write.md'), 'utf8');
  const m = /```yaml remote-write-victoriametrics\n([\s\S]*?)```/.exec(md);
  if (!m) throw new Error('docs/remote-write.md has no ```yaml remote-write-victoriametrics block');
  return m[1]!;
}

type SampleMap = Map<string, string[]>;

function seriesKey(metric: Record<string, string>): string {
  return Object.keys(metric)
    .filter((k) => k !== 'source')
    .sort()
    .map((k) => `${k}=${metric[k]}`)
    .join(',');
}

interface Harness {
  dir: string;
  vm: Victoria;
  target: HttpTarget;
  server: Child;
  ours: string;
  scrapes: number;
}

async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'pm-vm-'));
  const vm = await Victoria.start(join(dir, 'vm'));
  let scrapes = 0;
  const h = { dir, vm, scrapes } as Harness;
  // Counters and gauges that change on every scrape, with values exact in decimal.
  h.target = await startHttpTarget((_req, res) => {
    h.scrapes = ++scrapes;
    const lines: string[] = ['# TYPE pm_requests_total counter'];
    for (const path of ['/a', '/b', '/c']) lines.push(`pm_requests_total{path="${path}"} ${scrapes * (path.length + path.charCodeAt(1) - 96)}`);
    lines.push('# TYPE pm_temperature_celsius gauge');
    for (let room = 0; room < 5; room++) lines.push(`pm_temperature_celsius{room="r${room}"} ${20 + room + (scrapes % 8) * 0.25}`);
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(`${lines.join('\n')}\n`);
  });
  const port = await freePort();
  h.ours = `http://127.0.0.1:${port}`;
  const block = docVictoriaBlock().replace('http://127.0.0.1:8428', vm.url);
  const config = `global:\n  scrape_interval: 1s\n  external_labels:\n    source: promethium\nscrape_configs:\n  - job_name: vmtest\n    static_configs:\n      - targets: ['${h.target.address}']\n${block}`;
  writeFileSync(join(dir, 'prometheus.yml'), config);
  h.server = runServer([`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`]);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${h.ours}/-/ready`)).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${h.server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return h;
}

async function stopHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  h.server?.proc.kill('SIGKILL');
  await h.server?.exited;
  await h.vm?.stop();
  await h.target?.close();
  rmSync(h.dir, { recursive: true, force: true });
}

async function ourSamples(h: Harness, match: string, startMs: number, endMs: number): Promise<SampleMap> {
  const range = Math.ceil((endMs - startMs) / 1000);
  const q = new URLSearchParams({ query: `${match}[${range}s]`, time: String(endMs / 1000) });
  const r = await fetch(`${h.ours}/api/v1/query?${q.toString()}`);
  const body = (await r.json()) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
  const out: SampleMap = new Map();
  // The range is rounded up to whole seconds: keep only (startMs, endMs], the window asked of VictoriaMetrics.
  for (const s of body.data.result) {
    const inWindow = s.values.filter(([t]) => Math.round(t * 1000) > startMs);
    if (inWindow.length > 0) out.set(seriesKey(s.metric), inWindow.map(([t, v]) => `${Math.round(t * 1000)}:${v}`));
  }
  return out;
}

function vmSamples(series: ExportedSeries[]): SampleMap {
  const out: SampleMap = new Map();
  for (const s of series) {
    const pairs = s.timestamps.map((t, i) => [t, s.values[i]!] as const).sort((a, b) => a[0] - b[0]);
    // Remote write is at-least-once: a batch that timed out may have landed anyway. Identical
    // re-deliveries are not data; anything else (a gap, a different value) still shows.
    out.set(seriesKey(s.metric), [...new Set(pairs.map(([t, v]) => `${t}:${v}`))]);
  }
  return out;
}

const sorted = (m: SampleMap): [string, string[]][] => [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));

/** Waits until VictoriaMetrics holds every sample we hold for the window, then compares. */
async function expectSameRawSamples(h: Harness, startMs: number, endMs: number, timeoutMs: number): Promise<number> {
  const match = '{job="vmtest"}';
  const ours = await ourSamples(h, match, startMs, endMs);
  let theirs: SampleMap = new Map();
  const deadline = Date.now() + timeoutMs;
  const count = (m: SampleMap): number => [...m.values()].reduce((n, v) => n + v.length, 0);
  while (Date.now() < deadline) {
    theirs = vmSamples(await h.vm.export(match, startMs + 1, endMs));
    if (count(theirs) >= count(ours)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // Only the target's own series are exact in VictoriaMetrics' decimal encoding; up is 0/1.
  const exact = (m: SampleMap): SampleMap => new Map([...m].filter(([k]) => /__name__=(pm_|up\b)/.test(k)));
  expect(sorted(exact(theirs))).toEqual(sorted(exact(ours)));
  // Every series arrived, including scrape_duration_seconds & co.
  expect([...theirs.keys()].sort()).toEqual([...ours.keys()].sort());
  return count(exact(ours));
}

async function instant(url: string, query: string, timeSec: number): Promise<string[]> {
  const q = new URLSearchParams({ query, time: String(timeSec) });
  const r = await fetch(`${url}/api/v1/query?${q.toString()}`);
  const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result.map((s) => `${seriesKey(s.metric)} ${s.value[1]}`).sort();
}

async function seriesNames(url: string, match: string, startMs: number, endMs: number): Promise<string[]> {
  const q = new URLSearchParams({ 'match[]': match, start: String(startMs / 1000), end: String(endMs / 1000) });
  const r = await fetch(`${url}/api/v1/series?${q.toString()}`);
  const body = (await r.json()) as { data: Record<string, string>[] };
  return body.data.map(seriesKey).sort();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasVictoria)('remote write to a real VictoriaMetrics', () => {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(() => stopHarness(h), 30_000);

  it('VictoriaMetrics holds the same series and raw samples, and answers the same queries', async () => {
    const start = Date.now();
    await sleep(6000);
    const end = Date.now() - 1500;
    const n = await expectSameRawSamples(h!, start - 10_000, end, 15_000);
    expect(n).toBeGreaterThanOrEqual(8 * 4);
    expect(await seriesNames(h!.vm.url, '{__name__=~"pm_.*"}', start - 10_000, end)).toEqual(
      await seriesNames(h!.ours, '{__name__=~"pm_.*"}', start - 10_000, end),
    );
    for (const q of ['pm_temperature_celsius', 'sum by (path) (pm_requests_total)', 'pm_requests_total{path="/b"} * 2']) {
      const ours = await instant(h!.ours, q, end / 1000);
      expect(ours.length).toBeGreaterThan(0);
      expect(await instant(h!.vm.url, q, end / 1000)).toEqual(ours);
    }
    const metrics = await (await fetch(`${h!.ours}/metrics`)).text();
    expect(metrics).toMatch(/prometheus_remote_storage_samples_total\{remote_name="victoriametrics",url="http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write"\} [1-9]/);
    expect(metrics).toMatch(/prometheus_remote_storage_samples_failed_total\{[^}]*\} 0\n/);
    const gauge = (re: RegExp): number => Number(re.exec(metrics)?.[1]);
    const highest = gauge(/^prometheus_remote_storage_highest_timestamp_in_seconds (\S+)$/m);
    const sent = gauge(/^prometheus_remote_storage_queue_highest_sent_timestamp_seconds\{[^}]*\} (\S+)$/m);
    expect(highest).toBeGreaterThan(start / 1000);
    expect(sent).toBeGreaterThan(start / 1000);
    expect(highest - sent).toBeLessThan(5);
  }, 60_000);

  it.skipIf(!OUTAGE)('VictoriaMetrics stopped for 60 s mid-run: after it returns no sample is missing', async () => {
    const start = Date.now();
    await sleep(5000);
    await h!.vm.stop('SIGTERM');
    const downAt = Date.now();
    await sleep(60_000);
    const metricsDuring = await (await fetch(`${h!.ours}/metrics`)).text();
    expect(metricsDuring).toMatch(/prometheus_remote_storage_samples_retried_total\{[^}]*\} [1-9]/);
    await h!.vm.run();
    await sleep(10_000);
    const end = Date.now() - 1500;
    const n = await expectSameRawSamples(h!, start - 10_000, end, 60_000);
    // About one scrape a second of 9 series for the whole window, the outage included.
    expect(n).toBeGreaterThanOrEqual(9 * Math.floor((end - start) / 1000) * 0.8);
    const ours = await ourSamples(h!, 'up', downAt, downAt + 60_000);
    expect([...ours.values()][0]!.length).toBeGreaterThanOrEqual(50);
    const metrics = await (await fetch(`${h!.ours}/metrics`)).text();
    expect(metrics).toMatch(/prometheus_remote_storage_samples_failed_total\{[^}]*\} 0\n/);
  }, 180_000);

  it.skipIf(!OUTAGE)('VictoriaMetrics frozen (SIGSTOP) for 60 s: requests time out, are retried, nothing is missing', async () => {
    const start = Date.now();
    await sleep(3000);
    h!.vm.pause();
    await sleep(60_000);
    h!.vm.resume();
    await sleep(15_000);
    const end = Date.now() - 1500;
    const n = await expectSameRawSamples(h!, start - 2000, end, 60_000);
    expect(n).toBeGreaterThanOrEqual(9 * Math.floor((end - start) / 1000) * 0.8);
  }, 180_000);
});
