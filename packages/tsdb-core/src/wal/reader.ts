// Reads the records of one WAL segment, verifying every fragment. On damage it stops and
// reports the offset of the first byte of the record it could not complete: everything
// before that offset is whole and checksummed, so truncating there is the repair.
import { snappyDecode } from '../snappy/snappy.js';
import { crc32c } from './crc32c.js';
import { FLAG_SNAPPY, FRAG_FIRST, FRAG_FULL, FRAG_LAST, FRAG_MIDDLE, FRAG_PAGE_TERM, PAGE_SIZE, RECORD_HEADER_SIZE } from './segments.js';

/** Bound on a decompressed record, so a corrupt length header cannot allocate gigabytes. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface SegmentDamage {
  /** Byte offset in the segment of the record that is torn or corrupt. */
  offset: number;
  reason: string;
}

/** Raised for valid Prometheus WAL features this reader does not implement (never "repaired"). */
export class WALUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WALUnsupportedError';
  }
}

/**
 * Calls onRecord(record, offset) for each whole record; returns the damage, if any. An error
 * thrown by onRecord (a record that does not decode) is reported as damage at that record.
 */
export function readSegment(
  buf: Uint8Array,
  onRecord: (rec: Uint8Array, offset: number) => void,
  segmentLabel = 'segment',
): SegmentDamage | undefined {
  const len = buf.length;
  let pos = 0;
  let inRecord = false;
  let recStart = 0;
  let recFlags = 0;
  let parts: Uint8Array[] = [];
  const damage = (reason: string): SegmentDamage => ({ offset: inRecord ? recStart : pos, reason });
  const emit = (rec: Uint8Array, offset: number, flags: number): SegmentDamage | undefined => {
    try {
      // Prometheus compresses the whole record, then fragments it; every fragment carries the flag.
      onRecord(flags === FLAG_SNAPPY ? snappyDecode(rec, MAX_RECORD_BYTES) : rec, offset);
      return undefined;
    } catch (e) {
      if (e instanceof WALUnsupportedError) throw e;
      return { offset, reason: `record does not decode: ${(e as Error).message}` };
    }
  };
  while (pos < len) {
    const pageEnd = (Math.floor(pos / PAGE_SIZE) + 1) * PAGE_SIZE;
    if (pageEnd - pos < RECORD_HEADER_SIZE) {
      for (let i = pos; i < Math.min(pageEnd, len); i++) if (buf[i] !== 0) return damage('non-zero byte in page padding');
      pos = pageEnd;
      continue;
    }
    const type = buf[pos]!;
    if (type === FRAG_PAGE_TERM) {
      for (let i = pos; i < Math.min(pageEnd, len); i++) if (buf[i] !== 0) return damage('non-zero byte in page padding');
      pos = pageEnd;
      continue;
    }
    const kind = type & 0x07;
    if (kind < FRAG_FULL || kind > FRAG_LAST || (type & 0xe0) !== 0) return damage(`invalid fragment type ${type}`);
    const flags = type & 0x18;
    if (pos + RECORD_HEADER_SIZE > len) return damage('torn fragment header');
    const l = (buf[pos + 1]! << 8) | buf[pos + 2]!;
    const crc = ((buf[pos + 3]! << 24) | (buf[pos + 4]! << 16) | (buf[pos + 5]! << 8) | buf[pos + 6]!) >>> 0;
    const start = pos + RECORD_HEADER_SIZE;
    if (start + l > pageEnd) return damage(`fragment of ${l} bytes crosses a page boundary`);
    if (start + l > len) return damage('torn fragment');
    if (crc32c(buf, start, start + l) !== crc) return damage('checksum mismatch');
    // Only a checksummed fragment is trusted to really carry a compression flag.
    if (flags !== 0 && flags !== FLAG_SNAPPY) {
      throw new WALUnsupportedError(
        `${segmentLabel}: zstd-compressed WAL record at byte ${pos} (Prometheus --storage.tsdb.wal-compression-type=zstd); only Snappy compression is supported, switch Prometheus to snappy or start without this WAL`,
      );
    }
    const data = buf.subarray(start, start + l);
    switch (kind) {
      case FRAG_FULL: {
        if (inRecord) return damage('whole record inside a fragmented one');
        const d = emit(data, pos, flags);
        if (d) return d;
        break;
      }
      case FRAG_FIRST:
        if (inRecord) return damage('first fragment inside a fragmented record');
        inRecord = true;
        recStart = pos;
        recFlags = flags;
        parts = [data];
        break;
      case FRAG_MIDDLE:
        if (!inRecord) return damage('middle fragment without a first one');
        if (flags !== recFlags) return damage('compression flag changes within a record');
        parts.push(data);
        break;
      case FRAG_LAST: {
        if (!inRecord) return damage('last fragment without a first one');
        if (flags !== recFlags) return damage('compression flag changes within a record');
        parts.push(data);
        let total = 0;
        for (const p of parts) total += p.length;
        const rec = new Uint8Array(total);
        let o = 0;
        for (const p of parts) {
          rec.set(p, o);
          o += p.length;
        }
        inRecord = false;
        parts = [];
        const d = emit(rec, recStart, recFlags);
        if (d) return d;
        break;
      }
    }
    pos = start + l;
  }
  if (inRecord) return damage('torn record: last fragment missing');
  return undefined;
}
