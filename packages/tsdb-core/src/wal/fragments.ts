// The page and fragment walk of a WAL segment (Prometheus wlog layout), shared by the replay
// reader (a complete segment) and the tail reader (a segment that may still be growing). A
// segment is 32 KiB pages of fragments, each a 7-byte header (type and compression bits,
// big-endian length, CRC-32C of the data) and its data; a record is one FULL fragment or
// FIRST, MIDDLE..., LAST. A page ends in zero padding where the next header would not fit.
// The cursor only says what it found and where; each reader words and handles that itself.
import { crc32c } from './crc32c.js';
import { FLAG_SNAPPY, FRAG_FIRST, FRAG_FULL, FRAG_LAST, FRAG_MIDDLE, FRAG_PAGE_TERM, PAGE_SIZE, RECORD_HEADER_SIZE } from './segments.js';

/**
 * Where FragmentCursor.walk() stopped. RECORD: onRecord asked to stop after a record (walk()
 * again continues behind it). END: the bytes ran out at a fragment or page boundary (`inRecord`
 * tells whether a record was left open). TORN_*: the bytes ran out inside a header or a
 * fragment's data. Every other step is complete bytes that are wrong, described by the
 * cursor's fragment* and record* fields.
 */
export const Step = {
  RECORD: 0,
  END: 1,
  TORN_HEADER: 2,
  TORN_FRAGMENT: 3,
  BAD_PADDING: 4,
  BAD_TYPE: 5,
  CROSSES_PAGE: 6,
  BAD_CHECKSUM: 7,
  UNSUPPORTED_COMPRESSION: 8,
  FULL_IN_RECORD: 9,
  FIRST_IN_RECORD: 10,
  MIDDLE_WITHOUT_FIRST: 11,
  LAST_WITHOUT_FIRST: 12,
  FLAG_CHANGE: 13,
} as const;
export type Step = (typeof Step)[keyof typeof Step];

export interface FragmentCursorOptions {
  /** Padding must be zero bytes, as in a closed segment; otherwise it is skipped unread. */
  strictPadding?: boolean;
  /**
   * Snappy is the only compression read: a fragment with other compression bits stops the walk
   * with UNSUPPORTED_COMPRESSION, once its checksum shows the bits are really written. Otherwise
   * any single compression bit passes through, and both bits at once make an invalid type.
   */
  snappyOnly?: boolean;
}

const BOTH_FLAGS = 0x18;

/** Called with each whole record as stored (still compressed if flags say so); returning true stops the walk there. */
export type OnFragmentRecord = (rec: Uint8Array, start: number, end: number, flags: number) => boolean | void;

/**
 * Walks buf, the bytes of a segment from absolute offset base (a record boundary). All offsets
 * it reports are absolute. Nothing is allocated per fragment: a FULL record is a view into buf,
 * a fragmented one a single copy made at its LAST fragment. Records are handed to a callback
 * rather than returned one call at a time, which keeps the walk in one loop on small records.
 */
export class FragmentCursor {
  /** Offset of the first fragment header of the record left open (while inRecord). */
  recordStart = 0;
  /** Compression bits of the record left open. */
  recordFlags = 0;
  /** True while a FIRST fragment has been read but not its LAST. */
  inRecord = false;
  /** Where a reader of a growing segment resumes: after the last whole record and the complete padding behind it. */
  resumeAt: number;
  /** Where the walk stopped on anything but RECORD: the offset of that fragment or padding. */
  fragmentOffset = 0;
  /** The type byte of that fragment (BAD_TYPE and later steps). */
  fragmentType = 0;
  /** The data length its header declares (CROSSES_PAGE and later steps). */
  fragmentLength = 0;

  private readonly buf: Uint8Array;
  private readonly base: number;
  private readonly limit: number;
  private readonly strictPadding: boolean;
  private readonly snappyOnly: boolean;
  private readonly invalidFlags: number;
  private pos: number;
  private stopped: Step = Step.RECORD;
  /** Data ranges of the open record's fragments, as [start, end) pairs of buf indexes. */
  private readonly parts: number[] = [];
  private partCount = 0;
  private partBytes = 0;

  constructor(buf: Uint8Array, base = 0, options: FragmentCursorOptions = {}) {
    this.buf = buf;
    this.base = base;
    this.limit = base + buf.length;
    this.pos = base;
    this.resumeAt = base;
    this.strictPadding = options.strictPadding ?? false;
    this.snappyOnly = options.snappyOnly ?? false;
    this.invalidFlags = this.snappyOnly ? -1 : BOTH_FLAGS;
  }

  /**
   * Calls onRecord for each whole record; returns why it stopped, and keeps returning that
   * unless it was RECORD. An exception from onRecord leaves the cursor unusable.
   */
  walk(onRecord: OnFragmentRecord): Step {
    if (this.stopped !== Step.RECORD) return this.stopped;
    const buf = this.buf;
    const base = this.base;
    const limit = this.limit;
    const strictPadding = this.strictPadding;
    const invalidFlags = this.invalidFlags;
    const snappyOnly = this.snappyOnly;
    let pos = this.pos;
    while (pos < limit) {
      const pageEnd = pos - (pos % PAGE_SIZE) + PAGE_SIZE;
      const type = buf[pos - base]!;
      if (pageEnd - pos < RECORD_HEADER_SIZE || type === FRAG_PAGE_TERM) {
        const stop = pageEnd < limit ? pageEnd : limit;
        if (strictPadding) {
          for (let i = pos - base; i < stop - base; i++) if (buf[i] !== 0) return this.fail(Step.BAD_PADDING, pos, type, 0);
        }
        // Padding is written whole, so a short one at the end is still being written.
        if (pageEnd <= limit && !this.inRecord) this.resumeAt = pageEnd;
        pos = stop;
        continue;
      }
      const kind = type & 0x07;
      const flags = type & BOTH_FLAGS;
      if (kind < FRAG_FULL || kind > FRAG_LAST || (type & 0xe0) !== 0 || flags === invalidFlags) {
        return this.fail(Step.BAD_TYPE, pos, type, 0);
      }
      if (pos + RECORD_HEADER_SIZE > limit) return this.fail(Step.TORN_HEADER, pos, type, 0);
      const h = pos - base;
      const l = (buf[h + 1]! << 8) | buf[h + 2]!;
      const crc = ((buf[h + 3]! << 24) | (buf[h + 4]! << 16) | (buf[h + 5]! << 8) | buf[h + 6]!) >>> 0;
      const start = h + RECORD_HEADER_SIZE;
      const next = pos + RECORD_HEADER_SIZE + l;
      if (next > pageEnd) return this.fail(Step.CROSSES_PAGE, pos, type, l);
      if (next > limit) return this.fail(Step.TORN_FRAGMENT, pos, type, l);
      if (crc32c(buf, start, start + l) !== crc) return this.fail(Step.BAD_CHECKSUM, pos, type, l);
      if (snappyOnly && flags !== 0 && flags !== FLAG_SNAPPY) return this.fail(Step.UNSUPPORTED_COMPRESSION, pos, type, l);
      if (kind === FRAG_FULL) {
        if (this.inRecord) return this.fail(Step.FULL_IN_RECORD, pos, type, l);
        this.resumeAt = next;
        if (onRecord(buf.subarray(start, start + l), pos, next, flags) === true) return this.pause(next);
        pos = next;
        continue;
      }
      if (kind === FRAG_FIRST) {
        if (this.inRecord) return this.fail(Step.FIRST_IN_RECORD, pos, type, l);
        this.inRecord = true;
        this.recordStart = pos;
        this.recordFlags = flags;
        this.partCount = 0;
        this.partBytes = 0;
      } else {
        if (!this.inRecord) return this.fail(kind === FRAG_MIDDLE ? Step.MIDDLE_WITHOUT_FIRST : Step.LAST_WITHOUT_FIRST, pos, type, l);
        if (flags !== this.recordFlags) return this.fail(Step.FLAG_CHANGE, pos, type, l);
      }
      this.parts[2 * this.partCount] = start;
      this.parts[2 * this.partCount + 1] = start + l;
      this.partCount++;
      this.partBytes += l;
      if (kind === FRAG_LAST) {
        this.inRecord = false;
        this.resumeAt = next;
        if (onRecord(this.joinParts(), this.recordStart, next, flags) === true) return this.pause(next);
      }
      pos = next;
    }
    this.pos = pos;
    this.stopped = Step.END;
    return Step.END;
  }

  /** onRecord asked to stop: the next walk() starts behind that record. */
  private pause(next: number): Step {
    this.pos = next;
    return Step.RECORD;
  }

  private fail(step: Step, at: number, type: number, length: number): Step {
    this.fragmentOffset = at;
    this.fragmentType = type;
    this.fragmentLength = length;
    this.stopped = step;
    return step;
  }

  private joinParts(): Uint8Array {
    const rec = new Uint8Array(this.partBytes);
    const parts = this.parts;
    let o = 0;
    for (let k = 0; k < 2 * this.partCount; k += 2) {
      const s = parts[k]!;
      const e = parts[k + 1]!;
      rec.set(this.buf.subarray(s, e), o);
      o += e - s;
    }
    return rec;
  }
}
