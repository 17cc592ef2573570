// Differential test: the same instrumentation code run against prom-client 15.1.3 and
// against this package must give the same text exposition and JSON (summary quantiles
// aside: prom-client interpolates a t-digest, we report a bounded-error sketch value).
import * as ref from 'prom-client-reference';
import { describe, expect, it } from 'vitest';
import * as ours from '../src/index.js';

type Lib = typeof ours;

async function instrument(lib: Lib) {
  const r = new lib.Registry();
  const c = new lib.Counter({
    name: 'http_requests_total',
    help: 'Requests\\ with "quotes"\nand a newline',
    labelNames: ['method', 'code'],
    registers: [r],
  });
  c.inc({ method: 'GET', code: 200 });
  c.inc({ method: 'POST', code: '500' }, 2.5);
  c.labels('PUT', '201').inc();
  c.inc({ method: 'GET', code: 200 }, 1e21);
  const g = new lib.Gauge({ name: 'temperature', help: 'g', registers: [r] });
  g.set(3.5);
  g.dec(1);
  const neg = new lib.Gauge({ name: 'neg', help: 'g', labelNames: ['x'], registers: [r] });
  neg.set({ x: 'back\\slash\nnl' }, -Infinity);
  neg.set({ x: 'small' }, 1.5e-7);
  const h = new lib.Histogram({ name: 'latency_seconds', help: 'h', labelNames: ['a'], buckets: [0.1, 1, 5], registers: [r] });
  h.observe({ a: 'x"y' }, 0.5);
  h.observe({ a: 'x"y' }, 7);
  h.labels('z').observe(0.05);
  h.zero({ a: 'zeroed' });
  new lib.Histogram({ name: 'default_buckets', help: 'h', registers: [r] }).observe(0.3);
  new lib.Gauge({ name: 'empty', help: 'e', labelNames: ['q'], registers: [r] });
  new lib.Counter({ name: 'unlabelled_total', help: 'u', registers: [r] });
  return r;
}

describe('parity with prom-client 15.1.3', () => {
  it('writes the same text exposition', async () => {
    const a = await (await instrument(ref as unknown as Lib)).metrics();
    const b = await (await instrument(ours)).metrics();
    expect(b).toBe(a);
  });

  it('writes the same text with default labels', async () => {
    const ra = await instrument(ref as unknown as Lib);
    const rb = await instrument(ours);
    ra.setDefaultLabels({ env: 'prod', region: 'eu' });
    rb.setDefaultLabels({ env: 'prod', region: 'eu' });
    expect(await rb.metrics()).toBe(await ra.metrics());
    expect(await rb.getSingleMetricAsString('latency_seconds')).toBe(await ra.getSingleMetricAsString('latency_seconds'));
  });

  it('returns the same JSON', async () => {
    const a = await (await instrument(ref as unknown as Lib)).getMetricsAsJSON();
    const b = await (await instrument(ours)).getMetricsAsJSON();
    // Documented differences: prom-client hands back the caller's label object (so a number
    // stays a number; we store label values as strings) and writes `exemplar: null` on buckets.
    const norm = (x: unknown): unknown =>
      JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'exemplar' && v === null ? undefined : k === 'code' ? String(v) : v)));
    expect(norm(b)).toEqual(norm(a));
  });

  it('renders summaries in the same layout with quantiles within 1%', async () => {
    const run = async (lib: Lib) => {
      const r = new lib.Registry();
      const s = new lib.Summary({ name: 'sz', help: 's', labelNames: ['k'], percentiles: [0.5, 0.9], registers: [r] });
      for (let i = 1; i <= 1000; i++) s.observe({ k: 'a' }, i);
      return (await r.metrics()).split('\n');
    };
    const a = await run(ref as unknown as Lib);
    const b = await run(ours);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      const [na, va] = a[i]!.split(' ');
      const [nb, vb] = b[i]!.split(' ');
      expect(nb).toBe(na);
      if (va !== undefined && !a[i]!.startsWith('#')) expect(Math.abs(Number(vb) - Number(va)) / Number(va)).toBeLessThan(0.011);
    }
  });
});
