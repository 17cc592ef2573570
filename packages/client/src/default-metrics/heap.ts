// nodejs_heap_size_{total,used}_bytes, nodejs_external_memory_bytes and
// nodejs_heap_space_size_{total,used,available}_bytes{space}.
import { getHeapSpaceStatistics } from 'node:v8';
import { Gauge } from '../gauge.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

export function heapSizeAndUsed(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  const total = new Gauge({
    name: prefix + 'nodejs_heap_size_total_bytes',
    help: 'Process heap size from Node.js in bytes.',
    registers,
    labelNames,
    collect() {
      const m = process.memoryUsage();
      total.set(labels, m.heapTotal);
      used.set(labels, m.heapUsed);
      external.set(labels, m.external);
    },
  });
  const used = new Gauge({ name: prefix + 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.', registers, labelNames });
  const external = new Gauge({ name: prefix + 'nodejs_external_memory_bytes', help: 'Node.js external memory size in bytes.', registers, labelNames });
}

export function heapSpacesSizeAndUsed(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels } = resolve(config);
  const labelNames = ['space', ...Object.keys(labels)];
  const make = (kind: string) =>
    new Gauge({ name: `${prefix}nodejs_heap_space_size_${kind}_bytes`, help: `Process heap space size ${kind} from Node.js in bytes.`, labelNames, registers });
  const total = make('total');
  const used = make('used');
  const available = make('available');
  total.collect = () => {
    for (const s of getHeapSpaceStatistics()) {
      const i = s.space_name.indexOf('_space');
      const space = i >= 0 ? s.space_name.slice(0, i) : s.space_name;
      total.set({ space, ...labels }, s.space_size);
      used.set({ space, ...labels }, s.space_used_size);
      available.set({ space, ...labels }, s.space_available_size);
    }
  };
}
