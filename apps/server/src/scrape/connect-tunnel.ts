// HTTPS through an HTTP proxy: a CONNECT host:port tunnel, then TLS over it. The https.Agent here
// keeps node:https's pooling and TLS options; only the connection it opens is the tunnel.
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { goNetError } from './go-net-error.js';
import type { ProxyChoice } from './proxy-resolver.js';

/** A failure reaching or talking to the proxy; the message is Go's ("proxyconnect tcp: ..."). */
export class ProxyConnectError extends Error {}

const MAX_CONNECT_RESPONSE = 64 * 1024;
/**
 * A proxy that accepts the connection but never answers the CONNECT would otherwise hold one of
 * the agent's sockets forever (the request's own deadline cannot reach a socket not yet handed
 * over); Go bounds it with the request's context.
 */
export const TUNNEL_TIMEOUT_MS = 30_000;

/**
 * Opens a CONNECT tunnel to host:port through the proxy and calls back once with the raw socket,
 * paused (bytes the proxy sent after its response are put back to be read first).
 */
export function connectTunnel(
  proxy: ProxyChoice,
  host: string,
  port: number,
  headers: Record<string, string[]> | undefined,
  cb: (err: Error | undefined, socket?: net.Socket) => void,
  timeoutMs = TUNNEL_TIMEOUT_MS,
): net.Socket {
  const authority = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  let req = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`;
  if (proxy.authorization) req += `Proxy-Authorization: ${proxy.authorization}\r\n`;
  for (const name in headers) for (const v of headers[name]!) req += `${name}: ${v}\r\n`;
  req += '\r\n';

  let done = false;
  const finish = (err: Error | undefined, s?: net.Socket): void => {
    if (done) return;
    done = true;
    socket.removeListener('data', onData);
    if (err) socket.destroy();
    cb(err, s);
  };
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > MAX_CONNECT_RESPONSE) finish(new ProxyConnectError('proxyconnect tcp: response to CONNECT too large'));
      return;
    }
    const statusLine = head.toString('latin1', 0, head.indexOf('\r\n'));
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!m) {
      finish(new ProxyConnectError(`proxyconnect tcp: malformed HTTP response ${JSON.stringify(statusLine)}`));
      return;
    }
    if (m[1] !== '200') {
      // As Go: the error is the status text of the proxy's answer.
      finish(new ProxyConnectError(m[2] ? m[2] : 'unknown status code'));
      return;
    }
    socket.pause();
    socket.setTimeout(0);
    const rest = head.subarray(end + 4);
    if (rest.length > 0) socket.unshift(rest);
    finish(undefined, socket);
  };
  const socket = net.connect({ host: proxy.host, port: proxy.port, noDelay: true });
  socket.on('connect', () => socket.write(req));
  socket.setTimeout(timeoutMs, () => finish(new ProxyConnectError(`proxyconnect tcp: no answer to CONNECT from ${proxy.address} within ${timeoutMs}ms (i/o timeout)`)));
  socket.on('data', onData);
  socket.once('error', (e: NodeJS.ErrnoException) => finish(new ProxyConnectError(`proxyconnect tcp: ${goNetError(e)}`)));
  socket.once('end', () => finish(new ProxyConnectError('proxyconnect tcp: EOF')));
  return socket;
}

type CreateConnectionCallback = (err: Error | null, stream: Duplex) => void;

/** An https.Agent whose connections are TLS over CONNECT tunnels through one proxy. */
export class TunnelAgent extends https.Agent {
  private readonly proxy: ProxyChoice;
  private readonly connectHeaders: Record<string, string[]> | undefined;

  constructor(proxy: ProxyChoice, connectHeaders: Record<string, string[]> | undefined, options: https.AgentOptions) {
    super(options);
    this.proxy = proxy;
    this.connectHeaders = connectHeaders;
  }

  // node:http's Agent accepts an asynchronous createConnection through its callback.
  override createConnection(options: https.RequestOptions, cb?: CreateConnectionCallback): undefined {
    const host = (options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port ?? 443);
    const done = cb ?? (() => undefined);
    connectTunnel(this.proxy, host, port, this.connectHeaders, (err, socket) => {
      if (err) {
        done(err, undefined as unknown as Duplex);
        return;
      }
      // The tunnel's socket is handed over before the handshake, as tls.connect's is for a direct
      // connection: certificate errors then reach the request the usual way.
      done(null, tls.connect({ ...(options as tls.ConnectionOptions), host, port, socket: socket! }));
    });
    return undefined;
  }
}
