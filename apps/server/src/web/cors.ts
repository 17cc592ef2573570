// CORS on API responses, as Prometheus' httputil.SetCORS: only when the request names an
// Origin; "*" for the default catch-all regex, the origin itself when it matches
// --web.cors.origin, no Access-Control-Allow-Origin otherwise.
import type { Matcher } from '@promethium/tsdb-core';
import type { MiddlewareHandler } from 'hono';

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Headers': 'Accept, Authorization, Content-Type, Origin',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Expose-Headers': 'Date',
  Vary: 'Origin',
};

export function corsMiddleware(origin: Matcher): MiddlewareHandler {
  const any = origin.value === '.*';
  return async (c, next) => {
    const from = c.req.header('Origin');
    if (from !== undefined && from !== '') {
      for (const [k, v] of Object.entries(CORS_HEADERS)) c.header(k, v);
      if (any) c.header('Access-Control-Allow-Origin', '*');
      else if (origin.matches(from)) c.header('Access-Control-Allow-Origin', from);
    }
    // Preflight: every API path answers OPTIONS with no body.
    if (c.req.method === 'OPTIONS') return c.body(null, 204);
    return next();
  };
}
