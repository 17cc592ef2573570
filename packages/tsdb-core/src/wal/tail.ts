// Reads records from a segment that may still be growing, starting at any record boundary:
// what the remote-write WAL watcher tails. A record not yet complete at the end of the bytes
// read is not an error here, only where to continue once more bytes have been written.
import { FragmentCursor, Step } from './fragments.js';

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
  // Padding is not checked: the writer may not have written it yet.
  const c = new FragmentCursor(buf, base);
  // Wrapped so that whatever onRecord returns never stops the walk.
  const step = c.walk((rec, start, end, flags) => {
    onRecord(rec, start, end, flags);
  });
  const corrupt = corruption(c, step);
  return corrupt === undefined ? { end: c.resumeAt } : { end: c.resumeAt, corrupt };
}

/** Undefined where the bytes just end (a write in progress). */
function corruption(c: FragmentCursor, step: Step): string | undefined {
  switch (step) {
    case Step.BAD_TYPE:
      return `invalid fragment type ${c.fragmentType} at byte ${c.fragmentOffset}`;
    case Step.CROSSES_PAGE:
      return `fragment of ${c.fragmentLength} bytes crosses a page boundary at byte ${c.fragmentOffset}`;
    case Step.BAD_CHECKSUM:
      return `checksum mismatch at byte ${c.fragmentOffset}`;
    case Step.FULL_IN_RECORD:
      return `whole record inside a fragmented one at byte ${c.recordStart}`;
    case Step.FIRST_IN_RECORD:
      return `first fragment inside a fragmented record at byte ${c.recordStart}`;
    case Step.MIDDLE_WITHOUT_FIRST:
    case Step.LAST_WITHOUT_FIRST:
      return `continuation fragment without a first one at byte ${c.fragmentOffset}`;
    case Step.FLAG_CHANGE:
      return `compression flag changes within the record at byte ${c.recordStart}`;
    default:
      // END and TORN_*: the bytes stop short; padding and compression are not checked here.
      return undefined;
  }
}
