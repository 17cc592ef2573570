// Hono middleware applying the web config to every request: configured response headers,
// then basic auth (401 with WWW-Authenticate, never logging the password).
import type { MiddlewareHandler } from 'hono';
import { Authenticator, parseBasicAuth } from './authenticator.js';
import type { WebConfigSource, WebLogger } from './web-config-source.js';

export function webConfigMiddleware(source: WebConfigSource, log: WebLogger = () => {}): MiddlewareHandler {
  const auth = new Authenticator();
  return async (c, next) => {
    const cfg = source.get();
    if (!cfg) return next();
    for (const [name, value] of Object.entries(cfg.headers)) c.header(name, value);
    if (cfg.users.size > 0) {
      const cred = parseBasicAuth(c.req.header('Authorization'));
      const ok = cred !== undefined && (await auth.verify(cfg.users, cred.user, cred.password));
      if (!ok) {
        if (cred) log('warn', 'Unauthorized request', { user: cred.user, path: c.req.path });
        c.header('WWW-Authenticate', 'Basic');
        return c.text('Unauthorized\n', 401);
      }
    }
    return next();
  };
}
