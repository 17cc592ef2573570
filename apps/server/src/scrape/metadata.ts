// Per-target metric metadata (TYPE, HELP, UNIT), as the last scrape exposed it. Serves
// /api/v1/targets/metadata and /api/v1/metadata.
import type { MetricType } from '@promethium/exposition';

export interface MetricMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

export class MetadataCache {
  private entries = new Map<string, MetricMetadata>();
  private next = new Map<string, MetricMetadata>();

  /** Starts collecting a new scrape's metadata; commit() swaps it in. */
  begin(): void {
    this.next = new Map();
  }

  private entry(name: string): MetricMetadata {
    let e = this.next.get(name);
    if (!e) {
      e = { type: 'unknown', help: '', unit: '' };
      this.next.set(name, e);
    }
    return e;
  }

  setType(name: string, type: MetricType): void {
    this.entry(name).type = type;
  }
  setHelp(name: string, help: string): void {
    this.entry(name).help = help;
  }
  setUnit(name: string, unit: string): void {
    this.entry(name).unit = unit;
  }

  commit(): void {
    this.entries = this.next;
  }

  get(name: string): MetricMetadata | undefined {
    return this.entries.get(name);
  }

  list(): [string, MetricMetadata][] {
    return [...this.entries];
  }

  get size(): number {
    return this.entries.size;
  }
}
