// All remote_write queues of the server. A config reload keeps queues whose config (and the
// external labels) did not change, stops removed ones and starts new ones; a changed queue
// restarts from its progress marker, so a reload loses nothing either.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { MetricFamily } from '@promethium/exposition';
import type { Config, RemoteWriteConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { QueueManager } from './queue-manager.js';
import { collectQueueMetrics } from './queue-metrics.js';

export interface RemoteStorageOptions {
  walDir: string;
  /** Where progress markers live (a directory beside the WAL). */
  progressDir: string;
  logger: Logger;
  pollMs?: number;
  reshardIntervalMs?: number;
  /** Highest sample timestamp appended to storage (ms), for ..._highest_timestamp_in_seconds. */
  highestTimestamp?: () => number;
  /** --storage.remote.flush-deadline: how long stopping or reloading a queue may spend sending. */
  flushDeadlineMs?: number;
}

function configHash(cfg: RemoteWriteConfig, external: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify({ cfg, external })).digest('hex');
}

/** Prometheus names an unnamed queue by the first 6 hex digits of its config's hash. */
export function remoteName(cfg: RemoteWriteConfig): string {
  return cfg.name ?? createHash('sha256').update(JSON.stringify(cfg)).digest('hex').slice(0, 6);
}

/** The marker survives config edits: keyed by the name, or the URL for an unnamed queue. */
function markerFile(dir: string, cfg: RemoteWriteConfig): string {
  const key = cfg.name ? `name-${cfg.name.replace(/[^A-Za-z0-9_.-]/g, '_')}` : `url-${createHash('sha256').update(cfg.url).digest('hex').slice(0, 16)}`;
  return path.join(dir, `${key}.json`);
}

export class RemoteStorage {
  private readonly opts: RemoteStorageOptions;
  private queues = new Map<string, QueueManager>();

  constructor(opts: RemoteStorageOptions) {
    this.opts = opts;
  }

  async applyConfig(config: Config): Promise<void> {
    const external = config.global.external_labels;
    const next = new Map<string, QueueManager>();
    const toStart: QueueManager[] = [];
    const wanted = new Map<string, RemoteWriteConfig>();
    for (const cfg of config.remote_write) wanted.set(configHash(cfg, external), cfg);
    const stopping: Promise<void>[] = [];
    for (const [hash, q] of this.queues) if (!wanted.has(hash)) stopping.push(q.stop(this.opts.flushDeadlineMs));
    // A queue's marker must be saved before its successor reads it.
    await Promise.all(stopping);
    for (const [hash, cfg] of wanted) {
      const running = this.queues.get(hash);
      if (running) {
        next.set(hash, running);
        continue;
      }
      const q = new QueueManager({
        config: cfg,
        name: remoteName(cfg),
        externalLabels: external,
        walDir: this.opts.walDir,
        progressFile: markerFile(this.opts.progressDir, cfg),
        logger: this.opts.logger,
        pollMs: this.opts.pollMs,
        reshardIntervalMs: this.opts.reshardIntervalMs,
      });
      next.set(hash, q);
      toStart.push(q);
    }
    this.queues = next;
    for (const q of toStart) q.start();
  }

  queueList(): QueueManager[] {
    return [...this.queues.values()];
  }

  /** Wakes the watchers after a commit, so sending does not wait for the next poll. */
  notify(): void {
    for (const q of this.queues.values()) q.poke();
  }

  collect(): MetricFamily[] {
    const ts = this.opts.highestTimestamp?.();
    return collectQueueMetrics(
      this.queueList().map((q) => ({ metrics: q.metrics, pending: q.pendingSamples() })),
      ts !== undefined && Number.isFinite(ts) ? ts / 1000 : undefined,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.queueList().map((q) => q.stop(this.opts.flushDeadlineMs)));
    this.queues.clear();
  }
}
