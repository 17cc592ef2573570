// Tokenizer for PromQL. Context matters in two places, as in Prometheus' lexer: inside `{}`
// words are label names, and inside `[]` a colon separates range and step instead of being
// part of a metric name.
import { ParseError } from './errors.js';

export type TokenKind =
  | 'IDENT' // identifier or keyword (keywords are resolved by the parser, case-insensitively)
  | 'NUMBER'
  | 'DURATION'
  | 'STRING'
  | 'OP' // operators and punctuation
  | 'EOF';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value for STRING, numeric value for NUMBER, ms for DURATION. */
  str?: string;
  num?: number;
  pos: number;
  end: number;
}

const DURATION_RE = /^(?:\d+(?:ms|s|m|h|d|w|y))+/y;
const NUMBER_RE = /^(?:0[xX][0-9a-fA-F]+|(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y;
const IDENT_RE = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const METRIC_RE = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const OPS = ['</', '>/', '==', '!=', '<=', '>=', '=~', '!~', '+', '-', '*', '/', '%', '^', '<', '>', '=', '(', ')', '{', '}', '[', ']', ',', ':', '@'];

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

export function durationTokenMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[a-zA-Z0-9_]/.test(c);
}

export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let braces = 0;
  let brackets = 0;
  // Open ( [ { in order, for Prometheus' "unclosed left parenthesis"-style errors.
  const open: string[] = [];
  const n = input.length;
  while (i < n) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && input[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'" || c === '`') {
      const [str, end] = readString(input, i);
      out.push({ kind: 'STRING', text: input.slice(start, end), str, pos: start, end });
      i = end;
      continue;
    }
    if (/[0-9.]/.test(c) && !(c === '.' && !/[0-9]/.test(input[i + 1] ?? ''))) {
      DURATION_RE.lastIndex = 0;
      const rest = input.slice(i);
      const d = DURATION_RE.exec(rest);
      if (d && !isIdentChar(rest[d[0].length])) {
        out.push({ kind: 'DURATION', text: d[0], num: durationTokenMs(d[0]), pos: start, end: i + d[0].length });
        i += d[0].length;
        continue;
      }
      NUMBER_RE.lastIndex = 0;
      const m = NUMBER_RE.exec(rest);
      if (m) {
        const text = m[0];
        if (isIdentChar(rest[text.length]) || rest[text.length] === '.') {
          if (brackets > 0) throw new ParseError(input, i, `bad duration syntax: "${text}"`);
          throw new ParseError(input, i, `bad number or duration syntax: "${rest.slice(0, text.length + 1)}"`);
        }
        const num = /^0[xX]/.test(text) ? parseInt(text.slice(2), 16) : Number(text.replace(/_/g, ''));
        out.push({ kind: 'NUMBER', text, num, pos: start, end: i + text.length });
        i += text.length;
        continue;
      }
    }
    const re = braces > 0 || brackets > 0 ? IDENT_RE : METRIC_RE;
    re.lastIndex = i;
    const id = re.exec(input);
    if (id && id.index === i) {
      out.push({ kind: 'IDENT', text: id[0], pos: start, end: i + id[0].length });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) {
      if (op === '(' || op === '[' || op === '{') open.push(op);
      if (op === ')' || op === ']' || op === '}') {
        const want = op === ')' ? '(' : op === ']' ? '[' : '{';
        if (open[open.length - 1] !== want) {
          const what = op === ')' ? 'right parenthesis' : op === ']' ? 'right bracket' : 'right brace';
          throw new ParseError(input, i + 1, `unexpected ${what} '${op}'`);
        }
        open.pop();
      }
      if (op === '{') braces++;
      else if (op === '}') braces = Math.max(0, braces - 1);
      else if (op === '[') brackets++;
      else if (op === ']') brackets = Math.max(0, brackets - 1);
      out.push({ kind: 'OP', text: op, pos: start, end: i + op.length });
      i += op.length;
      continue;
    }
    if (c === '!') throw new ParseError(input, i, `unexpected character after '!': ${quoteChar(input[i + 1])}`);
    throw new ParseError(input, i, `unexpected character: ${quoteChar(c)}`);
  }
  const unclosed = open[open.length - 1];
  if (unclosed === '(') throw new ParseError(input, n, 'unclosed left parenthesis');
  if (unclosed === '[') throw new ParseError(input, n, 'unclosed left bracket');
  if (unclosed === '{') throw new ParseError(input, n, 'unexpected end of input inside braces');
  out.push({ kind: 'EOF', text: '', pos: n, end: n });
  return out;
}

function quoteChar(c: string | undefined): string {
  return c === undefined ? 'EOF' : `'${c}'`;
}

const SIMPLE_ESC: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * Reads a quoted string starting at `start`; returns the decoded value and the end offset. Go escape
 * rules. Strings are byte sequences in Go: `\xNN` and octal escapes produce bytes, and bytes that do
 * not form valid UTF-8 are kept as lone surrogates U+DC80..U+DCFF (printed back as `\xNN`).
 */
export function readString(input: string, start: number): [string, number] {
  const q = input[start]!;
  let i = start + 1;
  if (q === '`') {
    const end = input.indexOf('`', i);
    if (end < 0) throw new ParseError(input, start, 'unterminated raw string');
    return [input.slice(i, end), end + 1];
  }
  const bytes: number[] = [];
  const pushText = (s: string): void => {
    for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
  };
  for (;;) {
    if (i >= input.length || input[i] === '\n') throw new ParseError(input, start, 'unterminated quoted string');
    const c = input[i]!;
    if (c === q) return [decodeBytes(bytes), i + 1];
    if (c !== '\\') {
      const cp = input.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      pushText(ch);
      i += ch.length;
      continue;
    }
    const e = input[i + 1];
    if (e === undefined) throw new ParseError(input, start, 'unterminated quoted string');
    if (e in SIMPLE_ESC) {
      pushText(SIMPLE_ESC[e]!);
      i += 2;
    } else if (e === q) {
      pushText(q);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = input.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new ParseError(input, i, 'invalid escape sequence in string');
      const cp = parseInt(hex, 16);
      if (e === 'x') bytes.push(cp);
      else {
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new ParseError(input, i, 'invalid escape sequence in string');
        pushText(String.fromCodePoint(cp));
      }
      i += 2 + len;
    } else if (/[0-7]/.test(e)) {
      const oct = input.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw new ParseError(input, i, 'invalid escape sequence in string');
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else {
      throw new ParseError(input, i, `unknown escape sequence '${e}'`);
    }
  }
}

/** UTF-8 decoding that maps each invalid byte b to the lone surrogate U+DC00+b. */
export function decodeBytes(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let need = 0;
    let cp = 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b < 0xe0) [need, cp] = [1, b & 0x1f];
    else if (b >= 0xe0 && b < 0xf0) [need, cp] = [2, b & 0x0f];
    else if (b >= 0xf0 && b < 0xf5) [need, cp] = [3, b & 0x07];
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && ((need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp < 0xe000))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}

/** True when the string holds only valid UTF-8 (no bytes kept as lone surrogates). */
export function isValidUtf8(s: string): boolean {
  return !/[\udc80-\udcff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}
