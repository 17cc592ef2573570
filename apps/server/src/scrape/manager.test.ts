import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { NOP_LOGGER } from '../log/logger.js';
import { startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { TempDB } from '../testing/temp-db.js';
import { waitFor } from '../testing/wait.js';
import { ScrapeManager } from './manager.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

describe('ScrapeManager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-scrape-'));
  let a: HttpTarget;
  let b: HttpTarget;
  let manager: ScrapeManager | undefined;
  beforeAll(async () => {
    a = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('from_a 1\n');
    });
    b = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('from_b 2\n');
    });
  });
  let storage: TempDB;
  beforeEach(async () => {
    storage = await TempDB.open();
  });
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
    await storage.close();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cfg = (yaml: string) => parseConfig(yaml, join(dir, 'prometheus.yml')).config;

  it('runs one pool per job with relabeling and dropped targets', async () => {
    manager = new ScrapeManager({ appendable: storage, logger: NOP_LOGGER });
    await manager.applyConfig(
      cfg(`
global: { scrape_interval: 200ms }
scrape_configs:
  - job_name: one
    static_configs: [{ targets: ['${a.address}', 'drop.me:1'], labels: { team: x } }]
    relabel_configs:
      - source_labels: [__address__]
        regex: drop\\.me:1
        action: drop
  - job_name: two
    metrics_path: /custom
    params: { format: [prometheus] }
    static_configs: [{ targets: ['${b.address}'] }]
`),
    );
    await waitFor(() => storage.find('from_b').length + storage.find('from_a').length, (n) => n === 2);
    const one = manager.pool('one')!;
    expect(one.activeTargets()).toHaveLength(1);
    expect(one.activeTargets()[0]!.publicLabels.toObject()).toEqual({ instance: a.address, job: 'one', team: 'x' });
    expect(one.droppedTargets().map((d) => d.discoveredLabels.get('__address__'))).toEqual(['drop.me:1']);
    const two = manager.pool('two')!.activeTargets()[0]!;
    expect(two.scrapeUrl).toBe(`http://${b.address}/custom?format=prometheus`);
    expect(b.requests.at(-1)!.url).toBe('/custom?format=prometheus');
    await waitFor(() => two.health, (h) => h === 'up');
  });

  it('keeps unchanged pools on reload and marks removed jobs stale', async () => {
    manager = new ScrapeManager({ appendable: storage, logger: NOP_LOGGER });
    const both = `
global: { scrape_interval: 200ms }
scrape_configs:
  - job_name: one
    static_configs: [{ targets: ['${a.address}'] }]
  - job_name: two
    static_configs: [{ targets: ['${b.address}'] }]
`;
    await manager.applyConfig(cfg(both));
    const poolOne = manager.pool('one');
    await waitFor(() => storage.find('from_b')[0]?.samples.length ?? 0, (n) => n >= 1);
    await manager.applyConfig(cfg(both.replace(/ {2}- job_name: two[\s\S]*$/, '')));
    expect(manager.pool('one')).toBe(poolOne);
    expect(manager.pool('two')).toBeUndefined();
    const fromB = storage.find('from_b')[0]!;
    expect(fromB.stale.size).toBe(1);
    expect(fromB.stale.has(fromB.samples.length - 1)).toBe(true);
  });

  it('keeps series caches across a reload, so series that vanish with it go stale', async () => {
    let body = 'keep_me 1\ngone_soon 2\n';
    const t = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end(body);
    });
    try {
      manager = new ScrapeManager({ appendable: storage, logger: NOP_LOGGER });
      // sample_limit changes neither target labels nor series labels, so the caches stay valid.
      const yaml = (limit: number) => `scrape_configs:\n  - job_name: r\n    scrape_interval: 200ms\n    sample_limit: ${limit}\n    static_configs: [{ targets: ['${t.address}'] }]\n`;
      await manager.applyConfig(cfg(yaml(100)));
      await waitFor(() => storage.find('gone_soon')[0]?.samples.length ?? 0, (n) => n >= 1);
      body = 'keep_me 1\n';
      const before = manager.pool('r');
      await manager.applyConfig(cfg(yaml(200)));
      expect(manager.pool('r')).not.toBe(before);
      await waitFor(() => storage.find('gone_soon')[0]?.stale.size ?? 0, (n) => n === 1);
      const added = storage.find('scrape_series_added')[0]!.samples.map((s) => s[1]);
      // The first scrape after the reload found nothing new: the cache carried over.
      expect(added.slice(1).every((v) => v === 0)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('discovers targets from files and follows edits', async () => {
    const sdFile = join(dir, 'targets.json');
    writeFileSync(sdFile, JSON.stringify([{ targets: [a.address], labels: { zone: 'z1' } }]));
    manager = new ScrapeManager({ appendable: storage, logger: NOP_LOGGER });
    await manager.applyConfig(
      cfg(`
scrape_configs:
  - job_name: files
    scrape_interval: 200ms
    file_sd_configs: [{ files: ['*.json'], refresh_interval: 1m }]
    relabel_configs:
      - source_labels: [__meta_filepath]
        regex: '.*/(.*)'
        target_label: sd_file
`),
    );
    const pool = manager.pool('files')!;
    expect(pool.activeTargets().map((t) => t.publicLabels.toObject())).toEqual([
      { instance: a.address, job: 'files', sd_file: 'targets.json', zone: 'z1' },
    ]);
    expect(pool.activeTargets()[0]!.discoveredLabels.get('__meta_filepath')).toBe(sdFile);
    writeFileSync(sdFile, JSON.stringify([{ targets: [b.address] }]));
    await waitFor(() => pool.activeTargets().map((t) => t.labels.get('__address__')), (v) => v.join() === b.address);
    // A broken edit keeps the last good targets.
    writeFileSync(sdFile, '[{"targets": [');
    await new Promise((r) => setTimeout(r, 300));
    expect(pool.activeTargets().map((t) => t.labels.get('__address__'))).toEqual([b.address]);
  });

  it('enforces target_limit', async () => {
    manager = new ScrapeManager({ appendable: storage, logger: NOP_LOGGER });
    await manager.applyConfig(
      cfg(`
scrape_configs:
  - job_name: many
    target_limit: 1
    static_configs: [{ targets: ['${a.address}', '${b.address}'] }]
`),
    );
    const targets = manager.pool('many')!.activeTargets();
    expect(targets).toHaveLength(2);
    expect(targets[0]!.lastError).toBe('target_limit exceeded (number of targets: 2, limit: 1)');
  });
});
