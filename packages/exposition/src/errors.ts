// Typed parse errors that say where (line/column for text, byte offset for protobuf),
// what was found and what was expected.
export interface ExpositionErrorDetails {
  format: 'text' | 'openmetrics' | 'protobuf';
  /** 1-based line, text formats only. */
  line?: number;
  /** 1-based column (in characters), text formats only. */
  column?: number;
  /** Byte offset into the input. */
  offset: number;
  /** What the parser expected at that position, e.g. "label name" or "'=' after label name". */
  expected?: string;
  /** The offending text, abbreviated. */
  found?: string;
}

export class ExpositionError extends Error {
  readonly format: ExpositionErrorDetails['format'];
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number;
  readonly expected: string | undefined;
  readonly found: string | undefined;
  /** The message without its "<format> parse error at <where>: " prefix. */
  readonly reason: string;

  constructor(message: string, details: ExpositionErrorDetails) {
    const where =
      details.line !== undefined ? `${details.line}:${details.column ?? 1}` : `byte ${details.offset}`;
    super(`${details.format} parse error at ${where}: ${message}`);
    this.name = 'ExpositionError';
    this.format = details.format;
    this.line = details.line;
    this.column = details.column;
    this.offset = details.offset;
    this.expected = details.expected;
    this.found = details.found;
    this.reason = message;
  }

  /** The same error at another position: a piece of the input parsed on its own, placed back in the whole. */
  movedTo(where: { line?: number; column?: number; offset: number }): ExpositionError {
    const details: ExpositionErrorDetails = { format: this.format, offset: where.offset };
    if (where.line !== undefined) details.line = where.line;
    if (where.column !== undefined) details.column = where.column;
    if (this.expected !== undefined) details.expected = this.expected;
    if (this.found !== undefined) details.found = this.found;
    return new ExpositionError(this.reason, details);
  }
}
