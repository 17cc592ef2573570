// Public surface of compaction, tombstone cleaning and deletion.
export { DEFAULT_BLOCK_DURATION, exponentialBlockRanges, plan, splitByRange } from './planner.js';
export { compactBlockMetas, compactBlocks, compactBlocksAsync, compactDir } from './compactor.js';
export type { CompactDirOptions, CompactOptions } from './compactor.js';
export { cleanTombstones, deleteSeries } from './clean.js';
