// Wires a whole Pushgateway: store, own metrics, HTTP app, persistence, listening server.
import { serve } from '@hono/node-server';
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
      return new Promise((resolve, reject) => {
        server = serve({ fetch: app.fetch, hostname: addr.host, port: addr.port }, (info: AddressInfo) => {
          persistence?.start();
          logger.info('listening', { component: 'web', address: `${info.address}:${info.port}` });
          const host = info.address.includes(':') ? `[${info.address}]` : info.address;
          resolve({ host: info.address, port: info.port, url: `http://${host}:${info.port}` });
        });
        server.once('error', reject);
      });
    },
  };
}
