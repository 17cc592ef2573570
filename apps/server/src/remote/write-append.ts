// What the remote-write receiver shares between protocol versions: label validation, the
// per-storage series cache, and the all-or-nothing append of a fully decoded request. Decoders
// (write-decode-v1.ts, write-decode-v2.ts) validate every series before anything is appended,
// and any append error rolls the whole request back, so a bad request never half-applies.
import { Labels } from '@promethium/tsdb-core';
import type { Appendable, SeriesRef } from '@promethium/tsdb-core';

export interface WriteResult {
  status: 204 | 400 | 413 | 415 | 500;
  message: string;
  samples: number;
  series: number;
  /** Native histograms and exemplars written (always 0: the TSDB stores neither yet). */
  histograms: number;
  exemplars: number;
  /** The protocol the request spoke (2 gets the X-Prometheus-Remote-Write-*-Written headers). */
  version: 1 | 2;
}

/** A request the sender got wrong (answered 400 with this message). */
export class WriteInputError extends Error {}

/** Label set and head reference of a series seen before, keyed by a decoder-specific string. */
export interface CachedSeries {
  labels: Labels;
  ref: SeriesRef;
}

/** A decoded request: samples of series k are [offsets[k], offsets[k+1]). */
export interface Decoded {
  series: CachedSeries[];
  offsets: number[];
  ts: number[];
  vs: number[];
}

// Senders re-send the same series every time: a hit skips validating the labels and looking
// them up in the head (the receiver's scrape cache).
const caches = new WeakMap<Appendable, Map<string, CachedSeries>>();
const MAX_CACHED = 2_000_000;

export function seriesCache(storage: Appendable): Map<string, CachedSeries> {
  let cache = caches.get(storage);
  if (!cache) {
    cache = new Map();
    caches.set(storage, cache);
  }
  return cache;
}

export function cacheSeries(cache: Map<string, CachedSeries>, key: string, entry: CachedSeries): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, entry);
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function isWellFormedUtf8(s: string): boolean {
  return s.length > 0 && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

/** Validates the (name, value) pairs of series i in wire order; empty values are dropped. */
export function labelsFromPairs(raw: readonly (readonly [string, string])[], i: number): Labels {
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  let name = '';
  for (const [ln, lv] of raw) {
    if (ln === '') throw new WriteInputError(`timeseries ${i}: empty label name`);
    if (seen.has(ln)) throw new WriteInputError(`timeseries ${i}: invalid labels for series, duplicated label name "${ln}"`);
    seen.add(ln);
    if (ln === '__name__') name = lv;
    if (lv !== '') pairs.push([ln, lv]);
  }
  if (name === '') throw new WriteInputError(`timeseries ${i}: missing metric name (__name__ label)`);
  if (!NAME_RE.test(name) && !isWellFormedUtf8(name)) throw new WriteInputError(`timeseries ${i}: invalid metric name "${name}"`);
  return Labels.from(pairs);
}

/** Appends every sample of a validated request in one transaction, or nothing. */
export async function appendDecoded(storage: Appendable, d: Decoded): Promise<WriteResult> {
  const app = storage.appender();
  const { series, offsets, ts, vs } = d;
  for (let k = 0; k < series.length; k++) {
    const entry = series[k]!;
    let ref = entry.ref;
    for (let j = offsets[k]!; j < offsets[k + 1]!; j++) {
      try {
        ref = app.append(ref, entry.labels, ts[j]!, vs[j]!);
      } catch (e) {
        app.rollback();
        // Out-of-order and duplicate samples are the sender's problem: 400 so it does not retry.
        return failed(400, `${(e as Error).message} for series ${entry.labels.toString()} at timestamp ${ts[j]!}`);
      }
    }
    entry.ref = ref;
  }
  try {
    // The sender waits on this answer: sync now rather than in the scrapes' group-commit window.
    await app.commit({ urgent: true });
  } catch (e) {
    return failed(500, `committing samples: ${(e as Error).message}`);
  }
  return { status: 204, message: '', samples: ts.length, series: series.length, histograms: 0, exemplars: 0, version: 1 };
}

export function failed(status: WriteResult['status'], message: string): WriteResult {
  return { status, message, samples: 0, series: 0, histograms: 0, exemplars: 0, version: 1 };
}
