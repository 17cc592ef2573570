// Counter: a value that only goes up (prom-client's Counter, plus _created for OpenMetrics).
import { format } from 'node:util';
import { formatOpenMetricsValue, type Exemplar as ModelExemplar, type Sample } from '@promethium/exposition';
import { labelsFromArgs, type ChildBase, type LabelValues } from './child-store.js';
import { recordExemplar, type Exemplar } from './exemplar.js';
import type { TextOut } from './internal.js';
import { Metric, type MetricConfiguration, type MetricValue } from './metric.js';
import { flatten, formatSampleValue, omExemplar } from './text-format.js';

export interface IncreaseDataWithExemplar<T extends string> {
  value?: number;
  labels?: LabelValues<T>;
  exemplarLabels?: LabelValues<string>;
}

export interface CounterConfiguration<T extends string> extends MetricConfiguration<T> {
  collect?: (this: Counter<T>) => void | Promise<void>;
}

class CounterChild implements ChildBase {
  value = 0;
  labelText: string | undefined = undefined;
  linePrefix: string | undefined = undefined;
  linePrefixFor: string | undefined = undefined;
  /** Last scrape's sample line, reused while the value stays the same. */
  line: string | undefined = undefined;
  lineValue = NaN;
  exemplar: Exemplar | undefined = undefined;
  readonly created = Date.now() / 1000;
  createdText: string | undefined = undefined;
  omLine: string | undefined = undefined;
  omLineFor: string | undefined = undefined;
  omLineValue = NaN;
  constructor(readonly labelValues: (string | undefined)[]) {}
}

const NO_LABELS: Readonly<Record<string, never>> = Object.freeze({});

export class Counter<T extends string = string> extends Metric<T, CounterChild> {
  readonly type = 'counter';

  constructor(config: CounterConfiguration<T>) {
    super(config);
    this.finishInit();
  }

  /**
   * inc(), inc(value), inc(labels), inc(labels, value); with enableExemplars,
   * inc({ labels, value, exemplarLabels }) as in prom-client.
   */
  inc(labels?: LabelValues<T> | IncreaseDataWithExemplar<T> | number, value?: number): void {
    // With exemplars prom-client takes one options object; inc(labels, value) still works here.
    if (this.enableExemplars && value === undefined) {
      this.incWithExemplar((labels ?? {}) as IncreaseDataWithExemplar<T>);
      return;
    }
    let child: CounterChild;
    if (typeof labels === 'object' && labels !== null) {
      const v = amount(value);
      child = this.store.get(labels);
      child.value += v;
    } else {
      const v = amount(labels);
      child = this.store.get(NO_LABELS);
      child.value += v;
    }
  }

  /** The counter's value for a label set (0 when the series does not exist). */
  getValue(labels: LabelValues<T> = {}): number {
    return this.store.find(labels)?.value ?? 0;
  }

  labels(...args: (string | number)[] | [LabelValues<T>]): { inc(value?: number): void; inc(data: { value?: number; exemplarLabels?: LabelValues<string> }): void } {
    const labels = labelsFromArgs(this.labelNames, args) as LabelValues<T>;
    return {
      inc: (v?: number | { value?: number; exemplarLabels?: LabelValues<string> }) => {
        if (typeof v === 'object' && v !== null) this.incWithExemplar({ labels, ...v });
        else if (this.enableExemplars) this.incWithExemplar({ labels, value: v });
        else this.incPlain(labels, v);
      },
    };
  }

  private incPlain(labels: LabelValues<T>, value: number | undefined): void {
    const v = amount(value);
    this.store.get(labels).value += v;
  }

  private incWithExemplar({ labels = {}, value, exemplarLabels }: IncreaseDataWithExemplar<T>): void {
    const v = amount(value);
    const child = this.store.get(labels);
    child.value += v;
    if (exemplarLabels !== undefined) {
      child.exemplar = recordExemplar(child.exemplar, exemplarLabels as Record<string, string | number>, v);
    }
  }

  /** @internal */
  protected newChild(values: (string | undefined)[]): CounterChild {
    return new CounterChild(values);
  }

  /** @internal */
  protected writeChildText(out: TextOut, c: CounterChild, labels: string): void {
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
  protected writeChildOpenMetrics(out: TextOut, c: CounterChild, labels: string): void {
    const v = c.value;
    // Same reuse rule as the text lines; a series with an exemplar is always rewritten.
    const idle = c.omLineFor === labels && c.omLineValue === v && c.exemplar === undefined;
    if (idle && c.omLine !== undefined) {
      c.omLine.charCodeAt(0);
      out.s += c.omLine;
      return;
    }
    const base = this.familyNameAndType().name;
    const l = labels === '' ? ' ' : '{' + labels + '} ';
    let s = base + '_total' + l + formatOpenMetricsValue(v);
    if (c.exemplar) s += omExemplar(toModelExemplar(c.exemplar));
    s += '\n' + base + '_created' + l + (c.createdText ??= formatOpenMetricsValue(c.created)) + '\n';
    c.omLine = idle ? s : undefined;
    c.omLineFor = labels;
    c.omLineValue = v;
    out.s += s;
  }


  /** @internal */
  protected override familyNameAndType() {
    return { name: this.name.endsWith('_total') ? this.name.slice(0, -6) : this.name, type: 'counter' as const };
  }

  /** @internal */
  protected childSamples(c: CounterChild, labels: Record<string, string>, out: Sample[]): void {
    const base = this.familyNameAndType().name;
    const s: Sample = { name: base + '_total', labels, value: c.value };
    if (c.exemplar) s.exemplar = toModelExemplar(c.exemplar);
    out.push(s, { name: base + '_created', labels, value: c.created });
  }

  /** @internal */
  protected childValues(c: CounterChild, labels: Record<string, string>, out: MetricValue<T>[]): void {
    const v: MetricValue<T> = { value: c.value, labels };
    if (c.exemplar) v.exemplar = c.exemplar;
    out.push(v);
  }
}

function amount(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`Value is not a valid number: ${format(value)}`);
  }
  if (value < 0) throw new Error('It is not possible to decrease a counter');
  return value;
}

export function toModelExemplar(e: Exemplar): ModelExemplar {
  const labels: Record<string, string> = {};
  for (const k in e.labelSet) labels[k] = String(e.labelSet[k]);
  const out: ModelExemplar = { labels, value: e.value ?? 0 };
  if (e.timestamp !== undefined) out.timestamp = e.timestamp;
  return out;
}
