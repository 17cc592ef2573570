// Public API of @promethium/tsdb-core.
export { Labels } from './labels.js';
export type { LabelPairs } from './labels.js';
export { Matcher } from './matcher.js';
export type { MatchType } from './matcher.js';
export { STALE_NAN, STALE_NAN_BITS, isStaleNaN } from './storage.js';
export type {
  Appendable,
  Appender,
  CommitOptions,
  Querier,
  Queryable,
  SampleIterator,
  SelectHints,
  Series,
  SeriesRef,
} from './storage.js';
export { BitReader, BitWriter } from './chunkenc/bstream.js';
export { ChunkFormatError, ENC_XOR, XORChunk, XORIterator } from './chunkenc/xor.js';
export { XORDecodeState, decodeXOR } from './chunkenc/xor-decode.js';
export type { ChunkAppender } from './chunkenc/xor.js';
export { AppendError, ERR_DUPLICATE_SAMPLE, ERR_OUT_OF_BOUNDS, ERR_OUT_OF_ORDER_SAMPLE } from './head/errors.js';
export type { AppendErrorKind } from './head/errors.js';
export { DEFAULT_CHUNK_RANGE, DEFAULT_SAMPLES_PER_CHUNK, Head, hashLabels } from './head/head.js';
export type { HeadOptions, HeadWAL } from './head/head.js';
export { MemPostings, intersect, merge, subtract } from './head/postings.js';
export type { Postings } from './head/postings.js';
export { MemSeries, computeChunkEndTime, rangeForTimestamp } from './head/series.js';
export type { ChunkView } from './head/series.js';
export type { Stat, TSDBStats } from './head/stats.js';
export { ChunkSeries, ChunksIterator } from './querier/chunk-series.js';
export { nopLogger, stderrLogger } from './logger.js';
export type { LogFields, Logger } from './logger.js';
export { crc32c } from './wal/crc32c.js';
export { WALUnsupportedError, readSegment } from './wal/reader.js';
export type { SegmentDamage } from './wal/reader.js';
export {
  METRIC_TYPES,
  REC_METADATA,
  REC_SAMPLES,
  REC_SERIES,
  REC_TOMBSTONES,
  RecordDecoder,
  RecordEncoder,
  SampleBatch,
  WALRecordError,
  decodeMetadata,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
} from './wal/records.js';
export type { RefMetadata, RefSeries, Tombstone, WALMetricType } from './wal/records.js';
export { DEFAULT_SEGMENT_SIZE, FLAG_SNAPPY, FLAG_ZSTD, PAGE_SIZE, listCheckpoints, listSegments, segmentName } from './wal/segments.js';
export { SnappyError, snappyDecode, snappyEncode } from './snappy/snappy.js';
export { WAL } from './wal/wal.js';
export type { ReplayProgress, ReplayStats, WALOptions } from './wal/wal.js';
export { WALWriter } from './wal/writer.js';
export type { WALSyncMode, WALWriterOptions } from './wal/writer.js';
export { DB, openDB } from './db.js';
export type { BlockStore, DBOptions } from './db.js';
export { DBLockedError, DirLock } from './lock.js';
export { MergeIterator, MergeQuerier } from './querier/merge.js';
export { HeadQuerier } from './head/querier.js';
export { HeadAppender } from './head/appender.js';
export * from './block/index.js';
export * from './compact/index.js';
export { applyRetention, blocksBeyondRetention } from './retention.js';
export type { RetentionOptions, SizedBlock } from './retention.js';
export { SnapshotError, listHeadSnapshots, readHeadSnapshot, readHeadSnapshotSteps, writeHeadSnapshot } from './head/snapshot.js';
export type { SnapshotRef } from './head/snapshot.js';
export type { Interval } from './querier/chunk-series.js';
export { readRecordsFrom } from './wal/tail.js';
export type { TailResult } from './wal/tail.js';
export { checkpointName } from './wal/segments.js';
export type { CheckpointRef } from './wal/segments.js';
