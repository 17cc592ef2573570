// Fast path of parseText: reads one sample line of the common shape straight into a Sample
// (line()), or one plain HELP/TYPE line (meta()), and declines everything else. A declined line goes to TextSampleParser, which owns the
// full grammar and every error message; so this scanner accepts only lines on which it provably
// agrees with that parser, and never throws.
// Accepted shape: `name{l="v",...} value[ timestamp]\n` or `name value[ timestamp]\n`: a legacy
// metric name, no blanks but the single space before the value (and the timestamp), no escapes,
// no duplicate, reserved or "__proto__" label names. For HELP/TYPE see meta().
// Speed comes from four things: lines are scanned as bytes (so only ASCII input takes this
// path); the part of a line equal to the previous accepted line (usually the name and most
// labels) is compared, not parsed; other names and values are interned, so repeated text costs no
// allocation; and samples are built by one object literal per label-name sequence (see
// sample-factory.ts) instead of one property store per label.
import {
  CH_BACKSLASH,
  CH_COMMA,
  CH_EQ,
  CH_HASH,
  CH_LBRACE,
  CH_LF,
  CH_QUOTE,
  CH_RBRACE,
  CH_SPACE,
  CH_TAB,
  isLabelNameChar,
  isLabelNameStart,
  isMetricNameChar,
  isMetricNameStart,
} from '../chars.js';
import { POW10, parseFloatText, parseInt64Text } from '../numbers.js';
import type { MetricType, Sample } from '../model.js';
import type { SampleFactory } from './sample-factory.js';
import { sampleFactory } from './sample-factory.js';

const TYPES = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['summary', 'summary'],
  ['untyped', 'unknown'],
  ['gaugehistogram', 'gaugehistogram'],
]);

/** Longest text interned; longer names and values are sliced every time. */
const MAX_INTERNED = 64;

export class LineScanner {
  /** The sample of the last accepted line. */
  sample: Sample = { name: '', labels: {}, value: 0 };
  // The last line accepted by meta(): HELP (with text) or TYPE (with metricType), about metaName.
  isHelp = false;
  metaName = '';
  /** Where metaName's text is in b (-1: nowhere yet). */
  private metaAt = -1;
  text = '';
  metricType: MetricType = 'unknown';
  /** Position in src of the next backslash at or after the last HELP text (src.length: none). */
  private nextBackslash = -1;
  /** The current chunk of the input as a string: characters [base, n) of b. */
  private src = '';
  private base = 0;
  /** The whole input, one byte per character: scanning a typed array is faster than charCodeAt. */
  private readonly b: Uint8Array;
  /** b again, for comparing four bytes at a time. */
  private readonly dv: DataView;
  /** End of the current chunk in b. */
  private n = 0;
  // Direct-mapped intern cache: slot -> string and one position in b where its text occurs.
  private readonly cacheStr: (string | undefined)[];
  private readonly cachePos: Int32Array;
  private readonly mask: number;
  // The current line's labels; between lines, the previous accepted line's (see prev*).
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  /** Position of each label value's closing quote, relative to its line's start. */
  private readonly quoteEnd: number[] = [];
  // The previous accepted line: where it starts (-1: none usable), its name, the relative
  // position of the space before its value, its label count and sample factory.
  private prevStart = -1;
  private prevName = '';
  private prevSeriesEnd = 0;
  private prevCount = 0;
  private prevFactory: SampleFactory | undefined = undefined;

  /**
   * `bytes` is the whole input, pure ASCII (see asciiBytes). The input is scanned in chunks of
   * whole lines (see chunk()); positions given to and returned by line() are offsets in bytes.
   */
  constructor(bytes: Uint8Array) {
    this.b = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // About one slot per 64 bytes of input, between 256 and 4096 slots.
    let size = 256;
    while (size < 4096 && size * 64 < bytes.length) size *= 2;
    this.cacheStr = new Array<string | undefined>(size).fill(undefined);
    this.cachePos = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Makes bytes [base, base + src.length), whose text is src and which end at a line end or the input's end, the current chunk. */
  chunk(src: string, base: number): void {
    this.nextBackslash = -1;
    this.src = src;
    this.base = base;
    this.n = base + src.length;
  }

  /**
   * Reads the sample line starting at `start` (the start of a line). Returns the position after
   * its LF and sets `sample`; or returns -1 when the line is not of the
   * accepted shape (or is not a sample at all).
   */
  line(start: number): number {
    const src = this.src;
    const n = this.n;
    const b = this.b;
    let p = start;
    let c = b[p]!;
    if (!isMetricNameStart(c)) return -1;
    const names = this.names;
    const values = this.values;
    const quoteEnd = this.quoteEnd;

    // How far this line equals the previous accepted one, up to and including the space before its value.
    let common = 0;
    if (this.prevStart >= 0) {
      const lim = this.prevSeriesEnd;
      const q = this.prevStart;
      // Four bytes at a time while both stay in bounds, then byte by byte.
      const dv = this.dv;
      const end4 = Math.min(lim + 1, this.n - p) - 3;
      while (common < end4 && dv.getInt32(p + common, true) === dv.getInt32(q + common, true)) common += 4;
      while (common <= lim && b[p + common]! === b[q + common]!) common++;
    }
    let name: string;
    let count = 0;
    let inList = false;
    // Whether names[0, count) may differ from the previous line's (whose sample factory is cached).
    let namesChanged = this.prevStart < 0;
    if (common > this.prevName.length) {
      // The name and the character after it match.
      name = this.prevName;
      if (common > this.prevSeriesEnd) {
        count = this.prevCount;
        p = start + this.prevSeriesEnd;
      } else {
        // Whole label pairs whose closing quote and following ',' or '}' match are taken as they are.
        while (count < this.prevCount && quoteEnd[count]! + 1 < common) count++;
        if (count === 0) {
          p = start + name.length;
        } else if (count < this.prevCount) {
          p = start + quoteEnd[count - 1]! + 2;
          inList = true;
        } else {
          p = start + quoteEnd[count - 1]! + 2;
        }
      }
      c = b[p]!;
    } else if (this.metaAt >= 0 && this.sameName(start, this.metaAt, this.metaName.length)) {
      // The first sample after a HELP/TYPE line mostly has that line's name.
      name = this.metaName;
      p = start + name.length;
      c = b[p]!;
    } else {
      let h = c;
      p++;
      while (isMetricNameChar((c = b[p]!))) {
        h = (h * 31 + c) | 0;
        p++;
      }
      name = this.intern(start, p, h);
    }

    if (!inList && c === CH_LBRACE && count === 0) {
      c = b[++p]!;
      inList = c !== CH_RBRACE;
      if (!inList) c = b[++p]!;
    }
    if (inList) {
      for (;;) {
        c = b[p]!;
        if (!isLabelNameStart(c)) return this.decline();
        const s = p;
        let h = c;
        p++;
        while (isLabelNameChar((c = b[p]!))) {
          h = (h * 31 + c) | 0;
          p++;
        }
        if (c !== CH_EQ || b[p + 1]! !== CH_QUOTE) return this.decline();
        const lname = this.intern(s, p, h);
        if (lname === '__name__' || lname === '__proto__') return this.decline();
        for (let i = 0; i < count; i++) if (names[i] === lname) return this.decline();
        p += 2;
        const vs = p;
        h = 0;
        while ((c = b[p]!) !== CH_QUOTE) {
          // An escape, a raw LF or the end of input (NaN) is the general parser's business.
          if (c === CH_BACKSLASH || c === CH_LF || p >= n) return this.decline();
          h = (h * 31 + c) | 0;
          p++;
        }
        if (names[count] !== lname) namesChanged = true;
        names[count] = lname;
        values[count] = this.intern(vs, p, h);
        quoteEnd[count] = p - start;
        count++;
        c = b[++p]!;
        if (c === CH_RBRACE) break;
        if (c !== CH_COMMA) return this.decline();
        p++;
      }
      c = b[++p]!;
    }
    if (c !== CH_SPACE) return this.decline();
    const seriesEnd = p - start;
    const vs = ++p;
    // Plain decimals of up to 15 digits ("190932", "0.25") are read in this one pass, with the
    // same arithmetic as parseFloatText; anything else is scanned and handed to it.
    let m = 0;
    c = b[p]!;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      c = b[++p]!;
    }
    let digits = p - vs;
    let fracDigits = 0;
    if (c === 46) {
      const f = ++p;
      c = b[p]!;
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        c = b[++p]!;
      }
      fracDigits = p - f;
      digits += fracDigits;
    }
    let v: number | undefined;
    if ((c === CH_SPACE || c === CH_LF) && p < n && digits > 0 && digits <= 15) {
      v = fracDigits === 0 ? m : m / POW10[fracDigits]!;
    } else {
      p = vs;
      while ((c = b[p]!) !== CH_SPACE && c !== CH_LF && c !== CH_TAB && p < n) p++;
      if (p === vs || p >= n || c === CH_TAB) return this.decline();
      v = parseFloatText(src, vs - this.base, p - this.base);
      if (v === undefined) return this.decline();
    }
    let ts: number | undefined;
    if (c === CH_SPACE) {
      const ts0 = ++p;
      while ((c = b[p]!) !== CH_LF && c !== CH_SPACE && c !== CH_TAB && p < n) p++;
      if (c !== CH_LF || p >= n) return this.decline();
      ts = parseInt64Text(src, ts0 - this.base, p - this.base);
      if (ts === undefined) return this.decline();
    }
    const make = namesChanged || count !== this.prevCount || this.prevFactory === undefined ? sampleFactory(names, count) : this.prevFactory;
    this.prevStart = start;
    this.prevName = name;
    this.prevSeriesEnd = seriesEnd;
    this.prevCount = count;
    this.prevFactory = make;
    const sample = make(name, values, v);
    if (ts !== undefined) sample.timestampMs = ts;
    this.sample = sample;
    return p + 1;
  }

  /**
   * Reads a `# HELP name text` or `# TYPE name type` line starting at `start` (the start of a
   * line): returns the position after its LF and sets metaName and text or metricType; or returns
   * -1 when the line is not of that exact shape (single spaces, a legacy name, HELP text without
   * escapes, a lower-case type word), leaving it to the streaming parser.
   */
  meta(start: number): number {
    const b = this.b;
    const n = this.n;
    if (b[start] !== CH_HASH || start + 8 >= n || b[start + 1] !== CH_SPACE || b[start + 6] !== CH_SPACE) return -1;
    const c2 = b[start + 2]!;
    const isHelp = c2 === 72 && b[start + 3] === 69 && b[start + 4] === 76 && b[start + 5] === 80; // HELP
    if (!isHelp && !(c2 === 84 && b[start + 3] === 89 && b[start + 4] === 80 && b[start + 5] === 69)) return -1; // TYPE
    let p = start + 7;
    let c = b[p]!;
    if (!isMetricNameStart(c)) return -1;
    const s = p;
    let name: string;
    if (this.metaAt >= 0 && this.sameName(s, this.metaAt, this.metaName.length)) {
      // TYPE mostly follows HELP for the same name.
      name = this.metaName;
      p += name.length;
      c = b[p]!;
    } else {
      let h = c;
      p++;
      while (isMetricNameChar((c = b[p]!))) {
        h = (h * 31 + c) | 0;
        p++;
      }
      name = this.intern(s, p, h);
    }
    if (p >= n) return -1;
    const src = this.src;
    const base = this.base;
    if (c === CH_LF) {
      if (!isHelp) return -1;
      this.metaName = name;
      this.text = '';
      this.isHelp = true;
      return p + 1;
    }
    if (c !== CH_SPACE) return -1;
    c = b[++p]!;
    if (c === CH_SPACE || c === CH_TAB || c === CH_LF) return -1;
    const lf = src.indexOf('\n', p - base);
    if (lf === -1) return -1;
    if (isHelp) {
      // The next backslash's position is cached, so these searches stay linear over the chunk.
      if (this.nextBackslash < p - base) {
        const bs = src.indexOf('\\', p - base);
        this.nextBackslash = bs === -1 ? src.length : bs;
      }
      if (this.nextBackslash < lf) return -1;
      this.text = src.slice(p - base, lf);
    } else {
      const t = TYPES.get(src.slice(p - base, lf));
      if (t === undefined) return -1;
      this.metricType = t;
    }
    this.metaName = name;
    this.metaAt = s;
    this.isHelp = isHelp;
    return lf + base + 1;
  }

  /** Whether the metric name at `p` is the `len` bytes at `at` (followed by a character that ends a name). */
  private sameName(p: number, at: number, len: number): boolean {
    if (p + len >= this.n || isMetricNameChar(this.b[p + len]!)) return false;
    const b = this.b;
    const dv = this.dv;
    let k = 0;
    while (k + 4 <= len && dv.getInt32(at + k, true) === dv.getInt32(p + k, true)) k += 4;
    while (k < len && b[at + k]! === b[p + k]!) k++;
    return k === len;
  }

  /** Declines a line after the label arrays may have changed: the next line is read in full. */
  private decline(): number {
    this.prevStart = -1;
    this.prevName = '';
    this.prevFactory = undefined;
    return -1;
  }

  /** The string src[start, end) whose hash is h, shared with earlier occurrences of the same text. */
  private intern(start: number, end: number, h: number): string {
    const len = end - start;
    if (len > MAX_INTERNED) return this.src.slice(start - this.base, end - this.base);
    const slot = (h ^ (h >>> 13) ^ len) & this.mask;
    const hit = this.cacheStr[slot];
    if (hit !== undefined && hit.length === len) {
      const b = this.b;
      const at = this.cachePos[slot]!;
      const dv = this.dv;
      let k = 0;
      while (k + 4 <= len && dv.getInt32(at + k, true) === dv.getInt32(start + k, true)) k += 4;
      while (k < len && b[at + k]! === b[start + k]!) k++;
      if (k === len) return hit;
    }
    const s = this.src.slice(start - this.base, end - this.base);
    this.cacheStr[slot] = s;
    this.cachePos[slot] = start;
    return s;
  }
}

/** src as one byte per character when it is pure ASCII (reusing `input`'s bytes when it has them), else undefined. */
export function asciiBytes(src: string, input: Uint8Array | string): Uint8Array | undefined {
  // Valid UTF-8 decodes to as many UTF-16 units as it has bytes only when every byte is ASCII.
  if (typeof input !== 'string') return input.length === src.length ? input : undefined;
  return Buffer.byteLength(src, 'utf8') === src.length ? Buffer.from(src, 'latin1') : undefined;
}
