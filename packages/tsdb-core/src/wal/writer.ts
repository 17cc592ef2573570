// Appends records to WAL segments with Prometheus' framing: 32 KiB pages, each record split
// into fragments (full | first, middle..., last) that never cross a page, each with a 7-byte
// header (type, BE16 length, BE32 CRC-32C of the data). A page with fewer than 7 bytes left
// is zero-padded; a record never spans two segments. One log() call is one write(2): once it
// returns the data survives a kill -9, and sync() makes it survive a power cut too.
import * as fs from 'node:fs';
import { snappyEncode } from '../snappy/snappy.js';
import { crc32c } from './crc32c.js';
import {
  DEFAULT_SEGMENT_SIZE,
  FLAG_SNAPPY,
  FRAG_FIRST,
  FRAG_FULL,
  FRAG_LAST,
  FRAG_MIDDLE,
  PAGE_SIZE,
  RECORD_HEADER_SIZE,
  segmentName,
  syncDir,
} from './segments.js';

export type WALSyncMode = 'commit' | 'none';

export interface WALWriterOptions {
  /** Segment size in bytes, a multiple of 32 KiB; 128 MiB by default. */
  segmentSize?: number;
  /** 'commit' (default): sync() fsyncs; 'none': rely on the OS to write back (still kill -9 safe). */
  syncMode?: WALSyncMode;
  /** 'snappy': records are Snappy-compressed when that makes them smaller (Prometheus' --storage.tsdb.wal-compression). */
  compression?: 'none' | 'snappy';
  /**
   * Group commit window in ms (default 0). With N > 0, sync() does not start an fdatasync at once
   * but within N ms, and every sync() called meanwhile shares it. Each caller still resolves only
   * after an fdatasync that began after its data was written; only the acknowledgement waits.
   */
  syncDelayMs?: number;
}

export class WALWriter {
  readonly dir: string;
  private readonly pagesPerSegment: number;
  private readonly syncMode: WALSyncMode;
  private readonly compress: boolean;
  private readonly syncDelayMs: number;
  /** A group sync waiting for its window to end: callers of sync() meanwhile share it. */
  private delayed: { timer: NodeJS.Timeout; promise: Promise<void>; fire: () => void } | undefined;
  /** fdatasync calls issued by sync() (group commit shares them). */
  syncCount = 0;
  private fd: number;
  private index: number;
  private donePages = 0;
  private pageAlloc = 0;
  private out = new Uint8Array(64 * 1024);
  private outLen = 0;
  private inflight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private closed = false;
  /** Descriptors of finished segments, closed once no fsync is using them. */
  private retired: number[] = [];

  constructor(dir: string, index: number, options: WALWriterOptions = {}) {
    const size = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    if (size < PAGE_SIZE || size % PAGE_SIZE !== 0) {
      throw new Error(`WAL segment size ${size} must be a positive multiple of ${PAGE_SIZE}`);
    }
    this.dir = dir;
    this.pagesPerSegment = size / PAGE_SIZE;
    this.syncMode = options.syncMode ?? 'commit';
    this.compress = options.compression === 'snappy';
    const delay = options.syncDelayMs ?? 0;
    if (!Number.isFinite(delay) || delay < 0) throw new Error(`WAL sync delay ${delay} must be a finite number of ms >= 0`);
    this.syncDelayMs = delay;
    this.index = index;
    fs.mkdirSync(dir, { recursive: true });
    this.fd = fs.openSync(segmentName(dir, index), 'wx');
    this.syncNewFile();
  }

  /** A new segment's directory entry must be durable too, or a power cut could lose the file. */
  private syncNewFile(): void {
    if (this.syncMode === 'commit') syncDir(this.dir);
  }

  /** Index of the segment being written. */
  segment(): number {
    return this.index;
  }

  private reserve(n: number): void {
    if (this.outLen + n <= this.out.length) return;
    let cap = this.out.length * 2;
    while (cap < this.outLen + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.out.subarray(0, this.outLen));
    this.out = next;
  }

  private flushOut(): void {
    let off = 0;
    while (off < this.outLen) off += fs.writeSync(this.fd, this.out, off, this.outLen - off);
    this.outLen = 0;
  }

  private padPage(): void {
    const pad = PAGE_SIZE - this.pageAlloc;
    this.reserve(pad);
    this.out.fill(0, this.outLen, this.outLen + pad);
    this.outLen += pad;
    this.pageAlloc = 0;
    this.donePages++;
  }

  /** Writes the records in one write; throws on I/O errors (nothing is acknowledged then). */
  log(...records: Uint8Array[]): void {
    if (this.closed) throw new Error('WAL is closed');
    for (const rec of records) this.frame(rec);
    this.flushOut();
  }

  private frame(rec: Uint8Array): void {
    let flag = 0;
    if (this.compress && rec.length > 0) {
      // As Prometheus: the compressed form is only used when it is smaller.
      const c = snappyEncode(rec);
      if (c.length < rec.length) {
        rec = c;
        flag = FLAG_SNAPPY;
      }
    }
    const left =
      PAGE_SIZE - this.pageAlloc - RECORD_HEADER_SIZE + (PAGE_SIZE - RECORD_HEADER_SIZE) * (this.pagesPerSegment - this.donePages - 1);
    if (rec.length > left && (this.donePages > 0 || this.pageAlloc > 0)) {
      this.flushOut();
      this.rotate();
    }
    let off = 0;
    for (let i = 0; i === 0 || off < rec.length; i++) {
      const room = PAGE_SIZE - this.pageAlloc - RECORD_HEADER_SIZE;
      const l = Math.min(rec.length - off, room);
      const last = off + l === rec.length;
      const type = (i === 0 ? (last ? FRAG_FULL : FRAG_FIRST) : last ? FRAG_LAST : FRAG_MIDDLE) | flag;
      this.reserve(RECORD_HEADER_SIZE + l);
      const o = this.out;
      const p = this.outLen;
      const crc = crc32c(rec, off, off + l);
      o[p] = type;
      o[p + 1] = l >>> 8;
      o[p + 2] = l & 0xff;
      o[p + 3] = crc >>> 24;
      o[p + 4] = (crc >>> 16) & 0xff;
      o[p + 5] = (crc >>> 8) & 0xff;
      o[p + 6] = crc & 0xff;
      o.set(rec.subarray(off, off + l), p + RECORD_HEADER_SIZE);
      this.outLen = p + RECORD_HEADER_SIZE + l;
      this.pageAlloc += RECORD_HEADER_SIZE + l;
      off += l;
      // A record larger than a segment simply makes that segment longer, as in Prometheus.
      if (PAGE_SIZE - this.pageAlloc < RECORD_HEADER_SIZE) this.padPage();
    }
  }

  private rotate(): void {
    if (this.pageAlloc > 0) this.padPage();
    this.flushOut();
    if (this.syncMode === 'commit') fs.fsyncSync(this.fd);
    if (this.inflight) this.retired.push(this.fd);
    else fs.closeSync(this.fd);
    this.index++;
    this.fd = fs.openSync(segmentName(this.dir, this.index), 'wx');
    this.syncNewFile();
    this.donePages = 0;
    this.pageAlloc = 0;
  }

  /** Closes the current segment and starts the next one; returns the new segment's index. */
  nextSegment(): number {
    this.rotate();
    return this.index;
  }

  /**
   * Resolves once everything logged before the call is fsynced (concurrent callers share fsyncs).
   * `urgent` starts the sync now, taking any group waiting for its window along.
   */
  sync(urgent = false): Promise<void> {
    if (this.syncMode === 'none' || this.closed) return Promise.resolve();
    if (urgent) return this.flushDelayed() ?? this.syncNow();
    if (this.syncDelayMs === 0) return this.syncNow();
    if (this.delayed) return this.delayed.promise;
    let fire!: () => void;
    const promise = new Promise<void>((resolve, reject) => {
      fire = () => {
        if (this.delayed?.promise !== promise) return;
        clearTimeout(this.delayed.timer);
        this.delayed = undefined;
        // Started after every write of the callers that joined this group.
        this.syncNow().then(resolve, reject);
      };
    });
    this.delayed = { timer: setTimeout(fire, this.syncDelayMs), promise, fire };
    return promise;
  }

  /** Starts the waiting group sync now (close() does not wait out the window). */
  private flushDelayed(): Promise<void> | undefined {
    const d = this.delayed;
    if (!d) return undefined;
    d.fire();
    return d.promise;
  }

  private syncNow(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.inflight) {
      this.syncCount++;
      const fd = this.fd;
      this.inflight = new Promise<void>((resolve, reject) => {
        fs.fdatasync(fd, (err) => {
          this.inflight = undefined;
          for (const r of this.retired.splice(0)) fs.closeSync(r);
          if (err) reject(err);
          else resolve();
        });
      });
      return this.inflight;
    }
    // An fsync is running and may predate our write: wait for it, then run one more.
    this.queued ??= this.inflight.then(
      () => {
        this.queued = undefined;
        return this.syncNow();
      },
      () => {
        this.queued = undefined;
        return this.syncNow();
      },
    );
    return this.queued;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushDelayed();
    await this.syncNow();
    await this.queued;
    this.closed = true;
    if (this.syncMode === 'commit') fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    for (const r of this.retired.splice(0)) fs.closeSync(r);
  }

  /** fsyncs and closes synchronously (checkpoints, which must be durable before their rename). */
  closeSyncAfterFsync(): void {
    if (this.closed) return;
    this.closed = true;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  /** Closes without waiting (used when the process is going down anyway). */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
