// Splits an input (bytes in memory or a file read as it goes) into pieces that end at line
// boundaries, so inputs larger than a JavaScript string (~512 MiB) or a Buffer (2 GiB from
// readFile) can still be parsed piece by piece with bounded memory for the text.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type InputSource = Uint8Array | { file: string };

export interface Piece {
  bytes: Uint8Array;
  /** Byte offset of the piece in the whole input. */
  start: number;
  /** Lines (LF count) before the piece. */
  linesBefore: number;
  last: boolean;
}

export const DEFAULT_PIECE_BYTES = 16 << 20;

export function sourceSize(src: InputSource): number {
  if (src instanceof Uint8Array) return src.length;
  const fd = openSync(src.file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

function countLf(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i !== -1; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

export function* pieces(src: InputSource, pieceBytes = DEFAULT_PIECE_BYTES): Generator<Piece> {
  const fd = src instanceof Uint8Array ? undefined : openSync(src.file, 'r');
  try {
    const size = src instanceof Uint8Array ? src.length : fstatSync(fd!).size;
    let pos = 0; // next byte to read
    let carry: Uint8Array = new Uint8Array(0);
    let start = 0;
    let linesBefore = 0;
    for (;;) {
      const want = Math.max(0, Math.min(pieceBytes, size - pos));
      let chunk: Uint8Array;
      if (src instanceof Uint8Array) {
        chunk = src.subarray(pos, pos + want);
      } else {
        const buf = Buffer.allocUnsafe(want);
        let got = 0;
        while (got < want) {
          const n = readSync(fd!, buf, got, want - got, pos + got);
          if (n === 0) break;
          got += n;
        }
        chunk = buf.subarray(0, got);
      }
      pos += chunk.length;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const eof = pos >= size || chunk.length === 0;
      if (eof) {
        yield { bytes: data, start, linesBefore, last: true };
        return;
      }
      const cut = data.lastIndexOf(0x0a) + 1;
      if (cut === 0) {
        // No line end yet: a very long line; read on.
        carry = data;
        continue;
      }
      const bytes = data.subarray(0, cut);
      carry = data.slice(cut);
      yield { bytes, start, linesBefore, last: false };
      start += cut;
      linesBefore += countLf(bytes);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
