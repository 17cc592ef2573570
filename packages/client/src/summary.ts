// Summary: count, sum and quantiles over an optional sliding window (prom-client's Summary).
// Quantiles come from a relative-error sketch: each reported quantile is within
// `relativeAccuracy` (default 1%) of the exact observation at that rank.
import { format } from 'node:util';
import { formatOpenMetricsValue, type Sample } from '@promethium/exposition';
import { labelsFromArgs, type ChildBase, type LabelValues } from './child-store.js';
import type { TextOut } from './internal.js';
import { Metric, type MetricConfiguration, type MetricValue } from './metric.js';
import { QuantileWindow } from './quantile-window.js';
import { formatSampleValue, omCount } from './text-format.js';
import { mergeLabels, secondsSince, startClock } from './timer.js';

export const DEFAULT_PERCENTILES: readonly number[] = [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999];

export interface SummaryConfiguration<T extends string> extends MetricConfiguration<T> {
  percentiles?: readonly number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
  /** Drop series whose window is empty instead of reporting zeros (prom-client option). */
  pruneAgedBuckets?: boolean;
  /** Accepted for prom-client compatibility; the sketch needs no compression. */
  compressCount?: number;
  /** Relative error bound of the reported quantiles, in (0, 1). Default 0.01. */
  relativeAccuracy?: number;
  collect?: (this: Summary<T>) => void | Promise<void>;
}

class SummaryChild implements ChildBase {
  sum = 0;
  count = 0;
  labelText: string | undefined = undefined;
  readonly created = Date.now() / 1000;
  createdText: string | undefined = undefined;
  constructor(
    readonly labelValues: (string | undefined)[],
    readonly window: QuantileWindow,
  ) {}
}

const NO_LABELS: Readonly<Record<string, never>> = Object.freeze({});

export class Summary<T extends string = string> extends Metric<T, SummaryChild> {
  readonly type = 'summary';
  readonly percentiles: number[];
  readonly maxAgeSeconds: number | undefined;
  readonly ageBuckets: number | undefined;
  readonly pruneAgedBuckets: boolean;
  readonly relativeAccuracy: number;
  private readonly quantileText: string[];

  constructor(config: SummaryConfiguration<T>) {
    super(config, 'quantile');
    const ps = [...(config.percentiles ?? DEFAULT_PERCENTILES)];
    for (const p of ps) {
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`Invalid percentile ${format(p)}: must be in [0, 1]`);
    }
    this.percentiles = ps;
    this.maxAgeSeconds = config.maxAgeSeconds;
    this.ageBuckets = config.ageBuckets;
    this.pruneAgedBuckets = config.pruneAgedBuckets ?? false;
    this.relativeAccuracy = config.relativeAccuracy ?? 0.01;
    this.quantileText = ps.map((p) => formatSampleValue(p));
    // Validates the accuracy up front rather than on the first observation.
    new QuantileWindow(undefined, undefined, this.relativeAccuracy);
    this.finishInit();
  }

  observe(labels: LabelValues<T> | number, value?: number): void {
    if (typeof labels === 'object' && labels !== null) {
      const v = checkValue(value);
      this.record(this.store.get(labels), v);
    } else {
      const v = checkValue(labels);
      this.record(this.store.get(NO_LABELS), v);
    }
  }

  startTimer(labels?: LabelValues<T>): (endLabels?: LabelValues<T>) => number {
    const start = startClock();
    return (endLabels) => {
      const value = secondsSince(start);
      this.record(this.store.get(mergeLabels(labels, endLabels)), value);
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

  /** prom-client keeps the series and zeroes them. */
  override reset(): void {
    if (this.store.size === 0) {
      super.reset();
      return;
    }
    for (const c of this.store.children) {
      c.window.reset();
      c.sum = 0;
      c.count = 0;
    }
  }

  private record(c: SummaryChild, v: number): void {
    c.window.add(v);
    c.sum += v;
    c.count++;
  }

  /** Quantile values of a series; empty windows report 0 as prom-client does. */
  private quantilesOf(c: SummaryChild): number[] {
    return c.window.quantiles(this.percentiles).map((q) => (Number.isNaN(q) ? 0 : q));
  }

  /** @internal */
  protected override runCollect(): void | Promise<void> {
    if (this.pruneAgedBuckets) {
      for (const c of Array.from(this.store.children)) {
        if (c.window.size() === 0) this.store.delete(this.labelsOf(c));
      }
    }
    return super.runCollect();
  }

  /** @internal */
  protected newChild(values: (string | undefined)[]): SummaryChild {
    return new SummaryChild(values, new QuantileWindow(this.maxAgeSeconds, this.ageBuckets, this.relativeAccuracy));
  }

  /** @internal prom-client writes `quantile` first, then the series' labels. */
  protected writeChildText(out: TextOut, c: SummaryChild, labels: string): void {
    const q = this.quantilesOf(c);
    const head = this.name + '{quantile="';
    const rest = labels === '' ? '"} ' : '",' + labels + '} ';
    let s = '';
    for (let i = 0; i < q.length; i++) s += head + this.quantileText[i]! + rest + formatSampleValue(q[i]!) + '\n';
    const suffix = labels === '' ? ' ' : '{' + labels + '} ';
    s += this.name + '_sum' + suffix + formatSampleValue(c.sum) + '\n';
    s += this.name + '_count' + suffix + formatSampleValue(c.count) + '\n';
    out.s += s;
  }

  /** @internal */
  protected writeChildOpenMetrics(out: TextOut, c: SummaryChild, labels: string): void {
    const q = this.quantilesOf(c);
    const head = this.name + '{' + (labels === '' ? '' : labels + ',') + 'quantile="';
    let s = '';
    for (let i = 0; i < q.length; i++) s += head + this.quantileText[i]! + '"} ' + formatOpenMetricsValue(q[i]!) + '\n';
    const l = labels === '' ? ' ' : '{' + labels + '} ';
    s += this.name + '_sum' + l + formatOpenMetricsValue(c.sum) + '\n';
    s += this.name + '_count' + l + omCount(c.count) + '\n';
    s += this.name + '_created' + l + (c.createdText ??= formatOpenMetricsValue(c.created)) + '\n';
    out.s += s;
  }

  /** @internal */
  protected childSamples(c: SummaryChild, labels: Record<string, string>, out: Sample[]): void {
    const q = this.quantilesOf(c);
    for (let i = 0; i < q.length; i++) {
      out.push({ name: this.name, labels: { ...labels, quantile: this.quantileText[i]! }, value: q[i]! });
    }
    out.push(
      { name: this.name + '_sum', labels, value: c.sum },
      { name: this.name + '_count', labels, value: c.count },
      { name: this.name + '_created', labels, value: c.created },
    );
  }

  /** @internal */
  protected childValues(c: SummaryChild, labels: Record<string, string>, out: MetricValue<T>[]): void {
    const q = this.quantilesOf(c);
    for (let i = 0; i < q.length; i++) out.push({ labels: { quantile: this.percentiles[i]!, ...labels }, value: q[i]! });
    out.push(
      { metricName: this.name + '_sum', labels, value: c.sum },
      { metricName: this.name + '_count', labels, value: c.count },
    );
  }
}

function checkValue(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`Value is not a valid number: ${format(value)}`);
  }
  return value;
}
