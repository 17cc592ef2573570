// Histogram: counts observations into cumulative buckets (prom-client's Histogram).
import { format } from 'node:util';
import { formatOpenMetricsValue, type Sample } from '@promethium/exposition';
import { labelsFromArgs, type ChildBase, type LabelValues } from './child-store.js';
import { toModelExemplar } from './counter.js';
import { recordExemplar, type Exemplar } from './exemplar.js';
import type { TextOut } from './internal.js';
import { Metric, type MetricConfiguration, type MetricValue } from './metric.js';
import { flatten, formatSampleValue, omCount, omExemplar } from './text-format.js';
import { mergeLabels, secondsSince, startClock } from './timer.js';

export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HistogramConfiguration<T extends string> extends MetricConfiguration<T> {
  buckets?: readonly number[];
  collect?: (this: Histogram<T>) => void | Promise<void>;
}

export interface ObserveDataWithExemplar<T extends string> {
  value: number;
  labels?: LabelValues<T>;
  exemplarLabels?: LabelValues<string>;
}

class HistogramChild implements ChildBase {
  /** Per-bucket (non-cumulative) counts; the last slot is the +Inf overflow. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  labelText: string | undefined = undefined;
  exemplars: (Exemplar | undefined)[] | undefined = undefined;
  readonly created = Date.now() / 1000;
  createdText: string | undefined = undefined;
  /** Cached `",<labels>} ` and `{<labels>} ` for the label text they were built from. */
  rest: string | undefined = undefined;
  suffix: string | undefined = undefined;
  restFor: string | undefined = undefined;
  constructor(
    readonly labelValues: (string | undefined)[],
    buckets: number,
  ) {
    this.counts = new Float64Array(buckets + 1);
  }
}

const NO_LABELS: Readonly<Record<string, never>> = Object.freeze({});

export class Histogram<T extends string = string> extends Metric<T, HistogramChild> {
  readonly type = 'histogram';
  readonly buckets: number[];
  readonly upperBounds: number[];
  private readonly leText: string[];
  /** `name_bucket{le="<bound>` per bucket, built on first serialization. */
  private bucketHeads: string[] | undefined;

  constructor(config: HistogramConfiguration<T>) {
    super(config, 'le');
    const buckets = [...(config.buckets ?? DEFAULT_BUCKETS)];
    for (const b of buckets) {
      if (typeof b !== 'number' || Number.isNaN(b)) throw new TypeError(`Invalid bucket bound: ${format(b)}`);
    }
    buckets.sort((a, b) => a - b);
    // A +Inf bound is implicit; listing it would duplicate the +Inf bucket.
    while (buckets.length > 0 && buckets[buckets.length - 1] === Infinity) buckets.pop();
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i] === buckets[i - 1]) throw new Error(`Duplicate bucket bound: ${buckets[i]}`);
    }
    this.buckets = buckets;
    this.upperBounds = buckets;
    this.leText = [...buckets.map((b) => formatSampleValue(b)), '+Inf'];
    this.finishInit();
  }

  /** observe(value), observe(labels, value); with enableExemplars observe({labels, value, exemplarLabels}). */
  observe(labels: LabelValues<T> | ObserveDataWithExemplar<T> | number, value?: number): void {
    if (this.enableExemplars && value === undefined && typeof labels === 'object') {
      this.observeWithExemplar(labels as ObserveDataWithExemplar<T>);
      return;
    }
    if (typeof labels === 'object' && labels !== null) {
      const v = checkValue(value);
      this.record(this.store.get(labels), v);
    } else {
      const v = checkValue(labels);
      this.record(this.store.get(NO_LABELS), v);
    }
  }

  /** Creates the series for the label set with every bucket at zero. */
  zero(labels: LabelValues<T>): void {
    const c = this.store.get(labels);
    c.counts.fill(0);
    c.sum = 0;
    c.count = 0;
    c.exemplars = undefined;
  }

  /** Returns end(endLabels?) which observes the elapsed seconds and returns them. */
  startTimer(
    labels?: LabelValues<T>,
    exemplarLabels?: LabelValues<string>,
  ): (endLabels?: LabelValues<T>, endExemplarLabels?: LabelValues<string>) => number {
    const start = startClock();
    return (endLabels, endExemplarLabels) => {
      const value = secondsSince(start);
      const all = mergeLabels(labels, endLabels);
      if (this.enableExemplars) {
        this.observeWithExemplar({ labels: all, value, exemplarLabels: mergeLabels(exemplarLabels, endExemplarLabels) });
      } else {
        this.record(this.store.get(all), value);
      }
      return value;
    };
  }

  labels(...args: (string | number)[] | [LabelValues<T>]) {
    const labels = labelsFromArgs(this.labelNames, args) as LabelValues<T>;
    this.store.validate(labels);
    return {
      observe: (value: number) => {
        const v = checkValue(value);
        this.record(this.store.get(labels), v);
      },
      startTimer: () => this.startTimer(labels),
    };
  }

  private observeWithExemplar({ labels = {}, value, exemplarLabels }: ObserveDataWithExemplar<T>): void {
    const v = checkValue(value);
    const c = this.store.get(labels);
    const i = this.record(c, v);
    if (exemplarLabels !== undefined && Object.keys(exemplarLabels).length > 0) {
      c.exemplars ??= new Array<Exemplar | undefined>(this.buckets.length + 1).fill(undefined);
      c.exemplars[i] = recordExemplar(c.exemplars[i], exemplarLabels as Record<string, string | number>, v);
    }
  }

  /** Counts the observation and returns the bucket index it fell into. */
  private record(c: HistogramChild, v: number): number {
    const b = this.buckets;
    let i: number;
    if (b.length <= 24) {
      i = 0;
      while (i < b.length && v > b[i]!) i++;
    } else {
      let lo = 0;
      let hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v > b[mid]!) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    c.counts[i]!++;
    c.sum += v;
    c.count++;
    return i;
  }

  /** @internal */
  protected newChild(values: (string | undefined)[]): HistogramChild {
    return new HistogramChild(values, this.buckets.length);
  }

  /** @internal prom-client writes `le` first, then the series' labels. */
  protected writeChildText(out: TextOut, c: HistogramChild, labels: string): void {
    const heads = (this.bucketHeads ??= this.leText.map((le) => this.name + '_bucket{le="' + le));
    if (c.restFor !== labels || c.rest === undefined) {
      c.rest = flatten(labels === '' ? '"} ' : '",' + labels + '} ');
      c.suffix = flatten(labels === '' ? ' ' : '{' + labels + '} ');
      c.restFor = labels;
    }
    const rest = c.rest;
    let acc = 0;
    let s = '';
    for (let i = 0; i < heads.length; i++) {
      acc += c.counts[i]!;
      s += heads[i]! + rest + formatSampleValue(acc) + '\n';
    }
    s += this.name + '_sum' + c.suffix! + formatSampleValue(c.sum) + '\n';
    s += this.name + '_count' + c.suffix! + formatSampleValue(c.count) + '\n';
    out.s += s;
  }

  /** @internal OpenMetrics (like exposition) writes `le` after the series' labels. */
  protected writeChildOpenMetrics(out: TextOut, c: HistogramChild, labels: string): void {
    const bucket = this.name + '_bucket{' + (labels === '' ? '' : labels + ',') + 'le="';
    const le = this.leText;
    let acc = 0;
    let s = '';
    for (let i = 0; i < le.length; i++) {
      acc += c.counts[i]!;
      s += bucket + le[i]! + '"} ' + omCount(acc);
      const ex = c.exemplars?.[i];
      if (ex) s += omExemplar(toModelExemplar(ex));
      s += '\n';
    }
    const l = labels === '' ? ' ' : '{' + labels + '} ';
    s += this.name + '_count' + l + omCount(c.count) + '\n';
    s += this.name + '_sum' + l + formatOpenMetricsValue(c.sum) + '\n';
    s += this.name + '_created' + l + (c.createdText ??= formatOpenMetricsValue(c.created)) + '\n';
    out.s += s;
  }

  /** @internal */
  protected childSamples(c: HistogramChild, labels: Record<string, string>, out: Sample[]): void {
    let acc = 0;
    for (let i = 0; i < this.leText.length; i++) {
      acc += c.counts[i]!;
      const s: Sample = { name: this.name + '_bucket', labels: { ...labels, le: this.leText[i]! }, value: acc };
      const ex = c.exemplars?.[i];
      if (ex) s.exemplar = toModelExemplar(ex);
      out.push(s);
    }
    out.push(
      { name: this.name + '_count', labels, value: c.count },
      { name: this.name + '_sum', labels, value: c.sum },
      { name: this.name + '_created', labels, value: c.created },
    );
  }

  /** @internal */
  protected childValues(c: HistogramChild, labels: Record<string, string>, out: MetricValue<T>[]): void {
    let acc = 0;
    for (let i = 0; i < this.leText.length; i++) {
      acc += c.counts[i]!;
      const le: string | number = i < this.buckets.length ? this.buckets[i]! : '+Inf';
      const v: MetricValue<T> = { labels: { le, ...labels }, value: acc, metricName: this.name + '_bucket' };
      const ex = c.exemplars?.[i];
      if (ex) v.exemplar = ex;
      out.push(v);
    }
    out.push(
      { labels, value: c.sum, metricName: this.name + '_sum' },
      { labels, value: c.count, metricName: this.name + '_count' },
    );
  }
}

function checkValue(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`Value is not a valid number: ${format(value)}`);
  }
  return value;
}
