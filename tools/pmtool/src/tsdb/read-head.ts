// The head of a data directory (what is not in blocks yet), rebuilt read-only from the head
// snapshot, WAL checkpoint and segments (plain or snappy-compressed), as promtool's dump
// includes it. Nothing is repaired or written: a torn tail is simply where reading stops.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Head,
  REC_SAMPLES,
  REC_SERIES,
  REC_TOMBSTONES,
  SampleBatch,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  listCheckpoints,
  listHeadSnapshots,
  listSegments,
  readHeadSnapshot,
  readSegment,
  segmentName,
} from '@promethium/tsdb-core';


export interface ReadHead {
  head: Head;
  /** Set when reading stopped early at a damaged record. */
  damage?: string;
}

/**
 * Replays `<dataDir>/wal` (and a newer head snapshot) into a fresh head. Samples before
 * `minValidTime` (the end of the last block) are dropped, as Prometheus' head does.
 * Undefined when there is no WAL.
 */
export function readHead(dataDir: string, minValidTime: number): ReadHead | undefined {
  const walDir = join(dataDir, 'wal');
  if (!existsSync(walDir)) return undefined;
  const head = new Head();
  const batch = new SampleBatch();
  const apply = (rec: Uint8Array): void => {
    switch (rec[0]) {
      case REC_SERIES:
        for (const s of decodeSeries(rec)) if (!head.getByRef(s.ref)) head.createWithRef(s.ref, s.labels);
        break;
      case REC_SAMPLES:
        decodeSamples(rec, batch);
        for (let i = 0; i < batch.n; i++) {
          const s = head.getByRef(batch.refs[i]!);
          if (s && batch.ts[i]! >= minValidTime) head.applySample(s, batch.ts[i]!, batch.vs[i]!);
        }
        break;
      case REC_TOMBSTONES:
        for (const t of decodeTombstones(rec)) {
          let list = head.tombstones.get(t.ref);
          if (!list) head.tombstones.set(t.ref, (list = []));
          list.push({ mint: t.mint, maxt: t.maxt });
        }
        break;
      default:
        // Metadata, exemplars, histograms: not part of a dump.
        break;
    }
  };
  const cps = listCheckpoints(walDir);
  const cp = cps[cps.length - 1];
  let base = cp ? cp.index : -1;
  const snaps = listHeadSnapshots(dataDir);
  const snap = snaps[snaps.length - 1];
  if (snap && snap.segment > base) {
    readHeadSnapshot(snap.file, head);
    base = snap.segment;
  } else if (cp) {
    for (const seg of listSegments(cp.dir)) {
      const file = segmentName(cp.dir, seg);
      const d = readSegment(readFileSync(file), apply);
      if (d) return { head, damage: `${file}: ${d.reason} at byte ${d.offset}` };
    }
  }
  for (const seg of listSegments(walDir).filter((s) => s > base)) {
    const file = segmentName(walDir, seg);
    const d = readSegment(readFileSync(file), apply);
    if (d) return { head, damage: `${file}: ${d.reason} at byte ${d.offset}` };
  }
  return { head };
}
