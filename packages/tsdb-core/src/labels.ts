// An immutable label set, sorted by name, as Prometheus keeps them. Stored as one flat
// array [n0, v0, n1, v1, ...] so iteration and comparison touch one allocation.
const SEP = '\xff';

export type LabelPairs = Iterable<readonly [string, string]> | Readonly<Record<string, string>>;

export class Labels {
  static readonly EMPTY = new Labels([]);

  /** Flat, name-sorted [name, value, ...]. Never mutated after construction. */
  private readonly flat: readonly string[];
  private cachedKey: string | undefined;
  private cachedHash: number | undefined;

  private constructor(flat: readonly string[]) {
    this.flat = flat;
  }

  /** Builds a label set; empty values are dropped, as Prometheus treats them as absent. */
  static from(pairs: LabelPairs): Labels {
    const list: [string, string][] = [];
    const it: Iterable<readonly [string, string]> =
      Symbol.iterator in pairs ? (pairs as Iterable<readonly [string, string]>) : Object.entries(pairs);
    for (const [n, v] of it) if (v !== '') list.push([n, v]);
    list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const flat: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const [n, v] = list[i]!;
      if (i > 0 && list[i - 1]![0] === n) throw new Error(`duplicate label name "${n}"`);
      flat.push(n, v);
    }
    return new Labels(flat);
  }

  /** Wraps an already sorted, duplicate-free flat array (hot paths: parsers, decoders). */
  static fromSortedFlat(flat: readonly string[]): Labels {
    return new Labels(flat);
  }

  get size(): number {
    return this.flat.length >> 1;
  }

  get(name: string): string {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === name) return f[i + 1]!;
    return '';
  }

  has(name: string): boolean {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === name) return true;
    return false;
  }

  forEach(fn: (name: string, value: string) => void): void {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) fn(f[i]!, f[i + 1]!);
  }

  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) out.push(this.flat[i]!);
    return out;
  }

  toArray(): [string, string][] {
    const out: [string, string][] = [];
    for (let i = 0; i < this.flat.length; i += 2) out.push([this.flat[i]!, this.flat[i + 1]!]);
    return out;
  }

  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.flat.length; i += 2) out[this.flat[i]!] = this.flat[i + 1]!;
    return out;
  }

  flatView(): readonly string[] {
    return this.flat;
  }

  /** A canonical string, unique per label set: the key for maps of series. */
  key(): string {
    return (this.cachedKey ??= this.flat.join(SEP));
  }

  /** Stable 32-bit hash of the label set (FNV-1a over the canonical key). */
  hash(): number {
    if (this.cachedHash === undefined) {
      const k = this.key();
      let h = 0x811c9dc5;
      for (let i = 0; i < k.length; i++) {
        h ^= k.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
      }
      this.cachedHash = h >>> 0;
    }
    return this.cachedHash;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const a = this.flat;
    const b = other.flat;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Prometheus' ordering of label sets (labels.Compare). */
  static compare(x: Labels, y: Labels): number {
    const a = x.flat;
    const b = y.flat;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i += 2) {
      if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
      if (a[i + 1] !== b[i + 1]) return a[i + 1]! < b[i + 1]! ? -1 : 1;
    }
    return a.length - b.length;
  }

  /** A copy with the given names set (empty value deletes). */
  with(changes: Readonly<Record<string, string>>): Labels {
    const obj = this.toObject();
    for (const [n, v] of Object.entries(changes)) {
      if (v === '') delete obj[n];
      else obj[n] = v;
    }
    return Labels.from(obj);
  }

  /** A copy without the given names. */
  without(...names: string[]): Labels {
    const drop = new Set(names);
    const flat: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) {
      if (!drop.has(this.flat[i]!)) flat.push(this.flat[i]!, this.flat[i + 1]!);
    }
    return new Labels(flat);
  }

  /** A copy keeping only the given names. */
  keep(...names: string[]): Labels {
    const want = new Set(names);
    const flat: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) {
      if (want.has(this.flat[i]!)) flat.push(this.flat[i]!, this.flat[i + 1]!);
    }
    return new Labels(flat);
  }

  /** Prometheus' text form: {__name__="up", job="x"}. */
  toString(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.flat.length; i += 2) parts.push(`${this.flat[i]}=${JSON.stringify(this.flat[i + 1])}`);
    return `{${parts.join(', ')}}`;
  }
}
