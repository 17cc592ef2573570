// A small kingpin-like flag parser: `--name=value`, `--name value`, `--flag` / `--no-flag` for
// booleans, `--help`. Definitions are declarative so `--help` and /api/v1/status/flags can list
// every flag with its raw value, exactly as Prometheus does.

export class FlagError extends Error {
  constructor(
    message: string,
    readonly flag?: string,
  ) {
    super(message);
    this.name = 'FlagError';
  }
}

export interface FlagDef<T> {
  /** Long name without the leading dashes, e.g. "config.file". */
  readonly name: string;
  readonly help: string;
  /** Raw default, as shown by --help and status/flags. Absent means "" (unset). */
  readonly default?: string;
  /** Shown after the flag name in --help, e.g. "<duration>". Booleans have none. */
  readonly placeholder?: string;
  readonly boolean?: boolean;
  /** Converts the raw string; throws an Error whose message says what was expected. */
  readonly parse: (raw: string) => T;
}

export type FlagDefs = Record<string, FlagDef<unknown>>;
export type FlagValues<D extends FlagDefs> = { [K in keyof D]: D[K] extends FlagDef<infer T> ? T : never };

export interface ParsedFlags<D extends FlagDefs> {
  values: FlagValues<D>;
  /** Every flag's raw value by long name (defaults included), for status/flags. */
  raw: Record<string, string>;
  /** Long names the user set explicitly. */
  set: Set<string>;
  /** True when --help / -h was given: print usage() and exit 0. */
  help: boolean;
}

export function stringFlag(name: string, help: string, def = '', placeholder = '<string>'): FlagDef<string> {
  return { name, help, default: def, placeholder, parse: (s) => s };
}

export function boolFlag(name: string, help: string, def = false): FlagDef<boolean> {
  return {
    name,
    help,
    default: String(def),
    boolean: true,
    parse: (s) => {
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
      throw new Error(`expected true or false, got "${s}"`);
    },
  };
}

export function enumFlag<T extends string>(name: string, help: string, values: readonly T[], def: T): FlagDef<T> {
  return {
    name,
    help: `${help} One of: [${values.join(', ')}]`,
    default: def,
    placeholder: `<${values.join('|')}>`,
    parse: (s) => {
      if ((values as readonly string[]).includes(s)) return s as T;
      throw new Error(`expected one of ${values.join(', ')}, got "${s}"`);
    },
  };
}

export function customFlag<T>(name: string, help: string, def: string, placeholder: string, parse: (raw: string) => T): FlagDef<T> {
  return { name, help, default: def, placeholder, parse };
}

function parseValue(def: FlagDef<unknown>, raw: string): unknown {
  try {
    return def.parse(raw);
  } catch (e) {
    throw new FlagError(`invalid value "${raw}" for flag --${def.name}: ${(e as Error).message}`, def.name);
  }
}

/** Parses argv (without node and script). Throws FlagError for unknown flags and bad values. */
export function parseFlags<D extends FlagDefs>(defs: D, argv: readonly string[]): ParsedFlags<D> {
  const byName = new Map<string, [keyof D, FlagDef<unknown>]>();
  for (const key of Object.keys(defs) as (keyof D)[]) {
    const def = defs[key]!;
    byName.set(def.name, [key, def]);
  }
  const raw: Record<string, string> = {};
  for (const [, def] of byName.values()) raw[def.name] = def.default ?? '';
  const set = new Set<string>();
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h' || arg === '--help-long') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      throw new FlagError(`unexpected argument "${arg}"; flags start with --, try --help`);
    }
    const eq = arg.indexOf('=');
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    let entry = byName.get(name);
    if (!entry && name.startsWith('no-') && value === undefined) {
      const negated = byName.get(name.slice(3));
      if (negated?.[1].boolean) {
        entry = negated;
        name = name.slice(3);
        value = 'false';
      }
    }
    if (!entry) throw new FlagError(`unknown long flag '--${name}', try --help`, name);
    const def = entry[1];
    if (value === undefined) {
      if (def.boolean) value = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new FlagError(`expected argument for flag '--${name}'`, name);
        value = next;
        i++;
      }
    }
    if (set.has(name) && !def.boolean) throw new FlagError(`flag '--${name}' cannot be repeated`, name);
    raw[name] = value;
    set.add(name);
  }

  const values = {} as Record<keyof D, unknown>;
  for (const [key, def] of byName.values()) {
    values[key] = parseValue(def, raw[def.name] ?? '');
  }
  return { values: values as FlagValues<D>, raw, set, help };
}

/** Renders a kingpin-style usage text. */
export function usage<D extends FlagDefs>(defs: D, app: string, description: string): string {
  const rows: [string, string][] = [['-h, --[no-]help', 'Show context-sensitive help.']];
  for (const def of Object.values(defs)) {
    const left = def.boolean ? `    --[no-]${def.name}` : `    --${def.name}=${def.placeholder ?? '<value>'}`;
    const dflt = def.boolean || !def.default ? '' : ` Default: ${def.default}`;
    rows.push([left, def.help + dflt]);
  }
  const width = Math.min(52, Math.max(...rows.map((r) => r[0].length)) + 2);
  const lines = rows.map(([l, r]) => (l.length + 2 > width ? `${l}\n${' '.repeat(width)}${r}` : l.padEnd(width) + r));
  return `usage: ${app} [<flags>]\n\n${description}\n\nFlags:\n${lines.join('\n')}\n`;
}
