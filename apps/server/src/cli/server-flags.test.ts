import { describe, expect, it } from 'vitest';
import { routePrefix, parseServerFlags, serverUsage } from './server-flags.js';

describe('server flags', () => {
  it('has Prometheus defaults', () => {
    const { values, raw } = parseServerFlags([]);
    expect(values.configFile).toBe('prometheus.yml');
    expect(values.tsdbPath).toBe('data/');
    expect(values.listenAddress).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(values.queryTimeout).toBe(120_000);
    expect(values.queryMaxSamples).toBe(50_000_000);
    expect(values.lookbackDelta).toBe(300_000);
    expect(values.retentionTime).toBeUndefined();
    expect(values.retentionSize).toBeUndefined();
    expect(values.enableLifecycle).toBe(false);
    expect(values.logLevel).toBe('info');
    expect(values.logFormat).toBe('logfmt');
    expect(raw['web.listen-address']).toBe('0.0.0.0:9090');
    expect(raw['query.timeout']).toBe('2m');
  });
  it('parses the npm start command line', () => {
    const { values } = parseServerFlags([
      '--config.file=docker/prometheus.yml',
      '--storage.tsdb.path=data/server',
      '--web.listen-address=:9090',
    ]);
    expect(values.configFile).toBe('docker/prometheus.yml');
    expect(values.tsdbPath).toBe('data/server');
    expect(values.listenAddress).toEqual({ host: '0.0.0.0', port: 9090 });
  });
  it('parses sizes, durations and URLs and names the bad flag', () => {
    const { values } = parseServerFlags([
      '--storage.tsdb.retention.time=30d',
      '--storage.tsdb.retention.size',
      '1GB',
      '--web.external-url=https://example.com/prom/',
    ]);
    expect(values.retentionTime).toBe(30 * 86_400_000);
    expect(values.retentionSize).toBe(1024 ** 3);
    expect(values.externalUrl).toBe('https://example.com/prom');
    expect(routePrefix(values)).toBe('/prom');
    expect(routePrefix({ routePrefix: 'x/', externalUrl: undefined })).toBe('/x');
    expect(routePrefix({ routePrefix: undefined, externalUrl: undefined })).toBe('');
    expect(() => parseServerFlags(['--query.timeout=2'])).toThrow(/--query.timeout: not a valid duration string/);
    expect(() => parseServerFlags(['--query.max-samples=-1'])).toThrow(/--query.max-samples/);
    expect(() => parseServerFlags(['--web.listen-address=9090'])).toThrow(/--web.listen-address/);
    expect(() => parseServerFlags(['--web.external-url=ftp://x'])).toThrow(/http or https/);
  });
  it('lists every flag in --help', () => {
    const text = serverUsage();
    for (const f of [
      'config.file', 'storage.tsdb.path', 'storage.tsdb.retention.time', 'storage.tsdb.retention.size',
      'web.listen-address', 'web.external-url', 'web.route-prefix', 'web.enable-lifecycle', 'web.enable-admin-api',
      'web.enable-remote-write-receiver', 'query.timeout', 'query.max-samples', 'query.lookback-delta', 'log.level', 'log.format',
    ]) {
      expect(text).toContain(f);
    }
  });
});
