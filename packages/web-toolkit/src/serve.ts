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
    if (tls) attachTlsPolicies(server, opts.source, initial, log);
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

function attachTlsPolicies(raw: ServerType, source: WebConfigSource, initial: WebConfig | undefined, log: WebLogger): void {
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
      logOnce(log, socket.remoteAddress ?? '?', reason);
      socket.destroy();
    }
  });
  server.on('tlsClientError', (err, socket) => logOnce(log, socket.remoteAddress ?? '?', err.message));
}

const seenClients = new Set<string>();
function logOnce(log: WebLogger, client: string, err: string): void {
  const key = `${client} ${err}`;
  if (seenClients.has(key)) return;
  if (seenClients.size > 10_000) seenClients.clear();
  seenClients.add(key);
  log('warn', 'TLS handshake error (logged once per client and error)', { client, err });
}
