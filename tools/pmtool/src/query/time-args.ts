// Time and duration arguments as promtool takes them.

/** RFC3339 or Unix timestamp (seconds, may be fractional) -> seconds. */
export function parseTimeArg(flag: string, text: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  throw new Error(`error parsing ${flag} "${text}": expected an RFC3339 time (2006-01-02T15:04:05Z) or a Unix timestamp`);
}

const GO_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go time.ParseDuration -> seconds ("15s", "1m30s", "0.5s"). */
export function parseGoDuration(flag: string, text: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * GO_UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (text === '0') return 0;
  if (text === '' || pos !== text.length) {
    throw new Error(`error parsing ${flag} "${text}": expected a duration such as 15s, 1m30s or 500ms`);
  }
  return total;
}
