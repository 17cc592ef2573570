// An immutable label set, sorted by name, as Prometheus keeps them.
export class Labels {
  private readonly pairs: readonly (readonly [string, string])[];

  constructor(pairs: Iterable<readonly [string, string]>) {
    this.pairs = [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  get(name: string): string {
    for (const [n, v] of this.pairs) if (n === name) return v;
    return '';
  }

  get size(): number {
    return this.pairs.length;
  }

  toString(): string {
    return '{' + this.pairs.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(', ') + '}';
  }
}
