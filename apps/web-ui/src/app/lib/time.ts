// Durations and timestamps as the Prometheus UI writes them: "1h30m", "2024-01-02 03:04:05" (UTC).
const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** Parses a Prometheus duration ("5m", "1h30m", "90s", "250ms") into seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s); // plain seconds, as the resolution field allows
  const re = /(\d+)(ms|[smhdwy])/gy;
  let total = 0;
  let last = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const idx = ORDER.indexOf(m[2]!);
    if (idx <= last) return undefined; // units must go from largest to smallest, each once
    last = idx;
    total += Number(m[1]) * UNITS[m[2]!]!;
    if (re.lastIndex === s.length) return total > 0 ? total : undefined;
  }
  return undefined;
}

/** Formats seconds as the shortest Prometheus duration ("1h30m"); fractions fall back to ms. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0s';
  let ms = Math.round(seconds * 1000);
  let out = '';
  for (const u of ORDER) {
    const size = Math.round(UNITS[u]! * 1000);
    if (ms >= size) {
      out += `${Math.floor(ms / size)}${u}`;
      ms %= size;
    }
  }
  return out;
}

const RANGE_STEPS = [1, 10, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 604800, 1209600, 2419200, 7257600, 31536000];

/** The next larger / smaller range for the graph's -/+ buttons. */
export function stepRange(seconds: number, direction: 1 | -1): number {
  if (direction > 0) return RANGE_STEPS.find((r) => r > seconds) ?? seconds * 2;
  return [...RANGE_STEPS].reverse().find((r) => r < seconds) ?? Math.max(1, Math.floor(seconds / 2));
}

/** Default query resolution: about 250 points per graph, never under 1 s (as Prometheus' UI does). */
export function autoStep(rangeSeconds: number): number {
  return Math.max(Math.floor(rangeSeconds / 250), 1);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "YYYY-MM-DD HH:mm:ss" in UTC, the format of Prometheus' end_input/moment_input URL parameters. */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Parses "YYYY-MM-DD[ HH:mm[:ss]]" (UTC), an RFC 3339 time, or Unix seconds; undefined when malformed. */
export function parseTime(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, hh = '0', mm = '0', ss = '0', frac = '0', zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm), Number(ss), Number(frac.padEnd(3, '0')));
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) {
    return undefined;
  }
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(':').map(Number);
    return ms - sign * ((zh ?? 0) * 3600 + (zm ?? 0) * 60) * 1000;
  }
  return ms;
}

/** "3.2s ago", "4m ago" for last-scrape columns. */
export function formatAgo(thenMs: number, nowMs: number = Date.now()): string {
  const s = (nowMs - thenMs) / 1000;
  if (!Number.isFinite(s)) return 'never';
  if (s < 0) return 'in the future';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s ago`;
  return `${formatDuration(Math.round(s))} ago`;
}
