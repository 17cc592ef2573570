// Random reads from a large immutable file without loading it whole: reads go through
// aligned windows kept in a small LRU, so walking chunks in file order (queries over
// neighbouring series, compaction) costs one read(2) per window, not per chunk. Node has
// no mmap; this keeps block memory bounded by the cache, not by the data on disk.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class WindowedFile {
  readonly size: number;
  private fd: number;
  private readonly cache = new Map<number, Uint8Array>();

  constructor(
    readonly path: string,
    private readonly windowSize = 256 * 1024,
    private readonly maxWindows = 8,
  ) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  private readFully(buf: Uint8Array, pos: number): void {
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, pos + got);
      if (n === 0) throw new Error(`${this.path}: unexpected end of file at ${pos + got}`);
      got += n;
    }
  }

  private window(i: number): Uint8Array {
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i);
      this.cache.set(i, hit);
      return hit;
    }
    const start = i * this.windowSize;
    const buf = new Uint8Array(Math.min(this.windowSize, this.size - start));
    this.readFully(buf, start);
    this.cache.set(i, buf);
    if (this.cache.size > this.maxWindows) this.cache.delete(this.cache.keys().next().value!);
    return buf;
  }

  /** Bytes [off, off + len); the caller checked the range against size. Views stay valid. */
  read(off: number, len: number): Uint8Array {
    if (off < 0 || len < 0 || off + len > this.size) throw new RangeError(`${this.path}: read [${off}, ${off + len}) outside file of ${this.size} bytes`);
    const ws = this.windowSize;
    const w = Math.floor(off / ws);
    if (len === 0) return new Uint8Array(0);
    if (w === Math.floor((off + len - 1) / ws)) {
      const at = off - w * ws;
      return this.window(w).subarray(at, at + len);
    }
    const out = new Uint8Array(len);
    this.readFully(out, off);
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.cache.clear();
  }
}
