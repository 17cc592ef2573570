// Reads an `index` file (format v2; see docs/format/index.md). Symbols and the postings
// offset table are decoded on open (both CRC-checked); series entries and postings lists
// are decoded and CRC-checked when asked for.
import { Labels } from '../labels.js';
import { crc32c } from './crc32c.js';
import { Decbuf, be32At, compareBytewise } from './encoding.js';
import { CorruptBlockError } from './errors.js';
import type { ChunkMeta } from './index-writer.js';
import { INDEX_FORMAT_V2, INDEX_MAGIC, INDEX_TOC_LEN } from './index-writer.js';
import { WindowedFile } from './windowed-file.js';

export interface Toc {
  symbols: number;
  series: number;
  labelIndices: number;
  labelIndicesTable: number;
  postings: number;
  postingsTable: number;
}

interface NameEntry {
  values: string[];
  offsets: number[];
}

/** Random access to the index bytes: a file read through windows, or bytes in memory. */
interface ByteSource {
  readonly size: number;
  read(off: number, len: number): Uint8Array;
  close(): void;
}

class MemSource implements ByteSource {
  readonly size: number;
  constructor(private readonly b: Uint8Array) {
    this.size = b.length;
  }
  read(off: number, len: number): Uint8Array {
    return this.b.subarray(off, off + len);
  }
  close(): void {}
}

export class IndexReader {
  readonly toc: Toc;
  readonly symbols: string[];
  readonly size: number;
  private readonly src: ByteSource;
  private readonly postingsTable = new Map<string, NameEntry>();

  /** Opens `file` (read lazily through a window cache), or parses `bytes` when given. */
  constructor(
    readonly file: string,
    bytes?: Uint8Array,
  ) {
    this.src = bytes ? new MemSource(bytes) : new WindowedFile(file, 64 * 1024, 16);
    try {
      const size = (this.size = this.src.size);
      if (size < 5 + INDEX_TOC_LEN) {
        throw new CorruptBlockError(file, 0, `truncated: ${size} bytes is too short for an index (header + TOC need ${5 + INDEX_TOC_LEN})`);
      }
      const h = this.src.read(0, 5);
      const magic = be32At(h, 0);
      if (magic !== INDEX_MAGIC) throw new CorruptBlockError(file, 0, `bad magic 0x${magic.toString(16)}, expected 0xbaaad700 (index)`);
      if (h[4] !== INDEX_FORMAT_V2) throw new CorruptBlockError(file, 4, `unsupported index version ${h[4]}, expected 2`);

      const tocAt = size - INDEX_TOC_LEN;
      const tb = this.src.read(tocAt, INDEX_TOC_LEN);
      this.checkCrc(tb, 0, 48, tocAt, 'TOC');
      const d = new Decbuf(tb, file, 0, 48, tocAt);
      this.toc = {
        symbols: d.be64('TOC'),
        series: d.be64('TOC'),
        labelIndices: d.be64('TOC'),
        labelIndicesTable: d.be64('TOC'),
        postings: d.be64('TOC'),
        postingsTable: d.be64('TOC'),
      };
      for (const [k, v] of Object.entries(this.toc)) {
        if (v > tocAt) throw new CorruptBlockError(file, tocAt, `TOC entry ${k}=${v} points past the TOC`);
      }
      this.symbols = this.readSymbols();
      this.readPostingsTable();
    } catch (e) {
      this.src.close();
      throw e;
    }
  }

  /** Verifies the CRC stored right after b[from, to); `at` is b's offset in the file. */
  private checkCrc(b: Uint8Array, from: number, to: number, at: number, what: string): void {
    const want = be32At(b, to);
    const got = crc32c(b, from, to);
    if (want !== got) {
      throw new CorruptBlockError(this.file, at + from, `${what} CRC32C mismatch: stored 0x${want.toString(16)}, computed 0x${got.toString(16)}`);
    }
  }

  /** A section starting with len <4b>: verifies the CRC and returns a decoder over the body. */
  private section(at: number, what: string): Decbuf {
    const size = this.src.size;
    if (at + 4 > size) throw new CorruptBlockError(this.file, at, `truncated ${what}: length past end of file`);
    const len = be32At(this.src.read(at, 4), 0);
    if (at + 4 + len + 4 > size) throw new CorruptBlockError(this.file, at, `truncated ${what}: length ${len} runs past end of file`);
    const b = this.src.read(at + 4, len + 4);
    this.checkCrc(b, 0, len, at + 4, what);
    return new Decbuf(b, this.file, 0, len, at + 4);
  }

  private readSymbols(): string[] {
    const d = this.section(this.toc.symbols, 'symbol table');
    const n = d.be32('symbol count');
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = d.uvarintStr(`symbol ${i}`);
    return out;
  }

  private readPostingsTable(): void {
    const d = this.section(this.toc.postingsTable, 'postings offset table');
    const n = d.be32('postings offset count');
    for (let i = 0; i < n; i++) {
      const at = d.pos;
      const keys = d.uvarint('key count');
      if (keys !== 2) d.fail(`postings offset entry ${i}: key count ${keys}, expected 2`, at);
      const name = d.uvarintStr('label name');
      const value = d.uvarintStr('label value');
      const off = d.uvarint('postings offset');
      let e = this.postingsTable.get(name);
      if (!e) this.postingsTable.set(name, (e = { values: [], offsets: [] }));
      e.values.push(value);
      e.offsets.push(off);
    }
  }

  symbol(i: number, at: number): string {
    const s = this.symbols[i];
    if (s === undefined) throw new CorruptBlockError(this.file, at, `unknown symbol reference ${i} (table has ${this.symbols.length})`);
    return s;
  }

  /** Label names present in the block, sorted. */
  labelNames(): string[] {
    return [...this.postingsTable.keys()].filter((n) => n !== '').sort(compareBytewise);
  }

  /** Sorted values of one label name. */
  labelValues(name: string): string[] {
    if (name === '') return [];
    return this.postingsTable.get(name)?.values.slice() ?? [];
  }

  /** Series IDs having name=value (ascending). ("", "") is every series. */
  postings(name: string, value: string): Uint32Array {
    const e = this.postingsTable.get(name);
    if (!e) return new Uint32Array(0);
    let lo = 0;
    let hi = e.values.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareBytewise(e.values[mid]!, value);
      if (c === 0) return this.readPostings(e.offsets[mid]!, `postings for ${name}="${value}"`);
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return new Uint32Array(0);
  }

  /** Postings lists of every value of `name` accepted by `accept`. */
  postingsForValues(name: string, accept: (v: string) => boolean): Uint32Array[] {
    const e = this.postingsTable.get(name);
    if (!e) return [];
    const out: Uint32Array[] = [];
    e.values.forEach((v, i) => {
      if (accept(v)) out.push(this.readPostings(e.offsets[i]!, `postings for ${name}="${v}"`));
    });
    return out;
  }

  allPostings(): Uint32Array {
    return this.postings('', '');
  }

  private readPostings(at: number, what: string): Uint32Array {
    const d = this.section(at, what);
    const n = d.be32('postings count');
    if (d.remaining !== n * 4) d.fail(`${what}: ${n} entries need ${n * 4} bytes, section has ${d.remaining}`);
    const out = new Uint32Array(n);
    const b = d.buf;
    for (let i = 0, p = d.pos; i < n; i++, p += 4) out[i] = be32At(b, p);
    return out;
  }

  /** Decodes series `id` (offset / 16): its labels and chunk metas. */
  series(id: number): { labels: Labels; chunks: ChunkMeta[] } {
    const at = id * 16;
    const size = this.src.size;
    if (at < this.toc.series || at >= size) {
      throw new CorruptBlockError(this.file, at, `series reference ${id} outside the series section`);
    }
    const head = this.src.read(at, Math.min(5, size - at));
    const lenDec = new Decbuf(head, this.file, 0, head.length, at);
    const len = lenDec.uvarint('series length');
    const start = at + lenDec.pos;
    if (start + len + 4 > size) throw new CorruptBlockError(this.file, at, `truncated series: length ${len} runs past end of file`);
    const b = this.src.read(start, len + 4);
    this.checkCrc(b, 0, len, start, `series ${id}`);
    const d = new Decbuf(b, this.file, 0, len, start);
    const nl = d.uvarint('label count');
    const flat: string[] = new Array<string>(nl * 2);
    for (let i = 0; i < nl; i++) {
      const p = start + d.pos;
      flat[2 * i] = this.symbol(d.uvarint('label name ref'), p);
      flat[2 * i + 1] = this.symbol(d.uvarint('label value ref'), p);
    }
    const nc = d.uvarint('chunk count');
    const chunks: ChunkMeta[] = new Array<ChunkMeta>(nc);
    let t0 = 0;
    let ref = 0;
    for (let i = 0; i < nc; i++) {
      const mint = i === 0 ? d.varint('chunk mint') : t0 + d.uvarint('chunk mint delta');
      const maxt = mint + d.uvarint('chunk maxt delta');
      ref = i === 0 ? d.uvarint('chunk ref') : ref + d.varint('chunk ref delta');
      chunks[i] = { ref, mint, maxt };
      t0 = maxt;
    }
    return { labels: Labels.fromSortedFlat(flat), chunks };
  }

  /** Releases the file. */
  close(): void {
    this.src.close();
  }
}
