// One iteration interface over every exposition format: text and OpenMetrics stream straight
// from the bytes (the hot path); protobuf is decoded to families and walked the same way.
// The text scanner also takes the series text expected on the next sample line (the scrape
// cache's order of the last scrape) and on a match reads no name or labels (`hit`).
import { OpenMetricsSampleParser, TextSeriesScanner, contentTypeFor, parse } from '@promethium/exposition';
import type { EntryType, ExpositionFormat, MetricFamily, MetricType, SampleStream } from '@promethium/exposition';

export type EntrySource = Pick<
  SampleStream,
  'name' | 'labelNames' | 'labelValues' | 'labelCount' | 'value' | 'timestampMs' | 'text' | 'metricType' | 'series'
> & {
  /** Advances; sources without the fast path ignore `expect`. */
  next(expect?: string): EntryType | undefined;
  /** The sample's series text was `expect`: name and labels were not read. */
  readonly hit?: boolean;
};

export function openSource(body: Uint8Array, format: ExpositionFormat): EntrySource {
  if (format === 'text') return new TextSeriesScanner(body);
  // Like Prometheus' scrape parser, OpenMetrics is read line by line; cross-line family rules are not enforced.
  if (format === 'openmetrics') return new OpenMetricsSampleParser(body);
  return new FamilySource(parse(body, contentTypeFor(format)).families);
}

/** Walks parsed families as TYPE/HELP/UNIT entries followed by their samples. */
export class FamilySource implements EntrySource {
  name = '';
  readonly labelNames: string[] = [];
  readonly labelValues: string[] = [];
  labelCount = 0;
  value = 0;
  timestampMs: number | undefined = undefined;
  text = '';
  metricType: MetricType = 'unknown';
  private fi = 0;
  private step = 0;
  private key = '';

  constructor(private readonly families: readonly MetricFamily[]) {}

  next(): EntryType | undefined {
    for (;;) {
      const f = this.families[this.fi];
      if (!f) return undefined;
      this.name = f.name;
      // Steps 0..2: TYPE, HELP, UNIT; then one step per sample.
      const s = this.step++;
      if (s === 0) {
        this.metricType = f.type;
        return 'type';
      }
      if (s === 1) {
        if (f.help === undefined) continue;
        this.text = f.help;
        return 'help';
      }
      if (s === 2) {
        if (!f.unit) continue;
        this.text = f.unit;
        return 'unit';
      }
      const sample = f.samples[s - 3];
      if (!sample) {
        this.fi++;
        this.step = 0;
        continue;
      }
      // Native histograms have no float value to store here.
      if (sample.histogram) continue;
      this.name = sample.name;
      this.labelCount = 0;
      this.key = sample.name;
      for (const [n, v] of Object.entries(sample.labels)) {
        this.labelNames[this.labelCount] = n;
        this.labelValues[this.labelCount++] = v;
        this.key += `\xff${n}\xff${v}`;
      }
      this.value = sample.value;
      this.timestampMs = sample.timestampMs;
      return 'sample';
    }
  }

  series(): string {
    return this.key;
  }
}
