// Per-target metric metadata (TYPE, HELP, UNIT), as the last scrape exposed it. Serves
// /api/v1/targets/metadata and /api/v1/metadata.
import type { MetricType } from '@promethium/exposition';

export interface MetricMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

interface Entry extends MetricMetadata {
  /** Scrape that last exposed the family, and that last set each field. */
  seen: number;
  typeSet: number;
  helpSet: number;
  unitSet: number;
}

/**
 * Updated in place: a scrape that exposes the same metadata as the last one allocates nothing
 * that outlives it (a fresh map per scrape would be promoted to the old generation and become
 * old-space garbage one interval later, for every target).
 */
export class MetadataCache {
  private readonly entries = new Map<string, Entry>();
  private iter = 0;

  /** Starts collecting a new scrape's metadata; commit() drops what it no longer exposes. */
  begin(): void {
    this.iter++;
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (!e) {
      e = { type: 'unknown', help: '', unit: '', seen: 0, typeSet: 0, helpSet: 0, unitSet: 0 };
      this.entries.set(name, e);
    }
    e.seen = this.iter;
    return e;
  }

  setType(name: string, type: MetricType): void {
    const e = this.entry(name);
    e.type = type;
    e.typeSet = this.iter;
  }
  setHelp(name: string, help: string): void {
    const e = this.entry(name);
    // Keep the stored string when equal: the parser's copy then dies young.
    if (e.help !== help) e.help = help;
    e.helpSet = this.iter;
  }
  setUnit(name: string, unit: string): void {
    const e = this.entry(name);
    if (e.unit !== unit) e.unit = unit;
    e.unitSet = this.iter;
  }

  /** Ends the scrape begun last: families and fields it did not expose are forgotten. */
  commit(): void {
    const it = this.iter;
    for (const [name, e] of this.entries) {
      if (e.seen !== it) {
        this.entries.delete(name);
        continue;
      }
      if (e.typeSet !== it) e.type = 'unknown';
      if (e.helpSet !== it) e.help = '';
      if (e.unitSet !== it) e.unit = '';
    }
  }

  get(name: string): MetricMetadata | undefined {
    const e = this.entries.get(name);
    return e && { type: e.type, help: e.help, unit: e.unit };
  }

  list(): [string, MetricMetadata][] {
    return [...this.entries].map(([n, e]) => [n, { type: e.type, help: e.help, unit: e.unit }]);
  }

  get size(): number {
    return this.entries.size;
  }
}
