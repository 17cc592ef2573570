// Registry: holds metrics and renders them. The text path writes straight from the metric
// objects (cached label text per series) and yields to the event loop every few
// milliseconds, so a scrape of a huge registry never stalls the application.
import {
  CONTENT_TYPE_OPENMETRICS_100,
  CONTENT_TYPE_TEXT_004,
  escapeHelp,
  escapeLabelValue,
  negotiate,
  serialize,
  serializeOpenMetrics,
  type ExpositionFormat,
  type MetricFamily,
} from '@promethium/exposition';
import type { ChildBase } from './child-store.js';
import { familyFromValues, genericText, type MetricLike } from './generic-metric.js';
import { NATIVE, isNative, type DefaultLabelsView, type NativeMetric, type TextOut } from './internal.js';
import type { MetricObjectWithValues } from './metric.js';
import { labelPairsText, recordPairsText } from './text-format.js';

export type PrometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';
export type OpenMetricsContentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export type RegistryContentType = PrometheusContentType | OpenMetricsContentType;

/** Longest stretch the serializer runs before yielding to the event loop. */
const SLICE_MS = 8;

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
    if (this._contentType === Registry.OPENMETRICS_CONTENT_TYPE) return this.openMetricsOf(this.getMetricsAsArray());
    return this.textOf(this.getMetricsAsArray());
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
    if (format === 'text') return this.textOf(this.getMetricsAsArray());
    if (format === 'openmetrics') return this.openMetricsOf(this.getMetricsAsArray());
    return serialize(await this.getMetricFamilies(), format);
  }

  async getSingleMetricAsString(name: string): Promise<string> {
    const m = this._metrics.get(name);
    if (m === undefined) throw new Error(`No metric named ${name} is registered`);
    const text = await this.textOf([m]);
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

  /**
   * OpenMetrics through exposition's serializer, a few hundred series at a time with yields
   * in between (Prometheus asks for OpenMetrics first, so this is the usual scrape path).
   */
  private async openMetricsOf(list: MetricLike[]): Promise<string> {
    const generic = await collectAll(list);
    const defaults = this._defaults;
    const out: TextOut = { s: '' };
    const chunks: string[] = [];
    let deadline = performance.now() + SLICE_MS;
    for (const m of list) {
      if (!isNative(m)) {
        out.s += withoutEof(serializeOpenMetrics([familyFromValues(generic.get(m)!, defaults)]));
        continue;
      }
      const nm = m[NATIVE];
      // HELP/TYPE/UNIT exactly as exposition writes them (they do not depend on the samples).
      out.s += withoutEof(serializeOpenMetrics([nm.toFamily(defaults, [])]));
      const kids = nm.snapshot();
      const labelNames = nm.labelNames();
      const d = defaults.text;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        let labels: string;
        if (d === '') labels = c.labelText ??= labelPairsText(labelNames, c.labelValues);
        else if (c.omCombinedFor === d) labels = c.omCombined!;
        else {
          labels = c.omCombined = omLabelText(labelNames, c, defaults);
          c.omCombinedFor = d;
        }
        nm.writeOpenMetrics(out, c, labels);
        if ((i & 63) === 63 && performance.now() >= deadline) {
          chunks.push(flatten(out.s));
          out.s = '';
          await yieldToLoop();
          deadline = performance.now() + SLICE_MS;
        }
      }
      if (performance.now() >= deadline) {
        chunks.push(flatten(out.s));
        out.s = '';
        await yieldToLoop();
        deadline = performance.now() + SLICE_MS;
      }
    }
    chunks.push(out.s, EOF);
    return chunks.join('');
  }

  /** Text format 0.0.4, byte-compatible with prom-client's layout. */
  private async textOf(list: MetricLike[]): Promise<string> {
    if (list.length === 0) return '\n';
    const generic = await collectAll(list);
    const defaults = this._defaults;
    const out: TextOut = { s: '' };
    // Each slice's rope is flattened inside its slice, so the final join is a plain copy
    // and no single step (not even the socket write) pays for flattening the whole body.
    const chunks: string[] = [];
    let deadline = performance.now() + SLICE_MS;
    for (let mi = 0; mi < list.length; mi++) {
      const m = list[mi]!;
      if (mi > 0) out.s += '\n';
      if (!isNative(m)) {
        out.s += genericText(generic.get(m)!, defaults);
        continue;
      }
      const nm = m[NATIVE];
      const name = nm.textName();
      out.s += '# HELP ' + name + ' ' + escapeHelp(nm.help()) + '\n# TYPE ' + name + ' ' + nm.textType() + '\n';
      const kids = nm.snapshot();
      const labelNames = nm.labelNames();
      const overlap = defaults.text !== '' && labelNames.some((n) => defaults.names.has(n));
      const d = defaults.text;
      const first = nm.defaultsFirst;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        let labels: string;
        if (overlap) labels = mergedLabelText(labelNames, c, defaults);
        else {
          const lt = (c.labelText ??= labelPairsText(labelNames, c.labelValues));
          if (d === '' || lt === '') labels = d === '' ? lt : d;
          else if (c.combinedFor === d) labels = c.combined!;
          else {
            // Cached per series so the same string object comes back at every scrape.
            labels = c.combined = first ? d + ',' + lt : lt + ',' + d;
            c.combinedFor = d;
          }
        }
        nm.writeText(out, c, labels);
        if ((i & 63) === 63 && performance.now() >= deadline) {
          chunks.push(flatten(out.s));
          out.s = '';
          await yieldToLoop();
          deadline = performance.now() + SLICE_MS;
        }
      }
      if (performance.now() >= deadline) {
        chunks.push(flatten(out.s));
        out.s = '';
        await yieldToLoop();
        deadline = performance.now() + SLICE_MS;
      }
    }
    if (chunks.length === 0) return flatten(out.s);
    chunks.push(out.s);
    return chunks.join('');
  }
}

const EOF = '# EOF\n';

function withoutEof(s: string): string {
  return s.endsWith(EOF) ? s.slice(0, -EOF.length) : s;
}

/** Runs every collect() callback (concurrently, like prom-client) and get() of foreign metrics. */
async function collectAll(list: MetricLike[]): Promise<Map<MetricLike, MetricObjectWithValues>> {
  const generic = new Map<MetricLike, MetricObjectWithValues>();
  const pending: Promise<unknown>[] = [];
  for (const m of list) {
    if (isNative(m)) {
      const r = m[NATIVE].runCollect();
      if (r !== undefined) pending.push(r);
    } else {
      pending.push(Promise.resolve(m.get()).then((v) => generic.set(m, v)));
    }
  }
  if (pending.length > 0) await Promise.all(pending);
  return generic;
}

/** OpenMetrics order, as toFamily() builds it: the series' labels, then defaults it leaves unset. */
function omLabelText(names: readonly string[], c: ChildBase, defaults: DefaultLabelsView): string {
  let out = c.labelText ??= labelPairsText(names, c.labelValues);
  for (const name of defaults.names) {
    const i = names.indexOf(name);
    if (i >= 0 && c.labelValues[i] !== undefined) continue;
    out += (out === '' ? '' : ',') + name + '="' + escapeLabelValue(defaults.values[name]!) + '"';
  }
  return out;
}

/** Series labels with default labels filling the names the series leaves unset. */
function mergedLabelText(names: readonly string[], c: ChildBase, defaults: DefaultLabelsView): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const v = c.labelValues[i] ?? defaults.values[name];
    if (v === undefined) continue;
    out += (out === '' ? '' : ',') + name + '="' + escapeLabelValue(v) + '"';
  }
  for (const name of defaults.names) {
    if (names.includes(name)) continue;
    out += (out === '' ? '' : ',') + name + '="' + escapeLabelValue(defaults.values[name]!) + '"';
  }
  return out;
}

/** Flattens a rope string (V8 flattens on character access), so later copies are cheap. */
function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type { NativeMetric };
export const globalRegistry: Registry = new Registry();
