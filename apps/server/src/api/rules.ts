// Endpoints dashboards call on every Prometheus: /api/v1/query_exemplars, /api/v1/rules and
// /api/v1/alerts. Promethium stores no exemplars and does not evaluate rules yet, so the answers
// are empty, with a warning when rule_files are configured (they are not loaded).
import type { Hono } from 'hono';
import type { ApiContext } from './context.js';
import { badData } from './envelope.js';
import { MAX_TIME_MS, MIN_TIME_MS, formParams, parseTimeParam } from './params.js';
import { handle } from './route.js';
import type { ApiResult } from './route.js';
import { ParseError, parseExpr } from '@promethium/promql';

function rulesWarning(ctx: ApiContext): string[] {
  return ctx.config().config.rule_files.length > 0
    ? ['rule evaluation is not implemented by Promethium yet; rule_files are parsed but not loaded']
    : [];
}

export function registerRuleRoutes(api: Hono, ctx: ApiContext): void {
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
  api.get('/rules', handle(ctx, 'rules', () => [{ groups: [] }, rulesWarning(ctx), []]));
  api.get('/alerts', handle(ctx, 'alerts', () => [{ alerts: [] }, rulesWarning(ctx), []]));
}
