// The consistency check: would /metrics still be a valid exposition after this push?
// Mirrors what client_golang's Gather reports in the real Pushgateway (type clashes,
// histogram/summary suffix collisions, duplicate series, clashes with its own metrics) with the
// same messages, but looks only at what the push touches, through the store's indexes.
import type { MetricFamily, MetricType } from '@promethium/exposition';
import type { Group } from './group.js';
import { groupId, type GroupingKey } from './grouping-key.js';
import { goType, toGoMetrics } from './go-metrics.js';
import { protoText } from './proto-text.js';

export interface PushCheckContext {
  groupId: string;
  groupKey: GroupingKey;
  existing: Group | undefined;
  method: 'PUT' | 'POST';
  /** The pushed families, grouping labels applied, as plain sample objects. */
  incoming: ReadonlyMap<string, MetricFamily>;
  ownTypes: ReadonlyMap<string, MetricType>;
  byName: ReadonlyMap<string, ReadonlySet<Group>>;
  bySignature: ReadonlyMap<string, ReadonlyMap<string, Group>>;
}

/** Returns the problem (without the common prefix) or undefined when the push is consistent. */
export function checkPush(ctx: PushCheckContext): string | undefined {
  for (const fam of ctx.incoming.values()) {
    const problem = checkType(ctx, fam) ?? checkSuffixes(ctx, fam) ?? checkDuplicates(ctx, fam);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function describe(fam: MetricFamily, sampleIndex: number): string {
  const sample = fam.samples[sampleIndex];
  const metrics = toGoMetrics({ ...fam, samples: sample ? [sample] : [] });
  const first = metrics[0];
  const t = goType(fam.type);
  const complex = t === 'SUMMARY' || t === 'HISTOGRAM' || t === 'GAUGE_HISTOGRAM';
  // Show the whole Go metric the sample belongs to (all buckets of a histogram, say).
  const m = complex ? (toGoMetrics(fam).find((w) => first && sameLabels(w.labels, first.labels)) ?? first) : first;
  return `collected metric "${fam.name}" { ${m ? protoText(fam.type, m) : ''}}`;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** A family of this name in another group (any one: they all share a type). */
function otherHolder(ctx: PushCheckContext, name: string): { type: MetricType } | undefined {
  const holders = ctx.byName.get(name);
  if (!holders) return undefined;
  for (const g of holders) if (g.id !== ctx.groupId) return g.families.get(name);
  return undefined;
}

function checkType(ctx: PushCheckContext, fam: MetricFamily): string | undefined {
  const own = ctx.ownTypes.get(fam.name);
  if (own !== undefined && goType(own) !== goType(fam.type)) {
    return `gathered metric family ${fam.name} has type ${goType(fam.type)} but should have ${goType(own)}`;
  }
  const other = otherHolder(ctx, fam.name);
  if (other && goType(other.type) !== goType(fam.type) && fam.samples.length > 0) {
    return `${describe(fam, 0)} is not a ${goType(other.type)}`;
  }
  return undefined;
}

/** The type of a family of this name as /metrics would show it after the push, if any. */
function typeAfterPush(ctx: PushCheckContext, name: string): MetricType | undefined {
  const pushed = ctx.incoming.get(name);
  if (pushed) return pushed.type;
  const own = ctx.ownTypes.get(name);
  if (own) return own;
  if (ctx.method === 'POST') {
    const kept = ctx.existing?.families.get(name);
    if (kept) return kept.type;
  }
  return otherHolder(ctx, name)?.type;
}

function checkSuffixes(ctx: PushCheckContext, fam: MetricFamily): string | undefined {
  const name = fam.name;
  for (const suffix of ['_count', '_sum', '_bucket']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const baseType = typeAfterPush(ctx, base);
    if (baseType === 'summary' && suffix !== '_bucket') {
      return `collected metric named "${name}" collides with previously collected summary named "${base}"`;
    }
    if (baseType === 'histogram' || baseType === 'gaugehistogram') {
      return `collected metric named "${name}" collides with previously collected histogram named "${base}"`;
    }
  }
  const t = goType(fam.type);
  if (t === 'SUMMARY' || t === 'HISTOGRAM' || t === 'GAUGE_HISTOGRAM') {
    for (const suffix of ['_count', '_sum']) {
      if (typeAfterPush(ctx, name + suffix) !== undefined) {
        return `collected histogram or summary named "${name}" collides with previously collected metric named "${name + suffix}"`;
      }
    }
  }
  if ((t === 'HISTOGRAM' || t === 'GAUGE_HISTOGRAM') && typeAfterPush(ctx, `${name}_bucket`) !== undefined) {
    return `collected histogram named "${name}" collides with previously collected metric named "${name}_bucket"`;
  }
  return undefined;
}

function seriesKey(name: string, labels: Record<string, string>): string {
  let k = name;
  for (const n in labels) k += `\xfe${n}\xff${labels[n]}`;
  return k;
}

function sortedLabels(l: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of Object.keys(l).sort()) out[n] = l[n]!;
  return out;
}

function checkDuplicates(ctx: PushCheckContext, fam: MetricFamily): string | undefined {
  const seen = new Set<string>();
  const ownSig = Object.keys(ctx.groupKey).sort().join(',');
  const others: [string[], ReadonlyMap<string, Group>][] = [];
  for (const [sig, groups] of ctx.bySignature) if (sig !== ownSig && groups.size > 0) others.push([sig.split(','), groups]);
  for (let i = 0; i < fam.samples.length; i++) {
    const s = fam.samples[i]!;
    const key = seriesKey(s.name, s.labels);
    if (seen.has(key)) return `${describe(fam, i)} was collected before with the same name and label values`;
    seen.add(key);
    // Another group can only hold the same series if its whole grouping key is contained in
    // this sample's labels: look those groups up by signature instead of scanning them all.
    for (const [names, groups] of others) {
      if (!names.every((n) => s.labels[n] !== undefined)) continue;
      const sub: GroupingKey = {};
      for (const n of names) sub[n] = s.labels[n]!;
      const other = groups.get(groupId(sub));
      if (!other) continue;
      // Rare (overlapping grouping keys), so parsing that family's stored text here is fine.
      const clash = other.families.get(fam.name)?.samples.some((o) => o.name === s.name && seriesKey(o.name, sortedLabels(o.labels)) === key);
      if (clash) return `${describe(fam, i)} was collected before with the same name and label values`;
    }
  }
  return undefined;
}
