// One HTTP request to a Pushgateway, with a timeout; errors say which request failed.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

export class PushgatewayError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined when no response arrived (timeout, refused connection). */
    readonly status: number | undefined,
    /** Response body (the gateway's explanation), '' when none. */
    readonly body: string,
    readonly method: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PushgatewayError';
  }
}

export interface RawResponse {
  resp: IncomingMessage;
  status: number;
  body: string;
}

export interface RequestSpec {
  url: URL;
  method: 'PUT' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body: Uint8Array | string | undefined;
  timeoutMs: number;
  /** Extra node http(s) request options (agent, ca, cert, ...). */
  options?: http.RequestOptions;
}

export function sendRequest(spec: RequestSpec): Promise<RawResponse> {
  const mod = spec.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      spec.url,
      { ...spec.options, method: spec.method, headers: { ...spec.options?.headers, ...spec.headers }, timeout: spec.timeoutMs },
      (resp) => {
        const chunks: Buffer[] = [];
        resp.on('data', (c: Buffer) => chunks.push(c));
        resp.on('error', reject);
        resp.on('end', () => resolve({ resp, status: resp.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`Pushgateway request timed out after ${spec.timeoutMs} ms`)));
    if (spec.body !== undefined) req.end(spec.body);
    else req.end();
  });
}
