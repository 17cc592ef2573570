// Fetches one scrape body over node:http(s): timeout via AbortSignal, gzip, a body size limit
// checked while streaming (so a huge target cannot exhaust memory), auth and TLS from the config.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { HttpClientConfig } from '../config/types.js';

export interface ScrapeResponse {
  body: Buffer;
  contentType: string | undefined;
}

export class ScrapeHttpError extends Error {}

const USER_AGENT = 'Promethium/0.1.0';
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 4 }), https: new Map<string, https.Agent>() };

async function fileText(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

/** Authorization header for a config; secret files are re-read each scrape, as Prometheus does. */
export async function authorizationHeader(cfg: HttpClientConfig): Promise<string | undefined> {
  if (cfg.basic_auth) {
    const b = cfg.basic_auth;
    const user = b.username_file ? await fileText(b.username_file) : b.username;
    const pass = b.password_file ? await fileText(b.password_file) : (b.password ?? '');
    return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  if (cfg.authorization) {
    const a = cfg.authorization;
    const cred = a.credentials_file ? await fileText(a.credentials_file) : (a.credentials ?? '');
    return `${a.type} ${cred}`;
  }
  return undefined;
}

async function httpsAgent(cfg: HttpClientConfig): Promise<https.Agent> {
  const t = cfg.tls_config;
  const key = JSON.stringify(t);
  let agent = agents.https.get(key);
  if (!agent) {
    agent = new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      ca: t.ca ?? (t.ca_file ? await readFile(t.ca_file) : undefined),
      cert: t.cert ?? (t.cert_file ? await readFile(t.cert_file) : undefined),
      key: t.key ?? (t.key_file ? await readFile(t.key_file) : undefined),
      servername: t.server_name,
      rejectUnauthorized: !t.insecure_skip_verify,
    });
    agents.https.set(key, agent);
  }
  return agent;
}

export interface ScrapeRequest {
  url: string;
  accept: string;
  timeoutMs: number;
  /** 0 = unlimited. Applies to the uncompressed body. */
  bodySizeLimit: number;
  compression: boolean;
  client: HttpClientConfig;
  signal?: AbortSignal;
}

export async function fetchScrape(req: ScrapeRequest): Promise<ScrapeResponse> {
  const url = new URL(req.url);
  const headers: Record<string, string> = {
    Accept: req.accept,
    'Accept-Encoding': req.compression ? 'gzip' : 'identity',
    'User-Agent': USER_AGENT,
    'X-Prometheus-Scrape-Timeout-Seconds': String(req.timeoutMs / 1000),
  };
  const cfg = req.client;
  const auth = cfg.basic_auth || cfg.authorization ? await authorizationHeader(cfg) : undefined;
  if (auth) headers.Authorization = auth;
  const isHttps = url.protocol === 'https:';
  const agent = isHttps ? await httpsAgent(cfg) : agents.http;
  const outer = req.signal;

  // A plain timer and one listener on the loop's signal: AbortSignal.timeout + AbortSignal.any per
  // scrape cost a composite signal each time, tracked by the long-lived loop signal.
  return new Promise<ScrapeResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, res?: ScrapeResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const abortWith = (message: string): void => {
      request.destroy();
      finish(new ScrapeHttpError(message));
    };
    const onAbort = (): void => abortWith('scrape aborted');
    const timer = setTimeout(() => abortWith(`Get "${req.url}": context deadline exceeded`), req.timeoutMs);
    const request = (isHttps ? https : http).request(url, { method: 'GET', headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        finish(new ScrapeHttpError(`server returned HTTP status ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      const encoding = (res.headers['content-encoding'] ?? '').toLowerCase();
      let stream: Readable = res;
      if (encoding === 'gzip') stream = res.pipe(createGunzip());
      else if (encoding !== '' && encoding !== 'identity') {
        res.resume();
        finish(new ScrapeHttpError(`unsupported Content-Encoding "${encoding}"`));
        return;
      }
      // An uncompressed body of announced length is read straight into one buffer.
      const announced = encoding === 'gzip' ? NaN : Number(res.headers['content-length']);
      const limit = req.bodySizeLimit;
      const direct = Number.isSafeInteger(announced) && announced >= 0 && (limit <= 0 || announced <= limit) ? Buffer.allocUnsafe(announced) : undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      let filled = 0;
      stream.on('data', (chunk: Buffer) => {
        const end = size + chunk.length;
        if (limit > 0 && end > limit) {
          request.destroy();
          finish(new ScrapeHttpError(`body size limit exceeded (limit: ${limit} bytes)`));
          return;
        }
        if (direct && chunks.length === 0 && end <= direct.length) {
          chunk.copy(direct, size);
          filled = end;
        } else chunks.push(chunk);
        size = end;
      });
      stream.on('end', () => {
        // A body longer or shorter than announced still arrives whole.
        const body = direct && filled === direct.length && chunks.length === 0 ? direct : Buffer.concat(direct ? [direct.subarray(0, filled), ...chunks] : chunks, size);
        finish(undefined, { body, contentType: res.headers['content-type'] });
      });
      stream.on('error', (e: Error) => {
        finish(new ScrapeHttpError(encoding === 'gzip' ? `decompressing response: ${e.message}` : e.message));
      });
    });
    request.on('error', (e: NodeJS.ErrnoException) => finish(new ScrapeHttpError(`Get "${req.url}": ${e.message}`)));
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
    request.end();
  });
}
