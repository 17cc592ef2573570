// Starts an HTTP or HTTPS server for a Hono app according to --web.config.file, the way
// exporter-toolkit's ListenAndServe does: TLS when tls_server_config is set (decided at start),
// certificates re-read when the file changes, client-certificate policies enforced,
// TLS handshake errors logged once per client address.
import { serve, type ServerType } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { secureContextOptions, tlsServerOptions } from './tls-options.js';
import type { WebConfig } from './web-config.js';
import type { WebConfigSource, WebLogger } from './web-config-source.js';

export interface ServeWebOptions {
  fetch: (req: Request) => Response | Promise<Response>;
  hostname: string;
  port: number;
  source: WebConfigSource;
  log?: WebLogger;
  /** TLS errors are logged once per client address per this interval (default 5 min). */
  tlsErrorLogIntervalMs?: number;
}

export interface WebServer {
  server: ServerType;
  tls: boolean;
  address(): AddressInfo;
  close(): Promise<void>;
}

export function serveWeb(opts: ServeWebOptions): Promise<WebServer> {
  const log = opts.log ?? (() => {});
  const initial = opts.source.get();
  const tls = initial?.tls;
  return new Promise((resolve, reject) => {
    const server = tls
      ? serve(
          { fetch: opts.fetch, hostname: opts.hostname, port: opts.port, createServer: createHttpsServer, serverOptions: tlsServerOptions(tls) },
          () => resolve(wrap(server, true)),
        )
      : serve({ fetch: opts.fetch, hostname: opts.hostname, port: opts.port }, () => resolve(wrap(server, false)));
    // EADDRINUSE and friends: fail the start instead of hanging.
    server.once('error', reject);
    if (tls) attachTlsPolicies(server, opts.source, initial, new TlsErrorLog(log, opts.tlsErrorLogIntervalMs ?? 300_000));
  });
}

function wrap(server: ServerType, tls: boolean): WebServer {
  return {
    server,
    tls,
    address: () => server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

type TlsServer = ServerType & {
  setSecureContext(o: object): void;
  prependListener(ev: 'connection', fn: () => void): void;
  on(ev: 'secureConnection', fn: (s: TLSSocket) => void): void;
  on(ev: 'tlsClientError', fn: (err: Error, s: TLSSocket) => void): void;
};

function attachTlsPolicies(raw: ServerType, source: WebConfigSource, initial: WebConfig | undefined, errors: TlsErrorLog): void {
  const log = errors.log;
  const server = raw as TlsServer;
  let applied = initial;
  // Runs before Node wraps the socket, so a rotated certificate serves this very handshake.
  server.prependListener('connection', () => {
    const cfg = source.get();
    if (cfg !== applied && cfg?.tls) {
      try {
        server.setSecureContext(secureContextOptions(cfg.tls));
        applied = cfg;
      } catch (e) {
        log('error', 'Cannot load rotated TLS certificate, keeping the previous one', { err: (e as Error).message });
      }
    }
  });
  server.on('secureConnection', (socket) => {
    const t = (applied ?? initial)?.tls;
    if (!t) return;
    const cert = socket.getPeerCertificate();
    const hasCert = cert !== null && Object.keys(cert).length > 0;
    const mode = t.clientAuthType;
    let reason = '';
    if ((mode === 'RequireAnyClientCert' || mode === 'RequireAndVerifyClientCert') && !hasCert) reason = 'client certificate required';
    else if (mode === 'VerifyClientCertIfGiven' && hasCert && !socket.authorized) reason = `client certificate not verified: ${String(socket.authorizationError)}`;
    else if (t.clientAllowedSans.length > 0 && hasCert) {
      const sans = (cert.subjectaltname ?? '').split(', ').map((s) => s.replace(/^[A-Za-z ]+:/, ''));
      if (!sans.some((s) => t.clientAllowedSans.includes(s))) reason = 'client certificate SAN not allowed';
    }
    if (reason) {
      errors.report(socket.remoteAddress ?? '?', reason);
      socket.destroy();
    }
  });
  server.on('tlsClientError', (err, socket) => errors.report(socket.remoteAddress ?? '?', err.message));
}

/**
 * A client that keeps failing the handshake (a scanner, a scraper with the wrong CA) would
 * otherwise write a line per connection: log the first error per client address, then at
 * most one per interval, with how many were suppressed in between.
 */
export class TlsErrorLog {
  private readonly clients = new Map<string, { last: number; suppressed: number }>();

  constructor(
    readonly log: WebLogger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  report(client: string, err: string): void {
    const t = this.now();
    const seen = this.clients.get(client);
    if (seen && t - seen.last < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const fields: Record<string, string> = { client, err };
    if (seen && seen.suppressed > 0) fields.suppressed = String(seen.suppressed);
    // Bounded: forget the oldest client when a flood of addresses arrives.
    if (!seen && this.clients.size >= 10_000) this.clients.delete(this.clients.keys().next().value!);
    this.clients.set(client, { last: t, suppressed: 0 });
    this.log('warn', 'TLS handshake error', fields);
  }
}
