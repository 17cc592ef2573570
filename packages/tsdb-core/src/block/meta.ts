// meta.json: the block's identity, time range [minTime, maxTime) and compaction lineage.
// Field names and nesting match Prometheus' BlockMeta so both sides read each other's.
import { readFile, writeFile, rename, open } from 'node:fs/promises';
import { join } from 'node:path';
import { isUlid } from './ulid.js';

export const META_FILENAME = 'meta.json';
export const META_VERSION = 1;

export interface BlockDesc {
  ulid: string;
  minTime: number;
  maxTime: number;
}

export interface BlockStats {
  numSamples?: number;
  numSeries?: number;
  numChunks?: number;
  numTombstones?: number;
  numFloatSamples?: number;
  numHistogramSamples?: number;
}

export interface BlockMetaCompaction {
  level: number;
  sources?: string[];
  deletable?: boolean;
  parents?: BlockDesc[];
  failed?: boolean;
  hints?: string[];
}

export interface BlockMeta {
  ulid: string;
  minTime: number;
  /** Exclusive. */
  maxTime: number;
  stats: BlockStats;
  compaction: BlockMetaCompaction;
  version: number;
}

export class BlockMetaError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: field "${field}": ${message}`);
    this.name = 'BlockMetaError';
  }
}

function num(file: string, obj: Record<string, unknown>, field: string, optional = false): number | undefined {
  const v = obj[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isInteger(v)) {
    throw new BlockMetaError(file, field, `expected an integer, found ${JSON.stringify(v)}`);
  }
  return v;
}

function obj(file: string, v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new BlockMetaError(file, field, `expected an object, found ${JSON.stringify(v)}`);
  }
  return v as Record<string, unknown>;
}

function ulidField(file: string, v: unknown, field: string): string {
  if (typeof v !== 'string' || !isUlid(v)) throw new BlockMetaError(file, field, `expected a ULID, found ${JSON.stringify(v)}`);
  return v;
}

/** Validates parsed JSON as a BlockMeta; `file` names the source in errors. */
export function parseMeta(text: string, file = META_FILENAME): BlockMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BlockMetaError(file, '(json)', `invalid JSON: ${(e as Error).message}`);
  }
  const o = obj(file, raw, '(root)');
  const version = num(file, o, 'version')!;
  if (version !== META_VERSION) throw new BlockMetaError(file, 'version', `unsupported meta version ${version}, expected 1`);
  const minTime = num(file, o, 'minTime')!;
  const maxTime = num(file, o, 'maxTime')!;
  if (maxTime < minTime) throw new BlockMetaError(file, 'maxTime', `maxTime ${maxTime} is before minTime ${minTime}`);
  const s = o.stats === undefined ? {} : obj(file, o.stats, 'stats');
  const stats: BlockStats = {};
  for (const k of ['numSamples', 'numSeries', 'numChunks', 'numTombstones', 'numFloatSamples', 'numHistogramSamples'] as const) {
    const v = num(file, s, k, true);
    if (v !== undefined) stats[k] = v;
  }
  const c = obj(file, o.compaction ?? { level: 1 }, 'compaction');
  const compaction: BlockMetaCompaction = { level: num(file, c, 'level')! };
  if (c.sources !== undefined) {
    if (!Array.isArray(c.sources)) throw new BlockMetaError(file, 'compaction.sources', 'expected an array');
    compaction.sources = (c.sources as unknown[]).map((x, i) => ulidField(file, x, `compaction.sources[${i}]`));
  }
  if (c.parents !== undefined) {
    if (!Array.isArray(c.parents)) throw new BlockMetaError(file, 'compaction.parents', 'expected an array');
    compaction.parents = (c.parents as unknown[]).map((p, i) => {
      const po = obj(file, p, `compaction.parents[${i}]`);
      return {
        ulid: ulidField(file, po.ulid, `compaction.parents[${i}].ulid`),
        minTime: num(file, po, 'minTime')!,
        maxTime: num(file, po, 'maxTime')!,
      };
    });
  }
  if (c.deletable === true) compaction.deletable = true;
  if (c.failed === true) compaction.failed = true;
  if (Array.isArray(c.hints)) compaction.hints = (c.hints as unknown[]).filter((h): h is string => typeof h === 'string');
  return { ulid: ulidField(file, o.ulid, 'ulid'), minTime, maxTime, stats, compaction, version };
}

/** Serializes like Go's json.MarshalIndent(meta, "", "\t"), dropping empty optional fields. */
export function formatMeta(m: BlockMeta): string {
  const stats: Record<string, number> = {};
  for (const [k, v] of Object.entries(m.stats) as [string, number | undefined][]) if (v !== undefined && v !== 0) stats[k] = v;
  const compaction: Record<string, unknown> = { level: m.compaction.level };
  if (m.compaction.sources?.length) compaction.sources = m.compaction.sources;
  if (m.compaction.deletable) compaction.deletable = true;
  if (m.compaction.parents?.length) compaction.parents = m.compaction.parents;
  if (m.compaction.failed) compaction.failed = true;
  if (m.compaction.hints?.length) compaction.hints = m.compaction.hints;
  return JSON.stringify(
    { ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime, stats, compaction, version: m.version },
    null,
    '\t',
  );
}

export async function readMeta(dir: string): Promise<BlockMeta> {
  const file = join(dir, META_FILENAME);
  return parseMeta(await readFile(file, 'utf8'), file);
}

/** Writes meta.json atomically (tmp file, fsync, rename), so a crash leaves the old or the new one. */
export async function writeMeta(dir: string, m: BlockMeta): Promise<void> {
  const file = join(dir, META_FILENAME);
  const tmp = `${file}.tmp`;
  await writeFile(tmp, formatMeta(m));
  await fsyncPath(tmp);
  await rename(tmp, file);
  await fsyncPath(dir);
}

export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
