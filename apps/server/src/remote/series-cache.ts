// The queue's view of the WAL's series: ref -> labels as sent (external labels added where the
// series lacks them, then write_relabel_configs applied), pre-encoded as prompb Label messages
// so a batch only copies bytes (remote write 2.0 keeps the strings instead, for its per-request
// symbol table). A series dropped by relabelling maps to null.
import { ProtoWriter } from '@promethium/exposition';
import type { Labels, RefSeries } from '@promethium/tsdb-core';
import { relabel } from '../relabel/relabel.js';
import type { CompiledRelabel } from '../relabel/relabel.js';

const EMPTY = new Uint8Array(0);
const NONE: readonly string[] = [];

export interface SeriesEntry {
  /** The TimeSeries.labels fields (tag, length, Label message), sorted by name, ready to copy. */
  labelBytes: Uint8Array;
  /** Remote write 2.0 only (else empty): the labels as a flat, name-sorted [name, value, ...] list. */
  labelStrings: readonly string[];
  /** WAL segment (or checkpoint) the definition was last read from. */
  segment: number;
}

export class SeriesCache {
  private readonly map = new Map<number, SeriesEntry | null>();
  private readonly segOfDropped = new Map<number, number>();
  private readonly external: [string, string][];
  private readonly relabels: readonly CompiledRelabel[];

  private readonly v2: boolean;

  constructor(externalLabels: Record<string, string>, relabels: readonly CompiledRelabel[], v2 = false) {
    this.external = Object.entries(externalLabels);
    this.relabels = relabels;
    this.v2 = v2;
  }

  get size(): number {
    return this.map.size;
  }

  /** undefined: unknown ref; null: dropped by relabelling. */
  get(ref: number): SeriesEntry | null | undefined {
    return this.map.get(ref);
  }

  store(series: readonly RefSeries[], segment: number): void {
    for (const s of series) {
      const e = this.build(s.labels, segment);
      this.map.set(s.ref, e);
      if (e === null) this.segOfDropped.set(s.ref, segment);
      else this.segOfDropped.delete(s.ref);
    }
  }

  /** Forgets series last defined before the checkpoint (the head dropped them). */
  reset(checkpointSegment: number): void {
    for (const [ref, e] of this.map) {
      const seg = e ? e.segment : (this.segOfDropped.get(ref) ?? 0);
      if (seg < checkpointSegment) {
        this.map.delete(ref);
        this.segOfDropped.delete(ref);
      }
    }
  }

  private build(labels: Labels, segment: number): SeriesEntry | null {
    const lb = new Map<string, string>();
    labels.forEach((name, value) => lb.set(name, value));
    for (const [k, v] of this.external) if (!lb.has(k)) lb.set(k, v);
    if (this.relabels.length > 0 && !relabel(lb, this.relabels)) return null;
    if (lb.size === 0) return null;
    const names = [...lb.keys()].sort();
    if (this.v2) return { labelBytes: EMPTY, labelStrings: names.flatMap((n) => [n, lb.get(n)!]), segment };
    const w = new ProtoWriter(256);
    for (const n of names) {
      const m = w.begin(1);
      w.string(1, n);
      w.string(2, lb.get(n)!);
      w.end(m);
    }
    return { labelBytes: w.finish(), labelStrings: NONE, segment };
  }
}
