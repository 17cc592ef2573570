// Our sender against Prometheus 2.42's own remote-write receiver (the reference decoder): every
// sample of a WAL arrives, external labels included, and Prometheus answers the same values.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, listSegments, nopLogger, openDB } from '@promethium/tsdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { NOP_LOGGER } from '../log/logger.js';
import { freePort } from '../testing/http-target.js';
import { waitFor } from '../testing/wait.js';
import { writeProgress } from './progress.js';
import { QueueManager } from './queue-manager.js';

const PROM = '/usr/bin/prometheus';

describe.skipIf(!existsSync(PROM))('remote write into a real Prometheus 2.42 receiver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-rw-prom-rx-'));
  let prom: ChildProcess;
  let promUrl = '';
  beforeAll(async () => {
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'p.yml'), 'global:\n  scrape_interval: 1m\n');
    prom = spawn(PROM, [`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver'], { stdio: 'ignore' });
    await waitFor(async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.status, (s) => s === 200, 20_000);
  }, 30_000);
  afterAll(() => {
    prom?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus stores every sample we send and answers the same values', async () => {
    const db = await openDB(join(dir, 'ours'), { logger: nopLogger, compactionInterval: 0, walSync: 'none' });
    const t0 = Date.now() - 600_000;
    for (let k = 0; k < 20; k++) {
      const app = db.appender();
      for (let i = 0; i < 50; i++) app.append(0, Labels.from({ __name__: 'rw_check', idx: String(i) }), t0 + k * 15_000, k * 100 + i + 0.25);
      await app.commit();
    }
    const walDir = join(dir, 'ours', 'wal');
    writeProgress(join(dir, 'm.json'), { segment: listSegments(walDir)[0]!, offset: 0, url: '' });
    const yaml = `global:\n  external_labels:\n    cluster: c1\nremote_write:\n  - url: ${promUrl}/api/v1/write\n    queue_config:\n      batch_send_deadline: 100ms\n      max_samples_per_send: 300\n`;
    const cfg = parseConfig(yaml, 't.yml').config;
    const q = new QueueManager({ config: cfg.remote_write[0]!, name: 'prom', externalLabels: cfg.global.external_labels, walDir, progressFile: join(dir, 'm.json'), logger: NOP_LOGGER, pollMs: 10 });
    q.start();
    try {
      await waitFor(() => q.metrics.samplesTotal, (n) => n >= 1000, 15_000);
      await waitFor(() => q.pendingSamples(), (n) => n === 0, 15_000);
      expect(q.metrics.samplesFailed).toBe(0);
      const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('count_over_time(rw_check{cluster="c1"}[20m])')}&time=${(t0 + 19 * 15_000) / 1000}`);
      const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      expect(body.data.result).toHaveLength(50);
      expect(body.data.result.every((s) => s.value[1] === '20')).toBe(true);
      const v = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('rw_check{idx="7"}')}&time=${(t0 + 19 * 15_000) / 1000}`);
      const vb = (await v.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      expect(vb.data.result).toEqual([{ metric: { __name__: 'rw_check', cluster: 'c1', idx: '7' }, value: [(t0 + 19 * 15_000) / 1000, '1907.25'] }]);
    } finally {
      await q.stop();
      await db.close();
    }
  }, 40_000);

  it('a remote write 2.0 queue notices that Prometheus 2.42 (1.0 only) wrote nothing and counts the samples failed', async () => {
    const db = await openDB(join(dir, 'ours-v2'), { logger: nopLogger, compactionInterval: 0, walSync: 'none' });
    const t0 = Date.now() - 600_000;
    for (let k = 0; k < 4; k++) {
      const app = db.appender();
      for (let i = 0; i < 25; i++) app.append(0, Labels.from({ __name__: 'rw_v2_check', idx: String(i) }), t0 + k * 15_000, k + i);
      await app.commit();
    }
    const walDir = join(dir, 'ours-v2', 'wal');
    writeProgress(join(dir, 'm2.json'), { segment: listSegments(walDir)[0]!, offset: 0, url: '' });
    const yaml = `remote_write:\n  - url: ${promUrl}/api/v1/write\n    protobuf_message: io.prometheus.write.v2.Request\n    queue_config:\n      batch_send_deadline: 100ms\n`;
    const cfg = parseConfig(yaml, 't.yml').config;
    const q = new QueueManager({ config: cfg.remote_write[0]!, name: 'prom-v2', externalLabels: {}, walDir, progressFile: join(dir, 'm2.json'), logger: NOP_LOGGER, pollMs: 10 });
    q.start();
    try {
      // Prometheus 2.42 ignores the Content-Type, decodes the 2.0 body as an empty WriteRequest
      // and answers 204 without the written-count headers: every sample is counted failed.
      await waitFor(() => q.metrics.samplesFailed, (n) => n === 100, 15_000);
      const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('count(rw_v2_check)')}&time=${(t0 + 3 * 15_000) / 1000}`);
      expect(((await r.json()) as { data: { result: unknown[] } }).data.result).toEqual([]);
    } finally {
      await q.stop();
      await db.close();
    }
  }, 40_000);
});
