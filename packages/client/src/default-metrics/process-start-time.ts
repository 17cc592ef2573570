// process_start_time_seconds.
import { Gauge } from '../gauge.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

const startSeconds = Math.round(Date.now() / 1000 - process.uptime());

export function processStartTime(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  new Gauge({
    name: prefix + 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    registers,
    labelNames,
    aggregator: 'omit',
    collect() {
      this.set(labels, startSeconds);
    },
  });
}
