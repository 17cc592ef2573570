// Turning an input into the string the text parsers scan, and turning a string position back
// into the line:column and byte offset an ExpositionError reports.
import { isAscii, isUtf8 } from 'node:buffer';
import { ExpositionError } from './errors.js';

type TextFormat = 'text' | 'openmetrics';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Decodes UTF-8 bytes (rejecting malformed sequences with their byte offset); strings pass through. */
export function decodeInput(input: Uint8Array | string, format: TextFormat): string {
  if (typeof input === 'string') return input;
  // Most expositions are pure ASCII, which latin1 decodes byte for byte, about 5x faster than TextDecoder.
  if (isAscii(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  if (!isUtf8(input)) {
    const offset = firstInvalidUtf8(input);
    const src = decoder.decode(input.subarray(0, offset));
    const where = locate(src, src.length);
    throw new ExpositionError('invalid UTF-8', {
      format,
      line: where.line,
      column: where.column,
      offset,
      expected: 'UTF-8 text',
      found: `byte 0x${(input[offset] ?? 0).toString(16).padStart(2, '0')}`,
    });
  }
  return decoder.decode(input);
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > b.length || !isUtf8(b.subarray(i, i + n))) return i;
    i += n;
  }
  return b.length;
}

/** 1-based line and column (in code points) of string position `pos`. */
export function locate(src: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = src.indexOf('\n'); i !== -1 && i < pos; i = src.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < pos && i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) column++; // count code points, not UTF-16 units
  }
  return { line, column };
}

/** Abbreviates offending text for error messages. */
export function abbreviate(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

/** Builds the typed error for string position `pos`, with its byte offset in the UTF-8 input. */
export function errorAt(
  src: string,
  pos: number,
  format: TextFormat,
  message: string,
  expected?: string,
  found?: string,
): ExpositionError {
  const { line, column } = locate(src, pos);
  const offset = Buffer.byteLength(src.slice(0, Math.min(pos, src.length)), 'utf8');
  const details: ConstructorParameters<typeof ExpositionError>[1] = { format, line, column, offset };
  if (expected !== undefined) details.expected = expected;
  if (found !== undefined) details.found = abbreviate(found);
  return new ExpositionError(message, details);
}
