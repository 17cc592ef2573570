// nodejs_active_{resources,handles,requests}{type} and their *_total gauges.
import type { MetricFamily } from '@promethium/exposition';
import { Gauge } from '../gauge.js';
import { resolve, type DefaultMetricsCollectorConfiguration } from './config.js';

/**
 * prom-client names these gauges `*_total`, which promtool's linter rejects for a gauge
 * ("non-counter metrics should not have _total suffix"). Keeping the names (dashboards use
 * them) and exposing the TYPE as untyped satisfies both; JSON still says gauge.
 */
class UntypedGauge extends Gauge {
  /** @internal */
  protected override textType(): string {
    return 'untyped';
  }
  /** @internal */
  protected override familyNameAndType(): { name: string; type: MetricFamily['type'] } {
    return { name: this.name, type: 'unknown' };
  }
}

type Internals = { _getActiveHandles?: () => object[]; _getActiveRequests?: () => object[] };

function countBy(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

function byConstructor(list: readonly object[]): string[] {
  const out: string[] = [];
  for (const o of list) if (o?.constructor !== undefined) out.push(o.constructor.name);
  return out;
}

function pair(
  config: DefaultMetricsCollectorConfiguration,
  base: string,
  help: string,
  totalHelp: string,
  read: () => string[],
): void {
  const { registers, prefix, labels, labelNames } = resolve(config);
  new Gauge({
    name: prefix + base,
    help,
    labelNames: ['type', ...labelNames],
    registers,
    collect() {
      this.reset();
      for (const [type, n] of countBy(read())) this.set({ type, ...labels }, n);
    },
  });
  new UntypedGauge({
    name: prefix + base + '_total',
    help: totalHelp,
    registers,
    labelNames,
    collect() {
      this.set(labels, read().length);
    },
  });
}

export function processResources(config: DefaultMetricsCollectorConfiguration): void {
  if (typeof process.getActiveResourcesInfo !== 'function') return;
  pair(
    config,
    'nodejs_active_resources',
    'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    'Total number of active resources.',
    () => process.getActiveResourcesInfo(),
  );
}

export function processHandles(config: DefaultMetricsCollectorConfiguration): void {
  const p = process as unknown as Internals;
  const get = p._getActiveHandles;
  if (typeof get !== 'function') return;
  pair(
    config,
    'nodejs_active_handles',
    'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
    'Total number of active handles.',
    () => byConstructor(get.call(process)),
  );
}

export function processRequests(config: DefaultMetricsCollectorConfiguration): void {
  const p = process as unknown as Internals;
  const get = p._getActiveRequests;
  if (typeof get !== 'function') return;
  pair(
    config,
    'nodejs_active_requests',
    'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
    'Total number of active requests.',
    () => byConstructor(get.call(process)),
  );
}
