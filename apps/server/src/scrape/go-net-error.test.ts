import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/http-target.js';
import { goNetError } from './go-net-error.js';

function connectError(host: string, port: number): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.on('error', resolve);
    s.on('connect', () => {
      s.destroy();
      resolve(new Error('connected'));
    });
  });
}

describe('goNetError', () => {
  it('words a refused connection as Go does', async () => {
    const port = await freePort();
    const e = await connectError('127.0.0.1', port);
    expect(goNetError(e)).toBe(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  it('brackets IPv6 addresses and words DNS failures', () => {
    expect(goNetError({ code: 'ECONNREFUSED', message: 'x', address: '::1', port: 9 })).toBe('dial tcp [::1]:9: connect: connection refused');
    expect(goNetError({ code: 'ENOTFOUND', message: 'x', hostname: 'nope.invalid' })).toBe('dial tcp: lookup nope.invalid: no such host');
  });

  it('keeps messages it has no Go wording for', () => {
    expect(goNetError({ code: 'EWEIRD', message: 'something odd' })).toBe('something odd');
    expect(goNetError(new Error('plain'))).toBe('plain');
  });
});
