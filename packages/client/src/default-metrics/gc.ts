// nodejs_gc_duration_seconds{kind}: a histogram fed by a perf_hooks 'gc' observer.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { Histogram } from '../histogram.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export function gc(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  const histogram = new Histogram({
    name: prefix + 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind', ...labelNames],
    buckets: config.gcDurationBuckets ?? [0.001, 0.01, 0.1, 1, 2, 5],
    registers,
  });
  const obs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: { kind?: number } }).detail;
      const kind = detail?.kind !== undefined ? KINDS[detail.kind] : undefined;
      if (kind === undefined) continue;
      histogram.observe({ kind, ...labels }, entry.duration / 1000);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
}
