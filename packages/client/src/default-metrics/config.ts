// Options shared by every default metric, as prom-client's collectDefaultMetrics takes them.
import type { Registry } from '../registry.js';

export interface DefaultMetricsCollectorConfiguration {
  register?: Registry;
  prefix?: string;
  labels?: Record<string, string | number>;
  gcDurationBuckets?: number[];
  eventLoopMonitoringPrecision?: number;
  enableExemplars?: boolean;
}

export interface Resolved {
  registers: Registry[] | undefined;
  prefix: string;
  labels: Record<string, string | number>;
  labelNames: string[];
}

export function resolve(config: DefaultMetricsCollectorConfiguration): Resolved {
  const labels = config.labels ?? {};
  return {
    registers: config.register ? [config.register] : undefined,
    prefix: config.prefix ?? '',
    labels,
    labelNames: Object.keys(labels),
  };
}
