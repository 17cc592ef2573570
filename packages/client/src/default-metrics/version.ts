// nodejs_version_info{version,major,minor,patch} 1.
import { Gauge } from '../gauge.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

export function version(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  const [major, minor, patch] = process.version.slice(1).split('.').map(Number);
  new Gauge({
    name: prefix + 'nodejs_version_info',
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch', ...labelNames],
    registers,
    aggregator: 'first',
    // Set at every scrape so the series survives resetMetrics().
    collect() {
      this.set({ version: process.version, major, minor, patch, ...labels }, 1);
    },
  });
}
