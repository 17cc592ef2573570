// The remote_read client: one ReadRequest (SAMPLES response type, snappy) per selector,
// as Prometheus sends them, with the config's auth, TLS, headers and remote_timeout.
import http from 'node:http';
import https from 'node:https';
import type { RemoteReadConfig } from '../config/types.js';
import { clientRoute, routeErrorMessage } from '../scrape/client-route.js';
import type { ClientRoute } from '../scrape/client-route.js';
import { clientHeaders } from '../scrape/config-headers.js';
import { decodeReadResponse, encodeReadRequest } from './prompb.js';
import type { PbQuery, PbTimeSeries } from './prompb.js';
import { snappyDecode, snappyEncode } from '@promethium/tsdb-core';
import { USER_AGENT } from './write-client.js';

export class RemoteReadError extends Error {}

const MAX_RESPONSE = 512 * 1024 * 1024;

export class ReadClient {
  private route: Promise<ClientRoute> | undefined;
  constructor(readonly config: RemoteReadConfig) {}

  async read(query: PbQuery): Promise<PbTimeSeries[]> {
    const url = new URL(this.config.url);
    const body = snappyEncode(encodeReadRequest({ queries: [query], acceptedResponseTypes: [0] }));
    const headers: Record<string, string> = {
      ...this.config.headers,
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'User-Agent': USER_AGENT,
      'X-Prometheus-Remote-Read-Version': '0.1.0',
      'Content-Length': String(body.length),
    };
    let extra: Record<string, string | string[]>;
    try {
      extra = await clientHeaders(this.config);
    } catch (e) {
      throw new RemoteReadError(`Post "${this.config.url}": ${(e as Error).message}`);
    }
    const isHttps = url.protocol === 'https:';
    const route = await (this.route ??= clientRoute(url, this.config)).catch((e: unknown) => {
      this.route = undefined;
      throw new RemoteReadError(`Post "${this.config.url}": ${(e as Error).message}`);
    });
    const all = { ...extra, ...headers, ...route.headers };
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const req = (isHttps ? https : http).request(url, { method: 'POST', headers: all, agent: route.agent, ...route.options, timeout: this.config.remote_timeout }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE) req.destroy(new RemoteReadError(`response larger than ${MAX_RESPONSE} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          const b = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) reject(new RemoteReadError(`remote server ${this.config.url} returned HTTP status ${status} ${res.statusMessage ?? ''}: ${b.toString('utf8', 0, 256).trim()}`));
          else resolve(b);
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new RemoteReadError(`context deadline exceeded (remote_timeout ${this.config.remote_timeout}ms)`)));
      req.on('error', (e) => reject(e instanceof RemoteReadError ? e : new RemoteReadError(`Post "${this.config.url}": ${routeErrorMessage(route.proxy !== undefined, e)}`)));
      req.end(body);
    });
    try {
      const results = decodeReadResponse(snappyDecode(raw));
      return results[0] ?? [];
    } catch (e) {
      throw new RemoteReadError(`decoding the remote read response from ${this.config.url}: ${(e as Error).message}`);
    }
  }

  close(): void {
    void this.route?.then((r) => r.agent.destroy());
  }
}
