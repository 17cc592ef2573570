// Wires a whole Pushgateway: store, own metrics, HTTP app, persistence, listening server.
import { serve } from '@hono/node-server';
import { serveWeb, WebConfigSource } from '@promethium/web-toolkit';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { createApp } from './app.js';
import type { Flags } from './flags.js';
import { parseListenAddress } from './listen-address.js';
import { createLogger, type Logger } from './logger.js';
import { OWN_METRIC_TYPES, OwnMetrics } from './own-metrics.js';
import { Persistence } from './persistence.js';
import { MetricStore } from './store.js';

export interface PushgatewayOptions {
  listenAddress?: string;
  telemetryPath?: string;
  routePrefix?: string;
  enableLifecycle?: boolean;
  enableAdminApi?: boolean;
  persistenceFile?: string;
  persistenceIntervalMs?: number;
  disableConsistencyCheck?: boolean;
  maxBodyBytes?: number;
  /** --web.config.file: TLS, basic auth and headers (exporter-toolkit's format). A bad file throws ConfigError. */
  webConfigFile?: string;
  logger?: Logger;
  /** Raw flag values for /api/v1/status. */
  flags?: Record<string, string>;
  /** Called after a lifecycle /-/quit has stopped the server. */
  onQuit?: () => void;
}

export interface Pushgateway {
  app: Hono;
  store: MetricStore;
  persistence: Persistence | undefined;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Stops listening and writes the final persistence snapshot. */
  close(): Promise<void>;
}

export function flagsToOptions(flags: Flags, raw: Record<string, string>): PushgatewayOptions {
  return {
    listenAddress: flags['web.listen-address'],
    telemetryPath: flags['web.telemetry-path'],
    routePrefix: flags['web.route-prefix'],
    enableLifecycle: flags['web.enable-lifecycle'],
    enableAdminApi: flags['web.enable-admin-api'],
    persistenceFile: flags['persistence.file'],
    persistenceIntervalMs: flags['persistence.interval'],
    disableConsistencyCheck: flags['push.disable-consistency-check'],
    maxBodyBytes: flags['push.max-body-bytes'],
    webConfigFile: flags['web.config.file'],
    logger: createLogger({ level: flags['log.level'], format: flags['log.format'] }),
    flags: raw,
  };
}

export function createPushgateway(options: PushgatewayOptions = {}): Pushgateway {
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const store = new MetricStore({ consistencyCheck: !options.disableConsistencyCheck, ownMetricTypes: OWN_METRIC_TYPES });
  const persistence = options.persistenceFile
    ? new Persistence({ file: options.persistenceFile, intervalMs: options.persistenceIntervalMs ?? 300_000, store, logger })
    : undefined;
  const webLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>): void =>
    logger[level](msg, { component: 'web', ...fields });
  // Loaded before anything listens: a bad file stops the start with file:line: reason.
  const webConfig = options.webConfigFile ? new WebConfigSource(options.webConfigFile, webLog) : undefined;
  persistence?.load();
  let server: ReturnType<typeof serve> | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      try {
        persistence?.stop();
      } catch (e) {
        logger.error('final persistence write failed', { component: 'persistence', err: (e as Error).message });
      }
      if (!server) return resolve();
      server.close(() => resolve());
      // Keep-alive connections would hold close() open.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }));
  const app = createApp({
    store,
    ownMetrics: new OwnMetrics(),
    logger,
    enableAdminApi: options.enableAdminApi ?? false,
    enableLifecycle: options.enableLifecycle ?? false,
    telemetryPath: options.telemetryPath ?? '/metrics',
    routePrefix: options.routePrefix ?? '',
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    flags: options.flags ?? {},
    ...(webConfig ? { webConfig, webLog } : {}),
    onQuit: () => {
      void close().then(() => options.onQuit?.());
    },
  });
  return {
    app,
    store,
    persistence,
    close,
    listen() {
      const addr = parseListenAddress(options.listenAddress ?? ':9091');
      const listening = (info: AddressInfo, tls: boolean): { host: string; port: number; url: string } => {
        persistence?.start();
        logger.info('listening', { component: 'web', address: `${info.address}:${info.port}`, tls });
        const host = info.address.includes(':') ? `[${info.address}]` : info.address;
        return { host: info.address, port: info.port, url: `${tls ? 'https' : 'http'}://${host}:${info.port}` };
      };
      if (webConfig) {
        return serveWeb({ fetch: app.fetch, hostname: addr.host, port: addr.port, source: webConfig, log: webLog }).then((web) => {
          server = web.server;
          return listening(web.address(), web.tls);
        });
      }
      return new Promise((resolve, reject) => {
        server = serve({ fetch: app.fetch, hostname: addr.host, port: addr.port }, (info: AddressInfo) => resolve(listening(info, false)));
        server.once('error', reject);
      });
    },
  };
}
