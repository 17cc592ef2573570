import { Labels, STALE_NAN } from '@promethium/tsdb-core';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory.js';
import { Engine } from './engine.js';
import { QueryError, type Sample, type Series } from './value.js';

function storage(): MemoryStorage {
  const s = new MemoryStorage();
  for (let i = 0; i <= 20; i++) {
    s.add(Labels.from({ __name__: 'req_total', job: 'api', instance: '0' }), i * 15_000, i * 10);
    s.add(Labels.from({ __name__: 'req_total', job: 'api', instance: '1' }), i * 15_000, i * 20);
    s.add(Labels.from({ __name__: 'req_total', job: 'db', instance: '0' }), i * 15_000, i * 5);
  }
  return s;
}

const vec = (v: { type: string; value?: unknown }): Sample[] => {
  expect(v.type).toBe('vector');
  return v.value as Sample[];
};
const mat = (v: { type: string; value?: unknown }): Series[] => {
  expect(v.type).toBe('matrix');
  return v.value as Series[];
};

describe('Engine', () => {
  const engine = new Engine();

  it('answers instant queries with vectors, scalars and strings', () => {
    const s = storage();
    const v = vec(engine.instantQuery(s, 'sum by (job) (rate(req_total[1m]))', 300_000).value);
    expect(v.map((x) => [x.metric.toString(), x.f])).toEqual([
      ['{job="api"}', 2],
      ['{job="db"}', 1 / 3],
    ]);
    expect(engine.instantQuery(s, '1 + 2 * 3', 0).value).toEqual({ type: 'scalar', t: 0, value: 7 });
    expect(engine.instantQuery(s, '"x"', 5).value).toEqual({ type: 'string', t: 5, value: 'x' });
  });

  it('answers range queries with label-sorted matrices on the step grid', () => {
    const m = mat(engine.rangeQuery(storage(), 'req_total{instance="0"}', 0, 60_000, 30_000).value);
    expect(m.map((x) => x.metric.toString())).toEqual([
      '{__name__="req_total", instance="0", job="api"}',
      '{__name__="req_total", instance="0", job="db"}',
    ]);
    expect(m[0]!.ts).toEqual([0, 30_000, 60_000]);
    expect(m[0]!.fs).toEqual([0, 20, 40]);
  });

  it('returns range vectors for an instant matrix selector and rejects them in range queries', () => {
    const m = mat(engine.instantQuery(storage(), 'req_total{job="db"}[30s]', 60_000).value);
    expect(m[0]!.ts).toEqual([45_000, 60_000]);
    expect(() => engine.rangeQuery(storage(), 'req_total[5m]', 0, 1, 1)).toThrow(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    expect(() => engine.rangeQuery(storage(), 'up', 0, 10, 0)).toThrow('zero or negative query resolution step');
  });

  it('honours lookback and staleness markers', () => {
    const s = new MemoryStorage();
    const l = Labels.from({ __name__: 'up' });
    s.add(l, 0, 1);
    s.add(l, 60_000, STALE_NAN);
    s.add(l, 120_000, 3);
    expect(vec(engine.instantQuery(s, 'up', 30_000).value)).toHaveLength(1);
    expect(vec(engine.instantQuery(s, 'up', 60_000).value)).toHaveLength(0);
    expect(vec(engine.instantQuery(s, 'up', 419_999).value)).toHaveLength(1);
    // The lookback window is left-open: a sample exactly 5m old is out.
    expect(vec(engine.instantQuery(s, 'up', 420_000).value)).toHaveLength(0);
    expect(vec(engine.instantQuery(s, 'count_over_time(up[5m])', 150_000).value)[0]!.f).toBe(2);
  });

  it('renders annotations with positions', () => {
    const s = new MemoryStorage();
    for (let i = 0; i < 5; i++) s.add(Labels.from({ __name__: 'gauge' }), i * 60_000, i);
    const r = engine.instantQuery(s, 'sum(\n  rate(gauge[5m]))', 240_000);
    expect(r.infos).toEqual(['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "gauge" (2:8)']);
    const w = engine.rangeQuery(s, 'sort(gauge)', 0, 60_000, 60_000);
    expect(w.warnings).toEqual(['PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:1)']);
  });

  it('reports Prometheus errors for bad vector matching and duplicate label sets', () => {
    const s = storage();
    expect(() => engine.instantQuery(s, 'req_total + on(job) req_total', 0)).toThrow(
      /found duplicate series for the match group \{job="api"\} on the right hand-side/,
    );
    expect(() => engine.instantQuery(s, 'req_total + ignoring(instance) group_left req_total', 0)).toThrow(
      'found duplicate series for the match group',
    );
    expect(() => engine.instantQuery(s, 'label_replace(req_total, "instance", "x", "", "")', 0)).toThrow(
      'vector cannot contain metrics with the same labelset',
    );
  });

  it('enforces the max-samples limit', () => {
    const small = new Engine({ maxSamples: 10 });
    expect(() => small.rangeQuery(storage(), 'req_total', 0, 300_000, 15_000)).toThrow(QueryError);
    expect(() => small.rangeQuery(storage(), 'req_total', 0, 300_000, 15_000)).toThrow('query processing would load too many samples');
    expect(vec(small.instantQuery(storage(), 'req_total', 0).value)).toHaveLength(3);
  });

  it('stops on cancellation and timeout', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => engine.instantQuery(storage(), 'req_total', 0, { signal: ac.signal })).toThrow('query was canceled');
    try {
      engine.instantQuery(storage(), 'req_total', 0, { signal: ac.signal });
    } catch (e) {
      expect((e as QueryError).kind).toBe('canceled');
    }
    const s = new MemoryStorage();
    for (let k = 0; k < 300; k++) for (let i = 0; i < 50; i++) s.add(Labels.from({ __name__: 'm', k: String(k) }), i * 1000, i);
    const slow = new Engine({ timeout: 1 });
    const busy = Date.now() + 5;
    while (Date.now() < busy) {
      // let the 1 ms deadline pass during evaluation setup
    }
    expect(() => slow.rangeQuery(s, 'sum(rate(m[10s])) + sum(m)', 0, 50_000, 1)).toThrow('query timed out');
  });

  it('reports per-query stats', () => {
    const r = engine.instantQuery(storage(), 'rate(req_total[1m])', 300_000);
    expect(r.stats.totalQueryableSamples).toBe(12);
    expect(r.stats.evalTimeMs).toBeGreaterThanOrEqual(0);
  });
});
