// /api/v1/targets, validated.
import { ApiError, apiGet, asArray, asLabels, isRecord } from './api.js';

export interface ActiveTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  /** ms since epoch; NaN when never scraped. */
  lastScrape: number;
  /** seconds */
  lastScrapeDuration: number;
  health: 'up' | 'down' | 'unknown';
  scrapeInterval: string;
  scrapeTimeout: string;
}

export interface DroppedTarget {
  discoveredLabels: Record<string, string>;
  scrapePool: string;
}

export interface TargetsData {
  activeTargets: ActiveTarget[];
  droppedTargets: DroppedTarget[];
}

function str(v: unknown, where: string, fallback?: string): string {
  if (typeof v === 'string') return v;
  if (v === undefined && fallback !== undefined) return fallback;
  throw new ApiError(`${where}: expected a string`, 200, 'bad_response', 'targets');
}

export function parseTargets(data: unknown): TargetsData {
  if (!isRecord(data)) throw new ApiError('targets: expected an object', 200, 'bad_response', 'targets');
  const active = asArray(data.activeTargets ?? [], 'activeTargets').map((t, i): ActiveTarget => {
    const w = `activeTargets[${i}]`;
    if (!isRecord(t)) throw new ApiError(`${w}: expected an object`, 200, 'bad_response', 'targets');
    const labels = asLabels(t.labels, `${w}.labels`);
    const health = t.health === 'up' || t.health === 'down' ? t.health : 'unknown';
    const last = typeof t.lastScrape === 'string' ? Date.parse(t.lastScrape) : NaN;
    // Prometheus reports a never-scraped target with the zero time 0001-01-01.
    return {
      discoveredLabels: asLabels(t.discoveredLabels ?? {}, `${w}.discoveredLabels`),
      labels,
      scrapePool: str(t.scrapePool, `${w}.scrapePool`, labels.job ?? ''),
      scrapeUrl: str(t.scrapeUrl, `${w}.scrapeUrl`, ''),
      globalUrl: str(t.globalUrl, `${w}.globalUrl`, ''),
      lastError: str(t.lastError, `${w}.lastError`, ''),
      lastScrape: last > 0 ? last : NaN,
      lastScrapeDuration: typeof t.lastScrapeDuration === 'number' ? t.lastScrapeDuration : NaN,
      health,
      scrapeInterval: str(t.scrapeInterval, `${w}.scrapeInterval`, ''),
      scrapeTimeout: str(t.scrapeTimeout, `${w}.scrapeTimeout`, ''),
    };
  });
  const dropped = asArray(data.droppedTargets ?? [], 'droppedTargets').map((t, i): DroppedTarget => {
    const w = `droppedTargets[${i}]`;
    if (!isRecord(t)) throw new ApiError(`${w}: expected an object`, 200, 'bad_response', 'targets');
    const discoveredLabels = asLabels(t.discoveredLabels ?? {}, `${w}.discoveredLabels`);
    // Prometheus 2.42 does not name the pool of a dropped target; its job label does.
    return { discoveredLabels, scrapePool: str(t.scrapePool, `${w}.scrapePool`, discoveredLabels.job ?? '(unknown)') };
  });
  return { activeTargets: active, droppedTargets: dropped };
}

export async function fetchTargets(state: 'active' | 'any', signal: AbortSignal): Promise<TargetsData> {
  return parseTargets(await apiGet('targets', { state }, signal));
}

export function groupByPool<T extends { scrapePool: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const list = out.get(t.scrapePool);
    if (list) list.push(t);
    else out.set(t.scrapePool, [t]);
  }
  return new Map([...out.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}
