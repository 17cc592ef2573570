// Typed, position-aware access to a parsed YAML document. Every read names the field path
// (e.g. scrape_configs[0].scrape_interval) and the file:line:column of the offending node, so a
// config error points at the exact place to fix.
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, Pair, Scalar } from 'yaml';
import { parseBytes, parseDuration } from './duration.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    /** 1-based; 0 when the error is not tied to a place in the file. */
    readonly line: number,
    readonly column: number,
    /** Field path, e.g. "scrape_configs[0].job_name"; "" for the whole document. */
    readonly field: string,
    readonly reason: string,
  ) {
    const where = line > 0 ? `${file}:${line}:${column}` : file;
    super(`${where}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'ConfigError';
  }
}

export class YamlContext {
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  errorAt(offset: number | undefined, field: string, reason: string): ConfigError {
    if (offset === undefined) return new ConfigError(this.file, 0, 0, field, reason);
    const pos = this.lines.linePos(offset);
    return new ConfigError(this.file, pos.line, pos.col, field, reason);
  }
}

/** Parses YAML text; syntax errors become ConfigErrors with the position yaml reports. */
export function parseYaml(text: string, file: string): YamlValue {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const ctx = new YamlContext(file, lines);
  const err = doc.errors[0];
  if (err) {
    const first = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw ctx.errorAt(err.pos[0], '', `parsing YAML: ${first}`);
  }
  return new YamlValue(ctx, (doc.contents) ?? null, '', undefined);
}

/** One node (possibly absent) with its path. */
export class YamlValue {
  constructor(
    readonly ctx: YamlContext,
    readonly node: Node | null,
    readonly path: string,
    /** Where to point when the node is absent (its parent's position). */
    private readonly fallbackOffset: number | undefined,
  ) {}

  get offset(): number | undefined {
    return this.node?.range?.[0] ?? this.fallbackOffset;
  }

  fail(reason: string): never {
    throw this.ctx.errorAt(this.offset, this.path, reason);
  }

  /** True when the field is absent or explicitly null/empty. */
  get isNull(): boolean {
    return this.node === null || (isScalar(this.node) && this.node.value === null);
  }

  private scalar(what: string): Scalar {
    if (!isScalar(this.node)) this.fail(`expected ${what}, got ${kind(this.node)}`);
    return this.node;
  }

  str(): string {
    const v = this.scalar('a string').value;
    if (v === null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return (this.node as Scalar).source ?? String(v);
    return this.fail(`expected a string`);
  }

  bool(): boolean {
    const v = this.scalar('true or false').value;
    if (typeof v !== 'boolean') this.fail(`expected true or false, got "${this.rawText()}"`);
    return v;
  }

  int(min = 0): number {
    const v = this.scalar('an integer').value;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      this.fail(`expected an integer >= ${min}, got "${this.rawText()}"`);
    }
    return v;
  }

  duration(): number {
    const s = this.str();
    try {
      return parseDuration(s);
    } catch (e) {
      return this.fail((e as Error).message);
    }
  }

  bytes(): number {
    const s = this.str();
    try {
      return parseBytes(s);
    } catch (e) {
      return this.fail((e as Error).message);
    }
  }

  seq(): YamlValue[] {
    if (this.isNull) return [];
    if (!isSeq(this.node)) this.fail(`expected a list, got ${kind(this.node)}`);
    return this.node.items.map((item, i) => new YamlValue(this.ctx, item as Node, `${this.path}[${i}]`, this.offset));
  }

  strings(): string[] {
    return this.seq().map((v) => v.str());
  }

  /** A mapping whose keys must all be in `known` (Prometheus rejects unknown fields). */
  map(type: string, known: readonly string[]): YamlMap {
    const m = new YamlMap(this, this.pairs());
    for (const [key, v] of m.entries()) {
      if (!known.includes(key)) {
        throw this.ctx.errorAt(v.keyOffset, v.path, `field ${key} not found in type ${type}`);
      }
    }
    return m;
  }

  /** A mapping with arbitrary keys (url.Values, label sets). */
  anyMap(): YamlMap {
    return new YamlMap(this, this.pairs());
  }

  /** A free-form string -> string mapping (labels, params values are handled separately). */
  stringMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, v] of new YamlMap(this, this.pairs()).entries()) out[key] = v.str();
    return out;
  }

  pairs(): Pair[] {
    if (this.isNull) return [];
    if (!isMap(this.node)) this.fail(`expected a mapping, got ${kind(this.node)}`);
    return this.node.items;
  }

  private rawText(): string {
    const n = this.node;
    return isScalar(n) ? (n.source ?? String(n.value)) : kind(n);
  }
}

/** A mapping's fields; absent fields read as null values positioned at the mapping. */
export class YamlMap {
  private readonly byKey = new Map<string, YamlValue & { keyOffset: number | undefined }>();

  constructor(
    readonly value: YamlValue,
    pairs: Pair[],
  ) {
    for (const p of pairs) {
      const keyNode = p.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const path = value.path ? `${value.path}.${key}` : key;
      const child = new YamlValue(value.ctx, (p.value as Node | null) ?? null, path, keyNode?.range?.[0]) as YamlValue & {
        keyOffset: number | undefined;
      };
      child.keyOffset = keyNode?.range?.[0];
      this.byKey.set(key, child);
    }
  }

  has(key: string): boolean {
    const v = this.byKey.get(key);
    return v !== undefined && !v.isNull;
  }

  get(key: string): YamlValue {
    const path = this.value.path ? `${this.value.path}.${key}` : key;
    return this.byKey.get(key) ?? new YamlValue(this.value.ctx, null, path, this.value.offset);
  }

  /** Reads `key` with `read` when present and non-null, else returns `def`. */
  opt<T>(key: string, def: T, read: (v: YamlValue) => T): T {
    return this.has(key) ? read(this.get(key)) : def;
  }

  entries(): [string, YamlValue & { keyOffset: number | undefined }][] {
    return [...this.byKey.entries()];
  }

  fail(reason: string): never {
    return this.value.fail(reason);
  }
}

function kind(n: Node | null): string {
  if (n === null) return 'nothing';
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return `"${n.source ?? String(n.value)}"`;
  return 'an unsupported node';
}
