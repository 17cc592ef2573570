// kingpin-style argument parsing for pmtool commands: --flag=value, --flag value,
// -o value, repeatable flags, boolean flags (--x / --no-x), then positional arguments.
export interface FlagSpec {
  name: string;
  short?: string;
  help: string;
  /** Placeholder shown in help, e.g. "TIME". Absent for boolean flags. */
  value?: string;
  default?: string;
  repeatable?: boolean;
  boolean?: boolean;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    let negated = false;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec && name.startsWith('no-')) {
        spec = byName.get(name.slice(3));
        negated = spec?.boolean === true;
        if (!negated) spec = undefined;
      }
      if (!spec) throw new UsageError(`unknown long flag '--${name}'`);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      spec = byShort.get(a.slice(1, 2));
      if (!spec) throw new UsageError(`unknown short flag '${a.slice(0, 2)}'`);
      if (a.length > 2) inline = a.slice(2).replace(/^=/, '');
    } else {
      positional.push(a);
      continue;
    }
    let value: string;
    if (spec.boolean) {
      if (inline !== undefined) throw new UsageError(`flag '--${spec.name}' takes no value`);
      value = negated ? 'false' : 'true';
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`expected argument for flag '--${spec.name}'`);
      value = next;
      i++;
    }
    const list = flags.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`flag '--${spec.name}' cannot be repeated`);
    list.push(value);
    flags.set(spec.name, list);
  }
  for (const s of specs) if (s.default !== undefined && !flags.has(s.name)) flags.set(s.name, [s.default]);
  return { flags, positional };
}

export function flag(p: ParsedArgs, name: string): string | undefined {
  return p.flags.get(name)?.[0];
}

export function formatFlagsHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.value ? `=${s.value}` : ''}${s.repeatable ? ' ...' : ''}`;
    return [left, s.help + (s.default !== undefined ? ` (default: ${s.default})` : '')] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([l, h]) => `  ${l.padEnd(w)}  ${h}`).join('\n');
}
