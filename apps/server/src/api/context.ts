import type { MetricFamily } from '@promethium/exposition';
// What the HTTP layer needs from the running server. The server implements it; tests can build
// one around real parts (a temp DB, a scrape manager, a loaded config).
import type { Engine } from '@promethium/promql';
import type { DB } from '@promethium/tsdb-core';
import type { ServerFlags } from '../cli/server-flags.js';
import type { LoadedConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { ScrapeManager } from '../scrape/manager.js';
import type { RuleManager } from '../rules/manager.js';
import type { RemoteRead } from '../remote/remote-read.js';
import type { WebConfigSource } from '@promethium/web-toolkit';

/** Prometheus' walreplay status: first and last segment, and the last one loaded. */
export interface WalReplayStatus {
  min: number;
  max: number;
  current: number;
}

export interface ReloadResult {
  ok: boolean;
  error?: string;
}

export interface ApiContext {
  readonly flags: ServerFlags;
  /** Every flag's raw value by name, for status/flags. */
  readonly rawFlags: Record<string, string>;
  readonly logger: Logger;
  readonly engine: Engine;
  readonly metrics: SelfMetrics;
  readonly startTime: Date;
  config(): LoadedConfig;
  scrape(): ScrapeManager | undefined;
  /** Undefined until storage is open (replay done). */
  db(): DB | undefined;
  /** Undefined until storage is open. */
  rules?(): RuleManager | undefined;
  /** WAL replay progress as /api/v1/status/walreplay reports it, live while the TSDB opens. */
  walReplay?(): WalReplayStatus;
  /** remote_read endpoints queries also read from (undefined when none are configured). */
  remoteRead?(): RemoteRead | undefined;
  /** Metric families of components outside SelfMetrics (the notifier), for /metrics. */
  extraMetrics?(): MetricFamily[];
  /** Set when --web.config.file is in force: TLS, basic auth and headers apply to every request. */
  readonly webConfig?: WebConfigSource | undefined;
  ready(): boolean;
  lastConfigTime(): Date;
  lastReloadOk(): boolean;
  reload(): Promise<ReloadResult>;
  quit(): void;
}
