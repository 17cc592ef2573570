// Query values. A float point is (t, f); native-histogram points will sit beside them as a
// parallel `histograms` list on Series and an `h` field on Sample when they are added.
import type { Labels } from '@promethium/tsdb-core';

export interface Sample {
  metric: Labels;
  /** Evaluation timestamp (ms). */
  t: number;
  f: number;
  /** Delayed __name__ removal: the name is dropped when the query finishes. */
  dropName: boolean;
}

export interface Series {
  metric: Labels;
  /** Timestamps (ms) and values, parallel and in time order. */
  ts: number[];
  fs: number[];
  dropName: boolean;
}

export type QueryValue =
  | { type: 'vector'; value: Sample[] }
  | { type: 'matrix'; value: Series[] }
  | { type: 'scalar'; t: number; value: number }
  | { type: 'string'; t: number; value: string };

export interface Annotation {
  kind: 'warning' | 'info';
  message: string;
  /** Byte offset in the query where the offending sub-expression starts. */
  pos: number;
}

export interface QueryStats {
  /** Samples read from storage (raw samples in windows, plus one per selected instant point). */
  totalQueryableSamples: number;
  /** Largest number of samples held at once by one evaluation step. */
  peakSamples: number;
  /** Wall-clock evaluation time in ms. */
  evalTimeMs: number;
}

export interface QueryResult {
  value: QueryValue;
  annotations: Annotation[];
  /** Rendered annotations: `PromQL warning: <msg> (L:C)`. */
  warnings: string[];
  infos: string[];
  stats: QueryStats;
}

/** What went wrong, for the HTTP API's errorType (execution, timeout, canceled). */
export type QueryErrorKind = 'execution' | 'timeout' | 'canceled' | 'too_many_samples';

export class QueryError extends Error {
  readonly kind: QueryErrorKind;

  constructor(message: string, kind: QueryErrorKind = 'execution') {
    super(message);
    this.name = 'QueryError';
    this.kind = kind;
  }
}
