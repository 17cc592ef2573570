// Parses Prometheus-style listen addresses: ":9090", "0.0.0.0:9090", "[::1]:9090".
export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListenAddress(addr: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new Error(`invalid --web.listen-address "${addr}": expected host:port, e.g. 0.0.0.0:9090 or :9090`);
  }
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}
