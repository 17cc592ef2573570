import { describe, expect, it } from 'vitest';
import { parseListenAddress } from './index.js';

describe('parseListenAddress', () => {
  it('accepts the Prometheus forms', () => {
    expect(parseListenAddress(':9090')).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(parseListenAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListenAddress('[::1]:9091')).toEqual({ host: '::1', port: 9091 });
  });
  it('rejects bad addresses, naming the flag', () => {
    expect(() => parseListenAddress('9090')).toThrow(/--web.listen-address "9090"/);
    expect(() => parseListenAddress(':99999')).toThrow(/expected host:port/);
  });
});
