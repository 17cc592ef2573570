// /-/healthy, /-/ready, /-/reload, /-/quit, answered like Prometheus' web handler.
import type { Context, Hono } from 'hono';
import type { ApiContext } from '../api/context.js';

export function registerLifecycleRoutes(app: Hono, ctx: ApiContext): void {
  const healthy = (c: Context): Response => c.text('Prometheus Server is Healthy.\n');
  app.get('/-/healthy', healthy);
  app.on('HEAD', '/-/healthy', healthy);
  const ready = (c: Context): Response =>
    ctx.ready() ? c.text('Prometheus Server is Ready.\n') : c.text('Service Unavailable\n', 503);
  app.get('/-/ready', ready);
  app.on('HEAD', '/-/ready', ready);
  app.on(['POST', 'PUT'], '/-/reload', async (c) => {
    if (!ctx.flags.enableLifecycle) return c.text(NOT_ENABLED, 403);
    const r = await ctx.reload();
    if (!r.ok) return c.text(`failed to reload config: ${r.error ?? 'unknown error'}\n`, 500);
    return c.body(null, 200);
  });
  app.on(['POST', 'PUT'], '/-/quit', (c) => {
    if (!ctx.flags.enableLifecycle) return c.text(NOT_ENABLED, 403);
    // Answer first, then shut down.
    setTimeout(() => ctx.quit(), 10);
    return c.text('Requesting termination... Goodbye!\n');
  });
  const onlyPostOrPut = (c: Context): Response => c.text('Only POST or PUT requests allowed', 405);
  app.get('/-/reload', onlyPostOrPut);
  app.get('/-/quit', onlyPostOrPut);
}

// Prometheus' exact body (no trailing newline).
const NOT_ENABLED = 'Lifecycle API is not enabled.';
