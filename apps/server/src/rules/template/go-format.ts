import { toFixedEven, toSignificantEven } from './decimal.js';

// Go's number formatting (strconv/fmt), which template output must reproduce exactly:
// %v of a float64 is strconv 'g' with the shortest digits; printf supports the common verbs.

/** strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form when exp < -4 or exp >= 6
 * (Go decides with precision 6 when the precision is "shortest"). */
export function formatFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return toPlain(v);
}

/** Go's %g with an explicit precision: prec significant digits, trailing zeros removed. */
export function formatG(v: number, prec: number): string {
  if (!Number.isFinite(v)) return formatFloatG(v);
  if (v === 0) return '0';
  const p = prec === 0 ? 1 : prec;
  const { digits, exp } = toSignificantEven(v, p);
  const sign = v < 0 ? '-' : '';
  if (exp < -4 || exp >= p) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${stripZeros(m)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return stripZeros(`${sign}${toFixedEven(Math.abs(v), Math.max(0, p - 1 - exp))}`);
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function toPlain(v: number): string {
  const s = String(v);
  if (!s.includes('e')) return s;
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const exp = Number(expStr);
  const out = exp >= 0 ? digits.padEnd(exp + 1, '0') : `0.${'0'.repeat(-exp - 1)}${digits}`;
  return neg ? `-${out}` : out;
}

/** fmt.Sprintf for the verbs templates use: %s %v %d %f %e %g %q %x %t %% with flags and width/precision. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let ai = 0;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const m = /^([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/.exec(format.slice(i + 1));
    if (!m) {
      out += '%!(NOVERB)';
      break;
    }
    i += m[0].length;
    const [, flags = '', widthS, precS, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (ai >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[ai++];
    const prec = precS !== undefined ? Number(precS) : undefined;
    let s = formatVerb(verb!, arg, prec, flags);
    const width = widthS !== undefined ? Number(widthS) : 0;
    if (s.length < width) {
      if (flags.includes('-')) s = s.padEnd(width);
      else if (flags.includes('0') && /[dfeg]/.test(verb!)) {
        const sign = /^[+-]/.test(s) ? s[0]! : '';
        s = sign + s.slice(sign.length).padStart(width - sign.length, '0');
      } else s = s.padStart(width);
    }
    out += s;
  }
  if (ai < args.length) out += `%!(EXTRA ${args.slice(ai).map((a) => `${goType(a)}=${formatValue(a)}`).join(', ')})`;
  return out;
}

function goType(a: unknown): string {
  if (typeof a === 'number') return Number.isInteger(a) ? 'int' : 'float64';
  if (typeof a === 'string') return 'string';
  if (typeof a === 'boolean') return 'bool';
  return 'interface {}';
}

function withSign(s: string, n: number, flags: string): string {
  if (n >= 0 && flags.includes('+')) return `+${s}`;
  if (n >= 0 && flags.includes(' ')) return ` ${s}`;
  return s;
}

function formatVerb(verb: string, arg: unknown, prec: number | undefined, flags: string): string {
  switch (verb) {
    case 'v':
    case 's':
      return prec !== undefined && typeof arg === 'string' ? arg.slice(0, prec) : formatValue(arg);
    case 'q':
      return JSON.stringify(formatValue(arg));
    case 't':
      return typeof arg === 'boolean' ? String(arg) : `%!t(${goType(arg)}=${formatValue(arg)})`;
    case 'd':
      if (typeof arg !== 'number' || !Number.isInteger(arg)) return `%!d(${goType(arg)}=${formatValue(arg)})`;
      return withSign(String(arg), arg, flags);
    case 'x':
    case 'X': {
      const s = typeof arg === 'number' && Number.isInteger(arg) ? arg.toString(16) : Buffer.from(formatValue(arg)).toString('hex');
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'g': {
      if (typeof arg !== 'number') return `%!${verb}(${goType(arg)}=${formatValue(arg)})`;
      if (!Number.isFinite(arg)) return withSign(formatFloatG(arg), arg, flags);
      let s: string;
      if (verb === 'e') {
        const { digits, exp } = toSignificantEven(arg, (prec ?? 6) + 1);
        const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
        s = `${arg < 0 ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
      } else if (verb === 'g') s = prec === undefined ? formatFloatG(arg) : formatG(arg, prec);
      else s = toFixedEven(arg, prec ?? 6);
      return withSign(s, arg, flags);
    }
    default:
      return `%!${verb}(${goType(arg)}=${formatValue(arg)})`;
  }
}

/** fmt's %v of a template value. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'number') return formatFloatG(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (v instanceof Map) {
    return `map[${[...v.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)).map(([k, x]) => `${formatValue(k)}:${formatValue(x)}`).join(' ')}]`;
  }
  if (typeof v === 'object') {
    const s = (v as { toString(): string }).toString();
    if (s !== '[object Object]') return s;
    return `map[${Object.keys(v).sort().map((k) => `${k}:${formatValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return typeof v === 'bigint' ? v.toString() : '<unsupported>';
}
