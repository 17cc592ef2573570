// Head snapshot: on a clean shutdown the head's series and chunks are written with msgpackr
// to `<data dir>/head_snapshot.<segment>`, so the next start loads chunks instead of
// re-encoding every WAL sample, then replays only the segments after <segment>.
// File: a header value, one msgpack array per series, a trailer value, then CRC-32C (BE32)
// of everything before it. Any mismatch means "no snapshot": the WAL is always complete.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Packr, Unpackr } from 'msgpackr';
import { copyChunkBytes } from '../chunkenc/slab.js';
import { XORChunk } from '../chunkenc/xor.js';
import { Labels } from '../labels.js';
import { crc32c } from '../wal/crc32c.js';
import type { Head } from './head.js';
import type { ChunkView } from './series.js';

const VERSION = 1;
const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });

export interface SnapshotRef {
  file: string;
  /** Last WAL segment whose data the snapshot holds. */
  segment: number;
}

export function listHeadSnapshots(dataDir: string): SnapshotRef[] {
  let names: string[];
  try {
    names = fs.readdirSync(dataDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^head_snapshot\.\d{8,}$/.test(n))
    .map((n) => ({ file: path.join(dataDir, n), segment: Number(n.slice('head_snapshot.'.length)) }))
    .sort((a, b) => a.segment - b.segment);
}

/** Writes the snapshot atomically (tmp file, fsync, rename) and removes older ones. */
export function writeHeadSnapshot(dataDir: string, head: Head, segment: number): { file: string; bytes: number; series: number } {
  const final = path.join(dataDir, `head_snapshot.${String(segment).padStart(8, '0')}`);
  const tmp = `${final}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let crc = 0;
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingLen = 0;
  const flush = (): void => {
    if (pendingLen === 0) return;
    const buf = Buffer.concat(pending, pendingLen);
    crc = crc32c(buf, 0, buf.length, crc);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off);
    bytes += buf.length;
    pending = [];
    pendingLen = 0;
  };
  const put = (value: unknown): void => {
    const b = packr.pack(value);
    pending.push(b);
    pendingLen += b.length;
    if (pendingLen > 8 << 20) flush();
  };
  try {
    put({ v: VERSION, segment, minValidTime: head.minValidTime });
    let n = 0;
    for (const s of head.allSeries()) {
      if (!s.logged) continue;
      const closed = s.closed ?? [];
      const h = s.head && s.head.numSamples() > 0 ? s.head : undefined;
      put([
        s.ref,
        s.labels.flatView(),
        s.maxT,
        closed.map((c) => [c.minT, c.maxT, c.numSamples, c.bytes]),
        h ? [s.headMinT, s.nextAt, h.bytes()] : null,
        head.tombstones.get(s.ref) ?? null,
        head.metadata.get(s.ref) ?? null,
      ]);
      n++;
    }
    put({ end: true, series: n });
    flush();
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32BE(crc >>> 0);
    fs.writeSync(fd, trailer);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, final);
    const dfd = fs.openSync(dataDir, 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
    for (const old of listHeadSnapshots(dataDir)) if (old.segment !== segment) fs.rmSync(old.file, { force: true });
    return { file: final, bytes: bytes + 4, series: n };
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export class SnapshotError extends Error {
  constructor(file: string, message: string) {
    super(`head snapshot ${file}: ${message}`);
    this.name = 'SnapshotError';
  }
}

type SeriesRow = [
  number,
  string[],
  number,
  [number, number, number, Uint8Array][],
  [number, number, Uint8Array] | null,
  { mint: number; maxt: number }[] | null,
  { type: string; unit: string; help: string } | null,
];

/**
 * Loads a snapshot into an empty head. Throws SnapshotError (before touching the head) when
 * the file fails its checksum or is of another version; the caller then replays the WAL.
 */
export function readHeadSnapshot(file: string, head: Head): { series: number } {
  const steps = readHeadSnapshotSteps(file, head);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}


/**
 * readHeadSnapshot as a generator that yields every rowsPerStep series, so an async caller
 * can let the event loop run (a large snapshot takes seconds to load).
 */
export function* readHeadSnapshotSteps(file: string, head: Head, rowsPerStep = 50_000): Generator<void, { series: number }> {
  const buf = fs.readFileSync(file);
  if (buf.length < 4) throw new SnapshotError(file, 'truncated');
  const body = buf.subarray(0, buf.length - 4);
  if (crc32c(body) !== buf.readUInt32BE(buf.length - 4)) throw new SnapshotError(file, 'checksum mismatch');
  // Rows are applied as they are decoded, so they die young instead of all living at once.
  // The checksum already vouched for the bytes; the header is checked before the first row.
  let index = 0;
  let rows = 0;
  let trailer: { end?: boolean; series?: number } | undefined;
  let offset = 0;
  while (offset < body.length) {
    let stepRows = 0;
    let resumeAt = body.length;
    const base = offset;
    unpackr.unpackMultiple(body.subarray(offset), (value: unknown, _start?: number, end?: number): boolean | undefined => {
      if (index++ === 0) {
        const header = value as { v?: number; minValidTime?: number } | undefined;
        if (header?.v !== VERSION) throw new SnapshotError(file, `unsupported version ${String(header?.v)}`);
        if (typeof header.minValidTime === 'number') head.minValidTime = header.minValidTime;
        return undefined;
      }
      if (!Array.isArray(value)) {
        trailer = value as { end?: boolean; series?: number };
        return undefined;
      }
      applyRow(head, value as SeriesRow);
      rows++;
      if (++stepRows === rowsPerStep && end !== undefined) {
        resumeAt = base + end;
        return false;
      }
      return undefined;
    });
    offset = resumeAt;
    if (offset < body.length) yield;
  }
  if (!trailer?.end || trailer.series !== rows) {
    // Unreachable short of a writer bug (the checksum matched); the head is partly loaded now.
    throw new Error(`head snapshot ${file}: series count mismatch after a matching checksum; delete the file and restart`);
  }
  return { series: rows };
}

function applyRow(head: Head, row: SeriesRow): void {
  const [ref, flat, maxT, closed, open, stones, meta] = row;
  const s = head.createWithRef(ref, Labels.fromSortedFlat(flat));
  s.logged = true;
  if (closed.length > 0) {
    s.closed = closed.map(
      ([minT, cmaxT, n, bytes]): ChunkView => ({ minT, maxT: cmaxT, numSamples: n, bytes: copyChunkBytes(bytes) }),
    );
  }
  if (open) {
    s.headMinT = open[0];
    s.nextAt = open[1];
    // Wrapped as written; the first append replays it to recover the appender state.
    s.head = XORChunk.fromBytes(copyChunkBytes(open[2]));
  }
  s.maxT = maxT;
  const min = s.minTime();
  if (min < head.minTime) head.minTime = min;
  if (maxT > head.maxTime) head.maxTime = maxT;
  if (stones) head.tombstones.set(ref, stones);
  if (meta) head.metadata.set(ref, meta);
}
