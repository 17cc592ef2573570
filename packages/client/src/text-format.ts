// Small text-format helpers used on the hot serialization path.

/** Sample value as the text format writes it: JS shortest round-trip form, NaN, +Inf, -Inf. */
export function formatSampleValue(v: number): string {
  if (Number.isFinite(v)) return '' + v;
  if (v !== v) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}

/** HELP text escaping of the text format: backslash and line feed. */
export function escapeHelpText(s: string): string {
  if (!NEEDS_HELP_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Label value escaping: backslash, line feed and double quote. */
export function escapeLabelText(s: string): string {
  if (!NEEDS_LABEL_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

const NEEDS_HELP_ESCAPE = /[\\\n]/;
const NEEDS_LABEL_ESCAPE = /[\\\n"]/;

/** `a="x",b="y"` for the defined values, in declaration order. */
export function labelPairsText(names: readonly string[], values: readonly (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    if (out !== '') out += ',';
    out += names[i] + '="' + escapeLabelText(v) + '"';
  }
  return out;
}

export function recordPairsText(labels: Record<string, string | number | undefined>): string {
  let out = '';
  for (const name in labels) {
    const v = labels[name];
    if (v === undefined) continue;
    if (out !== '') out += ',';
    out += name + '="' + escapeLabelText(typeof v === 'string' ? v : String(v)) + '"';
  }
  return out;
}
