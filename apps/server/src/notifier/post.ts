// POSTs one request over node:http(s), so an Alertmanager's tls_config (CA, client
// certificate, server_name, insecure_skip_verify) applies through the agent: fetch() cannot
// take per-request TLS settings.
import http from 'node:http';
import https from 'node:https';
import { routeErrorMessage } from '../scrape/client-route.js';

export interface PostResult {
  status: number;
  statusText: string;
  body: string;
}

export function post(
  url: string,
  opts: { headers: Record<string, string | string[]>; body: string; agent?: http.Agent; requestOptions?: http.RequestOptions; timeoutMs: number },
): Promise<PostResult> {
  const u = new URL(url);
  const transport = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      u,
      {
        method: 'POST',
        headers: { ...opts.headers, 'Content-Length': String(Buffer.byteLength(opts.body)) },
        ...(opts.agent ? { agent: opts.agent } : {}),
        ...opts.requestOptions,
        signal: AbortSignal.timeout(opts.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (e: Error) => reject(new Error(`Post "${url}": ${e.name === 'AbortError' ? 'context deadline exceeded' : routeErrorMessage(opts.requestOptions !== undefined, e)}`)));
    req.end(opts.body);
  });
}
