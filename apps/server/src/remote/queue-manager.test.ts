import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, nopLogger, openDB, STALE_NAN } from '@promethium/tsdb-core';
import type { DB } from '@promethium/tsdb-core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { NOP_LOGGER } from '../log/logger.js';
import { startTestReceiver } from '../testing/remote-receiver.js';
import type { TestReceiver } from '../testing/remote-receiver.js';
import { waitFor } from '../testing/wait.js';
import { QueueManager } from './queue-manager.js';
import { RemoteStorage } from './remote-storage.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(yamlQueue = ''): Promise<{ db: DB; dir: string; rx: TestReceiver; storage: RemoteStorage; yaml: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pm-rw-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0, walSync: 'none' });
  cleanups.push(() => db.close());
  const rx = await startTestReceiver();
  cleanups.push(() => rx.close());
  const yaml = `global:\n  external_labels:\n    replica: a\nremote_write:\n  - url: ${rx.url}\n    name: rx\n    write_relabel_configs:\n      - source_labels: [__name__]\n        regex: dropped_.*\n        action: drop\n    queue_config:\n      batch_send_deadline: 50ms\n      min_backoff: 10ms\n      max_backoff: 50ms\n${yamlQueue}`;
  const storage = new RemoteStorage({ walDir: join(dir, 'wal'), progressDir: join(dir, 'remote_write'), logger: NOP_LOGGER, pollMs: 20 });
  return { db, dir, rx, storage, yaml };
}

async function appendSamples(db: DB, from: number, to: number, series = 10, name = 'm'): Promise<void> {
  for (let t = from; t < to; t++) {
    const app = db.appender();
    for (let i = 0; i < series; i++) app.append(0, Labels.from({ __name__: name, i: String(i) }), t * 1000, t * 10 + i);
    await app.commit();
  }
}

describe('remote write queue', () => {
  it('sends every sample from the WAL with external labels, write_relabel_configs and the protocol headers', async () => {
    const { db, rx, storage, yaml } = await setup();
    await storage.applyConfig(parseConfig(yaml, 'test.yml').config);
    cleanups.push(() => storage.stop());
    await appendSamples(db, 1, 21);
    await appendSamples(db, 1, 3, 2, 'dropped_metric');
    const app = db.appender();
    app.append(0, Labels.from({ __name__: 'm', i: '0' }), 21_000, STALE_NAN);
    await app.commit();
    await waitFor(() => rx.samples.length, (n) => n === 201);
    expect(rx.protocolErrors).toEqual([]);
    expect(rx.lastHeaders?.['user-agent']).toMatch(/^Promethium\//);
    const highestSent = (): number | undefined => storage.collect().find((f) => f.name === 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds')?.samples[0]?.value;
    await waitFor(highestSent, (v) => v === 21);
    expect(rx.samples.filter((s) => s.series === '__name__="m",i="3",replica="a"').map((s) => s.t)).toEqual(
      Array.from({ length: 20 }, (_, k) => (k + 1) * 1000),
    );
    const stale = rx.samples.find((s) => s.t === 21_000)!;
    expect(Number.isNaN(stale.v)).toBe(true);
    const fams = storage.collect();
    const val = (name: string): number | undefined => fams.find((f) => f.name === name)?.samples[0]?.value;
    expect(val('prometheus_remote_storage_samples_total')).toBe(201);
    expect(val('prometheus_remote_storage_samples_dropped_total')).toBe(4);
    expect(val('prometheus_remote_storage_samples_failed_total')).toBe(0);
    expect(fams.find((f) => f.name === 'prometheus_remote_storage_samples_total')?.samples[0]?.labels).toEqual({ remote_name: 'rx', url: rx.url });
  });

  it('sends remote write 2.0 requests with the 2.0 headers when protobuf_message asks for them', async () => {
    const { db, rx, storage, yaml } = await setup();
    const v2 = yaml.replace('    name: rx\n', '    name: rx\n    protobuf_message: io.prometheus.write.v2.Request\n');
    await storage.applyConfig(parseConfig(v2, 'test.yml').config);
    cleanups.push(() => storage.stop());
    await appendSamples(db, 1, 3);
    await waitFor(() => rx.requests, (n) => n >= 1);
    expect(rx.lastHeaders?.['content-type']).toBe('application/x-protobuf;proto=io.prometheus.write.v2.Request');
    expect(rx.lastHeaders?.['x-prometheus-remote-write-version']).toBe('2.0.0');
    expect(rx.lastHeaders?.['content-encoding']).toBe('snappy');
  });

  it('retries 500s and 429s (honouring Retry-After) without losing or reordering samples', async () => {
    const { db, rx, storage, yaml } = await setup();
    rx.script.push({ status: 500 }, { status: 503 }, { status: 429, headers: { 'Retry-After': '1' } }, { status: 500 });
    await storage.applyConfig(parseConfig(yaml, 'test.yml').config);
    cleanups.push(() => storage.stop());
    const started = Date.now();
    await appendSamples(db, 1, 11);
    await waitFor(() => rx.samples.length, (n) => n >= 100, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(rx.samples.length).toBe(100);
    for (let i = 0; i < 10; i++) {
      const ts = rx.samples.filter((s) => s.series.includes(`i="${i}"`)).map((s) => s.t);
      expect(ts).toEqual(Array.from({ length: 10 }, (_, k) => (k + 1) * 1000));
    }
    const fams = storage.collect();
    const val = (name: string): number | undefined => fams.find((f) => f.name === name)?.samples[0]?.value;
    expect(val('prometheus_remote_storage_samples_retried_total')).toBeGreaterThanOrEqual(4);
    expect(val('prometheus_remote_storage_samples_failed_total')).toBe(0);
  });

  it('drops and counts batches a receiver rejects with 400, then carries on', async () => {
    const { db, rx, storage, yaml } = await setup('      max_samples_per_send: 10\n');
    rx.script.push({ status: 400 });
    await storage.applyConfig(parseConfig(yaml, 'test.yml').config);
    cleanups.push(() => storage.stop());
    await appendSamples(db, 1, 2);
    await waitFor(() => rx.requests, (n) => n >= 1);
    await appendSamples(db, 2, 3);
    await waitFor(() => rx.samples.length, (n) => n === 10);
    const fams = storage.collect();
    const val = (name: string): number | undefined => fams.find((f) => f.name === name)?.samples[0]?.value;
    expect(val('prometheus_remote_storage_samples_failed_total')).toBe(10);
    expect(rx.samples.every((s) => s.t === 2000)).toBe(true);
  });

  it('resumes from its progress marker after a restart: nothing lost, the WAL not sent again', async () => {
    const { db, rx, storage, yaml, dir } = await setup();
    const cfg = parseConfig(yaml, 'test.yml').config;
    await storage.applyConfig(cfg);
    await appendSamples(db, 1, 11);
    await waitFor(() => rx.samples.length, (n) => n === 100);
    // The receiver goes down; the queue lags behind the WAL while samples keep coming.
    rx.failWith = 503;
    await appendSamples(db, 11, 21);
    await waitFor(() => rx.requests, (n) => n >= 3);
    await storage.stop();
    rx.failWith = undefined;
    const again = new RemoteStorage({ walDir: join(dir, 'wal'), progressDir: join(dir, 'remote_write'), logger: NOP_LOGGER, pollMs: 20 });
    cleanups.push(() => again.stop());
    await again.applyConfig(cfg);
    await appendSamples(db, 21, 26);
    await waitFor(() => rx.samples.length, (n) => n >= 250, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.samples.length).toBe(250);
    const keys = new Set(rx.samples.map((s) => `${s.series}@${s.t}`));
    expect(keys.size).toBe(250);
  });

  it('on reload keeps an unchanged queue and restarts a changed one from its marker', async () => {
    const { db, rx, storage, yaml } = await setup();
    await storage.applyConfig(parseConfig(yaml, 'test.yml').config);
    cleanups.push(() => storage.stop());
    const first = storage.queueList()[0]!;
    await storage.applyConfig(parseConfig(yaml, 'test.yml').config);
    expect(storage.queueList()[0]).toBe(first);
    await appendSamples(db, 1, 6);
    await waitFor(() => rx.samples.length, (n) => n === 50);
    rx.failWith = 500;
    await appendSamples(db, 6, 11);
    await waitFor(() => rx.requests, (n) => n >= 3);
    // A changed queue_config: the old queue stops (its unsent samples stay after the marker).
    await storage.applyConfig(parseConfig(yaml.replace('batch_send_deadline: 50ms', 'batch_send_deadline: 20ms'), 'test.yml').config);
    expect(storage.queueList()[0]).not.toBe(first);
    rx.failWith = undefined;
    await waitFor(() => rx.samples.length, (n) => n >= 100, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(new Set(rx.samples.map((x) => `${x.series}@${x.t}`)).size).toBe(100);
    expect(rx.samples.length).toBe(100);
  });

  it('flushes buffered samples on stop within the flush deadline, and gives up on a dead receiver at it', async () => {
    const { db, rx, dir } = await setup();
    const yaml = `remote_write:\n  - url: ${rx.url}\n    queue_config:\n      batch_send_deadline: 1m\n      min_backoff: 10ms\n      max_backoff: 20ms\n`;
    const mk = (): QueueManager =>
      new QueueManager({ config: parseConfig(yaml, 't.yml').config.remote_write[0]!, name: 'f', externalLabels: {}, walDir: join(dir, 'wal'), progressFile: join(dir, 'f.json'), logger: NOP_LOGGER, pollMs: 10 });
    const q = mk();
    q.start();
    await appendSamples(db, 1, 4);
    await waitFor(() => q.pendingSamples(), (n) => n === 30);
    expect(rx.samples).toHaveLength(0);
    await q.stop(5000);
    expect(rx.samples).toHaveLength(30);
    rx.failWith = 503;
    const q2 = mk();
    q2.start();
    await appendSamples(db, 4, 6);
    await waitFor(() => q2.pendingSamples(), (n) => n === 20);
    const t = Date.now();
    await q2.stop(300);
    expect(Date.now() - t).toBeLessThan(2000);
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('reshards up when sending is the bottleneck and back to min_shards when idle', async () => {
    const { db, rx, dir } = await setup();
    const yaml = `remote_write:\n  - url: ${rx.url}\n    queue_config:\n      min_shards: 1\n      max_shards: 8\n      max_samples_per_send: 100\n      batch_send_deadline: 20ms\n`;
    const q = new QueueManager({
      config: parseConfig(yaml, 't.yml').config.remote_write[0]!,
      name: 'x',
      externalLabels: {},
      walDir: join(dir, 'wal'),
      progressFile: join(dir, 'rw.json'),
      logger: NOP_LOGGER,
      pollMs: 10,
      reshardIntervalMs: 100,
    });
    // Each request takes 30 ms: one shard cannot keep up and a backlog builds.
    rx.delayMs = 30;
    q.start();
    cleanups.push(() => q.stop());
    await appendSamples(db, 1, 201, 50);
    await waitFor(() => q.metrics.shards, (d) => d > 1, 10_000);
    await waitFor(() => rx.samples.length, (n) => n === 10_000, 20_000);
    expect(new Set(rx.samples.map((x) => `${x.series}@${x.t}`)).size).toBe(10_000);
    // Idle again: the desired count falls back towards min_shards.
    await waitFor(() => q.metrics.shardsDesired, (d) => d === 1, 10_000);
  });
});
