// Prometheus' duration and byte-size syntax (model.Duration, units.Base2Bytes), used by flags
// and prometheus.yml alike, with the canonical formatting status/config and status/flags show.

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS_MS = [31_536_000_000, 604_800_000, 86_400_000, 3_600_000, 60_000, 1000, 1] as const;
const DURATION_NAMES = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** Parses "1h30m", "15s", "0" to milliseconds; throws with the expected syntax otherwise. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const m = text === '' ? null : DURATION_RE.exec(text);
  if (!m) throw new Error(`not a valid duration string: "${text}" (expected e.g. 15s, 1m30s, 2h, 15d)`);
  let total = 0;
  for (let i = 0; i < DURATION_UNITS_MS.length; i++) {
    const g = m[i + 1];
    if (g !== undefined) total += Number(g) * DURATION_UNITS_MS[i]!;
  }
  if (!Number.isSafeInteger(total)) throw new Error(`duration out of range: "${text}"`);
  return total;
}

/** Formats milliseconds like Prometheus: 15000 -> "15s", 90000 -> "1m30s", 0 -> "0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (let i = 0; i < DURATION_UNITS_MS.length; i++) {
    const unit = DURATION_UNITS_MS[i]!;
    const n = Math.floor(rest / unit);
    if (n > 0) {
      out += `${n}${DURATION_NAMES[i]}`;
      rest -= n * unit;
    }
  }
  return out;
}

const BYTE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  PB: 1024 ** 5,
  EB: 1024 ** 6,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** Parses "512MB", "1GB", "0" (base 2, as Prometheus' units.Base2Bytes). */
export function parseBytes(text: string): number {
  if (text === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]i?B|B)$/.exec(text);
  const unit = m ? BYTE_UNITS[m[2]!] : undefined;
  if (!m || unit === undefined) throw new Error(`not a valid byte size: "${text}" (expected e.g. 512MB, 1GB, 100KB)`);
  return Math.floor(Number(m[1]) * unit);
}

/** Formats a byte count with the largest whole unit: 536870912 -> "512MB". */
export function formatBytes(n: number): string {
  if (n === 0) return '0B';
  for (const u of ['EB', 'PB', 'TB', 'GB', 'MB', 'KB'] as const) {
    const size = BYTE_UNITS[u]!;
    if (n % size === 0) return `${n / size}${u}`;
  }
  return `${n}B`;
}
