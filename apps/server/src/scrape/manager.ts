// The scrape manager: one pool per scrape config. Applying a new config keeps unchanged pools
// running untouched, restarts changed ones and retires removed jobs (with staleness markers).
import type { Appendable } from '@promethium/tsdb-core';
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { ScrapeMetrics } from './scrape-metrics.js';
import { ScrapePool } from './scrape-pool.js';

export interface ScrapeManagerOptions {
  appendable: Appendable;
  logger: Logger;
  /** Spreads targets differently per server (Prometheus seeds with external labels + hostname). */
  offsetSeed?: number;
}

export class ScrapeManager {
  readonly metrics = new ScrapeMetrics();
  private readonly pools = new Map<string, { pool: ScrapePool; fingerprint: string }>();
  private readonly logger: Logger;

  constructor(private readonly opts: ScrapeManagerOptions) {
    this.logger = opts.logger.with({ component: 'scrape manager' });
  }

  async applyConfig(config: Config): Promise<void> {
    const wanted = new Map(config.scrape_configs.map((c) => [c.job_name, c]));
    const work: Promise<void>[] = [];
    for (const [name, entry] of this.pools) {
      if (!wanted.has(name)) {
        this.pools.delete(name);
        work.push(entry.pool.stop(true));
      }
    }
    for (const [name, cfg] of wanted) {
      const fingerprint = JSON.stringify(cfg);
      const existing = this.pools.get(name);
      if (existing?.fingerprint === fingerprint) continue;
      const pool = new ScrapePool(cfg, {
        appendable: this.opts.appendable,
        logger: this.opts.logger,
        metrics: this.metrics,
        offsetSeed: this.opts.offsetSeed ?? 0,
        previous: existing?.pool,
      });
      this.pools.set(name, { pool, fingerprint });
      // A changed pool's targets keep their series: no staleness markers on restart.
      work.push((existing ? existing.pool.stop(false) : Promise.resolve()).then(() => pool.start()));
    }
    await Promise.all(work);
    this.logger.debug('Applied scrape configuration', { pools: this.pools.size });
  }

  scrapePools(): ScrapePool[] {
    return [...this.pools.values()].map((e) => e.pool);
  }

  pool(name: string): ScrapePool | undefined {
    return this.pools.get(name)?.pool;
  }

  /** Shutdown: stop scraping without staleness markers, so a restart continues the series. */
  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((e) => e.pool.stop(false)));
    this.pools.clear();
  }
}
