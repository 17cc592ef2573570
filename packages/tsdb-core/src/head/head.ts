// The head: the in-memory part of the database that takes appends. Series are found by
// label hash or by ref, indexed by postings, and hold XOR chunks. Durability comes from the
// HeadWAL the DB plugs in; the head itself only knows to log before it applies.
import { Labels } from '../labels.js';
import type { Matcher } from '../matcher.js';
import type { Appender, Querier } from '../storage.js';
import { HeadAppender } from './appender.js';
import { MemPostings } from './postings.js';
import { HeadQuerier } from './querier.js';
import { MemSeries } from './series.js';
import { headStats, type TSDBStats } from './stats.js';

export const DEFAULT_CHUNK_RANGE = 2 * 60 * 60 * 1000;
export const DEFAULT_SAMPLES_PER_CHUNK = 120;

/** Where committed appends are made durable (the WAL). */
export interface HeadWAL {
  /** Writes series records for `newSeries` and one samples record; throws on I/O failure. */
  log(newSeries: readonly MemSeries[], series: readonly MemSeries[], ts: Float64Array, vs: Float64Array, n: number): void;
  /** Resolves once everything logged so far is on stable storage; `urgent` skips a group-commit wait. */
  sync(urgent?: boolean): Promise<void>;
}

export interface HeadOptions {
  /** Chunk range in ms (Prometheus' min block duration), 2 h by default. */
  chunkRange?: number;
  samplesPerChunk?: number;
  wal?: HeadWAL;
}

export class Head {
  // Initialized at declaration so V8 keeps them as small-integer fields (see XORChunk).
  readonly chunkRange: number = DEFAULT_CHUNK_RANGE;
  readonly samplesPerChunk: number = DEFAULT_SAMPLES_PER_CHUNK;
  wal: HeadWAL | undefined;
  readonly postings = new MemPostings();
  /** Series by ref: refs are dense small integers, so an array beats a Map on every sample. */
  private readonly byRef = new SeriesTable();
  private readonly byHash = new Map<number, MemSeries | MemSeries[]>();
  private readonly strings = new Map<string, string>();
  private lastRef = 0;
  // Time range of committed samples, written on every sample: in a typed array, as a double
  // field each write could allocate a fresh heap number.
  private readonly range = new Float64Array([Infinity, -Infinity]);
  /** Nothing before this can be appended (the end of the last persisted block). */
  minValidTime = -Infinity;
  /** Deleted intervals per series ref (admin delete API), hidden from queries. */
  readonly tombstones = new Map<number, { mint: number; maxt: number }[]>();
  /** Metric metadata per series ref, as logged in the WAL. */
  readonly metadata = new Map<number, { type: string; unit: string; help: string }>();

  constructor(options: HeadOptions = {}) {
    this.chunkRange = options.chunkRange ?? DEFAULT_CHUNK_RANGE;
    this.samplesPerChunk = options.samplesPerChunk ?? DEFAULT_SAMPLES_PER_CHUNK;
    this.wal = options.wal;
  }

  /** Highest series ref handed out so far. */
  get lastSeriesRef(): number {
    return this.lastRef;
  }

  /** Earliest committed sample time (Infinity when empty). */
  get minTime(): number {
    return this.range[0]!;
  }
  set minTime(t: number) {
    this.range[0] = t;
  }

  /** Latest committed sample time (-Infinity when empty). */
  get maxTime(): number {
    return this.range[1]!;
  }
  set maxTime(t: number) {
    this.range[1] = t;
  }

  get numSeries(): number {
    return this.byRef.size;
  }

  appender(): Appender {
    return new HeadAppender(this, this.appendableMinValidTime());
  }

  /** As Prometheus: samples older than half a chunk range behind the head's max time are out of bounds. */
  appendableMinValidTime(): number {
    const fromMax = this.maxTime === -Infinity ? -Infinity : this.maxTime - this.chunkRange / 2;
    return Math.max(this.minValidTime, fromMax);
  }

  querier(mint: number, maxt: number): Querier {
    return new HeadQuerier(this, mint, maxt);
  }

  getByRef(ref: number): MemSeries | undefined {
    return this.byRef.get(ref);
  }

  getByLabels(labels: Labels): MemSeries | undefined {
    const hit = this.byHash.get(hashLabels(labels));
    if (hit === undefined) return undefined;
    if (!Array.isArray(hit)) return hit.labels.equals(labels) ? hit : undefined;
    for (const s of hit) if (s.labels.equals(labels)) return s;
    return undefined;
  }

  getOrCreate(labels: Labels): MemSeries {
    return this.getByLabels(labels) ?? this.create(++this.lastRef, labels, true);
  }

  /** Creates a series with a known ref (WAL replay); returns the existing one on a repeat. */
  createWithRef(ref: number, labels: Labels): MemSeries {
    const existing = this.byRef.get(ref) ?? this.getByLabels(labels);
    if (existing) return existing;
    if (ref > this.lastRef) this.lastRef = ref;
    // Strings decoded from the WAL or a snapshot are fresh copies already.
    return this.create(ref, labels, false);
  }

  private create(ref: number, labels: Labels, copyStrings: boolean): MemSeries {
    const s = new MemSeries(ref, this.intern(labels, copyStrings));
    this.byRef.set(ref, s);
    const h = hashLabels(s.labels);
    const hit = this.byHash.get(h);
    if (hit === undefined) this.byHash.set(h, s);
    else if (Array.isArray(hit)) hit.push(s);
    else this.byHash.set(h, [hit, s]);
    this.postings.add(ref, s.labels.flatView());
    return s;
  }

  /**
   * Shares one instance per distinct string; with copyStrings, new strings are copied flat
   * first, so a series never pins the scrape body a parser sliced its labels from.
   */
  private intern(labels: Labels, copyStrings: boolean): Labels {
    const flat = labels.flatView();
    const out: string[] = new Array<string>(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const s = flat[i]!;
      let v = this.strings.get(s);
      if (v === undefined) {
        v = copyStrings && s.length > 12 ? Buffer.from(s, 'utf8').toString('utf8') : s;
        this.strings.set(v, v);
      }
      out[i] = v;
    }
    return Labels.fromSortedFlat(out);
  }

  /** Applies one committed sample (appender commit and WAL replay). */
  applySample(s: MemSeries, t: number, v: number): boolean {
    if (t <= s.maxT) return false;
    s.append(t, v, this.chunkRange, this.samplesPerChunk);
    const r = this.range;
    if (t < r[0]!) r[0] = t;
    if (t > r[1]!) r[1] = t;
    return true;
  }

  /** applySample for sample i of parallel arrays: the hot paths use this to avoid boxing doubles. */
  applySampleAt(s: MemSeries, ts: Float64Array, vs: Float64Array, i: number): boolean {
    if (!s.newerAt(ts, i)) return false;
    s.appendAt(ts, vs, i, this.chunkRange, this.samplesPerChunk);
    const t = ts[i]!;
    const r = this.range;
    if (t < r[0]!) r[0] = t;
    if (t > r[1]!) r[1] = t;
    return true;
  }

  /** All series matching the matchers, by ref. */
  seriesFor(matchers: readonly Matcher[]): MemSeries[] {
    const out: MemSeries[] = [];
    for (const ref of this.postings.forMatchers(matchers)) {
      const s = this.byRef.get(ref);
      if (s) out.push(s);
    }
    return out;
  }

  /** Every series, by ref (for block writing and checkpoints). */
  allSeries(): IterableIterator<MemSeries> {
    return this.byRef.values();
  }

  /**
   * Drops data before mint (it is in a block now): chunks ending before it, then series left
   * empty. Returns the refs of deleted series. Afterwards nothing before mint can be appended.
   */
  truncate(mint: number): number[] {
    if (mint > this.minValidTime) this.minValidTime = mint;
    const deleted: number[] = [];
    let minTime = Infinity;
    for (const s of this.byRef.values()) {
      const empty = s.truncateBefore(mint);
      if (empty && s.pendingOwner === undefined) {
        deleted.push(s.ref);
        continue;
      }
      const st = s.minTime();
      if (st < minTime) minTime = st;
    }
    for (const ref of deleted) {
      this.remove(ref);
      this.tombstones.delete(ref);
      this.metadata.delete(ref);
    }
    if (deleted.length > 0) {
      // Forget strings only deleted series used.
      this.strings.clear();
      for (const s of this.byRef.values()) for (const x of s.labels.flatView()) this.strings.set(x, x);
    }
    deleted.sort((a, b) => a - b);
    this.postings.delete(deleted);
    this.minTime = minTime;
    if (this.byRef.size === 0) this.maxTime = -Infinity;
    return deleted;
  }

  private remove(ref: number): void {
    const s = this.byRef.get(ref);
    if (!s) return;
    this.byRef.delete(ref);
    const h = hashLabels(s.labels);
    const hit = this.byHash.get(h);
    if (hit === s) this.byHash.delete(h);
    else if (Array.isArray(hit)) {
      const rest = hit.filter((x) => x !== s);
      this.byHash.set(h, rest.length === 1 ? rest[0]! : rest);
    }
  }

  stats(limit = 10): TSDBStats {
    return headStats(this, limit);
  }
}

/** FNV-1a over names and values with separators; computed without building a key string. */
export function hashLabels(labels: Labels): number {
  const flat = labels.flatView();
  let h = 0x811c9dc5;
  for (let i = 0; i < flat.length; i++) {
    const s = flat[i]!;
    for (let j = 0; j < s.length; j++) {
      h ^= s.charCodeAt(j);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A ref-indexed table of series (holes where series were deleted). */
class SeriesTable {
  private slots: (MemSeries | undefined)[] = [];
  size = 0;

  get(ref: number): MemSeries | undefined {
    return this.slots[ref];
  }

  set(ref: number, s: MemSeries): void {
    // Fill up to ref so the array stays packed (no dictionary mode on sparse writes).
    while (this.slots.length < ref) this.slots.push(undefined);
    if (this.slots[ref] === undefined) this.size++;
    this.slots[ref] = s;
  }

  delete(ref: number): void {
    if (this.slots[ref] !== undefined) {
      this.slots[ref] = undefined;
      this.size--;
    }
  }

  *values(): IterableIterator<MemSeries> {
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s !== undefined) yield s;
    }
  }
}
