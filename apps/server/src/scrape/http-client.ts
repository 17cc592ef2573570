// Fetches one scrape body over node:http(s): timeout via AbortSignal, gzip, a body size limit
// checked while streaming (so a huge target cannot exhaust memory), auth and TLS from the config.
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { HttpClientConfig } from '../config/types.js';
import { goNetError } from './go-net-error.js';

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

const NODE_TLS: Record<string, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/** mtimes of the CA/cert/key files: a rotated file gets a new agent, as Prometheus re-reads them. */
async function filesStamp(t: HttpClientConfig['tls_config']): Promise<string> {
  const parts: string[] = [];
  for (const f of [t.ca_file, t.cert_file, t.key_file]) {
    if (!f) continue;
    try {
      parts.push(String((await stat(f)).mtimeMs));
    } catch {
      parts.push('missing');
    }
  }
  return parts.join(',');
}

/** Agent options for a tls_config: CA, client certificate, server name, verification, versions. */
export async function tlsAgentOptions(t: HttpClientConfig['tls_config']): Promise<https.AgentOptions> {
  return {
    ca: t.ca ?? (t.ca_file ? await readFile(t.ca_file) : undefined),
    cert: t.cert ?? (t.cert_file ? await readFile(t.cert_file) : undefined),
    key: t.key ?? (t.key_file ? await readFile(t.key_file) : undefined),
    servername: t.server_name,
    rejectUnauthorized: !t.insecure_skip_verify,
    // Prometheus' client default is TLS 1.2 at least.
    minVersion: NODE_TLS[t.min_version ?? 'TLS12'],
    ...(t.max_version ? { maxVersion: NODE_TLS[t.max_version] } : {}),
  };
}

/**
 * A keep-alive agent carrying tls_config (shared by scrapes, the notifier and pmtool; one per
 * distinct config and file version).
 */
export async function httpsAgent(cfg: HttpClientConfig): Promise<https.Agent> {
  const t = cfg.tls_config;
  const key = `${JSON.stringify(t)} ${await filesStamp(t)}`;
  let agent = agents.https.get(key);
  if (!agent) {
    agent = new https.Agent({ keepAlive: true, maxSockets: 4, ...(await tlsAgentOptions(t)) });
    // Retire the agent of the previous file version of this config, once requests still using
    // it are surely over (a scrape timeout is at most its interval).
    const prefix = `${JSON.stringify(t)} `;
    for (const [k, old] of agents.https) {
      if (k !== key && k.startsWith(prefix)) {
        agents.https.delete(k);
        setTimeout(() => old.destroy(), 600_000).unref();
      }
    }
    agents.https.set(key, agent);
  }
  return agent;
}

// OpenSSL's codes for "the chain does not lead to a CA we trust", which Node words as
// "unable to verify the first certificate" and the like; Prometheus users know Go's wording.
const UNKNOWN_AUTHORITY = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);

/** Certificate failures said the way Prometheus says them, plus what to do; undefined for other errors. */
export function tlsReason(e: NodeJS.ErrnoException): string | undefined {
  if (e.code && UNKNOWN_AUTHORITY.has(e.code)) {
    return `x509: certificate signed by unknown authority (${e.message}; set tls_config.ca_file to the CA that signed the target's certificate)`;
  }
  if (e.code === 'CERT_HAS_EXPIRED' || e.code === 'CERT_NOT_YET_VALID') return `x509: certificate has expired or is not yet valid (${e.message})`;
  return undefined;
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
    request.on('error', (e: NodeJS.ErrnoException) => finish(new ScrapeHttpError(`Get "${req.url}": ${tlsReason(e) ?? goNetError(e)}`)));
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
    request.end();
  });
}
