// StateSet: a set of boolean states, one series per state, labelled with the metric's own
// name (OpenMetrics' stateset type). Text 0.0.4 gets the same series as a gauge.
import { format } from 'node:util';
import { escapeLabelValue, type MetricFamily, type Sample } from '@promethium/exposition';
import type { ChildBase, LabelValues } from './child-store.js';
import type { TextOut } from './internal.js';
import { Metric, type MetricConfiguration, type MetricValue } from './metric.js';
import { validateLabelName } from './validation.js';

export interface StateSetConfiguration<T extends string, S extends string> extends MetricConfiguration<T> {
  states: readonly S[];
  collect?: (this: StateSet<T, S>) => void | Promise<void>;
}

class StateSetChild implements ChildBase {
  labelText: string | undefined = undefined;
  readonly on: Uint8Array;
  constructor(
    readonly labelValues: (string | undefined)[],
    n: number,
  ) {
    this.on = new Uint8Array(n);
  }
}

const NO_LABELS: Readonly<Record<string, never>> = Object.freeze({});

export class StateSet<T extends string = string, S extends string = string> extends Metric<T, StateSetChild> {
  readonly type = 'stateset';
  readonly states: S[];
  private readonly index: Map<string, number>;
  private readonly stateText: string[];

  constructor(config: StateSetConfiguration<T, S>) {
    super(config);
    if (!validateLabelName([config.name]) || config.name.includes(':')) {
      throw new Error(`StateSet name ${config.name} must also be a valid label name`);
    }
    if ((config.labelNames as readonly string[] | undefined)?.includes(config.name)) {
      throw new Error(`StateSet ${config.name} cannot have a label named like itself`);
    }
    const states = [...(config.states ?? [])];
    if (states.length === 0) throw new Error('StateSet needs at least one state');
    if (new Set(states).size !== states.length) throw new Error('StateSet states must be unique');
    this.states = states;
    this.index = new Map(states.map((s, i) => [s, i]));
    this.stateText = states.map((s) => escapeLabelValue(s));
    this.finishInit();
  }

  /** Makes `state` the only true state (an enum, like client_python's Enum.state()). */
  set(labels: LabelValues<T> | S, state?: S): void {
    const [l, s] = typeof labels === 'object' ? [labels, state] : [NO_LABELS, labels];
    const i = this.stateIndex(s);
    const c = this.store.get(l);
    c.on.fill(0);
    c.on[i] = 1;
  }

  /** Sets several states at once; states not named keep their value. */
  setStates(labels: LabelValues<T>, states: Partial<Record<S, boolean>>): void {
    const idx = Object.keys(states).map((s) => [this.stateIndex(s), states[s as S] === true] as const);
    const c = this.store.get(labels);
    for (const [i, on] of idx) c.on[i] = on ? 1 : 0;
  }

  private stateIndex(s: unknown): number {
    const i = typeof s === 'string' ? this.index.get(s) : undefined;
    if (i === undefined) throw new Error(`Unknown state ${format(s)} for StateSet ${this.name}; states: ${this.states.join(', ')}`);
    return i;
  }

  /** @internal */
  protected override textType(): string {
    return 'gauge';
  }

  /** @internal */
  protected override familyNameAndType(): { name: string; type: MetricFamily['type'] } {
    return { name: this.name, type: 'stateset' };
  }

  /** @internal */
  protected newChild(values: (string | undefined)[]): StateSetChild {
    return new StateSetChild(values, this.states.length);
  }

  /** @internal */
  protected writeChildText(out: TextOut, c: StateSetChild, labels: string): void {
    const head = this.name + '{' + (labels === '' ? '' : labels + ',') + this.name + '="';
    let s = '';
    for (let i = 0; i < this.states.length; i++) s += head + this.stateText[i]! + '"} ' + c.on[i]! + '\n';
    out.s += s;
  }

  /** @internal */
  protected writeChildOpenMetrics(out: TextOut, c: StateSetChild, labels: string): void {
    const head = this.name + '{' + (labels === '' ? '' : labels + ',') + this.name + '="';
    let s = '';
    for (let i = 0; i < this.states.length; i++) s += head + this.stateText[i]! + '"} ' + (c.on[i] ? '1.0' : '0.0') + '\n';
    out.s += s;
  }

  /** @internal */
  protected childSamples(c: StateSetChild, labels: Record<string, string>, out: Sample[]): void {
    for (let i = 0; i < this.states.length; i++) {
      out.push({ name: this.name, labels: { ...labels, [this.name]: this.states[i]! }, value: c.on[i]! });
    }
  }

  /** @internal */
  protected childValues(c: StateSetChild, labels: Record<string, string>, out: MetricValue<T>[]): void {
    for (let i = 0; i < this.states.length; i++) {
      out.push({ value: c.on[i]!, labels: { ...labels, [this.name]: this.states[i]! } });
    }
  }
}
