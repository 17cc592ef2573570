// Prometheus' API envelope: {status, data, warnings, infos} or {status, errorType, error}, with
// the HTTP status each errorType maps to (web/api/v1 returnAPIError).
import type { Context } from 'hono';

export type ErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | 'not_found';

const STATUS: Record<ErrorType, 400 | 422 | 503 | 500 | 404> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 503,
  internal: 500,
  // Prometheus' respondError has no case for it: the default, 500 (e.g. "admin APIs disabled").
  unavailable: 500,
  not_found: 404,
};

export class ApiError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function success(c: Context, data: unknown, warnings: string[] = [], infos: string[] = []): Response {
  const body: Record<string, unknown> = { status: 'success', data };
  if (warnings.length > 0) body.warnings = warnings;
  if (infos.length > 0) body.infos = infos;
  return c.json(body);
}

export function failure(c: Context, err: ApiError, data?: unknown): Response {
  const body: Record<string, unknown> = { status: 'error', errorType: err.type, error: err.message };
  if (data !== undefined) body.data = data;
  return c.json(body, STATUS[err.type]);
}

export function badData(message: string): ApiError {
  return new ApiError('bad_data', message);
}
