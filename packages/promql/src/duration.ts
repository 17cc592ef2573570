// Prometheus duration strings ("1h30m", "5m", "250ms") to milliseconds and back (model.Duration).
const UNITS: [string, number][] = [
  ['y', 31_536_000_000],
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];
const UNIT_MS = new Map(UNITS);

export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let consumed = 0;
  let lastUnit = Infinity;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const unit = UNIT_MS.get(m[2]!)!;
    if (unit >= lastUnit) throw new Error(`not a valid duration string: "${text}"`);
    lastUnit = unit;
    total += Number(m[1]) * unit;
    consumed = re.lastIndex;
  }
  if (text === '' || consumed !== text.length) {
    throw new Error(`not a valid duration string: "${text}"`);
  }
  return total;
}

/** Formats ms like Prometheus' model.Duration: "1h30m", "0s", "-5m". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = ms < 0 ? '-' : '';
  for (const [u, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * size;
    }
  }
  return out;
}
