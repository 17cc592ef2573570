// The admin TSDB endpoints behind --web.enable-admin-api: delete_series, clean_tombstones, snapshot.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import type { ApiContext } from './context.js';
import { ApiError, failure, success } from './envelope.js';
import { MAX_TIME_MS, MIN_TIME_MS, formParams, parseTimeParam } from './params.js';
import { requireDb } from './query.js';
import { parseSelectors } from './selectors.js';

function snapshotName(now: Date): string {
  const iso = now.toISOString(); // 2017-12-10T21:12:24.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return `${stamp}-${randomBytes(8).toString('hex')}`;
}

export function registerAdminRoutes(api: Hono, ctx: ApiContext): void {
  const guard = (fn: (c: Context) => Promise<Response>) => async (c: Context): Promise<Response> => {
    if (!ctx.flags.enableAdminApi) return failure(c, new ApiError('unavailable', 'admin APIs disabled'));
    try {
      return await fn(c);
    } catch (e) {
      if (e instanceof ApiError) return failure(c, e);
      ctx.logger.error('Admin API failed', { err: e as Error });
      return failure(c, new ApiError('internal', (e as Error).message));
    }
  };
  const methods = ['POST', 'PUT'];
  api.on(
    methods,
    '/admin/tsdb/delete_series',
    guard(async (c) => {
      const p = await formParams(c);
      const sets = parseSelectors(p.getAll('match[]'), true);
      const start = parseTimeParam('start', p.get('start'), MIN_TIME_MS);
      const end = parseTimeParam('end', p.get('end'), MAX_TIME_MS);
      const db = requireDb(ctx);
      for (const m of sets) await db.delete(start, end, m);
      return c.body(null, 204);
    }),
  );
  api.on(
    methods,
    '/admin/tsdb/clean_tombstones',
    guard(async (c) => {
      await requireDb(ctx).cleanTombstones();
      return c.body(null, 204);
    }),
  );
  api.on(
    methods,
    '/admin/tsdb/snapshot',
    guard(async (c) => {
      const p = await formParams(c);
      const skipHead = p.get('skip_head') === 'true';
      const name = snapshotName(new Date());
      await requireDb(ctx).snapshot(join(ctx.flags.tsdbPath, 'snapshots', name), skipHead);
      return success(c, { name });
    }),
  );
  // Other methods: Go's router answers 405 with the allowed ones, whether or not the API is on.
  api.on(['GET', 'HEAD', 'DELETE', 'PATCH'], ['/admin/tsdb/delete_series', '/admin/tsdb/clean_tombstones', '/admin/tsdb/snapshot'], (c) =>
    c.text('Method Not Allowed\n', 405, { Allow: 'OPTIONS, POST, PUT', 'X-Content-Type-Options': 'nosniff' }),
  );
}
