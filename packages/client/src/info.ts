// Info: one constant series whose labels carry build or version information. OpenMetrics
// has a type for it (`# TYPE build info`, sample `build_info 1`); text 0.0.4 gets a gauge
// named `<name>_info`, as client_python writes it.
import type { MetricFamily, Sample } from '@promethium/exposition';
import type { ChildBase, LabelValues } from './child-store.js';
import type { TextOut } from './internal.js';
import { Metric, type MetricConfiguration, type MetricValue } from './metric.js';

export interface InfoConfiguration<T extends string> extends MetricConfiguration<T> {
  collect?: (this: Info<T>) => void | Promise<void>;
}

class InfoChild implements ChildBase {
  labelText: string | undefined = undefined;
  constructor(readonly labelValues: (string | undefined)[]) {}
}

export class Info<T extends string = string> extends Metric<T, InfoChild> {
  readonly type = 'info';

  constructor(config: InfoConfiguration<T>) {
    super(config);
    this.finishInit();
  }

  /** Replaces the info labels. */
  set(labels: LabelValues<T>): void {
    this.store.validate(labels);
    this.store.clear();
    this.store.get(labels);
  }

  /** client_python's name for set(). */
  info(labels: LabelValues<T>): void {
    this.set(labels);
  }

  private get baseName(): string {
    return this.name.endsWith('_info') ? this.name.slice(0, -5) : this.name;
  }

  /** @internal */
  protected override textType(): string {
    return 'gauge';
  }

  /** @internal */
  protected override textName(): string {
    return this.baseName + '_info';
  }

  /** @internal */
  protected override familyNameAndType(): { name: string; type: MetricFamily['type'] } {
    return { name: this.baseName, type: 'info' };
  }

  /** @internal */
  protected newChild(values: (string | undefined)[]): InfoChild {
    return new InfoChild(values);
  }

  /** @internal */
  protected writeChildText(out: TextOut, _c: InfoChild, labels: string): void {
    out.s += this.textName() + (labels === '' ? '' : '{' + labels + '}') + ' 1\n';
  }

  /** @internal */
  protected writeChildOpenMetrics(out: TextOut, _c: InfoChild, labels: string): void {
    out.s += this.baseName + '_info' + (labels === '' ? '' : '{' + labels + '}') + ' 1.0\n';
  }

  /** @internal */
  protected childSamples(_c: InfoChild, labels: Record<string, string>, out: Sample[]): void {
    out.push({ name: this.baseName + '_info', labels, value: 1 });
  }

  /** @internal */
  protected childValues(_c: InfoChild, labels: Record<string, string>, out: MetricValue<T>[]): void {
    out.push({ value: 1, labels, metricName: this.textName() });
  }
}
