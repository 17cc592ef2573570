// Parse errors carry the byte position; the message reads like Prometheus': "1:5: parse error: ...".
export class ParseError extends Error {
  readonly pos: number;
  readonly line: number;
  readonly column: number;
  /** The bare message without position ("unexpected <EOF>"). */
  readonly detail: string;
  /** Set when the input needs a feature this engine does not implement (experimental syntax). */
  readonly unsupported: string | undefined;

  constructor(input: string, pos: number, detail: string, unsupported?: string) {
    const { line, column } = lineCol(input, pos);
    super(`${line}:${column}: parse error: ${detail}`);
    this.name = 'ParseError';
    this.pos = pos;
    this.line = line;
    this.column = column;
    this.detail = detail;
    this.unsupported = unsupported;
  }
}

/** 1-based line and column (bytes + 1) of a byte offset, as Prometheus prints positions. */
export function lineCol(input: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < input.length; i++) {
    if (input.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}
