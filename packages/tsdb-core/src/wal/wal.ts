// The head's write-ahead log: replays checkpoint + segments into a head on open (repairing a
// damaged tail by truncation), logs every commit before it is applied, and checkpoints when
// the head is truncated so the WAL only holds what the head still needs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XORIterator } from '../chunkenc/xor.js';
import type { Head, HeadWAL } from '../head/head.js';
import type { MemSeries } from '../head/series.js';
import { type Logger, stderrLogger } from '../logger.js';
import { SnapshotError, listHeadSnapshots, readHeadSnapshotSteps } from '../head/snapshot.js';
import { readSegment } from './reader.js';
import {
  REC_METADATA,
  REC_SAMPLES,
  REC_SERIES,
  REC_TOMBSTONES,
  RecordEncoder,
  WALRecordError,
  type RefMetadata,
  type Tombstone,
  decodeMetadata,
  decodeSeries,
  decodeTombstones,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
} from './records.js';
import { checkpointName, listCheckpoints, listSegments, segmentName, syncDir } from './segments.js';
import { WALWriter, type WALWriterOptions } from './writer.js';

export interface WALOptions extends WALWriterOptions {
  logger?: Logger;
  /** Called as replay goes: once at the start, after each checkpoint and WAL segment, and at the end. */
  onReplayProgress?: (p: ReplayProgress) => void;
}

/** Where WAL replay stands (Prometheus reports the same through /api/v1/status/walreplay). */
export interface ReplayProgress {
  /** 'start' before the first segment; 'checkpoint' / 'segment' after one was loaded; 'done' at the end. */
  phase: 'start' | 'checkpoint' | 'segment' | 'done';
  /** The segment just loaded (checkpoint segment index within the checkpoint for 'checkpoint'). */
  segment: number;
  /** First and last WAL segment to replay (min > max when there is none). */
  minSegment: number;
  maxSegment: number;
  records: number;
  series: number;
  samples: number;
  elapsedMs: number;
}

export interface ReplayStats {
  checkpoint: number | undefined;
  /** WAL segment of the head snapshot loaded instead of the checkpoint and older segments. */
  snapshot: number | undefined;
  segments: number;
  records: number;
  series: number;
  samples: number;
  /** Samples whose series record was missing. */
  unknownRefs: number;
  /** Set when a damaged tail was cut off. */
  repaired: { segment: number; offset: number; reason: string; deletedSegments: number } | undefined;
  durationMs: number;
}

export class WAL implements HeadWAL {
  readonly dir: string;
  private readonly writer: WALWriter;
  private readonly logger: Logger;
  private readonly options: WALOptions;
  private readonly seriesEnc = new RecordEncoder();
  private readonly samplesEnc = new RecordEncoder();
  private readonly extraEnc = new RecordEncoder();
  readonly replayStats: ReplayStats;

  private constructor(dir: string, writer: WALWriter, options: WALOptions, stats: ReplayStats) {
    this.dir = dir;
    this.writer = writer;
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
    this.replayStats = stats;
  }

  /** Replays dir into head, repairs a damaged tail, and opens a new segment for writing. */
  static open(dir: string, head: Head, options: WALOptions = {}): WAL {
    const steps = WAL.replaySteps(dir, head, options);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return WAL.finishOpen(dir, head, options, r.value);
  }

  /**
   * As open(), but yields to the event loop after every segment, so a server can answer
   * HTTP (readiness, replay progress) while a large WAL replays.
   */
  static async openAsync(dir: string, head: Head, options: WALOptions = {}): Promise<WAL> {
    const steps = WAL.replaySteps(dir, head, options);
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) return WAL.finishOpen(dir, head, options, r.value);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private static replaySteps(dir: string, head: Head, options: WALOptions): Generator<void, ReplayStats> {
    fs.mkdirSync(dir, { recursive: true });
    const logger = options.logger ?? stderrLogger;
    // A checkpoint interrupted before its rename is incomplete by construction.
    for (const name of fs.readdirSync(dir)) {
      if (/^checkpoint\.\d+\.tmp$/.test(name)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
    return replay(dir, head, logger, options.onReplayProgress);
  }

  private static finishOpen(dir: string, head: Head, options: WALOptions, stats: ReplayStats): WAL {
    const segs = listSegments(dir);
    const next = Math.max(segs.length > 0 ? segs[segs.length - 1]! + 1 : 0, (stats.checkpoint ?? -1) + 1);
    const wal = new WAL(dir, new WALWriter(dir, next, options), options, stats);
    head.wal = wal;
    return wal;
  }

  log(newSeries: readonly MemSeries[], series: readonly MemSeries[], ts: Float64Array, vs: Float64Array, n: number): void {
    const recs: Uint8Array[] = [];
    if (newSeries.length > 0) {
      this.seriesEnc.reset();
      encodeSeries(this.seriesEnc, newSeries);
      recs.push(this.seriesEnc.bytes());
    }
    if (n > 0) {
      this.samplesEnc.reset();
      encodeSamples(this.samplesEnc, n, (i) => series[i]!.ref, ts, vs);
      recs.push(this.samplesEnc.bytes());
    }
    if (recs.length > 0) this.writer.log(...recs);
  }

  logTombstones(stones: readonly Tombstone[]): void {
    this.extraEnc.reset();
    encodeTombstones(this.extraEnc, stones);
    this.writer.log(this.extraEnc.bytes());
  }

  logMetadata(metas: readonly RefMetadata[]): void {
    this.extraEnc.reset();
    encodeMetadata(this.extraEnc, metas);
    this.writer.log(this.extraEnc.bytes());
  }

  /** fdatasync calls made for commits so far (a group commit window makes them fewer). */
  get syncCount(): number {
    return this.writer.syncCount;
  }

  sync(urgent = false): Promise<void> {
    return this.writer.sync(urgent);
  }

  segment(): number {
    return this.writer.segment();
  }

  /** Closes the current segment and starts the next; returns the index of the closed one. */
  cutSegment(): number {
    return this.writer.nextSegment() - 1;
  }

  /**
   * Called after head.truncate(): starts a new segment, writes everything the head still holds
   * to checkpoint.<last segment>, then deletes the covered segments and older checkpoints.
   */
  checkpoint(head: Head): { index: number; series: number; samples: number } {
    const last = this.writer.nextSegment() - 1;
    const final = checkpointName(this.dir, last);
    const tmp = `${final}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const w = new WALWriter(tmp, 0, { segmentSize: this.options.segmentSize, syncMode: 'commit', compression: this.options.compression });
    const enc = new RecordEncoder();
    const batch: MemSeries[] = [];
    let nSeries = 0;
    const flushSeries = (): void => {
      if (batch.length === 0) return;
      enc.reset();
      encodeSeries(enc, batch);
      w.log(enc.bytes());
      nSeries += batch.length;
      batch.length = 0;
    };
    for (const s of head.allSeries()) {
      if (!s.logged) continue;
      batch.push(s);
      if (batch.length === 5000) flushSeries();
    }
    flushSeries();
    // Samples, decoded from the head's chunks, in records of up to 10k.
    const cap = 10_000;
    const refs = new Float64Array(cap);
    const ts = new Float64Array(cap);
    const vs = new Float64Array(cap);
    let n = 0;
    let nSamples = 0;
    const flushSamples = (): void => {
      if (n === 0) return;
      enc.reset();
      encodeSamples(enc, n, (i) => refs[i]!, ts, vs);
      w.log(enc.bytes());
      nSamples += n;
      n = 0;
    };
    for (const s of head.allSeries()) {
      if (!s.logged) continue;
      for (const c of s.chunks(-Infinity, Infinity)) {
        const it = iterateChunk(c.bytes, c.numSamples);
        while (it.next()) {
          refs[n] = s.ref;
          ts[n] = it.at();
          vs[n] = it.value();
          if (++n === cap) flushSamples();
        }
      }
    }
    flushSamples();
    const stones: Tombstone[] = [];
    for (const [ref, ivs] of head.tombstones) for (const iv of ivs) stones.push({ ref, ...iv });
    if (stones.length > 0) {
      enc.reset();
      encodeTombstones(enc, stones);
      w.log(enc.bytes());
    }
    const metas: RefMetadata[] = [];
    for (const [ref, m] of head.metadata) metas.push({ ref, type: m.type as RefMetadata['type'], unit: m.unit, help: m.help });
    if (metas.length > 0) {
      enc.reset();
      encodeMetadata(enc, metas);
      w.log(enc.bytes());
    }
    w.closeSyncAfterFsync();
    syncDir(tmp);
    fs.renameSync(tmp, final);
    syncDir(this.dir);
    // Only now is the older state redundant.
    for (const seg of listSegments(this.dir)) if (seg <= last) fs.rmSync(segmentName(this.dir, seg), { force: true });
    for (const cp of listCheckpoints(this.dir)) if (cp.index < last) fs.rmSync(cp.dir, { recursive: true, force: true });
    for (const snap of listHeadSnapshots(path.dirname(this.dir))) if (snap.segment <= last) fs.rmSync(snap.file, { force: true });
    this.logger.info('WAL checkpoint complete', { checkpoint: path.basename(final), series: nSeries, samples: nSamples });
    return { index: last, series: nSeries, samples: nSamples };
  }

  async close(): Promise<void> {
    await this.writer.close();
  }

  closeSync(): void {
    this.writer.closeSync();
  }
}

function iterateChunk(bytes: Uint8Array, n: number): XORIterator {
  const it = new XORIterator();
  it.reset(bytes, n);
  return it;
}

/**
 * Applies replayed records to the head. Samples are buffered and applied grouped by series
 * (a stable counting sort by ref): the WAL interleaves all series at every timestamp, and
 * touching a million series objects in that order is one cache miss per sample.
 */
const TWO32 = 4294967296;

class RecordApplier {
  private refs = new Int32Array(1 << 16);
  private ts = new Float64Array(1 << 16);
  private vs = new Float64Array(1 << 16);
  private sortedTs = new Float64Array(1 << 16);
  private sortedVs = new Float64Array(1 << 16);
  private sortedRefs = new Int32Array(1 << 16);
  private counts = new Int32Array(1024);
  private n = 0;
  series = 0;
  samples = 0;
  unknownRefs = 0;
  records = 0;

  constructor(private readonly head: Head) {}

  /**
   * Grows the buffer while it holds fewer than ~8 samples per series (up to 8M samples,
   * 320 MB with the sort copies), so each flush touches every series several times in a row.
   */
  private makeRoom(need: number): void {
    const cap = this.refs.length;
    if (cap >= 1 << 23 || cap >= this.head.numSeries * 8) {
      this.flush();
      if (need <= cap) return;
    }
    // Straight to the final size when the series count says what it is: every step of a
    // doubling would be another large external allocation, and V8 answers those with full GCs.
    let next = cap * 2;
    while (next < this.head.numSeries * 8 && next < 1 << 23) next *= 2;
    while (next < this.n + need) next *= 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T, keep: boolean): T => {
      const b = make(next);
      if (keep) b.set(a.subarray(0, this.n));
      return b;
    };
    this.refs = grow(this.refs, (n) => new Int32Array(n), true);
    this.ts = grow(this.ts, (n) => new Float64Array(n), true);
    this.vs = grow(this.vs, (n) => new Float64Array(n), true);
    this.sortedRefs = new Int32Array(next);
    this.sortedTs = new Float64Array(next);
    this.sortedVs = new Float64Array(next);
  }

  /** Applies the buffered samples, series by series, each in WAL order. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const { refs, ts, vs, sortedTs, sortedVs, sortedRefs } = this;
    let maxRef = 0;
    for (let i = 0; i < n; i++) if (refs[i]! > maxRef) maxRef = refs[i]!;
    if (this.counts.length < maxRef + 2) this.counts = new Int32Array(maxRef + 2);
    const counts = this.counts;
    counts.fill(0, 0, maxRef + 2);
    for (let i = 0; i < n; i++) counts[refs[i]! + 1]!++;
    for (let r = 1; r <= maxRef + 1; r++) counts[r]! += counts[r - 1]!;
    for (let i = 0; i < n; i++) {
      const j = counts[refs[i]!]!++;
      sortedRefs[j] = refs[i]!;
      sortedTs[j] = ts[i]!;
      sortedVs[j] = vs[i]!;
    }
    const head = this.head;
    let last: MemSeries | undefined;
    let lastRef = -1;
    for (let j = 0; j < n; j++) {
      const ref = sortedRefs[j]!;
      if (ref !== lastRef) {
        last = head.getByRef(ref);
        lastRef = ref;
      }
      if (last === undefined) {
        this.unknownRefs++;
        continue;
      }
      head.applySampleAt(last, sortedTs, sortedVs, j);
    }
    this.n = 0;
  }

  /**
   * Decodes a samples record straight into the sort buffer (no intermediate batch). Layout:
   * BE64 ref0, BE64 t0, then per sample varint dref, varint dt, BE64 float bits.
   */
  private applySamples(rec: Uint8Array): void {
    const len = rec.length;
    if (len === 1) return;
    if (len < 17) throw new WALRecordError('truncated samples record header', 1);
    const view = new DataView(rec.buffer, rec.byteOffset, len);
    const ref0 = view.getInt32(1) * TWO32 + view.getUint32(5);
    const t0 = view.getInt32(9) * TWO32 + view.getUint32(13);
    // Refs no series record introduced are dropped here, which also bounds the sort's table.
    const maxRef = this.head.lastSeriesRef;
    // Room for the whole record first (a sample takes at least 10 bytes), so a record that
    // fails to decode half-way leaves nothing behind: reset n to where it started.
    const most = Math.ceil((len - 17) / 10);
    if (this.n + most > this.refs.length) this.makeRoom(most);
    const start = this.n;
    try {
      this.decodeSamplesInto(rec, view, ref0, t0, maxRef);
    } catch (e) {
      this.n = start;
      throw e;
    }
  }

  private decodeSamplesInto(rec: Uint8Array, view: DataView, ref0: number, t0: number, maxRef: number): void {
    const len = rec.length;
    let p = 17;
    let n = 0;
    while (p < len) {
      // Two zig-zag varints; the common case is one or two bytes each.
      let u = 0;
      let mul = 1;
      let b: number;
      do {
        if (p >= len) throw new WALRecordError('truncated varint', p);
        b = rec[p++]!;
        u += (b & 0x7f) * mul;
        mul *= 0x80;
      } while (b >= 0x80 && mul < 2 ** 70);
      if (b >= 0x80) throw new WALRecordError('varint overflows 64 bits', p);
      const ref = ref0 + (u % 2 === 0 ? u / 2 : -(u + 1) / 2);
      u = 0;
      mul = 1;
      do {
        if (p >= len) throw new WALRecordError('truncated varint', p);
        b = rec[p++]!;
        u += (b & 0x7f) * mul;
        mul *= 0x80;
      } while (b >= 0x80 && mul < 2 ** 70);
      if (b >= 0x80) throw new WALRecordError('varint overflows 64 bits', p);
      if (p + 8 > len) throw new WALRecordError('truncated float', p);
      n++;
      if (!(ref >= 1 && ref <= maxRef)) {
        this.unknownRefs++;
        p += 8;
        continue;
      }
      const k = this.n++;
      this.refs[k] = ref;
      this.ts[k] = t0 + (u % 2 === 0 ? u / 2 : -(u + 1) / 2);
      this.vs[k] = view.getFloat64(p);
      p += 8;
    }
    this.samples += n;
  }

  apply = (rec: Uint8Array): void => {
    if (rec.length === 0) throw new Error('empty record');
    this.records++;
    const head = this.head;
    switch (rec[0]) {
      case REC_SERIES:
        for (const s of decodeSeries(rec)) {
          head.createWithRef(s.ref, s.labels).logged = true;
          this.series++;
        }
        break;
      case REC_SAMPLES:
        this.applySamples(rec);
        break;
      case REC_TOMBSTONES:
        for (const t of decodeTombstones(rec)) {
          let list = head.tombstones.get(t.ref);
          if (!list) head.tombstones.set(t.ref, (list = []));
          list.push({ mint: t.mint, maxt: t.maxt });
        }
        break;
      case REC_METADATA:
        for (const m of decodeMetadata(rec)) head.metadata.set(m.ref, { type: m.type, unit: m.unit, help: m.help });
        break;
      default:
        // Exemplars, histograms, mmap markers: valid Prometheus records this head does not keep.
        break;
    }
  };
}

/**
 * Reads segment files into one reused buffer. A fresh 128 MiB buffer per segment is external
 * memory V8 accounts for: every 64 MiB of it starts a full garbage collection of the whole
 * (growing) head. Records handed to the applier are views of this buffer, valid during the call.
 */
class SegmentFileReader {
  private buf: Buffer = Buffer.alloc(0);

  read(file: string): Uint8Array {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (this.buf.length < size) this.buf = Buffer.allocUnsafe(Math.max(size, Math.min(this.buf.length * 2, 256 * 1024 * 1024)));
      let off = 0;
      while (off < size) {
        const n = fs.readSync(fd, this.buf, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      return this.buf.subarray(0, off);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function* replay(
  dir: string,
  head: Head,
  logger: Logger,
  onProgress: ((p: ReplayProgress) => void) | undefined,
): Generator<void, ReplayStats> {
  const started = performance.now();
  const applier = new RecordApplier(head);
  const reader = new SegmentFileReader();
  const stats: ReplayStats = {
    checkpoint: undefined,
    snapshot: undefined,
    segments: 0,
    records: 0,
    series: 0,
    samples: 0,
    unknownRefs: 0,
    repaired: undefined,
    durationMs: 0,
  };
  const cps = listCheckpoints(dir);
  const cp = cps[cps.length - 1];
  let base = cp ? cp.index : -1;
  // A head snapshot newer than the checkpoint replaces it and the segments it covers.
  const snaps = listHeadSnapshots(path.dirname(dir));
  const snap = snaps[snaps.length - 1];
  let loaded = false;
  if (snap && snap.segment > base) {
    try {
      // Yields between batches of series, so openAsync keeps the event loop going here too.
      yield* readHeadSnapshotSteps(snap.file, head);
      loaded = true;
      base = snap.segment;
      stats.snapshot = snap.segment;
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      logger.warn('head snapshot unusable, replaying the WAL instead', { file: snap.file, err: e.message });
      fs.rmSync(snap.file, { force: true });
    }
  }
  const segs = listSegments(dir).filter((s) => s > base);
  const minSegment = segs[0] ?? base + 1;
  const maxSegment = segs[segs.length - 1] ?? base;
  const progress = (phase: ReplayProgress['phase'], segment: number): void => {
    onProgress?.({
      phase,
      segment,
      minSegment,
      maxSegment,
      records: applier.records,
      series: applier.series,
      samples: applier.samples,
      elapsedMs: performance.now() - started,
    });
  };
  progress('start', minSegment);
  yield;
  if (cp && !loaded) {
    stats.checkpoint = cp.index;
    for (const seg of listSegments(cp.dir)) {
      const file = segmentName(cp.dir, seg);
      const damage = readSegment(reader.read(file), applier.apply, file);
      // A checkpoint is fsynced before its rename: damage there is disk corruption, not a torn write.
      if (damage) {
        throw new Error(
          `WAL checkpoint ${file} is corrupt at byte ${damage.offset} (${damage.reason}); move ${cp.dir} away to start without it`,
        );
      }
      progress('checkpoint', seg);
      yield;
    }
  }
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const file = segmentName(dir, seg);
    const damage = readSegment(reader.read(file), applier.apply, file);
    stats.segments++;
    if (damage) {
      fs.truncateSync(file, damage.offset);
      const later = segs.slice(i + 1);
      for (const s of later) fs.rmSync(segmentName(dir, s), { force: true });
      stats.repaired = { segment: seg, offset: damage.offset, reason: damage.reason, deletedSegments: later.length };
      logger.warn('WAL damaged: truncated at the last good record', {
        file,
        offset: damage.offset,
        reason: damage.reason,
        deleted_segments: later.length,
        hint: 'samples after this point were not acknowledged or are lost; the database continues',
      });
      progress('segment', seg);
      break;
    }
    progress('segment', seg);
    yield;
  }
  applier.flush();
  stats.records = applier.records;
  stats.series = applier.series;
  stats.samples = applier.samples;
  stats.unknownRefs = applier.unknownRefs;
  if (applier.unknownRefs > 0) {
    logger.warn('WAL samples for unknown series dropped', { samples: applier.unknownRefs });
  }
  stats.durationMs = performance.now() - started;
  progress('done', maxSegment);
  return stats;
}
