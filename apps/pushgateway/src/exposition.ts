// What GET /metrics exposes: the pushed families of all groups merged by name, the two
// per-group push-time gauges, and the process's own metrics, sorted by family name as
// client_golang does. Text output reuses each stored family's rendered lines between scrapes,
// so a scrape of 10k groups is mostly string concatenation.
import { escapeHelp, escapeLabelValue, formatValue, serializeOpenMetrics, type MetricFamily, type MetricType, type Sample } from '@promethium/exposition';
import { PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, PUSH_TIME, PUSH_TIME_HELP, sampleLinesOnly, type Group, type StoredFamily } from './group.js';
import type { MetricStore } from './store.js';
import { sampleLine } from './text-lines.js';

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

const labelTexts = new WeakMap<Group, string>();

/** `{instance="",job="x"}` of a group, rendered once (grouping keys never change). */
function groupLabelText(g: Group): string {
  let t = labelTexts.get(g);
  if (t === undefined) {
    const labels = groupLabels(g);
    t = `{${Object.keys(labels)
      .map((n) => `${n}="${escapeLabelValue(labels[n]!)}"`)
      .join(',')}}`;
    labelTexts.set(g, t);
  }
  return t;
}

function groupLabels(g: Group): Record<string, string> {
  const merged: Record<string, string> = { ...g.labels };
  if (merged.instance === undefined) merged.instance = '';
  const out: Record<string, string> = {};
  for (const n of Object.keys(merged).sort()) out[n] = merged[n]!;
  return out;
}

interface Entry {
  name: string;
  own?: MetricFamily;
  holders?: ReadonlySet<Group>;
  pushTime?: 'push' | 'failure';
}

function entries(store: MetricStore, own: readonly MetricFamily[]): Entry[] {
  const byName = new Map<string, Entry>();
  for (const f of own) byName.set(f.name, { name: f.name, own: f });
  for (const name of store.familyNames()) {
    const e = byName.get(name) ?? { name };
    const holders = store.groupsWithFamily(name);
    if (holders) e.holders = holders;
    byName.set(name, e);
  }
  if (store.size > 0) {
    byName.set(PUSH_TIME, { name: PUSH_TIME, pushTime: 'push' });
    byName.set(PUSH_FAILURE_TIME, { name: PUSH_FAILURE_TIME, pushTime: 'failure' });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sortedHolders(store: MetricStore, holders: ReadonlySet<Group>): readonly Group[] {
  // store.groups() is cached and sorted; filter it when most groups hold the name.
  if (holders.size * 4 >= store.size) return store.groups().filter((g) => holders.has(g));
  return [...holders].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The HELP and type of a merged family: the process's own win, else the latest pushed HELP. */
function header(e: Entry, families: readonly StoredFamily[]): { help?: string; type: MetricType } {
  if (e.own) return { ...(e.own.help !== undefined ? { help: e.own.help } : {}), type: e.own.type };
  let help: string | undefined;
  let at = -Infinity;
  for (const f of families) {
    if (f.help !== undefined && f.pushedAtMs >= at) {
      help = f.help;
      at = f.pushedAtMs;
    }
  }
  return { ...(help !== undefined ? { help } : {}), type: families[0]?.type ?? 'unknown' };
}

function pushTimeFamily(store: MetricStore, which: 'push' | 'failure'): MetricFamily {
  const name = which === 'push' ? PUSH_TIME : PUSH_FAILURE_TIME;
  return {
    name,
    type: 'gauge',
    help: which === 'push' ? PUSH_TIME_HELP : PUSH_FAILURE_TIME_HELP,
    samples: store.groups().map((g) => ({
      name,
      labels: groupLabels(g),
      value: which === 'push' ? g.pushTimeSeconds : g.pushFailureTimeSeconds,
    })),
  };
}

/** Text format 0.0.4 as one buffer (see renderTextParts). */
export function renderText(store: MetricStore, own: readonly MetricFamily[]): Buffer {
  return Buffer.concat(renderTextParts(store, own));
}

/** Text format 0.0.4 as chunks: the cached per-family bytes themselves, never copied or re-encoded. */
export function renderTextParts(store: MetricStore, own: readonly MetricFamily[]): Buffer[] {
  const parts: Buffer[] = [];
  // Lines are collected in an array and joined: a long `+=` chain makes a rope that is slow to
  // flatten into bytes.
  let lines: string[] = [];
  const flush = (): void => {
    if (lines.length > 0) parts.push(Buffer.from(lines.join('')));
    lines = [];
  };
  for (const e of entries(store, own)) {
    if (e.pushTime) {
      const name = e.pushTime === 'push' ? PUSH_TIME : PUSH_FAILURE_TIME;
      lines.push(`# HELP ${name} ${e.pushTime === 'push' ? PUSH_TIME_HELP : PUSH_FAILURE_TIME_HELP}\n# TYPE ${name} gauge\n`);
      for (const g of store.groups()) {
        lines.push(`${name}${groupLabelText(g)} ${formatValue(e.pushTime === 'push' ? g.pushTimeSeconds : g.pushFailureTimeSeconds)}\n`);
      }
      continue;
    }
    const families: StoredFamily[] = [];
    if (e.holders) for (const g of sortedHolders(store, e.holders)) families.push(g.families.get(e.name)!);
    const h = header(e, families);
    if (h.help !== undefined) lines.push(`# HELP ${e.name} ${escapeHelp(h.help)}\n`);
    lines.push(`# TYPE ${e.name} ${textType(h.type)}\n`);
    if (e.own) for (const s of e.own.samples) lines.push(sampleLine(e.own.type, s));
    flush();
    for (const f of families) if (f.text.length > 0) parts.push(f.text);
  }
  flush();
  return parts;
}

/**
 * OpenMetrics 1.0 as chunks. The exposition package's writer renders the metadata of each merged
 * family and, once per stored family, its sample lines, which are then cached like the text ones.
 */
export function renderOpenMetricsParts(store: MetricStore, own: readonly MetricFamily[]): Buffer[] {
  const parts: Buffer[] = [];
  const withoutEof = (s: string): string => (s.endsWith('# EOF\n') ? s.slice(0, -6) : s);
  for (const e of entries(store, own)) {
    if (e.pushTime) {
      parts.push(Buffer.from(withoutEof(serializeOpenMetrics([pushTimeFamily(store, e.pushTime)]))));
      continue;
    }
    const families: StoredFamily[] = [];
    if (e.holders) for (const g of sortedHolders(store, e.holders)) families.push(g.families.get(e.name)!);
    const h = header(e, families);
    const meta = { name: e.name, type: h.type, ...(h.help !== undefined ? { help: h.help } : {}) };
    let head = withoutEof(serializeOpenMetrics([{ ...meta, samples: [] }]));
    if (e.own) head += sampleLinesOnly(serializeOpenMetrics([{ ...meta, samples: e.own.samples }]));
    parts.push(Buffer.from(head));
    for (const f of families) {
      const lines = f.openMetricsText();
      if (lines.length > 0) parts.push(lines);
    }
  }
  parts.push(Buffer.from('# EOF\n'));
  return parts;
}

/** The same view as families, for the protobuf writer. */
export function collectFamilies(store: MetricStore, own: readonly MetricFamily[]): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const e of entries(store, own)) {
    if (e.pushTime) {
      out.push(pushTimeFamily(store, e.pushTime));
      continue;
    }
    const families: StoredFamily[] = [];
    if (e.holders) for (const g of sortedHolders(store, e.holders)) families.push(g.families.get(e.name)!);
    const h = header(e, families);
    const samples: Sample[] = [...(e.own?.samples ?? [])];
    for (const f of families) for (const s of f.samples) samples.push(s);
    out.push({ name: e.name, type: h.type, ...(h.help !== undefined ? { help: h.help } : {}), samples });
  }
  return out;
}
