// AggregatorRegistry: in a cluster primary, asks every worker for its metrics (IPC messages
// compatible with prom-client's) and serves their aggregate; in workers, answers those asks.
import cluster from 'node:cluster';
import { aggregators } from './aggregators.js';
import type { MetricObjectWithValues } from './metric.js';
import { Registry, globalRegistry, type RegistryContentType } from './registry.js';

const GET_METRICS_REQ = 'prom-client:getMetricsReq';
const GET_METRICS_RES = 'prom-client:getMetricsRes';
const TIMEOUT_MS = 5000;

interface Pending {
  responses: MetricObjectWithValues[][];
  pending: number;
  done: (err: Error | null, result?: string) => void;
  timer: NodeJS.Timeout;
}

interface Message {
  type?: string;
  requestId?: number;
  metrics?: MetricObjectWithValues[][];
  error?: string;
}

let registries: Registry<RegistryContentType>[] = [globalRegistry];
let nextId = 0;
let listening = false;
const requests = new Map<number, Pending>();

export class AggregatorRegistry<T extends RegistryContentType = RegistryContentType> extends Registry<T> {
  constructor(contentType?: T) {
    super(contentType);
    addListeners();
  }

  /** The aggregated metrics of all connected workers ('' when there are none). */
  clusterMetrics(): Promise<string> {
    const requestId = nextId++;
    return new Promise((resolve, reject) => {
      let settled = false;
      const request: Pending = {
        responses: [],
        pending: 0,
        done: (err, result) => {
          if (settled) return;
          settled = true;
          clearTimeout(request.timer);
          requests.delete(requestId);
          if (err) reject(err);
          else resolve(result ?? '');
        },
        timer: setTimeout(() => request.done(new Error('Operation timed out.')), TIMEOUT_MS),
      };
      requests.set(requestId, request);
      for (const w of Object.values(cluster.workers ?? {})) {
        if (w?.isConnected()) {
          w.send({ type: GET_METRICS_REQ, requestId });
          request.pending++;
        }
      }
      if (request.pending === 0) process.nextTick(() => request.done(null, ''));
    });
  }

  /** A registry holding the aggregate of getMetricsAsJSON() results, per each metric's aggregator. */
  static aggregate<T extends RegistryContentType>(
    metricsArr: MetricObjectWithValues[][],
    registryType: T = Registry.PROMETHEUS_CONTENT_TYPE as T,
  ): Registry<T> {
    const out = new Registry<T>(registryType);
    const byName = new Map<string, MetricObjectWithValues[]>();
    for (const list of metricsArr) {
      for (const m of list) {
        const g = byName.get(m.name);
        if (g) g.push(m);
        else byName.set(m.name, [m]);
      }
    }
    for (const group of byName.values()) {
      const name = group[0]!.aggregator;
      const fn = aggregators[name];
      if (typeof fn !== 'function') throw new Error(`'${name}' is not a defined aggregator.`);
      const agg = fn(group);
      if (agg) out.registerMetric({ ...agg, get: () => agg });
    }
    return out;
  }

  /** The registries a worker reports (the global registry by default). */
  static setRegistries(regs: Registry<RegistryContentType> | Registry<RegistryContentType>[]): void {
    const list = Array.isArray(regs) ? regs : [regs];
    for (const r of list) if (!(r instanceof Registry)) throw new TypeError(`Expected Registry, got ${typeof r}`);
    registries = list;
  }
}

function addListeners(): void {
  if (listening) return;
  listening = true;
  if (cluster.isPrimary) {
    cluster.on('message', (_worker, message: Message) => {
      if (message?.type !== GET_METRICS_RES || message.requestId === undefined) return;
      const request = requests.get(message.requestId);
      if (request === undefined) return;
      if (message.error !== undefined) {
        request.done(new Error(message.error));
        return;
      }
      for (const m of message.metrics ?? []) request.responses.push(m);
      if (--request.pending === 0) {
        AggregatorRegistry.aggregate(request.responses)
          .metrics()
          .then((text) => request.done(null, text), (err: Error) => request.done(err));
      }
    });
  }
  if (cluster.isWorker) {
    process.on('message', (message: Message) => {
      if (message?.type !== GET_METRICS_REQ) return;
      Promise.all(registries.map((r) => r.getMetricsAsJSON())).then(
        (metrics) => process.send?.({ type: GET_METRICS_RES, requestId: message.requestId, metrics }),
        (err: Error) => process.send?.({ type: GET_METRICS_RES, requestId: message.requestId, error: err.message }),
      );
    });
  }
}

// Workers answer without having to construct an AggregatorRegistry themselves
// (prom-client requires that, and forgetting it is its most reported cluster failure).
if (cluster.isWorker) addListeners();
