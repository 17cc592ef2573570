// Chunk segment files: <block>/chunks/000001, 000002, ... Each starts with an 8-byte header
// (magic 0x85BD40DD, version 1, 3 zero bytes) followed by chunks laid out as
// uvarint(len(data)) | encoding byte | data | CRC-32C(encoding + data), big-endian.
// A chunk reference is (segment sequence << 32) | byte offset, sequence 0 being 000001.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from './crc32c.js';
import { CorruptBlockError } from './errors.js';
import { WindowedFile } from './windowed-file.js';

export const CHUNKS_MAGIC = 0x85bd40dd;
export const CHUNKS_FORMAT_V1 = 1;
export const SEGMENT_HEADER_SIZE = 8;
export const DEFAULT_SEGMENT_SIZE = 512 * 1024 * 1024;
const TWO32 = 0x1_0000_0000;

/** Chunk encodings, as numbered by Prometheus' chunkenc. */
export const Encoding = { None: 0, XOR: 1, Histogram: 2, FloatHistogram: 3 } as const;

export function chunkRef(seq: number, offset: number): number {
  return seq * TWO32 + offset;
}

export function unpackChunkRef(ref: number): [seq: number, offset: number] {
  return [Math.floor(ref / TWO32), ref % TWO32];
}

export function segmentName(seq: number): string {
  return String(seq + 1).padStart(6, '0');
}

/** Appends chunks to numbered segment files; call close() to flush and fsync. */
export class ChunkWriter {
  private fd = -1;
  private seq = -1;
  private pos = 0; // Bytes in the current segment, flushed or buffered.
  private buf = new Uint8Array(1 << 20);
  private bufLen = 0;
  private readonly dir: string;
  private readonly segmentSize: number;
  private crcBuf = new Uint8Array(5);

  constructor(dir: string, segmentSize = DEFAULT_SEGMENT_SIZE) {
    this.dir = dir;
    this.segmentSize = segmentSize;
    mkdirSync(dir, { recursive: true });
  }

  /** Total bytes written across all segments, headers included. */
  bytesWritten = 0;

  private flush(): void {
    let off = 0;
    while (off < this.bufLen) off += writeSync(this.fd, this.buf, off, this.bufLen - off);
    this.bufLen = 0;
  }

  private put(b: Uint8Array): void {
    if (this.bufLen + b.length > this.buf.length) {
      this.flush();
      if (b.length > this.buf.length) {
        let off = 0;
        while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
        this.pos += b.length;
        this.bytesWritten += b.length;
        return;
      }
    }
    this.buf.set(b, this.bufLen);
    this.bufLen += b.length;
    this.pos += b.length;
    this.bytesWritten += b.length;
  }

  private finishSegment(): void {
    if (this.fd < 0) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private cut(): void {
    this.finishSegment();
    this.seq++;
    this.fd = openSync(join(this.dir, segmentName(this.seq)), 'w');
    this.pos = 0;
    const h = new Uint8Array(SEGMENT_HEADER_SIZE);
    new DataView(h.buffer).setUint32(0, CHUNKS_MAGIC);
    h[4] = CHUNKS_FORMAT_V1;
    this.put(h);
  }

  /** Writes one chunk and returns its reference. */
  write(encoding: number, data: Uint8Array): number {
    const size = 5 + 1 + data.length + 4;
    if (this.fd < 0 || (this.pos > SEGMENT_HEADER_SIZE && this.pos + size > this.segmentSize)) this.cut();
    if (this.pos >= TWO32) throw new Error(`chunk segment ${segmentName(this.seq)} exceeds 4 GiB`);
    const ref = chunkRef(this.seq, this.pos);
    const head = this.crcBuf;
    let n = 0;
    let len = data.length;
    while (len >= 0x80) {
      head[n++] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    head[n++] = len;
    this.put(head.subarray(0, n));
    const enc = Uint8Array.of(encoding);
    this.put(enc);
    this.put(data);
    const crc = crc32c(data, 0, data.length, crc32c(enc));
    this.put(Uint8Array.of(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff));
    return ref;
  }

  close(): void {
    this.finishSegment();
    if (this.seq >= 0) {
      const dfd = openSync(this.dir, 'r');
      try {
        fsyncSync(dfd);
      } finally {
        closeSync(dfd);
      }
    }
  }
}

export interface RawChunk {
  encoding: number;
  /** A view into the segment; copy it before the reader goes away if you keep it. */
  data: Uint8Array;
}

/** Reads chunks by reference from a block's chunks/ directory, verifying CRCs. */
export class ChunkReader {
  private readonly segments: WindowedFile[] = [];
  /** Sum of segment file sizes. */
  readonly size: number;

  constructor(readonly dir: string) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /^\d+$/.test(n));
    } catch (e) {
      throw new CorruptBlockError(dir, 0, `cannot list chunk segments: ${(e as Error).message}`);
    }
    names.sort((a, b) => Number(a) - Number(b));
    let size = 0;
    try {
      names.forEach((n, i) => {
        const file = join(dir, n);
        if (Number(n) !== i + 1) throw new CorruptBlockError(file, 0, `segment numbering gap: expected ${segmentName(i)}`);
        const f = new WindowedFile(file);
        this.segments.push(f);
        if (f.size < SEGMENT_HEADER_SIZE) {
          throw new CorruptBlockError(file, 0, `truncated: segment header needs 8 bytes, file has ${f.size}`);
        }
        const h = f.read(0, SEGMENT_HEADER_SIZE);
        const magic = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
        if (magic !== CHUNKS_MAGIC) {
          throw new CorruptBlockError(file, 0, `bad magic 0x${magic.toString(16)}, expected 0x85bd40dd (chunk segment)`);
        }
        if (h[4] !== CHUNKS_FORMAT_V1) throw new CorruptBlockError(file, 4, `unsupported chunk format version ${h[4]}`);
        size += f.size;
      });
    } catch (e) {
      this.close();
      throw e;
    }
    this.size = size;
  }

  chunk(ref: number): RawChunk {
    const [seq, off] = unpackChunkRef(ref);
    const seg = this.segments[seq];
    if (!seg) throw new CorruptBlockError(join(this.dir, segmentName(seq)), 0, `chunk ref ${ref}: segment does not exist`);
    const file = seg.path;
    if (off < SEGMENT_HEADER_SIZE || off >= seg.size) {
      throw new CorruptBlockError(file, off, `chunk ref ${ref}: offset outside the segment (size ${seg.size})`);
    }
    const head = seg.read(off, Math.min(5, seg.size - off));
    let len = 0;
    let shift = 0;
    let p = 0;
    for (;;) {
      if (p >= head.length || shift > 28) throw new CorruptBlockError(file, off, 'truncated or invalid chunk length');
      const c = head[p++]!;
      len += (c & 0x7f) * 2 ** shift;
      if (c < 0x80) break;
      shift += 7;
    }
    const encAt = off + p;
    const end = encAt + 1 + len + 4;
    if (end > seg.size) {
      throw new CorruptBlockError(file, off, `truncated chunk: needs ${end - off} bytes, segment has ${seg.size - off} left`);
    }
    const rec = seg.read(encAt, end - encAt);
    const n = rec.length;
    const want = ((rec[n - 4]! << 24) | (rec[n - 3]! << 16) | (rec[n - 2]! << 8) | rec[n - 1]!) >>> 0;
    const got = crc32c(rec, 0, n - 4);
    if (want !== got) {
      throw new CorruptBlockError(file, off, `chunk CRC32C mismatch: stored 0x${want.toString(16)}, computed 0x${got.toString(16)}`);
    }
    return { encoding: rec[0]!, data: rec.subarray(1, n - 4) };
  }

  /** Releases the segment files. */
  close(): void {
    for (const s of this.segments) s.close();
  }
}
