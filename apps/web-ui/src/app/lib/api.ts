// Client for the Prometheus-compatible HTTP API v1. Every answer is checked against the envelope
// ({status, data} or {status:"error", errorType, error}) before the pages trust it.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorType: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Base URL of the API, relative to where the UI is mounted (works under a route prefix). */
export function apiBase(loc: { origin: string; pathname: string } = window.location): string {
  const dir = loc.pathname.slice(0, loc.pathname.lastIndexOf('/') + 1);
  return `${loc.origin}${dir}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unwraps an API envelope; throws ApiError naming what was wrong. */
export function unwrapEnvelope(body: unknown, httpStatus: number, path: string): unknown {
  if (!isRecord(body)) throw new ApiError(`${path}: expected a JSON object, got ${typeof body}`, httpStatus, 'bad_response', path);
  if (body.status === 'success') {
    if (!('data' in body)) throw new ApiError(`${path}: "data" missing from a success response`, httpStatus, 'bad_response', path);
    return body.data;
  }
  if (body.status === 'error') {
    const msg = typeof body.error === 'string' ? body.error : 'unknown error';
    const type = typeof body.errorType === 'string' ? body.errorType : 'unknown';
    throw new ApiError(msg, httpStatus, type, path);
  }
  throw new ApiError(`${path}: "status" must be "success" or "error"`, httpStatus, 'bad_response', path);
}

export async function apiGet(
  path: string,
  params: Record<string, string | undefined> = {},
  signal?: AbortSignal,
): Promise<unknown> {
  const url = new URL(`api/v1/${path}`, apiBase());
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, { signal: signal ?? null, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`cannot reach the server: ${(err as Error).message}`, 0, 'network', path);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(
      `${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200) || '(empty body)'}`,
      res.status,
      'bad_response',
      path,
    );
  }
  return unwrapEnvelope(body, res.status, path);
}

/** Same as apiGet for POSTed form bodies (long queries do not fit in a URL). */
export async function apiPostForm(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  const url = new URL(`api/v1/${path}`, apiBase());
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams(params),
      signal: signal ?? null,
      headers: { Accept: 'application/json' },
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`cannot reach the server: ${(err as Error).message}`, 0, 'network', path);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(`${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200) || '(empty body)'}`, res.status, 'bad_response', path);
  }
  return unwrapEnvelope(body, res.status, path);
}

export function asString(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new ApiError(`${where}: expected a string`, 200, 'bad_response', where);
  return v;
}

export function asArray(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new ApiError(`${where}: expected an array`, 200, 'bad_response', where);
  return v;
}

export function asLabels(v: unknown, where: string): Record<string, string> {
  if (!isRecord(v)) throw new ApiError(`${where}: expected a label object`, 200, 'bad_response', where);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw new ApiError(`${where}.${k}: label value must be a string`, 200, 'bad_response', where);
    out[k] = val;
  }
  return out;
}
