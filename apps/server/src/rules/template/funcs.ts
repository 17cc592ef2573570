// Go's builtin template functions and Prometheus' template functions (template/template.go
// semantics: humanize*, query helpers, URL helpers), written against their documented behaviour.
import { formatG, formatValue, sprintf } from './go-format.js';
import { truthy, type TemplateFunc } from './exec.js';

/** One sample of a query() result, as templates see it: .Labels and .Value. */
export interface QuerySample {
  Labels: Record<string, string>;
  Value: number;
}

export interface FuncOptions {
  externalURL: string;
  /** Runs an instant query at the rule's evaluation time. */
  query?: (q: string) => QuerySample[];
}

function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    const n = /^[-+]?(inf|infinity)$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(t) ? NaN : t === '' ? NaN : Number(t);
    if (Number.isNaN(n) && !/^nan$/i.test(t)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    return n;
  }
  throw new Error(`can't convert ${formatValue(v)} to float`);
}

function scaled(v: number, prefixes: string[], step: number, up: boolean): [number, string] {
  let prefix = '';
  for (const p of prefixes) {
    if (up ? Math.abs(v) < step : Math.abs(v) >= 1) break;
    prefix = p;
    v = up ? v / step : v * step;
  }
  return [v, prefix];
}

export function humanize(i: unknown): string {
  const v = toFloat(i);
  if (v === 0 || !Number.isFinite(v)) return formatG(v, 4);
  if (Math.abs(v) >= 1) {
    const [x, p] = scaled(v, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'], 1000, true);
    return `${formatG(x, 4)}${p}`;
  }
  const [x, p] = scaled(v, ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'], 1000, false);
  return `${formatG(x, 4)}${p}`;
}

export function humanize1024(i: unknown): string {
  const v = toFloat(i);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return formatG(v, 4);
  const [x, p] = scaled(v, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'], 1024, true);
  return `${formatG(x, 4)}${p}`;
}

export function humanizeDuration(i: unknown): string {
  let v = toFloat(i);
  if (!Number.isFinite(v)) return formatG(v, 4);
  if (v === 0) return `${formatG(v, 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    v = Math.abs(v);
    const d = Math.trunc(v);
    const seconds = d % 60;
    const minutes = Math.trunc(d / 60) % 60;
    const hours = Math.trunc(d / 3600) % 24;
    const days = Math.trunc(d / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatG(v, 4)}s`;
  }
  const [x, p] = scaled(v, ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'], 1000, false);
  return `${formatG(x, 4)}${p}s`;
}

/** Go's time.Time.String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC". */
export function goTimeString(seconds: number): string {
  // Through integer nanoseconds, as Prometheus does (int64(v * 1e9)).
  const ns = BigInt(Math.trunc(seconds * 1e9));
  let secs = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    secs -= 1n;
  }
  const iso = new Date(Number(secs) * 1000).toISOString();
  const fracStr = frac === 0n ? '' : `.${frac.toString().padStart(9, '0').replace(/0+$/, '')}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fracStr} +0000 UTC`;
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

export function parsePromDuration(s: string): number {
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (s === '0') return 0;
  if (s === '' || pos !== s.length) throw new Error(`not a valid duration string: ${JSON.stringify(s)}`);
  return total;
}

function goRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'gs');
  } catch (e) {
    throw new Error(`error parsing regexp: ${(e as Error).message}`, { cause: e });
  }
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string' && typeof a !== 'boolean')) {
    if (op === 'eq' || op === 'ne') {
      if (typeof a !== typeof b) throw new Error('incompatible types for comparison');
      return op === 'eq' ? a === b : a !== b;
    }
    throw new Error('invalid type for comparison');
  }
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case 'lt': return x < y;
    case 'le': return x <= y;
    case 'gt': return x > y;
    case 'ge': return x >= y;
    case 'ne': return x !== y;
    default: return x === y;
  }
}

export function templateFuncs(opts: FuncOptions): Record<string, TemplateFunc> {
  const url = new URL(opts.externalURL || 'http://localhost:9090');
  const prefix = url.pathname.replace(/\/$/, '');
  const sampleList = (v: unknown): QuerySample[] => {
    if (!Array.isArray(v)) throw new Error(`expected a query result, got ${formatValue(v)}`);
    return v as QuerySample[];
  };
  return {
    // Go builtins
    and: () => null, // handled in exec (short-circuit)
    or: () => null,
    not: (v) => !truthy(v),
    len: (v) => {
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (v instanceof Map) return v.size;
      if (v !== null && typeof v === 'object') return Object.keys(v).length;
      throw new Error(`len of type ${typeof v}`);
    },
    index: (v, ...keys) => keys.reduce((acc: unknown, k) => {
      if (Array.isArray(acc)) {
        if (typeof k !== 'number' || k < 0 || k >= acc.length) throw new Error(`index out of range: ${formatValue(k)}`);
        return acc[k] as unknown;
      }
      if (acc !== null && typeof acc === 'object') return (acc as Record<string, unknown>)[String(k)] ?? '';
      throw new Error(`can't index item of type ${typeof acc}`);
    }, v),
    print: (...a) => a.map((x, k) => (k > 0 && typeof x !== 'string' && typeof a[k - 1] !== 'string' ? ' ' : '') + formatValue(x)).join(''),
    println: (...a) => `${a.map(formatValue).join(' ')}\n`,
    printf: (f, ...a) => sprintf(String(f), a),
    eq: (a, ...bs) => bs.some((b) => compare('eq', a, b)),
    ne: (a, b) => compare('ne', a, b),
    lt: (a, b) => compare('lt', a, b),
    le: (a, b) => compare('le', a, b),
    gt: (a, b) => compare('gt', a, b),
    ge: (a, b) => compare('ge', a, b),
    html: (...a) => a.map(formatValue).join('').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
    urlquery: (...a) => encodeURIComponent(a.map(formatValue).join('')).replace(/%20/g, '+'),
    js: (...a) => JSON.stringify(a.map(formatValue).join('')).slice(1, -1),
    // Prometheus
    query: (q) => {
      if (!opts.query) throw new Error('query is not available here');
      return opts.query(String(q));
    },
    first: (v) => {
      const l = sampleList(v);
      if (l.length === 0) throw new Error('first() called on vector with no elements');
      return l[0];
    },
    label: (name, s) => (s as QuerySample | undefined)?.Labels?.[String(name)] ?? '',
    value: (s) => (s as QuerySample).Value,
    strvalue: (s) => (s as QuerySample).Labels?.__value__ ?? '',
    sortByLabel: (name, v) => [...sampleList(v)].sort((a, b) => ((a.Labels[String(name)] ?? '') < (b.Labels[String(name)] ?? '') ? -1 : 1)),
    humanize,
    humanize1024,
    humanizeDuration,
    humanizePercentage: (v) => `${formatG(toFloat(v) * 100, 4)}%`,
    humanizeTimestamp: (v) => {
      const t = toFloat(v);
      return Number.isFinite(t) ? goTimeString(t) : formatG(t, 4);
    },
    toTime: (v) => goTimeString(toFloat(v)),
    toDuration: (v) => humanizeDuration(v),
    title: (s) => String(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
    toUpper: (s) => String(s).toUpperCase(),
    toLower: (s) => String(s).toLowerCase(),
    match: (re, s) => goRegex(String(re)).test(String(s)),
    reReplaceAll: (re, repl, s) => String(s).replace(goRegex(String(re)), String(repl).replace(/\$\{?(\d+)\}?/g, '$$$1')),
    graphLink: (expr) => `${prefix}/graph?g0.expr=${encodeURIComponent(String(expr))}&g0.tab=0`,
    tableLink: (expr) => `${prefix}/graph?g0.expr=${encodeURIComponent(String(expr))}&g0.tab=1`,
    args: (...a) => Object.fromEntries(a.map((x, k) => [`arg${k}`, x])),
    safeHtml: (s) => String(s),
    externalURL: () => opts.externalURL,
    pathPrefix: () => prefix,
    stripPort: (hp) => {
      const s = String(hp);
      const m = /^\[([^\]]+)\](?::\d+)?$/.exec(s) ?? /^([^:]+)(?::\d+)?$/.exec(s);
      return m ? m[1]! : s;
    },
    stripDomain: (hp) => {
      const s = String(hp);
      if (/^\[|^\d+\.\d+\.\d+\.\d+/.test(s)) return s;
      const [host, port] = s.split(':');
      return `${host!.split('.')[0]}${port !== undefined ? `:${port}` : ''}`;
    },
    parseDuration: (s) => parsePromDuration(String(s)),
    now: () => Date.now() / 1000,
  };
}
