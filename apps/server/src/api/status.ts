// /api/v1/status/*: config, flags, runtimeinfo, buildinfo, tsdb, walreplay.
import type { Hono } from 'hono';
import { DEFAULT_RETENTION_MS } from '../cli/server-flags.js';
import { formatBytes, formatDuration } from '../config/duration.js';
import { configToYaml } from '../config/serialize.js';
import { BUILD_INFO } from '../version.js';
import type { ApiContext } from './context.js';
import { badData } from './envelope.js';
import { requireDb } from './query.js';
import { handle, ok } from './route.js';

function retention(ctx: ApiContext): string {
  const { retentionTime, retentionSize } = ctx.flags;
  const parts: string[] = [];
  if (retentionTime !== undefined) parts.push(formatDuration(retentionTime));
  if (retentionSize !== undefined) parts.push(formatBytes(retentionSize));
  if (parts.length === 0) parts.push(formatDuration(DEFAULT_RETENTION_MS));
  return parts.join(' or ');
}

export function registerStatusRoutes(api: Hono, ctx: ApiContext): void {
  api.get('/status/config', handle(ctx, 'status_config', () => ok({ yaml: configToYaml(ctx.config().config) })));
  api.get('/status/flags', handle(ctx, 'status_flags', () => ok(ctx.rawFlags)));
  api.get(
    '/status/runtimeinfo',
    handle(ctx, 'status_runtimeinfo', () =>
      ok({
        startTime: ctx.startTime.toISOString(),
        CWD: process.cwd(),
        reloadConfigSuccess: ctx.lastReloadOk(),
        lastConfigTime: ctx.lastConfigTime().toISOString(),
        corruptionCount: 0,
        goroutineCount: 0,
        GOMAXPROCS: 1,
        GOMEMLIMIT: 0,
        GOGC: '',
        GODEBUG: '',
        storageRetention: retention(ctx),
      }),
    ),
  );
  api.get('/status/buildinfo', handle(ctx, 'status_buildinfo', () => ok({ ...BUILD_INFO })));
  api.get(
    '/status/tsdb',
    handle(ctx, 'status_tsdb', (c) => {
      const text = c.req.query('limit') ?? '10';
      if (!/^\d+$/.test(text) || Number(text) < 1) throw badData(`limit must be a positive number`);
      const s = requireDb(ctx).stats(Number(text));
      const hs = s.headStats;
      return ok({
        ...s,
        headStats: {
          ...hs,
          minTime: Number.isFinite(hs.minTime) ? hs.minTime : Number.MAX_SAFE_INTEGER,
          maxTime: Number.isFinite(hs.maxTime) ? hs.maxTime : Number.MIN_SAFE_INTEGER,
        },
      });
    }),
  );
  api.get(
    '/status/walreplay',
    handle(ctx, 'status_walreplay', () => {
      const live = ctx.walReplay?.();
      if (live) return ok(live);
      const db = ctx.db();
      if (!db) return ok({ min: 0, max: 0, current: 0 });
      const r = db.replayStats;
      const min = r.checkpoint ?? 0;
      const max = Math.max(min, min + r.segments - 1);
      return ok({ min, max, current: max });
    }),
  );
}
