// A text-format (0.0.4) sample stream for scrapers that cache series by their raw text. The
// caller passes the series text it expects on the next sample line (the same line of the
// previous scrape); when the line starts with exactly that text, only the value and timestamp
// are read: no name or label strings are made (`hit`). Any other line is parsed in full by
// TextSampleParser, so what is accepted and every error (message, line:column, byte offset) is
// the same as TextSampleParser over the whole input. The fast path only accepts lines the full
// parser would accept: a series text the caller got from this parser's series() on a good line
// is valid, and the value and timestamp are read by the same rules; anything unusual (a missing
// LF, a bad number, trailing text) goes to the full parser, which reports it.
import { CH_HASH, CH_LBRACE, CH_LF, CH_RBRACE, CH_SPACE, CH_TAB } from '../chars.js';
import { ExpositionError } from '../errors.js';
import { decodeInput, errorAt, locate } from '../input.js';
import type { Exemplar, MetricType } from '../model.js';
import { parseFloatText, parseInt64Text } from '../numbers.js';
import { TextSampleParser, setLabel } from './sample-parser.js';
import type { EntryType, SampleStream } from './sample-parser.js';

export class TextSeriesScanner implements SampleStream {
  readonly src: string;
  /** The input bytes when they are pure ASCII (string positions are byte positions then). */
  private readonly ascii: Buffer | undefined;
  private pos = 0;
  private entryStart = 0;
  private key = '';
  /** True when the current sample's series text equals the `expect` given to next(): name and labels were not read. */
  hit = false;
  name = '';
  readonly labelNames: string[] = [];
  readonly labelValues: string[] = [];
  labelCount = 0;
  value = 0;
  timestampMs: number | undefined = undefined;
  readonly exemplar: Exemplar | undefined = undefined;
  text = '';
  metricType: MetricType = 'unknown';

  constructor(input: Uint8Array | string) {
    this.src = decodeInput(input, 'text');
    this.ascii =
      typeof input !== 'string' && input.length === this.src.length ? Buffer.from(input.buffer, input.byteOffset, input.byteLength) : undefined;
  }

  /**
   * Advances to the next entry. `expect` is the series text ("name{labels}" as it appeared) the
   * caller expects on this line if it is a sample; on a match `hit` is set and only value and
   * timestampMs are updated.
   */
  next(expect?: string): EntryType | undefined {
    const src = this.src;
    const n = src.length;
    for (;;) {
      let p = this.pos;
      while (p < n && isBlank(src.charCodeAt(p))) p++;
      if (p >= n) {
        this.pos = p;
        return undefined;
      }
      this.entryStart = p;
      const c = src.charCodeAt(p);
      if (c === CH_LF) {
        this.pos = p + 1;
        continue;
      }
      if (c !== CH_HASH && expect !== undefined && this.fast(p, expect)) {
        this.hit = true;
        this.key = expect;
        return 'sample';
      }
      this.hit = false;
      const kind = this.fullLine(p);
      if (kind !== undefined) return kind;
    }
  }

  /** Reads a sample line whose series text is `expect`; false (nothing consumed) if it is not a clean match. */
  private fast(p: number, expect: string): boolean {
    const src = this.src;
    const n = src.length;
    if (!src.startsWith(expect, p)) return false;
    p += expect.length;
    if (p >= n) return false;
    if (expect.charCodeAt(expect.length - 1) !== CH_RBRACE) {
      // A plain name must end here, and not be followed by a label list ("foo {a="b"}" is another series).
      if (!isBlank(src.charCodeAt(p))) return false;
      while (p < n && isBlank(src.charCodeAt(p))) p++;
      if (src.charCodeAt(p) === CH_LBRACE) return false;
    } else {
      while (p < n && isBlank(src.charCodeAt(p))) p++;
    }
    const vs = p;
    let c = 0;
    while (p < n && !isBlank((c = src.charCodeAt(p))) && c !== CH_LF) p++;
    if (p >= n) return false;
    const v = parseFloatText(src, vs, p);
    if (v === undefined) return false;
    let ts: number | undefined;
    if (c !== CH_LF) {
      while (p < n && isBlank(src.charCodeAt(p))) p++;
      if (p >= n) return false;
      if (src.charCodeAt(p) !== CH_LF) {
        const s = p;
        while (p < n && !isBlank((c = src.charCodeAt(p))) && c !== CH_LF) p++;
        ts = parseInt64Text(src, s, p);
        if (ts === undefined) return false;
        while (p < n && isBlank(src.charCodeAt(p))) p++;
        if (p >= n || src.charCodeAt(p) !== CH_LF) return false;
      }
    }
    this.value = v;
    this.timestampMs = ts;
    this.pos = p + 1;
    return true;
  }

  /** Parses the line at `p` with the full parser; undefined for comments and other skipped lines. */
  private fullLine(p: number): EntryType | undefined {
    const src = this.src;
    const lf = src.indexOf('\n', p);
    const end = lf === -1 ? src.length : lf + 1;
    // A fresh copy of the line (not a slice of the body), so the strings a caller keeps from it
    // pin one line rather than the whole scrape.
    const line = this.ascii ? this.ascii.toString('latin1', p, end) : src.slice(p, end);
    const sub = new TextSampleParser(line);
    let kind: EntryType | undefined;
    try {
      kind = sub.next();
    } catch (e) {
      throw e instanceof ExpositionError ? this.relocate(e, line, p) : e;
    }
    this.pos = end;
    if (kind === undefined) return undefined;
    this.name = sub.name;
    this.text = sub.text;
    this.metricType = sub.metricType;
    if (kind === 'sample') {
      const count = sub.labelCount;
      for (let i = 0; i < count; i++) {
        this.labelNames[i] = sub.labelNames[i]!;
        this.labelValues[i] = sub.labelValues[i]!;
      }
      this.labelCount = count;
      this.value = sub.value;
      this.timestampMs = sub.timestampMs;
      const key = sub.series();
      // The line starts at the series text; a flat copy keeps a cached key from pinning the line.
      this.key = this.ascii && key.length > 12 ? this.ascii.toString('latin1', p, p + key.length) : key;
    }
    return kind;
  }

  /** The same error, located in the whole input rather than in the one line. */
  private relocate(e: ExpositionError, line: string, lineStart: number): ExpositionError {
    // The line's byte offset back to a string index within it.
    let i = 0;
    for (let bytes = 0; i < line.length && bytes < e.offset; i++) {
      const c = line.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        bytes += 4;
        i++;
      } else bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    const pos = lineStart + i;
    const { line: ln, column } = locate(this.src, pos);
    return e.movedTo({ line: ln, column, offset: Buffer.byteLength(this.src.slice(0, pos), 'utf8') });
  }

  /** The current sample's raw series text: `expect` on a hit, else (for ASCII input) a flat copy that pins no input. */
  series(): string {
    return this.key;
  }

  /** The current sample's labels (not valid after a hit, which reads none). */
  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.labelCount; i++) setLabel(out, this.labelNames[i]!, this.labelValues[i]!);
    return out;
  }

  errorAtEntry(message: string, expected?: string, found?: string): ExpositionError {
    return errorAt(this.src, this.entryStart, 'text', message, expected, found);
  }
}

function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}
