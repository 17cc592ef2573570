// GET /api/v1/rules and /api/v1/alerts, shaped like Prometheus' (filters: type, rule_name[],
// rule_group[], file[]).
import type { Hono } from 'hono';
import type { ApiContext } from './context.js';
import { ApiError, failure, success } from './envelope.js';

export function registerRuleRoutes(api: Hono, ctx: ApiContext): void {
  api.get('/rules', (c) => {
    const type = c.req.query('type');
    if (type !== undefined && type !== 'alert' && type !== 'record') {
      return failure(c, new ApiError('bad_data', `invalid query parameter type="${type}": expected alert or record`));
    }
    const m = ctx.rules?.();
    if (!m) return success(c, { groups: [] });
    return success(
      c,
      m.rulesApi({ type, ruleName: c.req.queries('rule_name[]'), ruleGroup: c.req.queries('rule_group[]'), file: c.req.queries('file[]') }),
    );
  });
  api.get('/alerts', (c) => success(c, ctx.rules?.()?.alertsApi() ?? { alerts: [] }));
}
