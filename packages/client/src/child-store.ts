// Finds the child (one series) for a label set without building a key string: a tree of
// Maps, one level per declared label name, keyed by the label value. Lookups allocate
// nothing once the series exists, which is what keeps labelled inc/observe fast.
import { unknownLabel } from './validation.js';

export type LabelValue = string | number;
export type LabelValues<T extends string> = Partial<Record<T, LabelValue>>;

/** Every child carries its label values in declaration order (undefined = label absent). */
export interface ChildBase {
  readonly labelValues: readonly (string | undefined)[];
  /** Cached `a="x",b="y"` text of the label values, built on first serialization. */
  labelText: string | undefined;
  /** Cached label text merged with a registry's default labels, and the defaults it is for. */
  combined?: string;
  combinedFor?: string;
  /** The same for OpenMetrics, where defaults always follow the series' own labels. */
  omCombined?: string;
  omCombinedFor?: string;
  /** Cached start of the sample line (`name{labels} `), and the label text it is for. */
  linePrefix?: string;
  linePrefixFor?: string;
}

type Node<C> = Map<string | undefined, Node<C> | C>;

function norm(v: unknown): string | undefined {
  // Label values may be numbers; prom-client stringifies whatever it is given the same way.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return typeof v === 'string' ? v : v === undefined ? undefined : String(v);
}

export class ChildStore<C extends ChildBase> {
  readonly names: readonly string[];
  private readonly nameSet: Set<string>;
  private root: Node<C> = new Map();
  /** Insertion-ordered, so exposition lists series in the order they appeared. */
  readonly children = new Set<C>();
  private single: C | undefined;

  constructor(
    names: readonly string[],
    private readonly create: (values: (string | undefined)[]) => C,
  ) {
    this.names = names;
    this.nameSet = new Set(names);
  }

  /** Throws for label names that were not declared. */
  validate(labels: object): void {
    for (const k in labels) if (!this.nameSet.has(k)) throw unknownLabel(k, this.names);
  }

  /** The child for a labels object, created on first use. Throws for undeclared names. */
  get(obj: object): C {
    const labels = obj as Readonly<Record<string, unknown>>;
    for (const k in labels) if (!this.nameSet.has(k)) throw unknownLabel(k, this.names);
    const names = this.names;
    const n = names.length;
    if (n === 0) return this.unlabelled();
    let node = this.root;
    for (let i = 0; i < n - 1; i++) {
      const v = norm(labels[names[i]!]);
      let next = node.get(v) as Node<C> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(v, next);
      }
      node = next;
    }
    const last = norm(labels[names[n - 1]!]);
    const hit = node.get(last) as C | undefined;
    if (hit !== undefined) return hit;
    return this.insert(node, last, names.map((name) => norm(labels[name])));
  }

  /** The child for positional values (prom-client's `labels('a', 'b')`). */
  getByValues(values: readonly unknown[]): C {
    const n = this.names.length;
    if (values.length !== n) throw arityError(this.names, values);
    if (n === 0) return this.unlabelled();
    let node = this.root;
    for (let i = 0; i < n - 1; i++) {
      const v = norm(values[i]);
      let next = node.get(v) as Node<C> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(v, next);
      }
      node = next;
    }
    const last = norm(values[n - 1]);
    const hit = node.get(last) as C | undefined;
    if (hit !== undefined) return hit;
    return this.insert(node, last, values.map(norm));
  }

  /** The existing child, or undefined (never creates). */
  find(obj: object): C | undefined {
    const labels = obj as Readonly<Record<string, unknown>>;
    if (this.names.length === 0) return this.single;
    let node: Node<C> | C | undefined = this.root;
    for (const name of this.names) {
      if (node === undefined) return undefined;
      node = (node as Node<C>).get(norm(labels[name]));
    }
    return node as C | undefined;
  }

  delete(obj: object): boolean {
    const labels = obj as Readonly<Record<string, unknown>>;
    for (const k in labels) if (!this.nameSet.has(k)) throw unknownLabel(k, this.names);
    if (this.names.length === 0) {
      const had = this.single !== undefined;
      if (this.single) this.children.delete(this.single);
      this.single = undefined;
      return had;
    }
    const path: Node<C>[] = [];
    let node = this.root;
    const n = this.names.length;
    for (let i = 0; i < n - 1; i++) {
      const next = node.get(norm(labels[this.names[i]!])) as Node<C> | undefined;
      if (next === undefined) return false;
      path.push(node);
      node = next;
    }
    const last = norm(labels[this.names[n - 1]!]);
    const child = node.get(last) as C | undefined;
    if (child === undefined) return false;
    node.delete(last);
    this.children.delete(child);
    // Prune emptied branches so churned label values do not leak maps.
    for (let i = path.length - 1; i >= 0 && node.size === 0; i--) {
      const parent = path[i]!;
      parent.delete(norm(labels[this.names[i]!]));
      node = parent;
    }
    return true;
  }

  clear(): void {
    this.root = new Map();
    this.children.clear();
    this.single = undefined;
  }

  get size(): number {
    return this.children.size;
  }

  private unlabelled(): C {
    let c = this.single;
    if (c === undefined) {
      c = this.create([]);
      this.single = c;
      this.children.add(c);
    }
    return c;
  }

  private insert(node: Node<C>, last: string | undefined, values: (string | undefined)[]): C {
    const c = this.create(values);
    node.set(last, c);
    this.children.add(c);
    return c;
  }
}

function arityError(names: readonly string[], args: readonly unknown[]): Error {
  return new Error(
    `Invalid number of arguments (${args.length}): "${args.join(', ')}" for label names (${names.length}): "${names.join(', ')}".`,
  );
}

/** prom-client's `labels()` accepts either one labels object or positional values. */
export function labelsFromArgs(names: readonly string[], args: readonly unknown[]): Record<string, unknown> {
  if (typeof args[0] === 'object' && args[0] !== null) return args[0] as Record<string, unknown>;
  if (names.length !== args.length) throw arityError(names, args);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) out[names[i]!] = args[i];
  return out;
}
