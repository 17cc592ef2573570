// A scrape target: its labels before and after relabeling, the URL to scrape and its health.
// populateTargetLabels follows Prometheus' scrape.PopulateLabels.
import { Labels } from '@promethium/tsdb-core';
import { formatDuration, parseDuration } from '../config/duration.js';
import { checkTargetAddress } from '../config/scrape-config.js';
import type { ScrapeConfig } from '../config/types.js';
import { relabel } from '../relabel/relabel.js';
import type { CompiledRelabel } from '../relabel/relabel.js';
import { MetadataCache } from './metadata.js';

export type TargetHealth = 'up' | 'down' | 'unknown';

export interface PopulatedTarget {
  /** Undefined when relabeling dropped the target. */
  labels: Labels | undefined;
  /** Labels before relabeling (discoveredLabels in the targets API). */
  discovered: Labels;
  error?: string;
}

export function populateTargetLabels(
  target: Record<string, string>,
  groupLabels: Record<string, string>,
  cfg: ScrapeConfig,
  relabelConfigs: readonly CompiledRelabel[],
): PopulatedTarget {
  const lb = new Map<string, string>();
  for (const [k, v] of Object.entries(groupLabels)) if (v !== '') lb.set(k, v);
  for (const [k, v] of Object.entries(target)) if (v !== '') lb.set(k, v);
  const defaults: [string, string][] = [
    ['job', cfg.job_name],
    ['__scrape_interval__', formatDuration(cfg.scrape_interval)],
    ['__scrape_timeout__', formatDuration(cfg.scrape_timeout)],
    ['__metrics_path__', cfg.metrics_path],
    ['__scheme__', cfg.scheme],
  ];
  for (const [k, v] of defaults) if (!lb.has(k)) lb.set(k, v);
  for (const [k, vals] of Object.entries(cfg.params)) {
    const name = `__param_${k}`;
    if (vals.length > 0 && vals[0] !== '' && !lb.has(name)) lb.set(name, vals[0]!);
  }
  const discovered = Labels.from(lb);
  if (!relabel(lb, relabelConfigs)) return { labels: undefined, discovered };

  const addr = lb.get('__address__') ?? '';
  if (addr === '') return { labels: undefined, discovered, error: 'no address' };
  const addrErr = checkTargetAddress(addr);
  if (addrErr) return { labels: undefined, discovered, error: addrErr };
  let interval: number;
  let timeout: number;
  try {
    interval = parseDuration(lb.get('__scrape_interval__') ?? '');
  } catch (e) {
    return { labels: undefined, discovered, error: `error parsing scrape interval: ${(e as Error).message}` };
  }
  try {
    timeout = parseDuration(lb.get('__scrape_timeout__') ?? '');
  } catch (e) {
    return { labels: undefined, discovered, error: `error parsing scrape timeout: ${(e as Error).message}` };
  }
  if (interval === 0) return { labels: undefined, discovered, error: 'scrape interval cannot be 0' };
  if (timeout === 0) return { labels: undefined, discovered, error: 'scrape timeout cannot be 0' };
  if (timeout > interval) {
    return {
      labels: undefined,
      discovered,
      error: `scrape timeout cannot be greater than scrape interval ("${formatDuration(timeout)}" > "${formatDuration(interval)}")`,
    };
  }
  for (const k of [...lb.keys()]) if (k.startsWith('__meta_')) lb.delete(k);
  if (!lb.get('instance')) lb.set('instance', addr);
  return { labels: Labels.from(lb), discovered };
}

/** One target of a scrape pool. Health fields are updated by its scrape loop. */
export class Target {
  readonly scrapeUrl: string;
  readonly interval: number;
  readonly timeout: number;
  /** Labels without the reserved `__` ones: what every scraped series gets. */
  readonly publicLabels: Labels;
  readonly metadata = new MetadataCache();
  health: TargetHealth = 'unknown';
  lastError = '';
  /** ms since the epoch of the last scrape's start; 0 before the first. */
  lastScrape = 0;
  /** Seconds. */
  lastScrapeDuration = 0;
  lastSamples = 0;

  constructor(
    /** Full labels after relabeling, including __address__, __scheme__, ... */
    readonly labels: Labels,
    readonly discoveredLabels: Labels,
    readonly scrapePool: string,
    params: Record<string, string[]>,
  ) {
    this.interval = parseDuration(labels.get('__scrape_interval__'));
    this.timeout = parseDuration(labels.get('__scrape_timeout__'));
    const pub: [string, string][] = [];
    labels.forEach((n, v) => {
      if (!n.startsWith('__')) pub.push([n, v]);
    });
    this.publicLabels = Labels.from(pub);
    this.scrapeUrl = buildScrapeUrl(labels, params);
  }

  /** Identity within a pool: targets with equal full label sets are one target. */
  get key(): string {
    return this.labels.key();
  }
}

export function buildScrapeUrl(labels: Labels, params: Record<string, string[]>): string {
  const q = new URLSearchParams();
  const names = new Set(Object.keys(params));
  labels.forEach((n) => {
    if (n.startsWith('__param_')) names.add(n.slice('__param_'.length));
  });
  for (const name of [...names].sort()) {
    const fromLabel = labels.get(`__param_${name}`);
    const vals = params[name] ?? [];
    if (fromLabel !== '') {
      q.append(name, fromLabel);
      for (const v of vals.slice(1)) q.append(name, v);
    } else {
      for (const v of vals) q.append(name, v);
    }
  }
  const qs = q.toString();
  return `${labels.get('__scheme__')}://${labels.get('__address__')}${labels.get('__metrics_path__')}${qs ? `?${qs}` : ''}`;
}
