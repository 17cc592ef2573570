// /api/v1/targets, /api/v1/scrape_pools, /api/v1/targets/metadata, /api/v1/metadata.
import { hostname } from 'node:os';
import type { Context, Hono } from 'hono';
import { formatDuration } from '../config/duration.js';
import type { ScrapePool } from '../scrape/scrape-pool.js';
import type { Target } from '../scrape/target.js';
import type { ApiContext } from './context.js';
import { badData } from './envelope.js';
import { handle, ok } from './route.js';
import type { ApiResult } from './route.js';
import { parseSelector } from './selectors.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

function pools(ctx: ApiContext, name?: string): ScrapePool[] {
  const all = ctx.scrape()?.scrapePools() ?? [];
  const filtered = name ? all.filter((p) => p.name === name) : all;
  return filtered.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Prometheus rewrites loopback hosts to the machine's name so links work from elsewhere. */
function globalUrl(t: Target): string {
  const u = new URL(t.scrapeUrl);
  if (u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]') u.hostname = hostname();
  return u.toString();
}

export function targetJson(t: Target): Record<string, unknown> {
  return {
    discoveredLabels: t.discoveredLabels.toObject(),
    labels: t.publicLabels.toObject(),
    scrapePool: t.scrapePool,
    scrapeUrl: t.scrapeUrl,
    globalUrl: globalUrl(t),
    lastError: t.lastError,
    lastScrape: t.lastScrape === 0 ? ZERO_TIME : new Date(t.lastScrape).toISOString(),
    lastScrapeDuration: t.lastScrapeDuration,
    health: t.health,
    scrapeInterval: formatDuration(t.interval),
    scrapeTimeout: formatDuration(t.timeout),
  };
}

function targets(c: Context, ctx: ApiContext): ApiResult {
  const state = (c.req.query('state') ?? 'any').toLowerCase();
  const scrapePool = c.req.query('scrapePool');
  const ps = pools(ctx, scrapePool);
  const showActive = state === 'any' || state === 'active';
  const showDropped = state === 'any' || state === 'dropped';
  const active = showActive ? ps.flatMap((p) => p.activeTargets().map((t) => targetJson(t))) : [];
  const dropped = showDropped
    ? ps.flatMap((p) => p.droppedTargets().map((d) => ({ discoveredLabels: d.discoveredLabels.toObject(), scrapePool: d.scrapePool })))
    : [];
  const droppedTargetCounts: Record<string, number> = {};
  for (const p of ps) droppedTargetCounts[p.name] = p.droppedTargets().length;
  return ok({ activeTargets: active, droppedTargets: dropped, droppedTargetCounts });
}

function limitParam(c: Context, name: string): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') return -1;
  if (!/^-?\d+$/.test(text)) throw badData(`invalid parameter "${name}": cannot parse "${text}" to a valid limit`);
  return Number(text);
}

function targetsMetadata(c: Context, ctx: ApiContext): ApiResult {
  const limit = limitParam(c, 'limit');
  const matchTarget = c.req.query('match_target');
  const matchers = matchTarget ? parseSelector(matchTarget, 'match_target') : [];
  const metric = c.req.query('metric');
  const out: Record<string, unknown>[] = [];
  for (const p of pools(ctx)) {
    for (const t of p.activeTargets()) {
      if (!matchers.every((m) => m.matches(t.labels.get(m.name)))) continue;
      for (const [name, md] of t.metadata.list()) {
        if (metric !== undefined && metric !== '' && name !== metric) continue;
        if (limit >= 0 && out.length >= limit) return ok(out);
        const entry: Record<string, unknown> = { target: t.publicLabels.toObject() };
        if (!metric) entry.metric = name;
        entry.type = md.type;
        entry.help = md.help;
        entry.unit = md.unit;
        out.push(entry);
      }
    }
  }
  return ok(out);
}

function metadata(c: Context, ctx: ApiContext): ApiResult {
  const limit = limitParam(c, 'limit');
  const perMetric = limitParam(c, 'limit_per_metric');
  const metric = c.req.query('metric');
  const out = new Map<string, { type: string; help: string; unit: string }[]>();
  for (const p of pools(ctx)) {
    for (const t of p.activeTargets()) {
      for (const [name, md] of t.metadata.list()) {
        if (metric && name !== metric) continue;
        let list = out.get(name);
        if (!list) {
          if (limit >= 0 && out.size >= limit) continue;
          list = [];
          out.set(name, list);
        }
        if (perMetric > 0 && list.length >= perMetric) continue;
        if (!list.some((e) => e.type === md.type && e.help === md.help && e.unit === md.unit)) {
          list.push({ type: md.type, help: md.help, unit: md.unit });
        }
      }
    }
  }
  return ok(Object.fromEntries(out));
}

export function registerTargetRoutes(api: Hono, ctx: ApiContext): void {
  api.get('/targets', handle(ctx, 'targets', (c) => targets(c, ctx)));
  api.get('/scrape_pools', handle(ctx, 'scrape_pools', () => ok({ scrapePools: pools(ctx).map((p) => p.name) })));
  api.get('/targets/metadata', handle(ctx, 'targets_metadata', (c) => targetsMetadata(c, ctx)));
  api.get('/metadata', handle(ctx, 'metadata', (c) => metadata(c, ctx)));
}
