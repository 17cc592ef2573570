// Startup over a WAL that takes a moment to replay, as Prometheus behaves: HTTP listens from
// the start, /-/ready answers 503 until replay is done, /api/v1/status/walreplay moves while
// segments load, and every segment is logged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, listSegments, nopLogger, openDB } from '@promethium/tsdb-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runServer } from './testing/child-server.js';
import type { Child } from './testing/child-server.js';
import { freePort } from './testing/http-target.js';

interface Observation {
  ready: number;
  body: string;
  replay: { min: number; max: number; current: number } | undefined;
}

describe('WAL replay at startup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-walreplay-'));
  const children: Child[] = [];
  afterAll(async () => {
    for (const c of children) {
      if (c.proc.exitCode === null && c.proc.signalCode === null) {
        c.proc.kill('SIGKILL');
        await c.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves readiness and live replay progress while the WAL replays', async () => {
    const data = join(dir, 'data');
    // ~1M samples in 128 KiB segments: dozens of segments, each a point where replay yields.
    const db = await openDB(data, { logger: nopLogger, walSegmentSize: 128 * 1024, walSync: 'none', headSnapshot: false, blocks: false });
    const t0 = Date.now() - 20 * 60_000;
    const labels = Array.from({ length: 1000 }, (_, i) => Labels.from({ __name__: 'replay_metric', instance: `host-${i % 50}`, series: String(i) }));
    for (let r = 0; r < 1000; r++) {
      const app = db.appender();
      for (let i = 0; i < labels.length; i++) app.append(0, labels[i]!, t0 + r * 1000, (r * 7 + i) % 101);
      await app.commit();
    }
    await db.close();
    const segs = listSegments(join(data, 'wal'));
    expect(segs.length).toBeGreaterThan(20);
    const lastSeg = segs[segs.length - 1]!;

    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = runServer([`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`]);
    children.push(child);
    const seen: Observation[] = [];
    for (let i = 0; ; i++) {
      if (child.proc.exitCode !== null) throw new Error(`server exited: ${child.output()}`);
      if (i > 6000) throw new Error(`server not ready after 60 s: ${child.output()}`);
      let obs: Observation | undefined;
      try {
        const [ready, wal] = await Promise.all([fetch(`${base}/-/ready`), fetch(`${base}/api/v1/status/walreplay`)]);
        const w = (await wal.json()) as { data: Observation['replay'] };
        obs = { ready: ready.status, body: await ready.text(), replay: w.data };
      } catch {
        // not listening yet
      }
      if (obs) {
        seen.push(obs);
        if (obs.ready === 200) break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    // Seen mid-replay: not ready, with a segment between the first and the last.
    const during = seen.filter((o) => o.ready === 503 && o.replay && o.replay.max === lastSeg && o.replay.current < lastSeg);
    expect(during.length, JSON.stringify(seen.slice(0, 20))).toBeGreaterThan(0);
    expect(during[0]!.body).toBe('Service Unavailable\n');
    expect(during[0]!.replay!.min).toBe(segs[0]);
    // Progress only moves forward.
    const currents = seen.map((o) => o.replay?.current ?? 0).filter((c, i, a) => i === 0 || c !== a[i - 1]);
    expect([...currents].sort((a, b) => a - b)).toEqual(currents);
    expect(seen.at(-1)!.replay).toEqual({ min: segs[0], max: lastSeg, current: lastSeg });
    const out = child.output();
    expect(out).toContain(`msg="WAL segment loaded" segment=${lastSeg} maxSegment=${lastSeg}`);
    expect(out).toMatch(new RegExp(`msg="WAL segment loaded" segment=${segs[0]} maxSegment=${lastSeg}`));
    const q = (await (await fetch(`${base}/api/v1/query?query=count(replay_metric)`)).json()) as { data: { result: { value: [number, string] }[] } };
    expect(q.data.result[0]!.value[1]).toBe('1000');
  }, 120_000);
});
