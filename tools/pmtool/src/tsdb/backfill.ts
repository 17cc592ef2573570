// Backfill (promtool tsdb create-blocks-from openmetrics): OpenMetrics samples with
// timestamps become blocks aligned to the block duration (2 h by default), one block per
// window that holds data, each spanning its first to last sample + 1 ms, chunked by a head
// with twice the block duration as chunk range, exactly as promtool's block writer does.
// The input is parsed and every sample appended before the first block is written, so bad
// input writes nothing; an I/O failure midway removes the blocks this run wrote.
import { join } from 'node:path';
import { ExpositionError, OpenMetricsSampleParser } from '@promethium/exposition';
import type { BlockMeta } from '@promethium/tsdb-core';
import { AppendError, DEFAULT_BLOCK_DURATION, Head, Labels, deleteBlockDir, dirSize, exponentialBlockRanges, headSeries, writeBlock } from '@promethium/tsdb-core';

export class BackfillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackfillError';
  }
}

export interface BackfillProgress {
  phase: 'parse' | 'write';
  bytesRead: number;
  bytesTotal: number;
  blocksWritten: number;
  blocksTotal: number;
}

export interface BackfillOptions {
  /** promtool's --max-block-duration in ms; anything up to 2 h means 2 h. */
  maxBlockDuration?: number;
  /** Called as each block is written (in time order). */
  onBlock?: (meta: BlockMeta, size: number) => void;
  /** Called every ~1 MiB parsed and after each block. */
  onProgress?: (p: BackfillProgress) => void;
}

/** promtool's getCompatibleBlockDuration: the largest of 2h*3^i (i < 10) not above the maximum. */
export function blockDurationFor(maxBlockDuration: number): number {
  if (maxBlockDuration <= DEFAULT_BLOCK_DURATION) return DEFAULT_BLOCK_DURATION;
  const ranges = exponentialBlockRanges(DEFAULT_BLOCK_DURATION, 10, 3);
  let best = ranges[ranges.length - 1]!;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i]! > maxBlockDuration) {
      best = ranges[i - 1]!;
      break;
    }
  }
  return best;
}

interface Parsed {
  labels: Labels[];
  series: Int32Array;
  ts: Float64Array;
  vs: Float64Array;
  lines: Int32Array;
  n: number;
  mint: number;
  maxt: number;
}

const PROGRESS_BYTES = 1 << 20;
const EXEMPLAR_TYPES = new Set(['counter', 'histogram', 'gaugehistogram']);

function parseInput(input: Uint8Array, onProgress?: (p: BackfillProgress) => void): Parsed {
  const p = new OpenMetricsSampleParser(input);
  const byKey = new Map<string, number>();
  const labels: Labels[] = [];
  let cap = 1024;
  let series = new Int32Array(cap);
  let ts = new Float64Array(cap);
  let vs = new Float64Array(cap);
  let lines = new Int32Array(cap);
  let n = 0;
  let line = 0;
  let mint = Infinity;
  let maxt = -Infinity;
  // The parser decodes to a string; report progress in characters scaled to input bytes.
  const scale = p.src.length > 0 ? input.length / p.src.length : 1;
  let nextReport = PROGRESS_BYTES;
  let charOffset = 0;
  const withPrefix = (e: unknown): never => {
    if (e instanceof ExpositionError) throw new BackfillError(`getting min and max timestamp: next: ${e.message}`);
    throw e;
  };
  for (;;) {
    let entry;
    try {
      entry = p.next();
    } catch (e) {
      withPrefix(e);
    }
    if (entry === undefined) break;
    line++;
    // Each OpenMetrics entry is one line: follow along to know how far we are.
    if (onProgress) charOffset = p.src.indexOf('\n', charOffset) + 1;
    if (entry !== 'sample') continue;
    if (p.timestampSeconds === undefined) {
      withPrefix(p.errorAtEntry(`expected timestamp for series ${p.series()}, got none`, 'timestamp'));
    }
    // As Prometheus' parser: only counters and (gauge) histograms carry exemplars.
    if (p.exemplar !== undefined && !EXEMPLAR_TYPES.has(p.metricType)) {
      withPrefix(p.errorAtEntry(`metric name ${p.name} does not support exemplars`));
    }
    const key = p.series();
    let ref = byKey.get(key);
    if (ref === undefined) {
      ref = labels.length;
      byKey.set(key, ref);
      labels.push(Labels.from({ ...p.labels(), __name__: p.name }));
    }
    if (n === cap) {
      cap *= 2;
      series = grow(series, new Int32Array(cap));
      ts = grow(ts, new Float64Array(cap));
      vs = grow(vs, new Float64Array(cap));
      lines = grow(lines, new Int32Array(cap));
    }
    // Prometheus' OpenMetrics parser: int64(seconds * 1000), truncating.
    const t = Math.trunc(p.timestampSeconds! * 1000);
    series[n] = ref;
    ts[n] = t;
    vs[n] = p.value;
    lines[n] = line;
    n++;
    if (t < mint) mint = t;
    if (t > maxt) maxt = t;
    if (onProgress && n % 4096 === 0) {
      const bytesRead = Math.round(charOffset * scale);
      if (bytesRead >= nextReport) {
        nextReport = bytesRead + PROGRESS_BYTES;
        onProgress({ phase: 'parse', bytesRead, bytesTotal: input.length, blocksWritten: 0, blocksTotal: 0 });
      }
    }
  }
  return { labels, series, ts, vs, lines, n, mint, maxt };
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Writes the blocks for `input` into `outputDir` (which must exist); returns their metas. */
export async function backfill(input: Uint8Array, outputDir: string, opts: BackfillOptions = {}): Promise<BlockMeta[]> {
  const parsed = parseInput(input, opts.onProgress);
  if (parsed.n === 0) return [];
  const duration = blockDurationFor(opts.maxBlockDuration ?? 0);
  const start = duration * Math.floor(parsed.mint / duration);
  // Group sample indexes by window, keeping file order within each (a counting sort).
  const windows = Math.floor((parsed.maxt - start) / duration) + 1;
  const counts = new Int32Array(windows + 1);
  const win = new Int32Array(parsed.n);
  for (let i = 0; i < parsed.n; i++) {
    win[i] = Math.floor((parsed.ts[i]! - start) / duration);
    counts[win[i]! + 1]!++;
  }
  for (let w = 0; w < windows; w++) counts[w + 1]! += counts[w]!;
  const order = new Int32Array(parsed.n);
  const fill = counts.slice(0, windows);
  for (let i = 0; i < parsed.n; i++) order[fill[win[i]!]!++] = i;

  // Append everything first: an out-of-order or duplicate sample fails before any write.
  const heads: Head[] = [];
  for (let w = 0; w < windows; w++) {
    if (counts[w + 1] === counts[w]) continue;
    const head = new Head({ chunkRange: 2 * duration });
    const app = head.appender();
    const refs = new Map<number, number>();
    for (let k = counts[w]!; k < counts[w + 1]!; k++) {
      const i = order[k]!;
      const s = parsed.series[i]!;
      try {
        refs.set(s, app.append(refs.get(s) ?? 0, parsed.labels[s]!, parsed.ts[i]!, parsed.vs[i]!));
      } catch (e) {
        if (!(e instanceof AppendError)) throw e;
        throw new BackfillError(`process blocks: add sample: ${e.message} at line ${parsed.lines[i]}: ${parsed.labels[s]!.toString()} @ ${parsed.ts[i]}`);
      }
    }
    await app.commit();
    heads.push(head);
  }

  const written: BlockMeta[] = [];
  try {
    for (const head of heads) {
      const mint = head.minTime;
      const maxt = head.maxTime + 1;
      const meta = writeBlock(outputDir, headSeries(head, mint, maxt), { mint, maxt });
      written.push(meta);
      opts.onBlock?.(meta, dirSize(join(outputDir, meta.ulid)));
      opts.onProgress?.({ phase: 'write', bytesRead: input.length, bytesTotal: input.length, blocksWritten: written.length, blocksTotal: heads.length });
    }
  } catch (e) {
    for (const m of written) deleteBlockDir(join(outputDir, m.ulid));
    throw e;
  }
  return written;
}
