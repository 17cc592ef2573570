// Opens a data directory a real Prometheus 2.42 wrote (Snappy-compressed WAL, its default) and
// killed with SIGKILL, and checks every series and sample it answered through its API before
// the kill. Skipped when /usr/bin/prometheus is absent.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDB } from '../db.js';
import { nopLogger } from '../logger.js';
import { Matcher } from '../matcher.js';
import { isStaleNaN } from '../storage.js';
import { PROMETHEUS, freePort, hasPrometheus, tempDir } from '../test-support/blocks.js';
import { FLAG_SNAPPY, PAGE_SIZE, RECORD_HEADER_SIZE, listSegments, segmentName } from './segments.js';

/** Counts fragments with the Snappy flag by walking the page framing. */
function snappyFragments(buf: Uint8Array): number {
  let n = 0;
  let pos = 0;
  while (pos + RECORD_HEADER_SIZE <= buf.length) {
    const pageEnd = (Math.floor(pos / PAGE_SIZE) + 1) * PAGE_SIZE;
    if (buf[pos] === 0 || pageEnd - pos < RECORD_HEADER_SIZE) {
      pos = pageEnd;
      continue;
    }
    if (buf[pos]! & FLAG_SNAPPY) n++;
    pos += RECORD_HEADER_SIZE + ((buf[pos + 1]! << 8) | buf[pos + 2]!);
  }
  return n;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasPrometheus)('a WAL written by Prometheus 2.42', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('opens after SIGKILL with the series and samples Prometheus answered', async () => {
    const tmp = tempDir('promethium-promwal-');
    cleanups.push(tmp.cleanup);
    const data = join(tmp.dir, 'data');
    const config = join(tmp.dir, 'prometheus.yml');
    const port = await freePort();
    // Prometheus scrapes itself every second: a few hundred real series of counters, gauges, histograms.
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const proc = spawn(
      PROMETHEUS,
      [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise((r) => proc.once('exit', r));
    cleanups.push(async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/-/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 150 || proc.exitCode !== null) throw new Error(`prometheus did not become ready: ${stderr}`);
      await sleep(200);
    }
    // The first scrape comes a few seconds after start (Prometheus throttles target updates).
    const upSamples = async (): Promise<number> => {
      const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('count_over_time(up[1h])')}`);
      const b = (await r.json()) as { data: { result: { value: [number, string] }[] } };
      return Number(b.data.result[0]?.value[1] ?? 0);
    };
    for (let i = 0; (await upSamples()) < 4; i++) {
      if (i > 100) throw new Error(`prometheus did not scrape itself: ${stderr}`);
      await sleep(300);
    }
    // Stop scraping (the target goes away: Prometheus writes stale markers), so nothing is
    // appended between the API answer and the kill.
    writeFileSync(config, 'global:\n  scrape_interval: 1s\n');
    proc.kill('SIGHUP');
    await sleep(2500);
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('{__name__=~".+"}[1h]')}`);
    const body = (await res.json()) as {
      status: string;
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    expect(body.status).toBe('success');
    proc.kill('SIGKILL');
    await exited;

    const want = new Map<string, [number, number][]>();
    for (const r of body.data.result) {
      const key = Object.entries(r.metric)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      want.set(key, r.values.map(([t, v]) => [Math.round(t * 1000), Number(v)]));
    }
    expect(want.size).toBeGreaterThan(100);

    // The WAL is really compressed: at least one fragment carries the Snappy flag.
    const walDir = join(data, 'wal');
    let compressed = 0;
    for (const seg of listSegments(walDir)) compressed += snappyFragments(readFileSync(segmentName(walDir, seg)));
    expect(compressed).toBeGreaterThan(0);

    const db = await openDB(data, { logger: nopLogger, compactionInterval: 0, headSnapshot: false });
    cleanups.push(() => db.close());
    expect(db.replayStats.repaired).toBeUndefined();
    const got = new Map<string, [number, number][]>();
    const q = db.querier(-Infinity, Infinity);
    for (const s of q.select([new Matcher('=~', '__name__', '.+')])) {
      const pts: [number, number][] = [];
      const it = s.iterator();
      while (it.next()) if (!isStaleNaN(it.value())) pts.push([it.at(), it.value()]);
      if (pts.length === 0) continue;
      const key = s.labels
        .toArray()
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      got.set(key, pts);
    }
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, pts] of want) expect(got.get(k), k).toEqual(pts);
  }, 60_000);
});
