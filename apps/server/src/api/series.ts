// /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values.
import type { Labels } from '@promethium/tsdb-core';
import type { Context, Hono } from 'hono';
import type { ApiContext } from './context.js';
import { badData } from './envelope.js';
import { MAX_TIME_MS, MIN_TIME_MS, formParams, parseTimeParam } from './params.js';
import { queryable } from './query.js';
import { handle } from './route.js';
import type { ApiResult } from './route.js';
import { parseSelectors } from './selectors.js';

function limitOf(p: URLSearchParams): number {
  const text = p.get('limit');
  if (!text) return 0;
  if (!/^\d+$/.test(text)) throw badData(`invalid parameter "limit": cannot parse "${text}" to a valid limit`);
  return Number(text);
}

function truncate<T>(items: T[], limit: number): ApiResult {
  if (limit > 0 && items.length > limit) return [items.slice(0, limit), ['results truncated due to limit'], []];
  return [items, [], []];
}

function timeRange(p: URLSearchParams): [number, number] {
  const start = parseTimeParam('start', p.get('start'), MIN_TIME_MS);
  const end = parseTimeParam('end', p.get('end'), MAX_TIME_MS);
  if (end < start) throw badData('end timestamp must not be before start time');
  return [start, end];
}

async function series(c: Context, ctx: ApiContext): Promise<ApiResult> {
  const p = await formParams(c);
  const sets = parseSelectors(p.getAll('match[]'), true);
  const [start, end] = timeRange(p);
  const limit = limitOf(p);
  const q = queryable(ctx).querier(start, end);
  const seen = new Map<string, Labels>();
  try {
    for (const matchers of sets) {
      for (const s of q.select(matchers, { start, end, func: 'series' })) {
        const it = s.iterator();
        // Only series with samples in the range count, as in Prometheus.
        if (!it.seek(start) || it.at() > end) continue;
        seen.set(s.labels.key(), s.labels);
      }
    }
  } finally {
    q.close();
  }
  const out = [...seen.values()];
  if (sets.length > 1) out.sort((a, b) => (a.key() < b.key() ? -1 : a.key() > b.key() ? 1 : 0));
  return truncate(
    out.map((l) => l.toObject()),
    limit,
  );
}

async function labelNames(c: Context, ctx: ApiContext): Promise<ApiResult> {
  const p = await formParams(c);
  const sets = parseSelectors(p.getAll('match[]'), false);
  const [start, end] = timeRange(p);
  const q = queryable(ctx).querier(start, end);
  const names = new Set<string>();
  try {
    if (sets.length === 0) for (const n of q.labelNames()) names.add(n);
    for (const m of sets) for (const n of q.labelNames(m)) names.add(n);
  } finally {
    q.close();
  }
  return truncate([...names].sort(), limitOf(p));
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

async function labelValues(c: Context, ctx: ApiContext): Promise<ApiResult> {
  const name = decodeURIComponent(c.req.param('name') ?? '');
  const decoded = name.startsWith('U__') ? decodeUtf8Name(name) : name;
  if (!LABEL_NAME.test(decoded) && !(decoded !== '' && name.startsWith('U__'))) throw badData(`invalid label name: "${name}"`);
  const p = await formParams(c);
  const sets = parseSelectors(p.getAll('match[]'), false);
  const [start, end] = timeRange(p);
  const q = queryable(ctx).querier(start, end);
  const values = new Set<string>();
  try {
    if (sets.length === 0) for (const v of q.labelValues(decoded)) values.add(v);
    for (const m of sets) for (const v of q.labelValues(decoded, m)) values.add(v);
  } finally {
    q.close();
  }
  return truncate([...values].sort(), limitOf(p));
}

/** Prometheus' "U__" escaping for UTF-8 label names in URL paths: _xx_ hex code points, __ for _. */
function decodeUtf8Name(s: string): string {
  return s.slice(3).replace(/__|_([0-9a-fA-F]+)_/g, (m, hex: string | undefined) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : '_'));
}

export function registerSeriesRoutes(api: Hono, ctx: ApiContext): void {
  for (const method of ['get', 'post'] as const) {
    api[method]('/series', handle(ctx, 'series', (c) => series(c, ctx)));
    api[method]('/labels', handle(ctx, 'labels', (c) => labelNames(c, ctx)));
  }
  api.get('/label/:name/values', handle(ctx, 'label_values', (c) => labelValues(c, ctx)));
}
