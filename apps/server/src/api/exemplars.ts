// /api/v1/query_exemplars: dashboards (Grafana) call it on every Prometheus. Promethium stores no
// exemplars, so after validating the request the answer is an empty list.
import { ParseError, parseExpr } from '@promethium/promql';
import type { Hono } from 'hono';
import type { ApiContext } from './context.js';
import { badData } from './envelope.js';
import { MAX_TIME_MS, MIN_TIME_MS, formParams, parseTimeParam } from './params.js';
import { handle } from './route.js';
import type { ApiResult } from './route.js';

export function registerExemplarRoutes(api: Hono, ctx: ApiContext): void {
  for (const method of ['get', 'post'] as const) {
    api[method](
      '/query_exemplars',
      handle(ctx, 'query_exemplars', async (c): Promise<ApiResult> => {
        const p = await formParams(c);
        const start = parseTimeParam('start', p.get('start'), MIN_TIME_MS);
        const end = parseTimeParam('end', p.get('end'), MAX_TIME_MS);
        if (end < start) throw badData('end timestamp must not be before start time');
        try {
          parseExpr(p.get('query') ?? '');
        } catch (e) {
          if (e instanceof ParseError) throw badData(e.message);
          throw e;
        }
        return [[], [], []];
      }),
    );
  }
}
