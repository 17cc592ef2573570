// Which proxy a request goes through, decided as Prometheus' ProxyConfig does with Go's net/http:
// proxy_url alone proxies everything (http.ProxyURL); proxy_url with no_proxy and
// proxy_from_environment follow golang.org/x/net/http/httpproxy (no_proxy entries are hosts,
// domain suffixes, IPs or CIDRs, optionally with a port; localhost and loopback addresses are
// never proxied; the environment is read once per process, as Go caches it).
import { BlockList, isIP } from 'node:net';
import type { HttpClientConfig } from '../config/types.js';

export interface ProxyChoice {
  /** host:port of the proxy, for messages and pool keys. */
  address: string;
  /** To connect to (an IPv6 address without brackets). */
  host: string;
  port: number;
  /** From the proxy URL's userinfo, as Go sets it. */
  authorization: string | undefined;
}

export type ProxyResolver = (target: URL) => ProxyChoice | undefined;

export class ProxyConfigError extends Error {}

/** A proxy URL as Go's httpproxy parses it: a bare host:port means http://host:port. */
export function parseProxyUrl(raw: string): ProxyChoice {
  let u: URL | undefined;
  if (URL.canParse(raw)) u = new URL(raw);
  if (!u || u.host === '') u = URL.canParse(`http://${raw}`) ? new URL(`http://${raw}`) : undefined;
  if (!u) throw new ProxyConfigError(`invalid proxy address "${raw}"`);
  if (u.protocol !== 'http:') throw new ProxyConfigError(`proxy scheme "${u.protocol.slice(0, -1)}" is not supported (only http:// proxies)`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port ? Number(u.port) : 80;
  const user = decodeURIComponent(u.username);
  const authorization = u.username || u.password ? `Basic ${Buffer.from(`${user}:${decodeURIComponent(u.password)}`).toString('base64')}` : undefined;
  return { address: `${u.hostname}:${port}`, host, port, authorization };
}

type Matcher = (host: string, port: string, ip: boolean) => boolean;

/** no_proxy / NO_PROXY: true when a host:port must be reached directly. */
export function noProxyMatcher(spec: string): (host: string, port: string) => boolean {
  const matchers: Matcher[] = [];
  for (const raw of spec.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return () => true;
    const slash = p.indexOf('/');
    if (slash > 0 && isIP(p.slice(0, slash)) !== 0) {
      const bits = Number(p.slice(slash + 1));
      const family = isIP(p.slice(0, slash)) === 6 ? 'ipv6' : 'ipv4';
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 'ipv6' ? 128 : 32)) continue;
      const list = new BlockList();
      list.addSubnet(p.slice(0, slash), bits, family);
      matchers.push((h, _port, ip) => ip && list.check(h, isIP(h) === 6 ? 'ipv6' : 'ipv4'));
      continue;
    }
    let host = p;
    let port = '';
    // host:port, [v6]:port; a bare IPv6 address has several colons and no port.
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(p) ?? (/^([^:]+):(\d+)$/.exec(p));
    if (m) {
      host = m[1]!;
      port = m[2] ?? '';
    }
    if (isIP(host) !== 0) {
      const want = canonicalIp(host);
      matchers.push((h, hp, ip) => ip && canonicalIp(h) === want && (port === '' || port === hp));
      continue;
    }
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    const suffix = matchHost ? `.${host}` : host;
    matchers.push((h, hp) => (h.endsWith(suffix) || (matchHost && h === host)) && (port === '' || port === hp));
  }
  return (host, port) => {
    const ip = isIP(host) !== 0;
    for (const m of matchers) if (m(host, port, ip)) return true;
    return false;
  };
}

function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  // ::ffff:1.2.3.4 and 1.2.3.4 are one address to Go's net.IP.Equal.
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  return new URL(`http://[${ip}]/`).hostname;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const v = isIP(host);
  if (v === 4) return host.startsWith('127.');
  if (v === 6) {
    const c = canonicalIp(host);
    return c === '[::1]' || c.startsWith('127.');
  }
  return false;
}

function hostPort(u: URL): [string, string] {
  const host = (u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname).toLowerCase();
  return [host, u.port || (u.protocol === 'https:' ? '443' : '80')];
}

/** The httpproxy rules: per-scheme proxies, loopback direct, then no_proxy. */
function httpproxyResolver(httpProxy: string | undefined, httpsProxy: string | undefined, noProxy: string): ProxyResolver {
  const forHttp = httpProxy ? parseProxyUrl(httpProxy) : undefined;
  const forHttps = httpsProxy ? parseProxyUrl(httpsProxy) : undefined;
  const direct = noProxyMatcher(noProxy);
  return (target) => {
    const proxy = target.protocol === 'https:' ? forHttps : target.protocol === 'http:' ? forHttp : undefined;
    if (!proxy) return undefined;
    const [host, port] = hostPort(target);
    if (isLoopback(host) || direct(host, port)) return undefined;
    return proxy;
  };
}

/** What httpproxy.FromEnvironment reads: upper case first, then lower case. */
export function environmentResolver(env: NodeJS.ProcessEnv): ProxyResolver {
  const get = (name: string): string | undefined => env[name] || env[name.toLowerCase()] || undefined;
  return httpproxyResolver(get('HTTP_PROXY'), get('HTTPS_PROXY'), get('NO_PROXY') ?? '');
}

/** The resolver for a client config, or undefined when it never uses a proxy. */
export function proxyResolver(cfg: HttpClientConfig, env: NodeJS.ProcessEnv = process.env): ProxyResolver | undefined {
  if (cfg.proxy_from_environment) return environmentResolver(env);
  if (cfg.proxy_url === undefined) return undefined;
  if (!cfg.no_proxy) {
    const proxy = parseProxyUrl(cfg.proxy_url);
    return () => proxy;
  }
  return httpproxyResolver(cfg.proxy_url, cfg.proxy_url, cfg.no_proxy);
}

let envResolver: ProxyResolver | undefined;
const resolvers = new WeakMap<HttpClientConfig, ProxyResolver | null>();

/** The proxy for one request of a client config (resolvers cached per config object). */
export function proxyFor(cfg: HttpClientConfig, target: URL): ProxyChoice | undefined {
  if (cfg.proxy_url === undefined && !cfg.proxy_from_environment) return undefined;
  let r = resolvers.get(cfg);
  if (r === undefined) {
    r = cfg.proxy_from_environment ? (envResolver ??= environmentResolver(process.env)) : (proxyResolver(cfg) ?? null);
    resolvers.set(cfg, r);
  }
  return r === null ? undefined : r(target);
}
