import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { FragmentCursor, type FragmentCursorOptions, Step } from './fragments.js';
import { FRAG_FIRST, FRAG_FULL, FRAG_LAST, FRAG_MIDDLE, PAGE_SIZE, segmentName } from './segments.js';
import { WALWriter } from './writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Hand-built segment bytes: fragments with real headers and checksums, placed where a test wants them. */
class Segment {
  bytes = new Uint8Array(4 * PAGE_SIZE);
  len = 0;

  frag(type: number, data: Uint8Array, crc = crc32c(data)): number {
    const at = this.len;
    const b = this.bytes;
    b[at] = type;
    b[at + 1] = data.length >>> 8;
    b[at + 2] = data.length & 0xff;
    b[at + 3] = crc >>> 24;
    b[at + 4] = (crc >>> 16) & 0xff;
    b[at + 5] = (crc >>> 8) & 0xff;
    b[at + 6] = crc & 0xff;
    b.set(data, at + 7);
    this.len = at + 7 + data.length;
    return at;
  }

  /** Zero padding to the end of the current page. */
  pad(): this {
    this.len = Math.ceil(this.len / PAGE_SIZE) * PAGE_SIZE;
    return this;
  }

  get buf(): Uint8Array {
    return this.bytes.subarray(0, this.len);
  }
}

const data = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

interface Walk {
  records: { start: number; end: number; flags: number; bytes: number[] }[];
  step: Step;
  cursor: FragmentCursor;
}

function walk(buf: Uint8Array, base = 0, options: FragmentCursorOptions = {}): Walk {
  const cursor = new FragmentCursor(buf, base, options);
  const records: Walk['records'] = [];
  const step = cursor.walk((rec, start, end, flags) => {
    records.push({ start, end, flags, bytes: [...rec] });
  });
  return { records, step, cursor };
}

describe('FragmentCursor', () => {
  it('returns whole records, reassembling fragmented ones, with their offsets', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, Uint8Array.of(1, 2, 3));
    s.frag(FRAG_FIRST, Uint8Array.of(4, 5));
    s.frag(FRAG_MIDDLE, Uint8Array.of(6));
    s.frag(FRAG_LAST, Uint8Array.of(7, 8));
    s.frag(FRAG_FULL | 0x08, Uint8Array.of(9));
    const w = walk(s.buf);
    expect(w.records).toEqual([
      { start: 0, end: 10, flags: 0, bytes: [1, 2, 3] },
      { start: 10, end: 36, flags: 0, bytes: [4, 5, 6, 7, 8] },
      { start: 36, end: 44, flags: 0x08, bytes: [9] },
    ]);
    expect(w.step).toBe(Step.END);
    expect(w.cursor.inRecord).toBe(false);
    expect(w.cursor.resumeAt).toBe(44);
    // The walk is over: it keeps saying so.
    expect(w.cursor.walk(() => true)).toBe(Step.END);
  });

  it('reads what WALWriter writes, records fragmented across pages included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-fragments-'));
    dirs.push(dir);
    const w = new WALWriter(dir, 0, { syncMode: 'none' });
    const sizes = [10, 40_000, 7, 100_000, 33, PAGE_SIZE - 7, 0];
    for (let i = 0; i < sizes.length; i++) w.log(data(sizes[i]!, i + 1));
    w.closeSync();
    const buf = fs.readFileSync(segmentName(dir, 0));
    const r = walk(buf, 0, { strictPadding: true, snappyOnly: true });
    expect(r.step).toBe(Step.END);
    expect(r.records.map((x) => x.bytes.length)).toEqual(sizes);
    expect(r.records.every((x, i) => x.bytes.every((b) => b === i + 1))).toBe(true);
    for (let i = 1; i < r.records.length; i++) expect(r.records[i]!.start).toBeGreaterThanOrEqual(r.records[i - 1]!.end);
    // Every prefix ends cleanly or torn, never as corruption, and yields a prefix of the records.
    for (let cut = 0; cut < buf.length; cut += 997) {
      const p = walk(buf.subarray(0, cut), 0, { strictPadding: true });
      expect([Step.END, Step.TORN_HEADER, Step.TORN_FRAGMENT]).toContain(p.step);
      expect(p.records.map((x) => x.start)).toEqual(r.records.slice(0, p.records.length).map((x) => x.start));
      expect(p.cursor.resumeAt).toBeLessThanOrEqual(cut);
    }
  });

  it('starts at any record boundary: offsets and page ends are absolute', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(100, 1));
    const second = s.frag(FRAG_FIRST, data(PAGE_SIZE - 107 - 7, 2));
    const third = s.frag(FRAG_LAST, data(50, 3));
    const w = walk(s.buf.subarray(second), second);
    expect(w.records.map((r) => [r.start, r.end, r.bytes.length])).toEqual([[second, third + 57, PAGE_SIZE - 114 + 50]]);
    expect(w.cursor.resumeAt).toBe(third + 57);
  });

  it('skips page padding; strictPadding refuses a non-zero byte in it', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(PAGE_SIZE - 7 - 10, 1));
    s.pad();
    s.frag(FRAG_FULL, data(5, 2));
    expect(walk(s.buf).records.map((r) => r.start)).toEqual([0, PAGE_SIZE]);
    s.bytes[PAGE_SIZE - 3] = 9;
    expect(walk(s.buf).records).toHaveLength(2);
    const strict = walk(s.buf, 0, { strictPadding: true });
    expect(strict.step).toBe(Step.BAD_PADDING);
    expect(strict.cursor.fragmentOffset).toBe(PAGE_SIZE - 10);
    expect(strict.records).toHaveLength(1);
  });

  it('treats the last bytes of a page shorter than a header as padding', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(PAGE_SIZE - 7 - 6, 1));
    s.pad();
    s.frag(FRAG_FULL, data(1, 2));
    s.bytes[PAGE_SIZE - 6] = FRAG_FULL; // looks like a type byte, but no header fits there
    expect(walk(s.buf).records.map((r) => r.start)).toEqual([0, PAGE_SIZE]);
    expect(walk(s.buf, 0, { strictPadding: true }).step).toBe(Step.BAD_PADDING);
  });

  it('resumes after complete padding only: a short one at the end is still being written', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(1000, 1));
    const whole = walk(s.pad().buf);
    expect(whole.step).toBe(Step.END);
    expect(whole.cursor.resumeAt).toBe(PAGE_SIZE);
    const short = walk(s.buf.subarray(0, PAGE_SIZE - 1));
    expect(short.step).toBe(Step.END);
    expect(short.cursor.resumeAt).toBe(1007);
  });

  it('reports a torn header and a torn fragment at the fragment, and a missing last fragment', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(20, 1));
    const first = s.frag(FRAG_FIRST, data(20, 2));
    const last = s.frag(FRAG_LAST, data(20, 3));
    const header = walk(s.buf.subarray(0, last + 4));
    expect(header.step).toBe(Step.TORN_HEADER);
    expect(header.cursor.fragmentOffset).toBe(last);
    expect(header.cursor.inRecord).toBe(true);
    expect(header.cursor.recordStart).toBe(first);
    expect(header.cursor.resumeAt).toBe(first);
    const frag = walk(s.buf.subarray(0, last + 7 + 19));
    expect(frag.step).toBe(Step.TORN_FRAGMENT);
    expect(frag.cursor.fragmentOffset).toBe(last);
    expect(frag.cursor.fragmentLength).toBe(20);
    const open = walk(s.buf.subarray(0, last));
    expect(open.step).toBe(Step.END);
    expect(open.cursor.inRecord).toBe(true);
    expect(open.records).toHaveLength(1);
  });

  it('reports a checksum mismatch and keeps what came before', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(20, 1));
    const bad = s.frag(FRAG_FULL, data(20, 2), 12345);
    const w = walk(s.buf);
    expect(w.step).toBe(Step.BAD_CHECKSUM);
    expect(w.cursor.fragmentOffset).toBe(bad);
    expect(w.records).toHaveLength(1);
    expect(w.cursor.resumeAt).toBe(bad);
    // Sticky: the cursor does not walk on past corruption.
    expect(w.cursor.walk(() => undefined)).toBe(Step.BAD_CHECKSUM);
  });

  it('reports a fragment whose length runs over the page end, even when the bytes are there', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(PAGE_SIZE - 7 - 20, 1));
    const over = s.frag(FRAG_FULL, data(30, 2));
    const w = walk(s.buf);
    expect(w.step).toBe(Step.CROSSES_PAGE);
    expect(w.cursor.fragmentOffset).toBe(over);
    expect(w.cursor.fragmentLength).toBe(30);
  });

  it.each([
    ['a middle fragment without a first one', FRAG_MIDDLE, Step.MIDDLE_WITHOUT_FIRST, false],
    ['a last fragment without a first one', FRAG_LAST, Step.LAST_WITHOUT_FIRST, false],
    ['a whole fragment inside an open record', FRAG_FULL, Step.FULL_IN_RECORD, true],
    ['a first fragment inside an open record', FRAG_FIRST, Step.FIRST_IN_RECORD, true],
  ] as const)('reports %s', (_what, type, step, open) => {
    const s = new Segment();
    const before = s.frag(open ? FRAG_FIRST : FRAG_FULL, data(5, 1));
    const at = s.frag(type, data(5, 2));
    const w = walk(s.buf);
    expect(w.step).toBe(step);
    expect(w.cursor.fragmentOffset).toBe(at);
    expect(w.cursor.inRecord).toBe(open);
    // An open record is where a complete segment gets truncated; a whole one before it stays.
    if (open) expect(w.cursor.recordStart).toBe(before);
    expect(w.records).toHaveLength(open ? 0 : 1);
    expect(w.cursor.resumeAt).toBe(open ? 0 : at);
  });

  it('reports a compression flag that changes within a record', () => {
    const s = new Segment();
    const first = s.frag(FRAG_FIRST | 0x08, data(5, 1));
    s.frag(FRAG_MIDDLE | 0x08, data(5, 2));
    const at = s.frag(FRAG_LAST, data(5, 3));
    const w = walk(s.buf);
    expect(w.step).toBe(Step.FLAG_CHANGE);
    expect(w.cursor.fragmentOffset).toBe(at);
    expect(w.cursor.recordStart).toBe(first);
    expect(w.cursor.recordFlags).toBe(0x08);
  });

  it('reports invalid type bytes before reading the rest of the header', () => {
    for (const type of [5, 7, 0x08, FRAG_FULL | 0x20, FRAG_FULL | 0x80, FRAG_FULL | 0x18]) {
      const s = new Segment();
      s.frag(FRAG_FULL, data(5, 1));
      const at = s.frag(type, data(5, 2));
      const w = walk(s.buf.subarray(0, at + 3));
      expect(w.step).toBe(Step.BAD_TYPE);
      expect(w.cursor.fragmentOffset).toBe(at);
      expect(w.cursor.fragmentType).toBe(type);
    }
  });

  it('snappyOnly: other compression is unsupported, but only once the checksum proves the bits', () => {
    for (const flags of [0x10, 0x18]) {
      const s = new Segment();
      s.frag(FRAG_FULL | 0x08, data(5, 1));
      const at = s.frag(FRAG_FIRST | flags, data(5, 2));
      const w = walk(s.buf, 0, { snappyOnly: true });
      expect(w.step).toBe(Step.UNSUPPORTED_COMPRESSION);
      expect(w.cursor.fragmentOffset).toBe(at);
      expect(w.cursor.fragmentType).toBe(FRAG_FIRST | flags);
      s.bytes[at + 7] = 99;
      expect(walk(s.buf, 0, { snappyOnly: true }).step).toBe(Step.BAD_CHECKSUM);
    }
    // Without snappyOnly, zstd passes through as flags for the caller to decode.
    const s = new Segment();
    s.frag(FRAG_FULL | 0x10, data(5, 1));
    expect(walk(s.buf).records.map((r) => r.flags)).toEqual([0x10]);
  });

  it('copies a fragmented record but passes a whole one as a view of the input', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(5, 1));
    s.frag(FRAG_FIRST, data(5, 2));
    s.frag(FRAG_LAST, data(5, 3));
    const seen: Uint8Array[] = [];
    expect(new FragmentCursor(s.buf).walk((rec) => void seen.push(rec))).toBe(Step.END);
    expect(seen[0]!.buffer).toBe(s.bytes.buffer);
    expect(seen[1]!.buffer).not.toBe(s.bytes.buffer);
    expect([...seen[1]!]).toEqual([2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
  });

  it('stops after a record when onRecord returns true, and walks on from there when asked', () => {
    const s = new Segment();
    s.frag(FRAG_FULL, data(5, 1));
    s.frag(FRAG_FIRST, data(5, 2));
    const last = s.frag(FRAG_LAST, data(5, 3));
    s.frag(FRAG_FULL, data(5, 4));
    const c = new FragmentCursor(s.buf);
    const starts: number[] = [];
    const stopAfterTwo = (_rec: Uint8Array, start: number): boolean => starts.push(start) === 2;
    expect(c.walk(stopAfterTwo)).toBe(Step.RECORD);
    expect(starts).toEqual([0, 12]);
    expect(c.resumeAt).toBe(last + 12);
    expect(c.walk(stopAfterTwo)).toBe(Step.END);
    expect(starts).toEqual([0, 12, last + 12]);
  });
});
