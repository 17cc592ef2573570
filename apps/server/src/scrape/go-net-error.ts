// Node's socket errors worded the way Go's net package words them, so a target's lastError reads
// as it does in Prometheus (dashboards, alerts and runbooks match on "connection refused").
export interface NetErrorLike {
  code?: string;
  message: string;
  address?: string;
  port?: number;
  hostname?: string;
  syscall?: string;
}

export function goNetError(e: NetErrorLike): string {
  const addr = e.address !== undefined && e.port !== undefined ? `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}` : undefined;
  const dial = (what: string): string => (addr ? `dial tcp ${addr}: connect: ${what}` : `dial tcp: connect: ${what}`);
  switch (e.code) {
    case 'ECONNREFUSED':
      return dial('connection refused');
    case 'EHOSTUNREACH':
      return dial('no route to host');
    case 'ENETUNREACH':
      return dial('network is unreachable');
    case 'ETIMEDOUT':
      return dial('connection timed out');
    case 'ENOTFOUND':
      return `dial tcp: lookup ${e.hostname ?? '?'}: no such host`;
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${e.hostname ?? '?'}: temporary failure in name resolution`;
    case 'ECONNRESET':
      return 'read: connection reset by peer';
    case 'EPIPE':
      return 'write: broken pipe';
    default:
      return e.message;
  }
}
