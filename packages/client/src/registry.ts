// Registry: prom-client's registry API over this package's metrics (and any object with a
// get()), rendering through the time-sliced writers in writers.ts.
import {
  CONTENT_TYPE_OPENMETRICS_100,
  CONTENT_TYPE_TEXT_004,
  negotiate,
  serialize,
  type ExpositionFormat,
  type MetricFamily,
} from '@promethium/exposition';
import { familyFromValues, type MetricLike } from './generic-metric.js';
import { NATIVE, isNative, type DefaultLabelsView } from './internal.js';
import type { MetricObjectWithValues } from './metric.js';
import { recordPairsText } from './text-format.js';
import { collectAll, writeOpenMetrics, writeProtobuf, writeText } from './writers.js';

export type PrometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';
export type OpenMetricsContentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export type RegistryContentType = PrometheusContentType | OpenMetricsContentType;

export interface NegotiatedExposition {
  format: ExpositionFormat;
  contentType: string;
  body: string | Uint8Array;
}

const NO_DEFAULTS: DefaultLabelsView = { names: new Set(), values: {}, text: '' };

export class Registry<BoundContentType extends RegistryContentType = PrometheusContentType> {
  static get PROMETHEUS_CONTENT_TYPE(): PrometheusContentType {
    return CONTENT_TYPE_TEXT_004;
  }

  static get OPENMETRICS_CONTENT_TYPE(): OpenMetricsContentType {
    return CONTENT_TYPE_OPENMETRICS_100;
  }

  private _metrics = new Map<string, MetricLike>();
  private _defaultLabels: Record<string, string> = {};
  private _defaults: DefaultLabelsView = NO_DEFAULTS;
  private _contentType: BoundContentType;

  constructor(regContentType: BoundContentType = Registry.PROMETHEUS_CONTENT_TYPE as BoundContentType) {
    if (regContentType !== Registry.PROMETHEUS_CONTENT_TYPE && regContentType !== Registry.OPENMETRICS_CONTENT_TYPE) {
      throw new TypeError(`Content type ${String(regContentType)} is unsupported`);
    }
    this._contentType = regContentType;
  }

  get contentType(): BoundContentType {
    return this._contentType;
  }

  setContentType(contentType: BoundContentType): void {
    if (contentType !== Registry.PROMETHEUS_CONTENT_TYPE && contentType !== Registry.OPENMETRICS_CONTENT_TYPE) {
      throw new Error(`Content type ${String(contentType)} is unsupported`);
    }
    this._contentType = contentType;
  }

  getMetricsAsArray(): MetricLike[] {
    return Array.from(this._metrics.values());
  }

  registerMetric(metric: MetricLike): void {
    const existing = this._metrics.get(metric.name);
    if (existing !== undefined && existing !== metric) {
      throw new Error(`A metric with the name ${metric.name} has already been registered.`);
    }
    this._metrics.set(metric.name, metric);
  }

  getSingleMetric(name: string): MetricLike | undefined {
    return this._metrics.get(name);
  }

  removeSingleMetric(name: string): void {
    this._metrics.delete(name);
  }

  /** Removes every metric and the default labels. */
  clear(): void {
    this._metrics = new Map();
    this.setDefaultLabels({});
  }

  resetMetrics(): void {
    for (const m of this._metrics.values()) m.reset?.();
  }

  setDefaultLabels(labels: Record<string, string | number>): void {
    const values: Record<string, string> = {};
    for (const k in labels) values[k] = String(labels[k]);
    this._defaultLabels = values;
    const names = new Set(Object.keys(values));
    this._defaults = names.size === 0 ? NO_DEFAULTS : { names, values, text: recordPairsText(values) };
  }

  /** The exposition in the registry's content type (text 0.0.4 by default). */
  async metrics(): Promise<string> {
    if (this._contentType === Registry.OPENMETRICS_CONTENT_TYPE) return writeOpenMetrics(this.getMetricsAsArray(), this._defaults);
    return writeText(this.getMetricsAsArray(), this._defaults);
  }

  /**
   * One call for a /metrics handler: picks text 0.0.4, OpenMetrics or protobuf from the
   * scraper's Accept header (as client_golang does) and returns the body with its type.
   */
  async negotiate(accept: string | undefined): Promise<NegotiatedExposition> {
    const n = negotiate(accept);
    const body = await this.metricsAs(n.format);
    return { format: n.format, contentType: n.contentType, body };
  }

  /** The exposition in a given format: text 0.0.4, OpenMetrics 1.0 (strings) or protobuf (bytes). */
  async metricsAs(format: ExpositionFormat): Promise<string | Uint8Array> {
    if (format === 'text') return writeText(this.getMetricsAsArray(), this._defaults);
    if (format === 'openmetrics') return writeOpenMetrics(this.getMetricsAsArray(), this._defaults);
    if (format === 'protobuf') return writeProtobuf(this.getMetricsAsArray(), this._defaults);
    return serialize(await this.getMetricFamilies(), format);
  }

  async getSingleMetricAsString(name: string): Promise<string> {
    const m = this._metrics.get(name);
    if (m === undefined) throw new Error(`No metric named ${name} is registered`);
    const text = await writeText([m], this._defaults);
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  }

  async getMetricsAsJSON(): Promise<MetricObjectWithValues[]> {
    const list = this.getMetricsAsArray();
    const items = await Promise.all(list.map((m) => Promise.resolve(m.get())));
    const defaults = this._defaultLabels;
    const names = Object.keys(defaults);
    if (names.length === 0) return items;
    for (const item of items) {
      for (const v of item.values) {
        const labels: Partial<Record<string, string | number>> = { ...v.labels };
        for (const n of names) labels[n] = labels[n] || defaults[n]!;
        v.labels = labels;
      }
    }
    return items;
  }

  /** Every metric as the exposition model (for OpenMetrics, protobuf or custom output). */
  async getMetricFamilies(): Promise<MetricFamily[]> {
    const list = this.getMetricsAsArray();
    const generic = await collectAll(list);
    const out: MetricFamily[] = [];
    for (const m of list) {
      if (isNative(m)) out.push(m[NATIVE].toFamily(this._defaults));
      else out.push(familyFromValues(generic.get(m)!, this._defaults));
    }
    return out;
  }

  static merge(registers: Registry<RegistryContentType>[]): Registry<RegistryContentType> {
    const type = registers[0]?.contentType ?? Registry.PROMETHEUS_CONTENT_TYPE;
    for (const r of registers) {
      if (r.contentType !== type) throw new Error('Registers can only be merged if they have the same content type');
    }
    const merged = new Registry<RegistryContentType>(type);
    for (const r of registers) for (const m of r.getMetricsAsArray()) merged.registerMetric(m);
    return merged;
  }
}

export const globalRegistry: Registry = new Registry();
