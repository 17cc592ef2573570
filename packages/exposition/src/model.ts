// The data model every format parses into and serializes from. It follows the sample
// view of the text formats (one entry per exposed line) so text and OpenMetrics round-trip
// losslessly; protobuf classic histograms/summaries map to the same _bucket/_sum/_count samples.

/** OpenMetrics types. Text 0.0.4 "untyped" is parsed as "unknown" and written back as "untyped". */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

export interface Exemplar {
  /** Exemplar labels in exposition order. */
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch (OpenMetrics' unit), when present. */
  timestamp?: number;
}

/** A native (sparse) histogram, as carried by the protobuf format. */
export interface NativeHistogram {
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: { offset: number; length: number }[];
  negativeSpans: { offset: number; length: number }[];
  /** Absolute bucket counts (the deltas of the wire format, resolved). */
  positiveBuckets: number[];
  negativeBuckets: number[];
  /** True when the wire format carried float counts (gauge histograms may). */
  floatCounts?: boolean;
}

export interface Sample {
  /** The full sample name, e.g. "http_requests_total" or "latency_seconds_bucket". */
  name: string;
  /** Labels without __name__, in exposition order. */
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the exposition carried one. */
  timestampMs?: number;
  exemplar?: Exemplar;
  /** Present on native-histogram samples (protobuf only); then `value` is NaN. */
  histogram?: NativeHistogram;
}

export interface MetricFamily {
  /** The family name: for counters without "_total", as OpenMetrics names them. */
  name: string;
  type: MetricType;
  /** Undefined when the exposition had no HELP line. */
  help?: string;
  unit?: string;
  samples: Sample[];
}

export type ExpositionFormat = 'text' | 'openmetrics' | 'protobuf';
