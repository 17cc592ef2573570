// Reads the records of one WAL segment, verifying every fragment. On damage it stops and
// reports the offset of the first byte of the record it could not complete: everything
// before that offset is whole and checksummed, so truncating there is the repair.
import { snappyDecode } from '../snappy/snappy.js';
import { FragmentCursor, Step } from './fragments.js';
import { FLAG_SNAPPY } from './segments.js';

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
  // A complete segment: its padding is checked too, and zstd is refused rather than truncated.
  const c = new FragmentCursor(buf, 0, { strictPadding: true, snappyOnly: true });
  let decodeDamage: SegmentDamage | undefined;
  const step = c.walk((rec, start, _end, flags) => {
    decodeDamage = deliver(rec, start, flags, onRecord);
    return decodeDamage !== undefined;
  });
  if (decodeDamage) return decodeDamage;
  return step === Step.END && !c.inRecord ? undefined : damage(c, step, segmentLabel);
}

/** An error thrown by onRecord is damage at that record, unless it is about an unsupported feature. */
function deliver(rec: Uint8Array, offset: number, flags: number, onRecord: (rec: Uint8Array, offset: number) => void): SegmentDamage | undefined {
  try {
    // Prometheus compresses the whole record, then fragments it; every fragment carries the flag.
    onRecord(flags === FLAG_SNAPPY ? snappyDecode(rec, MAX_RECORD_BYTES) : rec, offset);
    return undefined;
  } catch (e) {
    if (e instanceof WALUnsupportedError) throw e;
    return { offset, reason: `record does not decode: ${(e as Error).message}` };
  }
}

/** The damage where the cursor stopped: at the open record if there is one, else at the fragment. */
function damage(c: FragmentCursor, step: Step, segmentLabel: string): SegmentDamage {
  if (step === Step.UNSUPPORTED_COMPRESSION) {
    throw new WALUnsupportedError(
      `${segmentLabel}: zstd-compressed WAL record at byte ${c.fragmentOffset} (Prometheus --storage.tsdb.wal-compression-type=zstd); only Snappy compression is supported, switch Prometheus to snappy or start without this WAL`,
    );
  }
  return { offset: c.inRecord ? c.recordStart : c.fragmentOffset, reason: reason(c, step) };
}

/** Reasons without numbers in them; BAD_TYPE and CROSSES_PAGE name the fragment's type or length. */
const REASONS: Partial<Record<Step, string>> = {
  [Step.END]: 'torn record: last fragment missing',
  [Step.TORN_HEADER]: 'torn fragment header',
  [Step.TORN_FRAGMENT]: 'torn fragment',
  [Step.BAD_PADDING]: 'non-zero byte in page padding',
  [Step.BAD_CHECKSUM]: 'checksum mismatch',
  [Step.FULL_IN_RECORD]: 'whole record inside a fragmented one',
  [Step.FIRST_IN_RECORD]: 'first fragment inside a fragmented record',
  [Step.MIDDLE_WITHOUT_FIRST]: 'middle fragment without a first one',
  [Step.LAST_WITHOUT_FIRST]: 'last fragment without a first one',
  [Step.FLAG_CHANGE]: 'compression flag changes within a record',
};

function reason(c: FragmentCursor, step: Step): string {
  if (step === Step.BAD_TYPE) return `invalid fragment type ${c.fragmentType}`;
  if (step === Step.CROSSES_PAGE) return `fragment of ${c.fragmentLength} bytes crosses a page boundary`;
  const r = REASONS[step];
  // RECORD and UNSUPPORTED_COMPRESSION never get here; never truncate a WAL on a bug.
  if (r === undefined) throw new Error(`WAL reader: no damage for step ${step}`);
  return r;
}
