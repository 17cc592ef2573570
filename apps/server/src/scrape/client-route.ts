// How a node:http(s) client (remote write, remote read, the notifier, pmtool) reaches one URL
// under a client config: directly, through the proxy in absolute form (http://), or in a CONNECT
// tunnel through it (https://), as Go's transport does with Prometheus' ProxyConfig.
import http from 'node:http';
import https from 'node:https';
import type { HttpClientConfig } from '../config/types.js';
import { ProxyConnectError, TunnelAgent } from './connect-tunnel.js';
import { goNetError } from './go-net-error.js';
import { tlsAgentOptions } from './http-client.js';
import { proxyFor } from './proxy-resolver.js';

export interface ClientRoute {
  agent: http.Agent;
  /** Merged over the URL's request options: the proxy's address and the absolute-form path. */
  options: http.RequestOptions;
  /** Added to the request's headers: the target's Host and the proxy credentials. */
  headers: Record<string, string>;
  /** host:port of the proxy, when there is one. */
  proxy: string | undefined;
}

/** A route with its own keep-alive agent (the caller destroys it when done). */
export async function clientRoute(url: URL, cfg: HttpClientConfig, maxSockets = Infinity): Promise<ClientRoute> {
  const proxy = proxyFor(cfg, url);
  if (url.protocol === 'https:') {
    const options: https.AgentOptions = { keepAlive: true, maxSockets, ...(await tlsAgentOptions(cfg.tls_config)) };
    const agent = proxy ? new TunnelAgent(proxy, cfg.proxy_connect_header, options) : new https.Agent(options);
    return { agent, options: {}, headers: {}, proxy: proxy?.address };
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  if (!proxy) return { agent, options: {}, headers: {}, proxy: undefined };
  return {
    agent,
    options: { host: proxy.host, hostname: proxy.host, port: proxy.port, path: `${url.protocol}//${url.host}${url.pathname}${url.search}` },
    headers: { Host: url.host, ...(proxy.authorization ? { 'Proxy-Authorization': proxy.authorization } : {}) },
    proxy: proxy.address,
  };
}

/** A request error's text; failing to reach the proxy is said as Go says it ("proxyconnect tcp: ..."). */
export function routeErrorMessage(proxied: boolean, e: Error): string {
  if (e instanceof ProxyConnectError) return e.message;
  const ne = e as NodeJS.ErrnoException;
  if (proxied && (ne.syscall === 'connect' || ne.syscall === 'getaddrinfo')) return `proxyconnect tcp: ${goNetError(ne)}`;
  return e.message;
}
