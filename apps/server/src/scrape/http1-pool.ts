// Keep-alive HTTP/1.1 connections for plain-HTTP scrapes, straight over net.Socket. node:http's
// client runs a request through an Agent, an OutgoingMessage, llhttp callbacks and a Readable
// stream; at one scrape per target every 15 s that code never leaves V8's baseline tier, and it
// was the largest share of the server's CPU while scraping. Here a request is one write, and the
// response is parsed from the socket's reads as they come (onread, no stream in between).
import net from 'node:net';
import { ResponseParser } from './http1-response.js';
import type { ResponseHead, ResponseLimits } from './http1-response.js';

export interface Http1Request {
  /** Host to connect to (an IPv6 address without brackets). */
  host: string;
  port: number;
  /** Request line and headers, ending with the blank line. */
  bytes: Buffer;
  limits: ResponseLimits;
  /**
   * Idle connections kept to this host:port (default 4). A proxy carries many targets' scrapes,
   * so it gets more, as Go's transport in Prometheus keeps up to 1000 per host.
   */
  maxIdle?: number;
}

export interface Http1Response {
  head: ResponseHead;
  body: Buffer;
}

export type Http1Callback = (err: Error | undefined, res?: Http1Response) => void;

/** Idle connections kept per host:port (several loops may scrape one exporter). */
const MAX_IDLE_PER_HOST = 4;
/** As Prometheus' client: an idle connection is closed after 5 minutes. */
const IDLE_TIMEOUT_MS = 300_000;

// One read buffer for every scrape connection: a read is consumed (copied where kept) before the
// next read can happen.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

const idle = new Map<string, Connection[]>();

class Connection {
  readonly socket: net.Socket;
  readonly key: string;
  readonly maxIdle: number;
  exchange: Exchange | undefined;
  closed = false;

  constructor(host: string, port: number, key: string, maxIdle: number) {
    this.key = key;
    this.maxIdle = maxIdle;
    this.socket = net.connect({
      host,
      port,
      noDelay: true,
      keepAlive: true,
      keepAliveInitialDelay: 30_000,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number, buf: Uint8Array): boolean => {
          if (this.exchange) this.exchange.data(buf.subarray(0, n));
          else this.socket.destroy(); // bytes on an idle connection: it cannot be trusted any more
          return true;
        },
      },
    });
    this.socket.setTimeout(IDLE_TIMEOUT_MS, () => {
      if (!this.exchange) this.socket.destroy();
    });
    this.socket.on('end', () => {
      this.closed = true;
      this.exchange?.eof();
      this.socket.destroy();
    });
    this.socket.on('error', (e: Error) => {
      this.closed = true;
      this.exchange?.fail(e);
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.exchange?.eof();
      forget(this);
    });
  }
}

function forget(c: Connection): void {
  const list = idle.get(c.key);
  const i = list ? list.indexOf(c) : -1;
  if (i >= 0) {
    list!.splice(i, 1);
    if (list!.length === 0) idle.delete(c.key);
  }
}

function take(key: string): Connection | undefined {
  const list = idle.get(key);
  while (list && list.length > 0) {
    const c = list.pop()!;
    if (!c.closed) {
      c.socket.ref();
      return c;
    }
  }
  return undefined;
}

function release(c: Connection): void {
  let list = idle.get(c.key);
  if (!list) idle.set(c.key, (list = []));
  if (list.length >= c.maxIdle) {
    c.socket.destroy();
    return;
  }
  // An idle connection does not keep the process alive.
  c.socket.unref();
  list.push(c);
}

class Exchange {
  readonly parser: ResponseParser;
  private conn: Connection | undefined;
  private readonly cb: Http1Callback;

  constructor(conn: Connection, req: Http1Request, cb: Http1Callback) {
    this.conn = conn;
    this.cb = cb;
    this.parser = new ResponseParser(req.limits);
    conn.exchange = this;
    conn.socket.write(req.bytes);
  }

  data(b: Uint8Array): void {
    try {
      this.parser.push(b);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    if (!this.parser.done) return;
    const conn = this.detach();
    if (!conn) return;
    const head = this.parser.head!;
    if (head.keepAlive && !this.parser.trailing && !conn.closed) release(conn);
    else conn.socket.destroy();
    this.cb(undefined, { head, body: this.parser.body() });
  }

  eof(): void {
    if (!this.conn) return;
    try {
      this.parser.end();
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    this.data(new Uint8Array(0));
  }

  fail(e: Error): void {
    const conn = this.detach();
    if (!conn) return;
    conn.socket.destroy();
    this.cb(e);
  }

  /** Stops without calling back; the connection is closed. */
  cancel(): void {
    this.detach()?.socket.destroy();
  }

  private detach(): Connection | undefined {
    const conn = this.conn;
    if (!conn) return undefined;
    this.conn = undefined;
    conn.exchange = undefined;
    return conn;
  }
}

/** An EOF or reset on a reused connection before any response byte: the server had closed it. */
function staleConnection(e: Error, ex: Exchange): boolean {
  if (ex.parser.started) return false;
  const code = (e as NodeJS.ErrnoException).code;
  return e.message === 'EOF' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Sends a GET on an idle keep-alive connection to host:port, or a new one, and calls back once
 * with the whole response or an error. A request that meets a connection the server had closed
 * while idle is sent again on a new connection, as Go's transport does for idempotent requests.
 */
export function http1Get(req: Http1Request, cb: Http1Callback): { cancel(): void } {
  const key = `${req.host}|${req.port}`;
  let current: Exchange;
  const start = (allowRetry: boolean): void => {
    const reused = take(key);
    const conn = reused ?? new Connection(req.host, req.port, key, req.maxIdle ?? MAX_IDLE_PER_HOST);
    current = new Exchange(conn, req, (err, res) => {
      if (err && reused && allowRetry && staleConnection(err, current)) start(false);
      else cb(err, res);
    });
  };
  start(true);
  return { cancel: () => current.cancel() };
}

/** Closes every idle connection (tests; shutdown). */
export function closeIdleConnections(): void {
  for (const list of idle.values()) for (const c of list) c.socket.destroy();
  idle.clear();
}
