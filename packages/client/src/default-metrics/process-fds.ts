// process_open_fds (Linux) and process_max_fds (needs procfs).
import { readFileSync, readdirSync } from 'node:fs';
import { Gauge } from '../gauge.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

/** The soft "Max open files" limit of a /proc/<pid>/limits text. */
export function parseMaxFds(limits: string): number | undefined {
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
  if (line === undefined) return undefined;
  const n = Number(line.split(/ {2,}/)[1]);
  return Number.isFinite(n) ? n : undefined;
}

export function processOpenFileDescriptors(config: DefaultMetricsCollectorConfiguration): void {
  if (process.platform !== 'linux') return;
  const { registers, prefix, labels, labelNames } = resolve(config);
  new Gauge({
    name: prefix + 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers,
    labelNames,
    collect() {
      try {
        // Minus the descriptor readdirSync itself had open.
        this.set(labels, readdirSync('/proc/self/fd').length - 1);
      } catch {
        // No procfs: leave the gauge as it was.
      }
    },
  });
}

export function processMaxFileDescriptors(config: DefaultMetricsCollectorConfiguration): void {
  let max: number | undefined;
  try {
    max = parseMaxFds(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return;
  }
  if (max === undefined) return;
  const { registers, prefix, labels, labelNames } = resolve(config);
  const value = max;
  new Gauge({
    name: prefix + 'process_max_fds',
    help: 'Maximum number of open file descriptors.',
    registers,
    labelNames,
    collect() {
      this.set(labels, value);
    },
  });
}
