// Reads records from a segment that may still be growing, starting at any record boundary:
// what the remote-write WAL watcher tails. A record not yet complete at the end of the bytes
// read is not an error here, only where to continue once more bytes have been written.
import { crc32c } from './crc32c.js';
import { FRAG_FIRST, FRAG_FULL, FRAG_LAST, FRAG_MIDDLE, FRAG_PAGE_TERM, PAGE_SIZE, RECORD_HEADER_SIZE } from './segments.js';

export interface TailResult {
  /** Absolute offset after the last whole record read: where the next read starts. */
  end: number;
  /** Set when the bytes at `end` are complete but invalid (corruption rather than a write in progress). */
  corrupt?: string;
}

/**
 * Calls onRecord(record, start, end, flags) for each whole record in buf, which holds the
 * segment's bytes from absolute offset base (a record boundary, e.g. a previous result's end).
 * flags are the record's compression bits; the record is passed as stored (still compressed).
 */
export function readRecordsFrom(
  buf: Uint8Array,
  base: number,
  onRecord: (rec: Uint8Array, start: number, end: number, flags: number) => void,
): TailResult {
  const limit = base + buf.length;
  let pos = base;
  let recStart = base;
  let parts: Uint8Array[] | undefined;
  let recFlags = 0;
  let end = base;
  const at = (abs: number): number => buf[abs - base]!;
  while (pos < limit) {
    const pageEnd = (Math.floor(pos / PAGE_SIZE) + 1) * PAGE_SIZE;
    if (pageEnd - pos < RECORD_HEADER_SIZE || at(pos) === FRAG_PAGE_TERM) {
      // Padding up to the end of the page; the writer writes it whole, so a short one is in progress.
      if (pageEnd > limit) break;
      pos = pageEnd;
      if (!parts) end = pos;
      continue;
    }
    const type = at(pos);
    const kind = type & 0x07;
    const flags = type & 0x18;
    if (kind < FRAG_FULL || kind > FRAG_LAST || (type & 0xe0) !== 0 || flags === 0x18) {
      return { end, corrupt: `invalid fragment type ${type} at byte ${pos}` };
    }
    if (pos + RECORD_HEADER_SIZE > limit) break;
    const l = (at(pos + 1) << 8) | at(pos + 2);
    const crc = ((at(pos + 3) << 24) | (at(pos + 4) << 16) | (at(pos + 5) << 8) | at(pos + 6)) >>> 0;
    const start = pos + RECORD_HEADER_SIZE;
    if (start + l > pageEnd) return { end, corrupt: `fragment of ${l} bytes crosses a page boundary at byte ${pos}` };
    if (start + l > limit) break;
    if (crc32c(buf, start - base, start - base + l) !== crc) return { end, corrupt: `checksum mismatch at byte ${pos}` };
    const data = buf.subarray(start - base, start - base + l);
    pos = start + l;
    if (kind === FRAG_FULL) {
      if (parts) return { end, corrupt: `whole record inside a fragmented one at byte ${recStart}` };
      onRecord(data, start - RECORD_HEADER_SIZE, pos, flags);
      end = pos;
    } else if (kind === FRAG_FIRST) {
      if (parts) return { end, corrupt: `first fragment inside a fragmented record at byte ${recStart}` };
      recStart = start - RECORD_HEADER_SIZE;
      recFlags = flags;
      parts = [data];
    } else {
      if (!parts) return { end, corrupt: `continuation fragment without a first one at byte ${start - RECORD_HEADER_SIZE}` };
      if (flags !== recFlags) return { end, corrupt: `compression flag changes within the record at byte ${recStart}` };
      parts.push(data);
      if (kind === FRAG_LAST) {
        let total = 0;
        for (const p of parts) total += p.length;
        const rec = new Uint8Array(total);
        let o = 0;
        for (const p of parts) {
          rec.set(p, o);
          o += p.length;
        }
        parts = undefined;
        onRecord(rec, recStart, pos, recFlags);
        end = pos;
      } else if (kind !== FRAG_MIDDLE) {
        return { end, corrupt: `invalid fragment type ${type}` };
      }
    }
  }
  return { end };
}
