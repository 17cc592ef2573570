// Strict YAML reading with positions: every error names the file, the line and the field,
// unknown fields are rejected (as Go's yaml.UnmarshalStrict does in Prometheus).
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

export class ConfigError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly reason: string;

  constructor(file: string, line: number | undefined, field: string | undefined, reason: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.field = field;
    this.reason = reason;
  }
}

/** A YAML node with its position, so validators can point at the offending line. */
export class YamlNode {
  constructor(
    readonly node: Node | null,
    readonly path: string,
    private readonly ctx: { file: string; lines: LineCounter },
  ) {}

  line(): number | undefined {
    return this.position()?.[0];
  }

  /** 1-based [line, column] of the node's start. */
  position(): [number, number] | undefined {
    const off = this.node?.range?.[0];
    if (off === undefined) return undefined;
    const p = this.ctx.lines.linePos(off);
    return [p.line, p.col];
  }

  error(reason: string): ConfigError {
    return new ConfigError(this.ctx.file, this.line(), this.path || undefined, reason);
  }

  get isNull(): boolean {
    return this.node === null || (isScalar(this.node) && this.node.value === null);
  }

  /** Map entries, rejecting keys not in `allowed`. */
  entries(allowed?: readonly string[]): [string, YamlNode][] {
    if (this.isNull) return [];
    if (!isMap(this.node)) throw this.error('expected a mapping');
    return this.node.items.map((pair: Pair) => {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const child = new YamlNode(
        (pair.value as Node | null) ?? null,
        this.path ? `${this.path}.${key}` : key,
        this.ctx,
      );
      if (allowed && !allowed.includes(key)) {
        const where = new YamlNode(keyNode, child.path, this.ctx);
        throw where.error(`field ${key} is not allowed here (expected one of: ${allowed.join(', ')})`);
      }
      return [key, child];
    });
  }

  get(key: string): YamlNode | undefined {
    if (this.isNull || !isMap(this.node)) return undefined;
    const pair = this.node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) return undefined;
    return new YamlNode((pair.value as Node | null) ?? null, this.path ? `${this.path}.${key}` : key, this.ctx);
  }

  string(): string {
    if (this.isNull) return '';
    const v: unknown = isScalar(this.node) ? this.node.value : undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    throw this.error('expected a string');
  }

  boolean(): boolean {
    if (!isScalar(this.node) || typeof this.node.value !== 'boolean') throw this.error('expected true or false');
    return this.node.value;
  }

  list(): YamlNode[] {
    if (this.isNull) return [];
    if (!isSeq(this.node)) throw this.error('expected a list');
    return this.node.items.map((n, i) => new YamlNode((n as Node | null) ?? null, `${this.path}[${i}]`, this.ctx));
  }
}

export function parseYaml(text: string, file: string): YamlNode {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new ConfigError(file, line, undefined, `invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return new YamlNode((doc.contents) ?? null, '', { file, lines });
}
