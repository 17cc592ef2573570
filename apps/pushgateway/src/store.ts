// The group store. Pushes are checked for consistency against indexes kept up to date
// incrementally (family name -> groups holding it, grouping-label signature -> groups), so a
// push costs O(its own size), not O(everything stored) as in the real Pushgateway, which
// re-gathers every group on every push.
import type { MetricFamily, MetricType, Sample } from '@promethium/exposition';
import { checkPush, type PushCheckContext } from './consistency.js';
import { PUSH_FAILURE_TIME, PUSH_TIME, StoredFamily, type Group } from './group.js';
import { groupId, type GroupingKey } from './grouping-key.js';

export const INCONSISTENT_PREFIX = 'pushed metrics are invalid or inconsistent with existing metrics: ';

export type PushMethod = 'PUT' | 'POST';

export type PushResult = { ok: true } | { ok: false; message: string };

export interface MetricStoreOptions {
  /** Default true: refuse pushes that would make /metrics inconsistent. */
  consistencyCheck?: boolean;
  /** Types of the process's own metric families, which pushes must not contradict. */
  ownMetricTypes?: ReadonlyMap<string, MetricType>;
  /** Clock in ms; tests may pin it. */
  now?: () => number;
}

export class MetricStore {
  private readonly groupsById = new Map<string, Group>();
  /** family name -> groups holding a family of that name. */
  private readonly byName = new Map<string, Set<Group>>();
  /** signature (sorted grouping label names) -> group id -> group. */
  private readonly bySignature = new Map<string, Map<string, Group>>();
  private sortedNames: string[] | null = null;
  private sortedGroups: Group[] | null = null;
  readonly consistencyCheck: boolean;
  private readonly ownTypes: ReadonlyMap<string, MetricType>;
  private readonly now: () => number;
  /** Bumped on every change; persistence writes when it moved. */
  version = 0;

  constructor(options: MetricStoreOptions = {}) {
    this.consistencyCheck = options.consistencyCheck ?? true;
    this.ownTypes = options.ownMetricTypes ?? new Map();
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.groupsById.size;
  }

  get(key: GroupingKey): Group | undefined {
    return this.groupsById.get(groupId(key));
  }

  /** Groups sorted by grouping key. */
  groups(): readonly Group[] {
    this.sortedGroups ??= [...this.groupsById.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.sortedGroups;
  }

  /** All pushed family names, sorted. */
  familyNames(): readonly string[] {
    this.sortedNames ??= [...this.byName.keys()].sort();
    return this.sortedNames;
  }

  /** The groups holding a family of this name (unordered). */
  groupsWithFamily(name: string): ReadonlySet<Group> | undefined {
    return this.byName.get(name);
  }

  /**
   * Applies a push: PUT replaces the group, POST replaces the families of the same names.
   * A refused push changes no metrics; like the real one it records the failure time on
   * the group, creating the group (push time 0) when it did not exist.
   */
  push(method: PushMethod, key: GroupingKey, families: readonly MetricFamily[]): PushResult {
    const nowMs = this.now();
    const id = groupId(key);
    const existing = this.groupsById.get(id);
    for (const f of families) {
      if (f.samples.some((s) => s.timestampMs !== undefined)) {
        return this.fail(key, id, nowMs, 'pushed metrics must not have timestamps');
      }
    }
    const incoming = new Map<string, MetricFamily>();
    const withGrouping = groupingApplier(key);
    for (const f of families) {
      // The store owns these two names per group; pushed ones are overridden, as upstream.
      if (f.name === PUSH_TIME || f.name === PUSH_FAILURE_TIME) continue;
      const fam: MetricFamily = { name: intern(f.name), type: f.type, samples: f.samples.map(withGrouping) };
      if (f.help !== undefined) fam.help = f.help;
      if (f.unit !== undefined) fam.unit = f.unit;
      incoming.set(f.name, fam);
    }
    if (this.consistencyCheck) {
      const ctx: PushCheckContext = {
        groupId: id,
        groupKey: key,
        existing,
        method,
        incoming,
        ownTypes: this.ownTypes,
        byName: this.byName,
        bySignature: this.bySignature,
      };
      const problem = checkPush(ctx);
      if (problem !== undefined) return this.fail(key, id, nowMs, problem);
    }
    // Render the scrape bytes now: they are the stored form, and scrapes only copy them out.
    const stored = new Map<string, StoredFamily>();
    for (const [name, f] of incoming) stored.set(name, StoredFamily.of({ name: f.name, type: f.type, help: f.help, unit: f.unit, pushedAtMs: nowMs }, f.samples));
    const group = existing ?? this.create(key, id);
    if (method === 'PUT') {
      for (const name of group.families.keys()) if (!stored.has(name)) this.unindexName(name, group);
      group.families = stored;
      for (const name of stored.keys()) this.indexName(name, group);
    } else {
      for (const [name, fam] of stored) {
        group.families.set(name, fam);
        this.indexName(name, group);
      }
    }
    group.pushTimeSeconds = nowMs / 1000;
    group.lastChangeMs = nowMs;
    this.version++;
    return { ok: true };
  }

  /** Deletes a group; a no-op when absent. Returns whether it existed. */
  delete(key: GroupingKey): boolean {
    const id = groupId(key);
    const group = this.groupsById.get(id);
    if (!group) return false;
    for (const name of group.families.keys()) this.unindexName(name, group);
    this.groupsById.delete(id);
    this.bySignature.get(signature(group.labels))?.delete(id);
    this.sortedGroups = null;
    this.version++;
    return true;
  }

  wipe(): void {
    for (const g of [...this.groupsById.values()]) this.delete(g.labels);
  }

  /** Puts back groups read from a persistence file (trusted: they were checked when pushed). */
  restore(groups: readonly Group[]): void {
    for (const g of groups) {
      if (this.groupsById.has(g.id)) this.delete(g.labels);
      const group = this.create(g.labels, g.id);
      group.families = g.families;
      group.pushTimeSeconds = g.pushTimeSeconds;
      group.pushFailureTimeSeconds = g.pushFailureTimeSeconds;
      group.lastChangeMs = g.lastChangeMs;
      for (const name of g.families.keys()) this.indexName(name, group);
    }
    this.version++;
  }

  private fail(key: GroupingKey, id: string, nowMs: number, problem: string): PushResult {
    const group = this.groupsById.get(id) ?? this.create(key, id);
    group.pushFailureTimeSeconds = nowMs / 1000;
    group.lastChangeMs = nowMs;
    this.version++;
    return { ok: false, message: INCONSISTENT_PREFIX + problem };
  }

  private create(key: GroupingKey, id: string): Group {
    const group: Group = { id, labels: key, families: new Map(), pushTimeSeconds: 0, pushFailureTimeSeconds: 0, lastChangeMs: 0 };
    this.groupsById.set(id, group);
    const sig = signature(key);
    let bySig = this.bySignature.get(sig);
    if (!bySig) this.bySignature.set(sig, (bySig = new Map<string, Group>()));
    bySig.set(id, group);
    this.sortedGroups = null;
    return group;
  }

  private indexName(name: string, group: Group): void {
    let set = this.byName.get(name);
    if (!set) {
      this.byName.set(name, (set = new Set()));
      this.sortedNames = null;
    }
    set.add(group);
  }

  private unindexName(name: string, group: Group): void {
    const set = this.byName.get(name);
    if (!set) return;
    set.delete(group);
    if (set.size === 0) {
      this.byName.delete(name);
      this.sortedNames = null;
    }
  }
}

/** The sorted label names of a grouping key. */
export function signature(key: GroupingKey): string {
  return Object.keys(key).sort().join(',');
}

// Sample names repeat across every series and group; the parser's copies can also be slices
// that keep a whole request body alive. Names are few, so one shared copy each is cheap.
const names = new Map<string, string>();
function intern(name: string): string {
  let n = names.get(name);
  if (n === undefined) {
    if (names.size > 1_000_000) names.clear();
    n = Buffer.from(name).toString();
    names.set(n, n);
  }
  return n;
}

/**
 * Returns a function applying the grouping labels to a sample: they override body labels,
 * instance="" is added when absent, labels come out sorted by name. Built once per push.
 */
function groupingApplier(key: GroupingKey): (s: Sample) => Sample {
  const keyNames = Object.keys(key).sort();
  const keyHasInstance = key.instance !== undefined;
  return (s) => {
    const body = s.labels;
    const names = keyNames.slice();
    let sorted = true;
    for (const n in body) {
      if (key[n] !== undefined) continue;
      names.push(n);
      sorted = false;
    }
    if (!keyHasInstance && body.instance === undefined) {
      names.push('instance');
      sorted = false;
    }
    if (!sorted) names.sort();
    const labels: Record<string, string> = {};
    for (const n of names) labels[n] = key[n] ?? body[n] ?? '';
    const out: Sample = { name: intern(s.name), labels, value: s.value };
    if (s.exemplar) out.exemplar = s.exemplar;
    if (s.histogram) out.histogram = s.histogram;
    return out;
  };
}
