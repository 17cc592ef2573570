// Public API of @promethium/tsdb-core.
export { Labels } from './labels.js';
export type { LabelPairs } from './labels.js';
export { Matcher } from './matcher.js';
export type { MatchType } from './matcher.js';
export { STALE_NAN, STALE_NAN_BITS, isStaleNaN } from './storage.js';
export type {
  Appendable,
  Appender,
  Querier,
  Queryable,
  SampleIterator,
  SelectHints,
  Series,
  SeriesRef,
} from './storage.js';
export { BitReader, BitWriter } from './chunkenc/bstream.js';
export { ChunkFormatError, ENC_XOR, XORChunk, XORIterator } from './chunkenc/xor.js';
export type { ChunkAppender } from './chunkenc/xor.js';
export * from './block/index.js';
export * from './compact/index.js';
export { applyRetention, blocksBeyondRetention } from './retention.js';
export type { RetentionOptions, SizedBlock } from './retention.js';
