// Command-line flags with the real Pushgateway's names and defaults (kingpin style:
// --name=value, --name value, --bool, --no-bool), plus --push.max-body-bytes.
export interface Flags {
  'web.listen-address': string;
  'web.telemetry-path': string;
  'web.external-url': string;
  'web.route-prefix': string;
  'web.enable-lifecycle': boolean;
  'web.enable-admin-api': boolean;
  'web.config.file': string;
  'persistence.file': string;
  'persistence.interval': number;
  'push.disable-consistency-check': boolean;
  'push.max-body-bytes': number;
  'log.level': 'debug' | 'info' | 'warn' | 'error';
  'log.format': 'logfmt' | 'json';
  help: boolean;
  version: boolean;
}

interface Spec {
  kind: 'string' | 'bool' | 'duration' | 'bytes' | 'enum';
  def: string;
  help: string;
  values?: string[];
}

const SPECS: Record<keyof Flags, Spec> = {
  help: { kind: 'bool', def: 'false', help: 'Show context-sensitive help.' },
  'web.listen-address': { kind: 'string', def: ':9091', help: 'Address on which to expose metrics and web interface.' },
  'web.telemetry-path': { kind: 'string', def: '/metrics', help: 'Path under which to expose metrics.' },
  'web.external-url': { kind: 'string', def: '', help: 'The URL under which the Pushgateway is externally reachable.' },
  'web.route-prefix': {
    kind: 'string',
    def: '',
    help: 'Prefix for the internal routes of web endpoints. Defaults to the path of --web.external-url.',
  },
  'web.enable-lifecycle': { kind: 'bool', def: 'false', help: 'Enable shutdown via HTTP request.' },
  'web.enable-admin-api': { kind: 'bool', def: 'false', help: 'Enable API endpoints for admin control actions.' },
  'web.config.file': {
    kind: 'string',
    def: '',
    help: '[EXPERIMENTAL] Path to configuration file that can enable TLS or authentication. See: https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md',
  },
  'persistence.file': { kind: 'string', def: '', help: 'File to persist metrics. If empty, metrics are only kept in memory.' },
  'persistence.interval': { kind: 'duration', def: '5m', help: 'The minimum interval at which to write out the persistence file.' },
  'push.disable-consistency-check': { kind: 'bool', def: 'false', help: 'Do not check consistency of pushed metrics. DANGEROUS.' },
  'push.max-body-bytes': {
    kind: 'bytes',
    def: '16MiB',
    help: 'Largest accepted push body, on the wire and after gunzip; larger pushes get 413.',
  },
  'log.level': { kind: 'enum', def: 'info', values: ['debug', 'info', 'warn', 'error'], help: 'Only log messages with the given severity or above.' },
  'log.format': { kind: 'enum', def: 'logfmt', values: ['logfmt', 'json'], help: 'Output format of log messages.' },
  version: { kind: 'bool', def: 'false', help: 'Show application version.' },
};

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Prometheus durations: 5m, 1h30m, 500ms, 0s. Returns milliseconds. */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== s.length || s === '') throw new FlagError(`not a valid duration string: "${s}"`);
  return total;
}

const BYTE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]i?B|B)?$/.exec(s.trim());
  const unit = BYTE_UNITS[m?.[2] ?? ''];
  if (!m || unit === undefined) throw new FlagError(`not a valid byte size: "${s}" (e.g. 1048576, 512KiB, 16MiB)`);
  return Math.floor(Number(m[1]) * unit);
}

function convert(name: string, spec: Spec, raw: string): string | number | boolean {
  switch (spec.kind) {
    case 'bool':
      if (raw !== 'true' && raw !== 'false') throw new FlagError(`--${name}: expected true or false, got "${raw}"`);
      return raw === 'true';
    case 'duration':
      try {
        return parseDuration(raw);
      } catch (e) {
        throw new FlagError(`--${name}: ${(e as Error).message}`);
      }
    case 'bytes':
      try {
        return parseBytes(raw);
      } catch (e) {
        throw new FlagError(`--${name}: ${(e as Error).message}`);
      }
    case 'enum':
      if (!spec.values!.includes(raw)) throw new FlagError(`--${name}: enum value must be one of ${spec.values!.join(',')}, got '${raw}'`);
      return raw;
    default:
      return raw;
  }
}

/** Parses argv (without node and script); also returns the raw values for /api/v1/status. */
export function parseFlags(argv: readonly string[]): { flags: Flags; raw: Record<string, string> } {
  const raw: Record<string, string> = {};
  for (const [n, s] of Object.entries(SPECS)) raw[n] = s.def;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') {
      raw.help = 'true';
      continue;
    }
    if (!a.startsWith('--')) throw new FlagError(`unexpected argument "${a}", try --help`);
    const eq = a.indexOf('=');
    let name = eq === -1 ? a.slice(2) : a.slice(2, eq);
    let spec = SPECS[name as keyof Flags] as Spec | undefined;
    let value: string | undefined = eq === -1 ? undefined : a.slice(eq + 1);
    if (!spec && name.startsWith('no-') && SPECS[name.slice(3) as keyof Flags]?.kind === 'bool' && value === undefined) {
      name = name.slice(3);
      spec = SPECS[name as keyof Flags];
      value = 'false';
    }
    if (!spec) throw new FlagError(`unknown long flag '--${name}', try --help`);
    if (value === undefined) {
      if (spec.kind === 'bool') value = 'true';
      else {
        value = argv[++i];
        if (value === undefined) throw new FlagError(`expected argument for flag '--${name}'`);
      }
    }
    raw[name] = value;
  }
  const flags: Record<string, string | number | boolean> = {};
  for (const [n, s] of Object.entries(SPECS)) flags[n] = convert(n, s, raw[n]!);
  if (raw['web.route-prefix'] === '' && raw['web.external-url'] !== '') {
    try {
      flags['web.route-prefix'] = new URL(raw['web.external-url']!).pathname;
    } catch {
      throw new FlagError(`--web.external-url: not a URL: "${raw['web.external-url']}"`);
    }
  }
  const shown: Record<string, string> = {};
  for (const [n, v] of Object.entries(raw)) if (n !== 'help' && n !== 'version') shown[n] = v;
  return { flags: flags as unknown as Flags, raw: shown };
}

export function helpText(bin: string): string {
  const lines = [`usage: ${bin} [<flags>]`, '', 'The Promethium Pushgateway (API-compatible with Prometheus Pushgateway 1.x)', '', 'Flags:'];
  for (const [n, s] of Object.entries(SPECS)) {
    const head = s.kind === 'bool' ? `--${n}` : `--${n}=${JSON.stringify(s.def)}`;
    const extra = s.values ? ` One of: [${s.values.join(', ')}]` : '';
    lines.push(`  ${n === 'help' ? '-h, ' : '    '}${head.padEnd(38)} ${s.help}${extra}`);
  }
  return lines.join('\n') + '\n';
}
