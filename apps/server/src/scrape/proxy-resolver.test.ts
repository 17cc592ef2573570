// The proxy decision: Go's http.ProxyURL and httpproxy rules (no_proxy, environment, loopback).
import { describe, expect, it } from 'vitest';
import type { HttpClientConfig } from '../config/types.js';
import { environmentResolver, noProxyMatcher, parseProxyUrl, proxyFor, proxyResolver } from './proxy-resolver.js';

const base: HttpClientConfig = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true };

describe('noProxyMatcher', () => {
  it('matches hosts, domain suffixes, wildcards, IPs, CIDRs and ports as httpproxy does', () => {
    const m = noProxyMatcher(' example.com , .corp, *.svc, 10.0.0.0/8, 192.168.1.7, [2001:db8::1], fd00::/8, api.io:8443, ');
    expect(m('example.com', '80')).toBe(true);
    expect(m('www.example.com', '80')).toBe(true);
    expect(m('notexample.com', '80')).toBe(false);
    expect(m('corp', '80')).toBe(false);
    expect(m('a.corp', '80')).toBe(true);
    expect(m('x.svc', '80')).toBe(true);
    expect(m('svc', '80')).toBe(false);
    expect(m('10.200.0.1', '9100')).toBe(true);
    expect(m('11.0.0.1', '9100')).toBe(false);
    expect(m('192.168.1.7', '1')).toBe(true);
    expect(m('192.168.1.8', '1')).toBe(false);
    expect(m('2001:db8::1', '80')).toBe(true);
    expect(m('fd12::5', '80')).toBe(true);
    expect(m('api.io', '8443')).toBe(true);
    expect(m('api.io', '443')).toBe(false);
    expect(noProxyMatcher('*')('anything', '1')).toBe(true);
    expect(noProxyMatcher('')('anything', '1')).toBe(false);
  });
});

describe('parseProxyUrl', () => {
  it('takes a bare host:port as http, userinfo as Basic credentials, and refuses other schemes', () => {
    expect(parseProxyUrl('proxy:3128')).toEqual({ address: 'proxy:3128', host: 'proxy', port: 3128, authorization: undefined });
    expect(parseProxyUrl('http://[::1]/')).toMatchObject({ address: '[::1]:80', host: '::1', port: 80 });
    expect(parseProxyUrl('http://u%40x:p%3A@p:1').authorization).toBe(`Basic ${Buffer.from('u@x:p:').toString('base64')}`);
    expect(() => parseProxyUrl('socks5://p:1080')).toThrow('proxy scheme "socks5" is not supported');
  });
});

describe('proxyResolver', () => {
  it('proxies everything with proxy_url alone, loopback included (http.ProxyURL)', () => {
    const r = proxyResolver({ ...base, proxy_url: 'http://p:1' })!;
    expect(r(new URL('http://127.0.0.1:9100/'))?.address).toBe('p:1');
    expect(r(new URL('https://a.example/'))?.address).toBe('p:1');
  });

  it('applies no_proxy and the loopback rule once no_proxy is set', () => {
    const r = proxyResolver({ ...base, proxy_url: 'http://p:1', no_proxy: 'internal' })!;
    expect(r(new URL('http://127.0.0.1:9100/'))).toBeUndefined();
    expect(r(new URL('http://[::1]:9100/'))).toBeUndefined();
    expect(r(new URL('http://x.internal/'))).toBeUndefined();
    expect(r(new URL('http://x.external/'))?.address).toBe('p:1');
  });

  it('reads the environment for proxy_from_environment, upper case first', () => {
    const env = { HTTP_PROXY: 'http://upper:1', http_proxy: 'http://lower:1', no_proxy: 'skip.me' };
    const r = proxyResolver({ ...base, proxy_from_environment: true }, env)!;
    expect(r(new URL('http://a.example/'))?.address).toBe('upper:1');
    expect(r(new URL('https://a.example/'))).toBeUndefined();
    expect(r(new URL('http://skip.me/'))).toBeUndefined();
    expect(environmentResolver({ http_proxy: 'lower:2' })(new URL('http://a.example/'))?.address).toBe('lower:2');
  });

  it('is undefined without proxy settings, and proxyFor is then free', () => {
    expect(proxyResolver(base)).toBeUndefined();
    expect(proxyFor(base, new URL('http://a.example/'))).toBeUndefined();
    const cfg = { ...base, proxy_url: 'http://p:9' };
    expect(proxyFor(cfg, new URL('http://a.example/'))?.port).toBe(9);
  });
});
