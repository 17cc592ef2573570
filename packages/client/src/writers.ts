// The three exposition writers behind Registry: text 0.0.4 (prom-client's layout), OpenMetrics
// and protobuf. They write straight from the series (cached label text and lines) and yield to
// the event loop every few milliseconds, so a scrape of a huge registry never stalls the app.
import { encodeProtobuf, escapeHelp, escapeLabelValue, serializeOpenMetrics, type MetricFamily } from '@promethium/exposition';
import type { ChildBase } from './child-store.js';
import { familyFromValues, genericText, type MetricLike } from './generic-metric.js';
import { NATIVE, isNative, type DefaultLabelsView, type TextOut } from './internal.js';
import type { MetricObjectWithValues } from './metric.js';
import { flatten, labelPairsText } from './text-format.js';

/** Longest stretch a writer runs before yielding to the event loop. */
const SLICE_MS = 5;

/**
 * OpenMetrics through exposition's serializer, a few hundred series at a time with yields
 * in between (Prometheus asks for OpenMetrics first, so this is the usual scrape path).
 */
export async function writeOpenMetrics(list: MetricLike[], defaults: DefaultLabelsView): Promise<string> {
  const generic = await collectAll(list);
  const out: TextOut = { s: '' };
  const chunks: string[] = [];
  let deadline = performance.now() + SLICE_MS;
  for (const m of list) {
    if (!isNative(m)) {
      out.s += withoutEof(serializeOpenMetrics([familyFromValues(generic.get(m)!, defaults)]));
      continue;
    }
    const nm = m[NATIVE];
    // HELP/TYPE/UNIT exactly as exposition writes them (they do not depend on the samples).
    out.s += withoutEof(serializeOpenMetrics([nm.toFamily(defaults, [])]));
    const kids = nm.snapshot();
    const labelNames = nm.labelNames();
    const d = defaults.text;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      let labels: string;
      if (d === '') labels = c.labelText ??= labelPairsText(labelNames, c.labelValues);
      else if (c.omCombinedFor === d) labels = c.omCombined!;
      else {
        labels = c.omCombined = flatten(omLabelText(labelNames, c, defaults));
        c.omCombinedFor = d;
      }
      nm.writeOpenMetrics(out, c, labels);
      if ((i & 63) === 63 && performance.now() >= deadline) {
        chunks.push(flatten(out.s));
        out.s = '';
        await yieldToLoop();
        deadline = performance.now() + SLICE_MS;
      }
    }
    if (performance.now() >= deadline) {
      chunks.push(flatten(out.s));
      out.s = '';
      await yieldToLoop();
      deadline = performance.now() + SLICE_MS;
    }
  }
  chunks.push(out.s, EOF);
  return chunks.join('');
}

/**
 * Delimited protobuf: one MetricFamily message per family, concatenated. Samples are built a
 * slice of series at a time with yields; encoding one family is a single step.
 */
export async function writeProtobuf(list: MetricLike[], defaults: DefaultLabelsView): Promise<Uint8Array> {
  const generic = await collectAll(list);
  const parts: Uint8Array[] = [];
  let deadline = performance.now() + SLICE_MS;
  for (const m of list) {
    let fam: MetricFamily;
    if (!isNative(m)) fam = familyFromValues(generic.get(m)!, defaults);
    else {
      const nm = m[NATIVE];
      const kids = nm.snapshot();
      fam = nm.toFamily(defaults, []);
      for (let i = 0; i < kids.length; i += PB_SLICE) {
        for (const s of nm.toFamily(defaults, kids.slice(i, i + PB_SLICE)).samples) fam.samples.push(s);
        if (performance.now() >= deadline) {
          await yieldToLoop();
          deadline = performance.now() + SLICE_MS;
        }
      }
    }
    parts.push(encodeProtobuf([fam]));
    if (performance.now() >= deadline) {
      await yieldToLoop();
      deadline = performance.now() + SLICE_MS;
    }
  }
  return Buffer.concat(parts);
}

/** Text format 0.0.4, byte-compatible with prom-client's layout. */
export async function writeText(list: MetricLike[], defaults: DefaultLabelsView): Promise<string> {
  if (list.length === 0) return '\n';
  const generic = await collectAll(list);
  const out: TextOut = { s: '' };
  // Each slice's rope is flattened inside its slice, so the final join is a plain copy
  // and no single step (not even the socket write) pays for flattening the whole body.
  const chunks: string[] = [];
  let deadline = performance.now() + SLICE_MS;
  for (let mi = 0; mi < list.length; mi++) {
    const m = list[mi]!;
    if (mi > 0) out.s += '\n';
    if (!isNative(m)) {
      out.s += genericText(generic.get(m)!, defaults);
      continue;
    }
    const nm = m[NATIVE];
    const name = nm.textName();
    out.s += '# HELP ' + name + ' ' + escapeHelp(nm.help()) + '\n# TYPE ' + name + ' ' + nm.textType() + '\n';
    const kids = nm.snapshot();
    const labelNames = nm.labelNames();
    const overlap = defaults.text !== '' && labelNames.some((n) => defaults.names.has(n));
    const d = defaults.text;
    const first = nm.defaultsFirst;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      let labels: string;
      if (overlap) labels = mergedLabelText(labelNames, c, defaults);
      else {
        const lt = (c.labelText ??= labelPairsText(labelNames, c.labelValues));
        if (d === '' || lt === '') labels = d === '' ? lt : d;
        else if (c.combinedFor === d) labels = c.combined!;
        else {
          // Cached per series so the same string object comes back at every scrape.
          labels = c.combined = flatten(first ? d + ',' + lt : lt + ',' + d);
          c.combinedFor = d;
        }
      }
      nm.writeText(out, c, labels);
      if ((i & 63) === 63 && performance.now() >= deadline) {
        chunks.push(flatten(out.s));
        out.s = '';
        await yieldToLoop();
        deadline = performance.now() + SLICE_MS;
      }
    }
    if (performance.now() >= deadline) {
      chunks.push(flatten(out.s));
      out.s = '';
      await yieldToLoop();
      deadline = performance.now() + SLICE_MS;
    }
  }
  if (chunks.length === 0) return flatten(out.s);
  chunks.push(out.s);
  return chunks.join('');
}

const EOF = '# EOF\n';
/** Series per sample-building step of the protobuf path. */
const PB_SLICE = 512;

function withoutEof(s: string): string {
  return s.endsWith(EOF) ? s.slice(0, -EOF.length) : s;
}

/** Runs every collect() callback (concurrently, like prom-client) and get() of foreign metrics. */
export async function collectAll(list: MetricLike[]): Promise<Map<MetricLike, MetricObjectWithValues>> {
  const generic = new Map<MetricLike, MetricObjectWithValues>();
  const pending: Promise<unknown>[] = [];
  for (const m of list) {
    if (isNative(m)) {
      const r = m[NATIVE].runCollect();
      if (r !== undefined) pending.push(r);
    } else {
      pending.push(Promise.resolve(m.get()).then((v) => generic.set(m, v)));
    }
  }
  if (pending.length > 0) await Promise.all(pending);
  return generic;
}

/** OpenMetrics order, as toFamily() builds it: the series' labels, then defaults it leaves unset. */
function omLabelText(names: readonly string[], c: ChildBase, defaults: DefaultLabelsView): string {
  let out = c.labelText ??= labelPairsText(names, c.labelValues);
  for (const name of defaults.names) {
    const i = names.indexOf(name);
    if (i >= 0 && c.labelValues[i] !== undefined) continue;
    out += (out === '' ? '' : ',') + name + '="' + escapeLabelValue(defaults.values[name]!) + '"';
  }
  return out;
}

/** Series labels with default labels filling the names the series leaves unset. */
function mergedLabelText(names: readonly string[], c: ChildBase, defaults: DefaultLabelsView): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const v = c.labelValues[i] ?? defaults.values[name];
    if (v === undefined) continue;
    out += (out === '' ? '' : ',') + name + '="' + escapeLabelValue(v) + '"';
  }
  for (const name of defaults.names) {
    if (names.includes(name)) continue;
    out += (out === '' ? '' : ',') + name + '="' + escapeLabelValue(defaults.values[name]!) + '"';
  }
  return out;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

