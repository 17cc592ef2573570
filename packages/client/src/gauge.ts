// Gauge: a value that goes up and down (prom-client's Gauge).
import { format } from 'node:util';
import { formatOpenMetricsValue, type Sample } from '@promethium/exposition';
import { labelsFromArgs, type ChildBase, type LabelValues } from './child-store.js';
import type { TextOut } from './internal.js';
import { Metric, type MetricConfiguration, type MetricValue } from './metric.js';
import { flatten, formatSampleValue } from './text-format.js';
import { mergeLabels, secondsSince, startClock } from './timer.js';

export interface GaugeConfiguration<T extends string> extends MetricConfiguration<T> {
  collect?: (this: Gauge<T>) => void | Promise<void>;
}

class GaugeChild implements ChildBase {
  value = 0;
  labelText: string | undefined = undefined;
  linePrefix: string | undefined = undefined;
  linePrefixFor: string | undefined = undefined;
  /** Last scrape's sample line, reused while the value stays the same. */
  line: string | undefined = undefined;
  lineValue = NaN;
  omLine: string | undefined = undefined;
  omLineFor: string | undefined = undefined;
  omLineValue = NaN;
  constructor(readonly labelValues: (string | undefined)[]) {}
}

const NO_LABELS: Readonly<Record<string, never>> = Object.freeze({});

export class Gauge<T extends string = string> extends Metric<T, GaugeChild> {
  readonly type = 'gauge';

  constructor(config: GaugeConfiguration<T>) {
    super(config);
    this.finishInit();
  }

  set(labels: LabelValues<T> | number, value?: number): void {
    if (typeof labels === 'object' && labels !== null) {
      const v = checkValue(value);
      this.store.get(labels).value = v;
    } else {
      const v = checkValue(labels);
      this.store.get(NO_LABELS).value = v;
    }
  }

  inc(labels?: LabelValues<T> | number, value?: number): void {
    if (typeof labels === 'object' && labels !== null) {
      const v = checkDelta(value);
      this.store.get(labels).value += v;
    } else {
      const v = checkDelta(labels);
      this.store.get(NO_LABELS).value += v;
    }
  }

  dec(labels?: LabelValues<T> | number, value?: number): void {
    if (typeof labels === 'object' && labels !== null) {
      const v = checkDelta(value);
      this.store.get(labels).value -= v;
    } else {
      const v = checkDelta(labels);
      this.store.get(NO_LABELS).value -= v;
    }
  }

  setToCurrentTime(labels?: LabelValues<T>): void {
    const now = Date.now() / 1000;
    if (labels === undefined) this.set(now);
    else this.set(labels, now);
  }

  /** Returns end(endLabels?) which sets the gauge to the elapsed seconds and returns them. */
  startTimer(labels?: LabelValues<T>): (endLabels?: LabelValues<T>) => number {
    const start = startClock();
    return (endLabels) => {
      const value = secondsSince(start);
      this.set(mergeLabels(labels, endLabels), value);
      return value;
    };
  }

  /** The gauge's value for a label set (0 when the series does not exist). */
  getValue(labels: LabelValues<T> = {}): number {
    return this.store.find(labels)?.value ?? 0;
  }

  labels(...args: (string | number)[] | [LabelValues<T>]) {
    const labels = labelsFromArgs(this.labelNames, args) as LabelValues<T>;
    this.store.validate(labels);
    return {
      inc: (value?: number) => this.inc(labels, value),
      dec: (value?: number) => this.dec(labels, value),
      set: (value: number) => this.set(labels, value),
      setToCurrentTime: () => this.setToCurrentTime(labels),
      startTimer: () => this.startTimer(labels),
    };
  }

  /** @internal */
  protected newChild(values: (string | undefined)[]): GaugeChild {
    return new GaugeChild(values);
  }

  /** @internal */
  protected writeChildText(out: TextOut, c: GaugeChild, labels: string): void {
    let prefix = c.linePrefix;
    if (c.linePrefixFor !== labels || prefix === undefined) {
      prefix = c.linePrefix = flatten((labels === '' ? this.name : this.name + '{' + labels + '}') + ' ');
      c.linePrefixFor = labels;
      c.line = undefined;
      c.lineValue = NaN;
    }
    const v = c.value;
    let line = c.line;
    if (line !== undefined && c.lineValue === v) {
      line.charCodeAt(0); // flattens on first reuse (a no-op afterwards), so copying it is cheap
    } else {
      line = prefix + formatSampleValue(v) + '\n';
      // Kept once the series was idle between two scrapes: busy series would only churn it, and
      // not keeping every line at the first scrape keeps that scrape's GC pauses short.
      c.line = c.lineValue === v ? line : undefined;
      c.lineValue = v;
    }
    out.s += line;
  }


  /** @internal */
  protected writeChildOpenMetrics(out: TextOut, c: GaugeChild, labels: string): void {
    const v = c.value;
    const idle = c.omLineFor === labels && c.omLineValue === v;
    if (idle && c.omLine !== undefined) {
      c.omLine.charCodeAt(0);
      out.s += c.omLine;
      return;
    }
    const s = this.name + (labels === '' ? ' ' : '{' + labels + '} ') + formatOpenMetricsValue(v) + '\n';
    c.omLine = idle ? s : undefined;
    c.omLineFor = labels;
    c.omLineValue = v;
    out.s += s;
  }


  /** @internal */
  protected childSamples(c: GaugeChild, labels: Record<string, string>, out: Sample[]): void {
    out.push({ name: this.name, labels, value: c.value });
  }

  /** @internal */
  protected childValues(c: GaugeChild, labels: Record<string, string>, out: MetricValue<T>[]): void {
    out.push({ value: c.value, labels });
  }
}

function checkValue(value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`Value is not a valid number: ${format(value)}`);
  return value;
}

function checkDelta(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number') throw new TypeError(`Delta is not a valid number: ${format(value)}`);
  return value;
}
