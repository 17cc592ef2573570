// A scrape pool: one job's targets (from static and file discovery, relabeled) and their
// loops. Targets that appear start a loop; targets that vanish get staleness markers.
import type { Appendable, Labels } from '@promethium/tsdb-core';
import type { ScrapeConfig } from '../config/types.js';
import { FileDiscovery } from '../discovery/file-sd.js';
import { staticGroups } from '../discovery/target-group.js';
import type { TargetGroup } from '../discovery/target-group.js';
import type { Logger } from '../log/logger.js';
import { compileRelabel } from '../relabel/relabel.js';
import type { CompiledRelabel } from '../relabel/relabel.js';
import type { ScrapeCache } from './scrape-cache.js';
import { ScrapeLoop } from './scrape-loop.js';
import type { ScrapeMetrics } from './scrape-metrics.js';
import { Target, populateTargetLabels } from './target.js';

export interface DroppedTarget {
  discoveredLabels: Labels;
  scrapePool: string;
}

export interface ScrapePoolOptions {
  appendable: Appendable;
  logger: Logger;
  metrics: ScrapeMetrics;
  offsetSeed: number;
  /** The pool this one replaces on reload: its series caches carry over when still valid. */
  previous?: ScrapePool;
}

/** Config fields that decide a scraped series' final labels; if they change, caches are rebuilt. */
function labelShaping(c: ScrapeConfig): string {
  return JSON.stringify([
    c.honor_labels,
    c.honor_timestamps,
    c.track_timestamps_staleness,
    c.metric_relabel_configs,
    c.label_limit,
    c.label_name_length_limit,
    c.label_value_length_limit,
  ]);
}

export class ScrapePool {
  readonly name: string;
  private readonly relabel: CompiledRelabel[];
  private readonly metricRelabel: CompiledRelabel[];
  private readonly groups = new Map<string, TargetGroup[]>();
  private readonly loops = new Map<string, ScrapeLoop>();
  private readonly discoveries: FileDiscovery[] = [];
  private dropped: DroppedTarget[] = [];
  /** Targets found but not scraped because target_limit is exceeded. */
  private limited: Target[] = [];
  private syncing: Promise<void> = Promise.resolve();
  /** Caches inherited from the pool this one replaced, by target key; consumed on first use. */
  private readonly inherited = new Map<string, ScrapeCache>();
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    readonly config: ScrapeConfig,
    private readonly opts: ScrapePoolOptions,
  ) {
    this.name = config.job_name;
    this.relabel = config.relabel_configs.map(compileRelabel);
    this.metricRelabel = config.metric_relabel_configs.map(compileRelabel);
    this.logger = opts.logger.with({ component: 'scrape manager', scrape_pool: this.name });
    const prev = opts.previous;
    if (prev && labelShaping(prev.config) === labelShaping(config)) {
      // Keeping the caches keeps staleness working across the reload: series that vanish with it get markers.
      for (const [key, loop] of prev.loops) this.inherited.set(key, loop.cache);
    }
  }

  async start(): Promise<void> {
    this.groups.set('static', staticGroups(this.config.static_configs));
    await this.sync();
    for (const [i, sd] of this.config.file_sd_configs.entries()) {
      const d = new FileDiscovery(sd, this.logger.with({ discovery: 'file' }), (groups) => {
        if (this.stopped) return;
        this.groups.set(`file/${i}`, groups);
        void this.sync();
      });
      this.discoveries.push(d);
      await d.start();
    }
    await this.syncing;
  }

  /** Recomputes targets from the current groups; serialised so loops start and stop in order. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.doSync());
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    if (this.stopped) return;
    const active = new Map<string, Target>();
    const dropped: DroppedTarget[] = [];
    for (const groups of this.groups.values()) {
      for (const g of groups) {
        for (const t of g.targets) {
          const p = populateTargetLabels(t, g.labels, this.config, this.relabel);
          if (p.error) this.logger.warn('Invalid target label set', { target: p.discovered.toString(), err: p.error });
          if (!p.labels) {
            const keep = this.config.keep_dropped_targets;
            if (keep === 0 || dropped.length < keep) dropped.push({ discoveredLabels: p.discovered, scrapePool: this.name });
            continue;
          }
          const target = new Target(p.labels, p.discovered, this.name, this.config.params);
          if (!active.has(target.key)) active.set(target.key, target);
        }
      }
    }
    this.dropped = dropped;
    const limit = this.config.target_limit;
    if (limit > 0 && active.size > limit) {
      const err = `target_limit exceeded (number of targets: ${active.size}, limit: ${limit})`;
      this.logger.error('Scrape pool exceeded its target limit', { err });
      this.limited = [...active.values()];
      for (const t of this.limited) {
        t.health = 'down';
        t.lastError = err;
      }
      await Promise.all([...this.loops.values()].map((l) => l.stop(true)));
      this.loops.clear();
      return;
    }
    this.limited = [];
    const stopping: Promise<void>[] = [];
    for (const [key, loop] of this.loops) {
      if (!active.has(key)) {
        this.loops.delete(key);
        stopping.push(loop.stop(true));
      }
    }
    for (const [key, target] of active) {
      if (this.loops.has(key)) continue;
      const loop = new ScrapeLoop({
        target,
        config: this.config,
        metricRelabel: this.metricRelabel,
        appendable: this.opts.appendable,
        logger: this.logger,
        metrics: this.opts.metrics,
        offsetSeed: this.opts.offsetSeed,
        cache: this.inherited.get(key),
      });
      this.inherited.delete(key);
      this.loops.set(key, loop);
      loop.start();
    }
    await Promise.all(stopping);
  }

  activeTargets(): Target[] {
    return this.limited.length > 0 ? this.limited : [...this.loops.values()].map((l) => l.target);
  }

  droppedTargets(): DroppedTarget[] {
    return this.dropped;
  }

  /** Stops discovery and loops; `stale` writes end-of-run staleness markers (job removed). */
  async stop(stale: boolean): Promise<void> {
    this.stopped = true;
    for (const d of this.discoveries) d.stop();
    await this.syncing;
    await Promise.all([...this.loops.values()].map((l) => l.stop(stale)));
    this.loops.clear();
  }
}
