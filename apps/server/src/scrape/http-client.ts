// Fetches one scrape body: plain HTTP over the scrape's own keep-alive connections (http1-pool),
// HTTPS through node:https with the config's TLS settings. One deadline covers redirects, the
// body size limit holds while the body arrives (so a huge target cannot exhaust memory) and again
// while it is decompressed, and auth comes from the config.
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { gunzip } from 'node:zlib';
import type { HttpClientConfig } from '../config/types.js';
import { authorizationHeader, configHeaders } from './config-headers.js';
import { ProxyConnectError, TunnelAgent } from './connect-tunnel.js';
import { goNetError } from './go-net-error.js';
import { http1Get } from './http1-pool.js';
import { BodyTooLargeError, HttpResponseError } from './http1-response.js';
import type { ResponseHead, ResponseLimits } from './http1-response.js';
import { proxyFor } from './proxy-resolver.js';
import type { ProxyChoice } from './proxy-resolver.js';

export interface ScrapeResponse {
  body: Buffer;
  contentType: string | undefined;
}

export class ScrapeHttpError extends Error {}

const USER_AGENT = 'Promethium/0.1.0';
const agents = { https: new Map<string, https.Agent>() };

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
 * distinct config, proxy and file version). With a target URL, the config's proxy for it
 * applies: the agent's connections are CONNECT tunnels through it.
 */
export async function httpsAgent(cfg: HttpClientConfig, target?: URL): Promise<https.Agent> {
  const t = cfg.tls_config;
  const proxy = target ? proxyFor(cfg, target) : undefined;
  const via = proxy ? ` via ${proxy.address} ${proxy.authorization ?? ''} ${JSON.stringify(cfg.proxy_connect_header ?? {})}` : '';
  const key = `${JSON.stringify(t)}${via} ${await filesStamp(t)}`;
  let agent = agents.https.get(key);
  if (!agent) {
    const options: https.AgentOptions = { keepAlive: true, maxSockets: 4, ...(await tlsAgentOptions(t)) };
    agent = proxy ? new TunnelAgent(proxy, cfg.proxy_connect_header, options) : new https.Agent(options);
    // Retire the agent of the previous file version of this config, once requests still using
    // it are surely over (a scrape timeout is at most its interval).
    const prefix = `${JSON.stringify(t)}${via} `;
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

/** A response as a transport read it: the body still content-encoded. */
interface RawResponse {
  head: ResponseHead;
  body: Buffer;
}

type RawCallback = (err: Error | undefined, res?: RawResponse) => void;

/** As Go's http.Client: at most 10 redirects are followed. */
const MAX_REDIRECTS = 10;
/** As Go's Transport.MaxResponseHeaderBytes default. */
const MAX_HEADER_BYTES = 1 << 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** How many body bytes may be buffered: the limit itself, or for gzip a little more than it. */
function limitsFor(limit: number): ResponseLimits {
  return {
    maxHeaderBytes: MAX_HEADER_BYTES,
    maxBody: (head) => {
      // Error and redirect bodies are not read for their content: a bounded amount is drained.
      if (head.status !== 200) return 64 * 1024;
      if (limit <= 0) return Infinity;
      // gzip can grow incompressible data slightly; the real check is on the decompressed size.
      return head.contentEncoding === 'gzip' ? limit + (limit >>> 6) + 1024 : limit;
    },
  };
}

interface TargetUrl {
  url: URL;
  /** For the socket: an IPv6 address without brackets. */
  host: string;
  port: number;
  /** The request line and Host header. */
  start: string;
  /** The same in absolute form, for a proxy; made when first needed. */
  proxyStart: string | undefined;
}

// Target URLs are parsed once: new URL per scrape was a visible share of the scrape path.
const targetUrls = new Map<string, TargetUrl>();

function targetUrl(href: string): TargetUrl {
  let t = targetUrls.get(href);
  if (!t) {
    const url = new URL(href);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    t = { url, host, port, start: `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`, proxyStart: undefined };
    if (targetUrls.size >= 100_000) targetUrls.clear();
    targetUrls.set(href, t);
  }
  return t;
}

type Headers = Record<string, string | string[]>;

function requestHeaders(req: ScrapeRequest, auth: string | undefined): Headers {
  const headers: Headers = {
    'User-Agent': USER_AGENT,
    Accept: req.accept,
    'Accept-Encoding': req.compression ? 'gzip' : 'identity',
    'X-Prometheus-Scrape-Timeout-Seconds': String(req.timeoutMs / 1000),
  };
  if (auth !== undefined) headers.Authorization = auth;
  return headers;
}

function headerLines(text: string, headers: Headers): string {
  for (const name in headers) {
    const v = headers[name]!;
    if (typeof v === 'string') text += `${name}: ${v}\r\n`;
    else for (const x of v) text += `${name}: ${x}\r\n`;
  }
  return `${text}\r\n`;
}

/** Plain HTTP on the scrape connection pool. */
function plainGet(t: TargetUrl, headers: Headers, limits: ResponseLimits, cb: RawCallback): { cancel(): void } {
  return http1Get({ host: t.host, port: t.port, bytes: Buffer.from(headerLines(t.start, headers), 'utf8'), limits }, cb);
}

/** A failure to reach the proxy itself (rather than the proxy's answer) in Go's words. */
function proxyConnectFailure(e: Error): Error {
  const code = (e as NodeJS.ErrnoException).syscall;
  if (code === 'connect' || code === 'getaddrinfo') return new ProxyConnectError(`proxyconnect tcp: ${goNetError(e)}`);
  return e;
}

/** Idle connections kept to one proxy (Prometheus' MaxIdleConnsPerHost), as every proxied target shares them. */
const PROXY_MAX_IDLE = 1000;

/** Plain HTTP through an HTTP proxy: the absolute-form request on the pool's connection to the proxy. */
function proxiedGet(t: TargetUrl, proxy: ProxyChoice, headers: Headers, limits: ResponseLimits, cb: RawCallback): { cancel(): void } {
  const u = t.url;
  let text = (t.proxyStart ??= `GET ${u.protocol}//${u.host}${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n`);
  if (proxy.authorization) text += `Proxy-Authorization: ${proxy.authorization}\r\n`;
  const bytes = Buffer.from(headerLines(text, headers), 'utf8');
  return http1Get({ host: proxy.host, port: proxy.port, bytes, limits, maxIdle: PROXY_MAX_IDLE }, (err, res) => cb(err && proxyConnectFailure(err), res));
}

/** HTTPS (and anything node:http must do) through node:http(s) with the config's agent. */
function nodeGet(t: TargetUrl, headers: Headers, agent: http.Agent, limits: ResponseLimits, cb: RawCallback): { cancel(): void } {
  const isHttps = t.url.protocol === 'https:';
  let done = false;
  const finish = (err: Error | undefined, res?: RawResponse): void => {
    if (done) return;
    done = true;
    cb(err, res);
  };
  const request = (isHttps ? https : http).request(t.url, { method: 'GET', headers, agent }, (res) => {
    const h = res.headers;
    const announced = h['content-length'] === undefined ? -1 : Number(h['content-length']);
    const head: ResponseHead = {
      minor: res.httpVersionMinor,
      status: res.statusCode ?? 0,
      reason: res.statusMessage ?? '',
      contentLength: Number.isSafeInteger(announced) ? announced : -1,
      chunked: false,
      contentEncoding: (h['content-encoding'] ?? '').toLowerCase(),
      contentType: h['content-type'],
      location: h.location,
      keepAlive: true,
    };
    const cap = limits.maxBody(head);
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        request.destroy();
        finish(new BodyTooLargeError(head));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => finish(undefined, { head, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    res.on('error', (e: Error) => finish(e));
  });
  request.on('error', (e: Error) => finish(e));
  request.end();
  return {
    cancel: () => {
      done = true;
      request.destroy();
    },
  };
}

function sameOrSubdomain(dest: string, initial: string): boolean {
  if (dest === initial) return true;
  // An IP address has no subdomains.
  if (/[:%]/.test(dest)) return false;
  return dest.endsWith(`.${initial}`);
}

/** A transport error in the words Prometheus uses. */
function transportMessage(e: Error): string {
  if (e instanceof HttpResponseError || e instanceof ProxyConnectError) return e.message;
  const ne = e as NodeJS.ErrnoException;
  return tlsReason(ne) ?? goNetError(ne);
}

export async function fetchScrape(req: ScrapeRequest): Promise<ScrapeResponse> {
  const cfg = req.client;
  const auth = cfg.basic_auth || cfg.authorization ? await authorizationHeader(cfg) : undefined;
  const headers = requestHeaders(req, auth);
  if (cfg.http_headers) {
    try {
      const extra = await configHeaders(cfg);
      for (const name in extra) headers[name] = extra[name]!;
    } catch (e) {
      throw new ScrapeHttpError(`Get "${req.url}": ${(e as Error).message}`);
    }
  }
  const first = targetUrl(req.url);
  const proxied = cfg.proxy_url !== undefined || cfg.proxy_from_environment === true;
  let agent: https.Agent | undefined;
  try {
    agent = first.url.protocol === 'https:' ? await httpsAgent(cfg, proxied ? first.url : undefined) : undefined;
  } catch (e) {
    throw new ScrapeHttpError(`Get "${req.url}": ${(e as Error).message}`);
  }
  const limit = req.bodySizeLimit;
  const limits = limitsFor(limit);
  const outer = req.signal;

  // A plain timer and one listener on the loop's signal: AbortSignal.timeout + AbortSignal.any per
  // scrape cost a composite signal each time, tracked by the long-lived loop signal.
  return new Promise<ScrapeResponse>((resolve, reject) => {
    let settled = false;
    let inflight: { cancel(): void } | undefined;
    const finish = (err: Error | undefined, res?: ScrapeResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const abortWith = (message: string): void => {
      inflight?.cancel();
      finish(new ScrapeHttpError(message));
    };
    const onAbort = (): void => abortWith('scrape aborted');
    const timer = setTimeout(() => abortWith(`Get "${req.url}": context deadline exceeded`), req.timeoutMs);

    const tooLarge = (): ScrapeHttpError => new ScrapeHttpError(`body size limit exceeded (limit: ${limit} bytes)`);
    let redirects = 0;
    const send = (t: TargetUrl, via?: http.Agent): void => {
      const onResponse: RawCallback = (err, raw) => {
        inflight = undefined;
        if (settled) return;
        let head: ResponseHead | undefined = raw?.head;
        if (err) {
          // An error or redirect body too large to drain still tells its status.
          if (err instanceof BodyTooLargeError && err.head.status !== 200) head = err.head;
          else {
            finish(err instanceof BodyTooLargeError ? tooLarge() : new ScrapeHttpError(`Get "${t.url.href}": ${transportMessage(err)}`));
            return;
          }
        }
        const h = head!;
        if (REDIRECTS.has(h.status) && cfg.follow_redirects && h.location !== undefined) {
          let next: URL;
          try {
            next = new URL(h.location, t.url);
          } catch {
            finish(new ScrapeHttpError(`Get "${t.url.href}": failed to parse Location header "${h.location}"`));
            return;
          }
          if (++redirects > MAX_REDIRECTS) {
            finish(new ScrapeHttpError(`Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects`));
            return;
          }
          if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            finish(new ScrapeHttpError(`Get "${next.href}": unsupported protocol scheme "${next.protocol.slice(0, -1)}"`));
            return;
          }
          // As Go: credentials go along only to the first request's host or its subdomains.
          if (auth !== undefined && sameOrSubdomain(next.hostname, first.url.hostname)) headers.Authorization = auth;
          else delete headers.Authorization;
          const nt = targetUrl(next.href);
          if (nt.url.protocol === 'https:') {
            httpsAgent(cfg, proxied ? nt.url : undefined).then(
              (a) => settled || send(nt, a),
              (e: Error) => finish(new ScrapeHttpError(`Get "${nt.url.href}": ${e.message}`)),
            );
          } else send(nt);
          return;
        }
        if (h.status !== 200) {
          finish(new ScrapeHttpError(`server returned HTTP status ${h.status} ${h.reason}`.trimEnd()));
          return;
        }
        decodeBody(h, raw!.body);
      };
      if (t.url.protocol !== 'http:') {
        inflight = nodeGet(t, headers, via!, limits, onResponse);
        return;
      }
      let proxy: ProxyChoice | undefined;
      try {
        proxy = proxied ? proxyFor(cfg, t.url) : undefined;
      } catch (e) {
        finish(new ScrapeHttpError(`Get "${t.url.href}": ${(e as Error).message}`));
        return;
      }
      inflight = proxy ? proxiedGet(t, proxy, headers, limits, onResponse) : plainGet(t, headers, limits, onResponse);
    };

    const decodeBody = (h: ResponseHead, body: Buffer): void => {
      const contentType = h.contentType;
      if (h.contentEncoding === '' || h.contentEncoding === 'identity') {
        finish(undefined, { body, contentType });
        return;
      }
      if (h.contentEncoding !== 'gzip') {
        finish(new ScrapeHttpError(`unsupported Content-Encoding "${h.contentEncoding}"`));
        return;
      }
      // Decompressed off the main thread; the size limit stops it rather than checking afterwards.
      gunzip(body, limit > 0 ? { maxOutputLength: limit } : {}, (e, out) => {
        if (e) finish((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge() : new ScrapeHttpError(`decompressing response: ${e.message}`));
        else finish(undefined, { body: out, contentType });
      });
    };

    if (outer?.aborted) {
      onAbort();
      return;
    }
    outer?.addEventListener('abort', onAbort, { once: true });
    send(first, agent);
  });
}
