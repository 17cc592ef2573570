// Tails the head's WAL for one remote-write queue, as Prometheus' WAL watcher does: series
// records (from the newest checkpoint and every segment) map refs to labels, samples records
// from the queue's start position on are handed over with the position just after them, so
// the queue can record how far it has durably sent. The watcher polls; it never writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  REC_SAMPLES,
  REC_SERIES,
  SampleBatch,
  FLAG_SNAPPY,
  FLAG_ZSTD,
  decodeSamples,
  decodeSeries,
  listCheckpoints,
  listSegments,
  readRecordsFrom,
  segmentName,
} from '@promethium/tsdb-core';
import type { RefSeries } from '@promethium/tsdb-core';
import type { Logger } from '../log/logger.js';
import { snappyDecode } from '@promethium/tsdb-core';

/** A record as stored, decompressed (Prometheus compresses WAL records with Snappy by default). */
export function decompressRecord(rec: Uint8Array, flags: number): Uint8Array {
  if (flags === 0) return rec;
  if (flags === FLAG_SNAPPY) return snappyDecode(rec, 256 * 1024 * 1024);
  if (flags === FLAG_ZSTD) throw new Error('zstd-compressed WAL records are not supported; use snappy WAL compression');
  throw new Error(`unknown WAL compression flags ${flags}`);
}

export interface WalPosition {
  segment: number;
  offset: number;
}

export interface WalConsumer {
  /** Series definitions (from a checkpoint, an older segment or the tail). */
  storeSeries(series: RefSeries[], segment: number): void;
  /** Samples of one record; `end` is the position just after it. May apply backpressure. */
  appendSamples(batch: SampleBatch, end: WalPosition): Promise<void> | void;
  /** A record with nothing to send (series, tombstones, metadata) was read up to `end`. */
  skipped(end: WalPosition): void;
  /** Series no longer in the head after a checkpoint at `segment` may be forgotten. */
  seriesReset(checkpointSegment: number): void;
}

export interface WalWatcherOptions {
  walDir: string;
  /** Where to resume; undefined = from the current end of the WAL (what a new queue sends). */
  start: WalPosition | undefined;
  consumer: WalConsumer;
  logger: Logger;
  pollMs?: number;
  /** Most bytes read per step, bounding memory while catching up on a large segment. */
  readChunk?: number;
}

export class WalWatcher {
  private readonly opts: WalWatcherOptions;
  private readonly pollMs: number;
  private readonly readChunk: number;
  private stopped = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private readonly batch = new SampleBatch();
  private lastCheckpoint = -1;
  /** Samples the watcher skipped because their segment was gone before it got there. */
  lostSegments = 0;
  position: WalPosition = { segment: 0, offset: 0 };

  constructor(opts: WalWatcherOptions) {
    this.opts = opts;
    this.pollMs = opts.pollMs ?? 100;
    this.readChunk = opts.readChunk ?? 1 << 20;
  }

  start(): void {
    this.running ??= this.run().catch((e: unknown) => {
      this.opts.logger.error('WAL watcher failed', { err: (e as Error).message });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** Reads the series the queue needs before its start position, then tails. */
  private async run(): Promise<void> {
    const { walDir, logger } = this.opts;
    const cps = listCheckpoints(walDir);
    const cp = cps[cps.length - 1];
    if (cp) {
      this.lastCheckpoint = cp.index;
      for (const seg of listSegments(cp.dir)) this.readSeriesOnly(segmentName(cp.dir, seg), Infinity, cp.index);
    }
    const segs = listSegments(walDir);
    const first = segs[0] ?? 0;
    const last = segs[segs.length - 1] ?? 0;
    let start = this.opts.start ?? { segment: last, offset: fileSize(segmentName(walDir, last)) };
    if (start.segment > last) {
      logger.warn('Remote write progress marker is ahead of the WAL (data directory replaced?); starting at its end', { marker_segment: start.segment, last_segment: last });
      start = { segment: last, offset: 0 };
    } else if (start.segment < first) {
      this.lostSegments += first - start.segment;
      logger.warn('WAL segments the queue had not sent were already checkpointed away; samples in them are not sent', { from_segment: start.segment, first_segment: first });
      start = { segment: first, offset: 0 };
    }
    for (const seg of segs) {
      if (seg > start.segment) break;
      this.readSeriesOnly(segmentName(walDir, seg), seg === start.segment ? start.offset : Infinity, seg);
    }
    this.position = { ...start };
    await this.tail();
  }

  private readSeriesOnly(file: string, limit: number, segment: number): void {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    readRecordsFrom(limit < buf.length ? buf.subarray(0, limit) : buf, 0, (stored, _s, _e, flags) => {
      const rec = decompressRecord(stored, flags);
      if (rec[0] === REC_SERIES) this.opts.consumer.storeSeries(decodeSeries(rec), segment);
    });
  }

  private async tail(): Promise<void> {
    const { walDir, consumer, logger } = this.opts;
    let fd: number | undefined;
    let fdSegment = -1;
    let buf = Buffer.allocUnsafe(this.readChunk);
    try {
      while (!this.stopped) {
        const pos = this.position;
        if (fd === undefined || fdSegment !== pos.segment) {
          if (fd !== undefined) fs.closeSync(fd);
          fd = undefined;
          try {
            fd = fs.openSync(segmentName(walDir, pos.segment), 'r');
            fdSegment = pos.segment;
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
            // Checkpointed away before we got here, or not created yet.
            const segs = listSegments(walDir);
            const next = segs.find((s) => s > pos.segment);
            if (next !== undefined && (segs[0] ?? 0) > pos.segment) {
              this.lostSegments += next - pos.segment;
              logger.warn('WAL segment removed before the queue read it; skipping to the oldest one left', { segment: pos.segment, next });
              this.position = { segment: next, offset: 0 };
              continue;
            }
            await this.sleep();
            continue;
          }
        }
        // Looked up before reading: the writer finishes a segment before it creates the next,
        // so if a newer one exists now, what this read does not find will never come.
        const next = this.newerSegment(pos.segment);
        const n = fs.readSync(fd, buf, 0, buf.length, pos.offset);
        const recs: { rec: Uint8Array; end: number }[] = [];
        const r = n > 0 ? readRecordsFrom(buf.subarray(0, n), pos.offset, (rec, _s, end, flags) => recs.push({ rec: decompressRecord(rec, flags), end })) : { end: pos.offset };
        for (const { rec, end } of recs) {
          if (this.stopped) return;
          const at = { segment: pos.segment, offset: end };
          if (rec[0] === REC_SERIES) {
            consumer.storeSeries(decodeSeries(rec), pos.segment);
            consumer.skipped(at);
          } else if (rec[0] === REC_SAMPLES) {
            decodeSamples(rec, this.batch);
            await consumer.appendSamples(this.batch, at);
          } else {
            consumer.skipped(at);
          }
          this.position = at;
        }
        if (recs.length > 0) continue;
        if (n === buf.length && !('corrupt' in r && r.corrupt)) {
          // One record larger than the buffer.
          buf = Buffer.allocUnsafe(buf.length * 2);
          continue;
        }
        if (next !== undefined) {
          if ('corrupt' in r && r.corrupt) logger.error('WAL segment corrupt; the remote-write queue skips the rest of it', { segment: pos.segment, reason: r.corrupt });
          this.position = { segment: next, offset: 0 };
          consumer.skipped(this.position);
          continue;
        }
        this.checkCheckpoint();
        await this.sleep();
      }
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  private newerSegment(seg: number): number | undefined {
    return listSegments(this.opts.walDir).find((s) => s > seg);
  }

  /** A new checkpoint means the head dropped series; the queue may forget those it has not seen since. */
  private checkCheckpoint(): void {
    const cps = listCheckpoints(this.opts.walDir);
    const cp = cps[cps.length - 1];
    if (!cp || cp.index <= this.lastCheckpoint) return;
    this.lastCheckpoint = cp.index;
    try {
      for (const seg of listSegments(cp.dir)) this.readSeriesOnly(segmentName(cp.dir, seg), Infinity, cp.index);
    } catch (e) {
      // Removed again by a newer checkpoint meanwhile: the next poll reads that one.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return;
    }
    this.opts.consumer.seriesReset(cp.index);
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, this.pollMs);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Wakes a sleeping watcher (e.g. after a commit), so tests and low intervals need not wait for the poll. */
  poke(): void {
    this.wake?.();
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function walDirOf(dataDir: string): string {
  return path.join(dataDir, 'wal');
}
