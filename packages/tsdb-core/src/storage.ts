// The storage contract the rest of the stack programs against. The head, blocks and the
// DB implement it; the scrape loop, remote write and rules append through Appender; PromQL,
// federation and remote read query through Querier.
import type { Labels } from './labels.js';
import type { Matcher } from './matcher.js';

/** Opaque series reference an appender hands back, so the next append skips the label lookup. */
export type SeriesRef = number;

export interface CommitOptions {
  /** Sync now instead of waiting for the group-commit window (earlier commits in the group go along). */
  urgent?: boolean;
}

export interface Appender {
  /** Appends a float sample (t in ms). ref 0 means "unknown": the labels are looked up. Returns the series' ref. */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /**
   * Makes every sample appended since the last commit durable (WAL, fsync) and visible. A storage
   * with a group-commit window lets background commits (scrapes, rules) share one fsync;
   * `urgent` is for a commit someone is waiting on (a remote-write request): it syncs at once.
   */
  commit(options?: CommitOptions): Promise<void>;
  /** Drops every sample appended since the last commit. */
  rollback(): void;
  /**
   * The labels storage keeps for a series ref returned by append(), when it can tell: callers
   * that cache labels per series hold this (interned) copy instead of a second one.
   */
  seriesLabels?(ref: SeriesRef): Labels | undefined;
}

export interface Appendable {
  appender(): Appender;
}

/** Iterates one series' samples in time order. */
export interface SampleIterator {
  /** Advances; false when exhausted. */
  next(): boolean;
  /** Moves to the first sample with timestamp >= t; false when there is none. */
  seek(t: number): boolean;
  /** Timestamp (ms) of the current sample. */
  at(): number;
  /** Value of the current sample. */
  value(): number;
}

export interface Series {
  readonly labels: Labels;
  iterator(): SampleIterator;
}

export interface SelectHints {
  /** Query range start and end in ms, inclusive. */
  start: number;
  end: number;
  /** For range functions: the range in ms; for steps: the step. Purely advisory. */
  range?: number;
  step?: number;
  func?: string;
}

export interface Querier {
  /** Series matching every matcher, sorted by labels, with samples in [mint, maxt]. */
  select(matchers: readonly Matcher[], hints?: SelectHints): Iterable<Series>;
  labelNames(matchers?: readonly Matcher[]): string[];
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
  close(): void;
}

export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}

/** Staleness marker: the special NaN Prometheus writes when a series disappears. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
const staleBuf = new DataView(new ArrayBuffer(8));
staleBuf.setBigUint64(0, STALE_NAN_BITS);
export const STALE_NAN: number = staleBuf.getFloat64(0);

/**
 * True for the staleness marker. Also accepts 0x7ff8000000000002: V8 sets the quiet bit of a
 * signalling NaN stored in a plain JS array, so a marker that went through one arrives so.
 */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  staleBuf.setFloat64(0, v);
  return staleBuf.getUint32(4) === 2 && (staleBuf.getUint32(0) | 0x00080000) === 0x7ff80000;
}
