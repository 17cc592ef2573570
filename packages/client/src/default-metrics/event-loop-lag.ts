// nodejs_eventloop_lag_seconds (a setImmediate probe at scrape time) and the min/max/mean/
// stddev/p50/p90/p99 gauges from perf_hooks.monitorEventLoopDelay, reset at every scrape.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge } from '../gauge.js';
import type { Aggregator } from '../metric.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

export function eventLoopLag(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  const histogram = monitorEventLoopDelay({ resolution: config.eventLoopMonitoringPrecision ?? 10 });
  histogram.enable();
  const gauge = (name: string, help: string, aggregator: Aggregator) =>
    new Gauge({ name: prefix + name, help, registers, labelNames, aggregator });
  const lag = new Gauge({
    name: prefix + 'nodejs_eventloop_lag_seconds',
    help: 'Lag of event loop in seconds.',
    registers,
    labelNames,
    aggregator: 'average',
    collect() {
      const start = performance.now();
      setImmediate(() => lag.set(labels, (performance.now() - start) / 1000));
      min.set(labels, histogram.min / 1e9);
      max.set(labels, histogram.max / 1e9);
      mean.set(labels, histogram.mean / 1e9);
      stddev.set(labels, histogram.stddev / 1e9);
      p50.set(labels, histogram.percentile(50) / 1e9);
      p90.set(labels, histogram.percentile(90) / 1e9);
      p99.set(labels, histogram.percentile(99) / 1e9);
      histogram.reset();
    },
  });
  const min = gauge('nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.', 'min');
  const max = gauge('nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.', 'max');
  const mean = gauge('nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.', 'average');
  const stddev = gauge('nodejs_eventloop_lag_stddev_seconds', 'The standard deviation of the recorded event loop delays.', 'average');
  const p50 = gauge('nodejs_eventloop_lag_p50_seconds', 'The 50th percentile of the recorded event loop delays.', 'average');
  const p90 = gauge('nodejs_eventloop_lag_p90_seconds', 'The 90th percentile of the recorded event loop delays.', 'average');
  const p99 = gauge('nodejs_eventloop_lag_p99_seconds', 'The 99th percentile of the recorded event loop delays.', 'average');
}
