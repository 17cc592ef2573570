// prom-client's README usage, written against this package with only the import changed.
import { describe, expect, it } from 'vitest';
import * as client from '../src/index.js';

describe("prom-client's documented usage", () => {
  it('default metrics into a custom registry, with a prefix and labels', async () => {
    const register = new client.Registry();
    client.collectDefaultMetrics({ register, prefix: 'my_app_', labels: { NODE_APP_INSTANCE: 'x' }, gcDurationBuckets: [0.1, 1] });
    const text = await register.metrics();
    expect(text).toMatch(/^my_app_process_cpu_user_seconds_total\{NODE_APP_INSTANCE="x"\} /m);
    expect(text).toContain('my_app_nodejs_gc_duration_seconds');
    expect(register.contentType).toBe(client.prometheusContentType);
  });

  it('counter, gauge, histogram and summary basics', async () => {
    const registers = [new client.Registry()];
    const counter = new client.Counter({ name: 'metric_name_total', help: 'metric_help', registers });
    counter.inc();
    counter.inc(10);
    const gauge = new client.Gauge({ name: 'gauge_name', help: 'metric_help', registers });
    gauge.set(10);
    gauge.inc();
    gauge.inc(10);
    gauge.dec();
    gauge.dec(10);
    const histogram = new client.Histogram({ name: 'hist_name', help: 'metric_help', buckets: [0.1, 5, 15, 50, 100, 500], registers });
    histogram.observe(10);
    const end = histogram.startTimer();
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0);
    const summary = new client.Summary({ name: 'summary_name', help: 'metric_help', percentiles: [0.01, 0.1, 0.9, 0.99], registers });
    summary.observe(10);
    const windowed = new client.Summary({
      name: 'windowed',
      help: 'metric_help',
      maxAgeSeconds: 600,
      ageBuckets: 5,
      pruneAgedBuckets: false,
      registers,
    });
    windowed.observe(1);
    const text = await registers[0]!.metrics();
    expect(text).toContain('metric_name_total 11\n');
    expect(text).toContain('gauge_name 10\n');
    expect(text).toContain('hist_name_bucket{le="15"} 2\n');
    expect(text).toContain('summary_name_count 1\n');
    expect(text).toContain('windowed_count 1\n');
  });

  it('labels: objects, labels() with object or positional values, timers with end labels, zero()', async () => {
    const registers = [new client.Registry()];
    const gauge = new client.Gauge({ name: 'metric_name', help: 'metric_help', labelNames: ['method', 'statusCode'], registers });
    gauge.set({ method: 'GET', statusCode: '200' }, 100);
    gauge.labels({ method: 'GET', statusCode: '200' }).set(100);
    gauge.labels('POST', '201').set(50);
    const histogram = new client.Histogram({ name: 'h_seconds', help: 'h', labelNames: ['method', 'code'], registers });
    const end = histogram.startTimer({ method: 'GET' });
    end({ code: 200 });
    histogram.zero({ method: 'PUT', code: '204' });
    const text = await registers[0]!.metrics();
    expect(text).toContain('metric_name{method="GET",statusCode="200"} 100\n');
    expect(text).toContain('metric_name{method="POST",statusCode="201"} 50\n');
    expect(text).toContain('h_seconds_count{method="GET",code="200"} 1\n');
    expect(text).toContain('h_seconds_count{method="PUT",code="204"} 0\n');
  });

  it('collect() callbacks set values at scrape time, also async', async () => {
    const registers = [new client.Registry()];
    let current = 1;
    new client.Gauge({
      name: 'sync_gauge',
      help: 'h',
      registers,
      collect() {
        this.set(current);
      },
    });
    new client.Gauge({
      name: 'async_gauge',
      help: 'h',
      registers,
      async collect() {
        const v = await Promise.resolve(current * 2);
        this.set(v);
      },
    });
    current = 21;
    const text = await registers[0]!.metrics();
    expect(text).toContain('sync_gauge 21\n');
    expect(text).toContain('async_gauge 42\n');
  });

  it('default labels, single-metric access and merging registries', async () => {
    const registry1 = new client.Registry();
    const registry2 = new client.Registry();
    new client.Counter({ name: 'a_total', help: 'h', registers: [registry1] }).inc();
    new client.Counter({ name: 'b_total', help: 'h', registers: [registry2] }).inc(2);
    registry1.setDefaultLabels({ serviceName: 'api-v1' });
    expect(await registry1.getSingleMetricAsString('a_total')).toBe('# HELP a_total h\n# TYPE a_total counter\na_total{serviceName="api-v1"} 1');
    const merged = client.Registry.merge([registry1, registry2]);
    expect(merged.getSingleMetric('b_total')).toBe(registry2.getSingleMetric('b_total'));
    expect(client.validateMetricName('good_name')).toBe(true);
    expect(client.validateMetricName('bad-name')).toBe(false);
    expect(client.linearBuckets(0, 10, 20)).toHaveLength(20);
    expect(client.exponentialBuckets(1, 2, 5)).toEqual([1, 2, 4, 8, 16]);
  });

  it('exemplars on an OpenMetrics registry', async () => {
    const register = new client.Registry(client.Registry.OPENMETRICS_CONTENT_TYPE);
    const c = new client.Counter({
      name: 'test_counter_exemplar',
      help: 'Example of a counter with exemplar',
      labelNames: ['code'],
      enableExemplars: true,
      registers: [register],
    });
    const exemplarLabels = { traceId: '888', spanId: 'b88' };
    c.inc({ value: 1, labels: { code: 200 }, exemplarLabels });
    const h = new client.Histogram({
      name: 'test_histogram_exemplar',
      help: 'Example of a histogram with exemplar',
      labelNames: ['code'],
      enableExemplars: true,
      registers: [register],
    });
    h.observe({ value: 0.007, labels: { code: 200 }, exemplarLabels });
    const text = await register.metrics();
    expect(text).toMatch(/^test_counter_exemplar_total\{code="200"\} 1\.0 # \{traceId="888",spanId="b88"\} 1\.0 [\d.e+]+$/m);
    expect(text).toMatch(/^test_histogram_exemplar_bucket\{code="200",le="0\.01"\} 1 # \{traceId="888",spanId="b88"\} 0\.007 [\d.e+]+$/m);
    expect(text.endsWith('# EOF\n')).toBe(true);
  });
});
