// The unit a block is written from: a series' label set and its encoded chunks, plus a
// helper that encodes plain samples into XOR chunks of at most 120 samples each, as
// Prometheus cuts them.
import { XORChunk, ENC_XOR } from '../chunkenc/xor.js';
import type { Labels } from '../labels.js';

export const SAMPLES_PER_CHUNK = 120;

export interface BlockChunk {
  /** First and last sample time in the chunk (ms, inclusive). */
  mint: number;
  maxt: number;
  /** Prometheus chunk encoding byte (1 = XOR). */
  encoding: number;
  /** Encoded chunk bytes (for XOR: 2-byte sample count + bit stream). */
  data: Uint8Array;
}

export interface BlockSeries {
  labels: Labels;
  /** Sorted by time, not overlapping. */
  chunks: readonly BlockChunk[];
}

/** Sample count stored in a chunk's first two bytes (XOR and histogram encodings alike). */
export function chunkSampleCount(data: Uint8Array): number {
  return data.length < 2 ? 0 : (data[0]! << 8) | data[1]!;
}

/** Encodes time-ordered samples into XOR chunks of at most `perChunk` samples. */
export function chunksFromSamples(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  perChunk = SAMPLES_PER_CHUNK,
): BlockChunk[] {
  const out: BlockChunk[] = [];
  for (let i = 0; i < ts.length; i += perChunk) {
    const end = Math.min(ts.length, i + perChunk);
    const c = new XORChunk(16 + (end - i) * 2);
    const app = c.appender();
    for (let j = i; j < end; j++) {
      if (j > 0 && ts[j]! <= ts[j - 1]!) {
        throw new Error(`samples out of order: t=${ts[j]} after t=${ts[j - 1]}`);
      }
      app.append(ts[j]!, vs[j]!);
    }
    out.push({ mint: ts[i]!, maxt: ts[end - 1]!, encoding: ENC_XOR, data: c.bytes().slice() });
  }
  return out;
}
