// The contract between metric classes and the registry, kept off the public API by symbols.
import type { MetricFamily } from '@promethium/exposition';
import type { ChildBase } from './child-store.js';

export const NATIVE = Symbol('promethium.native');

/** Accumulates the text exposition; a property append builds a rope without copying. */
export interface TextOut {
  s: string;
}

/** Default labels of the registry being serialized, pre-rendered. */
export interface DefaultLabelsView {
  readonly names: ReadonlySet<string>;
  readonly values: Readonly<Record<string, string>>;
  /** `a="x",b="y"`, or '' when there are none. */
  readonly text: string;
}

/** What the registry needs from its own metric classes for the fast paths. */
export interface NativeMetric<C extends ChildBase = ChildBase> {
  name(): string;
  help(): string;
  labelNames(): readonly string[];
  /** The TYPE written in text format 0.0.4. */
  textType(): string;
  /** The name used in the text format's HELP/TYPE lines (Info adds `_info`). */
  textName(): string;
  /** prom-client puts default labels before the series' own labels for histograms. */
  defaultsFirst: boolean;
  /** Runs the user's collect() callback. */
  runCollect(): void | Promise<void>;
  /** A stable snapshot of the series to serialize. */
  snapshot(): C[];
  /** Appends the text lines of one series; `labels` is the rendered label set incl. defaults. */
  writeText(out: TextOut, child: C, labels: string): void;
  /**
   * Appends the OpenMetrics lines of one series, byte-identical to exposition's serializer
   * applied to toFamily(); `labels` is the series' labels followed by unset defaults.
   */
  writeOpenMetrics(out: TextOut, child: C, labels: string): void;
  /**
   * Builds the exposition model family (OpenMetrics/protobuf), labels merged with defaults;
   * of the given series only, when passed (a slice of snapshot()).
   */
  toFamily(defaults: DefaultLabelsView, children?: Iterable<C>): MetricFamily;
}

export interface NativeCarrier {
  readonly [NATIVE]: NativeMetric;
}

export function isNative(m: unknown): m is NativeCarrier {
  return typeof m === 'object' && m !== null && NATIVE in m;
}
