// pmtool tsdb dump on a real Prometheus 2.42 data directory (head in the WAL only, plain or
// snappy-compressed, Prometheus' default) prints what promtool prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolOnCopy } from '../test-support/block-fixture.js';
import { freePort, hasPrometheus, PROMETHEUS_BIN } from '../test-support/real-prometheus.js';
import { pm } from '../test-support/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-dump-prom-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs Prometheus scraping itself every 200 ms until it has a few scrapes, then SIGKILLs it. */
async function prometheusDataDir(name: string, walCompression: boolean): Promise<string> {
  const port = await freePort();
  const cfg = join(tmp, `${name}.yml`);
  writeFileSync(cfg, `global:\n  scrape_interval: 200ms\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
  const data = join(tmp, name);
  const child = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${cfg}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, walCompression ? '--storage.tsdb.wal-compression' : '--no-storage.tsdb.wal-compression'],
    { stdio: 'ignore' },
  );
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=count_over_time(up[1m])`);
        const j = (await r.json()) as { data?: { result?: { value: [number, string] }[] } };
        if (Number(j.data?.result?.[0]?.value[1] ?? 0) >= 3) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error('prometheus did not scrape within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  return data;
}

describe.skipIf(!hasPrometheus)('pmtool tsdb dump on a Prometheus 2.42 data directory', () => {
  let plain = '';
  let snappy = '';
  beforeAll(async () => {
    [plain, snappy] = await Promise.all([prometheusDataDir('plain', false), prometheusDataDir('snappy', true)]);
  }, 60_000);
  it('reads an uncompressed WAL as promtool does', async () => {
    const ours = await pm(['tsdb', 'dump', '--match={job="self"}', plain]);
    const theirs = promtoolOnCopy(plain, (p) => ['tsdb', 'dump', '--match={job="self"}', p]);
    expect(ours.err).toBe('');
    expect(ours.out.split('\n').length).toBeGreaterThan(100);
    expect(ours.out).toBe(theirs.out);
  });
  it('reads a snappy-compressed WAL as promtool does', async () => {
    const ours = await pm(['tsdb', 'dump', snappy]);
    const theirs = promtoolOnCopy(snappy, (p) => ['tsdb', 'dump', p]);
    expect(ours.err).toBe('');
    expect(ours.out.split('\n').length).toBeGreaterThan(100);
    expect(ours.out).toBe(theirs.out);
  });
});
