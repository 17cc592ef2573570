// Posts one compressed WriteRequest (remote write 1.0, or 2.0's Request) and classifies the outcome the way
// Prometheus' remote client does: 2xx sent; 5xx, 429 and network errors recoverable (retry);
// any other status a permanent failure (the batch is dropped and counted).
import http from 'node:http';
import https from 'node:https';
import type { HttpClientConfig } from '../config/types.js';
import { clientRoute, routeErrorMessage } from '../scrape/client-route.js';
import type { ClientRoute } from '../scrape/client-route.js';
import { clientHeaders } from '../scrape/config-headers.js';
import { BUILD_INFO } from '../version.js';
import { nothingWritten } from './write-v2-written.js';

export const USER_AGENT = `Promethium/${BUILD_INFO.version}`;

export class RecoverableWriteError extends Error {
  /** From a 429's Retry-After header, when it carried one. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  constructor(message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.name = 'RecoverableWriteError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export class PermanentWriteError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'PermanentWriteError';
    this.status = status;
  }
}

export interface WriteClientOptions {
  url: string;
  timeoutMs: number;
  headers: Record<string, string>;
  client: HttpClientConfig;
  /** Concurrent connections (the queue's max shards). */
  maxSockets: number;
  /** Bodies are io.prometheus.write.v2.Request (remote write 2.0) rather than 1.0's WriteRequest. */
  v2?: boolean;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(v: string | undefined, now = Date.now()): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export class WriteClient {
  private readonly opts: WriteClientOptions;
  private readonly url: URL;
  private route: Promise<ClientRoute> | undefined;

  constructor(opts: WriteClientOptions) {
    this.opts = opts;
    this.url = new URL(opts.url);
  }

  /** Direct or through the config's proxy; one keep-alive agent for the client's life. */
  private getRoute(): Promise<ClientRoute> {
    return (this.route ??= clientRoute(this.url, this.opts.client, Math.max(1, this.opts.maxSockets)));
  }

  /** Sends; resolves on 2xx, throws RecoverableWriteError or PermanentWriteError otherwise (2.0: `samples` is what the 2xx must confirm written). */
  async store(body: Uint8Array, signal?: AbortSignal, samples = 0): Promise<void> {
    const headers: Record<string, string> = {
      ...this.opts.headers,
      'Content-Encoding': 'snappy',
      'Content-Type': this.opts.v2 ? 'application/x-protobuf;proto=io.prometheus.write.v2.Request' : 'application/x-protobuf',
      'User-Agent': USER_AGENT,
      'X-Prometheus-Remote-Write-Version': this.opts.v2 ? '2.0.0' : '0.1.0',
      'Content-Length': String(body.length),
    };
    let extra: Record<string, string | string[]>;
    try {
      // A secret file that cannot be read now may be back next time: retried, not dropped.
      extra = await clientHeaders(this.opts.client);
    } catch (e) {
      throw new RecoverableWriteError(`Post "${this.opts.url}": ${(e as Error).message}`);
    }
    const route = await this.getRoute().catch((e: unknown) => {
      this.route = undefined;
      throw new RecoverableWriteError(`Post "${this.opts.url}": ${(e as Error).message}`);
    });
    const isHttps = this.url.protocol === 'https:';
    const all = { ...extra, ...headers, ...route.headers };
    return new Promise<void>((resolve, reject) => {
      const req = (isHttps ? https : http).request(this.url, { method: 'POST', headers: all, agent: route.agent, ...route.options, timeout: this.opts.timeoutMs, signal }, (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          // The error text is for the log line only.
          if (size < 1024) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const unwritten = status >= 200 && status < 300 && this.opts.v2 ? nothingWritten(res.headers, samples) : undefined;
          if (unwritten !== undefined) return reject(new PermanentWriteError(unwritten, status));
          if (status >= 200 && status < 300) return resolve();
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 512).trim();
          const msg = `server returned HTTP status ${status} ${res.statusMessage ?? ''}: ${text}`.trim();
          if (status >= 500 || status === 429) {
            const retryAfter = status === 429 ? parseRetryAfter(res.headers['retry-after']) : undefined;
            reject(new RecoverableWriteError(msg, status, retryAfter));
          } else reject(new PermanentWriteError(msg, status));
        });
        res.on('error', (e) => reject(new RecoverableWriteError(e.message)));
      });
      req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (remote_timeout ${this.opts.timeoutMs}ms)`)));
      req.on('error', (e) => reject(new RecoverableWriteError(`Post "${this.opts.url}": ${routeErrorMessage(route.proxy !== undefined, e)}`)));
      req.end(body);
    });
  }

  close(): void {
    void this.route?.then((r) => r.agent.destroy());
  }
}
