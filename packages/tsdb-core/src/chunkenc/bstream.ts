// Bit streams, most significant bit first, as Prometheus' bstream: the XOR chunk is a
// sequence of variable-width bit fields. JS bit operators are 32-bit, so fields wider than
// 32 bits are written and read as two halves (hi, lo).

/** Appends bit fields to a growable byte buffer. Unused bits of the last byte stay zero. */
export class BitWriter {
  buf: Uint8Array;
  /** Number of bits written. */
  pos: number;

  constructor(initial: Uint8Array = new Uint8Array(32), bitPos = 0) {
    this.buf = initial;
    this.pos = bitPos;
  }

  private grow(needBytes: number): void {
    let cap = this.buf.length * 2;
    while (cap < needBytes) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf);
    this.buf = next;
  }

  writeBit(bit: number): void {
    const i = this.pos >>> 3;
    if (i >= this.buf.length) this.grow(i + 1);
    if (bit) this.buf[i]! |= 0x80 >>> (this.pos & 7);
    this.pos++;
  }

  /** Writes the low n bits (0 <= n <= 32) of v. */
  writeBits(v: number, n: number): void {
    const end = (this.pos + n + 7) >>> 3;
    if (end > this.buf.length) this.grow(end);
    const buf = this.buf;
    let pos = this.pos;
    while (n > 0) {
      const free = 8 - (pos & 7);
      const take = n < free ? n : free;
      const bits = (v >>> (n - take)) & ((1 << take) - 1);
      buf[pos >>> 3]! |= bits << (free - take);
      pos += take;
      n -= take;
    }
    this.pos = pos;
  }

  /** Writes the low n bits (0 <= n <= 64) of the 64-bit value hi:lo. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  writeByte(b: number): void {
    this.writeBits(b & 0xff, 8);
  }

  /** Go's binary.PutUvarint over a non-negative safe integer, byte by byte. */
  writeUvarint(x: number): void {
    while (x >= 0x80) {
      this.writeByte((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.writeByte(x);
  }

  /** Go's binary.PutVarint (zig-zag) over a safe integer. */
  writeVarint(x: number): void {
    this.writeUvarint(x >= 0 ? x * 2 : -x * 2 - 1);
  }

  /** The written bytes (a view, not a copy). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, (this.pos + 7) >>> 3);
  }
}

/**
 * Reads bit fields from a byte buffer. Reading past the end yields zeros and sets `eof`,
 * so hot loops check one flag instead of catching exceptions.
 */
export class BitReader {
  buf: Uint8Array;
  pos: number;
  /** Length in bits. */
  readonly end: number;
  eof = false;
  /** Scratch outputs of readBits64. */
  hi = 0;
  lo = 0;

  constructor(buf: Uint8Array, bitPos = 0) {
    this.buf = buf;
    this.pos = bitPos;
    this.end = buf.length * 8;
  }

  readBit(): number {
    const pos = this.pos;
    if (pos >= this.end) {
      this.eof = true;
      return 0;
    }
    this.pos = pos + 1;
    return (this.buf[pos >>> 3]! >>> (7 - (pos & 7))) & 1;
  }

  /** Reads n bits (0 <= n <= 32) as an unsigned number. */
  readBits(n: number): number {
    const pos = this.pos;
    if (n === 0) return 0;
    if (pos + n > this.end) {
      this.eof = true;
      this.pos = this.end;
      return 0;
    }
    const buf = this.buf;
    const i = pos >>> 3;
    const off = pos & 7;
    if (n <= 25 && i + 4 <= buf.length) {
      // Fast path: one 32-bit big-endian window holds all the bits.
      const w = (buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!;
      this.pos = pos + n;
      return (w << off) >>> (32 - n);
    }
    let v = 0;
    let p = pos;
    let left = n;
    while (left > 0) {
      const avail = 8 - (p & 7);
      const take = left < avail ? left : avail;
      const bits = (buf[p >>> 3]! >>> (avail - take)) & ((1 << take) - 1);
      // Multiply rather than shift so a full 32-bit field stays unsigned.
      v = v * (1 << take) + bits;
      p += take;
      left -= take;
    }
    this.pos = p;
    return v >>> 0;
  }

  /** Reads n bits (0 <= n <= 64) into this.hi:this.lo. */
  readBits64(n: number): void {
    if (n > 32) {
      this.hi = this.readBits(n - 32);
      this.lo = this.readBits(32);
    } else {
      this.hi = 0;
      this.lo = this.readBits(n);
    }
  }

  readByte(): number {
    return this.readBits(8);
  }

  /** Go's binary.ReadUvarint; sets eof on a truncated or overlong varint. */
  readUvarint(): number {
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.readByte();
      if (this.eof) return 0;
      x += (b & 0x7f) * mul;
      if (b < 0x80) return x;
      mul *= 0x80;
    }
    this.eof = true;
    return 0;
  }

  /** Go's binary.ReadVarint (zig-zag). */
  readVarint(): number {
    const u = this.readUvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
}
