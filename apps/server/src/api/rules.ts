// /api/v1/rules and /api/v1/alerts from the rule manager, and /api/v1/query_exemplars (Promethium
// stores no exemplars, so the answer is an empty list after validating the request).
import type { Hono } from 'hono';
import type { ApiContext } from './context.js';
import { badData } from './envelope.js';
import { MAX_TIME_MS, MIN_TIME_MS, formParams, parseTimeParam } from './params.js';
import { handle } from './route.js';
import type { ApiResult } from './route.js';
import { ParseError, parseExpr } from '@promethium/promql';


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
  api.get(
    '/rules',
    handle(ctx, 'rules', (c): ApiResult => {
      const type = c.req.query('type');
      if (type !== undefined && type !== '' && type !== 'alert' && type !== 'record') {
        throw badData(`invalid parameter "type": not supported value "${type}"`);
      }
      const filter = {
        type: type === 'alert' ? ('alert' as const) : type === 'record' ? ('record' as const) : undefined,
        ruleName: c.req.queries('rule_name[]') ?? [],
        ruleGroup: c.req.queries('rule_group[]') ?? [],
        file: c.req.queries('file[]') ?? [],
      };
      return [ctx.rules()?.rulesApi(filter) ?? { groups: [] }, [], []];
    }),
  );
  api.get('/alerts', handle(ctx, 'alerts', () => [ctx.rules()?.alertsApi() ?? { alerts: [] }, [], []]));
}
