// The running server: loads the config, listens, opens the TSDB (replaying the WAL; /-/ready
// answers 503 until then), starts scraping, and reloads on SIGHUP or POST /-/reload. A config
// that fails to load on reload leaves the running one in place.
import { hostname } from 'node:os';
import * as path from 'node:path';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { Engine } from '@promethium/promql';
import { openDB } from '@promethium/tsdb-core';
import type { DB, ReplayProgress } from '@promethium/tsdb-core';
import type { AddressInfo } from 'node:net';
import type { MetricFamily } from '@promethium/exposition';
import type { ApiContext, ReloadResult, WalReplayStatus } from './api/context.js';
import { createApp } from './app.js';
import { DEFAULT_RETENTION_MS, dataPath, isAgent } from './cli/server-flags.js';
import type { ServerFlags } from './cli/server-flags.js';
import { AgentTruncator, checkAgentConfig } from './agent.js';
import { loadConfigFile } from './config/load.js';
import type { LoadedConfig } from './config/types.js';
import type { Logger } from './log/logger.js';
import { SelfMetrics } from './metrics/self-metrics.js';
import { RemoteRead } from './remote/remote-read.js';
import { RemoteStorage } from './remote/remote-storage.js';
import { ScrapeManager } from './scrape/manager.js';
import type { RuleManager } from './rules/manager.js';
import { RulesRuntime } from './rules-runtime.js';
import { serveWeb, WebConfigSource } from '@promethium/web-toolkit';

/**
 * Group commit: commits (scrapes, rule evaluations, remote write) arriving within this window share
 * one WAL fdatasync. Each is still acknowledged only once its data is fsynced (DESIGN.md's
 * durability rule); with 200 targets per 15 s this turns ~13 fsyncs a second into ~3.
 */
const WAL_GROUP_COMMIT_MS = 250;

export interface ServerOptions {
  flags: ServerFlags;
  rawFlags: Record<string, string>;
  logger: Logger;
  /** Called after /-/quit has shut everything down (main exits the process). */
  onQuit?: () => void;
}

export class PromethiumServer implements ApiContext {
  readonly flags: ServerFlags;
  readonly rawFlags: Record<string, string>;
  readonly logger: Logger;
  readonly engine: Engine;
  readonly metrics = new SelfMetrics();
  readonly startTime = new Date();
  private loaded: LoadedConfig;
  private configTime = new Date();
  private reloadOk = true;
  private database: DB | undefined;
  private replay: WalReplayStatus = { min: 0, max: 0, current: 0 };
  private scrapeManager: ScrapeManager | undefined;
  private rulesRuntime: RulesRuntime | undefined;
  private remoteStorage: RemoteStorage | undefined;
  private agentTruncator: AgentTruncator | undefined;
  private remoteReader: RemoteRead | undefined;
  /** Agent mode: scrape, WAL and remote write only. */
  readonly agent: boolean;
  webConfig: WebConfigSource | undefined;
  private http: ServerType | undefined;
  private reloading: Promise<ReloadResult> = Promise.resolve({ ok: true });
  private stopping: Promise<void> | undefined;
  private readonly onQuit: (() => void) | undefined;

  private constructor(opts: ServerOptions, loaded: LoadedConfig) {
    this.flags = opts.flags;
    this.rawFlags = opts.rawFlags;
    this.logger = opts.logger;
    this.onQuit = opts.onQuit;
    this.loaded = loaded;
    this.agent = isAgent(opts.flags);
    this.engine = new Engine({
      lookbackDelta: opts.flags.lookbackDelta,
      maxSamples: opts.flags.queryMaxSamples,
      timeout: opts.flags.queryTimeout,
    });
  }

  /** Loads the config (throwing ConfigError if it is bad), listens, opens storage, starts scraping. */
  static async start(opts: ServerOptions): Promise<PromethiumServer> {
    const log = opts.logger;
    log.info('Starting Promethium', { version: '0.1.0', config_file: opts.flags.configFile });
    const loaded = loadConfigFile(opts.flags.configFile);
    const agent = isAgent(opts.flags);
    if (agent) {
      checkAgentConfig(loaded);
      log.warn('This Promethium binary is running in Agent mode: scrape, WAL and remote write only.');
    }
    for (const w of loaded.warnings) log.with({ component: 'config' }).warn(w);
    const s = new PromethiumServer(opts, loaded);
    s.metrics.configReloadSuccessTimestamp = Math.floor(Date.now() / 1000);
    await s.listen();
    const started = performance.now();
    const { retentionTime, retentionSize } = opts.flags;
    const dir = dataPath(opts.flags);
    const tsdbLog = log.with({ component: 'tsdb' });
    // Live for /api/v1/status/walreplay: the HTTP server answers while segments replay.
    const onReplayProgress = (p: ReplayProgress): void => {
      const max = Math.max(p.minSegment, p.maxSegment);
      if (p.phase === 'start') s.replay = { min: p.minSegment, max, current: p.minSegment };
      else if (p.phase === 'segment') s.replay = { min: p.minSegment, max, current: p.segment };
      else if (p.phase === 'done') s.replay = { min: p.minSegment, max, current: max };
    };
    s.database = await openDB(
      dir,
      agent
        ? // The agent keeps only the WAL (and the head it replays into); no blocks are cut.
          {
            logger: tsdbLog,
            onReplayProgress,
            walSyncDelayMs: WAL_GROUP_COMMIT_MS,
            blocks: false,
            headSnapshot: false,
            compactionInterval: 0,
            walCompression: opts.flags.agentWalCompression ? 'snappy' : 'none',
          }
        : {
            logger: tsdbLog,
            onReplayProgress,
            walSyncDelayMs: WAL_GROUP_COMMIT_MS,
            walCompression: opts.flags.walCompression ? 'snappy' : 'none',
            retention: {
              retentionMs: retentionTime ?? (retentionSize === undefined ? DEFAULT_RETENTION_MS : undefined),
              maxBytes: retentionSize,
            },
          },
    );
    const replay = s.database.replayStats;
    log.with({ component: 'tsdb' }).info(agent ? 'Agent WAL storage started' : 'TSDB started', {
      replay_duration: `${Math.round(performance.now() - started)}ms`,
      segments: replay.segments,
      // Series in the head, however they got there (a head snapshot restores them without WAL records).
      series: s.database.head.numSeries,
      replayed_samples: replay.samples,
      ...(replay.snapshot !== undefined ? { snapshot_segment: replay.snapshot } : {}),
    });
    // Remote write tails the WAL the DB just opened; progress markers live beside it.
    s.remoteStorage = new RemoteStorage({
      walDir: path.join(dir, 'wal'),
      progressDir: path.join(dir, 'remote_write'),
      logger: log,
      flushDeadlineMs: opts.flags.remoteFlushDeadline,
      highestTimestamp: () => s.database?.head.maxTime ?? -Infinity,
    });
    await s.remoteStorage.applyConfig(loaded.config);
    s.applyRemoteRead(loaded);
    s.scrapeManager = new ScrapeManager({ appendable: s.database, logger: log, offsetSeed: seed(loaded) });
    await s.scrapeManager.applyConfig(loaded.config);
    if (agent) {
      s.agentTruncator = new AgentTruncator(s.database, s.remoteStorage, opts.flags, log.with({ component: 'agent' }));
      s.agentTruncator.start();
    } else {
      s.rulesRuntime = new RulesRuntime(opts.flags, s.engine, s.database, log);
      await s.rulesRuntime.apply(loaded.config);
    }
    log.info('Server is ready to receive web requests.');
    return s;
  }

  private async listen(): Promise<void> {
    const { host, port } = this.flags.listenAddress;
    if (this.flags.webConfigFile) {
      // TLS, basic auth and headers from --web.config.file (exporter-toolkit's format).
      const log = this.logger.with({ component: 'web' });
      this.webConfig = new WebConfigSource(this.flags.webConfigFile, (level, msg, fields) => log[level](msg, fields));
      const web = await serveWeb({ fetch: createApp(this).fetch, hostname: host, port, source: this.webConfig, log: (level, msg, fields) => log[level](msg, fields) });
      this.http = web.server;
    } else {
      await new Promise<void>((resolve, reject) => {
        this.http = serve({ fetch: createApp(this).fetch, hostname: host, port }, () => resolve());
        this.http.once('error', reject);
      });
    }
    const addr = this.address();
    this.logger.with({ component: 'web' }).info('Start listening for connections', { address: `${addr.address}:${addr.port}` });
  }

  address(): AddressInfo {
    return this.http!.address() as AddressInfo;
  }

  config(): LoadedConfig {
    return this.loaded;
  }
  scrape(): ScrapeManager | undefined {
    return this.scrapeManager;
  }
  db(): DB | undefined {
    return this.database;
  }
  walReplay(): WalReplayStatus {
    return this.replay;
  }
  rules(): RuleManager | undefined {
    return this.rulesRuntime?.rules();
  }
  remoteRead(): RemoteRead | undefined {
    return this.remoteReader;
  }

  private applyRemoteRead(loaded: LoadedConfig): void {
    this.remoteReader?.close();
    const c = loaded.config;
    this.remoteReader = c.remote_read.length > 0 ? new RemoteRead(c.remote_read, c.global.external_labels) : undefined;
  }

  extraMetrics(): MetricFamily[] {
    return [...(this.rulesRuntime?.notifier.collect() ?? []), ...(this.remoteStorage?.collect() ?? [])];
  }
  ready(): boolean {
    return this.scrapeManager !== undefined && this.stopping === undefined;
  }
  lastConfigTime(): Date {
    return this.configTime;
  }
  lastReloadOk(): boolean {
    return this.reloadOk;
  }

  /** Re-reads the config file; on any error the running config stays. Serialised. */
  reload(): Promise<ReloadResult> {
    this.reloading = this.reloading.then(() => this.doReload());
    return this.reloading;
  }

  private async doReload(): Promise<ReloadResult> {
    const log = this.logger.with({ component: 'config' });
    const file = this.flags.configFile;
    log.info('Loading configuration file', { filename: file });
    this.metrics.configReloadsTotal++;
    try {
      const next = loadConfigFile(file);
      if (this.agent) checkAgentConfig(next);
      for (const w of next.warnings) log.warn(w);
      // Rules first: a bad rule file fails the reload before anything else changes.
      await this.rulesRuntime?.apply(next.config);
      await this.scrapeManager?.applyConfig(next.config);
      await this.remoteStorage?.applyConfig(next.config);
      this.applyRemoteRead(next);
      this.loaded = next;
      this.configTime = new Date();
      this.reloadOk = true;
      this.metrics.configReloadSuccessful = 1;
      this.metrics.configReloadSuccessTimestamp = Math.floor(Date.now() / 1000);
      log.info('Completed loading of configuration file', { filename: file });
      return { ok: true };
    } catch (e) {
      this.reloadOk = false;
      this.metrics.configReloadSuccessful = 0;
      this.metrics.configReloadsFailedTotal++;
      const error = (e as Error).message;
      log.error('Error reloading config; keeping the running configuration', { err: error });
      return { ok: false, error };
    }
  }

  quit(): void {
    void this.stop().then(() => this.onQuit?.());
  }

  /** Graceful shutdown: stop scraping (no staleness markers), close HTTP, close the TSDB. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info('Stopping Promethium');
      await this.scrapeManager?.stop();
      await this.rulesRuntime?.stop();
      this.agentTruncator?.stop();
      await this.remoteStorage?.stop();
      await new Promise<void>((resolve) => {
        if (!this.http) return resolve();
        this.http.close(() => resolve());
        (this.http as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await this.database?.close();
      this.logger.info('See you next time!');
    })();
    return this.stopping;
  }
}

function seed(loaded: LoadedConfig): number {
  const text = hostname() + JSON.stringify(loaded.config.global.external_labels);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
