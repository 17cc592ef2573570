// What every metric class shares: prom-client's config object and checks, registration,
// the label-set -> series store, and the hooks the registry serializes through.
import type { MetricFamily, Sample } from '@promethium/exposition';
import { ChildStore, labelsFromArgs, type ChildBase } from './child-store.js';
import { NATIVE, type DefaultLabelsView, type NativeMetric, type TextOut } from './internal.js';
import { globalRegistry, type Registry, type RegistryContentType } from './registry.js';
import { validateLabelName, validateMetricName } from './validation.js';

export type Aggregator = 'omit' | 'sum' | 'first' | 'min' | 'max' | 'average';

export interface MetricConfiguration<T extends string> {
  name: string;
  help: string;
  labelNames?: readonly T[];
  registers?: Registry<RegistryContentType>[];
  aggregator?: Aggregator;
  /** Called at every scrape before the values are read; may be async. */
  collect?: (this: never) => void | Promise<void>;
  enableExemplars?: boolean;
  /** OpenMetrics UNIT; when set the name must end with `_<unit>` (as OpenMetrics requires). */
  unit?: string;
}

/** prom-client's value object, as returned by get() and getMetricsAsJSON(). */
export interface MetricValue<_T extends string = string> {
  value: number;
  labels: Partial<Record<string, string | number>>;
  metricName?: string;
  exemplar?: unknown;
}

export interface MetricObjectWithValues<T extends string = string> {
  name: string;
  help: string;
  type: string;
  aggregator: Aggregator;
  values: MetricValue<T>[];
}

export abstract class Metric<T extends string, C extends ChildBase> {
  name: string;
  help: string;
  labelNames: T[];
  registers: Registry<RegistryContentType>[];
  aggregator: Aggregator;
  enableExemplars: boolean;
  unit: string | undefined;
  collect: ((this: never) => void | Promise<void>) | undefined;
  abstract readonly type: string;

  /** @internal */
  protected readonly store: ChildStore<C>;
  /** @internal */
  readonly [NATIVE]!: NativeMetric<C>;

  constructor(config: MetricConfiguration<T>, reserved?: string) {
    if (typeof config !== 'object' || config === null) throw new TypeError('constructor expected a config object');
    if (!config.help) throw new Error('Missing mandatory help parameter');
    if (!config.name) throw new Error('Missing mandatory name parameter');
    if (!validateMetricName(config.name)) throw new Error('Invalid metric name');
    const labelNames = [...(config.labelNames ?? [])];
    if (!validateLabelName(labelNames)) throw new Error('Invalid label name');
    if (new Set(labelNames).size !== labelNames.length) throw new Error('Duplicate label name');
    if (reserved !== undefined && labelNames.includes(reserved as T)) {
      throw new Error(`${reserved} is a reserved label keyword`);
    }
    if (config.collect !== undefined && typeof config.collect !== 'function') {
      throw new Error('Optional "collect" parameter must be a function');
    }
    if (config.unit !== undefined && !nameCarriesUnit(config.name, config.unit)) {
      throw new Error(`Metric name ${config.name} must end with its unit "_${config.unit}"`);
    }
    this.name = config.name;
    this.help = config.help;
    this.labelNames = labelNames;
    this.registers = config.registers ?? [globalRegistry];
    this.aggregator = config.aggregator ?? 'sum';
    this.enableExemplars = config.enableExemplars ?? false;
    this.unit = config.unit;
    this.collect = config.collect;
    this.store = new ChildStore<C>(labelNames, (values) => this.newChild(values));
  }

  /** Subclasses call this last in their constructor, once their own fields are set. */
  protected finishInit(): void {
    (this as { [NATIVE]: NativeMetric<C> })[NATIVE] = this.nativeView();
    this.reset();
    for (const r of this.registers) r.registerMetric(this);
  }

  /** @internal */
  protected abstract newChild(values: (string | undefined)[]): C;
  /** @internal */
  protected abstract writeChildText(out: TextOut, child: C, labels: string): void;
  /** @internal */
  protected abstract writeChildOpenMetrics(out: TextOut, child: C, labels: string): void;
  /** @internal */
  protected abstract childSamples(child: C, labels: Record<string, string>, out: Sample[]): void;
  /** @internal */
  protected abstract childValues(child: C, labels: Record<string, string | number>, out: MetricValue<T>[]): void;
  /** @internal The OpenMetrics family name and type. */
  protected familyNameAndType(): { name: string; type: MetricFamily['type'] } {
    return { name: this.name, type: this.type as MetricFamily['type'] };
  }
  /** @internal */
  protected textType(): string {
    return this.type;
  }
  /** @internal */
  protected textName(): string {
    return this.name;
  }

  /** Drops every series; unlabelled metrics start again from zero. */
  reset(): void {
    this.store.clear();
    if (this.labelNames.length === 0) this.store.get({});
  }

  /** Removes the series of the given label values (object or positional). */
  remove(...args: unknown[]): void {
    this.store.delete(labelsFromArgs(this.labelNames, args));
  }

  async get(): Promise<MetricObjectWithValues<T>> {
    await this.runCollect();
    const values: MetricValue<T>[] = [];
    for (const c of this.store.children) this.childValues(c, this.labelsOf(c), values);
    return { help: this.help, name: this.name, type: this.type, values, aggregator: this.aggregator };
  }

  /** @internal */
  protected runCollect(): void | Promise<void> {
    const fn = this.collect as ((this: unknown) => void | Promise<void>) | undefined;
    if (fn === undefined) return;
    return fn.call(this);
  }

  /** @internal Label values of a series as an object (absent labels left out). */
  protected labelsOf(child: C): Record<string, string> {
    const out: Record<string, string> = {};
    const names = this.labelNames;
    for (let i = 0; i < names.length; i++) {
      const v = child.labelValues[i];
      if (v !== undefined) out[names[i]!] = v;
    }
    return out;
  }

  private nativeView(): NativeMetric<C> {
    // Closures, not copies: prom-client lets users change name/help after construction.
    return {
      name: () => this.name,
      help: () => this.help,
      labelNames: () => this.labelNames,
      textType: () => this.textType(),
      textName: () => this.textName(),
      defaultsFirst: this.type === 'histogram',
      runCollect: () => this.runCollect(),
      snapshot: () => Array.from(this.store.children),
      writeText: (out, child, labels) => this.writeChildText(out, child, labels),
      writeOpenMetrics: (out, child, labels) => this.writeChildOpenMetrics(out, child, labels),
      toFamily: (defaults, children) => this.toFamily(defaults, children),
    };
  }

  private toFamily(defaults: DefaultLabelsView, children: Iterable<C> = this.store.children): MetricFamily {
    const samples: Sample[] = [];
    for (const c of children) {
      const labels = this.labelsOf(c);
      for (const n of defaults.names) if (labels[n] === undefined) labels[n] = defaults.values[n]!;
      this.childSamples(c, labels, samples);
    }
    const { name, type } = this.familyNameAndType();
    const fam: MetricFamily = { name, type, help: this.help, samples };
    if (this.unit !== undefined) fam.unit = this.unit;
    return fam;
  }
}

function nameCarriesUnit(name: string, unit: string): boolean {
  return /^[a-zA-Z0-9_]+$/.test(unit) && (name.endsWith(`_${unit}`) || name.endsWith(`_${unit}_total`));
}
