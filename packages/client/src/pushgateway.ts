// prom-client's Pushgateway class: push (PUT), pushAdd (POST), delete (DELETE).
// Differences that fix prom-client bugs: grouping values that contain `/` or are empty are
// sent @base64 (they did not round-trip), and pushes carry a text Content-Type.
import type { IncomingMessage, RequestOptions } from 'node:http';
import { gzipSync } from 'node:zlib';
import { CONTENT_TYPE_TEXT_004 } from '@promethium/exposition';
import { escapeGroupingPair, type GroupingKey } from './grouping-key.js';
import { PushgatewayError, sendRequest } from './push-request.js';
import { globalRegistry, type Registry, type RegistryContentType } from './registry.js';

export interface PushgatewayOptions extends RequestOptions {
  requireJobName?: boolean;
}

export interface PushParameters {
  jobName?: string;
  groupings?: GroupingKey;
}

export class Pushgateway<T extends RegistryContentType = RegistryContentType> {
  readonly registry: Registry<T>;
  readonly gatewayUrl: string;
  readonly requireJobName: boolean;
  readonly requestOptions: RequestOptions;

  constructor(url: string, options?: PushgatewayOptions, registry?: Registry<T>) {
    this.registry = registry ?? (globalRegistry as unknown as Registry<T>);
    this.gatewayUrl = url;
    const { requireJobName = true, ...requestOptions } = options ?? {};
    this.requireJobName = requireJobName;
    this.requestOptions = requestOptions;
  }

  pushAdd(params: PushParameters = {}): Promise<{ resp?: IncomingMessage; body?: string }> {
    return this.use('POST', params);
  }

  push(params: PushParameters = {}): Promise<{ resp?: IncomingMessage; body?: string }> {
    return this.use('PUT', params);
  }

  delete(params: PushParameters = {}): Promise<{ resp?: IncomingMessage; body?: string }> {
    return this.use('DELETE', params);
  }

  private async use(method: 'PUT' | 'POST' | 'DELETE', params: PushParameters): Promise<{ resp: IncomingMessage; body: string }> {
    if (this.requireJobName && !params.jobName) throw new Error('Missing jobName parameter');
    const base = new URL(this.gatewayUrl);
    const prefix = base.pathname !== '/' ? base.pathname.replace(/\/+$/, '') : '';
    let path = `${prefix}/metrics`;
    if (params.jobName) {
      path += escapeGroupingPair('job', params.jobName);
      for (const [k, v] of Object.entries(params.groupings ?? {})) path += escapeGroupingPair(k, String(v));
    }
    const url = new URL(path, base);
    const userHeaders = { ...(this.requestOptions.headers as Record<string, string> | undefined) };
    let body: Buffer | string | undefined;
    if (method === 'DELETE') {
      delete userHeaders['Content-Encoding'];
    } else {
      body = (await this.registry.metricsAs('text')) as string;
      if (userHeaders['Content-Encoding'] === 'gzip') body = gzipSync(body);
    }
    const headers = { 'Content-Type': CONTENT_TYPE_TEXT_004, ...userHeaders };
    const { headers: _drop, timeout, ...options } = this.requestOptions;
    let res;
    try {
      res = await sendRequest({ url, method, headers, body, timeoutMs: timeout ?? 0, options });
    } catch (err) {
      if (err instanceof Error && /timed out/.test(err.message)) throw new Error('Pushgateway request timed out', { cause: err });
      throw err;
    }
    if (res.status >= 400) {
      throw new PushgatewayError(`push failed with status ${res.status}, ${res.body}`, res.status, res.body, method, url.href);
    }
    return { resp: res.resp, body: res.body };
  }
}
