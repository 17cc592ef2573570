// Everything @promethium/client exports by name (index.ts adds the default export).
import type { Counter } from './counter.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';
import { Registry, globalRegistry } from './registry.js';
import type { Summary } from './summary.js';

/** prom-client's union of the metric classes. */
export type Metric<T extends string = string> = Counter<T> | Gauge<T> | Histogram<T> | Summary<T>;

export { Registry } from './registry.js';
export type {
  NegotiatedExposition,
  OpenMetricsContentType,
  PrometheusContentType,
  RegistryContentType,
} from './registry.js';
export const register: Registry = globalRegistry;
export const prometheusContentType = Registry.PROMETHEUS_CONTENT_TYPE;
export const openMetricsContentType = Registry.OPENMETRICS_CONTENT_TYPE;
export { validateMetricName } from './validation.js';
export { Counter } from './counter.js';
export type { CounterConfiguration, IncreaseDataWithExemplar } from './counter.js';
export { Gauge } from './gauge.js';
export type { GaugeConfiguration } from './gauge.js';
export { Histogram } from './histogram.js';
export type { HistogramConfiguration, ObserveDataWithExemplar } from './histogram.js';
export { Summary } from './summary.js';
export type { SummaryConfiguration } from './summary.js';
export { Info } from './info.js';
export type { InfoConfiguration } from './info.js';
export { StateSet } from './stateset.js';
export type { StateSetConfiguration } from './stateset.js';
export { Exemplar } from './exemplar.js';
export { linearBuckets, exponentialBuckets } from './buckets.js';
export type { Aggregator, MetricConfiguration, MetricObjectWithValues, MetricValue } from './metric.js';
export type { LabelValues } from './child-store.js';
export type { MetricLike } from './generic-metric.js';
export { QuantileSketch } from './quantile-sketch.js';
export { AggregatorRegistry } from './cluster.js';
export { AggregatorFactory, aggregators } from './aggregators.js';
export type { AggregatorFunction } from './aggregators.js';
export { Pushgateway } from './pushgateway.js';
export type { PushgatewayOptions, PushParameters } from './pushgateway.js';
export { pushToGateway, pushAddToGateway, deleteFromGateway } from './push.js';
export type { PushOptions, PushResult } from './push.js';
export { PushgatewayError } from './push-request.js';
export { groupingPath, GroupingKeyError } from './grouping-key.js';
export type { GroupingKey } from './grouping-key.js';
export { collectDefaultMetrics } from './default-metrics/index.js';
export type { DefaultMetricsCollectorConfiguration } from './default-metrics/index.js';

/** prom-client's `contentType`: the global registry's content type. */
export const contentType: string = globalRegistry.contentType;

