// Writes a block's `index` file in Prometheus' format version 2 (see docs/format/index.md):
// header, symbol table, 16-byte aligned series, label indices, postings, label offset
// table, postings offset table and TOC, every section CRC-32C protected. The whole index
// is built in memory; blocks are written in the background and an index is a few percent
// of the block.
import type { Labels } from '../labels.js';
import { crc32c } from './crc32c.js';
import { Encbuf, compareBytewise } from './encoding.js';
import type { Steps } from './steps.js';
import { STEP_UNITS, runSync } from './steps.js';

export const INDEX_MAGIC = 0xbaaad700;
export const INDEX_FORMAT_V2 = 2;
export const INDEX_TOC_LEN = 6 * 8 + 4;

/** Where one chunk of a series lives and which time range it covers (both inclusive). */
export interface ChunkMeta {
  ref: number;
  mint: number;
  maxt: number;
}

export interface IndexSeries {
  labels: Labels;
  chunks: readonly ChunkMeta[];
}

function putCrc(e: Encbuf, from: number): void {
  e.putBE32(crc32c(e.buf, from, e.len));
}

/** Patches a 4-byte big-endian length at `at`. */
function patchBE32(e: Encbuf, at: number, v: number): void {
  e.buf[at] = v >>> 24;
  e.buf[at + 1] = (v >>> 16) & 0xff;
  e.buf[at + 2] = (v >>> 8) & 0xff;
  e.buf[at + 3] = v & 0xff;
}

/**
 * Encodes the index for `series`, which must be sorted by labels (bytewise, as Prometheus)
 * with chunks sorted by time and not overlapping. Returns the file's bytes.
 */
export function encodeIndex(series: readonly IndexSeries[]): Uint8Array {
  return runSync(encodeIndexSteps(series));
}

/** encodeIndex as resumable steps (see steps.ts). */
export function* encodeIndexSteps(series: readonly IndexSeries[]): Steps<Uint8Array> {
  // Symbols: every label name and value, sorted by UTF-8 bytes.
  const symSet = new Set<string>();
  for (const s of series) {
    s.labels.forEach((n, v) => {
      symSet.add(n);
      symSet.add(v);
    });
  }
  const symbols = [...symSet].sort(compareBytewise);
  const symIndex = new Map<string, number>();
  symbols.forEach((s, i) => symIndex.set(s, i));

  const e = new Encbuf(1 << 16);
  e.putBE32(INDEX_MAGIC);
  e.putByte(INDEX_FORMAT_V2);

  const tocSymbols = e.len;
  e.putBE32(0);
  e.putBE32(symbols.length);
  for (const s of symbols) e.putUvarintStr(s);
  patchBE32(e, tocSymbols, e.len - tocSymbols - 4);
  putCrc(e, tocSymbols + 4);

  // Series, each at a 16-byte boundary; its ID is offset / 16.
  const tocSeries = e.len;
  const body = new Encbuf(256);
  // (name symbol, value symbol) packed into one number -> series IDs (ascending, as series
  // are written in order). Symbols sort like their strings, so sorting the packed keys
  // numerically gives postings in (name, value) order.
  const S = symbols.length;
  const postings = new Map<number, number[]>();
  const all: number[] = [];
  let prev: Labels | undefined;
  let n = 0;
  for (const s of series) {
    if (++n % STEP_UNITS === 0) yield;
    if (prev && compareLabels(prev, s.labels) >= 0) {
      throw new Error(`index: series out of order or duplicate: ${s.labels.toString()} after ${prev.toString()}`);
    }
    prev = s.labels;
    e.pad(16);
    const id = e.len / 16;
    if (id > 0xffffffff) throw new Error('index: series section exceeds 64 GiB');
    all.push(id);
    body.reset();
    const flat = s.labels.flatView();
    body.putUvarint(flat.length >> 1);
    for (let i = 0; i < flat.length; i += 2) {
      const ni = symIndex.get(flat[i]!)!;
      const vi = symIndex.get(flat[i + 1]!)!;
      body.putUvarint(ni);
      body.putUvarint(vi);
      const key = ni * S + vi;
      const list = postings.get(key);
      if (list) list.push(id);
      else postings.set(key, [id]);
    }
    const chks = s.chunks;
    body.putUvarint(chks.length);
    let t0 = 0;
    let ref0 = 0;
    for (let i = 0; i < chks.length; i++) {
      const c = chks[i]!;
      if (c.maxt < c.mint) throw new Error(`index: chunk maxt ${c.maxt} < mint ${c.mint} in ${s.labels.toString()}`);
      if (i === 0) {
        body.putVarint(c.mint);
        body.putUvarint(c.maxt - c.mint);
        body.putUvarint(c.ref);
      } else {
        if (c.mint <= t0) throw new Error(`index: chunk mint ${c.mint} not after previous maxt ${t0} in ${s.labels.toString()}`);
        if (c.ref < ref0) throw new Error(`index: unsorted chunk reference ${c.ref} after ${ref0}`);
        body.putUvarint(c.mint - t0);
        body.putUvarint(c.maxt - c.mint);
        body.putVarint(c.ref - ref0);
      }
      t0 = c.maxt;
      ref0 = c.ref;
    }
    e.putUvarint(body.len);
    e.putBytes(body.get());
    e.putBE32(crc32c(body.buf, 0, body.len));
  }

  const keys = Float64Array.from(postings.keys()).sort();
  const names: string[] = [];
  const sortedValues = new Map<string, string[]>();
  for (const key of keys) {
    const n = symbols[Math.floor(key / S)]!;
    const v = symbols[key % S]!;
    let vals = sortedValues.get(n);
    if (!vals) {
      names.push(n);
      sortedValues.set(n, (vals = []));
    }
    vals.push(v);
  }

  // Label indices (one per name; kept for readers of the older layout).
  const tocLabelIndices = e.len;
  const labelIndexOffsets: number[] = [];
  for (const n of names) {
    e.pad(4);
    labelIndexOffsets.push(e.len);
    const start = e.len;
    e.putBE32(0);
    const values = sortedValues.get(n)!;
    e.putBE32(1);
    e.putBE32(values.length);
    for (const v of values) e.putBE32(symIndex.get(v)!);
    patchBE32(e, start, e.len - start - 4);
    putCrc(e, start + 4);
  }

  // Postings: the all-series list under ("", "") first, then by name and value.
  const tocPostings = e.len;
  const postingsOffsets: [string, string, number][] = [];
  const writePostings = (n: string, v: string, ids: readonly number[]): void => {
    e.pad(4);
    postingsOffsets.push([n, v, e.len]);
    e.putBE32(4 + 4 * ids.length);
    const start = e.len;
    e.putBE32(ids.length);
    for (const id of ids) e.putBE32(id);
    putCrc(e, start);
  };
  writePostings('', '', all);
  for (let i = 0; i < keys.length; i++) {
    if (i % STEP_UNITS === STEP_UNITS - 1) yield;
    const key = keys[i]!;
    writePostings(symbols[Math.floor(key / S)]!, symbols[key % S]!, postings.get(key)!);
  }

  const tocLabelTable = e.len;
  {
    const start = e.len;
    e.putBE32(0);
    e.putBE32(names.length);
    names.forEach((n, i) => {
      e.putUvarint(1);
      e.putUvarintStr(n);
      e.putUvarint(labelIndexOffsets[i]!);
    });
    patchBE32(e, start, e.len - start - 4);
    putCrc(e, start + 4);
  }

  const tocPostingsTable = e.len;
  {
    const start = e.len;
    e.putBE32(0);
    e.putBE32(postingsOffsets.length);
    for (const [n, v, off] of postingsOffsets) {
      e.putUvarint(2);
      e.putUvarintStr(n);
      e.putUvarintStr(v);
      e.putUvarint(off);
    }
    patchBE32(e, start, e.len - start - 4);
    putCrc(e, start + 4);
  }

  const tocStart = e.len;
  e.putBE64(tocSymbols);
  e.putBE64(tocSeries);
  e.putBE64(tocLabelIndices);
  e.putBE64(tocLabelTable);
  e.putBE64(tocPostings);
  e.putBE64(tocPostingsTable);
  putCrc(e, tocStart);
  return e.get();
}

/** labels.Compare with bytewise string order. */
export function compareLabels(a: Labels, b: Labels): number {
  const x = a.flatView();
  const y = b.flatView();
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const c = compareBytewise(x[i]!, y[i]!);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}
