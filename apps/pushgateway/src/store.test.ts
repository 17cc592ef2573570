import type { MetricFamily, MetricType } from '@promethium/exposition';
import { describe, expect, it } from 'vitest';
import { MetricStore } from './store.js';

const fam = (name: string, type: MetricType, samples: [string, Record<string, string>, number][], help?: string): MetricFamily => ({
  name,
  type,
  ...(help !== undefined ? { help } : {}),
  samples: samples.map(([n, labels, value]) => ({ name: n, labels, value })),
});
const g = (name: string, v = 1): MetricFamily => fam(name, 'gauge', [[name, {}, v]]);
const c = (name: string, v = 1): MetricFamily => fam(name, 'counter', [[name, {}, v]]);
const u = (name: string, v = 1): MetricFamily => fam(name, 'unknown', [[name, {}, v]]);
const P = 'pushed metrics are invalid or inconsistent with existing metrics: ';

function snapshot(store: MetricStore): unknown {
  return store.groups().map((gr) => ({ labels: gr.labels, push: gr.pushTimeSeconds, families: [...gr.families.values()].map((f) => [f.name, f.type, f.samples]) }));
}

describe('MetricStore push', () => {
  it('applies grouping labels over body labels and adds instance=""', () => {
    const s = new MetricStore({ now: () => 1000 });
    expect(s.push('PUT', { job: 'url' }, [fam('m', 'unknown', [['m', { job: 'body', instance: 'i1', x: 'y' }, 1]])])).toEqual({ ok: true });
    expect(s.push('PUT', { job: 'j' }, [g('n')])).toEqual({ ok: true });
    expect(s.get({ job: 'url' })!.families.get('m')!.samples[0]!.labels).toEqual({ instance: 'i1', job: 'url', x: 'y' });
    expect(s.get({ job: 'j' })!.families.get('n')!.samples[0]!.labels).toEqual({ instance: '', job: 'j' });
    expect(s.get({ job: 'j' })!.pushTimeSeconds).toBe(1);
  });

  it('PUT replaces the group, POST replaces families of the same name, empty PUT clears', () => {
    const s = new MetricStore();
    s.push('PUT', { job: 'a' }, [g('x'), g('y')]);
    s.push('POST', { job: 'a' }, [g('y', 5), g('z')]);
    expect([...s.get({ job: 'a' })!.families.keys()].sort()).toEqual(['x', 'y', 'z']);
    expect(s.get({ job: 'a' })!.families.get('y')!.samples[0]!.value).toBe(5);
    s.push('PUT', { job: 'a' }, [g('w')]);
    expect([...s.get({ job: 'a' })!.families.keys()]).toEqual(['w']);
    expect(s.groupsWithFamily('x')).toBeUndefined();
    s.push('PUT', { job: 'a' }, []);
    expect(s.get({ job: 'a' })!.families.size).toBe(0);
    expect(s.familyNames()).toEqual([]);
  });

  it('refuses timestamps, recording the failure time only', () => {
    let now = 5000;
    const s = new MetricStore({ now: () => now });
    s.push('PUT', { job: 'ts' }, [g('a')]);
    now = 7000;
    const f = fam('b', 'unknown', [['b', {}, 1]]);
    f.samples[0]!.timestampMs = 1600000000000;
    expect(s.push('POST', { job: 'ts' }, [f])).toEqual({ ok: false, message: P + 'pushed metrics must not have timestamps' });
    const gr = s.get({ job: 'ts' })!;
    expect([...gr.families.keys()]).toEqual(['a']);
    expect(gr.pushTimeSeconds).toBe(5);
    expect(gr.pushFailureTimeSeconds).toBe(7);
  });

  it('refuses a type clash with another group with the real message, changing no metrics', () => {
    const s = new MetricStore();
    s.push('PUT', { job: 't' }, [c('t1')]);
    const before = snapshot(s);
    const r = s.push('POST', { job: 'other' }, [g('t1', 2)]);
    expect(r).toEqual({
      ok: false,
      message: P + 'collected metric "t1" { label:<name:"instance" value:"" > label:<name:"job" value:"other" > gauge:<value:2 > } is not a COUNTER',
    });
    expect(snapshot(s)).toEqual([{ labels: { job: 'other' }, push: 0, families: [] }, ...(before as unknown[])]);
    // The same body to the same group replaces the family there: no clash.
    expect(s.push('POST', { job: 't' }, [g('t1', 2)])).toEqual({ ok: true });
    // untyped is not a wildcard
    expect(s.push('POST', { job: 'hc' }, [u('t1', 3)])).toMatchObject({ ok: false, message: expect.stringContaining('untyped:<value:3 > } is not a GAUGE') });
  });

  it('keeps working once the only other holder of a name is gone', () => {
    const s = new MetricStore();
    s.push('PUT', { job: 'a' }, [c('m')]);
    expect(s.push('PUT', { job: 'b' }, [g('m')]).ok).toBe(false);
    s.delete({ job: 'a' });
    expect(s.push('PUT', { job: 'b' }, [g('m')]).ok).toBe(true);
  });

  it('refuses duplicates within a push and across groups', () => {
    const s = new MetricStore();
    expect(s.push('PUT', { job: 'dup' }, [fam('dup', 'unknown', [['dup', {}, 1], ['dup', {}, 2]])])).toEqual({
      ok: false,
      message: P + 'collected metric "dup" { label:<name:"instance" value:"" > label:<name:"job" value:"dup" > untyped:<value:2 > } was collected before with the same name and label values',
    });
    // Grouping labels overriding body labels can create duplicates too.
    expect(s.push('PUT', { job: 'x' }, [fam('m', 'unknown', [['m', { job: 'a' }, 1], ['m', { job: 'b' }, 2]])]).ok).toBe(false);
    expect(s.push('PUT', { job: 'j' }, [fam('x', 'unknown', [['x', { instance: 'a' }, 1]])]).ok).toBe(true);
    expect(s.push('PUT', { job: 'j', instance: 'a' }, [u('x')])).toEqual({
      ok: false,
      message: P + 'collected metric "x" { label:<name:"instance" value:"a" > label:<name:"job" value:"j" > untyped:<value:1 > } was collected before with the same name and label values',
    });
    expect(s.push('PUT', { job: 'j', instance: 'b' }, [u('x')]).ok).toBe(true);
  });

  it('refuses histogram/summary suffix collisions and clashes with own metrics', () => {
    const s = new MetricStore({ ownMetricTypes: new Map([['pushgateway_build_info', 'gauge']]) });
    const h = fam('h', 'histogram', [['h_bucket', { le: '1' }, 1], ['h_bucket', { le: '+Inf' }, 2], ['h_sum', {}, 3], ['h_count', {}, 2]]);
    expect(s.push('PUT', { job: 't' }, [h])).toEqual({ ok: true });
    expect(s.push('POST', { job: 'o' }, [g('h', 1e6)])).toEqual({
      ok: false,
      message: P + 'collected metric "h" { label:<name:"instance" value:"" > label:<name:"job" value:"o" > gauge:<value:1e+06 > } is not a HISTOGRAM',
    });
    expect(s.push('POST', { job: 'o2' }, [g('h_sum')])).toEqual({ ok: false, message: P + 'collected metric named "h_sum" collides with previously collected histogram named "h"' });
    expect(s.push('POST', { job: 'o3' }, [c('pushgateway_build_info')])).toEqual({
      ok: false,
      message: P + 'gathered metric family pushgateway_build_info has type COUNTER but should have GAUGE',
    });
    s.push('PUT', { job: 'g' }, [g('k_count')]);
    expect(s.push('PUT', { job: 'q' }, [fam('k', 'summary', [['k_sum', {}, 1], ['k_count', {}, 1]])])).toEqual({
      ok: false,
      message: P + 'collected histogram or summary named "k" collides with previously collected metric named "k_count"',
    });
  });

  it('accepts anything with the check disabled, but still refuses timestamps', () => {
    const s = new MetricStore({ consistencyCheck: false });
    s.push('PUT', { job: 'a' }, [c('m')]);
    expect(s.push('PUT', { job: 'b' }, [g('m')]).ok).toBe(true);
    const f = g('t');
    f.samples[0]!.timestampMs = 1;
    expect(s.push('PUT', { job: 'b' }, [f]).ok).toBe(false);
  });

  it('drops pushed push_time_seconds (the store owns it)', () => {
    const s = new MetricStore();
    s.push('PUT', { job: 'a' }, [g('push_time_seconds'), g('x')]);
    expect([...s.get({ job: 'a' })!.families.keys()]).toEqual(['x']);
  });
});
