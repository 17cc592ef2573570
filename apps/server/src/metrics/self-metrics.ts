// The server's own metrics on /metrics, named as Prometheus names them, so existing dashboards
// and alerts (config reload failures, scrape limits, head series) work unchanged.
import { readdirSync } from 'node:fs';
import type { MetricFamily, MetricType, Sample } from '@promethium/exposition';
import type { DB } from '@promethium/tsdb-core';
import type { ScrapeManager } from '../scrape/manager.js';
import { BUILD_INFO } from '../version.js';

export interface SelfMetricSources {
  scrape: ScrapeManager | undefined;
  db: DB | undefined;
  ready: boolean;
}

export class SelfMetrics {
  private readonly http = new Map<string, { handler: string; code: string; count: number; seconds: number }>();
  configReloadSuccessful = 1;
  configReloadSuccessTimestamp = 0;
  configReloadsTotal = 0;
  configReloadsFailedTotal = 0;
  queriesTotal = 0;
  queriesRunning = 0;
  queryFailuresTotal = 0;
  readonly startTime = Date.now();

  observeHttp(handler: string, code: number, seconds: number): void {
    const key = `${handler}\xff${code}`;
    let e = this.http.get(key);
    if (!e) {
      e = { handler, code: String(code), count: 0, seconds: 0 };
      this.http.set(key, e);
    }
    e.count++;
    e.seconds += seconds;
  }

  collect(src: SelfMetricSources): MetricFamily[] {
    const fams: MetricFamily[] = [];
    const fam = (name: string, type: MetricType, help: string, samples: Sample[]): void => {
      fams.push({ name, type, help, samples });
    };
    const one = (name: string, value: number, labels: Record<string, string> = {}): Sample => ({ name, labels, value });

    fam('prometheus_build_info', 'gauge', 'A metric with a constant \'1\' value labeled by version, revision, branch, goversion from which prometheus was built, and the goos and goarch for the build.', [
      one('prometheus_build_info', 1, {
        branch: BUILD_INFO.branch,
        goarch: process.arch,
        goos: process.platform,
        goversion: `node${process.versions.node}`,
        revision: BUILD_INFO.revision,
        tags: 'promethium',
        version: BUILD_INFO.version,
      }),
    ]);
    fam('prometheus_config_last_reload_successful', 'gauge', 'Whether the last configuration reload attempt was successful.', [
      one('prometheus_config_last_reload_successful', this.configReloadSuccessful),
    ]);
    fam('prometheus_config_last_reload_success_timestamp_seconds', 'gauge', 'Timestamp of the last successful configuration reload.', [
      one('prometheus_config_last_reload_success_timestamp_seconds', this.configReloadSuccessTimestamp),
    ]);
    fam('prometheus_ready', 'gauge', 'Whether Prometheus startup was fully completed and the server is ready for normal operation.', [
      one('prometheus_ready', src.ready ? 1 : 0),
    ]);
    fam('prometheus_http_requests_total', 'counter', 'Counter of HTTP requests.', [...this.http.values()].map((e) =>
      one('prometheus_http_requests_total', e.count, { code: e.code, handler: e.handler }),
    ));
    fam('prometheus_engine_queries', 'gauge', 'The current number of queries being executed or waiting.', [
      one('prometheus_engine_queries', this.queriesRunning),
    ]);
    fam('prometheus_engine_queries_total', 'counter', 'Total number of queries executed (Promethium).', [
      one('prometheus_engine_queries_total', this.queriesTotal),
    ]);
    fam('prometheus_engine_query_failures_total', 'counter', 'Total number of queries that failed (Promethium).', [
      one('prometheus_engine_query_failures_total', this.queryFailuresTotal),
    ]);

    const scrape = src.scrape;
    if (scrape) {
      const m = scrape.metrics;
      const pools = scrape.scrapePools();
      fam('prometheus_target_scrape_pools_total', 'counter', 'Total number of scrape pool creation attempts.', [
        one('prometheus_target_scrape_pools_total', pools.length),
      ]);
      fam('prometheus_target_scrape_pool_targets', 'gauge', 'Current number of targets in this scrape pool.', pools.map((p) =>
        one('prometheus_target_scrape_pool_targets', p.activeTargets().length, { scrape_job: p.name }),
      ));
      fam('prometheus_sd_discovered_targets', 'gauge', 'Current number of discovered targets.', pools.map((p) =>
        one('prometheus_sd_discovered_targets', p.activeTargets().length + p.droppedTargets().length, { config: p.name, name: 'scrape' }),
      ));
      const counters: [string, number, string][] = [
        ['prometheus_target_scrapes_exceeded_sample_limit_total', m.scrapesExceededSampleLimit, 'Total number of scrapes that hit the sample limit and were rejected.'],
        ['prometheus_target_scrapes_exceeded_body_size_limit_total', m.scrapesExceededBodySizeLimit, 'Total number of scrapes that hit the body size limit'],
        ['prometheus_target_scrapes_sample_duplicate_timestamp_total', m.scrapesSampleDuplicateTimestamp, 'Total number of samples rejected due to duplicate timestamps but different values.'],
        ['prometheus_target_scrapes_sample_out_of_order_total', m.scrapesSampleOutOfOrder, 'Total number of samples rejected due to not being out of the expected order.'],
        ['prometheus_target_scrapes_sample_out_of_bounds_total', m.scrapesSampleOutOfBounds, 'Total number of samples rejected due to timestamp falling outside of the time bounds.'],
        ['prometheus_target_scrape_pool_exceeded_label_limits_total', m.scrapesExceededLabelLimits, 'Total number of times scrape pools hit the label limits.'],
      ];
      for (const [name, v, help] of counters) fam(name, 'counter', help, [one(name, v)]);
    }

    const db = src.db;
    if (db) {
      const head = db.head;
      fam('prometheus_tsdb_head_series', 'gauge', 'Total number of series in the head block.', [one('prometheus_tsdb_head_series', head.numSeries)]);
      fam('prometheus_tsdb_head_min_time', 'gauge', 'Minimum time bound of the head block.', [
        one('prometheus_tsdb_head_min_time', Number.isFinite(head.minTime) ? head.minTime : 0),
      ]);
      fam('prometheus_tsdb_head_max_time', 'gauge', 'Maximum timestamp of the head block.', [
        one('prometheus_tsdb_head_max_time', Number.isFinite(head.maxTime) ? head.maxTime : 0),
      ]);
    }

    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    fam('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', [
      one('process_cpu_seconds_total', (cpu.user + cpu.system) / 1e6),
    ]);
    fam('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [one('process_resident_memory_bytes', mem.rss)]);
    fam('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.', [
      one('process_start_time_seconds', Math.floor(this.startTime / 1000)),
    ]);
    fam('process_open_fds', 'gauge', 'Number of open file descriptors.', [one('process_open_fds', openFds())]);
    fam('nodejs_heap_size_used_bytes', 'gauge', 'Process heap size used from Node.js in bytes.', [one('nodejs_heap_size_used_bytes', mem.heapUsed)]);
    return fams;
  }
}

function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}
