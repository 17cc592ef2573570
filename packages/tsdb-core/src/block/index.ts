// Public surface of the block layer (persisted blocks in Prometheus' on-disk format).
export { Block, openBlock, dirSize } from './block.js';
export type { IndexedSeries } from './block.js';
export { ChunkReader, ChunkWriter, Encoding, chunkRef, unpackChunkRef, segmentName as chunkSegmentName } from './chunks.js';
export type { RawChunk } from './chunks.js';
export { CorruptBlockError } from './errors.js';
export { IndexReader } from './index-reader.js';
export type { Toc } from './index-reader.js';
export { encodeIndex, compareLabels } from './index-writer.js';
export type { ChunkMeta, IndexSeries } from './index-writer.js';
export { BlockMetaError, formatMeta, parseMeta, readMeta, writeMeta } from './meta.js';
export type { BlockDesc, BlockMeta, BlockMetaCompaction, BlockStats } from './meta.js';
export { postingsForMatchers } from './postings.js';
export { BlockQuerier, BlockSeriesIterator } from './querier.js';
export { chunksFromSamples, chunkSampleCount, SAMPLES_PER_CHUNK } from './series-chunks.js';
export type { BlockChunk, BlockSeries } from './series-chunks.js';
export {
  Tombstones,
  addInterval,
  decodeTombstones as decodeTombstonesFile,
  encodeTombstones as encodeTombstonesFile,
  readTombstones,
  writeTombstones,
} from './tombstones.js';
export type { Interval } from './tombstones.js';
export { FileBlockStore, fileBlockStore, headSeries } from './store.js';
export type { FileBlockStoreOptions } from './store.js';
export { isUlid, ulid, ulidTime } from './ulid.js';
export { writeBlock, writeBlockAsync, TMP_FOR_CREATION } from './writer.js';
export type { WriteBlockOptions } from './writer.js';
export { deleteBlockDir, listBlockDirs, removeTmpDirs, TMP_FOR_DELETION } from './list.js';
export type { BlockDir } from './list.js';
export { snapshotBlocks } from './snapshot.js';
