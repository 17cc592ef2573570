// collectDefaultMetrics: prom-client 15's process_* and nodejs_* metrics, same names and help.
import { processResources, processHandles, processRequests } from './active-resources.js';
import type { DefaultMetricsCollectorConfiguration } from './config.js';
import { eventLoopLag } from './event-loop-lag.js';
import { gc } from './gc.js';
import { heapSizeAndUsed, heapSpacesSizeAndUsed } from './heap.js';
import { osMemoryHeap } from './os-memory.js';
import { processCpuTotal } from './process-cpu.js';
import { processMaxFileDescriptors, processOpenFileDescriptors } from './process-fds.js';
import { processStartTime } from './process-start-time.js';
import { version } from './version.js';

export type { DefaultMetricsCollectorConfiguration } from './config.js';

const metrics: Record<string, (config: DefaultMetricsCollectorConfiguration) => void> = {
  processCpuTotal,
  processStartTime,
  osMemoryHeap,
  processOpenFileDescriptors,
  processMaxFileDescriptors,
  eventLoopLag,
  ...(typeof process.getActiveResourcesInfo === 'function' ? { processResources } : {}),
  processHandles,
  processRequests,
  heapSizeAndUsed,
  heapSpacesSizeAndUsed,
  version,
  gc,
};

export function collectDefaultMetrics(config?: DefaultMetricsCollectorConfiguration | null): void {
  if (config !== null && config !== undefined && typeof config !== 'object') {
    throw new TypeError('config must be null, undefined, or an object');
  }
  const c: DefaultMetricsCollectorConfiguration = { eventLoopMonitoringPrecision: 10, ...config };
  for (const register of Object.values(metrics)) register(c);
}

collectDefaultMetrics.metricsList = Object.keys(metrics);
