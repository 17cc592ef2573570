// The HTTP surface: lifecycle, /metrics, /federate and API v1 under the route prefix, with
// per-handler request counting for prometheus_http_requests_total.
import { CONTENT_TYPE_TEXT_004, serializeText } from '@promethium/exposition';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { ApiContext } from './api/context.js';
import { registerAdminRoutes } from './api/admin.js';
import { ApiError, failure } from './api/envelope.js';
import { registerExemplarRoutes } from './api/exemplars.js';
import { registerQueryRoutes } from './api/query.js';
import { registerRemoteRoutes } from './api/remote.js';
import { registerRuleRoutes } from './api/rules.js';
import { uiResponse } from '@promethium/web-ui';
import { webConfigMiddleware } from '@promethium/web-toolkit';
import { registerSeriesRoutes } from './api/series.js';
import { registerStatusRoutes } from './api/status.js';
import { registerTargetRoutes } from './api/targets.js';
import { isAgent, routePrefix } from './cli/server-flags.js';
import { corsMiddleware } from './web/cors.js';
import { federate } from './web/federate.js';
import { registerLifecycleRoutes } from './web/lifecycle.js';

/** API paths an agent answers with 422 "unavailable with Prometheus Agent", as Prometheus. */
export const AGENT_UNAVAILABLE = [
  '/query',
  '/query_range',
  '/query_exemplars',
  '/format_query',
  '/labels',
  '/label/:name/values',
  '/series',
  '/alerts',
  '/rules',
  '/alertmanagers',
  '/status/tsdb',
  '/read',
  '/admin/tsdb/*',
];

/** UI pages Prometheus' agent does not serve. */
const AGENT_HIDDEN_PAGES = ['/query', '/graph', '/alerts', '/rules', '/tsdb-status'];

const AGENT_PAGE = (prefix: string): string => `<!doctype html>
<html><head><meta charset="utf-8"><title>Promethium Agent</title></head>
<body style="font-family: sans-serif; max-width: 44em; margin: 2em auto">
<h1>Promethium Agent</h1>
<p>This Promethium instance is running in <strong>agent mode</strong>: it scrapes targets, writes
them to its write-ahead log and forwards them with remote write. Querying, graphs, alerts and
recording rules are not available here; query the remote storage instead.</p>
<p><a href="${prefix}/targets">Targets</a> &middot; <a href="${prefix}/service-discovery">Service discovery</a>
&middot; <a href="${prefix}/status">Status</a> &middot; <a href="${prefix}/flags">Flags</a>
&middot; <a href="${prefix}/config">Configuration</a> &middot; <a href="${prefix}/metrics">Metrics</a></p>
</body></html>
`;

export function createApp(ctx: ApiContext): Hono {
  const prefix = routePrefix(ctx.flags);
  const root = new Hono();
  const app = prefix ? root.basePath(prefix) : root;
  // --web.config.file: basic auth and security headers on every endpoint, health checks included.
  if (ctx.webConfig) {
    const log = ctx.logger.with({ component: 'web' });
    root.use('*', webConfigMiddleware(ctx.webConfig, (level, msg, fields) => log[level](msg, fields)));
  }

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const path = c.req.routePath || c.req.path;
    ctx.metrics.observeHttp(path, c.res.status, (performance.now() - started) / 1000);
  });

  registerLifecycleRoutes(app, ctx);
  app.get('/metrics', (c) =>
    c.body(serializeText([...ctx.metrics.collect({ scrape: ctx.scrape(), db: ctx.db(), ready: ctx.ready() }), ...(ctx.extraMetrics?.() ?? [])]), 200, {
      'Content-Type': CONTENT_TYPE_TEXT_004,
    }),
  );
  app.get('/federate', (c) =>
    isAgent(ctx.flags) ? failure(c, new ApiError('execution', 'unavailable with Prometheus Agent')) : federate(c, ctx),
  );

  const api = new Hono();
  // --web.cors.origin (flags built by hand in embedders may lack it).
  if (ctx.flags.corsOrigin) api.use('*', corsMiddleware(ctx.flags.corsOrigin));
  if (isAgent(ctx.flags)) {
    // Registered first, so they answer before the real handlers (Prometheus' wrapAgent).
    const unavailable = (c: Context): Response => failure(c, new ApiError('execution', 'unavailable with Prometheus Agent'));
    for (const p of AGENT_UNAVAILABLE) api.on(['GET', 'POST', 'PUT', 'DELETE'], p, unavailable);
  }
  registerQueryRoutes(api, ctx);
  registerSeriesRoutes(api, ctx);
  registerTargetRoutes(api, ctx);
  registerStatusRoutes(api, ctx);
  registerAdminRoutes(api, ctx);
  registerRuleRoutes(api, ctx);
  registerRemoteRoutes(api, ctx);
  registerExemplarRoutes(api, ctx);
  api.notFound((c) => failure(c, new ApiError('not_found', `unknown API endpoint ${c.req.method} ${c.req.path}`)));
  app.route('/api/v1', api);
  if (prefix) root.get('/', (c) => c.redirect(`${prefix}/`));
  // Hono ignores a mounted sub-app's notFound: answer unknown API paths with the JSON envelope here.
  root.notFound((c) =>
    c.req.path.startsWith(`${prefix}/api/`)
      ? failure(c, new ApiError('not_found', `unknown API endpoint ${c.req.method} ${c.req.path}`))
      : c.text('404 page not found\n', 404),
  );
  if (isAgent(ctx.flags)) {
    // As Prometheus' agent: the home page is /agent, and the query, alert, rule and TSDB pages
    // are not served at all.
    root.get(`${prefix}/`, (c) => c.redirect(`${prefix}/agent`, 302));
    if (prefix) root.get(prefix, (c) => c.redirect(`${prefix}/agent`, 302));
    for (const p of AGENT_HIDDEN_PAGES) app.get(p, (c) => c.text('404 page not found\n', 404));
    app.get('/agent', (c) => c.html(AGENT_PAGE(prefix)));
  }
  // The web UI: index.html for the UI's routes, hashed assets, 404 for anything else.
  app.get('*', async (c) => (await uiResponse(prefix ? c.req.path.slice(prefix.length) || '/' : c.req.path)) ?? c.notFound());
  return root;
}
