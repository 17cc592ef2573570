// /api/v1/query, /api/v1/query_range and /api/v1/format_query.
import { ParseError, QueryError, formatExpr, parseExpr } from '@promethium/promql';
import type { QueryResult } from '@promethium/promql';
import type { DB, Queryable } from '@promethium/tsdb-core';
import type { Context, Hono } from 'hono';
import type { ApiContext } from './context.js';
import { ApiError, badData } from './envelope.js';
import { queryValueJson } from './json.js';
import { formParams, parseDurationParam, parseTimeParam } from './params.js';
import { handle } from './route.js';

/** Prometheus refuses range queries with more points per series than this. */
const MAX_POINTS = 11_000;

export function requireDb(ctx: ApiContext): DB {
  const db = ctx.db();
  if (!db) throw new ApiError('unavailable', 'Service Unavailable: TSDB not ready');
  return db;
}

/** The storage queries read: the DB behind the matcher compatibility adapter. */
export function queryable(ctx: ApiContext): Queryable {
  return requireDb(ctx);
}

/** Local storage, merged with what remote_read endpoints hold for the query's selectors. */
async function withRemote(ctx: ApiContext, query: string, start: number, end: number, lookback: number | undefined): Promise<{ storage: Queryable; warnings: string[] }> {
  const db = requireDb(ctx);
  const rr = ctx.remoteRead?.();
  if (!rr) return { storage: db, warnings: [] };
  return rr.prefetch(db, query, start, end, lookback ?? ctx.flags.lookbackDelta);
}

function runQuery(ctx: ApiContext, fn: () => QueryResult, query: string): QueryResult {
  ctx.metrics.queriesTotal++;
  ctx.metrics.queriesRunning++;
  try {
    return fn();
  } catch (e) {
    ctx.metrics.queryFailuresTotal++;
    if (e instanceof ParseError) throw badData(e.message);
    if (e instanceof QueryError) {
      const msg = e.message;
      if (msg.includes('timed out')) throw new ApiError('timeout', msg);
      if (msg.includes('canceled')) throw new ApiError('canceled', msg);
      throw new ApiError('execution', msg);
    }
    ctx.logger.error('Query failed unexpectedly', { query, err: e as Error });
    throw new ApiError('internal', (e as Error).message);
  } finally {
    ctx.metrics.queriesRunning--;
  }
}

function queryOptions(p: URLSearchParams): { lookbackDelta?: number; signal?: AbortSignal } {
  const out: { lookbackDelta?: number; signal?: AbortSignal } = {};
  const lb = p.get('lookback_delta');
  if (lb) out.lookbackDelta = parseDurationParam('lookback_delta', lb);
  const timeout = p.get('timeout');
  if (timeout) out.signal = AbortSignal.timeout(parseDurationParam('timeout', timeout));
  return out;
}

async function instant(c: Context, ctx: ApiContext): Promise<[unknown, string[], string[]]> {
  const p = await formParams(c);
  const query = p.get('query') ?? '';
  const t = parseTimeParam('time', p.get('time'), Date.now());
  const opts = queryOptions(p);
  const { storage, warnings } = await withRemote(ctx, query, t, t, opts.lookbackDelta);
  const r = runQuery(ctx, () => ctx.engine.instantQuery(storage, query, t, opts), query);
  return [queryValueJson(r.value), [...r.warnings, ...warnings], r.infos];
}

async function range(c: Context, ctx: ApiContext): Promise<[unknown, string[], string[]]> {
  const p = await formParams(c);
  const query = p.get('query') ?? '';
  const start = parseTimeParam('start', p.get('start'));
  const end = parseTimeParam('end', p.get('end'));
  if (end < start) throw badData('end timestamp must not be before start time');
  const stepText = p.get('step');
  if (!stepText) throw badData('invalid parameter "step": cannot parse "" to a valid duration');
  const step = parseDurationParam('step', stepText);
  if (step <= 0) throw badData('zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((end - start) / step > MAX_POINTS) {
    throw badData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const opts = queryOptions(p);
  const { storage, warnings } = await withRemote(ctx, query, start, end, opts.lookbackDelta);
  const r = runQuery(ctx, () => ctx.engine.rangeQuery(storage, query, start, end, step, opts), query);
  return [queryValueJson(r.value), [...r.warnings, ...warnings], r.infos];
}

export function registerQueryRoutes(api: Hono, ctx: ApiContext): void {
  for (const method of ['get', 'post'] as const) {
    api[method]('/query', handle(ctx, 'query', (c) => instant(c, ctx)));
    api[method]('/query_range', handle(ctx, 'query_range', (c) => range(c, ctx)));
    api[method](
      '/format_query',
      handle(ctx, 'format_query', async (c) => {
        const p = await formParams(c);
        try {
          return [formatExpr(parseExpr(p.get('query') ?? '')), [], []];
        } catch (e) {
          if (e instanceof ParseError) throw badData(e.message);
          throw e;
        }
      }),
    );
  }
}
