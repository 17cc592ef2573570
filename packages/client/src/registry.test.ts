import { decodeProtobuf, encodeProtobuf, parseText, serializeOpenMetrics } from '@promethium/exposition';
import { describe, expect, it } from 'vitest';
import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { Histogram } from './histogram.js';
import { Info } from './info.js';
import { Registry } from './registry.js';
import { StateSet } from './stateset.js';
import { Summary } from './summary.js';

function allTypes(r: Registry<never>) {
  const registers = [r as Registry];
  const c = new Counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['q'], registers, enableExemplars: true });
  c.inc({ labels: { q: 'a' }, value: 2, exemplarLabels: { trace_id: 'abc' } });
  new Gauge({ name: 'queue_size_bytes', help: 'Queue.', unit: 'bytes', registers }).set(42);
  const h = new Histogram({ name: 'rt_seconds', help: 'RT.', unit: 'seconds', buckets: [0.1, 1], registers });
  h.observe(0.5);
  new Summary({ name: 'sz', help: 'Size.', percentiles: [0.5], registers }).observe(3);
  new Info({ name: 'build', help: 'Build.', labelNames: ['version'], registers }).set({ version: '1.2.3' });
  new StateSet({ name: 'mode', help: 'Mode.', states: ['on', 'off'], registers }).set('off');
}

describe('Registry', () => {
  it('writes OpenMetrics with _created, UNIT, exemplars, info and stateset', async () => {
    const r = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
    allTypes(r as Registry<never>);
    const text = await r.metrics();
    expect(text).toMatch(/^# HELP jobs Jobs\.\n# TYPE jobs counter\njobs_total\{q="a"\} 2\.0 # \{trace_id="abc"\} 2\.0 [\d.e+]+\njobs_created\{q="a"\} [\d.e+]+\n/);
    expect(text).toContain('# TYPE queue_size_bytes gauge\n# UNIT queue_size_bytes bytes\nqueue_size_bytes 42.0\n');
    expect(text).toContain('# UNIT rt_seconds seconds\nrt_seconds_bucket{le="0.1"} 0\nrt_seconds_bucket{le="1"} 1\nrt_seconds_bucket{le="+Inf"} 1\nrt_seconds_count 1\nrt_seconds_sum 0.5\nrt_seconds_created ');
    expect(text).toMatch(/# TYPE sz summary\nsz\{quantile="0\.5"\} 2\.9\d+\nsz_sum 3\.0\nsz_count 1\nsz_created /);
    expect(text).toContain('# TYPE build info\nbuild_info{version="1.2.3"} 1.0\n');
    expect(text).toContain('# TYPE mode stateset\nmode{mode="on"} 0.0\nmode{mode="off"} 1.0\n');
    expect(text.endsWith('# EOF\n')).toBe(true);
    // The fast path writes exactly what exposition's serializer writes for the same families.
    expect(text).toBe(serializeOpenMetrics(await r.getMetricFamilies()));
    const g = new Gauge({ name: 'overlap', help: 'o', labelNames: ['env', 'x'], registers: [r] });
    g.set({ x: '1' }, 1.5);
    g.set({ env: 'dev', x: '2' }, 1e21);
    r.setDefaultLabels({ env: 'prod', zone: 'a"b' });
    expect(await r.metrics()).toBe(serializeOpenMetrics(await r.getMetricFamilies()));
  });

  it('writes info and stateset as gauges in text 0.0.4, which parses back', async () => {
    const r = new Registry();
    allTypes(r as Registry<never>);
    const text = await r.metrics();
    expect(text).toContain('# TYPE build_info gauge\nbuild_info{version="1.2.3"} 1\n');
    expect(text).toContain('mode{mode="on"} 0\nmode{mode="off"} 1\n');
    const fams = parseText(text);
    expect(fams.map((f) => f.name)).toEqual(['jobs_total', 'queue_size_bytes', 'rt_seconds', 'sz', 'build_info', 'mode']);
  });

  it('negotiates the format from an Accept header', async () => {
    const r = new Registry();
    new Counter({ name: 'n_total', help: 'h', registers: [r] }).inc();
    const prom =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const om = await r.negotiate(prom);
    expect(om.contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.body).toContain('n_total 1.0\nn_created ');
    const text = await r.negotiate(undefined);
    expect(text).toEqual({ format: 'text', contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '# HELP n_total h\n# TYPE n_total counter\nn_total 1\n' });
  });

  it('encodes protobuf that decodes back to the same series', async () => {
    const r = new Registry();
    allTypes(r as Registry<never>);
    const n = await r.negotiate('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited');
    expect(n.contentType).toContain('application/vnd.google.protobuf');
    expect(n.body).toBeInstanceOf(Uint8Array);
    const fams = decodeProtobuf(n.body as Uint8Array);
    // Per-family encoding, concatenated, is the same stream as encoding all families at once.
    expect(Buffer.from(n.body as Uint8Array).equals(Buffer.from(encodeProtobuf(await r.getMetricFamilies())))).toBe(true);
    const byName = new Map(fams.map((f) => [f.name, f]));
    const jobs = byName.get('jobs') ?? byName.get('jobs_total');
    expect(jobs?.type).toBe('counter');
    expect(jobs?.samples.find((s) => s.name === 'jobs_total')?.value).toBe(2);
    const rt = byName.get('rt_seconds')!;
    expect(rt.samples.filter((s) => s.name === 'rt_seconds_bucket').map((s) => [s.labels.le, s.value])).toEqual([
      ['0.1', 0],
      ['1', 1],
      ['+Inf', 1],
    ]);
  });

  it('encodes a family bigger than one slice in the same bytes as a one-shot encoding', async () => {
    const r = new Registry();
    const h = new Histogram({ name: 'pb_seconds', help: 'h', labelNames: ['i'], buckets: [1], registers: [r] });
    for (let i = 0; i < 1300; i++) h.observe({ i: String(i) }, i % 2);
    const body = (await r.metricsAs('protobuf')) as Uint8Array;
    expect(Buffer.from(body).equals(Buffer.from(encodeProtobuf(await r.getMetricFamilies())))).toBe(true);
    expect(decodeProtobuf(body)[0]!.samples.filter((s) => s.name === 'pb_seconds_count').length).toBe(1300);
  });

  it('merges registries, rejecting duplicates and mixed content types', async () => {
    const a = new Registry();
    const b = new Registry();
    new Counter({ name: 'a_total', help: 'h', registers: [a] });
    new Counter({ name: 'b_total', help: 'h', registers: [b] });
    const m = Registry.merge([a, b]);
    expect(m.getMetricsAsArray().map((x) => x.name)).toEqual(['a_total', 'b_total']);
    expect(() => Registry.merge([a, a])).not.toThrow(); // same object is not a duplicate
    const c = new Registry();
    new Counter({ name: 'a_total', help: 'h', registers: [c] });
    expect(() => Registry.merge([a, c])).toThrow('A metric with the name a_total has already been registered.');
    expect(() => Registry.merge([a, new Registry(Registry.OPENMETRICS_CONTENT_TYPE)])).toThrow(
      'Registers can only be merged if they have the same content type',
    );
  });

  it('gets, removes, resets and clears', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'x_total', help: 'h', registers: [r] });
    c.inc(5);
    expect(r.getSingleMetric('x_total')).toBe(c);
    r.resetMetrics();
    expect(await r.getSingleMetricAsString('x_total')).toBe('# HELP x_total h\n# TYPE x_total counter\nx_total 0');
    r.setDefaultLabels({ a: 'b' });
    r.removeSingleMetric('x_total');
    expect(r.getSingleMetric('x_total')).toBeUndefined();
    new Gauge({ name: 'g', help: 'h', registers: [r] });
    r.clear();
    expect(await r.metrics()).toBe('\n');
    expect(() => new Registry('text/html' as never)).toThrow('Content type text/html is unsupported');
    expect(() => r.setContentType('x' as never)).toThrow('Content type x is unsupported');
    r.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
  });

  it('fills default labels into series that leave the label unset', async () => {
    const r = new Registry();
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['env', 'x'], registers: [r] });
    g.set({ x: '1' }, 1);
    g.set({ env: 'dev', x: '2' }, 2);
    r.setDefaultLabels({ env: 'prod', host: 'h1' });
    expect(await r.metrics()).toBe('# HELP g h\n# TYPE g gauge\ng{env="prod",x="1",host="h1"} 1\ng{env="dev",x="2",host="h1"} 2\n');
    const json = await r.getMetricsAsJSON();
    expect(json[0]!.values[0]!.labels).toEqual({ x: '1', env: 'prod', host: 'h1' });
  });

  it('serializes foreign metric objects through their get()', async () => {
    const r = new Registry();
    r.registerMetric({
      name: 'custom_total',
      help: 'Custom.',
      type: 'counter',
      get: async () => ({ name: 'custom_total', help: 'Custom.', type: 'counter', aggregator: 'sum', values: [{ value: 3, labels: { a: 'b' } }] }),
    });
    expect(await r.metrics()).toBe('# HELP custom_total Custom.\n# TYPE custom_total counter\ncustom_total{a="b"} 3\n');
    expect(await r.metricsAs('openmetrics')).toBe('# HELP custom Custom.\n# TYPE custom counter\ncustom_total{a="b"} 3.0\n# EOF\n');
  });

  it('writes sliced OpenMetrics identical to one serialization of all families', async () => {
    const r = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
    const h = new Histogram({ name: 'big_seconds', help: 'h', labelNames: ['i'], buckets: [1], registers: [r] });
    const g = new Gauge({ name: 'big_gauge', help: 'g', labelNames: ['i'], registers: [r] });
    for (let i = 0; i < 3000; i++) {
      h.observe({ i: String(i) }, i % 3);
      g.set({ i: String(i) }, i);
    }
    r.setDefaultLabels({ env: 'x' });
    let ticks = 0;
    const t = setInterval(() => ticks++, 0);
    const sliced = await r.metrics();
    clearInterval(t);
    expect(sliced).toBe(serializeOpenMetrics(await r.getMetricFamilies()));
    expect(sliced.split('\n').length).toBe(3000 * 5 + 3000 + 5 + 1);
    expect(ticks).toBeGreaterThan(0);
  });

  it('serializes a large registry in slices without blocking the loop for long', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'big_total', help: 'h', labelNames: ['a', 'b'], registers: [r] });
    for (let i = 0; i < 50_000; i++) c.inc({ a: String(i % 100), b: String(i) });
    let ticks = 0;
    const t = setInterval(() => ticks++, 1);
    const text = await r.metrics();
    clearInterval(t);
    expect(text.split('\n').length).toBe(50_000 + 3);
    // The interval got to run while serializing, so the work was split into slices.
    expect(ticks).toBeGreaterThan(0);
  });
});
