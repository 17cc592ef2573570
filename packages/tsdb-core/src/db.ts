// The database: a locked directory holding the head, its WAL, and (through BlockStore, the
// extension point the block layer implements) persisted blocks. Appends go to the head;
// queries merge head and blocks; when the head spans 1.5 chunk ranges its oldest range is
// written as a block and the head and WAL are truncated, as Prometheus does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileBlockStore } from './block/store.js';
import { DEFAULT_CHUNK_RANGE, Head } from './head/head.js';
import { writeHeadSnapshot } from './head/snapshot.js';
import type { TSDBStats } from './head/stats.js';
import { DirLock } from './lock.js';
import { type Logger, stderrLogger } from './logger.js';
import { MergeQuerier } from './querier/merge.js';
import type { Matcher } from './matcher.js';
import type { RetentionOptions } from './retention.js';
import type { Appendable, Appender, Querier, Queryable } from './storage.js';
import type { Labels } from './labels.js';
import type { RefMetadata, Tombstone, WALMetricType } from './wal/records.js';
import { WAL, type ReplayProgress, type ReplayStats } from './wal/wal.js';
import type { WALSyncMode } from './wal/writer.js';

/** What the DB needs from the block layer (on-disk blocks, compaction, retention). */
export interface BlockStore {
  /** End (exclusive) of the newest persisted block; -Infinity when there is none. */
  maxTime(): number;
  /** Writes the head's samples in [mint, maxt) as a new block. */
  writeBlock(head: Head, mint: number, maxt: number): Promise<void>;
  /** A querier over the blocks overlapping [mint, maxt], or undefined when none do. */
  querier(mint: number, maxt: number): Querier | undefined;
  /** Optional: compaction and retention after a new block was written. */
  compact?(): Promise<void>;
  /** Optional: tombstones [mint, maxt] of the matching series in every block. */
  delete?(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number>;
  /** Optional: rewrites blocks without their deleted data. */
  cleanTombstones?(): Promise<void>;
  /** Optional: copies the blocks (and the head's data as a block, given the head) into dst. */
  snapshot?(dst: string, head?: Head): Promise<string[]>;
  close(): Promise<void>;
}

export interface DBOptions {
  /** Head chunk range and block duration in ms (Prometheus' min block duration), 2 h by default. */
  chunkRange?: number;
  samplesPerChunk?: number;
  walSegmentSize?: number;
  /** 'commit' (default): a commit resolves after fsync; 'none': after write(2) only. */
  walSync?: WALSyncMode;
  /**
   * Group commit window in ms for walSync 'commit' (default 0): commits within it share one
   * fdatasync, and each still resolves only after its data was fsynced.
   */
  walSyncDelayMs?: number;
  /** 'snappy': compress WAL records as Prometheus does by default; 'none' (default) writes them plain. Both are read. */
  walCompression?: 'none' | 'snappy';
  logger?: Logger;
  /**
   * Opens the block layer for the directory. Default: Prometheus-format blocks on disk
   * (FileBlockStore) with compaction and `retention`. `false`: no blocks, the head keeps everything.
   */
  blocks?: false | ((dir: string, logger: Logger) => Promise<BlockStore>);
  /** Retention by time and size for the default block layer. */
  retention?: RetentionOptions;
  /** How often to check whether the head should be persisted, in ms (default 60 s; 0 disables). */
  compactionInterval?: number;
  /**
   * WAL replay progress during open() (after each segment; open() yields to the event loop
   * between segments, so HTTP can be served meanwhile). Each segment is also logged.
   */
  onReplayProgress?: (p: ReplayProgress) => void;
  /** Write a head snapshot on close() for a fast restart (default true). */
  headSnapshot?: boolean;
}

export class DB implements Queryable, Appendable {
  readonly dir: string;
  readonly head: Head;
  readonly wal: WAL;
  readonly blocks: BlockStore | undefined;
  private readonly lock: DirLock;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private compacting: Promise<void> | undefined;
  private closed = false;
  private snapshotOnClose = true;

  private constructor(dir: string, head: Head, wal: WAL, lock: DirLock, blocks: BlockStore | undefined, logger: Logger) {
    this.dir = dir;
    this.head = head;
    this.wal = wal;
    this.lock = lock;
    this.blocks = blocks;
    this.logger = logger;
  }

  static async open(dir: string, options: DBOptions = {}): Promise<DB> {
    const logger = options.logger ?? stderrLogger;
    fs.mkdirSync(dir, { recursive: true });
    const lock = DirLock.acquire(dir, logger);
    try {
      // A snapshot interrupted before its rename is incomplete by construction.
      for (const name of fs.readdirSync(dir)) {
        if (/^head_snapshot\.\d+\.tmp$/.test(name)) fs.rmSync(path.join(dir, name), { force: true });
      }
      const factory = options.blocks === undefined ? fileBlockStore({ retention: options.retention }) : options.blocks;
      const blocks = factory ? await factory(dir, logger) : undefined;
      const head = new Head({ chunkRange: options.chunkRange ?? DEFAULT_CHUNK_RANGE, samplesPerChunk: options.samplesPerChunk });
      if (blocks) head.minValidTime = blocks.maxTime();
      const wal = await WAL.openAsync(path.join(dir, 'wal'), head, {
        logger,
        segmentSize: options.walSegmentSize,
        syncMode: options.walSync,
        syncDelayMs: options.walSyncDelayMs,
        compression: options.walCompression,
        onReplayProgress: (p) => {
          // Worded as Prometheus' head.go logs it.
          if (p.phase === 'segment') logger.info('WAL segment loaded', { segment: p.segment, maxSegment: p.maxSegment, samples: p.samples });
          else if (p.phase === 'checkpoint') logger.info('WAL checkpoint loaded', { segment: p.segment });
          options.onReplayProgress?.(p);
        },
      });
      const st = wal.replayStats;
      logger.info('WAL replay completed', {
        series: head.numSeries,
        snapshot: st.snapshot,
        samples: st.samples,
        segments: st.segments,
        checkpoint: st.checkpoint,
        duration_ms: Math.round(st.durationMs),
      });
      const db = new DB(dir, head, wal, lock, blocks, logger);
      db.snapshotOnClose = options.headSnapshot ?? true;
      const every = options.compactionInterval ?? 60_000;
      if (blocks && every > 0) {
        db.timer = setInterval(() => void db.compact().catch((e: unknown) => db.logCompactionError(e)), every);
        db.timer.unref();
      }
      return db;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  private logCompactionError(e: unknown): void {
    this.logger.error('compaction failed', { err: (e as Error).message });
  }

  get replayStats(): ReplayStats {
    return this.wal.replayStats;
  }

  appender(): Appender {
    if (this.closed) throw new Error('DB is closed');
    return this.head.appender();
  }

  querier(mint: number, maxt: number): Querier {
    if (this.closed) throw new Error('DB is closed');
    const qs: Querier[] = [];
    // The head first: on a timestamp present in both, its (newer) sample wins.
    qs.push(this.head.querier(mint, maxt));
    const bq = this.blocks?.querier(mint, maxt);
    if (bq) qs.push(bq);
    return qs.length === 1 ? qs[0]! : new MergeQuerier(qs);
  }

  stats(limit = 10): TSDBStats {
    return this.head.stats(limit);
  }

  /** True when the head spans more than 1.5 chunk ranges, so its oldest range can become a block. */
  headCompactable(): boolean {
    const h = this.head;
    return h.maxTime !== -Infinity && h.maxTime - h.minTime > (h.chunkRange * 3) / 2;
  }

  /** Persists full chunk ranges of the head as blocks, then truncates head and WAL. */
  compact(): Promise<void> {
    this.compacting ??= this.doCompact().finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  private async doCompact(): Promise<void> {
    const blocks = this.blocks;
    if (!blocks) return;
    let wrote = false;
    while (!this.closed && this.headCompactable()) {
      const range = this.head.chunkRange;
      const mint = Math.floor(this.head.minTime / range) * range;
      const maxt = mint + range;
      // From here on nothing may be appended into the range being persisted.
      if (maxt > this.head.minValidTime) this.head.minValidTime = maxt;
      await blocks.writeBlock(this.head, mint, maxt);
      this.truncateHead(maxt);
      wrote = true;
    }
    if (wrote && blocks.compact) await blocks.compact();
  }

  /** Drops head data before mint (now persisted) and checkpoints the WAL. */
  truncateHead(mint: number): void {
    const deleted = this.head.truncate(mint);
    const cp = this.wal.checkpoint(this.head);
    this.logger.info('head truncated', { mint, deleted_series: deleted.length, checkpoint: cp.index });
  }

  /**
   * Deletes the matching series' samples in [mint, maxt] (the admin delete_series API):
   * tombstones in the head (WAL-logged first) and in every overlapping block.
   */
  async delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
    if (this.closed) throw new Error('DB is closed');
    const stones: Tombstone[] = [];
    for (const s of this.head.seriesFor(matchers)) {
      if (s.logged && s.maxT >= mint && s.minTime() <= maxt) stones.push({ ref: s.ref, mint, maxt });
    }
    if (stones.length > 0) {
      this.wal.logTombstones(stones);
      await this.wal.sync();
      for (const st of stones) {
        let list = this.head.tombstones.get(st.ref);
        if (!list) this.head.tombstones.set(st.ref, (list = []));
        list.push({ mint, maxt });
      }
    }
    const inBlocks = (await this.blocks?.delete?.(mint, maxt, matchers)) ?? 0;
    return stones.length + inBlocks;
  }

  /**
   * Records metric metadata (type, unit, help) for existing series, WAL-logged when it changed,
   * as Prometheus' scrape loop does. Returns how many series got new metadata.
   */
  async updateMetadata(entries: readonly { labels: Labels; type: WALMetricType; unit: string; help: string }[]): Promise<number> {
    if (this.closed) throw new Error('DB is closed');
    const changed: RefMetadata[] = [];
    for (const e of entries) {
      const s = this.head.getByLabels(e.labels);
      if (!s || !s.logged) continue;
      const old = this.head.metadata.get(s.ref);
      if (old && old.type === e.type && old.unit === e.unit && old.help === e.help) continue;
      changed.push({ ref: s.ref, type: e.type, unit: e.unit, help: e.help });
    }
    if (changed.length === 0) return 0;
    this.wal.logMetadata(changed);
    await this.wal.sync();
    for (const m of changed) this.head.metadata.set(m.ref, { type: m.type, unit: m.unit, help: m.help });
    return changed.length;
  }

  /** Rewrites blocks without deleted data (head tombstones apply when the head is persisted). */
  async cleanTombstones(): Promise<void> {
    await this.blocks?.cleanTombstones?.();
  }

  /** Snapshot into dst: blocks hard-linked, plus the head as a block unless skipHead. */
  async snapshot(dst: string, skipHead = false): Promise<string[]> {
    if (!this.blocks?.snapshot) throw new Error('snapshot needs the block layer; this DB was opened with blocks: false');
    return this.blocks.snapshot(dst, skipHead ? undefined : this.head);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.compacting;
    this.closed = true;
    try {
      if (this.snapshotOnClose && this.head.numSeries > 0) {
        const started = performance.now();
        try {
          const snap = writeHeadSnapshot(this.dir, this.head, this.wal.cutSegment());
          this.logger.info('head snapshot written', {
            file: snap.file,
            series: snap.series,
            bytes: snap.bytes,
            duration_ms: Math.round(performance.now() - started),
          });
        } catch (e) {
          // The WAL alone is complete: a failed snapshot only costs a slower start.
          this.logger.warn('head snapshot failed', { err: (e as Error).message });
        }
      }
      await this.wal.close();
      await this.blocks?.close();
    } finally {
      this.lock.release();
    }
  }
}

/** Opens (or creates) the database in dir: lock, blocks, WAL replay. */
export function openDB(dir: string, options: DBOptions = {}): Promise<DB> {
  return DB.open(dir, options);
}
