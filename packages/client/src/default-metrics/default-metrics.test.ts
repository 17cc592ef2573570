import { describe, expect, it } from 'vitest';
import * as ref from 'prom-client-reference';
import { Registry } from '../registry.js';
import { collectDefaultMetrics } from './index.js';
import { parseProcStatus } from './os-memory.js';
import { parseMaxFds } from './process-fds.js';

describe('collectDefaultMetrics', () => {
  it('registers the same metric names, types and help as prom-client 15', async () => {
    const ours = new Registry();
    collectDefaultMetrics({ register: ours, prefix: 'app_', labels: { svc: 'api' } });
    const theirs = new ref.Registry();
    ref.collectDefaultMetrics({ register: theirs, prefix: 'app_', labels: { svc: 'api' } });
    const shape = (j: { name: string; type: string; help: string; aggregator: string }[]) =>
      j.map((m) => `${m.name} ${m.type} ${m.aggregator} ${m.help}`).sort();
    const a = await theirs.getMetricsAsJSON();
    const b = await ours.getMetricsAsJSON();
    expect(shape(b)).toEqual(shape(a as never));
    expect(collectDefaultMetrics.metricsList).toEqual(ref.collectDefaultMetrics.metricsList);
  });

  it('fills in plausible values', async () => {
    const r = new Registry();
    collectDefaultMetrics({ register: r });
    const text = await r.metrics();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d+$/m);
    expect(text).toMatch(/^nodejs_version_info\{version="v\d+\.\d+\.\d+",major="\d+",minor="\d+",patch="\d+"\} 1$/m);
    expect(text).toMatch(/^nodejs_heap_space_size_used_bytes\{space="new"\} \d+$/m);
    expect(text).toMatch(/^process_start_time_seconds \d{10}$/m);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    expect(() => collectDefaultMetrics({ register: r })).toThrow(/already been registered/);
    expect(() => collectDefaultMetrics(5 as never)).toThrow('config must be null, undefined, or an object');
  });

  it('parses procfs files', () => {
    expect(parseProcStatus('Name:\tnode\nVmSize:\t  100 kB\nVmRSS:\t 20 kB\nVmData:\t 7 kB\n')).toEqual({
      VmSize: 102400,
      VmRSS: 20480,
      VmData: 7168,
    });
    expect(parseMaxFds('Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 1048576              files\n')).toBe(1024);
    expect(parseMaxFds('nothing')).toBeUndefined();
  });
});
