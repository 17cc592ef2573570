import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AggregatorRegistry, Registry, Counter } from '../src/index.js';

const run = promisify(execFile);

describe('AggregatorRegistry', () => {
  it('aggregates the metrics of real cluster workers', async () => {
    const app = fileURLToPath(new URL('./fixtures/cluster-app.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--conditions=@promethium/source', '--import', 'tsx', app], {
      timeout: 50_000,
    });
    expect(stdout).toContain('jobs_total{q="a"} 30\n');
    expect(stdout).toContain('build 7\n');
    expect(stdout).toContain('peak 2\n');
    expect(stdout).toContain('lat_bucket{le="1",} 1\n'.replace(',}', '}'));
    expect(stdout).toContain('lat_bucket{le="+Inf"} 2\n');
    expect(stdout).toContain('lat_sum 2.25\n');
    expect(stdout).not.toContain('secret');
  }, 60_000);

  it('aggregates JSON with every aggregator and rejects unknown ones', async () => {
    const a = new Registry();
    const b = new Registry();
    for (const [r, v] of [
      [a, 2],
      [b, 6],
    ] as const) {
      for (const agg of ['sum', 'first', 'min', 'max', 'average'] as const) {
        new Counter({ name: `m_${agg}`, help: 'h', aggregator: agg, registers: [r] }).inc(v);
      }
    }
    const out = AggregatorRegistry.aggregate([await a.getMetricsAsJSON(), await b.getMetricsAsJSON()]);
    const text = await out.metrics();
    expect(text).toContain('m_sum 8\n');
    expect(text).toContain('m_first 2\n');
    expect(text).toContain('m_min 2\n');
    expect(text).toContain('m_max 6\n');
    expect(text).toContain('m_average 4\n');
    const bad = [{ name: 'x', help: 'h', type: 'gauge', aggregator: 'median' as never, values: [] }];
    expect(() => AggregatorRegistry.aggregate([bad])).toThrow("'median' is not a defined aggregator.");
    expect(() => AggregatorRegistry.setRegistries([{} as never])).toThrow('Expected Registry, got object');
  });

  it('resolves to an empty string without workers', async () => {
    expect(await new AggregatorRegistry().clusterMetrics()).toBe('');
  });
});
