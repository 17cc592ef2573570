// Tokenizer for Go text/template: text runs and {{ actions }}, with {{- -}} trimming and comments.
export type TokenType =
  | 'text' | 'open' | 'close' | 'ident' | 'field' | 'var' | 'string' | 'number' | 'bool' | 'nil'
  | 'dot' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma';

export interface Token {
  type: TokenType;
  value: string;
  /** Byte offset in the template, for line:col in errors. */
  pos: number;
}

export class TemplateError extends Error {
  constructor(
    readonly templateName: string,
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`template: ${templateName}:${line}:${col}: ${reason}`);
    this.name = 'TemplateError';
  }
}

export function lineCol(text: string, pos: number): [number, number] {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return [line, pos - last];
}

export function lex(name: string, src: string): Token[] {
  const out: Token[] = [];
  const fail = (pos: number, msg: string): never => {
    const [l, c] = lineCol(src, pos);
    throw new TemplateError(name, l, c, msg);
  };
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    const textEnd = open < 0 ? src.length : open;
    const trimLeft = open >= 0 && src.startsWith('{{- ', open);
    let text = src.slice(i, textEnd);
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) out.push({ type: 'text', value: text, pos: i });
    if (open < 0) break;
    let p = open + (trimLeft ? 3 : 2);
    // Comments: {{/* ... */}}
    const afterWs = src.slice(p).match(/^[ \t\r\n]*/)![0].length;
    if (src.startsWith('/*', p + (trimLeft ? afterWs : 0))) {
      const endC = src.indexOf('*/', p);
      if (endC < 0) fail(open, 'unclosed comment');
      let q = endC + 2;
      const trimR = src.startsWith(' -}}', q);
      q += trimR ? 4 : src.startsWith('}}', q) ? 2 : fail(q, 'comment ends before closing delimiter');
      i = q;
      if (trimR) i += src.slice(i).match(/^[ \t\r\n]*/)![0].length;
      continue;
    }
    out.push({ type: 'open', value: '{{', pos: open });
    for (;;) {
      while (p < src.length && ' \t\r\n'.includes(src[p]!)) p++;
      if (p >= src.length) fail(open, 'unclosed action');
      if (src.startsWith('-}}', p) && ' \t\r\n'.includes(src[p - 1]!)) {
        out.push({ type: 'close', value: '}}', pos: p });
        p += 3;
        p += src.slice(p).match(/^[ \t\r\n]*/)![0].length;
        break;
      }
      if (src.startsWith('}}', p)) {
        out.push({ type: 'close', value: '}}', pos: p });
        p += 2;
        break;
      }
      const c = src[p]!;
      const start = p;
      if (c === '"') {
        p++;
        while (p < src.length && src[p] !== '"') {
          if (src[p] === '\\') p++;
          if (src[p] === '\n') fail(start, 'unterminated quoted string');
          p++;
        }
        if (p >= src.length) fail(start, 'unterminated quoted string');
        p++;
        out.push({ type: 'string', value: unquote(src.slice(start, p), () => fail(start, 'invalid escape in string')), pos: start });
      } else if (c === '`') {
        const e = src.indexOf('`', p + 1);
        if (e < 0) fail(start, 'unterminated raw quoted string');
        out.push({ type: 'string', value: src.slice(p + 1, e), pos: start });
        p = e + 1;
      } else if (c === "'") {
        const m = /^'(\\.|[^'\\])'/.exec(src.slice(p));
        if (!m) fail(start, 'unterminated character constant');
        const ch = unquote(`"${m![1]!}"`, () => fail(start, 'invalid character constant'));
        out.push({ type: 'number', value: String(ch.codePointAt(0)), pos: start });
        p += m![0].length;
      } else if (c === '|') { out.push({ type: 'pipe', value: c, pos: p++ }); }
      else if (c === '(') { out.push({ type: 'lparen', value: c, pos: p++ }); }
      else if (c === ')') { out.push({ type: 'rparen', value: c, pos: p++ }); }
      else if (c === ',') { out.push({ type: 'comma', value: c, pos: p++ }); }
      else if (src.startsWith(':=', p)) { out.push({ type: 'declare', value: ':=', pos: p }); p += 2; }
      else if (c === '=') { out.push({ type: 'assign', value: '=', pos: p++ }); }
      else if (c === '$') {
        const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(p))!;
        out.push({ type: 'var', value: m[0], pos: p });
        p += m[0].length;
      } else if (c === '.' && /^\.[A-Za-z_]/.test(src.slice(p, p + 2))) {
        const m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(p))!;
        out.push({ type: 'field', value: m[0].slice(1), pos: p });
        p += m[0].length;
      } else if (c === '.' && !/[0-9]/.test(src[p + 1] ?? '')) {
        out.push({ type: 'dot', value: '.', pos: p++ });
      } else if (/[-+0-9.]/.test(c)) {
        const m = /^[-+]?(0[xX][0-9a-fA-F_]+|(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?)/.exec(src.slice(p));
        if (!m || m[0] === '' || m[0] === '-' || m[0] === '+') fail(start, `bad character ${JSON.stringify(c)}`);
        out.push({ type: 'number', value: m![0], pos: p });
        p += m![0].length;
      } else if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(p))!;
        const w = m[0];
        out.push({ type: w === 'true' || w === 'false' ? 'bool' : w === 'nil' ? 'nil' : 'ident', value: w, pos: p });
        p += w.length;
      } else {
        fail(p, `unexpected ${JSON.stringify(c)} in command`);
      }
    }
    i = p;
  }
  return out;
}

function unquote(q: string, onError: () => never): string {
  try {
    return JSON.parse(q.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b').replace(/\\'/g, "'")) as string;
  } catch {
    return onError();
  }
}
