// serializeOpenMetrics: metric families to OpenMetrics 1.0 text, as client_golang writes it.
import { ByteWriter } from '../byte-writer.js';
import { escapeLabelValue } from '../escape.js';
import { formatValue } from '../format-value.js';
import type { MetricFamily, Sample } from '../model.js';
import { writeLabelSet, writeMetaName, writeOpenMetricsValue, writeSeries } from '../sample-line.js';

/**
 * Writes families as OpenMetrics 1.0, ending with `# EOF`. Families parsed from text 0.0.4 are
 * mapped: a counter "x_total" becomes family "x" with samples "x_total" (a bare counter sample "x"
 * is written "x_total"), untyped is written unknown. Timestamps are written in seconds.
 * Native-histogram samples have no OpenMetrics 1.0 form and are left out.
 */
export function serializeOpenMetrics(families: readonly MetricFamily[]): string {
  return writeOpenMetrics(families).string();
}

/** serializeOpenMetrics as UTF-8 bytes, ready for an HTTP response body. */
export function serializeOpenMetricsBytes(families: readonly MetricFamily[]): Uint8Array {
  return writeOpenMetrics(families).bytes();
}

function writeOpenMetrics(families: readonly MetricFamily[]): ByteWriter {
  const w = new ByteWriter();
  for (const f of families) familyOpenMetrics(w, f);
  w.str('# EOF\n');
  return w;
}

function metaLine(w: ByteWriter, keyword: string, name: string, text: string): void {
  w.str(keyword);
  writeMetaName(w, name);
  w.byte(32);
  w.str(text);
  w.byte(10);
}

function familyOpenMetrics(w: ByteWriter, f: MetricFamily): void {
  let name = f.name;
  if (f.type === 'counter' && name.endsWith('_total')) name = name.slice(0, -6);
  if (f.help !== undefined) metaLine(w, '# HELP ', name, escapeLabelValue(f.help));
  metaLine(w, '# TYPE ', name, f.type);
  if (f.unit !== undefined && f.unit !== '') metaLine(w, '# UNIT ', name, f.unit);
  const integerCounts = f.type === 'histogram' || f.type === 'gaugehistogram' || f.type === 'summary';
  for (const s of f.samples) {
    if (s.histogram !== undefined) continue;
    let sname = s.name;
    if (f.type === 'counter' && (sname === name || sname === f.name) && !sname.endsWith('_total')) sname = name + '_total';
    writeSeries(w, sname, s.labels);
    w.byte(32);
    // client_golang writes counts as integers (uint64), not floats.
    if (integerCounts && Number.isSafeInteger(s.value) && s.value >= 0 && isCount(sname, name)) w.uint(s.value);
    else writeOpenMetricsValue(w, s.value);
    if (s.timestampMs !== undefined) {
      w.byte(32);
      w.str(formatValue(s.timestampMs / 1000));
    }
    if (s.exemplar !== undefined) exemplar(w, s);
    w.byte(10);
  }
}

function isCount(sample: string, family: string): boolean {
  const suffix = sample.slice(family.length);
  return suffix === '_bucket' || suffix === '_count' || suffix === '_gcount';
}

function exemplar(w: ByteWriter, s: Sample): void {
  const e = s.exemplar!;
  w.str(' # ');
  writeLabelSet(w, e.labels);
  w.byte(32);
  writeOpenMetricsValue(w, e.value);
  if (e.timestamp !== undefined) {
    w.byte(32);
    w.str(formatValue(e.timestamp));
  }
}
