// process_cpu_{user,system}_seconds_total and process_cpu_seconds_total.
import { Counter } from '../counter.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

export function processCpuTotal(config: DefaultMetricsCollectorConfiguration): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  let last = process.cpuUsage();
  const user = new Counter({
    name: prefix + 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
    registers,
    labelNames,
    // One collect() reads the clock once for all three counters.
    collect() {
      const now = process.cpuUsage();
      const u = (now.user - last.user) / 1e6;
      const s = (now.system - last.system) / 1e6;
      last = now;
      user.inc(labels, u);
      system.inc(labels, s);
      total.inc(labels, u + s);
    },
  });
  const system = new Counter({
    name: prefix + 'process_cpu_system_seconds_total',
    help: 'Total system CPU time spent in seconds.',
    registers,
    labelNames,
  });
  const total = new Counter({
    name: prefix + 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    registers,
    labelNames,
  });
}
