// Streaming parser for the text format 0.0.4: walks the exposition line by line and exposes one
// entry at a time (sample, HELP, TYPE or comment) in reused fields, without building families.
// This is the scraper's hot path; parseText() assembles families on top of it.
// Syntax follows prometheus/common expfmt: blanks (space, tab) separate tokens, empty lines and
// comments are allowed, label lists may end with a comma, timestamps are int64 milliseconds,
// every line (including the last) ends with LF, names may be quoted UTF-8 strings.
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
import type { ExpositionError } from '../errors.js';
import { decodeInput, errorAt } from '../input.js';
import type { Exemplar, MetricType } from '../model.js';
import { parseFloatText, parseInt64Text } from '../numbers.js';

export type EntryType = 'sample' | 'help' | 'type' | 'unit' | 'comment';

/** What every streaming sample parser (text, OpenMetrics) exposes about its current entry. */
export interface SampleStream {
  /** Advances to the next entry; undefined at the end of the exposition. Throws ExpositionError. */
  next(): EntryType | undefined;
  /** Sample name, or the metric name a HELP/TYPE/UNIT line is about. */
  name: string;
  /** Label names and values of the current sample: entries [0, labelCount) are valid. */
  readonly labelNames: string[];
  readonly labelValues: string[];
  labelCount: number;
  value: number;
  /** Milliseconds since the epoch, or undefined. */
  timestampMs: number | undefined;
  exemplar: Exemplar | undefined;
  /** HELP text (unescaped), UNIT text, or the comment text. */
  text: string;
  /** Parsed type of a TYPE entry ('untyped' is reported as 'unknown'). */
  metricType: MetricType;
  /** The raw "name{labels}" text of the current sample: a cheap, stable cache key for a series. */
  series(): string;
  /** The current sample's labels as a record, in exposition order. */
  labels(): Record<string, string>;
  /** An error located at the start of the current entry (for semantic checks done by the caller). */
  errorAtEntry(message: string, expected?: string, found?: string): ExpositionError;
}

// expfmt matches the type word case-insensitively.
const TEXT_TYPES = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['summary', 'summary'],
  ['untyped', 'unknown'],
  ['gaugehistogram', 'gaugehistogram'],
]);

export class TextSampleParser implements SampleStream {
  readonly src: string;
  private pos = 0;
  private entryStart = 0;
  private seriesStart = 0;
  private seriesEnd = 0;
  private nameInBraces = false;
  // Strings of the previous sample, reused when the next line repeats them (fewer allocations).
  private plainName = '';
  private readonly plainLabels: (string | undefined)[] = [];
  private readonly cleanValues: (string | undefined)[] = [];
  private lastQuotedClean = true;
  /** Position of the next backslash at or after the last HELP text scanned (src.length: none). */
  private nextBackslash = -1;
  /** Where that search started: the cache holds for positions in [backslashFrom, nextBackslash]. */
  private backslashFrom = 0;
  name = '';
  readonly labelNames: string[] = [];
  readonly labelValues: string[] = [];
  labelCount = 0;
  value = 0;
  timestampMs: number | undefined = undefined;
  exemplar: Exemplar | undefined = undefined;
  text = '';
  metricType: MetricType = 'unknown';

  constructor(input: Uint8Array | string) {
    this.src = decodeInput(input, 'text');
  }

  next(): EntryType | undefined {
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
      if (c === CH_HASH) {
        const t = this.comment(p + 1);
        if (t !== undefined) return t;
        continue;
      }
      this.sample(p);
      return 'sample';
    }
  }

  series(): string {
    return this.src.slice(this.seriesStart, this.seriesEnd);
  }

  /** Where in `src` the next call to next() starts scanning (just after the current entry). */
  get offset(): number {
    return this.pos;
  }

  /** Makes next() continue at `pos`, which must be the start of a line (parseText's fast path hands lines over this way). */
  seek(pos: number): void {
    this.pos = pos;
  }

  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.labelCount; i++) setLabel(out, this.labelNames[i]!, this.labelValues[i]!);
    return out;
  }

  errorAtEntry(message: string, expected?: string, found?: string): ExpositionError {
    return errorAt(this.src, this.entryStart, 'text', message, expected, found);
  }

  private fail(pos: number, message: string, expected?: string, found?: string): never {
    throw errorAt(this.src, pos, 'text', message, expected, found);
  }

  private eof(pos: number): never {
    this.fail(pos, 'unexpected end of input stream', 'a line ending in LF');
  }

  /** Parses a '#' line starting after the '#'; returns undefined for plain comments the caller skips. */
  private comment(p: number): EntryType | undefined {
    const src = this.src;
    const n = src.length;
    while (p < n && isBlank(src.charCodeAt(p))) p++;
    const kwStart = p;
    while (p < n && !isBlank(src.charCodeAt(p)) && src.charCodeAt(p) !== CH_LF) p++;
    const kwLen = p - kwStart;
    const isHelp = kwLen === 4 && src.startsWith('HELP', kwStart);
    const isType = !isHelp && kwLen === 4 && src.startsWith('TYPE', kwStart);
    if (isHelp || isType) {
      while (p < n && isBlank(src.charCodeAt(p))) p++;
      if (p >= n) this.eof(p);
      if (src.charCodeAt(p) !== CH_LF) {
        p = this.metadataName(p);
        while (p < n && isBlank(src.charCodeAt(p))) p++;
        if (p >= n) this.eof(p);
        if (isHelp) {
          if (src.charCodeAt(p) === CH_LF) {
            this.text = '';
            this.pos = p + 1;
          } else {
            this.text = this.helpText(p);
          }
          return 'help';
        }
        const lf = src.indexOf('\n', p);
        if (lf === -1) this.eof(n);
        const word = src.slice(p, lf);
        const t = TEXT_TYPES.get(word.toLowerCase());
        if (t === undefined) {
          this.fail(p, `unknown metric type "${word}"`, 'counter, gauge, histogram, summary or untyped', word);
        }
        this.metricType = t;
        this.pos = lf + 1;
        return 'type';
      }
    }
    const lf = src.indexOf('\n', p);
    if (lf === -1) this.eof(n);
    this.text = src.slice(kwStart, lf);
    this.pos = lf + 1;
    return undefined;
  }

  /** Reads the metric name of a HELP/TYPE line (plain or quoted); returns the position after it. */
  private metadataName(p: number): number {
    const src = this.src;
    if (src.charCodeAt(p) === CH_QUOTE) {
      p = this.quoted(p + 1, 'metric name');
      this.name = this.text;
    } else {
      const s = p;
      if (!isMetricNameStart(src.charCodeAt(p))) {
        this.fail(p, 'invalid metric name in comment', 'metric name', src.slice(p, lineEnd(src, p)));
      }
      p++;
      while (p < src.length && isMetricNameChar(src.charCodeAt(p))) p++;
      this.name = src.slice(s, p);
    }
    const c = src.charCodeAt(p);
    if (p < src.length && !isBlank(c) && c !== CH_LF) {
      this.fail(p, 'invalid metric name in comment', 'blank after metric name', src.slice(p, lineEnd(src, p)));
    }
    return p;
  }

  /** Reads HELP text up to LF, resolving \\, \n and \" escapes. */
  private helpText(p: number): string {
    const src = this.src;
    const n = src.length;
    const start = p;
    // Most HELP texts have no escape: find the LF and the next backslash with indexOf (the
    // backslash position is cached, so the scans stay linear over the whole input).
    const lf = src.indexOf('\n', p);
    if (lf !== -1) {
      if (this.nextBackslash < p || p < this.backslashFrom) {
        const bs = src.indexOf('\\', p);
        this.nextBackslash = bs === -1 ? n : bs;
        this.backslashFrom = p;
      }
      if (this.nextBackslash > lf) {
        this.pos = lf + 1;
        return src.slice(p, lf);
      }
    }
    let out: string | undefined;
    let chunk = p;
    for (;;) {
      if (p >= n) this.eof(p);
      const c = src.charCodeAt(p);
      if (c === CH_LF) break;
      if (c === CH_BACKSLASH) {
        const e = src.charCodeAt(p + 1);
        let rep: string;
        if (e === CH_BACKSLASH) rep = '\\';
        else if (e === 110) rep = '\n';
        else if (e === CH_QUOTE) rep = '"';
        else if (p + 1 >= n) this.eof(p + 1);
        else this.fail(p, `invalid escape sequence '\\${src[p + 1]}'`, '\\\\, \\n or \\"', src.slice(p, p + 2));
        out = (out ?? '') + src.slice(chunk, p) + rep;
        p += 2;
        chunk = p;
        continue;
      }
      p++;
    }
    this.pos = p + 1;
    return out === undefined ? src.slice(start, p) : out + src.slice(chunk, p);
  }

  private sample(p: number): void {
    const src = this.src;
    const n = src.length;
    this.seriesStart = p;
    this.labelCount = 0;
    this.timestampMs = undefined;
    let haveName = false;
    if (src.charCodeAt(p) !== CH_LBRACE) {
      // Consecutive lines mostly repeat the previous name: reuse that string instead of a new slice.
      const prev = this.plainName;
      if (prev.length > 0 && src.startsWith(prev, p) && !isMetricNameChar(src.charCodeAt(p + prev.length))) {
        p += prev.length;
        this.name = prev;
      } else {
        const s = p;
        if (!isMetricNameStart(src.charCodeAt(p))) {
          this.fail(p, 'invalid metric name', 'metric name', src.slice(p, lineEnd(src, p)));
        }
        p++;
        while (p < n && isMetricNameChar(src.charCodeAt(p))) p++;
        this.name = this.plainName = src.slice(s, p);
      }
      haveName = true;
      this.seriesEnd = p;
      while (p < n && isBlank(src.charCodeAt(p))) p++;
    }
    if (p < n && src.charCodeAt(p) === CH_LBRACE) {
      this.nameInBraces = false;
      p = this.labelList(p + 1, haveName);
      haveName ||= this.nameInBraces;
      this.seriesEnd = p;
      while (p < n && isBlank(src.charCodeAt(p))) p++;
    }
    if (!haveName) this.fail(this.seriesStart, 'invalid metric name', 'metric name');
    if (p >= n) this.eof(p);
    // Value: a token up to a blank or LF.
    const vs = p;
    let c = 0;
    while (p < n && !isBlank((c = src.charCodeAt(p))) && c !== CH_LF) p++;
    if (p >= n) this.eof(p);
    if (p === vs) this.fail(p, 'expected float as value, got ""', 'float value', '');
    const v = parseFloatText(src, vs, p);
    if (v === undefined) {
      const tok = src.slice(vs, p);
      this.fail(vs, `expected float as value, got "${tok}"`, 'float value', tok);
    }
    this.value = v;
    if (c !== CH_LF) {
      while (p < n && isBlank(src.charCodeAt(p))) p++;
      if (p >= n) this.eof(p);
      if (src.charCodeAt(p) !== CH_LF) {
        const ts = p;
        while (p < n && !isBlank((c = src.charCodeAt(p))) && c !== CH_LF) p++;
        if (p >= n) this.eof(p);
        const t = parseInt64Text(src, ts, p);
        if (t === undefined) {
          const tok = src.slice(ts, p);
          this.fail(ts, `expected integer as timestamp, got "${tok}"`, 'integer timestamp (ms)', tok);
        }
        this.timestampMs = t;
        while (p < n && isBlank(src.charCodeAt(p))) p++;
        if (p >= n) this.eof(p);
        if (src.charCodeAt(p) !== CH_LF) {
          const rest = src.slice(p, lineEnd(src, p));
          this.fail(p, `spurious string after timestamp: "${rest}"`, 'end of line', rest);
        }
      }
    }
    this.pos = p + 1;
  }

  /** Parses `label="value", ...}` after the '{'; a first quoted string without '=' is the metric name. */
  private labelList(p: number, haveName: boolean): number {
    const src = this.src;
    const n = src.length;
    for (;;) {
      while (p < n && isBlank(src.charCodeAt(p))) p++;
      if (p >= n) this.eof(p);
      let c = src.charCodeAt(p);
      if (c === CH_RBRACE) return p + 1;
      let lname: string;
      const ls = p;
      if (c === CH_QUOTE) {
        p = this.quoted(p + 1, 'label name');
        lname = this.text;
        while (p < n && isBlank(src.charCodeAt(p))) p++;
        if (p >= n) this.eof(p);
        c = src.charCodeAt(p);
        if (c !== CH_EQ) {
          if (haveName || this.labelCount > 0) {
            this.fail(p, `expected '=' after label name, found "${src[p]}"`, "'='", src[p]);
          }
          this.name = lname;
          this.nameInBraces = true;
          haveName = true;
          p = this.afterPair(p);
          if (src.charCodeAt(p - 1) === CH_RBRACE) return p;
          continue;
        }
      } else {
        const prev = this.plainLabels[this.labelCount];
        if (prev !== undefined && src.startsWith(prev, p) && !isLabelNameChar(src.charCodeAt(p + prev.length))) {
          p += prev.length;
          lname = prev;
        } else {
          if (!isLabelNameStart(c)) {
            this.fail(p, 'invalid label name', 'label name', src.slice(p, lineEnd(src, p)));
          }
          p++;
          while (p < n && isLabelNameChar(src.charCodeAt(p))) p++;
          lname = src.slice(ls, p);
          this.plainLabels[this.labelCount] = lname;
        }
        while (p < n && isBlank(src.charCodeAt(p))) p++;
        if (p >= n) this.eof(p);
        if (src.charCodeAt(p) !== CH_EQ) {
          this.fail(p, `expected '=' after label name, found "${src[p]}"`, "'='", src[p]);
        }
      }
      if (lname === '__name__') this.fail(ls, 'label name "__name__" is reserved', 'label name', lname);
      for (let i = 0; i < this.labelCount; i++) {
        if (this.labelNames[i] === lname) {
          this.fail(ls, `duplicate label names for metric "${this.name}"`, 'unique label name', lname);
        }
      }
      p++;
      while (p < n && isBlank(src.charCodeAt(p))) p++;
      if (p >= n) this.eof(p);
      if (src.charCodeAt(p) !== CH_QUOTE) {
        this.fail(p, `expected '"' at start of label value, found "${src[p]}"`, "'\"'", src[p]);
      }
      const prevValue = this.cleanValues[this.labelCount];
      if (prevValue !== undefined && src.startsWith(prevValue, p + 1) && src.charCodeAt(p + 1 + prevValue.length) === CH_QUOTE) {
        // Same value as the previous line's (stored only when it had no escapes, so raw text equals it).
        p += prevValue.length + 2;
        this.text = prevValue;
      } else {
        p = this.quoted(p + 1, 'label value');
        this.cleanValues[this.labelCount] = this.lastQuotedClean ? this.text : undefined;
      }
      this.labelNames[this.labelCount] = lname;
      this.labelValues[this.labelCount] = this.text;
      this.labelCount++;
      p = this.afterPair(p);
      if (src.charCodeAt(p - 1) === CH_RBRACE) return p;
    }
  }

  /** After a label pair: blanks then ',' (continue) or '}' (end); returns the position after it. */
  private afterPair(p: number): number {
    const src = this.src;
    const n = src.length;
    while (p < n && isBlank(src.charCodeAt(p))) p++;
    if (p >= n) this.eof(p);
    const c = src.charCodeAt(p);
    if (c === CH_COMMA || c === CH_RBRACE) return p + 1;
    this.fail(p, `unexpected character "${src[p]}" after label value`, "',' or '}'", src[p]);
  }

  /** Reads a double-quoted string whose opening quote is before `p`; sets this.text, returns the position after the closing quote. */
  private quoted(p: number, what: string): number {
    const src = this.src;
    const n = src.length;
    const start = p;
    let out: string | undefined;
    let chunk = p;
    for (;;) {
      if (p >= n) this.eof(p);
      const c = src.charCodeAt(p);
      if (c === CH_QUOTE) break;
      if (c === CH_LF) this.fail(p, `${what} contains unescaped new-line`, 'closing \'"\'');
      if (c === CH_BACKSLASH) {
        const e = src.charCodeAt(p + 1);
        let rep: string;
        if (e === CH_BACKSLASH) rep = '\\';
        else if (e === CH_QUOTE) rep = '"';
        else if (e === 110) rep = '\n';
        else if (p + 1 >= n) this.eof(p + 1);
        else this.fail(p, `invalid escape sequence '\\${src[p + 1]}'`, '\\\\, \\" or \\n', src.slice(p, p + 2));
        out = (out ?? '') + src.slice(chunk, p) + rep;
        p += 2;
        chunk = p;
        continue;
      }
      p++;
    }
    this.lastQuotedClean = out === undefined;
    this.text = out === undefined ? src.slice(start, p) : out + src.slice(chunk, p);
    return p + 1;
  }
}

function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}

function lineEnd(src: string, p: number): number {
  const lf = src.indexOf('\n', p);
  return lf === -1 ? src.length : lf;
}

/** Assigns a label without ever touching Object.prototype (a label may be called "__proto__"). */
export function setLabel(out: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}
