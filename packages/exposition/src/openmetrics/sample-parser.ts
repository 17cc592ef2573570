// Streaming parser for OpenMetrics 1.0 text: the strict line syntax (single spaces, no blank or
// comment lines, `# EOF` terminator, exemplars). Semantic rules that span lines (families,
// histogram structure, ordering) are checked by parseOpenMetrics on top of this stream.
// Quoted UTF-8 names (`{"my.metric"}`) are accepted as Prometheus 3 does.
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
  isLabelNameChar,
  isLabelNameStart,
  isMetricNameChar,
  isMetricNameStart,
} from '../chars.js';
import type { ExpositionError } from '../errors.js';
import { decodeInput, errorAt } from '../input.js';
import type { Exemplar, MetricType } from '../model.js';
import { parseFloatText } from '../numbers.js';
import { setLabel } from '../text/sample-parser.js';
import type { EntryType, SampleStream } from '../text/sample-parser.js';

const OM_TYPES = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['gaugehistogram', 'gaugehistogram'],
  ['stateset', 'stateset'],
  ['info', 'info'],
  ['summary', 'summary'],
  ['unknown', 'unknown'],
]);

/** Exemplar label sets may hold at most this many code points (names plus values). */
export const EXEMPLAR_MAX_CODE_POINTS = 128;

export class OpenMetricsSampleParser implements SampleStream {
  readonly src: string;
  private pos = 0;
  private entryStart = 0;
  private seriesStart = 0;
  private seriesEnd = 0;
  private done = false;
  name = '';
  readonly labelNames: string[] = [];
  readonly labelValues: string[] = [];
  labelCount = 0;
  value = 0;
  timestampMs: number | undefined = undefined;
  /** The timestamp as written, in seconds (OpenMetrics' unit). */
  timestampSeconds: number | undefined = undefined;
  exemplar: Exemplar | undefined = undefined;
  text = '';
  metricType: MetricType = 'unknown';

  constructor(input: Uint8Array | string) {
    this.src = decodeInput(input, 'openmetrics');
  }

  next(): EntryType | undefined {
    if (this.done) return undefined;
    const src = this.src;
    const p = this.pos;
    this.entryStart = p;
    if (p >= src.length) this.fail(p, 'unexpected end of input: missing "# EOF"', '# EOF');
    const c = src.charCodeAt(p);
    if (c === CH_HASH) return this.metadata(p);
    if (c === CH_LF) this.fail(p, 'blank lines are not allowed', 'metric name or #');
    this.sample(p);
    return 'sample';
  }

  series(): string {
    return this.src.slice(this.seriesStart, this.seriesEnd);
  }

  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.labelCount; i++) setLabel(out, this.labelNames[i]!, this.labelValues[i]!);
    return out;
  }

  errorAtEntry(message: string, expected?: string, found?: string): ExpositionError {
    return errorAt(this.src, this.entryStart, 'openmetrics', message, expected, found);
  }

  private fail(pos: number, message: string, expected?: string, found?: string): never {
    throw errorAt(this.src, pos, 'openmetrics', message, expected, found);
  }

  private lineRest(p: number): string {
    const lf = this.src.indexOf('\n', p);
    return this.src.slice(p, lf === -1 ? this.src.length : lf);
  }

  private expect(p: number, code: number, what: string): number {
    if (p >= this.src.length) this.fail(p, `unexpected end of input, expected ${what}`, what);
    if (this.src.charCodeAt(p) !== code) {
      this.fail(p, `expected ${what}, found "${this.src[p] === '\n' ? '\\n' : this.src[p]}"`, what, this.lineRest(p));
    }
    return p + 1;
  }

  private metadata(p: number): EntryType | undefined {
    const src = this.src;
    p = this.expect(p + 1, CH_SPACE, "' ' after '#'");
    if (src.startsWith('EOF', p)) {
      p += 3;
      if (p < src.length && src.charCodeAt(p) === CH_LF) p++;
      if (p < src.length) this.fail(p, 'unexpected content after "# EOF"', 'end of input', this.lineRest(p));
      this.done = true;
      this.pos = p;
      return undefined;
    }
    let kind: 'help' | 'type' | 'unit';
    if (src.startsWith('HELP ', p)) kind = 'help';
    else if (src.startsWith('TYPE ', p)) kind = 'type';
    else if (src.startsWith('UNIT ', p)) kind = 'unit';
    else this.fail(p, 'expected HELP, TYPE, UNIT or EOF after "# "', 'HELP, TYPE, UNIT or EOF', this.lineRest(p));
    p += 5;
    p = this.metricName(p);
    p = this.expect(p, CH_SPACE, "' ' after metric name");
    const lf = src.indexOf('\n', p);
    if (lf === -1) this.fail(src.length, 'unexpected end of input, expected a line feed', 'LF');
    if (kind === 'type') {
      const word = src.slice(p, lf);
      const t = OM_TYPES.get(word);
      if (t === undefined) this.fail(p, `invalid metric type "${word}"`, 'counter, gauge, histogram, gaugehistogram, stateset, info, summary or unknown', word);
      this.metricType = t;
    } else if (kind === 'help') {
      this.text = this.unescape(p, lf);
    } else {
      this.text = src.slice(p, lf);
    }
    this.pos = lf + 1;
    return kind;
  }

  /** Reads a plain or quoted metric name into this.name; returns the position after it. */
  private metricName(p: number): number {
    const src = this.src;
    const n = src.length;
    if (p < n && src.charCodeAt(p) === CH_QUOTE) {
      p = this.quoted(p + 1);
      this.name = this.text;
      return p;
    }
    const s = p;
    if (p >= n || !isMetricNameStart(src.charCodeAt(p))) this.fail(p, 'invalid metric name', 'metric name', this.lineRest(p));
    p++;
    while (p < n && isMetricNameChar(src.charCodeAt(p))) p++;
    this.name = src.slice(s, p);
    return p;
  }

  private sample(p: number): void {
    const src = this.src;
    const n = src.length;
    this.seriesStart = p;
    this.labelCount = 0;
    this.timestampMs = undefined;
    this.timestampSeconds = undefined;
    this.exemplar = undefined;
    if (src.charCodeAt(p) === CH_LBRACE) {
      // Quoted-name form: {"name", labels...}
      p = this.quoted(this.expect(p + 1, CH_QUOTE, 'quoted metric name'));
      this.name = this.text;
      if (p < n && src.charCodeAt(p) === CH_COMMA) p = this.labelPairs(p + 1, this.labelNames, this.labelValues, 0);
      else p = this.expect(p, CH_RBRACE, "',' or '}'");
    } else {
      p = this.metricName(p);
      if (p < n && src.charCodeAt(p) === CH_LBRACE) p = this.labelSet(p, this.labelNames, this.labelValues);
    }
    this.seriesEnd = p;
    p = this.expect(p, CH_SPACE, "' ' before the value");
    let e = this.tokenEnd(p);
    const v = parseFloatText(src, p, e);
    if (v === undefined) this.fail(p, `invalid value "${src.slice(p, e)}"`, 'number', src.slice(p, e));
    this.value = v;
    p = e;
    if (p < n && src.charCodeAt(p) === CH_SPACE) {
      p++;
      if (p < n && src.charCodeAt(p) !== CH_HASH) {
        e = this.tokenEnd(p);
        const ts = this.realNumber(p, e, 'timestamp');
        this.timestampSeconds = ts;
        this.timestampMs = Math.round(ts * 1000);
        p = e;
        if (p < n && src.charCodeAt(p) === CH_SPACE) {
          p++;
          if (p >= n || src.charCodeAt(p) !== CH_HASH) this.fail(p, "expected '#' starting an exemplar or end of line", "'#'", this.lineRest(p));
        }
      }
      if (p < n && src.charCodeAt(p) === CH_HASH) p = this.exemplarAt(p + 1);
    }
    this.pos = this.expect(p, CH_LF, 'end of line');
  }

  /** Parses ` {labels} value [timestamp]` after an exemplar's '#'. */
  private exemplarAt(p: number): number {
    const src = this.src;
    p = this.expect(p, CH_SPACE, "' ' after '#'");
    if (p >= src.length || src.charCodeAt(p) !== CH_LBRACE) this.fail(p, "expected '{' starting exemplar labels", "'{'", this.lineRest(p));
    const names: string[] = [];
    const values: string[] = [];
    const start = p;
    p = this.labelSet(p, names, values);
    let cps = 0;
    const labels: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      cps += codePoints(names[i]!) + codePoints(values[i]!);
      setLabel(labels, names[i]!, values[i]!);
    }
    if (cps > EXEMPLAR_MAX_CODE_POINTS) {
      this.fail(start, `exemplar labels have ${cps} code points, more than ${EXEMPLAR_MAX_CODE_POINTS}`, `at most ${EXEMPLAR_MAX_CODE_POINTS} code points`);
    }
    p = this.expect(p, CH_SPACE, "' ' before the exemplar value");
    let e = this.tokenEnd(p);
    const value = this.realNumber(p, e, 'exemplar value');
    const ex: Exemplar = { labels, value };
    p = e;
    if (p < src.length && src.charCodeAt(p) === CH_SPACE) {
      p++;
      e = this.tokenEnd(p);
      ex.timestamp = this.realNumber(p, e, 'exemplar timestamp');
      p = e;
    }
    this.exemplar = ex;
    return p;
  }

  /** A finite number (no NaN, no infinities), as timestamps and exemplar values require. */
  private realNumber(p: number, e: number, what: string): number {
    const v = parseFloatText(this.src, p, e);
    if (v === undefined || !Number.isFinite(v)) this.fail(p, `invalid ${what} "${this.src.slice(p, e)}"`, 'finite number', this.src.slice(p, e));
    return v;
  }

  private tokenEnd(p: number): number {
    const src = this.src;
    let c: number;
    while (p < src.length && (c = src.charCodeAt(p)) !== CH_SPACE && c !== CH_LF) p++;
    return p;
  }

  /** Parses `{name="value",...}` at `p` (the '{'); returns the position after '}'. */
  private labelSet(p: number, names: string[], values: string[]): number {
    p++;
    if (p < this.src.length && this.src.charCodeAt(p) === CH_RBRACE) return p + 1;
    return this.labelPairs(p, names, values, names === this.labelNames ? 0 : names.length);
  }

  private labelPairs(p: number, names: string[], values: string[], count: number): number {
    const src = this.src;
    const n = src.length;
    const ownLabels = names === this.labelNames;
    for (;;) {
      const ls = p;
      let lname: string;
      if (p < n && src.charCodeAt(p) === CH_QUOTE) {
        p = this.quoted(p + 1);
        lname = this.text;
      } else {
        if (p >= n || !isLabelNameStart(src.charCodeAt(p))) this.fail(p, 'invalid label name', 'label name', this.lineRest(p));
        p++;
        while (p < n && isLabelNameChar(src.charCodeAt(p))) p++;
        lname = src.slice(ls, p);
      }
      for (let i = 0; i < count; i++) {
        if (names[i] === lname) this.fail(ls, `duplicate label name "${lname}"`, 'unique label name', lname);
      }
      p = this.expect(p, CH_EQ, "'=' after label name");
      p = this.quoted(this.expect(p, CH_QUOTE, "'\"' starting the label value"));
      names[count] = lname;
      values[count] = this.text;
      count++;
      if (ownLabels) this.labelCount = count;
      if (p < n && src.charCodeAt(p) === CH_COMMA) {
        p++;
        continue;
      }
      return this.expect(p, CH_RBRACE, "',' or '}'");
    }
  }

  /** Reads a quoted string whose opening quote is before `p`; sets this.text; returns the position after the closing quote. */
  private quoted(p: number): number {
    const src = this.src;
    const n = src.length;
    const start = p;
    let escaped = false;
    for (;;) {
      if (p >= n) this.fail(p, 'unexpected end of input in quoted string', '\'"\'');
      const c = src.charCodeAt(p);
      if (c === CH_QUOTE) break;
      if (c === CH_LF) this.fail(p, 'unexpected end of line in quoted string', '\'"\'');
      if (c === CH_BACKSLASH) {
        escaped = true;
        p++;
        if (p < n && src.charCodeAt(p) === CH_LF) this.fail(p, 'unexpected end of line in quoted string', '\'"\'');
      }
      p++;
    }
    this.text = escaped ? this.unescape(start, p) : src.slice(start, p);
    return p + 1;
  }

  /** Resolves \\, \" and \n; any other backslash sequence stays as written (the ABNF allows it). */
  private unescape(start: number, end: number): string {
    const src = this.src;
    let i = src.indexOf('\\', start);
    if (i === -1 || i >= end) return src.slice(start, end);
    let out = '';
    let chunk = start;
    while (i !== -1 && i < end - 1) {
      const e = src.charCodeAt(i + 1);
      const rep = e === CH_BACKSLASH ? '\\' : e === CH_QUOTE ? '"' : e === 110 ? '\n' : undefined;
      if (rep !== undefined) {
        out += src.slice(chunk, i) + rep;
        chunk = i + 2;
      }
      i = src.indexOf('\\', i + 2);
    }
    return out + src.slice(chunk, end);
  }
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}
