// One group of the store: the metrics pushed under one grouping key.
import { parseText, serializeOpenMetrics, type MetricFamily, type MetricType, type Sample } from '@promethium/exposition';
import type { GroupingKey } from './grouping-key.js';
import { renderLines } from './text-lines.js';

/**
 * One family as a group stores it. Its samples live only as their rendered text lines (what a
 * scrape sends, about 5x smaller than sample objects); `samples` parses them back on demand for
 * the rarer readers (API v1, other formats, the web page). Families that text cannot carry
 * (native histograms, exemplars) keep their sample objects.
 */
export class StoredFamily implements MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help?: string;
  readonly unit?: string;
  /** When the push that stored this family happened (ms since the epoch): API v1 time_stamp. */
  readonly pushedAtMs: number;
  /** Text 0.0.4 sample lines (grouping labels applied), flat UTF-8. */
  readonly text: Buffer;
  private readonly kept: Sample[] | undefined;
  /** OpenMetrics sample lines, rendered on the first OpenMetrics scrape (Prometheus asks for it first). */
  private omText: Buffer | undefined;

  constructor(meta: { name: string; type: MetricType; help?: string | undefined; unit?: string | undefined; pushedAtMs: number }, text: Buffer, kept?: Sample[]) {
    this.name = meta.name;
    this.type = meta.type;
    if (meta.help !== undefined) this.help = meta.help;
    if (meta.unit !== undefined) this.unit = meta.unit;
    this.pushedAtMs = meta.pushedAtMs;
    this.text = text;
    this.kept = kept;
  }

  /** Builds the stored form of samples that already carry the grouping labels. */
  static of(meta: ConstructorParameters<typeof StoredFamily>[0], samples: Sample[]): StoredFamily {
    const needsObjects = samples.some((s) => s.histogram !== undefined || s.exemplar !== undefined);
    return new StoredFamily(meta, renderLines(meta.type, samples), needsObjects ? samples : undefined);
  }

  /** The kept sample objects, if any (persistence writes them). */
  get keptSamples(): Sample[] | undefined {
    return this.kept;
  }

  /** OpenMetrics sample lines (no metadata), rendered once by the exposition package's writer. */
  openMetricsText(): Buffer {
    this.omText ??= Buffer.from(sampleLinesOnly(serializeOpenMetrics([{ name: this.name, type: this.type, samples: this.samples }])));
    return this.omText;
  }

  /** The samples, parsed from the stored text on each call: callers hold on to the result. */
  get samples(): Sample[] {
    if (this.kept) return this.kept;
    if (this.text.length === 0) return [];
    const out: Sample[] = [];
    for (const f of parseText(this.text)) for (const s of f.samples) out.push(s);
    return out;
  }
}

export interface Group {
  /** Canonical id of the grouping key (see groupId). */
  readonly id: string;
  /** The grouping key, labels sorted by name. */
  readonly labels: GroupingKey;
  /** Families by name. Samples carry the grouping labels and instance="" already. */
  families: Map<string, StoredFamily>;
  /** Unix seconds of the last successful change; 0 = never. */
  pushTimeSeconds: number;
  /** Unix seconds of the last failed change; 0 = never. */
  pushFailureTimeSeconds: number;
  /** ms of the last change of either time: the time_stamp of the two gauges in API v1. */
  lastChangeMs: number;
}

export const PUSH_TIME = 'push_time_seconds';
export const PUSH_FAILURE_TIME = 'push_failure_time_seconds';
export const PUSH_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway succeeded.';
export const PUSH_FAILURE_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway failed.';

/** Drops the `#` lines (metadata, EOF) of an exposition. */
export function sampleLinesOnly(exposition: string): string {
  let out = '';
  let start = 0;
  while (start < exposition.length) {
    let end = exposition.indexOf('\n', start);
    if (end === -1) end = exposition.length - 1;
    if (exposition.charCodeAt(start) !== 35) out += exposition.slice(start, end + 1);
    start = end + 1;
  }
  return out;
}
