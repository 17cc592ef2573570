// What the HTTP layer needs from the running server. The server implements it; tests can build
// one around real parts (a temp DB, a scrape manager, a loaded config).
import type { Engine } from '@promethium/promql';
import type { DB } from '@promethium/tsdb-core';
import type { ServerFlags } from '../cli/server-flags.js';
import type { LoadedConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { Notifier } from '../notifier/notifier.js';
import type { RuleManager } from '../rules/manager.js';
import type { ScrapeManager } from '../scrape/manager.js';

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
  /** Directory of the built web UI; the web-ui package's dist/ when undefined. */
  readonly uiDir?: string;
  config(): LoadedConfig;
  scrape(): ScrapeManager | undefined;
  /** Undefined until storage is open (replay done). */
  db(): DB | undefined;
  /** Undefined until storage is open. */
  rules(): RuleManager | undefined;
  alertNotifier(): Notifier | undefined;
  ready(): boolean;
  lastConfigTime(): Date;
  lastReloadOk(): boolean;
  reload(): Promise<ReloadResult>;
  quit(): void;
}
