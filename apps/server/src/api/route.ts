// Wraps an API handler: success envelope, typed errors to Prometheus' error envelope.
import type { Context } from 'hono';
import type { ApiContext } from './context.js';
import { ApiError, failure, success } from './envelope.js';

export type ApiResult = [data: unknown, warnings: string[], infos: string[]];

export function handle(ctx: ApiContext, name: string, fn: (c: Context) => Promise<ApiResult> | ApiResult) {
  return async (c: Context): Promise<Response> => {
    try {
      const [data, warnings, infos] = await fn(c);
      return success(c, data, warnings, infos);
    } catch (e) {
      if (e instanceof ApiError) return failure(c, e);
      ctx.logger.error('API handler failed', { handler: name, err: e as Error });
      return failure(c, new ApiError('internal', (e as Error).message));
    }
  };
}

export function ok(data: unknown): ApiResult {
  return [data, [], []];
}
