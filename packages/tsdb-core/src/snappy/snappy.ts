// Snappy block format (not the framed stream format), as remote write/read use it:
// a uvarint of the uncompressed length, then literal and copy elements. Written from the
// format description; the decoder validates every length and offset, so a hostile payload
// yields a SnappyError instead of an out-of-bounds read or a huge allocation.
export class SnappyError extends Error {
  constructor(message: string) {
    super(`snappy: ${message}`);
    this.name = 'SnappyError';
  }
}

const MAX_BLOCK = 1 << 16; // matches are searched within 64 KiB blocks, as the reference encoder does
const HASH_BITS = 14;

export function decodedLength(src: Uint8Array): { length: number; headerBytes: number } {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5 && i < src.length; i++) {
    const b = src[i]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (result > 0xffffffff) throw new SnappyError('decoded length does not fit 32 bits');
      return { length: result, headerBytes: i + 1 };
    }
    shift += 7;
  }
  throw new SnappyError('corrupt input: bad length header');
}

export function snappyDecode(src: Uint8Array, maxLength = 512 * 1024 * 1024): Uint8Array {
  const { length, headerBytes } = decodedLength(src);
  if (length > maxLength) throw new SnappyError(`decoded length ${length} exceeds the limit of ${maxLength} bytes`);
  const dst = new Uint8Array(length);
  let s = headerBytes;
  let d = 0;
  while (s < src.length) {
    const tag = src[s]!;
    let len: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        len = tag >>> 2;
        s++;
        if (len >= 60) {
          const extra = len - 59;
          if (s + extra > src.length) throw new SnappyError(`corrupt input at byte ${s}: truncated literal length`);
          len = 0;
          for (let i = 0; i < extra; i++) len += src[s + i]! * 2 ** (8 * i);
          s += extra;
        }
        len += 1;
        if (s + len > src.length) throw new SnappyError(`corrupt input at byte ${s}: literal of ${len} bytes overruns the input`);
        if (d + len > length) throw new SnappyError(`corrupt input at byte ${s}: output exceeds the declared length ${length}`);
        dst.set(src.subarray(s, s + len), d);
        s += len;
        d += len;
        continue;
      }
      case 1:
        if (s + 2 > src.length) throw new SnappyError(`corrupt input at byte ${s}: truncated copy`);
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | src[s + 1]!;
        s += 2;
        break;
      case 2:
        if (s + 3 > src.length) throw new SnappyError(`corrupt input at byte ${s}: truncated copy`);
        len = (tag >>> 2) + 1;
        offset = src[s + 1]! | (src[s + 2]! << 8);
        s += 3;
        break;
      default:
        if (s + 5 > src.length) throw new SnappyError(`corrupt input at byte ${s}: truncated copy`);
        len = (tag >>> 2) + 1;
        offset = (src[s + 1]! | (src[s + 2]! << 8) | (src[s + 3]! << 16) | (src[s + 4]! << 24)) >>> 0;
        s += 5;
    }
    if (offset === 0 || offset > d) throw new SnappyError(`corrupt input at byte ${s}: copy offset ${offset} outside the ${d} bytes written`);
    if (d + len > length) throw new SnappyError(`corrupt input at byte ${s}: output exceeds the declared length ${length}`);
    // Overlapping copies repeat the pattern, so copy byte by byte when they overlap.
    if (offset >= len) dst.copyWithin(d, d - offset, d - offset + len);
    else for (let i = 0; i < len; i++) dst[d + i] = dst[d - offset + i]!;
    d += len;
  }
  if (d !== length) throw new SnappyError(`corrupt input: decoded ${d} bytes, header declared ${length}`);
  return dst;
}

export function snappyEncode(src: Uint8Array): Uint8Array {
  // Worst case: header + literal tags + data (the reference bound).
  const dst = new Uint8Array(32 + src.length + Math.ceil(src.length / 6));
  let d = 0;
  let n = src.length;
  do {
    dst[d++] = (n & 0x7f) | (n > 0x7f ? 0x80 : 0);
    n = Math.floor(n / 128);
  } while (n > 0);
  const table = new Int32Array(1 << HASH_BITS);
  for (let blockStart = 0; blockStart < src.length; blockStart += MAX_BLOCK) {
    d = encodeBlock(src, blockStart, Math.min(blockStart + MAX_BLOCK, src.length), dst, d, table);
  }
  return dst.subarray(0, d);
}

function load32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function hash(u: number): number {
  return Math.imul(u, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function encodeBlock(src: Uint8Array, start: number, end: number, dst: Uint8Array, d: number, table: Int32Array): number {
  table.fill(-1);
  let lit = start;
  let s = start;
  const limit = end - 4;
  while (s <= limit) {
    const h = hash(load32(src, s));
    const cand = table[h]!;
    table[h] = s;
    if (cand >= start && load32(src, cand) === load32(src, s)) {
      let len = 4;
      while (s + len < end && src[cand + len] === src[s + len]) len++;
      d = emitLiteral(src, lit, s, dst, d);
      d = emitCopy(s - cand, len, dst, d);
      s += len;
      lit = s;
      continue;
    }
    s++;
  }
  return emitLiteral(src, lit, end, dst, d);
}

function emitLiteral(src: Uint8Array, from: number, to: number, dst: Uint8Array, d: number): number {
  const len = to - from;
  if (len === 0) return d;
  const n = len - 1;
  if (n < 60) dst[d++] = n << 2;
  else if (n < 1 << 8) {
    dst[d++] = 60 << 2;
    dst[d++] = n;
  } else {
    dst[d++] = 61 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = n >>> 8;
  }
  dst.set(src.subarray(from, to), d);
  return d + len;
}

function emitCopy(offset: number, len: number, dst: Uint8Array, d: number): number {
  // 2-byte-offset copies carry up to 64 bytes each; offsets stay below 64 KiB within a block.
  while (len >= 68) {
    dst[d++] = (63 << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    len -= 64;
  }
  if (len > 64) {
    dst[d++] = (59 << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    len -= 60;
  }
  if (len >= 12 || offset >= 2048) {
    dst[d++] = ((len - 1) << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
  } else {
    dst[d++] = ((offset >>> 8) << 5) | ((len - 4) << 2) | 1;
    dst[d++] = offset & 0xff;
  }
  return d;
}
