// serializeText: metric families to text format 0.0.4, as client_golang writes it.
import { ByteWriter } from '../byte-writer.js';
import { escapeHelp } from '../escape.js';
import type { MetricFamily, MetricType, Sample } from '../model.js';
import { writeMetaName, writeSeries, writeValue } from '../sample-line.js';

/**
 * Writes families as text 0.0.4. What the format cannot carry is left out: units, exemplars and
 * native-histogram samples. OpenMetrics-only shapes are mapped as Prometheus reads them: a counter
 * family "x" with samples "x_total" is typed under "x_total"; `_created` samples become a gauge
 * family of their own; info and stateset become gauges; unknown is written as untyped.
 */
export function serializeText(families: readonly MetricFamily[]): string {
  return writeText(families).string();
}

/** serializeText as UTF-8 bytes, ready for an HTTP response body. */
export function serializeTextBytes(families: readonly MetricFamily[]): Uint8Array {
  return writeText(families).bytes();
}

function writeText(families: readonly MetricFamily[]): ByteWriter {
  const w = new ByteWriter();
  for (const f of families) familyText(w, f);
  return w;
}

function familyText(w: ByteWriter, f: MetricFamily): void {
  const createdName = f.name.endsWith('_total') ? f.name.slice(0, -6) + '_created' : f.name + '_created';
  const hasCreated = f.type === 'counter' || f.type === 'summary' || f.type === 'histogram';
  let metaName = f.name;
  if (f.type === 'counter' && !f.name.endsWith('_total') && f.samples.some((s) => s.name === f.name + '_total')) {
    metaName = f.name + '_total';
  } else if (f.type === 'info' && !f.name.endsWith('_info')) {
    metaName = f.name + '_info';
  }
  meta(w, metaName, f.help, textType(f.type));
  let created: Sample[] | undefined;
  for (const s of f.samples) {
    if (s.histogram !== undefined) continue;
    if (hasCreated && s.name === createdName) {
      (created ??= []).push(s);
      continue;
    }
    sampleLine(w, s);
  }
  if (created !== undefined) {
    meta(w, createdName, f.help, 'gauge');
    for (const s of created) sampleLine(w, s);
  }
}

function meta(w: ByteWriter, name: string, help: string | undefined, type: string): void {
  if (help !== undefined) {
    w.str('# HELP ');
    writeMetaName(w, name);
    w.byte(32);
    w.str(escapeHelp(help));
    w.byte(10);
  }
  w.str('# TYPE ');
  writeMetaName(w, name);
  w.byte(32);
  w.str(type);
  w.byte(10);
}

function sampleLine(w: ByteWriter, s: Sample): void {
  writeSeries(w, s.name, s.labels);
  w.byte(32);
  writeValue(w, s.value);
  if (s.timestampMs !== undefined) {
    w.byte(32);
    w.str(String(s.timestampMs));
  }
  w.byte(10);
}

function textType(t: MetricType): string {
  switch (t) {
    case 'unknown':
      return 'untyped';
    case 'info':
    case 'stateset':
      return 'gauge';
    default:
      return t;
  }
}
