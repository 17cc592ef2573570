// Tombstones: deleted time ranges per series, and the `tombstones` file that persists them:
// magic 0x0130BA30 <4b> | version 1 <1b> | (series ref <uvarint64>, mint <varint64>,
// maxt <varint64>)* | CRC-32C of the entries <4b>. Intervals are closed [mint, maxt].
import { readFileSync, writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from './crc32c.js';
import { Decbuf, Encbuf, be32At } from './encoding.js';
import { CorruptBlockError } from './errors.js';

export const TOMBSTONES_FILENAME = 'tombstones';
export const TOMBSTONES_MAGIC = 0x0130ba30;
const FORMAT_V1 = 1;

export interface Interval {
  mint: number;
  maxt: number;
}

/** Adds `n` to sorted, non-overlapping `ivs`, merging overlapping or adjacent ranges. */
export function addInterval(ivs: readonly Interval[], n: Interval): Interval[] {
  const out: Interval[] = [];
  let cur = { mint: n.mint, maxt: n.maxt };
  let placed = false;
  for (const iv of ivs) {
    if (iv.maxt < cur.mint - 1) out.push(iv);
    else if (iv.mint > cur.maxt + 1) {
      if (!placed) {
        out.push(cur);
        placed = true;
      }
      out.push(iv);
    } else {
      cur = { mint: Math.min(cur.mint, iv.mint), maxt: Math.max(cur.maxt, iv.maxt) };
    }
  }
  if (!placed) out.push(cur);
  return out;
}

export function isDeleted(ivs: readonly Interval[] | undefined, t: number): boolean {
  if (!ivs) return false;
  for (const iv of ivs) if (t >= iv.mint && t <= iv.maxt) return true;
  return false;
}

/** True when [mint, maxt] lies entirely inside one interval. */
export function coveredBy(ivs: readonly Interval[] | undefined, mint: number, maxt: number): boolean {
  if (!ivs) return false;
  for (const iv of ivs) if (mint >= iv.mint && maxt <= iv.maxt) return true;
  return false;
}

/** In-memory tombstones keyed by series reference. */
export class Tombstones {
  private readonly m = new Map<number, Interval[]>();

  get(ref: number): readonly Interval[] | undefined {
    return this.m.get(ref);
  }

  add(ref: number, iv: Interval): void {
    this.m.set(ref, addInterval(this.m.get(ref) ?? [], iv));
  }

  /** Number of intervals, as Prometheus counts numTombstones. */
  total(): number {
    let n = 0;
    for (const ivs of this.m.values()) n += ivs.length;
    return n;
  }

  get size(): number {
    return this.m.size;
  }

  entries(): [number, readonly Interval[]][] {
    return [...this.m.entries()].sort((a, b) => a[0] - b[0]);
  }

  merge(other: Tombstones): void {
    for (const [ref, ivs] of other.entries()) for (const iv of ivs) this.add(ref, iv);
  }
}

export function encodeTombstones(t: Tombstones): Uint8Array {
  const e = new Encbuf(64);
  e.putBE32(TOMBSTONES_MAGIC);
  e.putByte(FORMAT_V1);
  for (const [ref, ivs] of t.entries()) {
    for (const iv of ivs) {
      e.putUvarint(ref);
      e.putVarint(iv.mint);
      e.putVarint(iv.maxt);
    }
  }
  e.putBE32(crc32c(e.buf, 5, e.len));
  return e.get();
}

export function decodeTombstones(b: Uint8Array, file: string): Tombstones {
  if (b.length < 9) throw new CorruptBlockError(file, 0, `truncated: ${b.length} bytes, a tombstones file has at least 9`);
  const magic = be32At(b, 0);
  if (magic !== TOMBSTONES_MAGIC) throw new CorruptBlockError(file, 0, `bad magic 0x${magic.toString(16)}, expected 0x130ba30 (tombstones)`);
  if (b[4] !== FORMAT_V1) throw new CorruptBlockError(file, 4, `unsupported tombstones version ${b[4]}, expected 1`);
  const end = b.length - 4;
  const want = be32At(b, end);
  const got = crc32c(b, 5, end);
  if (want !== got) throw new CorruptBlockError(file, end, `CRC32C mismatch: stored 0x${want.toString(16)}, computed 0x${got.toString(16)}`);
  const d = new Decbuf(b, file, 5, end);
  const t = new Tombstones();
  while (d.remaining > 0) {
    const ref = d.uvarint('series ref');
    const mint = d.varint('mint');
    const maxt = d.varint('maxt');
    t.add(ref, { mint, maxt });
  }
  return t;
}

/** Reads <dir>/tombstones; a missing file means no tombstones, as in Prometheus. */
export function readTombstones(dir: string): Tombstones {
  const file = join(dir, TOMBSTONES_FILENAME);
  let b: Uint8Array;
  try {
    b = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Tombstones();
    throw e;
  }
  return decodeTombstones(b, file);
}

/** Writes <dir>/tombstones atomically (tmp, fsync, rename). Returns the file size. */
export function writeTombstones(dir: string, t: Tombstones): number {
  const file = join(dir, TOMBSTONES_FILENAME);
  const tmp = `${file}.tmp`;
  const b = encodeTombstones(t);
  writeFileSync(tmp, b);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return b.length;
}
