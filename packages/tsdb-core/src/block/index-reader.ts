// Reads an `index` file (format v2; see docs/format/index.md). Symbols and the postings
// offset table are decoded on open (both CRC-checked); series entries and postings lists
// are decoded and CRC-checked when asked for.
import { readFileSync } from 'node:fs';
import { Labels } from '../labels.js';
import { crc32c } from './crc32c.js';
import { Decbuf, be32At, compareBytewise } from './encoding.js';
import { CorruptBlockError } from './errors.js';
import type { ChunkMeta } from './index-writer.js';
import { INDEX_FORMAT_V2, INDEX_MAGIC, INDEX_TOC_LEN } from './index-writer.js';

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

export class IndexReader {
  readonly toc: Toc;
  readonly symbols: string[];
  readonly size: number;
  private readonly b: Uint8Array;
  private readonly postingsTable = new Map<string, NameEntry>();

  constructor(
    readonly file: string,
    bytes?: Uint8Array,
  ) {
    const b = bytes ?? readFileSync(file);
    this.b = b;
    this.size = b.length;
    if (b.length < 5 + INDEX_TOC_LEN) {
      throw new CorruptBlockError(file, 0, `truncated: ${b.length} bytes is too short for an index (header + TOC need ${5 + INDEX_TOC_LEN})`);
    }
    const magic = be32At(b, 0);
    if (magic !== INDEX_MAGIC) throw new CorruptBlockError(file, 0, `bad magic 0x${magic.toString(16)}, expected 0xbaaad700 (index)`);
    if (b[4] !== INDEX_FORMAT_V2) throw new CorruptBlockError(file, 4, `unsupported index version ${b[4]}, expected 2`);

    const tocAt = b.length - INDEX_TOC_LEN;
    this.checkCrc(tocAt, tocAt + 48, 'TOC');
    const d = new Decbuf(b, file, tocAt, tocAt + 48);
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
  }

  private checkCrc(from: number, to: number, what: string): void {
    if (to + 4 > this.b.length) throw new CorruptBlockError(this.file, from, `truncated ${what}: CRC32C past end of file`);
    const want = be32At(this.b, to);
    const got = crc32c(this.b, from, to);
    if (want !== got) {
      throw new CorruptBlockError(this.file, from, `${what} CRC32C mismatch: stored 0x${want.toString(16)}, computed 0x${got.toString(16)}`);
    }
  }

  /** A section starting with len <4b>: verifies the CRC and returns a decoder over the body. */
  private section(at: number, what: string): Decbuf {
    if (at + 4 > this.b.length) throw new CorruptBlockError(this.file, at, `truncated ${what}: length past end of file`);
    const len = be32At(this.b, at);
    if (at + 4 + len + 4 > this.b.length) {
      throw new CorruptBlockError(this.file, at, `truncated ${what}: length ${len} runs past end of file`);
    }
    this.checkCrc(at + 4, at + 4 + len, what);
    return new Decbuf(this.b, this.file, at + 4, at + 4 + len);
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
    const b = this.b;
    for (let i = 0, p = d.pos; i < n; i++, p += 4) out[i] = be32At(b, p);
    return out;
  }

  /** Decodes series `id` (offset / 16): its labels and chunk metas. */
  series(id: number): { labels: Labels; chunks: ChunkMeta[] } {
    const at = id * 16;
    if (at < this.toc.series || at >= this.b.length) {
      throw new CorruptBlockError(this.file, at, `series reference ${id} outside the series section`);
    }
    const lenDec = new Decbuf(this.b, this.file, at);
    const len = lenDec.uvarint('series length');
    const start = lenDec.pos;
    if (start + len + 4 > this.b.length) throw new CorruptBlockError(this.file, at, `truncated series: length ${len} runs past end of file`);
    this.checkCrc(start, start + len, `series ${id}`);
    const d = new Decbuf(this.b, this.file, start, start + len);
    const nl = d.uvarint('label count');
    const flat: string[] = new Array<string>(nl * 2);
    for (let i = 0; i < nl; i++) {
      const p = d.pos;
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
}
