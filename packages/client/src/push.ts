// client_python's push functions: push_to_gateway (PUT: replace the group), pushadd_to_gateway
// (POST: replace same-named families), delete_from_gateway (DELETE: drop the group).
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { RequestOptions } from 'node:http';
import { CONTENT_TYPE_TEXT_004 } from '@promethium/exposition';
import { gatewayBase, groupingPath, type GroupingKey } from './grouping-key.js';
import { PushgatewayError, sendRequest, type RawResponse } from './push-request.js';
import { globalRegistry, type Registry, type RegistryContentType } from './registry.js';

const gzipAsync = promisify(gzip);

export interface PushOptions {
  groupingKey?: GroupingKey;
  /** Seconds, like client_python (default 30). */
  timeout?: number;
  /** HTTP basic auth. */
  auth?: { username: string; password: string };
  /** Compress the body (client_python's compression='gzip'). Not allowed for delete. */
  compression?: 'gzip';
  headers?: Record<string, string>;
  /** Extra node http(s) options: agent, TLS material, ... */
  requestOptions?: RequestOptions;
}

export interface PushResult {
  status: number;
  body: string;
}

type AnyRegistry = Registry<RegistryContentType>;

export function pushToGateway(gateway: string, job: string, registry?: AnyRegistry | null, options?: PushOptions): Promise<PushResult> {
  return send('PUT', gateway, job, registry ?? globalRegistry, options);
}

export function pushAddToGateway(gateway: string, job: string, registry?: AnyRegistry | null, options?: PushOptions): Promise<PushResult> {
  return send('POST', gateway, job, registry ?? globalRegistry, options);
}

export function deleteFromGateway(gateway: string, job: string, options?: PushOptions): Promise<PushResult> {
  if (options?.compression !== undefined) throw new TypeError('compression is not allowed for delete');
  return send('DELETE', gateway, job, undefined, options);
}

async function send(
  method: 'PUT' | 'POST' | 'DELETE',
  gateway: string,
  job: string,
  registry: AnyRegistry | undefined,
  options: PushOptions = {},
): Promise<PushResult> {
  const url = new URL(gatewayBase(gateway) + groupingPath(job, options.groupingKey));
  // client_python sends the text Content-Type on every request, DELETE included.
  const headers: Record<string, string> = { 'Content-Type': CONTENT_TYPE_TEXT_004, ...options.headers };
  if (options.auth) {
    headers.Authorization = 'Basic ' + Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64');
  }
  let body: Uint8Array | string | undefined;
  if (registry !== undefined) {
    body = (await registry.metricsAs('text'));
    if (options.compression === 'gzip') {
      body = await gzipAsync(body);
      headers['Content-Encoding'] = 'gzip';
    } else if (options.compression !== undefined) {
      throw new TypeError(`unsupported compression ${String(options.compression)}; use 'gzip'`);
    }
  }
  const timeoutMs = (options.timeout ?? 30) * 1000;
  let res: RawResponse;
  try {
    res = await sendRequest({ url, method, headers, body, timeoutMs, options: options.requestOptions });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new PushgatewayError(`error talking to pushgateway ${method} ${url.href}: ${msg}`, undefined, '', method, url.href, { cause: err });
  }
  if (res.status >= 400) {
    throw new PushgatewayError(
      `pushgateway ${method} ${url.href} failed with status ${res.status}: ${res.body.trim()}`,
      res.status,
      res.body,
      method,
      url.href,
    );
  }
  return { status: res.status, body: res.body };
}
